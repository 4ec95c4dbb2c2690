/**
 * The base schema of a plan or apply: snapshotted from the base instance
 * (scoped by Directus itself), or read from a committed file (scoped here,
 * the way Directus scopes: by each item's collection).
 */
import { takeSnapshot, type CollectionScope } from '../directus/schema.js'
import { readSnapshotFile } from '../directus/snapshot-file.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { assertDiffable, assertInputsHonoured, scopeInput } from './compatibility.js'
import type { Session } from './session.js'
import type { BaseRequest } from './settings.js'

export interface BaseSnapshot {
  snapshot: SchemaSnapshot
  /** Plain text for the report, e.g. an included collection the base does not have. */
  warnings: string[]
}

/** Snapshot version Directus gives a scoped (partial) snapshot: the diff then leaves other collections alone. */
export const PARTIAL_SNAPSHOT_VERSION = 2

export async function loadBaseSnapshot(request: BaseRequest, session: Session): Promise<BaseSnapshot> {
  assertInputsHonoured(request, session.versions)
  let snapshot: SchemaSnapshot
  if (request.baseFile) {
    const file = await readSnapshotFile(request.baseFile)
    snapshot = request.scope ? scopeSnapshot(file, request.scope) : file
  } else {
    if (!session.base) throw new Error('the session has no base connection')
    snapshot = await takeSnapshot(session.base, request.scope)
  }
  assertDiffable(snapshot, session.versions.target, request.baseFile !== undefined)
  return { snapshot, warnings: request.scope ? scopeWarnings(snapshot, request.scope) : [] }
}

/** As Directus' resolveScopedCollections + isInScope: names not present simply match nothing. */
export function scopeSnapshot(snapshot: SchemaSnapshot, scope: CollectionScope): SchemaSnapshot {
  const names = new Set(scope.collections)
  const inScope = (item: unknown): boolean => {
    const collection = (item as { collection?: unknown }).collection
    return typeof collection === 'string' && names.has(collection) === (scope.kind === 'include')
  }
  return {
    ...snapshot,
    version: PARTIAL_SNAPSHOT_VERSION,
    collections: snapshot.collections.filter(inScope),
    fields: snapshot.fields.filter(inScope),
    ...(snapshot.systemFields ? { systemFields: snapshot.systemFields.filter(inScope) } : {}),
    relations: snapshot.relations.filter(inScope)
  }
}

/**
 * What a scope can silently get wrong: an included name the base does not
 * have (Directus ignores it), and collections whose folder or related
 * collection is out of scope: on a target without those, Directus fails the
 * apply (seen live on 12.4: HTTP 500 for a missing folder).
 */
export function scopeWarnings(snapshot: SchemaSnapshot, scope: CollectionScope): string[] {
  const collectionOf = (item: unknown): unknown => (item as { collection?: unknown }).collection
  const present = new Set([...snapshot.collections, ...snapshot.fields, ...(snapshot.systemFields ?? [])].map(collectionOf))
  const warnings: string[] = []

  const missing = scope.kind === 'include' ? scope.collections.filter((collection) => !present.has(collection)) : []
  if (missing.length > 0) {
    warnings.push(
      `${scopeInput(scope)} names ${missing.length === 1 ? 'a collection' : 'collections'} the base does not have: ` +
        `${missing.join(', ')}. ${missing.length === 1 ? 'It is' : 'They are'} left out of this plan.`
    )
  }

  const outside = new Set<string>()
  for (const collection of snapshot.collections) {
    const group = (collection as { meta?: { group?: unknown } | null }).meta?.group
    if (typeof group === 'string' && !present.has(group)) outside.add(group)
  }
  for (const relation of snapshot.relations) {
    const related = (relation as { related_collection?: unknown }).related_collection
    if (typeof related === 'string' && !related.startsWith('directus_') && !present.has(related)) outside.add(related)
  }
  if (outside.size > 0) {
    const names = [...outside].sort().join(', ')
    warnings.push(
      `Collections in this scope sit in folders or relate to collections outside it: ${names}. ` +
        `If the target does not have ${outside.size === 1 ? 'it' : 'them'}, Directus fails the apply; add ${outside.size === 1 ? 'it' : 'them'} to the scope.`
    )
  }
  return warnings
}
