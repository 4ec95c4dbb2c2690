/**
 * The guards around a schema apply, shared by the action and the CLI: the
 * target must still have the reviewed hash, the diff applied is exactly the
 * reviewed one, data is dropped only when allowed, apply is sent once, and
 * afterwards no reviewed change may still be pending. Where a run's findings
 * are reported (outputs, comments, a terminal) is the caller's business.
 */
import { ACTION_ADVICE, type Advice } from './advice.js'
import { DirectusError, type DirectusConnection } from './directus/client.js'
import { applySchemaDiff, readServerInfo, takeSnapshot } from './directus/schema.js'
import { ActionFailure } from './failure.js'
import { describeChanges, summarizeChanges, type Change } from './plan/changes.js'
import { isDestructive } from './plan/destructive.js'
import type { SchemaDiff, SchemaSnapshot } from './plan/diff-model.js'
import { pendingReviewedChanges } from './plan/verify.js'
import { diffOnTarget, type Plan } from './planner.js'
import type { DiffMode } from './inputs.js'
import type { StepRunner } from './steps.js'

/** The plan a human reviewed: the target hash it was made against, and its exact diff (or the diff's digest). */
export interface ReviewedPlan {
  hash: string
  digest: string
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

export interface ApplyPolicy {
  targetName: string
  force: boolean
  allowDestructive: boolean
  /** Without a reviewed plan, refuse (true) or apply the current diff, Directus' hash check still holding (false). */
  requirePlan: boolean
  /** Per-request timeout; an ambiguous apply is re-checked for up to three times this. */
  timeoutMs?: number
  mode?: DiffMode
  advice?: Advice
}

export interface ApplyHooks {
  step: StepRunner
  info(line: string): void
  warning(line: string): void
  /** The diff as it is now, before any check: the action sets its plan outputs from it. */
  onCurrentPlan?(current: Plan): void
  /** Directus accepted the apply: from here on the target has changed, whatever verification finds. */
  onApplied?(): void
  /** The base schema, when it is not simply a snapshot of `connections.base` (a committed file, a scope). */
  loadBase?(): Promise<{ snapshot: SchemaSnapshot; warnings: string[] }>
}

function requireBase(base: DirectusConnection | undefined): DirectusConnection {
  if (!base) throw new Error('no base instance to snapshot')
  return base
}

export type ApplyOutcome =
  | { applied: false; current: Plan; text: string }
  | { applied: true; current: Plan; changes: Change[]; appliedHash?: string; residue?: string; note?: string }

export async function applyReviewed(
  connections: { base?: DirectusConnection; target: DirectusConnection },
  reviewed: ReviewedPlan | undefined,
  policy: ApplyPolicy,
  hooks: ApplyHooks
): Promise<ApplyOutcome> {
  const advice = policy.advice ?? ACTION_ADVICE
  const { snapshot, warnings, targetVersion } = await hooks.step('snapshot', async () => ({
    ...(hooks.loadBase ? await hooks.loadBase() : { snapshot: await takeSnapshot(requireBase(connections.base)), warnings: [] }),
    targetVersion: (await readServerInfo(connections.target)).version
  }))
  const current = await hooks.step('diff', () =>
    diffOnTarget(snapshot, connections.target, targetVersion, {
      force: policy.force,
      advice,
      ...(policy.mode ? { mode: policy.mode } : {}),
      warnings
    })
  )
  hooks.onCurrentPlan?.(current)
  for (const warning of current.warnings) hooks.warning(warning)

  if (reviewed?.appliedAt && (current.hash === null || current.hash === reviewed.appliedHash)) {
    return {
      applied: false,
      current,
      text:
        `This plan was applied at ${reviewed.appliedAt} and the target is exactly as that apply left it; nothing to apply.` +
        (current.hash ? ` What still differs is normalisation residue: ${current.summary} (hash ${current.hash}).` : '')
    }
  }
  if (current.hash === null) {
    if (reviewed?.fromPullRequest) {
      throw new ActionFailure(
        'target-changed',
        `The target already holds the base schema, but not through this plan's apply: another run or a manual change got there first. Nothing was applied.`
      )
    }
    return { applied: false, current, text: 'The target already matches the base; nothing to apply.' }
  }

  const plan = reviewed ?? unreviewedPlan(policy, current, hooks)
  const diff = checkReviewedPlan(plan, current, policy)
  const changes = describeChanges(diff)
  if (isDestructive(changes)) {
    hooks.warning(`Applying ${countOf(changes.filter((change) => change.destructive).length, 'destructive change')} to ${policy.targetName} (${describeDestructive(changes)}).`)
  }

  const note = await hooks.step('apply', () => applyOnce(connections.target, plan, diff, snapshot, policy, hooks))
  hooks.onApplied?.()
  const after = await hooks.step('verify', () => verify(connections.target, snapshot, diff, policy))
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
 * The checks before anything is sent, as a pure function so the CLI can run
 * them before it asks for confirmation: the target still has the reviewed
 * hash, the reviewed diff is known exactly, and it drops data only if allowed.
 * Returns the diff to apply.
 */
export function checkReviewedPlan(plan: ReviewedPlan, current: Plan, policy: ApplyPolicy): SchemaDiff {
  const advice = policy.advice ?? ACTION_ADVICE
  if (current.hash !== plan.hash) {
    throw new ActionFailure(
      'target-changed',
      `The target schema changed since the plan was reviewed (reviewed hash ${plan.hash}, now ${current.hash}). ` +
        `Nothing was applied. ${advice.replan}`
    )
  }
  const diff = reviewedDiff(plan, current, advice)
  const changes = describeChanges(diff)
  if (isDestructive(changes) && !policy.allowDestructive) {
    throw new ActionFailure(
      'destructive-blocked',
      `The reviewed diff drops data (${describeDestructive(changes)}). Nothing was applied. ` +
        `Set ${advice.setting('allow-destructive')} to apply it.`
    )
  }
  return diff
}

/** A plan pinned by a dispatch's plan job (expected-hash and expected-digest), or none. */
export function pinnedPlan(expectedHash: string | undefined, expectedDigest: string | undefined): ReviewedPlan | undefined {
  if (!expectedHash) return undefined
  if (!expectedDigest) {
    throw new ActionFailure(
      'no-plan',
      `'expected-hash' pins the target but not the diff; also pass 'expected-digest: \${{ needs.plan.outputs.digest }}'. Nothing was applied.`
    )
  }
  return { hash: expectedHash, digest: expectedDigest }
}

/** A run without a reviewed plan (`require-plan: false`) still keeps Directus' hash check. */
function unreviewedPlan(policy: ApplyPolicy, current: Plan, hooks: ApplyHooks): ReviewedPlan {
  if (policy.requirePlan) {
    throw new ActionFailure(
      'no-plan',
      `No reviewed plan for target '${policy.targetName}'. Nothing was applied. Open a pull request so the plan is reviewed, ` +
        `pass 'expected-hash' and 'expected-digest' from a plan job, or set 'require-plan: false' to apply without review.`
    )
  }
  hooks.warning(`Applying to ${policy.targetName} without a reviewed plan (require-plan: false).`)
  return { hash: current.hash ?? '', digest: current.digest ?? '', ...(current.diff ? { diff: current.diff } : {}) }
}

/** Exactly the reviewed diff: carried with the plan, or reproduced with the same digest. */
function reviewedDiff(plan: ReviewedPlan, current: Plan, advice: Advice): SchemaDiff {
  if (plan.diff) return plan.diff
  if (current.diff && current.digest === plan.digest) return current.diff
  throw new ActionFailure(
    'plan-changed',
    `The diff now (${current.summary}, digest ${current.digest}) is not the reviewed one (digest ${plan.digest}), ` +
      `and the reviewed diff is not stored with the plan. Nothing was applied. ${advice.replan}`
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
  snapshot: SchemaSnapshot,
  policy: ApplyPolicy,
  hooks: ApplyHooks
): Promise<string | undefined> {
  try {
    await applySchemaDiff(target, { hash: plan.hash, diff })
    return undefined
  } catch (error) {
    if (!(error instanceof DirectusError)) throw error
    if (isHashRefusal(error)) {
      throw new ActionFailure(
        'target-changed',
        `Directus refused the apply: the target schema changed since the plan (${error.reason}). Nothing was applied. Re-run the plan.`
      )
    }
    const ambiguous = isAmbiguous(error)
    const after = await recheck(target, snapshot, plan, diff, policy, hooks, ambiguous)
    if (!after) {
      throw new ActionFailure('apply-failed', `${error.message}. The target could not be checked afterwards; inspect it before retrying.`)
    }
    if (after.hash === plan.hash) {
      throw new ActionFailure('apply-failed', `${error.message}. The target is unchanged; nothing was applied.${licenseHint(error)}`)
    }
    const pending = after.diff ? pendingReviewedChanges(diff, after.diff) : []
    if (pending.length === 0 && ambiguous) {
      const note = `The apply request failed (${error.reason}), but the target now holds the reviewed schema: it took effect.`
      hooks.warning(note)
      return note
    }
    if (pending.length === 0) {
      throw new ActionFailure(
        'target-changed',
        `${error.message}. The target now holds the reviewed schema, but not from this run: another apply got there first.`
      )
    }
    throw new ActionFailure(
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
  diff: SchemaDiff,
  policy: ApplyPolicy,
  hooks: ApplyHooks,
  ambiguous: boolean
): Promise<Plan | undefined> {
  const deadline = Date.now() + (policy.timeoutMs ?? 60_000) * 3
  let previousHash: string | null | undefined
  for (;;) {
    const after = await diffOnTarget(snapshot, target, undefined, policy).catch(() => undefined)
    const holdsReviewed = after !== undefined && (!after.diff || pendingReviewedChanges(diff, after.diff).length === 0)
    const settled = after !== undefined && previousHash !== undefined && after.hash === previousHash
    if (!ambiguous || holdsReviewed || settled || Date.now() + SETTLE_PAUSE_MS > deadline) return after
    hooks.info(
      `The apply request got no clear answer; looking at the target again in ${SETTLE_PAUSE_MS} ms (hash now ${after?.hash ?? 'unknown'}, reviewed ${plan.hash})`
    )
    previousHash = after?.hash
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

/**
 * Directus' own check of the diff against the target (validateApplyDiff), made
 * before anything is applied. "Field … already exists" from the fields
 * service, mid-apply, is not one of them: that is an apply failure.
 */
function isHashRefusal(error: DirectusError): boolean {
  return (
    error.status === 400 &&
    /(hash does not match|Provided diff is trying to \w+ .* but it (already exists|does not exist))/i.test(error.reason)
  )
}

/** Directus 12 caps active collections without a license key (25 in 12.4), during apply too. */
function licenseHint(error: DirectusError): string {
  return error.code === 'LIMIT_EXCEEDED'
    ? " The target's Directus license does not allow this many collections: Directus 12 without a license key allows at most 25 active collections. " +
        "Add a license key to the target, or promote fewer collections (e.g. with 'include-collections')."
    : ''
}

/** After apply, no reviewed change may be pending; what differs still is shown, never hidden. */
async function verify(
  target: DirectusConnection,
  snapshot: SchemaSnapshot,
  reviewed: SchemaDiff,
  policy: ApplyPolicy
): Promise<{ hash: string | null; residue?: string }> {
  const after = await diffOnTarget(snapshot, target, undefined, policy)
  if (!after.diff) return { hash: null }
  const pending = pendingReviewedChanges(reviewed, after.diff)
  if (pending.length > 0) {
    throw new ActionFailure(
      'apply-failed',
      `Directus accepted the apply, but ${pending.length} reviewed change(s) are still pending on the target: ${summarizeChanges(pending)}.`
    )
  }
  return {
    hash: after.hash,
    residue:
      `After apply the target still differs from the base by ${after.summary} (target hash ${after.hash}): ` +
      `normalisation residue or base changes made after review; none of it is part of the reviewed plan.`
  }
}

export function describeDestructive(changes: Change[]): string {
  return changes
    .filter((change) => change.destructive)
    .map((change) => `${change.collection}${change.field ? `.${change.field}` : ''}: ${change.destructiveReason ?? change.action}`)
    .join('; ')
}

function countOf(count: number, singular: string): string {
  return `${count} ${count === 1 ? singular : `${singular}s`}`
}
