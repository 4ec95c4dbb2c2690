import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { runAction } from '../../scripts/lib/run-action.mjs'
import { createCollection, createField, getSnapshot } from '../../scripts/lib/seed.mjs'
import { collectionsOf, diffOf, expectOneCleanFailure, expectSucceeded, schemaOf, useLive } from '../support/live.js'

/**
 * Scoped and additive promotion, and committed snapshots as the base, against
 * live Directus 12.4 (SQLite); and what a target with small body limits does.
 * One target serves the first three parts, emptied between them.
 */

const live = useLive({
  name: 'scope',
  directus: {
    base: { seed: 'realistic' },
    target: {},
    smallPayload: { env: { MAX_PAYLOAD_SIZE: '2kb' } },
    tinyLimits: { env: { MAX_PAYLOAD_SIZE: '2kb', IMPORT_MAX_FILE_SIZE: '2kb' } }
  },
  github: true,
  inputs: { 'timeout-seconds': '120' },
  firstPr: 800
})
const { directus } = live
let base: DirectusInstance
let dir: string

beforeAll(() => {
  base = directus.base
  dir = mkdtempSync(join(tmpdir(), 'dsa-snapshots-'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** The target, emptied, with what the base lacks: a `legacy` collection and an extra field on `tags`. */
async function targetWithExtras(): Promise<DirectusInstance> {
  const target = directus.target
  await live.empty(target)
  // Fields need meta: a bare column is not managed by Directus, so no snapshot shows it.
  const meta = { interface: 'input' }
  await createCollection(target.url, target.adminToken, 'legacy', [{ field: 'label', type: 'string', meta, schema: {} }])
  await createCollection(target.url, target.adminToken, 'tags', [{ field: 'name', type: 'string', meta, schema: { max_length: 64 } }])
  await createField(target.url, target.adminToken, 'tags', { field: 'legacy_code', type: 'string', meta, schema: {} })
  return target
}

function fieldsOf(snapshot: { fields: { collection: string; field: string }[] }): string[] {
  return snapshot.fields.map((field) => `${field.collection}.${field.field}`)
}

describe('diff-mode: merge', () => {
  it('adds and updates but deletes nothing, says so in the report, and applies additively', async () => {
    const target = await targetWithExtras()
    const mirror = await live.review(live.inputs({}, { base, target }))
    expectSucceeded(mirror.plan)
    expect(mirror.plan.outputs['summary']).toMatch(/-1 collection/)
    expect(mirror.plan.outputs['destructive']).toBe('true')

    const review = await live.review(live.inputs({ 'diff-mode': 'merge' }, { base, target }))
    expectSucceeded(review.plan)
    expect(review.plan.outputs['summary']).not.toMatch(/-\d/)
    expect(review.plan.outputs['destructive']).toBe('false')
    expect(live.comment(review.pr)).toContain(
      '**Diff mode:** `merge`: Directus leaves out whole collections, fields and relations the base lacks'
    )
    const deletions = diffOf(review.plan).fields.filter((field) => field.diff[0]?.kind === 'D' && !field.diff[0].path)
    expect(deletions).toEqual([])

    const apply = await live.apply(live.inputs({ 'diff-mode': 'merge' }, { base, target }), review)
    expectSucceeded(apply)
    expect(apply.outputs['applied']).toBe('true')
    const after = await getSnapshot(target.url, target.adminToken)
    expect(await collectionsOf(target)).toEqual([...(await collectionsOf(base)), 'legacy'].sort())
    expect(fieldsOf(after)).toContain('tags.legacy_code')
    expect(fieldsOf(after)).toContain('tags.color')
  })
})

describe('include-collections and exclude-collections', () => {
  let target: DirectusInstance

  beforeAll(async () => {
    target = await targetWithExtras()
  })

  it('plans and applies only the included collections; the rest of the target is left alone', async () => {
    const scoped = live.inputs({ 'include-collections': 'blog, authors, tags' }, { base, target })
    const review = await live.review(scoped)
    expectSucceeded(review.plan)
    const diff = diffOf(review.plan)
    expect([...new Set([...diff.collections, ...diff.fields].map((item) => item.collection))].sort()).toEqual(['authors', 'blog', 'tags'])
    expect(review.plan.outputs['destructive']).toBe('true') // tags.legacy_code is in scope, so mirror drops it
    const comment = live.comment(review.pr)
    expect(comment).toContain('**Scope:** only <code>blog</code>, <code>authors</code>, <code>tags</code> (`include-collections`)')
    expect(comment).not.toContain('outside it')

    const apply = await live.apply({ ...scoped, 'allow-destructive': 'true' }, review)
    expectSucceeded(apply)
    expect(await collectionsOf(target)).toEqual(['authors', 'blog', 'legacy', 'tags'])
    expect(fieldsOf(await getSnapshot(target.url, target.adminToken))).not.toContain('tags.legacy_code')
  })

  it('leaves the excluded collections, and collections only the target has, out of the plan', async () => {
    const review = await live.review(live.inputs({ 'exclude-collections': 'articles,articles_tags' }, { base, target }))
    expectSucceeded(review.plan)
    const touched = new Set([...diffOf(review.plan).collections, ...diffOf(review.plan).fields].map((item) => item.collection))
    expect([...touched].sort()).toEqual(['site_settings'])
    expect(live.comment(review.pr)).toContain('every collection except <code>articles</code>, <code>articles&#95;tags</code>')
  })

  it('warns about an included name the base does not have, and a folder left out of the scope', async () => {
    const review = await live.review(live.inputs({ 'include-collections': 'tags,tgas' }, { base, target }))
    expectSucceeded(review.plan)
    expect(review.plan.stdout).toMatch(/::warning::include-collections names a collection the base does not have: tgas/)
    expect(review.plan.stdout).toMatch(/::warning::Collections in this scope sit in folders or relate to collections outside it: blog\./)
    expect(live.comment(review.pr)).toMatch(/\[!WARNING\][\s\S]*outside it: blog/)
  })
})

describe('a committed snapshot as the base', () => {
  let target: DirectusInstance
  let livePlan: { digest?: string; hash?: string }
  const files = { ours: '', directusYaml: '', wrappedJson: '' }

  beforeAll(async () => {
    target = directus.target
    await live.empty(target)
    const fromLive = await live.review(live.inputs({}, { base, target }))
    expectSucceeded(fromLive.plan)
    livePlan = fromLive.plan.outputs
  })

  it('command: snapshot writes the base snapshot with sorted keys, and a re-export changes nothing', async () => {
    files.ours = join(dir, 'schema', 'snapshot.yaml')
    const snapshotInputs = { command: 'snapshot', 'base-url': base.url, 'base-token': base.adminToken, 'snapshot-file': files.ours }
    const first = await runAction({ inputs: snapshotInputs })
    expectSucceeded(first)
    expect(first.outputs).toMatchObject({ 'snapshot-file': files.ours, 'snapshot-changed': 'true' })
    expect(first.outputs['summary']).toMatch(/^Directus 12\.4\.0 on sqlite: 6 collections, \d+ fields, 3 relations$/)
    const text = readFileSync(files.ours, 'utf8')
    expect(
      text
        .split('\n')
        .filter((line) => /^\w/.test(line))
        .map((line) => line.split(':')[0])
    ).toEqual(['collections', 'directus', 'fields', 'relations', 'systemFields', 'vendor', 'version'])
    const again = await runAction({ inputs: snapshotInputs })
    expect(again.outputs['snapshot-changed']).toBe('false')
    expect(readFileSync(files.ours, 'utf8')).toBe(text)
    live.expectNoSecrets(again)
  })

  it('plans exactly the live diff from our YAML, Directus’ own YAML export, and the JSON of GET /schema/snapshot', async () => {
    const get = async (query: string) =>
      (await fetch(`${base.url}/schema/snapshot${query}`, { headers: { Authorization: `Bearer ${base.adminToken}` } })).text()
    files.directusYaml = join(dir, 'directus-export.yml')
    files.wrappedJson = join(dir, 'snapshot-response.json')
    writeFileSync(files.directusYaml, await get('?export=yaml'))
    writeFileSync(files.wrappedJson, await get(''))
    expect(readFileSync(files.wrappedJson, 'utf8')).toMatch(/^\{"data":/)

    for (const file of [files.ours, files.directusYaml, files.wrappedJson]) {
      const review = await live.review(live.inputs({}, { base: { snapshot: file }, target }))
      expectSucceeded(review.plan)
      expect({ file, digest: review.plan.outputs['digest'], hash: review.plan.outputs['hash'] }).toEqual({
        file,
        digest: livePlan.digest,
        hash: livePlan.hash
      })
      const comment = live.comment(review.pr)
      expect(comment).toContain('| Directus version | 12.4.0 | 12.4.0 |')
      expect(comment).toContain('| Database | sqlite | sqlite |')
    }
  })

  it('scopes a committed snapshot the way Directus scopes a live one', async () => {
    const fromFile = await live.review(live.inputs({ 'include-collections': 'tags' }, { base: { snapshot: files.ours }, target }))
    const fromLive = await live.review(live.inputs({ 'include-collections': 'tags' }, { base, target }))
    expectSucceeded(fromFile.plan)
    expect(fromFile.plan.outputs['summary']).toMatch(/^\+1 collection, \+3 fields$/)
    expect(fromFile.plan.outputs['digest']).toBe(fromLive.plan.outputs['digest'])
  })

  it('applies the reviewed diff of a committed snapshot on merge', async () => {
    const inputs = live.inputs({}, { base: { snapshot: files.ours }, target })
    const review = await live.review(inputs)
    const apply = await live.apply(inputs, review)
    expectSucceeded(apply)
    expect(apply.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
  })

  it('says plainly when Directus 12 without a license key refuses the apply over its 25-collection cap, target unchanged', async () => {
    const snapshot = await getSnapshot(base.url, base.adminToken)
    const tags = snapshot.collections.find((item: { collection: string }) => item.collection === 'tags')
    const tagsId = snapshot.fields.find((item: { collection: string; field: string }) => item.collection === 'tags' && item.field === 'id')
    for (let index = 1; index <= 25; index++) {
      const name = `bulk_${String(index).padStart(2, '0')}`
      snapshot.collections.push({ ...tags, collection: name, meta: { ...tags.meta, collection: name, group: null }, schema: { name } })
      snapshot.fields.push({
        ...tagsId,
        collection: name,
        meta: { ...tagsId.meta, collection: name },
        schema: { ...tagsId.schema, table: name }
      })
    }
    const file = join(dir, 'thirty-collections.json')
    writeFileSync(file, JSON.stringify(snapshot))

    const inputs = live.inputs({}, { base: { snapshot: file }, target })
    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    const before = await schemaOf(target)
    const apply = await live.apply(inputs, review)
    expect(apply.outputs['failure-reason']).toBe('apply-failed')
    expectOneCleanFailure(
      apply,
      /HTTP 403/,
      /LIMIT_EXCEEDED/,
      /The target is unchanged/,
      /without a license key allows at most 25 active collections/
    )
    expect(await schemaOf(target)).toBe(before)
  })

  it('refuses a file that is not a snapshot in one line, naming the input', async () => {
    const bogus = join(dir, 'bogus.json')
    writeFileSync(bogus, JSON.stringify({ data: { collections: [] } }))
    const run = await live.review(live.inputs({}, { base: { snapshot: bogus }, target }))
    expectOneCleanFailure(run.plan, /Input 'base-snapshot': .*bogus\.json is not a Directus schema snapshot/)
  })
})

describe('body limits on the target', () => {
  it('takes snapshot and diff as uploads when MAX_PAYLOAD_SIZE is below them, in both directions', async () => {
    const target = directus.smallPayload
    const inputs = live.inputs({}, { base, target })
    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    const apply = await live.apply(inputs, review)
    expectSucceeded(apply)
    expect(apply.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
  })

  it('fails in one line naming both limits and the size when the target refuses both forms', async () => {
    const target = directus.tinyLimits
    const before = await schemaOf(target)
    const review = await live.review(live.inputs({}, { base, target }))
    expectOneCleanFailure(
      review.plan,
      /target \(127\.0\.0\.1:\d+\): POST \/schema\/diff answered HTTP 413: the snapshot is [\d.]+ KiB \(\d+ bytes\) of JSON/,
      /IMPORT_MAX_FILE_SIZE/,
      /MAX_PAYLOAD_SIZE/
    )
    expect(await schemaOf(target)).toBe(before)
  })
})
