/**
 * Whether a plan record found in a pull request's comment may be applied
 * here: its signature verifies under the record key, it was made for this
 * repository, pull request, head commit, base branch and target, and the
 * comment still shows what was signed.
 */
import { ApplyFailure } from '../errors.js'
import type { ReviewedPlan } from './reviewed-plan.js'
import { openRecord, RecordError, unpackDiff, type PlanRecord, type RecordBinding } from './record.js'

/** Where a record is applied, and the digests of the comment text it was found in. */
export interface RecordExpectation extends RecordBinding {
  visibleDigest: string
  /** statusDigest of the comment's status block as found; checked against records that carry one. */
  statusDigest?: string
}

/** The record, opened and checked against where it is applied; refuses with `no-plan` otherwise. */
export function trustedRecord(sealed: string, key: Buffer, expected: RecordExpectation): PlanRecord {
  let record: PlanRecord
  try {
    record = openRecord(sealed, key)
  } catch (error) {
    if (!(error instanceof RecordError)) throw error
    throw new ApplyFailure(
      'no-plan',
      `The plan comment on pull request #${expected.pullRequest} is not trusted: ${error.message}. Nothing was applied. Re-run the plan.`
    )
  }
  const mismatch =
    record.repository !== expected.repository
      ? `it was made for ${record.repository}`
      : record.pullRequest !== expected.pullRequest
        ? `it was made for pull request #${record.pullRequest}`
        : record.targetName !== expected.targetName || record.targetUrl !== expected.targetUrl
          ? `it was made for target ${record.targetName} (${record.targetUrl})`
          : record.headSha !== expected.headSha
            ? `it was made at commit ${record.headSha}, but the pull request was merged at ${expected.headSha}`
            : record.baseRef !== expected.baseRef
              ? `it was made for a merge into ${record.baseRef}, but the pull request was merged into ${expected.baseRef}`
              : undefined
  if (mismatch) {
    throw new ApplyFailure(
      'no-plan',
      `The plan record on pull request #${expected.pullRequest} does not belong here: ${mismatch}. Nothing was applied. Re-run the plan.`
    )
  }
  if (record.visibleDigest !== expected.visibleDigest) {
    throw new ApplyFailure(
      'no-plan',
      `The plan comment on pull request #${expected.pullRequest} was edited after it was signed; re-run the plan. ` +
        'What it shows is no longer what was signed at ' +
        `${record.signedAt}, so nobody can tell what reviewers saw. Nothing was applied.`
    )
  }
  if (record.statusDigest !== undefined && expected.statusDigest !== undefined && record.statusDigest !== expected.statusDigest) {
    throw new ApplyFailure(
      'no-plan',
      `The status of the plan comment on pull request #${expected.pullRequest} was edited: it is not what this action last wrote there. ` +
        'Reviewers may have read something else beside the plan, so nobody can tell what they approved. Nothing was applied. Re-run the plan.'
    )
  }
  return record
}

/**
 * A plan whose comment could not show all of it (the size limit left out the
 * raw diff or some changes) was not seen whole by its reviewers: applied only
 * when the apply job says that is enough (`allow-partial-review`).
 */
export function checkCompleteReview(record: Pick<PlanRecord, 'complete' | 'pullRequest'>, allowPartialReview: boolean): void {
  if (record.complete !== false || allowPartialReview) return
  throw new ApplyFailure(
    'partial-review',
    `The plan comment on pull request #${record.pullRequest} could not show the whole plan (GitHub's size limit left out the raw diff or some changes), ` +
      'so its reviewers did not see everything that would be applied. Nothing was applied. Split the change into smaller pull requests, ' +
      "or, where reviewing the plan run's job summary or diff file is review enough, set 'allow-partial-review: true' on the apply job."
  )
}

/** The reviewed plan a trusted record stands for; without its packed diff when that cannot be recovered. */
export function reviewedPlanOf(record: PlanRecord): ReviewedPlan {
  return {
    hash: record.hash,
    digest: record.digest,
    ...packedDiff(record),
    ...(record.appliedHash !== undefined ? { appliedHash: record.appliedHash } : {}),
    ...(record.appliedAt ? { appliedAt: record.appliedAt } : {}),
    ...(record.config ? { config: record.config } : {}),
    fromPullRequest: true
  }
}

function packedDiff(record: PlanRecord): Pick<ReviewedPlan, 'diff'> {
  try {
    const diff = unpackDiff(record)
    return diff ? { diff } : {}
  } catch (error) {
    if (!(error instanceof RecordError)) throw error
    return {}
  }
}

/**
 * The one plan comment of the token's identity for the target, or undefined
 * when there is none. Any workflow's GITHUB_TOKEN writes as the same bot, so a
 * writer can post a second comment with the target's marker (a copy of an
 * older, once valid plan of this pull request and head, say): with more than
 * one, nobody can tell which one reviewers read, and apply refuses.
 */
export function onlyPlanComment<T extends { id: number; url: string }>(
  comments: readonly T[],
  pullRequest: number,
  targetName: string
): T | undefined {
  if (comments.length <= 1) return comments[0]
  throw new ApplyFailure(
    'no-plan',
    `Pull request #${pullRequest} has ${comments.length} comments of this token that carry the plan marker of target '${targetName}' ` +
      `(${comments.map((comment) => comment.url).join(', ')}), where the action writes one: nobody can tell which one reviewers read. ` +
      'Nothing was applied. Someone posted or copied a plan comment: find out who (GitHub keeps each comment’s edit history), ' +
      'delete the comments the plan job did not write, and re-run this job.'
  )
}
