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

/** The new, shorter max_length of a string column that keeps its type, if the edits make one. */
export function shortenedTo(edits: readonly PropertyEdit[]): number | undefined {
  if (edits.some((edit) => edit.path === 'type' && edit.before !== undefined && edit.after !== undefined && edit.before !== edit.after))
    return undefined
  const edit = edits.find((candidate) => candidate.path === 'schema.max_length')
  if (edit === undefined || typeof edit.after !== 'number') return undefined
  return edit.before === null || (typeof edit.before === 'number' && edit.after < edit.before) ? edit.after : undefined
}

export function shrinksPrecision(edits: readonly PropertyEdit[]): boolean {
  return edits.some(
    (edit) =>
      edit.path === 'schema.numeric_precision' &&
      typeof edit.before === 'number' &&
      typeof edit.after === 'number' &&
      edit.after < edit.before
  )
}

/**
 * What a database does, in Directus' apply, with a value that no longer
 * fits. Seen live on 12.4.0 and 11.17.4 (__tests__/e2e/apply-rules.test.ts):
 * PostgreSQL cuts strings to a shorter length silently and refuses numbers
 * out of range (400 VALUE_OUT_OF_RANGE); SQLite keeps both as they are. MySQL
 * and MariaDB refuse in strict mode and cut otherwise; Directus cannot tell
 * which mode the target runs in.
 */
export function fitOnTarget(vendor: string | undefined): { length: 'cut' | 'kept' | 'unknown'; number: 'refused' | 'kept' | 'unknown' } {
  switch (vendor) {
    case 'postgres':
      return { length: 'cut', number: 'refused' }
    case 'sqlite':
      return { length: 'kept', number: 'kept' }
    default:
      return { length: 'unknown', number: 'unknown' }
  }
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
        onTarget: lengthOnTarget(vendor),
        stake: { kind: 'longer', limit: after }
      })
    } else if (path === 'schema.numeric_precision' && typeof before === 'number' && typeof after === 'number' && after < before) {
      risks.push({
        class: 'fails-or-truncates',
        what: [`reduces numeric precision ${before} → ${after}`],
        onTarget: numberOnTarget(vendor)
      })
    }
  }
  if (narrowsInteger(edits)) {
    risks.push({ class: 'fails-or-truncates', what: ['narrows bigInteger → integer'], onTarget: numberOnTarget(vendor) })
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

/** What this target's database does with a string longer than its new length. */
export function lengthOnTarget(vendor: string | undefined): string {
  switch (fitOnTarget(vendor).length) {
    case 'cut':
      return 'PostgreSQL cuts longer values to the new length, silently'
    case 'kept':
      return 'SQLite enforces no length: longer values stay as they are'
    case 'unknown':
      return vendor === 'mysql'
        ? MYSQL
        : `${UNKNOWN}: PostgreSQL cuts longer values, SQLite keeps them, MySQL refuses the apply in strict mode and cuts otherwise`
  }
}

/** What this target's database does with a number that no longer fits. */
export function numberOnTarget(vendor: string | undefined): string {
  switch (fitOnTarget(vendor).number) {
    case 'refused':
      return 'PostgreSQL refuses the apply if a value does not fit; then nothing is applied'
    case 'kept':
      return 'SQLite enforces no size: the values stay as they are'
    case 'unknown':
      return vendor === 'mysql'
        ? MYSQL
        : `${UNKNOWN}: PostgreSQL refuses the apply, SQLite keeps the values, MySQL refuses in strict mode and cuts otherwise`
  }
}

const MYSQL = 'MySQL and MariaDB refuse the apply in strict mode (their default); without it they cut values silently'
const UNKNOWN = 'what this database does is not known here'

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== ''
}

function describe(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? 'unset' : JSON.stringify(value)
}
