/**
 * `command: drift` in the action, and the baseline apply records for it. The
 * baseline lives in the target's drift tracking issue; see core/drift.ts for
 * what is compared, and report/drift.ts for the issue's layout.
 */
import { checkDrift, committedSnapshot, type DriftFinding, type DriftReference } from '../core/drift.js'
import { ExpectedError } from '../core/errors.js'
import {
  BaselineError,
  baselineOf,
  openBaseline,
  sealBaseline,
  snapshotDigest,
  type BaselineBinding,
  type BaselineRecord
} from '../core/guard/baseline.js'
import type { Plan } from '../core/planner.js'
import { openTargetSession } from '../core/session.js'
import { isSnapshotFile, type DriftSettings, type Settings } from '../core/settings.js'
import { takeSnapshot } from '../directus/schema.js'
import type { SchemaSnapshot } from '../directus/types.js'
import type { RunnerContext } from '../github/context.js'
import {
  commentOnIssue,
  createTrackingIssue,
  findTrackingIssue,
  IssuesUnavailable,
  updateTrackingIssue,
  type RepositoryRef,
  type TrackedIssue
} from '../github/issues.js'
import type { Octokit } from '../github/client.js'
import {
  baselineLine,
  driftBody,
  driftIssueTitle,
  driftMarker,
  driftStatus,
  ISSUE_LIMIT,
  parseDriftIssue,
  writeDriftIssue,
  type DriftContext
} from '../report/drift.js'
import { escapeInline, linkUrl } from '../report/escape.js'
import { JOB_SUMMARY_LIMIT } from '../report/markdown.js'
import { githubClient, recordKeyOf, sessionHooks, step, writeDiffFile, writeSummary } from './runner.js'
import * as core from './workflow.js'

/** Most characters the packed baseline snapshot may take; sealed it grows by a third, and the report needs the rest of the body. */
const BASELINE_SNAPSHOT_BUDGET = 30_000

/** `fail-on-drift: true` and the target drifted. */
export class DriftFound extends ExpectedError {
  override name = 'DriftFound'
}

/** What the tracking issue holds, as far as it could be read. */
interface Tracking {
  issue?: TrackedIssue
  baseline?: BaselineRecord
  /** The baseline as sealed in the issue: kept verbatim when the body is rewritten. */
  sealed?: string
  seen?: { first: string; last: string }
  /** Why there is no trusted baseline. */
  problem?: string
  /** The issues API refused (disabled, or no permission). */
  unavailable?: IssuesUnavailable
}

export async function runDrift(settings: DriftSettings, context: RunnerContext): Promise<void> {
  const repository = context.repository
  const octokit = settings.githubToken && repository ? await githubClient(settings.githubToken, settings.timeoutMs) : undefined
  const binding = bindingOf(settings, repository)
  const key = recordKeyOf(settings)
  const tracking = await step('issue', () => readTracking(octokit, repository, settings.targetName, key, binding))
  if (tracking.unavailable) core.warning(`${tracking.unavailable.message} The drift report is in the job summary.`)

  const session = await step('connect', () => openTargetSession(settings.target, settings.timeoutMs, sessionHooks))
  let finding: DriftFinding
  try {
    if (settings.acceptBaseline) {
      const snapshot = await step('snapshot', () => takeSnapshot(session.target))
      await acceptBaseline(settings, context, octokit, repository, binding, key, tracking, snapshot)
      return
    }
    const baseFile = settings.baseFile
    const reference: DriftReference = baseFile
      ? {
          kind: 'committed',
          file: baseFile,
          snapshot: await step('snapshot', () => committedSnapshot(baseFile, settings.scope)),
          ...(tracking.baseline ? { baseline: tracking.baseline } : {})
        }
      : tracking.baseline
        ? { kind: 'baseline', baseline: tracking.baseline }
        : { kind: 'none', why: noBaselineReason(settings, tracking) }
    finding = await checkDrift(
      session.target,
      session.version,
      reference,
      { ...(settings.scope ? { scope: settings.scope } : {}), force: settings.force },
      step
    )
  } finally {
    await session.close()
  }

  const plan = schemaPlan(finding)
  const diffFile = plan ? writeDiffFile(`${settings.targetName}.drift`, plan) : ''
  const driftContext: DriftContext = {
    targetName: settings.targetName,
    targetLocation: settings.target.url.origin,
    ...(settings.baseFile ? { committedPath: settings.baseFile.path } : {}),
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(diffFile ? { diffFile } : {})
  }
  for (const warning of plan?.warnings ?? []) core.warning(warning)
  const now = new Date().toISOString()
  const seen =
    finding.state === 'drifted' ? { first: (tracking.issue?.state === 'open' && tracking.seen?.first) || now, last: now } : undefined
  await step('render', () => writeSummary(jobSummary(finding, driftContext, tracking, seen)))
  core.setOutput('drifted', String(finding.state === 'drifted'))
  core.setOutput('summary', finding.summary)
  core.setOutput('diff-file', diffFile)
  if (finding.state === 'no-baseline') core.notice(`No baseline yet for ${settings.targetName}: ${finding.note}`)
  else core.info(`${settings.targetName}: ${finding.summary}`)

  const issueUrl = await reportOnIssue(settings, octokit, repository, tracking, finding, driftContext, seen, now)
  core.setOutput('issue-url', issueUrl ?? '')
  if (finding.state === 'drifted' && settings.failOnDrift) {
    throw new DriftFound(`Drift on ${settings.targetName}: ${finding.summary}. See ${issueUrl ?? 'the job summary'} (fail-on-drift: true).`)
  }
}

/**
 * After a successful apply: the target's own snapshot becomes its baseline.
 * Without permission to write issues the apply still succeeds, with a warning.
 */
export async function recordBaseline(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit | undefined,
  key: Buffer,
  snapshot: SchemaSnapshot,
  pullRequest: number | undefined
): Promise<void> {
  const repository = context.repository
  if (!octokit || !repository) {
    core.warning(`No drift baseline recorded for ${settings.targetName}: no 'github-token' to write the drift tracking issue with.`)
    return
  }
  await step('issue', async () => {
    try {
      const binding = bindingOf(settings, repository)
      const baseFile = isSnapshotFile(settings.base) ? settings.base : undefined
      const baseDigest = baseFile ? snapshotDigest(await committedSnapshot(baseFile, settings.scope)) : undefined
      const record = baselineOf(
        snapshot,
        {
          ...binding,
          recordedAt: new Date().toISOString(),
          source: 'apply',
          ...(pullRequest !== undefined ? { pullRequest } : {}),
          ...(context.sha ? { commit: context.sha } : {}),
          ...(context.runUrl ? { runUrl: context.runUrl } : {}),
          ...(baseDigest ? { baseDigest } : {})
        },
        BASELINE_SNAPSHOT_BUDGET
      )
      const sealed = sealBaseline(record, key)
      const existing = await findTrackingIssue(octokit, repository, driftMarker(settings.targetName))
      const how = pullRequest !== undefined ? `the apply of pull request #${pullRequest}` : 'an apply'
      const status =
        existing?.state === 'open'
          ? `🔄 **Baseline updated** by ${how} at ${record.recordedAt}${runLink(context)}; the next drift check compares the target with it and closes this issue if nothing else differs.`
          : `✅ **No drift known:** ${how} recorded the target's state at ${record.recordedAt}${runLink(context)}. The next drift check compares the target with it.`
      const body = writeDriftIssue({ targetName: settings.targetName, baseline: sealed, status, body: baselineLine(record) })
      const written = existing
        ? await updateTrackingIssue(octokit, repository, existing.number, { body })
        : await openClosed(octokit, repository, settings.targetName, body, [])
      core.info(
        `Drift baseline for ${settings.targetName} recorded in ${written.url}${record.snapshot ? '' : ' (digest only: the snapshot is too large to store)'}.`
      )
    } catch (error) {
      // The apply has succeeded: a baseline that cannot be written is said, never a failure.
      const reason = error instanceof IssuesUnavailable ? error.message : `${(error as Error).message.split('\n')[0]}.`
      core.warning(`No drift baseline recorded for ${settings.targetName}: ${reason} The apply itself succeeded.`)
    }
  })
}

async function acceptBaseline(
  settings: DriftSettings,
  context: RunnerContext,
  octokit: Octokit | undefined,
  repository: RepositoryRef | undefined,
  binding: BaselineBinding,
  key: Buffer,
  tracking: Tracking,
  snapshot: SchemaSnapshot
): Promise<void> {
  if (!octokit || !repository) {
    throw new ExpectedError(
      `'accept-baseline: true' needs 'github-token' to write the baseline to the drift tracking issue of ${settings.targetName}.`
    )
  }
  if (tracking.unavailable) throw new ExpectedError(`The baseline was not accepted: ${tracking.unavailable.message}`)
  const record = baselineOf(
    snapshot,
    {
      ...binding,
      recordedAt: new Date().toISOString(),
      source: 'accepted',
      ...(context.sha ? { commit: context.sha } : {}),
      ...(context.runUrl ? { runUrl: context.runUrl } : {})
    },
    BASELINE_SNAPSHOT_BUDGET
  )
  const sealed = sealBaseline(record, key)
  const status = `✅ **Baseline accepted** at ${record.recordedAt}${runLink(context)}: the target's state then is now the state it should be in.`
  const body = writeDriftIssue({ targetName: settings.targetName, baseline: sealed, status, body: baselineLine(record) })
  const issue = tracking.issue
  const written = await step('issue', async () => {
    try {
      if (!issue) return await openClosed(octokit, repository, settings.targetName, body, settings.labels)
      const updated = await updateTrackingIssue(octokit, repository, issue.number, {
        body,
        ...(issue.state === 'open' ? { state: 'closed' as const } : {})
      })
      if (issue.state === 'open') {
        await commentOnIssue(
          octokit,
          repository,
          issue.number,
          `The target's current state was accepted as its baseline at ${record.recordedAt}${runLink(context)}; closing.`
        )
      }
      return updated
    } catch (error) {
      if (error instanceof IssuesUnavailable) throw new ExpectedError(`The baseline was not accepted: ${error.message}`)
      throw error
    }
  })
  await step('render', () =>
    writeSummary(`${status}\n\n${baselineLine(record)}`, escapeInline(`Directus schema drift: ${settings.targetName}`, 200))
  )
  core.setOutput('drifted', 'false')
  core.setOutput('summary', 'baseline accepted')
  core.setOutput('diff-file', '')
  core.setOutput('issue-url', written.url)
  core.info(`Baseline for ${settings.targetName} accepted and recorded in ${written.url}.`)
}

async function readTracking(
  octokit: Octokit | undefined,
  repository: RepositoryRef | undefined,
  targetName: string,
  key: Buffer,
  binding: BaselineBinding
): Promise<Tracking> {
  if (!octokit || !repository) return { problem: "there is no 'github-token' to read the drift tracking issue with" }
  let issue: TrackedIssue | undefined
  try {
    issue = await findTrackingIssue(octokit, repository, driftMarker(targetName))
  } catch (error) {
    if (!(error instanceof IssuesUnavailable)) throw error
    return { unavailable: error, problem: error.message }
  }
  if (!issue) return { problem: `the action has not applied to ${targetName} yet: no drift tracking issue written by this token` }
  const parsed = parseDriftIssue(issue.body, targetName)
  const seen = parsed?.seen ? { seen: parsed.seen } : {}
  if (!parsed?.baseline) return { issue, ...seen, problem: `the drift tracking issue #${issue.number} holds no baseline` }
  try {
    return { issue, ...seen, baseline: openBaseline(parsed.baseline, key, binding), sealed: parsed.baseline }
  } catch (error) {
    if (!(error instanceof BaselineError)) throw error
    return { issue, ...seen, problem: `the baseline in the drift tracking issue #${issue.number} is not trusted: ${error.message}` }
  }
}

function noBaselineReason(settings: DriftSettings, tracking: Tracking): string {
  const why = tracking.problem ?? `the action has not applied to ${settings.targetName} yet`
  return (
    `${why}. A baseline is recorded by the next apply, or now with 'accept-baseline: true' ` +
    `(after checking the target), or use 'base-snapshot' to compare with a committed snapshot.`
  )
}

/** Creates, reopens, updates or closes the tracking issue; the run carries on when issues are unavailable. */
async function reportOnIssue(
  settings: DriftSettings,
  octokit: Octokit | undefined,
  repository: RepositoryRef | undefined,
  tracking: Tracking,
  finding: DriftFinding,
  context: DriftContext,
  seen: { first: string; last: string } | undefined,
  now: string
): Promise<string | undefined> {
  const issue = tracking.issue
  if (!settings.issue || !octokit || !repository || tracking.unavailable || finding.state === 'no-baseline') return issue?.url
  // No drift and no open issue: nothing to say, nothing written.
  if (finding.state === 'clean' && issue?.state !== 'open') return issue?.url
  const body = issueBody(settings.targetName, tracking, finding, context, seen ?? { first: now, last: now })
  return step('issue', async () => {
    try {
      if (finding.state === 'clean' && issue) {
        const closed = await updateTrackingIssue(octokit, repository, issue.number, { body, state: 'closed' })
        const run = context.runUrl !== undefined ? linkUrl(context.runUrl) : undefined
        const checked = `checked ${now}${run ? ` in [this run](${run})` : ''}`
        await commentOnIssue(
          octokit,
          repository,
          issue.number,
          `✅ Drift resolved: the target matches the state it should be in again (${checked}). Closing.`
        )
        return closed.url
      }
      if (!issue)
        return (
          await createTrackingIssue(octokit, repository, { title: driftIssueTitle(settings.targetName), body, labels: settings.labels })
        ).url
      const missing = settings.labels.filter((label) => !issue.labels.includes(label))
      const updated = await updateTrackingIssue(octokit, repository, issue.number, {
        body,
        ...(issue.state === 'closed' ? { state: 'open' as const } : {}),
        ...(missing.length > 0 ? { labels: [...issue.labels, ...missing] } : {})
      })
      return updated.url
    } catch (error) {
      if (!(error instanceof IssuesUnavailable)) throw error
      core.warning(`${error.message} The drift report is in the job summary and the outputs.`)
      return issue?.url
    }
  })
}

/** The issue's text: the baseline kept verbatim, the report as detailed as GitHub's limit allows. */
function issueBody(
  targetName: string,
  tracking: Tracking,
  finding: DriftFinding,
  context: DriftContext,
  seen: { first: string; last: string }
): string {
  const frame = {
    targetName,
    ...(tracking.sealed ? { baseline: tracking.sealed } : {}),
    ...(finding.state === 'drifted' ? { seen } : {}),
    status: driftStatus(finding, context, seen)
  }
  const room = ISSUE_LIMIT - writeDriftIssue({ ...frame, body: '' }).length
  return writeDriftIssue({
    ...frame,
    body: driftBody(finding, context, baselineLine(tracking.baseline, tracking.problem), room, 'comment')
  })
}

/** The tracking issue, born closed: it is open only while the target drifts. */
async function openClosed(
  octokit: Octokit,
  repository: RepositoryRef,
  targetName: string,
  body: string,
  labels: string[]
): Promise<TrackedIssue> {
  const created = await createTrackingIssue(octokit, repository, { title: driftIssueTitle(targetName), body, labels })
  return updateTrackingIssue(octokit, repository, created.number, { state: 'closed' })
}

function jobSummary(
  finding: DriftFinding,
  context: DriftContext,
  tracking: Tracking,
  seen: { first: string; last: string } | undefined
): string {
  const heading = `### ${escapeInline(`Directus schema drift: ${context.targetName}`, 200)}`
  const status = driftStatus(finding, context, seen)
  const frame = `${heading}\n\n${status}\n\n`
  return (
    frame + driftBody(finding, context, baselineLine(tracking.baseline, tracking.problem), JOB_SUMMARY_LIMIT - frame.length, 'job-summary')
  )
}

function schemaPlan(finding: DriftFinding): Plan | undefined {
  return finding.state === 'no-baseline' ? undefined : finding.sections.find((section) => section.name === 'schema')?.plan
}

function bindingOf(settings: Pick<DriftSettings, 'targetName' | 'target'>, repository: RepositoryRef | undefined): BaselineBinding {
  return {
    repository: repository ? `${repository.owner}/${repository.repo}` : '',
    targetName: settings.targetName,
    targetUrl: settings.target.url.href
  }
}

function runLink(context: RunnerContext): string {
  const url = context.runUrl ? linkUrl(context.runUrl) : undefined
  return url ? ` in [this run](${url})` : ''
}
