/**
 * The configuration sections (report/config-markdown.ts, report/config-terminal.ts) on plans built from
 * states captured on live 11.17.4 instances: golden files for the access matrix and the whole plan
 * (UPDATE_GOLDEN=1 rewrites them), the size budget, escaping, and the secret scan.
 */
import type { ConfigOperation, ConfigPlan, ConfigState } from '../../src/core/config/model.js'
import { operationsOf } from '../../src/core/config/model.js'
import { renderConfigSections, renderConfigSectionsAt } from '../../src/report/config-markdown.js'
import { configTerminalLines } from '../../src/report/config-terminal.js'
import { configState, fixturePlan } from './helpers/config-plan.js'
import { expectGolden } from './helpers/golden.js'
import { count, decodeEntities, outsideCode, outsideFences, pipeCount, tableRows } from './helpers/markup.js'

const base = configState('base')
const target = configState('target')
const accessPlan = fixturePlan(base, target, { parts: ['access'], mode: 'mirror' })
const allPlan = fixturePlan(base, target, {
  parts: ['access', 'flows', 'dashboards', 'presets', 'translations', 'settings', 'folders'],
  mode: 'mirror'
})
/** Every table's rows have as many cells as its head; only our tags; no comment; every '&' an escape; no mention. */
function expectIntactMarkdown(markdown: string): void {
  const markup = outsideFences(markdown)
  expect(markup).not.toContain('<!--')
  expect(count(markup, /<details>/)).toBe(count(markup, /<\/details>/))
  expect(count(markup, /<code>/)).toBe(count(markup, /<\/code>/))
  for (const match of markup.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g))
    expect(['details', 'summary', 'code', 'em', 'b', 'br']).toContain(match[1])
  const lines = markup.split('\n')
  lines.forEach((line, index) => {
    if (line.startsWith('|') && lines[index - 1]?.startsWith('|')) expect(pipeCount(line)).toBe(pipeCount(lines[index - 1] ?? ''))
  })
  expect(markup.replace(/&#\d+;/g, '')).not.toContain('&')
  expect(decodeEntities(outsideCode(markdown))).not.toMatch(/@[\p{L}\p{N}_]/u)
}

/** Records the plan changes: a record written twice (created, then linked) is one change; unlinks are steps of apply. */
const shownOperations = (plan: ConfigPlan) =>
  new Set(
    operationsOf(plan)
      .filter((operation) => operation.kind !== 'unlink')
      .map((operation, index) => (operation.key === undefined ? `#${index}` : `${operation.collection}:${String(operation.key)}`))
  ).size

describe('golden renderings', () => {
  it('access as a per-policy collection × action matrix', () => {
    expectGolden('config-access-matrix.md', renderConfigSections(accessPlan))
    expectGolden('config-access-matrix-terminal.txt', configTerminalLines(accessPlan).join('\n'))
  })

  it('every part, with the lockout and the limits stated first', () => {
    // The base takes admin access off the Administrator policy, which the identity apply runs as relies on.
    const demoted: ConfigState = {
      ...base,
      items: {
        ...base.items,
        policies: (base.items.policies ?? []).map((policy) =>
          policy['name'] === 'Administrator' ? { ...policy, admin_access: false } : policy
        )
      }
    }
    const adminRole = (target.items.roles ?? []).find((role) => role['name'] === 'Administrator')
    const planned = fixturePlan(demoted, target, {
      parts: ['access', 'flows', 'dashboards', 'presets', 'translations', 'settings', 'folders'],
      mode: 'mirror',
      identity: { user: 'the admin of the target', role: String(adminRole?.['id']), userPolicies: [] }
    })
    expect(planned.lockout).toContain('policy "Administrator"')
    const plan: ConfigPlan = {
      ...planned,
      limits: [
        {
          collection: 'permissions',
          text: 'the target runs Directus 12 without a licence: permissions with custom rules are hidden from the plan'
        }
      ]
    }
    expectGolden('config-plan-all.md', renderConfigSections(plan))
    expectGolden('config-plan-all-terminal.txt', configTerminalLines(plan).join('\n'))
  })

  it('a merge plan never deletes, so nothing is destructive', () => {
    const merge = fixturePlan(base, target, { parts: ['access'], mode: 'merge' })
    expect(operationsOf(merge).some((operation) => operation.kind === 'delete')).toBe(false)
    expectGolden('config-access-matrix-merge.md', renderConfigSections(merge))
  })
})

describe('what the access section says', () => {
  const markdown = renderConfigSections(accessPlan)
  const text = decodeEntities(markdown.replace(/<\/?code>/g, ''))

  it('has one table per policy with a column per action, every row complete', () => {
    const heads = tableRows(markdown).filter((row) => row.startsWith('| Collection'))
    const policies = new Set(
      operationsOf(accessPlan)
        .filter((operation) => operation.collection === 'permissions')
        .map((operation) => (operation.kind === 'create' ? operation.values['policy'] : operation.before?.['policy']))
    )
    expect(heads.length).toBe(policies.size)
    expect(text).toContain('policy Editors — updated')
    expect(text).toContain('| Collection | create | read | update | delete | share |')
  })

  it('marks the escalations and the destructive deletes', () => {
    expect(text).toMatch(/app_access.*false.*→.*true/)
    expect(text).toContain('⚡')
    expect(text).toContain('[!CAUTION]')
    expect(text).toContain('deletes the policy with its permissions and every link to roles and users')
  })

  it('keeps the structure intact', () => {
    expectIntactMarkdown(markdown)
    expectIntactMarkdown(renderConfigSections(allPlan))
  })
})

describe('the size budget', () => {
  const total = shownOperations(allPlan)

  it('collapses every section into <details>, with shorter values, before cutting anything', () => {
    const long = 'A translation long enough to be cut shorter in a collapsed section. '.repeat(4)
    const translations: ConfigOperation[] = ['fr-FR', 'it-IT', 'es-ES', 'nl-NL', 'pl-PL'].map((language) => ({
      kind: 'create',
      collection: 'translations',
      key: `t-${language}`,
      label: `translation ${language} · publish_hint`,
      values: { id: `t-${language}`, language, key: 'publish_hint', value: long },
      changes: []
    }))
    const withLong: ConfigPlan = {
      ...allPlan,
      batches: [...allPlan.batches, { collection: 'translations', kind: 'create', operations: translations }]
    }
    const full = renderConfigSectionsAt(withLong, 'full')
    const collapsed = renderConfigSectionsAt(withLong, 'collapsed')
    expect(collapsed.length).toBeLessThan(full.length)
    expect(renderConfigSections(withLong, { budget: full.length })).toBe(full)
    expect(renderConfigSections(withLong, { budget: collapsed.length })).toBe(collapsed)
    expect(collapsed).toContain('<details><summary>Access')
    expect(collapsed).not.toContain('not shown here')
    expect(renderConfigSections(withLong, { budget: collapsed.length - 1 }).length).toBeLessThan(collapsed.length)
  })

  it.each([1500, 3000, 6000])('cuts rows at %i characters and counts what it cut', (budget) => {
    const cut = renderConfigSections(allPlan, { budget, moreAt: 'the job summary of the workflow run' })
    expect(cut.length).toBeLessThanOrEqual(budget)
    const notice = /\*\*(\d+) of (\d+) configuration changes not shown here\*\*/.exec(cut)
    expect(notice).not.toBeNull()
    expect(Number(notice?.[2])).toBe(total)
    expect(Number(notice?.[1])).toBeGreaterThan(0)
    expect(cut).toContain('the job summary of the workflow run has them all')
    expect(cut.split('<details>').length).toBe(cut.split('</details>').length)
  })

  it('cuts the golden access matrix at 2500 characters (golden)', () => {
    const cut = renderConfigSections(accessPlan, { budget: 2500 })
    expect(cut.length).toBeLessThanOrEqual(2500)
    expectGolden('config-access-matrix-truncated.md', cut)
  })

  it('collapses a section with many rows even when there is room', () => {
    const collections = Array.from({ length: 45 }, (_, index) => `collection_${String(index).padStart(2, '0')}`)
    const many: ConfigOperation[] = collections.map((collection) => ({
      kind: 'create',
      collection: 'permissions',
      label: `permission "Editors" · ${collection} · read`,
      values: { policy: 'p1', collection, action: 'read', fields: ['*'], permissions: null },
      changes: []
    }))
    const plan: ConfigPlan = {
      ...accessPlan,
      batches: [{ collection: 'permissions', kind: 'create', operations: many }],
      risks: [],
      related: { policies: [{ id: 'p1', name: 'Editors' }] }
    }
    const rendered = renderConfigSections(plan, { budget: 1_000_000 })
    expect(rendered).toContain('<details><summary>Access — 45 changes</summary>')
    expect(rendered).not.toContain('not shown here')
    expect(tableRows(rendered).length).toBe(45 + 2)
  })

  it('shows more with more room', () => {
    const omitted = (budget: number) => Number(/\*\*(\d+) of/.exec(renderConfigSections(allPlan, { budget }))?.[1] ?? 0)
    expect(omitted(6000)).toBeLessThan(omitted(2000))
  })
})

describe('instance text is escaped', () => {
  it('a hostile policy name, collection and flow key stay inert', () => {
    const hostile = '<!-- x --> | @team #1 `code` \u202Eevil'
    const plan: ConfigPlan = {
      ...accessPlan,
      batches: [
        {
          collection: 'permissions',
          kind: 'create',
          operations: [
            {
              kind: 'create',
              collection: 'permissions',
              label: `permission ${hostile}`,
              values: {
                policy: 'p1',
                collection: hostile,
                action: 'read',
                fields: [hostile],
                permissions: { [hostile]: { _eq: hostile } }
              },
              changes: []
            }
          ]
        }
      ],
      related: { policies: [{ id: 'p1', name: hostile }] },
      risks: [{ kind: 'system-collection', subject: `permission ${hostile}`, text: hostile }],
      lockout: hostile,
      limits: [{ collection: 'permissions', text: hostile }]
    }
    const markdown = renderConfigSections(plan)
    expectIntactMarkdown(markdown)
    expect(outsideFences(markdown)).not.toContain('\u202E')
    expect(tableRows(markdown).every((row) => pipeCount(row) === 7)).toBe(true)
    const terminal = configTerminalLines(plan).join('\n')
    expect(terminal).not.toContain('\u202E')
    expect(terminal).toContain('\\u202E')
  })
})
