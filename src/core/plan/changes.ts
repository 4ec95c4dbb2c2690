/**
 * Turns Directus' deep-diff lists into a flat list of reviewable changes:
 * one Change per collection, field, system field or relation that Directus
 * creates, deletes or updates, as the apply model (apply-rules.ts) says it
 * will, and the items it skips. This is a presentation of the diff, never a
 * substitute for it: apply always sends the reviewed SchemaDiff itself.
 */
import type { SchemaDiff } from '../../directus/types.js'
import { compareStrings } from '../json.js'
import { applyRules, type ApplyContext, type ChangeAction, type EntityKind, type ItemRule } from './apply-rules.js'
import { destruction } from './destructive.js'
import { editsOf, type PropertyEdit } from './edits.js'
import { noiseRuleOf, type NoiseContext } from './noise.js'
import { risksOf, type Risk, type StakeQuestion } from './risks.js'
import type { Words } from './words.js'

export type { ChangeAction, EntityKind } from './apply-rules.js'
export type { PropertyEdit } from './edits.js'
export { formatPath } from './words.js'

/** What a reviewer must read before the details: Directus does something other than the entries say. */
export interface ChangeWarning {
  /** e.g. "Directus will DELETE field `customers.email` and its data." */
  headline: Words
  /** Why, and what it usually means. */
  detail: Words
}

/** What one change touches on the target, counted (see core/counts.ts). */
export interface Stake {
  question: StakeQuestion
  /** undefined when the count is unknown; `unknown` then says why. */
  count?: number
  unknown?: string
}

export interface Change {
  entity: EntityKind
  /** What Directus does with the item; for a failing change, what it attempts. */
  action: ChangeAction
  collection: string
  field?: string
  relatedCollection?: string | null
  /** The property edits of the item's entries (noise left out); empty for a whole item created or deleted. */
  edits: PropertyEdit[]
  /** The whole rhs (create) or lhs (delete). */
  definition?: unknown
  /** A collection without a table (schema null), or one created without a `schema` key. */
  folder?: boolean
  destructive: boolean
  destructiveReason?: string
  /** Set when the entries say something other than what Directus will do. */
  warning?: ChangeWarning
  /** Why this change cannot succeed as reviewed: apply refuses the plan. */
  failure?: Words
  risks: Risk[]
  /** What the destructive or risky parts touch: filled by counting on the target. */
  stakes?: Stake[]
}

/** An item of the diff that Directus will not apply: never a planned change. */
export interface SkippedItem {
  entity: EntityKind
  collection: string
  field?: string
  relatedCollection?: string | null
  why: Words
}

export interface DiffReading {
  changes: Change[]
  skipped: SkippedItem[]
}

export interface ReadingContext extends ApplyContext {
  /** Version noise left in the diff (a first entry) is hidden from the edits. */
  noise?: NoiseContext
}

/** Order of entity kinds inside one collection's group. */
const ENTITY_ORDER: readonly EntityKind[] = ['collection', 'field', 'systemField', 'relation']

/**
 * Delete before update before create: when Directus turns a field into or out
 * of an alias it emits a delete and a create for the same field, and applies
 * them in that order.
 */
const ACTION_ORDER: readonly ChangeAction[] = ['delete', 'update', 'create']

/** What Directus will do with every item of the diff, sorted for review. */
export function readDiff(diff: SchemaDiff, context: ReadingContext = {}): DiffReading {
  const rules = applyRules(diff, context)
  const newCollections = new Set(
    rules.filter((rule) => rule.entity === 'collection' && rule.outcome.kind === 'create').map((rule) => rule.collection)
  )
  const changes: Change[] = []
  const skipped: SkippedItem[] = []
  for (const rule of rules) {
    if (rule.outcome.kind === 'skip') {
      if (rule.entries.length > 0) skipped.push({ ...identityOf(rule), why: rule.outcome.why })
      continue
    }
    changes.push(changeOf(rule, context, newCollections))
  }
  // Array.prototype.sort is stable, so equal keys keep Directus' own order.
  return { changes: changes.sort(compareChanges), skipped }
}

/** The changes alone, as Directus will apply them. */
export function describeChanges(diff: SchemaDiff, context: ReadingContext = {}): Change[] {
  return readDiff(diff, context).changes
}

function identityOf(rule: ItemRule): Pick<Change, 'entity' | 'collection' | 'field' | 'relatedCollection'> {
  return {
    entity: rule.entity,
    collection: rule.collection,
    ...(rule.field !== undefined ? { field: rule.field } : {}),
    ...(rule.entity === 'relation' ? { relatedCollection: rule.relatedCollection ?? null } : {})
  }
}

function changeOf(rule: ItemRule, context: ReadingContext, newCollections: ReadonlySet<string>): Change {
  const action = rule.outcome.kind === 'fail' ? rule.outcome.attempts : (rule.outcome.kind as ChangeAction)
  const first = rule.entries[0]
  const whole = rule.apparent !== 'update' && first !== undefined
  const definition = whole ? (first.kind === 'N' ? first.rhs : first.lhs) : undefined
  const edits = whole ? [] : rule.entries.flatMap((entry) => editsOf(entry)).filter((edit) => !isNoise(rule, edit, context))
  const failing = rule.outcome.kind === 'fail'
  const destroys = failing ? undefined : destruction(rule.entity, action, edits, rule.holdsData, context.vendor)
  const folder = rule.entity === 'collection' ? isFolder(action, definition, rule.holdsData) : undefined
  const change: Change = {
    ...identityOf(rule),
    action,
    edits,
    ...(whole ? { definition } : {}),
    ...(folder !== undefined ? { folder } : {}),
    destructive: destroys !== undefined,
    ...(destroys ? { destructiveReason: destroys.reason } : {}),
    risks: failing ? [] : risksOf({ ...identityOf(rule), action, edits, definition }, context.vendor, newCollections)
  }
  if (rule.outcome.kind === 'fail') change.failure = rule.outcome.why
  else if (rule.because) change.warning = warningOf(rule, change)
  const stakes = questionsOf(change, destroys?.stake)
  if (stakes.length > 0) change.stakes = stakes.map((question) => ({ question }))
  return change
}

function isNoise(rule: ItemRule, edit: PropertyEdit, context: ReadingContext): boolean {
  return context.noise !== undefined && noiseRuleOf(rule, edit, context.noise) !== undefined
}

/** A new collection without a `schema` key is a folder too: Directus creates no table for it. */
function isFolder(action: ChangeAction, definition: unknown, holdsData: boolean | undefined): boolean | undefined {
  if (action === 'delete') return holdsData === undefined ? undefined : !holdsData
  if (typeof definition !== 'object' || definition === null) return undefined
  const schema = (definition as { schema?: unknown }).schema
  return schema === null || schema === undefined
}

function warningOf(rule: ItemRule, change: Change): ChangeWarning {
  const subject: Words = [`${ENTITY_WORDS[rule.entity]} `, { code: subjectName(change) }]
  const headline: Words =
    change.action === 'delete'
      ? ['Directus will DELETE ', ...subject, ...deletedWhat(change)]
      : ['Directus will ', change.action.toUpperCase(), ' ', ...subject, '.']
  const detail: Words = [
    ...capitalise(rule.because ?? []),
    '.',
    ...(rule.misreadFirstEntry ? [' This usually means the base snapshot comes from another Directus version or was edited by hand.'] : [])
  ]
  return { headline, detail }
}

function deletedWhat(change: Change): Words {
  if (change.entity === 'collection') return [change.destructive ? ' and all its rows.' : ' (a folder: no data is lost).']
  if (change.entity === 'field') return [change.destructive ? ' and its data.' : ' (an alias without a column: no data is lost).']
  return ['.']
}

function capitalise(words: Words): Words {
  const [first, ...rest] = words
  return typeof first === 'string' ? [first.charAt(0).toUpperCase() + first.slice(1), ...rest] : words
}

function questionsOf(change: Change, destroyed: StakeQuestion | undefined): StakeQuestion[] {
  const questions = [...(destroyed ? [destroyed] : []), ...change.risks.flatMap((risk) => (risk.stake ? [risk.stake] : []))]
  return questions.filter((question, index) => questions.findIndex((other) => other.kind === question.kind) === index)
}

function compareChanges(a: Change, b: Change): number {
  return (
    compareStrings(a.collection, b.collection) ||
    ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) ||
    compareStrings(a.field ?? '', b.field ?? '') ||
    ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action)
  )
}

const ENTITY_LABELS: Record<EntityKind, [singular: string, plural: string]> = {
  collection: ['collection', 'collections'],
  field: ['field', 'fields'],
  systemField: ['system field', 'system fields'],
  relation: ['relation', 'relations']
}

const ACTION_SIGNS: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-' }
const SUMMARY_ACTION_ORDER: readonly ChangeAction[] = ['create', 'update', 'delete']

/** '+1 collection, +4 fields, ~1 field, -1 relation' or 'no changes'. Failing changes are counted as what they attempt. */
export function summarizeChanges(changes: readonly Pick<Change, 'entity' | 'action'>[]): string {
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
export function changeSubject(
  change: Pick<Change, 'entity' | 'collection' | 'field' | 'relatedCollection'>,
  scope: 'in-collection' | 'standalone'
): string | undefined {
  if (change.entity === 'collection') return scope === 'standalone' ? change.collection : undefined
  if (change.entity === 'relation') return relationLabel(change.collection, change.field ?? '', change.relatedCollection)
  return scope === 'standalone' ? `${change.collection}.${change.field ?? ''}` : (change.field ?? '')
}

function subjectName(change: Change): string {
  return changeSubject(change, 'standalone') ?? change.collection
}

/** The changes that cannot succeed: while there is one, apply refuses the plan. */
export function failingChanges<T extends Pick<Change, 'failure'>>(changes: readonly T[]): T[] {
  return changes.filter((change) => change.failure !== undefined)
}

/**
 * The changes that cannot succeed for a reason of their own: a field that
 * fails only because its new collection is not created is said with the
 * collection.
 */
export function rootFailures<T extends Pick<Change, 'failure' | 'entity' | 'collection'>>(changes: readonly T[]): T[] {
  const failing = failingChanges(changes)
  const collections = new Set(failing.filter((change) => change.entity === 'collection').map((change) => change.collection))
  return failing.filter((change) => change.entity === 'collection' || !collections.has(change.collection))
}

/** Changes with a risk besides "destructive". */
export function riskyChanges<T extends Pick<Change, 'risks'>>(changes: readonly T[]): T[] {
  return changes.filter((change) => change.risks.length > 0)
}
