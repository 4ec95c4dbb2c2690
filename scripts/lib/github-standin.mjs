// @ts-check
/**
 * A stand-in for the parts of the GitHub REST API this action uses, served on
 * loopback so end-to-end tests can run `dist/index.js` with GITHUB_API_URL
 * pointing here. Plain ESM, node builtins only; runs on Node 20 and 24.
 *
 * Routes (everything else: 404 {"message":"Not Found"}):
 *   GET    /user
 *   GET    /repos/{owner}/{repo}/issues/{n}/comments      (per_page, page, since)
 *   POST   /repos/{owner}/{repo}/issues/{n}/comments      {body}
 *   GET    /repos/{owner}/{repo}/issues/comments/{id}
 *   PATCH  /repos/{owner}/{repo}/issues/comments/{id}     {body}
 *   DELETE /repos/{owner}/{repo}/issues/comments/{id}
 *   GET    /repos/{owner}/{repo}/commits/{sha}/pulls      (per_page, page)
 *   GET    /repos/{owner}/{repo}/pulls/{n}
 *   and the same under /repositories/{repoId}/..., the form GitHub itself
 *   uses in the URLs of its `Link` pagination headers.
 *
 * Known, deliberate differences from github.com:
 *   - Comment length is checked as JS string length (UTF-16 code units);
 *     GitHub counts Unicode characters, so a body of astral characters
 *     (emoji) is rejected here sooner than on GitHub.
 *   - Only a comment's author may edit or delete it. On GitHub a token with
 *     write access to issues (GITHUB_TOKEN included) may edit anyone's.
 *   - Issues exist implicitly: any positive issue number accepts comments.
 *   - Rate-limit headers count down but are never enforced; inject a fault
 *     (see `faults`) to model a rate limit.
 */
import http from 'node:http'

const DOCS = 'https://docs.github.com/rest'
const MAX_BODY = 65536
const RATE_LIMIT = 5000

/**
 * @typedef {{ login: string, id?: number, type?: 'User' | 'Bot', installation?: boolean, canWrite?: boolean }} TokenSpec
 * @typedef {{ port?: number, host?: string, tokens: Record<string, TokenSpec>, perPage?: number }} StandinOptions
 * @typedef {{ login: string, id: number, type: 'User' | 'Bot' }} Identity
 * @typedef {{ method: string, path: string, query: Record<string, string>, headers: Record<string, string | string[] | undefined>, body: unknown, status?: number, fault?: boolean }} RecordedRequest
 * @typedef {{ method?: string, pathPattern?: RegExp, times?: number, after?: boolean }} FaultMatcher
 * @typedef {{ status?: number, headers?: Record<string, string | number>, body?: unknown, destroy?: boolean, delayMs?: number }} Fault
 * @typedef {{ readonly remaining: number, readonly hits: number, cancel(): void }} FaultHandle
 * @typedef {{ status: number, headers?: Record<string, string | number>, body?: unknown }} Result
 * @typedef {{ id: number, owner: string, repo: string, issue: number, body: string, user: Identity, created_at: string, updated_at: string }} StoredComment
 * @typedef {{ number: number, state?: 'open' | 'closed', title?: string, body?: string | null, draft?: boolean, user?: { login: string, id?: number, type?: 'User' | 'Bot' }, head: { sha: string, ref: string }, base: { ref: string, sha?: string }, merged_at?: string | null, merge_commit_sha?: string | null, created_at?: string, updated_at?: string, closed_at?: string | null }} PullRequestSeed
 * @typedef {{ id: number, owner: string, name: string, prs: Map<number, PullRequestSeed>, commits: Map<string, number[]> }} Repo
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
  /** @type {Map<string, Identity & { installation: boolean, canWrite: boolean }>} */
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
    tokens.set(token, {
      ...identity(spec.login, spec.id, spec.type),
      installation: spec.installation ?? false,
      canWrite: spec.canWrite ?? true
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
      r = { id: nextRepoId++, owner, name, prs: new Map(), commits: new Map() }
      repos.set(key, r)
      reposById.set(r.id, r)
    }
    return r
  }

  /** @type {Map<number, StoredComment>} */
  const comments = new Map()
  let nextCommentId = 3000000001 // past 2^31, like GitHub's

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
      html_url: `https://github.com/${r.owner}/${r.name}/pull/${c.issue}#issuecomment-${c.id}`,
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

  /** @param {Repo} r @param {PullRequestSeed} pr */
  const pullJson = (r, pr) => {
    const api = `${base}/repos/${r.owner}/${r.name}`
    const author = identity(pr.user?.login ?? 'octocat', pr.user?.id, pr.user?.type)
    const repoJson = {
      id: r.id,
      node_id: 'R_kgDO' + b64(String(r.id)),
      name: r.name,
      full_name: `${r.owner}/${r.name}`,
      owner: userJson(identity(r.owner)),
      private: false,
      html_url: `https://github.com/${r.owner}/${r.name}`,
      url: api,
      default_branch: 'main'
    }
    const created = pr.created_at ?? isoSeconds()
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
      head: { label: `${r.owner}:${pr.head.ref}`, ref: pr.head.ref, sha: pr.head.sha, user: repoJson.owner, repo: repoJson },
      base: {
        label: `${r.owner}:${pr.base.ref}`,
        ref: pr.base.ref,
        sha: pr.base.sha ?? '0'.repeat(40),
        user: repoJson.owner,
        repo: repoJson
      },
      author_association: 'MEMBER',
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
   * @returns {Result}
   */
  const handle = (method, url, auth, body) => {
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

    if (seg[0] !== 'repos' || seg.length < 4 || !seg[1] || !seg[2]) return notFound()
    const owner = /** @type {string} */ (seg[1])
    const name = /** @type {string} */ (seg[2])
    const rest = seg.slice(3)
    const positive = (/** @type {string | undefined} */ s) => (s && /^[1-9]\d*$/.test(s) ? Number(s) : undefined)

    // /repos/o/r/issues/{n}/comments
    if (rest.length === 3 && rest[0] === 'issues' && rest[2] === 'comments') {
      const issue = positive(rest[1])
      if (issue === undefined) return notFound()
      const r = repoOf(owner, name)
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
        if (!who.canWrite) return forbidden(who)
        const text = validateBody(body)
        if (typeof text !== 'string') return text
        const now = isoSeconds()
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
        if (!who.canWrite || c.user.id !== who.id) return forbidden(who)
        if (method === 'DELETE') {
          comments.delete(c.id)
          return { status: 204 }
        }
        const text = validateBody(body)
        if (typeof text !== 'string') return text
        c.body = text
        c.updated_at = isoSeconds()
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

    return notFound()
  }

  /** @param {string | undefined} auth */
  const rateHeaders = (auth) => {
    const key = auth ?? ''
    const now = Math.floor(Date.now() / 1000)
    let e = rate.get(key)
    if (!e || now >= e.windowStart + 3600) rate.set(key, (e = { used: 0, windowStart: now }))
    e.used++
    const limit = auth ? RATE_LIMIT : 60
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - e.used)),
      'x-ratelimit-reset': String(e.windowStart + 3600),
      'x-ratelimit-used': String(Math.min(limit, e.used)),
      'x-ratelimit-resource': 'core'
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
      return handle(method, url, auth, body)
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
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `STANDIN:${(++requestSeq).toString(16).toUpperCase().padStart(8, '0')}`,
      ...rateHeaders(auth)
    }
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v)
    record.status = result.status
    const payload =
      result.status === 204 || result.body === undefined
        ? ''
        : typeof result.body === 'string'
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
      stored.updated_at = isoSeconds()
      return commentJson(stored)
    },

    /**
     * Seed a comment by any user (say a forged one by another account).
     * @param {string} owner @param {string} repo @param {number} issue
     * @param {{ login: string, body: string, id?: number, type?: 'User' | 'Bot', created_at?: string }} c
     */
    addComment(owner, repo, issue, c) {
      const r = repoOf(owner, repo)
      const created = c.created_at ?? isoSeconds()
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
      r.prs.set(pr.number, structuredClone(pr))
      return pullJson(r, pr)
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
    }
  }
}
