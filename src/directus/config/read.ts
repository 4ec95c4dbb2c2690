/**
 * Reads the system collections of the promoted configuration parts
 * (docs/directus-config-facts.md): every page, only the compared data fields
 * (never the alias fields, which are nested writes: B7), global and role
 * presets only, access rows of roles and the public link only (users are out
 * of scope), and the settings allow-list.
 */
import { fieldsOn, plannedCollections, referencedCollections } from '../../core/config/fields.js'
import type {
  AdminIdentity,
  ConfigCollection,
  ConfigEntitlements,
  ConfigItem,
  ConfigLimit,
  ConfigPart,
  ConfigState
} from '../../core/config/model.js'
import { isPlainObject } from '../../core/json.js'
import { DirectusError, type DirectusConnection } from '../client.js'
import { readServerInfo } from '../schema.js'

/** The endpoint of each system collection. */
export const CONFIG_ENDPOINTS: Readonly<Record<ConfigCollection, string>> = {
  folders: '/folders',
  policies: '/policies',
  roles: '/roles',
  access: '/access',
  permissions: '/permissions',
  flows: '/flows',
  operations: '/operations',
  dashboards: '/dashboards',
  panels: '/panels',
  presets: '/presets',
  translations: '/translations',
  settings: '/settings'
}

/** Filters that keep what configuration promotion covers. */
const FILTERS: Partial<Record<ConfigCollection, Record<string, string>>> = {
  // A user's own access rows and presets belong to users, which are not promoted (issue #11).
  access: { 'filter[user][_null]': 'true' },
  presets: { 'filter[user][_null]': 'true' },
  // Drops Directus' synthetic app-minimal rows (D3), which have no id and no policy.
  permissions: { 'filter[policy][_nnull]': 'true' }
}

export async function readConfigState(connection: DirectusConnection, parts: readonly ConfigPart[]): Promise<ConfigState> {
  const { version } = await readServerInfo(connection)
  const entitlements = await readEntitlements(connection)
  const collections = [...plannedCollections(parts), ...referencedCollections(parts)]
  const items: Partial<Record<ConfigCollection, readonly ConfigItem[]>> = {}
  // One at a time: the target of an apply is a production server, and the reads are few.
  for (const collection of collections) {
    const fields = fieldsOn(collection, version)
    items[collection] =
      collection === 'permissions' && !entitlements.customPermissionRules
        ? await readPermissionsThroughPolicies(connection, fields)
        : await readCollection(connection, collection, fields)
  }
  return {
    ...(version ? { version } : {}),
    items,
    limits: limitsOf(entitlements, collections),
    ...(entitlements.customPermissionRules && entitlements.activeFlows === undefined ? {} : { entitlements })
  }
}

async function readCollection(
  connection: DirectusConnection,
  collection: ConfigCollection,
  fields: readonly string[]
): Promise<ConfigItem[]> {
  const path = CONFIG_ENDPOINTS[collection]
  const params = { fields: fields.join(','), ...(collection === 'settings' ? {} : { limit: '-1' }), ...FILTERS[collection] }
  const data = await connection.send<unknown>({ method: 'GET', path, params })
  if (collection === 'settings') {
    if (!isPlainObject(data)) throw unexpected(connection, path, data)
    return [pick(data, fields)]
  }
  if (!Array.isArray(data)) throw unexpected(connection, path, data)
  return data
    .filter((row): row is Record<string, unknown> => isPlainObject(row) && row['id'] !== undefined && row['id'] !== null)
    .map((row) => pick(row, fields))
}

/**
 * An unlicensed 12.x leaves permissions with custom rules out of
 * `GET /permissions` (D2); a nested read through the policies bypasses
 * PermissionsService and shows them all.
 */
async function readPermissionsThroughPolicies(connection: DirectusConnection, fields: readonly string[]): Promise<ConfigItem[]> {
  const params = {
    fields: fields.map((field) => `permissions.${field}`).join(','),
    limit: '-1',
    'deep[permissions][_limit]': '-1'
  }
  const data = await connection.send<unknown>({ method: 'GET', path: '/policies', params })
  if (!Array.isArray(data)) throw unexpected(connection, '/policies', data)
  return data.flatMap((policy) => {
    const permissions = isPlainObject(policy) ? policy['permissions'] : undefined
    return Array.isArray(permissions) ? permissions.filter(isPlainObject).map((row) => pick(row, fields)) : []
  })
}

/**
 * 12.x says what its licence allows on `GET /license` (admin only, D6); 11.x
 * has no licence (404) and no limits.
 */
export async function readEntitlements(connection: DirectusConnection): Promise<ConfigEntitlements> {
  let data: unknown
  try {
    data = await connection.send<unknown>({ method: 'GET', path: '/license' })
  } catch (error) {
    if (error instanceof DirectusError && error.status === 404) return { customPermissionRules: true }
    throw error
  }
  const entitlements = isPlainObject(data) && isPlainObject(data['entitlements']) ? data['entitlements'] : {}
  const rules = entitlements['custom_permission_rules_enabled']
  const flows = entitlements['flows']
  const enabled = isPlainObject(rules) ? (rules['override'] ?? rules['default']) === true : true
  const limit = isPlainObject(flows) ? (flows['override'] ?? flows['limit']) : undefined
  return { customPermissionRules: enabled, ...(typeof limit === 'number' ? { activeFlows: limit } : {}) }
}

function limitsOf(entitlements: ConfigEntitlements, collections: readonly ConfigCollection[]): ConfigLimit[] {
  const limits: ConfigLimit[] = []
  if (!entitlements.customPermissionRules && collections.includes('permissions')) {
    limits.push({
      collection: 'permissions',
      text:
        'this Directus has no licence for custom permission rules: it hides permissions with restricted fields, a filter, ' +
        'a validation or presets from /permissions (read here through /policies instead), and refuses to create or change them'
    })
  }
  if (entitlements.activeFlows !== undefined && collections.includes('flows')) {
    limits.push({ collection: 'flows', text: `this Directus allows ${entitlements.activeFlows} active flows without a licence` })
  }
  return limits
}

function pick(row: Record<string, unknown>, fields: readonly string[]): ConfigItem {
  const picked: Record<string, unknown> = {}
  for (const field of fields) if (field in row) picked[field] = row[field]
  return picked
}

function unexpected(connection: DirectusConnection, path: string, data: unknown): DirectusError {
  const shape = Array.isArray(data) ? 'a list' : data === null ? 'null' : typeof data
  return new DirectusError(connection.side, connection.host, `GET ${path}`, `answered ${shape}, not the records of ${path}`)
}

/** The identity the connection acts as, for the lockout guard (docs/directus-config-facts.md H). */
export async function readAdminIdentity(connection: DirectusConnection): Promise<AdminIdentity> {
  const me = await connection.send<unknown>({ method: 'GET', path: '/users/me', params: { fields: 'id,role' } })
  if (!isPlainObject(me) || typeof me['id'] !== 'string') throw unexpected(connection, '/users/me', me)
  const rows = await connection.send<unknown>({
    method: 'GET',
    path: '/access',
    params: { fields: 'policy', limit: '-1', 'filter[user][_eq]': me['id'] }
  })
  const userPolicies = Array.isArray(rows)
    ? rows.flatMap((row) => (isPlainObject(row) && typeof row['policy'] === 'string' ? [row['policy']] : []))
    : []
  return { user: me['id'], role: typeof me['role'] === 'string' ? me['role'] : null, userPolicies }
}
