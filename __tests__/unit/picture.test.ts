/**
 * The README's picture (docs/plan-comment.png) must show what the renderer
 * draws today, and the comment must keep its structure once GitHub renders
 * it: the heading, the summary table, the alert, and the <details> blocks.
 * The HTML comes from the same Markdown library the screenshot uses; no
 * browser is needed here.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { commentToHtml } from '../../scripts/lib/comment-html.mjs'
import {
  PICTURE,
  PICTURE_MARKDOWN,
  PICTURE_RECORD,
  ROOT,
  pngSize,
  rendererFiles,
  rendererHash,
  type PictureRecord
} from '../../scripts/lib/picture.mjs'
import { describeChanges } from '../../src/core/plan/changes.js'
import { parseComment, writeComment } from '../../src/report/comment.js'
import { planStatus, renderReportBody, renderSummaryLine, type DetailLevel } from '../../src/report/markdown.js'
import type { ReportInput } from '../../src/report/model.js'
import { reportFixture } from './helpers/fixtures.js'

const record = JSON.parse(readFileSync(join(ROOT, PICTURE_RECORD), 'utf8')) as PictureRecord

describe('docs/plan-comment.png', () => {
  it('was made with the renderer as it is now (else: npm run screenshot, and commit docs/)', () => {
    const now = { renderer: rendererHash(), files: rendererFiles() }
    expect({ renderer: record.renderer, files: record.rendererFiles }).toEqual(now)
  })

  it('is the PNG the record describes, made from the Markdown beside it', () => {
    const size = pngSize(readFileSync(join(ROOT, PICTURE)))
    expect(size).toEqual({ width: record.image.width, height: record.image.height })
    expect(size.width).toBe(880 * record.image.scale)
    expect(record.generatedBy).toBe('npm run screenshot')
    expect(parseComment(readFileSync(join(ROOT, record.markdown), 'utf8'))).not.toBeNull()
  })

  it('opens the README, when there is one', () => {
    const readme = join(ROOT, 'README.md')
    if (!existsSync(readme)) return
    const text = readFileSync(readme, 'utf8')
    const firstPicture = /!\[[^\]]*\]\(([^)]+)\)/.exec(text)
    expect(firstPicture?.[1]).toBe(PICTURE)
    // Before the first section: it is what a visitor sees first.
    expect(text.indexOf(PICTURE)).toBeLessThan(text.indexOf('\n## '))
  })
})

/** The visible text of some HTML: comments and tags gone, entities decoded as far as the checks need. */
function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&(lt|gt|amp|quot);/g, (_, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"' })[name] ?? '')
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))].length
}

/** What must hold for any rendering of a plan comment on GitHub. */
function expectCommentStructure(html: string, options: { destructive: boolean; collapsedSections: boolean }): void {
  // The heading, once.
  expect(count(html, /<h3>Directus schema plan for [^<]+<\/h3>/)).toBe(1)
  expect(count(html, /<h[1-3][ >]/)).toBe(1)

  // The summary table: both sides' facts in a real table, not pipes in a paragraph.
  const table =
    /<table>\s*<thead>\s*<tr>\s*<th><\/th>\s*<th>Base<\/th>\s*<th>Target<\/th>\s*<\/tr>\s*<\/thead>\s*<tbody>([\s\S]*?)<\/tbody>\s*<\/table>/.exec(
      html
    )
  expect(table).not.toBeNull()
  expect(table?.[1]).toMatch(/<td>Directus version<\/td>/)
  expect(table?.[1]).toMatch(/<td>Database<\/td>/)

  // <details> blocks: balanced, each opening with its summary, none left as text.
  const opened = count(html, /<details>/)
  expect(opened).toBeGreaterThan(0)
  expect(count(html, /<\/details>/)).toBe(opened)
  expect(count(html, /<details><summary>[^<]*(<code>[^<]*<\/code>[^<]*)*<\/summary>/)).toBe(opened)
  if (options.collapsedSections) {
    // Each collection's table is parsed inside its block (the blank line after <summary> matters).
    for (const block of html.split('<details>').slice(1)) {
      const inside = block.slice(0, block.indexOf('</details>'))
      if (!inside.includes('Raw diff')) expect(inside).toMatch(/<table>[\s\S]*<th>Change<\/th>/)
    }
  }

  // The alert is GitHub's alert box, not a quote showing [!CAUTION].
  expect(count(html, /<div class="markdown-alert markdown-alert-caution">/)).toBe(options.destructive ? 1 : 0)

  // Nothing of the Markdown or of the hidden markers is left visible.
  const text = visibleText(html)
  expect(text).not.toMatch(/\[!(CAUTION|WARNING)\]/)
  expect(text).not.toMatch(/\| ?--- ?\|/)
  expect(text).not.toContain('directus-schema-plan')
  expect(text).not.toMatch(/^#{1,6} /m)
}

describe('the plan comment as GitHub renders it', () => {
  it('keeps its structure in the picture’s own comment', () => {
    const markdown = readFileSync(join(ROOT, PICTURE_MARKDOWN), 'utf8')
    expectCommentStructure(commentToHtml(markdown), { destructive: markdown.includes('[!CAUTION]'), collapsedSections: false })
  })

  const basic = reportFixture('basic-diff.json')
  const input: ReportInput = {
    targetName: 'production',
    hash: basic.hash,
    diff: basic.diff,
    changes: describeChanges(basic.diff),
    skipped: [],
    noise: [],
    base: { version: '11.5.1', vendor: 'postgres', url: 'https://staging.example.com' },
    target: { version: '11.5.1', vendor: 'postgres', url: 'https://cms.example.com' },
    warnings: ['Version or vendor mismatch overridden with force'],
    allowDestructiveSetting: 'input'
  }

  it.each<DetailLevel>(['full', 'collapsed'])('keeps its structure at detail level %s, as the renderer draws it now', (level) => {
    const markdown = writeComment({
      targetName: input.targetName,
      summary: renderSummaryLine(input),
      status: planStatus(input),
      body: renderReportBody(input, level)
    })
    const html = commentToHtml(markdown)
    expectCommentStructure(html, { destructive: true, collapsedSections: level === 'collapsed' })
    expect(count(html, /<div class="markdown-alert markdown-alert-warning">/)).toBe(1)
    if (level === 'full') expect(count(html, /<h4>/)).toBe(4)
    else expect(count(html, /<h4>/)).toBe(0)
    expect(html).toMatch(/<pre><code class="language-json">/)
  })
})
