import { applyReviewed, type ApplyHooks, type ApplyOutcome } from '../core/apply.js'
import { ApplyFailure } from '../core/errors.js'
import { checkApproved, checkMergedInto, checkSignedBeforeMerge } from '../core/guard/pull-request.js'
import { sealRecord, statusDigest, visiblePlanDigest, type PlanRecord } from '../core/guard/record.js'
import { pinnedPlan, type ReviewedPlan } from '../core/guard/reviewed-plan.js'
import { checkCompleteReview, onlyPlanComment, reviewedPlanOf, trustedRecord } from '../core/guard/trust.js'
import { summarizeChanges } from '../core/plan/changes.js'
import { listed, PartialApplyFailure } from '../core/partial-apply.js'
import { openSession, type Session } from '../core/session.js'
import {
  applyConfig,
  ConfigPartialApplyFailure,
  prepareConfigApply,
  type ConfigApplication,
  type ConfigApplied,
  type ConfigRequest
} from '../core/config-promotion.js'
import type { ConfigPlan } from '../core/config/model.js'
import { listOperations, summarizeOperations } from '../core/guard/config-record.js'
import { schemaNotPromoted } from '../core/planner.js'
import { applyPolicyOf, baseRequestOf, connectionsOf, type Settings } from '../core/settings.js'
import { findOwnComments, updateComment, type IssueRef, type Octokit } from '../github/comments.js'
import type { RunnerContext } from '../github/context.js'
import { findMergedPullRequest, readPullRequest } from '../github/pulls.js'
import { commentMarker, parseComment, writeComment, type CommentStatus } from '../report/comment.js'
import { escapeInline, linkUrl } from '../report/escape.js'
import { takeSnapshot } from '../directus/schema.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { recordBaseline } from './drift.js'
import {
  configRequestOf,
  githubClient,
  recordKeyOf,
  sessionHooks,
  setPlanOutputs,
  step,
  withCommittedOverrides,
  writeDiffFile,
  writeSummary
} from './runner.js'
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
  let schemaOutcome: ApplyOutcome | undefined
  // The target as this run's apply left it: the baseline drift checks compare with.
  let baseline: SchemaSnapshot | undefined
  try {
    const pinned = pinnedPlan(settings.expectedHash, settings.expectedDigest)
    reviewed = pinned ? { plan: pinned } : await step('comment', () => findReviewedPlan(settings, context, octokit, trusted))
    // The configuration's secrets are sealed under the record key: the one the record verified under, or the same derivation.
    const configKey = settings.promote.config.length > 0 ? (reviewed?.record?.key ?? recordKeyOf(settings)) : undefined
    const connected = await step('connect', () => openSession(connectionsOf(settings), sessionHooks))
    session = connected
    // Every configuration check is made before anything is written, the schema included: a refusal applies nothing.
    const configSettings = configKey ? await withCommittedOverrides(settings, octokit, context.repository, context.sha) : settings
    const config = configKey ? await prepareConfig(connected, configSettings, reviewed, configKey) : undefined
    const hooks: ApplyHooks = {
      step,
      info: (line) => core.info(line),
      warning: (line) => core.warning(line),
      onCurrentPlan: (current) => setPlanOutputs(current, writeDiffFile(settings.targetName, current), config?.current),
      onApplied: () => (accepted = true)
    }
    const unplanned = reviewed?.unplannedPullRequest
    const request = {
      ...baseRequestOf(settings),
      ...applyPolicyOf(settings),
      ...(unplanned !== undefined ? { unplannedPullRequest: unplanned } : {})
    }
    if (settings.promote.schema) {
      schemaOutcome = await applyReviewed(connected, reviewed?.plan, request, hooks)
    } else {
      const notPromoted = schemaNotPromoted(settings.mode)
      setPlanOutputs(notPromoted, writeDiffFile(settings.targetName, notPromoted), config?.current)
    }
    const configApplied =
      config?.application.kind === 'apply'
        ? await applyConfig(connected.target, config.application, config.request, configHooks, {
            ...(schemaOutcome?.applied ? { schemaApplied: listed(schemaOutcome.changes) } : {})
          })
        : undefined
    if (configApplied && configApplied.operations.length > 0) accepted = true
    outcome = toOutcome(schemaOutcome, config?.application, configApplied, context)
    if (outcome.applied && settings.issue && settings.promote.schema) baseline = await baselineSnapshot(connected, settings.targetName)
  } catch (error) {
    core.setOutput('applied', String(accepted))
    // The schema is in: a re-run must know its own apply from drift, whatever happened to the configuration.
    const schemaAppliedHash = schemaOutcome?.applied ? schemaOutcome.appliedHash : undefined
    if (error instanceof ConfigPartialApplyFailure) {
      reportConfigPartialOutputs(error, schemaOutcome)
      const failure = escapeInline(error.message, 4000)
      await step('render', () => writeSummary(failure, escapeInline(`Apply to ${settings.targetName} failed part-way`)))
      await reportStatus(
        octokit,
        reviewed ?? trusted.plan,
        { state: 'failed', text: `**Apply failed part-way** at ${new Date().toISOString()}${runLink(' in', context)}: ${failure}` },
        schemaAppliedHash
      )
    } else if (error instanceof PartialApplyFailure) {
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
      await reportStatus(octokit, reviewed ?? trusted.plan, { state: 'refused', text: refusalText(error, context) }, schemaAppliedHash)
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
  } else if (outcome.applied && settings.promote.schema) core.info("No drift baseline recorded ('issue: false').")
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

/** The run's outcome: the schema's (when promoted), then the configuration's (when promoted). */
function toOutcome(
  schema: ApplyOutcome | undefined,
  config: ConfigApplication | undefined,
  configApplied: ConfigApplied | undefined,
  context: RunnerContext
): Outcome {
  const texts: string[] = []
  const changes: string[] = []
  if (schema && !schema.applied) {
    core.info(schema.text)
    texts.push(schema.text)
  }
  const when = `at ${new Date().toISOString()}${runLink(' by', context)}.`
  if (schema?.applied) {
    changes.push(listed(schema.changes))
    texts.push(
      `Applied ${summarizeChanges(schema.changes)} ${when}` +
        (schema.note ? ` ${escapeInline(schema.note, 500)}` : '') +
        (schema.residue ? ` ${schema.residue}` : '')
    )
  }
  if (config?.kind === 'nothing') {
    core.info(config.text)
    texts.push(config.text)
  }
  if (configApplied) {
    changes.push(`configuration ${listOperations(configApplied.operations)}`)
    texts.push(
      `Applied configuration ${escapeInline(summarizeOperations(configApplied.operations), 500)} ${when}` +
        (configApplied.note ? ` ${escapeInline(configApplied.note, 1000)}` : '')
    )
  }
  const applied = schema?.applied === true || (configApplied?.operations.length ?? 0) > 0
  return {
    applied,
    ...(schema?.applied ? { appliedHash: schema.appliedHash } : {}),
    ...(changes.length > 0 ? { changes: changes.join('; ') } : {}),
    status: { state: 'applied', text: texts.join(' ') }
  }
}

/** The configuration's checks, before anything is written. */
async function prepareConfig(
  session: Session,
  settings: Settings,
  reviewed: ActionReviewedPlan | undefined,
  key: Buffer
): Promise<{ application: ConfigApplication; request: ConfigRequest; current?: ConfigPlan }> {
  const found: { current?: ConfigPlan } = {}
  const request = configRequestOf(settings, key)
  const reviewedElsewhere = reviewed?.plan && !reviewed.plan.config ? (reviewed.record ? 'reviewed-without-config' : 'pinned') : undefined
  const application = await prepareConfigApply(
    session,
    reviewed?.plan?.config,
    {
      ...request,
      targetName: settings.targetName,
      allowDestructive: settings.allowDestructive,
      // A merged pull request without a plan is never applied unreviewed, whatever require-plan says (it covers pushes only).
      requirePlan: settings.requirePlan || reviewed?.unplannedPullRequest !== undefined,
      ...(reviewedElsewhere ? { reviewedElsewhere } : {})
    },
    { ...configHooks, onCurrentPlan: (current) => (found.current = current) }
  )
  return { application, request, ...found }
}

const configHooks = {
  step,
  info: (line: string) => core.info(line),
  warning: (line: string) => core.warning(line),
  debug: (line: string) => core.debug(line)
}

/** What reached the target and what did not, said in the log and as outputs. */
function reportConfigPartialOutputs(error: ConfigPartialApplyFailure, schema: ApplyOutcome | undefined): void {
  const schemaApplied = schema?.applied ? `${listed(schema.changes)}; ` : ''
  core.setOutput('applied', 'partial')
  core.setOutput('applied-changes', `${schemaApplied}configuration ${listOperations(error.applied)}`)
  core.setOutput('pending-changes', `configuration ${listOperations(error.pending)}`)
  core.info(`Applied before the failure: ${schemaApplied}configuration ${listOperations(error.applied)}`)
  core.info(`Not applied: configuration ${listOperations(error.pending)}`)
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
