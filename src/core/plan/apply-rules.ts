/**
 * What Directus' POST /schema/apply does with each item of a diff: the one
 * model every report, the destructive gate, the outputs and the post-apply
 * verification use.
 *
 * Directus decides from the FIRST entry of each item's list, not from the
 * entries as a whole (applyDiff, api `utils/schema/apply-diff.js`, the same in
 * 11.17.4 and 12.4.0), in a fixed order: collection creates (a child after its
 * new folder), collection deletes, collection updates, fields in list order,
 * system fields, relations. docs/directus-apply-rules.md gives the source
 * lines and the live proof of every rule below; the fixtures in
 * __tests__/fixtures/apply-rules/ are what Directus did.
 */
import type { DeepDiff, SchemaDiff, SchemaSnapshot } from '../../directus/types.js'
import { isPlainObject } from '../json.js'
import { formatPath, type Words } from './words.js'

export type EntityKind = 'collection' | 'field' | 'systemField' | 'relation'
export type ChangeAction = 'create' | 'delete' | 'update'
export type ListName = 'collections' | 'fields' | 'systemFields' | 'relations'

/** What Directus does with one item. `fail`: the change cannot succeed as the diff describes it; apply refuses the plan. */
export type Outcome = { kind: ChangeAction } | { kind: 'skip'; why: Words } | { kind: 'fail'; attempts: ChangeAction; why: Words }

/** Which item of the schema a diff entry is about. */
export interface ItemSite {
  entity: EntityKind
  collection: string
  field?: string
}

export interface ItemRule extends ItemSite {
  list: ListName
  /** Position in its list of the diff. */
  index: number
  relatedCollection?: string | null
  entries: readonly DeepDiff[]
  /** What the entries say when read one by one: a whole item added, a whole item removed, or else an update. */
  apparent: ChangeAction
  outcome: Outcome
  /** Why Directus does something other than `apparent`; set whenever it does. */
  because?: Words
  /** The reading of the first entry explains `because` (a misread list, as opposed to a side effect of another item). */
  misreadFirstEntry?: boolean
  /** For a delete: whether the item holds data (a table, a column). Undefined when nothing tells: assume it does. */
  holdsData?: boolean
}

/** What the model may know of the target before the apply (Directus' `currentSnapshot`). */
export interface TargetView {
  /** Collection name → whether it is a folder (no table). */
  collections: ReadonlyMap<string, { folder: boolean }>
  /** `collection\0field` → whether it is an alias (no column). Not system fields: Directus' snapshot has them apart. */
  fields: ReadonlyMap<string, { alias: boolean }>
  /** `collection\0field` of each relation. */
  relations: ReadonlySet<string>
}

export interface ApplyContext {
  /**
   * The target's schema. Without it the diff is taken as what Directus
   * answered for this very target (so an edited item exists there), and the
   * questions only the target answers make readRules throw: ask
   * needsTargetView first.
   */
  target?: TargetView
  /** The target's database vendor as Directus names it ('sqlite', 'postgres', …), when known. */
  vendor?: string
}

export class TargetViewNeeded extends Error {
  override name = 'TargetViewNeeded'
}

export function itemKey(collection: string, field: string | undefined): string {
  return `${collection}\u0000${field ?? ''}`
}

export function targetViewOf(snapshot: SchemaSnapshot): TargetView {
  const collections = new Map<string, { folder: boolean }>()
  for (const item of snapshot.collections) {
    if (isPlainObject(item) && typeof item['collection'] === 'string') {
      collections.set(item['collection'], { folder: item['schema'] === null || item['schema'] === undefined })
    }
  }
  const fields = new Map<string, { alias: boolean }>()
  for (const item of snapshot.fields) {
    if (isPlainObject(item) && typeof item['collection'] === 'string' && typeof item['field'] === 'string') {
      fields.set(itemKey(item['collection'], item['field']), { alias: item['type'] === 'alias' || item['schema'] === null })
    }
  }
  const relations = new Set<string>()
  for (const item of snapshot.relations) {
    if (isPlainObject(item) && typeof item['collection'] === 'string' && typeof item['field'] === 'string') {
      relations.add(itemKey(item['collection'], item['field']))
    }
  }
  return { collections, fields, relations }
}

/**
 * Whether reading this diff needs the target's schema: a new collection in a
 * folder the diff does not create (does the folder exist?), or a list that
 * deletes by a property outside `schema` (a table or a folder, a column or an
 * alias?). Directus' own answers never need it otherwise.
 */
export function needsTargetView(diff: SchemaDiff): boolean {
  const created = new Set(diff.collections.filter((item) => item.diff[0]?.kind === 'N').map((item) => item.collection))
  const inUnknownGroup = diff.collections.some((item) => {
    const group = groupOf(item.diff[0])
    return group !== undefined && !created.has(group)
  })
  const deletesByProperty = (list: ListName, items: readonly ListItem[]) =>
    items.some((item) => {
      const first = item.diff[0]
      return first?.kind === 'D' && hasPath(first) && first.path?.[0] !== 'schema' && !isNestedMetaPath(first, list)
    })
  return inUnknownGroup || deletesByProperty('collections', diff.collections) || deletesByProperty('fields', diff.fields)
}

/** The rule Directus applies to every item of the diff, in the diff's own order. */
export function applyRules(diff: SchemaDiff, context: ApplyContext = {}): ItemRule[] {
  return new RuleReader(diff, context).read()
}

interface ListItem {
  collection: string
  field?: string
  related_collection?: string | null
  diff: DeepDiff[]
}

class RuleReader {
  private readonly newCollections = new Map<string, DeepDiff>()
  private readonly creation = new Map<string, Words | true>()
  private readonly deletedCollections = new Set<string>()
  private readonly deletedFields = new Set<string>()

  constructor(
    private readonly diff: SchemaDiff,
    private readonly context: ApplyContext
  ) {
    for (const item of diff.collections) {
      const first = item.diff[0]
      if (first?.kind === 'N' && !this.newCollections.has(item.collection)) this.newCollections.set(item.collection, first)
      if (first?.kind === 'D') this.deletedCollections.add(item.collection)
    }
  }

  read(): ItemRule[] {
    const collections = this.diff.collections.map((item, index) => this.collectionRule(item, index))
    const fields = this.diff.fields.map((item, index) => this.fieldRule(item, index))
    const systemFields = (this.diff.systemFields ?? []).map((item, index) => this.systemFieldRule(item, index))
    // Relations come last, after every field delete has dropped its relation lists.
    const relations = this.diff.relations.map((item, index) => this.relationRule(item, index))
    return [...collections, ...fields, ...systemFields, ...relations]
  }

  private collectionRule(item: ListItem, index: number): ItemRule {
    const opened = this.opening('collections', 'collection', item, index)
    if ('decided' in opened) return opened.decided
    const { rule, first } = opened
    switch (first.kind) {
      case 'N': {
        if (first.rhs === null || first.rhs === undefined) {
          // filterCollectionsForCreation reads diff[0].rhs.meta before anything is applied.
          return this.failed(rule, 'create', [
            'its first entry adds ',
            ...pathWords(first),
            ' with an empty value, and Directus reads the new collection from that value: the apply fails (500) and nothing is applied'
          ])
        }
        if (hasPath(first)) {
          if (!first.rhs)
            return this.misread(rule, {
              kind: 'skip',
              why: ['its first entry adds a property with an empty value, which Directus ignores']
            })
          return this.createdFromOneValue(rule, first, 'the whole collection', 'the apply fails and nothing is applied')
        }
        const creation = this.createdCollection(item.collection)
        if (creation === true) return { ...rule, outcome: { kind: 'create' } }
        const hasFields = this.diff.fields.some((field) => field.collection === item.collection && field.diff[0]?.kind === 'N')
        return hasFields
          ? this.failed(rule, 'create', [
              'Directus does not create this collection, because ',
              ...creation,
              ', and then fails to create its fields: the apply fails (500) and nothing is applied'
            ])
          : this.misread(rule, { kind: 'skip', why: ['Directus does not create it, because ', ...creation] })
      }
      case 'D':
        return this.deleted(rule, first, 'collection')
      case 'E':
      case 'A':
        return this.edited(rule, this.context.target ? this.context.target.collections.has(item.collection) : true)
    }
  }

  private fieldRule(item: ListItem, index: number): ItemRule {
    const opened = this.opening('fields', 'field', item, index)
    if ('decided' in opened) return opened.decided
    const { rule, first } = opened

    const collectionCreation = this.newCollections.has(item.collection) ? this.createdCollection(item.collection) : undefined
    if (collectionCreation === true) {
      // Created with its collection, from the first entry's value whatever its kind.
      return rule.apparent === 'create'
        ? { ...rule, outcome: { kind: 'create' } }
        : this.failed(rule, 'create', [
            'its collection is created with this list’s first entry as the field’s whole definition, which it is not: the apply fails'
          ])
    }
    const nestedMeta = isNestedMetaPath(first, 'fields')
    if (first.kind === 'N' && !nestedMeta) {
      if (collectionCreation !== undefined) {
        return this.failed(rule, 'create', [
          'its collection ',
          { code: item.collection },
          ' is not created, so creating the field fails (500) and nothing is applied'
        ])
      }
      if (hasPath(first)) {
        return this.createdFromOneValue(rule, first, 'the whole field', 'the apply fails (500) and nothing is applied')
      }
      return { ...rule, outcome: { kind: 'create' } }
    }
    if (first.kind === 'D' && !nestedMeta) {
      this.deletedFields.add(itemKey(item.collection, item.field))
      return this.deleted(rule, first, 'field')
    }
    const exists = this.context.target ? this.context.target.fields.has(itemKey(item.collection, item.field)) : true
    return this.edited(rule, exists)
  }

  private systemFieldRule(item: ListItem, index: number): ItemRule {
    const rule = this.base('systemFields', 'systemField', item, index)
    const refused = payloadProblem(item.diff)
    if (refused) return this.failed(rule, rule.apparent, refused)
    if (item.diff[0]?.kind === 'E') return { ...rule, outcome: { kind: 'update' } }
    return this.misread(rule, {
      kind: 'skip',
      why: ['Directus applies only system-field lists that start with an edit (', { code: 'E' }, ')']
    })
  }

  private relationRule(item: ListItem, index: number): ItemRule {
    const opened = this.opening('relations', 'relation', item, index)
    if ('decided' in opened) return opened.decided
    const { rule, first } = opened
    const key = itemKey(item.collection, item.field)
    if (this.deletedFields.has(key) && !item.diff.some((entry) => entry.kind === 'N')) {
      // Deleting the field deleted the relation; Directus then drops this list unapplied.
      const withField: ItemRule = { ...rule, outcome: { kind: 'delete' }, holdsData: true }
      return rule.apparent === 'delete'
        ? withField
        : {
            ...withField,
            because: [
              'Directus deletes field ',
              { code: `${item.collection}.${item.field ?? ''}` },
              ' and this relation with it, then drops this relation’s own entries unapplied'
            ]
          }
    }
    switch (first.kind) {
      case 'N':
        if (hasPath(first)) {
          return this.createdFromOneValue(
            rule,
            first,
            'a whole relation',
            'it creates a broken relation with no related collection and no foreign key'
          )
        }
        return { ...rule, outcome: { kind: 'create' } }
      case 'D': {
        const related = item.related_collection
        if (typeof related === 'string' && this.deletedCollections.has(related) && this.context.vendor === 'postgres') {
          return this.failed(rule, 'delete', [
            'Directus deletes this relation together with collection ',
            { code: related },
            ', then fails to delete it a second time (400 “doesn’t have a relationship”), so on PostgreSQL the apply fails and nothing is applied. Delete field ',
            { code: `${item.collection}.${item.field ?? ''}` },
            ' in the base too, as Directus’ app does when it deletes a collection'
          ])
        }
        return this.deleted(rule, first, 'relation')
      }
      case 'E':
      case 'A':
        return this.edited(rule, this.context.target ? this.context.target.relations.has(key) : true)
    }
  }

  private base(list: ListName, entity: EntityKind, item: ListItem, index: number): Omit<ItemRule, 'outcome'> {
    return {
      list,
      index,
      entity,
      collection: item.collection,
      ...(item.field !== undefined ? { field: item.field } : {}),
      ...(entity === 'relation' ? { relatedCollection: item.related_collection ?? null } : {}),
      entries: item.diff,
      apparent: apparentAction(item.diff)
    }
  }

  /** The start of every item's rule: a payload Directus refuses, or an empty list, decides it before its first entry is read. */
  private opening(
    list: ListName,
    entity: EntityKind,
    item: ListItem,
    index: number
  ): { decided: ItemRule } | { rule: Omit<ItemRule, 'outcome'>; first: DeepDiff } {
    const rule = this.base(list, entity, item, index)
    const refused = payloadProblem(item.diff)
    if (refused) return { decided: this.failed(rule, rule.apparent, refused) }
    const first = item.diff[0]
    if (first === undefined) return { decided: { ...rule, outcome: { kind: 'skip', why: ['its list of entries is empty'] } } }
    return { rule, first }
  }

  private failed(rule: Omit<ItemRule, 'outcome'>, attempts: ChangeAction, why: Words): ItemRule {
    return this.misread(rule, { kind: 'fail', attempts, why })
  }

  /** The outcome, with `because` when it is not what the entries say (the outcome's own words say why). */
  private misread(rule: Omit<ItemRule, 'outcome'>, outcome: Outcome): ItemRule {
    return { ...rule, outcome, ...(outcome.kind === 'skip' || outcome.kind === 'fail' ? { because: outcome.why } : {}) }
  }

  /** A create whose first entry carries a path: Directus creates the item from that one value alone. */
  private createdFromOneValue(rule: Omit<ItemRule, 'outcome'>, first: DeepDiff, what: string, consequence: string): ItemRule {
    return this.misread(
      { ...rule, misreadFirstEntry: true },
      {
        kind: 'fail',
        attempts: 'create',
        why: [
          'its diff starts by adding ',
          ...pathWords(first),
          `, and Directus reads that as creating ${what} from that one value: ${consequence}`
        ]
      }
    )
  }

  private edited(rule: Omit<ItemRule, 'outcome'>, exists: boolean): ItemRule {
    if (exists) return { ...rule, outcome: { kind: 'update' } }
    return this.misread(rule, { kind: 'skip', why: ['the target has no such ', ENTITY_NAMES[rule.entity], ' to update'] })
  }

  private deleted(rule: Omit<ItemRule, 'outcome'>, first: DeepDiff, entity: 'collection' | 'field' | 'relation'): ItemRule {
    const holdsData = this.holdsData(rule, first, entity)
    const deleted: ItemRule = { ...rule, outcome: { kind: 'delete' }, ...(holdsData !== undefined ? { holdsData } : {}) }
    if (!hasPath(first)) return deleted
    return {
      ...deleted,
      misreadFirstEntry: true,
      because: ['its diff starts by removing ', ...pathWords(first), `, and Directus reads that as a ${ENTITY_NAMES[entity]} deletion`]
    }
  }

  private holdsData(rule: Omit<ItemRule, 'outcome'>, first: DeepDiff, entity: 'collection' | 'field' | 'relation'): boolean | undefined {
    if (entity === 'relation') return true
    // The whole item removed: its lhs is the target's own definition.
    if (!hasPath(first)) return holdsDataByDefinition(entity, first.lhs)
    // A property under `schema` existed on the target: it has a table or a column.
    if (first.path?.[0] === 'schema') return true
    const target = this.context.target
    if (!target) throw new TargetViewNeeded(`reading a delete of ${rule.collection} needs the target's schema`)
    if (entity === 'collection') {
      const collection = target.collections.get(rule.collection)
      return collection === undefined ? undefined : !collection.folder
    }
    const field = target.fields.get(itemKey(rule.collection, rule.field))
    return field === undefined ? undefined : !field.alias
  }

  /**
   * true when Directus creates the collection; otherwise why not. A new
   * collection in a folder is created only after its folder, and only when
   * that folder exists or is itself created in this apply.
   */
  private createdCollection(name: string, visiting: ReadonlySet<string> = new Set()): Words | true {
    const known = this.creation.get(name)
    if (known !== undefined) return known
    const first = this.newCollections.get(name)
    let result: Words | true
    if (!first || !first.rhs || hasPath(first)) {
      result = ['collection ', { code: name }, ' is not created either']
    } else {
      const group = groupOf(first)
      if (group === undefined) {
        result = true
      } else if (this.newCollections.has(group)) {
        const parent = visiting.has(name) ? ['its folders contain each other'] : this.createdCollection(group, new Set([...visiting, name]))
        result = parent === true ? true : ['its folder ', { code: group }, ' is not created either']
      } else {
        const target = this.context.target
        if (!target) throw new TargetViewNeeded(`whether folder ${group} exists is known only from the target's schema`)
        result = target.collections.has(group)
          ? true
          : ['its folder ', { code: group }, ' neither exists on the target nor is created by this plan']
      }
    }
    this.creation.set(name, result)
    return result
  }
}

const ENTITY_NAMES: Record<EntityKind, string> = {
  collection: 'collection',
  field: 'field',
  systemField: 'system field',
  relation: 'relation'
}

/** A whole item added or removed is a single entry without a path; anything else reads as an update. */
export function apparentAction(entries: readonly DeepDiff[]): ChangeAction {
  const first = entries[0]
  if (entries.length === 1 && first !== undefined && !hasPath(first)) {
    if (first.kind === 'N') return 'create'
    if (first.kind === 'D') return 'delete'
  }
  return 'update'
}

function hasPath(entry: DeepDiff): boolean {
  return entry.path !== undefined && entry.path.length > 0
}

/** Directus' isNestedMetaUpdate: for fields only, an N or D at `meta.<key>` is an update. */
function isNestedMetaPath(entry: DeepDiff, list: ListName): boolean {
  return list === 'fields' && (entry.kind === 'N' || entry.kind === 'D') && (entry.path?.length ?? 0) >= 2 && entry.path?.[0] === 'meta'
}

function groupOf(entry: DeepDiff | undefined): string | undefined {
  if (entry?.kind !== 'N' || !isPlainObject(entry.rhs)) return undefined
  const meta = entry.rhs['meta']
  const group = isPlainObject(meta) ? meta['group'] : undefined
  return typeof group === 'string' && group !== '' ? group : undefined
}

function pathWords(entry: DeepDiff): Words {
  return [{ code: formatPath(entry.path ?? []) }]
}

function holdsDataByDefinition(entity: 'collection' | 'field', definition: unknown): boolean | undefined {
  if (!isPlainObject(definition)) return undefined
  // Folders have no table (schema null); aliases (o2m, m2m, presentation) have no column.
  if (definition['schema'] === null) return false
  if (entity === 'field' && definition['type'] === 'alias') return false
  return true
}

/**
 * Directus validates the payload's shape before anything (validate-diff.js,
 * Joi): N and E entries need an rhs, D and E entries an lhs, A entries an
 * index and an item. JSON has no undefined, so such an entry reaches Directus
 * without the key and the whole apply is refused with 400.
 */
function payloadProblem(entries: readonly DeepDiff[]): Words | undefined {
  for (const entry of entries) {
    const missing = missingKey(entry)
    if (missing) {
      return [
        'its entry ',
        { code: `${entry.kind} ${formatPath(entry.path ?? []) || '(whole item)'}` },
        ` has no ${missing}, so Directus refuses the whole diff (400 “"${missing}" is required”) and nothing is applied`
      ]
    }
  }
  return undefined
}

function missingKey(entry: DeepDiff): string | undefined {
  if ((entry.kind === 'N' || entry.kind === 'E') && entry.rhs === undefined) return 'rhs'
  if ((entry.kind === 'D' || entry.kind === 'E') && entry.lhs === undefined) return 'lhs'
  if (entry.kind === 'A') {
    if (entry.index === undefined) return 'index'
    if (entry.item === undefined) return 'item'
    return missingKey(entry.item)
  }
  return undefined
}
