/**
 * Which target record each base record is (issue #11, "Identity across
 * instances"): by primary key in the uuid collections (keys carry over when a
 * record was created by promotion), then by a natural key whose references are
 * already mapped to the target's keys. Natural keys are not unique in Directus
 * (docs/directus-config-facts.md C12), so two candidates are an error that
 * names both: the matcher never guesses.
 */
import { ExpectedError } from '../errors.js'
import { canonicalJson } from '../json.js'
import { INTEGER_KEYED } from './fields.js'
import { CONFIG_COLLECTIONS, type ConfigCollection, type ConfigItem, type ConfigState, type MatchedBy } from './model.js'

export type Key = string | number

export interface ConfigMatch {
  base: ConfigItem
  target?: ConfigItem
  matchedBy?: MatchedBy
}

export interface MatchTable {
  /** Per collection, one entry per base record, in the base's order. */
  matches: Partial<Record<ConfigCollection, ConfigMatch[]>>
  /** Target records no base record matched: what mirror deletes. */
  unmatched: Partial<Record<ConfigCollection, ConfigItem[]>>
  /** Base key → target key of every base record: the matched target's key, else the base's own (carried over on create). */
  keys: Partial<Record<ConfigCollection, Map<Key, Key>>>
}

/** Two or more candidates for one record. */
export class AmbiguousMatchError extends ExpectedError {
  override name = 'AmbiguousMatchError'
}

/** The references each natural key uses, to the collection they point to. */
const REFERENCES: Partial<Record<ConfigCollection, Readonly<Record<string, ConfigCollection>>>> = {
  access: { role: 'roles', policy: 'policies' },
  permissions: { policy: 'policies' },
  operations: { flow: 'flows' },
  panels: { dashboard: 'dashboards' },
  presets: { role: 'roles' }
}

/**
 * Matches the records of `collections` (and of what they reference, when
 * read): in apply order, so references inside natural keys are mapped first.
 */
export function matchConfig(base: ConfigState, target: ConfigState, collections: readonly ConfigCollection[]): MatchTable {
  const table: MatchTable = { matches: {}, unmatched: {}, keys: {} }
  const ambiguities: string[] = []
  const wanted = new Set(collections)
  for (const collection of CONFIG_COLLECTIONS) {
    const baseItems = base.items[collection]
    const targetItems = target.items[collection]
    if (!wanted.has(collection) || !baseItems || !targetItems) continue
    matchCollection(collection, baseItems, targetItems, base, target, table, ambiguities)
  }
  if (ambiguities.length > 0) {
    throw new AmbiguousMatchError(
      `configuration records match more than one record (Directus does not keep these names unique): ${ambiguities.join('; ')}. ` +
        'Rename or remove one of them, on the base or the target, so each record has one counterpart'
    )
  }
  return table
}

function matchCollection(
  collection: ConfigCollection,
  baseItems: readonly ConfigItem[],
  targetItems: readonly ConfigItem[],
  base: ConfigState,
  target: ConfigState,
  table: MatchTable,
  ambiguities: string[]
): void {
  const matches: ConfigMatch[] = baseItems.map((item) => ({ base: item }))
  const taken = new Set<ConfigItem>()
  if (collection === 'settings') {
    const [only] = targetItems
    for (const match of matches) if (only) Object.assign(match, { target: only, matchedBy: 'key' })
    if (only) taken.add(only)
  } else if (!INTEGER_KEYED.has(collection)) {
    const byId = new Map(targetItems.map((item) => [item['id'], item]))
    for (const match of matches) {
      const found = byId.get(match.base['id'])
      if (found) {
        match.target = found
        match.matchedBy = 'key'
        taken.add(found)
      }
    }
  }

  const naturalOfBase = (item: ConfigItem) => naturalKey(collection, item, base, (ref, key) => table.keys[ref]?.get(key as Key) ?? key)
  const naturalOfTarget = (item: ConfigItem) => naturalKey(collection, item, target, (_ref, key) => key)
  const candidates = groupBy(
    targetItems.filter((item) => !taken.has(item)),
    naturalOfTarget
  )
  const open = matches.filter((match) => !match.target)
  const rivals = groupBy(
    open.map((match) => match.base),
    naturalOfBase
  )
  for (const match of open) {
    const natural = naturalOfBase(match.base)
    const found = candidates.get(natural) ?? []
    const sameOnBase = rivals.get(natural) ?? []
    if (found.length === 1 && sameOnBase.length === 1) {
      match.target = found[0]
      match.matchedBy = 'natural-key'
    } else if (found.length > 0 && sameOnBase[0] === match.base) {
      const names = [
        ...sameOnBase.map((item) => `base ${describeRecord(collection, item, base)}`),
        ...found.map((item) => `target ${describeRecord(collection, item, target)}`)
      ]
      ambiguities.push(`${collection} ${labelOf(collection, match.base, base)}: ${names.join(' and ')}`)
    }
  }

  const matchedTargets = new Set(matches.flatMap((match) => (match.target ? [match.target] : [])))
  table.matches[collection] = matches
  table.unmatched[collection] = targetItems.filter((item) => !matchedTargets.has(item))
  table.keys[collection] = new Map(
    matches.flatMap((match) => {
      const baseKey = match.base['id'] as Key | undefined
      if (baseKey === undefined) return []
      const targetKey = (match.target?.['id'] as Key | undefined) ?? baseKey
      return [[baseKey, targetKey] as [Key, Key]]
    })
  )
}

/** The natural key as canonical text; references go through `mapKey` (base records: to the target's keys). */
export function naturalKey(
  collection: ConfigCollection,
  item: ConfigItem,
  state: ConfigState,
  mapKey: (collection: ConfigCollection, key: unknown) => unknown
): string {
  const ref = (field: string) => {
    const value = item[field]
    const to = REFERENCES[collection]?.[field]
    return value === null || value === undefined || !to ? (value ?? null) : mapKey(to, value)
  }
  switch (collection) {
    case 'folders':
      return canonicalJson(folderPath(item, state))
    case 'policies':
    case 'roles':
    case 'flows':
    case 'dashboards':
      return canonicalJson([item['name'] ?? null])
    case 'access':
      return canonicalJson([ref('role'), item['user'] ?? null, ref('policy')])
    case 'permissions':
      return canonicalJson([ref('policy'), item['collection'] ?? null, item['action'] ?? null])
    case 'operations':
      return canonicalJson([ref('flow'), item['key'] ?? null])
    case 'panels':
      return canonicalJson([ref('dashboard'), item['type'] ?? null, item['position_x'] ?? null, item['position_y'] ?? null])
    case 'presets':
      return canonicalJson([item['collection'] ?? null, item['bookmark'] ?? null, ref('role')])
    case 'translations':
      return canonicalJson([item['language'] ?? null, item['key'] ?? null])
    case 'settings':
      return '[]'
  }
}

/** A folder's names from the root down; a cycle or a missing parent ends the path. */
export function folderPath(item: ConfigItem, state: ConfigState): string[] {
  const byId = new Map((state.items.folders ?? []).map((folder) => [folder['id'], folder]))
  const names: string[] = []
  const seen = new Set<unknown>()
  for (let current: ConfigItem | undefined = item; current && !seen.has(current['id']); current = byId.get(current['parent'])) {
    seen.add(current['id'])
    names.unshift(String(current['name'] ?? ''))
  }
  return names
}

/** How people recognise a record: e.g. `policy "Editors"`, `permission Editors · articles · read`. */
export function describeRecord(collection: ConfigCollection, item: ConfigItem, state: ConfigState): string {
  const name = (ref: ConfigCollection, key: unknown): string => {
    if (key === null || key === undefined) return ref === 'roles' ? 'no role' : 'none'
    const found = state.items[ref]?.find((other) => other['id'] === key)
    return found ? `"${String(found['name'] ?? found['id'])}"` : String(key)
  }
  const id = item['id'] === undefined ? '' : ` (${String(item['id'])})`
  switch (collection) {
    case 'folders':
      return `folder "${folderPath(item, state).join('/')}"${id}`
    case 'policies':
      return `policy "${String(item['name'])}"${id}`
    case 'roles':
      return `role "${String(item['name'])}"${id}`
    case 'flows':
      return `flow "${String(item['name'])}"${id}`
    case 'dashboards':
      return `dashboard "${String(item['name'])}"${id}`
    case 'access':
      return `access of ${item['role'] ? `role ${name('roles', item['role'])}` : 'the public'} to policy ${name('policies', item['policy'])}${id}`
    case 'permissions':
      return `permission ${name('policies', item['policy'])} · ${String(item['collection'])} · ${String(item['action'])}${id}`
    case 'operations':
      return `operation "${String(item['key'])}" of flow ${name('flows', item['flow'])}${id}`
    case 'panels':
      return `panel ${String(item['type'])}${item['name'] ? ` "${String(item['name'])}"` : ''} at ${String(item['position_x'])},${String(item['position_y'])} of dashboard ${name('dashboards', item['dashboard'])}${id}`
    case 'presets':
      return `preset ${item['bookmark'] ? `"${String(item['bookmark'])}"` : '(default)'} of ${String(item['collection'])} for ${item['role'] ? `role ${name('roles', item['role'])}` : 'everyone'}${id}`
    case 'translations':
      return `translation ${String(item['language'])} · ${String(item['key'])}${id}`
    case 'settings':
      return 'settings'
  }
}

/** The record as the report names it, without its key: `policy "Editors"`. */
export function labelOf(collection: ConfigCollection, item: ConfigItem, state: ConfigState): string {
  return describeRecord(collection, { ...item, id: undefined }, state)
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    groups.set(key, [...(groups.get(key) ?? []), item])
  }
  return groups
}
