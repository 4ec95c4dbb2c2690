// Captures what Directus' POST /schema/diff answers and what POST /schema/apply then does with it, for each
// hazard of issue #9 (Directus decides create/update/delete from the FIRST entry of an item's list), against
// live throwaway instances. Writes one JSON fixture per scenario, version and database into
// __tests__/fixtures/apply-rules/, the README.md there, and the answers of the item-count queries.
//
//   node scripts/capture-apply-fixtures.mjs [--versions 12.4.0,11.17.4] [--only name,name] [--no-pg] [--no-count]
//
// Each scenario makes its own collections (a name prefix per scenario) on the target, builds the base snapshot
// from the target's own snapshot with one edit (so the diff holds only that edit), diffs, applies what
// Directus answered, and records the target's state before and after (collections, fields, relations, row and
// non-null counts) and the diff that remains afterwards. Synthetic scenarios (marked so) apply a hand-made
// body with the target's real hash. See docs/directus-apply-rules.md for what the fixtures prove.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startDirectus, stopAll } from './lib/directus-instance.mjs'
import { dropAllCollections } from './lib/seed.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(root, '__tests__', 'fixtures', 'apply-rules')
const { values: args } = parseArgs({
  options: {
    versions: { type: 'string', default: '12.4.0,11.17.4' },
    only: { type: 'string' },
    'no-pg': { type: 'boolean', default: false },
    'no-count': { type: 'boolean', default: false },
  },
})
const VERSIONS = args.versions.split(',').map((v) => v.trim()).filter(Boolean)
const ONLY = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null
const log = (message) => process.stderr.write(`[capture] ${message}\n`)

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/** One request; never throws for an HTTP status. @returns {Promise<{ status: number, body: any }>} */
async function api(inst, method, path, body) {
  const res = await fetch(`${inst.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${inst.adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let json
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = text
  }
  return { status: res.status, body: json }
}

/** Like api, but throws unless 2xx; returns `data`. */
async function must(inst, method, path, body) {
  const r = await api(inst, method, path, body)
  if (r.status >= 300) throw new Error(`${inst.name}: ${method} ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`)
  return r.body?.data ?? null
}

const snapshot = (inst) => must(inst, 'GET', '/schema/snapshot')
/** @returns {Promise<{ status: number, data: { hash: string, diff: any } | null, errors?: any }>} */
async function diff(inst, snap, query = '') {
  const r = await api(inst, 'POST', `/schema/diff${query}`, snap)
  if (r.status >= 300) throw new Error(`${inst.name}: /schema/diff${query} → ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`)
  return { status: r.status, data: r.body?.data ?? null }
}
async function apply(inst, data, query = '') {
  const r = await api(inst, 'POST', `/schema/apply${query}`, data)
  return { query, status: r.status, errors: r.body?.errors?.map((e) => ({ message: e.message, code: e.extensions?.code })) ?? null }
}

const clone = (x) => structuredClone(x)
const pk = () => ({ field: 'id', type: 'integer', meta: { hidden: true, interface: 'input', readonly: true }, schema: { is_primary_key: true, has_auto_increment: true } })
const str = (field, meta = {}, schema = {}) => ({ field, type: 'string', meta: { interface: 'input', ...meta }, schema })
const int = (field, meta = {}, schema = {}) => ({ field, type: 'integer', meta: { interface: 'input', ...meta }, schema })
async function table(inst, collection, fields, rows = [], meta = {}) {
  await must(inst, 'POST', '/collections', { collection, meta, schema: {}, fields: [pk(), ...fields] })
  if (rows.length) await must(inst, 'POST', `/items/${collection}`, rows)
}
async function m2o(inst, collection, field, related, onDelete = 'SET NULL') {
  await must(inst, 'POST', `/fields/${collection}`, int(field, { interface: 'select-dropdown-m2o', special: ['m2o'] }))
  await must(inst, 'POST', '/relations', { collection, field, related_collection: related, schema: { on_delete: onDelete } })
}
const findField = (snap, c, f) => snap.fields.find((x) => x.collection === c && x.field === f)
const findCollection = (snap, c) => snap.collections.find((x) => x.collection === c)
const findRelation = (snap, c, f) => snap.relations.find((x) => x.collection === c && x.field === f)
const emptyDiff = () => ({ collections: [], fields: [], systemFields: [], relations: [] })

/** The target's current hash, read from a diff answer for a throwaway edit of `collection`'s note. */
async function currentHash(inst, collection) {
  const snap = await snapshot(inst)
  findCollection(snap, collection).meta.note = `hash probe ${Date.now()}`
  return (await diff(inst, snap)).data.hash
}

// ---------------------------------------------------------------------------------------------
// State of the target and what changed
// ---------------------------------------------------------------------------------------------

/** Collections, fields, relations under `prefix`, with row and non-null counts; plus watched system fields. */
async function state(inst, prefix, systemFields = []) {
  const collections = (await must(inst, 'GET', '/collections')).filter((c) => c.collection.startsWith(prefix))
  const fields = (await must(inst, 'GET', '/fields')).filter((f) => f.collection.startsWith(prefix))
  const relations = (await must(inst, 'GET', '/relations')).filter((r) => r.collection.startsWith(prefix) || r.related_collection?.startsWith(prefix))
  const out = { collections: {}, relations: {}, system: {} }
  for (const c of collections.sort((a, b) => a.collection.localeCompare(b.collection))) {
    const entry = { table: c.schema !== null, note: c.meta?.note ?? null, group: c.meta?.group ?? null, rows: null, fields: {} }
    for (const f of fields.filter((x) => x.collection === c.collection)) {
      entry.fields[f.field] = {
        type: f.type,
        data_type: f.schema?.data_type ?? null,
        max_length: f.schema?.max_length ?? null,
        is_indexed: f.schema?.is_indexed ?? null,
        note: f.meta?.note ?? null,
        searchable: f.meta?.searchable ?? null,
        nonNull: null,
      }
    }
    if (entry.table) {
      const all = await api(inst, 'GET', `/items/${c.collection}?aggregate[count]=*`)
      entry.rows = Number(all.body?.data?.[0]?.count)
      const columns = Object.keys(entry.fields).filter((f) => fields.find((x) => x.collection === c.collection && x.field === f)?.schema)
      if (columns.length) {
        const per = await api(inst, 'GET', `/items/${c.collection}?aggregate[count]=${columns.join(',')}`)
        for (const f of columns) entry.fields[f].nonNull = Number(per.body?.data?.[0]?.count?.[f])
      }
    }
    out.collections[c.collection] = entry
  }
  for (const r of relations) {
    out.relations[`${r.collection}.${r.field}`] = {
      related_collection: r.related_collection,
      constraint_name: r.schema?.constraint_name ?? null,
      on_delete: r.schema?.on_delete ?? null,
      foreign_key: r.schema !== null,
      meta: r.meta !== null,
      sort_field: r.meta?.sort_field ?? null,
    }
  }
  for (const [c, f] of systemFields) {
    const r = await api(inst, 'GET', `/fields/${c}/${f}`)
    const x = r.body?.data
    out.system[`${c}.${f}`] = x ? { is_indexed: x.schema?.is_indexed ?? null, max_length: x.schema?.max_length ?? null, note: x.meta?.note ?? null } : null
  }
  return out
}

/** Human-readable list of what changed between two states. */
function describe(before, after) {
  const out = []
  const q = (v) => JSON.stringify(v)
  for (const [name, b] of Object.entries(before.collections)) {
    const a = after.collections[name]
    if (!a) {
      out.push(`collection ${name} deleted${b.table ? ` (table dropped, ${b.rows} row${b.rows === 1 ? '' : 's'} lost)` : ''}`)
      continue
    }
    if (a.note !== b.note) out.push(`collection ${name} meta.note ${q(b.note)} → ${q(a.note)}`)
    if (a.group !== b.group) out.push(`collection ${name} meta.group ${q(b.group)} → ${q(a.group)}`)
    for (const [f, bf] of Object.entries(b.fields)) {
      const af = a.fields[f]
      if (!af) {
        out.push(`field ${name}.${f} deleted${bf.nonNull !== null ? ` (column dropped, ${bf.nonNull} non-null value${bf.nonNull === 1 ? '' : 's'} lost)` : ''}`)
        continue
      }
      for (const k of ['type', 'data_type', 'max_length', 'is_indexed', 'note', 'searchable']) {
        if (af[k] !== bf[k]) out.push(`field ${name}.${f} ${k} ${q(bf[k])} → ${q(af[k])}`)
      }
      if (bf.nonNull !== null && af.nonNull !== null && af.nonNull !== bf.nonNull) out.push(`field ${name}.${f} non-null values ${bf.nonNull} → ${af.nonNull}`)
    }
    for (const f of Object.keys(a.fields)) if (!b.fields[f]) out.push(`field ${name}.${f} created (${a.fields[f].type})`)
    if (b.rows !== null && a.rows !== null && a.rows !== b.rows) out.push(`collection ${name} rows ${b.rows} → ${a.rows}`)
  }
  for (const [name, a] of Object.entries(after.collections)) {
    if (!before.collections[name]) out.push(`collection ${name} created${a.table ? ` (${Object.keys(a.fields).length} fields)` : ' (folder)'}${a.group ? ` in group ${a.group}` : ''}`)
  }
  for (const [name, b] of Object.entries(before.relations)) {
    const a = after.relations[name]
    if (!a) out.push(`relation ${name} → ${b.related_collection} deleted${b.foreign_key ? ' (foreign key dropped)' : ''}`)
    else if (b.meta && !a.meta) out.push(`relation ${name} → ${b.related_collection}: directus_relations row deleted${a.foreign_key ? ', the foreign key is still in the database' : ''}`)
    else for (const k of ['related_collection', 'constraint_name', 'on_delete', 'foreign_key', 'meta', 'sort_field']) {
      if (a[k] !== b[k]) out.push(`relation ${name} ${k} ${q(b[k])} → ${q(a[k])}`)
    }
  }
  for (const [name, a] of Object.entries(after.relations)) {
    if (!before.relations[name]) out.push(`relation ${name} → ${a.related_collection} created${a.foreign_key ? '' : ' (no foreign key, meta row only)'}`)
  }
  for (const [name, b] of Object.entries(before.system)) {
    const a = after.system[name]
    for (const k of ['is_indexed', 'max_length', 'note']) if (a?.[k] !== b?.[k]) out.push(`system field ${name} ${k} ${q(b?.[k])} → ${q(a?.[k])}`)
  }
  return out.length ? out : ['no change']
}

/** One line per item of a diff: "fields c.f: D schema.is_indexed, E meta.note". */
function summarize(d) {
  if (!d) return []
  const entry = (e) => `${e.kind}${e.path ? ` ${e.path.join('.')}` : ''}${e.kind === 'A' ? `[${e.index}] ${e.item?.kind}` : ''}`
  const lines = []
  for (const kind of ['collections', 'fields', 'systemFields', 'relations']) {
    for (const item of d[kind] ?? []) {
      const name = item.field ? `${item.collection}.${item.field}` : item.collection
      lines.push(`${kind} ${name}: ${item.diff.map(entry).join(', ')}`)
    }
  }
  return lines
}

/** The diff that remains after apply, limited to the scenario's items. */
async function rediff(inst, base, keep, query = '') {
  const r = await diff(inst, base, query)
  if (!r.data) return { status: r.status, items: [] }
  const lines = summarize(r.data.diff).filter(keep)
  return { status: r.status, items: lines }
}
const byPrefix = (prefix) => (line) => line.split(' ')[1].startsWith(prefix)

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------
// run(ctx) returns { base, data, apply, before, after, rediff, synthetic?, applied?, extra? }.
// ctx = { t: SQLite or PostgreSQL target, version, db, peers: { [version]: SQLite target }, base: SQLite base (uuid) }

/** Standard flow: setup → base = edit(target snapshot) → diff → apply that answer → state and rediff. */
async function standard(ctx, prefix, edit, { query = '', applyQuery = query, system = [], transform } = {}) {
  const snap = await snapshot(ctx.t)
  const base = clone(snap)
  const description = edit(base)
  const answer = await diff(ctx.t, base, query)
  if (!answer.data) throw new Error(`${prefix}: diff was empty`)
  const before = await state(ctx.t, prefix, system)
  const body = transform ? transform(clone(answer.data)) : answer.data
  const applied = await apply(ctx.t, body, applyQuery)
  const after = await state(ctx.t, prefix, system)
  return {
    base: description,
    diffQuery: query,
    data: answer.data,
    ...(transform ? { applied: body } : {}),
    apply: applied,
    before,
    after,
    rediff: await rediff(ctx.t, base, byPrefix(prefix), query),
  }
}

/** Apply a hand-made diff body with the target's real hash. */
async function synthetic(ctx, prefix, hashCollection, make, system = []) {
  const hash = await currentHash(ctx.t, hashCollection)
  const data = { hash, diff: { ...emptyDiff(), ...make() } }
  const before = await state(ctx.t, prefix, system)
  const applied = await apply(ctx.t, data)
  const after = await state(ctx.t, prefix, system)
  return { data, apply: applied, before, after }
}

const ALL = ['12.4.0', '11.17.4']

const SCENARIOS = [
  {
    name: 'd-first-field',
    title: 'D-first field list with a path (schema.is_indexed removed from the base)',
    what: 'The base is the target\'s own snapshot with `schema.is_indexed` deleted from one field. The diff is a single `D schema.is_indexed` entry, which looks like an update, but `applyDiff` sees a first entry of kind D that is not a nested meta path and deletes the field.',
    versions: ALL,
    dbs: ['sqlite', 'pg'],
    async run(ctx) {
      await table(ctx.t, 'dff_items', [str('title'), str('body')], [{ title: 'a', body: 'x' }, { title: null, body: 'y' }, { title: 'c', body: 'z' }])
      return standard(ctx, 'dff_', (b) => {
        delete findField(b, 'dff_items', 'title').schema.is_indexed
        return 'target snapshot; fields[dff_items.title].schema.is_indexed deleted'
      })
    },
  },
  {
    name: 'd-first-field-merge',
    title: 'The same D-first field list survives mode=merge',
    what: 'Base: `schema.is_indexed` deleted from `title`, and field `extra` left out entirely. In mirror mode the diff holds `title: D schema.is_indexed` and `extra: D` (no path). `mode=merge` drops only lists whose first entry is a D without a path, so `extra` is kept, but `title` is still deleted on apply. Directus 11.17.4 has no merge mode and ignores the parameter.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'dfm_items', [str('title'), str('extra')], [{ title: 'a', extra: 'e' }, { title: 'b', extra: null }])
      const edit = (b) => {
        delete findField(b, 'dfm_items', 'title').schema.is_indexed
        b.fields = b.fields.filter((f) => !(f.collection === 'dfm_items' && f.field === 'extra'))
        return 'target snapshot; fields[dfm_items.title].schema.is_indexed deleted; field dfm_items.extra removed'
      }
      const base = clone(await snapshot(ctx.t))
      edit(base)
      const mirror = await diff(ctx.t, base)
      const result = await standard(ctx, 'dfm_', edit, { query: '?mode=merge' })
      return { ...result, extra: { mirrorDiff: summarize(mirror.data?.diff) } }
    },
  },
  {
    name: 'd-first-relation',
    title: 'D-first relation list with a path (schema.on_delete removed from the base)',
    what: 'Relations have no nested-meta exception: any list whose first entry is D deletes the relation: its directus_relations row, and its foreign key where the database reports a constraint name (PostgreSQL; SQLite reports none, so the key stays). The m2o field and its values stay.',
    versions: ALL,
    dbs: ['sqlite', 'pg'],
    async run(ctx) {
      await table(ctx.t, 'dfr_authors', [str('name')], [{ name: 'Ann' }])
      await table(ctx.t, 'dfr_posts', [str('title')], [{ title: 'p1' }, { title: 'p2' }])
      await m2o(ctx.t, 'dfr_posts', 'author', 'dfr_authors')
      await must(ctx.t, 'PATCH', '/items/dfr_posts', { keys: [1, 2], data: { author: 1 } })
      return standard(ctx, 'dfr_', (b) => {
        delete findRelation(b, 'dfr_posts', 'author').schema.on_delete
        return 'target snapshot; relations[dfr_posts.author].schema.on_delete deleted'
      })
    },
  },
  {
    name: 'relation-meta-key-removed',
    title: 'A relation meta key missing from the base (meta.sort_field removed)',
    what: 'Directus 11.17.4 emits `D meta.sort_field` as the first entry and the apply deletes the relation. Directus 12.4.0 emits `E ["meta"]` instead (see get-snapshot-diff), and the apply is an update that leaves the key as it was.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'rmk_authors', [str('name')], [{ name: 'Ann' }])
      await table(ctx.t, 'rmk_posts', [str('title')], [{ title: 'p1' }])
      await m2o(ctx.t, 'rmk_posts', 'author', 'rmk_authors')
      return standard(ctx, 'rmk_', (b) => {
        delete findRelation(b, 'rmk_posts', 'author').meta.sort_field
        return 'target snapshot; relations[rmk_posts.author].meta.sort_field deleted'
      })
    },
  },
  {
    name: 'collection-meta-key-removed',
    title: 'A collection meta key missing from the base (meta.note removed)',
    what: 'Directus 11.17.4 emits `D meta.note` as the first entry of the collection\'s list, and `applyDiff` deletes the whole collection with its rows. Directus 12.4.0 emits `E ["meta"]`, which updates the collection and leaves `note` in place, so the diff stays.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'cmk_notes', [str('name')], [{ name: 'x' }, { name: 'y' }], { note: 'keep me' })
      return standard(ctx, 'cmk_', (b) => {
        delete findCollection(b, 'cmk_notes').meta.note
        return 'target snapshot; collections[cmk_notes].meta.note deleted'
      })
    },
  },
  {
    name: 'collection-schema-removed',
    title: 'A collection whose `schema` key is missing from the base (as a folder\'s is), diffed with mode=merge',
    what: 'The list is `[D ["schema"]]`: a D with a path, so `mode=merge` keeps it, and 12.4.0 does not fold it (the path is not under meta). Both versions delete the collection with its table and rows.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'csr_items', [str('title')], [{ title: 'a' }, { title: 'b' }, { title: 'c' }])
      return standard(
        ctx,
        'csr_',
        (b) => {
          delete findCollection(b, 'csr_items').schema
          return 'target snapshot; collections[csr_items].schema deleted'
        },
        { query: '?mode=merge' },
      )
    },
  },
  {
    name: 'field-meta-removed',
    title: 'A field whose whole `meta` key is missing from the base',
    what: 'Boundary of the nested-meta rule: `D ["meta"]` has a path of length 1, so it is not a nested meta path. Directus 11.17.4 emits it as the only entry and the apply deletes the field with its column. Directus 12.4.0 rewrites it to `E ["meta"]` with no rhs, an update that changes nothing.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'fmr_items', [str('title')], [{ title: 'a' }, { title: 'b' }])
      return standard(ctx, 'fmr_', (b) => {
        delete findField(b, 'fmr_items', 'title').meta
        return 'target snapshot; fields[fmr_items.title].meta deleted'
      })
    },
  },
  {
    name: 'field-meta-key-added',
    title: 'A field meta key the target does not know (meta.foo added to the base)',
    what: 'Directus 11.17.4 emits `N meta.foo` first; for fields that is a nested meta path, so it is an update (the unknown key is not stored). Directus 12.4.0 emits `E ["meta"]`. Either way the entry comes back.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'fmk_items', [str('title')], [{ title: 'a' }])
      return standard(ctx, 'fmk_', (b) => {
        findField(b, 'fmk_items', 'title').meta.foo = 'bar'
        return 'target snapshot; fields[fmk_items.title].meta.foo = "bar"'
      })
    },
  },
  {
    name: 'n-first-partial-field',
    title: 'Synthetic: N-first field list with a path (partial rhs)',
    what: 'Directus does not generate this for fields (it would need a picked `schema` key missing from the target). `applyDiff` passes the entry\'s rhs (`true`) to `createField` as if it were a whole field, and the apply fails; nothing is changed (one transaction).',
    synthetic: true,
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'nff_items', [str('title')], [{ title: 'a' }])
      return synthetic(ctx, 'nff_', 'nff_items', () => ({
        fields: [{ collection: 'nff_items', field: 'title', diff: [{ kind: 'N', path: ['schema', 'is_indexed'], rhs: true }] }],
      }))
    },
  },
  {
    name: 'n-first-partial-collection',
    title: 'Synthetic: N-first collection list with a path (partial rhs)',
    what: '`applyDiff` calls `CollectionsService.createOne({ ...rhs, fields })` with the entry\'s rhs (a string), which has no `collection` key: 400 INVALID_PAYLOAD.',
    synthetic: true,
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'nfc_items', [str('title')], [{ title: 'a' }])
      return synthetic(ctx, 'nfc_', 'nfc_items', () => ({
        collections: [{ collection: 'nfc_items', diff: [{ kind: 'N', path: ['meta', 'note'], rhs: 'a note' }] }],
      }))
    },
  },
  {
    name: 'n-first-partial-relation',
    title: 'Synthetic: N-first relation list with a path (partial rhs)',
    what: '`applyDiff` calls `RelationsService.createOne({ ...rhs, collection, field })`. With a string rhs this succeeds and creates a relation with no related collection and no foreign key (a directus_relations row only).',
    synthetic: true,
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'nfr_items', [str('title')], [{ title: 'a' }])
      return synthetic(ctx, 'nfr_', 'nfr_items', () => ({
        relations: [{ collection: 'nfr_items', field: 'title', related_collection: null, diff: [{ kind: 'N', path: ['schema', 'on_delete'], rhs: 'SET NULL' }] }],
      }))
    },
  },
  {
    name: 'n-first-partial-cross-version',
    title: 'Generated N-first collection list with a path: a 12.4.0 snapshot diffed (force) against 11.17.4',
    what: 'Directus 12 added the collection meta keys `autosave_revision_interval` and `status`. Diffing a 12.4.0 snapshot against 11.17.4 (needs `force`) yields `[N meta.autosave_revision_interval (rhs null), N meta.status]`. `applyDiff` reads `diff[0].rhs.meta` of an N-first list in its creation filter and fails on the null rhs.',
    versions: ['11.17.4'],
    dbs: ['sqlite'],
    async run(ctx) {
      const peer = ctx.peers['12.4.0']
      if (!peer) throw new Error('needs a 12.4.0 peer')
      for (const inst of [ctx.t, peer]) await table(inst, 'xv_items', [str('title')], [{ title: 'a' }], { note: 'same' })
      const other = await snapshot(peer)
      return standard(
        ctx,
        'xv_',
        (b) => {
          b.collections = b.collections.map((c) => (c.collection === 'xv_items' ? findCollection(other, 'xv_items') : c))
          b.fields = b.fields.map((f) => (f.collection === 'xv_items' ? findField(other, 'xv_items', f.field) : f))
          b.directus = other.directus
          return 'target (11.17.4) snapshot with collection xv_items and its fields taken from a 12.4.0 snapshot; directus: 12.4.0'
        },
        { query: '?force=true', applyQuery: '' },
      )
    },
  },
  {
    name: 'cross-version-11-to-12',
    title: 'An 11.17.4 collection entry diffed (force) against 12.4.0',
    what: 'The reverse of the previous scenario: the 11.x entry lacks `status` and `autosave_revision_interval`; 12.4.0 turns the two `D meta.*` entries into `E ["meta"]`, the apply leaves the keys as they are and the diff comes back every time.',
    versions: ['12.4.0'],
    dbs: ['sqlite'],
    needsPeer: '11.17.4',
    async run(ctx) {
      const peer = ctx.peers['11.17.4']
      if (!peer) throw new Error('needs a 11.17.4 peer')
      for (const inst of [ctx.t, peer]) await table(inst, 'xw_items', [str('title')], [{ title: 'a' }], { note: 'same' })
      const other = await snapshot(peer)
      return standard(
        ctx,
        'xw_',
        (b) => {
          b.collections = b.collections.map((c) => (c.collection === 'xw_items' ? findCollection(other, 'xw_items') : c))
          b.fields = b.fields.map((f) => (f.collection === 'xw_items' ? findField(other, 'xw_items', f.field) : f))
          b.directus = other.directus
          return 'target (12.4.0) snapshot with collection xw_items and its fields taken from an 11.17.4 snapshot; directus: 11.17.4'
        },
        { query: '?force=true', applyQuery: '' },
      )
    },
  },
  {
    name: 'plain-create',
    title: 'Contrast: plain creates (folder, collection in it, field, relation)',
    what: 'Every list starts with N and a whole rhs. The child collection is created after its new parent folder (nested creation), the new collection\'s fields come with it, the m2o field and its relation are created.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'pc_existing', [str('title')], [{ title: 'a' }])
      await must(ctx.t, 'POST', '/collections', { collection: 'pc_folder', meta: { icon: 'folder' }, schema: null })
      await table(ctx.t, 'pc_new', [str('name')], [], { group: 'pc_folder' })
      await m2o(ctx.t, 'pc_existing', 'new_ref', 'pc_new')
      const full = await snapshot(ctx.t)
      await must(ctx.t, 'DELETE', '/fields/pc_existing/new_ref')
      await must(ctx.t, 'DELETE', '/collections/pc_new')
      await must(ctx.t, 'DELETE', '/collections/pc_folder')
      return standard(ctx, 'pc_', (b) => {
        for (const k of ['collections', 'fields', 'relations']) b[k] = clone(full[k])
        return 'snapshot taken before folder pc_folder, collection pc_new (in pc_folder), field pc_existing.new_ref and its relation were deleted from the target'
      })
    },
  },
  {
    name: 'plain-update',
    title: 'Contrast: plain updates (collection note, field note and max_length, relation on_delete)',
    what: 'Every list starts with E on a path that exists on both sides; each item is updated by replaying its entries onto the target\'s current item.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'pu_authors', [str('name')], [{ name: 'Ann' }])
      await table(ctx.t, 'pu_posts', [str('title', { note: 'old' })], [{ title: 'p1' }], { note: 'old' })
      await m2o(ctx.t, 'pu_posts', 'author', 'pu_authors')
      return standard(ctx, 'pu_', (b) => {
        findCollection(b, 'pu_posts').meta.note = 'new'
        const f = findField(b, 'pu_posts', 'title')
        f.meta.note = 'new'
        f.schema.max_length = 100
        findRelation(b, 'pu_posts', 'author').schema.on_delete = 'CASCADE'
        return 'target snapshot; pu_posts meta.note, pu_posts.title meta.note and schema.max_length, relation pu_posts.author schema.on_delete changed'
      })
    },
  },
  {
    name: 'plain-delete',
    title: 'Contrast: plain deletes (collection, field, relation)',
    what: 'Lists that are a single D without a path: the collection is dropped with its rows, the field with its column, the relation with its foreign key (the m2o field stays).',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'pd_authors', [str('name')], [{ name: 'Ann' }])
      await table(ctx.t, 'pd_posts', [str('title')], [{ title: 'p1' }, { title: 'p2' }])
      await table(ctx.t, 'pd_tags', [str('label')], [{ label: 't1' }, { label: 't2' }, { label: 't3' }])
      await m2o(ctx.t, 'pd_posts', 'author', 'pd_authors')
      await must(ctx.t, 'PATCH', '/items/pd_posts', { keys: [1], data: { author: 1 } })
      return standard(ctx, 'pd_', (b) => {
        b.collections = b.collections.filter((c) => c.collection !== 'pd_tags')
        b.fields = b.fields.filter((f) => f.collection !== 'pd_tags' && !(f.collection === 'pd_posts' && f.field === 'title'))
        b.relations = b.relations.filter((r) => !(r.collection === 'pd_posts' && r.field === 'author'))
        return 'target snapshot without collection pd_tags, field pd_posts.title and relation pd_posts.author'
      })
    },
  },
  {
    name: 'delete-collection-with-incoming-relation',
    title: 'Deleting a collection that another collection\'s m2o points to',
    what: 'The base lacks `dci_authors` and the relation `dci_posts.author → dci_authors` (the m2o field stays). The diff holds `collections dci_authors: D` and `relations dci_posts.author: D`. `applyDiff` deletes the collection together with every relation whose many or one side is that collection, then runs the relation\'s own D list.',
    versions: ALL,
    dbs: ['sqlite', 'pg'],
    async run(ctx) {
      await table(ctx.t, 'dci_authors', [str('name')], [{ name: 'Ann' }, { name: 'Bob' }])
      await table(ctx.t, 'dci_posts', [str('title')], [{ title: 'p1' }, { title: 'p2' }])
      await m2o(ctx.t, 'dci_posts', 'author', 'dci_authors')
      await must(ctx.t, 'PATCH', '/items/dci_posts', { keys: [1, 2], data: { author: 1 } })
      return standard(ctx, 'dci_', (b) => {
        b.collections = b.collections.filter((c) => c.collection !== 'dci_authors')
        b.fields = b.fields.filter((f) => f.collection !== 'dci_authors')
        b.relations = b.relations.filter((r) => !(r.collection === 'dci_posts' && r.field === 'author'))
        return 'target snapshot without collection dci_authors and relation dci_posts.author (field dci_posts.author kept)'
      })
    },
  },
  {
    name: 'delete-collection-as-the-app-does',
    title: 'Deleting a collection the way DELETE /collections leaves the base',
    what: 'On SQLite, `DELETE /collections/x` also deletes the m2o fields of other collections that point to x (CollectionsService.deleteOne; checked live on a probe pair, see `extra`; on PostgreSQL that request fails with 500 because the table is dropped before its foreign keys). A base made that way lacks the collection, the m2o field and its relation. `applyDiff` deletes the relation with the collection, then the field (its values are lost), and drops the relation\'s own list: this works on PostgreSQL too.',
    versions: ALL,
    dbs: ['sqlite', 'pg'],
    async run(ctx) {
      for (const p of ['dca_', 'dca_probe_']) {
        await table(ctx.t, `${p}authors`, [str('name')], [{ name: 'Ann' }, { name: 'Bob' }])
        await table(ctx.t, `${p}posts`, [str('title')], [{ title: 'p1' }, { title: 'p2' }])
        await m2o(ctx.t, `${p}posts`, 'author', `${p}authors`)
        await must(ctx.t, 'PATCH', `/items/${p}posts`, { keys: [1, 2], data: { author: 1 } })
      }
      const del = await api(ctx.t, 'DELETE', '/collections/dca_probe_authors')
      const probe = await api(ctx.t, 'GET', '/fields/dca_probe_posts/author')
      await must(ctx.t, 'DELETE', '/collections/dca_probe_posts')
      if (del.status >= 300) await must(ctx.t, 'DELETE', '/collections/dca_probe_authors')
      const result = await standard(ctx, 'dca_', (b) => {
        b.collections = b.collections.filter((c) => c.collection !== 'dca_authors')
        b.fields = b.fields.filter((f) => f.collection !== 'dca_authors' && !(f.collection === 'dca_posts' && f.field === 'author'))
        b.relations = b.relations.filter((r) => !(r.collection === 'dca_posts' && r.field === 'author'))
        return 'target snapshot without collection dca_authors, field dca_posts.author and relation dca_posts.author (what DELETE /collections/dca_authors leaves)'
      })
      return {
        ...result,
        extra: {
          apiDeleteOfProbeAuthors: { request: 'DELETE /collections/dca_probe_authors', status: del.status, errors: del.body?.errors?.map((e) => e.message) ?? null },
          thenProbeM2oField: { request: 'GET /fields/dca_probe_posts/author', status: probe.status, errors: probe.body?.errors?.map((e) => e.message) ?? null },
        },
      }
    },
  },
  {
    name: 'field-delete-with-relation',
    title: 'Deleting an m2o field whose relation is deleted too',
    what: 'The diff holds `fields: D` and `relations: D` for the same field. Deleting the field removes its relation, and `applyDiff` then drops the relation\'s list (it has no N entry) instead of deleting the relation a second time.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'fdr_authors', [str('name')], [{ name: 'Ann' }])
      await table(ctx.t, 'fdr_posts', [str('title')], [{ title: 'p1' }, { title: 'p2' }])
      await m2o(ctx.t, 'fdr_posts', 'author', 'fdr_authors')
      await must(ctx.t, 'PATCH', '/items/fdr_posts', { keys: [1, 2], data: { author: 1 } })
      return standard(ctx, 'fdr_', (b) => {
        b.fields = b.fields.filter((f) => !(f.collection === 'fdr_posts' && f.field === 'author'))
        b.relations = b.relations.filter((r) => !(r.collection === 'fdr_posts' && r.field === 'author'))
        return 'target snapshot without field fdr_posts.author and its relation'
      })
    },
  },
  {
    name: 'field-d-first-with-relation-edit',
    title: 'D-first m2o field list with a relation update in the same diff',
    what: 'Base: `schema.is_indexed` deleted from the m2o field and the relation\'s `on_delete` changed. The field is deleted (D first), which deletes the relation; the relation\'s E list is then dropped unapplied. Afterwards the diff wants to create both again.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'fde_authors', [str('name')], [{ name: 'Ann' }])
      await table(ctx.t, 'fde_posts', [str('title')], [{ title: 'p1' }, { title: 'p2' }])
      await m2o(ctx.t, 'fde_posts', 'author', 'fde_authors')
      await must(ctx.t, 'PATCH', '/items/fde_posts', { keys: [1, 2], data: { author: 1 } })
      return standard(ctx, 'fde_', (b) => {
        delete findField(b, 'fde_posts', 'author').schema.is_indexed
        findRelation(b, 'fde_posts', 'author').schema.on_delete = 'CASCADE'
        return 'target snapshot; fields[fde_posts.author].schema.is_indexed deleted; relations[fde_posts.author].schema.on_delete → CASCADE'
      })
    },
  },
  {
    name: 'missing-group-table',
    title: 'New table collection whose meta.group neither exists nor is created',
    what: 'The collection is not created (filterCollectionsForCreation), but its N field lists stay in the diff and `createField` then fails on the missing collection: the apply fails with 500 and nothing is changed.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'mgt_anchor', [str('title')])
      await table(ctx.t, 'mgt_child', [str('name')])
      const full = await snapshot(ctx.t)
      await must(ctx.t, 'DELETE', '/collections/mgt_child')
      return standard(ctx, 'mgt_', (b) => {
        b.collections.push({ ...clone(findCollection(full, 'mgt_child')), meta: { ...clone(findCollection(full, 'mgt_child').meta), group: 'mgt_ghost' } })
        b.fields.push(...clone(full.fields.filter((f) => f.collection === 'mgt_child')))
        return 'target snapshot plus collection mgt_child (with its fields) in group mgt_ghost, which does not exist'
      })
    },
  },
  {
    name: 'missing-group-folder',
    title: 'New folder whose meta.group neither exists nor is created',
    what: 'A folder has no field lists, so nothing else fails: the apply answers 204, creates nothing, and the same diff comes back.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'mgf_anchor', [str('title')])
      return standard(ctx, 'mgf_', (b) => {
        b.collections.push({ collection: 'mgf_folder', meta: { ...clone(findCollection(b, 'mgf_anchor').meta), collection: 'mgf_folder', group: 'mgf_ghost' } })
        return 'target snapshot plus folder mgf_folder (no schema) in group mgf_ghost, which does not exist'
      })
    },
  },
  {
    name: 'system-fields-generated',
    title: 'systemFields: an index on a system field (generated)',
    what: 'The base lists `directus_users.first_name` with `is_indexed: true`. Directus diffs it as `E schema.is_indexed false → true` (the missing side is the inverted entry) and the apply creates the index.',
    versions: ALL,
    dbs: ['sqlite'],
    system: [['directus_users', 'first_name']],
    async run(ctx) {
      await table(ctx.t, 'sfg_anchor', [str('title')])
      return standard(
        ctx,
        'sfg_',
        (b) => {
          b.systemFields.push({ collection: 'directus_users', field: 'first_name', schema: { is_indexed: true } })
          return 'target snapshot; systemFields + { directus_users.first_name, schema.is_indexed: true }'
        },
        { system: this.system },
      )
    },
  },
  {
    name: 'system-fields-missing',
    title: 'systemFields: a base without the systemFields key (snapshots before 11.13.0)',
    what: 'For every indexed system field of the target that the base does not list, Directus diffs `E schema.is_indexed true → false`, and the apply drops those indexes. Snapshots made before 11.13.0 have no `systemFields` key at all.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'sfm_anchor', [str('title')])
      const snap = await snapshot(ctx.t)
      const watched = snap.systemFields.map((f) => [f.collection, f.field])
      const result = await standard(
        ctx,
        'sfm_',
        (b) => {
          delete b.systemFields
          return 'target snapshot without the systemFields key'
        },
        { system: watched },
      )
      return { ...result, extra: { targetSystemFieldsBefore: snap.systemFields.length, targetSystemFieldsAfter: (await snapshot(ctx.t)).systemFields.length } }
    },
  },
  {
    name: 'system-fields-extra-entries',
    title: 'Synthetic: systemFields lists other than a lone E schema.is_indexed',
    what: 'With the right hash, `validateApplyDiff` does not look at systemFields. `applyDiff` takes every list whose first entry is E, replays ALL its entries onto `{ collection, field }` and calls `updateField`: a second entry `E schema.max_length` is applied, meta changes are ignored for system fields, lists starting with N or D are skipped silently. With a wrong hash the same body is refused with the systemFields message.',
    synthetic: true,
    versions: ALL,
    dbs: ['sqlite'],
    system: [['directus_users', 'title'], ['directus_users', 'location'], ['directus_users', 'description'], ['directus_users', 'tags']],
    async run(ctx) {
      await table(ctx.t, 'sfx_anchor', [str('title')])
      const cur = {}
      for (const [c, f] of this.system) cur[f] = (await must(ctx.t, 'GET', `/fields/${c}/${f}`)).schema
      const make = () => ({
        systemFields: [
          { collection: 'directus_users', field: 'title', diff: [{ kind: 'E', path: ['schema', 'is_indexed'], lhs: false, rhs: true }, { kind: 'E', path: ['schema', 'max_length'], lhs: cur.title.max_length, rhs: 77 }] },
          { collection: 'directus_users', field: 'location', diff: [{ kind: 'E', path: ['meta', 'note'], lhs: null, rhs: 'system note' }] },
          { collection: 'directus_users', field: 'description', diff: [{ kind: 'N', path: ['schema', 'is_indexed'], rhs: true }] },
          { collection: 'directus_users', field: 'tags', diff: [{ kind: 'D', path: ['schema', 'is_indexed'], lhs: false }] },
        ],
      })
      const wrong = await apply(ctx.t, { hash: '0000000000000000000000000000000000000000', diff: { ...emptyDiff(), ...make() } })
      const result = await synthetic(ctx, 'sfx_', 'sfx_anchor', make, this.system)
      return { ...result, extra: { applyWithWrongHash: wrong } }
    },
  },
  {
    name: 'trimmed-diff',
    title: 'A diff with an item removed is still accepted',
    what: '`validateApplyDiff` checks the body\'s shape and compares the hash with the target\'s current snapshot; it does not compare the body with the diff it answered. Here the D-first list of `body` is removed before apply: the rest is applied (204), `body` is kept, and only its list remains in the next diff.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'tr_items', [str('title'), str('body')], [{ title: 'a', body: 'b' }], { note: 'old' })
      const emptyWithWrongHash = await apply(ctx.t, { hash: 'not-the-hash', diff: emptyDiff() })
      const result = await standard(
        ctx,
        'tr_',
        (b) => {
          findCollection(b, 'tr_items').meta.note = 'new'
          findField(b, 'tr_items', 'title').meta.note = 'new'
          delete findField(b, 'tr_items', 'body').schema.is_indexed
          return 'target snapshot; tr_items meta.note and tr_items.title meta.note changed; fields[tr_items.body].schema.is_indexed deleted'
        },
        {
          transform: (data) => {
            data.diff.fields = data.diff.fields.filter((f) => !(f.collection === 'tr_items' && f.field === 'body'))
            return data
          },
        },
      )
      return { ...result, extra: { emptyDiffWithWrongHash: emptyWithWrongHash } }
    },
  },
  {
    name: 'e-first-missing-item',
    title: 'Synthetic: E-first lists for items the target does not have',
    what: '`applyDiff` updates only items it finds in the target\'s current snapshot; E/A lists for a missing collection, field or relation are skipped without an error.',
    synthetic: true,
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'em_items', [str('title')], [{ title: 'a' }])
      return synthetic(ctx, 'em_', 'em_items', () => ({
        collections: [{ collection: 'em_ghost', diff: [{ kind: 'E', path: ['meta', 'note'], lhs: null, rhs: 'x' }] }],
        fields: [{ collection: 'em_items', field: 'ghost', diff: [{ kind: 'E', path: ['meta', 'note'], lhs: null, rhs: 'x' }] }],
        relations: [{ collection: 'em_items', field: 'title', related_collection: 'em_items', diff: [{ kind: 'E', path: ['schema', 'on_delete'], lhs: 'SET NULL', rhs: 'CASCADE' }] }],
      }))
    },
  },
  {
    name: 'searchable-noise',
    title: 'Version noise: meta.searchable missing from every field of the base (snapshots before 11.13.0)',
    what: 'Directus 11.17.4 emits `D meta.searchable` on every field. For fields, a D on a nested meta path is an update (isNestedMetaUpdate), so nothing is deleted; the key keeps its value and the entries come back after every apply. The fixture applies the TRIMMED answer (every `D meta.searchable` removed; the real change, a note, kept): accepted, values kept. `extra.applyFull` is the untrimmed answer applied afterwards. Directus 12.4.0 folds the same edit into `E ["meta"]`.',
    versions: ALL,
    dbs: ['sqlite'],
    async run(ctx) {
      await table(ctx.t, 'sn_items', [str('title'), str('body')], [{ title: 'a', body: 'b' }])
      const edit = (b) => {
        for (const f of b.fields) if (f.collection === 'sn_items') delete f.meta.searchable
        findField(b, 'sn_items', 'title').meta.note = 'a real change'
        return 'target snapshot; meta.searchable deleted from every sn_items field; sn_items.title meta.note changed'
      }
      const isNoise = (e) => e.kind === 'D' && e.path?.join('.') === 'meta.searchable'
      const result = await standard(ctx, 'sn_', edit, {
        transform: (data) => {
          data.diff.fields = data.diff.fields
            .map((f) => ({ ...f, diff: f.diff.filter((e) => !isNoise(e)) }))
            .filter((f) => f.diff.length > 0)
          return data
        },
      })
      const again = clone(await snapshot(ctx.t))
      edit(again)
      const full = await diff(ctx.t, again)
      const before = await state(ctx.t, 'sn_')
      const applyFull = full.data ? await apply(ctx.t, full.data) : null
      const after = await state(ctx.t, 'sn_')
      return {
        ...result,
        extra: {
          secondDiff: summarize(full.data?.diff),
          applyFull,
          applyFullEffect: describe(before, after),
          rediffAfterFull: await rediff(ctx.t, again, byPrefix('sn_')),
        },
      }
    },
  },
  {
    name: 'constraint-name-noise',
    title: 'Version/vendor noise: a relation whose base constraint_name differs',
    what: 'SQLite reports `constraint_name: null`, PostgreSQL `<table>_<column>_foreign`. A base with any other name yields `E schema.constraint_name`; the apply succeeds but does not rename the constraint, so the entry comes back every time.',
    versions: ALL,
    dbs: ['sqlite', 'pg'],
    async run(ctx) {
      await table(ctx.t, 'cn_authors', [str('name')], [{ name: 'Ann' }])
      await table(ctx.t, 'cn_posts', [str('title')], [{ title: 'p1' }])
      await m2o(ctx.t, 'cn_posts', 'author', 'cn_authors')
      return standard(ctx, 'cn_', (b) => {
        findRelation(b, 'cn_posts', 'author').schema.constraint_name = 'cn_posts_author_custom_fk'
        return 'target snapshot; relations[cn_posts.author].schema.constraint_name → cn_posts_author_custom_fk'
      })
    },
  },
]

// uuid residue: a SQLite base, a SQLite or PostgreSQL target.
const UUID_VARIANTS = [
  { name: 'uuid-residue', special: false },
  { name: 'uuid-residue-special', special: true },
]
async function uuidResidue(ctx, variant, target, targetDb) {
  const c = variant.special ? 'uus_items' : 'uu_items'
  const uid = { field: 'uid', type: 'uuid', meta: { interface: 'input', ...(variant.special ? { special: ['uuid'] } : {}) }, schema: {} }
  if (!(await api(ctx.base, 'GET', `/collections/${c}`)).body?.data) {
    await must(ctx.base, 'POST', '/collections', { collection: c, meta: {}, schema: {}, fields: [pk(), uid] })
  }
  const baseSnap = await snapshot(ctx.base)
  const targetSnap = await snapshot(target)
  const base = clone(targetSnap)
  base.collections.push(clone(findCollection(baseSnap, c)))
  base.fields.push(...clone(baseSnap.fields.filter((f) => f.collection === c)))
  base.vendor = baseSnap.vendor
  const query = baseSnap.vendor === targetSnap.vendor ? '' : '?force=true'
  const answer = await diff(target, base, query)
  const before = await state(target, c)
  const applied = await apply(target, answer.data)
  const after = await state(target, c)
  const remaining = await diff(target, base, query)
  const again = remaining.data ? await apply(target, remaining.data) : null
  const last = await diff(target, base, query)
  const pick = (snap) => {
    const f = findField(snap, c, 'uid')
    return { type: f.type, special: f.meta?.special ?? null, data_type: f.schema.data_type, max_length: f.schema.max_length }
  }
  return {
    base: `SQLite base: POST /collections ${c} with a non-key field ${JSON.stringify(uid)}; the base snapshot is the target's plus that collection${query ? ' (force: vendors differ)' : ''}`,
    diffQuery: query,
    data: answer.data,
    apply: applied,
    before,
    after,
    rediff: { status: remaining.status, items: summarize(remaining.data?.diff).filter(byPrefix(c)) },
    extra: {
      uidInBase: pick(baseSnap),
      uidInTarget: pick(await snapshot(target)),
      residueEntries: remaining.data?.diff.fields.filter((f) => f.collection === c) ?? [],
      applyResidue: again,
      rediffAfterApplyingResidue: { status: last.status, items: summarize(last.data?.diff).filter(byPrefix(c)) },
    },
    db: `sqlite-to-${targetDb}`,
  }
}

// ---------------------------------------------------------------------------------------------
// Item-count queries
// ---------------------------------------------------------------------------------------------

async function countQueries(inst) {
  await must(inst, 'POST', '/collections', {
    collection: 'cq_items',
    meta: {},
    schema: {},
    fields: [pk(), str('name'), int('n'), { field: 'u', type: 'uuid', meta: { special: ['uuid'] }, schema: {} }],
  })
  await must(inst, 'POST', '/collections', { collection: 'cq_folder', meta: {}, schema: null })
  const names = ['a', 'bb', 'ccc', 'dddd', null, 'dddd', 'é', 'éé', '😀😀', '', 'a_c', 'A%C']
  await must(inst, 'POST', '/items/cq_items', names.map((name, i) => ({ name, n: i === 3 ? null : [1, 1, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1][i] })))
  const f = (o) => encodeURIComponent(JSON.stringify(o))
  const queries = [
    ['count(*)', '/items/cq_items?aggregate[count]=*'],
    ['count(field): non-null values', '/items/cq_items?aggregate[count]=name'],
    ['countDistinct(field): distinct non-null values', '/items/cq_items?aggregate[countDistinct]=name'],
    ['count(*) and countDistinct in one query', '/items/cq_items?aggregate[count]=*&aggregate[countDistinct]=name,n'],
    ['aggregate as JSON', `/items/cq_items?aggregate=${f({ count: ['*'], countDistinct: ['name'] })}`],
    ['count(*) and count(field) together: the object replaces the number', '/items/cq_items?aggregate[count]=*,name,n'],
    ['row count as countDistinct of the primary key, with count(field)', '/items/cq_items?aggregate[countDistinct]=id&aggregate[count]=name,n'],
    ['countAll', '/items/cq_items?aggregate[countAll]=*'],
    ['filter _nnull', '/items/cq_items?aggregate[count]=*&filter[name][_nnull]=true'],
    ['_starts_with "_" (length >= 1)', '/items/cq_items?aggregate[count]=*&filter[name][_starts_with]=_'],
    ['_starts_with "__" (length >= 2)', '/items/cq_items?aggregate[count]=*&filter[name][_starts_with]=__'],
    ['_starts_with "___" (length >= 3)', '/items/cq_items?aggregate[count]=*&filter[name][_starts_with]=___'],
    ['_starts_with "___" as a JSON filter', `/items/cq_items?aggregate[count]=*&filter=${f({ name: { _starts_with: '___' } })}`],
    ['rows matched by "___"', '/items/cq_items?fields=name&sort=id&filter[name][_starts_with]=___'],
    ['rows matched by "__"', '/items/cq_items?fields=name&sort=id&filter[name][_starts_with]=__'],
    ['"a_" (underscore unescaped; LIKE case rules of the database)', '/items/cq_items?fields=name&sort=id&filter[name][_starts_with]=a_'],
    ['"a%" (percent unescaped)', '/items/cq_items?fields=name&sort=id&filter[name][_starts_with]=a%25'],
    ['_starts_with on an integer field', '/items/cq_items?aggregate[count]=*&filter[n][_starts_with]=_'],
    ['_starts_with on a uuid field', '/items/cq_items?aggregate[count]=*&filter[u][_starts_with]=_'],
    ['groupBy', '/items/cq_items?aggregate[count]=*&groupBy[]=n&sort=n'],
    ['system collection via /items', '/items/directus_users?aggregate[count]=*'],
    ['system collection via its own endpoint', '/users?aggregate[count]=*'],
    ['folder (no table)', '/items/cq_folder?aggregate[count]=*'],
    ['collection that does not exist', '/items/cq_nope?aggregate[count]=*'],
    ['field that does not exist', '/items/cq_items?aggregate[count]=nope'],
  ]
  const out = []
  for (const [what, path] of queries) {
    const r = await api(inst, 'GET', path)
    out.push({ what, request: `GET ${path}`, status: r.status, body: r.body })
  }
  return { rows: names.map((name) => ({ name })), queries: out }
}

// ---------------------------------------------------------------------------------------------
// Runner
// ---------------------------------------------------------------------------------------------

const results = []
function write(file, value) {
  writeFileSync(join(OUT, file), JSON.stringify(value, null, 2) + '\n')
}
function record(scenario, version, db, r) {
  const file = `${scenario.name}.${version}.${r.db ?? db}.json`
  const fixture = {
    scenario: scenario.name,
    title: scenario.title,
    directus: version,
    db: r.db ?? db,
    synthetic: Boolean(scenario.synthetic),
    base: r.base ?? null,
    diffQuery: r.diffQuery ?? null,
    data: r.data,
    ...(r.applied ? { applied: r.applied } : {}),
    apply: r.apply,
    effect: describe(r.before, r.after),
    rediff: r.rediff ?? null,
    before: r.before,
    after: r.after,
    ...(r.extra ? { extra: r.extra } : {}),
  }
  write(file, fixture)
  results.push({ file, scenario, version, db: fixture.db, fixture })
  log(`${file}: apply ${r.apply.status}${r.apply.errors ? ` ${r.apply.errors.map((e) => e.message).join('; ')}` : ''}; ${fixture.effect.join('; ')}`)
}

async function main() {
  mkdirSync(OUT, { recursive: true })
  const wanted = (name) => !ONLY || ONLY.has(name)
  if (!ONLY) for (const f of readdirSync(OUT)) if (f.endsWith('.json') || f === 'README.md') rmSync(join(OUT, f))
  const peers = {}
  const started = []
  const start = async (version, db, name) => {
    const inst = await startDirectus({ version, db, name, log })
    started.push(inst)
    return inst
  }
  const stop = async (inst) => {
    await inst.stop()
    started.splice(started.indexOf(inst), 1)
  }
  const counting = {}
  try {
    for (const version of VERSIONS) {
      log(`Directus ${version}: starting SQLite target, SQLite base${args['no-pg'] ? '' : ', PostgreSQL target'}…`)
      const [t, base, pg] = await Promise.all([
        start(version, 'sqlite', `apply-rules-${version}-sqlite`),
        start(version, 'sqlite', `apply-rules-${version}-base`),
        args['no-pg'] ? null : start(version, 'pg', `apply-rules-${version}-pg`),
      ])
      peers[version] = t
      for (const scenario of SCENARIOS) {
        if (!scenario.versions.includes(version) || !wanted(scenario.name)) continue
        if (scenario.needsPeer && !peers[scenario.needsPeer]) {
          scenario.deferred = (scenario.deferred ?? []).concat(version)
          continue
        }
        for (const db of scenario.dbs) {
          const target = db === 'pg' ? pg : t
          if (!target) continue
          record(scenario, version, db, await scenario.run.call(scenario, { t: target, version, db, peers, base }))
          // Directus 12 without a licence allows 25 collections: start every scenario from an empty schema.
          for (const inst of new Set([target, ...Object.values(peers)])) await dropAllCollections(inst.url, inst.adminToken)
        }
      }
      for (const variant of UUID_VARIANTS) {
        if (!wanted(variant.name)) continue
        const scenario = { ...variant, title: variant.special ? 'SQLite uuid field WITH meta.special ["uuid"]: no residue' : 'SQLite uuid residue: a non-key uuid field without meta.special' }
        for (const [target, targetDb] of [[t, 'sqlite'], [pg, 'pg']]) {
          if (!target) continue
          record(scenario, version, 'sqlite', await uuidResidue({ base }, variant, target, targetDb))
        }
      }
      if (!args['no-count'] && wanted('count-queries')) {
        for (const [inst, db] of [[t, 'sqlite'], [pg, 'pg']]) {
          if (!inst) continue
          counting[`${version}.${db}`] = await countQueries(inst)
          write(`count-queries.${version}.${db}.json`, { directus: version, db, ...counting[`${version}.${db}`] })
          log(`count-queries.${version}.${db}.json written`)
        }
      }
      // Deferred scenarios that needed this version as a peer.
      for (const scenario of SCENARIOS) {
        for (const v of scenario.deferred ?? []) {
          if (scenario.needsPeer !== version) continue
          record(scenario, v, 'sqlite', await scenario.run.call(scenario, { t: peers[v], version: v, db: 'sqlite', peers, base: null }))
          for (const inst of Object.values(peers)) await dropAllCollections(inst.url, inst.adminToken)
        }
        if (scenario.needsPeer === version) scenario.deferred = []
      }
      await stop(base)
      if (pg) await stop(pg)
      // Keep this version's SQLite target as a peer for the next version's cross-version scenarios.
      for (const [v, inst] of Object.entries(peers)) if (v !== version) {
        await stop(inst)
        delete peers[v]
      }
    }
  } finally {
    for (const inst of [...started]) await inst.stop().catch(() => undefined)
  }
  if (!ONLY) writeReadme()
}

function writeReadme() {
  const lines = [
    '# Apply-rule fixtures (issue #9)',
    '',
    'Captured from live Directus instances by `node scripts/capture-apply-fixtures.mjs` (see `docs/directus-apply-rules.md` for the rules these prove, with sources). Do not edit by hand: run the script again.',
    '',
    'Files are named `<scenario>.<directus version>.<database>.json`. Each holds:',
    '',
    '- `data`: exactly the `data` of Directus\' `POST /schema/diff` answer (`{ hash, diff }`), or for a `synthetic` scenario the hand-made body that was sent to `POST /schema/apply` (with the target\'s real hash);',
    '- `applied`: the body actually sent to `/schema/apply`, when it differs from `data` (trimmed diffs);',
    '- `base`: how the base snapshot was made; `diffQuery`: the query of the diff request;',
    '- `apply`: status and errors of `POST /schema/apply`; `effect`: what changed on the target, from its state `before` and `after` (collections, fields, relations, row and non-null counts);',
    '- `rediff`: the scenario\'s items in a new diff of the same base after the apply (`status: 204` = nothing left).',
    '',
    '`count-queries.<version>.<database>.json` hold the requests and answers of the item-count queries (the rows are listed in the file).',
    '',
  ]
  const seen = new Map()
  for (const r of results) {
    if (!seen.has(r.scenario.name)) seen.set(r.scenario.name, [])
    seen.get(r.scenario.name).push(r)
  }
  const first = (f) => summarize(f.data?.diff).map((l) => `\`${l}\``).join('<br>') || '(empty)'
  for (const [name, rs] of seen) {
    const s = rs[0].scenario
    lines.push(`## ${name}${s.synthetic ? ' (synthetic)' : ''}`, '', `**${s.title}.** ${s.what ?? ''}`.trim(), '')
    lines.push('| File | Diff (first entries decide) | Apply | What Directus did | Diff afterwards |', '|---|---|---|---|---|')
    for (const r of rs) {
      const f = r.fixture
      const applyText = `${f.apply.status}${f.apply.errors ? ` ${f.apply.errors.map((e) => `${e.code}: ${e.message}`).join('; ')}` : ''}`
      const after = f.rediff ? (f.rediff.items.length ? f.rediff.items.map((l) => `\`${l}\``).join('<br>') : 'nothing') : ''
      lines.push(`| \`${r.file}\` | ${first(f)} | ${applyText.replace(/\|/g, '\\|')} | ${f.effect.join('; ').replace(/\|/g, '\\|')} | ${after} |`)
    }
    lines.push('')
  }
  writeFileSync(join(OUT, 'README.md'), lines.join('\n'))
}

process.on('SIGINT', () => {
  stopAll()
  process.exit(130)
})
main().catch((err) => {
  console.error(err)
  stopAll()
  process.exit(1)
})
