/**
 * What the pull request itself must show before its plan is written or
 * applied: its state, the branch it merged into, when it merged, and who
 * approved what, as GitHub's API (not the event payload, which a re-run
 * repeats) tells it. Pure: the action reads the facts, these decide.
 */
import { ExpectedError, ApplyFailure } from '../errors.js'
import { countOf } from '../wording.js'
import type { PlanRecord } from './record.js'

/** One reviewer's latest opinion (GraphQL latestOpinionatedReviews, writersOnly). */
export interface ReviewFacts {
  state: string
  /** ISO 8601 from GitHub; null for a review that was never submitted. */
  submittedAt: string | null
  /** null for a deleted account; `type` is the GraphQL __typename (User, Bot, …). */
  author: { login: string; type: string } | null
  /** authorCanPushToRepository: write access now. */
  canPush: boolean
  /** The commit reviewed; null once it is gone from the repository. */
  commit: string | null
}

export interface PullRequestFacts {
  number: number
  state: 'OPEN' | 'CLOSED' | 'MERGED'
  mergedAt: string | null
  headSha: string
  baseRef: string
  /** The pull request's author's login; null for a deleted account. */
  author: string | null
  /** The head lives in a fork. */
  crossRepository: boolean
  /** Each writer's latest opinion; empty unless asked for. */
  reviews: ReviewFacts[]
}

/** The plan of a closed or merged pull request is what was reviewed (or abandoned): never rewritten. */
export function checkOpenForPlan(pull: Pick<PullRequestFacts, 'number' | 'state'>): void {
  if (pull.state === 'OPEN') return
  throw new ExpectedError(
    `Pull request #${pull.number} is ${pull.state.toLowerCase()}, so its plan comment is not rewritten: it holds what was reviewed. ` +
      'A re-run of an old plan job would otherwise replace it with a diff nobody approved. To plan again, open a new pull request.'
  )
}

/** Apply on a push runs only the plan of a pull request merged into the pushed branch. */
export function checkMergedInto(pull: Pick<PullRequestFacts, 'number' | 'state' | 'baseRef'>, pushedRef: string): void {
  const branch = pushedRef.startsWith('refs/heads/') ? pushedRef.slice('refs/heads/'.length) : undefined
  if (pull.state !== 'MERGED') {
    throw new ApplyFailure('no-plan', `Pull request #${pull.number} is ${pull.state.toLowerCase()}, not merged. Nothing was applied.`)
  }
  if (branch === undefined || pull.baseRef !== branch) {
    throw new ApplyFailure(
      'no-plan',
      `Pull request #${pull.number} was merged into ${pull.baseRef}, but this run applies a push to ${pushedRef || 'an unknown ref (GITHUB_REF is empty)'}. ` +
        `Nothing was applied. Run apply only on pushes to the branch the plan was reviewed for (on: push: branches: [${pull.baseRef}]).`
    )
  }
}

/** A record signed after the merge was written by a plan re-run on the merged pull request: nobody reviewed it. */
export function checkSignedBeforeMerge(record: Pick<PlanRecord, 'signedAt' | 'pullRequest'>, mergedAt: string | null): void {
  if (mergedAt === null) return
  if (Date.parse(record.signedAt) > Date.parse(mergedAt)) {
    throw new ApplyFailure(
      'no-plan',
      `The plan record on pull request #${record.pullRequest} was signed at ${record.signedAt}, after the pull request was merged at ${mergedAt}: ` +
        'a plan job ran again after the merge, and nobody reviewed what it wrote. Nothing was applied. Open a new pull request to plan and review the change.'
    )
  }
}

type Verdict = 'counts' | 'not-approval' | 'bot' | 'author' | 'planner' | 'no-write' | 'other-commit' | 'before-plan'

/**
 * At least one approval must count: the reviewer's latest opinion, by a person
 * with write access other than the author and whoever caused the plan (the
 * record's `plannedBy`: who pushed or re-ran it), on the planned head commit, and
 * submitted after the plan was signed (strictly: both times have one-second
 * resolution, so the same second is not "after").
 */
export function checkApproved(
  record: Pick<PlanRecord, 'signedAt' | 'headSha' | 'pullRequest' | 'plannedBy'>,
  pull: Pick<PullRequestFacts, 'author' | 'reviews'>
): void {
  const signedAt = Date.parse(record.signedAt)
  const planners = new Set((record.plannedBy ?? []).map((login) => login.toLowerCase()))
  const verdictOf = (review: ReviewFacts): Verdict => {
    if (review.state !== 'APPROVED') return 'not-approval'
    if (review.author === null || review.author.type !== 'User') return 'bot'
    if (pull.author !== null && review.author.login.toLowerCase() === pull.author.toLowerCase()) return 'author'
    if (planners.has(review.author.login.toLowerCase())) return 'planner'
    if (!review.canPush) return 'no-write'
    if (review.commit !== record.headSha) return 'other-commit'
    if (review.submittedAt === null || !(Date.parse(review.submittedAt) > signedAt)) return 'before-plan'
    return 'counts'
  }
  const approvals = pull.reviews
    .map((review) => ({ review, verdict: verdictOf(review) }))
    .filter(({ verdict }) => verdict !== 'not-approval')
  if (approvals.some(({ verdict }) => verdict === 'counts')) return

  const who = (review: ReviewFacts) => review.author?.login ?? 'a deleted account'
  const found = (verdict: Verdict, describe: (reviews: ReviewFacts[]) => string): string[] => {
    const matching = approvals.filter((approval) => approval.verdict === verdict).map(({ review }) => review)
    return matching.length === 0 ? [] : [describe(matching)]
  }
  const details = [
    ...found(
      'before-plan',
      (reviews) =>
        `${countOf(reviews.length, 'approval')} given before the plan was last updated at ${record.signedAt} (${reviews
          .map((review) => `${who(review)} at ${review.submittedAt ?? 'an unknown time'}`)
          .join(', ')})`
    ),
    ...found(
      'other-commit',
      (reviews) =>
        `${countOf(reviews.length, 'approval')} of another commit than the planned ${record.headSha} (${reviews
          .map((review) => `${who(review)} on ${review.commit ?? 'a commit that no longer exists'}`)
          .join(', ')})`
    ),
    ...found(
      'no-write',
      (reviews) => `${countOf(reviews.length, 'approval')} by someone without write access (${reviews.map(who).join(', ')})`
    ),
    ...found('author', (reviews) => `an approval by the pull request's author (${reviews.map(who).join(', ')})`),
    ...found(
      'planner',
      (reviews) =>
        `${countOf(reviews.length, 'approval')} by who caused the plan, by pushing to the pull request or running its plan job (${reviews.map(who).join(', ')})`
    ),
    ...found('bot', (reviews) => `${countOf(reviews.length, 'approval')} by a bot or a deleted account (${reviews.map(who).join(', ')})`)
  ]
  const what = details.length === 0 ? 'it has no approval at all' : `it has only ${details.join('; ')}`
  throw new ApplyFailure(
    'not-approved',
    `Pull request #${record.pullRequest} was not approved after its last plan: ${what}. ` +
      'An approval counts when a person with write access, other than the author and whoever caused the plan' +
      `${record.plannedBy && record.plannedBy.length > 0 ? ` (${record.plannedBy.join(', ')})` : ''}, approves the planned commit after the plan comment was last written. ` +
      "Nothing was applied. Re-run this job once such an approval is given, or set 'require-approval: false' to apply without an approval " +
      '(then anyone who can merge can apply a plan nobody approved).'
  )
}
