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
  options: {
    limit: number
    log: PublishLog
    /** Runs once right before the first write, after GitHub's time is read: throws to write nothing. */
    beforeWrite?: () => Promise<void>
    /**
     * The text to leave instead of a written body GitHub stored differently
     * (its signature would then cover a text nobody sees): after writing it,
     * publishing fails.
     */
    unsigned?: (sent: string) => string
  }
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
    if (listed.comments.length > 1) {
      log.warning(
        `${listed.comments.length} comments of this token carry the plan marker on #${issue.number} (${listed.comments.map((comment) => comment.url).join(', ')}); ` +
          'this run updates the first. Apply refuses while more than one remains: delete the ones the plan job did not write.'
      )
    }
    await options.beforeWrite?.()
    let existing = listed.comments[0]
    let limit = options.limit
    let creates = 0
    for (;;) {
      const body = render(limit, githubTime)
      try {
        if (!existing) creates++
        const stored = await writeComment(octokit, issue, existing, body)
        if (options.unsigned && !storedAsSent(body, stored.body)) await leaveUnsigned(octokit, issue, stored, body, options.unsigned)
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

/** What parseComment accepts as the same text: GitHub may answer CRLF and trims the end. */
function storedAsSent(sent: string, stored: string): boolean {
  const normalized = (text: string) => text.replace(/\r\n/g, '\n').trimEnd()
  return normalized(stored) === normalized(sent)
}

/** Replaces a signed comment GitHub altered with its unsigned form, then fails, saying where the texts differ. */
async function leaveUnsigned(
  octokit: Octokit,
  issue: IssueRef,
  stored: StoredComment,
  sent: string,
  unsigned: (sent: string) => string
): Promise<never> {
  let at = 0
  while (at < sent.length && sent[at] === stored.body[at]) at++
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 20), at + 20))
  await updateComment(octokit, issue, stored.id, unsigned(sent))
  throw new ExpectedError(
    `GitHub stored the plan comment on #${issue.number} differently from the text that was signed (from character ${at}: sent ${around(sent)}, stored ${around(stored.body)}), ` +
      'so the comment would show reviewers something else than its record covers. It was rewritten without the record, and apply refuses it. ' +
      'Report this with the characters above: the plan text must survive GitHub unchanged.'
  )
}

function writeComment(octokit: Octokit, issue: IssueRef, existing: StoredComment | undefined, body: string): Promise<StoredComment> {
  return existing ? updateComment(octokit, issue, existing.id, body) : createComment(octokit, issue, body)
}
