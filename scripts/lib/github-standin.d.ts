/**
 * Declarations for github-standin.mjs, a loopback stand-in for the GitHub
 * REST API endpoints the action uses. See the .mjs header for the routes and
 * the deliberate differences from github.com.
 *
 * TypeScript (moduleResolution NodeNext) looks for `github-standin.d.mts`
 * when a file imports `github-standin.mjs`; that sibling re-exports this file.
 */

export interface TokenSpec {
  login: string
  /** Default: 41898282 for github-actions[bot], otherwise assigned. */
  id?: number
  /** Default: 'Bot' when login ends in [bot], else 'User'. */
  type?: 'User' | 'Bot'
  /** Like GITHUB_TOKEN: GET /user answers 403 'Resource not accessible by integration'. */
  installation?: boolean
  /** Default true. false: POST/PATCH/DELETE comments answer 403 'Resource not accessible by integration'. */
  canWrite?: boolean
}

export interface StandinOptions {
  /** 0 or absent: a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** Keys are the token strings sent as `Authorization: token X` or `Bearer X`. */
  tokens: Record<string, TokenSpec>
  /** Page size when the client passes no per_page: default 30 like GitHub; at most 100. */
  perPage?: number
}

export interface SimpleUser {
  login: string
  id: number
  node_id: string
  avatar_url: string
  gravatar_id: string
  url: string
  html_url: string
  type: 'User' | 'Bot'
  site_admin: boolean
}

export interface IssueComment {
  id: number
  node_id: string
  /** API URL on the stand-in. */
  url: string
  /** https://github.com/{owner}/{repo}/pull/{n}#issuecomment-{id} */
  html_url: string
  issue_url: string
  body: string
  user: SimpleUser
  created_at: string
  updated_at: string
  author_association: string
  performed_via_github_app: null
  reactions: Record<string, number | string>
}

export interface PullRequestSeed {
  number: number
  /** Default: 'closed' when merged_at is set, else 'open'. */
  state?: 'open' | 'closed'
  title?: string
  body?: string | null
  draft?: boolean
  /** Default author: octocat. */
  user?: { login: string; id?: number; type?: 'User' | 'Bot' }
  head: { sha: string; ref: string }
  base: { ref: string; sha?: string }
  merged_at?: string | null
  merge_commit_sha?: string | null
  created_at?: string
  updated_at?: string
  closed_at?: string | null
}

export interface PullRequest {
  url: string
  id: number
  node_id: string
  html_url: string
  number: number
  state: 'open' | 'closed'
  title: string
  user: SimpleUser
  body: string | null
  created_at: string
  updated_at: string
  closed_at: string | null
  merged_at: string | null
  merge_commit_sha: string | null
  draft: boolean
  head: { label: string; ref: string; sha: string; user: SimpleUser; repo: Record<string, unknown> }
  base: { label: string; ref: string; sha: string; user: SimpleUser; repo: Record<string, unknown> }
  [key: string]: unknown
}

export interface RecordedRequest {
  method: string
  /** URL path without the query string (as sent, e.g. /repositories/{id}/... when following a Link). */
  path: string
  query: Record<string, string>
  /** Lower-case header names, as node parsed them. */
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON body; the raw text if it was not JSON; undefined if empty. */
  body: unknown
  /** Status sent; 0 when the socket was destroyed by a fault; absent while in flight. */
  status?: number
  /** True when an injected fault matched this request. */
  fault?: boolean
}

export interface FaultMatcher {
  /** Any method when absent. */
  method?: string
  /** Tested against the URL path (no query string). Any path when absent. */
  pathPattern?: RegExp
  /** How many matching requests to fault. Default 1. */
  times?: number
  /** Run the real handler first (state changes), then send the fault instead of its answer. */
  after?: boolean
}

export interface Fault {
  /** Absent (and no destroy): only delay the real answer by delayMs. */
  status?: number
  headers?: Record<string, string | number>
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown
  /** Reset the socket instead of answering. */
  destroy?: boolean
  /** Wait this long before answering (or destroying). */
  delayMs?: number
}

export interface FaultHandle {
  readonly remaining: number
  readonly hits: number
  cancel(): void
}

export interface Standin {
  /** e.g. http://127.0.0.1:PORT (no trailing slash) */
  readonly url: string
  readonly port: number
  stop(): Promise<void>
  /** Every request received, in arrival order (401s and faulted ones included). */
  readonly requests: RecordedRequest[]
  /** Stored comments of an issue, in creation order, as the API shows them. */
  comments(owner: string, repo: string, issue: number): IssueComment[]
  /** Seed a comment by any user, e.g. a forged one by another account. */
  /** Change a stored comment's body directly, as a maintainer editing someone else's comment could. */
  editComment(id: number, body: string): IssueComment
  addComment(
    owner: string,
    repo: string,
    issue: number,
    comment: { login: string; body: string; id?: number; type?: 'User' | 'Bot'; created_at?: string }
  ): IssueComment
  /** Register or replace a PR; its head.sha and merge_commit_sha are associated with it automatically. */
  addPullRequest(owner: string, repo: string, pr: PullRequestSeed): PullRequest
  /** Associate a commit (full sha; a 7+ char prefix matches on lookup) with PRs. */
  associateCommit(owner: string, repo: string, sha: string, prNumbers: number[]): void
  injectFault(matcher: FaultMatcher, fault: Fault): FaultHandle
  clearFaults(): void
}

export declare function startGitHubStandin(options: StandinOptions): Promise<Standin>

/** Ready-made GitHub-shaped fault responses for injectFault. */
export declare const faults: {
  /** 403 (or 429) with x-ratelimit-remaining: 0 and x-ratelimit-reset. */
  primaryRateLimit(o?: { status?: 403 | 429; resetInSeconds?: number }): Fault
  /** 403 'You have exceeded a secondary rate limit...' with retry-after. */
  secondaryRateLimit(o?: { retryAfter?: number; status?: 403 | 429 }): Fault
  /** 502 (HTML body, like GitHub's front end) or another 5xx with a JSON body. */
  serverError(status?: number): Fault
  /** 422 "body is too long (maximum is 65536 characters)", whatever the body's length. */
  bodyTooLong(): Fault
}
