import * as core from '@actions/core'
import { DirectusError, type DirectusConnection } from '../directus/client.js'
import { loadBaseSnapshot } from '../base-snapshot.js'
import { applySchemaDiff } from '../directus/schema.js'
import type { IssueRef, Octokit } from '../github/comments.js'
import type { RunnerContext } from '../github/context.js'
import { readOwnComment } from '../github/publish.js'
import { updateComment } from '../github/comments.js'
import { findMergedPullRequest } from '../github/pulls.js'
import type { Settings } from '../inputs.js'
import { ActionFailure } from '../failure.js'
import { describeChanges, summarizeChanges, type Change } from '../plan/changes.js'
import { isDestructive } from '../plan/destructive.js'
import type { SchemaDiff, SchemaSnapshot } from '../plan/diff-model.js'
import { openRecord, recordKey, RecordError, sealRecord, unpackDiff, type PlanRecord } from '../plan/record.js'
import { pendingReviewedChanges } from '../plan/verify.js'
import { diffOnTarget, type Plan } from '../planner.js'
import { commentMarker, parseComment, writeComment, type CommentStatus } from '../report/comment.js'
import { escapeInline, linkUrl } from '../report/escape.js'
import { githubClient, openSession, step, type Session } from '../session.js'
import { writeDiffFile } from './plan.js'

/** The reviewed plan apply works from: its hash, its exact diff, and where to report. */
interface ReviewedPlan {
  hash: string
  digest: string
  diff?: SchemaDiff
  record?: PlanRecord
  comment?: { issue: IssueRef; id: number; body: string }
}

interface Outcome {
  applied: boolean
  status: CommentStatus
  appliedHash?: string
}

export async function runApply(settings: Settings, context: RunnerContext): Promise<void> {
  const octokit = settings.githubToken ? githubClient(settings.githubToken) : undefined
  const reviewed = await step('Find the reviewed plan', () => findReviewedPlan(settings, context, octokit))
  const session = await step('Connect', () => openSession(settings))
  let outcome: Outcome
  try {
    outcome = await applyReviewed(settings, context, session, reviewed)
  } catch (error) {
    if (error instanceof ActionFailure) {
      await reportStatus(octokit, reviewed, { state: 'refused', text: refusalText(error, context) })
      await writeSummary(`Apply to ${settings.targetName} refused (${error.reason})`, error.message)
    }
    throw error
  } finally {
    await session.close()
  }
  await reportStatus(octokit, reviewed, outcome.status, appliedRecord(settings, reviewed, outcome.appliedHash))
  await writeSummary(`Apply to ${settings.targetName}`, outcome.status.text)
  core.setOutput('applied', String(outcome.applied))
  core.setOutput('failure-reason', '')
}

async function applyReviewed(
  settings: Settings,
  context: RunnerContext,
  session: Session,
  reviewed: ReviewedPlan | undefined
): Promise<Outcome> {
  const base = await step('Snapshot base', () => loadBaseSnapshot(settings, session))
  const snapshot = base.snapshot
  const current = await step('Diff target', () =>
    diffOnTarget(snapshot, session.target, session.versions.target, { ...settings, warnings: base.warnings })
  )
  setPlanOutputs(settings, current)

  if (current.hash === null) {
    return noOp(`The target already matches the base; nothing to apply.`)
  }
  if (reviewed?.record?.appliedHash && current.hash === reviewed.record.appliedHash) {
    return noOp(
      `The target is exactly as this action's apply left it (hash ${current.hash}); nothing to apply. ` +
        `What remains is normalisation residue: ${current.summary}.`
    )
  }

  const plan = reviewed ?? unreviewedPlan(settings, current)
  if (current.hash !== plan.hash) {
    throw new ActionFailure(
      'target-changed',
      `The target schema changed since the plan was reviewed (reviewed hash ${plan.hash}, now ${current.hash}). ` +
        `Nothing was applied. Re-run the plan on the pull request (or the plan job) to review the new diff.`
    )
  }
  const diff = reviewedDiff(plan, current)
  const changes = describeChanges(diff)
  if (isDestructive(changes) && !settings.allowDestructive) {
    throw new ActionFailure(
      'destructive-blocked',
      `The reviewed diff drops data (${describeDestructive(changes)}). Nothing was applied. ` +
        `Set 'allow-destructive: true' to apply it.`
    )
  }

  await step('Apply', () => applyOnce(session, plan, diff, snapshot, settings))
  const after = await step('Verify', () => verify(session, snapshot, diff, settings))
  return {
    applied: true,
    appliedHash: after.hash ?? undefined,
    status: {
      state: 'applied',
      text:
        `Applied ${summarizeChanges(changes)} at ${new Date().toISOString()}` +
        runLink(' by', context) +
        '.' +
        (after.residue ? ` ${after.residue}` : '')
    }
  }
}

/** A run without a reviewed plan (`require-plan: false`) still keeps Directus' hash check. */
function unreviewedPlan(settings: Settings, current: Plan): ReviewedPlan {
  if (settings.requirePlan) {
    throw new ActionFailure(
      'no-plan',
      `No reviewed plan for target '${settings.targetName}'. Nothing was applied. Open a pull request so the plan is reviewed, ` +
        `pass 'expected-hash' and 'expected-digest' from a plan job, or set 'require-plan: false' to apply without review.`
    )
  }
  core.warning(`Applying to ${settings.targetName} without a reviewed plan (require-plan: false).`)
  return { hash: current.hash ?? '', digest: current.digest ?? '', ...(current.diff ? { diff: current.diff } : {}) }
}

/** Exactly the reviewed diff: unpacked from the record, or reproduced with the same digest. */
function reviewedDiff(plan: ReviewedPlan, current: Plan): SchemaDiff {
  if (plan.diff) return plan.diff
  if (current.diff && current.digest === plan.digest) return current.diff
  throw new ActionFailure(
    'plan-changed',
    `The diff now (${current.summary}, digest ${current.digest}) is not the reviewed one (digest ${plan.digest}), ` +
      `and the reviewed diff is not stored in the plan record. Nothing was applied. Re-run the plan to review the new diff.`
  )
}

/**
 * Apply is sent once and never retried. When it fails without a clear answer,
 * the target is diffed again to learn whether it took effect.
 */
async function applyOnce(
  session: Session,
  plan: ReviewedPlan,
  diff: SchemaDiff,
  snapshot: SchemaSnapshot,
  settings: Settings
): Promise<void> {
  try {
    await applySchemaDiff(session.target, { hash: plan.hash, diff })
    return
  } catch (error) {
    if (!(error instanceof DirectusError)) throw error
    if (isHashRefusal(error)) {
      throw new ActionFailure(
        'target-changed',
        `Directus refused the apply: the target schema changed since the plan (${error.reason}). Nothing was applied. Re-run the plan.`
      )
    }
    const after = await diffOnTarget(snapshot, session.target, session.versions.target, settings).catch(() => undefined)
    if (!after) {
      throw new ActionFailure('apply-failed', `${error.message}. The target could not be checked afterwards; inspect it before retrying.`)
    }
    if (after.hash === plan.hash) {
      throw new ActionFailure('apply-failed', `${error.message}. The target is unchanged; nothing was applied.${licenseHint(error)}`)
    }
    const pending = after.diff ? pendingReviewedChanges(diff, after.diff) : []
    if (pending.length === 0 && error.status === undefined) {
      core.warning(`The apply request failed (${error.reason}), but the target now holds the reviewed schema: it took effect.`)
      return
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
  session: Session,
  snapshot: SchemaSnapshot,
  reviewed: SchemaDiff,
  settings: Settings
): Promise<{ hash: string | null; residue?: string }> {
  const after = await diffOnTarget(snapshot, session.target, session.versions.target, settings)
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

async function findReviewedPlan(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit | undefined
): Promise<ReviewedPlan | undefined> {
  if (settings.expectedHash) return dispatchedPlan(settings)
  if (!context.repository || !context.sha || !octokit) return undefined
  const pull = await findMergedPullRequest(octokit, context.repository, context.sha)
  if (!pull) {
    core.info(`No merged pull request has ${context.sha} as its merge commit.`)
    return undefined
  }
  const issue = { ...context.repository, number: pull.number }
  const comment = await readOwnComment(octokit, issue, commentMarker(settings.targetName))
  const parsed = comment ? parseComment(comment.body) : null
  if (!comment || !parsed?.record) {
    core.info(`Pull request #${pull.number} has no plan comment for ${settings.targetName} written by this token.`)
    return undefined
  }
  const record = trustedRecord(settings, parsed.record, context, pull)
  return {
    hash: record.hash,
    digest: record.digest,
    ...unpackedDiff(record),
    record,
    comment: { issue, id: comment.id, body: comment.body }
  }
}

function dispatchedPlan(settings: Settings): ReviewedPlan {
  if (!settings.expectedDigest) {
    throw new ActionFailure(
      'no-plan',
      `'expected-hash' pins the target but not the diff; also pass 'expected-digest: \${{ needs.plan.outputs.digest }}'. Nothing was applied.`
    )
  }
  return { hash: settings.expectedHash ?? '', digest: settings.expectedDigest }
}

function trustedRecord(
  settings: Settings,
  sealed: string,
  context: RunnerContext,
  pull: { number: number; headSha: string }
): PlanRecord {
  let record: PlanRecord
  try {
    record = openRecord(sealed, recordKey(settings.target.auth, settings.target.url.href))
  } catch (error) {
    if (!(error instanceof RecordError)) throw error
    throw new ActionFailure('no-plan', `The plan comment on pull request #${pull.number} is not trusted: ${error.message}. Nothing was applied. Re-run the plan.`)
  }
  const repository = context.repository ? `${context.repository.owner}/${context.repository.repo}` : ''
  const mismatch =
    record.repository !== repository
      ? `it was made for ${record.repository}`
      : record.pullRequest !== pull.number
        ? `it was made for pull request #${record.pullRequest}`
        : record.targetName !== settings.targetName || record.targetUrl !== settings.target.url.href
          ? `it was made for target ${record.targetName} (${record.targetUrl})`
          : record.headSha !== pull.headSha
            ? `it was made at commit ${record.headSha}, but the pull request was merged at ${pull.headSha}`
            : undefined
  if (mismatch) {
    throw new ActionFailure('no-plan', `The plan record on pull request #${pull.number} does not belong here: ${mismatch}. Nothing was applied. Re-run the plan.`)
  }
  return record
}

function unpackedDiff(record: PlanRecord): { diff?: SchemaDiff } {
  try {
    const diff = unpackDiff(record)
    return diff ? { diff } : {}
  } catch (error) {
    if (!(error instanceof RecordError)) throw error
    return {}
  }
}

function noOp(text: string): Outcome {
  core.info(text)
  return { applied: false, status: { state: 'applied', text } }
}

function setPlanOutputs(settings: Settings, current: Plan): void {
  core.setOutput('has-changes', String(current.changes.length > 0))
  core.setOutput('hash', current.hash ?? '')
  core.setOutput('digest', current.digest ?? '')
  core.setOutput('summary', current.summary)
  core.setOutput('destructive', String(current.destructive))
  core.setOutput('diff-file', writeDiffFile(settings.targetName, current))
}

function describeDestructive(changes: Change[]): string {
  return changes
    .filter((change) => change.destructive)
    .map((change) => `${change.collection}${change.field ? `.${change.field}` : ''}: ${change.destructiveReason ?? change.action}`)
    .join('; ')
}

function refusalText(error: ActionFailure, context: RunnerContext): string {
  return `**Apply refused (\`${error.reason}\`)** at ${new Date().toISOString()}${runLink(' in', context)}: ${escapeInline(error.message, 2000)}`
}

function runLink(preposition: string, context: RunnerContext): string {
  const url = context.runUrl ? linkUrl(context.runUrl) : undefined
  return url ? `${preposition} [this run](${url})` : ''
}

/** The PR comment keeps its reviewed body; only its status (and, after apply, its record) changes. */
async function reportStatus(
  octokit: Octokit | undefined,
  reviewed: ReviewedPlan | undefined,
  status: CommentStatus,
  record?: string
): Promise<void> {
  if (!octokit || !reviewed?.comment) return
  const parsed = parseComment(reviewed.comment.body)
  if (!parsed) return
  try {
    const body = writeComment({ ...parsed, status, ...(record ? { record } : {}) })
    await updateComment(octokit, reviewed.comment.issue, reviewed.comment.id, body)
  } catch (error) {
    core.warning(`Could not update the plan comment's status: ${(error as Error).message.split('\n')[0]}`)
  }
}

/**
 * Re-sealed with the target hash right after this apply, so a re-run can tell
 * the action's own normalisation residue from drift.
 */
function appliedRecord(settings: Settings, reviewed: ReviewedPlan | undefined, appliedHash: string | undefined): string | undefined {
  if (!reviewed?.record || appliedHash === undefined) return undefined
  const key = recordKey(settings.target.auth, settings.target.url.href)
  return sealRecord({ ...reviewed.record, appliedHash, appliedAt: new Date().toISOString() }, key)
}

async function writeSummary(heading: string, text: string): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return
  await core.summary.addHeading(escapeInline(heading), 3).addRaw(text, true).write()
}
