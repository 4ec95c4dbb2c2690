import * as core from '@actions/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunnerContext } from '../github/context.js'
import { publishComment } from '../github/publish.js'
import { loadBaseSnapshot } from '../base-snapshot.js'
import { isSnapshotFile, type Settings } from '../inputs.js'
import { packDiffWithin, recordKey, sealRecord, type PlanRecord } from '../plan/record.js'
import { diffOnTarget, type Plan } from '../planner.js'
import { commentMarker } from '../report/comment.js'
import { DEFAULT_COMMENT_LIMIT, planStatus, renderJobSummary, renderPlanComment, type ReportInput } from '../report/markdown.js'
import { githubClient, openSession, step } from '../session.js'

export async function runPlan(settings: Settings, context: RunnerContext): Promise<void> {
  const session = await step('Connect', () => openSession(settings))
  try {
    const base = await step('Snapshot base', () => loadBaseSnapshot(settings, session))
    const plan = await step('Diff target', () =>
      diffOnTarget(base.snapshot, session.target, session.versions.target, { ...settings, warnings: base.warnings })
    )
    const diffFile = writeDiffFile(settings.targetName, plan)
    const report = reportInput(settings, context, plan, diffFile)
    if (plan.destructive) warnDestructive(plan, settings)
    for (const warning of plan.warnings) core.warning(warning)

    const commentUrl = await step('Comment', () => commentOnPullRequest(settings, context, plan, report))
    await step('Job summary', () => writeJobSummary(report))

    core.setOutput('has-changes', String(plan.changes.length > 0))
    core.setOutput('hash', plan.hash ?? '')
    core.setOutput('digest', plan.digest ?? '')
    core.setOutput('summary', plan.summary)
    core.setOutput('destructive', String(plan.destructive))
    core.setOutput('diff-file', diffFile)
    core.setOutput('comment-url', commentUrl ?? '')
    core.info(`${settings.targetName}: ${plan.summary}`)
  } finally {
    await session.close()
  }
}

export function reportInput(settings: Settings, context: RunnerContext, plan: Plan, diffFile?: string): ReportInput {
  return {
    targetName: settings.targetName,
    hash: plan.hash,
    diff: plan.diff,
    changes: plan.changes,
    base: { ...plan.base, url: isSnapshotFile(settings.base) ? settings.base.path : settings.base.url.origin },
    target: { ...plan.target, url: settings.target.url.origin },
    warnings: plan.warnings,
    mode: plan.mode,
    ...(settings.scope ? { scope: settings.scope } : {}),
    destructivePolicy: settings.allowDestructive ? 'allowed' : 'blocked',
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(diffFile ? { diffFile } : {})
  }
}

async function commentOnPullRequest(
  settings: Settings,
  context: RunnerContext,
  plan: Plan,
  report: ReportInput
): Promise<string | undefined> {
  if (!settings.comment) return undefined
  if (!context.pullRequest || !context.repository) {
    core.info(`No pull request in this ${context.eventName || 'unknown'} event; the plan goes to the job summary only.`)
    return undefined
  }
  if (!settings.githubToken) {
    core.warning("No 'github-token'; the plan goes to the job summary only.")
    return undefined
  }
  const issue = { ...context.repository, number: context.pullRequest.number }
  const records = planRecords(settings, context, plan)
  const status = planStatus(report)
  const result = await publishComment(
    githubClient(settings.githubToken),
    issue,
    commentMarker(settings.targetName),
    (limit) => renderPlanComment(report, { status, records, limit }).text
  )
  return result.url
}

/** Most complete first: with the reviewed diff packed in, then without it. */
function planRecords(settings: Settings, context: RunnerContext, plan: Plan): string[] {
  if (!plan.hash || !plan.diff || !plan.digest || !context.pullRequest || !context.repository) return []
  const record: PlanRecord = {
    v: 1,
    repository: `${context.repository.owner}/${context.repository.repo}`,
    pullRequest: context.pullRequest.number,
    headSha: context.pullRequest.headSha,
    targetName: settings.targetName,
    targetUrl: settings.target.url.href,
    hash: plan.hash,
    digest: plan.digest,
    destructive: plan.destructive,
    base: plan.base,
    target: plan.target
  }
  const key = recordKey(settings.target.auth, settings.target.url.href)
  const packed = packDiffWithin(plan.diff, DEFAULT_COMMENT_LIMIT)
  return [...(packed ? [sealRecord({ ...record, diff: packed }, key)] : []), sealRecord(record, key)]
}

export async function writeJobSummary(report: ReportInput): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return
  const { text } = renderJobSummary(report, { status: planStatus(report) })
  await core.summary.addRaw(text, true).write()
}

export function writeDiffFile(targetName: string, plan: Plan): string {
  const directory = join(process.env['RUNNER_TEMP'] || tmpdir(), 'directus-schema-action')
  mkdirSync(directory, { recursive: true })
  const file = join(directory, `${targetName.replace(/[^A-Za-z0-9._-]+/g, '_')}.diff.json`)
  writeFileSync(file, `${JSON.stringify({ hash: plan.hash, diff: plan.diff ?? null }, null, 2)}\n`)
  return file
}

function warnDestructive(plan: Plan, settings: Settings): void {
  const destructive = plan.changes.filter((change) => change.destructive)
  const policy = settings.allowDestructive ? 'allowed by allow-destructive' : "apply will refuse them unless 'allow-destructive: true'"
  core.warning(`${destructive.length} destructive change(s) for ${settings.targetName}; ${policy}`)
}
