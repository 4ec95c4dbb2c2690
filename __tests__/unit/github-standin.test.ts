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

/*
 * Issue #10: pull request state, reviews, permissions, GraphQL, contents,
 * token kinds and the Date header. A separate stand-in with a stopped clock.
 */
describe('review binding (issue #10)', () => {
  const O = 'acme'
  const R = 'site'
  const GH = 'ghs_actions'
  const APP = 'ghs_app'
  const PAT = 'ghp_alice'
  const T0 = '2026-03-01T10:00:00Z'
  const HEAD = '1'.repeat(40)
  const NEW_HEAD = '2'.repeat(40)
  const MERGE = '3'.repeat(40)
  const FORK_SHA = '4'.repeat(40)
  let s: Standin
  let gh: ReturnType<typeof getOctokit>
  let app: ReturnType<typeof getOctokit>
  let pat: ReturnType<typeof getOctokit>

  /** The query the action sends for approvals (the brief's shape, with variables). */
  const PR_QUERY = `query($owner: String!, $name: String!, $number: Int!, $after: String) {
    repository(owner: $owner, name: $name) {
      pullRequest(number: $number) {
        state merged mergedAt headRefOid baseRefName
        author { login __typename }
        latestOpinionatedReviews(first: 100, after: $after, writersOnly: true) {
          nodes { state submittedAt author { login __typename } authorCanPushToRepository commit { oid } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }`

  /** POST /graphql keeping status and headers (octokit.graphql drops them). */
  async function gql(client: ReturnType<typeof getOctokit>, query: string, variables: Record<string, unknown> = {}) {
    const res = await client.request('POST /graphql', { query, variables })
    return { status: res.status, headers: res.headers as Record<string, string>, body: res.data as any }
  }

  beforeAll(async () => {
    s = await startGitHubStandin({
      now: T0,
      tokens: {
        [GH]: { login: 'github-actions[bot]', kind: 'actions' },
        [APP]: { login: 'myapp[bot]', kind: 'app', id: 90000001 },
        [PAT]: { login: 'alice', id: 501 }
      }
    })
    gh = getOctokit(GH, { baseUrl: s.url })
    app = getOctokit(APP, { baseUrl: s.url })
    pat = getOctokit(PAT, { baseUrl: s.url })
    s.addPullRequest(O, R, { number: 1, user: { login: 'author' }, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    for (const [login, role] of [
      ['maintainer', 'maintain'],
      ['writer', 'write'],
      ['triager', 'triage'],
      ['reader', 'read'],
      ['author', 'write'],
      ['myapp[bot]', 'write'],
      ['admin1', 'admin']
    ] as const) {
      s.setPermission(O, R, login, role)
    }
  })

  afterAll(async () => {
    await s.stop()
  })

  describe('Date header and clock', () => {
    it('sends the clock time as Date on every answer, also errors and GraphQL', async () => {
      const when = new Date(T0).toUTCString()
      const ok = await pat.rest.users.getAuthenticated()
      expect(ok.headers.date).toBe(when)
      const missing = await fetch(`${s.url}/nope`, { headers: { authorization: `token ${PAT}` } })
      expect(missing.status).toBe(404)
      expect(missing.headers.get('date')).toBe(when)
      const anonymous = await fetch(`${s.url}/user`)
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('date')).toBe(when)
      expect((await gql(gh, '{ viewer { login } }')).headers.date).toBe(when)
    })

    it('moves only when set or advanced, and can go back to real time', async () => {
      s.clock.advance(90_000)
      expect((await pat.rest.users.getAuthenticated()).headers.date).toBe('Sun, 01 Mar 2026 10:01:30 GMT')
      s.clock.release()
      const real = Date.parse(String((await pat.rest.users.getAuthenticated()).headers.date))
      expect(Math.abs(real - Date.now())).toBeLessThan(5_000)
      s.clock.set(T0)
      expect(s.clock.now().toISOString()).toBe('2026-03-01T10:00:00.000Z')
    })
  })

  describe('token kinds and identity', () => {
    it('answers 403 to GET /user for GITHUB_TOKEN and app installation tokens, 200 for a PAT', async () => {
      for (const client of [gh, app]) {
        const f = await failure(client.rest.users.getAuthenticated())
        expect(f.status).toBe(403)
        expect(f.data).toMatchObject({
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          status: '403'
        })
      }
      expect((await pat.rest.users.getAuthenticated()).data).toMatchObject({ login: 'alice', id: 501, type: 'User' })
    })

    it('answers GraphQL viewer with the "[bot]" login and id for installation tokens', async () => {
      const q = '{ viewer { login databaseId } }'
      expect(await gh.graphql(q)).toEqual({ viewer: { login: 'github-actions[bot]', databaseId: 41898282 } })
      expect(await app.graphql(q)).toEqual({ viewer: { login: 'myapp[bot]', databaseId: 90000001 } })
      expect(await pat.graphql(q)).toEqual({ viewer: { login: 'alice', databaseId: 501 } })
    })

    it('counts GraphQL against the graphql resource: 1,000 an hour for GITHUB_TOKEN, 5,000 for others', async () => {
      const a = await gql(gh, '{ viewer { login } rateLimit { limit remaining used cost } }')
      expect(a.headers['x-ratelimit-resource']).toBe('graphql')
      expect(a.headers['x-ratelimit-limit']).toBe('1000')
      expect(a.body.data.rateLimit).toMatchObject({ limit: 1000, cost: 1 })
      expect(String(a.body.data.rateLimit.remaining)).toBe(a.headers['x-ratelimit-remaining'])
      const b = await gql(app, '{ viewer { login } }')
      expect(b.headers['x-ratelimit-limit']).toBe('5000')
      const rest = await app.rest.pulls.get({ owner: O, repo: R, pull_number: 1 })
      expect(rest.headers['x-ratelimit-resource']).toBe('core')
    })

    it('refuses an installation token whose login is not a bot', async () => {
      await expect(startGitHubStandin({ tokens: { x: { login: 'alice', kind: 'app' } } })).rejects.toThrow(/\[bot\]/)
    })
  })

  describe('pull requests', () => {
    it('answers state, merged, merged_at, base.ref, head.sha and the author, and follows updates', async () => {
      s.addPullRequest(O, R, { number: 2, user: { login: 'author' }, head: { sha: HEAD, ref: 'f2' }, base: { ref: 'main' } })
      const open = (await gh.rest.pulls.get({ owner: O, repo: R, pull_number: 2 })).data
      expect(open).toMatchObject({
        state: 'open',
        merged: false,
        merged_at: null,
        base: { ref: 'main' },
        head: { sha: HEAD, repo: { full_name: `${O}/${R}`, fork: false } },
        user: { login: 'author', type: 'User' },
        author_association: 'COLLABORATOR'
      })
      s.updatePullRequest(O, R, 2, { head: { sha: NEW_HEAD, ref: 'f2' } })
      expect((await gh.rest.pulls.get({ owner: O, repo: R, pull_number: 2 })).data.head.sha).toBe(NEW_HEAD)
      s.updatePullRequest(O, R, 2, { state: 'closed', merged_at: '2026-03-01T11:00:00Z', merge_commit_sha: MERGE })
      const merged = (await gh.rest.pulls.get({ owner: O, repo: R, pull_number: 2 })).data
      expect(merged).toMatchObject({ state: 'closed', merged: true, merged_at: '2026-03-01T11:00:00Z', merge_commit_sha: MERGE })
      s.addPullRequest(O, R, { number: 3, state: 'closed', head: { sha: HEAD, ref: 'f3' }, base: { ref: 'main' } })
      expect((await gh.rest.pulls.get({ owner: O, repo: R, pull_number: 3 })).data).toMatchObject({ state: 'closed', merged: false })
    })

    it('shows a fork as the head repository', async () => {
      s.addPullRequest(O, R, {
        number: 4,
        user: { login: 'mallory' },
        head: { sha: FORK_SHA, ref: 'main', repo: { owner: 'mallory', name: R } },
        base: { ref: 'main' }
      })
      const { data } = await gh.rest.pulls.get({ owner: O, repo: R, pull_number: 4 })
      expect(data.head).toMatchObject({ label: 'mallory:main', sha: FORK_SHA, repo: { full_name: `mallory/${R}`, fork: true } })
      expect(data.base.repo.full_name).toBe(`${O}/${R}`)
      expect(data.author_association).toBe('NONE')
    })
  })

  describe('reviews (REST)', () => {
    it('lists reviews chronologically with GitHub’s fields, paginated with Link headers', async () => {
      s.addPullRequest(O, R, { number: 10, user: { login: 'author' }, head: { sha: HEAD, ref: 'r10' }, base: { ref: 'main' } })
      for (let i = 0; i < 35; i++) {
        s.addReview(O, R, 10, {
          login: i % 2 ? 'writer' : 'reader',
          state: 'COMMENTED',
          body: `r${i}`,
          submitted_at: new Date(Date.parse(T0) + i * 1000).toISOString().replace('.000', '')
        })
      }
      const first = await gh.rest.pulls.listReviews({ owner: O, repo: R, pull_number: 10 })
      expect(first.data).toHaveLength(30)
      expect(first.headers.link).toContain('rel="next"')
      expect(String(first.headers.link)).toMatch(new RegExp(`<${s.url}/repositories/\\d+/pulls/10/reviews\\?page=2>; rel="next"`))
      const all = await gh.paginate(gh.rest.pulls.listReviews, { owner: O, repo: R, pull_number: 10, per_page: 100 })
      expect(all.map((r) => r.body)).toEqual(Array.from({ length: 35 }, (_, i) => `r${i}`))
      expect(all[1]).toMatchObject({
        id: expect.any(Number),
        node_id: expect.any(String),
        user: { login: 'writer', type: 'User' },
        state: 'COMMENTED',
        commit_id: HEAD,
        submitted_at: '2026-03-01T10:00:01Z',
        author_association: 'COLLABORATOR',
        html_url: expect.stringMatching(new RegExp(`^https://github.com/${O}/${R}/pull/10#pullrequestreview-\\d+$`)),
        pull_request_url: `${s.url}/repos/${O}/${R}/pulls/10`
      })
      const unknown = await failure(gh.rest.pulls.listReviews({ owner: O, repo: R, pull_number: 999 }))
      expect(unknown.status).toBe(404)
    })

    it('shows bots as type Bot with the [bot] login, and dismissal rewrites the state in place', async () => {
      s.addPullRequest(O, R, { number: 11, user: { login: 'author' }, head: { sha: HEAD, ref: 'r11' }, base: { ref: 'main' } })
      const bot = s.addReview(O, R, 11, { login: 'myapp[bot]', state: 'APPROVED' })
      expect(bot.user).toMatchObject({ login: 'myapp[bot]', type: 'Bot' })
      const human = s.addReview(O, R, 11, { login: 'writer', state: 'APPROVED' })
      const dismissed = s.dismissReview(O, R, 11, human.id)
      expect(dismissed).toMatchObject({ id: human.id, state: 'DISMISSED', submitted_at: human.submitted_at })
      const { data } = await gh.rest.pulls.listReviews({ owner: O, repo: R, pull_number: 11 })
      expect(data.map((r) => [r.user?.login, r.state])).toEqual([
        ['myapp[bot]', 'APPROVED'],
        ['writer', 'DISMISSED']
      ])
      expect(() => s.dismissReview(O, R, 11, human.id)).toThrow(/DISMISSED review cannot be dismissed/)
    })
  })

  describe('collaborator permission', () => {
    it('answers the legacy permission and the role name', async () => {
      const get = async (username: string) => (await gh.rest.repos.getCollaboratorPermissionLevel({ owner: O, repo: R, username })).data
      expect(await get('admin1')).toMatchObject({
        permission: 'admin',
        role_name: 'admin',
        user: { login: 'admin1', permissions: { admin: true, push: true } }
      })
      expect(await get('maintainer')).toMatchObject({ permission: 'write', role_name: 'maintain' })
      expect(await get('writer')).toMatchObject({
        permission: 'write',
        role_name: 'write',
        user: { permissions: { push: true, admin: false } }
      })
      expect(await get('triager')).toMatchObject({
        permission: 'read',
        role_name: 'triage',
        user: { permissions: { push: false, triage: true } }
      })
      expect(await get('reader')).toMatchObject({ permission: 'read', role_name: 'read' })
      expect(await get('myapp[bot]')).toMatchObject({ permission: 'write', user: { login: 'myapp[bot]', type: 'Bot' } })
      expect(await get('alice')).toMatchObject({ permission: 'none', role_name: 'none', user: { permissions: { pull: false } } })
      const unknown = await failure(gh.rest.repos.getCollaboratorPermissionLevel({ owner: O, repo: R, username: 'nobody-at-all' }))
      expect(unknown.status).toBe(404)
    })
  })

  describe('GraphQL pull request and latestOpinionatedReviews', () => {
    const N = 20
    let t = Date.parse(T0)
    const at = () => new Date((t += 60_000)).toISOString().replace('.000', '')

    beforeAll(() => {
      s.addPullRequest(O, R, { number: N, user: { login: 'author' }, head: { sha: HEAD, ref: 'g' }, base: { ref: 'release' } })
      s.addReview(O, R, N, { login: 'writer', state: 'CHANGES_REQUESTED', submitted_at: at() })
      s.addReview(O, R, N, { login: 'writer', state: 'APPROVED', submitted_at: at() })
      s.addReview(O, R, N, { login: 'writer', state: 'COMMENTED', submitted_at: at() }) // not an opinion
      s.addReview(O, R, N, { login: 'maintainer', state: 'APPROVED', submitted_at: at(), commit_id: '9'.repeat(40) })
      s.addReview(O, R, N, { login: 'reader', state: 'APPROVED', submitted_at: at() }) // no write access
      s.addReview(O, R, N, { login: 'triager', state: 'COMMENTED', submitted_at: at() }) // comment only
      s.addReview(O, R, N, { login: 'myapp[bot]', state: 'APPROVED', submitted_at: at() })
    })

    it('answers the action’s query: PR fields and the latest opinion of each writer', async () => {
      const data: any = await gh.graphql(PR_QUERY, { owner: O, name: R, number: N })
      const pr = data.repository.pullRequest
      expect(pr).toMatchObject({
        state: 'OPEN',
        merged: false,
        mergedAt: null,
        headRefOid: HEAD,
        baseRefName: 'release',
        author: { login: 'author', __typename: 'User' }
      })
      expect(pr.latestOpinionatedReviews.nodes).toEqual([
        {
          state: 'APPROVED',
          submittedAt: '2026-03-01T10:02:00Z',
          author: { login: 'writer', __typename: 'User' },
          authorCanPushToRepository: true,
          commit: { oid: HEAD }
        },
        {
          state: 'APPROVED',
          submittedAt: '2026-03-01T10:04:00Z',
          author: { login: 'maintainer', __typename: 'User' },
          authorCanPushToRepository: true,
          commit: { oid: '9'.repeat(40) }
        },
        {
          state: 'APPROVED',
          submittedAt: '2026-03-01T10:07:00Z',
          author: { login: 'myapp', __typename: 'Bot' }, // GraphQL shows a bot's login without "[bot]"
          authorCanPushToRepository: true,
          commit: { oid: HEAD }
        }
      ])
      expect(pr.latestOpinionatedReviews.pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) })
    })

    it('includes readers without writersOnly, with authorCanPushToRepository false', async () => {
      const data: any = await pat.graphql(
        `query { repository(owner: "${O}", name: "${R}") { pullRequest(number: ${N}) {
          latestOpinionatedReviews(first: 10) { totalCount nodes { author { login } authorCanPushToRepository } } } } }`
      )
      const c = data.repository.pullRequest.latestOpinionatedReviews
      expect(c.totalCount).toBe(4)
      expect(c.nodes).toContainEqual({ author: { login: 'reader' }, authorCanPushToRepository: false })
    })

    it('pages with first/after and an endCursor', async () => {
      const page = async (after: string | null) =>
        (
          (await gh.graphql(
            `query($after: String) { repository(owner: "${O}", name: "${R}") { pullRequest(number: ${N}) {
            latestOpinionatedReviews(first: 2, after: $after, writersOnly: true) { nodes { author { login } } pageInfo { hasNextPage endCursor } } } } }`,
            { after }
          )) as any
        ).repository.pullRequest.latestOpinionatedReviews
      const one = await page(null)
      expect(one.nodes.map((n: any) => n.author.login)).toEqual(['writer', 'maintainer'])
      expect(one.pageInfo.hasNextPage).toBe(true)
      const two = await page(one.pageInfo.endCursor)
      expect(two.nodes.map((n: any) => n.author.login)).toEqual(['myapp'])
      expect(two.pageInfo.hasNextPage).toBe(false)
    })

    it('lets a dismissal replace the latest opinion, or drop it, depending on the option', async () => {
      s.addPullRequest(O, R, { number: 21, user: { login: 'author' }, head: { sha: HEAD, ref: 'h' }, base: { ref: 'main' } })
      s.addReview(O, R, 21, { login: 'writer', state: 'APPROVED', submitted_at: '2026-03-01T10:00:01Z' })
      const later = s.addReview(O, R, 21, { login: 'writer', state: 'APPROVED', submitted_at: '2026-03-01T10:00:02Z' })
      s.dismissReview(O, R, 21, later.id)
      const q = `{ repository(owner: "${O}", name: "${R}") { pullRequest(number: 21) {
        latestOpinionatedReviews(first: 10) { nodes { state submittedAt } } } } }`
      const counted: any = await gh.graphql(q)
      expect(counted.repository.pullRequest.latestOpinionatedReviews.nodes).toEqual([
        { state: 'DISMISSED', submittedAt: '2026-03-01T10:00:02Z' }
      ])

      const other = await startGitHubStandin({
        dismissedIsOpinionated: false,
        tokens: { [GH]: { login: 'github-actions[bot]', kind: 'actions' } }
      })
      try {
        other.addPullRequest(O, R, { number: 21, user: { login: 'author' }, head: { sha: HEAD, ref: 'h' }, base: { ref: 'main' } })
        other.setPermission(O, R, 'writer', 'write')
        other.addReview(O, R, 21, { login: 'writer', state: 'APPROVED', submitted_at: '2026-03-01T10:00:01Z' })
        const l = other.addReview(O, R, 21, { login: 'writer', state: 'APPROVED', submitted_at: '2026-03-01T10:00:02Z' })
        other.dismissReview(O, R, 21, l.id)
        const data: any = await getOctokit(GH, { baseUrl: other.url }).graphql(q)
        // The earlier approval resurfaces: an action must still require submittedAt after the plan and the head commit.
        expect(data.repository.pullRequest.latestOpinionatedReviews.nodes).toEqual([
          { state: 'APPROVED', submittedAt: '2026-03-01T10:00:01Z' }
        ])
      } finally {
        await other.stop()
      }
    })

    it('answers MERGED and CLOSED states', async () => {
      s.addPullRequest(O, R, { number: 22, head: { sha: HEAD, ref: 'm' }, base: { ref: 'main' }, merged_at: '2026-03-01T12:00:00Z' })
      s.addPullRequest(O, R, { number: 23, state: 'closed', head: { sha: HEAD, ref: 'c' }, base: { ref: 'main' } })
      const q = (n: number) => `{ repository(owner: "${O}", name: "${R}") { pullRequest(number: ${n}) { state merged mergedAt } } }`
      expect(((await gh.graphql(q(22))) as any).repository.pullRequest).toEqual({
        state: 'MERGED',
        merged: true,
        mergedAt: '2026-03-01T12:00:00Z'
      })
      expect(((await gh.graphql(q(23))) as any).repository.pullRequest).toEqual({ state: 'CLOSED', merged: false, mergedAt: null })
    })
  })

  describe('GraphQL errors', () => {
    it('answers 200 with errors and no data to a query outside the schema', async () => {
      const res = await gql(gh, '{ viewer { login nosuchfield } }')
      expect(res.status).toBe(200)
      expect(res.body.data).toBeUndefined()
      expect(res.body.errors).toEqual([
        {
          path: ['query', 'viewer', 'nosuchfield'],
          extensions: { code: 'undefinedField', typeName: 'User', fieldName: 'nosuchfield' },
          locations: [{ line: 1, column: 18 }],
          message: "Field 'nosuchfield' doesn't exist on type 'User'"
        }
      ])
      await expect(gh.graphql('{ viewer { login nosuchfield } }')).rejects.toMatchObject({ name: 'GraphqlResponseError' })
    })

    it('refuses fields an interface does not have, fragments and mutations', async () => {
      const onActor = await gql(gh, `{ repository(owner: "${O}", name: "${R}") { pullRequest(number: 1) { author { databaseId } } } }`)
      expect(onActor.body.errors[0]).toMatchObject({ extensions: { code: 'undefinedField', typeName: 'Actor' } })
      const fragment = await gql(
        gh,
        `{ repository(owner: "${O}", name: "${R}") { pullRequest(number: 1) { author { ... on User { databaseId } } } } }`
      )
      expect(fragment.body.errors[0]).toMatchObject({ extensions: { code: 'standinUnsupported' } })
      const mutation = await gql(gh, 'mutation { addStar(input: {}) { clientMutationId } }')
      expect(mutation.body.errors[0]).toMatchObject({ extensions: { code: 'standinUnsupported' } })
    })

    it('answers NOT_FOUND with null data for an unknown repository or pull request', async () => {
      const repo = await gql(gh, '{ repository(owner: "nobody", name: "nothing") { pullRequest(number: 1) { number } } }')
      expect(repo.body).toEqual({
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            locations: [{ line: 1, column: 3 }],
            message: "Could not resolve to a Repository with the name 'nobody/nothing'."
          }
        ]
      })
      const pr = await gql(gh, PR_QUERY, { owner: O, name: R, number: 999 })
      expect(pr.body.data).toEqual({ repository: { pullRequest: null } })
      expect(pr.body.errors[0]).toMatchObject({
        type: 'NOT_FOUND',
        path: ['repository', 'pullRequest'],
        message: 'Could not resolve to a PullRequest with the number of 999.'
      })
    })

    it('requires first or last (1-100) on connections and declared, valid variables', async () => {
      const conn = (args: string) =>
        gql(gh, `{ repository(owner: "${O}", name: "${R}") { pullRequest(number: 1) { latestOpinionatedReviews${args} { totalCount } } } }`)
      expect((await conn('')).body.errors[0]).toMatchObject({ type: 'MISSING_PAGINATION_BOUNDARIES' })
      expect((await conn('(first: 101)')).body.errors[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION' })
      const missing = await gql(gh, PR_QUERY, { owner: O, name: R })
      expect(missing.body).toEqual({
        errors: [expect.objectContaining({ message: 'Variable $number of type Int! was provided invalid value' })]
      })
      const wrongType = await gql(gh, PR_QUERY, { owner: O, name: R, number: '1' })
      expect(wrongType.body.errors[0].message).toBe('Variable $number of type Int! was provided invalid value')
      const undeclared = await gql(gh, '{ repository(owner: $o, name: "x") { name } }')
      expect(undeclared.body.errors[0]).toMatchObject({ extensions: { code: 'variableNotDefined' } })
      const noQuery = await gql(gh, '')
      expect(noQuery.body.errors[0].message).toMatch(/query attribute must be specified/)
    })
  })

  describe('contents', () => {
    const FORK_PR = 30
    beforeAll(() => {
      s.addPullRequest(O, R, {
        number: FORK_PR,
        head: { sha: FORK_SHA, ref: 'x', repo: { owner: 'mallory', name: R } },
        base: { ref: 'main' }
      })
      s.addFile(O, R, 'schema/snapshot.json', '{"version":1}', { ref: FORK_SHA })
      s.addFile(O, R, 'schema/extra/readme.md', '# hi', { ref: FORK_SHA })
      s.addFile(O, R, 'big.json', 'x'.repeat(1024 * 1024 + 1), { ref: FORK_SHA })
      s.addFile(O, R, 'schema/snapshot.json', '{"version":0}') // on the default branch
    })

    it('answers a file’s bytes at a commit with the raw media type', async () => {
      const res = await gh.rest.repos.getContent({
        owner: O,
        repo: R,
        path: 'schema/snapshot.json',
        ref: FORK_SHA,
        mediaType: { format: 'raw' }
      })
      expect(res.status).toBe(200)
      expect(res.headers['content-type']).toBe('application/vnd.github.v3.raw; charset=utf-8')
      expect(res.data as unknown).toBe('{"version":1}')
      const plain = await fetch(`${s.url}/repos/${O}/${R}/contents/schema/snapshot.json?ref=${FORK_SHA}`, {
        headers: { authorization: `token ${GH}`, accept: 'application/vnd.github.raw' }
      })
      expect(plain.headers.get('content-type')).toBe('application/vnd.github.raw; charset=utf-8')
      expect(await plain.text()).toBe('{"version":1}')
      const head = await gh.rest.repos.getContent({ owner: O, repo: R, path: 'schema/snapshot.json', mediaType: { format: 'raw' } })
      expect(head.data as unknown).toBe('{"version":0}')
    })

    it('answers the JSON form with base64 content up to 1 MB, and only raw or object above', async () => {
      const { data } = await gh.rest.repos.getContent({ owner: O, repo: R, path: 'schema/snapshot.json', ref: FORK_SHA })
      expect(data).toMatchObject({ type: 'file', encoding: 'base64', size: 13, name: 'snapshot.json', path: 'schema/snapshot.json' })
      expect(Buffer.from((data as { content: string }).content, 'base64').toString()).toBe('{"version":1}')
      // git's blob id of the content
      expect((data as { sha: string }).sha).toBe(s.addFile(O, R, 'tmp.json', '{"version":1}', { ref: 'scratch' }).sha)
      const big = await failure(gh.rest.repos.getContent({ owner: O, repo: R, path: 'big.json', ref: FORK_SHA }))
      expect(big.status).toBe(403)
      expect(big.data.errors).toEqual([{ resource: 'Blob', field: 'data', code: 'too_large' }])
      const raw = await gh.rest.repos.getContent({ owner: O, repo: R, path: 'big.json', ref: FORK_SHA, mediaType: { format: 'raw' } })
      expect((raw.data as unknown as string).length).toBe(1024 * 1024 + 1)
      const object = await gh.rest.repos.getContent({ owner: O, repo: R, path: 'big.json', ref: FORK_SHA, mediaType: { format: 'object' } })
      expect(object.data).toMatchObject({ type: 'file', content: '', encoding: 'none' })
    })

    it('lists a directory as JSON even when raw was asked for', async () => {
      const res = await gh.rest.repos.getContent({ owner: O, repo: R, path: 'schema', ref: FORK_SHA, mediaType: { format: 'raw' } })
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
      expect((res.data as Array<{ type: string; path: string }>).map((e) => [e.type, e.path])).toEqual([
        ['dir', 'schema/extra'],
        ['file', 'schema/snapshot.json']
      ])
    })

    it('answers 404 for a missing file and for a ref it does not know', async () => {
      const missing = await failure(
        gh.rest.repos.getContent({ owner: O, repo: R, path: 'nope.json', ref: FORK_SHA, mediaType: { format: 'raw' } })
      )
      expect(missing.status).toBe(404)
      expect(missing.data).toMatchObject({ message: 'Not Found' })
      const ref = await failure(gh.rest.repos.getContent({ owner: O, repo: R, path: 'schema/snapshot.json', ref: '5'.repeat(40) }))
      expect(ref.status).toBe(404)
      expect(ref.data.message).toBe(`No commit found for the ref ${'5'.repeat(40)}`)
    })
  })

  it('models 410 Gone and the GraphQL rate limit as faults', async () => {
    s.injectFault({ method: 'POST', pathPattern: /\/issues\/\d+\/comments$/ }, faults.gone())
    const gone = await failure(gh.rest.issues.createComment({ owner: O, repo: R, issue_number: 1, body: 'x' }))
    expect(gone.status).toBe(410)
    expect(gone.data).toMatchObject({ message: 'Issues are disabled for this repo', status: '410' })
    s.injectFault({ pathPattern: /^\/graphql$/ }, faults.graphqlRateLimit())
    const limited = await gql(gh, '{ viewer { login } }')
    expect(limited.status).toBe(200)
    expect(limited.headers['x-ratelimit-remaining']).toBe('0')
    expect(limited.headers['x-ratelimit-resource']).toBe('graphql')
    expect(limited.body.errors[0]).toMatchObject({ type: 'RATE_LIMIT', code: 'graphql_rate_limit' })
    s.injectFault({ pathPattern: /^\/graphql$/ }, faults.graphqlRateLimit())
    await expect(gh.graphql('{ viewer { login } }')).rejects.toMatchObject({ name: 'GraphqlResponseError' })
    s.clearFaults()
  })

  it('checks Authorization on every new endpoint', async () => {
    const stranger = getOctokit('nope', { baseUrl: s.url })
    const calls: Array<Promise<unknown>> = [
      stranger.rest.pulls.listReviews({ owner: O, repo: R, pull_number: 1 }),
      stranger.rest.repos.getCollaboratorPermissionLevel({ owner: O, repo: R, username: 'writer' }),
      stranger.rest.repos.getContent({ owner: O, repo: R, path: 'schema/snapshot.json' }),
      stranger.request('POST /graphql', { query: '{ viewer { login } }' })
    ]
    for (const call of calls) {
      const f = await failure(call)
      expect(f.status).toBe(401)
      expect(f.data).toMatchObject({ message: 'Bad credentials' })
      expect(f.headers.date).toEqual(expect.any(String))
    }
  })
})

describe('issues (issue #14: the drift tracking issue)', () => {
  const O = 'acme'
  const R = 'drift'
  const WRITER = 'issues-writer'
  const READER = 'issues-reader'
  const NONE = 'issues-none'
  let s: Standin
  let writer: ReturnType<typeof getOctokit>
  let reader: ReturnType<typeof getOctokit>

  beforeAll(async () => {
    s = await startGitHubStandin({
      tokens: {
        [WRITER]: { login: 'github-actions[bot]', installation: true },
        [READER]: { login: 'github-actions[bot]', installation: true, issues: 'read' },
        [NONE]: { login: 'github-actions[bot]', installation: true, issues: 'none' }
      }
    })
    writer = getOctokit(WRITER, { baseUrl: s.url })
    reader = getOctokit(READER, { baseUrl: s.url })
  })

  afterAll(async () => {
    await s.stop()
  })

  it('creates an issue shaped like GitHub’s, numbered after the pull requests, with labels', async () => {
    s.addPullRequest(O, R, { number: 7, head: { sha: 'a'.repeat(40), ref: 'feature' }, base: { ref: 'main' }, body: 'marker in a PR' })
    const { status, data } = await writer.rest.issues.create({
      owner: O,
      repo: R,
      title: 'Drift',
      body: 'body',
      labels: ['drift', { name: 'ops' }]
    })
    expect(status).toBe(201)
    expect(data).toMatchObject({
      number: 8,
      title: 'Drift',
      body: 'body',
      state: 'open',
      state_reason: null,
      closed_at: null,
      html_url: `https://github.com/${O}/${R}/issues/8`,
      user: { login: 'github-actions[bot]', type: 'Bot' },
      labels: [expect.objectContaining({ name: 'drift' }), expect.objectContaining({ name: 'ops' })]
    })
    expect(data).not.toHaveProperty('pull_request')
    const got = await reader.rest.issues.get({ owner: O, repo: R, issue_number: 8 })
    expect(got.data.body).toBe('body')
    const missing = await failure(writer.rest.issues.create({ owner: O, repo: R, title: '' }))
    expect(missing.status).toBe(422)
    expect(missing.data.errors).toEqual([{ resource: 'Issue', code: 'missing_field', field: 'title' }])
  })

  it('lists issues and pull requests together, open by default, newest first, paginated', async () => {
    const open = await writer.rest.issues.listForRepo({ owner: O, repo: R })
    expect(open.data.map((i) => [i.number, 'pull_request' in i && i.pull_request !== undefined])).toEqual([
      [8, false],
      [7, true]
    ])
    const pr = open.data.find((i) => i.number === 7)
    expect(pr?.pull_request).toMatchObject({ html_url: `https://github.com/${O}/${R}/pull/7`, merged_at: null })
    for (let i = 0; i < 3; i++) await writer.rest.issues.create({ owner: O, repo: R, title: `t${i}` })
    const pages = await writer.paginate(writer.rest.issues.listForRepo, { owner: O, repo: R, state: 'all', per_page: 2, direction: 'asc' })
    expect(pages.map((i) => i.number)).toEqual([7, 8, 9, 10, 11])
    const byLabel = await writer.rest.issues.listForRepo({ owner: O, repo: R, labels: 'drift,ops' })
    expect(byLabel.data.map((i) => i.number)).toEqual([8])
  })

  it('closes, reopens and relabels in place, as GitHub records state changes', async () => {
    const closed = await writer.rest.issues.update({ owner: O, repo: R, issue_number: 8, state: 'closed' })
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'completed', closed_at: expect.any(String) })
    const openList = await writer.rest.issues.listForRepo({ owner: O, repo: R, state: 'open' })
    expect(openList.data.map((i) => i.number)).not.toContain(8)
    const closedList = await writer.rest.issues.listForRepo({ owner: O, repo: R, state: 'closed' })
    expect(closedList.data.map((i) => i.number)).toEqual([8])
    const reopened = await writer.rest.issues.update({
      owner: O,
      repo: R,
      issue_number: 8,
      state: 'open',
      body: 'again',
      labels: ['drift']
    })
    expect(reopened.data).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null, body: 'again' })
    expect(reopened.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['drift'])
  })

  it('comments on an issue with its issues URL', async () => {
    const { data } = await writer.rest.issues.createComment({ owner: O, repo: R, issue_number: 8, body: 'resolved' })
    expect(data.html_url).toBe(`https://github.com/${O}/${R}/issues/8#issuecomment-${data.id}`)
    expect((await writer.rest.issues.get({ owner: O, repo: R, issue_number: 8 })).data.comments).toBe(1)
  })

  it('answers 403 Resource not accessible by integration to writes without issues: write, and reads without issues in a private repository', async () => {
    for (const call of [
      reader.rest.issues.create({ owner: O, repo: R, title: 'x' }),
      reader.rest.issues.update({ owner: O, repo: R, issue_number: 8, state: 'closed' }),
      reader.rest.issues.createComment({ owner: O, repo: R, issue_number: 8, body: 'x' })
    ]) {
      const f = await failure(call)
      expect(f.status).toBe(403)
      expect(f.data.message).toBe('Resource not accessible by integration')
    }
    const none = getOctokit(NONE, { baseUrl: s.url })
    expect((await none.rest.issues.listForRepo({ owner: O, repo: R })).status).toBe(200)
    s.configureRepository(O, R, { private: true })
    expect((await failure(none.rest.issues.listForRepo({ owner: O, repo: R }))).status).toBe(403)
    expect((await reader.rest.issues.listForRepo({ owner: O, repo: R })).status).toBe(200)
    s.configureRepository(O, R, { private: false })
  })

  it('answers 410 Issues are disabled to every issue route, and keeps pull requests working', async () => {
    s.configureRepository(O, R, { hasIssues: false })
    try {
      for (const call of [
        writer.rest.issues.listForRepo({ owner: O, repo: R }),
        writer.rest.issues.create({ owner: O, repo: R, title: 'x' }),
        writer.rest.issues.get({ owner: O, repo: R, issue_number: 8 }),
        writer.rest.issues.update({ owner: O, repo: R, issue_number: 8, state: 'closed' }),
        writer.rest.issues.createComment({ owner: O, repo: R, issue_number: 8, body: 'x' })
      ]) {
        const f = await failure(call)
        expect(f.status).toBe(410)
        expect(f.data.message).toBe('Issues are disabled for this repo')
      }
      expect((await writer.rest.issues.get({ owner: O, repo: R, issue_number: 7 })).data.pull_request).toBeDefined()
      expect((await writer.rest.issues.createComment({ owner: O, repo: R, issue_number: 7, body: 'plan' })).status).toBe(201)
    } finally {
      s.configureRepository(O, R, { hasIssues: true })
    }
  })

  it('seeds and edits issues as other people would', async () => {
    const forged = s.addIssue(O, R, { login: 'mallory', title: 'Forged', body: '<!-- marker -->' })
    expect(forged.user).toMatchObject({ login: 'mallory', type: 'User' })
    const edited = s.editIssue(O, R, forged.number, { body: 'edited', state: 'closed' })
    expect(edited).toMatchObject({ body: 'edited', state: 'closed', state_reason: 'completed' })
    expect(s.issues(O, R).map((i) => i.number)).toContain(forged.number)
    expect(s.issues(O, R).some((i) => i.number === 7)).toBe(false)
  })
})
