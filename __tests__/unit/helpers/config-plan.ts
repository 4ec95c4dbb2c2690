/**
 * Configuration plans for the report's tests, built the way config-core's planner builds them (issue #11) from
 * states captured on live instances (__tests__/fixtures/config/, scripts/capture-config-fixtures.mjs): records
 * matched by natural key, references rewritten to the target's keys, uuids carried over on create, the target's
 * secret kept, only changed fields in an update, deletes in mirror mode. A stand-in until planConfig lands; the
 * renderers only need plans of this shape.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { configRisks } from '../../../src/core/config/risks.js'
import {
  CONFIG_COLLECTIONS,
  PART_COLLECTIONS,
  type ConfigBatch,
  type ConfigCollection,
  type ConfigItem,
  type ConfigOperation,
  type ConfigPart,
  type ConfigPlan,
  type ConfigState,
  type FieldChange
} from '../../../src/core/config/model.js'
import { isSecretPath } from '../../../src/report/config-model.js'

export const CONFIG_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'config')

export function configState(side: 'base' | 'target', version = '11.17.4'): ConfigState {
  return JSON.parse(readFileSync(join(CONFIG_FIXTURES, `${side}.${version}.json`), 'utf8')) as ConfigState
}

type Names = (collection: ConfigCollection, key: unknown) => string

/** The natural key of a record (issue #11), with references named, so it means the same on both instances. */
const NATURAL_KEYS: Record<ConfigCollection, (item: ConfigItem, nameOf: Names) => string> = {
  folders: (item) => String(item['name']),
  policies: (item) => String(item['name']),
  roles: (item) => String(item['name']),
  access: (item, nameOf) => `${nameOf('roles', item['role'])}|${String(item['user'])}|${nameOf('policies', item['policy'])}`,
  permissions: (item, nameOf) => `${nameOf('policies', item['policy'])}|${String(item['collection'])}|${String(item['action'])}`,
  flows: (item) => String(item['name']),
  operations: (item, nameOf) => `${nameOf('flows', item['flow'])}|${String(item['key'])}`,
  dashboards: (item) => String(item['name']),
  panels: (item, nameOf) =>
    `${nameOf('dashboards', item['dashboard'])}|${String(item['type'])}|${String(item['position_x'])}|${String(item['position_y'])}`,
  presets: (item, nameOf) => `${String(item['collection'])}|${String(item['bookmark'])}|${nameOf('roles', item['role'])}`,
  translations: (item) => `${String(item['language'])}|${String(item['key'])}`,
  settings: () => 'settings'
}

/** Fields that name another record: rewritten to the target's key. */
const REFERENCES: Partial<Record<ConfigCollection, Record<string, ConfigCollection>>> = {
  roles: { parent: 'roles' },
  access: { role: 'roles', policy: 'policies' },
  permissions: { policy: 'policies' },
  flows: { operation: 'operations', folder: 'folders' },
  operations: { resolve: 'operations', reject: 'operations', flow: 'flows' },
  panels: { dashboard: 'dashboards' },
  presets: { role: 'roles' },
  folders: { parent: 'folders' }
}

const INTEGER_KEYS: readonly ConfigCollection[] = ['permissions', 'presets', 'settings']

const LABEL_NOUNS: Record<ConfigCollection, string> = {
  folders: 'folder',
  policies: 'policy',
  roles: 'role',
  access: 'access',
  permissions: 'permission',
  flows: 'flow',
  operations: 'operation',
  dashboards: 'dashboard',
  panels: 'panel',
  presets: 'preset',
  translations: 'translation',
  settings: 'settings'
}

export interface FixturePlanOptions {
  parts: readonly ConfigPart[]
  mode: 'merge' | 'mirror'
  lockout?: string
}

export function fixturePlan(base: ConfigState, target: ConfigState, options: FixturePlanOptions): ConfigPlan {
  const collections = CONFIG_COLLECTIONS.filter((collection) => options.parts.some((part) => PART_COLLECTIONS[part].includes(collection)))
  const namer = (state: ConfigState): Names => {
    return (collection, key) => {
      const item = (state.items[collection] ?? []).find((candidate) => candidate['id'] === key)
      if (item === undefined) return String(key)
      return collection === 'operations' ? String(item['key']) : String(item['name'])
    }
  }
  const baseNames = namer(base)
  const targetNames = namer(target)
  // Base key → target key, for every matched record; unmatched uuids carry over.
  const keyMap = new Map<string, unknown>()
  const matches: [ConfigCollection, ConfigItem, ConfigItem | undefined][] = []
  const unmatched: [ConfigCollection, ConfigItem][] = []
  for (const collection of collections) {
    const targetItems = [...(target.items[collection] ?? [])]
    for (const item of base.items[collection] ?? []) {
      const natural = NATURAL_KEYS[collection](item, baseNames)
      const index = targetItems.findIndex((candidate) => NATURAL_KEYS[collection](candidate, targetNames) === natural)
      const found = index === -1 ? undefined : targetItems.splice(index, 1)[0]
      if (found !== undefined) keyMap.set(`${collection}:${String(item['id'])}`, found['id'])
      matches.push([collection, item, found])
    }
    for (const item of targetItems) unmatched.push([collection, item])
  }
  const rewrite = (collection: ConfigCollection, item: ConfigItem): ConfigItem => {
    const references = REFERENCES[collection] ?? {}
    return Object.fromEntries(
      Object.entries(item).map(([field, value]) => {
        const to = references[field]
        if (to === undefined || value === null || value === undefined) return [field, value]
        return [field, keyMap.has(`${to}:${String(value)}`) ? keyMap.get(`${to}:${String(value)}`) : value]
      })
    )
  }
  const operations: ConfigOperation[] = []
  for (const [collection, item, found] of matches) {
    const wanted = rewrite(collection, item)
    const label = labelOf(collection, item, baseNames)
    if (found === undefined) {
      const values = INTEGER_KEYS.includes(collection) ? withoutKey(wanted) : wanted
      const changes = Object.keys(values)
        .filter((field) => isSecretPath(collection, [field]) || hasSecretOption(collection, values[field]))
        .map((path): FieldChange => ({ path, secret: 'changed' }))
      operations.push({
        kind: 'create',
        collection,
        ...(INTEGER_KEYS.includes(collection) ? {} : { key: String(item['id']) }),
        label,
        values,
        changes
      })
      continue
    }
    const { values, changes } = differences(collection, wanted, found)
    if (changes.length === 0) continue
    operations.push({
      kind: 'update',
      collection,
      key: found['id'] as string | number,
      matchedBy: 'natural-key',
      label,
      values,
      changes,
      before: found
    })
  }
  if (options.mode === 'mirror') {
    for (const [collection, item] of unmatched) {
      if (collection === 'settings') continue
      operations.push({
        kind: 'delete',
        collection,
        key: item['id'] as string | number,
        label: labelOf(collection, item, targetNames),
        before: item
      })
    }
  }
  const touched = new Set(operations.map((operation) => `${operation.collection}:${String(operation.key)}`))
  const related = Object.fromEntries(
    collections.map((collection) => [
      collection,
      (target.items[collection] ?? []).filter((item) => !touched.has(`${collection}:${String(item['id'])}`))
    ])
  )
  return {
    parts: options.parts,
    mode: options.mode,
    batches: batchesOf(operations),
    digest: `sha256:${'c'.repeat(64)}`,
    fingerprints: [`sha256:${'f'.repeat(64)}`],
    risks: configRisks(operations, base, target),
    destructive: operations.some(
      (operation) => operation.kind === 'delete' && ['policies', 'roles', 'flows'].includes(operation.collection)
    ),
    ...(options.lockout !== undefined ? { lockout: options.lockout } : {}),
    limits: [...target.limits],
    related
  }
}

function labelOf(collection: ConfigCollection, item: ConfigItem, nameOf: Names): string {
  const noun = LABEL_NOUNS[collection]
  switch (collection) {
    case 'permissions':
      return `${noun} ${nameOf('policies', item['policy'])} · ${String(item['collection'])} · ${String(item['action'])}`
    case 'access':
      return `${noun} role "${nameOf('roles', item['role'])}" ↔ policy "${nameOf('policies', item['policy'])}"`
    case 'operations':
      return `${noun} "${String(item['key'])}" of flow "${nameOf('flows', item['flow'])}"`
    case 'panels':
      return `${noun} "${String(item['name'])}" of dashboard "${nameOf('dashboards', item['dashboard'])}"`
    case 'presets':
      return `${noun} ${String(item['collection'])} · ${item['bookmark'] === null ? 'default' : String(item['bookmark'])} · role "${nameOf('roles', item['role'])}"`
    case 'translations':
      return `${noun} ${String(item['language'])} · ${String(item['key'])}`
    case 'settings':
      return 'settings'
    default:
      return `${noun} "${String(item['name'])}"`
  }
}

function withoutKey(item: ConfigItem): ConfigItem {
  return Object.fromEntries(Object.entries(item).filter(([field]) => field !== 'id'))
}

/** Request options with headers or a URL with credentials: secret as a whole, as the planner treats them. */
function hasSecretOption(collection: ConfigCollection, value: unknown): boolean {
  return (
    collection === 'operations' &&
    typeof value === 'object' &&
    value !== null &&
    ('headers' in value || /:\/\/[^/@]*@/.test(JSON.stringify(value)))
  )
}

/** Changed fields; JSON options compared per key; a secret the target has is kept (left out of the values). */
function differences(collection: ConfigCollection, wanted: ConfigItem, found: ConfigItem): { values: ConfigItem; changes: FieldChange[] } {
  const values: Record<string, unknown> = {}
  const changes: FieldChange[] = []
  for (const [field, after] of Object.entries(wanted)) {
    if (field === 'id') continue
    const before = found[field]
    if (JSON.stringify(before) === JSON.stringify(after)) continue
    // Operation and flow options hold the secrets: compared per key, so one secret key can be kept.
    if (field === 'options' && isPlainObject(before) && isPlainObject(after)) {
      const merged: Record<string, unknown> = { ...before }
      for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue
        const path = `${field}.${key}`
        const secret = isSecretPath(collection, [field, key]) || /:\/\/[^/@]*@/.test(JSON.stringify(after[key] ?? ''))
        if (secret && before[key] !== undefined && before[key] !== null) {
          changes.push({ path, secret: 'kept' })
          continue
        }
        if (after[key] === undefined) delete merged[key]
        else merged[key] = after[key]
        changes.push(secret ? { path, secret: 'changed' } : { path, before: before[key], after: after[key] })
      }
      values[field] = merged
      continue
    }
    if (isSecretPath(collection, [field])) {
      if (before !== undefined && before !== null) changes.push({ path: field, secret: 'kept' })
      else {
        values[field] = after
        changes.push({ path: field, secret: 'changed' })
      }
      continue
    }
    values[field] = after
    changes.push({ path: field, before, after })
  }
  return { values, changes }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function batchesOf(operations: readonly ConfigOperation[]): ConfigBatch[] {
  const batches: ConfigBatch[] = []
  const order = (kind: ConfigOperation['kind']) => (kind === 'delete' ? [...CONFIG_COLLECTIONS].reverse() : CONFIG_COLLECTIONS)
  for (const kind of ['unlink', 'delete', 'create', 'update'] as const) {
    for (const collection of order(kind)) {
      const members = operations.filter((operation) => operation.kind === kind && operation.collection === collection)
      if (members.length > 0) batches.push({ collection, kind, operations: members })
    }
  }
  return batches
}
