/**
 * The risk classes besides "destructive", and what they count: on the
 * captured plain update (max_length 255 → 100, on_delete SET NULL → CASCADE)
 * and on the edits each class names.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readDiff, type Change } from '../../src/core/plan/changes.js'
import type { PropertyEdit } from '../../src/core/plan/edits.js'
import { lengthOnTarget, numberOnTarget, risksOf, type Risk } from '../../src/core/plan/risks.js'
import { plainWords } from '../../src/core/plan/words.js'
import type { SchemaDiff } from '../../src/directus/types.js'

const plainUpdate = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'apply-rules', 'plain-update.12.4.0.sqlite.json'), 'utf8')
) as { data: { diff: SchemaDiff } }

function fieldUpdate(...edits: PropertyEdit[]): Risk[] {
  return risksOf({ entity: 'field', action: 'update', collection: 'c', field: 'f', edits }, 'postgres', new Set())
}

function summary(risks: Risk[]): string[] {
  return risks.map((risk) => `${risk.class}: ${plainWords(risk.what)}${risk.stake ? ` [${risk.stake.kind}]` : ''}`)
}

describe('the captured plain update', () => {
  const changes = readDiff(plainUpdate.data.diff, { vendor: 'sqlite' }).changes
  const of = (entity: Change['entity']) => changes.find((change) => change.entity === entity)

  it('a shorter max_length can fail or truncate, counts the longer values, and is not destructive', () => {
    const title = of('field')
    expect(title?.destructive).toBe(false)
    expect(summary(title?.risks ?? [])).toEqual(['fails-or-truncates: shortens its max length 255 → 100 [longer]'])
    expect(title?.risks[0]?.onTarget).toBe('SQLite enforces no length: longer values stay as they are')
    expect(title?.stakes).toEqual([{ question: { kind: 'longer', limit: 100 } }])
  })

  it('on_delete becoming CASCADE changes what a delete does', () => {
    expect(summary(of('relation')?.risks ?? [])).toEqual([
      'changes-delete: on delete SET NULL → CASCADE: deleting the related row deletes these rows'
    ])
  })

  it('a collection note is no risk', () => {
    expect(of('collection')?.risks).toEqual([])
  })
})

describe('may fail on existing rows', () => {
  it.each([
    [{ path: 'schema.is_nullable', before: true, after: false }, 'fails-on-existing-rows: adds NOT NULL [nulls]'],
    [{ path: 'schema.is_unique', before: false, after: true }, 'fails-on-existing-rows: adds a unique constraint [duplicates]'],
    [{ path: 'schema.foreign_key_table', before: null, after: 'authors' }, 'fails-on-existing-rows: adds a foreign key to `authors`'],
    [{ path: 'schema.is_primary_key', before: false, after: true }, 'fails-on-existing-rows: makes it the primary key'],
    [{ path: 'schema.has_auto_increment', before: true, after: false }, 'fails-on-existing-rows: removes auto-increment']
  ])('%j', (edit, expected) => {
    expect(summary(fieldUpdate(edit))).toEqual([expected])
  })

  it('a new NOT NULL column without a default, in a collection that has rows', () => {
    const definition = { field: 'f', type: 'string', schema: { is_nullable: false, default_value: null } }
    expect(
      summary(risksOf({ entity: 'field', action: 'create', collection: 'c', field: 'f', edits: [], definition }, 'sqlite', new Set()))
    ).toEqual(['fails-on-existing-rows: adds a NOT NULL column without a default [rows]'])
    const withDefault = { ...definition, schema: { is_nullable: false, default_value: 'x' } }
    expect(
      risksOf({ entity: 'field', action: 'create', collection: 'c', field: 'f', edits: [], definition: withDefault }, 'sqlite', new Set())
    ).toEqual([])
  })

  it('a new relation from an existing collection adds a foreign key', () => {
    const definition = { collection: 'posts', field: 'author', related_collection: 'authors', schema: { on_delete: 'SET NULL' }, meta: {} }
    const risks = risksOf(
      { entity: 'relation', action: 'create', collection: 'posts', field: 'author', relatedCollection: 'authors', edits: [], definition },
      'postgres',
      new Set()
    )
    expect(summary(risks)).toEqual(['fails-on-existing-rows: adds a foreign key to `authors`'])
  })
})

describe('changes what a delete does', () => {
  it('one_deselect_action becoming delete', () => {
    const risks = risksOf(
      {
        entity: 'relation',
        action: 'update',
        collection: 'c',
        field: 'f',
        edits: [{ path: 'meta.one_deselect_action', before: 'nullify', after: 'delete' }]
      },
      'sqlite',
      new Set()
    )
    expect(summary(risks)).toEqual(['changes-delete: deselect action nullify → delete: deselecting an item deletes it'])
  })

  it('a new relation with CASCADE', () => {
    const definition = { schema: { on_delete: 'CASCADE' }, meta: { one_deselect_action: 'nullify' } }
    const risks = risksOf(
      { entity: 'relation', action: 'create', collection: 'c', field: 'f', relatedCollection: 'new_one', edits: [], definition },
      'sqlite',
      new Set(['new_one'])
    )
    expect(summary(risks)).toEqual(['changes-delete: on delete CASCADE: deleting the related row deletes these rows'])
  })
})

describe('can fail or truncate', () => {
  it('bigInteger → integer is a risk, not a destructive type change', () => {
    const diff: SchemaDiff = {
      collections: [],
      fields: [
        {
          collection: 'c',
          field: 'n',
          diff: [
            { kind: 'E', path: ['type'], lhs: 'bigInteger', rhs: 'integer' },
            { kind: 'E', path: ['schema', 'data_type'], lhs: 'bigint', rhs: 'integer' }
          ]
        }
      ],
      systemFields: [],
      relations: []
    }
    const [change] = readDiff(diff, { vendor: 'postgres' }).changes
    expect(change?.destructive).toBe(false)
    expect(summary(change?.risks ?? [])).toEqual(['fails-or-truncates: narrows bigInteger → integer'])
    expect(change?.risks[0]?.onTarget).toBe('PostgreSQL refuses the apply if a value does not fit; then nothing is applied')
    expect(readDiff(diff, { vendor: 'sqlite' }).changes[0]?.destructive).toBe(false)
    // Where the database may cut a number that does not fit, it is destructive.
    expect(readDiff(diff, { vendor: 'mysql' }).changes[0]).toMatchObject({
      destructive: true,
      destructiveReason: 'may cut numbers that no longer fit'
    })
  })

  it('a smaller numeric precision', () => {
    expect(summary(fieldUpdate({ path: 'schema.numeric_precision', before: 10, after: 5 }))).toEqual([
      'fails-or-truncates: reduces numeric precision 10 → 5'
    ])
  })

  it('says what each database does, as seen live', () => {
    expect(lengthOnTarget('postgres')).toBe('PostgreSQL cuts longer values to the new length, silently')
    expect(lengthOnTarget('sqlite')).toBe('SQLite enforces no length: longer values stay as they are')
    expect(numberOnTarget('postgres')).toMatch(/PostgreSQL refuses the apply if a value does not fit/)
    expect(numberOnTarget('sqlite')).toMatch(/SQLite enforces no size/)
    expect(lengthOnTarget('mysql')).toMatch(/refuse the apply in strict mode .* cut values silently/)
    expect(lengthOnTarget(undefined)).toMatch(/not known here: PostgreSQL cuts longer values, SQLite keeps them/)
  })

  it('a shorter length is destructive where values are cut: on PostgreSQL, and where it is not known', () => {
    const diff = plainUpdate.data.diff
    const title = (vendor?: string) => readDiff(diff, vendor ? { vendor } : {}).changes.find((change) => change.entity === 'field')
    expect(title('sqlite')).toMatchObject({ destructive: false })
    expect(title('postgres')).toMatchObject({
      destructive: true,
      destructiveReason: 'cuts values longer than 100 characters',
      stakes: [{ question: { kind: 'longer', limit: 100 } }]
    })
    expect(title('mysql')).toMatchObject({ destructive: true, destructiveReason: 'may cut values longer than 100 characters' })
    expect(title()?.destructive).toBe(true)
    expect(title('postgres')?.risks.map((risk) => risk.class)).toEqual(['fails-or-truncates'])
  })
})

describe('nothing is at risk', () => {
  it('in a collection created by the same plan: it has no rows', () => {
    expect(
      risksOf(
        {
          entity: 'field',
          action: 'update',
          collection: 'new',
          field: 'f',
          edits: [{ path: 'schema.is_nullable', before: true, after: false }]
        },
        'postgres',
        new Set(['new'])
      )
    ).toEqual([])
  })

  it('when a length grows, or a column becomes nullable', () => {
    expect(
      fieldUpdate({ path: 'schema.max_length', before: 100, after: 255 }, { path: 'schema.is_nullable', before: false, after: true })
    ).toEqual([])
  })
})
