import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { scopeSnapshot, scopeWarnings } from '../../src/core/base-snapshot.js'
import { InputError } from '../../src/core/errors.js'
import type { SchemaSnapshot } from '../../src/directus/types.js'
import {
  formatOf,
  formatSnapshot,
  parseSnapshotText,
  readSnapshotFile,
  SNAPSHOT_LIMITS,
  writeSnapshotFile
} from '../../src/directus/snapshot-file.js'

const realistic = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/snapshots/realistic.json'), 'utf8')) as SchemaSnapshot
const source = { input: 'base-snapshot', path: 'schema/snapshot' }
/** A file named by its absolute path, as the shells resolve it. */
const at = (file: string) => ({ path: file, file })

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dsa-snapshot-file-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('reading snapshot files', () => {
  it('reads JSON and YAML, bare or wrapped in "data", as the same snapshot', async () => {
    const yaml = await formatSnapshot(realistic, 'yaml')
    const wrappedYaml = `data:\n${yaml.replace(/^/gm, '  ')}`
    const read = await Promise.all([
      parseSnapshotText(JSON.stringify(realistic), 'json', source),
      parseSnapshotText(JSON.stringify({ data: realistic }), 'json', source),
      parseSnapshotText(yaml, 'yaml', source),
      parseSnapshotText(wrappedYaml, 'yaml', source)
    ])
    for (const snapshot of read) expect(snapshot).toEqual(realistic)
  })

  it('reads YAML as Directus writes it (js-yaml dump: unsorted keys, quoted look-alikes)', async () => {
    const text = [
      'version: 1',
      'directus: 11.17.4',
      'vendor: postgres',
      'collections:',
      '  - collection: posts',
      '    meta:',
      '      note: "2024-01-01"',
      '      icon: null',
      '    schema:',
      '      name: posts',
      'fields: []',
      'relations: []',
      ''
    ].join('\n')
    const snapshot = await parseSnapshotText(text, 'yaml', source)
    expect(snapshot).toMatchObject({
      directus: '11.17.4',
      vendor: 'postgres',
      collections: [{ collection: 'posts', meta: { note: '2024-01-01', icon: null } }]
    })
  })

  it.each([
    ['{"version": 1', 'json', /Input 'base-snapshot': schema\/snapshot is not valid JSON: /],
    ['a: [1, 2', 'yaml', /Input 'base-snapshot': schema\/snapshot is not valid YAML: /],
    [
      '{"data": {"collections": []}}',
      'json',
      /is not a Directus schema snapshot: expected version, directus, collections, fields and relations/
    ]
  ] as const)('refuses %j in one line naming the input and file', async (text, format, message) => {
    const error = await parseSnapshotText(text, format, source).catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('base-snapshot')
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })

  it('names a missing file', async () => {
    await expect(readSnapshotFile(at(join(dir, 'missing.yaml')))).rejects.toThrow(
      /Input 'base-snapshot': the file .*missing\.yaml does not exist/
    )
  })

  it('tells the format by the extension', () => {
    expect(formatOf('a/b.YML')).toBe('yaml')
    expect(formatOf('a/b.yaml')).toBe('yaml')
    expect(formatOf('a/b.json')).toBe('json')
  })
})

describe('writing snapshot files', () => {
  it.each(['json', 'yaml'] as const)('writes %s with sorted keys, stable across re-exports', async (format) => {
    const shuffled = JSON.parse(JSON.stringify(realistic, (_key, value: unknown) => reverseKeys(value))) as SchemaSnapshot
    const text = await formatSnapshot(shuffled, format)
    expect(text).toBe(await formatSnapshot(realistic, format))
    expect(text.endsWith('\n')).toBe(true)
    expect(await parseSnapshotText(text, format, source)).toEqual(realistic)
    const topLevel = format === 'json' ? /^ {2}"(\w+)":/ : /^(\w+):/
    const keys = text.split('\n').flatMap((line) => topLevel.exec(line)?.[1] ?? [])
    expect(keys).toEqual(['collections', 'directus', 'fields', 'relations', 'systemFields', 'vendor', 'version'])
  })

  it('says whether the file changed', async () => {
    const file = join(dir, 'nested', 'snapshot.yaml')
    expect((await writeSnapshotFile(at(file), realistic)).changed).toBe(true)
    expect((await writeSnapshotFile(at(file), realistic)).changed).toBe(false)
    writeFileSync(file, 'stale')
    expect(await writeSnapshotFile(at(file), realistic)).toEqual({ file, changed: true })
  })
})

describe('scoping a committed snapshot', () => {
  it('keeps only the included collections, with their fields and relations, as a partial snapshot', () => {
    const scoped = scopeSnapshot(realistic, { kind: 'include', collections: ['articles', 'authors'] })
    expect(scoped.version).toBe(2)
    const collectionsOf = (items: unknown[]) => [...new Set(items.map((item) => (item as { collection: string }).collection))].sort()
    expect(collectionsOf(scoped.collections)).toEqual(['articles', 'authors'])
    expect(collectionsOf(scoped.fields)).toEqual(['articles', 'authors'])
    expect(collectionsOf(scoped.relations)).toEqual(['articles'])
  })

  it('drops the excluded collections', () => {
    const scoped = scopeSnapshot(realistic, { kind: 'exclude', collections: ['articles'] })
    const names = scoped.collections.map((item) => (item as { collection: string }).collection)
    expect(names).not.toContain('articles')
    expect(names).toHaveLength(realistic.collections.length - 1)
    expect(scoped.fields.some((item) => (item as { collection: string }).collection === 'articles')).toBe(false)
  })

  it('warns about an included name the base does not have', () => {
    const include = (collections: string[]) =>
      scopeWarnings(scopeSnapshot(realistic, { kind: 'include', collections }), { kind: 'include', collections })
    expect(include(['blog', 'authors'])).toEqual([])
    expect(include(['blog', 'authors', 'athors'])).toEqual([
      'include-collections names a collection the base does not have: athors. It is left out of this plan.'
    ])
    expect(scopeWarnings(realistic, { kind: 'exclude', collections: ['nothing'] })).toEqual([])
  })

  it('warns about folders and related collections left out of the scope', () => {
    const collections = ['articles']
    expect(scopeWarnings(scopeSnapshot(realistic, { kind: 'include', collections }), { kind: 'include', collections })).toEqual([
      'Collections in this scope sit in folders or relate to collections outside it: authors, blog. ' +
        'If the target does not have them, Directus fails the apply; add them to the scope.'
    ])
  })
})

describe('a snapshot file is data, read within bounds (it may come from a fork)', () => {
  const refused = async (text: string, format: 'json' | 'yaml', pattern: RegExp) => {
    const failure = parseSnapshotText(text, format, source)
    await expect(failure).rejects.toThrow(InputError)
    await expect(failure).rejects.toThrow(pattern)
  }

  it('refuses a file larger than the limit before parsing it', async () => {
    const big = ' '.repeat(SNAPSHOT_LIMITS.maxBytes + 1)
    await refused(big, 'json', /larger than the 64 MiB a schema snapshot file may be/)
    const file = join(dir, 'big.json')
    writeFileSync(file, big)
    await expect(readSnapshotFile(at(file))).rejects.toThrow(/larger than the 64 MiB/)
  })

  it('refuses nesting deeper than any snapshot, in JSON and in YAML, block or flow', async () => {
    const deepJson = `${'['.repeat(65)}${']'.repeat(65)}`
    await refused(deepJson, 'json', /nests deeper than 64 levels/)
    const deepBlock = Array.from({ length: 70 }, (_, level) => `${'  '.repeat(level)}a:`).join('\n')
    await refused(deepBlock, 'yaml', /nests deeper than 64 levels/)
    // Far deeper than the stack: refused in one line, never a crash.
    await refused(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'yaml', /(nests deeper than 64 levels|nested too deeply)/)
    await refused(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'json', /(nests deeper than 64 levels|nested too deeply)/)
  })

  it('refuses an alias bomb, several documents, and reads tags and merge keys as no more than data', async () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]'
    ]
    await refused([...bomb, 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n'), 'yaml', /Excessive alias count/)
    await refused('a: 1\n---\nb: 2\n', 'yaml', /holds 2 YAML documents; a snapshot is one/)
    const yaml = await formatSnapshot(realistic, 'yaml')
    const tagged = `${yaml}code: !!js/function "function () { process.exit(1) }"\nshared: &s { a: 1 }\nmerged: { <<: *s }\n`
    const read = (await parseSnapshotText(tagged, 'yaml', source)) as SchemaSnapshot & Record<string, unknown>
    expect(read.collections).toEqual(realistic.collections)
    expect(read['code']).toBe('function () { process.exit(1) }')
    expect(read['merged']).toEqual({ '<<': { a: 1 } })
  })

  it('refuses more YAML nodes than its budget, counted before anything is built, and reads a real snapshot', async () => {
    expect(SNAPSHOT_LIMITS.maxYamlNodes).toBe(10_000_000)
    const yaml = await formatSnapshot(realistic, 'yaml')
    const budget = 1000
    const within = (text: string) => parseSnapshotText(text, 'yaml', source, budget)
    // A node for every two bytes: null items, or a flow sequence of one-digit numbers.
    await expect(within('-\n'.repeat(budget + 1))).rejects.toThrow(/is not valid YAML: it has more than 1,000 YAML nodes/)
    await expect(within(`[${'1,'.repeat(budget)}1]`)).rejects.toThrow(/more than 1,000 YAML nodes/)
    // Within the budget the same text is parsed, and refused only for what it is.
    await expect(within('-\n'.repeat(budget / 2))).rejects.toThrow(/is not a Directus schema snapshot/)
    await expect(within(yaml)).rejects.toThrow(/more than 1,000 YAML nodes/)
    expect(await parseSnapshotText(yaml, 'yaml', source)).toEqual(realistic)
  })

  it('reads the text a pull request committed, given instead of a file', async () => {
    const content = JSON.stringify(realistic)
    expect(await readSnapshotFile({ path: 'directus/snapshot.json', file: join(dir, 'not-there.json'), content })).toEqual(realistic)
  })
})

function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).reverse())
}
