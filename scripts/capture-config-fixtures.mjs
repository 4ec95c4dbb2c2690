// Captures configuration states (issue #11) from two live throwaway instances, "base" and "target", whose
// records were created independently (so their keys differ), for the report's golden files and the risk
// tests: __tests__/fixtures/config/<side>.<version>.json, each a ConfigState as src/core/config/model.ts
// defines it ({ version, items, limits }).
//
//   node scripts/capture-config-fixtures.mjs [--version 11.17.4]
//
// 11.17.4 because unlicensed 12.x refuses (and hides) permissions with custom rules (docs/directus-config-facts.md
// D1, D2), and the access matrix is about exactly those. The secrets in the flows are made up for the fixtures.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startDirectus } from './lib/directus-instance.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(root, '__tests__', 'fixtures', 'config')
const { values: args } = parseArgs({ options: { version: { type: 'string', default: '11.17.4' } } })
const log = (message) => process.stderr.write(`[capture-config] ${message}\n`)

/** Like fetch, but throws unless 2xx; returns `data`. */
async function must(inst, method, path, body) {
  const res = await fetch(`${inst.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${inst.adminToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  if (res.status >= 300) throw new Error(`${inst.name}: ${method} ${path} → ${res.status} ${text.slice(0, 400)}`)
  return text ? (JSON.parse(text).data ?? null) : null
}

async function collection(inst, name) {
  await must(inst, 'POST', '/collections', {
    collection: name,
    schema: {},
    meta: {},
    fields: [
      { field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
      { field: 'status', type: 'string', schema: {} },
      { field: 'title', type: 'string', schema: {} },
      { field: 'body', type: 'text', schema: {} }
    ]
  })
}

const FAKE_TOKEN = 'Bearer fixture-token-4f1c2a9e-not-real'
const FAKE_HOOK = 'https://deploy:fixture-pass-77@hooks.example.com/build?token=fixture-query-secret'

/** The base: what the pull request wants. */
async function seedBase(inst) {
  await collection(inst, 'articles')
  await collection(inst, 'comments')
  const editors = await must(inst, 'POST', '/policies', { name: 'Editors', icon: 'edit', app_access: true, admin_access: false })
  const auditors = await must(inst, 'POST', '/policies', { name: 'Auditors', icon: 'visibility', app_access: true, admin_access: true })
  const role = await must(inst, 'POST', '/roles', { name: 'Editorial team', icon: 'group' })
  await must(inst, 'POST', '/access', { role: role.id, policy: editors.id })
  await must(inst, 'POST', '/access', { role: role.id, policy: auditors.id })
  await must(inst, 'POST', '/permissions', [
    { policy: editors.id, collection: 'articles', action: 'create', fields: ['title', 'body', 'status'], presets: { status: 'draft' } },
    { policy: editors.id, collection: 'articles', action: 'read', fields: ['*'], permissions: null },
    { policy: editors.id, collection: 'articles', action: 'update', fields: ['title', 'body'], permissions: { status: { _eq: 'draft' } } },
    { policy: editors.id, collection: 'comments', action: 'read', fields: ['*'], permissions: {} },
    { policy: editors.id, collection: 'directus_users', action: 'read', fields: ['id', 'first_name', 'last_name'] }
  ])
  const flow = await must(inst, 'POST', '/flows', {
    name: 'Publish article',
    icon: 'send',
    status: 'active',
    trigger: 'event',
    accountability: 'all',
    options: { type: 'action', scope: ['items.update'], collections: ['articles'] }
  })
  const log = await must(inst, 'POST', '/operations', {
    flow: flow.id,
    key: 'log_failure',
    name: 'Log failure',
    type: 'log',
    position_x: 37,
    position_y: 19,
    options: { message: 'Build hook failed for {{$trigger.keys}}' }
  })
  const notify = await must(inst, 'POST', '/operations', {
    flow: flow.id,
    key: 'build_hook',
    name: 'Build hook',
    type: 'request',
    position_x: 37,
    position_y: 1,
    options: { method: 'POST', url: FAKE_HOOK, headers: [{ header: 'Authorization', value: FAKE_TOKEN }], body: '{"site":"main"}' }
  })
  const check = await must(inst, 'POST', '/operations', {
    flow: flow.id,
    key: 'is_published',
    name: 'Is published?',
    type: 'condition',
    position_x: 19,
    position_y: 1,
    resolve: notify.id,
    reject: log.id,
    options: { filter: { $trigger: { payload: { status: { _eq: 'published' } } } } }
  })
  await must(inst, 'PATCH', `/flows/${flow.id}`, { operation: check.id })
  await must(inst, 'POST', '/flows', {
    name: 'Nightly cleanup',
    icon: 'schedule',
    status: 'inactive',
    trigger: 'schedule',
    options: { cron: '0 3 * * *' }
  })
  const dashboard = await must(inst, 'POST', '/dashboards', { name: 'Editorial', icon: 'dashboard', note: 'What the desk watches' })
  await must(inst, 'POST', '/panels', {
    dashboard: dashboard.id,
    name: 'Drafts',
    type: 'metric',
    position_x: 1,
    position_y: 1,
    width: 12,
    height: 6,
    options: { collection: 'articles', function: 'count', field: 'id', filter: { status: { _eq: 'draft' } } }
  })
  await must(inst, 'POST', '/presets', { collection: 'articles', role: role.id, layout: 'tabular', layout_query: { tabular: { sort: ['-id'] } } })
  await must(inst, 'POST', '/translations', { language: 'en-US', key: 'publish_hint', value: 'Publish when the desk agrees' })
  await must(inst, 'POST', '/translations', { language: 'de-DE', key: 'publish_hint', value: 'Veröffentlichen, wenn der Desk zustimmt' })
  await must(inst, 'POST', '/folders', { name: 'Press kit' })
  await must(inst, 'PATCH', '/settings', { project_name: 'Newsroom', project_color: '#6644FF', mapbox_key: 'pk.fixture-mapbox-secret' })
}

/** The target: made on its own, so it matches the base only by natural keys. */
async function seedTarget(inst) {
  await collection(inst, 'articles')
  await collection(inst, 'comments')
  const editors = await must(inst, 'POST', '/policies', { name: 'Editors', icon: 'edit', app_access: false, admin_access: false })
  const legacy = await must(inst, 'POST', '/policies', { name: 'Legacy import', icon: 'history', app_access: false, admin_access: false })
  const readers = await must(inst, 'POST', '/policies', { name: 'Readers', icon: 'menu_book', app_access: false, admin_access: false })
  const role = await must(inst, 'POST', '/roles', { name: 'Editorial team', icon: 'group' })
  await must(inst, 'POST', '/access', { role: role.id, policy: editors.id })
  await must(inst, 'POST', '/access', { role: role.id, policy: legacy.id })
  await must(inst, 'POST', '/permissions', [
    { policy: editors.id, collection: 'articles', action: 'read', fields: ['*'], permissions: { status: { _eq: 'published' } } },
    { policy: editors.id, collection: 'articles', action: 'update', fields: ['title'], permissions: { status: { _eq: 'draft' } } },
    { policy: editors.id, collection: 'articles', action: 'delete', fields: ['*'] },
    { policy: editors.id, collection: 'comments', action: 'read', fields: ['*'], permissions: { status: { _eq: 'visible' } } },
    { policy: readers.id, collection: 'comments', action: 'read', fields: ['*'], permissions: { status: { _eq: 'visible' } } },
    { policy: legacy.id, collection: 'articles', action: 'create', fields: ['*'] }
  ])
  const flow = await must(inst, 'POST', '/flows', {
    name: 'Publish article',
    icon: 'send',
    status: 'inactive',
    trigger: 'event',
    accountability: 'all',
    options: { type: 'action', scope: ['items.create'], collections: ['articles'] }
  })
  const notify = await must(inst, 'POST', '/operations', {
    flow: flow.id,
    key: 'build_hook',
    name: 'Build hook',
    type: 'request',
    position_x: 19,
    position_y: 1,
    options: {
      method: 'POST',
      url: 'https://deploy:other-target-pass@hooks.example.com/build',
      headers: [{ header: 'Authorization', value: 'Bearer target-token-kept-not-real' }]
    }
  })
  await must(inst, 'PATCH', `/flows/${flow.id}`, { operation: notify.id })
  await must(inst, 'POST', '/flows', { name: 'Old webhook', icon: 'webhook', status: 'active', trigger: 'webhook', options: { method: 'GET' } })
  const dashboard = await must(inst, 'POST', '/dashboards', { name: 'Editorial', icon: 'space_dashboard', note: 'What the desk watches' })
  await must(inst, 'POST', '/panels', {
    dashboard: dashboard.id,
    name: 'Drafts',
    type: 'metric',
    position_x: 1,
    position_y: 1,
    width: 8,
    height: 6,
    options: { collection: 'articles', function: 'count', field: 'id' }
  })
  await must(inst, 'POST', '/translations', { language: 'en-US', key: 'publish_hint', value: 'Publish when ready' })
  await must(inst, 'POST', '/translations', { language: 'en-US', key: 'old_hint', value: 'No longer used' })
  await must(inst, 'PATCH', '/settings', { project_name: 'Newsroom (staging)', project_color: '#6644FF', mapbox_key: 'pk.target-mapbox-secret' })
}

const READS = {
  policies: '/policies?limit=-1&fields=id,name,icon,description,ip_access,enforce_tfa,admin_access,app_access&sort=name',
  roles: '/roles?limit=-1&fields=id,name,icon,description,parent&sort=name',
  access: '/access?limit=-1&fields=id,role,user,policy,sort',
  permissions: '/permissions?limit=-1&filter[policy][_nnull]=true&fields=id,collection,action,permissions,validation,presets,fields,policy&sort=id',
  flows: '/flows?limit=-1&fields=id,name,icon,color,description,status,trigger,accountability,options,operation&sort=name',
  operations: '/operations?limit=-1&fields=id,name,key,type,position_x,position_y,options,resolve,reject,flow&sort=key',
  dashboards: '/dashboards?limit=-1&fields=id,name,icon,note,color&sort=name',
  panels: '/panels?limit=-1&fields=id,dashboard,name,icon,color,show_header,note,type,position_x,position_y,width,height,options',
  presets: '/presets?limit=-1&filter[user][_null]=true&fields=id,bookmark,user,role,collection,search,layout,layout_query,layout_options,refresh_interval,filter,icon,color',
  translations: '/translations?limit=-1&fields=id,language,key,value&sort=key,language',
  folders: '/folders?limit=-1&fields=id,name,parent&sort=name',
  settings: '/settings?fields=id,project_name,project_color,mapbox_key'
}

async function readState(inst) {
  const items = {}
  for (const [collectionName, path] of Object.entries(READS)) {
    const data = await must(inst, 'GET', path)
    items[collectionName] = Array.isArray(data) ? data : [data]
  }
  return { version: inst.version, items, limits: [] }
}

mkdirSync(OUT, { recursive: true })
for (const [side, seed] of [
  ['base', seedBase],
  ['target', seedTarget]
]) {
  const inst = await startDirectus({ version: args.version, name: `capture-config-${side}`, log })
  try {
    await seed(inst)
    const state = await readState(inst)
    const file = join(OUT, `${side}.${args.version}.json`)
    writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`)
    log(`${side}: ${Object.entries(state.items).map(([name, list]) => `${name} ${list.length}`).join(', ')} → ${file}`)
  } finally {
    await inst.stop()
  }
}
