/**
 * Whether a plan record found in a pull request's comment may be applied
 * here: its signature verifies under the record key, it was made for this
 * repository, pull request, head commit, base branch and target, and the
 * comment still shows what was signed.
 */
import { ApplyFailure } from '../errors.js'
import type { ReviewedPlan } from './reviewed-plan.js'
import { openRecord, RecordError, unpackDiff, type PlanRecord, type RecordBinding } from './record.js'

/** Where a record is applied, and the digest of the comment text it was found in. */
export interface RecordExpectation extends RecordBinding {
  visibleDigest: string
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
  return record
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
