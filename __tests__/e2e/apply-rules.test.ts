/**
 * The plan says what Directus will really do (issue #9), against live
 * Directus 12.4.0 (SQLite, PostgreSQL) and 11.17.4 (SQLite), through the
 * committed dist/index.js as the runner runs it:
 *
 * - a list Directus reads as a deletion (the reproduction, the 11.x
 *   collection whose base lacks meta.note, and merge mode) is planned as
 *   destructive with the plain-words warning and what it drops; apply
 *   refuses it without allow-destructive and the data stays; with it, it
 *   applies and says so;
 * - counts of what destructive and risky changes touch;
 * - each risk class, its mark and the `risky` output, and what each database
 *   does with it (the claims the report makes per vendor);
 * - version noise from an older 11.x snapshot: grouped, trimmed, applied, and
 *   a re-run is a no-op.
 *
 * Self-contained: its own instances (one per version and database, shared by
 * the scenarios, each on its own collections), base snapshots written as
 * committed files would be, and the GitHub stand-in.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createCollection, createRelation, directusRequest, getSnapshot } from '../../scripts/lib/seed.mjs'
import { diffOf, expectRefused, expectSucceeded, useLive, type Review } from '../support/live.js'

const live = useLive({
  name: 'apply-rules',
  directus: {
    sqlite12: { version: '12.4.0', db: 'sqlite' },
    pg12: { version: '12.4.0', db: 'pg' },
    sqlite11: { version: '11.17.4', db: 'sqlite' }
  },
  github: true,
  inputs: { 'timeout-seconds': '120' },
  firstPr: 900
})
const { directus } = live
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dsa-apply-rules-'))
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// ---------------------------------------------------------------------------------------------
// Helpers

type Snapshot = {
  directus: string
  collections: Array<{ collection: string; meta: Record<string, unknown> | null; schema: unknown }>
  fields: Array<{
    collection: string
    field: string
    type: string
    meta: Record<string, unknown> | null
    schema: Record<string, unknown> | null
  }>
  systemFields?: Array<{ collection: string; field: string; schema: { is_indexed: boolean } }>
  relations: Array<{ collection: string; field: string; schema: Record<string, unknown> | null; meta: Record<string, unknown> | null }>
}

const meta = { interface: 'input' }

function string(field: string, schema: Record<string, unknown> = {}) {
  return { field, type: 'string', meta, schema }
}

async function insert(target: DirectusInstance, collection: string, rows: Record<string, unknown>[]): Promise<void> {
  for (const row of rows) await directusRequest(target.url, target.adminToken, 'POST', `/items/${collection}`, row)
}

async function itemsOf(target: DirectusInstance, collection: string, field: string): Promise<unknown[]> {
  const rows = (await directusRequest(target.url, target.adminToken, 'GET', `/items/${collection}?fields=${field}&sort=id`)) as Record<
    string,
    unknown
  >[]
  return rows.map((row) => row[field])
}

async function snapshotOf(target: DirectusInstance): Promise<Snapshot> {
  return (await getSnapshot(target.url, target.adminToken)) as Snapshot
}

function fieldOf(snapshot: Snapshot, collection: string, field: string) {
  const found = snapshot.fields.find((item) => item.collection === collection && item.field === field)
  if (!found) throw new Error(`no field ${collection}.${field}`)
  return found
}

/** The target's own snapshot, edited, written as a committed base snapshot would be. */
async function baseFile(target: DirectusInstance, name: string, edit: (snapshot: Snapshot) => void): Promise<{ snapshot: string }> {
  const snapshot = await snapshotOf(target)
  edit(snapshot)
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify(snapshot, null, 2))
  return { snapshot: file }
}

/** The comment's text with Markdown character references decoded, as a reader sees it. */
function readable(comment: string): string {
  return comment.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))).replace(/&#8203;/g, '')
}

// ---------------------------------------------------------------------------------------------
// Lists Directus reads as deletions

describe('a list whose first entry Directus reads as a deletion', () => {
  it('12.4.0: schema.is_indexed missing from the base deletes customers.email: planned as such, refused, then applied and said', async () => {
    const target = directus.sqlite12
    await createCollection(target.url, target.adminToken, 'customers', [string('email')])
    await insert(target, 'customers', [{ email: 'ada@example.com' }])
    const base = await baseFile(target, 'customers', (snapshot) => {
      delete fieldOf(snapshot, 'customers', 'email').schema?.['is_indexed']
    })
    const inputs = live.inputs({}, { base: base, target: target })

    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(diffOf(review.plan).fields).toEqual([
      { collection: 'customers', field: 'email', diff: [{ kind: 'D', path: ['schema', 'is_indexed'], lhs: false }] }
    ])
    expect(review.plan.outputs).toMatchObject({ 'has-changes': 'true', destructive: 'true', risky: 'false', summary: '-1 field' })
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain(
      '**Directus will DELETE field <code>customers.email</code> and its data.** Its diff starts by removing <code>schema.is_indexed</code>, ' +
        'and Directus reads that as a field deletion. This usually means the base snapshot comes from another Directus version or was edited by hand.'
    )
    expect(comment).toContain('> - ➖ field <code>customers.email</code>: drops the column and its data · 1 value is dropped')
    expect(comment).toContain('Apply refuses it unless the apply job sets <code>allow-destructive: true</code>')
    expect(review.plan.stdout).toMatch(/::warning::Directus will DELETE field `customers.email` and its data\./)

    const blocked = await live.apply(inputs, review)
    expectRefused(blocked, 'destructive-blocked')
    expect(await itemsOf(target, 'customers', 'email')).toEqual(['ada@example.com'])

    const applied = expectSucceeded(await live.apply({ ...inputs, 'allow-destructive': 'true' }, review))
    expect(applied.outputs).toMatchObject({ applied: 'true', 'failure-reason': '', destructive: 'true', summary: '-1 field' })
    expect((await snapshotOf(target)).fields.some((field) => field.collection === 'customers' && field.field === 'email')).toBe(false)
    expect(readable(live.comment(review.pr))).toMatch(/Applied -1 field at \d{4}-/)
    // The base still has the field: what remains is the base asking for it back, never a reviewed change still pending.
    expect(applied.stdout).toMatch(/::warning::After apply the target still differs from the base by \+1 field/)
    live.expectNoSecrets(applied)
  })

  it('12.4.0, diff-mode merge: the same deletion survives merge mode, and is planned, refused and applied as one', async () => {
    const target = directus.sqlite12
    await createCollection(target.url, target.adminToken, 'members', [string('nickname')])
    await insert(target, 'members', [{ nickname: 'ada' }, { nickname: 'bob' }])
    const base = await baseFile(target, 'members', (snapshot) => {
      delete fieldOf(snapshot, 'members', 'nickname').schema?.['is_indexed']
    })
    const inputs = live.inputs({ 'diff-mode': 'merge' }, { base: base, target: target })

    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(review.plan.outputs).toMatchObject({ destructive: 'true', summary: '-1 field' })
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain('**Directus will DELETE field <code>members.nickname</code> and its data.**')
    expect(comment).toContain('2 values are dropped')
    expect(comment).toContain('a list that starts by removing a property still deletes')

    expectRefused(await live.apply(inputs, review), 'destructive-blocked')
    expect(await itemsOf(target, 'members', 'nickname')).toEqual(['ada', 'bob'])

    expectSucceeded(await live.apply({ ...inputs, 'allow-destructive': 'true' }, review))
    expect((await snapshotOf(target)).fields.some((field) => field.collection === 'members' && field.field === 'nickname')).toBe(false)
  })

  it('11.17.4: a collection whose base lacks meta.note is deleted with its rows: planned as such, refused, then applied', async () => {
    const target = directus.sqlite11
    await createCollection(target.url, target.adminToken, 'orders', [string('ref')], { meta: { note: 'open orders' } })
    await insert(target, 'orders', [{ ref: 'A-1' }, { ref: 'A-2' }])
    const base = await baseFile(target, 'orders', (snapshot) => {
      const orders = snapshot.collections.find((collection) => collection.collection === 'orders')
      delete orders?.meta?.['note']
    })
    const inputs = live.inputs({}, { base: base, target: target })

    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(diffOf(review.plan).collections).toEqual([
      { collection: 'orders', diff: [{ kind: 'D', path: ['meta', 'note'], lhs: 'open orders' }] }
    ])
    expect(review.plan.outputs).toMatchObject({ destructive: 'true', summary: '-1 collection' })
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain(
      '> - ➖ collection <code>orders</code>: drops the collection and all its rows · 2 rows are dropped **Directus will DELETE collection <code>orders</code> and all its rows.** ' +
        'Its diff starts by removing <code>meta.note</code>, and Directus reads that as a collection deletion.'
    )

    expectRefused(await live.apply(inputs, review), 'destructive-blocked')
    expect(await itemsOf(target, 'orders', 'ref')).toEqual(['A-1', 'A-2'])

    const applied = expectSucceeded(await live.apply({ ...inputs, 'allow-destructive': 'true' }, review))
    expect(applied.outputs).toMatchObject({ applied: 'true', summary: '-1 collection', destructive: 'true' })
    expect((await snapshotOf(target)).collections.some((collection) => collection.collection === 'orders')).toBe(false)
  })
})

// ---------------------------------------------------------------------------------------------
// Counts

describe('what destructive and risky changes touch, counted on the target', () => {
  it('PostgreSQL: rows of a dropped collection, values of a dropped column, cut values, rows without a value; the NOT NULL makes the apply fail', async () => {
    const target = directus.pg12
    await createCollection(target.url, target.adminToken, 'cnt_gone', [string('label')])
    await insert(target, 'cnt_gone', [{ label: 'a' }, { label: 'b' }, { label: 'c' }])
    await createCollection(target.url, target.adminToken, 'cnt_items', [string('dropme'), string('code'), string('req')])
    await insert(target, 'cnt_items', [
      { dropme: 'x', code: 'ab', req: 'set' },
      { dropme: 'y', code: 'abcdefgh', req: null },
      { dropme: null, code: 'abcdefghij', req: null }
    ])
    const base = await baseFile(target, 'counts', (snapshot) => {
      snapshot.collections = snapshot.collections.filter((collection) => collection.collection !== 'cnt_gone')
      snapshot.fields = snapshot.fields.filter(
        (field) => field.collection !== 'cnt_gone' && !(field.collection === 'cnt_items' && field.field === 'dropme')
      )
      fieldOf(snapshot, 'cnt_items', 'code').schema!['max_length'] = 4
      fieldOf(snapshot, 'cnt_items', 'req').schema!['is_nullable'] = false
    })
    const inputs = live.inputs({}, { base: base, target: target })

    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(review.plan.outputs).toMatchObject({ destructive: 'true', risky: 'true', summary: '-1 collection, ~2 fields, -1 field' })
    expect(review.plan.stdout).toMatch(/::group::count/)
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain('> - ➖ collection <code>cnt_gone</code>: drops the collection and all its rows · 3 rows are dropped')
    expect(comment).toContain('> - ➖ field <code>cnt_items.dropme</code>: drops the column and its data · 2 values are dropped')
    // PostgreSQL cuts the longer values (see the risk test below): destructive there, with how many.
    expect(comment).toContain(
      '> - ✏️ field <code>cnt_items.code</code>: cuts values longer than 4 characters · 2 values are cut to 4 characters'
    )
    expect(comment).toContain('**may fail on existing rows:** adds NOT NULL · apply will fail: 2 rows have no <code>req</code>')

    const failed = await live.apply({ ...inputs, 'allow-destructive': 'true' }, review)
    expectRefused(failed, 'apply-failed')
    expect(failed.stdout).toMatch(/contains null values/)
    // One transaction: nothing was dropped or cut.
    expect(await itemsOf(target, 'cnt_gone', 'label')).toEqual(['a', 'b', 'c'])
    expect(await itemsOf(target, 'cnt_items', 'code')).toEqual(['ab', 'abcdefgh', 'abcdefghij'])
  })
})

// ---------------------------------------------------------------------------------------------
// Risk classes

describe('risk classes: marked, in the risky output, never blocking', () => {
  it('may fail on existing rows (SQLite): NOT NULL with a row that has no value; the apply then fails and changes nothing', async () => {
    const target = directus.sqlite12
    await createCollection(target.url, target.adminToken, 'rk_people', [string('name')])
    await insert(target, 'rk_people', [{ name: 'ada' }, { name: null }])
    const base = await baseFile(target, 'rk-not-null', (snapshot) => {
      fieldOf(snapshot, 'rk_people', 'name').schema!['is_nullable'] = false
    })
    const inputs = live.inputs({}, { base: base, target: target })
    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(review.plan.outputs).toMatchObject({ risky: 'true', destructive: 'false', summary: '~1 field' })
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain('| ✏️ update ⚡ | field <code>name</code> |')
    expect(comment).toContain(
      '> - ⚡ field <code>rk_people.name</code>: **may fail on existing rows:** adds NOT NULL · apply will fail: 1 row has no <code>name</code>'
    )
    expect(review.plan.stdout).toMatch(/::notice::1 risky change\(s\) for staging/)

    // Not blocked: it reaches Directus, and SQLite refuses it as the plan said.
    const failed = await live.apply(inputs, review)
    expectRefused(failed, 'apply-failed')
    expect(failed.stdout).toMatch(/contains null values.*The target is unchanged/)
    expect(await itemsOf(target, 'rk_people', 'name')).toEqual(['ada', null])
  })

  it('changes what a delete does (SQLite): on_delete becomes CASCADE; applied without allow-destructive', async () => {
    const target = directus.sqlite12
    await createCollection(target.url, target.adminToken, 'rk_authors', [string('name')])
    await createCollection(target.url, target.adminToken, 'rk_posts', [
      { field: 'author', type: 'integer', meta: { interface: 'select-dropdown-m2o', special: ['m2o'] }, schema: {} }
    ])
    await createRelation(target.url, target.adminToken, {
      collection: 'rk_posts',
      field: 'author',
      related_collection: 'rk_authors',
      schema: { on_delete: 'SET NULL' }
    })
    const base = await baseFile(target, 'rk-cascade', (snapshot) => {
      const relation = snapshot.relations.find((item) => item.collection === 'rk_posts' && item.field === 'author')
      relation!.schema!['on_delete'] = 'CASCADE'
    })
    const inputs = live.inputs({}, { base: base, target: target })
    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(review.plan.outputs).toMatchObject({ risky: 'true', destructive: 'false', summary: '~1 relation' })
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain(
      '> - ⚡ relation <code>rk_posts.author -> rk_authors</code>: **changes what a delete does:** on delete SET NULL → CASCADE: deleting the related row deletes these rows'
    )
    expect(comment).toContain('| ✏️ update ⚡ | relation <code>rk_posts.author -> rk_authors</code> |')

    const applied = expectSucceeded(await live.apply(inputs, review))
    expect(applied.outputs['applied']).toBe('true')
    const relation = (await snapshotOf(target)).relations.find((item) => item.collection === 'rk_posts' && item.field === 'author')
    expect(relation?.schema?.['on_delete']).toBe('CASCADE')
  })

  it('can fail or truncate (SQLite): a shorter max_length keeps the longer values there; risky, not destructive, applied', async () => {
    const target = directus.sqlite12
    await createCollection(target.url, target.adminToken, 'rk_codes', [string('code')])
    await insert(target, 'rk_codes', [{ code: 'ab' }, { code: 'abcdefgh' }])
    const base = await baseFile(target, 'rk-length-sqlite', (snapshot) => {
      fieldOf(snapshot, 'rk_codes', 'code').schema!['max_length'] = 4
    })
    const inputs = live.inputs({}, { base: base, target: target })
    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(review.plan.outputs).toMatchObject({ risky: 'true', destructive: 'false' })
    expect(readable(live.comment(review.pr))).toContain(
      '> - ⚡ field <code>rk_codes.code</code>: **can fail or truncate:** shortens its max length 255 → 4 (SQLite enforces no length: longer values stay as they are) · ' +
        '1 value is longer than 4 characters; SQLite keeps them as they are'
    )
    expectSucceeded(await live.apply(inputs, review))
    expect(fieldOf(await snapshotOf(target), 'rk_codes', 'code').schema?.['max_length']).toBe(4)
    expect(await itemsOf(target, 'rk_codes', 'code')).toEqual(['ab', 'abcdefgh'])
  })

  it('can fail or truncate (PostgreSQL): the same edit cuts the values there, so it is destructive too', async () => {
    const target = directus.pg12
    await createCollection(target.url, target.adminToken, 'rk_codes', [string('code')])
    await insert(target, 'rk_codes', [{ code: 'ab' }, { code: 'abcdefgh' }])
    const base = await baseFile(target, 'rk-length-pg', (snapshot) => {
      fieldOf(snapshot, 'rk_codes', 'code').schema!['max_length'] = 4
    })
    const inputs = live.inputs({}, { base: base, target: target })
    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(review.plan.outputs).toMatchObject({ risky: 'true', destructive: 'true' })
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain(
      '> - ⚡ field <code>rk_codes.code</code>: **can fail or truncate:** shortens its max length 255 → 4 (PostgreSQL cuts longer values to the new length, silently)'
    )
    expect(comment).toContain(
      '> - ✏️ field <code>rk_codes.code</code>: cuts values longer than 4 characters · 1 value is cut to 4 characters'
    )

    expectRefused(await live.apply(inputs, review), 'destructive-blocked')
    expectSucceeded(await live.apply({ ...inputs, 'allow-destructive': 'true' }, review))
    expect(await itemsOf(target, 'rk_codes', 'code')).toEqual(['ab', 'abcd'])
  })
})

// ---------------------------------------------------------------------------------------------
// Version noise

describe('a base snapshot written by an older Directus 11.x', () => {
  it('11.17.4: meta.searchable and systemFields, unknown before 11.13.0, are grouped and trimmed; the apply succeeds and a re-run is a no-op', async () => {
    const target = directus.sqlite11
    await createCollection(target.url, target.adminToken, 'vn_pages', [string('title'), string('slug')])
    const before = await snapshotOf(target)
    const indexed = (before.systemFields ?? []).filter((field) => field.schema.is_indexed).length
    expect(indexed).toBeGreaterThan(0)
    const base = await baseFile(target, 'older-11', (snapshot) => {
      snapshot.directus = '11.7.2'
      for (const field of snapshot.fields) delete field.meta?.['searchable']
      delete snapshot.systemFields
      fieldOf(snapshot, 'vn_pages', 'title').meta!['note'] = 'Shown in the browser tab'
    })
    const inputs = live.inputs({ force: 'true' }, { base: base, target: target })

    const review = await live.review(inputs)
    expectSucceeded(review.plan)
    expect(review.plan.outputs).toMatchObject({ 'has-changes': 'true', summary: '~1 field', destructive: 'false', risky: 'false' })
    const fields = before.fields.length
    const comment = readable(live.comment(review.pr))
    expect(comment).toContain(
      `> - ${fields} fields: <code>meta.searchable</code> is unknown to the base’s Directus 11.7.2; the target keeps its value.`
    )
    expect(comment).toContain(
      `> - ${indexed} system fields: the snapshot of the base’s Directus 11.7.2 has no <code>systemFields</code>, so Directus would drop their indexes; the target keeps them.`
    )
    const sealed = diffOf(review.plan)
    expect(JSON.stringify(sealed)).not.toContain('searchable')
    expect(sealed.systemFields).toEqual([])
    expect(sealed.fields).toEqual([
      { collection: 'vn_pages', field: 'title', diff: [{ kind: 'E', path: ['meta', 'note'], lhs: null, rhs: 'Shown in the browser tab' }] }
    ])

    const applied = expectSucceeded(await live.apply(inputs, review))
    expect(applied.outputs['applied']).toBe('true')
    expect(applied.stdout).not.toMatch(/still pending/)
    const after = await snapshotOf(target)
    expect(fieldOf(after, 'vn_pages', 'title').meta?.['note']).toBe('Shown in the browser tab')
    expect(after.fields.every((field) => field.meta?.['searchable'] === true)).toBe(true)
    expect((after.systemFields ?? []).filter((field) => field.schema.is_indexed).length).toBe(indexed)

    const rerun = expectSucceeded(await live.apply(inputs, review))
    expect(rerun.outputs['applied']).toBe('false')
    expect(rerun.stdout).toMatch(/nothing to apply/)
    const replan: Review = await live.review(inputs)
    expect(expectSucceeded(replan.plan).outputs['has-changes']).toBe('false')
  })

  it('12.4.0, SQLite: a uuid field without meta.special leaves no destructive residue: the next plan has no changes', async () => {
    const target = directus.sqlite12
    // Created as the issue says: char(36) on SQLite, read back as a string, created by apply as varchar(36).
    await createCollection(target.url, target.adminToken, 'uu_items', [{ field: 'uid', type: 'uuid', meta, schema: {} }])
    const base = await baseFile(target, 'uuid', () => undefined)
    expect(fieldOf(JSON.parse(readFileSync(base.snapshot, 'utf8')) as Snapshot, 'uu_items', 'uid').schema?.['data_type']).toBe('char')
    await directusRequest(target.url, target.adminToken, 'DELETE', '/collections/uu_items')
    const inputs = live.inputs({}, { base: base, target: target })

    const review = await live.review(inputs)
    expect(expectSucceeded(review.plan).outputs).toMatchObject({ summary: '+1 collection, +2 fields', destructive: 'false' })
    const applied = expectSucceeded(await live.apply(inputs, review))
    expect(applied.outputs['applied']).toBe('true')
    expect(fieldOf(await snapshotOf(target), 'uu_items', 'uid').schema?.['data_type']).toBe('varchar')

    const next = await live.review(inputs)
    expect(expectSucceeded(next.plan).outputs).toMatchObject({ 'has-changes': 'false', destructive: 'false' })
    expect(readable(live.comment(next.pr))).toContain(
      '> - 1 field: <code>schema.data_type</code> char of a uuid field without <code>meta.special: ["uuid"]</code>: Directus creates such a field as varchar(36) whatever the diff says; the target keeps it.'
    )
  })
})
