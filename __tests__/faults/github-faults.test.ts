/**
 * Faults from GitHub, injected into the stand-in GitHub server while
 * dist/index.js plans against live Directus: rate limits are waited out
 * within the budget (timeout 2 s, so 6 s) or reported in one line; a comment
 * stored before its answer was lost is found, not posted twice; a 422 "body
 * too long" leads to a shorter report that still carries a plan apply trusts.
 */
import { getSnapshot } from '../../scripts/lib/seed.mjs'
import { faults, type Fault, type FaultMatcher, type IssueComment } from '../../scripts/lib/github-standin.mjs'
import type { ActionRun } from '../../scripts/lib/run-action.mjs'
import { parseComment } from '../../src/report/comment.js'
import { approveAndMerge, BOT, useLive } from '../support/live.js'
import { expectIntactStructure } from '../support/report-structure.js'
import { expectFaultRun, expectNoSecretsCounted, PROMOTION_UNDER_FAULTS } from '../support/verdict.js'

const GITHUB = String.raw`GitHub \(127\.0\.0\.1:\d+\)`

const live = useLive({ name: 'github-faults', ...PROMOTION_UNDER_FAULTS })
const { directus } = live
let nextPr = 500

afterEach(() => live.github.clearFaults())

function secrets(): string[] {
  return live.secrets()
}

function plan(pr: number): Promise<ActionRun> {
  return live.planOnPullRequest(pr, live.inputs(), { timeoutMs: 90_000 })
}

/** A plan that sets a test up, without faults: it must succeed, and leak nothing either. */
async function cleanPlan(pr: number): Promise<void> {
  const run = await plan(pr)
  expect(run.code).toBe(0)
  expectNoSecretsCounted(
    run,
    secrets(),
    ours(pr).map((comment) => comment.body)
  )
}

function ours(pr: number) {
  return live.github.comments('acme', 'site', pr).filter((comment) => comment.user.login === BOT)
}

function faultsServed(): number {
  return live.github.requests.filter((request) => request.fault).length
}

/**
 * Runs `job` with `fault` injected where `matcher` says, then judges it as
 * the figures count it: ended as `expected`, no secret in any channel or in
 * the bot's comment on `pr`.
 */
async function underFault(
  pr: number,
  matcher: FaultMatcher,
  fault: Fault,
  job: () => Promise<ActionRun>,
  expected: 'survived' | 'failed-cleanly',
  names?: RegExp
): Promise<{ run: ActionRun; comments: IssueComment[]; served: number }> {
  const before = faultsServed()
  live.github.injectFault(matcher, fault)
  const run = await job()
  const comments = ours(pr)
  const served = faultsServed() - before
  expectFaultRun(run, {
    secrets: secrets(),
    extraChannels: comments.map((comment) => comment.body),
    faults: served,
    expected,
    ...(names ? { names } : {})
  })
  return { run, comments, served }
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
    const { run, comments, served } = await underFault(pr, matcher, fault, () => plan(pr), 'survived')
    expect(served).toBe(1)
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
    const { run, comments } = await underFault(
      pr,
      { method: 'POST', pathPattern: COMMENTS, after: true },
      fault,
      () => plan(pr),
      'survived'
    )
    expect(comments).toHaveLength(1)
    expect(run.outputs['comment-url']).toBe(comments[0]!.html_url)
    expect(run.stdout).toMatch(/Creating the plan comment got no clear answer .*; looking for it before trying again/)
  })

  it('creates it again when a 502 came before GitHub stored it', async () => {
    const pr = nextPr++
    const { comments } = await underFault(
      pr,
      { method: 'POST', pathPattern: COMMENTS },
      faults.serverError(502),
      () => plan(pr),
      'survived'
    )
    expect(comments).toHaveLength(1)
    expect(
      live.github.requests.filter((request) => request.method === 'POST' && request.path === `/repos/acme/site/issues/${pr}/comments`)
    ).toHaveLength(2)
  })

  it('retries an update in place that failed after GitHub stored it', async () => {
    const pr = nextPr++
    await cleanPlan(pr)
    const patch = { method: 'PATCH', pathPattern: COMMENT, after: true }
    const { run: rerun, comments } = await underFault(pr, patch, faults.serverError(503), () => plan(pr), 'survived')
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
    const { run } = await underFault(pr, { ...matcher, times: 10 }, fault, () => plan(pr), 'failed-cleanly', names)
    expect(ours(pr)).toHaveLength(0)
    // A rate limit is not a missing permission.
    expect(run.stdout).not.toMatch(/pull-requests: write/)
  })
})

describe('apply under GitHub faults', () => {
  afterEach(() => live.empty(directus.target))

  async function reviewAndMerge(pr: number): Promise<string> {
    const mergeSha = `${pr}`.padStart(40, 'd')
    approveAndMerge(live.github, pr, mergeSha)
    return mergeSha
  }

  function apply(mergeSha: string, extra: Record<string, string> = {}): Promise<ActionRun> {
    return live.apply(live.inputs(extra), mergeSha, 90_000)
  }

  it('a 422 "body too long" leads to a shorter report, and apply trusts the plan in it', async () => {
    const pr = nextPr++
    const { run, comments } = await underFault(
      pr,
      { method: 'POST', pathPattern: COMMENTS },
      faults.bodyTooLong(),
      () => plan(pr),
      'survived'
    )
    expect(run.stdout).toMatch(/GitHub refused the comment as too long; retrying with a 32768-character report/)
    const posts = live.github.requests.filter(
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
    expectNoSecretsCounted(
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
    const pulls = { method: 'GET', pathPattern: /\/commits\/\w+\/pulls$/ }
    const { run } = await underFault(pr, pulls, faults.secondaryRateLimit({ retryAfter: 1 }), () => apply(mergeSha), 'survived')
    expect(run.outputs['applied']).toBe('true')
  })

  it('applies, and says so in the outputs, when the comment cannot be updated afterwards', async () => {
    const pr = nextPr++
    await cleanPlan(pr)
    const mergeSha = await reviewAndMerge(pr)
    const patch = { method: 'PATCH', pathPattern: COMMENT, times: 10 }
    const { run } = await underFault(pr, patch, faults.serverError(502), () => apply(mergeSha), 'survived')
    expect(run.outputs['applied']).toBe('true')
    expect(run.stdout).toMatch(
      new RegExp(`::warning::Could not update the plan comment's status: ${GITHUB}: PATCH .* answered HTTP 502: .*gave up after 4 attempts`)
    )
    expect((await getSnapshot(directus.target.url, directus.target.adminToken)).collections.length).toBeGreaterThan(0)
  })

  it('applies nothing when a rate limit outlasts the budget before the plan is found', async () => {
    const pr = nextPr++
    await cleanPlan(pr)
    const mergeSha = await reviewAndMerge(pr)
    const schemaBefore = await getSnapshot(directus.target.url, directus.target.adminToken)
    const { run } = await underFault(
      pr,
      { method: 'GET', pathPattern: /\/commits\/\w+\/pulls$/, times: 10 },
      faults.primaryRateLimit({ resetInSeconds: 3600 }),
      () => apply(mergeSha),
      'failed-cleanly',
      new RegExp(`${GITHUB}: GET /repos/acme/site/commits/\\w+/pulls answered HTTP 403: API rate limit exceeded`)
    )
    expect(run.outputs['applied']).toBe('false')
    expect(await getSnapshot(directus.target.url, directus.target.adminToken)).toEqual(schemaBefore)
  })
})
