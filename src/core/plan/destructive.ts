/**
 * The one rule of what drops data. A change is destructive when applying it
 * can lose rows or values that exist on the target today. Changes that may
 * merely fail on existing rows (NOT NULL, unique) or that a database refuses
 * when a value no longer fits (a shorter length, a narrower integer) are
 * risks instead (risks.ts): the database refuses them loudly rather than
 * losing values silently.
 */
import type { ChangeAction, EntityKind } from './apply-rules.js'
import type { PropertyEdit } from './edits.js'
import { fitOnTarget, narrowsInteger, shortenedTo, shrinksPrecision, type StakeQuestion } from './risks.js'

export interface Destruction {
  reason: string
  /** What to count on the target. */
  stake?: StakeQuestion
}

/**
 * Why the change drops data, or undefined when it does not. `holdsData` is
 * the apply model's answer for a delete (a table, a column); undefined means
 * nothing tells, and a missing definition cannot prove the item holds no
 * data: assume it does.
 */
export function destruction(
  entity: EntityKind,
  action: ChangeAction,
  edits: readonly PropertyEdit[],
  holdsData?: boolean,
  vendor?: string
): Destruction | undefined {
  switch (action) {
    case 'create':
      return undefined
    case 'delete':
      return holdsData === false ? undefined : deletion(entity)
    case 'update':
      return entity === 'field' ? fieldUpdate(edits, vendor) : undefined
  }
}

/** Why the change drops data, as one line; undefined when it does not. */
export function destructiveReason(
  entity: EntityKind,
  action: ChangeAction,
  edits: readonly PropertyEdit[],
  holdsData?: boolean,
  vendor?: string
): string | undefined {
  return destruction(entity, action, edits, holdsData, vendor)?.reason
}

export function isDestructive(changes: readonly { destructive: boolean }[]): boolean {
  return changes.some((change) => change.destructive)
}

function deletion(entity: EntityKind): Destruction | undefined {
  switch (entity) {
    case 'collection':
      return { reason: 'drops the collection and all its rows', stake: { kind: 'rows' } }
    case 'field':
      return { reason: 'drops the column and its data', stake: { kind: 'values' } }
    case 'relation':
      return { reason: 'removes the relation and its foreign key' }
    case 'systemField':
      // Directus never deletes a system field (apply-rules.ts skips the list).
      return undefined
  }
}

function fieldUpdate(edits: readonly PropertyEdit[], vendor: string | undefined): Destruction | undefined {
  const narrowing = narrowsInteger(edits)
  const reasons = edits.map((edit) => editReason(edit, narrowing)).filter((reason): reason is string => reason !== undefined)
  const limit = shortenedTo(edits)
  const fit = fitOnTarget(vendor)
  // A value that no longer fits is cut (PostgreSQL, seen live), refused, or kept (SQLite): only SQLite is known to keep it.
  if (limit !== undefined && fit.length !== 'kept')
    reasons.push(`${fit.length === 'cut' ? 'cuts' : 'may cut'} values longer than ${limit} characters`)
  if ((narrowing || shrinksPrecision(edits)) && fit.number === 'unknown') reasons.push('may cut numbers that no longer fit')
  if (reasons.length === 0) return undefined
  const stake: StakeQuestion =
    reasons.length === 1 && limit !== undefined && fit.length !== 'kept' ? { kind: 'longer', limit } : { kind: 'values' }
  return { reason: [...new Set(reasons)].join('; '), stake }
}

function editReason({ path, before, after }: PropertyEdit, narrowing: boolean): string | undefined {
  switch (path) {
    case 'type':
      return changed(before, after) && !narrowing ? `changes type ${show(before)} → ${show(after)}` : undefined
    case 'schema.data_type':
      return changed(before, after) && !narrowing ? `changes column type ${show(before)} → ${show(after)}` : undefined
    case 'schema':
      return typeof before === 'object' && before !== null && (after === null || after === undefined)
        ? 'drops the column (the field keeps no database column)'
        : undefined
    case 'schema.numeric_scale':
      // Fewer decimals round the values that have more, silently.
      return shrinks(before, after) ? `reduces numeric scale ${show(before)} → ${show(after)}` : undefined
    default:
      return undefined
  }
}

function changed(before: unknown, after: unknown): boolean {
  // A property appearing or vanishing is not a type change: Directus would
  // have sent a whole delete and create for the field instead.
  return before !== undefined && after !== undefined && before !== after
}

function shrinks(before: unknown, after: unknown): boolean {
  return typeof before === 'number' && typeof after === 'number' && after < before
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')
}
