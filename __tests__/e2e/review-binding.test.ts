/**
 * What reviewers approved is what is applied (issue #10), end to end: the
 * committed dist/index.js against live Directus and the stand-in GitHub, whose
 * clock is stopped so that "after the plan" is decided by the test, to the
 * second, as GitHub's Date headers and review times decide it.
 *
 * Self-contained on purpose: one base, one target (emptied before each test),
 * one stand-in.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActionRun } from '../../scripts/lib/run-action.mjs'
import { errorLines, pullRequestEvent } from '../../scripts/lib/run-action.mjs'
import { createCollection, deleteCollection, getSnapshot } from '../../scripts/lib/seed.mjs'
import { BOT as ACTIONS_BOT, collectionsOf, expectRefused as expectRefusedReason, expectSucceeded, useLive } from '../support/live.js'

const OWNER = 'acme'
const REPO = 'site'
const APP_TOKEN = 'ghs_binding_app_token_0123456789abcdef'
const APP_BOT = 'schema-promoter[bot]'
const SIGNING_KEY = 'binding-e2e-signing-key-0123456789abcdef'

const live = useLive({
  name: 'binding',
  directus: { base: {}, target: {} },
  github: {
    token: { login: ACTIONS_BOT, kind: 'actions' },
    tokens: { [APP_TOKEN]: { login: APP_BOT, kind: 'app' } },
    now: '2026-03-01T10:00:00Z'
  },
  inputs: { 'signing-key': SIGNING_KEY }
})
const { directus } = live
const ACTIONS_TOKEN = live.githubToken
live.addSecret(SIGNING_KEY)
let nextPr = 900

beforeAll(async () => {
  await createCollection(directus.base.url, directus.base.adminToken, 'alpha', [{ field: 'title', type: 'string' }])
  await createCollection(directus.base.url, directus.base.adminToken, 'beta', [{ field: 'name', type: 'string' }])
  for (const login of ['alice', 'bob', 'carol']) live.github.setPermission(OWNER, REPO, login, 'write')
})

beforeEach(async () => {
  await live.empty(directus.target)
})

interface PullRequest {
  number: number
  headSha: string
  mergeSha: string
  base: string
}

const sha = (n: number, fill: string) => `${n}`.padStart(40, fill)

/** A pull request by alice, open, as GitHub's API shows it. */
function openPullRequest(options: { fork?: boolean; base?: string } = {}): PullRequest {
  const number = nextPr++
  const pr = { number, headSha: sha(number, 'a'), mergeSha: sha(number, 'b'), base: options.base ?? 'main' }
  live.github.addPullRequest(OWNER, REPO, {
    number,
    user: { login: 'alice' },
    head: { sha: pr.headSha, ref: `feature-${number}`, ...(options.fork ? { repo: { owner: 'someone', name: REPO } } : {}) },
    base: { ref: pr.base }
  })
  return pr
}

function targetInputs(overrides: Record<string, string> = {}): Record<string, string> {
  const { 'github-token': _token, ...inputs } = live.inputs(overrides)
  return inputs
}

function plan(
  pr: PullRequest,
  options: {
    inputs?: Record<string, string>
    token?: string
    eventName?: string
    headSha?: string
    fork?: boolean
    env?: Record<string, string>
  } = {}
): Promise<ActionRun> {
  return live.run({
    inputs: { command: 'plan', 'github-token': options.token ?? ACTIONS_TOKEN, ...targetInputs(options.inputs) },
    eventName: options.eventName ?? 'pull_request',
    event: pullRequestEvent(pr.number, options.headSha ?? pr.headSha, { fork: options.fork ?? false }),
    ...(options.env ? { env: options.env } : {})
  })
}

/** A review a second after whatever happened last: GitHub's times have one-second resolution. */
function review(pr: PullRequest, login = 'bob', options: { commit?: string; state?: 'APPROVED' | 'CHANGES_REQUESTED' } = {}): void {
  live.github.clock.advance(1000)
  live.github.addReview(OWNER, REPO, pr.number, {
    login,
    state: options.state ?? 'APPROVED',
    ...(options.commit ? { commit_id: options.commit } : {})
  })
}

function merge(pr: PullRequest, mergedAt?: string): void {
  live.github.clock.advance(1000)
  live.github.updatePullRequest(OWNER, REPO, pr.number, {
    state: 'closed',
    merged_at: mergedAt ?? live.github.clock.now().toISOString(),
    merge_commit_sha: pr.mergeSha
  })
}

function apply(pr: PullRequest, options: { inputs?: Record<string, string>; token?: string; ref?: string } = {}): Promise<ActionRun> {
  const ref = options.ref ?? `refs/heads/${pr.base}`
  return live.run({
    inputs: { command: 'apply', 'github-token': options.token ?? ACTIONS_TOKEN, ...targetInputs(options.inputs) },
    eventName: 'push',
    event: { ref, after: pr.mergeSha },
    env: { GITHUB_SHA: pr.mergeSha, GITHUB_REF: ref }
  })
}

function ownComment(pr: PullRequest, login = ACTIONS_BOT) {
  const comments = live.github.comments(OWNER, REPO, pr.number).filter((comment) => comment.user.login === login)
  expect(comments).toHaveLength(1)
  return comments[0]!
}

/** Refused with this reason, in one error line carrying every pattern, leaking no secret, the target untouched. */
async function expectRefused(run: ActionRun, reason: string, ...patterns: RegExp[]): Promise<void> {
  expectRefusedReason(run, reason)
  const errors = errorLines(run)
  expect(errors).toHaveLength(1)
  for (const pattern of patterns) expect(errors[0]).toMatch(pattern)
  live.expectNoSecrets(run)
  expect(await collectionsOf(directus.target)).toEqual([])
}

describe('the visible comment is signed', () => {
  it('refuses a comment whose text was edited after it was signed, keeping the hidden record', async () => {
    const pr = openPullRequest()
    expectSucceeded(await plan(pr))
    review(pr)
    merge(pr)
    const comment = ownComment(pr)
    expect(comment.body).toContain('beta')
    // A writer removes every line that mentions one collection; the record stays as it was.
    const edited = comment.body
      .split('\n')
      .filter((line) => !line.includes('beta'))
      .join('\n')
    expect(edited).toMatch(/record=v2\./)
    live.github.editComment(comment.id, edited)

    await expectRefused(await apply(pr), 'no-plan', /was edited after it was signed; re-run the plan/)
  })
})

describe('approvals count only after the last plan, on the planned commit', () => {
  it('refuses a plan re-run after the approval until someone approves again', async () => {
    const pr = openPullRequest()
    expectSucceeded(await plan(pr))
    expect(ownComment(pr).body).toContain('approvals given before this plan was last updated do not count')
    review(pr)
    // The base moves on after the approval, and the plan job is re-run on the same head.
    await createCollection(directus.base.url, directus.base.adminToken, 'gamma', [{ field: 'code', type: 'string' }])
    try {
      live.github.clock.advance(1000)
      expectSucceeded(await plan(pr))
      merge(pr)
      await expectRefused(
        await apply(pr),
        'not-approved',
        /was not approved after its last plan: it has only 1 approval given before the plan was last updated/,
        /'require-approval: false'/
      )
      expect(ownComment(pr).body).toContain('Apply refused (`not-approved`)')

      review(pr, 'carol')
      const run = await apply(pr)
      expectSucceeded(run)
      expect(run.outputs['applied']).toBe('true')
      expect(await collectionsOf(directus.target)).toEqual(['alpha', 'beta', 'gamma'])
    } finally {
      await deleteCollection(directus.base.url, directus.base.adminToken, 'gamma')
    }
  })

  it('refuses an approval of an older commit, even one given after the plan', async () => {
    const pr = openPullRequest()
    expectSucceeded(await plan(pr))
    const older = pr.headSha
    pr.headSha = sha(pr.number, 'c')
    live.github.updatePullRequest(OWNER, REPO, pr.number, { head: { sha: pr.headSha, ref: `feature-${pr.number}` } })
    live.github.clock.advance(1000)
    expectSucceeded(await plan(pr))
    // Bob's page still showed the first commit when he approved.
    review(pr, 'bob', { commit: older })
    merge(pr)
    await expectRefused(
      await apply(pr),
      'not-approved',
      new RegExp(`1 approval of another commit than the planned ${pr.headSha} \\(bob on ${older}\\)`)
    )
  })
})

describe('a merged pull request keeps the plan that was reviewed', () => {
  it('refuses to re-plan it, and apply applies the reviewed plan, not the base as it is now', async () => {
    const pr = openPullRequest()
    expectSucceeded(await plan(pr))
    review(pr)
    merge(pr)
    const reviewed = ownComment(pr).body
    await createCollection(directus.base.url, directus.base.adminToken, 'delta', [{ field: 'code', type: 'string' }])
    try {
      // A re-run of the old plan job: its event payload still says the pull request is open.
      const replan = await plan(pr)
      expect(replan.code).toBe(1)
      expect(errorLines(replan)).toEqual([expect.stringMatching(/Pull request #\d+ is merged, so its plan comment is not rewritten/)])
      expect(ownComment(pr).body).toBe(reviewed)

      const run = await apply(pr)
      expectSucceeded(run)
      expect(await collectionsOf(directus.target)).toEqual(['alpha', 'beta'])
    } finally {
      await deleteCollection(directus.base.url, directus.base.adminToken, 'delta')
    }
  })

  it('refuses a record signed after the merge', async () => {
    const pr = openPullRequest()
    const mergedAt = new Date(live.github.clock.now().getTime() - 5_000).toISOString()
    // The merge lands while the plan job runs: after it read the state, before it wrote the comment.
    expectSucceeded(await plan(pr))
    merge(pr, mergedAt)
    review(pr)
    await expectRefused(await apply(pr), 'no-plan', /was signed at .*, after the pull request was merged at /)
  })

  it('refuses a pull request merged into another branch than the one pushed', async () => {
    const pr = openPullRequest({ base: 'release' })
    expectSucceeded(await plan(pr))
    review(pr)
    merge(pr)
    await expectRefused(
      await apply(pr, { ref: 'refs/heads/main' }),
      'no-plan',
      /was merged into release, but this run applies a push to refs\/heads\/main/
    )
  })
})

describe('pull_request_target', () => {
  const snapshotPath = 'directus/snapshot.yaml'

  /** A workspace as pull_request_target checks it out: the default branch, whose snapshot is not the pull request's. */
  function defaultBranchWorkspace(): string {
    const workspace = mkdtempSync(join(tmpdir(), 'binding-workspace-'))
    mkdirSync(join(workspace, 'directus'))
    writeFileSync(join(workspace, snapshotPath), 'this: is the default branch, not a snapshot\n')
    return workspace
  }

  async function committedSnapshot(collections: string[]): Promise<string> {
    const snapshot = await getSnapshot(directus.base.url, directus.base.adminToken)
    const keep = (item: { collection: string }) => collections.includes(item.collection)
    return JSON.stringify({
      ...snapshot,
      collections: snapshot.collections.filter(keep),
      fields: snapshot.fields.filter(keep),
      relations: []
    })
  }

  it("plans from the pull request's committed snapshot, read as data at its head commit", async () => {
    const pr = openPullRequest()
    live.github.addFile(OWNER, REPO, snapshotPath, await committedSnapshot(['alpha']), { ref: pr.headSha })
    const run = await plan(pr, {
      eventName: 'pull_request_target',
      inputs: { 'base-url': '', 'base-token': '', 'base-snapshot': snapshotPath },
      env: { GITHUB_WORKSPACE: defaultBranchWorkspace() }
    })
    expectSucceeded(run)
    expect(run.outputs['summary']).toMatch(/^\+1 collection, /)
    expect(ownComment(pr).body).toContain('alpha')
    const read = live.github.requests.filter((request) => request.path.includes('/contents/'))
    expect(read.at(-1)).toMatchObject({ query: { ref: pr.headSha }, headers: { accept: 'application/vnd.github.v3.raw' } })
  })

  it('skips a fork with a notice before reaching Directus', async () => {
    const pr = openPullRequest({ fork: true })
    const run = await plan(pr, { eventName: 'pull_request_target', fork: true })
    expectSucceeded(run)
    expect(run.stdout).toMatch(/::notice::Pull request #\d+ comes from a fork: the schema plan is skipped.*'allow-forks: true'/)
    expect(run.stdout).not.toContain('::group::connect')
    expect(run.outputs['has-changes']).toBeUndefined()
    expect(live.github.comments(OWNER, REPO, pr.number)).toHaveLength(0)
  })

  it("with allow-forks, reads the fork's committed snapshot as data, never from the workspace", async () => {
    const pr = openPullRequest({ fork: true })
    // Alias-free data only: anchors, tags and code mean nothing to a snapshot and nothing is run.
    const yaml = `# $(touch /tmp/binding-pwned)\n${await committedSnapshot(['beta'])}\n`
    live.github.addFile(OWNER, REPO, snapshotPath, yaml, { ref: pr.headSha })
    const run = await plan(pr, {
      eventName: 'pull_request_target',
      fork: true,
      inputs: { 'base-url': '', 'base-token': '', 'base-snapshot': snapshotPath, 'allow-forks': 'true' },
      env: { GITHUB_WORKSPACE: mkdtempSync(join(tmpdir(), 'binding-empty-')) }
    })
    expectSucceeded(run)
    expect(run.outputs['summary']).toMatch(/^\+1 collection, /)
    const body = ownComment(pr).body
    expect(body).toContain('beta')
    expect(body).not.toContain('alpha')
  })
})

describe('identity', () => {
  it('an app installation token finds its own comment, never another bot’s look-alike', async () => {
    const pr = openPullRequest()
    expectSucceeded(await plan(pr, { token: APP_TOKEN }))
    const ours = ownComment(pr, APP_BOT)
    // Another workflow's GITHUB_TOKEN posts a copy, as any workflow of the repository could.
    live.github.addComment(OWNER, REPO, pr.number, { login: ACTIONS_BOT, body: ours.body })
    live.github.clock.advance(1000)
    expectSucceeded(await plan(pr, { token: APP_TOKEN }))
    expect(live.github.comments(OWNER, REPO, pr.number).map((comment) => comment.user.login)).toEqual([APP_BOT, ACTIONS_BOT])
    expect(ownComment(pr, APP_BOT).updated_at).not.toBe(ours.updated_at)
    review(pr)
    merge(pr)
    const run = await apply(pr, { token: APP_TOKEN })
    expectSucceeded(run)
    expect(run.outputs['applied']).toBe('true')
    // Verified, then sealed again after the apply: one key derivation for the job.
    expect(run.stdout.match(/Derived the plan record key from the signing-key \(scrypt\) in \d+ ms/g)).toHaveLength(1)
    expect(ownComment(pr, APP_BOT).body).toMatch(/Applied .* at /)
    expect(live.github.requests.filter((request) => request.path === '/user')).toHaveLength(0)
  })
})

describe('manual promotion', () => {
  it('refuses expected-digest without expected-hash', async () => {
    const planned = await live.dispatch({ command: 'plan', ...targetInputs() })
    expectSucceeded(planned)
    const run = await live.dispatch({ command: 'apply', ...targetInputs({ 'expected-digest': planned.outputs['digest'] ?? '' }) })
    await expectRefused(run, 'no-plan', /'expected-digest' pins the diff but not the target/)
  })
})

describe('racing merges', () => {
  // 80 runs of dist/index.js: more than the default 240 s on a loaded two-core machine.
  it('of 20 races of two approved merges, exactly one applies and the other is refused as target-changed', async () => {
    const losers: string[] = []
    for (let race = 0; race < 20; race++) {
      await live.empty(directus.target)
      const pulls = [openPullRequest(), openPullRequest()]
      for (const planned of await Promise.all(pulls.map((pr) => plan(pr)))) expectSucceeded(planned)
      for (const pr of pulls) review(pr)
      for (const pr of pulls) merge(pr)
      const runs = await Promise.all(pulls.map((pr) => apply(pr)))
      const outcomes = runs.map((run) => `applied=${run.outputs['applied'] ?? ''} failure-reason=${run.outputs['failure-reason'] ?? ''}`)
      expect({ race, outcomes: outcomes.sort() }).toEqual({
        race,
        outcomes: ['applied=false failure-reason=target-changed', 'applied=true failure-reason=']
      })
      const loser = runs.find((run) => run.outputs['failure-reason'] === 'target-changed')
      losers.push(errorLines(loser!)[0] ?? '')
      expect(await collectionsOf(directus.target)).toEqual(['alpha', 'beta'])
    }
    const paths: Record<string, RegExp> = {
      "Directus, mid-apply: 'already exists' in its transaction": /HTTP 400: .*already exists.*Directus refused this apply/,
      'Directus, before applying: its hash or diff check': /Directus refused the apply: the target schema changed since the plan/,
      'the action, before sending: the target had moved': /changed since the plan was reviewed|already holds the base schema/
    }
    const counts = Object.fromEntries(
      Object.entries(paths).map(([path, pattern]) => [path, losers.filter((line) => pattern.test(line)).length])
    )
    console.log(`Racing merges, how the 20 losers were refused: ${JSON.stringify(counts, null, 2)}`)
    expect(losers.filter((line) => !Object.values(paths).some((pattern) => pattern.test(line)))).toEqual([])
  }, 600_000)
})
