import { InputError } from '../core/errors.js'
import { checkOpenForPlan, type PullRequestFacts } from '../core/guard/pull-request.js'
import { packDiffWithin, recordSealers, type RecordBinding, type RecordSealer } from '../core/guard/record.js'
import { describeFailures } from '../core/guard/reviewed-plan.js'
import { riskyChanges, rootFailures } from '../core/plan/changes.js'
import { plainWords } from '../core/plan/words.js'
import { planPromotion, schemaNotPromoted, type Plan } from '../core/planner.js'
import { planConfigPromotion } from '../core/config-promotion.js'
import { operationsOf, type ConfigPlan } from '../core/config/model.js'
import { configDeletesOf, configRecordOf, packConfigBatches, secretHasher } from '../core/guard/config-record.js'
import { openSession } from '../core/session.js'
import { baseRequestOf, connectionsOf, isSnapshotFile, type BaseRequest, type Settings } from '../core/settings.js'
import { SNAPSHOT_LIMITS } from '../directus/snapshot-file.js'
import type { IssueRef, Octokit } from '../github/comments.js'
import { readCommittedFile } from '../github/contents.js'
import type { RunnerContext } from '../github/context.js'
import { publishComment } from '../github/publish.js'
import { readPullRequest, type Viewer } from '../github/pulls.js'
import { COMMENT_LIMIT, commentMarker, parseComment, writeComment } from '../report/comment.js'
import { planStatus, renderJobSummary, renderPlanComment, withApprovalNote } from '../report/markdown.js'
import { planReport, type ReportInput } from '../report/model.js'
import {
  configRequestOf,
  githubClient,
  repositoryPath,
  withCommittedOverrides,
  publishLog,
  recordKeyOf,
  sessionHooks,
  setPlanOutputs,
  step,
  writeDiffFile,
  writeSummary
} from './runner.js'
import * as core from './workflow.js'

/** The pull request a plan is for, as GitHub's API has it now, and whom the token acts as. */
interface PlannedPullRequest {
  issue: IssueRef
  facts: PullRequestFacts
  viewer: Viewer
  /**
   * The record's key, when the plan will comment. Derived before any schema
   * is in memory: scrypt's 128 MiB would otherwise stack on a large diff's.
   */
  key?: Buffer
}

export async function runPlan(settings: Settings, context: RunnerContext): Promise<void> {
  // Octokit is loaded only for a pull request: a plan without one never talks to GitHub.
  const octokit = settings.githubToken && context.pullRequest ? await githubClient(settings.githubToken, settings.timeoutMs) : undefined
  const prepared = context.pullRequest
    ? await step('pull-request', () => preparePullRequestPlan(settings, context, octokit))
    : { baseRequest: baseRequestOf(settings) }
  if (prepared === 'skipped') return
  const { pull, baseRequest } = prepared

  // The configuration's secrets are sealed under the record key, so plan and apply agree on its digest.
  const configKey = settings.promote.config.length > 0 ? (pull?.key ?? recordKeyOf(settings)) : undefined
  const configSettings = await withCommittedOverrides(settings, octokit, context.repository, pull?.facts.headSha ?? context.sha)
  const session = await step('connect', () => openSession(connectionsOf(settings), sessionHooks))
  let plan: Plan
  let config: ConfigPlan | undefined
  try {
    plan = settings.promote.schema
      ? await planPromotion(session, { ...baseRequest, force: settings.force }, step, { count: { budgetMs: settings.timeoutMs } })
      : schemaNotPromoted(settings.mode)
    config = configKey ? await planConfigPromotion(session, configRequestOf(configSettings, configKey), step) : undefined
  } finally {
    // Everything after this talks to GitHub only.
    await session.close()
  }
  annotate(plan, settings)
  if (config) annotateConfig(config, settings)
  for (const warning of plan.warnings) core.warning(warning)

  const destination = commentDestination(settings, context, pull)
  const rendered = await step('render', async () => {
    const diffFile = writeDiffFile(settings.targetName, plan)
    const report = actionReport(settings, context, plan, diffFile, config)
    await writeSummary(renderJobSummary(report, { status: planStatus(report) }).text)
    return { diffFile, report }
  })
  const commentUrl =
    destination && octokit && pull
      ? await step('comment', () => publishPlanComment(settings, context, octokit, pull, plan, rendered.report, config))
      : undefined

  setPlanOutputs(plan, rendered.diffFile, config)
  core.setOutput('comment-url', commentUrl ?? '')
  core.info(`${settings.targetName}: ${plan.summary}`)
}

/** What a pull request's plan is made from, or 'skipped' for a fork. */
async function preparePullRequestPlan(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit | undefined
): Promise<{ pull?: PlannedPullRequest; baseRequest: BaseRequest } | 'skipped'> {
  const pull = await readPlannedPullRequest(settings, context, octokit)
  if (pull === 'skipped') return pull
  const baseRequest = await baseRequestFor(settings, context, octokit, pull)
  return { ...(pull ? { pull } : {}), baseRequest }
}

/**
 * The pull request from the API, never from the event payload (a re-run
 * repeats an old one): its state, head, base branch, and whether it comes
 * from a fork, which is decided before anything reaches Directus.
 */
async function readPlannedPullRequest(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit | undefined
): Promise<PlannedPullRequest | 'skipped' | undefined> {
  const event = context.pullRequest
  if (!event) return undefined
  if (!octokit || !context.repository) {
    if (context.eventName === 'pull_request_target') {
      throw new InputError(
        'github-token',
        "Input 'github-token' is required on pull_request_target: the pull request's state, head and origin are read from GitHub's API"
      )
    }
    return event.fromFork && !settings.allowForks ? skipFork(event.number) : undefined
  }
  const issue = { ...context.repository, number: event.number }
  const { viewer, pull } = await readPullRequest(octokit, issue, { reviews: false })
  if ((pull.crossRepository || event.fromFork) && !settings.allowForks) return skipFork(event.number)
  if (settings.comment) checkOpenForPlan(pull)
  if (pull.headSha !== event.headSha) {
    core.info(
      `Pull request #${pull.number} is at ${pull.headSha} now; this run's event was for ${event.headSha}. The plan is made for ${pull.headSha}.`
    )
  }
  return { issue, facts: pull, viewer, ...(settings.comment ? { key: recordKeyOf(settings) } : {}) }
}

function skipFork(number: number): 'skipped' {
  core.notice(
    `Pull request #${number} comes from a fork: the schema plan is skipped, so the fork's author does not see the target's schema. ` +
      "Set 'allow-forks: true' to plan fork pull requests."
  )
  return 'skipped'
}

/**
 * The base of a pull request's plan. A committed snapshot is read from the
 * pull request's head commit through GitHub's API on pull_request_target,
 * whose checkout is the default branch; as data, never checked out or run.
 * On pull_request the workspace holds the pull request, but only the one its
 * event was for.
 */
async function baseRequestFor(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit | undefined,
  pull: PlannedPullRequest | undefined
): Promise<BaseRequest> {
  const request = baseRequestOf(settings)
  if (!request.baseFile || !pull) return request
  if (context.eventName !== 'pull_request_target') {
    if (context.pullRequest && context.pullRequest.headSha !== pull.facts.headSha) {
      throw new InputError(
        'base-snapshot',
        `Input 'base-snapshot': the workspace holds pull request #${pull.facts.number} at ${context.pullRequest.headSha}, but its head is now ${pull.facts.headSha}. ` +
          'Plan from the newest workflow run of the pull request (this looks like a re-run of an older one).'
      )
    }
    return request
  }
  if (!octokit) return request
  const path = repositoryPath('base-snapshot', request.baseFile.path)
  const sha = pull.facts.headSha
  const file = await readCommittedFile(octokit, pull.issue, path, sha, SNAPSHOT_LIMITS.maxBytes)
  if (file.kind === 'missing') {
    throw new InputError(
      'base-snapshot',
      `Input 'base-snapshot': ${path} does not exist at commit ${sha}, the head of pull request #${pull.facts.number}`
    )
  }
  if (file.kind === 'not-a-file') {
    throw new InputError('base-snapshot', `Input 'base-snapshot': ${path} at commit ${sha} is a directory, not a snapshot file`)
  }
  core.info(`Read ${path} at ${sha} (${Buffer.byteLength(file.text)} bytes) through GitHub's API, as data.`)
  return { ...request, baseFile: { path, file: request.baseFile.file, content: file.text } }
}

/** The report as the action shows it: with the run's link and the diff file. */
export function actionReport(settings: Settings, context: RunnerContext, plan: Plan, diffFile?: string, config?: ConfigPlan): ReportInput {
  return planReport(plan, {
    ...(config ? { config } : {}),
    ...(settings.promote.schema ? {} : { schemaNotPromoted: true }),
    targetName: settings.targetName,
    baseLocation: isSnapshotFile(settings.base) ? settings.base.path : settings.base.url.origin,
    targetLocation: settings.target.url.origin,
    ...(settings.scope ? { scope: settings.scope } : {}),
    allowDestructiveSetting: 'input',
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(diffFile ? { diffFile } : {})
  })
}

/** Whether the plan goes to a comment; said in the log when it does not. */
function commentDestination(settings: Settings, context: RunnerContext, pull: PlannedPullRequest | undefined): boolean {
  if (!settings.comment) return false
  if (!context.pullRequest || !context.repository) {
    core.info(`No pull request in this ${context.eventName || 'unknown'} event; the plan goes to the job summary only.`)
    return false
  }
  if (!settings.githubToken || !pull) {
    core.warning("No 'github-token'; the plan goes to the job summary only.")
    return false
  }
  return true
}

/**
 * Signed with GitHub's time at the last answer before the write, over the
 * text the comment shows; rendered again only if GitHub asks for less.
 */
async function publishPlanComment(
  settings: Settings,
  context: RunnerContext,
  octokit: Octokit,
  pull: PlannedPullRequest,
  plan: Plan,
  report: ReportInput,
  config: ConfigPlan | undefined
): Promise<string | undefined> {
  const key = pull.key
  const status = settings.requireApproval ? withApprovalNote(planStatus(report)) : planStatus(report)
  const binding: RecordBinding = {
    repository: `${pull.issue.owner}/${pull.issue.repo}`,
    pullRequest: pull.facts.number,
    headSha: pull.facts.headSha,
    baseRef: pull.facts.baseRef,
    targetName: settings.targetName,
    targetUrl: settings.target.url.href
  }
  // Packed once, however often the comment is sealed again.
  const packed = plan.kind === 'changes' && key ? await packDiffWithin(plan.diff, COMMENT_LIMIT) : undefined
  const configRecord =
    config && key && operationsOf(config).length > 0
      ? { ...configRecordOf(config), batches: packConfigBatches(config, secretHasher(key)) }
      : undefined
  const schemaPart = plan.kind === 'changes' ? plan : undefined
  const rendered = new Map<string, string>()
  const render = (limit: number, githubTime: Date): string => {
    const signedAt = githubTime.toISOString().replace(/\.\d{3}Z$/, 'Z')
    const cacheKey = `${limit}@${signedAt}`
    let text = rendered.get(cacheKey)
    if (text === undefined) {
      const records: RecordSealer[] =
        key && (schemaPart || configRecord)
          ? recordSealers(schemaPart, binding, signedAt, key, packed, context.actors ?? [], configRecord)
          : []
      text = renderPlanComment(report, { status, records, limit }).text
      rendered.set(cacheKey, text)
    }
    return text
  }
  const result = await publishComment(octokit, pull.issue, pull.viewer, commentMarker(settings.targetName), render, {
    limit: COMMENT_LIMIT,
    log: publishLog,
    // A merge while the plan ran must not get a plan signed after it: the pull request is read again right before the write.
    beforeWrite: async () => checkOpenForPlan((await readPullRequest(octokit, pull.issue, { reviews: false })).pull),
    unsigned: withoutRecord
  })
  return result.url
}

/** A comment GitHub stored altered keeps its text but loses its record: apply then has nothing to trust. */
function withoutRecord(sent: string): string {
  const parsed = parseComment(sent)
  if (!parsed) throw new Error('the plan comment just rendered does not parse')
  return writeComment({
    targetName: parsed.targetName,
    summary: parsed.summary,
    body: parsed.body,
    status: {
      state: 'refused',
      text: '❌ **GitHub stored this comment differently from the plan that was signed**, so it carries no plan record: apply refuses it. Re-run the plan.'
    }
  })
}

/** The configuration's own annotations: what apply will refuse, and what it needs. */
function annotateConfig(config: ConfigPlan, settings: Settings): void {
  if (config.lockout)
    core.warning(`${settings.targetName}: this configuration plan cannot be applied; apply refuses it (${config.lockout})`)
  const deletes = configDeletesOf(config)
  if (deletes.length > 0) {
    core.warning(
      `${deletes.length} destructive configuration change(s) for ${settings.targetName}; apply refuses them unless the apply job sets 'allow-destructive: true'`
    )
  }
  if (config.risks.length > 0)
    core.notice(`${config.risks.length} risky configuration change(s) for ${settings.targetName}: they widen access`)
  for (const limit of config.limits) core.notice(`${settings.targetName}: ${limit.text}`)
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
