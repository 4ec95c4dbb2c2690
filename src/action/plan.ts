import * as core from '@actions/core'
import { recordKey, sealedRecords } from '../core/guard/record.js'
import { describeFailures } from '../core/guard/reviewed-plan.js'
import { riskyChanges, rootFailures } from '../core/plan/changes.js'
import { plainWords } from '../core/plan/words.js'
import { planPromotion, type Plan } from '../core/planner.js'
import { openSession } from '../core/session.js'
import { baseRequestOf, connectionsOf, isSnapshotFile, type Settings } from '../core/settings.js'
import type { IssueRef } from '../github/comments.js'
import type { RunnerContext } from '../github/context.js'
import { publishComment } from '../github/publish.js'
import { COMMENT_LIMIT, commentMarker } from '../report/comment.js'
import { planStatus, renderJobSummary, renderPlanComment } from '../report/markdown.js'
import { planReport, type ReportInput } from '../report/model.js'
import { githubClient, publishLog, sessionHooks, setPlanOutputs, step, writeDiffFile, writeSummary } from './runner.js'

export async function runPlan(settings: Settings, context: RunnerContext): Promise<void> {
  const session = await step('connect', () => openSession(connectionsOf(settings), sessionHooks))
  let plan: Plan
  try {
    plan = await planPromotion(session, { ...baseRequestOf(settings), force: settings.force }, step, {
      count: { budgetMs: settings.timeoutMs }
    })
  } finally {
    // Everything after this talks to GitHub only.
    await session.close()
  }
  annotate(plan, settings)
  for (const warning of plan.warnings) core.warning(warning)

  const destination = commentDestination(settings, context)
  const rendered = await step('render', async () => {
    const diffFile = writeDiffFile(settings.targetName, plan)
    const report = actionReport(settings, context, plan, diffFile)
    await writeSummary(renderJobSummary(report, { status: planStatus(report) }).text)
    const comment = destination ? planComment(settings, context, plan, report) : undefined
    // Rendered here at GitHub's limit; `comment` renders again only if GitHub asks for less.
    comment?.render(COMMENT_LIMIT)
    return { diffFile, comment }
  })
  const comment = rendered.comment
  const commentUrl = destination && comment ? await step('comment', () => publishPlanComment(settings, destination, comment)) : undefined

  setPlanOutputs(plan, rendered.diffFile)
  core.setOutput('comment-url', commentUrl ?? '')
  core.info(`${settings.targetName}: ${plan.summary}`)
}

/** The report as the action shows it: with the run's link and the diff file. */
export function actionReport(settings: Settings, context: RunnerContext, plan: Plan, diffFile?: string): ReportInput {
  return planReport(plan, {
    targetName: settings.targetName,
    baseLocation: isSnapshotFile(settings.base) ? settings.base.path : settings.base.url.origin,
    targetLocation: settings.target.url.origin,
    ...(settings.scope ? { scope: settings.scope } : {}),
    allowDestructiveSetting: 'input',
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(diffFile ? { diffFile } : {})
  })
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

async function publishPlanComment(settings: Settings, issue: IssueRef, comment: PlanCommentRenderer): Promise<string | undefined> {
  const result = await publishComment(
    githubClient(settings.githubToken, settings.timeoutMs),
    issue,
    commentMarker(settings.targetName),
    (limit) => comment.render(limit),
    {
      limit: COMMENT_LIMIT,
      log: publishLog
    }
  )
  return result.url
}

/** Most complete first: with the reviewed diff packed in, then without it. */
function planRecords(settings: Settings, context: RunnerContext, plan: Plan): string[] {
  if (plan.kind !== 'changes' || !context.pullRequest || !context.repository) return []
  const binding = {
    repository: `${context.repository.owner}/${context.repository.repo}`,
    pullRequest: context.pullRequest.number,
    headSha: context.pullRequest.headSha,
    targetName: settings.targetName,
    targetUrl: settings.target.url.href
  }
  return sealedRecords(plan, binding, recordKey(settings.target.auth, settings.target.url.href), COMMENT_LIMIT)
}

/** Warning annotations for what a reviewer must see; the plan job cannot know the apply job's inputs, so it says what apply needs. */
function annotate(plan: Plan, settings: Settings): void {
  const failing = rootFailures(plan.changes)
  if (failing.length > 0) {
    core.warning(`${settings.targetName}: this plan cannot be applied; apply refuses it (${describeFailures(failing)})`)
  }
  const destructive = plan.changes.filter((change) => change.destructive)
  if (destructive.length > 0) {
    core.warning(
      `${destructive.length} destructive change(s) for ${settings.targetName}; apply refuses them unless the apply job sets 'allow-destructive: true'`
    )
  }
  for (const change of plan.changes) {
    if (change.warning && change.failure === undefined)
      core.warning(`${plainWords(change.warning.headline)} ${plainWords(change.warning.detail)}`)
  }
  const risky = riskyChanges(plan.changes)
  if (risky.length > 0)
    core.notice(
      `${risky.length} risky change(s) for ${settings.targetName}: they may fail on existing rows, change what a delete does, or cut values`
    )
}
