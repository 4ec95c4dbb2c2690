#!/usr/bin/env node
// Test-environment tooling: installs and runs throwaway Directus instances (see lib/directus-instance.mjs).
// Runs on plain Node 20 and 24; node builtins only.
//
//   node scripts/test-env.mjs ensure [--version 12.4.0]... [--templates] [--db sqlite|pg|mysql]...   (default: every TEST_VERSIONS entry)
//   node scripts/test-env.mjs start [--port 8055] [--db sqlite|pg|mysql] [--version 12.4.0]
//   node scripts/test-env.mjs info
import { parseArgs } from 'node:util'
import {
  DB_KINDS,
  DEFAULT_VERSION,
  TEST_VERSIONS,
  cacheDir,
  directusPaths,
  ensureDirectus,
  ensureTemplate,
  isDirectusInstalled,
  node22Paths,
  startDirectus,
} from './lib/directus-instance.mjs'

const USAGE = `Usage:
  node scripts/test-env.mjs ensure [--version V]... [--templates] [--db sqlite|pg|mysql]...
      Install Node 22 and each Directus version (default: every version the tests use,
      ${TEST_VERSIONS.join(', ')}) into the cache
      (${cacheDir()}); --templates also bootstraps the template databases: sqlite, pg
      and mysql (MySQL/MariaDB), or only those named with --db.
  node scripts/test-env.mjs start [--port P] [--db sqlite|pg|mysql] [--version V]
      Start one instance in the foreground (Ctrl-C stops it and removes its data).
  node scripts/test-env.mjs info
      Print the cache layout and what is installed.
Cache dir: $DIRECTUS_TEST_CACHE or ~/.cache/directus-schema-action`

/** @param {string} value @returns {import('./lib/directus-instance.mjs').DirectusDb} */
function parseDb(value) {
  const db = DB_KINDS.find((k) => k === value)
  if (!db) throw new Error(`--db must be one of ${DB_KINDS.join(', ')}, got ${JSON.stringify(value)}`)
  return db
}

/** @param {string} msg */
const log = (msg) => process.stdout.write(`[test-env] ${msg}\n`)

async function main() {
  const [command, ...rest] = process.argv.slice(2)
  const { values } = parseArgs({
    args: rest,
    options: {
      version: { type: 'string', multiple: true },
      port: { type: 'string' },
      db: { type: 'string', multiple: true },
      templates: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.help || !command || command === 'help') {
    console.log(USAGE)
    return
  }
  const versions = values.version?.length ? values.version : [DEFAULT_VERSION]

  if (command === 'ensure') {
    const start = Date.now()
    const templateDbs = values.db?.length ? values.db.map(parseDb) : DB_KINDS
    for (const version of values.version?.length ? values.version : TEST_VERSIONS) {
      const fresh = !isDirectusInstalled(version)
      await ensureDirectus(version, { log })
      if (!fresh) log(`directus ${version}: already installed`)
      if (values.templates) for (const db of templateDbs) await ensureTemplate(version, db, log)
    }
    log(`ok (${((Date.now() - start) / 1000).toFixed(1)}s)`)
    return
  }

  if (command === 'start') {
    if ((values.db?.length ?? 0) > 1) throw new Error('start takes a single --db')
    const db = parseDb(values.db?.[0] ?? 'sqlite')
    if (versions.length > 1) throw new Error('start takes a single --version')
    const port = values.port ? Number(values.port) : 0
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`)
    process.env.DIRECTUS_TEST_PREWARM ??= '0' // one instance only: no spare pre-warmed process
    const instance = await startDirectus({ version: versions[0], db, port, name: 'manual', log })
    console.log(`Directus ${instance.version} (${instance.db}${instance.dbName ? `, database ${instance.dbName}` : ''}) started in ${instance.startupMs} ms`)
    console.log(`URL:         ${instance.url}`)
    console.log(`Admin token: ${instance.adminToken}`)
    console.log(`Admin login: ${instance.adminEmail} / ${instance.adminPassword}`)
    console.log('Press Ctrl-C to stop.')
    let stopping = false
    const shutdown = async () => {
      if (stopping) return
      stopping = true
      console.log('\nStopping…')
      await instance.stop()
      const out = instance.logs().trim()
      if (out) console.log(`--- instance log (tail) ---\n${out.split('\n').slice(-20).join('\n')}`)
      process.exit(0)
    }
    process.on('SIGINT', shutdown)
    process.on('SIGTERM', shutdown)
    // Keep running; surface an unexpected exit of the instance.
    const timer = setInterval(async () => {
      try {
        await fetch(`${instance.url}/server/ping`, { signal: AbortSignal.timeout(5000) })
      } catch {
        if (stopping) return
        console.error(`Instance stopped responding.\n${instance.logs().split('\n').slice(-30).join('\n')}`)
        clearInterval(timer)
        await instance.stop()
        process.exit(1)
      }
    }, 5000)
    return
  }

  if (command === 'info') {
    const n = node22Paths()
    console.log(`cache:  ${cacheDir()}`)
    console.log(`node22: ${n.bin}`)
    for (const version of versions) {
      console.log(`directus ${version}: ${directusPaths(version).dir} (${isDirectusInstalled(version) ? 'installed' : 'not installed'})`)
    }
    return
  }

  console.error(`Unknown command: ${command}\n\n${USAGE}`)
  process.exitCode = 2
}

main().catch((err) => {
  console.error(`[test-env] FAILED: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
