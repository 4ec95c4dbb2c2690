/**
 * The lockout guard (issue #11): apply refuses a plan that would take admin
 * access away from the identity it runs as. Directus guards only the last
 * admin (docs/directus-config-facts.md H1, H2), not the caller. Admin comes
 * from a policy with `admin_access`, linked to the user's role, one of the
 * role's ancestors, or the user itself; `ip_access` can exclude the runner, so
 * a changed `ip_access` on a granting policy counts as losing it.
 */
import { canonicalJson } from '../json.js'
import { simulatePlan } from './fingerprint.js'
import type { AdminIdentity, ConfigPlan, ConfigState } from './model.js'

export function findLockout(identity: AdminIdentity, target: ConfigState, plan: Pick<ConfigPlan, 'batches'>): string | undefined {
  const before = grantingPolicies(identity, target)
  if (before.size === 0) return undefined
  const after = simulatePlan(target, plan.batches)
  const ipAccess = (state: ConfigState, policy: unknown) =>
    canonicalJson(state.items.policies?.find((item) => item['id'] === policy)?.['ip_access'] ?? null)
  const kept = [...grantingPolicies(identity, after)].filter(
    (policy) => !before.has(policy) || ipAccess(target, policy) === ipAccess(after, policy)
  )
  if (kept.length > 0) return undefined
  const chain = new Set(roleChain(identity, target))
  const culprits = plan.batches
    .flatMap((batch) => batch.operations)
    .filter((operation) => {
      if (operation.collection === 'policies') return before.has(operation.key)
      if (operation.collection === 'roles') return chain.has(operation.key)
      if (operation.collection === 'access') return before.has(operation.before?.['policy']) || operation.kind === 'update'
      return false
    })
    .map((operation) => `${operation.kind} ${operation.label}`)
  return (
    `the plan would take admin access away from the user apply runs as on the target (${identity.user}): ` +
    `${culprits.length > 0 ? culprits.join(', ') : 'no policy with admin access would remain linked to it'}. ` +
    'Keep an admin policy linked to that user or its role on the base, or apply as another admin'
  )
}

/** The policies with admin access linked to the identity in `state`. */
export function grantingPolicies(identity: AdminIdentity, state: ConfigState): Set<unknown> {
  const roles = new Set(roleChain(identity, state))
  const linked = new Set<unknown>(identity.userPolicies)
  for (const row of state.items.access ?? []) if (row['role'] !== null && roles.has(row['role'])) linked.add(row['policy'])
  return new Set(
    (state.items.policies ?? [])
      .filter((policy) => linked.has(policy['id']) && policy['admin_access'] === true)
      .map((policy) => policy['id'])
  )
}

/** The identity's role and its ancestors through `parent`, as far as they exist. */
function roleChain(identity: AdminIdentity, state: ConfigState): unknown[] {
  const byId = new Map((state.items.roles ?? []).map((role) => [role['id'], role]))
  const chain: unknown[] = []
  for (let role = byId.get(identity.role); role && !chain.includes(role['id']); role = byId.get(role['parent'])) chain.push(role['id'])
  return chain
}
