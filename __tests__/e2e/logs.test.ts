import { startDirectus, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createCollection, seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import { startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'
import { errorLines, pullRequestEvent, runAction, type ActionRun } from '../../scripts/lib/run-action.mjs'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'

/**
 * What the runner shows of a run: one collapsible group per step, each ending
 * with its duration; request detail (timings, retries) only as debug lines,
 * which the runner hides unless debug logging is on; destructive changes and
 * version or vendor mismatches as warning annotations.
 */

const GITHUB_TOKEN = 'ghs_logs_e2e_token_0123456789'

let base: DirectusInstance
let target: DirectusInstance
let pgTarget: DirectusInstance
let github: Standin
let proxy: FaultProxy

beforeAll(async () => {
  ;[base, target, pgTarget, github] = await Promise.all([
    startDirectus({ db: 'sqlite', name: 'logs-base' }),
    startDirectus({ db: 'sqlite', name: 'logs-target' }),
    startDirectus({ db: 'pg', name: 'logs-pg-target' }),
    startGitHubStandin({ tokens: { [GITHUB_TOKEN]: { login: 'github-actions[bot]', installation: true } } })
  ])
  await seedRealisticSchema(base.url, base.adminToken)
  // Only the target has it: the plan drops it, a destructive change.
  await createCollection(target.url, target.adminToken, 'scratch_notes')
  proxy = await startFaultProxy(base.url)
})

afterAll(async () => {
  await Promise.all([base?.stop(), target?.stop(), pgTarget?.stop(), github?.stop(), proxy?.stop()])
})

function inputs(to: DirectusInstance, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    command: 'plan',
    'base-url': base.url,
    'base-token': base.adminToken,
    'target-url': to.url,
    'target-token': to.adminToken,
    'target-name': 'staging',
    'github-token': GITHUB_TOKEN,
    'timeout-seconds': '30',
    ...overrides
  }
}

interface Group {
  name: string
  lines: string[]
}

/** The `::group::` blocks of a run's log, in order. */
function groupsOf(run: ActionRun): Group[] {
  const groups: Group[] = []
  let open: Group | undefined
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('::group::')) {
      expect(open).toBeUndefined()
      open = { name: line.slice('::group::'.length), lines: [] }
    } else if (line === '::endgroup::') {
      expect(open).toBeDefined()
      groups.push(open!)
      open = undefined
    } else if (open) {
      open.lines.push(line)
    }
  }
  expect(open).toBeUndefined()
  return groups
}

function expectTimedGroups(run: ActionRun, names: string[]): void {
  const groups = groupsOf(run)
  expect(groups.map((group) => group.name)).toEqual(names)
  for (const group of groups) expect(group.lines.at(-1)).toMatch(new RegExp(`^${group.name} took \\d+ ms$`))
}

/** Request detail may only be on debug lines: the runner shows those only with debug logging on. */
function expectDetailOnlyInDebug(run: ActionRun): void {
  const lines = run.stdout.split('\n')
  const detail = /-> \d{3} in \d+ ms|\(attempt \d+\)|retrying /
  expect(lines.filter((line) => detail.test(line) && !line.startsWith('::debug::'))).toEqual([])
  expect(lines.some((line) => line.startsWith('::debug::') && /-> 200 in \d+ ms \(attempt 1\)/.test(line))).toBe(true)
}

function warnings(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::warning'))
}

describe('the action log', () => {
  it('groups a pull-request plan into pull-request, connect, snapshot, diff, count, render, comment, each with its duration', async () => {
    github.addPullRequest('acme', 'site', { number: 1, head: { sha: 'a'.repeat(40), ref: 'feature-1' }, base: { ref: 'main' } })
    const run = await runAction({ inputs: inputs(target), event: pullRequestEvent(1, 'a'.repeat(40)), env: { GITHUB_API_URL: github.url } })
    expect(run.code).toBe(0)
    // `count`: the rows of the collection the plan drops are counted on the target.
    expectTimedGroups(run, ['pull-request', 'connect', 'snapshot', 'diff', 'count', 'render', 'comment'])
    expectDetailOnlyInDebug(run)
    expect(warnings(run)).toEqual([
      "::warning::1 destructive change(s) for staging; apply refuses them unless the apply job sets 'allow-destructive: true'"
    ])
  })

  it('shows retries only in the debug log', async () => {
    // No pull request: no comment step.
    proxy.add({ method: 'GET', path: /\/schema\/snapshot$/, fault: { kind: 'status', status: 503 } })
    const run = await runAction({
      inputs: inputs(target, { 'base-url': proxy.url }),
      eventName: 'workflow_dispatch',
      event: { inputs: {} }
    })
    expect(run.code).toBe(0)
    expect(proxy.injected()).toBe(1)
    expect(run.stdout).toMatch(/^::debug::GET \/schema\/snapshot -> 503 in \d+ ms \(attempt 1\)$/m)
    expect(run.stdout).toMatch(/^::debug::retrying GET \/schema\/snapshot in \d+ ms$/m)
    expectDetailOnlyInDebug(run)
    expectTimedGroups(run, ['connect', 'snapshot', 'diff', 'count', 'render'])
  })

  it('raises a version or vendor mismatch overridden with force as a warning annotation', async () => {
    const run = await runAction({
      inputs: inputs(pgTarget, { force: 'true' }),
      eventName: 'workflow_dispatch',
      event: { inputs: {} }
    })
    expect(run.code).toBe(0)
    expect(warnings(run)).toEqual([
      expect.stringMatching(/^::warning::Version or vendor mismatch overridden with force: .*vendor/),
      expect.stringMatching(/^::warning::Across database vendors the diff never becomes empty/)
    ])
  })

  it('groups an apply into comment, connect, snapshot, diff, apply, verify, snapshot, render, issue, and warns before dropping data', async () => {
    const run = await runAction({
      inputs: inputs(target, { command: 'apply', 'require-plan': 'false', 'allow-destructive': 'true' }),
      eventName: 'push',
      event: { ref: 'refs/heads/main' },
      env: { GITHUB_API_URL: github.url }
    })
    expect({ code: run.code, errors: errorLines(run) }).toEqual({ code: 0, errors: [] })
    expect(run.outputs['applied']).toBe('true')
    // `comment`: looking for the merged pull request's plan comment (there is none). The second `snapshot` is the
    // target as the apply left it, which `issue` records as the drift baseline.
    expectTimedGroups(run, ['comment', 'connect', 'snapshot', 'diff', 'apply', 'verify', 'snapshot', 'render', 'issue'])
    expectDetailOnlyInDebug(run)
    expect(warnings(run)).toEqual([
      '::warning::Applying to staging without a reviewed plan (require-plan: false).',
      expect.stringMatching(/^::warning::Applying 1 destructive change to staging \(scratch_notes: /)
    ])
  })
})
