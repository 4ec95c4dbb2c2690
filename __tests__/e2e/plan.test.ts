import { createServer, type Server, type Socket } from 'node:net'
import { startDirectus, createNonAdminToken, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import { startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'
import { channels, errorLines, pullRequestEvent, runAction, type ActionRun } from '../../scripts/lib/run-action.mjs'

const GITHUB_TOKEN = 'ghs_plan_e2e_token_0123456789'
const READONLY_TOKEN = 'ghs_readonly_token_0123456789'

let base: DirectusInstance
let target: DirectusInstance
let pgTarget: DirectusInstance
let github: Standin

beforeAll(async () => {
  ;[base, target, pgTarget, github] = await Promise.all([
    startDirectus({ db: 'sqlite', name: 'plan-base' }),
    startDirectus({ db: 'sqlite', name: 'plan-target' }),
    startDirectus({ db: 'pg', name: 'plan-pg-target' }),
    startGitHubStandin({
      tokens: {
        [GITHUB_TOKEN]: { login: 'github-actions[bot]', installation: true },
        [READONLY_TOKEN]: { login: 'github-actions[bot]', installation: true, canWrite: false },
        ghp_someone_else: { login: 'mallory' }
      }
    })
  ])
  await seedRealisticSchema(base.url, base.adminToken)
})

afterAll(async () => {
  await Promise.all([base?.stop(), target?.stop(), pgTarget?.stop(), github?.stop()])
})

function secrets(): string[] {
  return [base.adminToken, target.adminToken, pgTarget.adminToken, target.adminPassword, GITHUB_TOKEN]
}

function expectNoSecrets(run: ActionRun, extra: string[] = []): void {
  const everything = channels(run, extra)
  for (const secret of secrets()) expect(everything).not.toContain(secret)
}

function planInputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    command: 'plan',
    'base-url': base.url,
    'base-token': base.adminToken,
    'target-url': target.url,
    'target-token': target.adminToken,
    'target-name': 'staging',
    'github-token': GITHUB_TOKEN,
    'timeout-seconds': '30',
    ...overrides
  }
}

function planRun(pr: number, inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  // An open pull request, as GitHub's API shows it: the plan reads its state from there.
  github.addPullRequest('acme', 'site', {
    number: pr,
    head: { sha: `${pr}`.padStart(40, 'a'), ref: `feature-${pr}` },
    base: { ref: 'main' }
  })
  return runAction({
    inputs: planInputs(inputs),
    event: pullRequestEvent(pr, `${pr}`.padStart(40, 'a')),
    env: { GITHUB_API_URL: github.url, ...env }
  })
}

function expectOneCleanFailure(run: ActionRun, ...patterns: RegExp[]): string {
  expect(run.code).toBe(1)
  const errors = errorLines(run)
  expect(errors).toHaveLength(1)
  const line = errors[0] as string
  for (const pattern of patterns) expect(line).toMatch(pattern)
  expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/)
  return line
}

describe('plan on a pull request', () => {
  it('posts the pending diff as one comment, writes the summary and outputs, and leaks nothing', async () => {
    const run = await planRun(1)
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('true')
    expect(run.outputs['hash']).toMatch(/^[a-f0-9]{20,}$/)
    expect(run.outputs['summary']).toMatch(/\+\d+ collections, \+\d+ fields, \+\d+ relations/)
    expect(run.outputs['destructive']).toBe('false')

    const comments = github.comments('acme', 'site', 1)
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
    expectNoSecrets(run, [body])
  })

  it('updates the same comment in place on a re-run, even past the first page of comments', async () => {
    await planRun(2)
    for (let index = 0; index < 120; index++) {
      github.addComment('acme', 'site', 2, { login: 'octocat', body: `review note ${index}` })
    }
    const rerun = await planRun(2)
    expect(rerun.code).toBe(0)
    const ours = github.comments('acme', 'site', 2).filter((comment) => comment.user.login === 'github-actions[bot]')
    expect(ours).toHaveLength(1)
    expect(rerun.outputs['comment-url']).toBe(ours[0]!.html_url)
  })

  it('ignores a look-alike comment written by someone else', async () => {
    const first = await planRun(3)
    const marker = /<!--[^>]*-->/.exec(github.comments('acme', 'site', 3)[0]!.body)![0]
    github.addComment('acme', 'site', 4, { login: 'mallory', body: `${marker}\nfake plan` })
    const run = await planRun(4)
    expect(first.code).toBe(0)
    expect(run.code).toBe(0)
    const comments = github.comments('acme', 'site', 4)
    expect(comments).toHaveLength(2)
    expect(comments[0]!.body).toContain('fake plan')
    expect(comments[1]!.user.login).toBe('github-actions[bot]')
  })

  it('says plainly when nothing differs', async () => {
    const run = await planRun(5, { 'target-url': base.url, 'target-token': base.adminToken })
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('false')
    expect(run.outputs['hash']).toBe('')
    const body = github.comments('acme', 'site', 5)[0]!.body
    expect(body.toLowerCase()).toContain('no changes')
  })

  it('logs in with email and password, and the process exits as soon as it is done', async () => {
    const run = await planRun(6, {
      'target-token': '',
      'target-email': target.adminEmail,
      'target-password': target.adminPassword
    })
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('true')
    expect(run.durationMs).toBeLessThan(20_000)
    expectNoSecrets(run)
    // Without a signing-key or a target token, the record is keyed with the password: the run says so, naming signing-key.
    expect(run.stdout).toMatch(
      /^::warning::The plan record \(and the drift baseline\) is keyed with the target's password.*Set 'signing-key'/m
    )
  })

  it('keeps the job summary and succeeds when the token may not comment', async () => {
    const run = await planRun(7, { 'github-token': READONLY_TOKEN }, {})
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/::warning::Plan comment skipped: .*HTTP 403/)
    expect(github.comments('acme', 'site', 7)).toHaveLength(0)
    expect(run.summary).toContain(run.outputs['summary'])
    expect(run.outputs['comment-url']).toBe('')
  })

  it('tells a fork pull request plainly that it has no secrets, and does not fail', async () => {
    const run = await runAction({
      inputs: planInputs({ 'base-token': '', 'target-token': '' }),
      event: pullRequestEvent(8, 'b'.repeat(40), { fork: true }),
      env: { GITHUB_API_URL: github.url }
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/::notice::.*fork.*no secrets/)
    expect(errorLines(run)).toHaveLength(0)
  })
})

describe('version and vendor checks', () => {
  it('fails across vendors without force, naming both vendors and force', async () => {
    const run = await planRun(9, { 'target-url': pgTarget.url, 'target-token': pgTarget.adminToken })
    expectOneCleanFailure(run, /target \(127\.0\.0\.1:\d+\)/, /HTTP 400/, /vendor sqlite/, /vendor postgres/, /force: true/)
    expect(github.comments('acme', 'site', 9)).toHaveLength(0)
  })

  it('goes on with force and shows the mismatch as a warning in the report', async () => {
    const run = await planRun(10, { 'target-url': pgTarget.url, 'target-token': pgTarget.adminToken, force: 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs['has-changes']).toBe('true')
    const body = github.comments('acme', 'site', 10)[0]!.body
    expect(body).toMatch(/\[!WARNING\]/)
    expect(body).toMatch(/vendor/)
    expect(body).toContain('postgres')
    expectNoSecrets(run, [body])
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
    const token = await createNonAdminToken(target)
    const run = await planRun(21, { 'target-token': token })
    secrets().push(token)
    expectOneCleanFailure(run, /target \(127\.0\.0\.1:\d+\)/, /HTTP 403/, /FORBIDDEN|permission/i)
    expect(channels(run)).not.toContain(token)
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

  it.each([
    [{ 'base-url': 'localhost:8055' }, /'base-url'/],
    [{ 'target-token': '' }, /No credentials for the target instance/],
    [{ command: 'destroy' }, /'command' must be one of/]
  ])('rejects bad input %j', async (inputs, pattern) => {
    const run = await planRun(24, inputs)
    expectOneCleanFailure(run, pattern)
  })
})
