import type { Octokit } from './client.js'
import { GitHubError } from './error.js'

export type { Octokit }

export interface IssueRef {
  owner: string
  repo: string
  number: number
}

export interface StoredComment {
  id: number
  body: string
  url: string
  author: string
}

/** GITHUB_TOKEN cannot read /user; its comments are written as this bot. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

/** The login the token writes comments as. Only its comments are trusted. */
export async function resolveIdentity(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return data.login
  } catch (error) {
    if (httpStatus(error) === 403 && !isRateLimited(error)) return ACTIONS_BOT_LOGIN
    throw error
  }
}

/**
 * Every page is read: a long discussion pushes the plan comment past the
 * first page, and missing it would post a second one.
 */
export async function findOwnComments(octokit: Octokit, issue: IssueRef, identity: string, marker: string): Promise<StoredComment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    per_page: 100
  })
  return comments
    .filter((comment) => comment.user?.login === identity && (comment.body ?? '').includes(marker))
    .map((comment) => ({
      id: comment.id,
      body: comment.body ?? '',
      url: comment.html_url,
      author: comment.user?.login ?? ''
    }))
}

export async function createComment(octokit: Octokit, issue: IssueRef, body: string): Promise<StoredComment> {
  const { data } = await octokit.rest.issues.createComment({
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    body
  })
  return { id: data.id, body: data.body ?? body, url: data.html_url, author: data.user?.login ?? '' }
}

export async function updateComment(octokit: Octokit, issue: IssueRef, commentId: number, body: string): Promise<StoredComment> {
  const { data } = await octokit.rest.issues.updateComment({
    owner: issue.owner,
    repo: issue.repo,
    comment_id: commentId,
    body
  })
  return { id: data.id, body: data.body ?? body, url: data.html_url, author: data.user?.login ?? '' }
}

export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

export function isRateLimited(error: unknown): boolean {
  return error instanceof GitHubError && error.rateLimited
}

/** No answer, or a server error: the request may have been carried out all the same. */
export function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof GitHubError)) return false
  return error.status === undefined || error.status >= 500
}

export function isBodyTooLong(error: unknown): boolean {
  return httpStatus(error) === 422 && /too long/i.test(JSON.stringify((error as { response?: unknown }).response ?? ''))
}
