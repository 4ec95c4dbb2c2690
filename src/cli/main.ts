/**
 * The local preview command: the action's plan and apply, run from a
 * terminal against the same Directus instances, with the same checks.
 * Writes the report (and the apply result) to stdout; prompts, warnings,
 * errors and --verbose detail to stderr.
 */
import { CLI_ADVICE } from '../core/advice.js'
import { applyReviewed } from '../core/apply.js'
import { ApplyFailure, ExpectedError } from '../core/errors.js'
import { checkReviewedPlan, pinnedPlan, type ReviewedPlan } from '../core/guard/reviewed-plan.js'
import { summarizeChanges, type Change } from '../core/plan/changes.js'
import { plainWords } from '../core/plan/words.js'
import { planPromotion, type Plan } from '../core/planner.js'
import { openSession, type Session } from '../core/session.js'
import {
  applyPolicyOf,
  baseRequestOf,
  connectionsOf,
  isSnapshotFile,
  type ApplyPolicy,
  type BaseRequest,
  type Settings
} from '../core/settings.js'
import type { StepRunner } from '../core/steps.js'
import { planStatus, renderPlanComment } from '../report/markdown.js'
import { planReport } from '../report/model.js'
import { renderTerminalReport } from '../report/terminal.js'
import { CLI_NAME, parseCommandLine, USAGE, UsageError, type CliArgs } from './args.js'
import { resolveAuth } from './credentials.js'
import { createPrompter, PromptCancelled, type PromptInput, type Prompter } from './prompt.js'
import { plainHttpWarnings } from '../inputs/read.js'
import { checkUrls, cliSettings } from './settings.js'
import { VERSION } from './version.js'

/** Like `diff --exit-code`: 0 nothing differs (or all went well), 2 there are changes, 1 an error or refusal. */
export const EXIT = { ok: 0, error: 1, changes: 2 } as const

export interface CliIo {
  argv: readonly string[]
  env: NodeJS.ProcessEnv
  stdin: PromptInput
  stdout: NodeJS.WritableStream & { isTTY?: boolean }
  stderr: NodeJS.WritableStream
}

export async function main(io: CliIo): Promise<number> {
  let args: CliArgs
  try {
    const parsed = parseCommandLine(io.argv, io.env)
    if (parsed.kind === 'help') {
      io.stdout.write(USAGE)
      return EXIT.ok
    }
    if (parsed.kind === 'version') {
      io.stdout.write(`${VERSION}\n`)
      return EXIT.ok
    }
    args = parsed.args
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`error: ${error.message}\nRun '${CLI_NAME} --help' for usage.\n`)
    return EXIT.error
  }

  const prompter = createPrompter(io.stdin, io.stderr)
  try {
    // Checked before any prompt or request: nobody could answer the question.
    if (args.command === 'apply' && !args.yes && !prompter.interactive) {
      throw new UsageError('apply asks for confirmation, but stdin is not a terminal; pass --yes to apply without asking')
    }
    checkUrls(args)
    const settings = cliSettings(args, {
      base: await resolveAuth('base', hostOf(args.baseUrl), io.env, prompter),
      target: await resolveAuth('target', hostOf(args.targetUrl), io.env, prompter)
    })
    for (const warning of plainHttpWarnings([settings.target, ...('url' in settings.base ? [settings.base] : [])])) {
      io.stderr.write(`warning: ${warning}\n`)
    }
    const run = new CliRun(args, settings, io, prompter)
    return args.command === 'apply' ? await run.apply() : await run.plan()
  } catch (error) {
    io.stderr.write(`${describeError(error, args.verbose)}\n`)
    return EXIT.error
  } finally {
    prompter.close()
  }
}

class CliRun {
  private readonly step: StepRunner
  private readonly request: BaseRequest & ApplyPolicy

  constructor(
    private readonly args: CliArgs,
    private readonly settings: Settings,
    private readonly io: CliIo,
    private readonly prompter: Prompter
  ) {
    this.step = async (name, work) => {
      const started = Date.now()
      try {
        return await work()
      } finally {
        this.debug(`${name} took ${Date.now() - started} ms`)
      }
    }
    this.request = { ...baseRequestOf(settings), ...applyPolicyOf(settings, CLI_ADVICE) }
  }

  async plan(): Promise<number> {
    const plan = await this.withSession((session) => this.computePlan(session))
    this.io.stdout.write(this.render(plan))
    return plan.kind === 'changes' ? EXIT.changes : EXIT.ok
  }

  async apply(): Promise<number> {
    return this.withSession(async (session) => {
      const current = await this.computePlan(session)
      if (current.kind === 'no-changes') {
        this.io.stdout.write(this.render(current))
        return EXIT.ok
      }
      // Pinned by a plan made earlier, or this very plan once it has been shown and confirmed.
      const reviewed: ReviewedPlan = pinnedPlan(this.settings.expectedHash, this.settings.expectedDigest) ?? {
        hash: current.hash,
        digest: current.digest,
        diff: current.diff
      }
      // Refusals come before the question, not after a "yes".
      checkReviewedPlan(reviewed, current, this.request)
      this.io.stdout.write(this.render(current))

      if (!this.args.yes) {
        const question = `\nApply ${current.summary} to ${this.settings.targetName}? Only yes applies. [y/N] `
        if (!(await this.prompter.confirm(question))) {
          this.io.stderr.write('Nothing was applied.\n')
          return EXIT.error
        }
      }
      const outcome = await applyReviewed(session, reviewed, this.request, {
        step: this.step,
        info: (line) => this.io.stderr.write(`${line}\n`),
        warning: (line) => this.io.stderr.write(`warning: ${line}\n`)
      })
      if (!outcome.applied) {
        this.io.stdout.write(`${outcome.text}\n`)
        return EXIT.ok
      }
      this.io.stdout.write(
        `\nApplied ${summarizeChanges(outcome.changes)} to ${this.settings.targetName}.${outcome.residue ? `\n${outcome.residue}` : ''}\n`
      )
      return EXIT.ok
    })
  }

  private async computePlan(session: Session): Promise<Plan> {
    const plan = await planPromotion(session, this.request, this.step, { count: { budgetMs: this.settings.timeoutMs } })
    // The terminal report shows warnings too; stderr keeps them visible under --json and --markdown.
    for (const warning of plan.warnings) this.io.stderr.write(`warning: ${warning}\n`)
    return plan
  }

  private render(plan: Plan): string {
    const report = planReport(plan, {
      targetName: this.settings.targetName,
      baseLocation: isSnapshotFile(this.settings.base) ? this.settings.base.path : this.settings.base.url.origin,
      targetLocation: this.settings.target.url.origin,
      ...(this.settings.scope ? { scope: this.settings.scope } : {}),
      allowDestructiveSetting: 'flag'
    })
    switch (this.args.format) {
      case 'json':
        return `${JSON.stringify(planJson(plan, this.settings), null, 2)}\n`
      case 'markdown':
        return `${renderPlanComment(report, { status: planStatus(report) }).text}\n`
      case 'terminal':
        return renderTerminalReport(report, { color: useColor(this.io) })
    }
  }

  private async withSession<T>(work: (session: Session) => Promise<T>): Promise<T> {
    const session = await this.step('connect', () =>
      openSession(connectionsOf(this.settings), { debug: (line) => this.debug(line), maskSecret: () => undefined })
    )
    try {
      return await work(session)
    } finally {
      await session.close()
    }
  }

  private debug(line: string): void {
    if (this.args.verbose) this.io.stderr.write(`debug: ${line}\n`)
  }
}

/** The machine-readable plan: what the action's outputs say, plus the changes and the diff itself. */
export function planJson(plan: Plan, settings: Settings): Record<string, unknown> {
  return {
    targetName: settings.targetName,
    hasChanges: plan.kind === 'changes',
    hash: plan.kind === 'changes' ? plan.hash : null,
    digest: plan.kind === 'changes' ? plan.digest : null,
    summary: plan.summary,
    destructive: plan.destructive,
    risky: plan.risky,
    /** Changes that cannot succeed: apply refuses the plan while there is one. */
    cannotApply: plan.failing,
    base: { url: isSnapshotFile(settings.base) ? settings.base.path : settings.base.url.origin, ...plan.base },
    target: { url: settings.target.url.origin, ...plan.target },
    warnings: plan.warnings,
    changes: plan.changes.map(jsonChange),
    skipped: plan.skipped.map((item) => ({ ...item, why: plainWords(item.why) })),
    noise: plan.noise.map((group) => ({ rule: group.rule, entity: group.entity, items: group.items, text: plainWords(group.words) })),
    ...(plan.counting ? { counting: plan.counting } : {}),
    diff: plan.kind === 'changes' ? plan.diff : null
  }
}

/** A change for machines: its words as plain text (names in backticks), its risks by class. */
function jsonChange(change: Change): Record<string, unknown> {
  const { warning, failure, risks, ...rest } = change
  return {
    ...rest,
    ...(warning ? { warning: `${plainWords(warning.headline)} ${plainWords(warning.detail)}` } : {}),
    ...(failure ? { failure: plainWords(failure) } : {}),
    risky: risks.length > 0,
    risks: risks.map((risk) => ({
      class: risk.class,
      text: plainWords(risk.what),
      ...(risk.onTarget ? { onTarget: risk.onTarget } : {})
    }))
  }
}

/** Colour only for a person: stdout is a terminal and NO_COLOR (https://no-color.org) is unset or empty. */
export function useColor(io: Pick<CliIo, 'stdout' | 'env'>): boolean {
  return io.stdout.isTTY === true && !io.env['NO_COLOR']
}

function describeError(error: unknown, verbose: boolean): string {
  if (error instanceof ApplyFailure) return `error: apply refused (${error.reason}): ${error.message}`
  if (error instanceof UsageError) return `error: ${error.message}\nRun '${CLI_NAME} --help' for usage.`
  if (error instanceof PromptCancelled) return 'Cancelled; nothing was applied.'
  if (error instanceof ExpectedError) return `error: ${error.message}`
  const message = error instanceof Error ? error.message : String(error)
  const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : ''
  return `error: unexpected: ${message.split('\n')[0]}${stack}`
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
