#!/usr/bin/env node
// Captures what live Directus answers when a schema is promoted to a MySQL/MariaDB target, for the
// unit tests of the vendor residue rules (src/core/plan/residue.ts). Writes
// __tests__/fixtures/mariadb/<pairing>.<version>.json, each holding:
//   base:   the base's GET /schema/snapshot (seedRealisticSchema + seedAllTypes)
//   plan:   POST /schema/diff of that snapshot against a fresh target ({hash, diff})
//   apply:  what was sent to POST /schema/apply (the plan without its systemFields list across
//           vendors: MariaDB refuses every one of them) and the answer
//   rediff: POST /schema/diff of the same snapshot right after the apply (the residue), or null (204)
//
//   node scripts/capture-mariadb-fixtures.mjs [pg-to-mysql] [sqlite-to-mysql] [mysql-to-mysql] [--version 12.4.0]
//
// The facts these answers show are written up in docs/mariadb.md.
import fs from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startDirectus, stopAll } from './lib/directus-instance.mjs'
import { seedAllTypes } from './lib/mariadb-facts.mjs'
import { directusRequest, getSnapshot, seedRealisticSchema } from './lib/seed.mjs'

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '__tests__', 'fixtures', 'mariadb')

/** @type {Record<string, { base: import('./lib/directus-instance.mjs').DirectusDb, force: boolean }>} */
const PAIRINGS = {
  'pg-to-mysql': { base: 'pg', force: true },
  'sqlite-to-mysql': { base: 'sqlite', force: true },
  'mysql-to-mysql': { base: 'mysql', force: false },
}

const { values, positionals } = parseArgs({ options: { version: { type: 'string', default: '12.4.0' } }, allowPositionals: true })
const chosen = positionals.length ? positionals : Object.keys(PAIRINGS)
for (const key of chosen) if (!PAIRINGS[key]) throw new Error(`unknown pairing ${key}; choose from ${Object.keys(PAIRINGS).join(' ')}`)
fs.mkdirSync(OUT, { recursive: true })

/** @param {string} key */
async function capture(key) {
  const p = /** @type {(typeof PAIRINGS)[string]} */ (PAIRINGS[key])
  const version = /** @type {string} */ (values.version)
  const log = () => {}
  const [base, target] = await Promise.all([
    startDirectus({ version, db: p.base, name: `capture-${key}-base`, log }),
    startDirectus({ version, db: 'mysql', name: `capture-${key}-target`, log }),
  ])
  try {
    await seedRealisticSchema(base.url, base.adminToken)
    await seedAllTypes(base.url, base.adminToken)
    const snapshot = await getSnapshot(base.url, base.adminToken)
    const diffPath = `/schema/diff${p.force ? '?force=true' : ''}`
    const plan = await directusRequest(target.url, target.adminToken, 'POST', diffPath, snapshot)
    const sent = { hash: plan.hash, diff: p.force ? { ...plan.diff, systemFields: [] } : plan.diff }
    /** @type {{ status: string, sent: string }} */
    const apply = { sent: p.force ? 'the plan with an empty systemFields list' : 'the plan as answered', status: 'ok' }
    try {
      await directusRequest(target.url, target.adminToken, 'POST', '/schema/apply', sent)
    } catch (err) {
      apply.status = /** @type {Error} */ (err).message
      await directusRequest(target.url, target.adminToken, 'POST', '/utils/cache/clear?system=true')
    }
    const rediff = await directusRequest(target.url, target.adminToken, 'POST', diffPath, snapshot)
    const file = join(OUT, `${key}.${version}.json`)
    const fixture = {
      pairing: key,
      directus: version,
      base: snapshot,
      diffQuery: p.force ? '?force=true' : '',
      plan,
      apply,
      rediff,
    }
    fs.writeFileSync(file, JSON.stringify(fixture, null, 2) + '\n')
    const count = (/** @type {any} */ d) =>
      d ? ['collections', 'fields', 'systemFields', 'relations'].map((s) => `${s} ${d.diff[s]?.length ?? 0}`).join(', ') : '204'
    console.log(`${key} ${version}: plan ${count(plan)}; apply ${apply.status}; rediff ${count(rediff)} -> ${file}`)
  } finally {
    await Promise.all([base.stop(), target.stop()])
  }
}

try {
  for (const key of chosen) await capture(key)
} finally {
  stopAll()
}
