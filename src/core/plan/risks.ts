/**
 * Risk classes besides "destructive": changes that do not drop data by
 * themselves, but can make the apply fail on the rows the target has, change
 * what deleting a row does, or (on some databases) cut values. They are
 * marked and counted; they never block apply.
 */
import { isPlainObject } from '../json.js'
import type { ChangeAction, EntityKind } from './apply-rules.js'
import type { PropertyEdit } from './edits.js'
import type { Words } from './words.js'

export type RiskClass = 'fails-on-existing-rows' | 'changes-delete' | 'fails-or-truncates'

/** What to count on the target to show what a change touches. */
export type StakeQuestion =
  /** Rows of a collection (dropped, or lacking a value for a new NOT NULL column). */
  | { kind: 'rows' }
  /** Non-null values of a column (dropped or retyped). */
  | { kind: 'values' }
  /** Rows with no value in a column that becomes NOT NULL. */
  | { kind: 'nulls' }
  /** Rows that repeat a value of a column that becomes unique. */
  | { kind: 'duplicates' }
  /** Values longer than a new, shorter maximum length. */
  | { kind: 'longer'; limit: number }

export interface Risk {
  class: RiskClass
  /** What the change does, e.g. "adds NOT NULL". */
  what: Words
  /** What this target's database does with it. */
  onTarget?: string
  stake?: StakeQuestion
}

export const RISK_CLASS_WORDS: Record<RiskClass, string> = {
  'fails-on-existing-rows': 'may fail on existing rows',
  'changes-delete': 'changes what a delete does',
  'fails-or-truncates': 'can fail or truncate'
}

interface RiskSubject {
  entity: EntityKind
  action: ChangeAction
  collection: string
  field?: string
  relatedCollection?: string | null
  edits: readonly PropertyEdit[]
  definition?: unknown
}

/**
 * The risks of one change Directus applies. `newCollections` are created by
 * the same plan: they hold no rows yet, so what they get risks nothing.
 */
export function risksOf(change: RiskSubject, vendor: string | undefined, newCollections: ReadonlySet<string>): Risk[] {
  if (newCollections.has(change.collection)) return []
  switch (change.entity) {
    case 'field':
      if (change.action === 'update') return fieldUpdateRisks(change.edits, vendor)
      if (change.action === 'create') return newFieldRisks(change.definition)
      return []
    case 'relation':
      if (change.action === 'update') return relationUpdateRisks(change.edits)
      if (change.action === 'create') return newRelationRisks(change, newCollections)
      return []
    default:
      return []
  }
}

/** bigInteger → integer: the values stay integers, but a large one no longer fits. */
export function narrowsInteger(edits: readonly PropertyEdit[]): boolean {
  return edits.some((edit) => edit.path === 'type' && edit.before === 'bigInteger' && edit.after === 'integer')
}

function fieldUpdateRisks(edits: readonly PropertyEdit[], vendor: string | undefined): Risk[] {
  const risks: Risk[] = []
  const changesType = edits.some(
    (edit) => edit.path === 'type' && edit.before !== undefined && edit.after !== undefined && edit.before !== edit.after
  )
  for (const { path, before, after } of edits) {
    if (path === 'schema.is_nullable' && before === true && after === false) {
      risks.push({ class: 'fails-on-existing-rows', what: ['adds NOT NULL'], stake: { kind: 'nulls' } })
    } else if (path === 'schema.is_unique' && before !== true && after === true) {
      risks.push({ class: 'fails-on-existing-rows', what: ['adds a unique constraint'], stake: { kind: 'duplicates' } })
    } else if (path === 'schema.foreign_key_table' && !isPresent(before) && typeof after === 'string') {
      risks.push({ class: 'fails-on-existing-rows', what: ['adds a foreign key to ', { code: after }] })
    } else if (path === 'schema.is_primary_key' && before !== after && before !== undefined && after !== undefined) {
      risks.push({
        class: 'fails-on-existing-rows',
        what: [after === true ? 'makes it the primary key' : 'removes it from the primary key']
      })
    } else if (path === 'schema.has_auto_increment' && before !== after && before !== undefined && after !== undefined) {
      risks.push({ class: 'fails-on-existing-rows', what: [after === true ? 'adds auto-increment' : 'removes auto-increment'] })
    } else if (
      path === 'schema.max_length' &&
      typeof after === 'number' &&
      !changesType &&
      (before === null || (typeof before === 'number' && after < before))
    ) {
      const what = before === null ? `limits its length to ${after}` : `shortens its max length ${before} → ${after}`
      risks.push({
        class: 'fails-or-truncates',
        what: [what],
        onTarget: truncationOnTarget(vendor),
        stake: { kind: 'longer', limit: after }
      })
    } else if (path === 'schema.numeric_precision' && typeof before === 'number' && typeof after === 'number' && after < before) {
      risks.push({
        class: 'fails-or-truncates',
        what: [`reduces numeric precision ${before} → ${after}`],
        onTarget: truncationOnTarget(vendor)
      })
    }
  }
  if (narrowsInteger(edits)) {
    risks.push({ class: 'fails-or-truncates', what: ['narrows bigInteger → integer'], onTarget: truncationOnTarget(vendor) })
  }
  return risks
}

function newFieldRisks(definition: unknown): Risk[] {
  if (!isPlainObject(definition) || !isPlainObject(definition['schema'])) return []
  const schema = definition['schema']
  if (schema['is_nullable'] !== false || isPresent(schema['default_value']) || schema['is_primary_key'] === true) return []
  return [{ class: 'fails-on-existing-rows', what: ['adds a NOT NULL column without a default'], stake: { kind: 'rows' } }]
}

function relationUpdateRisks(edits: readonly PropertyEdit[]): Risk[] {
  const risks: Risk[] = []
  for (const { path, before, after } of edits) {
    if (path === 'schema.on_delete' && after === 'CASCADE' && before !== 'CASCADE') {
      risks.push({
        class: 'changes-delete',
        what: [`on delete ${describe(before)} → CASCADE: deleting the related row deletes these rows`]
      })
    } else if (path === 'meta.one_deselect_action' && after === 'delete' && before !== 'delete') {
      risks.push({ class: 'changes-delete', what: [`deselect action ${describe(before)} → delete: deselecting an item deletes it`] })
    }
  }
  return risks
}

function newRelationRisks(change: RiskSubject, newCollections: ReadonlySet<string>): Risk[] {
  const definition = isPlainObject(change.definition) ? change.definition : {}
  const schema = isPlainObject(definition['schema']) ? definition['schema'] : undefined
  const meta = isPlainObject(definition['meta']) ? definition['meta'] : undefined
  const related = change.relatedCollection
  const risks: Risk[] = []
  if (schema !== undefined && typeof related === 'string' && !newCollections.has(related)) {
    risks.push({ class: 'fails-on-existing-rows', what: ['adds a foreign key to ', { code: related }] })
  }
  if (schema?.['on_delete'] === 'CASCADE') {
    risks.push({ class: 'changes-delete', what: ['on delete CASCADE: deleting the related row deletes these rows'] })
  }
  if (meta?.['one_deselect_action'] === 'delete') {
    risks.push({ class: 'changes-delete', what: ['deselect action delete: deselecting an item deletes it'] })
  }
  return risks
}

/** What each database does with a value that no longer fits (PostgreSQL and SQLite seen live; MySQL per its strict mode). */
export function truncationOnTarget(vendor: string | undefined): string {
  switch (vendor) {
    case 'postgres':
      return 'PostgreSQL refuses the apply if any value does not fit; then nothing is applied'
    case 'sqlite':
      return 'SQLite enforces no size: longer values stay as they are'
    case 'mysql':
      return 'MySQL and MariaDB refuse the apply in strict mode (their default); without it they cut values silently'
    default:
      return 'PostgreSQL and strict MySQL/MariaDB refuse the apply, non-strict MySQL cuts values silently, SQLite enforces nothing'
  }
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== ''
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? 'unset' : JSON.stringify(value)
}
