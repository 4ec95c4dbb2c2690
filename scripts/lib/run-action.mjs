import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The committed bundle, run exactly as the runner runs it. */
export const DIST_ENTRY = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/index.js')

/**
 * Starts `node dist/index.js` as the runner does: INPUT_* variables (hyphenated
 * names kept), an event file, and fresh GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
 * files. Resolves when the process exits; rejects if it outlives timeoutMs.
 * @param {import('./run-action.d.mts').RunOptions} options
 * @returns {Promise<import('./run-action.d.mts').ActionRun>}
 */
export async function runAction(options) {
  const dir = mkdtempSync(join(tmpdir(), 'dsa-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const eventFile = join(dir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(options.event ?? {}))

  /** @type {Record<string, string>} */
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/site',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: 'f'.repeat(40),
    // What the runner sets for a push to main; tests of other events override it when it matters.
    GITHUB_REF: 'refs/heads/main',
    RUNNER_TEMP: dir
  }
  for (const [name, value] of Object.entries(options.inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }

  const started = Date.now()
  const child = spawn(options.node ?? process.execPath, [DIST_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()))
  const timeoutMs = options.timeoutMs ?? 120_000
  /** @type {number | null} */
  const code = await new Promise((resolveExit, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`dist/index.js did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`))
    }, timeoutMs)
    child.on('exit', (exitCode) => {
      clearTimeout(timer)
      resolveExit(exitCode)
    })
  })
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
  const diffFile = outputs['diff-file']
  return {
    code,
    stdout,
    stderr,
    outputs,
    summary: readFileSync(summaryFile, 'utf8'),
    durationMs: Date.now() - started,
    ...(diffFile && existsSync(diffFile) ? { diffFile: readFileSync(diffFile, 'utf8') } : {})
  }
}

/**
 * GITHUB_OUTPUT holds `name<<DELIMITER` blocks.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseOutputFile(text) {
  /** @type {Record<string, string>} */
  const outputs = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index] ?? '')
    if (!match) continue
    const [, name, delimiter] = match
    const value = []
    while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index] ?? '')
    outputs[String(name)] = value.join('\n')
  }
  return outputs
}

/**
 * Every channel the action writes to, for secret scans. `::add-mask::` lines
 * are the one place a secret must appear: the runner consumes them and masks
 * the value everywhere after. Anything before or besides them counts.
 * @param {import('./run-action.d.mts').ActionRun} run
 * @param {string[]} [extra]
 */
export function channels(run, extra = []) {
  const unmasked = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  return [unmasked, run.stderr, JSON.stringify(run.outputs), run.summary, run.diffFile ?? '', ...extra].join('\n')
}

/**
 * The error lines the runner would show (`::error::`).
 * @param {import('./run-action.d.mts').ActionRun} run
 */
export function errorLines(run) {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error'))
}

/**
 * A `pull_request` event payload with the fields the action reads.
 * @param {number} number @param {string} headSha @param {{ fork?: boolean }} [options]
 */
export function pullRequestEvent(number, headSha, options = {}) {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      head: { sha: headSha, ref: `feature-${number}`, repo: { full_name: options.fork ? 'someone/site' : 'acme/site' } },
      base: { ref: 'main', repo: { full_name: 'acme/site' } }
    },
    repository: { full_name: 'acme/site', name: 'site', owner: { login: 'acme' } }
  }
}
