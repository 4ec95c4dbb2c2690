/**
 * The GitHub stand-in (scripts/lib/github-standin.mjs), driven by the real
 * @actions/github client, so later e2e tests can trust what it answers.
 *
 * @actions/github 9 takes the API base URL two ways:
 *   - getOctokit(token, { baseUrl }) — used here; options are shallow-merged
 *     over the module's defaults, so passing `request: {...}` would also drop
 *     the default proxy-aware fetch.
 *   - GITHUB_API_URL, read ONCE when the module is first imported (the
 *     defaults are computed at import time). Setting it later in a process
 *     that already imported @actions/github has no effect; it works for the
 *     bundled dist/index.js because that is a fresh process (checked below).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { getOctokit } from '@actions/github'
import { faults, startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'

const OWNER = 'acme'
const REPO = 'schemas'
const BOT = 'bot-token'
const ALICE = 'alice-token'
const READONLY = 'readonly-token'

let standin: Standin
let bot: ReturnType<typeof getOctokit>
let alice: ReturnType<typeof getOctokit>

/** The HTTP status of a rejected octokit call, and its parsed body. */
async function failure(p: Promise<unknown>): Promise<{ status: number; data: any; headers: Record<string, unknown> }> {
  try {
    await p
  } catch (err) {
    const e = err as { status: number; response?: { data: unknown; headers: Record<string, unknown> } }
    return { status: e.status, data: e.response?.data, headers: e.response?.headers ?? {} }
  }
  throw new Error('expected the request to fail')
}

beforeAll(async () => {
  standin = await startGitHubStandin({
    tokens: {
      [BOT]: { login: 'github-actions[bot]', installation: true },
      [ALICE]: { login: 'alice', id: 501 },
      [READONLY]: { login: 'github-actions[bot]', installation: true, canWrite: false }
    }
  })
  bot = getOctokit(BOT, { baseUrl: standin.url })
  alice = getOctokit(ALICE, { baseUrl: standin.url })
})

afterAll(async () => {
  await standin.stop()
})

afterEach(() => {
  standin.clearFaults()
})

describe('authentication', () => {
  it('answers GET /user with the token owner', async () => {
    const { data, headers } = await alice.rest.users.getAuthenticated()
    expect(data).toMatchObject({ login: 'alice', id: 501, type: 'User' })
    expect(headers['content-type']).toBe('application/json; charset=utf-8')
    expect(Number(headers['x-ratelimit-remaining'])).toBeLessThan(5000)
    const last = standin.requests.at(-1)
    expect(last).toMatchObject({ method: 'GET', path: '/user', status: 200 })
    expect(last?.headers.authorization).toBe(`token ${ALICE}`)
  })

  it('answers 403 to GET /user for an installation token, like GITHUB_TOKEN', async () => {
    const f = await failure(bot.rest.users.getAuthenticated())
    expect(f.status).toBe(403)
    expect(f.data.message).toBe('Resource not accessible by integration')
  })

  it('answers 401 Bad credentials to an unknown token', async () => {
    const stranger = getOctokit('nope', { baseUrl: standin.url })
    const f = await failure(stranger.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 1 }))
    expect(f.status).toBe(401)
    expect(f.data).toMatchObject({ message: 'Bad credentials', documentation_url: expect.any(String) })
  })

  it('accepts Bearer tokens and rejects a missing Authorization header', async () => {
    const ok = await fetch(`${standin.url}/user`, { headers: { authorization: `Bearer ${ALICE}` } })
    expect(ok.status).toBe(200)
    const none = await fetch(`${standin.url}/user`)
    expect(none.status).toBe(401)
  })

  it('answers 404 Not Found to unknown routes, as JSON', async () => {
    const res = await fetch(`${standin.url}/repos/${OWNER}/${REPO}/nope`, { headers: { authorization: `token ${ALICE}` } })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/)
    expect(await res.json()).toMatchObject({ message: 'Not Found' })
  })
})

describe('issue comments', () => {
  it('creates a comment shaped like GitHub’s', async () => {
    const { status, data } = await bot.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 7, body: 'plan' })
    expect(status).toBe(201)
    expect(data).toMatchObject({
      body: 'plan',
      html_url: `https://github.com/${OWNER}/${REPO}/pull/7#issuecomment-${data.id}`,
      url: `${standin.url}/repos/${OWNER}/${REPO}/issues/comments/${data.id}`,
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
    })
    expect(data.node_id).toEqual(expect.any(String))
    expect(data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(standin.comments(OWNER, REPO, 7).map((c) => c.id)).toEqual([data.id])
    const got = await alice.rest.issues.getComment({ owner: OWNER, repo: REPO, comment_id: data.id })
    expect(got.data.body).toBe('plan')
  })

  it('paginates over more than 100 comments with Link headers, in creation order', async () => {
    const issue = 8
    for (let i = 0; i < 130; i++) standin.addComment(OWNER, REPO, issue, { login: i % 2 ? 'mallory' : 'alice', body: `c${i}` })

    const first = await bot.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: issue })
    expect(first.data).toHaveLength(30) // GitHub's default page size
    const link = String(first.headers.link)
    expect(link).toContain('rel="next"')
    expect(link).toContain('rel="last"')
    expect(link).not.toContain('rel="prev"')
    for (const [, url] of link.matchAll(/<([^>]+)>/g)) expect(url?.startsWith(`${standin.url}/`)).toBe(true)
    expect(link).toMatch(/[?&]page=5>; rel="last"/)

    const middle = await bot.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: issue, per_page: 50, page: 2 })
    expect(middle.data.map((c) => c.body)).toEqual(Array.from({ length: 50 }, (_, i) => `c${50 + i}`))
    for (const rel of ['prev', 'next', 'last', 'first']) expect(middle.headers.link).toContain(`rel="${rel}"`)

    const before = standin.requests.length
    const all = await bot.paginate(bot.rest.issues.listComments, { owner: OWNER, repo: REPO, issue_number: issue, per_page: 100 })
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 130 }, (_, i) => `c${i}`))
    expect(all[1]?.user).toMatchObject({ login: 'mallory', type: 'User' })
    const pages = standin.requests.slice(before)
    expect(pages.map((r) => r.query)).toEqual([{ per_page: '100' }, { per_page: '100', page: '2' }])
    expect(pages.every((r) => r.headers.authorization === `token ${BOT}`)).toBe(true)

    const defaults = await bot.paginate(bot.rest.issues.listComments, { owner: OWNER, repo: REPO, issue_number: issue })
    expect(defaults).toHaveLength(130)
    expect(standin.requests.length - before - 2).toBe(5)
  })

  it('rejects a body over 65536 characters with 422 and stores nothing', async () => {
    const issue = 9
    const f = await failure(bot.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: issue, body: 'x'.repeat(65537) }))
    expect(f.status).toBe(422)
    expect(f.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }]
    })
    expect(standin.comments(OWNER, REPO, issue)).toEqual([])
    const ok = await bot.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: issue, body: 'x'.repeat(65536) })
    expect(ok.status).toBe(201)
  })

  it('lets the author edit a comment, with the same length rule, and no one else', async () => {
    const { data: c } = await bot.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 10, body: 'v1' })
    const { data: edited } = await bot.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: c.id, body: 'v2' })
    expect(edited).toMatchObject({ id: c.id, body: 'v2', created_at: c.created_at })
    expect(standin.comments(OWNER, REPO, 10).map((x) => x.body)).toEqual(['v2'])

    const tooLong = await failure(bot.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: c.id, body: 'y'.repeat(65537) }))
    expect(tooLong.status).toBe(422)

    const notAuthor = await failure(alice.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: c.id, body: 'mine' }))
    expect(notAuthor.status).toBe(403)

    const seeded = standin.addComment(OWNER, REPO, 10, { login: 'github-actions', body: 'forged marker' })
    expect(seeded.user).toMatchObject({ login: 'github-actions', type: 'User' })
    const forged = await failure(bot.rest.issues.updateComment({ owner: OWNER, repo: REPO, comment_id: seeded.id, body: 'x' }))
    expect(forged.status).toBe(403)

    const elsewhere = await failure(bot.rest.issues.getComment({ owner: OWNER, repo: 'other', comment_id: c.id }))
    expect(elsewhere.status).toBe(404)
  })

  it('answers 403 Resource not accessible by integration to a read-only token', async () => {
    const ro = getOctokit(READONLY, { baseUrl: standin.url })
    const f = await failure(ro.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 11, body: 'hi' }))
    expect(f.status).toBe(403)
    expect(f.data.message).toBe('Resource not accessible by integration')
    expect(standin.comments(OWNER, REPO, 11)).toEqual([])
    const list = await ro.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 11 })
    expect(list.data).toEqual([])
  })
})

describe('pull requests', () => {
  const head = 'a'.repeat(40)
  const merge = 'b'.repeat(40)

  beforeAll(() => {
    standin.addPullRequest(OWNER, REPO, {
      number: 42,
      state: 'closed',
      head: { sha: head, ref: 'feature' },
      base: { ref: 'main' },
      merged_at: '2025-01-02T03:04:05Z',
      merge_commit_sha: merge
    })
    standin.addPullRequest(OWNER, REPO, { number: 43, head: { sha: 'c'.repeat(40), ref: 'other' }, base: { ref: 'main' } })
    standin.associateCommit(OWNER, REPO, 'd'.repeat(40), [42, 43])
  })

  it('lists the PRs associated with a commit', async () => {
    const byMerge = await bot.rest.repos.listPullRequestsAssociatedWithCommit({ owner: OWNER, repo: REPO, commit_sha: merge })
    expect(byMerge.data).toHaveLength(1)
    expect(byMerge.data[0]).toMatchObject({
      number: 42,
      state: 'closed',
      merged_at: '2025-01-02T03:04:05Z',
      merge_commit_sha: merge,
      head: { sha: head, ref: 'feature' },
      base: { ref: 'main' },
      html_url: `https://github.com/${OWNER}/${REPO}/pull/42`
    })
    const both = await bot.rest.repos.listPullRequestsAssociatedWithCommit({ owner: OWNER, repo: REPO, commit_sha: 'd'.repeat(40) })
    expect(both.data.map((p) => p.number)).toEqual([42, 43])
    const none = await bot.rest.repos.listPullRequestsAssociatedWithCommit({ owner: OWNER, repo: REPO, commit_sha: 'e'.repeat(40) })
    expect(none.data).toEqual([])
  })

  it('gets one PR, and 404s an unknown one', async () => {
    const { data } = await bot.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 43 })
    expect(data).toMatchObject({ number: 43, state: 'open', merged: false, merged_at: null })
    const f = await failure(bot.rest.pulls.get({ owner: OWNER, repo: REPO, pull_number: 44 }))
    expect(f.status).toBe(404)
  })
})

describe('faults', () => {
  it('can fail a POST with 502 after storing the comment', async () => {
    const handle = standin.injectFault({ method: 'POST', pathPattern: /\/issues\/12\/comments$/, after: true }, faults.serverError(502))
    const f = await failure(bot.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 12, body: 'once' }))
    expect(f.status).toBe(502)
    expect(handle).toMatchObject({ hits: 1, remaining: 0 })
    expect(standin.comments(OWNER, REPO, 12).map((c) => c.body)).toEqual(['once']) // stored despite the 502
    expect(standin.requests.at(-1)).toMatchObject({ status: 502, fault: true })
    const retry = await bot.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 12, body: 'twice' })
    expect(retry.status).toBe(201) // times defaults to 1
  })

  it('models primary and secondary rate limits, and socket resets', async () => {
    standin.injectFault({ method: 'GET' }, faults.primaryRateLimit({ resetInSeconds: 30 }))
    const primary = await failure(bot.rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 1 }))
    expect(primary.status).toBe(403)
    expect(primary.headers['x-ratelimit-remaining']).toBe('0')
    expect(Number(primary.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000)

    standin.injectFault({ method: 'POST' }, faults.secondaryRateLimit({ retryAfter: 2 }))
    const secondary = await failure(bot.rest.issues.createComment({ owner: OWNER, repo: REPO, issue_number: 13, body: 'x' }))
    expect(secondary.status).toBe(403)
    expect(secondary.data.message).toContain('secondary rate limit')
    expect(secondary.headers['retry-after']).toBe('2')
    expect(standin.comments(OWNER, REPO, 13)).toEqual([])

    standin.injectFault({ pathPattern: /^\/user$/ }, { destroy: true })
    await expect(alice.rest.users.getAuthenticated()).rejects.toThrow()
    const after = await alice.rest.users.getAuthenticated()
    expect(after.status).toBe(200)
  })
})

describe('@actions/github in a fresh process', () => {
  it('reads GITHUB_API_URL at import time, as the bundled action will', async () => {
    const script = [
      "import { getOctokit } from '@actions/github'",
      'const { data } = await getOctokit(process.env.T).rest.users.getAuthenticated()',
      'console.log(data.login)'
    ].join('\n')
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      env: { ...process.env, GITHUB_API_URL: standin.url, T: ALICE, NODE_OPTIONS: '' }
    })
    expect(stdout.trim()).toBe('alice')
  })
})
