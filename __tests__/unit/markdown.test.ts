import { visiblePlanDigest, type ShownPlan } from '../../src/core/guard/record.js'
import { readDiff } from '../../src/core/plan/changes.js'
import type { FieldDiff, SchemaDiff } from '../../src/directus/types.js'
import { COMMENT_LIMIT as DEFAULT_COMMENT_LIMIT, parseComment, writeComment } from '../../src/report/comment.js'
import {
  JOB_SUMMARY_LIMIT,
  PARTIAL_REVIEW_NOTE,
  planStatus,
  renderJobSummary,
  renderPlanComment,
  renderReportBody,
  renderSummaryLine,
  type DetailLevel
} from '../../src/report/markdown.js'
import type { ReportInput } from '../../src/report/model.js'
import { HOSTILE_COLLECTION, LONG, RTL_COLLECTION, hostileDiff, hostileWarnings } from '../fixtures/report/hostile.js'
import { applyRulesFixture, reportFixture, reportInputFor, targetBefore, threeApplyRules } from './helpers/fixtures.js'
import { expectGolden } from './helpers/golden.js'
import { expectIntactStructure } from '../support/report-structure.js'
import { decodeEntities, outsideFences, tableRows } from './helpers/markup.js'
import type { ConfigOperation, ConfigPlan } from '../../src/core/config/model.js'
import { configState, fixturePlan } from './helpers/config-plan.js'

/** As the action reports: apply's input named, a run to link to, a diff file beside the report. */
function inputFor(diff: SchemaDiff | null, hash: string | null, overrides: Partial<ReportInput> = {}): ReportInput {
  return reportInputFor(diff, hash, {
    mode: 'mirror',
    allowDestructiveSetting: 'input',
    runUrl: 'https://github.com/acme/site/actions/runs/42',
    diffFile: 'directus-schema-diff.json',
    ...overrides
  })
}

const basic = reportFixture('basic-diff.json')
const basicInput = inputFor(basic.diff, basic.hash)
const hostileInput = inputFor(hostileDiff, 'hash<!--@x', {
  targetName: 'prod <!-- @team --> | #7',
  warnings: hostileWarnings,
  base: { version: '11.5.1 <b>@x</b>', vendor: 'postgres|mysql', url: 'https://x.test/?a=<b>' },
  target: { version: '\u202E11.6.0', vendor: '`sqlite`', url: LONG },
  runUrl: 'javascript:alert(1)',
  diffFile: 'diff `x` @y.json'
})

/** A record that is the same whatever the visible digest, as a stand-in for a sealed one. */
const fixed = (record: string) => () => record

describe('golden renderings', () => {
  test('full comment', () => {
    const rendered = renderPlanComment(basicInput, { status: planStatus(basicInput), records: [fixed('rec.v1')] })
    expect(rendered.level).toBe('full')
    expect(rendered.record).toBe('rec.v1')
    expectGolden('plan-full.md', rendered.text)
  })

  test.each<[DetailLevel, string]>([
    ['collapsed', 'body-collapsed.md'],
    ['no-raw', 'body-no-raw.md']
  ])('%s body', (level, file) => {
    expectGolden(file, renderReportBody(basicInput, level))
  })

  test('truncated body', () => {
    const body = renderReportBody(basicInput, 'truncated', { budget: 3500 })
    expect(body.length).toBeLessThanOrEqual(3500)
    expectGolden('body-truncated.md', body)
  })

  test('no changes', () => {
    const input = inputFor(null, null, { mode: undefined, runUrl: undefined, diffFile: undefined })
    const rendered = renderPlanComment(input, { status: planStatus(input) })
    expect(rendered.text).toContain('The target already matches the base')
    expectGolden('plan-no-changes.md', rendered.text)
  })

  test('the command line’s wording, merge mode, warnings', () => {
    const input = {
      ...basicInput,
      allowDestructiveSetting: 'flag' as const,
      mode: 'merge' as const,
      warnings: ['Directus versions differ (11.5.1 vs 11.6.0); accepted because force is set.']
    }
    expectGolden('plan-command-line.md', renderPlanComment(input, { status: planStatus(input) }).text)
  })

  test('job summary', () => {
    const rendered = renderJobSummary(basicInput, { status: planStatus(basicInput) })
    expect(rendered.level).toBe('full')
    expect(rendered.text).not.toContain('<!--')
    expectGolden('job-summary.md', rendered.text)
  })

  test('hostile content', () => {
    const rendered = renderPlanComment(hostileInput, { status: planStatus(hostileInput), limit: JOB_SUMMARY_LIMIT })
    expect(rendered.level).toBe('full')
    expectGolden('plan-hostile.md', rendered.text)
  })
})

describe('content', () => {
  const text = renderPlanComment(basicInput, { status: planStatus(basicInput) }).text

  test('summary line counts changes and destructive ones', () => {
    expect(renderSummaryLine(basicInput)).toBe(
      '**Changes:** +1 collection, &#126;1 collection, -1 collection, +4 fields, &#126;3 fields, -1 field, &#126;1 system field, +1 relation, -1 relation · ⚠️ 3 destructive'
    )
    expect(renderSummaryLine({ changes: [], skipped: [] })).toBe('**Changes:** no changes')
  })

  test('a CAUTION alert lists each destructive change with its reason', () => {
    const lines = text.split('\n')
    const start = lines.indexOf('> [!CAUTION]')
    const end = lines.indexOf('', start)
    expect(start).toBeGreaterThan(0)
    expect(lines.slice(start, end).filter((line) => line.startsWith('> - '))).toEqual([
      '> - ➖ collection <code>old&#95;logs</code>: drops the collection and all its rows',
      '> - ✏️ field <code>pages.view&#95;count</code>: changes type string → integer; changes column type character varying → integer',
      '> - ➖ relation <code>pages.legacy&#95;author -&#62; directus&#95;users</code>: removes the relation and its foreign key'
    ])
  })

  test('no CAUTION alert without destructive changes', () => {
    const safe = { ...basicInput, changes: basicInput.changes.filter((change) => !change.destructive) }
    expect(renderReportBody(safe, 'full')).not.toContain('[!CAUTION]')
  })

  test('one section per collection, relations labelled with their target', () => {
    expect(text.split('\n').filter((line) => line.startsWith('#### '))).toHaveLength(4)
    expect(decodeEntities(text)).toContain('relation <code>articles.author -> directus_users</code>')
  })

  test('edits show path with before → after', () => {
    expect(decodeEntities(text)).toContain(
      '<code>meta.note</code>: <code>"Short teaser"</code> → <code>"Short teaser shown on cards"</code>'
    )
    expect(decodeEntities(text)).toContain('<code>meta.options.placeholder</code>: <em>absent</em> → <code>"One or two sentences"</code>')
  })

  test('context: versions, vendors, hash, mode, run link', () => {
    expect(text).toContain('| Directus version | 11.5.1 | 11.5.1 |')
    expect(text).toContain('| Database | postgres | postgres |')
    expect(text).toContain('<code>4b2f1c0e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c</code>')
    expect(text).toContain('**Diff mode:** `mirror`')
    expect(text).toContain('[open the run](https://github.com/acme/site/actions/runs/42)')
  })

  test('the raw diff is in a collapsed block and parses back to the diff', () => {
    const match = /<details><summary>Raw diff[^\n]*\n\n(`{3,})json\n([\s\S]*?)\n\1\n\n<\/details>/.exec(text)
    expect(JSON.parse(match?.[2] ?? 'null')).toEqual(basic.diff)
  })

  test('the comment parses back', () => {
    const parsed = parseComment(text)
    expect(parsed?.targetName).toBe('production')
    expect(parsed?.status).toEqual(planStatus(basicInput))
  })
})

describe('planStatus', () => {
  test('no changes', () => {
    const status = planStatus(inputFor(null, null))
    expect(status.state).toBe('no-changes')
    expect(status.text).toContain('already matches the base')
  })

  test('destructive: says what apply requires, never what the apply job’s inputs are', () => {
    const status = planStatus(basicInput)
    expect(status.state).toBe('planned')
    expect(status.text).toContain('3 destructive changes')
    expect(status.text).toContain('Apply refuses them unless the apply job sets <code>allow-destructive: true</code>')
    expect(status.text).not.toMatch(/BLOCKED|will be blocked|is not `true`/)
  })

  test('destructive, from the command line: names the flag', () => {
    const status = planStatus({ ...basicInput, allowDestructiveSetting: 'flag' })
    expect(status.text).toContain('unless it is run with <code>--allow-destructive</code>')
  })

  test('safe changes: planned, will be applied on merge', () => {
    const safe = { ...basicInput, changes: basicInput.changes.filter((change) => !change.destructive) }
    const status = planStatus(safe)
    expect(status.state).toBe('planned')
    expect(status.text).toContain('merging this pull request applies exactly this diff')
    expect(status.text).not.toMatch(/destructive/)
  })

  test('the target name is escaped', () => {
    expect(planStatus({ ...basicInput, targetName: '<b>@x</b>' }).text).toContain('<b>&#60;b&#62;&#64;&#8203;x&#60;/b&#62;</b>')
  })
})

describe('hostile content', () => {
  const collections = new Set(hostileInput.changes.map((change) => change.collection)).size

  test.each<[DetailLevel, number]>([
    ['full', JOB_SUMMARY_LIMIT],
    ['collapsed', 79_500],
    ['no-raw', 20_000],
    ['truncated', 4_000]
  ])('%s: structure stays intact', (expectedLevel, limit) => {
    const status = planStatus(hostileInput)
    const rendered = renderPlanComment(hostileInput, { status, limit, records: [fixed('r1')] })
    expect(rendered.level).toBe(expectedLevel)
    expect(rendered.text.length).toBeLessThanOrEqual(limit)
    expectIntactStructure(rendered.text, expectedLevel === 'full' ? 1 + collections : 1)

    const parsed = parseComment(rendered.text)
    expect(parsed).not.toBeNull()
    expect(parsed?.targetName).toBe(hostileInput.targetName)
    expect(writeComment(parsed ?? { targetName: '', summary: '', body: '', status })).toBe(rendered.text)
  })

  test('10,000-character strings are shortened', () => {
    const text = renderPlanComment(hostileInput, { status: planStatus(hostileInput), limit: 40_000 }).text
    expect(outsideFences(text)).not.toContain('x'.repeat(600))
    expect(text).toContain('more characters)')
  })

  test('names stay recognisable to a reader', () => {
    const seen = decodeEntities(renderReportBody(hostileInput, 'full')).replace(/\u200B/g, '')
    expect(seen).toContain(`<code>${HOSTILE_COLLECTION}</code>`)
    expect(seen).toContain('<code>rtl\\u202Etxt.exe\\u200B</code>')
    expect(RTL_COLLECTION).toContain('\u202E')
  })

  test('an unsafe run URL is not linked', () => {
    expect(renderReportBody(hostileInput, 'full')).not.toContain('javascript:')
  })

  test('the job summary of hostile content is intact too', () => {
    const rendered = renderJobSummary(hostileInput, { status: planStatus(hostileInput) })
    expect(rendered.text).not.toContain('<!--')
    expectIntactStructure(rendered.text, 1 + collections)
  })
})

describe('fitting the limit', () => {
  const status = planStatus(basicInput)
  const fullLength = renderPlanComment(basicInput, { status }).text.length

  test('degrades level by level as the limit shrinks', () => {
    const levels = [fullLength, fullLength - 1, 6000, 2500].map((limit) => renderPlanComment(basicInput, { status, limit }).level)
    expect(levels).toEqual(['full', 'collapsed', 'no-raw', 'truncated'])
  })

  test('gives up detail before it gives up the most complete record', () => {
    const long = 'L'.repeat(200)
    const tight = renderPlanComment(basicInput, { status, records: [fixed(long), fixed('short')], limit: fullLength + 50 })
    expect(tight.level).not.toBe('full')
    expect(tight.record).toBe(long)
    expect(parseComment(tight.text)?.record).toBe(long)
    const roomy = renderPlanComment(basicInput, { status, records: [fixed(long), fixed('short')], limit: fullLength + 250 })
    expect(roomy).toMatchObject({ level: 'full', record: long })
  })

  test('seals the record over the summary and body it sits beside, whatever level fits', () => {
    for (const [limit, level] of [
      [fullLength + 200, 'full'],
      [6000, 'no-raw'],
      [2500, 'truncated']
    ] as const) {
      const seen: string[] = []
      const completeness: boolean[] = []
      const seal = (digest: string, shown?: ShownPlan) => {
        seen.push(digest)
        completeness.push(shown?.complete ?? true)
        return `r.${digest.slice('sha256:'.length)}`
      }
      const rendered = renderPlanComment(basicInput, { status, records: [seal], limit })
      const parsed = parseComment(rendered.text)
      const visible = visiblePlanDigest(parsed?.summary ?? '', parsed?.body ?? '')
      expect(rendered.level).toBe(level)
      expect(parsed?.record).toBe(`r.${visible.slice('sha256:'.length)}`)
      expect(rendered.text.length).toBeLessThanOrEqual(limit)
      // Measured once with a placeholder per completeness (the record says whether the whole plan is shown), then sealed once.
      const complete = level === 'full'
      expect(rendered.complete).toBe(complete)
      expect(seen).toEqual([...(complete ? [] : [`sha256:${'0'.repeat(64)}`]), `sha256:${'0'.repeat(64)}`, visible])
      expect(completeness).toEqual(complete ? [true, true] : [true, false, false])
      // Only a comment that does not show the whole plan says so, first in its signed body.
      expect(parsed?.body.startsWith(PARTIAL_REVIEW_NOTE)).toBe(!complete)
    }
  })

  test('refuses a record whose length depends on the digest: the layout was measured with another', () => {
    const uneven = (digest: string) => (digest.endsWith('0'.repeat(64)) ? 'short' : 'much-longer-record')
    expect(() => renderPlanComment(basicInput, { status, records: [uneven] })).toThrow(/changed length/)
  })

  test('falls back to the shorter record only when the complete one fits at no untruncated level', () => {
    const huge = 'H'.repeat(fullLength)
    const rendered = renderPlanComment(basicInput, { status, records: [fixed(huge), fixed('short')], limit: fullLength + 50 })
    expect(rendered).toMatchObject({ level: 'full', record: 'short' })
  })

  test('is never longer than the limit, and always parses', () => {
    for (let limit = 1500; limit <= 16_000; limit += 97) {
      for (const input of [basicInput, hostileInput]) {
        let text: string
        try {
          text = renderPlanComment(input, { status: planStatus(input), records: [fixed('abc')], limit }).text
        } catch (error) {
          // Only a limit too small for the heading, status and a notice may fail.
          expect(error).toBeInstanceOf(RangeError)
          expect(limit).toBeLessThan(2000)
          continue
        }
        expect(text.length).toBeLessThanOrEqual(limit)
        expect(parseComment(text)).not.toBeNull()
      }
    }
  })

  test('the CAUTION alert survives truncation, counting what it cannot list', () => {
    const deletions: SchemaDiff = {
      collections: Array.from({ length: 300 }, (_, index) => {
        const collection = `${'|'.repeat(150)}${index}`
        return { collection, diff: [{ kind: 'D' as const, lhs: { collection, schema: { name: collection } } }] }
      }),
      fields: [],
      systemFields: [],
      relations: []
    }
    const input = inputFor(deletions, 'h')
    const rendered = renderPlanComment(input, { status: planStatus(input), limit: 20_000 })
    expect(rendered.level).toBe('truncated')
    expect(rendered.text.length).toBeLessThanOrEqual(20_000)
    expect(rendered.text).toContain('> [!CAUTION]')
    expect(rendered.text).toMatch(/> - … and \d+ more destructive changes/)
    expect(rendered.text).toMatch(/\*\*\d+ of 300 changes not shown here\*\*/)
    expectIntactStructure(rendered.text, 1)
  })

  test('a truncated comment says how many changes are missing and where they are', () => {
    const text = renderPlanComment(basicInput, { status, limit: 3500 }).text
    expect(text).toMatch(/\*\*\d+ of 14 changes not shown here\*\*/)
    expect(text).toContain('job summary')
    expect(text).toContain('`diff-file`')
  })

  test('without the raw diff the body points to the job summary and the diff file', () => {
    const body = renderReportBody(basicInput, 'no-raw')
    expect(body).not.toContain('Raw diff as returned')
    expect(body).toContain('The raw diff is left out')
    expect(body).toContain('job summary')
  })

  test('the job summary does not point to itself', () => {
    const body = renderReportBody(basicInput, 'no-raw', { audience: 'job-summary' })
    expect(body).not.toContain('job summary')
    expect(body).toContain('<code>directus-schema-diff.json</code>')
  })
})

describe('large schema', () => {
  /** 400 new collections of 20 fields each, shaped like real Directus creates. */
  function createdSchema(collections: number, fieldsPerCollection: number): SchemaDiff {
    const names = Array.from({ length: collections }, (_, index) => `collection_${String(index).padStart(3, '0')}`)
    const fields: FieldDiff[] = names.flatMap((collection) =>
      Array.from({ length: fieldsPerCollection }, (_, index) => {
        const field = index === 0 ? 'id' : `field_${index}`
        return {
          collection,
          field,
          diff: [
            {
              kind: 'N' as const,
              rhs: {
                collection,
                field,
                type: index === 0 ? 'integer' : 'string',
                meta: {
                  collection,
                  field,
                  interface: 'input',
                  note: `Note for ${field}`,
                  sort: index + 1,
                  width: 'full',
                  hidden: false,
                  readonly: false,
                  required: false,
                  special: null,
                  options: null
                },
                schema: {
                  name: field,
                  table: collection,
                  data_type: index === 0 ? 'integer' : 'character varying',
                  max_length: index === 0 ? null : 255,
                  is_nullable: index !== 0,
                  is_unique: index === 0,
                  is_primary_key: index === 0,
                  has_auto_increment: index === 0,
                  default_value: null,
                  foreign_key_table: null,
                  foreign_key_column: null
                }
              }
            }
          ]
        }
      })
    )
    return {
      collections: names.map((collection) => ({
        collection,
        diff: [
          {
            kind: 'N' as const,
            rhs: {
              collection,
              meta: { collection, icon: 'box', note: null, hidden: false, singleton: false },
              schema: { name: collection }
            }
          }
        ]
      })),
      fields,
      systemFields: [],
      relations: []
    }
  }

  test('fits the comment limit, and the job summary keeps more detail', () => {
    const diff = createdSchema(400, 20)
    const input = inputFor(diff, 'h')
    const status = planStatus(input)

    const comment = renderPlanComment(input, { status })
    const summary = renderJobSummary(input, { status })

    expect(comment.text.length).toBeLessThanOrEqual(DEFAULT_COMMENT_LIMIT)
    expect(summary.text.length).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT)
    expect(comment.level).toBe('truncated')
    expect(parseComment(comment.text)).not.toBeNull()
    expect(comment.text).toMatch(/\*\*\d+ of 8400 changes not shown here\*\*/)

    const rowsInComment = tableRows(comment.text).length
    const rowsInSummary = tableRows(summary.text).length
    expect(rowsInComment).toBeGreaterThan(100)
    expect(rowsInSummary).toBeGreaterThan(rowsInComment)
  })
})

describe('what Directus will do, as the comment says it', () => {
  // Diffs live Directus answered (fixtures/apply-rules), read by the apply model, with counts as the count step fills them.
  const { diff, target, hash, update } = threeApplyRules('pg')
  const reading = readDiff(diff, { target, vendor: 'postgres' })
  const counts: Record<string, number> = { values: 1, longer: 3 }
  const changes = reading.changes.map((change) =>
    change.stakes ? { ...change, stakes: change.stakes.map((stake) => ({ ...stake, count: counts[stake.question.kind] ?? 0 })) } : change
  )
  const input = inputFor(diff, hash, {
    changes,
    skipped: reading.skipped,
    noise: [
      {
        rule: 'searchable',
        entity: 'field',
        items: ['sn_items.id', 'sn_items.title', 'sn_items.body'],
        words: ['3 fields: ', { code: 'meta.searchable' }, ' is unknown to the base’s Directus 11.7.2; the target keeps its value']
      }
    ]
  })
  const text = renderPlanComment(input, { status: planStatus(input) }).text

  test('golden', () => {
    expectGolden('plan-apply-rules.md', text)
  })

  test('the plain-words warning of a list Directus reads as a deletion, with what it drops', () => {
    expect(decodeEntities(text)).toContain(
      '> - ➖ field <code>dff_items.title</code>: drops the column and its data · 1 value is dropped **Directus will DELETE field <code>dff_items.title</code> and its data.** ' +
        'Its diff starts by removing <code>schema.is_indexed</code>, and Directus reads that as a field deletion. ' +
        'This usually means the base snapshot comes from another Directus version or was edited by hand.'
    )
    expect(text).toContain('| ➖ delete ⚠️ | field <code>title</code> |')
  })

  test('risky changes get their mark, their class, what the database does and the count', () => {
    expect(renderSummaryLine(input)).toContain('⚠️ 2 destructive · ⚡ 2 risky · ⏭️ 1 skipped')
    const risky = decodeEntities(text)
      .split('\n')
      .filter((line) => line.startsWith('> - ⚡'))
    expect(risky).toEqual([
      '> - ⚡ field <code>pu_posts.title</code>: **can fail or truncate:** shortens its max length 255 → 100 (PostgreSQL cuts longer values to the new length, silently)',
      '> - ⚡ relation <code>pu_posts.author -> pu_authors</code>: **changes what a delete does:** on delete SET NULL → CASCADE: deleting the related row deletes these rows'
    ])
    // PostgreSQL cuts the values (seen live), so there the shorter length drops data: destructive, with its count.
    expect(decodeEntities(text)).toContain(
      '> - ✏️ field <code>pu_posts.title</code>: cuts values longer than 100 characters · 3 values are cut to 100 characters'
    )
  })

  test('on SQLite the shorter length keeps the values: risky only, with its count', () => {
    const sqlite = readDiff(update.data.diff, { vendor: 'sqlite' })
    const counted = sqlite.changes.map((change) =>
      change.stakes ? { ...change, stakes: change.stakes.map((stake) => ({ ...stake, count: 3 })) } : change
    )
    const sqliteInput = inputFor(update.data.diff, update.data.hash, { changes: counted, target: { version: '12.4.0', vendor: 'sqlite' } })
    const body = decodeEntities(renderPlanComment(sqliteInput, { status: planStatus(sqliteInput) }).text)
    expect(body).not.toContain('[!CAUTION]')
    expect(body).toContain(
      '> - ⚡ field <code>pu_posts.title</code>: **can fail or truncate:** shortens its max length 255 → 100 (SQLite enforces no length: longer values stay as they are) · 3 values are longer than 100 characters; SQLite keeps them as they are'
    )
    expect(planStatus(sqliteInput).text).toContain('2 risky changes are marked ⚡ below; they do not block the apply.')
  })

  test('skipped items and version noise are notes, never planned changes', () => {
    expect(decodeEntities(text)).toContain(
      '> - ⏭️ collection <code>mgf_folder</code>: Directus does not create it, because its folder <code>mgf_ghost</code> neither exists on the target nor is created by this plan.'
    )
    expect(text).not.toMatch(/\| .* \| collection <code>mgf/)
    expect(decodeEntities(text)).toContain(
      '> - 3 fields: <code>meta.searchable</code> is unknown to the base’s Directus 11.7.2; the target keeps its value.'
    )
  })

  test('a change that cannot succeed: the status says apply refuses the plan', () => {
    const failing = applyRulesFixture('n-first-partial-field.12.4.0.sqlite')
    const failingReading = readDiff(failing.data.diff, { target: targetBefore(failing) })
    const failingInput = inputFor(failing.data.diff, failing.data.hash, { changes: failingReading.changes })
    const status = planStatus(failingInput)
    expect(status.text).toMatch(/^❌ \*\*This plan cannot be applied:\*\* 1 change cannot succeed/)
    const body = decodeEntities(renderPlanComment(failingInput, { status }).text)
    expect(body).toContain(
      '> - ❌ field <code>nff_items.title</code>: its diff starts by adding <code>schema.is_indexed</code>, and Directus reads that as creating the whole field'
    )
    expect(body).toContain('| ➕ create ❌ | field <code>title</code> | **cannot succeed:**')
  })

  test('a folder is shown as a folder', () => {
    const created = applyRulesFixture('plain-create.12.4.0.sqlite')
    const createdInput = inputFor(created.data.diff, created.data.hash, { changes: readDiff(created.data.diff).changes })
    const body = renderPlanComment(createdInput, { status: planStatus(createdInput) }).text
    expect(body).toContain('#### ➕ <code>pc&#95;folder</code> — new folder · 1 change')
    expect(body).toContain('| ➕ create | collection | folder (no table) |')
  })
})

describe('a plan with configuration (issue #11)', () => {
  const config = fixturePlan(configState('base'), configState('target'), {
    parts: ['access', 'flows', 'dashboards', 'presets', 'translations', 'settings', 'folders'],
    mode: 'mirror'
  })

  test('shows the whole plan while its configuration sections fit whole', () => {
    const input = inputFor(null, null, { config })
    const rendered = renderPlanComment(input, { status: planStatus(input) })
    expect(rendered.complete).toBe(true)
    expect(parseComment(rendered.text)?.body.startsWith(PARTIAL_REVIEW_NOTE)).toBe(false)
  })

  test('says it is not the whole plan, and seals it so, once configuration rows are cut', () => {
    // 400 new translations: more than the configuration's share of the comment at the full level.
    const operations: ConfigOperation[] = Array.from({ length: 400 }, (_, index) => ({
      kind: 'create',
      collection: 'translations',
      key: `t-${index}`,
      label: `translation fr-FR · key_${index}`,
      values: { id: `t-${index}`, language: 'fr-FR', key: `key_${index}`, value: 'x'.repeat(100) },
      changes: []
    }))
    const large: ConfigPlan = { ...config, batches: [...config.batches, { collection: 'translations', kind: 'create', operations }] }
    const input = inputFor(null, null, { config: large })
    const rendered = renderPlanComment(input, { status: planStatus(input) })
    expect(rendered.complete).toBe(false)
    expect(parseComment(rendered.text)?.body.startsWith(PARTIAL_REVIEW_NOTE)).toBe(true)
    expect(rendered.text).toMatch(/\d+ of \d+ configuration changes not shown here/)
  })
})
