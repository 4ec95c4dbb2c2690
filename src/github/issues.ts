/**
 * The drift tracking issue of a target: one issue per target, found by a
 * hidden marker in its body, written only by the token's own identity (anyone
 * can open an issue that carries the marker). The issue listing returns pull
 * requests too; they are skipped.
 */
import { httpStatus, isRateLimited, type CommentAuthor, type Octokit } from './comments.js'
import { GitHubError } from './error.js'
import { queryGraphQL } from './graphql.js'

export interface RepositoryRef {
  owner: string
  repo: string
}

export interface TrackedIssue {
  number: number
  body: string
  state: 'open' | 'closed'
  url: string
  labels: string[]
}

/** Why the tracking issue cannot be read or written; the run carries on without it. */
export class IssuesUnavailable extends Error {
  override name = 'IssuesUnavailable'
  constructor(
    readonly kind: 'disabled' | 'forbidden',
    message: string
  ) {
    super(message)
  }
}

/**
 * The token's own identity, as the plan comment resolves it (GraphQL
 * `viewer`, which answers every kind of token; GET /user refuses
 * installation tokens). Issues are compared by user id: a login can be
 * renamed, and bots' logins differ between the APIs.
 */
export async function readViewer(octokit: Octokit): Promise<CommentAuthor> {
  const { data } = await queryGraphQL<{ viewer: { login: string; databaseId: number | null } }>(
    octokit,
    'query { viewer { login databaseId } }',
    {}
  )
  if (data.viewer.databaseId === null) throw new GitHubError('GitHub: the token has no user id (viewer.databaseId)', 'POST /graphql')
  return { login: data.viewer.login, id: data.viewer.databaseId }
}

/**
 * The oldest open-or-closed issue of this identity that carries the marker.
 * Every page is read: the listing holds every issue and pull request ever opened.
 */
export async function findTrackingIssue(octokit: Octokit, repository: RepositoryRef, marker: string): Promise<TrackedIssue | undefined> {
  const viewer = await readViewer(octokit)
  return withIssues(repository, 'read the drift tracking issue', async () => {
    const items = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: repository.owner,
      repo: repository.repo,
      state: 'all',
      sort: 'created',
      direction: 'asc',
      per_page: 100
    })
    const own = items.find((item) => item.pull_request === undefined && item.user?.id === viewer.id && (item.body ?? '').includes(marker))
    return own ? trackedIssue(own) : undefined
  })
}

export async function createTrackingIssue(
  octokit: Octokit,
  repository: RepositoryRef,
  issue: { title: string; body: string; labels: string[] }
): Promise<TrackedIssue> {
  return withIssues(repository, 'open the drift tracking issue', async () => {
    const { data } = await octokit.rest.issues.create({ ...repository, title: issue.title, body: issue.body, labels: issue.labels })
    return trackedIssue(data)
  })
}

export async function updateTrackingIssue(
  octokit: Octokit,
  repository: RepositoryRef,
  number: number,
  patch: { body?: string; state?: 'open' | 'closed'; labels?: string[] }
): Promise<TrackedIssue> {
  return withIssues(repository, 'update the drift tracking issue', async () => {
    const { data } = await octokit.rest.issues.update({
      ...repository,
      issue_number: number,
      ...(patch.body !== undefined ? { body: patch.body } : {}),
      ...(patch.state !== undefined
        ? { state: patch.state, ...(patch.state === 'closed' ? { state_reason: 'completed' as const } : {}) }
        : {}),
      ...(patch.labels !== undefined ? { labels: patch.labels } : {})
    })
    return trackedIssue(data)
  })
}

export async function commentOnIssue(octokit: Octokit, repository: RepositoryRef, number: number, body: string): Promise<void> {
  await withIssues(repository, 'comment on the drift tracking issue', () =>
    octokit.rest.issues.createComment({ ...repository, issue_number: number, body })
  )
}

interface IssueData {
  number: number
  body?: string | null
  state: string
  html_url: string
  labels: Array<string | { name?: string }>
}

function trackedIssue(data: IssueData): TrackedIssue {
  return {
    number: data.number,
    body: data.body ?? '',
    state: data.state === 'closed' ? 'closed' : 'open',
    url: data.html_url,
    labels: data.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((name) => name !== '')
  }
}

/**
 * 410: the repository has issues turned off. 403 (not a rate limit): the
 * token lacks the `issues` permission. 404 on a repository that exists is
 * GitHub's answer to a private repository the token may not read issues of.
 */
async function withIssues<T>(repository: RepositoryRef, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const status = httpStatus(error)
    const where = `${repository.owner}/${repository.repo}`
    if (status === 410) {
      throw new IssuesUnavailable(
        'disabled',
        `Could not ${what}: issues are disabled in ${where} (HTTP 410). Turn them on (Settings → General → Features → Issues), or set 'issue: false'.`
      )
    }
    if ((status === 403 || status === 404) && !isRateLimited(error)) {
      throw new IssuesUnavailable(
        'forbidden',
        `Could not ${what}: the token may not (HTTP ${status}); grant the workflow 'issues: write', or set 'issue: false'.`
      )
    }
    throw error
  }
}
