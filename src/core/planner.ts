import type { DirectusConnection } from '../directus/client.js'
import { diffSnapshot, isVersionOrVendorMismatch, takeSnapshot, vendorNamedIn } from '../directus/schema.js'
import type { SchemaDiff, SchemaSnapshot } from '../directus/types.js'
import { ACTION_ADVICE } from './advice.js'
import { countStakes, hasStakes, primaryKeysOf, type CountingNote } from './counts.js'
import { ExpectedError } from './errors.js'
import { needsTargetView, targetViewOf } from './plan/apply-rules.js'
import {
  failingChanges,
  readDiff,
  riskyChanges,
  summarizeChanges,
  type Change,
  type DiffReading,
  type ReadingContext,
  type SkippedItem
} from './plan/changes.js'
import { isDestructive } from './plan/destructive.js'
import { diffDigest } from './plan/digest.js'
import { isEmptyDiff, noiseContextOf, trimNoise, type NoiseGroup } from './plan/noise.js'
import type { DiffMode } from '../directus/schema.js'
import { loadBaseSnapshot } from './base-snapshot.js'
import type { Session } from './session.js'
import type { BaseRequest, DiffRequest } from './settings.js'
import type { StepRunner } from './steps.js'

/** What a report says about one side: its Directus version and database vendor, when known. */
export interface ServerFacts {
  version?: string
  vendor?: string
}

interface PlanFacts {
  /** What Directus will create, update or delete (apply-rules.ts), including changes that cannot succeed. */
  changes: Change[]
  /** Items of the diff Directus will not apply: never planned changes. */
  skipped: SkippedItem[]
  /** Version noise and known residue removed from Directus' answer (or left harmless in a first entry), grouped. */
  noise: NoiseGroup[]
  summary: string
  destructive: boolean
  /** Some change may fail on existing rows, changes what a delete does, or can fail or truncate. */
  risky: boolean
  /** Some change cannot succeed as reviewed: apply refuses the plan. */
  failing: boolean
  /** How counting what the changes touch went, when it was asked for. */
  counting?: CountingNote
  base: ServerFacts
  target: ServerFacts
  /** Plain-text warnings for the report, e.g. a mismatch accepted with force. */
  warnings: string[]
  /** How the diff was asked for: mirror (Directus' default) or merge (additive). */
  mode: DiffMode
}

/**
 * What the base would change on the target, as Directus computes it. Shared
 * by the action and the command line. Directus gives a hash only with a diff,
 * so a plan either has no changes, or has all three of hash, diff and digest.
 */
export type Plan = NoChangesPlan | ChangesPlan

export interface NoChangesPlan extends PlanFacts {
  kind: 'no-changes'
}

export interface ChangesPlan extends PlanFacts {
  kind: 'changes'
  /** Directus' hash of the target schema the diff was computed against. */
  hash: string
  /** Directus' diff without its noise: what is shown, sealed and applied. */
  diff: SchemaDiff
  /** diffDigest(diff): pins the exact change. */
  digest: string
  /** Directus' answer with its noise, when noise was left out: what a plan sealed before that pinned. */
  untrimmed?: SchemaDiff
  /** What the diff was read with; reading another diff against the same target state reuses it. */
  reading: ReadingContext
}

export interface DiffOptions extends DiffRequest {
  /** Carried into the plan's warnings, e.g. from scoping the base snapshot. */
  warnings?: readonly string[]
}

/** Seen live (SQLite base, PostgreSQL target): what a diff across vendors keeps showing after every apply. */
export const CROSS_VENDOR_RESIDUE =
  'Across database vendors the diff never becomes empty: each database spells column types its own way ' +
  '(varchar and character varying, datetime and timestamp), so they show as updates after every apply. ' +
  'Check type changes in particular: a uuid foreign key read from SQLite is a string, and applying that would change the column type.'

/** Seen live (SQLite and PostgreSQL bases, MariaDB 10.11 targets): what plan/residue.ts takes out, and what it cannot vouch for. */
export const MARIADB_TARGET_RESIDUE =
  'Across database vendors to a MySQL/MariaDB target, the known residue (column types each database spells its own way, ' +
  'indexes MariaDB keeps on foreign keys) is left out of the plan and listed apart. Tested with MariaDB 10.11; MySQL itself is untested.'

/** Base and target run different Directus versions or vendors, and force is off. */
export class MismatchError extends ExpectedError {
  override name = 'MismatchError'
}

export interface PlanOptions {
  /** Count on the target what destructive and risky changes touch (a step of its own, only when there is something to count). */
  count?: { budgetMs: number }
}

/** The plan of a promotion: the base schema (live or committed, scoped), diffed on the target. Runs as two or three steps. */
export async function planPromotion(
  session: Session,
  request: BaseRequest & DiffRequest,
  step: StepRunner,
  options: PlanOptions = {}
): Promise<Plan> {
  const base = await step('snapshot', () => loadBaseSnapshot(request, session))
  const plan = await step('diff', () =>
    diffOnTarget(base.snapshot, session.target, session.versions.target, { ...request, warnings: base.warnings })
  )
  const count = options.count
  if (!count || !hasStakes(plan.changes)) return plan
  return step('count', async () => {
    const counted = await countStakes(session.target, plan.changes, primaryKeysOf(base.snapshot), { budgetMs: count.budgetMs })
    return { ...plan, changes: counted.changes, counting: counted.note }
  })
}

/** The schema part of a promotion that leaves the schema out (`promote` without `schema`): nothing read, nothing planned. */
export function schemaNotPromoted(mode: DiffMode): NoChangesPlan {
  return {
    kind: 'no-changes',
    changes: [],
    skipped: [],
    noise: [],
    summary: 'schema not promoted',
    destructive: false,
    risky: false,
    failing: false,
    base: {},
    target: {},
    warnings: [],
    mode
  }
}

export async function diffOnTarget(
  snapshot: SchemaSnapshot,
  target: DirectusConnection,
  targetVersion: string | undefined,
  options: DiffOptions
): Promise<Plan> {
  const warnings: string[] = [...(options.warnings ?? [])]
  const mode = options.mode
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
    if (vendor && baseFacts.vendor && vendor !== baseFacts.vendor)
      warnings.push(vendor === 'mysql' ? MARIADB_TARGET_RESIDUE : CROSS_VENDOR_RESIDUE)
    response = await diffSnapshot(target, snapshot, { force: true, mode })
  }

  const facts = { base: baseFacts, target: targetFacts, warnings, mode }
  const nothing = { changes: [], skipped: [], summary: summarizeChanges([]), destructive: false, risky: false, failing: false }
  if (!response) return { kind: 'no-changes', noise: [], ...nothing, ...facts }
  const noiseContext = noiseContextOf(snapshot, targetFacts.vendor)
  const trimmed = trimNoise(response.diff, noiseContext)
  if (isEmptyDiff(trimmed.diff)) return { kind: 'no-changes', noise: trimmed.noise, ...nothing, ...facts }
  const reading = await readingContext(trimmed.diff, target, {
    noise: noiseContext,
    ...(targetFacts.vendor ? { vendor: targetFacts.vendor } : {})
  })
  return {
    kind: 'changes',
    hash: response.hash,
    diff: trimmed.diff,
    digest: diffDigest(trimmed.diff),
    ...(trimmed.diff !== response.diff && trimmed.noise.length > 0 ? { untrimmed: response.diff } : {}),
    reading,
    noise: trimmed.noise,
    ...readingFacts(readDiff(trimmed.diff, reading)),
    ...facts
  }
}

/** What a reading of the diff says, as the plan carries it. */
export function readingFacts(
  reading: DiffReading
): Pick<PlanFacts, 'changes' | 'skipped' | 'summary' | 'destructive' | 'risky' | 'failing'> {
  return {
    changes: reading.changes,
    skipped: reading.skipped,
    summary: summarizeChanges(reading.changes),
    destructive: isDestructive(reading.changes),
    risky: riskyChanges(reading.changes).length > 0,
    failing: failingChanges(reading.changes).length > 0
  }
}

/**
 * The context to read this diff with. The target's schema is fetched only
 * when the diff asks what only the target knows (a folder that may be
 * missing, a delete by a property outside `schema`): Directus' answer tells
 * everything else, and a snapshot of a large target is not cheap.
 */
export async function readingContext(diff: SchemaDiff, target: DirectusConnection, known: ReadingContext): Promise<ReadingContext> {
  if (known.target !== undefined || !needsTargetView(diff)) return known
  const snapshot = await takeSnapshot(target)
  return { ...known, target: targetViewOf(snapshot), ...(snapshot.vendor ? { vendor: snapshot.vendor } : {}) }
}
