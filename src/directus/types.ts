/**
 * The shapes Directus uses on the wire for snapshots and diffs
 * (api/src/types/snapshot.ts). Kept structural and loose on purpose: the action
 * must carry fields it does not know about through to apply untouched.
 */

/** One deep-diff entry: N new, D deleted, E edited, A array change. */
export interface DeepDiff {
  kind: 'N' | 'D' | 'E' | 'A'
  path?: (string | number)[]
  lhs?: unknown
  rhs?: unknown
  index?: number
  item?: DeepDiff
}

export interface CollectionDiff {
  collection: string
  diff: DeepDiff[]
}

export interface FieldDiff {
  collection: string
  field: string
  diff: DeepDiff[]
}

export interface RelationDiff {
  collection: string
  field: string
  related_collection: string | null
  diff: DeepDiff[]
}

export interface SchemaDiff {
  collections: CollectionDiff[]
  fields: FieldDiff[]
  /** Present from Directus 11.x on: edits to system fields (e.g. indexes on directus_users). */
  systemFields?: FieldDiff[]
  relations: RelationDiff[]
}

/** POST /schema/diff answers this, or 204 (the SDK gives null) when nothing differs. */
export interface DiffResponse {
  hash: string
  diff: SchemaDiff
}

export interface SchemaSnapshot {
  version: number
  directus: string
  vendor?: string
  collections: unknown[]
  fields: unknown[]
  systemFields?: unknown[]
  relations: unknown[]
  [key: string]: unknown
}
