import { ACTION_ADVICE, type Advice } from './advice.js'
import type { DirectusConnection } from './directus/client.js'
import {
  diffSnapshot,
  isVersionOrVendorMismatch,
  readServerInfo,
  takeSnapshot,
  vendorNamedIn
} from './directus/schema.js'
import { isSnapshotFile, type CollectionScope, type DiffMode, type Settings } from './inputs.js'
import { describeChanges, summarizeChanges, type Change } from './plan/changes.js'
import { isDestructive } from './plan/destructive.js'
import type { SchemaDiff, SchemaSnapshot } from './plan/diff-model.js'
import { diffDigest } from './plan/digest.js'
import type { ReportInput, ServerFacts } from './report/markdown.js'
import { runUngrouped, type StepRunner } from './steps.js'

/** What the base would change on the target, as Directus computes it. Shared by the action and the CLI. */
export interface Plan {
  /** Directus' hash of the target schema; null when nothing differs (Directus gives none then). */
  hash: string | null
  diff: SchemaDiff | null
  digest: string | null
  changes: Change[]
  summary: string
  destructive: boolean
  base: ServerFacts
  target: ServerFacts
  /** Plain-text warnings for the report, e.g. a mismatch accepted with force. */
  warnings: string[]
  /** How the diff was asked for: mirror (Directus' default) or merge (additive). */
  mode: DiffMode
}

export interface PlanOptions {
  force: boolean
  /** Wording of the advice in errors; the action's by default. */
  advice?: Advice
  mode?: DiffMode
  /** Only for computePlan, which takes the snapshot itself. */
  scope?: CollectionScope
  /** Carried into the plan's warnings, e.g. from scoping the base snapshot. */
  warnings?: readonly string[]
}

/** Seen live (SQLite base, PostgreSQL target): what a diff across vendors keeps showing after every apply. */
export const CROSS_VENDOR_RESIDUE =
  'Across database vendors the diff never becomes empty: each database spells column types its own way ' +
  '(varchar and character varying, datetime and timestamp), so they show as updates after every apply. ' +
  'Check type changes in particular: a uuid foreign key read from SQLite is a string, and applying that would change the column type.'

export class MismatchError extends Error {
  override name = 'MismatchError'
}

/** Runs as two steps, `snapshot` then `diff`. */
export async function computePlan(
  base: DirectusConnection,
  target: DirectusConnection,
  options: PlanOptions,
  step: StepRunner = runUngrouped
): Promise<Plan> {
  const { snapshot, targetVersion } = await step('snapshot', async () => ({
    snapshot: await takeSnapshot(base, options.scope),
    targetVersion: (await readServerInfo(target)).version
  }))
  return step('diff', () => diffOnTarget(snapshot, target, targetVersion, options))
}

export async function diffOnTarget(
  snapshot: SchemaSnapshot,
  target: DirectusConnection,
  targetVersion: string | undefined,
  options: PlanOptions
): Promise<Plan> {
  const warnings: string[] = [...(options.warnings ?? [])]
  const mode = options.mode ?? 'mirror'
  const baseFacts: ServerFacts = { version: snapshot.directus, ...(snapshot.vendor ? { vendor: snapshot.vendor } : {}) }
  // Without force Directus checked that both sides run the same version and vendor.
  let targetFacts: ServerFacts = { ...baseFacts, ...(targetVersion ? { version: targetVersion } : {}) }

  let response
  try {
    // Asked without force first even when force is set, so the report can show
    // the mismatch that force is overriding.
    response = await diffSnapshot(target, snapshot, { force: false, mode })
  } catch (error) {
    if (!isVersionOrVendorMismatch(error)) throw error
    if (!options.force) {
      throw new MismatchError(
        `${error.message}. Base runs Directus ${baseFacts.version ?? 'unknown'} on ${baseFacts.vendor ?? 'an unknown database'}, ` +
          `target runs Directus ${targetVersion ?? 'unknown'}. Set ${(options.advice ?? ACTION_ADVICE).setting('force')} to diff and apply across versions or vendors anyway.`
      )
    }
    warnings.push(`Version or vendor mismatch overridden with force: ${error.reason}`)
    const vendor = vendorNamedIn(error.reason)
    targetFacts = { ...(targetVersion ? { version: targetVersion } : {}), ...(vendor ? { vendor } : {}) }
    if (vendor && baseFacts.vendor && vendor !== baseFacts.vendor) warnings.push(CROSS_VENDOR_RESIDUE)
    response = await diffSnapshot(target, snapshot, { force: true, mode })
  }

  const diff = response?.diff ?? null
  const changes = diff ? describeChanges(diff) : []
  return {
    hash: response?.hash ?? null,
    diff,
    digest: diff ? diffDigest(diff) : null,
    changes,
    summary: summarizeChanges(changes),
    destructive: isDestructive(changes),
    base: baseFacts,
    target: targetFacts,
    warnings,
    mode
  }
}

/** What every renderer (comment, job summary, terminal, JSON) is given about a plan. */
export function planReport(
  plan: Plan,
  settings: Pick<Settings, 'targetName' | 'base' | 'target' | 'allowDestructive'> & { scope?: CollectionScope },
  extras: { runUrl?: string; diffFile?: string } = {}
): ReportInput {
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
    ...(extras.runUrl ? { runUrl: extras.runUrl } : {}),
    ...(extras.diffFile ? { diffFile: extras.diffFile } : {})
  }
}
