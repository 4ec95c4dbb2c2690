import { createServer, type Server, type Socket } from 'node:net'
import { createNonAdminToken, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createCollection } from '../../scripts/lib/seed.mjs'
import { errorLines, pullRequestEvent, type ActionRun } from '../../scripts/lib/run-action.mjs'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { BOT, expectOneCleanFailure, useLive } from '../support/live.js'

const READONLY_TOKEN = 'ghs_readonly_token_0123456789'

const live = useLive({
  name: 'plan',
  directus: { base: { seed: 'realistic' }, target: {}, pgTarget: { db: 'pg' } },
  github: {
    tokens: {
      [READONLY_TOKEN]: { login: BOT, installation: true, canWrite: false },
      ghp_someone_else: { login: 'mallory' }
    }
  }
})
const { directus } = live

function planRun(pr: number, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return live.planOnPullRequest(pr, live.inputs(inputs), { env })
}

describe('plan on a pull request', () => {
  it('posts the pending diff as one comment, writes the summary and outputs, and leaks nothing', async () => {
    const run = await planRun(1)
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('true')
    expect(run.outputs['hash']).toMatch(/^[a-f0-9]{20,}$/)
    expect(run.outputs['summary']).toMatch(/\+\d+ collections, \+\d+ fields, \+\d+ relations/)
    expect(run.outputs['destructive']).toBe('false')

    const comments = live.github.comments('acme', 'site', 1)
    expect(comments).toHaveLength(1)
    const body = comments[0]!.body
    expect(run.outputs['comment-url']).toBe(comments[0]!.html_url)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain('staging')
    expect(body).toContain(run.outputs['summary']!.replace(/~/g, '&#126;'))
    expect(body).toContain('articles.author -&#62; authors')
    expect(body).toContain('<details>')
    expect(body).toContain(run.outputs['hash'])
    expect(body).toContain('https://github.com/acme/site/actions/runs/4242')
    expect(run.summary).toContain(run.outputs['summary'])

    const diffFile = JSON.parse(run.diffFile ?? 'null') as { hash: string; diff: { collections: unknown[] } }
    expect(diffFile.hash).toBe(run.outputs['hash'])
    expect(diffFile.diff.collections.length).toBeGreaterThanOrEqual(4)
    live.expectNoSecrets(run, [body])
  })

  it('updates the same comment in place on a re-run, even past the first page of comments', async () => {
    await planRun(2)
    for (let index = 0; index < 120; index++) {
      live.github.addComment('acme', 'site', 2, { login: 'octocat', body: `review note ${index}` })
    }
    const rerun = await planRun(2)
    expect(rerun.code).toBe(0)
    const ours = live.github.comments('acme', 'site', 2).filter((comment) => comment.user.login === BOT)
    expect(ours).toHaveLength(1)
    expect(rerun.outputs['comment-url']).toBe(ours[0]!.html_url)
  })

  it('ignores a look-alike comment written by someone else', async () => {
    const first = await planRun(3)
    const marker = /<!--[^>]*-->/.exec(live.github.comments('acme', 'site', 3)[0]!.body)![0]
    live.github.addComment('acme', 'site', 4, { login: 'mallory', body: `${marker}\nfake plan` })
    const run = await planRun(4)
    expect(first.code).toBe(0)
    expect(run.code).toBe(0)
    const comments = live.github.comments('acme', 'site', 4)
    expect(comments).toHaveLength(2)
    expect(comments[0]!.body).toContain('fake plan')
    expect(comments[1]!.user.login).toBe(BOT)
  })

  it('says plainly when nothing differs', async () => {
    const run = await planRun(5, { 'target-url': directus.base.url, 'target-token': directus.base.adminToken })
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('false')
    expect(run.outputs['hash']).toBe('')
    const body = live.github.comments('acme', 'site', 5)[0]!.body
    expect(body.toLowerCase()).toContain('no changes')
  })

  it('logs in with email and password, and the process exits as soon as it is done', async () => {
    const run = await planRun(6, {
      'target-token': '',
      'target-email': directus.target.adminEmail,
      'target-password': directus.target.adminPassword
    })
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('true')
    expect(run.durationMs).toBeLessThan(20_000)
    live.expectNoSecrets(run)
    // Without a signing-key or a target token, the record is keyed with the password: the run says so, naming signing-key.
    expect(run.stdout).toMatch(
      /^::warning::The plan record \(and the drift baseline\) is keyed with the target's password.*Set 'signing-key'/m
    )
  })

  it('keeps the job summary and succeeds when the token may not comment', async () => {
    const run = await planRun(7, { 'github-token': READONLY_TOKEN }, {})
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/::warning::Plan comment skipped: .*HTTP 403/)
    expect(live.github.comments('acme', 'site', 7)).toHaveLength(0)
    expect(run.summary).toContain(run.outputs['summary'])
    expect(run.outputs['comment-url']).toBe('')
  })

  it('tells a fork pull request plainly that it has no secrets, and does not fail', async () => {
    const run = await live.run({
      inputs: live.inputs({ command: 'plan', 'base-token': '', 'target-token': '' }),
      event: pullRequestEvent(8, 'b'.repeat(40), { fork: true })
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/::notice::.*fork.*no secrets/)
    expect(errorLines(run)).toHaveLength(0)
  })
})

describe('version and vendor checks', () => {
  it('fails across vendors without force, naming both vendors and force', async () => {
    const run = await planRun(9, { 'target-url': directus.pgTarget.url, 'target-token': directus.pgTarget.adminToken })
    expectOneCleanFailure(run, /target \(127\.0\.0\.1:\d+\)/, /HTTP 400/, /vendor sqlite/, /vendor postgres/, /force: true/)
    expect(live.github.comments('acme', 'site', 9)).toHaveLength(0)
  })

  it('goes on with force and shows the mismatch as a warning in the report', async () => {
    const run = await planRun(10, { 'target-url': directus.pgTarget.url, 'target-token': directus.pgTarget.adminToken, force: 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('true')
    const body = live.github.comments('acme', 'site', 10)[0]!.body
    expect(body).toMatch(/\[!WARNING\]/)
    expect(body).toMatch(/vendor/)
    expect(body).toContain('postgres')
    live.expectNoSecrets(run, [body])
  })
})

describe('expected failures end in one line', () => {
  let silent: Server
  let silentPort: number
  const sockets = new Set<Socket>()

  beforeAll(async () => {
    // Accepts connections and never answers: a stalled upstream.
    silent = createServer((socket) => sockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentPort = (silent.address() as { port: number }).port
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => silent.close(() => resolve()))
  })

  it('rejects a bad token with 401 and Directus’ reason', async () => {
    const run = await planRun(20, { 'base-token': 'not-a-real-token' })
    expectOneCleanFailure(run, /^::error::base \(127\.0\.0\.1:\d+\)/, /HTTP 401/, /INVALID_CREDENTIALS|Invalid user credentials/i)
  })

  it('rejects a non-admin token with 403', async () => {
    const token = await createNonAdminToken(directus.target)
    const run = await planRun(21, { 'target-token': token })
    live.addSecret(token)
    expectOneCleanFailure(run, /target \(127\.0\.0\.1:\d+\)/, /HTTP 403/, /FORBIDDEN|permission/i)
    live.expectNoSecrets(run)
  })

  it('reports a refused connection', async () => {
    const run = await planRun(22, { 'target-url': 'http://127.0.0.1:59999' })
    expectOneCleanFailure(run, /target \(127\.0\.0\.1:59999\)/, /connection refused/)
  })

  it('ends a stall in a timeout, never a hang', async () => {
    const run = await planRun(23, { 'base-url': `http://127.0.0.1:${silentPort}`, 'timeout-seconds': '1' })
    expectOneCleanFailure(run, /base \(127\.0\.0\.1:\d+\)/, /timed out after 1 s/)
    expect(run.durationMs).toBeLessThan(15_000)
  })

  // Bad inputs: __tests__/faults/bad-inputs.test.ts runs each through dist/index.js.
})

// ---------------------------------------------------------------------------------------------
// The action log (these run last: the apply at the end changes the target)

/**
 * What the runner shows of a run: one collapsible group per step, each ending
 * with its duration; request detail (timings, retries) only as debug lines,
 * which the runner hides unless debug logging is on; destructive changes and
 * version or vendor mismatches as warning annotations.
 */
function logInputs(to: DirectusInstance, overrides: Record<string, string> = {}): Record<string, string> {
  return live.inputs({ command: 'plan', ...overrides }, { target: to })
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
  let proxy: FaultProxy

  beforeAll(async () => {
    // Only the target has it: the plan drops it, a destructive change.
    await createCollection(directus.target.url, directus.target.adminToken, 'scratch_notes')
    proxy = await startFaultProxy(directus.base.url)
  })

  afterAll(async () => {
    await proxy?.stop()
  })

  it('groups a pull-request plan into pull-request, connect, snapshot, diff, count, render, comment, each with its duration', async () => {
    const run = await live.planOnPullRequest(31, logInputs(directus.target))
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
    const run = await live.dispatch(logInputs(directus.target, { 'base-url': proxy.url }))
    expect(run.code).toBe(0)
    expect(proxy.injected()).toBe(1)
    expect(run.stdout).toMatch(/^::debug::GET \/schema\/snapshot -> 503 in \d+ ms \(attempt 1\)$/m)
    expect(run.stdout).toMatch(/^::debug::retrying GET \/schema\/snapshot in \d+ ms$/m)
    expectDetailOnlyInDebug(run)
    expectTimedGroups(run, ['connect', 'snapshot', 'diff', 'count', 'render'])
  })

  it('raises a version or vendor mismatch overridden with force as a warning annotation', async () => {
    const run = await live.dispatch(logInputs(directus.pgTarget, { force: 'true' }))
    expect(run.code).toBe(0)
    expect(warnings(run)).toEqual([
      expect.stringMatching(/^::warning::Version or vendor mismatch overridden with force: .*vendor/),
      expect.stringMatching(/^::warning::Across database vendors the diff never becomes empty/)
    ])
  })

  it('groups an apply into comment, connect, snapshot, diff, apply, verify, snapshot, render, issue, and warns before dropping data', async () => {
    const run = await live.run({
      inputs: logInputs(directus.target, { command: 'apply', 'require-plan': 'false', 'allow-destructive': 'true' }),
      eventName: 'push',
      event: { ref: 'refs/heads/main' }
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
