/**
 * The one rule of what drops data. A change is destructive when applying it
 * can lose rows or values that exist on the target today; changes that may
 * merely fail on existing rows (NOT NULL, unique) are not: the database
 * refuses them loudly instead of silently losing values.
 */
import { isPlainObject } from '../json.js'
import type { Change, ChangeAction, EntityKind, PropertyEdit } from './changes.js'

/** Why the change drops data, or undefined when it does not. */
export function destructiveReason(
  entity: EntityKind,
  action: ChangeAction,
  edits: readonly PropertyEdit[],
  definition?: unknown
): string | undefined {
  switch (action) {
    case 'create':
      return undefined
    case 'delete':
      return deletionReason(entity, definition)
    case 'update':
      return entity === 'field' ? fieldUpdateReason(edits) : undefined
  }
}

export function isDestructive(changes: readonly Change[]): boolean {
  return changes.some((change) => change.destructive)
}

function deletionReason(entity: EntityKind, definition: unknown): string | undefined {
  // A missing definition cannot prove the item holds no data: assume it does.
  const hasNoTable = hasNullSchema(definition)
  switch (entity) {
    case 'collection':
      // Folders (schema null) group collections in the app and own no table.
      return hasNoTable ? undefined : 'drops the collection and all its rows'
    case 'field':
      // Alias fields (o2m, m2m, presentation) have no column to lose.
      return hasNoTable || typeOf(definition) === 'alias' ? undefined : 'drops the column and its data'
    case 'relation':
      return 'removes the relation and its foreign key'
    case 'systemField':
      // Directus refuses anything but index changes on system fields.
      return undefined
  }
}

function hasNullSchema(definition: unknown): boolean {
  return isPlainObject(definition) && Object.hasOwn(definition, 'schema') && definition['schema'] === null
}

function typeOf(definition: unknown): unknown {
  return isPlainObject(definition) ? definition['type'] : undefined
}

function fieldUpdateReason(edits: readonly PropertyEdit[]): string | undefined {
  const changesType = edits.some((edit) => (edit.path === 'type' || edit.path === 'schema.data_type') && changed(edit.before, edit.after))
  const reasons = edits.map((edit) => editReason(edit, changesType)).filter((reason): reason is string => reason !== undefined)
  return reasons.length === 0 ? undefined : [...new Set(reasons)].join('; ')
}

function editReason({ path, before, after }: PropertyEdit, changesType: boolean): string | undefined {
  switch (path) {
    case 'type':
      return changed(before, after) ? `changes type ${show(before)} → ${show(after)}` : undefined
    case 'schema.data_type':
      return changed(before, after) ? `changes column type ${show(before)} → ${show(after)}` : undefined
    case 'schema':
      return isPlainObject(before) && (after === null || after === undefined)
        ? 'drops the column (the field keeps no database column)'
        : undefined
    case 'schema.max_length':
      // null is "no limit" only while the type stays; with a new type it just
      // means the old type had no length, and the type change is the reason.
      if (before === null && !changesType && typeof after === 'number') return `limits max length to ${after}`
      return shrinks(before, after) ? `shrinks max length ${show(before)} → ${show(after)}` : undefined
    case 'schema.numeric_precision':
      return shrinks(before, after) ? `reduces numeric precision ${show(before)} → ${show(after)}` : undefined
    case 'schema.numeric_scale':
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
