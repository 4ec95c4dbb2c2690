// `npm run bench`: the speed and memory of this action, and of Directus' own command line (@directus/cli, "d6s")
// for the same job, measured in one run on the same instances and printed as tables. A benchmark, not a test:
// nothing here fails on a slow figure, and every goal is printed next to its figure.
//
//   node scripts/bench.mjs [--rounds 3] [--only config]
//
// - The action's plan (the committed dist/index.js, run as the runner runs it, commenting on a stand-in GitHub) as
//   a ratio to the bare Directus calls a plan needs (GET /schema/snapshot + POST /schema/diff with fetch), each
//   round one after the other: a 400-collection x 20-field base against an empty target (Directus 11.17.4 both,
//   since 12.x without a license caps collections at 25; the target at the default MAX_PAYLOAD_SIZE), and the
//   6-collection realistic schema (12.4.0, SQLite). Peak RSS of the action during the 400 x 20 plan.
// - Against d6s (installed into the test cache on first use), on two 12.4.0 pairs (20 collections x 10 fields,
//   and the realistic schema): `d6s sync pull` + `sync diff --mode mirror`, schema only, against this project's
//   command line (`plan`); and `d6s sync diff` of files already pulled against `plan --base-snapshot` of a file
//   already written (`snapshot --out`). Wall times, requests (counted by a proxy, in a separate run) and the size
//   of each report, side by side.
// - Configuration promotion (issue #11): 40 policies with 400 permissions, 30 flows of 5 operations, 10 dashboards,
//   200 translations and 50 presets from a seeded 11.17.4 into an empty one (12.x without a license cannot hold them):
//   `plan --promote` and `apply` of this command line through counting proxies, against the bare reads the plan needs
//   (its GETs replayed with fetch, each instance's in turn, the two side by side). One run. `--only config` runs this section alone.
// - Rendering the PR comment and job summary for that 400-collection diff and a synthetic 300-collection one;
//   bundle size; process start to the first request.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { startCountingProxy } from './lib/counting-proxy.mjs'
import { LARGE_CONFIG, seedLargeConfig } from './lib/config-seed.mjs'
import { createD6sProject, D6S_VERSION, ensureD6s } from './lib/d6s.mjs'
import { startDirectus } from './lib/directus-instance.mjs'
import { startGitHubStandin } from './lib/github-standin.mjs'
import { DIST_ENTRY, pullRequestEvent, runAction } from './lib/run-action.mjs'
import { LARGE_SEED, MEDIUM_SEED, seedRealisticSchema } from './lib/seed.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const GITHUB_TOKEN = 'ghs_bench_token'
const CLI_ENTRY = join(root, 'dist', 'cli', 'index.js')
/** The goals of issue #13 (and the earlier ones still held). */
const GOALS = {
  largeRatio: 1.15,
  realisticRatio: 1.8,
  rssMb: 200,
  firstRequestMs: 100,
  d6sPullDiffRatio: 0.5,
  d6sDiffRatio: 0.6,
  renderMs: 200,
  comment: 65_536,
  summary: 1024 * 1024,
  configPlanRatio: 1.5
}
const CONFIG_PARTS = 'access,flows,dashboards,presets,translations'
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, only: { type: 'string' } } })
const rounds = Math.max(1, Number(values.rounds) || 3)
const started = []
const log = (message) => process.stderr.write(`[bench] ${message}\n`)

async function main() {
  if (values.only !== undefined && values.only !== 'config') throw new Error(`--only takes "config" (the configuration section alone), got ${JSON.stringify(values.only)}`)
  const config = await benchConfigPromotion()
  if (values.only === 'config') return printConfigPromotion(config)
  const renderer = await compileRenderer()
  const d6s = await ensureD6s({ log })
  log('starting Directus 11.17.4 (400 x 20 base, empty target) and 12.4.0 (realistic pair, 20 x 10 base, empty target)…')
  const [largeBase, largeTarget, base, target, mediumBase, mediumTarget, github] = await Promise.all([
    startDirectus({ version: '11.17.4', name: 'bench-large-base', seed: LARGE_SEED }),
    startDirectus({ version: '11.17.4', name: 'bench-large-target' }),
    startDirectus({ version: '12.4.0', name: 'bench-base' }),
    startDirectus({ version: '12.4.0', name: 'bench-target' }),
    startDirectus({ version: '12.4.0', name: 'bench-medium-base', seed: MEDIUM_SEED }),
    startDirectus({ version: '12.4.0', name: 'bench-medium-target' }),
    startGitHubStandin({ tokens: { [GITHUB_TOKEN]: { login: 'github-actions[bot]', installation: true } } })
  ])
  started.push(largeBase, largeTarget, base, target, mediumBase, mediumTarget, github)
  await seedRealisticSchema(base.url, base.adminToken)

  log(`plan of 400 x 20, ${rounds} round(s) of bare calls and action…`)
  const large = await comparePlan(largeBase, largeTarget, github, 100)
  log(`plan of the realistic schema, ${rounds} round(s)…`)
  const realistic = await comparePlan(base, target, github, 200)
  log(`d6s and this command line on 20 x 10 and on the realistic schema, ${rounds} round(s) each…`)
  const peers = [
    { schema: '20 x 10', ...(await compareWithD6s(d6s, mediumBase, mediumTarget)) },
    { schema: '6 collections', ...(await compareWithD6s(d6s, base, target)) }
  ]
  const largeDiff = JSON.parse(large.lastRun.diffFile).diff
  const renderLarge = timeRender(renderer, largeDiff)
  const render = timeRender(renderer, syntheticDiff(300, 20))
  const comment = github.comments('acme', 'site', 100 + rounds - 1).at(-1)?.body ?? ''
  const firstRequest = await measureStartToFirstRequest()

  const rows = [
    ['Plan 400 x 20 / bare snapshot + diff (11.17.4, default MAX_PAYLOAD_SIZE)', ratio(large.ratio), `<= ${GOALS.largeRatio}x`, met(large.ratio <= GOALS.largeRatio)],
    ['  action / bare calls (medians)', `${ms(large.action)} / ${ms(large.bare)}`, '', ''],
    ['Plan 6 collections / bare calls (12.4.0; process start dominates)', ratio(realistic.ratio), `<= ${GOALS.realisticRatio}x`, met(realistic.ratio <= GOALS.realisticRatio)],
    ['  action / bare calls (medians)', `${ms(realistic.action)} / ${ms(realistic.bare)}`, '', ''],
    ['Peak RSS of the action, plan 400 x 20', mb(large.peakRss), `<= ${GOALS.rssMb} MB`, met(large.peakRss <= GOALS.rssMb * 1024 * 1024)],
    ['Process start to the first request (median)', ms(firstRequest), `<= ${GOALS.firstRequestMs} ms`, met(firstRequest <= GOALS.firstRequestMs)],
    ...peers.flatMap((peer) => [
      [`Plan / d6s sync pull + sync diff, ${peer.schema} (12.4.0)`, ratio(peer.pullDiffRatio), `<= ${GOALS.d6sPullDiffRatio}x`, met(peer.pullDiffRatio <= GOALS.d6sPullDiffRatio)],
      [`Plan --base-snapshot / d6s sync diff alone, ${peer.schema}`, ratio(peer.diffRatio), `<= ${GOALS.d6sDiffRatio}x`, met(peer.diffRatio <= GOALS.d6sDiffRatio)]
    ]),
    ['Comment length, 400 x 20 (as posted)', `${comment.length} characters`, `<= ${GOALS.comment}`, met(comment.length <= GOALS.comment)],
    ['Job summary length, 400 x 20', `${large.lastRun.summary.length} characters`, `<= ${GOALS.summary}`, met(large.lastRun.summary.length <= GOALS.summary)],
    ['Diff file, 400 x 20', `${mb(Buffer.byteLength(large.lastRun.diffFile))}, ${largeDiff.collections.length} collections, ${largeDiff.fields.length} fields`, 'complete', ''],
    ['Render comment + job summary, 400 x 20 (median)', ms(renderLarge.total), `<= ${GOALS.renderMs} ms`, met(renderLarge.total <= GOALS.renderMs)],
    ['Render comment + job summary, 300 x 20 (median)', ms(render.total), `<= ${GOALS.renderMs} ms`, met(render.total <= GOALS.renderMs)],
    ['  of which the comment / the job summary', `${ms(render.comment)} / ${ms(render.summary)}`, '', ''],
    ['Comment length, 300 x 20', `${render.commentLength} characters (${render.commentLevel})`, `<= ${GOALS.comment}`, met(render.commentLength <= GOALS.comment)],
    ['Job summary length, 300 x 20', `${render.summaryLength} characters (${render.summaryLevel})`, `<= ${GOALS.summary}`, met(render.summaryLength <= GOALS.summary)],
    ['Bundle of dist/ (action + CLI), all files / compiled at start', `${mb(bundleBytes())} / ${mb(statSync(DIST_ENTRY).size)}`, '', '']
  ]
  printTable(['Measure', 'Value', 'Goal', 'Met'], rows)
  console.log('')
  printTable(
    ['Schema (12.4.0)', 'Tool: command', 'Wall (median)', 'Requests', 'Report'],
    peers.flatMap((peer) => peer.tools.map((tool) => [peer.schema, tool.command, ms(tool.wallMs), requestsText(tool.requests), reportText(tool.report)]))
  )
  console.log('')
  printConfigPromotion(config)
  console.log(
    `\n${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), ` +
      `load average at the end ${loadavg().map((load) => load.toFixed(1)).join(' / ')}; @directus/cli ${D6S_VERSION}; ${rounds} round(s); ` +
      'ratios are medians of each round\'s ratio, times medians.'
  )
}

/**
 * Configuration promotion (issue #11) of LARGE_CONFIG from a seeded 11.17.4 into an empty one, through counting
 * proxies, one run: `plan --promote`, `apply --promote --yes`, and the bare reads the plan needs, which are the
 * GET requests the plan sent (same paths, fields and limit=-1), replayed one after the other with fetch.
 */
async function benchConfigPromotion() {
  log(`configuration promotion: starting two 11.17.4 and seeding ${JSON.stringify(LARGE_CONFIG)}…`)
  const [configBase, configTarget] = await Promise.all([
    startDirectus({ version: '11.17.4', name: 'bench-config-base' }),
    startDirectus({ version: '11.17.4', name: 'bench-config-target' })
  ])
  started.push(configBase, configTarget)
  const seedStarted = performance.now()
  await seedLargeConfig(configBase.url, configBase.adminToken)
  const seedMs = performance.now() - seedStarted
  const proxies = await Promise.all([startCountingProxy(configBase.url), startCountingProxy(configTarget.url)])
  started.push(...proxies)
  const [baseProxy, targetProxy] = proxies
  const cli = (command, ...extra) =>
    runCli([command, '--base-url', baseProxy.url, '--target-url', targetProxy.url, '--promote', CONFIG_PARTS, ...extra], {
      DIRECTUS_BASE_TOKEN: configBase.adminToken,
      DIRECTUS_TARGET_TOKEN: configTarget.adminToken
    })
  const counted = async (work, what) => {
    baseProxy.reset()
    targetProxy.reset()
    const run = expectOk(await work(), what)
    const gets = (proxy, instance) => proxy.requestUrls().filter((request) => request.startsWith('GET ')).map((request) => ({ instance, path: request.slice(4) }))
    return { run, requests: [...baseProxy.requests(), ...targetProxy.requests()], gets: [...gets(baseProxy, configBase), ...gets(targetProxy, configTarget)] }
  }
  // One unmeasured pass of the reads: the first calls of a fresh instance are slower.
  const warmUp = await counted(() => cli('plan'), 'plan --promote')
  await replayReads(warmUp.gets)
  const plan = await counted(() => cli('plan'), 'plan --promote')
  const readsMs = await replayReads(plan.gets)
  const apply = await counted(() => cli('apply', '--yes'), 'apply --promote')
  if (apply.run.code !== 0) throw new Error(`apply --promote exited with ${apply.run.code}:\n${apply.run.stdout}\n${apply.run.stderr}`)
  // After the apply the target holds everything, so this over-states the reads of the apply a little.
  const applyReadsMs = await replayReads(apply.gets)
  const after = await counted(() => cli('plan'), 'plan --promote after the apply')
  return { seedMs, plan, readsMs, apply, applyReadsMs, afterCode: after.run.code }
}

/**
 * The bare reads: each GET again with fetch, straight to the instance (not through a proxy); one after the other
 * on each instance, and the two instances side by side, as the plan reads them.
 */
async function replayReads(gets) {
  const started = performance.now()
  const instances = [...new Set(gets.map((get) => get.instance))]
  await Promise.all(
    instances.map(async (instance) => {
      for (const { path } of gets.filter((get) => get.instance === instance)) {
        const response = await fetch(`${instance.url}${path}`, { headers: { Authorization: `Bearer ${instance.adminToken}` } })
        if (!response.ok && response.status !== 404) throw new Error(`bare read GET ${path} answered ${response.status}`)
        await response.arrayBuffer()
      }
    })
  )
  return performance.now() - started
}

function printConfigPromotion({ seedMs, plan, readsMs, apply, applyReadsMs, afterCode }) {
  const planRatio = plan.run.durationMs / readsMs
  const sizes = `${LARGE_CONFIG.policies} policies, ${LARGE_CONFIG.policies * LARGE_CONFIG.permissionsPerPolicy} permissions, ${LARGE_CONFIG.flows} flows x ${LARGE_CONFIG.operationsPerFlow} operations, ${LARGE_CONFIG.dashboards} dashboards, ${LARGE_CONFIG.translations} translations, ${LARGE_CONFIG.presets} presets`
  console.log(`Configuration promotion (11.17.4 to an empty 11.17.4, --promote ${CONFIG_PARTS}): ${sizes}; seeded in ${ms(seedMs)}; one run.\n`)
  printTable(
    ['Measure', 'Value', 'Requests', 'Goal', 'Met'],
    [
      ['Plan / bare reads', ratio(planRatio), '', `<= ${GOALS.configPlanRatio}x`, met(planRatio <= GOALS.configPlanRatio)],
      ['  plan --promote', ms(plan.run.durationMs), requestsText(plan.requests), '', ''],
      ['  bare reads (the GETs of the plan, replayed)', ms(readsMs), String(plan.gets.length), '', ''],
      ['Apply (plans again, then writes)', ms(apply.run.durationMs), requestsText(apply.requests), '', ''],
      ['  its GETs replayed after the apply', ms(applyReadsMs), String(apply.gets.length), '', ''],
      ['Plan after the apply', afterCode === 0 ? 'no changes' : `exit ${afterCode} (changes left)`, '', 'no changes', met(afterCode === 0)]
    ]
  )
}

const met = (yes) => (yes ? 'yes' : 'no')

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
  const ratios = []
  let lastRun
  let peakRss = 0
  // One unmeasured pass: a freshly started Directus answers its first schema calls slower.
  await bareCalls(baseInstance, targetInstance)
  for (let round = 0; round < rounds; round++) {
    const started = performance.now()
    await bareCalls(baseInstance, targetInstance)
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
    ratios.push(lastRun.durationMs / bare.at(-1))
    log(`  round ${round + 1}: bare ${ms(bare.at(-1))}, action ${ms(action.at(-1))}`)
  }
  return { bare: median(bare), action: median(action), ratio: median(ratios), lastRun, peakRss }
}

/**
 * d6s against this project's command line on one pair of instances, round by round in turn: `sync pull` +
 * `sync diff` against `plan`, then `sync diff` of the files already pulled against `plan --base-snapshot` of a
 * file already written. Requests are counted in one more run of each, through proxies.
 */
async function compareWithD6s(d6sBin, baseInstance, targetInstance) {
  const scratch = mkdtempSync(join(tmpdir(), 'dsa-bench-peers-'))
  const snapshotFile = join(scratch, 'base-snapshot.json')
  const token = (instance) => ({ url: instance.url, token: instance.adminToken })
  const project = await createD6sProject({ bin: d6sBin, base: token(baseInstance), target: token(targetInstance) })
  const ours = (args, urls = { base: baseInstance.url, target: targetInstance.url }) =>
    runCli(
      args.map((arg) => (arg === '$BASE' ? urls.base : arg === '$TARGET' ? urls.target : arg)),
      { DIRECTUS_BASE_TOKEN: baseInstance.adminToken, DIRECTUS_TARGET_TOKEN: targetInstance.adminToken }
    )
  const plan = ['plan', '--base-url', '$BASE', '--target-url', '$TARGET']
  const planFromFile = ['plan', '--base-snapshot', snapshotFile, '--target-url', '$TARGET']
  try {
    expectOk(await ours(['snapshot', '--base-url', '$BASE', '--out', snapshotFile]), 'snapshot --out')
    // One unmeasured pass of each: the first schema calls of a fresh instance are slower.
    expectOk(await project.pull(), 'd6s sync pull')
    expectOk(await project.diff(), 'd6s sync diff')
    expectOk(await ours(plan), 'plan')
    const times = { pull: [], diff: [], plan: [], planFromFile: [] }
    const ratios = { pullDiff: [], diff: [] }
    let last
    for (let round = 0; round < rounds; round++) {
      const pull = expectOk(await project.pull(), 'd6s sync pull')
      const diff = expectOk(await project.diff(), 'd6s sync diff')
      const planned = expectOk(await ours(plan), 'plan')
      const diffAgain = expectOk(await project.diff(), 'd6s sync diff')
      const plannedFromFile = expectOk(await ours(planFromFile), 'plan --base-snapshot')
      times.pull.push(pull.durationMs)
      times.diff.push(diff.durationMs, diffAgain.durationMs)
      times.plan.push(planned.durationMs)
      times.planFromFile.push(plannedFromFile.durationMs)
      ratios.pullDiff.push(planned.durationMs / (pull.durationMs + diff.durationMs))
      ratios.diff.push(plannedFromFile.durationMs / diffAgain.durationMs)
      last = { pull, diff, planned, plannedFromFile }
      log(`  round ${round + 1}: d6s pull ${ms(pull.durationMs)} + diff ${ms(diff.durationMs)}; plan ${ms(planned.durationMs)}; d6s diff ${ms(diffAgain.durationMs)}; plan --base-snapshot ${ms(plannedFromFile.durationMs)}`)
    }
    const counted = await countRequests(d6sBin, baseInstance, targetInstance, ours, plan, planFromFile)
    const markdown = expectOk(await ours([...plan, '--markdown']), 'plan --markdown')
    return {
      pullDiffRatio: median(ratios.pullDiff),
      diffRatio: median(ratios.diff),
      tools: [
        { command: 'd6s: sync pull (schema only)', wallMs: median(times.pull), requests: counted.pull, report: { text: last.pull.stdout } },
        { command: 'd6s: sync diff --mode mirror', wallMs: median(times.diff), requests: counted.diff, report: { text: last.diff.stdout } },
        { command: 'this CLI: plan', wallMs: median(times.plan), requests: counted.plan, report: { text: last.planned.stdout, markdown: markdown.stdout } },
        { command: 'this CLI: plan --base-snapshot FILE', wallMs: median(times.planFromFile), requests: counted.planFromFile, report: { text: last.plannedFromFile.stdout } }
      ]
    }
  } finally {
    await project.remove()
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** One more run of each command, through proxies that count the requests each instance receives. */
async function countRequests(d6sBin, baseInstance, targetInstance, ours, plan, planFromFile) {
  const [baseProxy, targetProxy] = await Promise.all([startCountingProxy(baseInstance.url), startCountingProxy(targetInstance.url)])
  const proxied = { base: baseProxy.url, target: targetProxy.url }
  const project = await createD6sProject({
    bin: d6sBin,
    base: { url: baseProxy.url, token: baseInstance.adminToken },
    target: { url: targetProxy.url, token: targetInstance.adminToken }
  })
  const count = async (work, what) => {
    baseProxy.reset()
    targetProxy.reset()
    expectOk(await work(), what)
    return [...baseProxy.requests(), ...targetProxy.requests()]
  }
  try {
    return {
      pull: await count(() => project.pull(), 'd6s sync pull'),
      diff: await count(() => project.diff(), 'd6s sync diff'),
      plan: await count(() => ours(plan, proxied), 'plan'),
      planFromFile: await count(() => ours(planFromFile, proxied), 'plan --base-snapshot')
    }
  } finally {
    await project.remove()
    await Promise.all([baseProxy.stop(), targetProxy.stop()])
  }
}

/** This project's command line (dist/cli/index.js), as a script runs it: no terminal, credentials in the environment. */
function runCli(args, env) {
  return new Promise((resolveRun, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolveRun({ code, stdout, stderr, durationMs: performance.now() - started }))
  })
}

/** d6s exits 0 whether or not the target differs; this command line exits 2 when it does (like diff --exit-code). */
function expectOk(run, what) {
  if (run.code !== 0 && run.code !== 2) throw new Error(`${what} exited with ${run.code}:\n${run.stdout}\n${run.stderr}`)
  return run
}

function requestsText(requests) {
  const byKind = new Map()
  for (const request of requests) byKind.set(request, (byKind.get(request) ?? 0) + 1)
  return `${requests.length} (${[...byKind].map(([request, count]) => (count > 1 ? `${count}x ${request}` : request)).join(', ')})`
}

function reportText(report) {
  const describe = (text) => `${text.split('\n').filter((line) => line !== '').length} lines, ${Buffer.byteLength(text)} bytes`
  return report.markdown === undefined ? describe(report.text) : `${describe(report.text)} (PR comment: ${Buffer.byteLength(report.markdown)} bytes)`
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
async function measureStartToFirstRequest() {
  const samples = []
  for (let index = 0; index < 9; index++) {
    let spawned = 0
    let firstRequest = 0
    const server = createServer((request, response) => {
      firstRequest ||= performance.now()
      // 401 ends the run at once; only the moment of the first request counts.
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"bench stub","extensions":{"code":"INVALID_CREDENTIALS"}}]}')
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

function printTable(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
  const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`
  console.log(line(header))
  console.log(`| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`)
  for (const row of rows) console.log(line(row))
}

try {
  await main()
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? error.message : error}`)
  process.exitCode = 1
} finally {
  await Promise.all(started.map((service) => service.stop()))
}
