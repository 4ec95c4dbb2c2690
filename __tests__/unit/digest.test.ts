import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { packDiffWithin } from '../../src/core/guard/record.js'
import { canonicalJson, canonicalJsonPieces, compareStrings } from '../../src/core/json.js'
import { diffDigest } from '../../src/core/plan/digest.js'
import type { DiffResponse, SchemaDiff } from '../../src/directus/types.js'
import { reportFixture } from './helpers/fixtures.js'

/** Diffs captured from live Directus 12.4.0 (SQLite and PostgreSQL targets). */
const CAPTURED = ['realistic-sqlite.json', 'realistic-pg.json'].map(
  (name) => (JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/diffs', name), 'utf8')) as { data: DiffResponse }).data.diff
)

/** The digest as its definition says, built the plain way: one string, one hash. */
function referenceDigest(diff: SchemaDiff): string {
  const byIdentity = <T extends { collection: string; field?: string }>(items: readonly T[]): T[] =>
    [...items].sort(
      (a, b) =>
        compareStrings(a.collection, b.collection) ||
        compareStrings(a.field ?? '', b.field ?? '') ||
        compareStrings(canonicalJson(a), canonicalJson(b))
    )
  const canonical = canonicalJson({
    collections: byIdentity(diff.collections),
    fields: byIdentity(diff.fields),
    systemFields: byIdentity(diff.systemFields ?? []),
    relations: byIdentity(diff.relations)
  })
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`
}

describe('canonicalJson', () => {
  test('sorts object keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,1,{"y":2,"z":1}]},"b":1}')
  })

  test('drops undefined properties, turns undefined array items into null like JSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}')
    expect(canonicalJson(undefined)).toBe('null')
  })

  test('escapes strings and keys like JSON.stringify', () => {
    const value = { 'k"\n': 'v\u2028"' }
    expect(JSON.parse(canonicalJson(value))).toEqual(value)
  })
})

describe('canonicalJsonPieces', () => {
  test.each([
    ['a diff', reportFixture('basic-diff.json').diff],
    ['a captured diff', CAPTURED[0]],
    ['undefined members and items', { b: [undefined, { y: 1, x: undefined }], a: undefined, c: [] }],
    ['integer-like keys, top level and nested', { 10: [{ 2: 'b', 1: 'a' }], 9: 'nine', z: { 0: null } }],
    ['no object at all', [3, { b: 1, a: 2 }]],
    ['a string', 'é\u2028<'],
    ['undefined', undefined]
  ])('joined, they are exactly canonicalJson: %s', (_name, value) => {
    expect([...canonicalJsonPieces(value)].join('')).toBe(canonicalJson(value))
  })

  test('yields each item of a top-level list on its own', () => {
    const pieces = [...canonicalJsonPieces({ list: [{ b: 1, a: 2 }, 3] })]
    expect(pieces).toEqual(['{', '"list":', '[', '{"a":2,"b":1}', ',3', ']', '}'])
  })
})

describe('diffDigest', () => {
  const { diff } = reportFixture('basic-diff.json')

  test.each(CAPTURED.map((captured, index) => [index, captured] as const))(
    'equals the plain one-string computation on captured diff %d',
    (_index, captured) => {
      expect(diffDigest(captured)).toBe(referenceDigest(captured))
    }
  )

  test('is the sha256 of the canonical JSON of the lists sorted by identity', () => {
    const key = (item: { collection: string; field?: string }): string => `${item.collection}\u0000${item.field ?? ''}`
    const byIdentity = <T extends { collection: string; field?: string }>(items: T[]): T[] =>
      [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    const canonical = canonicalJson({
      collections: byIdentity(diff.collections),
      fields: byIdentity(diff.fields),
      systemFields: byIdentity(diff.systemFields ?? []),
      relations: byIdentity(diff.relations)
    })
    expect(diffDigest(diff)).toBe(`sha256:${createHash('sha256').update(canonical).digest('hex')}`)
    expect(diffDigest(diff)).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  test('does not depend on list order or key order', () => {
    const shuffled: SchemaDiff = JSON.parse(
      JSON.stringify({
        relations: [...diff.relations].reverse(),
        systemFields: diff.systemFields,
        fields: [...diff.fields].reverse(),
        collections: [...diff.collections].reverse()
      })
    )
    expect(diffDigest(shuffled)).toBe(diffDigest(diff))
  })

  test('a missing systemFields list equals an empty one', () => {
    const withEmpty: SchemaDiff = { ...diff, systemFields: [] }
    const { systemFields: _ignored, ...withoutList } = withEmpty
    expect(diffDigest(withoutList)).toBe(diffDigest(withEmpty))
  })

  test('changes when any reviewed value changes', () => {
    const edited: SchemaDiff = JSON.parse(JSON.stringify(diff))
    const layout = edited.fields.find((field) => field.field === 'layout')
    const entry = layout?.diff[1]
    if (entry === undefined) throw new Error('fixture changed')
    entry.rhs = 'Compact!'
    expect(diffDigest(edited)).not.toBe(diffDigest(diff))
  })

  test('keeps the order of deep-diff entries inside an item (apply depends on it)', () => {
    const swapped: SchemaDiff = JSON.parse(JSON.stringify(diff))
    const layout = swapped.fields.find((field) => field.field === 'layout')
    layout?.diff.reverse()
    expect(diffDigest(swapped)).not.toBe(diffDigest(diff))
  })

  test('a delete + create pair of one field hashes the same in either order', () => {
    const created = { collection: 'a', field: 'f', diff: [{ kind: 'N' as const, rhs: { type: 'alias' } }] }
    const deleted = { collection: 'a', field: 'f', diff: [{ kind: 'D' as const, lhs: { type: 'string' } }] }
    const base = { collections: [], systemFields: [], relations: [] }
    expect(diffDigest({ ...base, fields: [deleted, created] })).toBe(diffDigest({ ...base, fields: [created, deleted] }))
  })

  test('an item moved to another list changes the digest', () => {
    const field = { collection: 'a', field: 'f', diff: [{ kind: 'E' as const, path: ['schema', 'is_indexed'], lhs: false, rhs: true }] }
    const asField = diffDigest({ collections: [], fields: [field], systemFields: [], relations: [] })
    const asSystemField = diffDigest({ collections: [], fields: [], systemFields: [field], relations: [] })
    expect(asField).not.toBe(asSystemField)
  })
})

describe('canonicalJson with integer-like keys', () => {
  test('sorts them as strings too, like every other key', () => {
    expect(canonicalJson({ b: 1, 10: 'ten', 9: 'nine', a: { 2: 0, x: 1, 1: 0 } })).toBe(
      '{"10":"ten","9":"nine","a":{"1":0,"2":0,"x":1},"b":1}'
    )
  })

  test('fast and slow paths agree on ordinary objects', () => {
    const ordinary = { z: [1, { y: undefined, x: 'é\u2028' }], a: null, m: { c: true, b: false } }
    const withIntegerKey = { ...ordinary, 0: 'zero' }
    expect(canonicalJson(withIntegerKey)).toBe(`{"0":"zero",${canonicalJson(ordinary).slice(1)}`)
  })
})

describe('packDiffWithin', () => {
  const diff = CAPTURED[0]!
  /** The captured diff forty times over, each copy under other collection names: over a megabyte, fed to gzip in many pieces. */
  const copies = Array.from(
    { length: 40 },
    (_, copy) =>
      JSON.parse(JSON.stringify(diff).replace(/"(articles|articles_tags|authors|blog|tags|site_settings)"/g, `"$1_${copy}"`)) as SchemaDiff
  )
  const large: SchemaDiff = {
    collections: copies.flatMap((copy) => copy.collections),
    fields: copies.flatMap((copy) => copy.fields),
    systemFields: copies.flatMap((copy) => copy.systemFields ?? []),
    relations: copies.flatMap((copy) => copy.relations)
  }
  /** The one-shot gzip of the whole canonical JSON, as the record always carried it. */
  const oneShot = (value: SchemaDiff): Buffer => gzipSync(canonicalJson(value), { level: 9 })
  /** The smallest maxChars whose byte budget (three quarters of it) holds `bytes`. */
  const charsFor = (bytes: number): number => Math.ceil((bytes * 4) / 3)

  test.each([
    ['a captured diff', diff],
    ['a diff of over a megabyte', large]
  ])('packs exactly the one-shot gzip of the canonical JSON when it fits: %s', async (_name, value) => {
    const expected = oneShot(value)
    const packed = await packDiffWithin(value, charsFor(expected.length))
    expect(packed).toBe(expected.toString('base64url'))
    expect(JSON.parse(gunzipSync(Buffer.from(packed ?? '', 'base64url')).toString('utf8'))).toEqual(JSON.parse(canonicalJson(value)))
  })

  test.each([
    ['a captured diff', diff],
    ['a diff of over a megabyte', large]
  ])('gives up when the packed diff is one byte over the budget: %s', async (_name, value) => {
    const bytes = oneShot(value).length
    expect(Math.floor((charsFor(bytes - 1) * 3) / 4)).toBe(bytes - 1)
    expect(await packDiffWithin(value, charsFor(bytes - 1))).toBeUndefined()
  })

  test('the large diff is what it claims to be', () => {
    expect(canonicalJson(large).length).toBeGreaterThan(1_000_000)
    expect(new Set(large.collections.map((item) => item.collection)).size).toBe(large.collections.length)
  })

  test('gives up on a budget far too small, and on a tiny one', async () => {
    expect(await packDiffWithin(diff, 1000)).toBeUndefined()
    expect(await packDiffWithin(diff, 1)).toBeUndefined()
  })

  test('packs an empty diff', async () => {
    const empty = { collections: [], fields: [], relations: [] }
    expect(await packDiffWithin(empty, 1000)).toBe(gzipSync(canonicalJson(empty), { level: 9 }).toString('base64url'))
  })
})
