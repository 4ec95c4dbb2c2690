// Directus' own command line, @directus/cli (`d6s`), for `npm run bench`: installed into the test cache on first
// use, as directus-instance.mjs installs Directus, and run headless against a base and a target instance.
//
// Cache layout: <cache>/d6s-<version>/ (npm install of @directus/cli@<version>, completion marker .dsa-complete.json).
// Plain JavaScript, Node builtins only; types in d6s.d.mts.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { cacheDir } from './directus-instance.mjs'

/** The newest @directus/cli on the registry (`npm view @directus/cli versions`: 9.7.1, 9.14.3, 12.2.1); it needs Directus 12.2+. */
export const D6S_VERSION = '12.2.1'
const MARKER = '.dsa-complete.json'

/**
 * The configuration resources `sync pull` takes by default besides the schema (users are not among them). Each is
 * switched off with --no-<resource>, so that d6s compares the schema only, as this action does.
 */
export const SCHEMA_ONLY_FLAGS = ['dashboards', 'flows', 'folders', 'policies', 'roles', 'settings', 'translations'].map(
  (resource) => `--no-${resource}`,
)

/** @param {string} message */
const defaultLog = (message) => process.stderr.write(`[d6s] ${message}\n`)

/**
 * Installs @directus/cli once into the test cache; returns its entry point (dist/bin.js).
 * @param {{ log?: (message: string) => void }} [options]
 * @returns {Promise<string>}
 */
export async function ensureD6s(options = {}) {
  const log = options.log ?? defaultLog
  const dir = path.join(cacheDir(), `d6s-${D6S_VERSION}`)
  const bin = path.join(dir, 'node_modules', '@directus', 'cli', 'dist', 'bin.js')
  if (fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(bin)) return bin
  const lock = `${dir}.lock`
  await fsp.mkdir(path.dirname(dir), { recursive: true })
  for (let waited = 0; ; waited += 500) {
    try {
      await fsp.mkdir(lock)
      break
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error
      // A lock older than the slowest install is left over from a killed run.
      const stat = await fsp.stat(lock).catch(() => null)
      if (stat && Date.now() - stat.mtimeMs > 10 * 60_000) await fsp.rm(lock, { recursive: true, force: true })
      if (waited === 0) log(`waiting for another install of @directus/cli (${lock})…`)
      await sleep(500)
    }
  }
  try {
    if (fs.existsSync(path.join(dir, MARKER)) && fs.existsSync(bin)) return bin
    log(`installing @directus/cli@${D6S_VERSION} into ${dir}…`)
    await fsp.rm(dir, { recursive: true, force: true })
    await fsp.mkdir(dir, { recursive: true })
    const manifest = { name: 'dsa-d6s', private: true, dependencies: { '@directus/cli': D6S_VERSION } }
    await fsp.writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    const install = await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: dir,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    })
    if (install.code !== 0 || !fs.existsSync(bin)) {
      throw new Error(`npm install @directus/cli@${D6S_VERSION} failed (exit ${install.code}):\n${install.stderr.slice(-2000)}`)
    }
    await fsp.writeFile(path.join(dir, MARKER), `${JSON.stringify({ version: D6S_VERSION, completedAt: new Date().toISOString() })}\n`)
    return bin
  } finally {
    await fsp.rm(lock, { recursive: true, force: true })
  }
}

/**
 * A d6s project in a temporary directory, with a temporary HOME, and the profiles `base` and `target`. With CI set,
 * d6s ignores saved credentials and reads DIRECTUS_BASE_TOKEN and DIRECTUS_TARGET_TOKEN instead.
 * @param {{ bin: string, node?: string, base: { url: string, token: string }, target: { url: string, token: string } }} options
 * @returns {Promise<import('./d6s.d.mts').D6sProject>}
 */
export async function createD6sProject(options) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'dsa-d6s-'))
  const home = path.join(dir, 'home')
  const project = path.join(dir, 'project')
  await fsp.mkdir(home)
  await fsp.mkdir(project)
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    CI: '1',
    NO_COLOR: '1',
    DIRECTUS_BASE_TOKEN: options.base.token,
    DIRECTUS_TARGET_TOKEN: options.target.token,
  }
  /** @param {string[]} args */
  const d6s = (args) => run(options.node ?? process.execPath, [options.bin, '--no-interactive', ...args], { cwd: project, env })
  for (const [name, instance] of /** @type {const} */ ([
    ['base', options.base],
    ['target', options.target],
  ])) {
    const added = await d6s(['profile', 'add', name, '--url', instance.url, '--token', instance.token])
    if (added.code !== 0) throw new Error(`d6s profile add ${name} failed (exit ${added.code}): ${added.stderr}${added.stdout}`)
  }
  return {
    directory: project,
    pull: () => d6s(['sync', 'pull', '--from', 'base', ...SCHEMA_ONLY_FLAGS]),
    diff: () => d6s(['sync', 'diff', '--to', 'target', '--mode', 'mirror']),
    remove: () => fsp.rm(dir, { recursive: true, force: true }),
  }
}

/**
 * @param {string} command @param {string[]} args @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<import('./d6s.d.mts').ToolRun>}
 */
function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr, durationMs: performance.now() - started }))
  })
}
