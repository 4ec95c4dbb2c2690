import { canonicalJson } from '../json.js'
import type { Change } from '../plan/changes.js'

/** What a diff made right after an apply says about the reviewed changes. */
export interface Verification {
  /** Reviewed changes the target still lacks: the apply did not do them. A failure. */
  pending: Change[]
  /** What the later diff shows besides: residue Directus re-emits, or base edits made after review. */
  remaining: Change[]
}

/**
 * Compares the reviewed changes with a later diff's, both as the apply model
 * reads them (apply-rules.ts). A reviewed change is pending when the later
 * diff still asks for the same thing: a create as a create, a delete as a
 * delete, an update's property with the same value it was to get but from
 * another one. A reviewed update that the later diff asks to create or
 * delete is pending too: the item went missing or came back. A property
 * Directus re-emits exactly as reviewed (the same before and after) is
 * residue: Directus accepted it and keeps answering it, so no apply can make
 * it go away (docs/directus-apply-rules.md, section 5).
 */
export function verifyAgainst(
  reviewed: readonly Change[],
  later: readonly Change[],
  options: {
    /**
     * After Directus reported a failure, nothing it re-emits was accepted: a property still asked exactly as
     * reviewed was not applied (MySQL/MariaDB keep what ran before the failure, not what came after).
     */
    reemittedIsPending?: boolean
  } = {}
): Verification {
  const pending = new Set<Change>()
  const explained = new Set<Change>()
  for (const change of reviewed) {
    for (const other of later) {
      if (identity(change) !== identity(other)) continue
      if (stillAsks(change, other, options.reemittedIsPending === true)) {
        pending.add(change)
        explained.add(other)
      }
    }
  }
  return { pending: [...pending], remaining: later.filter((change) => !explained.has(change)) }
}

function stillAsks(reviewed: Change, later: Change, reemittedIsPending: boolean): boolean {
  if (reviewed.action !== 'update') return reviewed.action === later.action
  if (later.action !== 'update') return true
  return reviewed.edits.some((edit) =>
    later.edits.some(
      (other) =>
        other.path === edit.path && sameValue(other.after, edit.after) && (reemittedIsPending || !sameValue(other.before, edit.before))
    )
  )
}

/** Equal JSON values; absent (undefined) equals only absent. */
function sameValue(a: unknown, b: unknown): boolean {
  return a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b)
}

function identity(change: Change): string {
  return `${change.entity}\u0000${change.collection}\u0000${change.field ?? ''}`
}
