import { ExpectedError } from '../core/errors.js'
import {
  createComment,
  findOwnComments,
  httpStatus,
  isAmbiguous,
  isBodyTooLong,
  isRateLimited,
  updateComment,
  type CommentAuthor,
  type IssueRef,
  type Octokit,
  type StoredComment
} from './comments.js'

/** Where publishing says what it did: the action's log. */
export interface PublishLog {
  info(line: string): void
  warning(line: string): void
}

export interface PublishResult {
  url?: string
  /** Set when the comment could not be written and the run carries on without it. */
  skipped?: string
}

/** How often a comment whose creation got no clear answer is looked for and created again. */
const CREATE_ATTEMPTS = 3

/**
 * Creates the one comment for this marker, or updates it in place. `render`
 * gets the size budget, so a 422 "body too long" is answered with a shorter
 * report rather than a failure, and GitHub's time at the last answer before
 * the write (the comments' last page), which is when the comment is signed.
 * A create that got no clear answer may have been stored: the comments are
 * read again before another is created.
 */
export async function publishComment(
  octokit: Octokit,
  issue: IssueRef,
  author: CommentAuthor,
  marker: string,
  render: (limit: number, githubTime: Date) => string,
  options: { limit: number; log: PublishLog }
): Promise<PublishResult> {
  const log = options.log
  try {
    const listed = await findOwnComments(octokit, issue, author, marker)
    const githubTime = listed.date
    if (!githubTime) {
      throw new ExpectedError(
        `GitHub's answer listing the comments of #${issue.number} had no Date header, and the plan is signed with GitHub's time`
      )
    }
    let existing = listed.comments[0]
    let limit = options.limit
    let creates = 0
    for (;;) {
      const body = render(limit, githubTime)
      try {
        if (!existing) creates++
        const stored = await writeComment(octokit, issue, existing, body)
        return { url: stored.url }
      } catch (error) {
        if (isBodyTooLong(error) && limit >= 4096) {
          limit = Math.floor(limit / 2)
          log.info(`GitHub refused the comment as too long; retrying with a ${limit}-character report`)
        } else if (!existing && isAmbiguous(error) && creates < CREATE_ATTEMPTS) {
          log.info(`Creating the plan comment got no clear answer (${(error as Error).message}); looking for it before trying again`)
          existing = (await findOwnComments(octokit, issue, author, marker)).comments[0]
        } else {
          throw error
        }
      }
    }
  } catch (error) {
    const status = httpStatus(error)
    if ((status === 403 || status === 404) && !isRateLimited(error)) {
      const reason = `the token may not comment on pull request #${issue.number} (HTTP ${status}); grant 'pull-requests: write'. The report is in the job summary.`
      log.warning(`Plan comment skipped: ${reason}`)
      return { skipped: reason }
    }
    throw error
  }
}

/** The plan comment written by this token for this marker, if any. */
export async function readOwnComment(
  octokit: Octokit,
  issue: IssueRef,
  author: CommentAuthor,
  marker: string
): Promise<StoredComment | undefined> {
  return (await findOwnComments(octokit, issue, author, marker)).comments[0]
}

function writeComment(octokit: Octokit, issue: IssueRef, existing: StoredComment | undefined, body: string): Promise<StoredComment> {
  return existing ? updateComment(octokit, issue, existing.id, body) : createComment(octokit, issue, body)
}
