/**
 * Escalations in a configuration plan (issue #11): operations that give people more than they had. They are
 * marked risky in the report and the outputs; they never block the apply (destructive deletes and the lockout
 * guard do that). Pure: the planner passes its operations and both states.
 *
 * The rules, and why each is drawn where it is:
 * - `admin-access` / `app-access`: a policy created with the flag on, or updated from off to on. Also an access
 *   row that links a role or user to a policy that has the flag (after the plan): linking is how a policy
 *   reaches people, so a new link to the admin policy is as much an escalation as the flag itself.
 * - `system-collection`: a new permission on a `directus_*` collection. System collections hold users, roles,
 *   policies, settings and files: access to them is access to the access model. Updates are left to the
 *   filter rule: the permission's natural key (policy, collection, action) cannot change in an update.
 * - `public-access`: a new permission on the public policy, or a new link of a policy to the public (an access row
 *   with no role and no user): both give what they grant to everyone, without signing in.
 * - `filter-widened`: a permission's item filter (`permissions`) or its `validation` goes from a restricting
 *   rule to none (`null` or `{}`, which Directus reads alike: every item, any value). Also a permission
 *   created without a filter for a collection and action that the target grants so far only with filters
 *   (on any policy, not counting those the plan deletes): it departs from how the target restricts that
 *   data. A create without a filter where the target has no rule, or an unfiltered one, is the ordinary way
 *   to grant access and is not flagged, or every new permission would be "risky" and none would stand out.
 *   A filter replaced by another non-empty filter is not judged (no rule can tell wider from narrower in
 *   general); the report shows the change.
 */
import { PUBLIC_POLICY_ID, type ConfigItem, type ConfigOperation, type ConfigRisk, type ConfigRiskKind, type ConfigState } from './model.js'

type PolicyFlag = 'admin_access' | 'app_access'

const FLAG_RISKS: Record<PolicyFlag, { kind: ConfigRiskKind; grants: string }> = {
  admin_access: { kind: 'admin-access', grants: 'admin access (everything, on every collection)' },
  app_access: { kind: 'app-access', grants: 'app access (the Data Studio)' }
}

const RULE_FIELDS = ['permissions', 'validation'] as const
const RULE_WORDS: Record<(typeof RULE_FIELDS)[number], string> = { permissions: 'item filter', validation: 'validation' }

export function configRisks(operations: readonly ConfigOperation[], _base: ConfigState, target: ConfigState): ConfigRisk[] {
  const targetItems = new TargetIndex(target)
  const policiesAfter = policyFlagsAfter(operations, targetItems)
  const deletedPermissions = new Set(
    operations
      .filter((operation) => operation.collection === 'permissions' && operation.kind === 'delete')
      .map((operation) => keyOf(operation.key))
  )
  const risks: ConfigRisk[] = []
  for (const operation of operations) {
    if (operation.kind !== 'create' && operation.kind !== 'update') continue
    const before = operation.kind === 'update' ? (targetItems.find(operation.collection, operation.key) ?? operation.before) : undefined
    const after = { ...before, ...operation.values }
    switch (operation.collection) {
      case 'policies':
        for (const flag of Object.keys(FLAG_RISKS) as PolicyFlag[]) {
          if (after[flag] === true && before?.[flag] !== true) {
            const { kind, grants } = FLAG_RISKS[flag]
            const how = operation.kind === 'create' ? 'is created with' : 'gets'
            risks.push({ kind, subject: operation.label, text: `${how} ${grants}: everyone it is linked to has it` })
          }
        }
        break
      case 'access': {
        const policyChanged = operation.kind === 'create' || (before !== undefined && before['policy'] !== after['policy'])
        if (policyChanged && isPublicLink(after)) {
          risks.push({
            kind: 'public-access',
            subject: operation.label,
            text: 'links a policy to the public: everyone gets what it grants, without signing in'
          })
        }
        const flags = policyChanged ? policiesAfter.get(keyOf(after['policy'])) : undefined
        for (const flag of Object.keys(FLAG_RISKS) as PolicyFlag[]) {
          if (flags?.[flag] === true) {
            const { kind, grants } = FLAG_RISKS[flag]
            risks.push({ kind, subject: operation.label, text: `links ${whoOf(after)} to a policy with ${grants}` })
          }
        }
        break
      }
      case 'permissions':
        risks.push(...permissionRisks(operation, before, after, targetItems, deletedPermissions))
        break
      default:
        break
    }
  }
  return risks
}

function permissionRisks(
  operation: ConfigOperation & { kind: 'create' | 'update' },
  before: ConfigItem | undefined,
  after: ConfigItem,
  target: TargetIndex,
  deleted: ReadonlySet<string>
): ConfigRisk[] {
  const risks: ConfigRisk[] = []
  const collection = typeof after['collection'] === 'string' ? after['collection'] : ''
  if (operation.kind === 'create' && collection.startsWith('directus_')) {
    risks.push({
      kind: 'system-collection',
      subject: operation.label,
      text: `grants ${String(after['action'])} on the system collection ${collection}, part of who may do what`
    })
  }
  if (operation.kind === 'create' && after['policy'] === PUBLIC_POLICY_ID) {
    risks.push({
      kind: 'public-access',
      subject: operation.label,
      text: `grants ${String(after['action'])} on ${collection} to everyone, without signing in (the public policy)`
    })
  }
  if (operation.kind === 'update' && before !== undefined) {
    for (const field of RULE_FIELDS) {
      if (field in operation.values && restricts(before[field]) && !restricts(after[field])) {
        risks.push({
          kind: 'filter-widened',
          subject: operation.label,
          text: `its ${RULE_WORDS[field]} is removed: it now applies to every item where it was restricted`
        })
      }
    }
  }
  if (operation.kind === 'create' && !restricts(after['permissions'])) {
    const others = target
      .all('permissions')
      .filter((item) => item['collection'] === after['collection'] && item['action'] === after['action'])
      .filter((item) => !deleted.has(keyOf(item['id'])))
    if (others.length > 0 && others.every((item) => restricts(item['permissions']))) {
      risks.push({
        kind: 'filter-widened',
        subject: operation.label,
        text: `allows ${String(after['action'])} on every item of ${collection}, which the target allows so far only with an item filter`
      })
    }
  }
  return risks
}

/** A rule restricts unless it is absent, null or an empty object (Directus reads all three as "no rule"). */
export function restricts(rule: unknown): boolean {
  if (rule === undefined || rule === null) return false
  if (typeof rule === 'object' && !Array.isArray(rule)) return Object.keys(rule).length > 0
  return true
}

/** admin_access and app_access of every policy once the plan is applied: the target's, then the plan's writes. */
function policyFlagsAfter(operations: readonly ConfigOperation[], target: TargetIndex): Map<string, ConfigItem> {
  const flags = new Map<string, ConfigItem>()
  for (const policy of target.all('policies')) flags.set(keyOf(policy['id']), policy)
  for (const operation of operations) {
    if (operation.collection !== 'policies') continue
    const key = keyOf(operation.key ?? (operation.kind === 'create' ? operation.values['id'] : undefined))
    if (operation.kind === 'delete') flags.delete(key)
    else if (operation.kind === 'create' || operation.kind === 'update') flags.set(key, { ...flags.get(key), ...operation.values })
  }
  return flags
}

function isPublicLink(access: ConfigItem): boolean {
  return (access['role'] === null || access['role'] === undefined) && (access['user'] === null || access['user'] === undefined)
}

function whoOf(access: ConfigItem): string {
  if (access['role'] !== null && access['role'] !== undefined) return 'a role'
  if (access['user'] !== null && access['user'] !== undefined) return 'a user'
  return 'the public (no role, no user)'
}

function keyOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

/** The target's records by collection and key. */
class TargetIndex {
  private readonly byKey = new Map<string, ConfigItem>()

  constructor(private readonly state: ConfigState) {
    for (const [collection, items] of Object.entries(state.items)) {
      for (const item of items ?? []) this.byKey.set(`${collection}\u0000${keyOf(item['id'])}`, item)
    }
  }

  find(collection: string, key: string | number): ConfigItem | undefined {
    return this.byKey.get(`${collection}\u0000${keyOf(key)}`)
  }

  all(collection: keyof ConfigState['items']): readonly ConfigItem[] {
    return this.state.items[collection] ?? []
  }
}
