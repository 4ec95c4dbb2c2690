import type { DirectusConnection } from '../directus/client.js'
import { diffSnapshot, isVersionOrVendorMismatch, vendorNamedIn } from '../directus/schema.js'
import type { SchemaDiff, SchemaSnapshot } from '../directus/types.js'
import { ACTION_ADVICE } from './advice.js'
import { ExpectedError } from './errors.js'
import { describeChanges, summarizeChanges, type Change } from './plan/changes.js'
import { isDestructive } from './plan/destructive.js'
import { diffDigest } from './plan/digest.js'
import { isEmptyDiff, residueContextOf, withoutResidue, type ResidueGroup } from './plan/residue.js'
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
  changes: Change[]
  summary: string
  destructive: boolean
  base: ServerFacts
  target: ServerFacts
  /** Plain-text warnings for the report, e.g. a mismatch accepted with force. */
  warnings: string[]
  /** How the diff was asked for: mirror (Directus' default) or merge (additive). */
  mode: DiffMode
  /** Known vendor residue taken out of Directus' diff: never shown as a change, never applied (plan/residue.ts). */
  residue: ResidueGroup[]
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
  diff: SchemaDiff
  /** diffDigest(diff): pins the exact change. */
  digest: string
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

/** The plan of a promotion: the base schema (live or committed, scoped), diffed on the target. Runs as two steps. */
export async function planPromotion(session: Session, request: BaseRequest & DiffRequest, step: StepRunner): Promise<Plan> {
  const base = await step('snapshot', () => loadBaseSnapshot(request, session))
  return step('diff', () => diffOnTarget(base.snapshot, session.target, session.versions.target, { ...request, warnings: base.warnings }))
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

  const nothing = { changes: [], summary: summarizeChanges([]), destructive: false }
  if (!response) return { kind: 'no-changes', ...nothing, base: baseFacts, target: targetFacts, warnings, mode, residue: [] }
  const { diff, residue } = withoutResidue(response.diff, residueContextOf(snapshot, targetFacts.vendor))
  const facts = { base: baseFacts, target: targetFacts, warnings, mode, residue }
  if (isEmptyDiff(diff)) return { kind: 'no-changes', ...nothing, ...facts }
  const changes = describeChanges(diff)
  return {
    kind: 'changes',
    hash: response.hash,
    diff,
    digest: diffDigest(diff),
    changes,
    summary: summarizeChanges(changes),
    destructive: isDestructive(changes),
    ...facts
  }
}
