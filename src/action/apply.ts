import { applyReviewed, type ApplyHooks, type ApplyOutcome } from '../core/apply.js'
import { ApplyFailure } from '../core/errors.js'
import { checkApproved, checkMergedInto, checkSignedBeforeMerge } from '../core/guard/pull-request.js'
import { sealRecord, statusDigest, visiblePlanDigest, type PlanRecord } from '../core/guard/record.js'
import { pinnedPlan, type ReviewedPlan } from '../core/guard/reviewed-plan.js'
import { checkCompleteReview, onlyPlanComment, reviewedPlanOf, trustedRecord } from '../core/guard/trust.js'
import { summarizeChanges } from '../core/plan/changes.js'
import { listed, PartialApplyFailure } from '../core/partial-apply.js'
import { openSession, type Session } from '../core/session.js'
import { applyPolicyOf, baseRequestOf, connectionsOf, type Settings } from '../core/settings.js'
import { findOwnComments, updateComment, type IssueRef, type Octokit } from '../github/comments.js'
import type { RunnerContext } from '../github/context.js'
import { findMergedPullRequest, readPullRequest } from '../github/pulls.js'
import { commentMarker, parseComment, writeComment, type CommentStatus } from '../report/comment.js'
import { escapeInline, linkUrl } from '../report/escape.js'
import { takeSnapshot } from '../directus/schema.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { recordBaseline } from './drift.js'
import { githubClient, recordKeyOf, sessionHooks, setPlanOutputs, step, writeDiffFile, writeSummary } from './runner.js'
import * as core from './workflow.js'

/** The reviewed plan apply works from, and where it came from (to report back there). */
interface ActionReviewedPlan {
  /** Undefined for a merged pull request without a plan record for this target: require-plan: false never covers it. */
  plan?: ReviewedPlan
  /** The merged pull request without a plan (see plan). */
  unplannedPullRequest?: number
  /** With the key it verified under, to seal it again after the apply. */
  record?: { record: PlanRecord; key: Buffer }
  comment?: { issue: IssueRef; id: number; body: string }
}

interface Outcome {
  applied: boolean
  status: CommentStatus
  appliedHash?: string
  /** What this run applied, listed as in the outputs. */
  changes?: string
}

export async function runApply(settings: Settings, context: RunnerContext): Promise<void> {
  const octokit = settings.githubToken ? await githubClient(settings.githubToken, settings.timeoutMs) : undefined
  // Whether Directus accepted the apply request: the `applied` output must be true
  // then even if verification fails afterwards, because the target did change.
  let accepted = false
  let reviewed: ActionReviewedPlan | undefined
  // A trusted plan whose pull request then fails a check (approval, merge time) still gets the refusal in its comment.
  const trusted: { plan?: ActionReviewedPlan } = {}
  let session: Session | undefined
  let outcome: Outcome
  // The target as this run's apply left it: the baseline drift checks compare with.
  let baseline: SchemaSnapshot | undefined
  try {
    const pinned = pinnedPlan(settings.expectedHash, settings.expectedDigest)
    reviewed = pinned ? { plan: pinned } : await step('comment', () => findReviewedPlan(settings, context, octokit, trusted))
    const connected = await step('connect', () => openSession(connectionsOf(settings), sessionHooks))
    session = connected
    const hooks: ApplyHooks = {
      step,
      info: (line) => core.info(line),
      warning: (line) => core.warning(line),
      onCurrentPlan: (current) => setPlanOutputs(current, writeDiffFile(settings.targetName, current)),
      onApplied: () => (accepted = true)
    }
    const unplanned = reviewed?.unplannedPullRequest
    const request = {
      ...baseRequestOf(settings),
      ...applyPolicyOf(settings),
      ...(unplanned !== undefined ? { unplannedPullRequest: unplanned } : {})
    }
    outcome = toOutcome(await applyReviewed(connected, reviewed?.plan, request, hooks), context)
    if (outcome.applied && settings.issue) baseline = await baselineSnapshot(connected, settings.targetName)
  } catch (error) {
    core.setOutput('applied', String(accepted))
    if (error instanceof PartialApplyFailure) {
      reportPartialOutputs(error)
      const failure = escapeInline(error.message, 4000)
      await step('render', () => writeSummary(failure, escapeInline(`Apply to ${settings.targetName} failed part-way`)))
      await reportStatus(octokit, reviewed ?? trusted.plan, {
        state: 'failed',
        text: `**Apply failed part-way** at ${new Date().toISOString()}${runLink(' in', context)}: ${failure}`
      })
    } else if (error instanceof ApplyFailure) {
      const refusal = escapeInline(error.message, 2000)
      await step('render', () => writeSummary(refusal, escapeInline(`Apply to ${settings.targetName} refused (${error.reason})`)))
      await reportStatus(octokit, reviewed ?? trusted.plan, { state: 'refused', text: refusalText(error, context) })
    }
    throw error
  } finally {
    await session?.close()
  }
  await step('render', () => writeSummary(outcome.status.text, escapeInline(`Apply to ${settings.targetName}`)))
  await reportStatus(octokit, reviewed, outcome.status, outcome.appliedHash)
  if (baseline) {
    const key = reviewed?.record?.key ?? recordKeyOf(settings)
    await recordBaseline(settings, context, octokit, key, baseline, reviewed?.record?.record.pullRequest)
  } else if (outcome.applied) core.info("No drift baseline recorded ('issue: false').")
  core.setOutput('applied', String(outcome.applied))
  core.setOutput('applied-changes', outcome.changes ?? '')
  core.setOutput('pending-changes', '')
  core.setOutput('failure-reason', '')
}

/** The target as the apply left it; the apply has succeeded whatever happens here. */
async function baselineSnapshot(session: Session, targetName: string): Promise<SchemaSnapshot | undefined> {
  try {
    return await step('snapshot', () => takeSnapshot(session.target))
  } catch (error) {
    core.warning(
      `No drift baseline recorded for ${targetName}: the target's snapshot after the apply failed (${(error as Error).message}). The apply itself succeeded.`
    )
    return undefined
  }
}

/** What reached the target and what did not, said in the log and as outputs, for a workflow to act on. */
function reportPartialOutputs(error: PartialApplyFailure): void {
  core.setOutput('applied', 'partial')
  core.setOutput('applied-changes', listed(error.applied))
  core.setOutput('pending-changes', listed(error.pending))
  core.info(`Applied before the failure: ${listed(error.applied)}`)
  core.info(`Not applied: ${listed(error.pending)}`)
  core.info(`The target's schema hash is now ${error.targetHash}; plan again from this state.`)
}

function toOutcome(result: ApplyOutcome, context: RunnerContext): Outcome {
  if (!result.applied) {
    core.info(result.text)
    return { applied: false, status: { state: 'applied', text: result.text } }
  }
  return {
    applied: true,
    appliedHash: result.appliedHash,
    changes: listed(result.changes),
    status: {
      state: 'applied',
      text:
        `Applied ${summarizeChanges(result.changes)} at ${new Date().toISOString()}` +
        runLink(' by', context) +
        '.' +
        (result.note ? ` ${escapeInline(result.note, 500)}` : '') +
        (result.residue ? ` ${result.residue}` : '')
    }
  }
}

/**
 * The plan reviewed on the pull request merged into this push: a record
 * signed by this action over exactly the comment's text, for this commit,
 * branch and target, signed before the merge, and (with require-approval)
 * approved afterwards. Every fact about the pull request comes from GitHub's
 * API. Refuses (throws) when any of it fails; undefined when there is no
 * pull request or no plan comment at all.
 */
async function findReviewedPlan(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit | undefined,
  trusted: { plan?: ActionReviewedPlan }
): Promise<ActionReviewedPlan | undefined> {
  if (!context.repository || !context.sha || !octokit) {
    if (settings.requirePlan) return undefined
    throw new ApplyFailure(
      'no-plan',
      `'require-plan: false' applies without review only a push that merged no pull request, and this run cannot tell: ` +
        `${octokit ? "the runner's GITHUB_REPOSITORY or GITHUB_SHA is empty" : "'github-token' is empty"}. Nothing was applied. ` +
        "Give the apply job 'github-token' (the default, github.token) so it finds the merged pull request and its reviewed plan."
    )
  }
  const merged = await findMergedPullRequest(octokit, context.repository, context.sha)
  if (!merged) {
    core.info(`No merged pull request has ${context.sha} as its merge commit.`)
    return undefined
  }
  const issue = { ...context.repository, number: merged.number }
  const { viewer, pull } = await readPullRequest(octokit, issue, { reviews: settings.requireApproval })
  checkMergedInto(pull, context.ref)
  const comments = (await findOwnComments(octokit, issue, viewer, commentMarker(settings.targetName))).comments
  const comment = onlyPlanComment(comments, pull.number, settings.targetName)
  if (!comment) {
    core.info(`Pull request #${pull.number} has no plan comment for ${settings.targetName} written by this token (${viewer.login}).`)
    return { unplannedPullRequest: pull.number }
  }
  const parsed = parseComment(comment.body)
  if (!parsed) {
    throw new ApplyFailure(
      'no-plan',
      `The plan comment on pull request #${pull.number} was edited after it was signed; re-run the plan. It no longer has the layout this action writes, so nobody can tell what reviewers saw. Nothing was applied.`
    )
  }
  if (!parsed.record) {
    core.info(
      `The plan comment on pull request #${pull.number} holds no plan record (its plan found nothing to change, or GitHub stored it altered).`
    )
    return { unplannedPullRequest: pull.number }
  }
  const key = recordKeyOf(settings)
  const record = trustedRecord(parsed.record, key, {
    repository: `${issue.owner}/${issue.repo}`,
    pullRequest: pull.number,
    headSha: pull.headSha,
    baseRef: pull.baseRef,
    targetName: settings.targetName,
    targetUrl: settings.target.url.href,
    visibleDigest: visiblePlanDigest(parsed.summary, parsed.body),
    statusDigest: statusDigest(parsed.status)
  })
  trusted.plan = { plan: reviewedPlanOf(record), record: { record, key }, comment: { issue, id: comment.id, body: comment.body } }
  checkSignedBeforeMerge(record, pull.mergedAt)
  checkCompleteReview(record, settings.allowPartialReview)
  if (record.complete === false) {
    core.warning(
      `allow-partial-review is true: applying the plan of pull request #${pull.number}, whose comment could not show all of it to its reviewers.`
    )
  }
  if (settings.requireApproval) checkApproved(record, pull)
  else
    core.warning(`require-approval is false: applying the plan of pull request #${pull.number} without checking that anyone approved it.`)
  return trusted.plan
}

function refusalText(error: ApplyFailure, context: RunnerContext): string {
  return `**Apply refused (\`${error.reason}\`)** at ${new Date().toISOString()}${runLink(' in', context)}: ${escapeInline(error.message, 2000)}`
}

function runLink(preposition: string, context: RunnerContext): string {
  const url = context.runUrl ? linkUrl(context.runUrl) : undefined
  return url ? `${preposition} [this run](${url})` : ''
}

/**
 * The PR comment keeps its reviewed body; only its status and its record
 * change. The record is sealed again over the new status (so a status edited
 * by anyone else is refused) and, after this action's own apply, with the
 * target hash it left, so a re-run can tell its own normalisation residue from drift.
 */
async function reportStatus(
  octokit: Octokit | undefined,
  reviewed: ActionReviewedPlan | undefined,
  status: CommentStatus,
  appliedHash?: string
): Promise<void> {
  const comment = reviewed?.comment
  const parsed = comment ? parseComment(comment.body) : null
  if (!octokit || !comment || !parsed) return
  await step('comment', async () => {
    try {
      const record = resealed(reviewed, status, appliedHash)
      const body = writeComment({ ...parsed, status, ...(record ? { record } : {}) })
      await updateComment(octokit, comment.issue, comment.id, body)
    } catch (error) {
      core.warning(`Could not update the plan comment's status: ${(error as Error).message.split('\n')[0]}`)
      if (appliedHash !== undefined) {
        core.warning(
          'The plan record could not be marked as applied: should the target ever return to the reviewed hash, this plan would apply again. ' +
            'Check the plan comment, or delete it once the change is in.'
        )
      }
    }
  })
}

function resealed(reviewed: ActionReviewedPlan | undefined, status: CommentStatus, appliedHash: string | undefined): string | undefined {
  if (!reviewed?.record) return undefined
  const applied = appliedHash !== undefined ? { appliedHash, appliedAt: new Date().toISOString() } : {}
  return sealRecord({ ...reviewed.record.record, ...applied, statusDigest: statusDigest(status) }, reviewed.record.key)
}
