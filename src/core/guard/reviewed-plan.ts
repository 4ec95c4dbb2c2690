/**
 * The checks before anything is sent: the target still has the reviewed
 * hash, the diff applied is exactly the reviewed one, and it drops data only
 * if allowed. Pure, so the command line runs them before it asks for
 * confirmation, and tests run them without a server.
 */
import type { DirectusError } from '../../directus/client.js'
import type { SchemaDiff } from '../../directus/types.js'
import { ACTION_ADVICE, type Advice } from '../advice.js'
import { diffDigest } from '../plan/digest.js'
import { ApplyFailure } from '../errors.js'
import { changeSubject, readDiff, rootFailures, type Change, type ReadingContext } from '../plan/changes.js'
import { isDestructive } from '../plan/destructive.js'
import { plainWords } from '../plan/words.js'
import type { Plan } from '../planner.js'
import type { ApplyPolicy } from '../settings.js'
import type { ConfigRecord } from './config-record.js'

/**
 * The plan a human reviewed: the target hash it was made against, and its exact diff (or the diff's digest).
 * hash and digest are empty when the reviewed plan changed no schema (`hasSchemaPart`).
 */
export interface ReviewedPlan {
  hash: string
  digest: string
  /** The reviewed configuration part (issue #11), when the plan changed configuration. */
  config?: ConfigRecord
  diff?: SchemaDiff
  /** The target hash right after this action's own earlier apply of the same plan; empty when nothing differed then. */
  appliedHash?: string
  /** When this action applied this same plan before (a re-run). */
  appliedAt?: string
  /**
   * Reviewed on a pull request: if the target already matches the base without
   * this plan's own apply, someone else changed it (e.g. a racing merge).
   */
  fromPullRequest?: boolean
}

/** The diff to apply and what Directus will do with it. */
export interface Applicable {
  diff: SchemaDiff
  changes: Change[]
}

/**
 * Returns the diff to apply and its changes, or throws the refusal. The
 * reviewed diff is read with `reading` (by default the current plan's: the
 * hash being the same, so is the target); apply-rules.ts decides what
 * Directus will do with it.
 */
export function checkReviewedPlan(
  plan: ReviewedPlan,
  current: Plan,
  policy: Pick<ApplyPolicy, 'allowDestructive' | 'advice'>,
  reading?: ReadingContext
): Applicable {
  const advice = policy.advice ?? ACTION_ADVICE
  const currentHash = current.kind === 'changes' ? current.hash : null
  if (currentHash !== plan.hash) {
    throw new ApplyFailure(
      'target-changed',
      `The target schema changed since the plan was reviewed (reviewed hash ${plan.hash}, now ${currentHash}). ` +
        `Nothing was applied. ${advice.replan}`
    )
  }
  const diff = reviewedDiff(plan, current, advice)
  const changes =
    current.kind === 'changes' && diff === current.diff
      ? current.changes
      : readDiff(diff, reading ?? (current.kind === 'changes' ? current.reading : {})).changes
  const failing = rootFailures(changes)
  if (failing.length > 0) {
    throw new ApplyFailure(
      'apply-failed',
      `Directus cannot apply the reviewed diff as it was reviewed: ${describeFailures(failing)}. Nothing was applied. ` +
        `Fix the base schema (see the plan), then ${advice.replan.charAt(0).toLowerCase()}${advice.replan.slice(1)}`
    )
  }
  if (isDestructive(changes) && !policy.allowDestructive) {
    throw new ApplyFailure(
      'destructive-blocked',
      `The reviewed diff drops data (${describeDestructive(changes)}). Nothing was applied. ` +
        `Set ${advice.setting('allow-destructive')} to apply it.`
    )
  }
  return { diff, changes }
}

/** Whether the reviewed plan changes the schema: a plan of configuration alone has an empty hash. */
export function hasSchemaPart(plan: Pick<ReviewedPlan, 'hash'>): boolean {
  return plan.hash !== ''
}

/** A plan pinned by a dispatch's plan job (expected-hash and expected-digest), or none. */
export function pinnedPlan(expectedHash: string | undefined, expectedDigest: string | undefined): ReviewedPlan | undefined {
  if (!expectedHash && expectedDigest) {
    throw new ApplyFailure(
      'no-plan',
      `'expected-digest' pins the diff but not the target it was planned against; also pass 'expected-hash: \${{ needs.plan.outputs.hash }}'. Nothing was applied.`
    )
  }
  if (!expectedHash) return undefined
  if (!expectedDigest) {
    throw new ApplyFailure(
      'no-plan',
      `'expected-hash' pins the target but not the diff; also pass 'expected-digest: \${{ needs.plan.outputs.digest }}'. Nothing was applied.`
    )
  }
  return { hash: expectedHash, digest: expectedDigest }
}

/** A run without a reviewed plan (`require-plan: false`) still keeps Directus' hash check. */
export function unreviewedPlan(
  policy: Pick<ApplyPolicy, 'requirePlan' | 'targetName' | 'unplannedPullRequest'>,
  current: Plan & { kind: 'changes' }
): ReviewedPlan {
  if (policy.unplannedPullRequest !== undefined) {
    throw new ApplyFailure(
      'no-plan',
      `Pull request #${policy.unplannedPullRequest} was merged without a reviewed plan for target '${policy.targetName}' ` +
        `(no plan comment of this token, or one whose plan found nothing to change), but the target now differs from the base (${current.summary}). ` +
        "Nothing was applied. 'require-plan: false' covers only pushes without a pull request, never a merged one: " +
        'plan and review the change in a new pull request.'
    )
  }
  if (policy.requirePlan) {
    throw new ApplyFailure(
      'no-plan',
      `No reviewed plan for target '${policy.targetName}'. Nothing was applied. Open a pull request so the plan is reviewed, ` +
        `pass 'expected-hash' and 'expected-digest' from a plan job, or set 'require-plan: false' to apply without review.`
    )
  }
  return { hash: current.hash, digest: current.digest, diff: current.diff }
}

/** Exactly the reviewed diff: carried with the plan, or reproduced with the same digest. */
function reviewedDiff(plan: ReviewedPlan, current: Plan, advice: Advice): SchemaDiff {
  if (plan.diff) return plan.diff
  if (current.kind === 'changes' && current.digest === plan.digest) return current.diff
  // A plan sealed before noise was left out pinned Directus' whole answer: that is what was reviewed.
  if (current.kind === 'changes' && current.untrimmed && diffDigest(current.untrimmed) === plan.digest) return current.untrimmed
  const now = current.kind === 'changes' ? current.digest : 'none'
  throw new ApplyFailure(
    'plan-changed',
    `The diff now (${current.summary}, digest ${now}) is not the reviewed one (digest ${plan.digest}), ` +
      `and the reviewed diff is not stored with the plan. Nothing was applied. ${advice.replan}`
  )
}

/**
 * Directus' own check of the diff against the target (validateApplyDiff), made
 * before anything is applied. "Field … already exists" from the fields
 * service, mid-apply, is not one of them: that is an apply failure.
 */
export function isHashRefusal(error: DirectusError): boolean {
  return (
    error.status === 400 &&
    /(hash does not match|Provided diff is trying to \w+ .* but it (already exists|does not exist))/i.test(error.reason)
  )
}

/** 'articles.body: drops the column and its data; tags: …' */
export function describeDestructive(changes: readonly Change[]): string {
  return changes
    .filter((change) => change.destructive)
    .map((change) => `${changeSubject(change, 'standalone') ?? change.collection}: ${change.destructiveReason ?? change.action}`)
    .join('; ')
}

/** 'field `articles.body`: its diff starts by adding …' */
export function describeFailures(changes: readonly Change[]): string {
  return changes
    .map(
      (change) =>
        `${change.entity === 'systemField' ? 'system field' : change.entity} ${changeSubject(change, 'standalone') ?? change.collection}: ${plainWords(change.failure ?? [])}`
    )
    .join('; ')
}
