/**
 * What the action reads from GitHub to bind an apply to its review
 * (src/github/), through the action's own client against the stand-in GitHub
 * (which docs/github-facts.md models on GitHub's documented answers): the
 * pull request and every page of its reviews in GraphQL, the token's identity,
 * GitHub's time, and a committed file as data.
 */
import { createGitHubClient, type Octokit } from '../../src/github/client.js'
import { findOwnComments } from '../../src/github/comments.js'
import { publishComment } from '../../src/github/publish.js'
import { ExpectedError } from '../../src/core/errors.js'
import { readCommittedFile } from '../../src/github/contents.js'
import { GitHubError } from '../../src/github/error.js'
import { readPullRequest } from '../../src/github/pulls.js'
import { faults, startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'

const OWNER = 'acme'
const REPO = 'site'
const ACTIONS = 'ghs_reads_actions_token'
const APP = 'ghs_reads_app_token'
const HEAD = 'a'.repeat(40)

let github: Standin
let actions: Octokit
let app: Octokit

beforeAll(async () => {
  github = await startGitHubStandin({
    tokens: { [ACTIONS]: { login: 'github-actions[bot]', kind: 'actions' }, [APP]: { login: 'schema-promoter[bot]', kind: 'app' } },
    now: '2026-03-01T10:00:00Z'
  })
  const client = (token: string) => createGitHubClient({ token, baseUrl: github.url, timeoutMs: 2_000, backoffMs: 10 })
  actions = client(ACTIONS)
  app = client(APP)
})

afterAll(async () => {
  await github.stop()
})

afterEach(() => github.clearFaults())

const issue = (number: number) => ({ owner: OWNER, repo: REPO, number })

describe('the pull request and its reviews, in GraphQL', () => {
  it('reads every page of reviews: a counting approval past the first hundred is found', async () => {
    github.addPullRequest(OWNER, REPO, { number: 1, user: { login: 'alice' }, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    for (let index = 0; index < 150; index++) {
      const login = `writer-${String(index).padStart(3, '0')}`
      github.setPermission(OWNER, REPO, login, 'write')
      github.addReview(OWNER, REPO, 1, { login, state: index === 149 ? 'APPROVED' : 'CHANGES_REQUESTED' })
    }
    const graphqlBefore = github.requests.filter((request) => request.path === '/graphql').length
    const { viewer, pull } = await readPullRequest(actions, issue(1), { reviews: true })
    expect(github.requests.filter((request) => request.path === '/graphql').length - graphqlBefore).toBe(2)
    expect(viewer).toEqual({ login: 'github-actions[bot]', id: 41898282 })
    expect(pull).toMatchObject({
      number: 1,
      state: 'OPEN',
      mergedAt: null,
      headSha: HEAD,
      baseRef: 'main',
      author: 'alice',
      crossRepository: false
    })
    expect(pull.reviews).toHaveLength(150)
    expect(pull.reviews.filter((review) => review.state === 'APPROVED')).toEqual([
      { state: 'APPROVED', submittedAt: '2026-03-01T10:00:00Z', author: { login: 'writer-149', type: 'User' }, canPush: true, commit: HEAD }
    ])
  })

  it("gives a bot's review the type Bot (GraphQL drops the [bot] of its login), and leaves out readers", async () => {
    github.addPullRequest(OWNER, REPO, { number: 2, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    github.setPermission(OWNER, REPO, 'auto-approve[bot]', 'write')
    github.addReview(OWNER, REPO, 2, { login: 'auto-approve[bot]', state: 'APPROVED' })
    github.setPermission(OWNER, REPO, 'reader', 'read')
    github.addReview(OWNER, REPO, 2, { login: 'reader', state: 'APPROVED' })
    const { pull } = await readPullRequest(actions, issue(2), { reviews: true })
    expect(pull.reviews.map((review) => review.author)).toEqual([{ login: 'auto-approve', type: 'Bot' }])
  })

  it("an app installation token is its own identity (GET /user would answer it 403), and reads a fork's state", async () => {
    github.addPullRequest(OWNER, REPO, {
      number: 3,
      head: { sha: HEAD, ref: 'feature', repo: { owner: 'someone', name: REPO } },
      base: { ref: 'main' },
      merged_at: '2026-03-01T09:00:00Z',
      merge_commit_sha: 'b'.repeat(40)
    })
    const { viewer, pull } = await readPullRequest(app, issue(3), { reviews: false })
    expect(viewer.login).toBe('schema-promoter[bot]')
    expect(viewer.id).not.toBe(41898282)
    expect(pull).toMatchObject({ state: 'MERGED', mergedAt: '2026-03-01T09:00:00Z', crossRepository: true, reviews: [] })
    expect(github.requests.filter((request) => request.path === '/user')).toHaveLength(0)
  })

  it('fails in one line on a pull request GitHub does not know, and on a GraphQL rate limit', async () => {
    await expect(readPullRequest(actions, issue(404), { reviews: false })).rejects.toThrow(
      /POST \/graphql answered: Could not resolve to a PullRequest with the number of 404/
    )
    github.injectFault({ method: 'POST', pathPattern: /^\/graphql$/ }, faults.graphqlRateLimit())
    const limited = readPullRequest(actions, issue(1), { reviews: false })
    await expect(limited).rejects.toThrow(GitHubError)
    await expect(readPullRequest(actions, issue(1), { reviews: false })).resolves.toBeDefined()
  })

  it('retries a query GitHub answered with a 502, as a read', async () => {
    github.injectFault({ method: 'POST', pathPattern: /^\/graphql$/ }, faults.serverError(502))
    const { pull } = await readPullRequest(actions, issue(1), { reviews: false })
    expect(pull.number).toBe(1)
  })
})

describe("GitHub's time and the token's own comments", () => {
  it("finds only the viewer's comments, by id, and GitHub's time of the last page", async () => {
    const marker = '<!-- directus-schema-plan target=staging -->'
    github.addPullRequest(OWNER, REPO, { number: 5, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    github.addComment(OWNER, REPO, 5, { login: 'github-actions[bot]', body: `${marker}\nlook-alike` })
    for (let index = 0; index < 120; index++) github.addComment(OWNER, REPO, 5, { login: 'octocat', body: `note ${index}` })
    github.clock.advance(61_000)
    const own = github.addComment(OWNER, REPO, 5, { login: 'schema-promoter[bot]', body: `${marker}\nours` })
    const { viewer } = await readPullRequest(app, issue(5), { reviews: false })
    const found = await findOwnComments(app, issue(5), viewer, marker)
    expect(found.comments.map((comment) => comment.id)).toEqual([own.id])
    expect(found.date?.toISOString()).toBe('2026-03-01T10:01:01.000Z')
  })
})

describe('writing the plan comment', () => {
  const marker = '<!-- directus-schema-plan target=staging -->'
  const signed = `${marker}\nthe signed plan`
  const log = () => {
    const lines: string[] = []
    return { lines, info: (line: string) => lines.push(`info: ${line}`), warning: (line: string) => lines.push(`warning: ${line}`) }
  }

  it('writes nothing when the check right before the write refuses (the pull request merged meanwhile)', async () => {
    github.addPullRequest(OWNER, REPO, { number: 21, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    const { viewer } = await readPullRequest(app, issue(21), { reviews: false })
    const before = github.requests.length
    const publishing = publishComment(app, issue(21), viewer, marker, () => signed, {
      limit: 65_536,
      log: log(),
      beforeWrite: () => Promise.reject(new ExpectedError('Pull request #21 is merged'))
    })
    await expect(publishing).rejects.toThrow('Pull request #21 is merged')
    expect(github.comments(OWNER, REPO, 21)).toEqual([])
    // The comments were listed (GitHub's time), nothing was written.
    expect(github.requests.slice(before).map((request) => request.method)).toEqual(['GET'])
  })

  it('warns when more than one comment of the token carries the marker, and updates the first', async () => {
    github.addPullRequest(OWNER, REPO, { number: 22, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    const first = github.addComment(OWNER, REPO, 22, { login: 'schema-promoter[bot]', body: `${marker}\nolder plan` })
    const copy = github.addComment(OWNER, REPO, 22, { login: 'schema-promoter[bot]', body: `${marker}\nolder plan` })
    const { viewer } = await readPullRequest(app, issue(22), { reviews: false })
    const written = log()
    await publishComment(app, issue(22), viewer, marker, () => signed, { limit: 65_536, log: written })
    expect(written.lines).toEqual([
      expect.stringMatching(/^warning: 2 comments of this token carry the plan marker on #22 .*Apply refuses/)
    ])
    expect(github.comments(OWNER, REPO, 22).map((comment) => [comment.id, comment.body])).toEqual([
      [first.id, signed],
      [copy.id, `${marker}\nolder plan`]
    ])
  })

  it('leaves a comment GitHub stored differently from what was signed without its record, and fails', async () => {
    github.addPullRequest(OWNER, REPO, { number: 23, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    const existing = github.addComment(OWNER, REPO, 23, { login: 'schema-promoter[bot]', body: `${marker}\nolder plan` })
    const { viewer } = await readPullRequest(app, issue(23), { reviews: false })
    // GitHub answers the update with a body that lost a character (stored as sent, answered altered).
    github.injectFault(
      { method: 'PATCH', pathPattern: new RegExp(`/issues/comments/${existing.id}$`), after: true },
      {
        status: 200,
        body: { ...existing, body: signed.replace('signed', 'sgned'), user: { login: 'schema-promoter[bot]', id: viewer.id } }
      }
    )
    const publishing = publishComment(app, issue(23), viewer, marker, () => signed, {
      limit: 65_536,
      log: log(),
      unsigned: (sent) => `${sent.split('\n')[0]}\nwithout record`
    })
    await expect(publishing).rejects.toThrow(
      'GitHub stored the plan comment on #23 differently from the text that was signed (from character 50: sent "et=staging -->\\nthe signed plan", stored "et=staging -->\\nthe sgned plan")'
    )
    expect(github.comments(OWNER, REPO, 23).map((comment) => comment.body)).toEqual([`${marker}\nwithout record`])
  })

  it('accepts what GitHub answers with CRLF or without the trailing new line as the same text', async () => {
    github.addPullRequest(OWNER, REPO, { number: 24, head: { sha: HEAD, ref: 'feature' }, base: { ref: 'main' } })
    const existing = github.addComment(OWNER, REPO, 24, { login: 'schema-promoter[bot]', body: `${marker}\nolder plan` })
    const { viewer } = await readPullRequest(app, issue(24), { reviews: false })
    github.injectFault(
      { method: 'PATCH', pathPattern: new RegExp(`/issues/comments/${existing.id}$`), after: true },
      { status: 200, body: { ...existing, body: `${signed}\n`.replace(/\n/g, '\r\n').trimEnd(), user: { login: 'x', id: viewer.id } } }
    )
    const result = await publishComment(app, issue(24), viewer, marker, () => `${signed}\n`, {
      limit: 65_536,
      log: log(),
      unsigned: () => 'never'
    })
    expect(result.url).toBeDefined()
    expect(github.comments(OWNER, REPO, 24).map((comment) => comment.body)).toEqual([`${signed}\n`])
  })
})

describe('a committed file, read as data', () => {
  it('reads the raw file at a commit, tells a directory and a missing file apart, and caps the size', async () => {
    github.addFile(OWNER, REPO, 'directus/snapshot.yaml', 'version: 1\n', { ref: HEAD })
    const read = (path: string, ref = HEAD, max = 1024) => readCommittedFile(actions, { owner: OWNER, repo: REPO }, path, ref, max)
    expect(await read('directus/snapshot.yaml')).toEqual({ kind: 'file', text: 'version: 1\n' })
    expect(await read('directus')).toEqual({ kind: 'not-a-file' })
    expect(await read('directus/other.yaml')).toEqual({ kind: 'missing' })
    expect(await read('directus/snapshot.yaml', 'c'.repeat(40))).toEqual({ kind: 'missing' })
    await expect(read('directus/snapshot.yaml', HEAD, 4)).rejects.toThrow(/larger than 0 MiB/)
  })
})
