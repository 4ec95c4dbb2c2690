/**
 * Configuration promotion in a run (issue #11), shared by the action and the
 * command line: the plan from both instances' system collections, and the
 * sealed apply that runs after the schema's.
 *
 * Apply is honest about what it cannot promise: the items API has no
 * compare-and-set, so the target is re-read and fingerprinted right before
 * each batch, and a record can still change between that read and the write.
 * Directus has no transaction across these requests either: a failure
 * part-way is reported with exactly the operations that were done, nothing is
 * retried, and a re-run of the same plan finds the target as that run left it
 * (one of the plan's fingerprints) and applies only the batches left.
 */
import { readFileSync } from 'node:fs'
import type { DirectusConnection } from '../directus/client.js'
import { readAdminIdentity, readConfigState } from '../directus/config/read.js'
import { applyBatches } from '../directus/config/write.js'
import { ACTION_ADVICE, type Advice } from './advice.js'
import { fingerprintOf } from './config/fingerprint.js'
import { operationsOf, type ConfigBatch, type ConfigOperation, type ConfigPlan, type ConfigState } from './config/model.js'
import { parseOverrides, type ConfigOverrides } from './config/overrides.js'
import { planConfig, type ConfigPlanOptions } from './config/plan.js'
import { ApplyFailure, InputError } from './errors.js'
import {
  checkConfigDestructive,
  configDeletesOf,
  checkConfigDigest,
  checkConfigScope,
  checkLockout,
  listOperations,
  summarizeOperations,
  configStart,
  fillSecrets,
  unpackConfigBatches,
  type ConfigRecord
} from './guard/config-record.js'
import type { Session } from './session.js'
import type { SnapshotFileLocation } from '../directus/snapshot-file.js'
import type { StepRunner } from './steps.js'
import { countOf } from './wording.js'

/** What the configuration plan is made from; no credentials. */
export interface ConfigRequest extends Pick<ConfigPlanOptions, 'parts' | 'mode' | 'env' | 'secretHash'> {
  /** The checked-in overrides file (`config-overrides`), read when the plan is made. */
  overrides?: SnapshotFileLocation
  advice?: Advice
}

/** Both instances' configuration and the plan between them. */
interface ConfigReading {
  target: ConfigState
  plan: ConfigPlan
}

/** The configuration plan of a promotion; one step. */
export async function planConfigPromotion(session: Session, request: ConfigRequest, step: StepRunner): Promise<ConfigPlan> {
  return (await readAndPlan(session, request, step)).plan
}

async function readAndPlan(session: Session, request: ConfigRequest, step: StepRunner): Promise<ConfigReading> {
  const base = session.base
  if (!base) {
    throw new InputError(
      'promote',
      "Configuration is read from a live base instance; 'base-snapshot' holds the schema only. Give 'base-url'."
    )
  }
  const overrides = request.overrides ? readOverrides(request.overrides) : undefined
  return step('config', async () => {
    const [baseState, target, identity] = await Promise.all([
      readConfigState(base, request.parts),
      readConfigState(session.target, request.parts),
      readAdminIdentity(session.target)
    ])
    const plan = planConfig(baseState, target, {
      parts: request.parts,
      mode: request.mode,
      ...(overrides ? { overrides } : {}),
      env: request.env,
      secretHash: request.secretHash,
      identity
    })
    return { target, plan }
  })
}

function readOverrides(location: SnapshotFileLocation): ConfigOverrides {
  if (location.content !== undefined) return parseOverrides(location.content, location.path)
  let text: string
  try {
    text = readFileSync(location.file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new InputError(
      'config-overrides',
      `Input 'config-overrides': ${location.path} cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)})`
    )
  }
  return parseOverrides(text, location.path)
}

/** What apply will do with the configuration, decided before anything is written (and before the schema is applied). */
export type ConfigApplication =
  | { kind: 'nothing'; text: string }
  | {
      kind: 'apply'
      /** The plan whose batches are applied, secrets filled in. */
      plan: ConfigPlan
      /** The first batch to apply: > 0 when an earlier run of this plan applied the batches before it. */
      from: number
      note?: string
    }

export interface ConfigApplyPolicy {
  targetName: string
  allowDestructive: boolean
  requirePlan: boolean
  /**
   * Why there is no reviewed configuration plan although there is a reviewed plan: it changed no configuration
   * (`reviewed-without-config`), or it was pinned by a dispatch's expected-hash and expected-digest, which pin the schema only.
   */
  reviewedElsewhere?: 'reviewed-without-config' | 'pinned'
}

export interface ConfigApplyHooks {
  step: StepRunner
  info(line: string): void
  warning(line: string): void
  /** The configuration plan as it is now, before any check: the action sets its outputs from it. */
  onCurrentPlan?(current: ConfigPlan): void
  /** One line per request apply sends; never a body. */
  debug?(line: string): void
}

/**
 * The checks before anything is written, in this order: the reviewed plan was
 * made for these parts and mode; the target is as reviewed, or as an earlier
 * run of this plan left it part-way (`target-changed` otherwise); the plan is
 * still the reviewed one (`plan-changed`); no lockout; deletes only with
 * allow-destructive. `reviewed` undefined: there is no reviewed configuration
 * plan, which only `require-plan: false` accepts.
 */
export async function prepareConfigApply(
  session: Session,
  reviewed: ConfigRecord | undefined,
  request: ConfigRequest & ConfigApplyPolicy,
  hooks: ConfigApplyHooks
): Promise<ConfigApplication> {
  const { target, plan: current } = await readAndPlan(session, request, hooks.step)
  hooks.onCurrentPlan?.(current)
  return decideConfigApplication(reviewed, target, current, request, hooks.warning)
}

/**
 * The decision of prepareConfigApply on what it read: the target's state and
 * the plan made on it now. Pure, so the guard table runs exactly this.
 */
export function decideConfigApplication(
  reviewed: ConfigRecord | undefined,
  target: ConfigState,
  current: ConfigPlan,
  request: Pick<ConfigRequest, 'parts' | 'mode' | 'secretHash' | 'advice'> & ConfigApplyPolicy,
  warning: (line: string) => void
): ConfigApplication {
  const advice = request.advice ?? ACTION_ADVICE
  const pending = operationsOf(current).length
  if (!reviewed) {
    if (pending === 0) return { kind: 'nothing', text: 'The configuration on the target already matches the base.' }
    if (request.reviewedElsewhere === 'reviewed-without-config') {
      throw new ApplyFailure(
        'plan-changed',
        `The reviewed plan changes no configuration, but the configuration differs now (${summarizeOperations(operationsOf(current))}). ` +
          `Nothing was applied. ${advice.replan}`
      )
    }
    if (request.requirePlan || request.reviewedElsewhere === 'pinned') {
      throw new ApplyFailure(
        'no-plan',
        `No reviewed configuration plan for target '${request.targetName}', and the configuration differs (${summarizeOperations(operationsOf(current))}). ` +
          "Nothing was applied. Configuration is applied from a pull request's plan comment ('expected-hash' and 'expected-digest' pin the schema only), " +
          "or with 'require-plan: false'."
      )
    }
    warning(`Applying configuration to ${request.targetName} without a reviewed plan (require-plan: false).`)
    return checkedApplication(current, current, 0, request, advice)
  }
  checkConfigScope(reviewed, request.parts, request.mode)
  // The whole of the compared collections is fingerprinted, as the plan saw it: the reviewed plan's batches are not needed for it.
  const fingerprint = fingerprintOf(target, { parts: reviewed.parts, compared: reviewed.compared ?? current.compared }, request.secretHash)
  const start = configStart(reviewed, fingerprint, advice)
  if (start.kind === 'applied') {
    return { kind: 'nothing', text: 'The reviewed configuration plan was applied already: the target is exactly as its apply left it.' }
  }
  if (start.from === 0) {
    checkConfigDigest(reviewed, current, advice)
    return checkedApplication(current, current, 0, request, advice)
  }
  // A re-run after a part-way failure: what is left is the reviewed plan's own batches, carried by the record.
  const sealed = unpackConfigBatches(reviewed)
  // Only what is left is sent, so only its secrets are filled: the batches done are not in a fresh plan any more.
  const filled = sealed ? fillSecrets(sealed.slice(start.from), operationsOf(current), request.secretHash) : undefined
  if (!filled || 'missing' in filled) {
    throw new ApplyFailure(
      'plan-changed',
      `An earlier run applied ${countOf(start.from, 'batch', 'batches')} of this configuration plan before it failed, ` +
        (filled
          ? `but ${filled.missing} is no longer the reviewed value in the base, the overrides file or the environment. `
          : 'but the plan record does not carry the reviewed operations (they did not fit the comment), so the rest cannot be applied exactly as reviewed. ') +
        `Nothing was applied. ${advice.replan}`
    )
  }
  const resumed: ConfigPlan = {
    ...current,
    batches: [...(sealed ?? []).slice(0, start.from), ...filled.batches],
    digest: reviewed.digest,
    fingerprints: reviewed.fingerprints,
    destructive: reviewed.destructive
  }
  return checkedApplication(resumed, current, start.from, request, advice, resumedNote(resumed, start.from))
}

function checkedApplication(
  plan: ConfigPlan,
  current: ConfigPlan,
  from: number,
  policy: ConfigApplyPolicy,
  advice: Advice,
  note?: string
): ConfigApplication {
  // The lockout is judged on the target as it is now, for the identity apply runs as now.
  checkLockout(current)
  // A re-run is judged on what it still sends: the deletes of the batches left.
  const left = plan.batches.slice(from)
  checkConfigDestructive({ destructive: configDeletesOf({ batches: left }).length > 0, batches: left }, policy.allowDestructive, advice)
  return { kind: 'apply', plan, from, ...(note ? { note } : {}) }
}

function resumedNote(plan: ConfigPlan, from: number): string {
  const done = plan.batches.slice(0, from).flatMap((batch) => batch.operations)
  return (
    `An earlier run of this plan applied ${countOf(from, 'batch', 'batches')} of ${plan.batches.length} before it failed ` +
    `(${summarizeOperations(done)}); the target is exactly as it left it, so this run applies only what is left.`
  )
}

/** What a configuration apply did. */
export interface ConfigApplied {
  /** The operations this run applied. */
  operations: ConfigOperation[]
  note?: string
}

/** Configuration applied only part-way: what reached the target and what did not, exactly. */
export class ConfigPartialApplyFailure extends ApplyFailure {
  override name = 'ConfigPartialApplyFailure'
  constructor(
    message: string,
    readonly applied: ConfigOperation[],
    readonly pending: ConfigOperation[]
  ) {
    super('partially-applied', message)
  }
}

/**
 * Applies the batches from `from` on, one request each, the target's
 * fingerprint checked right before each. Never retries: on a failure, what
 * was done and what was not is the error.
 */
export async function applyConfig(
  target: DirectusConnection,
  application: Extract<ConfigApplication, { kind: 'apply' }>,
  request: Pick<ConfigRequest, 'parts' | 'secretHash' | 'advice'>,
  hooks: ConfigApplyHooks,
  options: { schemaApplied?: string } = {}
): Promise<ConfigApplied> {
  const { parts, secretHash } = request
  const advice = request.advice ?? ACTION_ADVICE
  const { plan, from } = application
  // What this run changed before the configuration: a configuration failure then leaves the target part-way too.
  const schemaApplied = options.schemaApplied ? `the schema (${options.schemaApplied}), then ` : ''
  if (application.note) hooks.info(application.note)
  const applied: ConfigOperation[] = []
  // Done by earlier runs of this plan: the target already holds them.
  const earlier = plan.batches.slice(0, from).flatMap((batch) => batch.operations)
  await hooks.step('config-apply', async () => {
    for (let index = from; index < plan.batches.length; index++) {
      const batch = plan.batches[index] as ConfigBatch
      const state = await readConfigState(target, parts)
      if (fingerprintOf(state, plan, secretHash) !== plan.fingerprints[index]) {
        const pending = plan.batches.slice(index).flatMap((rest) => rest.operations)
        const message =
          `The configuration on the target changed while this run applied it: before ${batchName(batch)} a record the plan relies on ` +
          'was no longer as the plan expects. '
        if (applied.length === 0 && earlier.length === 0 && !schemaApplied) {
          throw new ApplyFailure('target-changed', `${message}Nothing was applied. ${advice.replan}`)
        }
        throw partialFailure(message, schemaApplied, [...earlier, ...applied], pending, advice)
      }
      const result = await applyBatches(target, [batch], hooks.debug ? { debug: hooks.debug } : {})
      applied.push(...result.done.flatMap((done) => done.operations))
      if (result.failed) {
        const pending = [...result.failed.batch.operations, ...plan.batches.slice(index + 1).flatMap((rest) => rest.operations)]
        const message = `Directus refused ${batchName(result.failed.batch)}: ${result.failed.error.message}. `
        if (applied.length === 0 && earlier.length === 0 && !schemaApplied) {
          throw new ApplyFailure(
            'apply-failed',
            `${message}Nothing was applied (a batch is one request, and Directus writes it whole or not at all).`
          )
        }
        throw partialFailure(message, schemaApplied, [...earlier, ...applied], pending, advice)
      }
      hooks.info(`Applied ${batchName(batch)}.`)
    }
  })
  return { operations: applied, ...(application.note ? { note: application.note } : {}) }
}

function partialFailure(
  cause: string,
  schemaApplied: string,
  applied: ConfigOperation[],
  pending: ConfigOperation[],
  advice: Advice
): ConfigPartialApplyFailure {
  return new ConfigPartialApplyFailure(
    `${cause}Directus has no transaction across these requests, so the promotion was applied part-way, and nothing was retried. ` +
      `Applied: ${schemaApplied}configuration ${listOperations(applied)}. Not applied: configuration ${listOperations(pending)}. ` +
      `Fix the cause, then run the apply again: it finds the target as this run left it and applies only what is left ` +
      `(if the target changed otherwise, it refuses; then ${advice.replan.charAt(0).toLowerCase()}${advice.replan.slice(1)})`,
    applied,
    pending
  )
}

function batchName(batch: ConfigBatch): string {
  return `the ${batch.kind} of ${countOf(batch.operations.length, 'record')} in ${batch.collection}`
}
