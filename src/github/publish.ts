import * as core from '@actions/core'
import {
  createComment,
  findOwnComments,
  httpStatus,
  isBodyTooLong,
  resolveIdentity,
  updateComment,
  type IssueRef,
  type Octokit,
  type StoredComment
} from './comments.js'

/** GitHub's own cap on a comment body. */
export const COMMENT_LIMIT = 65_536

export interface PublishResult {
  url?: string
  /** Set when the comment could not be written and the run carries on without it. */
  skipped?: string
}

/**
 * Creates the one comment for this marker, or updates it in place. `render`
 * gets the size budget, so a 422 "body too long" is answered with a shorter
 * report rather than a failure.
 */
export async function publishComment(
  octokit: Octokit,
  issue: IssueRef,
  marker: string,
  render: (limit: number) => string
): Promise<PublishResult> {
  try {
    const identity = await resolveIdentity(octokit)
    const existing = await findOwnComments(octokit, issue, identity, marker)
    let limit = COMMENT_LIMIT
    for (;;) {
      const body = render(limit)
      try {
        const stored = await writeComment(octokit, issue, existing[0], body)
        return { url: stored.url }
      } catch (error) {
        if (!isBodyTooLong(error) || limit < 4096) throw error
        limit = Math.floor(limit / 2)
        core.info(`GitHub refused the comment as too long; retrying with a ${limit}-character report`)
      }
    }
  } catch (error) {
    const status = httpStatus(error)
    if (status === 403 || status === 404) {
      const reason = `the token may not comment on pull request #${issue.number} (HTTP ${status}); grant 'pull-requests: write'. The report is in the job summary.`
      core.warning(`Plan comment skipped: ${reason}`)
      return { skipped: reason }
    }
    throw error
  }
}

/** The plan comment written by this token for this marker, if any. */
export async function readOwnComment(
  octokit: Octokit,
  issue: IssueRef,
  marker: string
): Promise<StoredComment | undefined> {
  const identity = await resolveIdentity(octokit)
  return (await findOwnComments(octokit, issue, identity, marker))[0]
}

function writeComment(
  octokit: Octokit,
  issue: IssueRef,
  existing: StoredComment | undefined,
  body: string
): Promise<StoredComment> {
  return existing ? updateComment(octokit, issue, existing.id, body) : createComment(octokit, issue, body)
}
