/**
 * The configuration plan (issue #11): the base's records, matched to the
 * target's (identity.ts), references rewritten to the target's keys, compared
 * field by field (diff.ts, secrets kept), overrides applied, and turned into
 * batches in apply order (order.ts), with the digest the record seals and the
 * fingerprints apply checks (fingerprint.ts).
 */
import type { DiffMode } from '../../directus/schema.js'
import { ExpectedError } from '../errors.js'
import { canonicalJson } from '../json.js'
import { planField, type SecretRules } from './diff.js'
import { comparedFields, INTEGER_KEYED, plannedCollections, referencedCollections } from './fields.js'
import { configDigest, planFingerprints } from './fingerprint.js'
import { labelOf, matchConfig, type Key, type MatchTable } from './identity.js'
import { findLockout } from './lockout.js'
import type {
  AdminIdentity,
  ConfigCollection,
  ConfigItem,
  ConfigLimit,
  ConfigOperation,
  ConfigPart,
  ConfigPlan,
  ConfigState,
  CreateOperation,
  DeleteOperation,
  FieldChange,
  UpdateOperation
} from './model.js'
import { orderBatches } from './order.js'
import { configRisks } from './risks.js'
import { resolveOverrides, type ConfigOverrides, type ResolvedOverride } from './overrides.js'
import { formatPath, withValueAt } from './secrets.js'

export type { AdminIdentity }

export interface ConfigPlanOptions {
  parts: readonly ConfigPart[]
  mode: DiffMode
  overrides?: ConfigOverrides
  env: Readonly<Record<string, string | undefined>>
  /** A keyed hash (keyed by the record key): the digest seals secrets only this way. */
  secretHash: (value: unknown) => string
  /** Who apply runs as on the target: plans that would take its admin access away are marked (lockout). */
  identity?: AdminIdentity
}

/** References between records, rewritten to the target's keys. */
export const REFERENCES: Partial<Record<ConfigCollection, Readonly<Record<string, ConfigCollection>>>> = {
  folders: { parent: 'folders' },
  roles: { parent: 'roles' },
  access: { role: 'roles', policy: 'policies' },
  permissions: { policy: 'policies' },
  flows: { operation: 'operations', folder: 'folders' },
  operations: { resolve: 'operations', reject: 'operations', flow: 'flows' },
  panels: { dashboard: 'dashboards' },
  presets: { role: 'roles' }
}

export class ConfigPlanError extends ExpectedError {
  override name = 'ConfigPlanError'
}

export function planConfig(base: ConfigState, target: ConfigState, options: ConfigPlanOptions): ConfigPlan {
  const collections = plannedCollections(options.parts)
  const referenced = referencedCollections(options.parts)
  const table = matchConfig(base, target, [...collections, ...referenced])
  checkReferencedRecords(table, referenced, base)
  const compared: Partial<Record<ConfigCollection, readonly string[]>> = {}
  for (const collection of collections) compared[collection] = comparedFields(collection, base.version, target.version, options.parts)
  const overrides = options.overrides
    ? resolveOverrides(options.overrides, base, table, compared, options.env)
    : new Map<ConfigItem, ResolvedOverride[]>()
  // Referenced only: the fingerprint covers the names matching relied on.
  for (const collection of referenced) compared[collection] = ['name']

  const operations: ConfigOperation[] = []
  for (const collection of collections) {
    const fields = compared[collection] ?? []
    for (const match of table.matches[collection] ?? []) {
      const rewritten = rewrite(collection, match.base, table, fields)
      const { desired, rules } = withOverrides(collection, rewritten, overrides.get(match.base) ?? [])
      if (match.target) {
        const update = planUpdate(collection, match.target, desired, fields, rules)
        if (update) operations.push({ ...update, matchedBy: match.matchedBy ?? 'key', label: labelOf(collection, match.target, target) })
      } else {
        const key = INTEGER_KEYED.has(collection) ? undefined : (match.base['id'] as Key)
        operations.push(planCreate(collection, key, desired, fields, rules, labelOf(collection, match.base, base)))
      }
    }
    if (options.mode === 'mirror') {
      for (const item of table.unmatched[collection] ?? []) {
        const remove: DeleteOperation = {
          collection,
          kind: 'delete',
          key: item['id'] as Key,
          label: labelOf(collection, item, target),
          before: item
        }
        operations.push(remove)
      }
    }
  }
  const withLicence =
    target.entitlements?.customPermissionRules === false
      ? operations.map((operation) => sendPermissionFields(operation, target))
      : operations
  const batches = orderBatches(withLicence, target)
  const plan: ConfigPlan = {
    parts: options.parts,
    mode: options.mode,
    batches,
    digest: configDigest(batches, options.secretHash),
    fingerprints: [],
    risks: configRisks(withLicence, base, target),
    destructive: withLicence.some(
      (operation) => operation.kind === 'delete' && ['policies', 'roles', 'flows'].includes(operation.collection)
    ),
    limits: [...target.limits, ...licenceLimits(withLicence, target)],
    related: relatedRecords(withLicence, target),
    compared
  }
  const lockout = options.identity && collections.includes('policies') ? findLockout(options.identity, target, plan) : undefined
  return { ...plan, fingerprints: planFingerprints(target, plan, options.secretHash), ...(lockout ? { lockout } : {}) }
}

/** The base's record in the target's terms: compared fields only, references rewritten. */
function rewrite(collection: ConfigCollection, item: ConfigItem, table: MatchTable, fields: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  const references = REFERENCES[collection] ?? {}
  for (const field of fields) {
    const value = item[field] ?? null
    const to = references[field]
    record[field] = to && value !== null ? mapKey(table, to, value) : value
  }
  // References inside options that nothing checks (F1): a trigger operation runs another flow by id
  // (options.flow); an item operation runs with a role's permissions (options.permissions, unless $trigger,
  // $public or $full), mapped when the roles were read.
  const options = record['options']
  if (collection === 'operations' && typeof options === 'object' && options !== null) {
    const { flow, permissions } = options as Record<string, unknown>
    if (record['type'] === 'trigger' && typeof flow === 'string') record['options'] = { ...options, flow: mapKey(table, 'flows', flow) }
    if (String(record['type']).startsWith('item-') && typeof permissions === 'string' && !permissions.startsWith('$')) {
      record['options'] = { ...options, permissions: mapKey(table, 'roles', permissions) }
    }
  }
  return record
}

function mapKey(table: MatchTable, collection: ConfigCollection, key: unknown): unknown {
  return table.keys[collection]?.get(key as Key) ?? key
}

function withOverrides(collection: ConfigCollection, record: Record<string, unknown>, overrides: readonly ResolvedOverride[]) {
  let desired: Record<string, unknown> = record
  const overridden = new Set<string>()
  const fromEnvironment = new Set<string>()
  for (const override of overrides) {
    desired = withValueAt(desired, override.path, override.value) as Record<string, unknown>
    overridden.add(formatPath(override.path))
    if (override.fromEnvironment) fromEnvironment.add(formatPath(override.path))
  }
  const rules: SecretRules = { collection, overridden, fromEnvironment }
  return { desired, rules }
}

function planUpdate(
  collection: ConfigCollection,
  current: ConfigItem,
  desired: Record<string, unknown>,
  fields: readonly string[],
  rules: SecretRules
): Omit<UpdateOperation, 'matchedBy' | 'label'> | undefined {
  const values: Record<string, unknown> = {}
  const changes: FieldChange[] = []
  for (const field of fields) {
    const planned = planField(field, current[field], desired[field], rules)
    if (planned.changed) values[field] = planned.value
    changes.push(...planned.changes)
  }
  // Only kept secrets differing is no change: nothing would be sent.
  if (Object.keys(values).length === 0) return undefined
  return { collection, kind: 'update', key: (current['id'] ?? 1) as Key, values, changes, before: current }
}

/** A create carries the base's uuid over (B1), so later promotions match it by key; integer keys are the target's to give. */
function planCreate(
  collection: ConfigCollection,
  key: Key | undefined,
  desired: Record<string, unknown>,
  fields: readonly string[],
  rules: SecretRules,
  label: string
): CreateOperation {
  const values: Record<string, unknown> = {}
  const changes: FieldChange[] = []
  for (const field of fields) {
    const planned = planField(field, undefined, desired[field], rules)
    values[field] = planned.value
    if (planned.value !== null) changes.push(...planned.changes)
  }
  return {
    collection,
    kind: 'create',
    ...(key === undefined ? {} : { key }),
    label,
    values: key === undefined ? values : { id: key, ...values },
    changes
  }
}

/**
 * A preset's role is mapped even when access is not promoted: the role must
 * then exist on the target already.
 */
function checkReferencedRecords(table: MatchTable, referenced: readonly ConfigCollection[], base: ConfigState): void {
  if (!referenced.includes('roles')) return
  const roles = table.matches.roles ?? []
  const missing = new Set(roles.filter((match) => !match.target).map((match) => match.base['id']))
  const presets = (base.items.presets ?? []).filter((preset) => missing.has(preset['role']))
  if (presets.length > 0) {
    const names = presets.map((preset) => labelOf('presets', preset, base))
    throw new ConfigPlanError(
      `${names.join(', ')} belong to roles the target does not have: promote access too, or create the roles on the target`
    )
  }
}

/**
 * An unlicensed 12.x refuses a permission write whose body lacks
 * `fields: ["*"]` (docs/directus-config-facts.md D1): updates send the fields too.
 */
function sendPermissionFields(operation: ConfigOperation, target: ConfigState): ConfigOperation {
  if (operation.collection !== 'permissions' || operation.kind !== 'update' || 'fields' in operation.values) return operation
  const current = target.items.permissions?.find((item) => item['id'] === operation.key)
  return { ...operation, values: { ...operation.values, fields: current?.['fields'] ?? null } }
}

/** What an unlicensed 12.x target will refuse, said before apply (D1, D4). */
function licenceLimits(operations: readonly ConfigOperation[], target: ConfigState): ConfigLimit[] {
  const limits: ConfigLimit[] = []
  if (target.entitlements?.customPermissionRules === false) {
    const refused = operations.filter(
      (operation): operation is CreateOperation | UpdateOperation =>
        operation.collection === 'permissions' &&
        (operation.kind === 'create' || operation.kind === 'update') &&
        hasCustomRules({ ...operation.before, ...operation.values })
    )
    if (refused.length > 0) {
      limits.push({
        collection: 'permissions',
        text: `the target has no licence for custom permission rules and will refuse ${refused.length} of the permission writes (403 RESOURCE_RESTRICTED): ${refused.map((operation) => operation.label).join(', ')}`
      })
    }
  }
  const allowed = target.entitlements?.activeFlows
  if (allowed !== undefined) {
    const active = activeFlowsAfter(operations, target)
    if (active > allowed) {
      limits.push({
        collection: 'flows',
        text: `the plan leaves ${active} active flows; the target's licence allows ${allowed} (403 LIMIT_EXCEEDED)`
      })
    }
  }
  return limits
}

/** D1: fields without "*", a filter, a validation or presets. */
export function hasCustomRules(permission: Readonly<Record<string, unknown>>): boolean {
  const fields = permission['fields']
  const nonEmpty = (value: unknown) =>
    value !== null && value !== undefined && canonicalJson(value) !== '{}' && canonicalJson(value) !== '[]'
  return (
    !(Array.isArray(fields) && fields.includes('*')) ||
    nonEmpty(permission['permissions']) ||
    nonEmpty(permission['validation']) ||
    nonEmpty(permission['presets'])
  )
}

function activeFlowsAfter(operations: readonly ConfigOperation[], target: ConfigState): number {
  const status = new Map((target.items.flows ?? []).map((flow) => [flow['id'], flow['status']]))
  for (const operation of operations) {
    if (operation.collection !== 'flows') continue
    if (operation.kind === 'delete') status.delete(operation.key)
    else if (operation.kind === 'create') status.set(operation.key, operation.values['status'] ?? 'active')
    else if (operation.kind === 'update' && 'status' in operation.values) status.set(operation.key, operation.values['status'])
  }
  return [...status.values()].filter((value) => value === 'active').length
}

/** Target records the report names but the plan leaves alone: the policy of a permission, a changed flow's other operations. */
function relatedRecords(operations: readonly ConfigOperation[], target: ConfigState): Partial<Record<ConfigCollection, ConfigItem[]>> {
  const wanted = new Map<ConfigCollection, Set<unknown>>()
  const want = (collection: ConfigCollection, key: unknown) => {
    if (key === null || key === undefined) return
    wanted.set(collection, (wanted.get(collection) ?? new Set()).add(key))
  }
  for (const operation of operations) {
    const record = { ...operation.before, ...(operation.kind === 'create' || operation.kind === 'update' ? operation.values : {}) }
    for (const [field, to] of Object.entries(REFERENCES[operation.collection] ?? {})) want(to, record[field])
    // A flow is shown with its whole chain: the operations around a changed one, and those of a changed flow.
    const flow = operation.collection === 'operations' ? record['flow'] : operation.collection === 'flows' ? record['id'] : undefined
    if (flow !== undefined) {
      for (const item of target.items.operations ?? []) if (item['flow'] === flow) want('operations', item['id'])
    }
  }
  const related: Partial<Record<ConfigCollection, ConfigItem[]>> = {}
  for (const [collection, keys] of wanted) {
    const found = (target.items[collection] ?? []).filter((item) => keys.has(item['id']))
    if (found.length > 0) related[collection] = found
  }
  return related
}
