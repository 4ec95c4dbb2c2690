/**
 * Version noise and known residue, on the diffs live Directus answered
 * (__tests__/fixtures/apply-rules/): what is trimmed, what is never trimmed,
 * and what the report says about it. That Directus accepts a trimmed diff and
 * re-emits these entries after every apply is in the fixtures themselves
 * (`applied`, `rediff`, `extra`) and in __tests__/e2e/apply-rules.test.ts.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readDiff } from '../../src/core/plan/changes.js'
import { noiseContextOf, trimNoise, type NoiseContext } from '../../src/core/plan/noise.js'
import { plainWords } from '../../src/core/plan/words.js'
import type { SchemaDiff, SchemaSnapshot } from '../../src/directus/types.js'

const DIR = join(import.meta.dirname, '..', 'fixtures', 'apply-rules')

interface Fixture {
  data: { diff: SchemaDiff }
  applied?: { diff: SchemaDiff }
  rediff: { status: number; items: string[] }
  extra?: Record<string, any>
}

function load(name: string): Fixture {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Fixture
}

const empty: SchemaDiff = { collections: [], fields: [], systemFields: [], relations: [] }

function context(baseVersion: string, options: Partial<NoiseContext> = {}): NoiseContext {
  return { baseVersion, baseHasSystemFields: true, baseFields: new Map(), ...options }
}

describe('meta.searchable, unknown before Directus 11.13.0', () => {
  it('11.x: removes the D meta.searchable entries exactly as the capture did, which Directus accepted', () => {
    const captured = load('searchable-noise.11.17.4.sqlite')
    const { diff, noise } = trimNoise(captured.data.diff, context('11.7.2'))
    expect(diff).toEqual(captured.applied?.diff)
    expect(noise).toEqual([
      {
        rule: 'searchable',
        entity: 'field',
        items: ['sn_items.id', 'sn_items.title', 'sn_items.body'],
        words: ['3 fields: ', { code: 'meta.searchable' }, ' is unknown to the base’s Directus 11.7.2; the target keeps its value']
      }
    ])
    // Directus re-emits them after every apply, trimmed or not: no apply removes them.
    expect(captured.rediff.items).toEqual([
      'fields sn_items.id: D meta.searchable',
      'fields sn_items.title: D meta.searchable',
      'fields sn_items.body: D meta.searchable'
    ])
  })

  it('12.x: drops the E meta lists that only lack the key, keeps the one with a real change and hides the key there', () => {
    const captured = load('searchable-noise.12.4.0.sqlite')
    const noiseContext = context('11.7.2')
    const { diff } = trimNoise(captured.data.diff, noiseContext)
    expect(diff.fields.map((field) => field.field)).toEqual(['title'])
    expect(diff.fields[0]?.diff).toEqual(captured.data.diff.fields.find((field) => field.field === 'title')?.diff)
    const [change] = readDiff(diff, { noise: noiseContext }).changes
    expect(change?.edits).toEqual([{ path: 'meta.note', before: null, after: 'a real change' }])
  })

  it('is a real change for a base that knows the key', () => {
    const captured = load('searchable-noise.11.17.4.sqlite')
    expect(trimNoise(captured.data.diff, context('11.13.0'))).toEqual({ diff: captured.data.diff, noise: [] })
    expect(trimNoise(captured.data.diff, context('unknown'))).toEqual({ diff: captured.data.diff, noise: [] })
  })
})

describe('systemFields, unknown before Directus 11.13.0', () => {
  const captured = load('system-fields-missing.12.4.0.sqlite')

  it('keeps the target’s system indexes when the base has no systemFields at all', () => {
    const { diff, noise } = trimNoise(captured.data.diff, context('11.3.5', { baseHasSystemFields: false }))
    expect(diff.systemFields).toEqual([])
    expect(noise.map((group) => [group.rule, group.items.length])).toEqual([['system-indexes', 13]])
    expect(plainWords(noise[0]?.words ?? [])).toBe(
      '13 system fields: the snapshot of the base’s Directus 11.3.5 has no `systemFields`, so Directus would drop their indexes; the target keeps them'
    )
  })

  it('drops the indexes when the base lists system fields without them', () => {
    expect(trimNoise(captured.data.diff, context('11.3.5', { baseHasSystemFields: true })).noise).toEqual([])
    expect(trimNoise(captured.data.diff, context('11.17.4', { baseHasSystemFields: false })).noise).toEqual([])
  })
})

describe('collection meta keys of Directus 12', () => {
  it('an 11.x base on 12.4.0: the E meta of status and autosave_revision_interval is noise', () => {
    const captured = load('cross-version-11-to-12.12.4.0.sqlite')
    const { diff, noise } = trimNoise(captured.data.diff, context('11.17.4'))
    expect(diff.collections).toEqual([])
    expect(noise.map((group) => [group.rule, group.items])).toEqual([['collection-meta-12', ['xw_items']]])
    expect(captured.rediff.items).toEqual(['collections xw_items: E meta'])
  })

  it('a 12.x base that lacks them changes nothing of the kind', () => {
    const captured = load('cross-version-11-to-12.12.4.0.sqlite')
    expect(trimNoise(captured.data.diff, context('12.4.0')).noise).toEqual([])
  })
})

describe('foreign key names', () => {
  it.each([
    'constraint-name-noise.12.4.0.sqlite',
    'constraint-name-noise.12.4.0.pg',
    'constraint-name-noise.11.17.4.sqlite',
    'constraint-name-noise.11.17.4.pg'
  ])('%s: E schema.constraint_name is never applied, so it is left out', (name) => {
    const captured = load(name)
    const { diff, noise } = trimNoise(captured.data.diff, context('12.4.0'))
    expect(diff.relations).toEqual([])
    expect(noise.map((group) => group.rule)).toEqual(['constraint-name'])
    expect(captured.rediff.items).toEqual(['relations cn_posts.author: E schema.constraint_name'])
  })

  it('a relation whose base lacks the key is not noise: the first entry D deletes the relation', () => {
    const diff: SchemaDiff = {
      ...empty,
      relations: [
        {
          collection: 'p',
          field: 'a',
          related_collection: 'x',
          diff: [{ kind: 'D', path: ['schema', 'constraint_name'], lhs: 'p_a_foreign' }]
        }
      ]
    }
    expect(trimNoise(diff, context('12.4.0')).diff).toEqual(diff)
  })
})

describe('uuid residue', () => {
  const baseWith = (field: Record<string, unknown>): NoiseContext =>
    noiseContextOf({
      version: 1,
      directus: '12.4.0',
      collections: [],
      fields: [
        {
          collection: 'uu_items',
          field: 'uid',
          type: field['type'],
          meta: { special: field['special'] },
          schema: { data_type: field['data_type'], max_length: field['max_length'] }
        }
      ],
      relations: []
    } as SchemaSnapshot)

  it.each([
    'uuid-residue.12.4.0.sqlite-to-sqlite',
    'uuid-residue.12.4.0.sqlite-to-pg',
    'uuid-residue.11.17.4.sqlite-to-sqlite',
    'uuid-residue.11.17.4.sqlite-to-pg'
  ])('%s: char → varchar of a uuid field without special uuid is left out', (name) => {
    const captured = load(name)
    const residue: SchemaDiff = { ...empty, fields: captured.extra?.['residueEntries'] }
    const { diff, noise } = trimNoise(residue, baseWith(captured.extra?.['uidInBase']))
    expect(diff.fields).toEqual([])
    expect(noise.map((group) => group.rule)).toEqual(['uuid-residue'])
    // Applying it changes nothing and it comes back: no apply removes it.
    expect(captured.extra?.['applyResidue'].status).toBe(204)
    expect(captured.extra?.['rediffAfterApplyingResidue'].items).toEqual(['fields uu_items.uid: E schema.data_type'])
  })

  it('with meta.special uuid the field is a uuid, and a type change is a real change', () => {
    const captured = load('uuid-residue-special.12.4.0.sqlite-to-pg')
    const entries: SchemaDiff = { ...empty, fields: captured.extra?.['residueEntries'] }
    expect(trimNoise(entries, baseWith(captured.extra?.['uidInBase'])).noise).toEqual([])
  })

  it('never makes a residue destructive once trimmed, but would have without the rule', () => {
    const captured = load('uuid-residue.12.4.0.sqlite-to-sqlite')
    const residue: SchemaDiff = { ...empty, fields: captured.extra?.['residueEntries'] }
    expect(readDiff(residue).changes.map((change) => change.destructive)).toEqual([true])
    expect(trimNoise(residue, baseWith(captured.extra?.['uidInBase'])).diff.fields).toEqual([])
  })
})

describe('a first entry is never trimmed alone', () => {
  it('keeps a noise entry that decides the list, removes the noise after it', () => {
    const first = { kind: 'D' as const, path: ['meta', 'searchable'], lhs: true }
    const note = { kind: 'E' as const, path: ['meta', 'note'], lhs: 'a', rhs: 'b' }
    const deleting = { kind: 'D' as const, path: ['schema', 'is_indexed'], lhs: false }
    const diff: SchemaDiff = {
      ...empty,
      fields: [
        { collection: 'c', field: 'kept', diff: [first, note] },
        { collection: 'c', field: 'deleted', diff: [deleting, first] }
      ]
    }
    const trimmed = trimNoise(diff, context('11.7.2')).diff
    expect(trimmed.fields).toEqual([
      { collection: 'c', field: 'kept', diff: [first, note] },
      { collection: 'c', field: 'deleted', diff: [deleting] }
    ])
    // What Directus does with each list is unchanged: an update, and a delete.
    expect(readDiff(trimmed).changes.map((change) => change.action)).toEqual(['delete', 'update'])
  })
})
