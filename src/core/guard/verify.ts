import { describeChanges, type Change } from '../plan/changes.js'
import type { SchemaDiff } from '../../directus/types.js'
import { canonicalJson } from '../json.js'

/**
 * The reviewed changes that a later diff still asks for. Empty means the
 * target holds the reviewed state; whatever else that later diff shows
 * (normalisation residue such as SQLite's char/varchar for uuid, or base
 * edits made after review) is not part of the reviewed plan.
 */
export function pendingReviewedChanges(reviewed: SchemaDiff, later: SchemaDiff): Change[] {
  const laterChanges = describeChanges(later)
  return describeChanges(reviewed).filter((change) => laterChanges.some((other) => stillAsks(change, other)))
}

function stillAsks(reviewed: Change, later: Change): boolean {
  if (identity(reviewed) !== identity(later)) return false
  if (reviewed.action !== 'update') return reviewed.action === later.action
  if (later.action !== 'update') return false
  return reviewed.edits.some((edit) =>
    later.edits.some((other) => other.path === edit.path && canonicalJson(other.after) === canonicalJson(edit.after))
  )
}

function identity(change: Change): string {
  return `${change.entity}\u0000${change.collection}\u0000${change.field ?? ''}`
}
