/**
 * Hostile schema content in a LIVE Directus base: names, notes, options,
 * validation messages and translations carrying Markdown, raw HTML, `<!--`
 * and `-->`, backticks and fences, @mentions and #123 references,
 * 10,000-character strings, right-to-left and zero-width characters. Planned
 * by dist/index.js: the comment keeps its structure, pings no one, and its
 * hidden plan record still parses, verifies, and is applied from the comment.
 */
import { createCollection, createRelation, getSnapshot } from '../../scripts/lib/seed.mjs'
import type { ActionRun } from '../../scripts/lib/run-action.mjs'
import { describeChanges } from '../../src/core/plan/changes.js'
import type { SchemaDiff } from '../../src/directus/types.js'
import { openRecord, recordKey } from '../../src/core/guard/record.js'
import { parseComment } from '../../src/report/comment.js'
import { HOSTILE_COLLECTION as FIXTURE_COLLECTION, HOSTILE_FIELD_META, LONG } from '../fixtures/report/hostile.js'
import { expectIntactStructure } from '../support/report-structure.js'
import { outsideFences } from '../unit/helpers/markup.js'
import { expectFaultRun } from '../support/verdict.js'
import { approveAndMerge, BOT, useLive } from '../support/live.js'

/**
 * The unit fixture's names, as far as Directus takes them: it cannot read back
 * a table with a space in its name, and SQLite reads a dot as a database name.
 */
const HOSTILE_COLLECTION = FIXTURE_COLLECTION.replaceAll(' ', '')
const ZERO_WIDTH_FIELD = 'zero\u200Bwidth\u200D'
const RTL_COLLECTION = 'rtl\u202Etxt\u200Bexe'
// Directus refuses relations on collection names with spaces, so the related pair has none.
const REFERENCE_COLLECTION = '#123-->'
const LINKING_COLLECTION = 'links<!--@org`#9`-->'
const MARKDOWN_NOTE = '# Heading\n- list item\n> quote\n| a | b |\n<!-- hidden --> -->\n```\nfence\n```'

const live = useLive({
  name: 'hostile-schema',
  directus: { base: { ownToken: true }, target: { ownToken: true } },
  github: true,
  inputs: { 'target-name': 'prod <!-- @team --> | #7', 'timeout-seconds': '10' }
})
const { directus } = live

beforeAll(async () => {
  await seedHostileSchema(directus.base.url, directus.base.adminToken)
})

async function seedHostileSchema(url: string, token: string): Promise<void> {
  await createCollection(url, token, REFERENCE_COLLECTION, [], { meta: { note: '@everyone #1 -->' } })
  await createCollection(
    url,
    token,
    HOSTILE_COLLECTION,
    [
      {
        field: '| pipe | field |',
        type: 'string',
        schema: { max_length: 255, default_value: '``` not a fence' },
        meta: HOSTILE_FIELD_META
      },
      {
        field: ZERO_WIDTH_FIELD,
        type: 'text',
        schema: {},
        meta: { note: LONG, options: { 'a.b "c" | d': '-->', fence: '````\n```js\n</details></summary>' } }
      }
    ],
    {
      meta: {
        note: MARKDOWN_NOTE,
        display_template: '{{title}} <img src=x onerror=alert(1)>',
        translations: [{ language: 'ar-SA', translation: '\u202Bمرحبا\u202C @everyone', singular: 'عنصر', plural: '#12 عناصر' }]
      }
    }
  )
  await createCollection(url, token, LINKING_COLLECTION, [
    {
      // Created with its collection: Directus does not route POST /fields/<collection> for every name.
      field: '@org/team',
      type: 'integer',
      meta: { interface: 'select-dropdown-m2o', special: ['m2o'], note: '\n\n# injected heading\n\n</td></tr>' },
      schema: {}
    }
  ])
  await createRelation(url, token, {
    collection: LINKING_COLLECTION,
    field: '@org/team',
    related_collection: REFERENCE_COLLECTION,
    meta: { sort_field: null },
    schema: { on_delete: 'SET NULL' }
  })
  await createCollection(
    url,
    token,
    RTL_COLLECTION,
    [{ field: 'title', type: 'string', schema: {}, meta: { note: '</details></summary><details><summary>open' } }],
    {
      meta: { note: '**bold** _em_ [link](https://evil.example) ![img](x) `code` ~~~' }
    }
  )
}

function secrets(): string[] {
  return live.secrets()
}

function inputs(): Record<string, string> {
  return live.inputs()
}

function ours(pr: number): string {
  const comments = live.github.comments('acme', 'site', pr).filter((comment) => comment.user.login === BOT)
  expect(comments).toHaveLength(1)
  return comments[0]!.body
}

/** Headings the report has: its title, and one per collection when it shows every change. */
function expectedHeadings(text: string, diff: SchemaDiff): number {
  const collections = new Set(describeChanges(diff).map((change) => change.collection)).size
  return text.includes('```json') ? 1 + collections : 1
}

describe('hostile schema content, planned and applied through the comment', () => {
  const pr = 700
  const headSha = 'e'.repeat(40)
  const mergeSha = 'f'.repeat(40)
  let plan: ActionRun
  let diff: SchemaDiff

  beforeAll(async () => {
    plan = await live.planOnPullRequest(pr, inputs(), { headSha, timeoutMs: 90_000 })
    diff = (JSON.parse(plan.diffFile ?? '{}') as { diff: SchemaDiff }).diff
  })

  it('plans them and leaks nothing', () => {
    expectFaultRun(plan, { secrets: secrets(), extraChannels: [ours(pr)], faults: 0, expected: 'survived' })
    expect(plan.outputs['has-changes']).toBe('true')
    const collections = diff.collections.map((entry) => entry.collection)
    expect(collections).toEqual(expect.arrayContaining([HOSTILE_COLLECTION, RTL_COLLECTION, REFERENCE_COLLECTION, LINKING_COLLECTION]))
  })

  it('keeps the comment and the job summary intact, and pings no one', () => {
    const body = ours(pr)
    expectIntactStructure(body, expectedHeadings(body, diff))
    expectIntactStructure(plan.summary, expectedHeadings(plan.summary, diff))
    expect(plan.summary).not.toContain('<!--')
    // 10,000-character strings are cut in the report, not pasted whole (the raw diff keeps them, fenced).
    expect(outsideFences(body)).not.toContain('x'.repeat(600))
    expect(body).toContain('more characters)')
  })

  it('carries a hidden plan record that parses and verifies with the target key', () => {
    const parsed = parseComment(ours(pr))
    expect(parsed?.targetName).toBe(inputs()['target-name'])
    const record = openRecord(
      parsed?.record ?? '',
      recordKey({ kind: 'token', token: live.tokenOf(directus.target) }, `${directus.target.url}/`)
    )
    expect(record).toMatchObject({ pullRequest: pr, headSha, hash: plan.outputs['hash'], digest: plan.outputs['digest'] })
  })

  it('applies exactly that plan from the comment', async () => {
    approveAndMerge(live.github, pr, mergeSha)
    const run = await live.apply(inputs(), mergeSha, 90_000)
    const body = ours(pr)
    expectFaultRun(run, { secrets: secrets(), extraChannels: [body], faults: 0, expected: 'survived' })
    expect(run.outputs['applied']).toBe('true')
    const applied = await getSnapshot(directus.target.url, directus.target.adminToken)
    const names = (applied.collections as { collection: string }[]).map((collection) => collection.collection)
    expect(names).toEqual(expect.arrayContaining([HOSTILE_COLLECTION, RTL_COLLECTION, REFERENCE_COLLECTION, LINKING_COLLECTION]))
    const fields = (applied.fields as { collection: string; field: string; meta?: { note?: string } }[]).filter(
      (f) => f.collection === HOSTILE_COLLECTION
    )
    expect(fields.map((f) => f.field)).toEqual(expect.arrayContaining(['| pipe | field |', ZERO_WIDTH_FIELD]))
    expect(applied.relations).toEqual([
      expect.objectContaining({ collection: LINKING_COLLECTION, field: '@org/team', related_collection: REFERENCE_COLLECTION })
    ])
    expect(fields.find((f) => f.field.startsWith('zero'))?.meta?.note).toBe(LONG)
    // The comment, with its new status, is still intact.
    expect(body).toMatch(/Applied .* at \d{4}-/)
    expectIntactStructure(body, expectedHeadings(body, diff))
  })
})
