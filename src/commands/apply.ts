import * as core from '@actions/core'
import { applyReviewed, pinnedPlan, type ApplyHooks, type ApplyOutcome, type ReviewedPlan } from '../applier.js'
import type { IssueRef, Octokit } from '../github/comments.js'
import type { RunnerContext } from '../github/context.js'
import { readOwnComment } from '../github/publish.js'
import { updateComment } from '../github/comments.js'
import { findMergedPullRequest } from '../github/pulls.js'
import type { Settings } from '../inputs.js'
import { loadBaseSnapshot } from '../base-snapshot.js'
import { ActionFailure } from '../failure.js'
import { summarizeChanges } from '../plan/changes.js'
import type { SchemaDiff } from '../plan/diff-model.js'
import { openRecord, recordKey, RecordError, sealRecord, unpackDiff, type PlanRecord } from '../plan/record.js'
import type { Plan } from '../planner.js'
import { commentMarker, parseComment, writeComment, type CommentStatus } from '../report/comment.js'
import { escapeInline, linkUrl } from '../report/escape.js'
import { githubClient, openSession, step, type Session } from '../session.js'
import { writeDiffFile } from './plan.js'

/** The reviewed plan apply works from, and where it came from (to report back there). */
interface ActionReviewedPlan extends ReviewedPlan {
  record?: PlanRecord
  comment?: { issue: IssueRef; id: number; body: string }
}

interface Outcome {
  applied: boolean
  status: CommentStatus
  appliedHash?: string
}

export async function runApply(settings: Settings, context: RunnerContext): Promise<void> {
  const octokit = settings.githubToken ? githubClient(settings) : undefined
  // Whether Directus accepted the apply request: the `applied` output must be true
  // then even if verification fails afterwards, because the target did change.
  let accepted = false
  let reviewed: ActionReviewedPlan | undefined
  let session: Session | undefined
  let outcome: Outcome
  try {
    reviewed = settings.expectedHash
      ? pinnedPlan(settings.expectedHash, settings.expectedDigest)
      : await step('comment', () => findReviewedPlan(settings, context, octokit))
    const connected = await step('connect', () => openSession(settings))
    session = connected
    const hooks: ApplyHooks = {
      ...actionHooks(settings),
      onApplied: () => (accepted = true),
      loadBase: () => loadBaseSnapshot(settings, connected)
    }
    outcome = toOutcome(await applyReviewed(connected, reviewed, settings, hooks), context)
  } catch (error) {
    core.setOutput('applied', String(accepted))
    if (error instanceof ActionFailure) {
      const refusal = escapeInline(error.message, 2000)
      await step('render', () => writeSummary(`Apply to ${settings.targetName} refused (${error.reason})`, refusal))
      await reportStatus(octokit, reviewed, { state: 'refused', text: refusalText(error, context) })
    }
    throw error
  } finally {
    await session?.close()
  }
  await step('render', () => writeSummary(`Apply to ${settings.targetName}`, outcome.status.text))
  await reportStatus(octokit, reviewed, outcome.status, appliedRecord(settings, reviewed, outcome.appliedHash))
  core.setOutput('applied', String(outcome.applied))
  core.setOutput('failure-reason', '')
}

function actionHooks(settings: Settings): ApplyHooks {
  return {
    step,
    info: (line) => core.info(line),
    warning: (line) => core.warning(line),
    onCurrentPlan: (current) => setPlanOutputs(settings, current)
  }
}

function toOutcome(result: ApplyOutcome, context: RunnerContext): Outcome {
  if (!result.applied) {
    core.info(result.text)
    return { applied: false, status: { state: 'applied', text: result.text } }
  }
  return {
    applied: true,
    ...(result.appliedHash !== undefined ? { appliedHash: result.appliedHash } : {}),
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

async function findReviewedPlan(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit | undefined
): Promise<ActionReviewedPlan | undefined> {
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
    ...(record.appliedHash !== undefined ? { appliedHash: record.appliedHash } : {}),
    ...(record.appliedAt ? { appliedAt: record.appliedAt } : {}),
    fromPullRequest: true,
    record,
    comment: { issue, id: comment.id, body: comment.body }
  }
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

function setPlanOutputs(settings: Settings, current: Plan): void {
  core.setOutput('has-changes', String(current.changes.length > 0))
  core.setOutput('hash', current.hash ?? '')
  core.setOutput('digest', current.digest ?? '')
  core.setOutput('summary', current.summary)
  core.setOutput('destructive', String(current.destructive))
  core.setOutput('diff-file', writeDiffFile(settings.targetName, current))
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
  reviewed: ActionReviewedPlan | undefined,
  status: CommentStatus,
  record?: string
): Promise<void> {
  const comment = reviewed?.comment
  const parsed = comment ? parseComment(comment.body) : null
  if (!octokit || !comment || !parsed) return
  await step('comment', async () => {
    try {
      const body = writeComment({ ...parsed, status, ...(record ? { record } : {}) })
      await updateComment(octokit, comment.issue, comment.id, body)
    } catch (error) {
      core.warning(`Could not update the plan comment's status: ${(error as Error).message.split('\n')[0]}`)
    }
  })
}

/**
 * Re-sealed with the target hash right after this apply, so a re-run can tell
 * the action's own normalisation residue from drift.
 */
function appliedRecord(settings: Settings, reviewed: ActionReviewedPlan | undefined, appliedHash: string | undefined): string | undefined {
  if (!reviewed?.record || appliedHash === undefined) return undefined
  const key = recordKey(settings.target.auth, settings.target.url.href)
  return sealRecord({ ...reviewed.record, appliedHash, appliedAt: new Date().toISOString() }, key)
}

async function writeSummary(heading: string, text: string): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return
  await core.summary.addHeading(escapeInline(heading), 3).addRaw(text, true).write()
}
