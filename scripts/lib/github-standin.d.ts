/**
 * Declarations for github-standin.mjs, a loopback stand-in for the GitHub
 * REST and GraphQL endpoints the action uses. See the .mjs header for the
 * routes and the deliberate differences from github.com, and
 * docs/github-facts.md for what each answer is modelled on.
 *
 * TypeScript (moduleResolution NodeNext) looks for `github-standin.d.mts`
 * when a file imports `github-standin.mjs`; that sibling re-exports this file.
 */

/**
 * - 'actions': GITHUB_TOKEN (login github-actions[bot]);
 * - 'app': a GitHub App installation token (login "slug[bot]");
 * - 'pat': a user's token.
 * Installation tokens (actions, app) get 403 from GET /user; GraphQL
 * `viewer` answers their "slug[bot]" login and the bot's id.
 */
export type TokenKind = 'actions' | 'app' | 'pat'

export interface TokenSpec {
  login: string
  /** Default: 'actions' for github-actions[bot] with installation: true, 'app' for other installation tokens, else 'pat'. */
  kind?: TokenKind
  /** Default: 41898282 for github-actions[bot], otherwise assigned. */
  id?: number
  /** Default: 'Bot' when login ends in [bot], else 'User'. */
  type?: 'User' | 'Bot'
  /** Like GITHUB_TOKEN: GET /user answers 403 'Resource not accessible by integration'. Default: kind is actions or app. */
  installation?: boolean
  /** Default true. false: POST/PATCH/DELETE comments answer 403 'Resource not accessible by integration'. */
  canWrite?: boolean
  /**
   * The token's `issues` permission (default 'write'). Creating or editing an issue and commenting on one
   * need 'write'; 'none' also refuses reading the issues of a private repository.
   */
  issues?: 'write' | 'read' | 'none'
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
  /** Start the clock stopped at this time (default: real time). See Standin.clock. */
  now?: string | number | Date
  /**
   * Whether GraphQL latestOpinionatedReviews counts a DISMISSED review as its
   * author's latest opinion (default true). GitHub does not document it: an
   * action must be right either way, so tests can run both.
   */
  dismissedIsOpinionated?: boolean
}

/** Repository roles; the legacy `permission` maps maintain to write and triage to read. */
export type Role = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'

/** REST review states (PENDING reviews are not modelled). */
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED'

export interface ReviewSeed {
  /** Reviewer; a login ending in [bot] is a Bot (REST type Bot, GraphQL __typename Bot, login without [bot]). */
  login: string
  state: ReviewState
  /** Default: the pull request's current head.sha. null: the commit is gone (GitHub then says null). */
  commit_id?: string | null
  /** Default: the stand-in clock's now. */
  submitted_at?: string
  body?: string
  id?: number
  type?: 'User' | 'Bot'
  /** Default: OWNER for the repository owner, COLLABORATOR for anyone with a role, else NONE. */
  author_association?: string
}

/** A review as GET /repos/{o}/{r}/pulls/{n}/reviews shows it. */
export interface PullRequestReview {
  id: number
  node_id: string
  user: SimpleUser
  body: string
  state: ReviewState
  html_url: string
  pull_request_url: string
  author_association: string
  _links: { html: { href: string }; pull_request: { href: string } }
  submitted_at: string
  commit_id: string | null
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

export interface Issue {
  url: string
  html_url: string
  id: number
  node_id: string
  number: number
  title: string
  body: string | null
  user: SimpleUser
  labels: Array<{ id: number; name: string; [key: string]: unknown }>
  state: 'open' | 'closed'
  state_reason: string | null
  comments: number
  created_at: string
  updated_at: string
  closed_at: string | null
  /** Only on pull requests listed as issues. */
  pull_request?: { url: string; html_url: string; diff_url: string; patch_url: string; merged_at: string | null }
  [key: string]: unknown
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
  /** repo: the fork the head lives in (default: the base repository itself). */
  head: { sha: string; ref: string; repo?: { owner: string; name: string } }
  base: { ref: string; sha?: string }
  /** Set means merged (REST merged: true, GraphQL state MERGED). */
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
  /** The clock behind Date headers and default timestamps: real time until set, then still until set or advanced. */
  readonly clock: {
    now(): Date
    set(t: string | number | Date): void
    advance(ms: number): void
    /** Back to real time. */
    release(): void
  }
  /** Visibility, default branch, and whether issues are enabled (default: public, main, enabled; disabled: 410 on issue routes). */
  configureRepository(owner: string, repo: string, settings: { private?: boolean; defaultBranch?: string; hasIssues?: boolean }): void
  /** The issues created in a repository (not its pull requests), by number, as the API shows them. */
  issues(owner: string, repo: string): Issue[]
  /** Open an issue as anyone, e.g. a forged one by another account. */
  addIssue(
    owner: string,
    repo: string,
    seed: { login: string; title: string; body?: string | null; labels?: string[]; state?: 'open' | 'closed'; type?: 'User' | 'Bot'; created_at?: string }
  ): Issue
  /** Change an issue directly, as a maintainer editing it on github.com could. */
  editIssue(
    owner: string,
    repo: string,
    number: number,
    patch: { title?: string; body?: string | null; state?: 'open' | 'closed'; labels?: string[] }
  ): Issue
  /** A user's or bot's ("slug[bot]") role; unset is 'none'. Drives collaborators/{user}/permission, writersOnly, authorCanPushToRepository. */
  setPermission(owner: string, repo: string, login: string, role: Role): void
  /** Merge, close or push to a registered PR; head and base are merged into the stored ones. */
  updatePullRequest(owner: string, repo: string, number: number, patch: Partial<PullRequestSeed>): PullRequest
  /** Submit a review as anyone (the stand-in does not refuse an author approving their own PR, as GitHub would). */
  addReview(owner: string, repo: string, number: number, review: ReviewSeed): PullRequestReview
  /** Dismiss an APPROVED or CHANGES_REQUESTED review: its state becomes DISMISSED in place. */
  dismissReview(owner: string, repo: string, number: number, reviewId: number): PullRequestReview
  /** A PR's reviews, chronologically, as REST shows them. */
  reviews(owner: string, repo: string, number: number): PullRequestReview[]
  /** Commit a file at a ref (sha or branch; default the default branch) for GET .../contents/{path}. */
  addFile(owner: string, repo: string, path: string, content: string | Uint8Array, o?: { ref?: string }): { sha: string }
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
  /** 410 "Issues are disabled for this repo". */
  gone(): Fault
  /** GraphQL primary rate limit: 200, errors[0].type RATE_LIMIT (or as given), x-ratelimit-remaining 0, resource graphql. */
  graphqlRateLimit(o?: { type?: string; resetInSeconds?: number }): Fault
}
