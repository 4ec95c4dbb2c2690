import { describeChanges, formatPath, relationLabel, summarizeChanges, type Change } from '../../src/core/plan/changes.js'
import { destructiveReason, isDestructive } from '../../src/core/plan/destructive.js'
import type { SchemaDiff } from '../../src/directus/types.js'
import { reportFixture } from './helpers/fixtures.js'

const empty: SchemaDiff = { collections: [], fields: [], systemFields: [], relations: [] }

function only(diff: Partial<SchemaDiff>): Change {
  const changes = describeChanges({ ...empty, ...diff })
  expect(changes).toHaveLength(1)
  return changes[0] as Change
}

describe('describeChanges', () => {
  const { diff } = reportFixture('basic-diff.json')
  const changes = describeChanges(diff)

  test('orders by collection, then collection/field/system field/relation, then field', () => {
    expect(changes.map((c) => `${c.collection}:${c.entity}:${c.field ?? ''}:${c.action}`)).toEqual([
      'articles:collection::create',
      'articles:field:author:create',
      'articles:field:id:create',
      'articles:field:status:create',
      'articles:field:title:create',
      'articles:relation:author:create',
      'directus_users:systemField:email:update',
      'old_logs:collection::delete',
      'pages:collection::update',
      'pages:field:divider:delete',
      'pages:field:layout:update',
      'pages:field:summary:update',
      'pages:field:view_count:update',
      'pages:relation:legacy_author:delete'
    ])
  })

  test('does not depend on the order of the lists', () => {
    const reversed: SchemaDiff = {
      collections: [...diff.collections].reverse(),
      fields: [...diff.fields].reverse(),
      systemFields: [...(diff.systemFields ?? [])].reverse(),
      relations: [...diff.relations].reverse()
    }
    expect(describeChanges(reversed)).toEqual(changes)
  })

  test('a created item carries its whole definition and no edits', () => {
    const title = changes.find((c) => c.field === 'title')
    expect(title).toMatchObject({ entity: 'field', action: 'create', edits: [], destructive: false })
    expect(title?.definition).toMatchObject({ type: 'string', schema: { max_length: 255 } })
  })

  test('relations carry their related collection', () => {
    const author = changes.find((c) => c.entity === 'relation' && c.field === 'author')
    expect(author?.relatedCollection).toBe('directus_users')
  })

  test('array changes become indexed paths', () => {
    const layout = changes.find((c) => c.field === 'layout')
    expect(layout?.edits).toEqual([
      { path: 'meta.options.choices[2]', before: undefined, after: { text: 'Wide', value: 'wide' } },
      { path: 'meta.options.choices[1].text', before: 'Narrow', after: 'Compact' }
    ])
  })

  test("Directus' whole-meta edit is expanded to the leaves that differ", () => {
    const summary = changes.find((c) => c.field === 'summary')
    expect(summary?.edits).toEqual([
      { path: 'meta.note', before: 'Short teaser', after: 'Short teaser shown on cards' },
      { path: 'meta.options.placeholder', before: undefined, after: 'One or two sentences' }
    ])
  })

  test('a list that starts by adding or removing a meta property is an update, edit by edit', () => {
    const change = only({
      fields: [
        {
          collection: 'a',
          field: 'b',
          diff: [
            { kind: 'D', path: ['meta', 'note'], lhs: 'gone' },
            { kind: 'N', path: ['schema', 'is_unique'], rhs: true }
          ]
        }
      ]
    })
    expect(change.action).toBe('update')
    expect(change.warning).toBeUndefined()
    expect(change.edits).toEqual([
      { path: 'meta.note', before: 'gone', after: undefined },
      { path: 'schema.is_unique', before: undefined, after: true }
    ])
  })

  test('a list that starts by adding a schema property is what Directus reads as a whole new field: it cannot succeed', () => {
    const change = only({
      fields: [{ collection: 'a', field: 'b', diff: [{ kind: 'N', path: ['schema', 'is_unique'], rhs: true }] }]
    })
    expect(change.action).toBe('create')
    expect(change.failure).toBeDefined()
    expect(change.destructive).toBe(false)
  })

  test('an alias swap (delete + create of one field) lists the delete first', () => {
    const changesOfSwap = describeChanges({
      ...empty,
      fields: [
        { collection: 'a', field: 'f', diff: [{ kind: 'N', rhs: { type: 'alias', schema: null } }] },
        { collection: 'a', field: 'f', diff: [{ kind: 'D', lhs: { type: 'string', schema: { data_type: 'text' } } }] }
      ]
    })
    expect(changesOfSwap.map((c) => c.action)).toEqual(['delete', 'create'])
    expect(changesOfSwap[0]?.destructive).toBe(true)
  })

  test('a missing systemFields list (Directus 10) is fine', () => {
    const { systemFields: _ignored, ...withoutSystemFields } = diff
    expect(describeChanges(withoutSystemFields).some((c) => c.entity === 'systemField')).toBe(false)
  })
})

describe('destructive rule', () => {
  const { diff } = reportFixture('basic-diff.json')
  const changes = describeChanges(diff)
  const reasonOf = (collection: string, field?: string, entity?: Change['entity']): string | undefined =>
    changes.find((c) => c.collection === collection && c.field === field && (entity === undefined || c.entity === entity))
      ?.destructiveReason

  test('flags exactly the changes that drop data in the fixture', () => {
    expect(changes.filter((c) => c.destructive).map((c) => `${c.collection}.${c.field ?? '*'}`)).toEqual([
      'old_logs.*',
      'pages.view_count',
      'pages.legacy_author'
    ])
    expect(isDestructive(changes)).toBe(true)
    expect(isDestructive(changes.filter((c) => !c.destructive))).toBe(false)
  })

  test('names the reason', () => {
    expect(reasonOf('old_logs')).toBe('drops the collection and all its rows')
    expect(reasonOf('pages', 'view_count')).toBe('changes type string → integer; changes column type character varying → integer')
    expect(reasonOf('pages', 'legacy_author', 'relation')).toBe('removes the relation and its foreign key')
  })

  test('deleting an alias field or a folder loses nothing', () => {
    expect(reasonOf('pages', 'divider')).toBeUndefined()
    expect(destructiveReason('collection', 'delete', [], false)).toBeUndefined()
    expect(
      only({ collections: [{ collection: 'folder', diff: [{ kind: 'D', lhs: { collection: 'folder', meta: {}, schema: null } }] }] })
    ).toMatchObject({
      destructive: false,
      folder: true
    })
  })

  test('deleting without a known definition is assumed to drop data', () => {
    expect(destructiveReason('field', 'delete', [])).toBe('drops the column and its data')
    expect(destructiveReason('collection', 'delete', [], undefined)).toBe('drops the collection and all its rows')
  })

  test.each([
    [{ path: 'schema', before: { data_type: 'text' }, after: null }, 'drops the column (the field keeps no database column)'],
    [{ path: 'schema.numeric_scale', before: 5, after: 2 }, 'reduces numeric scale 5 → 2'],
    [{ path: 'type', before: 'string', after: 'text' }, 'changes type string → text']
  ])('field edit %j is destructive', (edit, reason) => {
    expect(destructiveReason('field', 'update', [edit])).toBe(reason)
  })

  test.each([
    [{ path: 'schema.max_length', before: 255, after: 100 }, 'cuts values longer than 100 characters'],
    [{ path: 'schema.max_length', before: null, after: 100 }, 'cuts values longer than 100 characters']
  ])('on PostgreSQL, which cuts longer strings, field edit %j is destructive', (edit, reason) => {
    expect(destructiveReason('field', 'update', [edit], undefined, 'postgres')).toBe(reason)
  })

  test.each([
    // SQLite keeps a value that no longer fits: a risk (risks.ts), not destructive.
    { path: 'schema.max_length', before: 255, after: 100 },
    { path: 'schema.max_length', before: null, after: 100 },
    { path: 'schema.numeric_precision', before: 10, after: 5 },
    { path: 'schema.max_length', before: 100, after: 255 },
    { path: 'schema.max_length', before: 100, after: null },
    { path: 'schema.is_nullable', before: true, after: false },
    { path: 'schema.is_unique', before: false, after: true },
    { path: 'schema.numeric_precision', before: null, after: 32 },
    { path: 'meta.note', before: 'a', after: 'b' },
    { path: 'schema.default_value', before: 'a', after: null }
  ])('on SQLite, field edit %j is not destructive', (edit) => {
    expect(destructiveReason('field', 'update', [edit], undefined, 'sqlite')).toBeUndefined()
  })

  test('a length that was unlimited only because the type changed is covered by the type change', () => {
    const reason = destructiveReason('field', 'update', [
      { path: 'type', before: 'integer', after: 'string' },
      { path: 'schema.max_length', before: null, after: 255 }
    ])
    expect(reason).toBe('changes type integer → string')
  })

  test('creates, system field index changes and relation updates never drop data', () => {
    expect(destructiveReason('collection', 'create', [])).toBeUndefined()
    expect(destructiveReason('systemField', 'update', [{ path: 'schema.is_indexed', before: true, after: false }])).toBeUndefined()
    expect(destructiveReason('relation', 'update', [{ path: 'schema.on_delete', before: 'SET NULL', after: 'CASCADE' }])).toBeUndefined()
  })
})

describe('summarizeChanges', () => {
  const change = (entity: Change['entity'], action: Change['action']): Change => ({
    entity,
    action,
    collection: 'c',
    edits: [],
    destructive: false,
    risks: []
  })

  test('counts per entity and action, singular and plural', () => {
    expect(
      summarizeChanges([
        change('collection', 'create'),
        ...Array.from({ length: 4 }, () => change('field', 'create')),
        change('field', 'update'),
        change('relation', 'delete')
      ])
    ).toBe('+1 collection, +4 fields, ~1 field, -1 relation')
    expect(summarizeChanges([change('systemField', 'update'), change('systemField', 'update')])).toBe('~2 system fields')
  })

  test("says 'no changes' when empty", () => {
    expect(summarizeChanges([])).toBe('no changes')
  })
})

describe('relationLabel and formatPath', () => {
  test('relation labels', () => {
    expect(relationLabel('articles', 'author', 'directus_users')).toBe('articles.author -> directus_users')
    expect(relationLabel('pages', 'item', null)).toBe('pages.item -> (any)')
    expect(relationLabel('pages', 'item', undefined)).toBe('pages.item -> (any)')
  })

  test('paths quote keys that are not plain identifiers', () => {
    expect(formatPath(['meta', 'options', 'choices', 2])).toBe('meta.options.choices[2]')
    expect(formatPath(['meta', 'translations', 'de-DE'])).toBe('meta.translations.de-DE')
    expect(formatPath(['meta', 'options', 'a.b c'])).toBe('meta.options["a.b c"]')
  })
})
