import { createHash } from 'node:crypto'
import { canonicalJson } from '../../src/core/json.js'
import { diffDigest } from '../../src/core/plan/digest.js'
import type { SchemaDiff } from '../../src/directus/types.js'
import { reportFixture } from './helpers/fixtures.js'

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

describe('diffDigest', () => {
  const { diff } = reportFixture('basic-diff.json')

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
