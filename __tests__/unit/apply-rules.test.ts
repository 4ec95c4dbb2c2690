/**
 * The apply model against what Directus did. Every fixture in
 * __tests__/fixtures/apply-rules/ holds a diff sent to live Directus 12.4.0 or
 * 11.17.4 (SQLite, PostgreSQL), the target's state before and after, and the
 * answer. The model's outcome for each item must match what happened to it;
 * the table then names every rule of docs/directus-apply-rules.md with the
 * fixtures that prove it, for both versions.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { applyRules, needsTargetView, TargetViewNeeded, type ItemRule, type TargetView } from '../../src/core/plan/apply-rules.js'
import { readDiff } from '../../src/core/plan/changes.js'
import type { SchemaDiff } from '../../src/directus/types.js'
import { targetBefore } from './helpers/fixtures.js'

const DIR = join(import.meta.dirname, '..', 'fixtures', 'apply-rules')

interface State {
  collections: Record<string, { table: boolean; fields: Record<string, { type: string }> }>
  relations: Record<string, { related_collection: string | null; meta: boolean; foreign_key: boolean }>
  system: Record<string, Record<string, unknown>>
}

interface Fixture {
  file: string
  scenario: string
  directus: string
  db: string
  synthetic: boolean
  data: { hash: string; diff: SchemaDiff }
  applied?: { hash: string; diff: SchemaDiff }
  apply: { status: number }
  before: State
  after: State
  extra?: Record<string, unknown>
}

const FIXTURES: Fixture[] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json') && !file.startsWith('count-queries'))
  .map((file) => ({ file, ...(JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Omit<Fixture, 'file'>) }))

function fixture(scenario: string, directus: string, db = 'sqlite'): Fixture {
  const found = FIXTURES.find((candidate) => candidate.scenario === scenario && candidate.directus === directus && candidate.db === db)
  if (!found) throw new Error(`no fixture ${scenario}.${directus}.${db}`)
  return found
}

/** The target as Directus saw it before the apply: what the model may know of it. */
function viewOf(state: State): TargetView {
  return targetBefore({ data: { hash: '', diff: { collections: [], fields: [], relations: [] } }, before: state })
}

function vendorOf(db: string): string {
  return db.endsWith('pg') ? 'postgres' : 'sqlite'
}

/** The diff that was sent: the trimmed one when the capture trimmed Directus' answer. */
function sentDiff(captured: Fixture): SchemaDiff {
  return (captured.applied ?? captured.data).diff
}

function rulesOf(captured: Fixture, diff = sentDiff(captured)): ItemRule[] {
  return applyRules(diff, { target: viewOf(captured.before), vendor: vendorOf(captured.db) })
}

function label(rule: ItemRule): string {
  return `${rule.list} ${rule.collection}${rule.field !== undefined ? `.${rule.field}` : ''}`
}

type Observed = 'created' | 'deleted' | 'present' | 'absent'

/** What happened to the item, read from the captured states. */
function observed(rule: ItemRule, captured: Fixture): Observed {
  const had = exists(rule, captured.before)
  const has = exists(rule, captured.after)
  return had ? (has ? 'present' : 'deleted') : has ? 'created' : 'absent'
}

function exists(rule: ItemRule, state: State): boolean {
  switch (rule.entity) {
    case 'collection':
      return rule.collection in state.collections
    case 'field':
      return rule.field !== undefined && rule.field in (state.collections[rule.collection]?.fields ?? {})
    case 'systemField':
      return `${rule.collection}.${rule.field ?? ''}` in state.system
    case 'relation':
      // On SQLite a deleted relation keeps its foreign key: the directus_relations row is what Directus manages.
      return state.relations[`${rule.collection}.${rule.field ?? ''}`]?.meta === true
  }
}

describe('every captured apply agrees with the model', () => {
  it.each(FIXTURES.map((captured) => [captured.file, captured] as const))('%s', (_file, captured) => {
    const rules = rulesOf(captured)
    const failing = rules.filter((rule) => rule.outcome.kind === 'fail')
    if (captured.apply.status !== 204) {
      // One transaction: a failed apply changes nothing, and the model must have seen it coming.
      expect(failing.map(label)).not.toEqual([])
      expect(captured.after).toEqual(captured.before)
      return
    }
    for (const rule of rules) {
      const seen = observed(rule, captured)
      switch (rule.outcome.kind) {
        case 'create':
          expect([label(rule), seen]).toEqual([label(rule), 'created'])
          break
        case 'delete':
          expect([label(rule), seen]).toEqual([label(rule), 'deleted'])
          break
        case 'update':
          expect([label(rule), seen]).toEqual([label(rule), 'present'])
          break
        case 'skip':
          expect([label(rule), seen === 'present' || seen === 'absent']).toEqual([label(rule), true])
          break
        case 'fail':
          // Accepted with 204, yet not what the entries describe: the broken relation of a partial rhs.
          expect([label(rule), seen]).toEqual([label(rule), 'created'])
          expect(captured.after.relations[`${rule.collection}.${rule.field ?? ''}`]?.related_collection).toBeNull()
          break
      }
    }
  })
})

type Expected = 'create' | 'update' | 'delete' | 'skip' | 'fail'

interface Row {
  rule: string
  scenario: string
  item: string
  outcome: Expected
  versions?: readonly string[]
  db?: string
  /** The list's first entry decides something other than the entries say. */
  misread?: boolean
}

const BOTH = ['12.4.0', '11.17.4'] as const

/** The rules of docs/directus-apply-rules.md, section 1, with the captured applies that prove them. */
const TABLE: Row[] = [
  { rule: 'collection, N with a whole rhs: creates', scenario: 'plain-create', item: 'collections pc_folder', outcome: 'create' },
  {
    rule: 'collection, N in a new folder: created after the folder',
    scenario: 'plain-create',
    item: 'collections pc_new',
    outcome: 'create'
  },
  {
    rule: 'collection, N with a null rhs (a 12.x base on 11.x): fails',
    scenario: 'n-first-partial-cross-version',
    item: 'collections xv_items',
    outcome: 'fail',
    versions: ['11.17.4'],
    misread: true
  },
  {
    rule: 'collection, N with a path: fails',
    scenario: 'n-first-partial-collection',
    item: 'collections nfc_items',
    outcome: 'fail',
    misread: true
  },
  { rule: 'collection, D without a path: deletes', scenario: 'plain-delete', item: 'collections pd_tags', outcome: 'delete' },
  {
    rule: 'collection, D meta.note (11.x diff): deletes',
    scenario: 'collection-meta-key-removed',
    item: 'collections cmk_notes',
    outcome: 'delete',
    versions: ['11.17.4'],
    misread: true
  },
  {
    rule: 'collection, E meta (12.x diff of the same edit): updates',
    scenario: 'collection-meta-key-removed',
    item: 'collections cmk_notes',
    outcome: 'update',
    versions: ['12.4.0']
  },
  {
    rule: 'collection, D schema (merge mode keeps it): deletes',
    scenario: 'collection-schema-removed',
    item: 'collections csr_items',
    outcome: 'delete',
    misread: true
  },
  { rule: 'collection, E: updates', scenario: 'plain-update', item: 'collections pu_posts', outcome: 'update' },
  {
    rule: 'collection, E for a collection the target lacks: skipped',
    scenario: 'e-first-missing-item',
    item: 'collections em_ghost',
    outcome: 'skip',
    misread: true
  },
  {
    rule: 'collection, new folder in a missing folder: skipped',
    scenario: 'missing-group-folder',
    item: 'collections mgf_folder',
    outcome: 'skip',
    misread: true
  },
  {
    rule: 'collection, new table in a missing folder: fails',
    scenario: 'missing-group-table',
    item: 'collections mgt_child',
    outcome: 'fail',
    misread: true
  },
  {
    rule: 'field of a table that is not created: fails',
    scenario: 'missing-group-table',
    item: 'fields mgt_child.name',
    outcome: 'fail',
    misread: true
  },
  { rule: 'field, N of a new collection: created with it', scenario: 'plain-create', item: 'fields pc_new.name', outcome: 'create' },
  { rule: 'field, N with a whole rhs: creates', scenario: 'plain-create', item: 'fields pc_existing.new_ref', outcome: 'create' },
  {
    rule: 'field, N with a path: fails',
    scenario: 'n-first-partial-field',
    item: 'fields nff_items.title',
    outcome: 'fail',
    misread: true
  },
  { rule: 'field, D without a path: deletes', scenario: 'plain-delete', item: 'fields pd_posts.title', outcome: 'delete' },
  {
    rule: 'field, D schema.is_indexed: deletes',
    scenario: 'd-first-field',
    item: 'fields dff_items.title',
    outcome: 'delete',
    misread: true
  },
  {
    rule: 'field, D schema.is_indexed on PostgreSQL: deletes',
    scenario: 'd-first-field',
    item: 'fields dff_items.title',
    outcome: 'delete',
    db: 'pg',
    misread: true
  },
  {
    rule: 'field, D schema.is_indexed in merge mode: deletes',
    scenario: 'd-first-field-merge',
    item: 'fields dfm_items.title',
    outcome: 'delete',
    misread: true
  },
  {
    rule: 'field, D without a path (11.x ignores merge mode): deletes',
    scenario: 'd-first-field-merge',
    item: 'fields dfm_items.extra',
    outcome: 'delete',
    versions: ['11.17.4']
  },
  {
    rule: 'field, D meta (a path of one, 11.x diff): deletes',
    scenario: 'field-meta-removed',
    item: 'fields fmr_items.title',
    outcome: 'delete',
    versions: ['11.17.4'],
    misread: true
  },
  {
    rule: 'field, E meta without an rhs (12.x diff of the same edit): refused',
    scenario: 'field-meta-removed',
    item: 'fields fmr_items.title',
    outcome: 'fail',
    versions: ['12.4.0'],
    misread: true
  },
  { rule: 'field, E: updates', scenario: 'plain-update', item: 'fields pu_posts.title', outcome: 'update' },
  {
    rule: 'field, N meta.foo (nested meta, 11.x diff): updates',
    scenario: 'field-meta-key-added',
    item: 'fields fmk_items.title',
    outcome: 'update',
    versions: ['11.17.4']
  },
  {
    rule: 'field, E for a field the target lacks: skipped',
    scenario: 'e-first-missing-item',
    item: 'fields em_items.ghost',
    outcome: 'skip',
    misread: true
  },
  {
    rule: 'relation of a deleted field, E list: deleted with the field',
    scenario: 'field-d-first-with-relation-edit',
    item: 'relations fde_posts.author',
    outcome: 'delete',
    misread: true
  },
  {
    rule: 'relation of a deleted field, D list: deleted with the field',
    scenario: 'field-delete-with-relation',
    item: 'relations fdr_posts.author',
    outcome: 'delete'
  },
  {
    rule: 'systemField, E: replays every entry',
    scenario: 'system-fields-extra-entries',
    item: 'systemFields directus_users.title',
    outcome: 'update'
  },
  {
    rule: 'systemField, N: skipped',
    scenario: 'system-fields-extra-entries',
    item: 'systemFields directus_users.description',
    outcome: 'skip',
    misread: true
  },
  {
    rule: 'systemField, D: skipped',
    scenario: 'system-fields-extra-entries',
    item: 'systemFields directus_users.tags',
    outcome: 'skip',
    misread: true
  },
  {
    rule: 'systemField, E without systemFields in the base: drops the index',
    scenario: 'system-fields-missing',
    item: 'systemFields directus_revisions.parent',
    outcome: 'update'
  },
  { rule: 'relation, N with a whole rhs: creates', scenario: 'plain-create', item: 'relations pc_existing.new_ref', outcome: 'create' },
  {
    rule: 'relation, N with a path: creates a broken relation',
    scenario: 'n-first-partial-relation',
    item: 'relations nfr_items.title',
    outcome: 'fail',
    misread: true
  },
  { rule: 'relation, D without a path: deletes', scenario: 'plain-delete', item: 'relations pd_posts.author', outcome: 'delete' },
  {
    rule: 'relation, D schema.on_delete: deletes',
    scenario: 'd-first-relation',
    item: 'relations dfr_posts.author',
    outcome: 'delete',
    misread: true
  },
  {
    rule: 'relation, D schema.on_delete on PostgreSQL: deletes',
    scenario: 'd-first-relation',
    item: 'relations dfr_posts.author',
    outcome: 'delete',
    db: 'pg',
    misread: true
  },
  {
    rule: 'relation, D meta.sort_field (11.x diff): deletes',
    scenario: 'relation-meta-key-removed',
    item: 'relations rmk_posts.author',
    outcome: 'delete',
    versions: ['11.17.4'],
    misread: true
  },
  {
    rule: 'relation, E meta (12.x diff of the same edit): updates',
    scenario: 'relation-meta-key-removed',
    item: 'relations rmk_posts.author',
    outcome: 'update',
    versions: ['12.4.0']
  },
  { rule: 'relation, E: updates', scenario: 'plain-update', item: 'relations pu_posts.author', outcome: 'update' },
  {
    rule: 'relation, E for a relation the target lacks: skipped',
    scenario: 'e-first-missing-item',
    item: 'relations em_items.title',
    outcome: 'skip',
    misread: true
  },
  {
    rule: 'relation to a deleted collection, field kept, SQLite: deleted',
    scenario: 'delete-collection-with-incoming-relation',
    item: 'relations dci_posts.author',
    outcome: 'delete'
  },
  {
    rule: 'relation to a deleted collection, field kept, PostgreSQL: fails',
    scenario: 'delete-collection-with-incoming-relation',
    item: 'relations dci_posts.author',
    outcome: 'fail',
    db: 'pg',
    misread: true
  },
  {
    rule: 'relation to a deleted collection, field deleted too, PostgreSQL: deleted',
    scenario: 'delete-collection-as-the-app-does',
    item: 'relations dca_posts.author',
    outcome: 'delete',
    db: 'pg'
  }
]

describe('the rules, captured from Directus 12.4.0 and 11.17.4', () => {
  const cases = TABLE.flatMap((row) =>
    (row.versions ?? BOTH).map((version) => [`${row.rule} (${version}, ${row.db ?? 'sqlite'})`, row, version] as const)
  )

  it.each(cases)('%s', (_name, row, version) => {
    const captured = fixture(row.scenario, version, row.db)
    const rule = rulesOf(captured).find((candidate) => label(candidate) === row.item)
    expect(rule).toBeDefined()
    expect(rule?.outcome.kind).toBe(row.outcome)
    expect(rule?.because !== undefined).toBe(row.misread === true)
  })

  it('covers every row of the issue’s table, for both versions', () => {
    for (const version of BOTH) {
      for (const entity of ['collection', 'field', 'relation']) {
        for (const first of ['N', 'D', 'E']) {
          const covered = TABLE.some((row) => row.rule.startsWith(`${entity}, ${first}`) && (row.versions ?? BOTH).includes(version))
          expect([entity, first, version, covered]).toEqual([entity, first, version, true])
        }
      }
    }
  })
})

describe('rules no capture shows', () => {
  // 12.4.0 folds a nested meta change into E ["meta"], so only 11.x emits a nested-meta-first list; applyDiff
  // is the same in both versions (apply-diff.js:124, 138, 153), so the 11.17.4 capture holds for 12.4.0.
  it('a nested-meta D first (12.4.0 would never send it) updates the field', () => {
    const captured = fixture('plain-update', '12.4.0')
    const diff: SchemaDiff = {
      collections: [],
      fields: [{ collection: 'pu_posts', field: 'title', diff: [{ kind: 'D', path: ['meta', 'note'], lhs: 'old' }] }],
      systemFields: [],
      relations: []
    }
    expect(rulesOf(captured, diff).map((rule) => rule.outcome.kind)).toEqual(['update'])
  })

  it('an A-first list updates, for a collection, a field and a relation', () => {
    const captured = fixture('plain-update', '12.4.0')
    const entry = { kind: 'A' as const, path: ['meta', 'translations'], index: 0, item: { kind: 'N' as const, rhs: { language: 'de-DE' } } }
    const diff: SchemaDiff = {
      collections: [{ collection: 'pu_posts', diff: [entry] }],
      fields: [{ collection: 'pu_posts', field: 'title', diff: [entry] }],
      systemFields: [],
      relations: [{ collection: 'pu_posts', field: 'author', related_collection: 'pu_authors', diff: [entry] }]
    }
    expect(rulesOf(captured, diff).map((rule) => rule.outcome.kind)).toEqual(['update', 'update', 'update'])
  })

  it('a relation list with an N survives its field’s delete and is applied', () => {
    const captured = fixture('field-delete-with-relation', '12.4.0')
    const diff: SchemaDiff = {
      ...captured.data.diff,
      relations: captured.data.diff.relations.map((relation) => ({ ...relation, diff: [{ kind: 'N', rhs: { collection: 'x' } }] }))
    }
    expect(rulesOf(captured, diff).find((rule) => rule.list === 'relations')?.outcome.kind).toBe('create')
  })

  it('new collections whose folders contain each other are not created', () => {
    const folder = (name: string, group: string) => ({
      collection: name,
      diff: [{ kind: 'N' as const, rhs: { collection: name, meta: { group }, schema: null } }]
    })
    const rules = applyRules(
      { collections: [folder('a', 'b'), folder('b', 'a')], fields: [], systemFields: [], relations: [] },
      { target: viewOf(fixture('plain-create', '12.4.0').before) }
    )
    expect(rules.map((rule) => rule.outcome.kind)).toEqual(['skip', 'skip'])
  })
})

describe('what the model needs to know of the target', () => {
  it('asks for the target only for a folder it cannot see, or a delete by a property outside schema', () => {
    expect(needsTargetView(fixture('missing-group-folder', '12.4.0').data.diff)).toBe(true)
    expect(needsTargetView(fixture('collection-meta-key-removed', '11.17.4').data.diff)).toBe(true)
    expect(needsTargetView(fixture('plain-create', '12.4.0').data.diff)).toBe(false)
    expect(needsTargetView(fixture('d-first-field', '12.4.0').data.diff)).toBe(false)
    expect(needsTargetView(fixture('plain-delete', '11.17.4').data.diff)).toBe(false)
  })

  it('refuses to guess without it', () => {
    expect(() => applyRules(fixture('missing-group-folder', '12.4.0').data.diff)).toThrow(TargetViewNeeded)
  })

  it('reads a delete by a schema property as a column without the target', () => {
    const [rule] = applyRules(fixture('d-first-field', '11.17.4').data.diff)
    expect(rule?.holdsData).toBe(true)
  })

  it('tells a deleted folder from a deleted table only with the target', () => {
    const captured = fixture('collection-meta-key-removed', '11.17.4')
    const asFolder: TargetView = { ...viewOf(captured.before), collections: new Map([['cmk_notes', { folder: true }]]) }
    expect(applyRules(captured.data.diff, { target: viewOf(captured.before) })[0]?.holdsData).toBe(true)
    expect(applyRules(captured.data.diff, { target: asFolder })[0]?.holdsData).toBe(false)
  })
})

describe('the plain-words warning', () => {
  it('says the field is deleted with its data, why, and what it usually means', () => {
    const captured = fixture('d-first-field', '12.4.0')
    const { changes } = readDiff(captured.data.diff, { target: viewOf(captured.before), vendor: 'sqlite' })
    expect(changes).toHaveLength(1)
    const [change] = changes
    expect(change).toMatchObject({ action: 'delete', destructive: true, destructiveReason: 'drops the column and its data' })
    expect(change?.warning?.headline).toEqual(['Directus will DELETE ', 'field ', { code: 'dff_items.title' }, ' and its data.'])
    expect(change?.warning?.detail).toEqual([
      'Its diff starts by removing ',
      { code: 'schema.is_indexed' },
      ', and Directus reads that as a field deletion',
      '.',
      ' This usually means the base snapshot comes from another Directus version or was edited by hand.'
    ])
    expect(change?.stakes).toEqual([{ question: { kind: 'values' } }])
  })

  it('says a collection is deleted with all its rows (11.x, meta.note removed)', () => {
    const captured = fixture('collection-meta-key-removed', '11.17.4')
    const [change] = readDiff(captured.data.diff, { target: viewOf(captured.before) }).changes
    expect(change?.warning?.headline).toEqual(['Directus will DELETE ', 'collection ', { code: 'cmk_notes' }, ' and all its rows.'])
    expect(change?.stakes).toEqual([{ question: { kind: 'rows' } }])
  })

  it('lists a skipped item as skipped, never as a change', () => {
    const captured = fixture('missing-group-folder', '11.17.4')
    const reading = readDiff(captured.data.diff, { target: viewOf(captured.before) })
    expect(reading.changes).toEqual([])
    expect(reading.skipped).toEqual([
      {
        entity: 'collection',
        collection: 'mgf_folder',
        why: [
          'Directus does not create it, because ',
          'its folder ',
          { code: 'mgf_ghost' },
          ' neither exists on the target nor is created by this plan'
        ]
      }
    ])
  })

  it('shows a failing change as what Directus attempts, with why it fails, and never as destructive', () => {
    const captured = fixture('n-first-partial-field', '12.4.0')
    const [change] = readDiff(captured.data.diff, { target: viewOf(captured.before) }).changes
    expect(change).toMatchObject({ action: 'create', destructive: false, risks: [] })
    expect(change?.failure?.[1]).toEqual({ code: 'schema.is_indexed' })
  })
})
