/**
 * The residue rules of a MySQL/MariaDB target: diff entries that no apply
 * makes go away, because each database spells or reports a column its own
 * way, or because MariaDB refuses the change outright. They are rules of
 * noise.ts, which takes them out of the diff before it is shown, digested,
 * sealed and applied, and says them once per rule. Each was seen live on
 * Directus 12.4.0 and 11.17.4 with MariaDB 10.11 (docs/mariadb.md; answers in
 * __tests__/fixtures/mariadb/):
 *
 * - `mariadb-foreign-key-index` (fails): MariaDB indexes every foreign-key
 *   column and will not drop that index, so a base from another database asks
 *   to un-index 53 system fields and every many-to-one field, and each such
 *   apply answers HTTP 500 ("Cannot change column … used in a foreign key
 *   constraint", or "Can't DROP INDEX …").
 * - `mariadb-unsigned-foreign-key` (fails): Directus makes an integer
 *   many-to-one `int unsigned` on MariaDB to match the key; changing it back
 *   is refused the same way.
 * - `mariadb-uuid-key-unique` (fails): MariaDB reports a uuid primary key as
 *   not unique; applying `is_unique: true` answers "Multiple primary key defined".
 * - `mariadb-type-spelling` (repeats): the same column type spelled per
 *   database (varchar / character varying, longtext / json, char(36) / uuid, …).
 * - `mariadb-reported-size` (repeats): lengths, precision and scale one
 *   database reports and the other does not, or reports in bits.
 *
 * "Fails" means the apply fails part-way if the entry is sent; "repeats"
 * means Directus accepts it and the next diff shows it again. SQLite's missing
 * constraint names and the char(36) uuid created as varchar(36) are rules of
 * noise.ts already (`constraint-name`, `uuid-residue`).
 */
import type { SchemaSnapshot } from '../../directus/types.js'
import { isPlainObject } from '../json.js'
import type { ItemSite } from './apply-rules.js'
import type { PropertyEdit } from './edits.js'
import type { Words } from './words.js'

export type ResidueRule =
  | 'mariadb-foreign-key-index'
  | 'mariadb-unsigned-foreign-key'
  | 'mariadb-uuid-key-unique'
  | 'mariadb-type-spelling'
  | 'mariadb-reported-size'

/** Rules whose entries make the apply fail when sent: noise.ts removes them even from a list's first entry when it can. */
export const FAILING_RESIDUE: readonly ResidueRule[] = [
  'mariadb-foreign-key-index',
  'mariadb-unsigned-foreign-key',
  'mariadb-uuid-key-unique'
]

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
  isPrimaryKey: boolean
  hasAutoIncrement: boolean
  isForeignKey: boolean
}

export function residueContextOf(snapshot: SchemaSnapshot, targetVendor: string | undefined): ResidueContext {
  const baseFields = new Map<string, BaseField>()
  for (const item of snapshot.fields) {
    if (!isPlainObject(item) || typeof item['collection'] !== 'string' || typeof item['field'] !== 'string') continue
    const schema = isPlainObject(item['schema']) ? item['schema'] : {}
    baseFields.set(fieldKey(item['collection'], item['field']), {
      type: item['type'],
      dataType: schema['data_type'],
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

/** The rule that makes this property edit known residue of a MySQL/MariaDB target. `before` is the target's value, `after` the base's. */
export function residueRuleOf(
  { entity, collection, field }: ItemSite,
  edit: PropertyEdit,
  context: ResidueContext
): ResidueRule | undefined {
  // Same vendor: MariaDB made both sides, so any difference is real.
  if (context.targetVendor !== 'mysql' || context.baseVendor === undefined || context.baseVendor === 'mysql') return undefined
  if (entity === 'systemField') {
    return edit.path === 'schema.is_indexed' && edit.before === true && edit.after === false ? 'mariadb-foreign-key-index' : undefined
  }
  const base = entity === 'field' && field !== undefined ? context.baseFields.get(fieldKey(collection, field)) : undefined
  return base === undefined ? undefined : fieldRule(edit, base, context.baseVendor)
}

function fieldRule(edit: PropertyEdit, base: BaseField, baseVendor: string): ResidueRule | undefined {
  const { path, before, after } = edit
  switch (path) {
    case 'schema.is_indexed':
      return before === true && after === false && base.isForeignKey ? 'mariadb-foreign-key-index' : undefined
    case 'schema.is_unique':
      return before === false && after === true && base.isPrimaryKey && base.type === 'uuid' ? 'mariadb-uuid-key-unique' : undefined
    case 'schema.data_type':
      if (base.isForeignKey && before === 'int unsigned' && after === 'integer') return 'mariadb-unsigned-foreign-key'
      return isSpelling(before, after, base, baseVendor) ? 'mariadb-type-spelling' : undefined
    case 'type':
      // A uuid stored as char(36) reads back as a string; a bigInteger auto-increment key as an integer.
      if (before === 'string' && after === 'uuid' && base.type === 'uuid') return 'mariadb-type-spelling'
      if (before === 'integer' && after === 'bigInteger' && base.isPrimaryKey && base.hasAutoIncrement) return 'mariadb-type-spelling'
      return undefined
    case 'schema.max_length':
      return after === null && isReportedLength(before, base) ? 'mariadb-reported-size' : undefined
    case 'schema.numeric_precision':
    case 'schema.numeric_scale':
      return isReportedNumber(path, before, after, base, baseVendor) ? 'mariadb-reported-size' : undefined
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
    ['longtext', 'json']
  ]
}

function isSpelling(before: unknown, after: unknown, base: BaseField, baseVendor: string): boolean {
  const known = (SPELLINGS[baseVendor] ?? []).some(([target, source]) => before === target && after === source)
  if (!known) return false
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

/** What the report says of one rule's group; `items` is already counted, e.g. '53 system fields'. */
export function residueWords(rule: ResidueRule, items: string, context: ResidueContext): Words {
  const base = context.baseVendor ?? 'the base database'
  switch (rule) {
    case 'mariadb-foreign-key-index':
      return [
        `${items}: `,
        { code: 'schema.is_indexed' },
        ' true → false. MariaDB keeps an index on every foreign-key column and Directus cannot drop it ' +
          '(MariaDB refuses: "Cannot change column … used in a foreign key constraint"), so sending it would fail the apply part-way'
      ]
    case 'mariadb-unsigned-foreign-key':
      return [
        `${items}: `,
        { code: 'schema.data_type' },
        ' int unsigned → integer. Directus makes an integer foreign key unsigned on MariaDB to match its key, ' +
          'and MariaDB refuses to change a column used in a foreign key constraint'
      ]
    case 'mariadb-uuid-key-unique':
      return [
        `${items}: `,
        { code: 'schema.is_unique' },
        ' false → true on a uuid primary key. MariaDB reports the key as not unique, and applying it fails ("Multiple primary key defined")'
      ]
    case 'mariadb-type-spelling':
      return [
        `${items}: the same column type as ${base} spelled the MariaDB way (varchar for character varying, longtext for json, ` +
          'char(36) for uuid, …). Directus accepts the change and reports it again after every apply'
      ]
    case 'mariadb-reported-size':
      return [
        `${items}: a length, precision or scale that MariaDB reports and ${base} does not, or reports in bits ` +
          '(text 65535, json 4294967295, boolean precision 3, integer precision 10 against 32). It comes back after every apply'
      ]
  }
}

function fieldKey(collection: string, field: string): string {
  return `${collection}\u0000${field}`
}
