import type { IssueRef, Octokit } from './comments.js'
import { GitHubError } from './error.js'
import { queryGraphQL } from './graphql.js'
import type { PullRequestFacts, ReviewFacts } from '../core/guard/pull-request.js'

export interface MergedPullRequest {
  number: number
  headSha: string
}

/**
 * The pull request whose merge produced `sha`. Only a merged one whose
 * merge commit is exactly `sha` counts: a commit can be listed for several
 * open pull requests that merely contain it.
 */
export async function findMergedPullRequest(
  octokit: Octokit,
  repository: Omit<IssueRef, 'number'>,
  sha: string
): Promise<MergedPullRequest | undefined> {
  const pulls = await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
    owner: repository.owner,
    repo: repository.repo,
    commit_sha: sha,
    per_page: 100
  })
  const merged = pulls.find((pull) => pull.merged_at && pull.merge_commit_sha === sha)
  return merged ? { number: merged.number, headSha: merged.head.sha } : undefined
}

/** Whom the token acts as: the only author whose comments are read. */
export interface Viewer {
  login: string
  id: number
}

/** 100 writers' opinions a page; a pull request with more than 10,000 is refused rather than half read. */
const MAX_REVIEW_PAGES = 100

const PULL_FIELDS = 'number state mergedAt headRefOid baseRefName isCrossRepository author { login __typename }'
const REVIEWS =
  'latestOpinionatedReviews(first: 100, after: $after, writersOnly: true) { ' +
  'nodes { state submittedAt author { login __typename } authorCanPushToRepository commit { oid } } ' +
  'pageInfo { hasNextPage endCursor } }'

function pullQuery(withReviews: boolean): string {
  const after = withReviews ? ', $after: String' : ''
  return (
    `query($owner: String!, $name: String!, $number: Int!${after}) { viewer { login databaseId } ` +
    `repository(owner: $owner, name: $name) { pullRequest(number: $number) { ${PULL_FIELDS}${withReviews ? ` ${REVIEWS}` : ''} } } }`
  )
}

interface ActorNode {
  login: string
  __typename: string
}

interface PullNode {
  number: number
  state: PullRequestFacts['state']
  mergedAt: string | null
  headRefOid: string
  baseRefName: string
  isCrossRepository: boolean
  author: ActorNode | null
  latestOpinionatedReviews?: {
    nodes: ({
      state: string
      submittedAt: string | null
      author: ActorNode | null
      authorCanPushToRepository: boolean
      commit: { oid: string } | null
    } | null)[]
    pageInfo: { hasNextPage: boolean; endCursor: string | null }
  }
}

interface PullAnswer {
  viewer: { login: string; databaseId: number | null }
  repository: { pullRequest: PullNode | null } | null
}

/**
 * The pull request as GitHub's API has it now, never as the event payload
 * had it (a re-run repeats an old payload), and the token's own identity, in
 * one GraphQL query; with reviews, every page of them.
 */
export async function readPullRequest(
  octokit: Octokit,
  issue: IssueRef,
  options: { reviews: boolean }
): Promise<{ viewer: Viewer; pull: PullRequestFacts }> {
  const reviews: ReviewFacts[] = []
  let after: string | null = null
  for (let page = 1; ; page++) {
    const variables: Record<string, unknown> = { owner: issue.owner, name: issue.repo, number: issue.number }
    if (options.reviews) variables['after'] = after
    const { data } = await queryGraphQL<PullAnswer>(octokit, pullQuery(options.reviews), variables)
    const node = data.repository?.pullRequest
    if (!node) {
      throw new GitHubError(`GitHub: pull request #${issue.number} of ${issue.owner}/${issue.repo} was not found`, 'POST /graphql')
    }
    if (data.viewer.databaseId === null) throw new GitHubError('GitHub: the token has no user id (viewer.databaseId)', 'POST /graphql')
    const connection = node.latestOpinionatedReviews
    for (const review of connection?.nodes ?? []) {
      if (!review) continue
      reviews.push({
        state: review.state,
        submittedAt: review.submittedAt,
        author: review.author ? { login: review.author.login, type: review.author.__typename } : null,
        canPush: review.authorCanPushToRepository,
        commit: review.commit?.oid ?? null
      })
    }
    if (connection?.pageInfo.hasNextPage) {
      if (!connection.pageInfo.endCursor || page >= MAX_REVIEW_PAGES) {
        throw new GitHubError(`GitHub: the reviews of pull request #${issue.number} could not all be read (page ${page})`, 'POST /graphql')
      }
      after = connection.pageInfo.endCursor
      continue
    }
    return {
      viewer: { login: data.viewer.login, id: data.viewer.databaseId },
      pull: {
        number: node.number,
        state: node.state,
        mergedAt: node.mergedAt,
        headSha: node.headRefOid,
        baseRef: node.baseRefName,
        author: node.author?.login ?? null,
        crossRepository: node.isCrossRepository,
        reviews
      }
    }
  }
}
