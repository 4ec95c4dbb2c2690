/**
 * Turns Directus' deep-diff lists into a flat list of reviewable changes:
 * one Change per created, deleted or updated collection, field, system field
 * or relation. This is a presentation of the diff, never a substitute for it:
 * apply always sends the reviewed SchemaDiff itself.
 */
import type { DeepDiff, SchemaDiff } from '../../directus/types.js'
import { compareStrings, isPlainObject } from '../json.js'
import { destructiveReason } from './destructive.js'

export type EntityKind = 'collection' | 'field' | 'relation' | 'systemField'
export type ChangeAction = 'create' | 'delete' | 'update'

export interface PropertyEdit {
  /** Dotted path: 'meta.note', 'schema.data_type', 'meta.options.choices[2]'. */
  path: string
  /** undefined means the property is absent on that side. */
  before: unknown
  after: unknown
}

export interface Change {
  entity: EntityKind
  action: ChangeAction
  collection: string
  field?: string
  relatedCollection?: string | null
  /** Updates only; empty for create and delete. */
  edits: PropertyEdit[]
  /** The whole rhs (create) or lhs (delete). */
  definition?: unknown
  destructive: boolean
  destructiveReason?: string
}

/** Order of entity kinds inside one collection's group. */
const ENTITY_ORDER: readonly EntityKind[] = ['collection', 'field', 'systemField', 'relation']

/**
 * Delete before update before create: when Directus turns a field into or out
 * of an alias it emits a delete and a create for the same field, and applies
 * them in that order.
 */
const ACTION_ORDER: readonly ChangeAction[] = ['delete', 'update', 'create']

interface DiffItem {
  collection: string
  field?: string
  related_collection?: string | null
  diff: DeepDiff[]
}

export function describeChanges(diff: SchemaDiff): Change[] {
  const changes: Change[] = [
    ...diff.collections.map((item) => describeItem('collection', item)),
    ...diff.fields.map((item) => describeItem('field', item)),
    ...(diff.systemFields ?? []).map((item) => describeItem('systemField', item)),
    ...diff.relations.map((item) => describeItem('relation', item))
  ].filter((change): change is Change => change !== undefined)

  // Array.prototype.sort is stable, so equal keys keep Directus' own order.
  return changes.sort(compareChanges)
}

function compareChanges(a: Change, b: Change): number {
  return (
    compareStrings(a.collection, b.collection) ||
    ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) ||
    compareStrings(a.field ?? '', b.field ?? '') ||
    ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action)
  )
}

function describeItem(entity: EntityKind, item: DiffItem): Change | undefined {
  const entries = item.diff
  const first = entries[0]
  if (first === undefined) return undefined

  const identity: Pick<Change, 'entity' | 'collection' | 'field' | 'relatedCollection'> = {
    entity,
    collection: item.collection,
    ...(item.field !== undefined ? { field: item.field } : {}),
    ...(entity === 'relation' ? { relatedCollection: item.related_collection ?? null } : {})
  }

  // A whole item created or deleted is a single entry without a path.
  const wholeItem = entries.length === 1 && (first.path === undefined || first.path.length === 0)
  if (wholeItem && (first.kind === 'N' || first.kind === 'D')) {
    const action: ChangeAction = first.kind === 'N' ? 'create' : 'delete'
    const definition = first.kind === 'N' ? first.rhs : first.lhs
    return withDestructiveness({ ...identity, action, edits: [], definition })
  }

  const edits = entries.flatMap((entry) => editsOf(entry))
  return withDestructiveness({ ...identity, action: 'update', edits })
}

function withDestructiveness(change: Omit<Change, 'destructive' | 'destructiveReason'>): Change {
  const reason = destructiveReason(change.entity, change.action, change.edits, change.definition)
  return reason === undefined ? { ...change, destructive: false } : { ...change, destructive: true, destructiveReason: reason }
}

/** The property edits one deep-diff entry makes, leaf by leaf. */
export function editsOf(entry: DeepDiff, basePath: readonly (string | number)[] = []): PropertyEdit[] {
  const path = [...basePath, ...(entry.path ?? [])]
  switch (entry.kind) {
    case 'N':
      return [{ path: formatPath(path), before: undefined, after: entry.rhs }]
    case 'D':
      return [{ path: formatPath(path), before: entry.lhs, after: undefined }]
    case 'E':
      // Directus collapses any nested meta change into one edit of the whole
      // `meta` object; expanding it shows the reviewer only what differs.
      return leafEdits(path, entry.lhs, entry.rhs)
    case 'A':
      if (entry.item === undefined || entry.index === undefined) return []
      return editsOf({ ...entry.item, path: [] }, [...path, entry.index])
  }
}

/** The differing leaves of two values; objects and arrays are walked, anything else compared whole. */
function leafEdits(path: (string | number)[], before: unknown, after: unknown): PropertyEdit[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !Object.hasOwn(before, key))]
    return keys.flatMap((key) => leafEdits([...path, key], before[key], after[key]))
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length)
    const edits: PropertyEdit[] = []
    for (let index = 0; index < length; index++) {
      edits.push(...leafEdits([...path, index], before[index], after[index]))
    }
    return edits
  }
  return sameJson(before, after) ? [] : [{ path: formatPath(path), before, after }]
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === typeof b && JSON.stringify(a) === JSON.stringify(b))
}

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/

/** ['meta', 'options', 'choices', 2] → 'meta.options.choices[2]'; odd keys are quoted: 'meta.translations["de-DE x"]'. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (SIMPLE_KEY.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text
}

const ENTITY_LABELS: Record<EntityKind, [singular: string, plural: string]> = {
  collection: ['collection', 'collections'],
  field: ['field', 'fields'],
  systemField: ['system field', 'system fields'],
  relation: ['relation', 'relations']
}

const ACTION_SIGNS: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-' }
const SUMMARY_ACTION_ORDER: readonly ChangeAction[] = ['create', 'update', 'delete']

/** '+1 collection, +4 fields, ~1 field, -1 relation' or 'no changes'. */
export function summarizeChanges(changes: Change[]): string {
  const parts: string[] = []
  for (const entity of ENTITY_ORDER) {
    for (const action of SUMMARY_ACTION_ORDER) {
      const count = changes.filter((change) => change.entity === entity && change.action === action).length
      if (count === 0) continue
      const [singular, plural] = ENTITY_LABELS[entity]
      parts.push(`${ACTION_SIGNS[action]}${count} ${count === 1 ? singular : plural}`)
    }
  }
  return parts.length === 0 ? 'no changes' : parts.join(', ')
}

/** 'articles.author -> directus_users'; a relation without a fixed target (o2m side, m2a) points to '(any)'. */
export function relationLabel(collection: string, field: string, related: string | null | undefined): string {
  return `${collection}.${field} -> ${related ?? '(any)'}`
}

export const ENTITY_WORDS: Record<EntityKind, string> = {
  collection: 'collection',
  field: 'field',
  systemField: 'system field',
  relation: 'relation'
}

/**
 * What a change touches, unformatted: within its collection's section the
 * collection is implied ('title'); on its own it is named ('articles.title').
 * Undefined for the collection itself within its section.
 */
export function changeSubject(change: Change, scope: 'in-collection' | 'standalone'): string | undefined {
  if (change.entity === 'collection') return scope === 'standalone' ? change.collection : undefined
  if (change.entity === 'relation') return relationLabel(change.collection, change.field ?? '', change.relatedCollection)
  return scope === 'standalone' ? `${change.collection}.${change.field ?? ''}` : (change.field ?? '')
}
