import { readDiff } from '../../src/core/plan/changes.js'
import { renderTerminalReport } from '../../src/report/terminal.js'
import { HOSTILE_COLLECTION, LONG, RTL_COLLECTION, hostileDiff, hostileWarnings } from '../fixtures/report/hostile.js'
import { reportFixture, reportInputFor, threeApplyRules } from './helpers/fixtures.js'
import { expectGolden } from './helpers/golden.js'

/** As the command line reports: its flag named. */
const inputFor = reportInputFor

const basic = reportFixture('basic-diff.json')
const basicInput = inputFor(basic.diff, basic.hash)
const SGR = /\u001b\[[0-9;]*m/g

describe('the terminal report', () => {
  it('tells the plan in plain lines (golden)', () => {
    expectGolden('terminal-plan.txt', renderTerminalReport(basicInput, { color: false }))
  })

  it('colours actions and destructive changes only when asked (golden)', () => {
    const coloured = renderTerminalReport(basicInput, { color: true })
    expectGolden('terminal-plan-color.txt', coloured)
    expect(coloured).toMatch(/\u001b\[32m\+ /)
    expect(coloured).toMatch(/\u001b\[1;31mCAUTION/)
    // The colours are the only difference.
    expect(coloured.replace(SGR, '')).toBe(renderTerminalReport(basicInput, { color: false }))
  })

  it('says plainly when nothing differs (golden)', () => {
    const text = renderTerminalReport(inputFor(null, null), { color: false })
    expectGolden('terminal-no-changes.txt', text)
    expect(text).toContain('No changes')
    expect(text).not.toContain('CAUTION')
  })

  it('shows a mismatch accepted with force as a warning, and what apply needs for destructive changes', () => {
    const text = renderTerminalReport(
      inputFor(basic.diff, basic.hash, {
        warnings: ['Version or vendor mismatch overridden with force: vendor sqlite does not match postgres']
      }),
      { color: false }
    )
    expect(text).toContain('Warning: Version or vendor mismatch overridden with force')
    expect(text).toContain('apply refuses them without --allow-destructive')
  })

  it('says what Directus will really do: the misread delete and its count, risks, skipped items and noise (golden)', () => {
    const { diff, target, hash } = threeApplyRules('sqlite')
    const reading = readDiff(diff, { target, vendor: 'sqlite' })
    const changes = reading.changes.map((change) =>
      change.stakes
        ? { ...change, stakes: change.stakes.map((stake) => ({ ...stake, count: stake.question.kind === 'values' ? 2 : 3 })) }
        : change
    )
    const input = inputFor(diff, hash, {
      changes,
      skipped: reading.skipped,
      target: { version: '12.4.0', vendor: 'sqlite' },
      noise: [
        {
          rule: 'constraint-name',
          entity: 'relation',
          items: ['a.b'],
          words: ['1 relation: ', { code: 'schema.constraint_name' }, ' differs']
        }
      ]
    })
    const text = renderTerminalReport(input, { color: false })
    expectGolden('terminal-apply-rules.txt', text)
    expect(text).toContain(
      '  - field dff_items.title: drops the column and its data · 2 values are dropped\n' +
        '    Directus will DELETE field `dff_items.title` and its data. Its diff starts by removing `schema.is_indexed`, and Directus reads that as a field deletion.'
    )
    expect(text).toContain(
      'can fail or truncate: shortens its max length 255 → 100 (SQLite enforces no length: longer values stay as they are) · 3 values are longer than 100 characters; SQLite keeps them as they are'
    )
    expect(text).toContain('Skipped by Directus: collection mgf_folder: Directus does not create it')
    expect(text).toContain('Left out of the diff: 1 relation: `schema.constraint_name` differs')
  })

  it('never lets schema text put a control or bidi character on the terminal', () => {
    const hostile = inputFor(hostileDiff, 'hash\u001b[2J', {
      targetName: 'prod\u001b]0;pwned\u0007',
      warnings: hostileWarnings,
      target: { version: '\u202E11.6.0', vendor: '\u001b[31msqlite', url: LONG }
    })
    for (const color of [false, true]) {
      const text = renderTerminalReport(hostile, { color })
      const withoutOurColours = text.replace(SGR, '')
      expect(withoutOurColours).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/)
      expect(text).toContain('\\u001B[2J')
      expect(text).toContain('\\u202E')
      expect(text).toContain(HOSTILE_COLLECTION)
      expect(text).toContain(RTL_COLLECTION.replace('\u202E', '\\u202E').replace('\u200B', '\\u200B'))
      // A 10,000-character name is cut, and says so.
      expect(text).not.toContain(LONG.slice(0, 201))
      expect(text).toMatch(/… \(\d+ more\)/)
    }
  })

  it('without colour has no escape sequence at all', () => {
    expect(renderTerminalReport(basicInput, { color: false })).not.toContain('\u001b')
  })
})
