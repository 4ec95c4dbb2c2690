import type { IssueRef, Octokit } from './comments.js'

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
