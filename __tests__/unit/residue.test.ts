import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeChanges } from '../../src/core/plan/changes.js'
import { isEmptyDiff, residueContextOf, withoutResidue, type ResidueGroup } from '../../src/core/plan/residue.js'
import type { DiffResponse, SchemaDiff, SchemaSnapshot } from '../../src/directus/types.js'

/**
 * The vendor residue rules against what live Directus 12.4.0 answered for
 * promotions to MariaDB 10.11 (scripts/capture-mariadb-fixtures.mjs): the
 * plan against an empty target, and the diff of the same base right after
 * the apply, which is all residue.
 */
interface Capture {
  base: SchemaSnapshot
  plan: DiffResponse
  rediff: DiffResponse | null
}

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mariadb')
const capture = (name: string): Capture => JSON.parse(readFileSync(join(FIXTURES, `${name}.12.4.0.json`), 'utf8')) as Capture

const pg = capture('pg-to-mysql')
const sqlite = capture('sqlite-to-mysql')
const mariadb = capture('mysql-to-mysql')

const residueOf = (fixture: Capture, diff: SchemaDiff, targetVendor = 'mysql') =>
  withoutResidue(structuredClone(diff), residueContextOf(fixture.base, targetVendor))

const rediff = (fixture: Capture): SchemaDiff => {
  if (!fixture.rediff) throw new Error('this capture has no residue')
  return fixture.rediff.diff
}

const rules = (residue: ResidueGroup[]) => residue.map((group) => `${group.entity}:${group.rule}:${group.items.length}`).sort()

describe('vendor residue of a MariaDB target', () => {
  it('takes the 53 system-field index removals out of a PostgreSQL plan, and nothing the plan creates', () => {
    const { diff, residue } = residueOf(pg, pg.plan.diff)
    expect(pg.plan.diff.systemFields).toHaveLength(53)
    expect(diff.systemFields).toEqual([])
    expect({ collections: diff.collections, fields: diff.fields, relations: diff.relations }).toEqual({
      collections: pg.plan.diff.collections,
      fields: pg.plan.diff.fields,
      relations: pg.plan.diff.relations
    })
    expect(residue).toEqual([expect.objectContaining({ rule: 'foreign-key-index', entity: 'systemField', fails: true })])
    expect(residue[0]?.items).toContain('directus_access.policy')
    expect(residue[0]?.text).toMatch(/^53 system fields: .*MariaDB keeps an index on every foreign-key column/)
  })

  it('finds only known residue in the diff right after a PostgreSQL base was applied', () => {
    const { diff, residue } = residueOf(pg, rediff(pg))
    expect(isEmptyDiff(diff)).toBe(true)
    expect(rules(residue)).toEqual([
      'field:foreign-key-index:3',
      'field:reported-size:21',
      'field:type-spelling:30',
      'field:unsigned-foreign-key:2',
      'field:uuid-key-unique:1',
      'systemField:foreign-key-index:53'
    ])
    const failing = residue.filter((group) => group.fails).flatMap((group) => group.items)
    expect(new Set(failing)).toEqual(
      new Set([
        'articles.id',
        'articles.author',
        'articles_tags.tags_id',
        'articles_tags.articles_id',
        ...pg.plan.diff.systemFields!.map((item) => `${item.collection}.${item.field}`)
      ])
    )
  })

  it('finds only known residue in the diff right after a SQLite base was applied', () => {
    const { diff, residue } = residueOf(sqlite, rediff(sqlite))
    expect(isEmptyDiff(diff)).toBe(true)
    expect(rules(residue)).toEqual([
      'field:foreign-key-index:3',
      'field:reported-size:20',
      'field:type-spelling:9',
      'field:unsigned-foreign-key:2',
      'field:uuid-key-unique:1',
      'relation:constraint-name:3',
      'systemField:foreign-key-index:53'
    ])
  })

  it('finds the char(36) uuid created as varchar(36) between two MariaDB instances, and nothing else', () => {
    const { diff, residue } = residueOf(mariadb, rediff(mariadb))
    expect(isEmptyDiff(diff)).toBe(true)
    expect(residue).toEqual([
      expect.objectContaining({ rule: 'type-spelling', entity: 'field', items: ['all_types.f_uuid'], fails: false })
    ])
    expect(residueOf(mariadb, mariadb.plan.diff).residue).toEqual([])
  })

  it('leaves everything alone on a target that is not MySQL/MariaDB', () => {
    const { diff, residue } = residueOf(pg, rediff(pg), 'postgres')
    expect(diff).toEqual(rediff(pg))
    expect(residue).toEqual([])
  })

  it('keeps real differences: another length, an index to add, an index removed between two MariaDB instances', () => {
    const changed = structuredClone(rediff(pg))
    const title = changed.fields.find((item) => item.collection === 'articles' && item.field === 'title')!
    title.diff.push({ kind: 'E', path: ['schema', 'max_length'], lhs: 255, rhs: 100 })
    const featured = changed.fields.find((item) => item.collection === 'articles' && item.field === 'featured')!
    featured.diff.push({ kind: 'E', path: ['schema', 'is_indexed'], lhs: false, rhs: true })
    const { diff } = residueOf(pg, changed)
    const left = describeChanges(diff).map(
      (change) => `${change.collection}.${change.field}: ${change.edits.map((edit) => edit.path).join(', ')}`
    )
    expect(left).toEqual(['articles.featured: schema.is_indexed', 'articles.title: schema.max_length'])

    // The same un-indexing between two MariaDB instances is a real change: MariaDB itself made both sides.
    const sameVendor = residueOf(mariadb, {
      collections: [],
      fields: [{ collection: 'articles', field: 'author', diff: [{ kind: 'E', path: ['schema', 'is_indexed'], lhs: true, rhs: false }] }],
      systemFields: [
        { collection: 'directus_users', field: 'role', diff: [{ kind: 'E', path: ['schema', 'is_indexed'], lhs: true, rhs: false }] }
      ],
      relations: []
    })
    expect(sameVendor.residue).toEqual([])
    expect(sameVendor.diff.fields).toHaveLength(1)
    expect(sameVendor.diff.systemFields).toHaveLength(1)
  })

  it('keeps a real edit of a foreign key without the residue that MariaDB would refuse', () => {
    const changed = structuredClone(rediff(pg))
    const author = changed.fields.find((item) => item.collection === 'articles' && item.field === 'author')!
    author.diff.push({ kind: 'E', path: ['meta', 'note'], lhs: null, rhs: 'Who wrote it' })
    const { diff } = residueOf(pg, changed)
    expect(diff.fields).toEqual([
      { collection: 'articles', field: 'author', diff: [{ kind: 'E', path: ['meta', 'note'], lhs: null, rhs: 'Who wrote it' }] }
    ])
  })

  it('keeps the first entry when the entries left would make Directus delete instead of update', () => {
    const first = { kind: 'E' as const, path: ['schema', 'data_type'], lhs: 'varchar', rhs: 'character varying' }
    const removal = { kind: 'D' as const, path: ['schema', 'comment'], lhs: 'kept by hand' }
    const { diff, residue } = residueOf(pg, {
      collections: [],
      fields: [{ collection: 'articles', field: 'title', diff: [first, removal] }],
      systemFields: [],
      relations: []
    })
    expect(diff.fields).toEqual([{ collection: 'articles', field: 'title', diff: [first, removal] }])
    expect(residue).toEqual([])
  })
})
