/**
 * The matcher (core/config/identity.ts) on states read from two live 12.4.0 instances seeded independently:
 * the match table is a golden file a person can review.
 */
import { AmbiguousMatchError, labelOf, matchConfig, type MatchTable } from '../../src/core/config/identity.js'
import { CONFIG_COLLECTIONS, type ConfigState } from '../../src/core/config/model.js'
import { configState } from './helpers/config-states.js'
import { expectGolden } from './helpers/golden.js'

const base = configState('base-12.4.0')
const target = configState('target-12.4.0')

function render(table: MatchTable, baseState: ConfigState, targetState: ConfigState): string {
  const lines: string[] = []
  for (const collection of CONFIG_COLLECTIONS) {
    const matches = table.matches[collection]
    if (!matches) continue
    lines.push(collection)
    for (const match of matches) {
      const how = match.target ? `${match.matchedBy} → target ${String(match.target['id'] ?? '(singleton)')}` : 'no match: create'
      lines.push(`  ${labelOf(collection, match.base, baseState)} [base ${String(match.base['id'] ?? '(singleton)')}]: ${how}`)
    }
    for (const item of table.unmatched[collection] ?? [])
      lines.push(`  target only: ${labelOf(collection, item, targetState)} [${String(item['id'])}]`)
  }
  return lines.join('\n')
}

describe('the configuration matcher', () => {
  it('matches by key, then by natural keys with references mapped (golden)', () => {
    expectGolden('config-match.txt', render(matchConfig(base, target, CONFIG_COLLECTIONS), base, target))
  })

  it('maps every base key to the target key it matched, or keeps it for a create', () => {
    const table = matchConfig(base, target, CONFIG_COLLECTIONS)
    const editorsBase = base.items.policies?.find((item) => item['name'] === 'Editors')?.['id']
    const editorsTarget = target.items.policies?.find((item) => item['name'] === 'Editors')?.['id']
    expect(editorsBase).not.toBe(editorsTarget)
    expect(table.keys.policies?.get(editorsBase as string)).toBe(editorsTarget)
    const auditors = base.items.policies?.find((item) => item['name'] === 'Auditors')?.['id']
    expect(table.keys.policies?.get(auditors as string)).toBe(auditors)
  })

  it('refuses two candidates for one record, naming both', () => {
    const editors = target.items.policies?.find((item) => item['name'] === 'Editors')
    const twice: ConfigState = {
      ...target,
      items: { ...target.items, policies: [...(target.items.policies ?? []), { ...editors, id: '00000000-0000-4000-8000-000000000001' }] }
    }
    expect(() => matchConfig(base, twice, CONFIG_COLLECTIONS)).toThrow(AmbiguousMatchError)
    expect(() => matchConfig(base, twice, CONFIG_COLLECTIONS)).toThrow(
      new RegExp(
        `target policy "Editors" \\(${String(editors?.['id'])}\\) and target policy "Editors" \\(00000000-0000-4000-8000-000000000001\\)`
      )
    )
  })

  it('refuses two base records that would take the same target record', () => {
    const translation = base.items.translations?.find((item) => item['language'] === 'en-US')
    const twice: ConfigState = {
      ...base,
      items: {
        ...base.items,
        translations: [...(base.items.translations ?? []), { ...translation, id: '00000000-0000-4000-8000-000000000002' }]
      }
    }
    expect(() => matchConfig(twice, target, ['translations'])).toThrow(
      /base translation en-US · greeting .* and base translation en-US · greeting/
    )
  })

  it('matches a record created by promotion by its key, whatever its name', () => {
    const renamed: ConfigState = {
      ...target,
      items: { ...target.items, dashboards: (base.items.dashboards ?? []).map((item) => ({ ...item, name: 'Renamed' })) }
    }
    const table = matchConfig(base, renamed, ['dashboards'])
    expect(table.matches.dashboards?.map((match) => match.matchedBy)).toEqual(['key'])
  })
})
