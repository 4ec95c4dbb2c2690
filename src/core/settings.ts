/**
 * The settings of a run, as the action's inputs and the command line's flags
 * both arrive at them (src/inputs parses them). Core functions take the
 * narrow views below, never the whole object: credentials travel only to the
 * code that connects and to the code that keys the plan record.
 */
import type { InstanceSettings } from '../directus/client.js'
import type { CollectionScope, DiffMode } from '../directus/schema.js'
import type { SnapshotFileLocation } from '../directus/snapshot-file.js'
import type { Advice } from './advice.js'
import { CONFIG_PARTS, type ConfigPart, type PromoteSelection } from './config/model.js'
import type { ConnectionSettings } from './session.js'

export { CONFIG_PARTS, type ConfigPart, type PromoteSelection }

export const COMMANDS = ['plan', 'apply', 'snapshot', 'drift'] as const
export type Command = (typeof COMMANDS)[number]

/** A committed snapshot file standing in for the base instance (`base-snapshot`). */
export interface SnapshotFileSource extends SnapshotFileLocation {
  kind: 'file'
}

export type BaseSource = InstanceSettings | SnapshotFileSource

export function isSnapshotFile(base: BaseSource): base is SnapshotFileSource {
  return 'kind' in base && base.kind === 'file'
}

/** Settings of the promotion commands, plan and apply. */
export interface Settings {
  command: Exclude<Command, 'snapshot' | 'drift'>
  base: BaseSource
  target: InstanceSettings
  scope?: CollectionScope
  mode: DiffMode
  /** What is promoted: the schema and/or configuration parts (`promote`). */
  promote: PromoteSelection
  /** The checked-in file of per-target configuration values (`config-overrides`). */
  configOverrides?: SnapshotFileLocation
  targetName: string
  githubToken: string
  force: boolean
  comment: boolean
  timeoutMs: number
  allowDestructive: boolean
  requirePlan: boolean
  /** Apply from a pull request only with an approval given after its last plan. */
  requireApproval: boolean
  /** Plan pull requests from forks, which then see the target's schema diff. */
  allowForks: boolean
  /** Apply a pull request's plan whose comment could not show all of it (the record says so). */
  allowPartialReview: boolean
  /** Keys the plan record instead of the target credential, when given. */
  signingKey?: string
  expectedHash?: string
  expectedDigest?: string
  /** Record the drift baseline in the target's tracking issue after an apply (`issue`). */
  issue: boolean
}

/** Settings of `command: drift`: the target alone, compared with its baseline or a committed snapshot. */
export interface DriftSettings {
  command: 'drift'
  target: InstanceSettings
  /** GitOps: the committed snapshot is the state the target should be in. */
  baseFile?: SnapshotFileLocation
  scope?: CollectionScope
  targetName: string
  githubToken: string
  force: boolean
  timeoutMs: number
  /** Keys the baseline's signature instead of the target credential, as it keys the plan record (`signing-key`). */
  signingKey?: string
  /** Open, update and close the tracking issue; false only reads the baseline from it. */
  issue: boolean
  labels: string[]
  failOnDrift: boolean
  /** Record the target's current state as its baseline instead of comparing. */
  acceptBaseline: boolean
}

/** Settings of `command: snapshot`, which only reads the base and writes its snapshot to a file. */
export interface SnapshotSettings {
  command: 'snapshot'
  base: InstanceSettings
  snapshotFile: SnapshotFileLocation
  scope?: CollectionScope
  timeoutMs: number
}

/** What the base schema of a plan is made from; no credentials. */
export interface BaseRequest {
  /** The committed snapshot used as the base, or undefined for the live base instance. */
  baseFile?: SnapshotFileLocation
  scope?: CollectionScope
  mode: DiffMode
}

/** How a diff is asked for. */
export interface DiffRequest {
  force: boolean
  mode: DiffMode
  /** Wording of the advice in errors; the action's by default. */
  advice?: Advice
}

/** What apply may do, and how it words its refusals. */
export interface ApplyPolicy extends DiffRequest {
  targetName: string
  allowDestructive: boolean
  /** Without a reviewed plan, refuse (true) or apply the current diff, Directus' hash check still holding (false). */
  requirePlan: boolean
  /**
   * The pull request this push merged, when it has no reviewed plan for the target (no plan comment, or one
   * without a record): `require-plan: false` never covers it, only pushes without a pull request.
   */
  unplannedPullRequest?: number
  /** Per-request timeout; an ambiguous apply is re-checked for up to three times this. */
  timeoutMs: number
}

/** The credentials and timeouts of both instances: all the session needs, and no GitHub token. */
export function connectionsOf(settings: Pick<Settings, 'base' | 'target' | 'timeoutMs'>): ConnectionSettings {
  return { base: settings.base, target: settings.target, timeoutMs: settings.timeoutMs }
}

export function baseRequestOf(settings: Pick<Settings, 'base' | 'scope' | 'mode'>): BaseRequest {
  return {
    ...(isSnapshotFile(settings.base) ? { baseFile: { path: settings.base.path, file: settings.base.file } } : {}),
    ...(settings.scope ? { scope: settings.scope } : {}),
    mode: settings.mode
  }
}

export function applyPolicyOf(settings: Settings, advice?: Advice): ApplyPolicy {
  return {
    targetName: settings.targetName,
    force: settings.force,
    mode: settings.mode,
    allowDestructive: settings.allowDestructive,
    requirePlan: settings.requirePlan,
    timeoutMs: settings.timeoutMs,
    ...(advice ? { advice } : {})
  }
}
