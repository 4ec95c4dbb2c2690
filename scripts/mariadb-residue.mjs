#!/usr/bin/env node
// What stays behind after promoting a schema to (or between) MySQL/MariaDB targets: for each
// pairing it plans (POST /schema/diff), applies, and re-diffs a few rounds, applying every residue
// again, and prints what each round still reports. The facts it shows are written up in docs/mariadb.md.
//
//   node scripts/mariadb-residue.mjs [a] [b] [c] [d] [a2] [b2] [b3] [--rounds N] [--per-item] [--realistic-only] [--json FILE]
//
//   a  12.4.0 SQLite base      -> 12.4.0 MariaDB target (force)
//   b  12.4.0 PostgreSQL base  -> 12.4.0 MariaDB target (force)
//   c  11.17.4 MariaDB base    -> 11.17.4 MariaDB target
//   d  12.4.0 MariaDB base     -> 12.4.0 MariaDB target
//   a2, b2  as a and b, with the plan's systemFields list emptied before every apply (a and b fail on it)
//   b3  as b2, with all_types.big_ref a many-to-one to big_ids (a bigInteger foreign key)
//
// --realistic-only: seed only seedRealisticSchema, without all_types and big_ids.
// --per-item: after the rounds, each item still in the diff is applied on its own (a fresh diff
// filtered to that item) and re-diffed: it either goes away (converges), comes back the same (repeats
// after every apply), or its apply fails.
//
// After a failed apply the target's schema cache is stale on MariaDB (DDL committed, cache not
// flushed), so the script clears it (POST /utils/cache/clear?system=true) before the next diff.
//
// Needs MariaDB (or MySQL) and PostgreSQL as scripts/lib/directus-instance.mjs expects them. Starts
// two instances at a time and stops them before the next pairing.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { startDirectus, stopAll } from './lib/directus-instance.mjs'
import { directusRequest, getSnapshot, seedRealisticSchema } from './lib/seed.mjs'
import { describeEntry, mysqlColumns, seedAllTypes } from './lib/mariadb-facts.mjs'

/** @typedef {import('./lib/directus-instance.mjs').DirectusDb} Db */
/** @type {Record<string, { title: string, version: string, base: Db, target: Db, force: boolean, withoutSystemFields?: boolean, bigIntegerRelation?: boolean }>} */
const PAIRINGS = {
  a: { title: '12.4.0 SQLite -> 12.4.0 MariaDB (force)', version: '12.4.0', base: 'sqlite', target: 'mysql', force: true },
  b: { title: '12.4.0 PostgreSQL -> 12.4.0 MariaDB (force)', version: '12.4.0', base: 'pg', target: 'mysql', force: true },
  c: { title: '11.17.4 MariaDB -> 11.17.4 MariaDB', version: '11.17.4', base: 'mysql', target: 'mysql', force: false },
  d: { title: '12.4.0 MariaDB -> 12.4.0 MariaDB', version: '12.4.0', base: 'mysql', target: 'mysql', force: false },
  a2: { title: '12.4.0 SQLite -> 12.4.0 MariaDB (force), systemFields left out', version: '12.4.0', base: 'sqlite', target: 'mysql', force: true, withoutSystemFields: true },
  b2: { title: '12.4.0 PostgreSQL -> 12.4.0 MariaDB (force), systemFields left out', version: '12.4.0', base: 'pg', target: 'mysql', force: true, withoutSystemFields: true },
  b3: {
    title: '12.4.0 PostgreSQL -> 12.4.0 MariaDB (force), systemFields left out, bigInteger many-to-one',
    version: '12.4.0',
    base: 'pg',
    target: 'mysql',
    force: true,
    withoutSystemFields: true,
    bigIntegerRelation: true,
  },
}

const { values, positionals } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, 'per-item': { type: 'boolean' }, 'realistic-only': { type: 'boolean' }, json: { type: 'string' } },
  allowPositionals: true,
})
const rounds = Number(values.rounds)
const chosen = positionals.length ? positionals : ['a', 'b', 'c', 'd']
for (const key of chosen) if (!PAIRINGS[key]) throw new Error(`unknown pairing ${key}; choose from ${Object.keys(PAIRINGS).join(' ')}`)

/** @param {any} diff */
function entriesOf(diff) {
  /** @type {string[]} */
  const lines = []
  for (const section of ['collections', 'fields', 'systemFields', 'relations']) {
    for (const item of diff?.[section] ?? []) {
      const name = [item.collection, item.field, item.related_collection ? `-> ${item.related_collection}` : ''].filter(Boolean).join('.')
      for (const entry of item.diff ?? []) lines.push(`${section} ${name}: ${describeEntry(entry)}`)
    }
  }
  return lines
}

/** @param {any} diff */
function counts(diff) {
  /** @type {Record<string, number>} */
  const c = {}
  for (const section of ['collections', 'fields', 'systemFields', 'relations']) {
    const items = diff?.[section] ?? []
    if (items.length) c[section] = items.length
  }
  return c
}

/** @param {string} key */
async function runPairing(key) {
  const p = /** @type {(typeof PAIRINGS)[string]} */ (PAIRINGS[key])
  const log = () => {}
  const base = await startDirectus({ version: p.version, db: p.base, name: `residue-${key}-base`, log })
  const target = await startDirectus({ version: p.version, db: p.target, name: `residue-${key}-target`, log })
  const result = { key, title: p.title, rounds: /** @type {any[]} */ ([]), columns: /** @type {any} */ (null), baseColumns: /** @type {any} */ (null), perItem: /** @type {any} */ (null) }
  try {
    await seedRealisticSchema(base.url, base.adminToken)
    if (!values['realistic-only']) await seedAllTypes(base.url, base.adminToken, { bigIntegerRelation: !!p.bigIntegerRelation })
    const snapshot = await getSnapshot(base.url, base.adminToken)
    const diffPath = `/schema/diff${p.force ? '?force=true' : ''}`
    console.log(`\n## ${key}: ${p.title}  (base vendor ${snapshot.vendor}, target ${target.dbName ?? target.db})`)
    for (let round = 0; round <= rounds; round++) {
      const planned = await directusRequest(target.url, target.adminToken, 'POST', diffPath, snapshot)
      if (planned === null) {
        console.log(`round ${round}: diff answered 204 (nothing to apply)`)
        result.rounds.push({ round, status: 204 })
        break
      }
      const lines = entriesOf(planned.diff)
      const before = result.rounds.at(-1)
      const same = before?.entries && JSON.stringify(before.entries) === JSON.stringify(lines)
      console.log(`round ${round}: ${round === 0 ? 'plan' : 'residue'} ${JSON.stringify(counts(planned.diff))}, ${lines.length} entries${same ? ' (identical to the previous round)' : ''}`)
      if (round > 0 && !same) for (const line of lines) console.log(`  ${line}`)
      /** @type {any} */
      const record = { round, status: 200, hash: planned.hash, counts: counts(planned.diff), entries: lines, sameAsPrevious: !!same }
      const diff = p.withoutSystemFields ? { ...planned.diff, systemFields: [] } : planned.diff
      try {
        await directusRequest(target.url, target.adminToken, 'POST', '/schema/apply', { hash: planned.hash, diff })
        record.apply = 'ok'
      } catch (err) {
        record.apply = /** @type {Error} */ (err).message
        console.log(`  apply failed: ${record.apply}`)
        // What was committed before the failure is only seen once the schema cache is cleared.
        await directusRequest(target.url, target.adminToken, 'POST', '/utils/cache/clear?system=true')
      }
      result.rounds.push(record)
      if (round === rounds) console.log(`(stopped after ${rounds} rounds of re-apply)`)
    }
    if (values['per-item']) result.perItem = await perItem(target, diffPath, snapshot)
    const tables = snapshot.collections.filter((/** @type {any} */ c) => c.schema).map((/** @type {any} */ c) => c.collection)
    if (target.dbName && target.db === 'mysql') result.columns = await mysqlColumns(target.dbName, tables)
    if (base.dbName && base.db === 'mysql') result.baseColumns = await mysqlColumns(base.dbName, tables)
    if (result.columns) {
      console.log('target columns after apply (information_schema):')
      for (const c of result.columns) console.log(`  ${c}`)
    }
  } finally {
    await Promise.all([base.stop(), target.stop()])
  }
  return result
}

const SECTIONS = /** @type {const} */ (['collections', 'fields', 'systemFields', 'relations'])
/** @param {any} item */
const itemKey = (item) => [item.collection, item.field ?? ''].join('.')

/**
 * Applies every item of the current diff on its own and says what a re-diff shows for it afterwards.
 * @param {{ url: string, adminToken: string }} target @param {string} diffPath @param {any} snapshot
 */
async function perItem(target, diffPath, snapshot) {
  const first = await directusRequest(target.url, target.adminToken, 'POST', diffPath, snapshot)
  if (!first) return []
  /** @type {Array<{ section: string, item: string, outcome: string, before: string[], after: string[] }>} */
  const out = []
  console.log('per item:')
  for (const section of SECTIONS) {
    for (const item of first.diff[section] ?? []) {
      const key = itemKey(item)
      const fresh = await directusRequest(target.url, target.adminToken, 'POST', diffPath, snapshot)
      const current = (fresh?.diff?.[section] ?? []).find((/** @type {any} */ i) => itemKey(i) === key)
      if (!current) {
        out.push({ section, item: key, outcome: 'gone before its turn (applied with an earlier item)', before: [], after: [] })
        continue
      }
      const only = Object.fromEntries(SECTIONS.map((s) => [s, s === section ? [current] : []]))
      const before = current.diff.map(describeEntry)
      let outcome
      try {
        await directusRequest(target.url, target.adminToken, 'POST', '/schema/apply', { hash: fresh.hash, diff: only })
        outcome = 'applied'
      } catch (err) {
        outcome = `apply failed: ${/** @type {Error} */ (err).message.replace(/^POST \/schema\/apply failed: /, '')}`
        await directusRequest(target.url, target.adminToken, 'POST', '/utils/cache/clear?system=true')
      }
      const again = await directusRequest(target.url, target.adminToken, 'POST', diffPath, snapshot)
      const still = (again?.diff?.[section] ?? []).find((/** @type {any} */ i) => itemKey(i) === key)
      const after = still ? still.diff.map(describeEntry) : []
      if (outcome === 'applied') outcome = !still ? 'applied, gone (converges)' : JSON.stringify(after) === JSON.stringify(before) ? 'applied, comes back the same (repeats)' : 'applied, changed'
      out.push({ section, item: key, outcome, before, after })
      console.log(`  ${section} ${key}: ${outcome}${outcome.endsWith('changed') ? ` -> ${after.join('; ')}` : ''}`)
    }
  }
  return out
}

const results = []
try {
  for (const key of chosen) results.push(await runPairing(key))
} finally {
  stopAll()
}
if (values.json) fs.writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n')
