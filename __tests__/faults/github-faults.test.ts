/**
 * Faults from GitHub, injected into the stand-in GitHub server while
 * dist/index.js plans against live Directus: rate limits are waited out
 * within the budget (timeout 2 s, so 6 s) or reported in one line; a comment
 * stored before its answer was lost is found, not posted twice; a 422 "body
 * too long" leads to a shorter report that still carries a plan apply trusts.
 */
import { startDirectus, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createAdminToken, dropAllCollections, getSnapshot, seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import { faults, startGitHubStandin, type Fault, type FaultMatcher, type Standin } from '../../scripts/lib/github-standin.mjs'
import { pullRequestEvent, runAction, type ActionRun } from '../../scripts/lib/run-action.mjs'
import { parseComment } from '../../src/report/comment.js'
import { approveAndMerge } from '../support/promotion.js'
import { expectIntactStructure } from '../support/report-structure.js'
import { expectFaultRun, expectNoSecrets } from '../support/verdict.js'

const GITHUB_TOKEN = 'ghs_github_faults_token_0123456789'
const BOT = 'github-actions[bot]'
const GITHUB = String.raw`GitHub \(127\.0\.0\.1:\d+\)`

let base: DirectusInstance
let target: DirectusInstance
let github: Standin
let baseToken: string
let targetToken: string
let nextPr = 500

beforeAll(async () => {
  ;[base, target, github] = await Promise.all([
    startDirectus({ db: 'sqlite', name: 'gh-faults-base' }),
    startDirectus({ db: 'sqlite', name: 'gh-faults-target' }),
    startGitHubStandin({ tokens: { [GITHUB_TOKEN]: { login: BOT, installation: true } } })
  ])
  await seedRealisticSchema(base.url, base.adminToken)
  ;[baseToken, targetToken] = await Promise.all([
    createAdminToken(base.url, base.adminToken),
    createAdminToken(target.url, target.adminToken)
  ])
})

afterAll(async () => {
  await Promise.all([base?.stop(), target?.stop(), github?.stop()])
})

afterEach(() => github.clearFaults())

function secrets(): string[] {
  return [baseToken, targetToken, base.adminToken, target.adminPassword, GITHUB_TOKEN]
}

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'base-url': base.url,
    'base-token': baseToken,
    'target-url': target.url,
    'target-token': targetToken,
    'target-name': 'staging',
    'github-token': GITHUB_TOKEN,
    'timeout-seconds': '2',
    ...overrides
  }
}

function plan(pr: number): Promise<ActionRun> {
  // An open pull request, as GitHub's API shows it: the plan reads its state from there.
  github.addPullRequest('acme', 'site', {
    number: pr,
    head: { sha: `${pr}`.padStart(40, 'a'), ref: `feature-${pr}` },
    base: { ref: 'main' }
  })
  return runAction({
    inputs: inputs({ command: 'plan' }),
    event: pullRequestEvent(pr, `${pr}`.padStart(40, 'a')),
    env: { GITHUB_API_URL: github.url },
    timeoutMs: 90_000
  })
}

/** A plan that sets a test up, without faults: it must succeed, and leak nothing either. */
async function cleanPlan(pr: number): Promise<void> {
  const run = await plan(pr)
  expect(run.code).toBe(0)
  expectNoSecrets(
    run,
    secrets(),
    ours(pr).map((comment) => comment.body)
  )
}

function ours(pr: number) {
  return github.comments('acme', 'site', pr).filter((comment) => comment.user.login === BOT)
}

function faultsServed(): number {
  return github.requests.filter((request) => request.fault).length
}

const COMMENTS = /^\/repos\/acme\/site\/issues\/\d+\/comments$/
const COMMENT = /^\/repos\/acme\/site\/issues\/comments\/\d+$/

describe('a plan waits out what GitHub asks it to wait for', () => {
  it.each<[string, FaultMatcher, Fault, RegExp]>([
    [
      'a secondary rate limit on creating the comment',
      { method: 'POST', pathPattern: COMMENTS },
      faults.secondaryRateLimit({ retryAfter: 1 }),
      /the secondary rate limit\); retrying in 1000 ms/
    ],
    [
      'a secondary rate limit (429) on reading the pull request and the identity',
      { method: 'POST', pathPattern: /^\/graphql$/ },
      faults.secondaryRateLimit({ retryAfter: 1, status: 429 }),
      /POST \/graphql failed \(the secondary rate limit\)/
    ],
    [
      'an exhausted primary rate limit that resets within the budget',
      { method: 'GET', pathPattern: COMMENTS },
      faults.primaryRateLimit({ resetInSeconds: 1 }),
      /the primary rate limit \(resets at /
    ],
    [
      'a 502 HTML page on listing the comments',
      { method: 'GET', pathPattern: COMMENTS },
      faults.serverError(502),
      /failed \(HTTP 502\); retrying/
    ],
    [
      'a stall longer than timeout-seconds on reading the pull request and the identity',
      { method: 'POST', pathPattern: /^\/graphql$/ },
      { delayMs: 5_000 },
      /POST \/graphql failed \(no answer\); retrying/
    ]
  ])('survives %s', async (_name, matcher, fault, logged) => {
    const pr = nextPr++
    const before = faultsServed()
    github.injectFault(matcher, fault)
    const run = await plan(pr)
    const comments = ours(pr)
    expectFaultRun(run, {
      secrets: secrets(),
      extraChannels: comments.map((c) => c.body),
      faults: faultsServed() - before,
      expected: 'survived'
    })
    expect(faultsServed() - before).toBe(1)
    expect(comments).toHaveLength(1)
    expect(run.outputs['comment-url']).toBe(comments[0]!.html_url)
    expect(run.stdout).toMatch(logged)
  })
})

describe('a comment is never posted twice', () => {
  it.each<[string, Fault]>([
    ['a 502 after GitHub stored the comment', faults.serverError(502)],
    ['a dropped connection after GitHub stored the comment', { destroy: true }]
  ])('survives %s', async (_name, fault) => {
    const pr = nextPr++
    const before = faultsServed()
    github.injectFault({ method: 'POST', pathPattern: COMMENTS, after: true }, fault)
    const run = await plan(pr)
    const comments = ours(pr)
    expectFaultRun(run, {
      secrets: secrets(),
      extraChannels: comments.map((c) => c.body),
      faults: faultsServed() - before,
      expected: 'survived'
    })
    expect(comments).toHaveLength(1)
    expect(run.outputs['comment-url']).toBe(comments[0]!.html_url)
    expect(run.stdout).toMatch(/Creating the plan comment got no clear answer .*; looking for it before trying again/)
  })

  it('creates it again when a 502 came before GitHub stored it', async () => {
    const pr = nextPr++
    const before = faultsServed()
    github.injectFault({ method: 'POST', pathPattern: COMMENTS }, faults.serverError(502))
    const run = await plan(pr)
    const comments = ours(pr)
    expectFaultRun(run, {
      secrets: secrets(),
      extraChannels: comments.map((c) => c.body),
      faults: faultsServed() - before,
      expected: 'survived'
    })
    expect(comments).toHaveLength(1)
    expect(
      github.requests.filter((request) => request.method === 'POST' && request.path === `/repos/acme/site/issues/${pr}/comments`)
    ).toHaveLength(2)
  })

  it('retries an update in place that failed after GitHub stored it', async () => {
    const pr = nextPr++
    await cleanPlan(pr)
    const before = faultsServed()
    github.injectFault({ method: 'PATCH', pathPattern: COMMENT, after: true }, faults.serverError(503))
    const rerun = await plan(pr)
    const comments = ours(pr)
    expectFaultRun(rerun, {
      secrets: secrets(),
      extraChannels: comments.map((c) => c.body),
      faults: faultsServed() - before,
      expected: 'survived'
    })
    expect(comments).toHaveLength(1)
    expect(rerun.stdout).toMatch(/PATCH \/repos\/acme\/site\/issues\/comments\/\d+ failed \(HTTP 503\); retrying/)
  })
})

describe('limits beyond the budget end in one line naming GitHub and the wait', () => {
  it.each<[string, FaultMatcher, Fault, RegExp]>([
    [
      'a primary rate limit that resets in an hour',
      { method: 'GET', pathPattern: COMMENTS },
      faults.primaryRateLimit({ status: 429, resetInSeconds: 3600 }),
      new RegExp(
        `${GITHUB}: GET /repos/acme/site/issues/\\d+/comments answered HTTP 429: API rate limit exceeded .*; the primary rate limit \\(resets at [^)]+\\) asks to wait \\d+ s, past the 6 s retry budget$`
      )
    ],
    [
      'a secondary rate limit asking for a minute',
      { method: 'POST', pathPattern: COMMENTS },
      faults.secondaryRateLimit({ retryAfter: 60 }),
      new RegExp(
        `${GITHUB}: POST /repos/acme/site/issues/\\d+/comments answered HTTP 403: You have exceeded a secondary rate limit.*; the secondary rate limit asks to wait 60 s, past the 6 s retry budget$`
      )
    ]
  ])('%s', async (_name, matcher, fault, names) => {
    const pr = nextPr++
    const before = faultsServed()
    github.injectFault({ ...matcher, times: 10 }, fault)
    const run = await plan(pr)
    expectFaultRun(run, { secrets: secrets(), faults: faultsServed() - before, expected: 'failed-cleanly', names })
    expect(ours(pr)).toHaveLength(0)
    // A rate limit is not a missing permission.
    expect(run.stdout).not.toMatch(/pull-requests: write/)
  })
})

describe('apply under GitHub faults', () => {
  afterEach(() => dropAllCollections(target.url, target.adminToken))

  async function reviewAndMerge(pr: number): Promise<string> {
    const mergeSha = `${pr}`.padStart(40, 'd')
    approveAndMerge(github, pr, mergeSha)
    return mergeSha
  }

  function apply(mergeSha: string, extra: Record<string, string> = {}): Promise<ActionRun> {
    return runAction({
      inputs: inputs({ command: 'apply', ...extra }),
      eventName: 'push',
      event: { ref: 'refs/heads/main', after: mergeSha },
      env: { GITHUB_API_URL: github.url, GITHUB_SHA: mergeSha },
      timeoutMs: 90_000
    })
  }

  it('a 422 "body too long" leads to a shorter report, and apply trusts the plan in it', async () => {
    const pr = nextPr++
    const before = faultsServed()
    github.injectFault({ method: 'POST', pathPattern: COMMENTS }, faults.bodyTooLong())
    const run = await plan(pr)
    const comments = ours(pr)
    expectFaultRun(run, {
      secrets: secrets(),
      extraChannels: comments.map((c) => c.body),
      faults: faultsServed() - before,
      expected: 'survived'
    })
    expect(run.stdout).toMatch(/GitHub refused the comment as too long; retrying with a 32768-character report/)
    const posts = github.requests.filter(
      (request) => request.method === 'POST' && request.path === `/repos/acme/site/issues/${pr}/comments`
    )
    expect(posts).toHaveLength(2)
    const [refused, stored] = posts.map((request) => (request.body as { body: string }).body)
    expect(comments).toHaveLength(1)
    const body = comments[0]!.body
    expect(body).toBe(stored)
    expect(body.length).toBeLessThanOrEqual(32_768)
    expect(body.length).toBeLessThan(refused!.length)
    expectIntactStructure(body)
    expect(parseComment(body)?.record).toMatch(/^v2\./)
    // Half the room leaves out the raw diff: the comment says it is not the whole plan, so apply needs allow-partial-review.
    expect(parseComment(body)?.body).toMatch(/^> \[!WARNING\]\n> \*\*Not the whole plan:\*\*/)

    const applied = await apply(await reviewAndMerge(pr), { 'allow-partial-review': 'true' })
    expect(applied.code).toBe(0)
    expectNoSecrets(
      applied,
      secrets(),
      ours(pr).map((comment) => comment.body)
    )
    expect(applied.outputs['applied']).toBe('true')
    expect(ours(pr)[0]!.body).toMatch(/Applied .* at \d{4}-/)
  })

  it('waits out a secondary rate limit while finding the merged pull request', async () => {
    const pr = nextPr++
    await cleanPlan(pr)
    const mergeSha = await reviewAndMerge(pr)
    const before = faultsServed()
    github.injectFault({ method: 'GET', pathPattern: /\/commits\/\w+\/pulls$/ }, faults.secondaryRateLimit({ retryAfter: 1 }))
    const run = await apply(mergeSha)
    expectFaultRun(run, {
      secrets: secrets(),
      extraChannels: ours(pr).map((c) => c.body),
      faults: faultsServed() - before,
      expected: 'survived'
    })
    expect(run.outputs['applied']).toBe('true')
  })

  it('applies, and says so in the outputs, when the comment cannot be updated afterwards', async () => {
    const pr = nextPr++
    await cleanPlan(pr)
    const mergeSha = await reviewAndMerge(pr)
    const before = faultsServed()
    github.injectFault({ method: 'PATCH', pathPattern: COMMENT, times: 10 }, faults.serverError(502))
    const run = await apply(mergeSha)
    expectFaultRun(run, {
      secrets: secrets(),
      extraChannels: ours(pr).map((c) => c.body),
      faults: faultsServed() - before,
      expected: 'survived'
    })
    expect(run.outputs['applied']).toBe('true')
    expect(run.stdout).toMatch(
      new RegExp(`::warning::Could not update the plan comment's status: ${GITHUB}: PATCH .* answered HTTP 502: .*gave up after 4 attempts`)
    )
    expect((await getSnapshot(target.url, target.adminToken)).collections.length).toBeGreaterThan(0)
  })

  it('applies nothing when a rate limit outlasts the budget before the plan is found', async () => {
    const pr = nextPr++
    await cleanPlan(pr)
    const mergeSha = await reviewAndMerge(pr)
    const schemaBefore = await getSnapshot(target.url, target.adminToken)
    const before = faultsServed()
    github.injectFault(
      { method: 'GET', pathPattern: /\/commits\/\w+\/pulls$/, times: 10 },
      faults.primaryRateLimit({ resetInSeconds: 3600 })
    )
    const run = await apply(mergeSha)
    expectFaultRun(run, {
      secrets: secrets(),
      faults: faultsServed() - before,
      expected: 'failed-cleanly',
      names: new RegExp(`${GITHUB}: GET /repos/acme/site/commits/\\w+/pulls answered HTTP 403: API rate limit exceeded`)
    })
    expect(run.outputs['applied']).toBe('false')
    expect(await getSnapshot(target.url, target.adminToken)).toEqual(schemaBefore)
  })
})
