// Throwaway Directus instances for tests.
//
// Plain JavaScript (ESM, node builtins only) so that it runs under Node 20 and 24 alike and can be
// imported both by scripts/test-env.mjs and by the TypeScript tests (types: directus-instance.d.mts).
//
// Layout of the cache ($DIRECTUS_TEST_CACHE or ~/.cache/directus-schema-action):
//   node22/                       npm install of node-<platform>-<arch>@22 (binary + headers)
//   directus-<version>/           npm install of directus@<version>, native modules rebuilt for Node 22
//     .dsa-complete.json          completion marker (absent = half-finished install, redone)
//   templates/<version>-sqlite-r<rev>.db   bootstrapped SQLite database, copied per instance
//   PostgreSQL template database  dsa_tmpl_<version>_r<rev>, cloned per instance with CREATE DATABASE … TEMPLATE
//   MySQL/MariaDB template database dsa_tmpl_<version>_r<rev> (db: 'mysql'), cloned per instance by
//                                 replaying its CREATE TABLE statements and INSERT … SELECT (see mysqlCloneDatabase)
//   templates/<version>-sqlite-r<rev>-<seed>.db, dsa_tmpl_<version>_r<rev>_<seed>: the same, with a seeded
//                                 schema (startDirectus({ seed })), so tests and the bench seed a large schema once
//
// Every instance runs in its own temporary directory (removed on stop) and, for PostgreSQL and
// MySQL/MariaDB, its own database dsa_<pid>_<n> (dropped on stop).
// Servers: DIRECTUS_TEST_PG_HOST/PORT/USER/PASSWORD (default postgres@127.0.0.1:5432) and
// DIRECTUS_TEST_MYSQL_HOST/PORT/USER/PASSWORD (default root@127.0.0.1:3306, empty password).

import { spawn, spawnSync, execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const DEFAULT_VERSION = '12.4.0'
/** Every version the test suite starts: `test-env.mjs ensure` installs them all. 11.x for schemas over 12's 25-collection cap. */
export const TEST_VERSIONS = ['12.4.0', '11.17.4']
export const NODE22_VERSION = '22.23.3'
export const ADMIN_EMAIL = 'admin@example.com'
export const ADMIN_PASSWORD = 'dsa-admin-password'
/** Static token of the admin user, baked into every template by `directus bootstrap` (ADMIN_TOKEN). */
export const ADMIN_TOKEN = 'dsa-static-admin-token'
const SECRET = 'dsa-test-secret-not-for-production-0123456789'
/** Bump when the bootstrap environment changes, so that old templates are not reused. */
const TEMPLATE_REV = 1
const MARKER = '.dsa-complete.json'
const MAX_LOG_CHARS = 1_000_000

/** @param {string} msg */
const defaultLog = (msg) => process.stderr.write(`[directus-test] ${msg}\n`)

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

/** @returns {string} the cache directory */
export function cacheDir() {
  return path.resolve(process.env.DIRECTUS_TEST_CACHE || path.join(os.homedir(), '.cache', 'directus-schema-action'))
}

function nodePackageName() {
  const platform = process.platform === 'win32' ? 'win' : process.platform
  return `node-${platform}-${process.arch}`
}

/**
 * Where the Node 22 binary and its headers live.
 * @returns {{ dir: string, pkgDir: string, bin: string, nodedir: string, override: boolean }}
 */
export function node22Paths() {
  const override = process.env.DIRECTUS_TEST_NODE
  if (override) {
    const nodedir = path.dirname(path.dirname(override))
    return { dir: nodedir, pkgDir: nodedir, bin: override, nodedir, override: true }
  }
  const dir = path.join(cacheDir(), 'node22')
  const pkgDir = path.join(dir, 'node_modules', nodePackageName())
  return { dir, pkgDir, bin: path.join(pkgDir, 'bin', 'node'), nodedir: pkgDir, override: false }
}

/**
 * @param {string} version
 * @returns {{ dir: string, marker: string, cli: string }}
 */
export function directusPaths(version) {
  assertVersion(version)
  const dir = path.join(cacheDir(), `directus-${version}`)
  return {
    dir,
    marker: path.join(dir, MARKER),
    // The API's CLI entry point. directus/cli.js would first query the npm registry for updates.
    cli: path.join(dir, 'node_modules', '@directus', 'api', 'dist', 'cli', 'run.js'),
  }
}

/** @param {string} version */
function assertVersion(version) {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) throw new Error(`Invalid Directus version: ${JSON.stringify(version)}`)
}

// ---------------------------------------------------------------------------------------------
// Small process helpers
// ---------------------------------------------------------------------------------------------

/**
 * Run a command, capturing output into a log file (and memory). Rejects with the tail on failure.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string, timeoutMs?: number }} [opts]
 * @returns {Promise<string>}
 */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const logStream = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : null
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      out += chunk.toString()
      if (out.length > MAX_LOG_CHARS) out = out.slice(-MAX_LOG_CHARS / 2)
      logStream?.write(chunk)
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null
    child.on('error', (err) => {
      if (timer) clearTimeout(timer)
      logStream?.end()
      reject(new Error(`${cmd} could not be started: ${err.message}`))
    })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      logStream?.end()
      if (code === 0) resolve(out)
      else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${tail(out, 40)}`))
    })
  })
}

/** @param {string} text @param {number} lines */
function tail(text, lines) {
  return text.split('\n').slice(-lines - 1).join('\n').trimEnd()
}

/** @param {number} pid */
function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return /** @type {NodeJS.ErrnoException} */ (err).code === 'EPERM'
  }
}

/** Path with the Node 22 bin dir first, so npm, node-gyp and install scripts use Node 22. */
function node22Env() {
  const n = node22Paths()
  return {
    ...process.env,
    PATH: `${path.dirname(n.bin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: n.nodedir, // overrides nodedir=/usr from ~/.npmrc
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  }
}

/**
 * Directory lock (mkdir is atomic). Stale locks (dead pid) are taken over.
 * @template T
 * @param {string} lockDir @param {() => Promise<T>} fn @param {{ log?: (m: string) => void, timeoutMs?: number }} [opts]
 * @returns {Promise<T>}
 */
async function withLock(lockDir, fn, opts = {}) {
  const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000)
  let announced = false
  await fsp.mkdir(path.dirname(lockDir), { recursive: true })
  for (;;) {
    try {
      await fsp.mkdir(lockDir)
      await fsp.writeFile(path.join(lockDir, 'pid'), String(process.pid))
      break
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err
      const pid = Number(await fsp.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'))
      if (Number.isInteger(pid) && !isAlive(pid)) {
        await fsp.rm(lockDir, { recursive: true, force: true })
        continue
      }
      if (Number.isNaN(pid)) {
        // The owner may be between mkdir and writeFile; treat as stale only if old.
        const st = await fsp.stat(lockDir).catch(() => null)
        if (st && Date.now() - st.mtimeMs > 10_000) await fsp.rm(lockDir, { recursive: true, force: true })
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${lockDir} (held by pid ${pid})`)
      if (!announced && opts.log) opts.log(`waiting for lock ${path.basename(lockDir)} (pid ${pid})…`)
      announced = true
      await sleep(500)
    }
  }
  try {
    return await fn()
  } finally {
    await fsp.rm(lockDir, { recursive: true, force: true })
  }
}

/** @param {number} start */
const secs = (start) => `${((Date.now() - start) / 1000).toFixed(1)}s`

// ---------------------------------------------------------------------------------------------
// Installation (used by `scripts/test-env.mjs ensure`, and lazily by startDirectus)
// ---------------------------------------------------------------------------------------------

/**
 * Idempotently install the Node 22 runtime (binary + headers) from the npm registry.
 * @param {{ log?: (m: string) => void }} [opts]
 * @returns {Promise<string>} the node binary
 */
export async function ensureNode22(opts = {}) {
  const log = opts.log ?? defaultLog
  const n = node22Paths()
  const marker = path.join(n.dir, MARKER)
  const works = () => {
    const r = spawnSync(n.bin, ['--version'], { encoding: 'utf8' })
    return r.status === 0 && r.stdout.trim().startsWith('v22.') && fs.existsSync(path.join(n.nodedir, 'include', 'node', 'node.h'))
  }
  if (n.override) {
    if (!works()) throw new Error(`DIRECTUS_TEST_NODE=${n.bin} is not a Node 22 binary with include/node headers next to it`)
    return n.bin
  }
  if (fs.existsSync(marker) && fs.existsSync(n.bin)) return n.bin
  return withLock(`${n.dir}.lock`, async () => {
    if (fs.existsSync(marker) && fs.existsSync(n.bin)) return n.bin
    const start = Date.now()
    await fsp.mkdir(n.dir, { recursive: true })
    if (!works()) {
      log(`installing ${nodePackageName()}@${NODE22_VERSION} into ${n.dir}…`)
      await fsp.writeFile(
        path.join(n.dir, 'package.json'),
        JSON.stringify({ name: 'dsa-node22', private: true, dependencies: { [nodePackageName()]: NODE22_VERSION } }, null, 2) + '\n',
      )
      await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
        cwd: n.dir,
        env: { ...process.env, npm_config_update_notifier: 'false' },
        logFile: path.join(n.dir, 'install.log'),
      })
      if (!works()) throw new Error(`Installed ${nodePackageName()}@${NODE22_VERSION} but ${n.bin} does not run as Node 22`)
    }
    await fsp.writeFile(marker, JSON.stringify({ version: NODE22_VERSION, completedAt: new Date().toISOString() }) + '\n')
    log(`node22 ready (${secs(start)})`)
    return n.bin
  }, { log })
}

/** @param {string} version @returns {boolean} */
export function isDirectusInstalled(version) {
  return fs.existsSync(directusPaths(version).marker) && fs.existsSync(node22Paths().bin)
}

/**
 * Idempotently install directus@version into the cache and make its native modules work on Node 22.
 * @param {string} [version]
 * @param {{ log?: (m: string) => void }} [opts]
 * @returns {Promise<{ dir: string, cli: string, node: string }>}
 */
export async function ensureDirectus(version = DEFAULT_VERSION, opts = {}) {
  const log = opts.log ?? defaultLog
  const p = directusPaths(version)
  const node = await ensureNode22({ log })
  if (fs.existsSync(p.marker)) return { dir: p.dir, cli: p.cli, node }
  return withLock(`${p.dir}.lock`, async () => {
    if (fs.existsSync(p.marker)) return { dir: p.dir, cli: p.cli, node }
    const total = Date.now()
    await adoptLegacyInstall(version, p.dir, log)
    await fsp.mkdir(p.dir, { recursive: true })
    const logFile = path.join(p.dir, 'install.log')
    const pkgJson = { name: `dsa-directus-${version}`, private: true, dependencies: { directus: version } }
    await fsp.writeFile(path.join(p.dir, 'package.json'), JSON.stringify(pkgJson, null, 2) + '\n')

    let start = Date.now()
    log(`directus ${version}: npm install (takes a few minutes; log: ${logFile})…`)
    // Scripts are ignored: the only native modules that matter are rebuilt explicitly below.
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=warn'], {
      cwd: p.dir,
      env: node22Env(),
      logFile,
    })
    log(`directus ${version}: npm install done (${secs(start)})`)

    const verify = () =>
      spawnSync(node, ['-e', "require('isolated-vm'); require('sqlite3')"], { cwd: p.dir, encoding: 'utf8', env: node22Env() })
    let check = verify()
    if (check.status !== 0) {
      start = Date.now()
      log(`directus ${version}: rebuilding isolated-vm and sqlite3 against Node 22 headers…`)
      await run('npm', ['rebuild', 'isolated-vm', 'sqlite3', `--nodedir=${node22Paths().nodedir}`, '--foreground-scripts'], {
        cwd: p.dir,
        env: node22Env(),
        logFile,
      })
      log(`directus ${version}: rebuild done (${secs(start)})`)
      check = verify()
    }
    if (check.status !== 0) {
      throw new Error(`directus ${version}: native modules do not load on Node 22 after rebuild:\n${tail(check.stderr, 20)}`)
    }
    if (!fs.existsSync(p.cli)) throw new Error(`directus ${version}: ${p.cli} is missing`)
    await fsp.writeFile(
      p.marker,
      JSON.stringify({ version, node: NODE22_VERSION, completedAt: new Date().toISOString() }, null, 2) + '\n',
    )
    log(`directus ${version}: ready (${secs(total)})`)
    return { dir: p.dir, cli: p.cli, node }
  }, { log })
}

/**
 * One-off: a manual install at <cache>/d12 (made while this tooling was written) is moved into the
 * versioned layout instead of being downloaded again. Only taken when that install finished (rc=0).
 * @param {string} version @param {string} target @param {(m: string) => void} log
 */
async function adoptLegacyInstall(version, target, log) {
  const legacy = path.join(cacheDir(), 'd12')
  if (fs.existsSync(path.join(target, 'node_modules'))) return
  try {
    const pkg = JSON.parse(await fsp.readFile(path.join(legacy, 'node_modules', 'directus', 'package.json'), 'utf8'))
    const installLog = await fsp.readFile(path.join(legacy, 'install.log'), 'utf8')
    if (pkg.version !== version || !/\nrc=0\s*$/.test(installLog)) return
  } catch {
    return
  }
  await fsp.rm(target, { recursive: true, force: true })
  await fsp.rename(legacy, target)
  log(`directus ${version}: adopted existing install from ${legacy}`)
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL helpers
// ---------------------------------------------------------------------------------------------

function pgConn() {
  return {
    host: process.env.DIRECTUS_TEST_PG_HOST || '127.0.0.1',
    port: Number(process.env.DIRECTUS_TEST_PG_PORT || 5432),
    user: process.env.DIRECTUS_TEST_PG_USER || 'postgres',
    password: process.env.DIRECTUS_TEST_PG_PASSWORD || '',
  }
}

/** @param {string} sql */
function psqlArgs(sql) {
  const c = pgConn()
  return ['-h', c.host, '-p', String(c.port), '-U', c.user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-X', '-Atqc', sql]
}
function psqlEnv() {
  const c = pgConn()
  return { ...process.env, PGCONNECT_TIMEOUT: '5', ...(c.password ? { PGPASSWORD: c.password } : {}) }
}

/** @param {string} sql @returns {Promise<string>} */
function psql(sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', psqlArgs(sql), { env: psqlEnv(), timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`psql failed (${sql}): ${stderr.trim() || err.message}`))
      else resolve(stdout.trim())
    })
  })
}

/** @param {string} sql */
function psqlSync(sql) {
  return spawnSync('psql', psqlArgs(sql), { env: psqlEnv(), encoding: 'utf8', timeout: 15_000 })
}

/** @param {string} name */
function ident(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`)
  return `"${name}"`
}

/** @param {string} name */
async function pgDatabaseExists(name) {
  return (await psql(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)) === '1'
}

// ---------------------------------------------------------------------------------------------
// MySQL / MariaDB helpers (db: 'mysql'; Directus' DB_CLIENT=mysql talks to both)
// ---------------------------------------------------------------------------------------------
//
// MariaDB and MySQL have no CREATE DATABASE … TEMPLATE. A clone is one client call that creates
// the database, replays the template's own `SHOW CREATE TABLE` statements (read once per process:
// a template never changes once published) with foreign key checks off, and copies every table's
// rows server-side with INSERT … SELECT. That keeps columns, indexes, CHECK constraints (MariaDB's
// json_valid), foreign keys with their names, and AUTO_INCREMENT counters; see docs/mariadb.md
// for the timing against `mariadb-dump | mariadb`.

/** Character set and collation of every database created here (explicit, so the server's defaults do not leak in). */
const MYSQL_CHARSET = 'utf8mb4'
const MYSQL_COLLATION = 'utf8mb4_unicode_ci'

function mysqlConn() {
  return {
    host: process.env.DIRECTUS_TEST_MYSQL_HOST || '127.0.0.1',
    port: Number(process.env.DIRECTUS_TEST_MYSQL_PORT || 3306),
    user: process.env.DIRECTUS_TEST_MYSQL_USER || 'root',
    password: process.env.DIRECTUS_TEST_MYSQL_PASSWORD || '',
  }
}

/** @type {string|undefined} */
let mysqlClientBin
/** The command line client: $DIRECTUS_TEST_MYSQL_CLIENT, else `mariadb`, else `mysql`. */
function mysqlClient() {
  if (mysqlClientBin) return mysqlClientBin
  const candidates = process.env.DIRECTUS_TEST_MYSQL_CLIENT ? [process.env.DIRECTUS_TEST_MYSQL_CLIENT] : ['mariadb', 'mysql']
  for (const bin of candidates) {
    if (spawnSync(bin, ['--version'], { encoding: 'utf8' }).status === 0) return (mysqlClientBin = bin)
  }
  throw new Error(`db 'mysql' needs a MariaDB/MySQL command line client (${candidates.join(' or ')}) on PATH; set DIRECTUS_TEST_MYSQL_CLIENT to use another`)
}

function mysqlArgs() {
  const c = mysqlConn()
  // -N -B: tab-separated rows without headers; --connect-timeout keeps a missing server from hanging a test.
  return ['-h', c.host, '-P', String(c.port), '-u', c.user, '-N', '-B', '--connect-timeout=5', `--default-character-set=${MYSQL_CHARSET}`]
}
function mysqlEnv() {
  const c = mysqlConn()
  // MYSQL_PWD keeps the password off the command line (both clients read it).
  return { ...process.env, MYSQL_PWD: c.password }
}

/**
 * Run SQL (several statements separated by `;` are fine) through the client's standard input.
 * @param {string} sql @returns {Promise<string>} its batch output
 */
function mysql(sql) {
  return new Promise((resolve, reject) => {
    const child = execFile(mysqlClient(), mysqlArgs(), { env: mysqlEnv(), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout.replace(/\n$/, ''))
      const c = mysqlConn()
      const hint = /ERROR 2002|ERROR 2003|ERROR 2005|ERROR 1045/.test(stderr)
        ? ` (db 'mysql' needs a MySQL/MariaDB server at ${c.user}@${c.host}:${c.port}: set DIRECTUS_TEST_MYSQL_HOST/PORT/USER/PASSWORD)`
        : ''
      reject(new Error(`${mysqlClient()} failed (${sql.length > 200 ? `${sql.slice(0, 200)}…` : sql}): ${stderr.trim() || err.message}${hint}`))
    })
    child.stdin?.end(sql)
  })
}

/**
 * Run SQL on the MySQL/MariaDB server of db 'mysql' (DIRECTUS_TEST_MYSQL_*) through its command line
 * client; for tests and fact-finding scripts that look at an instance's database (instance.dbName).
 * @param {string} sql one or more statements @returns {Promise<string[][]>} rows of tab-separated batch output
 */
export async function mysqlQuery(sql) {
  const out = await mysql(sql)
  return out ? out.split('\n').map((line) => line.split('\t').map(unescapeBatch)) : []
}

/** @param {string} sql */
function mysqlSync(sql) {
  return spawnSync(mysqlClient(), mysqlArgs(), { env: mysqlEnv(), input: sql, encoding: 'utf8', timeout: 15_000 })
}

/** @param {string} name */
function myIdent(name) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`)
  return `\`${name}\``
}

/** Undoes the escaping of the client's batch mode (\n, \t, \0 and \\ inside a value). @param {string} value */
function unescapeBatch(value) {
  return value.replace(/\\(.)/g, (_, c) => ({ n: '\n', t: '\t', 0: '\0', '\\': '\\' })[/** @type {string} */ (c)] ?? c)
}

/**
 * A published database counts when it holds Directus' tables: publishing moves them all in one
 * atomic RENAME TABLE, so an empty or half-built database of that name never counts.
 * @param {string} name
 */
async function mysqlDatabaseExists(name) {
  return (
    (await mysql(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '${name}' AND table_name = 'directus_migrations'`)) ===
    '1'
  )
}

/** @param {string} db @returns {Promise<string[]>} its base tables */
async function mysqlTables(db) {
  const out = await mysql(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = '${db}' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )
  return out.split('\n').filter(Boolean)
}

/** @type {Map<string, Promise<Array<{ table: string, ddl: string }>>>} */
const mysqlDdlCache = new Map()

/**
 * The `CREATE TABLE` statements of a published template, read once per process.
 * @param {string} db
 */
function mysqlTemplateDdl(db) {
  let p = mysqlDdlCache.get(db)
  if (!p) {
    p = (async () => {
      const tables = await mysqlTables(db)
      if (tables.length === 0) throw new Error(`template database ${db} has no tables`)
      const out = await mysql(tables.map((t) => `SHOW CREATE TABLE ${myIdent(db)}.\`${t}\`;`).join('\n'))
      /** @type {Map<string, string>} */
      const byTable = new Map()
      for (const line of out.split('\n')) {
        const tab = line.indexOf('\t')
        if (tab > 0) byTable.set(unescapeBatch(line.slice(0, tab)), unescapeBatch(line.slice(tab + 1)))
      }
      return tables.map((table) => {
        const ddl = byTable.get(table)
        if (!ddl?.startsWith('CREATE TABLE')) throw new Error(`could not read the definition of ${db}.${table}`)
        return { table, ddl }
      })
    })()
    mysqlDdlCache.set(db, p)
    p.catch(() => mysqlDdlCache.delete(db))
  }
  return p
}

/** @param {string} name */
function mysqlCreateDatabaseSql(name) {
  return `CREATE DATABASE ${myIdent(name)} CHARACTER SET ${MYSQL_CHARSET} COLLATE ${MYSQL_COLLATION}`
}

/**
 * Clone `source` into a new database `target` (dropped first if it exists) in one client call.
 * @param {string} source @param {string} target
 */
async function mysqlCloneDatabase(source, target) {
  const tables = await mysqlTemplateDdl(source)
  const q = (/** @type {string} */ t) => `\`${t.replace(/`/g, '``')}\``
  const sql = [
    'SET SESSION foreign_key_checks = 0',
    'SET SESSION unique_checks = 0',
    // No shared locks on the template's rows: parallel clones never wait for each other.
    'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
    `DROP DATABASE IF EXISTS ${myIdent(target)}`,
    mysqlCreateDatabaseSql(target),
    `USE ${myIdent(target)}`,
    ...tables.map((t) => t.ddl),
    // Explicit ids are kept; AUTO_INCREMENT counters come with the DDL.
    ...tables.map((t) => `INSERT INTO ${q(t.table)} SELECT * FROM ${myIdent(source)}.${q(t.table)}`),
    '',
  ].join(';\n')
  try {
    await mysql(sql)
  } catch (err) {
    await mysql(`DROP DATABASE IF EXISTS ${myIdent(target)}`).catch(() => {})
    throw err
  }
}

/**
 * Publish a built database under its final name: every table moves in one atomic RENAME TABLE
 * (foreign keys move with their tables), then the empty build database is dropped.
 * @param {string} build @param {string} final
 */
async function mysqlPublishDatabase(build, final) {
  const tables = await mysqlTables(build)
  if (tables.length === 0) throw new Error(`database ${build} has no tables to publish`)
  const q = (/** @type {string} */ db, /** @type {string} */ t) => `${myIdent(db)}.\`${t.replace(/`/g, '``')}\``
  await mysql(
    [
      `DROP DATABASE IF EXISTS ${myIdent(final)}`,
      mysqlCreateDatabaseSql(final),
      `RENAME TABLE ${tables.map((t) => `${q(build, t)} TO ${q(final, t)}`).join(', ')}`,
      `DROP DATABASE ${myIdent(build)}`,
      '',
    ].join(';\n'),
  )
}

// ---------------------------------------------------------------------------------------------
// Database servers: what templates and instances need from PostgreSQL and MySQL/MariaDB alike
// ---------------------------------------------------------------------------------------------

/** @typedef {'sqlite'|'pg'|'mysql'} DbKind */
export const DB_KINDS = /** @type {const} */ (['sqlite', 'pg', 'mysql'])

/**
 * @typedef {object} DbServer
 * @property {(name: string) => Promise<boolean>} exists        a published template (or any database, for pg)
 * @property {(name: string) => Promise<void>} createEmpty      (re)create an empty database
 * @property {(source: string, target: string) => Promise<void>} clone   (re)create `target` as a copy of `source`
 * @property {(build: string, final: string) => Promise<void>} publish   give a finished build database its final name
 * @property {(name: string) => Promise<void>} drop
 * @property {(name: string) => void} dropSync                  for process 'exit', where nothing can be awaited
 * @property {() => Promise<string[]>} listTestDatabases        names that look like dsa_<pid>_<n> or dsa_tmpl_build_<pid>
 */

const TEST_DB_PATTERN = '^dsa_(tmpl_build_)?[0-9]+(_[0-9]+)?$'

/** @type {Record<'pg'|'mysql', DbServer>} */
const servers = {
  pg: {
    exists: pgDatabaseExists,
    createEmpty: async (name) => {
      await psql(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)
      await psql(`CREATE DATABASE ${ident(name)}`)
    },
    clone: (source, target) => createDatabaseFromTemplate(target, source),
    publish: async (build, final) => {
      await psql(`ALTER DATABASE ${ident(build)} RENAME TO ${ident(final)}`)
    },
    drop: async (name) => {
      await psql(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)
    },
    dropSync: (name) => {
      psqlSync(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)
    },
    listTestDatabases: async () =>
      (await psql(`SELECT datname FROM pg_database WHERE datname ~ '${TEST_DB_PATTERN}'`)).split('\n').filter(Boolean),
  },
  mysql: {
    exists: mysqlDatabaseExists,
    createEmpty: async (name) => {
      await mysql(`DROP DATABASE IF EXISTS ${myIdent(name)};\n${mysqlCreateDatabaseSql(name)};`)
    },
    clone: mysqlCloneDatabase,
    publish: mysqlPublishDatabase,
    drop: async (name) => {
      await mysql(`DROP DATABASE IF EXISTS ${myIdent(name)}`)
    },
    dropSync: (name) => {
      mysqlSync(`DROP DATABASE IF EXISTS ${myIdent(name)}`)
    },
    listTestDatabases: async () =>
      (await mysql(`SELECT schema_name FROM information_schema.schemata WHERE schema_name REGEXP '${TEST_DB_PATTERN}'`))
        .split('\n')
        .filter(Boolean),
  },
}

/** @param {DbKind} db @returns {DbServer} */
function server(db) {
  if (db === 'sqlite') throw new Error('sqlite has no database server')
  return servers[db]
}

// ---------------------------------------------------------------------------------------------
// Environment of a Directus process
// ---------------------------------------------------------------------------------------------

/**
 * Env that keeps Directus offline, quiet and fast. Directus 12 Core forces telemetry
 * (entitlement telemetry_required), so its URLs point at a closed loopback port.
 * @param {string} workDir
 */
function baseEnv(workDir) {
  /** @type {Record<string, string>} */
  const env = {}
  // Keep only what a process needs from the parent: no stray DB_*/DIRECTUS settings.
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SystemRoot']) if (process.env[k]) env[k] = /** @type {string} */ (process.env[k])
  Object.assign(env, {
    NODE_ENV: 'production',
    CONFIG_PATH: path.join(workDir, 'no-such.env'),
    SECRET,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LOG_STYLE: 'raw',
    LOG_HTTP_IGNORE_PATHS: '/server/ping',
    TELEMETRY: 'false',
    TELEMETRY_URL: 'http://127.0.0.1:9',
    COMPLIANCE_URL: 'http://127.0.0.1:9',
    PROJECT_OWNER_ENABLED: 'false',
    ACCEPT_TERMS: 'true',
    CACHE_ENABLED: 'false',
    CACHE_AUTO_PURGE: 'false',
    RATE_LIMITER_ENABLED: 'false',
    RATE_LIMITER_GLOBAL_ENABLED: 'false',
    RATE_LIMITER_REGISTRATION_ENABLED: 'false',
    RATE_LIMITER_MCP_OAUTH_ENABLED: 'false',
    RATE_LIMITER_MCP_OAUTH_REGISTRATION_ENABLED: 'false',
    PRESSURE_LIMITER_ENABLED: 'false', // 2-core CI: event-loop delay would turn requests into 503s
    WEBSOCKETS_ENABLED: 'false',
    SERVE_APP: 'false',
    AI_ENABLED: 'false',
    MCP_ENABLED: 'false',
    METRICS_ENABLED: 'false',
    RETENTION_ENABLED: 'false',
    EMAIL_VERIFY_SETUP: 'false',
    EMAIL_TRANSPORT: 'sendmail',
    EMAIL_SENDMAIL_PATH: '/bin/true',
    HEALTHCHECK_SERVICES: 'database',
    LOGIN_STALL_TIME: '0',
    MARKETPLACE_TRUST: 'sandbox',
    MARKETPLACE_REGISTRY: 'http://127.0.0.1:9',
    EXTENSIONS_PATH: path.join(workDir, 'extensions'),
    EXTENSIONS_AUTO_RELOAD: 'false',
    MIGRATIONS_PATH: path.join(workDir, 'migrations'),
    EMAIL_TEMPLATES_PATH: path.join(workDir, 'templates'),
    STORAGE_LOCATIONS: 'local',
    STORAGE_LOCAL_ROOT: path.join(workDir, 'uploads'),
    TEMP_PATH: path.join(workDir, 'tmp'),
    PACKAGE_FILE_LOCATION: workDir,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
  })
  return env
}

/** @param {DbKind} db @param {string} target sqlite file, or database name on the pg or mysql server */
function dbEnv(db, target) {
  if (db === 'sqlite') return { DB_CLIENT: 'sqlite3', DB_FILENAME: target }
  const c = db === 'mysql' ? mysqlConn() : pgConn()
  return {
    DB_CLIENT: db,
    DB_HOST: c.host,
    DB_PORT: String(c.port),
    DB_USER: c.user,
    DB_PASSWORD: c.password,
    DB_DATABASE: target,
  }
}

/**
 * A Directus child exits by itself when the process that started it goes away (even on SIGKILL,
 * when no 'exit' handler can run): the parent pid is polled from a preloaded data: module.
 */
const WATCHDOG = `data:text/javascript,${encodeURIComponent(
  "const p=Number(process.env.DSA_PARENT_PID);if(p){setInterval(()=>{let alive=true;try{process.kill(p,0)}catch(e){alive=e.code==='EPERM'}if(!alive||process.ppid!==p)process.kill(process.pid,'SIGKILL')},500).unref()}",
)}`

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/** @type {Map<string, Promise<string>>} */
const templateCache = new Map()

/** Name of the plain template database on a pg or mysql server. @param {string} version */
function serverTemplateName(version) {
  return `dsa_tmpl_${version.replace(/[^0-9a-z]/gi, '_').toLowerCase()}_r${TEMPLATE_REV}`
}

/**
 * Bootstraps (once per version and database kind) a database with the admin user and static token.
 * @param {string} version @param {DbKind} db @param {(m: string) => void} log
 * @returns {Promise<string>} the sqlite file or the pg/mysql database name
 */
export function ensureTemplate(version, db, log = defaultLog) {
  const key = `${version}:${db}`
  let p = templateCache.get(key)
  if (!p) {
    p = buildTemplate(version, db, log)
    templateCache.set(key, p)
    p.catch(() => templateCache.delete(key))
  }
  return p
}

/** @param {string} version @param {DbKind} db @param {(m: string) => void} log */
async function buildTemplate(version, db, log) {
  const { cli, node, dir: installDir } = await ensureDirectus(version, { log })
  const dir = path.join(cacheDir(), 'templates')
  await fsp.mkdir(dir, { recursive: true })
  const finalName = db === 'sqlite' ? path.join(dir, `${version}-sqlite-r${TEMPLATE_REV}.db`) : serverTemplateName(version)
  const exists = () => (db === 'sqlite' ? Promise.resolve(fs.existsSync(finalName)) : server(db).exists(finalName))
  if (await exists()) return finalName
  return withLock(path.join(dir, `${version}-${db}.lock`), async () => {
    if (await exists()) return finalName
    const start = Date.now()
    log(`bootstrapping ${db} template for directus ${version}…`)
    const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), `dsa-${process.pid}-tmpl-`))
    const buildName = db === 'sqlite' ? `${finalName}.build-${process.pid}` : `dsa_tmpl_build_${process.pid}`
    try {
      if (db === 'sqlite') await fsp.rm(buildName, { force: true })
      else await server(db).createEmpty(buildName)
      await prepareWorkDir(workDir)
      const env = {
        ...baseEnv(workDir),
        ...dbEnv(db, buildName),
        ADMIN_TOKEN, // honoured by `directus bootstrap` (utils/create-admin.js) as the admin's static token
        NODE_COMPILE_CACHE: compileCacheDir(installDir),
        DSA_PARENT_PID: String(process.pid),
      }
      await run(node, [`--import=${WATCHDOG}`, cli, 'bootstrap'], { cwd: workDir, env, timeoutMs: 5 * 60_000 })
      if (db === 'sqlite') {
        for (const suffix of ['-wal', '-shm']) {
          if (fs.existsSync(buildName + suffix) && fs.statSync(buildName + suffix).size > 0) {
            throw new Error(`SQLite template left a non-empty ${suffix} file; copy would be incomplete`)
          }
        }
        await fsp.rename(buildName, finalName)
      } else {
        await server(db).publish(buildName, finalName)
      }
      log(`${db} template for directus ${version} ready (${secs(start)})`)
      return finalName
    } catch (err) {
      if (db === 'sqlite') await fsp.rm(buildName, { force: true })
      else await server(db).drop(buildName).catch(() => {})
      throw new Error(`Bootstrapping the ${db} template for directus ${version} failed: ${/** @type {Error} */ (err).message}`)
    } finally {
      await fsp.rm(workDir, { recursive: true, force: true })
    }
  }, { log })
}

/**
 * @typedef {object} SeedTemplate
 * @property {string} name   cache key (lowercase letters, digits, dashes); change it when the seed changes
 * @property {(instance: DirectusInstance) => Promise<unknown>} run   seeds a fresh instance through its API
 */

/**
 * A template with a seeded schema: built once per version, database and seed name (under a lock) by
 * starting an instance on a copy of the plain template and running the seed against it; later
 * instances copy (SQLite) or clone (PostgreSQL, MySQL/MariaDB) the result instead of seeding again.
 * @param {string} version @param {DbKind} db @param {SeedTemplate} seed @param {(m: string) => void} [log]
 * @returns {Promise<string>} the sqlite file or the pg/mysql database name
 */
export function ensureSeededTemplate(version, db, seed, log = defaultLog) {
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(seed.name)) throw new Error(`seed name must be lowercase letters, digits and dashes: ${JSON.stringify(seed.name)}`)
  const key = `${version}:${db}:${seed.name}`
  let p = templateCache.get(key)
  if (!p) {
    p = buildSeededTemplate(version, db, seed, log)
    templateCache.set(key, p)
    p.catch(() => templateCache.delete(key))
  }
  return p
}

/** @param {string} version @param {DbKind} db @param {SeedTemplate} seed @param {(m: string) => void} log */
async function buildSeededTemplate(version, db, seed, log) {
  const plain = await ensureTemplate(version, db, log)
  const dir = path.join(cacheDir(), 'templates')
  const finalName =
    db === 'sqlite' ? path.join(dir, `${version}-sqlite-r${TEMPLATE_REV}-${seed.name}.db`) : `${serverTemplateName(version)}_${seed.name.replace(/-/g, '_')}`
  const exists = () => (db === 'sqlite' ? Promise.resolve(fs.existsSync(finalName)) : server(db).exists(finalName))
  if (await exists()) return finalName
  return withLock(path.join(dir, `${version}-${db}-${seed.name}.lock`), async () => {
    if (await exists()) return finalName
    const start = Date.now()
    log(`seeding ${db} template "${seed.name}" for directus ${version} (once; cached in ${dir})…`)
    const buildName = db === 'sqlite' ? `${finalName}.build-${process.pid}` : `dsa_tmpl_build_${process.pid}`
    const dropBuild = async () => {
      if (db === 'sqlite') for (const suffix of ['', '-journal', '-wal', '-shm']) await fsp.rm(buildName + suffix, { force: true })
      else await server(db).drop(buildName)
    }
    try {
      await dropBuild()
      if (db === 'sqlite') await fsp.copyFile(plain, buildName)
      else await server(db).clone(plain, buildName)
      // The instance works on the build database itself (the env overrides its own copy).
      const instance = await startDirectus({
        version,
        db,
        name: `seed-${seed.name}`,
        log,
        env: db === 'sqlite' ? { DB_FILENAME: buildName } : { DB_DATABASE: buildName },
      })
      try {
        await seed.run(instance)
      } finally {
        await instance.stop()
      }
      if (db === 'sqlite') {
        // Killed while idle, SQLite leaves no hot journal; one would mean the copy is incomplete.
        for (const suffix of ['-journal', '-wal']) {
          if (fs.existsSync(buildName + suffix) && fs.statSync(buildName + suffix).size > 0) {
            throw new Error(`the seeded SQLite database left a non-empty ${suffix} file`)
          }
        }
        await fsp.rename(buildName, finalName)
      } else {
        await server(db).publish(buildName, finalName)
      }
      log(`${db} template "${seed.name}" for directus ${version} ready (${secs(start)})`)
      return finalName
    } catch (err) {
      await dropBuild().catch(() => {})
      throw new Error(`Seeding the ${db} template "${seed.name}" for directus ${version} failed: ${/** @type {Error} */ (err).message}`)
    }
  }, { log, timeoutMs: 60 * 60_000 })
}

// ---------------------------------------------------------------------------------------------
// Pre-warmed processes
// ---------------------------------------------------------------------------------------------
//
// Loading the ~150 third-party packages Directus imports is most of a plain start (~5 s; date-fns alone
// ~1.5 s on Node 22). A "zygote" is a Node 22 process that has already imported them and waits,
// over IPC, for an instance's environment; only then does it import the Directus CLI (whose own
// modules read the env at import time) and run `start`. One zygote per version is kept warm and
// replaced once the instance that used it is up. Set DIRECTUS_TEST_PREWARM=0 to spawn plain processes.

const ZYGOTE_FILE = 'dsa-zygote.mjs'
const ZYGOTE_SOURCE = `// Written by scripts/lib/directus-instance.mjs (directus-schema-action test tooling).
// Preloads the third-party modules that Directus' CLI imports statically, then waits for
// {env, cwd, args} over IPC before importing the CLI itself.
import fs from 'node:fs'
import path from 'node:path'
import module from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
const root = path.dirname(fileURLToPath(import.meta.url))
const cli = path.join(root, 'node_modules', '@directus', 'api', 'dist', 'cli', 'run.js')
const seen = new Set(), bare = new Set(), stack = [cli]
const re = /^\\s*(?:import|export)\\s+(?:[^'";]*?\\s+from\\s+)?["']([^"']+)["']/gm
while (stack.length) {
  const file = stack.pop()
  if (seen.has(file)) continue
  seen.add(file)
  let src
  try { src = fs.readFileSync(file, 'utf8') } catch { continue }
  for (const m of src.matchAll(re)) {
    const s = m[1]
    if (s.startsWith('.')) stack.push(path.resolve(path.dirname(file), s))
    else if (!s.startsWith('node:') && !s.startsWith('@directus/') && !s.startsWith('directus')) bare.add(s)
  }
}
for (const s of bare) { try { await import(s) } catch {} }
module.flushCompileCache?.()
process.once('message', async (msg) => {
  process.disconnect()
  process.send = undefined
  for (const k of Object.keys(process.env)) delete process.env[k]
  Object.assign(process.env, msg.env)
  process.chdir(msg.cwd)
  process.argv = [process.argv[0], cli, ...msg.args]
  await import(pathToFileURL(cli).href)
  setTimeout(() => module.flushCompileCache?.(), 10000).unref()
})
process.send('warm')
`

/**
 * @typedef {object} Zygote
 * @property {import('node:child_process').ChildProcess} child
 * @property {Promise<void>} warm
 * @property {{ text: string }} log
 */

/** @type {Map<string, Zygote>} */
const pool = new Map()
/** @type {Set<import('node:child_process').ChildProcess>} */
const pooledChildren = new Set()

function prewarmEnabled() {
  return !['0', 'false', 'no', 'off'].includes(String(process.env.DIRECTUS_TEST_PREWARM ?? '').toLowerCase())
}

/** @param {string} dir */
function compileCacheDir(dir) {
  return path.join(dir, '.node-compile-cache')
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {boolean} on
 */
function setRef(child, on) {
  const m = on ? 'ref' : 'unref'
  /** @type {any[]} */
  const handles = [child, child.stdout, child.stderr, /** @type {any} */ (child).channel]
  for (const h of handles) if (h && typeof h[m] === 'function') h[m]()
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @returns {{ text: string }}
 */
function captureOutput(child) {
  const log = { text: '' }
  /** @param {Buffer} chunk */
  const onData = (chunk) => {
    log.text += chunk.toString()
    if (log.text.length > MAX_LOG_CHARS) log.text = log.text.slice(-MAX_LOG_CHARS / 2)
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  return log
}

/** Generic environment of a process before it knows which instance it will be. @param {string} installDir */
function launchEnv(installDir) {
  /** @type {Record<string, string>} */
  const env = {}
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[k]) env[k] = /** @type {string} */ (process.env[k])
  return { ...env, NODE_ENV: 'production', NODE_COMPILE_CACHE: compileCacheDir(installDir), DSA_PARENT_PID: String(process.pid) }
}

/** @param {{ dir: string, node: string }} install @returns {Zygote} */
function spawnZygote(install) {
  const file = path.join(install.dir, ZYGOTE_FILE)
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== ZYGOTE_SOURCE) {
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, ZYGOTE_SOURCE)
    fs.renameSync(tmp, file)
  }
  const child = spawn(install.node, [`--import=${WATCHDOG}`, file], {
    cwd: install.dir,
    env: launchEnv(install.dir),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  const log = captureOutput(child)
  const warm = new Promise((resolve, reject) => {
    child.once('message', (m) => (m === 'warm' ? resolve(undefined) : reject(new Error(`unexpected message ${m}`))))
    child.once('error', reject)
    child.once('exit', (code, signal) => reject(new Error(`pre-warmed process exited (${signal ?? `exit ${code}`})\n${tail(log.text, 20)}`)))
  })
  warm.catch(() => {})
  installExitHandler()
  pooledChildren.add(child)
  child.once('exit', () => pooledChildren.delete(child))
  setRef(child, false)
  return { child, warm: /** @type {Promise<void>} */ (warm), log }
}

/**
 * Start a pre-warmed process for `version` in the background, so that the next startDirectus()
 * of that version is fast. Called automatically after every start; call it early (e.g. in
 * beforeAll) to also speed up the first one.
 * @param {string} [version]
 */
export async function prewarmDirectus(version = DEFAULT_VERSION) {
  if (!prewarmEnabled()) return
  const existing = pool.get(version)
  if (existing && existing.child.exitCode === null && existing.child.signalCode === null) return
  const install = await ensureDirectus(version)
  if (!pool.has(version)) pool.set(version, spawnZygote(install))
}

/** @param {string} version @param {{ dir: string, node: string }} install @returns {Zygote} */
function takeZygote(version, install) {
  let z = pool.get(version)
  pool.delete(version)
  if (!z || z.child.exitCode !== null || z.child.signalCode !== null) z = spawnZygote(install)
  return z
}

/**
 * After an instance is up (not before: 2 cores), warm a replacement for the next start.
 * @param {string} version @param {{ dir: string, node: string }} install
 */
function refillPool(version, install) {
  if (prewarmEnabled() && !pool.has(version)) pool.set(version, spawnZygote(install))
}

// ---------------------------------------------------------------------------------------------
// Instances
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {object} DirectusInstance
 * @property {string} url             e.g. http://127.0.0.1:40123 (no trailing slash)
 * @property {string} adminToken
 * @property {string} adminEmail
 * @property {string} adminPassword
 * @property {string} version
 * @property {DbKind} db
 * @property {number} port
 * @property {string} [dbName]        PostgreSQL or MySQL/MariaDB database of this instance
 * @property {string} name
 * @property {number} pid
 * @property {number} startupMs       time from startDirectus() call to ready
 * @property {() => Promise<void>} stop
 * @property {() => string} logs
 */

/**
 * @typedef {object} LiveRecord
 * @property {import('node:child_process').ChildProcess} child
 * @property {string} workDir
 * @property {string} [dbName]
 * @property {DbKind} db
 */

/** @type {Set<LiveRecord>} */
const live = new Set()
let counter = 0
let exitHandlerInstalled = false
/** @type {Set<string>} what sweepOrphans has already swept in this process: 'tmp', 'pg', 'mysql' */
const swept = new Set()

function installExitHandler() {
  if (exitHandlerInstalled) return
  exitHandlerInstalled = true
  process.on('exit', () => {
    for (const rec of live) cleanupSync(rec)
    for (const child of pooledChildren) killTree(child, 'SIGKILL')
  })
}

/** Synchronous last-resort cleanup (for process 'exit'). @param {LiveRecord} rec */
function cleanupSync(rec) {
  killTree(rec.child, 'SIGKILL')
  if (rec.dbName && rec.db !== 'sqlite') {
    try {
      server(rec.db).dropSync(rec.dbName)
    } catch {}
  }
  try {
    fs.rmSync(rec.workDir, { recursive: true, force: true })
  } catch {}
  live.delete(rec)
}

/** @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal */
function killTree(child, signal) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal) // detached => own process group
  } catch {
    try {
      child.kill(signal)
    } catch {}
  }
}

/**
 * Drops databases and temp dirs left by test processes that died (pid no longer alive): temp dirs
 * once per process, and the databases of each server kind once, when an instance first uses it.
 * @param {DbKind} db
 */
async function sweepOrphans(db) {
  if (!swept.has('tmp')) {
    swept.add('tmp')
    try {
      for (const entry of await fsp.readdir(os.tmpdir())) {
        const m = /^dsa-(\d+)-/.exec(entry)
        if (m && !isAlive(Number(m[1]))) await fsp.rm(path.join(os.tmpdir(), entry), { recursive: true, force: true })
      }
    } catch {}
  }
  if (db === 'sqlite' || swept.has(db)) return
  swept.add(db)
  try {
    for (const name of await server(db).listTestDatabases()) {
      const pid = Number(/^dsa_(?:tmpl_build_)?(\d+)/.exec(name)?.[1])
      if (pid && pid !== process.pid && !isAlive(pid)) await server(db).drop(name)
    }
  } catch {}
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Start a throwaway Directus instance from a template database.
 * @param {{ version?: string, db?: DbKind, port?: number, env?: Record<string, string|number|boolean>, name?: string, startTimeoutMs?: number, log?: (m: string) => void, seed?: SeedTemplate }} [options]
 * @returns {Promise<DirectusInstance>}
 */
export async function startDirectus(options = {}) {
  const t0 = Date.now()
  const { version = DEFAULT_VERSION, db = 'sqlite', env: extraEnv = {}, startTimeoutMs = 90_000 } = options
  const log = options.log ?? defaultLog
  if (!DB_KINDS.includes(db)) throw new Error(`db must be one of ${DB_KINDS.map((k) => `'${k}'`).join(', ')}, got ${JSON.stringify(db)}`)
  installExitHandler()
  const n = ++counter
  const name = options.name ?? `directus-${version}-${db}-${n}`
  const install = await ensureDirectus(version, { log })
  if (prewarmEnabled() && !pool.has(version)) pool.set(version, spawnZygote(install)) // warms while the template is prepared
  await sweepOrphans(db)
  const template = options.seed ? await ensureSeededTemplate(version, db, options.seed, log) : await ensureTemplate(version, db, log)

  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), `dsa-${process.pid}-`))
  /** @type {string|undefined} */
  let dbName
  /** @type {string} */
  let dbTarget
  try {
    await prepareWorkDir(workDir)
    if (db === 'sqlite') {
      dbTarget = path.join(workDir, 'data.db')
      await fsp.copyFile(template, dbTarget)
    } else {
      dbName = `dsa_${process.pid}_${n}`
      dbTarget = dbName
      await server(db).clone(template, dbName)
    }
  } catch (err) {
    await fsp.rm(workDir, { recursive: true, force: true })
    throw err
  }

  const fixedPort = options.port ?? 0
  let lastError = /** @type {Error|null} */ (null)
  for (let attempt = 1; attempt <= (fixedPort ? 1 : 3); attempt++) {
    const port = fixedPort || (await freePort())
    const url = `http://127.0.0.1:${port}`
    const env = {
      ...baseEnv(workDir),
      ...dbEnv(db, dbTarget),
      NODE_COMPILE_CACHE: compileCacheDir(install.dir),
      PORT: String(port),
      PUBLIC_URL: url,
      DSA_PARENT_PID: String(process.pid),
      ...Object.fromEntries(Object.entries(extraEnv).map(([k, v]) => [k, String(v)])),
    }
    /** @type {import('node:child_process').ChildProcess} */
    let child
    /** @type {{ text: string }} */
    let logBuf
    /** @type {Zygote|null} */
    let zygote = null
    if (prewarmEnabled()) {
      zygote = takeZygote(version, install)
      child = zygote.child
      logBuf = zygote.log
      pooledChildren.delete(child)
      setRef(child, true)
    } else {
      child = spawn(install.node, [`--import=${WATCHDOG}`, install.cli, 'start'], {
        cwd: workDir,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      logBuf = captureOutput(child)
    }
    /** @type {LiveRecord} */
    const rec = { child, workDir, dbName, db }
    live.add(rec)
    if (zygote) {
      try {
        await zygote.warm
        child.send({ env, cwd: workDir, args: ['start'] })
      } catch (err) {
        killTree(child, 'SIGKILL')
        live.delete(rec)
        lastError = new Error(`Directus ${version} (${db}) "${name}": ${/** @type {Error} */ (err).message}`)
        continue
      }
    }
    const exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode })
      else child.once('exit', (code, signal) => resolve({ code, signal }))
    })

    /** @type {Promise<void>|null} */
    let stopping = null
    const stop = () => {
      stopping ??= (async () => {
        killTree(child, 'SIGKILL')
        await waitOrTimeout(exited, 10_000)
        if (dbName) await dropDatabase(db, dbName)
        await fsp.rm(workDir, { recursive: true, force: true })
        live.delete(rec)
      })()
      return stopping
    }

    try {
      await waitForReady(url, exited, startTimeoutMs)
      refillPool(version, install)
      setRef(child, false) // a forgotten instance must not keep the test process alive ('exit' kills it)
      return {
        url,
        adminToken: ADMIN_TOKEN,
        adminEmail: ADMIN_EMAIL,
        adminPassword: ADMIN_PASSWORD,
        version,
        db,
        port,
        ...(dbName ? { dbName } : {}),
        name,
        pid: /** @type {number} */ (child.pid),
        startupMs: Date.now() - t0,
        stop,
        logs: () => logBuf.text,
      }
    } catch (err) {
      lastError = new Error(
        `Directus ${version} (${db}) "${name}" did not start on ${url}: ${/** @type {Error} */ (err).message}\n--- last log lines ---\n${tail(logBuf.text, 30) || '(no output)'}`,
      )
      const portClash = /EADDRINUSE/.test(logBuf.text)
      killTree(child, 'SIGKILL')
      await waitOrTimeout(exited, 10_000)
      live.delete(rec)
      if (!portClash) break
    }
  }
  if (dbName) await dropDatabase(db, dbName)
  await fsp.rm(workDir, { recursive: true, force: true })
  throw lastError
}

/**
 * Wait for a promise at most `ms` (the timer is cleared, so it never keeps the process alive).
 * @param {Promise<unknown>} promise @param {number} ms
 */
async function waitOrTimeout(promise, ms) {
  /** @type {NodeJS.Timeout|undefined} */
  let timer
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

/** @param {string} workDir */
async function prepareWorkDir(workDir) {
  // A package.json and the extension/upload folders keep Directus from warning about them.
  await fsp.writeFile(path.join(workDir, 'package.json'), '{"name":"dsa-directus-instance","private":true}\n')
  for (const d of ['extensions', 'uploads', 'tmp']) await fsp.mkdir(path.join(workDir, d), { recursive: true })
}

/** @param {string} dbName @param {string} template */
async function createDatabaseFromTemplate(dbName, template) {
  await psql(`DROP DATABASE IF EXISTS ${ident(dbName)} WITH (FORCE)`)
  for (let i = 0; ; i++) {
    try {
      await psql(`CREATE DATABASE ${ident(dbName)} TEMPLATE ${ident(template)}`)
      return
    } catch (err) {
      // "source database is being accessed by other users": transient while another clone runs.
      if (i >= 20 || !/being accessed by other users/.test(/** @type {Error} */ (err).message)) throw err
      await sleep(250)
    }
  }
}

/** @param {DbKind} db @param {string} dbName */
async function dropDatabase(db, dbName) {
  await server(db)
    .drop(dbName)
    .catch((err) => defaultLog(String(err.message)))
}

/**
 * @param {string} url @param {Promise<unknown>} exited @param {number} timeoutMs
 */
async function waitForReady(url, exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  let done = /** @type {{code: number|null, signal: string|null}|null} */ (null)
  exited.then((r) => (done = /** @type {any} */ (r)))
  let last = ''
  while (Date.now() < deadline) {
    if (done) throw new Error(`process exited early (${done.signal ?? `exit ${done.code}`})`)
    try {
      const res = await fetch(`${url}/server/ping`, { signal: AbortSignal.timeout(2000) })
      if (res.ok) return
      last = `HTTP ${res.status}`
    } catch (err) {
      last = /** @type {Error} */ (err).message
    }
    await sleep(50)
  }
  throw new Error(`not ready after ${timeoutMs} ms (last ping: ${last})`)
}

/**
 * Create a user whose role's policy has neither admin nor app access, with a static token.
 * @param {{ url: string, adminToken: string }} instance
 * @returns {Promise<string>} the user's static token
 */
export async function createNonAdminToken(instance) {
  const suffix = randomBytes(4).toString('hex')
  const token = `dsa-nonadmin-${suffix}-${randomBytes(8).toString('hex')}`
  /** @param {string} p @param {unknown} body */
  const post = async (p, body) => {
    const res = await fetch(`${instance.url}${p}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${instance.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`POST ${p} failed: HTTP ${res.status} ${text.slice(0, 500)}`)
    return JSON.parse(text).data
  }
  const role = await post('/roles', {
    name: `No access ${suffix}`,
    policies: { create: [{ policy: { name: `No access ${suffix}`, admin_access: false, app_access: false } }] },
  })
  await post('/users', { email: `nonadmin-${suffix}@example.com`, password: ADMIN_PASSWORD, role: role.id, token, status: 'active' })
  return token
}

/** Kill every instance and pre-warmed process started by this process (synchronously). */
export function stopAll() {
  for (const rec of [...live]) cleanupSync(rec)
  for (const child of pooledChildren) killTree(child, 'SIGKILL')
  pool.clear()
}
