/**
 * An apply that failed part-way. On MySQL and MariaDB every schema statement
 * commits on its own (directus/directus#2957), so the transaction around
 * Directus' apply cannot undo what ran before the failing statement: the
 * target is left with some reviewed changes and without the others, under a
 * new hash that no reviewed plan matches. Seen live on Directus 12.4.0 with
 * MariaDB 10.11 (docs/mariadb.md, scripts/mariadb-partial-apply.mjs).
 */
import type { DirectusError } from '../directus/client.js'
import { ACTION_ADVICE, type Advice } from './advice.js'
import { ApplyFailure } from './errors.js'
import { changeSubject, summarizeChanges, type Change } from './plan/changes.js'

/** Databases whose schema statements commit one by one, so a failed apply is not rolled back. */
const NON_TRANSACTIONAL_VENDORS: readonly string[] = ['mysql']

export function isNonTransactional(vendor: string | undefined): boolean {
  return vendor !== undefined && NON_TRANSACTIONAL_VENDORS.includes(vendor)
}

/** Directus failed the apply after changing the target: what reached it, what did not, and its hash now. */
export class PartialApplyFailure extends ApplyFailure {
  override name = 'PartialApplyFailure'
  constructor(
    message: string,
    readonly applied: Change[],
    readonly pending: Change[],
    readonly targetHash: string
  ) {
    super('partially-applied', message)
  }
}

/** At most this many changes are named per list; the rest are counted. */
const NAMES_SHOWN = 10

/**
 * The failure, from the reviewed changes and those a fresh diff (taken after
 * clearing Directus' cached schema) still asks for.
 */
export function partialApplyFailure(
  error: DirectusError,
  reviewed: readonly Change[],
  pending: readonly Change[],
  targetHash: string,
  vendor: string | undefined,
  advice: Advice = ACTION_ADVICE
): PartialApplyFailure {
  const pendingKeys = new Set(pending.map(changeKey))
  const applied = reviewed.filter((change) => !pendingKeys.has(changeKey(change)))
  const why = isNonTransactional(vendor)
    ? 'MySQL and MariaDB commit each schema change as it runs, so Directus could not roll back what it had done before the failure'
    : 'the target changed although Directus reported a failure'
  const message =
    `Directus failed the apply part-way: ${error.message}. ${why}. ` +
    `Applied: ${listed(applied)}. Not applied: ${listed([...pending])}. ` +
    `The target's schema hash is now ${targetHash}, so the reviewed plan no longer applies. ` +
    `Fix the cause above, then plan again from the target's new state: ${advice.replan}`
  return new PartialApplyFailure(message, applied, [...pending], targetHash)
}

/** '+1 collection, +2 fields (pa_new, pa_new.id, pa_new.name)' */
export function listed(changes: readonly Change[]): string {
  if (changes.length === 0) return 'nothing'
  const names = changes.slice(0, NAMES_SHOWN).map((change) => changeSubject(change, 'standalone') ?? change.collection)
  const more = changes.length - names.length
  return `${summarizeChanges([...changes])} (${names.join(', ')}${more > 0 ? ` and ${more} more` : ''})`
}

function changeKey(change: Change): string {
  return `${change.entity}\u0000${change.collection}\u0000${change.field ?? ''}`
}
