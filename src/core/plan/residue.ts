/**
 * Known vendor residue of a MySQL/MariaDB target: diff entries that no apply
 * makes go away, because each database spells or reports a column its own
 * way, or because MariaDB refuses the change outright. They are taken out of
 * the diff before it is shown, digested, sealed and applied, and said once,
 * grouped by rule. Each rule was seen live on Directus 12.4.0 and 11.17.4 with
 * MariaDB 10.11 (docs/mariadb.md; answers in __tests__/fixtures/mariadb/):
 *
 * - `foreign-key-index` (fails): MariaDB indexes every foreign-key column and
 *   will not drop that index, so a base from another database asks to
 *   un-index 53 system fields and every many-to-one field, and each such
 *   apply answers HTTP 500 ("Cannot change column … used in a foreign key
 *   constraint", or "Can't DROP INDEX …").
 * - `unsigned-foreign-key` (fails): Directus makes an integer many-to-one
 *   `int unsigned` on MariaDB to match the key; changing it back is refused
 *   the same way.
 * - `uuid-key-unique` (fails): MariaDB reports a uuid primary key as not
 *   unique; applying `is_unique: true` answers "Multiple primary key defined".
 * - `type-spelling` (repeats): the same column type spelled per database
 *   (varchar / character varying, longtext / json, char(36) / uuid, …).
 * - `reported-size` (repeats): lengths, precision and scale one database
 *   reports and the other does not, or reports in bits.
 * - `constraint-name` (repeats): SQLite has no foreign-key constraint names.
 *
 * "Fails" means the apply fails part-way if the entry is sent; "repeats"
 * means Directus accepts it and the next diff shows it again.
 *
 * An entry is residue only when every property it edits is; an item goes
 * when all its entries do. Directus decides what to do with an item from its
 * first entry (create, update or delete), so when the entries left would
 * start with another kind, the first entry is kept.
 *
 * This is the one place where residue is told apart from real differences:
 * planning, apply's verification and drift all read diffs through it.
 */
import type { DeepDiff, SchemaDiff, SchemaSnapshot } from '../../directus/types.js'
import { isPlainObject } from '../json.js'
import { countOf } from '../wording.js'
import { editsOf, ENTITY_WORDS, type EntityKind, type PropertyEdit } from './changes.js'

export type ResidueRule =
  'foreign-key-index' | 'unsigned-foreign-key' | 'uuid-key-unique' | 'type-spelling' | 'reported-size' | 'constraint-name'

/** What the diff's two sides are, and what the base says of each field. */
export interface ResidueContext {
  /** The database vendor of the base snapshot (`postgres`, `sqlite`, `mysql`). */
  baseVendor?: string
  /** The database vendor of the target. */
  targetVendor?: string
  /** `collection\0field` → the base's field. */
  baseFields: ReadonlyMap<string, BaseField>
}

interface BaseField {
  type: unknown
  dataType: unknown
  maxLength: unknown
  isPrimaryKey: boolean
  hasAutoIncrement: boolean
  isForeignKey: boolean
}

export interface ResidueGroup {
  rule: ResidueRule
  entity: EntityKind
  /** 'collection.field' of every item touched. */
  items: string[]
  /** Sending it makes the apply fail (MariaDB refuses); otherwise Directus accepts it and reports it again. */
  fails: boolean
  /** Plain text, said once for the group. */
  text: string
}

export interface WithoutResidue {
  diff: SchemaDiff
  residue: ResidueGroup[]
}

const FAILING_RULES: readonly ResidueRule[] = ['foreign-key-index', 'unsigned-foreign-key', 'uuid-key-unique']

export function residueContextOf(snapshot: SchemaSnapshot, targetVendor: string | undefined): ResidueContext {
  const baseFields = new Map<string, BaseField>()
  for (const item of snapshot.fields) {
    if (!isPlainObject(item) || typeof item['collection'] !== 'string' || typeof item['field'] !== 'string') continue
    const schema = isPlainObject(item['schema']) ? item['schema'] : {}
    baseFields.set(fieldKey(item['collection'], item['field']), {
      type: item['type'],
      dataType: schema['data_type'],
      maxLength: schema['max_length'],
      isPrimaryKey: schema['is_primary_key'] === true,
      hasAutoIncrement: schema['has_auto_increment'] === true,
      isForeignKey: typeof schema['foreign_key_table'] === 'string'
    })
  }
  return {
    ...(snapshot.vendor ? { baseVendor: snapshot.vendor } : {}),
    ...(targetVendor ? { targetVendor } : {}),
    baseFields
  }
}

/** The diff without its known residue, and what was taken out, grouped by rule. */
export function withoutResidue(diff: SchemaDiff, context: ResidueContext): WithoutResidue {
  if (context.targetVendor !== 'mysql') return { diff, residue: [] }
  const groups = new Map<string, { rule: ResidueRule; entity: EntityKind; items: Set<string> }>()
  const note = (rule: ResidueRule, entity: EntityKind, item: string): void => {
    const key = `${entity}\u0000${rule}`
    const group = groups.get(key) ?? { rule, entity, items: new Set<string>() }
    group.items.add(item)
    groups.set(key, group)
  }

  const trimList = <T extends { collection: string; field?: string; diff: DeepDiff[] }>(entity: EntityKind, items: readonly T[]): T[] =>
    items.flatMap((item) => {
      const rulesPerEntry = item.diff.map((entry) => entryRules(entity, item.collection, item.field, entry, context))
      const kept = item.diff.filter((_entry, index) => rulesPerEntry[index] === undefined)
      if (kept.length === item.diff.length) return [item]
      const label = item.field === undefined ? item.collection : `${item.collection}.${item.field}`
      const first = item.diff[0] as DeepDiff
      const keepFirst = kept.length > 0 && decision(entity, kept[0] as DeepDiff) !== decision(entity, first)
      rulesPerEntry.forEach((rules, index) => {
        if (rules === undefined || (keepFirst && index === 0)) return
        for (const rule of rules) note(rule, entity, label)
      })
      if (kept.length === 0) return []
      return [{ ...item, diff: keepFirst ? [first, ...kept] : kept }]
    })

  const trimmed: SchemaDiff = {
    collections: trimList('collection', diff.collections),
    fields: trimList('field', diff.fields),
    ...(diff.systemFields !== undefined ? { systemFields: trimList('systemField', diff.systemFields) } : {}),
    relations: trimList('relation', diff.relations)
  }
  const residue = [...groups.values()].map(({ rule, entity, items }) => ({
    rule,
    entity,
    items: [...items],
    fails: FAILING_RULES.includes(rule),
    text: groupText(rule, entity, items.size, context)
  }))
  return { diff: trimmed, residue }
}

/** Whether the diff has anything left to apply. */
export function isEmptyDiff(diff: SchemaDiff): boolean {
  return diff.collections.length + diff.fields.length + (diff.systemFields?.length ?? 0) + diff.relations.length === 0
}

/** 'articles.author: …; …' for logs and messages. */
export function describeResidue(residue: readonly ResidueGroup[]): string {
  return residue.map((group) => group.text).join(' ')
}

/** The rules that make every edit of this entry residue, or undefined when one edit is not. */
function entryRules(
  entity: EntityKind,
  collection: string,
  field: string | undefined,
  entry: DeepDiff,
  context: ResidueContext
): ResidueRule[] | undefined {
  const edits = editsOf(entry)
  if (edits.length === 0) return undefined
  const rules: ResidueRule[] = []
  for (const edit of edits) {
    const rule = residueRuleOf(entity, collection, field, edit, context)
    if (rule === undefined) return undefined
    rules.push(rule)
  }
  return rules
}

/** The rule that makes this property edit known residue, if one does. `before` is the target's value, `after` the base's. */
export function residueRuleOf(
  entity: EntityKind,
  collection: string,
  field: string | undefined,
  edit: PropertyEdit,
  context: ResidueContext
): ResidueRule | undefined {
  if (context.targetVendor !== 'mysql' || context.baseVendor === undefined) return undefined
  const crossVendor = context.baseVendor !== 'mysql'
  switch (entity) {
    case 'systemField':
      return crossVendor && edit.path === 'schema.is_indexed' && edit.before === true && edit.after === false
        ? 'foreign-key-index'
        : undefined
    case 'relation':
      return context.baseVendor === 'sqlite' &&
        edit.path === 'schema.constraint_name' &&
        typeof edit.before === 'string' &&
        edit.after === null
        ? 'constraint-name'
        : undefined
    case 'collection':
      return undefined
    case 'field': {
      const base = field === undefined ? undefined : context.baseFields.get(fieldKey(collection, field))
      return base === undefined ? undefined : fieldRule(edit, base, context.baseVendor)
    }
  }
}

function fieldRule(edit: PropertyEdit, base: BaseField, baseVendor: string): ResidueRule | undefined {
  const { path, before, after } = edit
  const crossVendor = baseVendor !== 'mysql'
  switch (path) {
    case 'schema.is_indexed':
      return crossVendor && before === true && after === false && base.isForeignKey ? 'foreign-key-index' : undefined
    case 'schema.is_unique':
      return crossVendor && before === false && after === true && base.isPrimaryKey && base.type === 'uuid' ? 'uuid-key-unique' : undefined
    case 'schema.data_type':
      if (crossVendor && base.isForeignKey && before === 'int unsigned' && after === 'integer') return 'unsigned-foreign-key'
      return isSpelling(before, after, base, baseVendor) ? 'type-spelling' : undefined
    case 'type':
      // A uuid stored as char(36) reads back as a string; a bigInteger auto-increment key as an integer.
      if (crossVendor && before === 'string' && after === 'uuid' && base.type === 'uuid') return 'type-spelling'
      if (crossVendor && before === 'integer' && after === 'bigInteger' && base.isPrimaryKey && base.hasAutoIncrement)
        return 'type-spelling'
      return undefined
    case 'schema.max_length':
      return crossVendor && after === null && isReportedLength(before, base) ? 'reported-size' : undefined
    case 'schema.numeric_precision':
    case 'schema.numeric_scale':
      return crossVendor && isReportedNumber(path, before, after, base, baseVendor) ? 'reported-size' : undefined
    default:
      return undefined
  }
}

/** [MariaDB's spelling, the base database's spelling], as each base vendor was seen to differ. */
const SPELLINGS: Record<string, readonly (readonly [string, string])[]> = {
  postgres: [
    ['varchar', 'character varying'],
    ['int', 'integer'],
    ['float', 'real'],
    ['decimal', 'numeric'],
    ['time', 'time without time zone'],
    ['datetime', 'timestamp without time zone'],
    ['timestamp', 'timestamp with time zone'],
    ['longtext', 'json'],
    ['char', 'uuid']
  ],
  sqlite: [
    ['int', 'integer'],
    ['timestamp', 'datetime'],
    ['longtext', 'json'],
    ['varchar', 'char']
  ],
  mysql: [['varchar', 'char']]
}

function isSpelling(before: unknown, after: unknown, base: BaseField, baseVendor: string): boolean {
  const known = (SPELLINGS[baseVendor] ?? []).some(([target, source]) => before === target && after === source)
  if (!known) return false
  // A char(36) uuid is created as varchar(36) from a snapshot that calls it a string.
  if (before === 'varchar' && after === 'char') return base.maxLength === 36
  if (after === 'uuid') return base.type === 'uuid'
  if (after === 'json') return base.type === 'json'
  return true
}

/** Lengths MariaDB reports for types whose length the base database does not report. */
function isReportedLength(before: unknown, base: BaseField): boolean {
  return (
    (before === 65535 && base.dataType === 'text') ||
    (before === 4294967295 && base.type === 'json') ||
    (before === 36 && base.dataType === 'uuid')
  )
}

/**
 * SQLite reports no precision or scale at all; PostgreSQL none for booleans
 * and a real's scale, and integers' precision in bits (32, 64) where MariaDB
 * reports digits (10, 19).
 */
function isReportedNumber(path: string, before: unknown, after: unknown, base: BaseField, baseVendor: string): boolean {
  if (typeof before !== 'number') return false
  if (after === null) return baseVendor === 'sqlite' || base.type === 'boolean' || base.type === 'float'
  if (baseVendor !== 'postgres' || path !== 'schema.numeric_precision') return false
  return (before === 10 && after === 32 && base.type === 'integer') || (before === 19 && after === 64 && base.type === 'bigInteger')
}

type Decision = 'create' | 'update' | 'delete'

/** What Directus does with an item, decided by this first entry (see the apply rules in docs/directus-apply-rules.md). */
function decision(entity: EntityKind, entry: DeepDiff): Decision {
  const nestedMeta =
    entity === 'field' && (entry.kind === 'N' || entry.kind === 'D') && (entry.path?.length ?? 0) >= 2 && entry.path?.[0] === 'meta'
  if (entry.kind === 'E' || entry.kind === 'A' || nestedMeta) return 'update'
  return entry.kind === 'N' ? 'create' : 'delete'
}

function groupText(rule: ResidueRule, entity: EntityKind, count: number, context: ResidueContext): string {
  const items = countOf(count, ENTITY_WORDS[entity], entity === 'systemField' ? 'system fields' : `${ENTITY_WORDS[entity]}s`)
  const base = context.baseVendor ?? 'the base database'
  switch (rule) {
    case 'foreign-key-index':
      return (
        `${items}: schema.is_indexed true → false. MariaDB keeps an index on every foreign-key column; Directus cannot drop it ` +
        `(MariaDB refuses: "Cannot change column … used in a foreign key constraint"), so sending it would fail the apply part-way.`
      )
    case 'unsigned-foreign-key':
      return (
        `${items}: schema.data_type int unsigned → integer. Directus makes an integer foreign key unsigned on MariaDB to match its key, ` +
        `and MariaDB refuses to change a column used in a foreign key constraint.`
      )
    case 'uuid-key-unique':
      return (
        `${items}: schema.is_unique false → true on a uuid primary key. MariaDB reports the key as not unique, ` +
        `and applying it fails ("Multiple primary key defined").`
      )
    case 'type-spelling':
      return (
        `${items}: the same column type as ${base} spelled the MariaDB way (varchar for character varying, longtext for json, ` +
        `char(36) for uuid, …). Directus accepts the change and reports it again after every apply.`
      )
    case 'reported-size':
      return (
        `${items}: a length, precision or scale that MariaDB reports and ${base} does not, or reports in bits ` +
        `(text 65535, json 4294967295, boolean precision 3, integer precision 10 against 32). It comes back after every apply.`
      )
    case 'constraint-name':
      return `${items}: schema.constraint_name, which SQLite does not have; MariaDB names the key <table>_<field>_foreign. It comes back after every apply.`
  }
}

function fieldKey(collection: string, field: string): string {
  return `${collection}\u0000${field}`
}
