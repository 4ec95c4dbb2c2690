// `npm run bench`: the action's speed, measured in one run on the same instances, printed as a table.
// A benchmark, not a test: nothing here fails on a slow figure.
//
//   node scripts/bench.mjs [--rounds 3]
//
// - Plan wall time of dist/index.js (run as the runner runs it) for a 400-collection x 20-field base against
//   an empty target (Directus 11.17.4 both: 12.x without a license caps collections at 25; the target at the
//   default MAX_PAYLOAD_SIZE), and for the realistic schema (12.4.0, SQLite), each as a ratio to the bare
//   Directus calls a plan needs (GET /schema/snapshot + POST /schema/diff, with fetch).
// - Render time of the PR comment and job summary for that 400-collection diff and for a synthetic
//   300-collection one; comment and job summary length; peak RSS of the action process.
// - Bundle size of dist/ and cold start to the first request.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { startDirectus } from './lib/directus-instance.mjs'
import { startGitHubStandin } from './lib/github-standin.mjs'
import { DIST_ENTRY, pullRequestEvent, runAction } from './lib/run-action.mjs'
import { LARGE_SEED, seedRealisticSchema } from './lib/seed.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const GITHUB_TOKEN = 'ghs_bench_token'
const GOALS = { planRatio: 1.25, renderMs: 200, rssMb: 250, comment: 65_536, summary: 1024 * 1024 }
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } })
const rounds = Math.max(1, Number(values.rounds) || 3)
const started = []
const log = (message) => process.stderr.write(`[bench] ${message}\n`)

async function main() {
  const renderer = await compileRenderer()
  log('starting Directus 11.17.4 (400 x 20 base from the seeded template, empty target) and 12.4.0 (realistic)…')
  const [largeBase, largeTarget, base, target, github] = await Promise.all([
    startDirectus({ version: '11.17.4', name: 'bench-large-base', seed: LARGE_SEED }),
    startDirectus({ version: '11.17.4', name: 'bench-large-target' }),
    startDirectus({ version: '12.4.0', name: 'bench-base' }),
    startDirectus({ version: '12.4.0', name: 'bench-target' }),
    startGitHubStandin({ tokens: { [GITHUB_TOKEN]: { login: 'github-actions[bot]', installation: true } } })
  ])
  started.push(largeBase, largeTarget, base, target, github)
  await seedRealisticSchema(base.url, base.adminToken)

  log(`plan of 400 x 20, ${rounds} round(s) of bare calls and action…`)
  const large = await comparePlan(largeBase, largeTarget, github, 100)
  log(`plan of the realistic schema, ${rounds} round(s)…`)
  const realistic = await comparePlan(base, target, github, 200)
  const largeDiff = JSON.parse(large.lastRun.diffFile).diff
  const renderLarge = timeRender(renderer, largeDiff)
  const render = timeRender(renderer, syntheticDiff(300, 20))
  const comment = github.comments('acme', 'site', 100 + rounds - 1).at(-1)?.body ?? ''
  const coldStart = await measureColdStart()

  const rows = [
    ['Plan 400 x 20, action (median)', ms(large.action), ''],
    ['Plan 400 x 20, bare snapshot + diff (median)', ms(large.bare), ''],
    ['Plan 400 x 20, ratio', ratio(large.action / large.bare), `<= ${GOALS.planRatio}x`],
    ['Peak RSS of the action, plan 400 x 20', mb(large.peakRss), `<= ${GOALS.rssMb} MB`],
    ['Comment length, 400 x 20 (as posted)', `${comment.length} characters`, `<= ${GOALS.comment}`],
    ['Job summary length, 400 x 20', `${large.lastRun.summary.length} characters`, `<= ${GOALS.summary}`],
    ['Diff file, 400 x 20', `${mb(Buffer.byteLength(large.lastRun.diffFile))}, ${largeDiff.collections.length} collections, ${largeDiff.fields.length} fields`, 'complete'],
    ['Render comment + job summary, 400 x 20 (median)', ms(renderLarge.total), `<= ${GOALS.renderMs} ms`],
    ['Plan realistic (6 collections), action (median)', ms(realistic.action), ''],
    ['Plan realistic, bare snapshot + diff (median)', ms(realistic.bare), ''],
    ['Plan realistic, ratio (process start dominates)', ratio(realistic.action / realistic.bare), ''],
    ['Render comment + job summary, 300 x 20 (median)', ms(render.total), `<= ${GOALS.renderMs} ms`],
    ['  of which the comment / the job summary', `${ms(render.comment)} / ${ms(render.summary)}`, ''],
    ['Comment length, 300 x 20', `${render.commentLength} characters (${render.commentLevel})`, `<= ${GOALS.comment}`],
    ['Job summary length, 300 x 20', `${render.summaryLength} characters (${render.summaryLevel})`, `<= ${GOALS.summary}`],
    ['Bundle size of dist/ (action + CLI)', mb(bundleBytes()), ''],
    ['Cold start to the first request (median)', ms(coldStart), '']
  ]
  printTable(rows)
}

/** The highest VmHWM of any running dist/index.js, sampled until stop() (Linux /proc). */
function watchPeakRss() {
  let peak = 0
  const sample = () => {
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(DIST_ENTRY)) continue
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
        if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024)
      } catch {
        // The process ended between listing and reading.
      }
    }
  }
  const timer = setInterval(sample, 25)
  return { stop: () => (clearInterval(timer), peak) }
}

/** A created schema of `collections` x `fields`, shaped like Directus' own diff entries. */
function syntheticDiff(collections, fields) {
  const diff = { collections: [], fields: [], systemFields: [], relations: [] }
  for (let c = 0; c < collections; c++) {
    const collection = `collection_${String(c).padStart(3, '0')}`
    diff.collections.push({ collection, diff: [{ kind: 'N', rhs: { collection, meta: { collection, icon: 'box', note: `Collection ${c}` }, schema: { name: collection } } }] })
    for (let f = 0; f < fields; f++) {
      const field = f === 0 ? 'id' : `field_${f}`
      const type = f === 0 ? 'integer' : ['string', 'text', 'integer', 'boolean', 'json'][f % 5]
      diff.fields.push({
        collection,
        field,
        diff: [{ kind: 'N', rhs: { collection, field, type, meta: { collection, field, interface: 'input', note: `Field ${f} of ${collection}` }, schema: { name: field, table: collection, data_type: type, is_nullable: f !== 0, is_primary_key: f === 0 } } }]
      })
    }
  }
  return diff
}

/** Alternates bare calls and the action, so that both see the same instance state and load. */
async function comparePlan(baseInstance, targetInstance, github, firstPr) {
  const bare = []
  const action = []
  let lastRun
  let peakRss = 0
  // One unmeasured pass: a freshly started Directus answers its first schema calls slower.
  let snapshotBytes = await bareCalls(baseInstance, targetInstance)
  for (let round = 0; round < rounds; round++) {
    const started = performance.now()
    snapshotBytes = await bareCalls(baseInstance, targetInstance)
    bare.push(performance.now() - started)
    const pr = firstPr + round
    const watcher = watchPeakRss()
    github.addPullRequest('acme', 'site', { number: pr, head: { sha: `${pr}`.padStart(40, 'a'), ref: `feature-${pr}` }, base: { ref: 'main' } })
    lastRun = await runAction({
      inputs: {
        command: 'plan',
        'base-url': baseInstance.url,
        'base-token': baseInstance.adminToken,
        'target-url': targetInstance.url,
        'target-token': targetInstance.adminToken,
        'target-name': 'staging',
        'github-token': GITHUB_TOKEN,
        'timeout-seconds': '600'
      },
      event: pullRequestEvent(pr, `${pr}`.padStart(40, 'a')),
      env: { GITHUB_API_URL: github.url },
      timeoutMs: 900_000
    })
    peakRss = Math.max(peakRss, watcher.stop())
    if (lastRun.code !== 0) throw new Error(`the action failed:\n${lastRun.stdout}\n${lastRun.stderr}`)
    action.push(lastRun.durationMs)
    log(`  round ${round + 1}: bare ${ms(bare.at(-1))}, action ${ms(action.at(-1))}`)
  }
  return { bare: median(bare), action: median(action), lastRun, peakRss, snapshotBytes }
}

/** What a plan needs from Directus, with nothing around it: the snapshot, and the diff as an upload when large. */
async function bareCalls(baseInstance, targetInstance) {
  const headers = (instance) => ({ Authorization: `Bearer ${instance.adminToken}` })
  const snapshotResponse = await fetch(`${baseInstance.url}/schema/snapshot`, { headers: headers(baseInstance) })
  const { data: snapshot } = await snapshotResponse.json()
  const json = JSON.stringify(snapshot)
  const bytes = Buffer.byteLength(json)
  let body = json
  let contentType = { 'Content-Type': 'application/json' }
  if (bytes > 512 * 1024) {
    body = new FormData()
    body.append('file', new Blob([json], { type: 'application/json' }), 'snapshot.json')
    contentType = {}
  }
  const diffResponse = await fetch(`${targetInstance.url}/schema/diff`, {
    method: 'POST',
    headers: { ...headers(targetInstance), ...contentType },
    body
  })
  if (diffResponse.status !== 200) throw new Error(`bare diff answered ${diffResponse.status}: ${(await diffResponse.text()).slice(0, 300)}`)
  await diffResponse.json()
  return bytes
}

/** The renderer from src, compiled by tsc into node_modules/.cache (Node cannot import the .ts sources with .js specifiers). */
async function compileRenderer() {
  const outDir = join(root, 'node_modules', '.cache', 'dsa-bench')
  log('compiling src/ for the in-process render timing…')
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', outDir, '--rootDir', 'src'], {
    cwd: root,
    encoding: 'utf8'
  })
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`)
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n')
  const load = (path) => import(pathToFileURL(join(outDir, path)).href)
  const [{ describeChanges }, markdown] = await Promise.all([load('core/plan/changes.js'), load('report/markdown.js')])
  return { describeChanges, ...markdown }
}

/** Median of 5 renders of both reports, after one warm-up, as the plan command renders them. */
function timeRender(renderer, diff) {
  const changes = renderer.describeChanges(diff)
  const facts = { version: '11.17.4', vendor: 'sqlite' }
  const input = {
    targetName: 'staging',
    hash: '0'.repeat(40),
    diff,
    changes,
    skipped: [],
    noise: [],
    base: facts,
    target: facts,
    warnings: [],
    mode: 'mirror',
    allowDestructiveSetting: 'input',
    runUrl: 'https://github.com/acme/site/actions/runs/1',
    diffFile: '/home/runner/work/_temp/directus-schema-action/staging.diff.json'
  }
  const status = renderer.planStatus(input)
  // A sealer of a record as long as a real one without the packed diff: the comment is laid out around it.
  const record = 'v2.' + 'x'.repeat(900) + '.sig'
  const records = [() => record]
  const samples = []
  let commentLevel = ''
  let summaryLevel = ''
  let commentLength = 0
  let summaryLength = 0
  for (let index = 0; index < 6; index++) {
    const t0 = performance.now()
    const comment = renderer.renderPlanComment(input, { status, records })
    const t1 = performance.now()
    const summary = renderer.renderJobSummary(input, { status })
    const t2 = performance.now()
    commentLevel = comment.level
    summaryLevel = summary.level
    commentLength = comment.text.length
    summaryLength = summary.text.length
    if (index > 0) samples.push({ comment: t1 - t0, summary: t2 - t1, total: t2 - t0 })
  }
  const pick = (key) => median(samples.map((sample) => sample[key]))
  return { comment: pick('comment'), summary: pick('summary'), total: pick('total'), commentLevel, summaryLevel, commentLength, summaryLength }
}

/** From spawning dist/index.js to its first request, against a stub that answers only that. */
async function measureColdStart() {
  const samples = []
  for (let index = 0; index < 5; index++) {
    let spawned = 0
    let firstRequest = 0
    const server = createServer((request, response) => {
      firstRequest ||= performance.now()
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"bench stub"}]}')
    })
    await new Promise((done) => server.listen(0, '127.0.0.1', done))
    const url = `http://127.0.0.1:${server.address().port}`
    const eventFile = join(tmpdir(), `dsa-bench-event-${process.pid}.json`)
    writeFileSync(eventFile, '{}')
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_EVENT_PATH: eventFile,
      INPUT_COMMAND: 'plan',
      'INPUT_BASE-URL': url,
      'INPUT_BASE-TOKEN': 't',
      'INPUT_TARGET-URL': url,
      'INPUT_TARGET-TOKEN': 't',
      'INPUT_TIMEOUT-SECONDS': '1',
      INPUT_COMMENT: 'false'
    }
    spawned = performance.now()
    const child = spawn(process.execPath, [DIST_ENTRY], { env, stdio: 'ignore' })
    await new Promise((done) => child.on('exit', done))
    await new Promise((done) => server.close(done))
    if (firstRequest) samples.push(firstRequest - spawned)
  }
  return median(samples)
}

function bundleBytes(dir = join(root, 'dist')) {
  return readdirSync(dir).reduce((sum, file) => {
    const path = join(dir, file)
    return sum + (statSync(path).isDirectory() ? bundleBytes(path) : statSync(path).size)
  }, 0)
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const ms = (value) => `${Math.round(value)} ms`
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`
const ratio = (value) => `${value.toFixed(2)}x`

function printTable(rows) {
  const header = ['Measure', 'Value', 'Goal']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`
  console.log(line(header))
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`)
  for (const row of rows) console.log(line(row))
  console.log(`\nnode ${process.version}, ${cpus().length} CPUs, ${rounds} round(s); medians.`)
}

try {
  await main()
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : error}`)
  process.exitCode = 1
} finally {
  await Promise.all(started.map((service) => service.stop()))
}
