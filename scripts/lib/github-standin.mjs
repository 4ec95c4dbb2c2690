// @ts-check
/**
 * A stand-in for the parts of the GitHub REST and GraphQL APIs this action
 * uses, served on loopback so end-to-end tests can run `dist/index.js` with
 * GITHUB_API_URL pointing here. Plain ESM, node builtins only; runs on Node
 * 20 and 24. docs/github-facts.md cites what each answer is modelled on.
 *
 * Routes (everything else: 404 {"message":"Not Found"}):
 *   GET    /user                                          (403 for installation tokens)
 *   GET    /repos/{owner}/{repo}/issues/{n}/comments      (per_page, page, since)
 *   POST   /repos/{owner}/{repo}/issues/{n}/comments      {body}
 *   GET    /repos/{owner}/{repo}/issues/comments/{id}
 *   PATCH  /repos/{owner}/{repo}/issues/comments/{id}     {body}
 *   DELETE /repos/{owner}/{repo}/issues/comments/{id}
 *   GET    /repos/{owner}/{repo}/issues                   (state, sort, direction, labels, creator, per_page, page;
 *                                                         pull requests are listed too, with a `pull_request` key)
 *   POST   /repos/{owner}/{repo}/issues                   {title, body, labels}
 *   GET    /repos/{owner}/{repo}/issues/{n}               (an issue, or a pull request as an issue)
 *   PATCH  /repos/{owner}/{repo}/issues/{n}               {title, body, state, state_reason, labels}
 *   GET    /repos/{owner}/{repo}/commits/{sha}/pulls      (per_page, page)
 *   GET    /repos/{owner}/{repo}/pulls/{n}
 *   GET    /repos/{owner}/{repo}/pulls/{n}/reviews        (per_page, page; chronological)
 *   GET    /repos/{owner}/{repo}/collaborators/{user}/permission
 *   GET    /repos/{owner}/{repo}/contents/{path}          (ref; Accept: application/vnd.github.raw)
 *   POST   /graphql                                       {query, variables}: viewer, repository.pullRequest
 *                                                         with latestOpinionatedReviews, rateLimit
 *   and the REST routes under /repositories/{repoId}/... too, the form
 *   GitHub itself uses in the URLs of its `Link` pagination headers.
 *
 * Every answer carries a `Date` header from the stand-in's clock (real time
 * unless a test sets it: see `clock`).
 *
 * Known, deliberate differences from github.com:
 *   - Comment length is checked as JS string length (UTF-16 code units);
 *     GitHub counts Unicode characters, so a body of astral characters
 *     (emoji) is rejected here sooner than on GitHub.
 *   - Only a comment's author may edit or delete it. On GitHub a token with
 *     write access to issues (GITHUB_TOKEN included) may edit anyone's.
 *   - Comments: any positive number that is neither a created issue nor a
 *     registered pull request accepts comments too, as if an issue existed.
 *   - Issue and pull request numbers share one sequence: a created issue
 *     gets the next number after every issue and pull request the stand-in
 *     knows.
 *   - Permissions: `canWrite: false` refuses comment writes; `issues`
 *     ('write' by default, 'read', 'none') is the token's `issues`
 *     permission: creating or editing an issue, and commenting on one, needs
 *     'write'; 'none' also refuses reading the issues of a private repository.
 *     Refusals are 403 "Resource not accessible by integration".
 *   - Issues disabled (`configureRepository(o, r, { hasIssues: false })`):
 *     every issue route answers 410 "Issues are disabled for this repo",
 *     the listing included (GitHub documents the 410 for create, get, update
 *     and the comment routes; for the listing it documents only 404).
 *     Pull requests and their comments keep working.
 *   - Rate-limit headers count down but are never enforced; inject a fault
 *     (see `faults`) to model a rate limit.
 *   - GraphQL is a small subset (scripts/lib/github-standin-graphql.mjs):
 *     no fragments or directives; error message texts are close to
 *     GitHub's but not a contract.
 *   - Which review states `latestOpinionatedReviews` counts is undocumented
 *     by GitHub: APPROVED and CHANGES_REQUESTED always, DISMISSED unless the
 *     option `dismissedIsOpinionated: false` says otherwise (test both).
 *   - A user who is not a collaborator gets permission "none" from the
 *     collaborator-permission endpoint, public repository or not (GitHub
 *     does not document the answer for non-collaborators).
 *   - Tokens see every repository; no per-repository installation scoping.
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import { FieldError, run as runGraphQL } from './github-standin-graphql.mjs'

const DOCS = 'https://docs.github.com/rest'
const MAX_BODY = 65536
const RATE_LIMIT = 5000
/** Contents API: the JSON form carries files up to this size (GitHub says "1 MB"). */
const CONTENTS_JSON_MAX = 1024 * 1024
/** Contents API: nothing above this is served (GitHub says "100 MB"). */
const CONTENTS_MAX = 100 * 1024 * 1024
const CONTENTS_DOC = 'https://docs.github.com/rest/repos/contents#get-repository-content'

/**
 * @typedef {'actions' | 'app' | 'pat'} TokenKind
 * @typedef {'write' | 'read' | 'none'} IssuesPermission
 * @typedef {{ login: string, id?: number, type?: 'User' | 'Bot', installation?: boolean, canWrite?: boolean, kind?: TokenKind, issues?: IssuesPermission }} TokenSpec
 * @typedef {{ port?: number, host?: string, tokens: Record<string, TokenSpec>, perPage?: number, now?: string | number | Date, dismissedIsOpinionated?: boolean }} StandinOptions
 * @typedef {'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'} Role
 * @typedef {'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED'} ReviewState
 * @typedef {{ id: number, seq: number, number: number, user: Identity, state: ReviewState, commit_id: string | null, submitted_at: string, body: string, author_association?: string }} StoredReview
 * @typedef {{ login: string, state: ReviewState, commit_id?: string | null, submitted_at?: string, body?: string, id?: number, type?: 'User' | 'Bot', author_association?: string }} ReviewSeed
 * @typedef {{ login: string, id: number, type: 'User' | 'Bot' }} Identity
 * @typedef {{ method: string, path: string, query: Record<string, string>, headers: Record<string, string | string[] | undefined>, body: unknown, status?: number, fault?: boolean }} RecordedRequest
 * @typedef {{ method?: string, pathPattern?: RegExp, times?: number, after?: boolean }} FaultMatcher
 * @typedef {{ status?: number, headers?: Record<string, string | number>, body?: unknown, destroy?: boolean, delayMs?: number }} Fault
 * @typedef {{ readonly remaining: number, readonly hits: number, cancel(): void }} FaultHandle
 * @typedef {{ status: number, headers?: Record<string, string | number>, body?: unknown, resource?: 'core' | 'graphql' }} Result
 * @typedef {{ id: number, owner: string, repo: string, issue: number, body: string, user: Identity, created_at: string, updated_at: string }} StoredComment
 * @typedef {{ number: number, state?: 'open' | 'closed', title?: string, body?: string | null, draft?: boolean, user?: { login: string, id?: number, type?: 'User' | 'Bot' }, head: { sha: string, ref: string, repo?: { owner: string, name: string } }, base: { ref: string, sha?: string }, merged_at?: string | null, merge_commit_sha?: string | null, created_at?: string, updated_at?: string, closed_at?: string | null }} PullRequestSeed
 * @typedef {{ id: number, number: number, title: string, body: string | null, user: Identity, state: 'open' | 'closed', state_reason: string | null, labels: string[], created_at: string, updated_at: string, closed_at: string | null }} StoredIssue
 * @typedef {{ id: number, owner: string, name: string, prs: Map<number, PullRequestSeed>, commits: Map<string, number[]>, private: boolean, defaultBranch: string, roles: Map<string, Role>, reviews: StoredReview[], files: Map<string, Map<string, Buffer>>, hasIssues: boolean, issues: Map<number, StoredIssue> }} Repo
 */

/** @param {Date} [d] */
const isoSeconds = (d = new Date()) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** @param {string} s */
const b64 = (s) => Buffer.from(s).toString('base64').replace(/=+$/, '')

/** @param {string} message @param {string} [doc] @param {number} [status] */
const error = (message, doc = DOCS, status) => ({
  message,
  documentation_url: doc,
  ...(status ? { status: String(status) } : {})
})

/** @param {number} status @param {string} message @param {string} [doc] @returns {Result} */
const fail = (status, message, doc) => ({ status, body: error(message, doc, status) })

const notFound = () => fail(404, 'Not Found')

/**
 * Ready-made fault responses shaped like GitHub's, for `injectFault`.
 */
export const faults = {
  /**
   * Primary rate limit exhausted: 403 (GitHub also uses 429) with
   * x-ratelimit-remaining: 0 and x-ratelimit-reset.
   * @param {{ status?: 403 | 429, resetInSeconds?: number }} [o]
   * @returns {Fault}
   */
  primaryRateLimit(o = {}) {
    const reset = Math.floor(Date.now() / 1000) + (o.resetInSeconds ?? 60)
    return {
      status: o.status ?? 403,
      headers: {
        'x-ratelimit-limit': RATE_LIMIT,
        'x-ratelimit-remaining': 0,
        'x-ratelimit-used': RATE_LIMIT,
        'x-ratelimit-reset': reset,
        'x-ratelimit-resource': 'core'
      },
      body: error(
        'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.',
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
        o.status ?? 403
      )
    }
  },
  /**
   * Secondary rate limit: 403 with retry-after (seconds).
   * @param {{ retryAfter?: number, status?: 403 | 429 }} [o]
   * @returns {Fault}
   */
  secondaryRateLimit(o = {}) {
    return {
      status: o.status ?? 403,
      headers: { 'retry-after': o.retryAfter ?? 1 },
      body: error(
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        o.status ?? 403
      )
    }
  },
  /**
   * 422 "body is too long", as GitHub answers a comment over its limit,
   * whatever the body's actual length.
   * @returns {Fault}
   */
  bodyTooLong() {
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY} characters)` }],
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '422'
      }
    }
  },
  /**
   * 410 Gone, as the issue endpoints answer in a repository whose issues are
   * disabled (documented 410 for list/create issue comments).
   * @returns {Fault}
   */
  gone() {
    return {
      status: 410,
      body: error('Issues are disabled for this repo', 'https://docs.github.com/rest/issues/comments#create-an-issue-comment', 410)
    }
  },
  /**
   * GraphQL primary rate limit: GitHub documents status 200, an error
   * message and x-ratelimit-remaining: 0. The error `type` has been seen as
   * RATE_LIMITED and, more recently, RATE_LIMIT with code graphql_rate_limit.
   * @param {{ type?: string, resetInSeconds?: number }} [o]
   * @returns {Fault}
   */
  graphqlRateLimit(o = {}) {
    const reset = Math.floor(Date.now() / 1000) + (o.resetInSeconds ?? 60)
    const type = o.type ?? 'RATE_LIMIT'
    return {
      status: 200,
      headers: {
        'x-ratelimit-limit': RATE_LIMIT,
        'x-ratelimit-remaining': 0,
        'x-ratelimit-used': RATE_LIMIT,
        'x-ratelimit-reset': reset,
        'x-ratelimit-resource': 'graphql'
      },
      body: {
        errors: [
          {
            type,
            ...(type === 'RATE_LIMIT' ? { code: 'graphql_rate_limit' } : {}),
            message: 'API rate limit already exceeded for user ID 1.'
          }
        ]
      }
    }
  },
  /**
   * A 5xx. Combine with `{ after: true }` to model "stored, then failed".
   * @param {number} [status]
   * @returns {Fault}
   */
  serverError(status = 502) {
    return status === 502
      ? { status, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Server Error</h1></body></html>' }
      : { status, body: { message: 'Server Error' } }
  }
}

/**
 * Start the stand-in on loopback.
 * @param {StandinOptions} options
 */
export async function startGitHubStandin(options) {
  const defaultPerPage = Math.min(Math.max(1, options.perPage ?? 30), 100)
  const dismissedIsOpinionated = options.dismissedIsOpinionated ?? true

  // The clock behind Date headers and default timestamps: real time, or a
  // time a test set (it then stands still until set or advanced again).
  /** @type {number | undefined} */
  let frozenMs
  /** @param {string | number | Date} t */
  const toMs = (t) => {
    const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t)
    if (!Number.isFinite(ms)) throw new Error(`github-standin: not a time: ${String(t)}`)
    return ms
  }
  if (options.now !== undefined) frozenMs = toMs(options.now)
  const nowMs = () => frozenMs ?? Date.now()
  const nowIso = () => isoSeconds(new Date(nowMs()))

  /** @type {Map<string, Identity & { installation: boolean, canWrite: boolean, kind: TokenKind, issues: IssuesPermission }>} */
  const tokens = new Map()
  /** @type {Map<string, Identity>} */
  const users = new Map()
  let nextUserId = 1000001
  /** @param {string} login @param {number} [id] @param {'User' | 'Bot'} [type] @returns {Identity} */
  const identity = (login, id, type) => {
    const known = users.get(login.toLowerCase())
    if (known && id === undefined && type === undefined) return known
    const ident = {
      login,
      id: id ?? known?.id ?? (login === 'github-actions[bot]' ? 41898282 : nextUserId++),
      type: type ?? known?.type ?? (login.endsWith('[bot]') ? 'Bot' : 'User')
    }
    users.set(login.toLowerCase(), ident)
    return ident
  }
  for (const [token, spec] of Object.entries(options.tokens)) {
    // kind: 'actions' is GITHUB_TOKEN, 'app' a GitHub App installation token,
    // 'pat' a user's token. Without it, `installation: true` means 'actions'
    // for github-actions[bot] and 'app' for any other login.
    const installation = spec.installation ?? (spec.kind !== undefined && spec.kind !== 'pat')
    /** @type {TokenKind} */
    const kind = spec.kind ?? (installation ? (spec.login === 'github-actions[bot]' ? 'actions' : 'app') : 'pat')
    if (installation !== (kind !== 'pat')) throw new Error(`github-standin: token ${spec.login}: installation ${installation} contradicts kind ${kind}`)
    if (kind !== 'pat' && !spec.login.endsWith('[bot]')) throw new Error(`github-standin: an installation token acts as a bot; its login ends in [bot], not ${spec.login}`)
    tokens.set(token, {
      ...identity(spec.login, spec.id, spec.type),
      installation,
      canWrite: spec.canWrite ?? true,
      issues: spec.issues ?? 'write',
      kind
    })
  }

  /** @type {Map<string, Repo>} */
  const repos = new Map()
  /** @type {Map<number, Repo>} */
  const reposById = new Map()
  let nextRepoId = 700000001
  /** @param {string} owner @param {string} name */
  const repoOf = (owner, name) => {
    const key = `${owner}/${name}`.toLowerCase()
    let r = repos.get(key)
    if (!r) {
      r = {
        id: nextRepoId++,
        owner,
        name,
        prs: new Map(),
        commits: new Map(),
        private: false,
        defaultBranch: 'main',
        roles: new Map(),
        reviews: [],
        files: new Map(),
        hasIssues: true,
        issues: new Map()
      }
      repos.set(key, r)
      reposById.set(r.id, r)
    }
    return r
  }

  /** @type {Map<number, StoredComment>} */
  const comments = new Map()
  let nextReviewId = 4000000001 // past 2^31, like GitHub's
  let reviewSeq = 0
  let nextCommentId = 3000000001 // past 2^31, like GitHub's
  let nextIssueId = 2000000001

  /** @type {RecordedRequest[]} */
  const requests = []
  /** @type {Array<{ matcher: FaultMatcher, fault: Fault, remaining: number, hits: number }>} */
  let faultList = []
  /** @type {Map<string, { used: number, windowStart: number }>} */
  const rate = new Map()
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set()
  let requestSeq = 0
  let base = ''

  /** @param {Identity} u */
  const userJson = (u) => ({
    login: u.login,
    id: u.id,
    node_id: (u.type === 'Bot' ? 'BOT_kgDO' : 'U_kgDO') + b64(String(u.id)),
    avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
    gravatar_id: '',
    url: `${base}/users/${encodeURIComponent(u.login)}`,
    html_url: u.type === 'Bot' ? `https://github.com/apps/${u.login.replace(/\[bot\]$/, '')}` : `https://github.com/${u.login}`,
    type: u.type,
    site_admin: false
  })

  /** @param {StoredComment} c */
  const commentJson = (c) => {
    const r = repoOf(c.owner, c.repo)
    return {
      id: c.id,
      node_id: 'IC_kwDO' + b64(`${r.id}:${c.id}`),
      url: `${base}/repos/${r.owner}/${r.name}/issues/comments/${c.id}`,
      html_url: `https://github.com/${r.owner}/${r.name}/${r.issues.has(c.issue) ? 'issues' : 'pull'}/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${base}/repos/${r.owner}/${r.name}/issues/${c.issue}`,
      body: c.body,
      user: userJson(c.user),
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
      performed_via_github_app: null,
      reactions: {
        url: `${base}/repos/${r.owner}/${r.name}/issues/comments/${c.id}/reactions`,
        total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0
      }
    }
  }


  /** Deterministic label objects, as issues carry them. @param {Repo} r @param {string} name */
  const labelJson = (r, name) => {
    const id = Number.parseInt(createHash('sha1').update(`${r.id}:${name}`).digest('hex').slice(0, 8), 16)
    return {
      id,
      node_id: 'LA_kwDO' + b64(String(id)),
      url: `${base}/repos/${r.owner}/${r.name}/labels/${encodeURIComponent(name)}`,
      name,
      color: 'ededed',
      default: false,
      description: null
    }
  }

  /** @param {Repo} r @param {number} number */
  const commentCount = (r, number) => [...comments.values()].filter((c) => c.issue === number && repoOf(c.owner, c.repo) === r).length

  /** An issue as the issues API shows it. @param {Repo} r @param {StoredIssue} i */
  const issueJson = (r, i) => {
    const api = `${base}/repos/${r.owner}/${r.name}/issues/${i.number}`
    return {
      url: api,
      repository_url: `${base}/repos/${r.owner}/${r.name}`,
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `https://github.com/${r.owner}/${r.name}/issues/${i.number}`,
      id: i.id,
      node_id: 'I_kwDO' + b64(`${r.id}:${i.number}`),
      number: i.number,
      title: i.title,
      user: userJson(i.user),
      labels: i.labels.map((name) => labelJson(r, name)),
      state: i.state,
      state_reason: i.state_reason,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: commentCount(r, i.number),
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      author_association: associationOf(r, i.user),
      active_lock_reason: null,
      body: i.body,
      performed_via_github_app: null
    }
  }

  /** A pull request as the issues API shows it: an issue with a `pull_request` key. @param {Repo} r @param {PullRequestSeed} pr */
  const pullAsIssueJson = (r, pr) => {
    const pull = pullJson(r, pr)
    return {
      url: pull.issue_url,
      repository_url: `${base}/repos/${r.owner}/${r.name}`,
      labels_url: `${pull.issue_url}/labels{/name}`,
      comments_url: pull.comments_url,
      events_url: `${pull.issue_url}/events`,
      html_url: pull.html_url,
      id: pull.id,
      node_id: pull.node_id,
      number: pr.number,
      title: pull.title,
      user: pull.user,
      labels: [],
      state: pull.state,
      state_reason: null,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: commentCount(r, pr.number),
      created_at: pull.created_at,
      updated_at: pull.updated_at,
      closed_at: pull.closed_at,
      author_association: pull.author_association,
      active_lock_reason: null,
      draft: pull.draft,
      pull_request: {
        url: pull.url,
        html_url: pull.html_url,
        diff_url: pull.diff_url,
        patch_url: pull.patch_url,
        merged_at: pull.merged_at
      },
      body: pull.body,
      performed_via_github_app: null
    }
  }

  /** The next issue or pull request number: they share one sequence. @param {Repo} r */
  const nextIssueNumber = (r) => Math.max(0, ...r.prs.keys(), ...r.issues.keys()) + 1

  const issuesDisabled = () => fail(410, 'Issues are disabled for this repo', 'https://docs.github.com/rest/issues/issues')

  /** @param {{ installation: boolean }} who */
  const issuesForbidden = (who) =>
    fail(
      403,
      who.installation ? 'Resource not accessible by integration' : 'Resource not accessible by personal access token',
      'https://docs.github.com/rest/issues/issues'
    )

  /** Labels as a request gives them: names, or objects with a name. @param {unknown} value @returns {string[] | undefined} */
  const labelNames = (value) => {
    if (!Array.isArray(value)) return undefined
    const names = value.map((entry) => (typeof entry === 'string' ? entry : entry && typeof entry === 'object' ? /** @type {any} */ (entry).name : undefined))
    return names.every((name) => typeof name === 'string' && name !== '') ? [...new Set(/** @type {string[]} */ (names))] : undefined
  }

  /** @param {unknown} body @param {boolean} creating @returns {Result | { title?: string, body?: string | null, state?: 'open' | 'closed', state_reason?: string | null, labels?: string[] }} */
  const validateIssue = (body, creating) => {
    const doc = 'https://docs.github.com/rest/issues/issues#create-an-issue'
    const b = body && typeof body === 'object' ? /** @type {Record<string, unknown>} */ (body) : {}
    const invalid = (/** @type {string} */ field, /** @type {string} */ code) => ({
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'Issue', code, field }], documentation_url: doc, status: '422' }
    })
    if (creating && (typeof b.title !== 'string' || b.title.trim() === '')) return invalid('title', 'missing_field')
    if (b.title !== undefined && typeof b.title !== 'string') return invalid('title', 'invalid')
    if (b.body !== undefined && b.body !== null && typeof b.body !== 'string') return invalid('body', 'invalid')
    if (typeof b.body === 'string' && b.body.length > MAX_BODY) {
      return {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: `body is too long (maximum is ${MAX_BODY} characters)` }],
          documentation_url: doc,
          status: '422'
        }
      }
    }
    if (b.state !== undefined && b.state !== 'open' && b.state !== 'closed') return invalid('state', 'invalid')
    if (b.state_reason !== undefined && b.state_reason !== null && !['completed', 'not_planned', 'reopened'].includes(String(b.state_reason))) {
      return invalid('state_reason', 'invalid')
    }
    const labels = b.labels === undefined ? undefined : labelNames(b.labels)
    if (b.labels !== undefined && labels === undefined) return invalid('labels', 'invalid')
    return {
      ...(typeof b.title === 'string' ? { title: b.title } : {}),
      ...(b.body !== undefined ? { body: /** @type {string | null} */ (b.body) } : {}),
      ...(b.state !== undefined ? { state: /** @type {'open' | 'closed'} */ (b.state) } : {}),
      ...(b.state_reason !== undefined ? { state_reason: /** @type {string | null} */ (b.state_reason) } : {}),
      ...(labels !== undefined ? { labels } : {})
    }
  }

  /** A state change as GitHub records it: closed_at and state_reason follow state. @param {StoredIssue} i @param {ReturnType<typeof validateIssue> & object} patch */
  const patchIssue = (i, patch) => {
    const p = /** @type {{ title?: string, body?: string | null, state?: 'open' | 'closed', state_reason?: string | null, labels?: string[] }} */ (patch)
    if (p.title !== undefined) i.title = p.title
    if (p.body !== undefined) i.body = p.body
    if (p.labels !== undefined) i.labels = p.labels
    if (p.state !== undefined && p.state !== i.state) {
      i.state = p.state
      i.closed_at = p.state === 'closed' ? nowIso() : null
      i.state_reason = p.state === 'closed' ? (p.state_reason ?? 'completed') : 'reopened'
    } else if (p.state_reason !== undefined && i.state === 'closed') {
      i.state_reason = p.state_reason
    }
    i.updated_at = nowIso()
  }

  /** A user's role on a repository: what tests set, else 'none'. @param {Repo} r @param {string} login @returns {Role} */
  const roleOf = (r, login) => r.roles.get(login.toLowerCase()) ?? 'none'
  /** @param {Role} role */
  const canPush = (role) => role === 'admin' || role === 'maintain' || role === 'write'
  /** REST author_association, as far as the stand-in models it. @param {Repo} r @param {Identity} who */
  const associationOf = (r, who) =>
    who.login.toLowerCase() === r.owner.toLowerCase() ? 'OWNER' : roleOf(r, who.login) !== 'none' ? 'COLLABORATOR' : 'NONE'

  /** @param {Repo} r @param {boolean} [fork] */
  const repoJson = (r, fork = false) => ({
    id: r.id,
    node_id: 'R_kgDO' + b64(String(r.id)),
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: userJson(identity(r.owner)),
    private: r.private,
    fork,
    html_url: `https://github.com/${r.owner}/${r.name}`,
    url: `${base}/repos/${r.owner}/${r.name}`,
    default_branch: r.defaultBranch
  })

  /** @param {Repo} r @param {PullRequestSeed} pr */
  const pullJson = (r, pr) => {
    const api = `${base}/repos/${r.owner}/${r.name}`
    const author = identity(pr.user?.login ?? 'octocat', pr.user?.id, pr.user?.type)
    const baseRepo = repoJson(r)
    const headRepo = pr.head.repo ? repoJson(repoOf(pr.head.repo.owner, pr.head.repo.name), true) : baseRepo
    const created = pr.created_at ?? nowIso()
    const mergedAt = pr.merged_at ?? null
    return {
      url: `${api}/pulls/${pr.number}`,
      id: r.id * 1000 + pr.number,
      node_id: 'PR_kwDO' + b64(`${r.id}:${pr.number}`),
      html_url: `https://github.com/${r.owner}/${r.name}/pull/${pr.number}`,
      diff_url: `https://github.com/${r.owner}/${r.name}/pull/${pr.number}.diff`,
      patch_url: `https://github.com/${r.owner}/${r.name}/pull/${pr.number}.patch`,
      issue_url: `${api}/issues/${pr.number}`,
      comments_url: `${api}/issues/${pr.number}/comments`,
      number: pr.number,
      state: pr.state ?? (mergedAt ? 'closed' : 'open'),
      locked: false,
      title: pr.title ?? `Pull request #${pr.number}`,
      user: userJson(author),
      body: pr.body ?? null,
      created_at: created,
      updated_at: pr.updated_at ?? mergedAt ?? created,
      closed_at: pr.closed_at ?? mergedAt,
      merged_at: mergedAt,
      merge_commit_sha: pr.merge_commit_sha ?? null,
      draft: pr.draft ?? false,
      head: {
        label: `${headRepo.owner.login}:${pr.head.ref}`,
        ref: pr.head.ref,
        sha: pr.head.sha,
        user: headRepo.owner,
        repo: headRepo
      },
      base: {
        label: `${r.owner}:${pr.base.ref}`,
        ref: pr.base.ref,
        sha: pr.base.sha ?? '0'.repeat(40),
        user: baseRepo.owner,
        repo: baseRepo
      },
      author_association: associationOf(r, author),
      auto_merge: null,
      active_lock_reason: null
    }
  }

  /**
   * Slice `items` per GitHub's page/per_page rules and build the Link header.
   * @template T
   * @param {T[]} items @param {URL} url @param {string} linkPath
   * @returns {Result}
   */
  const paginate = (items, url, linkPath) => {
    const pp = Number.parseInt(url.searchParams.get('per_page') ?? '', 10)
    const perPage = Number.isFinite(pp) && pp > 0 ? Math.min(pp, 100) : defaultPerPage
    const pg = Number.parseInt(url.searchParams.get('page') ?? '', 10)
    const page = Number.isFinite(pg) && pg > 0 ? pg : 1
    const last = Math.max(1, Math.ceil(items.length / perPage))
    /** @param {number} p */
    const link = (p) => {
      const q = new URLSearchParams(url.searchParams)
      q.set('page', String(p))
      return `<${base}${linkPath}?${q.toString()}>`
    }
    /** @type {string[]} */
    const rels = []
    if (page > 1) rels.push(`${link(Math.min(page - 1, last))}; rel="prev"`)
    if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`)
    if (page > 1) rels.push(`${link(1)}; rel="first"`)
    return {
      status: 200,
      headers: rels.length ? { link: rels.join(', ') } : {},
      body: items.slice((page - 1) * perPage, page * perPage)
    }
  }

  /** @param {unknown} body @returns {Result | string} a failure, or the comment body */
  const validateBody = (body) => {
    const doc = 'https://docs.github.com/rest/issues/comments#create-an-issue-comment'
    const text = body && typeof body === 'object' ? /** @type {Record<string, unknown>} */ (body).body : undefined
    if (text === undefined || text === null) {
      return fail(422, "Invalid request.\n\nFor 'links/0/schema', nil is not an object.", doc)
    }
    if (typeof text !== 'string') {
      return fail(422, `Invalid request.\n\nFor 'properties/body', ${JSON.stringify(text)} is not a string.`, doc)
    }
    if (text.trim() === '') {
      return {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
          documentation_url: doc,
          status: '422'
        }
      }
    }
    // NB: JS length counts UTF-16 code units; GitHub counts Unicode characters.
    if (text.length > MAX_BODY) {
      return {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'IssueComment',
              code: 'custom',
              field: 'body',
              message: `body is too long (maximum is ${MAX_BODY} characters)`
            }
          ],
          documentation_url: doc,
          status: '422'
        }
      }
    }
    return text
  }

  /** @param {{ installation: boolean }} who */
  const forbidden = (who) =>
    fail(
      403,
      who.installation ? 'Resource not accessible by integration' : 'Resource not accessible by personal access token',
      'https://docs.github.com/rest/issues/comments'
    )

  /**
   * The real handler: returns what GitHub would answer, mutating state.
   * @param {string} method @param {URL} url @param {string | undefined} auth @param {unknown} body
   * @param {Record<string, string | string[] | undefined>} [reqHeaders]
   * @returns {Result}
   */
  const handle = (method, url, auth, body, reqHeaders = {}) => {
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(auth ?? '')
    const who = m?.[1] !== undefined ? tokens.get(m[1]) : undefined
    if (!who) return fail(401, 'Bad credentials')

    let path = url.pathname.replace(/\/+$/, '') || '/'
    const alias = /^\/repositories\/(\d+)(\/.*)?$/.exec(path)
    if (alias) {
      const r = reposById.get(Number(alias[1]))
      if (!r) return notFound()
      path = `/repos/${r.owner}/${r.name}${alias[2] ?? ''}`
    }
    const seg = path.split('/').slice(1).map((s) => {
      try {
        return decodeURIComponent(s)
      } catch {
        return s
      }
    })

    if (path === '/user' && method === 'GET') {
      if (who.installation) {
        return fail(403, 'Resource not accessible by integration', 'https://docs.github.com/rest/users/users#get-the-authenticated-user')
      }
      return { status: 200, body: { ...userJson(who), name: null, email: null } }
    }

    if (path === '/graphql' && method === 'POST') return graphql(who, auth, body)

    if (seg[0] !== 'repos' || seg.length < 4 || !seg[1] || !seg[2]) return notFound()
    const owner = /** @type {string} */ (seg[1])
    const name = /** @type {string} */ (seg[2])
    const rest = seg.slice(3)
    const positive = (/** @type {string | undefined} */ s) => (s && /^[1-9]\d*$/.test(s) ? Number(s) : undefined)

    // /repos/o/r/issues
    if (rest.length === 1 && rest[0] === 'issues') {
      const r = repoOf(owner, name)
      if (!r.hasIssues) return issuesDisabled()
      if (method === 'GET') {
        if (who.issues === 'none' && r.private) return issuesForbidden(who)
        const state = url.searchParams.get('state') ?? 'open'
        if (!['open', 'closed', 'all'].includes(state)) return fail(422, 'Validation Failed')
        const labels = (url.searchParams.get('labels') ?? '').split(',').map((l) => l.trim()).filter(Boolean)
        const creator = url.searchParams.get('creator')
        const sort = url.searchParams.get('sort') === 'updated' ? 'updated_at' : 'created_at'
        const direction = url.searchParams.get('direction') === 'asc' ? 1 : -1
        const all = [...[...r.issues.values()].map((i) => issueJson(r, i)), ...[...r.prs.values()].map((pr) => pullAsIssueJson(r, pr))]
        const list = all
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => labels.every((label) => i.labels.some((l) => l.name.toLowerCase() === label.toLowerCase())))
          .filter((i) => !creator || i.user.login.toLowerCase() === creator.toLowerCase())
          .sort((a, b) => direction * (Date.parse(a[sort] ?? '') - Date.parse(b[sort] ?? '') || a.number - b.number))
        return paginate(list, url, `/repositories/${r.id}/issues`)
      }
      if (method === 'POST') {
        if (who.issues !== 'write') return issuesForbidden(who)
        const valid = validateIssue(body, true)
        if ('status' in valid) return /** @type {Result} */ (valid)
        const now = nowIso()
        /** @type {StoredIssue} */
        const i = {
          id: nextIssueId++,
          number: nextIssueNumber(r),
          title: /** @type {string} */ (valid.title),
          body: valid.body ?? null,
          user: who,
          state: 'open',
          state_reason: null,
          labels: valid.labels ?? [],
          created_at: now,
          updated_at: now,
          closed_at: null
        }
        r.issues.set(i.number, i)
        const json = issueJson(r, i)
        return { status: 201, headers: { location: json.url }, body: json }
      }
      return notFound()
    }

    // /repos/o/r/issues/{n}
    if (rest.length === 2 && rest[0] === 'issues' && positive(rest[1]) !== undefined) {
      const r = repoOf(owner, name)
      const n = /** @type {number} */ (positive(rest[1]))
      const issue = r.issues.get(n)
      const pr = r.prs.get(n)
      if (!issue && pr) {
        if (method === 'GET') return { status: 200, body: pullAsIssueJson(r, pr) }
        return notFound()
      }
      if (!r.hasIssues) return issuesDisabled()
      if (!issue) return notFound()
      if (method === 'GET') {
        if (who.issues === 'none' && r.private) return issuesForbidden(who)
        return { status: 200, body: issueJson(r, issue) }
      }
      if (method === 'PATCH') {
        if (who.issues !== 'write') return issuesForbidden(who)
        const valid = validateIssue(body, false)
        if ('status' in valid) return /** @type {Result} */ (valid)
        patchIssue(issue, valid)
        return { status: 200, body: issueJson(r, issue) }
      }
      return notFound()
    }

    // /repos/o/r/issues/{n}/comments
    if (rest.length === 3 && rest[0] === 'issues' && rest[2] === 'comments') {
      const issue = positive(rest[1])
      if (issue === undefined) return notFound()
      const r = repoOf(owner, name)
      const onIssue = r.issues.has(issue)
      if (onIssue && !r.hasIssues) return issuesDisabled()
      if (method === 'GET') {
        const since = url.searchParams.get('since')
        const sinceMs = since ? Date.parse(since) : NaN
        const list = [...comments.values()]
          .filter((c) => c.issue === issue && repoOf(c.owner, c.repo) === r)
          .filter((c) => Number.isNaN(sinceMs) || Date.parse(c.updated_at) >= sinceMs)
          .map(commentJson)
        return paginate(list, url, `/repositories/${r.id}/issues/${issue}/comments`)
      }
      if (method === 'POST') {
        if (onIssue ? who.issues !== 'write' : !who.canWrite) return forbidden(who)
        const text = validateBody(body)
        if (typeof text !== 'string') return text
        const now = nowIso()
        /** @type {StoredComment} */
        const c = { id: nextCommentId++, owner: r.owner, repo: r.name, issue, body: text, user: who, created_at: now, updated_at: now }
        comments.set(c.id, c)
        const json = commentJson(c)
        return { status: 201, headers: { location: json.url }, body: json }
      }
      return notFound()
    }

    // /repos/o/r/issues/comments/{id}
    if (rest.length === 3 && rest[0] === 'issues' && rest[1] === 'comments') {
      const id = positive(rest[2])
      const c = id === undefined ? undefined : comments.get(id)
      if (!c || repoOf(c.owner, c.repo) !== repoOf(owner, name)) return notFound()
      if (method === 'GET') return { status: 200, body: commentJson(c) }
      if (method === 'PATCH' || method === 'DELETE') {
        const onIssue = repoOf(c.owner, c.repo).issues.has(c.issue)
        if (onIssue && !repoOf(c.owner, c.repo).hasIssues) return issuesDisabled()
        if ((onIssue ? who.issues !== 'write' : !who.canWrite) || c.user.id !== who.id) return forbidden(who)
        if (method === 'DELETE') {
          comments.delete(c.id)
          return { status: 204 }
        }
        const text = validateBody(body)
        if (typeof text !== 'string') return text
        c.body = text
        c.updated_at = nowIso()
        return { status: 200, body: commentJson(c) }
      }
      return notFound()
    }

    // /repos/o/r/commits/{sha}/pulls
    if (rest.length === 3 && rest[0] === 'commits' && rest[2] === 'pulls' && method === 'GET') {
      const r = repoOf(owner, name)
      const sha = String(rest[1]).toLowerCase()
      /** @type {number[]} */
      const numbers = []
      for (const [k, nums] of r.commits) if (k === sha || (sha.length >= 7 && k.startsWith(sha))) numbers.push(...nums)
      for (const pr of r.prs.values()) {
        if (pr.head.sha.toLowerCase() === sha || pr.merge_commit_sha?.toLowerCase() === sha) numbers.push(pr.number)
      }
      const list = [...new Set(numbers)].flatMap((n) => {
        const pr = r.prs.get(n)
        return pr ? [pullJson(r, pr)] : []
      })
      return paginate(list, url, `/repositories/${r.id}/commits/${rest[1]}/pulls`)
    }

    // /repos/o/r/pulls/{n}
    if (rest.length === 2 && rest[0] === 'pulls' && method === 'GET') {
      const r = repoOf(owner, name)
      const n = positive(rest[1])
      const pr = n === undefined ? undefined : r.prs.get(n)
      if (!pr) return notFound()
      const json = pullJson(r, pr)
      return {
        status: 200,
        body: { ...json, merged: json.merged_at !== null, mergeable: null, comments: 0, commits: 1, additions: 0, deletions: 0, changed_files: 0 }
      }
    }

    // /repos/o/r/pulls/{n}/reviews
    if (rest.length === 3 && rest[0] === 'pulls' && rest[2] === 'reviews' && method === 'GET') {
      const r = repoOf(owner, name)
      const n = positive(rest[1])
      if (n === undefined || !r.prs.has(n)) return notFound()
      const list = chronological(r.reviews.filter((v) => v.number === n)).map((v) => reviewJson(r, v))
      return paginate(list, url, `/repositories/${r.id}/pulls/${n}/reviews`)
    }

    // /repos/o/r/collaborators/{user}/permission
    if (rest.length === 3 && rest[0] === 'collaborators' && rest[2] === 'permission' && method === 'GET') {
      const r = repoOf(owner, name)
      const u = users.get(String(rest[1]).toLowerCase())
      if (!u) return notFound()
      const role = roleOf(r, u.login)
      return {
        status: 200,
        body: {
          // The legacy base roles: maintain reads as write, triage as read.
          permission: role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role,
          role_name: role,
          user: { ...userJson(u), permissions: permissionsOf(role), role_name: role }
        }
      }
    }

    // /repos/o/r/contents/{path}
    if (rest[0] === 'contents' && method === 'GET') {
      const r = repos.get(`${owner}/${name}`.toLowerCase())
      if (!r) return notFound()
      return contents(r, rest.slice(1).join('/'), url.searchParams.get('ref') || r.defaultBranch, reqHeaders.accept)
    }

    return notFound()
  }

  /** @param {Role} role */
  const permissionsOf = (role) => ({
    admin: role === 'admin',
    maintain: role === 'admin' || role === 'maintain',
    push: canPush(role),
    triage: canPush(role) || role === 'triage',
    pull: role !== 'none'
  })

  /** Reviews in the order GitHub lists them: by submission, then by creation. @param {StoredReview[]} list */
  const chronological = (list) =>
    [...list].sort((a, b) => Date.parse(a.submitted_at) - Date.parse(b.submitted_at) || a.seq - b.seq)

  /** @param {Repo} r @param {StoredReview} v */
  const reviewJson = (r, v) => {
    const html = `https://github.com/${r.owner}/${r.name}/pull/${v.number}#pullrequestreview-${v.id}`
    const pr = `${base}/repos/${r.owner}/${r.name}/pulls/${v.number}`
    return {
      id: v.id,
      node_id: 'PRR_kwDO' + b64(`${r.id}:${v.id}`),
      user: userJson(v.user),
      body: v.body,
      state: v.state,
      html_url: html,
      pull_request_url: pr,
      author_association: v.author_association ?? associationOf(r, v.user),
      _links: { html: { href: html }, pull_request: { href: pr } },
      submitted_at: v.submitted_at,
      commit_id: v.commit_id
    }
  }

  /** Refs are matched as given; 40-hex shas case-insensitively. @param {string} ref */
  const refKey = (ref) => (/^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : ref)

  /** git's blob id for `buf`. @param {Buffer} buf */
  const blobSha = (buf) => createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex')

  /** @param {string} p */
  const encodePath = (p) => p.split('/').map(encodeURIComponent).join('/')

  /** @param {Repo} r @param {string} ref @param {string} p @param {'file' | 'dir'} type @param {Buffer | undefined} buf */
  const entryJson = (r, ref, p, type, buf) => {
    const sha = buf ? blobSha(buf) : createHash('sha1').update(`tree:${ref}:${p}`).digest('hex')
    const self = `${base}/repos/${r.owner}/${r.name}/contents/${encodePath(p)}?ref=${encodeURIComponent(ref)}`
    const git = `${base}/repos/${r.owner}/${r.name}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`
    const html = `https://github.com/${r.owner}/${r.name}/${type === 'file' ? 'blob' : 'tree'}/${ref}/${p}`
    return {
      type,
      size: buf ? buf.length : 0,
      name: p.split('/').pop() ?? '',
      path: p,
      sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url: type === 'file' ? `https://raw.githubusercontent.com/${r.owner}/${r.name}/${ref}/${p}` : null,
      _links: { self, git, html }
    }
  }

  /**
   * GET contents: a file (raw, object or JSON form) or a directory listing.
   * @param {Repo} r @param {string} rawPath @param {string} ref @param {string | string[] | undefined} accept
   * @returns {Result}
   */
  const contents = (r, rawPath, ref, accept) => {
    const tree = r.files.get(refKey(ref))
    if (!tree) return fail(404, `No commit found for the ref ${ref}`, CONTENTS_DOC)
    const p = rawPath.replace(/^\/+|\/+$/g, '')
    const acc = (Array.isArray(accept) ? accept.join(',') : accept ?? '').toLowerCase()
    const raw = /application\/vnd\.github(?:\.v3)?\.raw/.exec(acc)
    const object = /application\/vnd\.github(?:\.v3)?\.object/.test(acc)
    const buf = tree.get(p)
    if (buf) {
      const tooLarge = (/** @type {number} */ limit) => ({
        status: 403,
        body: {
          message: `This API returns blobs up to ${limit === CONTENTS_MAX ? 100 : 1} MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.`,
          errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }],
          documentation_url: CONTENTS_DOC,
          status: '403'
        }
      })
      if (buf.length > CONTENTS_MAX) return tooLarge(CONTENTS_MAX)
      if (raw) {
        return {
          status: 200,
          headers: {
            'content-type': `${raw[0]}; charset=utf-8`,
            'x-github-media-type': 'github.v3; param=raw'
          },
          body: buf
        }
      }
      const fits = buf.length <= CONTENTS_JSON_MAX
      if (!fits && !object) return tooLarge(CONTENTS_JSON_MAX)
      return {
        status: 200,
        body: {
          ...entryJson(r, ref, p, 'file', buf),
          content: fits ? (buf.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + (buf.length ? '\n' : '') : '',
          encoding: fits ? 'base64' : 'none'
        }
      }
    }
    const prefix = p === '' ? '' : `${p}/`
    /** @type {Map<string, 'file' | 'dir'>} */
    const children = new Map()
    for (const f of tree.keys()) {
      if (!f.startsWith(prefix)) continue
      const [head, ...more] = f.slice(prefix.length).split('/')
      if (head) children.set(prefix + head, more.length ? 'dir' : 'file')
    }
    if (children.size === 0) return fail(404, 'Not Found', CONTENTS_DOC)
    // Directories have no raw form: the listing comes back as JSON whatever the Accept.
    const entries = [...children]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, type]) => entryJson(r, ref, path, type, type === 'file' ? tree.get(path) : undefined))
    return {
      status: 200,
      body: object ? { ...entryJson(r, ref, p, 'dir', undefined), entries } : entries
    }
  }

  // ---- GraphQL ----------------------------------------------------------

  /** @param {string} s */
  const cursorOf = (s) => Buffer.from(`cursor:v2:${s}`).toString('base64')
  /** @param {unknown} c */
  const indexOfCursor = (c) => {
    if (typeof c !== 'string') return undefined
    const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(c, 'base64').toString('utf8'))
    return m ? Number(m[1]) : undefined
  }

  /**
   * The latest opinionated review of each author on a pull request, oldest
   * first. Which states count is not documented by GitHub: see the header.
   * @param {Repo} r @param {number} n @param {boolean} writersOnly
   */
  const latestOpinionated = (r, n, writersOnly) => {
    const counted = new Set(['APPROVED', 'CHANGES_REQUESTED', ...(dismissedIsOpinionated ? ['DISMISSED'] : [])])
    /** @type {Map<number, StoredReview>} */
    const latest = new Map()
    for (const v of chronological(r.reviews.filter((x) => x.number === n))) if (counted.has(v.state)) latest.set(v.user.id, v)
    return chronological([...latest.values()]).filter((v) => !writersOnly || canPush(roleOf(r, v.user.login)))
  }

  /**
   * A connection page per GraphQL's cursor rules (first/after, last/before).
   * @template T
   * @param {T[]} all @param {Record<string, any>} a @param {string} field
   */
  const connection = (all, a, field) => {
    for (const k of ['first', 'last']) {
      if (a[k] !== null && a[k] !== undefined && (a[k] < 0 || a[k] > 100)) {
        throw new FieldError(
          'EXCESSIVE_PAGINATION',
          `Requesting ${a[k]} records on the \`${field}\` connection exceeds the \`${k}\` limit of 100 records.`
        )
      }
    }
    if ((a.first === null || a.first === undefined) && (a.last === null || a.last === undefined)) {
      throw new FieldError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`)
    }
    let start = 0
    let end = all.length
    for (const [k, apply] of /** @type {const} */ ([
      ['after', (/** @type {number} */ i) => (start = Math.max(start, i + 1))],
      ['before', (/** @type {number} */ i) => (end = Math.min(end, i))]
    ])) {
      if (a[k] === null || a[k] === undefined) continue
      const i = indexOfCursor(a[k])
      if (i === undefined) throw new FieldError('INVALID_CURSOR_ARGUMENTS', `\`${a[k]}\` does not appear to be a valid cursor.`)
      apply(i)
    }
    let from = start
    let to = Math.max(start, end)
    if (typeof a.first === 'number') to = Math.min(to, from + a.first)
    if (typeof a.last === 'number') from = Math.max(from, to - a.last)
    const items = all.slice(from, to).map((node, k) => ({ node, cursor: cursorOf(String(from + k)) }))
    return {
      items,
      totalCount: all.length,
      pageInfo: {
        hasNextPage: typeof a.first === 'number' && to < end,
        hasPreviousPage: typeof a.last === 'number' && from > start,
        startCursor: items[0]?.cursor ?? null,
        endCursor: items.at(-1)?.cursor ?? null
      }
    }
  }

  /** The legacy-free login GraphQL shows for an actor: bots without "[bot]". @param {Identity} u */
  const actorLogin = (u) => (u.type === 'Bot' ? u.login.replace(/\[bot\]$/, '') : u.login)
  /** @param {Identity} u */
  const actorUrl = (u) => (u.type === 'Bot' ? `https://github.com/apps/${actorLogin(u)}` : `https://github.com/${u.login}`)
  /** @param {Identity} u */
  const actorNodeId = (u) => (u.type === 'Bot' ? 'BOT_kgDO' : 'U_kgDO') + b64(String(u.id))

  /** @typedef {{ r: Repo, pr: PullRequestSeed }} PrRef */
  /** @typedef {{ r: Repo, v: StoredReview }} ReviewRef */
  /** @type {import('./github-standin-graphql.mjs').Schema} */
  const schema = {
    PullRequestState: { kind: 'enum', values: ['CLOSED', 'MERGED', 'OPEN'] },
    PullRequestReviewState: { kind: 'enum', values: ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING'] },
    CommentAuthorAssociation: {
      kind: 'enum',
      values: ['COLLABORATOR', 'CONTRIBUTOR', 'FIRST_TIMER', 'FIRST_TIME_CONTRIBUTOR', 'MANNEQUIN', 'MEMBER', 'NONE', 'OWNER']
    },
    Query: {
      kind: 'object',
      fields: {
        viewer: { type: 'User!', resolve: (_p, _a, ctx) => ctx.who },
        repository: {
          type: 'Repository',
          args: { owner: 'String!', name: 'String!', followRenames: 'Boolean' },
          resolve: (_p, a) => {
            const r = repos.get(`${a.owner}/${a.name}`.toLowerCase())
            if (!r) throw new FieldError('NOT_FOUND', `Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`)
            return r
          }
        },
        rateLimit: { type: 'RateLimit', args: { dryRun: 'Boolean' }, resolve: (_p, _a, ctx) => ctx.rate }
      }
    },
    RateLimit: {
      kind: 'object',
      fields: {
        cost: { type: 'Int!' },
        limit: { type: 'Int!' },
        nodeCount: { type: 'Int!' },
        remaining: { type: 'Int!' },
        resetAt: { type: 'DateTime!' },
        used: { type: 'Int!' }
      }
    },
    // The viewer is a User in the schema, also for installation tokens,
    // whose viewer is the app's bot account: login "slug[bot]".
    User: {
      kind: 'object',
      fields: {
        login: { type: 'String!', resolve: (/** @type {Identity} */ u) => u.login },
        databaseId: { type: 'Int', resolve: (/** @type {Identity} */ u) => u.id },
        id: { type: 'ID!', resolve: (/** @type {Identity} */ u) => actorNodeId(u) },
        name: { type: 'String', resolve: () => null },
        url: { type: 'URI!', resolve: (/** @type {Identity} */ u) => `https://github.com/${u.login}` }
      }
    },
    Bot: {
      kind: 'object',
      fields: {
        login: { type: 'String!', resolve: (/** @type {Identity} */ u) => actorLogin(u) },
        databaseId: { type: 'Int', resolve: (/** @type {Identity} */ u) => u.id },
        id: { type: 'ID!', resolve: (/** @type {Identity} */ u) => actorNodeId(u) },
        url: { type: 'URI!', resolve: (/** @type {Identity} */ u) => actorUrl(u) }
      }
    },
    Actor: {
      kind: 'interface',
      resolveType: (/** @type {Identity} */ u) => (u.type === 'Bot' ? 'Bot' : 'User'),
      fields: {
        login: { type: 'String!' },
        url: { type: 'URI!' }
      }
    },
    Ref: { kind: 'object', fields: { name: { type: 'String!' }, prefix: { type: 'String!' } } },
    Repository: {
      kind: 'object',
      fields: {
        id: { type: 'ID!', resolve: (/** @type {Repo} */ r) => 'R_kgDO' + b64(String(r.id)) },
        databaseId: { type: 'Int', resolve: (/** @type {Repo} */ r) => r.id },
        name: { type: 'String!', resolve: (/** @type {Repo} */ r) => r.name },
        nameWithOwner: { type: 'String!', resolve: (/** @type {Repo} */ r) => `${r.owner}/${r.name}` },
        isPrivate: { type: 'Boolean!', resolve: (/** @type {Repo} */ r) => r.private },
        defaultBranchRef: { type: 'Ref', resolve: (/** @type {Repo} */ r) => ({ name: r.defaultBranch, prefix: 'refs/heads/' }) },
        pullRequest: {
          type: 'PullRequest',
          args: { number: 'Int!' },
          resolve: (/** @type {Repo} */ r, a) => {
            const pr = r.prs.get(a.number)
            if (!pr) throw new FieldError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${a.number}.`)
            return /** @type {PrRef} */ ({ r, pr })
          }
        }
      }
    },
    PullRequest: {
      kind: 'object',
      fields: {
        id: { type: 'ID!', resolve: (/** @type {PrRef} */ { r, pr }) => 'PR_kwDO' + b64(`${r.id}:${pr.number}`) },
        number: { type: 'Int!', resolve: (/** @type {PrRef} */ { pr }) => pr.number },
        title: { type: 'String!', resolve: (/** @type {PrRef} */ { pr }) => pr.title ?? `Pull request #${pr.number}` },
        url: { type: 'URI!', resolve: (/** @type {PrRef} */ { r, pr }) => `https://github.com/${r.owner}/${r.name}/pull/${pr.number}` },
        state: {
          type: 'PullRequestState!',
          resolve: (/** @type {PrRef} */ { pr }) => (pr.merged_at ? 'MERGED' : (pr.state ?? 'open') === 'closed' ? 'CLOSED' : 'OPEN')
        },
        closed: { type: 'Boolean!', resolve: (/** @type {PrRef} */ { pr }) => !!pr.merged_at || pr.state === 'closed' },
        merged: { type: 'Boolean!', resolve: (/** @type {PrRef} */ { pr }) => !!pr.merged_at },
        mergedAt: { type: 'DateTime', resolve: (/** @type {PrRef} */ { pr }) => pr.merged_at ?? null },
        isDraft: { type: 'Boolean!', resolve: (/** @type {PrRef} */ { pr }) => pr.draft ?? false },
        headRefOid: { type: 'GitObjectID!', resolve: (/** @type {PrRef} */ { pr }) => pr.head.sha },
        headRefName: { type: 'String!', resolve: (/** @type {PrRef} */ { pr }) => pr.head.ref },
        baseRefName: { type: 'String!', resolve: (/** @type {PrRef} */ { pr }) => pr.base.ref },
        baseRefOid: { type: 'GitObjectID!', resolve: (/** @type {PrRef} */ { pr }) => pr.base.sha ?? '0'.repeat(40) },
        isCrossRepository: { type: 'Boolean!', resolve: (/** @type {PrRef} */ { pr }) => !!pr.head.repo },
        author: {
          type: 'Actor',
          resolve: (/** @type {PrRef} */ { pr }) => identity(pr.user?.login ?? 'octocat', pr.user?.id, pr.user?.type)
        },
        latestOpinionatedReviews: {
          type: 'PullRequestReviewConnection',
          args: { after: 'String', before: 'String', first: 'Int', last: 'Int', writersOnly: 'Boolean' },
          resolve: (/** @type {PrRef} */ { r, pr }, a) =>
            connection(
              latestOpinionated(r, pr.number, a.writersOnly === true).map((v) => /** @type {ReviewRef} */ ({ r, v })),
              a,
              'latestOpinionatedReviews'
            )
        }
      }
    },
    PullRequestReviewConnection: {
      kind: 'object',
      fields: {
        nodes: { type: '[PullRequestReview]', resolve: (/** @type {any} */ c) => c.items.map((/** @type {any} */ e) => e.node) },
        edges: { type: '[PullRequestReviewEdge]', resolve: (/** @type {any} */ c) => c.items },
        pageInfo: { type: 'PageInfo!' },
        totalCount: { type: 'Int!' }
      }
    },
    PullRequestReviewEdge: { kind: 'object', fields: { cursor: { type: 'String!' }, node: { type: 'PullRequestReview' } } },
    PageInfo: {
      kind: 'object',
      fields: {
        hasNextPage: { type: 'Boolean!' },
        hasPreviousPage: { type: 'Boolean!' },
        startCursor: { type: 'String' },
        endCursor: { type: 'String' }
      }
    },
    PullRequestReview: {
      kind: 'object',
      fields: {
        id: { type: 'ID!', resolve: (/** @type {ReviewRef} */ { r, v }) => 'PRR_kwDO' + b64(`${r.id}:${v.id}`) },
        databaseId: { type: 'Int', resolve: (/** @type {ReviewRef} */ { v }) => (v.id <= 2147483647 ? v.id : null) },
        fullDatabaseId: { type: 'BigInt', resolve: (/** @type {ReviewRef} */ { v }) => String(v.id) },
        state: { type: 'PullRequestReviewState!', resolve: (/** @type {ReviewRef} */ { v }) => v.state },
        body: { type: 'String!', resolve: (/** @type {ReviewRef} */ { v }) => v.body },
        submittedAt: { type: 'DateTime', resolve: (/** @type {ReviewRef} */ { v }) => v.submitted_at },
        createdAt: { type: 'DateTime!', resolve: (/** @type {ReviewRef} */ { v }) => v.submitted_at },
        publishedAt: { type: 'DateTime', resolve: (/** @type {ReviewRef} */ { v }) => v.submitted_at },
        url: {
          type: 'URI!',
          resolve: (/** @type {ReviewRef} */ { r, v }) => `https://github.com/${r.owner}/${r.name}/pull/${v.number}#pullrequestreview-${v.id}`
        },
        author: { type: 'Actor', resolve: (/** @type {ReviewRef} */ { v }) => v.user },
        authorAssociation: {
          type: 'CommentAuthorAssociation!',
          resolve: (/** @type {ReviewRef} */ { r, v }) => v.author_association ?? associationOf(r, v.user)
        },
        authorCanPushToRepository: { type: 'Boolean!', resolve: (/** @type {ReviewRef} */ { r, v }) => canPush(roleOf(r, v.user.login)) },
        commit: { type: 'Commit', resolve: (/** @type {ReviewRef} */ { v }) => (v.commit_id ? { oid: v.commit_id } : null) }
      }
    },
    Commit: {
      kind: 'object',
      fields: {
        oid: { type: 'GitObjectID!' },
        abbreviatedOid: { type: 'String!', resolve: (/** @type {{ oid: string }} */ c) => c.oid.slice(0, 7) }
      }
    }
  }

  /**
   * POST /graphql: always 200 with `data` and/or `errors`, like GitHub.
   * @param {Identity & { kind: TokenKind }} who @param {string | undefined} auth @param {unknown} body
   * @returns {Result}
   */
  const graphql = (who, auth, body) => {
    const b = body && typeof body === 'object' ? /** @type {Record<string, unknown>} */ (body) : {}
    const limit = graphqlLimit(who.kind)
    const e = rateEntry(`graphql:${auth ?? ''}`)
    const rate = {
      cost: 1,
      limit,
      nodeCount: 0,
      remaining: Math.max(0, limit - e.used - 1),
      used: Math.min(limit, e.used + 1),
      resetAt: new Date((e.windowStart + 3600) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    }
    const result = runGraphQL({ schema, text: b.query, variables: b.variables, ctx: { who, root: {}, rate } })
    return { status: 200, body: result, resource: 'graphql' }
  }

  /** @param {string} key */
  const rateEntry = (key) => {
    const now = Math.floor(Date.now() / 1000)
    let e = rate.get(key)
    if (!e || now >= e.windowStart + 3600) rate.set(key, (e = { used: 0, windowStart: now }))
    return e
  }

  /** GraphQL points an hour: GITHUB_TOKEN 1,000 a repository, others 5,000. @param {TokenKind | undefined} kind */
  const graphqlLimit = (kind) => (kind === 'actions' ? 1000 : RATE_LIMIT)

  /** @param {string | undefined} auth @param {'core' | 'graphql'} [resource] */
  const rateHeaders = (auth, resource = 'core') => {
    const e = rateEntry(`${resource === 'core' ? '' : `${resource}:`}${auth ?? ''}`)
    e.used++
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(auth ?? '')
    const kind = m?.[1] !== undefined ? tokens.get(m[1])?.kind : undefined
    const limit = !auth ? 60 : resource === 'graphql' ? graphqlLimit(kind) : RATE_LIMIT
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - e.used)),
      'x-ratelimit-reset': String(e.windowStart + 3600),
      'x-ratelimit-used': String(Math.min(limit, e.used)),
      'x-ratelimit-resource': resource
    }
  }

  /** @param {number} ms */
  const sleep = (ms) =>
    new Promise((resolve) => {
      if (!ms || ms <= 0) return resolve(undefined)
      const t = setTimeout(() => {
        timers.delete(t)
        resolve(undefined)
      }, ms)
      timers.add(t)
    })

  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    req.on('data', (/** @type {Buffer} */ c) => {
      size += c.length
      if (size <= 25 * 1024 * 1024) chunks.push(c)
    })
    req.on('end', () => {
      respond(req, res, Buffer.concat(chunks), size).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
          res.end(JSON.stringify({ message: String(err) }))
        } else res.destroy()
      })
    })
  })

  /**
   * @param {http.IncomingMessage} req @param {http.ServerResponse} res
   * @param {Buffer} raw @param {number} size
   */
  async function respond(req, res, raw, size) {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', base)
    const auth = req.headers.authorization
    /** @type {unknown} */
    let body
    let badJson = false
    if (raw.length) {
      const text = raw.toString('utf8')
      try {
        body = JSON.parse(text)
      } catch {
        body = text
        badJson = true
      }
    }
    /** @type {RecordedRequest} */
    const record = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body
    }
    requests.push(record)

    const entry = faultList.find(
      (f) =>
        f.remaining > 0 &&
        (!f.matcher.method || f.matcher.method.toUpperCase() === method) &&
        (!f.matcher.pathPattern || (f.matcher.pathPattern.lastIndex = 0, f.matcher.pathPattern.test(url.pathname)))
    )
    if (entry) {
      entry.remaining--
      entry.hits++
      record.fault = true
    }

    /** @returns {Result} */
    const real = () => {
      if (size > 25 * 1024 * 1024) return fail(413, 'Payload Too Large')
      if (badJson) return fail(400, 'Problems parsing JSON')
      return handle(method, url, auth, body, req.headers)
    }

    /** @type {Result} */
    let result
    if (entry) {
      const { matcher, fault } = entry
      // With `after`, state changes happen now; the real answer is then lost
      // (unless the fault has no status, when it is only delayed).
      const early = matcher.after ? real() : undefined
      await sleep(fault.delayMs ?? 0)
      if (fault.destroy) {
        record.status = 0
        req.socket.destroy()
        return
      }
      result =
        fault.status === undefined
          ? (early ?? real())
          : { status: fault.status, headers: fault.headers, body: fault.body }
    } else {
      result = real()
    }

    /** @type {Record<string, string>} */
    const headers = {
      // GitHub sends a Date on every answer; the stand-in's comes from its clock.
      date: new Date(nowMs()).toUTCString(),
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `STANDIN:${(++requestSeq).toString(16).toUpperCase().padStart(8, '0')}`,
      ...rateHeaders(auth, result.resource ?? (url.pathname.replace(/\/+$/, '') === '/graphql' ? 'graphql' : 'core'))
    }
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v)
    record.status = result.status
    /** @type {string | Buffer} */
    const payload =
      result.status === 204 || result.body === undefined
        ? ''
        : Buffer.isBuffer(result.body) || typeof result.body === 'string'
          ? result.body
          : JSON.stringify(result.body)
    if (result.status === 204) delete headers['content-type']
    else headers['content-length'] = String(Buffer.byteLength(payload))
    res.writeHead(result.status, headers)
    res.end(method === 'HEAD' ? undefined : payload)
  }

  const host = options.host ?? '127.0.0.1'
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve(undefined)
    })
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('github-standin: no TCP address')
  base = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`

  return {
    url: base,
    port: address.port,
    requests,

    /** Stop listening, drop keep-alive connections and pending fault delays. */
    stop() {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      return new Promise((resolve) => {
        server.close(() => resolve(undefined))
        server.closeAllConnections()
      })
    },

    /**
     * Stored comments of an issue, in creation order, as the API shows them.
     * @param {string} owner @param {string} repo @param {number} issue
     */
    comments(owner, repo, issue) {
      const r = repoOf(owner, repo)
      return [...comments.values()].filter((c) => c.issue === issue && repoOf(c.owner, c.repo) === r).map(commentJson)
    },

    /**
     * Change a stored comment's body directly, as a maintainer editing someone
     * else's comment on github.com could.
     * @param {number} id @param {string} body
     */
    editComment(id, body) {
      const stored = comments.get(id)
      if (!stored) throw new Error(`no comment ${id}`)
      stored.body = body
      stored.updated_at = nowIso()
      return commentJson(stored)
    },

    /**
     * Seed a comment by any user (say a forged one by another account).
     * @param {string} owner @param {string} repo @param {number} issue
     * @param {{ login: string, body: string, id?: number, type?: 'User' | 'Bot', created_at?: string }} c
     */
    addComment(owner, repo, issue, c) {
      const r = repoOf(owner, repo)
      const created = c.created_at ?? nowIso()
      /** @type {StoredComment} */
      const stored = {
        id: nextCommentId++,
        owner: r.owner,
        repo: r.name,
        issue,
        body: c.body,
        user: identity(c.login, c.id, c.type),
        created_at: created,
        updated_at: created
      }
      comments.set(stored.id, stored)
      return commentJson(stored)
    },

    /**
     * Register (or replace) a pull request. Its head.sha and merge_commit_sha
     * are associated with it automatically for GET commits/{sha}/pulls.
     * @param {string} owner @param {string} repo @param {PullRequestSeed} pr
     */
    addPullRequest(owner, repo, pr) {
      const r = repoOf(owner, repo)
      // Created now unless said otherwise, once: the issue listing sorts by it.
      const stored = { ...structuredClone(pr), created_at: pr.created_at ?? nowIso() }
      r.prs.set(pr.number, stored)
      return pullJson(r, stored)
    },

    /**
     * Associate a commit with pull requests (in addition to the automatic
     * head/merge-commit association).
     * @param {string} owner @param {string} repo @param {string} sha @param {number[]} prNumbers
     */
    associateCommit(owner, repo, sha, prNumbers) {
      const r = repoOf(owner, repo)
      const key = sha.toLowerCase()
      r.commits.set(key, [...new Set([...(r.commits.get(key) ?? []), ...prNumbers])])
    },

    /**
     * Make the next `times` (default 1) matching requests fail. Faults are
     * tried in the order injected; pathPattern is tested on the URL path
     * without the query string. With `after: true` the real handler runs
     * first (so a POST is stored) and its answer is replaced. A fault without
     * `status` (and without `destroy`) only delays the real answer.
     * @param {FaultMatcher} matcher @param {Fault} fault
     * @returns {FaultHandle}
     */
    injectFault(matcher, fault) {
      const entry = { matcher, fault, remaining: matcher.times ?? 1, hits: 0 }
      faultList.push(entry)
      return {
        get remaining() {
          return entry.remaining
        },
        get hits() {
          return entry.hits
        },
        cancel() {
          entry.remaining = 0
        }
      }
    },

    /** Remove all injected faults. */
    clearFaults() {
      faultList = []
    },

    /**
     * The clock behind `Date` headers and default timestamps. Real time until
     * `set`; then it stands still, moving only by `set` and `advance`.
     */
    clock: {
      /** @returns {Date} */
      now: () => new Date(nowMs()),
      /** @param {string | number | Date} t */
      set(t) {
        frozenMs = toMs(t)
      },
      /** @param {number} ms */
      advance(ms) {
        frozenMs = nowMs() + ms
      },
      /** Back to real time. */
      release() {
        frozenMs = undefined
      }
    },

    /**
     * Repository settings: visibility and default branch (default: public, main).
     * @param {string} owner @param {string} repo @param {{ private?: boolean, defaultBranch?: string }} settings
     */
    configureRepository(owner, repo, settings) {
      const r = repoOf(owner, repo)
      if (settings.private !== undefined) r.private = settings.private
      if (settings.defaultBranch !== undefined) r.defaultBranch = settings.defaultBranch
      if (settings.hasIssues !== undefined) r.hasIssues = settings.hasIssues
    },

    /**
     * The issues created in a repository (not its pull requests), by number, as the API shows them.
     * @param {string} owner @param {string} repo
     */
    issues(owner, repo) {
      const r = repoOf(owner, repo)
      return [...r.issues.values()].sort((a, b) => a.number - b.number).map((i) => issueJson(r, i))
    },

    /**
     * Open an issue as anyone, e.g. a forged one by another account.
     * @param {string} owner @param {string} repo
     * @param {{ login: string, title: string, body?: string | null, labels?: string[], state?: 'open' | 'closed', type?: 'User' | 'Bot', created_at?: string }} seed
     */
    addIssue(owner, repo, seed) {
      const r = repoOf(owner, repo)
      const created = seed.created_at ?? nowIso()
      const closed = seed.state === 'closed'
      /** @type {StoredIssue} */
      const i = {
        id: nextIssueId++,
        number: nextIssueNumber(r),
        title: seed.title,
        body: seed.body ?? null,
        user: identity(seed.login, undefined, seed.type),
        state: closed ? 'closed' : 'open',
        state_reason: closed ? 'completed' : null,
        labels: seed.labels ?? [],
        created_at: created,
        updated_at: created,
        closed_at: closed ? created : null
      }
      r.issues.set(i.number, i)
      return issueJson(r, i)
    },

    /**
     * Change an issue directly, as a maintainer editing it on github.com could.
     * @param {string} owner @param {string} repo @param {number} number
     * @param {{ title?: string, body?: string | null, state?: 'open' | 'closed', labels?: string[] }} patch
     */
    editIssue(owner, repo, number, patch) {
      const r = repoOf(owner, repo)
      const i = r.issues.get(number)
      if (!i) throw new Error(`github-standin: no issue ${owner}/${repo}#${number}`)
      patchIssue(i, patch)
      return issueJson(r, i)
    },

    /**
     * A user's (or bot's, by its "slug[bot]" login) role on a repository, as
     * GET .../collaborators/{user}/permission, GraphQL writersOnly and
     * authorCanPushToRepository see it. Unset: "none".
     * @param {string} owner @param {string} repo @param {string} login @param {Role} role
     */
    setPermission(owner, repo, login, role) {
      const roles = ['admin', 'maintain', 'write', 'triage', 'read', 'none']
      if (!roles.includes(role)) throw new Error(`github-standin: role must be one of ${roles.join(', ')}`)
      identity(login)
      repoOf(owner, repo).roles.set(login.toLowerCase(), role)
    },

    /**
     * Change a registered pull request: merge it, close it, push to it.
     * `head` and `base` are merged into the stored ones.
     * @param {string} owner @param {string} repo @param {number} number @param {Partial<PullRequestSeed>} patch
     */
    updatePullRequest(owner, repo, number, patch) {
      const r = repoOf(owner, repo)
      const pr = r.prs.get(number)
      if (!pr) throw new Error(`github-standin: no pull request ${owner}/${repo}#${number}`)
      const next = { ...pr, ...structuredClone(patch), head: { ...pr.head, ...patch.head }, base: { ...pr.base, ...patch.base } }
      r.prs.set(number, next)
      return pullJson(r, next)
    },

    /**
     * Submit a review as any user. commit_id defaults to the pull request's
     * current head, submitted_at to the clock's now. Returns it as REST shows it.
     * @param {string} owner @param {string} repo @param {number} number @param {ReviewSeed} seed
     */
    addReview(owner, repo, number, seed) {
      const r = repoOf(owner, repo)
      const pr = r.prs.get(number)
      if (!pr) throw new Error(`github-standin: no pull request ${owner}/${repo}#${number}`)
      const states = ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED']
      if (!states.includes(seed.state)) throw new Error(`github-standin: review state must be one of ${states.join(', ')}`)
      /** @type {StoredReview} */
      const v = {
        id: seed.id ?? nextReviewId++,
        seq: reviewSeq++,
        number,
        user: identity(seed.login, undefined, seed.type),
        state: seed.state,
        commit_id: seed.commit_id === undefined ? pr.head.sha : seed.commit_id,
        submitted_at: seed.submitted_at ?? nowIso(),
        body: seed.body ?? ''
      }
      if (seed.author_association !== undefined) v.author_association = seed.author_association
      r.reviews.push(v)
      return reviewJson(r, v)
    },

    /**
     * Dismiss a review, as a maintainer would: its state becomes DISMISSED in
     * place. Only approvals and change requests can be dismissed.
     * @param {string} owner @param {string} repo @param {number} number @param {number} reviewId
     */
    dismissReview(owner, repo, number, reviewId) {
      const r = repoOf(owner, repo)
      const v = r.reviews.find((x) => x.number === number && x.id === reviewId)
      if (!v) throw new Error(`github-standin: no review ${reviewId} on ${owner}/${repo}#${number}`)
      if (v.state !== 'APPROVED' && v.state !== 'CHANGES_REQUESTED') {
        throw new Error(`github-standin: a ${v.state} review cannot be dismissed`)
      }
      v.state = 'DISMISSED'
      return reviewJson(r, v)
    },

    /**
     * A pull request's reviews, chronologically, as the REST API shows them.
     * @param {string} owner @param {string} repo @param {number} number
     */
    reviews(owner, repo, number) {
      const r = repoOf(owner, repo)
      return chronological(r.reviews.filter((v) => v.number === number)).map((v) => reviewJson(r, v))
    },

    /**
     * Commit a file at a ref (a commit sha or a branch name; default: the
     * default branch) for the contents API. Returns its git blob sha.
     * @param {string} owner @param {string} repo @param {string} path @param {string | Uint8Array} content
     * @param {{ ref?: string }} [o]
     */
    addFile(owner, repo, path, content, o = {}) {
      const r = repoOf(owner, repo)
      const key = refKey(o.ref ?? r.defaultBranch)
      const clean = path.replace(/^\/+|\/+$/g, '')
      if (!clean) throw new Error('github-standin: a file needs a path')
      let tree = r.files.get(key)
      if (!tree) r.files.set(key, (tree = new Map()))
      const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)
      tree.set(clean, buf)
      return { sha: blobSha(buf) }
    }
  }
}
