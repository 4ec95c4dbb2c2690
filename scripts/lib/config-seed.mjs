// Configuration seeds for tests of configuration promotion (issue #11): two variants created independently
// through the API, so their records have different ids and only natural keys (names, flow + key, …) match.
// Everything stays within an unlicensed 12.x: inactive flows, permissions with fields ["*"] and no rules.
import { randomUUID } from 'node:crypto'
import { directusRequest } from './seed.mjs'

/** The value of the Authorization header of the base's request operation: a secret every channel must hide. */
export const BASE_SECRET = 'Bearer base-secret-7f3a9c'
export const TARGET_SECRET = 'Bearer target-secret-2b8e41'

/**
 * @param {string} url @param {string} token @param {'base' | 'target'} variant
 * @returns {Promise<Record<string, string>>} ids of the records created, by a short name
 */
export async function seedConfig(url, token, variant) {
  const post = (path, body) => directusRequest(url, token, 'POST', path, body)
  const patch = (path, body) => directusRequest(url, token, 'PATCH', path, body)
  const ids = {}
  const isBase = variant === 'base'

  ids.editorsPolicy = (await post('/policies', { name: 'Editors', icon: 'edit', app_access: true, admin_access: false, description: isBase ? 'Edit content' : 'old' })).id
  ids.editorsRole = (await post('/roles', { name: 'Editors', icon: 'edit' })).id
  await post('/access', { role: ids.editorsRole, policy: ids.editorsPolicy })
  await post('/permissions', { policy: ids.editorsPolicy, collection: 'directus_files', action: 'read', fields: ['*'] })
  if (isBase) {
    ids.auditorsPolicy = (await post('/policies', { name: 'Auditors', icon: 'policy', app_access: false, admin_access: false })).id
    ids.seniorRole = (await post('/roles', { name: 'Senior Editors', parent: ids.editorsRole })).id
    await post('/access', { role: ids.seniorRole, policy: ids.auditorsPolicy })
    await post('/permissions', [
      { policy: ids.editorsPolicy, collection: 'directus_files', action: 'create', fields: ['*'] },
      { policy: ids.auditorsPolicy, collection: 'directus_activity', action: 'read', fields: ['*'] }
    ])
  } else {
    await post('/permissions', { policy: ids.editorsPolicy, collection: 'directus_users', action: 'read', fields: ['*'] })
    ids.legacyPolicy = (await post('/policies', { name: 'Legacy', app_access: true })).id
    ids.legacyRole = (await post('/roles', { name: 'Legacy' })).id
    await post('/access', { role: ids.legacyRole, policy: ids.legacyPolicy })
  }

  ids.parentFolder = (await post('/folders', { name: 'Automations' })).id
  ids.childFolder = (await post('/folders', { name: isBase ? 'Publishing' : 'Old', parent: ids.parentFolder })).id
  // `folder` exists on 12.x only (migration 20260818A-add-flow-folders); 11.x ignores it (F2).
  ids.publishFlow = (await post('/flows', { name: 'Publish', trigger: 'manual', status: 'inactive', folder: ids.parentFolder, options: { collections: ['directus_files'] } })).id
  const operation = (body) => post('/operations', { flow: ids.publishFlow, position_x: 19, position_y: 1, ...body })
  const request = {
    method: 'POST',
    url: isBase ? 'https://hooks.example.com/base' : 'https://hooks.example.com/target',
    headers: [{ header: 'Authorization', value: isBase ? BASE_SECRET : TARGET_SECRET }]
  }
  ids.notify = (await operation({ name: 'Notify', key: 'notify', type: 'request', position_x: 37, options: request })).id
  if (isBase) {
    ids.logFailure = (await operation({ name: 'Log failure', key: 'log_failure', type: 'log', position_y: 19, options: { message: 'publish failed' } })).id
    ids.check = (await operation({ name: 'Check', key: 'check', type: 'condition', options: { filter: { status: { _eq: 'published' } } }, resolve: ids.notify, reject: ids.logFailure })).id
  } else {
    ids.oldStep = (await operation({ name: 'Old step', key: 'old_step', type: 'log', position_y: 19, options: { message: 'old' } })).id
    ids.check = (await operation({ name: 'Check', key: 'check', type: 'condition', options: { filter: { status: { _eq: 'draft' } } }, resolve: ids.oldStep, reject: ids.notify })).id
  }
  await patch(`/flows/${ids.publishFlow}`, { operation: ids.check })
  if (isBase) {
    ids.nightlyFlow = (await post('/flows', { name: 'Nightly', trigger: 'schedule', status: 'inactive', options: { cron: '0 3 * * *' } })).id
    ids.runPublish = (await post('/operations', { flow: ids.nightlyFlow, name: 'Run publish', key: 'run_publish', type: 'trigger', position_x: 19, position_y: 1, options: { flow: ids.publishFlow, iterationMode: 'serial' } })).id
    await patch(`/flows/${ids.nightlyFlow}`, { operation: ids.runPublish })
  }

  ids.dashboard = (await post('/dashboards', { name: 'Overview', icon: 'dashboard' })).id
  await post('/panels', { dashboard: ids.dashboard, type: 'metric', position_x: 1, position_y: 1, width: 12, height: 6, show_header: true, name: isBase ? 'Files' : null, options: { collection: 'directus_files', function: 'count', field: 'id' } })
  if (!isBase) await post('/panels', { dashboard: ids.dashboard, type: 'label', position_x: 13, position_y: 1, width: 6, height: 6, options: { text: 'old' } })

  await post('/presets', { collection: 'directus_files', bookmark: 'Images', layout: 'cards', layout_query: { cards: { sort: ['-uploaded_on'] } }, filter: { type: { _starts_with: 'image' } } })
  if (isBase) await post('/presets', { collection: 'directus_files', bookmark: null, role: ids.editorsRole, layout: 'tabular' })
  await post('/translations', { language: 'en-US', key: 'greeting', value: isBase ? 'Hello' : 'Hi' })
  if (isBase) await post('/translations', { language: 'de-DE', key: 'greeting', value: 'Hallo' })


  await patch('/settings', { project_name: isBase ? 'Promoted' : 'Target', project_color: isBase ? '#6644FF' : '#111111', project_url: isBase ? 'https://base.example.com' : 'https://target.example.com' })
  return ids
}

/**
 * A permission with custom rules (restricted fields, a filter, a validation, presets): what 11.x and a licensed
 * 12.x hold, and an unlicensed 12.x refuses (403 RESOURCE_RESTRICTED) and hides. Add a policy to create it.
 */
export const RICH_PERMISSION = Object.freeze({
  collection: 'directus_users',
  action: 'update',
  fields: ['first_name', 'last_name'],
  permissions: { id: { _eq: '$CURRENT_USER' } },
  validation: { first_name: { _nnull: true } },
  presets: { language: 'en-US' }
})

/** The configuration of `npm run bench` (issue #11): more than an unlicensed 12.x holds, so seed it into 11.x. */
export const LARGE_CONFIG = Object.freeze({ policies: 40, permissionsPerPolicy: 10, flows: 30, operationsPerFlow: 5, dashboards: 10, translations: 200, presets: 50 })

/**
 * Seeds LARGE_CONFIG in a few batched requests (arrays): policies with 10 permissions each, inactive flows whose
 * operations form a chain (created from its end, so each `resolve` exists), dashboards with two panels, translations
 * and global bookmarks. Ids are generated here so that one request can refer to the records of the one before.
 * @param {string} url @param {string} token
 */
export async function seedLargeConfig(url, token) {
  const post = (path, body) => directusRequest(url, token, 'POST', path, body)
  const range = (count) => Array.from({ length: count }, (_, index) => index)
  const pad = (index) => String(index).padStart(3, '0')
  const collections = ['directus_files', 'directus_folders', 'directus_activity', 'directus_users', 'directus_roles']
  const actions = ['read', 'create']

  const policies = range(LARGE_CONFIG.policies).map((index) => ({ id: randomUUID(), name: `Policy ${pad(index)}`, icon: 'policy', app_access: index % 2 === 0, admin_access: false }))
  await post('/policies', policies)
  await post(
    '/permissions',
    policies.flatMap((policy) => collections.flatMap((collection) => actions.map((action) => ({ policy: policy.id, collection, action, fields: ['*'] }))))
  )

  const flows = range(LARGE_CONFIG.flows).map((index) => ({ id: randomUUID(), name: `Flow ${pad(index)}`, trigger: 'manual', status: 'inactive', options: { collections: ['directus_files'] } }))
  await post('/flows', flows)
  const operations = flows.flatMap((flow) => {
    const chain = range(LARGE_CONFIG.operationsPerFlow).map((step) => ({ id: randomUUID(), flow: flow.id, name: `Step ${step}`, key: `step_${step}`, type: 'log', position_x: 19 + step * 18, position_y: 1, options: { message: `step ${step}` } }))
    // From the end of the chain: each operation's `resolve` is already created when it is.
    return chain.map((operation, step) => ({ ...operation, resolve: chain[step + 1]?.id ?? null })).reverse()
  })
  await post('/operations', operations)
  for (const flow of flows) {
    const first = operations.find((operation) => operation.flow === flow.id && operation.key === 'step_0')
    await directusRequest(url, token, 'PATCH', `/flows/${flow.id}`, { operation: first.id })
  }

  const dashboards = range(LARGE_CONFIG.dashboards).map((index) => ({ id: randomUUID(), name: `Dashboard ${pad(index)}`, icon: 'dashboard' }))
  await post('/dashboards', dashboards)
  await post(
    '/panels',
    dashboards.flatMap((dashboard) => [
      { dashboard: dashboard.id, type: 'metric', position_x: 1, position_y: 1, width: 12, height: 6, show_header: true, name: 'Files', options: { collection: 'directus_files', function: 'count', field: 'id' } },
      { dashboard: dashboard.id, type: 'label', position_x: 13, position_y: 1, width: 6, height: 6, options: { text: dashboard.name } }
    ])
  )
  await post('/translations', range(LARGE_CONFIG.translations).map((index) => ({ language: index % 2 ? 'de-DE' : 'en-US', key: `key_${pad(index >> 1)}`, value: `Text ${index}` })))
  await post('/presets', range(LARGE_CONFIG.presets).map((index) => ({ collection: 'directus_files', bookmark: `Bookmark ${pad(index)}`, layout: 'tabular', filter: { filesize: { _gt: index } } })))
}
