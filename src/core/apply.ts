/**
 * Apply, shared by the action and the command line: the guard's checks (see
 * guard/), then the reviewed diff sent once, then verification that no
 * reviewed change is still pending. Where a run's findings are reported
 * (outputs, comments, a terminal) is the caller's business.
 */
import { DirectusError, type DirectusConnection } from '../directus/client.js'
import { clearSystemCache } from '../directus/cache.js'
import { applySchemaDiff } from '../directus/schema.js'
import type { SchemaDiff, SchemaSnapshot } from '../directus/types.js'
import { loadBaseSnapshot } from './base-snapshot.js'
import { ACTION_ADVICE } from './advice.js'
import { ApplyFailure } from './errors.js'
import {
  checkReviewedPlan,
  describeDestructive,
  hasSchemaPart,
  isHashRefusal,
  unreviewedPlan,
  type ReviewedPlan
} from './guard/reviewed-plan.js'
import { verifyAgainst } from './guard/verify.js'
import { summarizeChanges, type Change } from './plan/changes.js'
import { isDestructive } from './plan/destructive.js'
import { diffDigest } from './plan/digest.js'
import { isNonTransactional, partialApplyFailure } from './partial-apply.js'
import { diffOnTarget, readingContext, type Plan } from './planner.js'
import type { Session } from './session.js'
import type { ApplyPolicy, BaseRequest } from './settings.js'
import type { StepRunner } from './steps.js'
import { countOf } from './wording.js'

export interface ApplyHooks {
  step: StepRunner
  info(line: string): void
  warning(line: string): void
  /** The diff as it is now, before any check: the action sets its plan outputs from it. */
  onCurrentPlan?(current: Plan): void
  /** Directus accepted the apply: from here on the target has changed, whatever verification finds. */
  onApplied?(): void
}

export type ApplyOutcome =
  | { applied: false; current: Plan; text: string }
  | { applied: true; current: Plan; changes: Change[]; appliedHash: string; residue?: string; note?: string }

export async function applyReviewed(
  session: Session,
  reviewed: ReviewedPlan | undefined,
  request: BaseRequest & ApplyPolicy,
  hooks: ApplyHooks
): Promise<ApplyOutcome> {
  const { snapshot, warnings } = await hooks.step('snapshot', () => loadBaseSnapshot(request, session))
  const current = await hooks.step('diff', () => diffOnTarget(snapshot, session.target, session.versions.target, { ...request, warnings }))
  hooks.onCurrentPlan?.(current)
  for (const warning of current.warnings) hooks.warning(warning)

  if (reviewed && !hasSchemaPart(reviewed)) {
    // Reviewed as configuration alone: the schema must still match, or the reviewer did not see its change.
    if (current.kind === 'no-changes')
      return { applied: false, current, text: 'The reviewed plan changes no schema, and the schema still matches the base.' }
    throw new ApplyFailure(
      'plan-changed',
      `The reviewed plan changes no schema, but the schema differs now (${current.summary}). Nothing was applied. ${(request.advice ?? ACTION_ADVICE).replan}`
    )
  }
  const currentHash = current.kind === 'changes' ? current.hash : null
  if (reviewed?.appliedAt) {
    if (currentHash === null || currentHash === reviewed.appliedHash) {
      return {
        applied: false,
        current,
        text:
          `This plan was applied at ${reviewed.appliedAt} and the target is exactly as that apply left it; nothing to apply.` +
          (currentHash ? ` What still differs is normalisation residue: ${current.summary} (hash ${currentHash}).` : '')
      }
    }
    throw alreadyApplied(reviewed, currentHash)
  }
  if (current.kind === 'no-changes') {
    if (reviewed?.fromPullRequest) {
      throw new ApplyFailure(
        'target-changed',
        `The target already holds the base schema, but not through this plan's apply: another run or a manual change got there first. Nothing was applied.`
      )
    }
    return { applied: false, current, text: 'The target already matches the base; nothing to apply.' }
  }

  const plan = reviewed ?? unreviewedPlan(request, current)
  if (!reviewed) hooks.warning(`Applying to ${request.targetName} without a reviewed plan (require-plan: false).`)
  // A reviewed diff other than today's (the base moved on) is read against the same target: the hash is the reviewed one.
  const otherDiff =
    plan.diff !== undefined && plan.hash === current.hash && diffDigest(plan.diff) !== current.digest ? plan.diff : undefined
  const reading = otherDiff ? await readingContext(otherDiff, session.target, current.reading) : undefined
  const { diff, changes } = checkReviewedPlan(plan, current, request, reading)
  if (isDestructive(changes)) {
    const count = countOf(changes.filter((change) => change.destructive).length, 'destructive change')
    hooks.warning(`Applying ${count} to ${request.targetName} (${describeDestructive(changes)}).`)
  }

  const note = await hooks.step('apply', () =>
    applyOnce(session.target, plan, diff, changes, snapshot, request, hooks, current.target.vendor)
  )
  hooks.onApplied?.()
  const after = await hooks.step('verify', () => verifyApplied(session.target, snapshot, changes, request))
  if (after.residue) hooks.warning(after.residue)
  return {
    applied: true,
    current,
    changes,
    appliedHash: after.hash ?? '',
    ...(note ? { note } : {}),
    ...(after.residue ? { residue: after.residue } : {})
  }
}

/**
 * A reviewed plan is applied once. After its apply, only the target exactly
 * as that apply left it is a success (a re-run); any other state, even the
 * hash the plan was reviewed against (the target reverted since), is not
 * what the reviewers approved to change: they approved one change at one time.
 */
function alreadyApplied(reviewed: ReviewedPlan, currentHash: string): ApplyFailure {
  const left = reviewed.appliedHash ? `hash ${reviewed.appliedHash}` : 'the base schema'
  const back = currentHash === reviewed.hash ? ', which is the hash it was reviewed against: the target went back' : ''
  return new ApplyFailure(
    'target-changed',
    `The target schema changed since the plan was reviewed and applied at ${reviewed.appliedAt} (hash now ${currentHash}${back}; that apply left ${left}). ` +
      'A reviewed plan is applied once: it is not applied again to a target that moved since. Nothing was applied. ' +
      'Plan and review the change again (a new pull request).'
  )
}

/**
 * Apply is sent once and never retried. When it fails without a clear answer,
 * the target is diffed again to learn whether it took effect.
 */
async function applyOnce(
  target: DirectusConnection,
  plan: ReviewedPlan,
  diff: SchemaDiff,
  changes: readonly Change[],
  snapshot: SchemaSnapshot,
  policy: ApplyPolicy,
  hooks: ApplyHooks,
  targetVendor: string | undefined
): Promise<string | undefined> {
  try {
    await applySchemaDiff(target, { hash: plan.hash, diff })
    return undefined
  } catch (error) {
    if (!(error instanceof DirectusError)) throw error
    if (isHashRefusal(error)) {
      throw new ApplyFailure(
        'target-changed',
        `Directus refused the apply: the target schema changed since the plan (${error.reason}). Nothing was applied. Re-run the plan.`
      )
    }
    const ambiguous = isAmbiguous(error)
    // What a failed apply committed on MySQL/MariaDB is missing from Directus' cached schema until this.
    if (isNonTransactional(targetVendor)) {
      await clearSystemCache(target).catch((cacheError: Error) =>
        hooks.warning(`Could not clear the target's cached schema after the failed apply: ${cacheError.message}`)
      )
    }
    // Directus' own refusal (4xx with its error code) comes from inside its one
    // transaction or before it: on databases whose schema changes roll back,
    // nothing of this apply remains, whatever the target shows now.
    const refusedWhole = isDirectusRefusal(error) && TRANSACTIONAL_DDL.has(targetVendor ?? '')
    const after = await recheck(target, snapshot, plan, changes, policy, hooks, ambiguous)
    if (!after) {
      const outcome = refusedWhole
        ? `Directus refused it in one transaction, so nothing of it was applied, but the target could not be checked afterwards`
        : 'The target could not be checked afterwards; inspect it before retrying'
      throw new ApplyFailure('apply-failed', `${error.message}. ${outcome}.`)
    }
    const afterHash = after.kind === 'changes' ? after.hash : null
    if (afterHash === plan.hash) {
      throw new ApplyFailure('apply-failed', `${error.message}. The target is unchanged; nothing was applied.${licenseHint(error)}`)
    }
    if (refusedWhole) {
      throw new ApplyFailure(
        'target-changed',
        `${error.message}. Directus refused this apply, and the target's schema is no longer the reviewed one (hash now ${afterHash ?? 'that of the base'}, reviewed ${plan.hash}): ` +
          `another apply got there first, or the target was changed by hand. Nothing was applied by this run. Re-run the plan.`
      )
    }
    // Directus answered a failure: what it still asks exactly as reviewed was not applied. Without an answer the
    // apply may have run, and a re-emitted property is residue as after any apply.
    const pending = after.kind === 'changes' ? verifyAgainst(changes, after.changes, { reemittedIsPending: !ambiguous }).pending : []
    if (pending.length === 0 && isDirectusRefusal(error)) {
      throw new ApplyFailure(
        'target-changed',
        `${error.message}. The target now holds the reviewed schema, but not from this run: another apply got there first.`
      )
    }
    if (pending.length === 0) {
      // No answer, or an error Directus raised after its transaction (flushing
      // caches, re-reading the schema): the change is in, so say it is.
      const note = ambiguous
        ? `The apply request failed (${error.reason}), but the target now holds the reviewed schema: it took effect.`
        : `Directus answered an error after the apply (${error.reason}), but the target now holds the reviewed schema: the apply took effect before the error.`
      hooks.warning(note)
      return note
    }
    if (after.kind === 'changes' && pending.length < changes.length) {
      throw partialApplyFailure(error, changes, pending, after.hash, targetVendor, policy.advice)
    }
    throw new ApplyFailure(
      'apply-failed',
      `${error.message}. The target changed but does not hold the reviewed schema (${pending.length} reviewed change(s) still pending); inspect it before retrying.${licenseHint(error)}`
    )
  }
}

/** Pause between looks at a target whose apply may still be running. */
const SETTLE_PAUSE_MS = 1_000

/**
 * The target after a failed apply. After an ambiguous failure Directus may
 * still be applying, so the target is looked at until it holds still (the
 * same hash twice), holds the reviewed schema, or three request timeouts pass.
 */
async function recheck(
  target: DirectusConnection,
  snapshot: SchemaSnapshot,
  plan: ReviewedPlan,
  changes: readonly Change[],
  policy: ApplyPolicy,
  hooks: ApplyHooks,
  ambiguous: boolean
): Promise<Plan | undefined> {
  const deadline = Date.now() + policy.timeoutMs * 3
  let previousHash: string | null | undefined
  for (;;) {
    const after = await diffOnTarget(snapshot, target, undefined, policy).catch(() => undefined)
    const afterHash = after === undefined ? undefined : after.kind === 'changes' ? after.hash : null
    // Re-emitted residue is not pending, so an unchanged target (the reviewed hash) does not hold the reviewed schema yet.
    const holdsReviewed =
      after !== undefined &&
      (after.kind === 'no-changes' || (after.hash !== plan.hash && verifyAgainst(changes, after.changes).pending.length === 0))
    const settled = afterHash !== undefined && previousHash !== undefined && afterHash === previousHash
    if (!ambiguous || holdsReviewed || settled || Date.now() + SETTLE_PAUSE_MS > deadline) return after
    hooks.info(
      `The apply request got no clear answer; looking at the target again in ${SETTLE_PAUSE_MS} ms (hash now ${afterHash ?? 'unknown'}, reviewed ${plan.hash})`
    )
    previousHash = afterHash
    await new Promise((resolve) => setTimeout(resolve, SETTLE_PAUSE_MS))
  }
}

/**
 * No answer, or an error page from something in front of Directus (a load
 * balancer's 502 after its own timeout): the apply may have run all the same.
 */
function isAmbiguous(error: DirectusError): boolean {
  return error.status === undefined || (error.status >= 500 && error.code === undefined)
}

/** Databases whose schema changes roll back with Directus' apply transaction (docs/directus-apply-rules.md, docs/mariadb.md). */
const TRANSACTIONAL_DDL = new Set(['sqlite', 'postgres'])

/** Directus itself refused the request (its 4xx answers carry its error code), as opposed to a proxy in front of it. */
function isDirectusRefusal(error: DirectusError): boolean {
  return error.status !== undefined && error.status >= 400 && error.status < 500 && error.code !== undefined
}

/** Directus 12 caps active collections without a license key (25 in 12.4), during apply too. */
function licenseHint(error: DirectusError): string {
  return error.code === 'LIMIT_EXCEEDED'
    ? " The target's Directus license does not allow this many collections: Directus 12 without a license key allows at most 25 active collections. " +
        "Add a license key to the target, or promote fewer collections (e.g. with 'include-collections')."
    : ''
}

/**
 * After apply, no reviewed change may be pending. What still differs is
 * shown, never hidden: what Directus re-emits unchanged (residue no apply
 * removes) and base edits made after review are a warning, not a failure.
 */
async function verifyApplied(
  target: DirectusConnection,
  snapshot: SchemaSnapshot,
  reviewed: readonly Change[],
  policy: ApplyPolicy
): Promise<{ hash: string | null; residue?: string }> {
  const after = await diffOnTarget(snapshot, target, undefined, policy)
  if (after.kind === 'no-changes') return { hash: null }
  const { pending, remaining } = verifyAgainst(reviewed, after.changes)
  if (pending.length > 0) {
    throw new ApplyFailure(
      'apply-failed',
      `Directus accepted the apply, but ${pending.length} reviewed change(s) are still pending on the target: ${summarizeChanges(pending)} ` +
        `(${pending.map((change) => `${change.action} ${change.entity} ${change.collection}${change.field ? `.${change.field}` : ''}`).join('; ')}). ` +
        'The target changed; inspect it before retrying.'
    )
  }
  const skipped = after.skipped.length > 0 ? `, and ${countOf(after.skipped.length, 'item')} Directus skips` : ''
  return {
    hash: after.hash,
    residue:
      `After apply the target still differs from the base by ${summarizeChanges(remaining)}${skipped} (target hash ${after.hash}): ` +
      `normalisation residue Directus re-emits after every apply, or base changes made after review; none of it is part of the reviewed plan.`
  }
}
