// Helpers of the MariaDB fact-finding scripts (scripts/mariadb-residue.mjs, scripts/mariadb-partial-apply.mjs).
// Node builtins only; types in mariadb-facts.d.mts.
import { mysqlQuery } from './directus-instance.mjs'
import { createCollection, createRelation, primaryKeyField } from './seed.mjs'

/** The collections seedAllTypes creates. */
export const ALL_TYPES_COLLECTIONS = ['big_ids', 'all_types']

/**
 * One field of each Directus type that has a column, as created through the API with the least
 * schema a user would give: where a vendor stores a type differently, the difference shows.
 * @type {Array<Record<string, any>>}
 */
export const ALL_TYPES_FIELDS = [
  { field: 'f_string', type: 'string', meta: { interface: 'input' }, schema: {} },
  { field: 'f_string_50', type: 'string', meta: { interface: 'input' }, schema: { max_length: 50 } },
  { field: 'f_text', type: 'text', meta: { interface: 'input-multiline' }, schema: {} },
  { field: 'f_boolean', type: 'boolean', meta: { interface: 'boolean', special: ['cast-boolean'] }, schema: { default_value: false } },
  { field: 'f_integer', type: 'integer', meta: { interface: 'input' }, schema: { default_value: 7 } },
  { field: 'f_biginteger', type: 'bigInteger', meta: { interface: 'input' }, schema: {} },
  { field: 'f_float', type: 'float', meta: { interface: 'input' }, schema: {} },
  { field: 'f_decimal', type: 'decimal', meta: { interface: 'input' }, schema: { numeric_precision: 10, numeric_scale: 5 } },
  { field: 'f_date', type: 'date', meta: { interface: 'datetime' }, schema: {} },
  { field: 'f_time', type: 'time', meta: { interface: 'datetime' }, schema: {} },
  { field: 'f_datetime', type: 'dateTime', meta: { interface: 'datetime' }, schema: {} },
  { field: 'f_timestamp', type: 'timestamp', meta: { interface: 'datetime' }, schema: {} },
  { field: 'f_json', type: 'json', meta: { interface: 'input-code', special: ['cast-json'] }, schema: {} },
  { field: 'f_uuid', type: 'uuid', meta: { interface: 'input' }, schema: {} },
  { field: 'f_csv', type: 'csv', meta: { interface: 'tags', special: ['cast-csv'] }, schema: {} },
  { field: 'f_hash', type: 'hash', meta: { interface: 'input-hash', special: ['hash'] }, schema: {} },
]

/**
 * Creates `big_ids` (bigInteger auto-increment key) and `all_types` (integer auto-increment key, one
 * field of each type in ALL_TYPES_FIELDS, and `big_ref`, a bigInteger field).
 * With `bigIntegerRelation`, `big_ref` also becomes a many-to-one to big_ids. MySQL/MariaDB refuse that
 * foreign key (errno 150: the key is `bigint unsigned`, the field `bigint`; Directus only widens `int`
 * to `int unsigned`), so it is off by default: SQLite and PostgreSQL accept it.
 * @param {string} url @param {string} token @param {{ bigIntegerRelation?: boolean }} [options]
 */
export async function seedAllTypes(url, token, options = {}) {
  await createCollection(url, token, 'big_ids', [
    { field: 'id', type: 'bigInteger', meta: { hidden: true, readonly: true, interface: 'input' }, schema: { is_primary_key: true, has_auto_increment: true } },
    { field: 'label', type: 'string', meta: { interface: 'input' }, schema: { max_length: 80 } },
  ])
  await createCollection(url, token, 'all_types', [
    primaryKeyField(),
    ...ALL_TYPES_FIELDS,
    {
      field: 'big_ref',
      type: 'bigInteger',
      meta: options.bigIntegerRelation ? { interface: 'select-dropdown-m2o', special: ['m2o'] } : { interface: 'input' },
      schema: {},
    },
  ])
  if (options.bigIntegerRelation) {
    await createRelation(url, token, { collection: 'all_types', field: 'big_ref', related_collection: 'big_ids', schema: { on_delete: 'SET NULL' } })
  }
}

/** @param {unknown} value */
function show(value) {
  const text = JSON.stringify(value)
  return text === undefined ? 'undefined' : text.length > 120 ? `${text.slice(0, 117)}…` : text
}

/**
 * One line for a deep-diff entry of POST /schema/diff: kind, path, and the target's value (lhs)
 * against the snapshot's (rhs).
 * @param {{ kind: string, path?: Array<string|number>, lhs?: unknown, rhs?: unknown, index?: number, item?: any }} entry
 * @returns {string}
 */
export function describeEntry(entry) {
  const at = entry.path?.length ? ` ${entry.path.join('.')}` : ''
  switch (entry.kind) {
    case 'E':
      return `E${at}: ${show(entry.lhs)} -> ${show(entry.rhs)}`
    case 'N':
      return `N${at}${entry.path?.length ? `: ${show(entry.rhs)}` : ' (whole item)'}`
    case 'D':
      return `D${at}${entry.path?.length ? `: was ${show(entry.lhs)}` : ' (whole item)'}`
    case 'A':
      return `A${at}[${entry.index}]: ${describeEntry(entry.item)}`
    default:
      return `${entry.kind}${at}`
  }
}

/**
 * The columns, CHECK constraints and foreign keys of some tables of an instance's MySQL/MariaDB
 * database, one line each, as information_schema reports them.
 * @param {string} dbName @param {string[]} tables
 * @returns {Promise<string[]>}
 */
export async function mysqlColumns(dbName, tables) {
  if (!/^[a-z0-9_]+$/.test(dbName) || tables.some((t) => !/^[a-z0-9_]+$/.test(t))) throw new Error('unsafe name')
  const list = tables.map((t) => `'${t}'`).join(', ')
  const columns = await mysqlQuery(
    `SELECT table_name, column_name, column_type, is_nullable, IFNULL(column_default, 'NULL'), extra, IFNULL(collation_name, '') FROM information_schema.columns WHERE table_schema = '${dbName}' AND table_name IN (${list}) ORDER BY table_name, ordinal_position`,
  )
  const checks = await mysqlQuery(
    `SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = '${dbName}' AND table_name IN (${list}) ORDER BY table_name, constraint_name`,
  )
  const fks = await mysqlQuery(
    `SELECT k.table_name, k.column_name, k.constraint_name, k.referenced_table_name, k.referenced_column_name, r.delete_rule FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name WHERE k.table_schema = '${dbName}' AND k.table_name IN (${list}) AND k.referenced_table_name IS NOT NULL ORDER BY k.table_name, k.column_name`,
  )
  return [
    ...columns.map(([t, c, type, nullable, def, extra, coll]) => `${t}.${c}: ${type}${nullable === 'NO' ? ' NOT NULL' : ''} default ${def}${extra ? ` ${extra}` : ''}${coll ? ` ${coll}` : ''}`),
    ...checks.map(([t, name, clause]) => `${t}: CHECK ${name} (${clause})`),
    ...fks.map(([t, c, name, rt, rc, rule]) => `${t}.${c}: FOREIGN KEY ${name} -> ${rt}.${rc} ON DELETE ${rule}`),
  ]
}
