import type { Octokit } from './client.js'
import { GitHubError } from './error.js'
import { dateOf } from './graphql.js'

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

/** The token's own identity (GraphQL viewer): only its comments are read. */
export interface CommentAuthor {
  login: string
  id: number
}

export interface OwnComments {
  comments: StoredComment[]
  /** GitHub's time at the last page's answer (its Date header). */
  date?: Date
}

/**
 * Every page is read: a long discussion pushes the plan comment past the
 * first page, and missing it would post a second one. Authors are compared
 * by id: a login can be renamed, and bots' logins differ between the APIs.
 */
export async function findOwnComments(octokit: Octokit, issue: IssueRef, author: CommentAuthor, marker: string): Promise<OwnComments> {
  const found: StoredComment[] = []
  let date: Date | undefined
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: issue.owner,
    repo: issue.repo,
    issue_number: issue.number,
    per_page: 100
  })) {
    date = dateOf(page.headers as Record<string, unknown>) ?? date
    for (const comment of page.data) {
      if (comment.user?.id !== author.id || !(comment.body ?? '').includes(marker)) continue
      found.push({ id: comment.id, body: comment.body ?? '', url: comment.html_url, author: comment.user.login })
    }
  }
  return { comments: found, ...(date ? { date } : {}) }
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
