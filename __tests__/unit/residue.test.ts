import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeChanges } from '../../src/core/plan/changes.js'
import { isEmptyDiff, noiseContextOf, trimNoise, type NoiseGroup } from '../../src/core/plan/noise.js'
import { FAILING_RESIDUE } from '../../src/core/plan/residue.js'
import { plainWords } from '../../src/core/plan/words.js'
import type { DiffResponse, SchemaDiff, SchemaSnapshot } from '../../src/directus/types.js'

/**
 * The vendor residue rules (src/core/plan/residue.ts, applied by noise.ts)
 * against what live Directus 12.4.0 answered for promotions to MariaDB 10.11
 * (scripts/capture-mariadb-fixtures.mjs): the plan against an empty target,
 * and the diff of the same base right after the apply, which is all residue.
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

const residueOf = (fixture: Capture, diff: SchemaDiff, targetVendor = 'mysql') => {
  const { diff: left, noise } = trimNoise(structuredClone(diff), noiseContextOf(fixture.base, targetVendor))
  return { diff: left, residue: noise }
}

const rediff = (fixture: Capture): SchemaDiff => {
  if (!fixture.rediff) throw new Error('this capture has no residue')
  return fixture.rediff.diff
}

const rules = (residue: NoiseGroup[]) => residue.map((group) => `${group.entity}:${group.rule}:${group.items.length}`).sort()

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
    expect(residue).toEqual([expect.objectContaining({ rule: 'mariadb-foreign-key-index', entity: 'systemField' })])
    expect(residue[0]?.items).toContain('directus_access.policy')
    expect(plainWords(residue[0]?.words ?? [])).toMatch(
      /^53 system fields: `schema\.is_indexed` true → false\. MariaDB keeps an index on every foreign-key column/
    )
  })

  it('finds only known residue in the diff right after a PostgreSQL base was applied', () => {
    const { diff, residue } = residueOf(pg, rediff(pg))
    expect(isEmptyDiff(diff)).toBe(true)
    expect(rules(residue)).toEqual([
      'field:mariadb-foreign-key-index:3',
      'field:mariadb-reported-size:21',
      'field:mariadb-type-spelling:30',
      'field:mariadb-unsigned-foreign-key:2',
      'field:mariadb-uuid-key-unique:1',
      'systemField:mariadb-foreign-key-index:53'
    ])
    const failing = residue.filter((group) => (FAILING_RESIDUE as readonly string[]).includes(group.rule)).flatMap((group) => group.items)
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
      'field:mariadb-foreign-key-index:3',
      'field:mariadb-reported-size:20',
      'field:mariadb-type-spelling:8',
      'field:mariadb-unsigned-foreign-key:2',
      'field:mariadb-uuid-key-unique:1',
      'field:uuid-residue:1',
      'relation:constraint-name:3',
      'systemField:mariadb-foreign-key-index:53'
    ])
  })

  it('finds the char(36) uuid created as varchar(36) between two MariaDB instances, and nothing else', () => {
    const { diff, residue } = residueOf(mariadb, rediff(mariadb))
    expect(isEmptyDiff(diff)).toBe(true)
    expect(residue).toEqual([expect.objectContaining({ rule: 'uuid-residue', entity: 'field', items: ['all_types.f_uuid'] })])
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
    // A residue entry that comes first stays when it is harmless (Directus accepts it): the first entry decides.
    expect(
      diff.fields.map((item) => `${item.collection}.${item.field}: ${item.diff.map((entry) => entry.path?.join('.')).join(', ')}`)
    ).toEqual(['articles.title: schema.data_type, schema.max_length', 'articles.featured: schema.numeric_precision, schema.is_indexed'])

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
    author.diff.push({ kind: 'E', path: ['schema', 'default_value'], lhs: null, rhs: 1 })
    const { diff } = residueOf(pg, changed)
    // Its first entry (int unsigned → integer) would fail on MariaDB; the real edit, an update too, now comes first.
    expect(diff.fields).toEqual([
      { collection: 'articles', field: 'author', diff: [{ kind: 'E', path: ['schema', 'default_value'], lhs: null, rhs: 1 }] }
    ])
    expect(describeChanges(diff).map((change) => change.action)).toEqual(['update'])
  })

  it('keeps a refused first entry when the entries left would make Directus delete instead of update', () => {
    const first = { kind: 'E' as const, path: ['schema', 'data_type'], lhs: 'int unsigned', rhs: 'integer' }
    const removal = { kind: 'D' as const, path: ['schema', 'comment'], lhs: 'kept by hand' }
    const { diff } = residueOf(pg, {
      collections: [],
      fields: [{ collection: 'articles', field: 'author', diff: [first, removal] }],
      systemFields: [],
      relations: []
    })
    expect(diff.fields).toEqual([{ collection: 'articles', field: 'author', diff: [first, removal] }])
  })
})
