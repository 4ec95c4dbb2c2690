import * as core from '@actions/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunnerContext } from '../github/context.js'
import type { IssueRef } from '../github/comments.js'
import { COMMENT_LIMIT, publishComment } from '../github/publish.js'
import type { Settings } from '../inputs.js'
import { packDiffWithin, recordKey, sealRecord, type PlanRecord } from '../plan/record.js'
import { loadBaseSnapshot } from '../base-snapshot.js'
import { diffOnTarget, planReport, type Plan } from '../planner.js'
import { commentMarker } from '../report/comment.js'
import { planStatus, renderJobSummary, renderPlanComment, type ReportInput } from '../report/markdown.js'
import { githubClient, openSession, step } from '../session.js'

export async function runPlan(settings: Settings, context: RunnerContext): Promise<void> {
  const session = await step('connect', () => openSession(settings))
  let plan: Plan
  try {
    const base = await step('snapshot', () => loadBaseSnapshot(settings, session))
    plan = await step('diff', () =>
      diffOnTarget(base.snapshot, session.target, session.versions.target, { ...settings, warnings: base.warnings })
    )
  } finally {
    // Everything after this talks to GitHub only.
    await session.close()
  }
  if (plan.destructive) warnDestructive(plan, settings)
  for (const warning of plan.warnings) core.warning(warning)

  const destination = commentDestination(settings, context)
  const rendered = await step('render', async () => {
    const diffFile = writeDiffFile(settings.targetName, plan)
    const report = reportInput(settings, context, plan, diffFile)
    await writeJobSummary(report)
    const comment = destination ? planComment(settings, context, plan, report) : undefined
    // Rendered here at GitHub's limit; `comment` renders again only if GitHub asks for less.
    comment?.render(COMMENT_LIMIT)
    return { diffFile, comment }
  })
  const comment = rendered.comment
  const commentUrl =
    destination && comment ? await step('comment', () => publishPlanComment(settings, destination, comment)) : undefined

  core.setOutput('has-changes', String(plan.changes.length > 0))
  core.setOutput('hash', plan.hash ?? '')
  core.setOutput('digest', plan.digest ?? '')
  core.setOutput('summary', plan.summary)
  core.setOutput('destructive', String(plan.destructive))
  core.setOutput('diff-file', rendered.diffFile)
  core.setOutput('comment-url', commentUrl ?? '')
  core.info(`${settings.targetName}: ${plan.summary}`)
}

export function reportInput(settings: Settings, context: RunnerContext, plan: Plan, diffFile?: string): ReportInput {
  return planReport(plan, settings, { ...(context.runUrl ? { runUrl: context.runUrl } : {}), ...(diffFile ? { diffFile } : {}) })
}

/** The pull request to comment on, or undefined (said in the log) when there is none or commenting is off. */
function commentDestination(settings: Settings, context: RunnerContext): IssueRef | undefined {
  if (!settings.comment) return undefined
  if (!context.pullRequest || !context.repository) {
    core.info(`No pull request in this ${context.eventName || 'unknown'} event; the plan goes to the job summary only.`)
    return undefined
  }
  if (!settings.githubToken) {
    core.warning("No 'github-token'; the plan goes to the job summary only.")
    return undefined
  }
  return { ...context.repository, number: context.pullRequest.number }
}

interface PlanCommentRenderer {
  render(limit: number): string
}

function planComment(settings: Settings, context: RunnerContext, plan: Plan, report: ReportInput): PlanCommentRenderer {
  const records = planRecords(settings, context, plan)
  const status = planStatus(report)
  const rendered = new Map<number, string>()
  return {
    render(limit) {
      let text = rendered.get(limit)
      if (text === undefined) {
        text = renderPlanComment(report, { status, records, limit }).text
        rendered.set(limit, text)
      }
      return text
    }
  }
}

async function publishPlanComment(
  settings: Settings,
  issue: IssueRef,
  comment: PlanCommentRenderer
): Promise<string | undefined> {
  const result = await publishComment(
    githubClient(settings),
    issue,
    commentMarker(settings.targetName),
    (limit) => comment.render(limit)
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
  const packed = packDiffWithin(plan.diff, COMMENT_LIMIT)
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
