/**
 * Version noise and known residue: diff entries that no apply can make go
 * away, because Directus never writes what they ask for. They are removed
 * from the diff before it is shown, sealed and applied (Directus validates
 * only the payload's shape and the hash, so it accepts the trimmed diff), and
 * said once, grouped. Each rule is proven live (docs/directus-apply-rules.md,
 * section 5, and __tests__/e2e/apply-rules.test.ts):
 *
 * - `meta.searchable` (fields) arrived in Directus 11.13.0: a base snapshot
 *   from before lacks it on every field, Directus answers a removal (11.x:
 *   `D meta.searchable`, 12.x inside `E ["meta"]`), and the target keeps its
 *   value whatever is applied.
 * - `systemFields` arrived in 11.13.0 too: a base without the key makes
 *   Directus un-index every indexed system field of the target.
 * - `meta.status` and `meta.autosave_revision_interval` (collections) arrived
 *   in 12.x: an 11.x base lacks them, the target keeps its values.
 * - `schema.constraint_name` (relations): each vendor names foreign keys its
 *   own way, and Directus never renames one on apply.
 * - `schema.data_type` char → varchar of a uuid field without
 *   `meta.special: ["uuid"]`: Directus reads the SQLite char(36) column as a
 *   string and creates varchar(36) from it, every time.
 *
 * - The residue of a MySQL/MariaDB target promoted from another database
 *   (residue.ts): MariaDB's foreign-key indexes, column types spelled per
 *   database, sizes only one database reports.
 *
 * An entry is noise only when every property it edits is; a list's first
 * entry is removed only together with the whole list, because the first
 * entry decides what Directus does with the list (apply-rules.ts), unless it
 * is residue MariaDB refuses and the entry after it decides the same.
 */
import type { DeepDiff, SchemaDiff, SchemaSnapshot } from '../../directus/types.js'
import { isPlainObject } from '../json.js'
import { countOf } from '../wording.js'
import { itemKey, type EntityKind, type ItemSite } from './apply-rules.js'
import { editsOf, type PropertyEdit } from './edits.js'
import { FAILING_RESIDUE, residueContextOf, residueRuleOf, residueWords, type ResidueContext, type ResidueRule } from './residue.js'
import type { Words } from './words.js'

export type NoiseRule = 'searchable' | 'system-indexes' | 'collection-meta-12' | 'constraint-name' | 'uuid-residue' | ResidueRule

/** What the base snapshot tells about its Directus version and fields. */
export interface NoiseContext {
  /** The Directus version that wrote the base snapshot (its `directus` key). */
  baseVersion?: string
  baseHasSystemFields: boolean
  /** `collection\0field` → what the uuid residue rule needs to know of the base's field. */
  baseFields: ReadonlyMap<string, BaseField>
  /** The two sides' database vendors and the base's fields, for the residue of a MySQL/MariaDB target. */
  residue?: ResidueContext
}

interface BaseField {
  type: unknown
  dataType: unknown
  maxLength: unknown
  special: unknown
}

export interface NoiseGroup {
  rule: NoiseRule
  entity: EntityKind
  /** The items touched, 'collection' or 'collection.field'. */
  items: string[]
  /** Said once for the whole group, with the item count. */
  words: Words
}

export interface Trimmed {
  diff: SchemaDiff
  noise: NoiseGroup[]
}

/** `targetVendor`: the target's database vendor, when known; it decides the vendor residue rules. */
export function noiseContextOf(snapshot: SchemaSnapshot, targetVendor?: string): NoiseContext {
  const baseFields = new Map<string, BaseField>()
  for (const item of snapshot.fields) {
    if (!isPlainObject(item) || typeof item['collection'] !== 'string' || typeof item['field'] !== 'string') continue
    const schema = isPlainObject(item['schema']) ? item['schema'] : {}
    const meta = isPlainObject(item['meta']) ? item['meta'] : {}
    baseFields.set(itemKey(item['collection'], item['field']), {
      type: item['type'],
      dataType: schema['data_type'],
      maxLength: schema['max_length'],
      special: meta['special']
    })
  }
  return {
    baseVersion: snapshot.directus,
    baseHasSystemFields: Array.isArray(snapshot.systemFields),
    baseFields,
    residue: residueContextOf(snapshot, targetVendor)
  }
}

/** The rule that makes this property edit noise, if one does. */
export function noiseRuleOf(site: ItemSite, edit: PropertyEdit, context: NoiseContext): NoiseRule | undefined {
  const rule = versionNoiseOf(site, edit, context)
  if (rule !== undefined || context.residue === undefined) return rule
  return residueRuleOf(site, edit, context.residue)
}

function versionNoiseOf({ entity, collection, field }: ItemSite, edit: PropertyEdit, context: NoiseContext): NoiseRule | undefined {
  const base = versionOf(context.baseVersion)
  switch (entity) {
    case 'field':
      if (edit.path === 'meta.searchable' && edit.after === undefined && base !== undefined && isBefore(base, SEARCHABLE_SINCE))
        return 'searchable'
      if (edit.path === 'schema.data_type' && isUuidResidue(edit, context.baseFields.get(itemKey(collection, field)))) return 'uuid-residue'
      return undefined
    case 'collection':
      return COLLECTION_KEYS_OF_12.includes(edit.path) && edit.after === undefined && base !== undefined && base.major < 12
        ? 'collection-meta-12'
        : undefined
    case 'systemField':
      return edit.path === 'schema.is_indexed' &&
        edit.before === true &&
        edit.after === false &&
        !context.baseHasSystemFields &&
        base !== undefined &&
        isBefore(base, SEARCHABLE_SINCE)
        ? 'system-indexes'
        : undefined
    case 'relation':
      return edit.path === 'schema.constraint_name' && edit.before !== undefined && edit.after !== undefined ? 'constraint-name' : undefined
  }
}

/** The diff without its noise, and what was removed or left harmless, grouped by rule. */
export function trimNoise(diff: SchemaDiff, context: NoiseContext): Trimmed {
  const touched = new Map<string, { rule: NoiseRule; entity: EntityKind; items: Set<string> }>()
  const note = (rule: NoiseRule, entity: EntityKind, item: string) => {
    const key = `${entity}\u0000${rule}`
    const group = touched.get(key) ?? { rule, entity, items: new Set<string>() }
    group.items.add(item)
    touched.set(key, group)
  }

  const trimList = <T extends { collection: string; field?: string; diff: DeepDiff[] }>(entity: EntityKind, items: readonly T[]): T[] =>
    items.flatMap((item) => {
      const label = item.field === undefined ? item.collection : `${item.collection}.${item.field}`
      const rules = item.diff.map((entry) => entryNoise({ entity, collection: item.collection, field: item.field }, entry, context))
      for (const entryRules of rules) for (const rule of entryRules.rules) note(rule, entity, label)
      if (rules.every((entryRules) => entryRules.noise)) return []
      const kept = item.diff.filter((_entry, index) => index === 0 || !rules[index]?.noise)
      // A first entry MariaDB would refuse goes too, when the entry then first decides the same.
      const first = rules[0]
      const next = kept[1]
      if (first?.noise && first.rules.some((rule) => (FAILING_RESIDUE as readonly string[]).includes(rule)) && next) {
        if (decision(entity, next) === decision(entity, item.diff[0] as DeepDiff)) return [{ ...item, diff: kept.slice(1) }]
      }
      return [kept.length === item.diff.length ? item : { ...item, diff: kept }]
    })

  const trimmed: SchemaDiff = {
    collections: trimList('collection', diff.collections),
    fields: trimList('field', diff.fields),
    ...(diff.systemFields !== undefined ? { systemFields: trimList('systemField', diff.systemFields) } : {}),
    relations: trimList('relation', diff.relations)
  }
  const noise = [...touched.values()].map(({ rule, entity, items }) => ({
    rule,
    entity,
    items: [...items],
    words: groupWords(rule, entity, items.size, context)
  }))
  return { diff: trimmed, noise }
}

/** What Directus does with a list when this entry is first: create, update or delete (Directus' applyDiff, isNestedMetaUpdate). */
function decision(entity: EntityKind, entry: DeepDiff): 'create' | 'update' | 'delete' {
  const nestedMeta =
    entity === 'field' && (entry.kind === 'N' || entry.kind === 'D') && (entry.path?.length ?? 0) >= 2 && entry.path?.[0] === 'meta'
  if (entry.kind === 'E' || entry.kind === 'A' || nestedMeta) return 'update'
  return entry.kind === 'N' ? 'create' : 'delete'
}

/** Whether the diff has anything left to apply. */
export function isEmptyDiff(diff: SchemaDiff): boolean {
  return diff.collections.length + diff.fields.length + (diff.systemFields?.length ?? 0) + diff.relations.length === 0
}

function entryNoise(site: ItemSite, entry: DeepDiff, context: NoiseContext): { noise: boolean; rules: NoiseRule[] } {
  const rules = editsOf(entry).map((edit) => noiseRuleOf(site, edit, context))
  const found = rules.filter((rule): rule is NoiseRule => rule !== undefined)
  return { noise: rules.length > 0 && found.length === rules.length, rules: found }
}

const SEARCHABLE_SINCE = { major: 11, minor: 13, patch: 0 }
const COLLECTION_KEYS_OF_12 = ['meta.status', 'meta.autosave_revision_interval']

function isUuidResidue(edit: PropertyEdit, base: BaseField | undefined): boolean {
  if (edit.after !== 'char' || (edit.before !== 'varchar' && edit.before !== 'character varying') || base === undefined) return false
  const special = Array.isArray(base.special) ? base.special : []
  return base.type === 'string' && base.dataType === 'char' && base.maxLength === 36 && !special.includes('uuid')
}

function groupWords(rule: NoiseRule, entity: EntityKind, count: number, context: NoiseContext): Words {
  const items = countOf(count, ENTITY_WORDS[entity][0], ENTITY_WORDS[entity][1])
  const base = `the base’s Directus ${context.baseVersion ?? '(unknown version)'}`
  switch (rule) {
    case 'mariadb-foreign-key-index':
    case 'mariadb-unsigned-foreign-key':
    case 'mariadb-uuid-key-unique':
    case 'mariadb-type-spelling':
    case 'mariadb-reported-size':
      return residueWords(rule, items, context.residue ?? { baseFields: new Map() })
    case 'searchable':
      return [`${items}: `, { code: 'meta.searchable' }, ` is unknown to ${base}; the target keeps its value`]
    case 'collection-meta-12':
      return [
        `${items}: `,
        { code: 'meta.status' },
        ' and ',
        { code: 'meta.autosave_revision_interval' },
        ` are unknown to ${base}; the target keeps their values`
      ]
    case 'system-indexes':
      return [
        `${items}: the snapshot of ${base} has no `,
        { code: 'systemFields' },
        ', so Directus would drop their indexes; the target keeps them'
      ]
    case 'constraint-name':
      return [
        `${items}: `,
        { code: 'schema.constraint_name' },
        ' differs, but Directus never renames a foreign key; the target keeps its name'
      ]
    case 'uuid-residue':
      return [
        `${items}: `,
        { code: 'schema.data_type' },
        ' char of a uuid field without ',
        { code: 'meta.special: ["uuid"]' },
        ': Directus creates such a field as varchar(36) whatever the diff says; the target keeps it'
      ]
  }
}

const ENTITY_WORDS: Record<EntityKind, [string, string]> = {
  collection: ['collection', 'collections'],
  field: ['field', 'fields'],
  systemField: ['system field', 'system fields'],
  relation: ['relation', 'relations']
}

interface Version {
  major: number
  minor: number
  patch: number
}

function versionOf(text: string | undefined): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text?.trim() ?? '')
  return match ? { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) } : undefined
}

function isBefore(version: Version, since: Version): boolean {
  if (version.major !== since.major) return version.major < since.major
  if (version.minor !== since.minor) return version.minor < since.minor
  return version.patch < since.patch
}
