/**
 * The local preview command: the action's plan, apply and snapshot, run from
 * a terminal against the same Directus instances, with the same checks.
 * Writes the report (and the apply result) to stdout; prompts, warnings,
 * errors and --verbose detail to stderr.
 */
import { CLI_ADVICE } from '../core/advice.js'
import { applyReviewed } from '../core/apply.js'
import { ApplyFailure, ExpectedError } from '../core/errors.js'
import { checkReviewedPlan, pinnedPlan, type ReviewedPlan } from '../core/guard/reviewed-plan.js'
import { summarizeChanges, type Change } from '../core/plan/changes.js'
import { plainWords } from '../core/plan/words.js'
import { planPromotion, schemaNotPromoted, type Plan } from '../core/planner.js'
import { applyConfig, planConfigPromotion, prepareConfigApply, type ConfigRequest } from '../core/config-promotion.js'
import { operationsOf, type ConfigPlan } from '../core/config/model.js'
import {
  checkConfigDestructive,
  checkLockout,
  configRecordOf,
  listOperations,
  secretHasher,
  summarizeOperations
} from '../core/guard/config-record.js'
import { recordKey } from '../core/guard/record.js'
import { openSession, type Session } from '../core/session.js'
import { writeBaseSnapshot } from '../core/snapshot.js'
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
import { checkUrls, cliSettings, cliSnapshotSettings, type CliAuth } from './settings.js'
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
    // Asked for only where they are used: no base credential for a snapshot file, no target one for `snapshot`.
    const baseUrl = args.inputs['base-snapshot'] === undefined ? args.inputs['base-url'] : undefined
    const targetUrl = args.command === 'snapshot' ? undefined : args.inputs['target-url']
    const auth: CliAuth = {
      ...(baseUrl !== undefined ? { base: await resolveAuth('base', hostOf(baseUrl), io.env, prompter) } : {}),
      ...(targetUrl !== undefined ? { target: await resolveAuth('target', hostOf(targetUrl), io.env, prompter) } : {})
    }
    if (args.command === 'snapshot') return await snapshot(args, auth, io)
    const settings = cliSettings(args, auth)
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

/** `snapshot --out FILE`: the base's schema written with sorted keys; one line on stdout says what it holds. */
async function snapshot(args: CliArgs, auth: CliAuth, io: CliIo): Promise<number> {
  const settings = cliSnapshotSettings(args, auth)
  for (const warning of plainHttpWarnings([settings.base])) io.stderr.write(`warning: ${warning}\n`)
  const debug = (line: string): void => {
    if (args.verbose) io.stderr.write(`debug: ${line}\n`)
  }
  const written = await writeBaseSnapshot(
    settings,
    { debug, maskSecret: () => undefined, warning: (line) => io.stderr.write(`warning: ${line}\n`) },
    timedStep(debug)
  )
  io.stdout.write(`${settings.snapshotFile.path}: ${written.summary}${written.changed ? '' : ' (unchanged)'}\n`)
  return EXIT.ok
}

/** With --verbose, each step's duration on stderr. */
function timedStep(debug: (line: string) => void): StepRunner {
  return async (name, work) => {
    const started = Date.now()
    try {
      return await work()
    } finally {
      debug(`${name} took ${Date.now() - started} ms`)
    }
  }
}

class CliRun {
  private readonly step: StepRunner
  private readonly request: BaseRequest & ApplyPolicy
  private readonly configRequest: ConfigRequest | undefined

  constructor(
    private readonly args: CliArgs,
    private readonly settings: Settings,
    private readonly io: CliIo,
    private readonly prompter: Prompter
  ) {
    this.step = timedStep((line) => this.debug(line))
    this.request = { ...baseRequestOf(settings), ...applyPolicyOf(settings, CLI_ADVICE) }
    // Secrets are sealed under a key from the target credential, as the action's record key is without a signing key.
    this.configRequest =
      settings.promote.config.length > 0
        ? {
            parts: settings.promote.config,
            mode: settings.mode,
            ...(settings.configOverrides ? { overrides: settings.configOverrides } : {}),
            env: io.env,
            secretHash: secretHasher(recordKey(settings.target.auth, settings.target.url.href)),
            advice: CLI_ADVICE
          }
        : undefined
  }

  async plan(): Promise<number> {
    const { plan, config } = await this.withSession((session) => this.computePlan(session))
    this.io.stdout.write(this.render(plan, config))
    return hasChanges(plan, config) ? EXIT.changes : EXIT.ok
  }

  async apply(): Promise<number> {
    return this.withSession(async (session) => {
      const { plan: current, config } = await this.computePlan(session)
      if (!hasChanges(current, config)) {
        this.io.stdout.write(this.render(current, config))
        return EXIT.ok
      }
      // Pinned by a plan made earlier, or this very plan once it has been shown and confirmed. A plan of
      // configuration alone reviews "no schema change" (an empty hash): apply checks the schema still matches.
      const reviewed: ReviewedPlan =
        pinnedPlan(this.settings.expectedHash, this.settings.expectedDigest) ??
        (current.kind === 'changes' ? { hash: current.hash, digest: current.digest, diff: current.diff } : { hash: '', digest: '' })
      // Refusals come before the question, not after a "yes".
      if (current.kind === 'changes') checkReviewedPlan(reviewed, current, this.request)
      if (config) {
        checkLockout(config)
        checkConfigDestructive(config, this.settings.allowDestructive, CLI_ADVICE)
      }
      this.io.stdout.write(this.render(current, config))

      if (!this.args.yes) {
        const what = [
          ...(current.kind === 'changes' ? [current.summary] : []),
          ...(config && operationsOf(config).length > 0 ? [`configuration ${summarizeOperations(operationsOf(config))}`] : [])
        ]
        const question = `\nApply ${what.join(' and ')} to ${this.settings.targetName}? Only yes applies. [y/N] `
        if (!(await this.prompter.confirm(question))) {
          this.io.stderr.write('Nothing was applied.\n')
          return EXIT.error
        }
      }
      const hooks = {
        step: this.step,
        info: (line: string) => this.io.stderr.write(`${line}\n`),
        warning: (line: string) => this.io.stderr.write(`warning: ${line}\n`),
        debug: (line: string) => this.debug(line)
      }
      // The configuration shown is what was confirmed: apply refuses if the target or the base moved since.
      const configApplication =
        config && this.configRequest
          ? await prepareConfigApply(session, configRecordOf(config), { ...this.configRequest, ...this.request }, hooks)
          : undefined
      const outcome = this.settings.promote.schema ? await applyReviewed(session, reviewed, this.request, hooks) : undefined
      const configApplied =
        configApplication?.kind === 'apply' && this.configRequest
          ? await applyConfig(session.target, configApplication, this.configRequest, hooks, {
              ...(outcome?.applied ? { schemaApplied: summarizeChanges(outcome.changes) } : {})
            })
          : undefined
      const lines = [
        ...(outcome && !outcome.applied ? [outcome.text] : []),
        ...(outcome?.applied
          ? [`Applied ${summarizeChanges(outcome.changes)} to ${this.settings.targetName}.${outcome.residue ? `\n${outcome.residue}` : ''}`]
          : []),
        ...(configApplication?.kind === 'nothing' ? [configApplication.text] : []),
        ...(configApplied ? [`Applied configuration ${listOperations(configApplied.operations)} to ${this.settings.targetName}.`] : [])
      ]
      this.io.stdout.write(`\n${lines.join('\n')}\n`)
      return EXIT.ok
    })
  }

  private async computePlan(session: Session): Promise<{ plan: Plan; config?: ConfigPlan }> {
    const plan = this.settings.promote.schema
      ? await planPromotion(session, this.request, this.step, { count: { budgetMs: this.settings.timeoutMs } })
      : schemaNotPromoted(this.settings.mode)
    // The terminal report shows warnings too; stderr keeps them visible under --json and --markdown.
    for (const warning of plan.warnings) this.io.stderr.write(`warning: ${warning}\n`)
    const config = this.configRequest ? await planConfigPromotion(session, this.configRequest, this.step) : undefined
    return { plan, ...(config ? { config } : {}) }
  }

  private render(plan: Plan, config: ConfigPlan | undefined): string {
    const report = planReport(plan, {
      targetName: this.settings.targetName,
      baseLocation: isSnapshotFile(this.settings.base) ? this.settings.base.path : this.settings.base.url.origin,
      targetLocation: this.settings.target.url.origin,
      ...(this.settings.scope ? { scope: this.settings.scope } : {}),
      allowDestructiveSetting: 'flag',
      ...(config ? { config } : {}),
      ...(this.settings.promote.schema ? {} : { schemaNotPromoted: true })
    })
    switch (this.args.format) {
      case 'json':
        return `${JSON.stringify(planJson(plan, this.settings, config), null, 2)}\n`
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

/**
 * Where `plan --json` says which JSON Schema it follows: schemas/plan.v1.schema.json
 * in this repository. The version changes only with a change that could break a
 * reader; fields are only ever added within one version.
 */
export const PLAN_JSON_SCHEMA = 'https://github.com/acme/directus-schema-action/blob/v1/schemas/plan.v1.schema.json'

/** The machine-readable plan: what the action's outputs say, plus the changes and the diff itself. */
export function planJson(plan: Plan, settings: Settings, config?: ConfigPlan): Record<string, unknown> {
  return {
    $schema: PLAN_JSON_SCHEMA,
    targetName: settings.targetName,
    hasChanges: hasChanges(plan, config),
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
    diff: plan.kind === 'changes' ? plan.diff : null,
    ...(config ? { config: configJson(config) } : {})
  }
}

/**
 * The configuration part for machines: its digest and what each operation does, by label and changed paths.
 * Never the values: they may hold secrets.
 */
function configJson(config: ConfigPlan): Record<string, unknown> {
  return {
    parts: config.parts,
    mode: config.mode,
    digest: config.digest,
    summary: summarizeOperations(operationsOf(config)),
    destructive: config.destructive,
    risky: config.risks.length > 0,
    ...(config.lockout ? { lockout: config.lockout } : {}),
    risks: config.risks,
    limits: config.limits,
    operations: operationsOf(config).map((operation) => ({
      kind: operation.kind,
      collection: operation.collection,
      label: operation.label,
      ...(operation.kind === 'create' || operation.kind === 'update' ? { changed: operation.changes.map((change) => change.path) } : {})
    }))
  }
}

function hasChanges(plan: Plan, config: ConfigPlan | undefined): boolean {
  return plan.kind === 'changes' || (config !== undefined && operationsOf(config).length > 0)
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
