/**
 * The few facts a reviewer checks first about a created or deleted
 * collection, field or relation, as structured parts. Each renderer (Markdown
 * for GitHub, plain text for a terminal) formats and escapes the parts its own
 * way; the choice of facts is made once, here.
 */
import { isPlainObject } from '../core/json.js'
import type { EntityKind } from '../core/plan/changes.js'

/** Our own words, schema text shown as code, schema prose (a note), or a JSON value. */
export type FactPart = { text: string } | { code: string } | { note: string } | { json: unknown }
export type Fact = FactPart[]

export function definitionFacts(entity: EntityKind, definition: unknown): Fact[] {
  if (!isPlainObject(definition)) return []
  const meta = isPlainObject(definition['meta']) ? definition['meta'] : {}
  const schema = definition['schema']
  const facts: Fact[] = []
  const code = (value: unknown): FactPart => ({ code: typeof value === 'string' ? value : (JSON.stringify(value) ?? '') })
  const words = (text: string): Fact => [{ text }]

  switch (entity) {
    case 'collection':
      // A collection created without a `schema` key is a folder too: Directus makes no table for it.
      facts.push(words(schema === null || schema === undefined ? 'folder (no table)' : 'table'))
      if (meta['singleton'] === true) facts.push(words('singleton'))
      if (meta['hidden'] === true) facts.push(words('hidden'))
      if (isPresent(meta['group'])) facts.push([{ text: 'in ' }, code(meta['group'])])
      break
    case 'field':
    case 'systemField':
      if (isPresent(definition['type'])) facts.push([code(definition['type'])])
      if (schema === null) facts.push(words('no column (alias)'))
      else if (isPlainObject(schema)) facts.push(...columnFacts(schema, code))
      if (isPresent(meta['interface'])) facts.push([{ text: 'interface ' }, code(meta['interface'])])
      if (meta['required'] === true) facts.push(words('required'))
      if (meta['hidden'] === true) facts.push(words('hidden'))
      break
    case 'relation':
      if (isPlainObject(schema) && isPresent(schema['on_delete'])) facts.push([{ text: 'on delete ' }, code(schema['on_delete'])])
      if (isPresent(meta['one_field'])) facts.push([{ text: 'alias field ' }, code(meta['one_field'])])
      if (isPresent(meta['junction_field'])) facts.push([{ text: 'junction field ' }, code(meta['junction_field'])])
      if (isPresent(meta['one_allowed_collections'])) {
        facts.push([{ text: 'allowed collections ' }, { json: meta['one_allowed_collections'] }])
      }
      break
  }
  const note = meta['note']
  if (typeof note === 'string' && note !== '') facts.push([{ text: 'note: ' }, { note }])
  return facts
}

function columnFacts(schema: Record<string, unknown>, code: (value: unknown) => FactPart): Fact[] {
  const facts: Fact[] = []
  const dataType = schema['data_type']
  if (isPresent(dataType)) {
    // Precision is noise on integers and floats; on decimals it is the type.
    const size = isPresent(schema['max_length'])
      ? `(${String(schema['max_length'])})`
      : isPresent(schema['numeric_precision']) && /decimal|numeric/i.test(String(dataType))
        ? `(${String(schema['numeric_precision'])}${isPresent(schema['numeric_scale']) ? `,${String(schema['numeric_scale'])}` : ''})`
        : ''
    facts.push([{ text: 'column ' }, code(`${typeof dataType === 'string' ? dataType : JSON.stringify(dataType)}${size}`)])
  }
  if (schema['is_primary_key'] === true) facts.push([{ text: 'primary key' }])
  if (schema['is_nullable'] === false) facts.push([{ text: 'not null' }])
  if (schema['is_unique'] === true) facts.push([{ text: 'unique' }])
  if (isPresent(schema['default_value'])) facts.push([{ text: 'default ' }, { json: schema['default_value'] }])
  if (isPresent(schema['foreign_key_table'])) {
    const column = isPresent(schema['foreign_key_column']) ? `.${String(schema['foreign_key_column'])}` : ''
    facts.push([{ text: 'references ' }, code(`${String(schema['foreign_key_table'])}${column}`)])
  }
  return facts
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== ''
}
