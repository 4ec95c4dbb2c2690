#!/usr/bin/env node
// Reproduces a schema apply that fails part-way, on MySQL/MariaDB (DDL commits implicitly, so what ran
// before the failure stays: directus/directus#2957) and on PostgreSQL (everything is rolled back).
// The findings are written up in docs/mariadb.md.
//
//   node scripts/mariadb-partial-apply.mjs [--db mysql] [--db pg] [--version 12.4.0] [--json FILE]
//
// On one throwaway instance per database:
//   1. `pa_existing` (id, title varchar(100)) with rows "same", "same", "other".
//   2. The desired snapshot is taken with two more things present, then they are deleted again:
//      a new collection `pa_new` (id, name) and a new field `pa_existing.later_field`. In it,
//      `pa_existing.title` is made unique.
//   3. POST /schema/diff plans, in applyDiff's order: create collection pa_new (with its fields),
//      update field pa_existing.title (unique: fails on the duplicate rows), create field
//      pa_existing.later_field.
//   4. POST /schema/apply; then a re-diff as the running Directus answers it, a re-diff after
//      POST /utils/cache/clear?system=true, and what a fresh Directus process on the same database
//      reports (no cache at all).
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { mysqlQuery, startDirectus, stopAll } from './lib/directus-instance.mjs'
import { createCollection, createField, deleteCollection, deleteField, directusRequest, getSnapshot } from './lib/seed.mjs'
import { describeEntry } from './lib/mariadb-facts.mjs'

/** @typedef {import('./lib/directus-instance.mjs').DirectusDb} Db */

const { values } = parseArgs({
  options: { db: { type: 'string', multiple: true }, version: { type: 'string', default: '12.4.0' }, json: { type: 'string' } },
})
const dbs = /** @type {Db[]} */ (values.db?.length ? values.db : ['mysql', 'pg'])
for (const db of dbs) if (db !== 'mysql' && db !== 'pg') throw new Error(`--db must be mysql or pg, got ${db}`)
const version = /** @type {string} */ (values.version)

/** @param {any} diff @returns {string[]} */
function entries(diff) {
  if (!diff) return ['(204: no differences)']
  /** @type {string[]} */
  const out = []
  for (const section of ['collections', 'fields', 'systemFields', 'relations']) {
    for (const item of diff[section] ?? []) {
      for (const e of item.diff ?? []) out.push(`${section} ${[item.collection, item.field].filter(Boolean).join('.')}: ${describeEntry(e)}`)
    }
  }
  return out
}

/** @param {any} snapshot */
function interesting(snapshot) {
  const names = ['pa_existing', 'pa_new']
  return {
    collections: snapshot.collections.filter((/** @type {any} */ c) => names.includes(c.collection)).map((/** @type {any} */ c) => c.collection),
    fields: snapshot.fields
      .filter((/** @type {any} */ f) => names.includes(f.collection))
      .map((/** @type {any} */ f) => `${f.collection}.${f.field}${f.schema ? (f.schema.is_unique ? ' (unique)' : '') : ' (no column)'}${f.meta ? '' : ' (no meta)'}`),
  }
}

/** @param {Db} db */
async function reproduce(db) {
  const log = () => {}
  const target = await startDirectus({ version, db, name: `partial-apply-${db}`, log })
  /** @type {Record<string, any>} */
  const report = { db, version, dbName: target.dbName }
  const say = (/** @type {string} */ line) => console.log(line)
  try {
    const { url, adminToken: token } = target
    say(`\n## Directus ${version} on ${db === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'} (database ${target.dbName})`)

    // 1. An existing collection with duplicate values.
    await createCollection(url, token, 'pa_existing', [{ field: 'title', type: 'string', meta: { interface: 'input' }, schema: { max_length: 100 } }])
    await directusRequest(url, token, 'POST', '/items/pa_existing', [{ title: 'same' }, { title: 'same' }, { title: 'other' }])

    // 2. The desired snapshot: real entries, taken while they exist, then removed again.
    await createCollection(url, token, 'pa_new', [{ field: 'name', type: 'string', meta: { interface: 'input' }, schema: { max_length: 50 } }])
    await createField(url, token, 'pa_existing', { field: 'later_field', type: 'integer', meta: { interface: 'input' }, schema: {} })
    const desired = await getSnapshot(url, token)
    await deleteField(url, token, 'pa_existing', 'later_field')
    await deleteCollection(url, token, 'pa_new')
    const title = desired.fields.find((/** @type {any} */ f) => f.collection === 'pa_existing' && f.field === 'title')
    title.schema.is_unique = true

    // 3. Plan.
    const plan = await directusRequest(url, token, 'POST', '/schema/diff', desired)
    report.plan = { hash: plan.hash, entries: entries(plan.diff) }
    say(`plan (hash ${plan.hash}):`)
    for (const line of report.plan.entries) say(`  ${line}`)

    // 4. Apply.
    const res = await fetch(`${url}/schema/apply`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ hash: plan.hash, diff: plan.diff }),
    })
    report.apply = { status: res.status, body: await res.text() }
    say(`apply: HTTP ${report.apply.status} ${report.apply.body}`)
    report.errorLogs = target
      .logs()
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        try {
          return JSON.parse(l)
        } catch {
          return { msg: l }
        }
      })
      .filter((l) => (l.level ?? 50) >= 50)
      .map((l) => String(l.msg).slice(0, 400))
    for (const line of report.errorLogs) say(`  log: ${line}`)

    const stale = await directusRequest(url, token, 'POST', '/schema/diff', desired)
    report.rediffAsServed = { hash: stale?.hash ?? null, entries: entries(stale?.diff) }
    say(`re-diff as the running instance answers it (hash ${stale?.hash ?? '-'}; ${stale?.hash === plan.hash ? 'unchanged' : 'changed'}):`)
    for (const line of report.rediffAsServed.entries) say(`  ${line}`)
    report.snapshotAsServed = interesting(await getSnapshot(url, token))
    say(`  its snapshot: ${JSON.stringify(report.snapshotAsServed)}`)

    await directusRequest(url, token, 'POST', '/utils/cache/clear?system=true')
    const fresh = await directusRequest(url, token, 'POST', '/schema/diff', desired)
    report.rediffAfterCacheClear = { hash: fresh?.hash ?? null, entries: entries(fresh?.diff) }
    say(`re-diff after POST /utils/cache/clear?system=true (hash ${fresh?.hash ?? '-'}; ${fresh?.hash === plan.hash ? 'unchanged' : 'changed'}):`)
    for (const line of report.rediffAfterCacheClear.entries) say(`  ${line}`)

    // A fresh process on the same database: what is really there.
    const second = await startDirectus({ version, db, name: `partial-apply-${db}-fresh`, log, env: { DB_DATABASE: /** @type {string} */ (target.dbName) } })
    try {
      report.freshProcess = interesting(await getSnapshot(second.url, second.adminToken))
      say(`a fresh Directus process on the same database sees: ${JSON.stringify(report.freshProcess)}`)
    } finally {
      await second.stop()
    }
    report.rows = (await directusRequest(url, token, 'GET', '/items/pa_existing?fields=title&sort=id')).map((/** @type {any} */ r) => r.title)
    say(`rows of pa_existing: ${JSON.stringify(report.rows)}`)

    if (db === 'mysql') {
      const q = async (/** @type {string} */ sql) => (await mysqlQuery(`USE ${target.dbName};\n${sql}`)).map((r) => r.join(' | '))
      report.database = {
        tables: await q(`SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'pa\\_%' ORDER BY 1`),
        directus_collections: await q(`SELECT collection FROM directus_collections WHERE collection LIKE 'pa\\_%' ORDER BY 1`),
        directus_fields: await q(`SELECT CONCAT(collection, '.', field) FROM directus_fields WHERE collection LIKE 'pa\\_%' ORDER BY 1`),
        indexes: await q(`SELECT CONCAT(table_name, ': ', index_name, ' (', column_name, ', non_unique=', non_unique, ')') FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name LIKE 'pa\\_%' ORDER BY 1`),
      }
      say(`in the database: ${JSON.stringify(report.database, null, 1)}`)
    }
  } finally {
    await target.stop()
  }
  return report
}

const reports = []
try {
  for (const db of dbs) reports.push(await reproduce(db))
} finally {
  stopAll()
}
if (values.json) fs.writeFileSync(values.json, JSON.stringify(reports, null, 2) + '\n')
