// `node scripts/probe-config.mjs`: re-runs, against live Directus instances, the checks behind
// docs/directus-config-facts.md (issue #11, promoting configuration) and prints one PASS/FAIL line per
// fact and version. The fact ids (A1, C3, …) are the ones in the document.
//
//   node scripts/probe-config.mjs [--version 12.4.0 --version 11.17.4] [--db sqlite|pg] [--no-bootstrap] [--only C3,D1] [--verbose]
//
// - One throwaway instance per version, started from the project's template (scripts/lib/directus-instance.mjs)
//   with a known SECRET, so that encrypted settings can be decrypted from the database.
// - A few checks write to the database directly (sqlite3 or psql): a permission that the API refuses to
//   create on an unlicensed 12.x, and reads of encrypted values.
// - A3 bootstraps one extra database per version (about 30 s each) to compare bootstrap ids; --no-bootstrap skips it.
// - --verbose prints what was seen for passing checks too; exit code 1 when a check fails.
import { execFileSync, spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { ensureDirectus, startDirectus } from './lib/directus-instance.mjs'

const { values } = parseArgs({
  options: {
    version: { type: 'string', multiple: true },
    db: { type: 'string', default: 'sqlite' },
    'no-bootstrap': { type: 'boolean', default: false },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
})
const VERSIONS = values.version?.length ? values.version : ['12.4.0', '11.17.4']
const DB = /** @type {'sqlite'|'pg'} */ (values.db)
const ONLY = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : null
const SECRET = 'probe-config-secret-0123456789abcdef'
const PUBLIC_POLICY = 'abf8a154-5b1c-4a46-ac9c-7300570f4f17'
const MASK = '**********'

// ---------------------------------------------------------------------------------------------
// Expected field lists (GET /fields/<collection>); `v12` marks fields that only 12.x has.
// ---------------------------------------------------------------------------------------------
const FIELDS = {
  directus_roles: 'id name icon description parent children policies users_group users_divider users',
  directus_policies: 'id name icon description ip_access enforce_tfa admin_access app_access permissions assigned_to_divider users roles',
  directus_access: 'id role user policy sort',
  directus_permissions: 'id collection action permissions validation presets fields policy',
  directus_flows: 'id name icon color description status trigger accountability options operation date_created user_created operations',
  directus_operations: 'id name key type position_x position_y options resolve reject flow date_created user_created',
  directus_dashboards: 'id name icon note date_created user_created color panels',
  directus_panels:
    'id dashboard name icon color show_header note type position_x position_y width height options date_created user_created',
  directus_presets: 'id bookmark user role collection search layout layout_query layout_options refresh_interval filter icon color',
  directus_translations: 'id language key value',
  directus_folders: 'id name parent',
  directus_settings:
    'id project_name project_url project_color project_logo public_foreground public_background public_note auth_login_attempts ' +
    'auth_password_policy storage_asset_transform storage_asset_presets custom_css storage_default_folder basemaps mapbox_key ' +
    'module_bar project_descriptor default_language custom_aspect_ratios public_favicon default_appearance default_theme_light ' +
    'theme_light_overrides default_theme_dark theme_dark_overrides report_error_url report_bug_url report_feature_url ' +
    'public_registration public_registration_verify_email public_registration_role public_registration_email_filter ' +
    'visual_editor_urls project_id mcp_enabled mcp_allow_deletes mcp_prompts_collection mcp_system_prompt_enabled ' +
    'mcp_system_prompt project_owner project_usage org_name product_updates project_status ai_openai_api_key ' +
    'ai_anthropic_api_key ai_system_prompt ai_google_api_key ai_openai_compatible_api_key ai_openai_compatible_base_url ' +
    'ai_openai_compatible_name ai_openai_compatible_models ai_openai_compatible_headers ai_openai_allowed_models ' +
    'ai_anthropic_allowed_models ai_google_allowed_models collaborative_editing_enabled ' +
    // aliases (presentation only)
    'modules_divider visual_editor_divider security_divider public_registration_divider files_divider reporting_divider ' +
    'collaborative_editing_divider map_divider image_editor theming_group branding_divider theming_divider ai_group ' +
    'ai_divider ai_notice ai_openai_compatible_divider mcp_group mcp_divider mcp_notice mcp_prompts_collection_validation ' +
    'mcp_system_prompt_divider',
}
const FIELDS_12_ONLY = {
  directus_flows: 'folder',
  directus_folders: 'type',
  directus_settings:
    'ai_translation_default_model ai_translation_glossary ai_translation_style_guide license_key license_token ' +
    'mcp_oauth_enabled mcp_oauth_dcr_enabled mcp_oauth_cimd_enabled default_save_action ' +
    'ai_translation_divider ai_translations_notice ai_openai_compatible_notice mcp_oauth_clients_link',
}

// ---------------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------------
let failures = 0
/** @param {string} id @param {string} version @param {boolean} ok @param {string} title @param {unknown} [detail] */
function report(id, version, ok, title, detail) {
  if (!ok) failures++
  const d = detail === undefined ? '' : ` — ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`
  console.log(`${ok ? 'PASS' : 'FAIL'} ${id.padEnd(4)} [${version}] ${title}${ok && !values.verbose ? '' : d}`)
}

// ---------------------------------------------------------------------------------------------
// HTTP and SQL helpers
// ---------------------------------------------------------------------------------------------
/**
 * @typedef {{ url: string, token: string, version: string, db: 'sqlite'|'pg', dbFile?: string, dbName?: string, v12: boolean }} Target
 * @typedef {{ status: number, data: any, errors: string[], error: string }} Answer
 */

/** @param {Target} t @param {string} method @param {string} p @param {unknown} [body] @returns {Promise<Answer>} */
async function api(t, method, p, body) {
  const res = await fetch(t.url + p, {
    method,
    headers: {
      authorization: `Bearer ${t.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  let json = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {
    json = null
  }
  const errors = (json?.errors ?? []).map(
    (/** @type {any} */ e) => `${e.extensions?.code ?? '?'}: ${e.message}`,
  )
  return { status: res.status, data: json?.data, errors, error: errors[0] ?? '' }
}

/** @param {Target} t @param {string} statement @returns {string} */
function sql(t, statement) {
  if (t.db === 'sqlite') return execFileSync('sqlite3', [/** @type {string} */ (t.dbFile), statement], { encoding: 'utf8' }).trim()
  const env = { ...process.env, PGPASSWORD: process.env.DIRECTUS_TEST_PG_PASSWORD || '' }
  return execFileSync(
    'psql',
    [
      '-h', process.env.DIRECTUS_TEST_PG_HOST || '127.0.0.1',
      '-p', process.env.DIRECTUS_TEST_PG_PORT || '5432',
      '-U', process.env.DIRECTUS_TEST_PG_USER || 'postgres',
      '-d', /** @type {string} */ (t.dbName),
      '-X', '-v', 'ON_ERROR_STOP=1', '-Atqc', statement,
    ],
    { encoding: 'utf8', env },
  ).trim()
}

/** Directus' utils/encrypt.js format: version||kdf||N||r||p||salt||iv||cipherText||tag (aes-256-gcm, scrypt). */
function decrypt(/** @type {string} */ value, /** @type {string} */ password) {
  const [, , n, r, p, salt, iv, cipherText, tag] = value.split('||')
  const key = crypto.scryptSync(password, Buffer.from(String(salt), 'base64'), 32, { N: Number(n), r: Number(r), p: Number(p) })
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(String(iv), 'base64'))
  decipher.setAuthTag(Buffer.from(String(tag), 'base64'))
  return decipher.update(String(cipherText), 'base64', 'utf8') + decipher.final('utf8')
}

const uuid = () => crypto.randomUUID()
/** "Invalid foreign key." on SQLite; PostgreSQL names the value, field and collection. */
const isFkError = (/** @type {string} */ e) => /^INVALID_FOREIGN_KEY: Invalid foreign key( ".*" for field ".*" in collection ".*")?\.$/.test(e)
const same = (/** @type {unknown} */ a, /** @type {unknown} */ b) => JSON.stringify(a) === JSON.stringify(b)
const ids = (/** @type {Answer} */ r) => (Array.isArray(r.data) ? r.data.map((x) => x.id) : [])

// ---------------------------------------------------------------------------------------------
// The checks. Each returns [ok, title, detail]; they run in order on one instance per version.
// ---------------------------------------------------------------------------------------------
/** @type {Array<[string, (t: Target) => Promise<[boolean, string, unknown?]>]>} */
const CHECKS = [
  // ---- A: structure ---------------------------------------------------------------------------
  ['A1', async (t) => {
    const problems = []
    for (const [collection, list] of Object.entries(FIELDS)) {
      const expected = new Set(list.split(' '))
      if (t.v12) for (const f of (FIELDS_12_ONLY[/** @type {keyof typeof FIELDS_12_ONLY} */ (collection)] ?? '').split(' ').filter(Boolean)) expected.add(f)
      const r = await api(t, 'GET', `/fields/${collection}`)
      const actual = new Set(r.data.map((/** @type {any} */ f) => f.field))
      const missing = [...expected].filter((f) => !actual.has(f))
      const extra = [...actual].filter((f) => !expected.has(f))
      if (missing.length || extra.length) problems.push({ collection, missing, extra })
    }
    return [problems.length === 0, 'field lists of the 12 collections are as documented', problems]
  }],
  ['A2', async (t) => {
    const pol = await api(t, 'GET', `/policies/${PUBLIC_POLICY}?fields=id,name,admin_access,app_access`)
    const acc = await api(t, 'GET', `/access?filter[policy][_eq]=${PUBLIC_POLICY}&fields=id,role,user,policy`)
    const ok = pol.data?.name === '$t:public_label' && acc.data?.length === 1 && acc.data[0].role === null && acc.data[0].user === null
    return [ok, `public policy ${PUBLIC_POLICY} exists, linked by one access row with role=null and user=null`, { pol: pol.data, acc: acc.data }]
  }],
  ['A3', async (t) => {
    if (values['no-bootstrap']) return [true, 'fresh bootstrap ids (skipped: --no-bootstrap)']
    const fresh = await freshBootstrapIds(t.version)
    const role = (await api(t, 'GET', '/roles?filter[name][_eq]=Administrator&fields=id')).data[0].id
    const policy = (await api(t, 'GET', '/policies?filter[name][_eq]=Administrator&fields=id')).data[0].id
    const pubAccess = (await api(t, 'GET', `/access?filter[policy][_eq]=${PUBLIC_POLICY}&fields=id`)).data[0].id
    const ok = fresh.policies.includes(PUBLIC_POLICY) && fresh.adminRole !== role && fresh.adminPolicy !== policy && fresh.publicAccess !== pubAccess
    return [ok, 'admin role, admin policy and the public access row get new random ids per bootstrap; the public policy id does not', { fresh, template: { role, policy, pubAccess } }]
  }],

  // ---- B: create/update/delete shapes --------------------------------------------------------
  ['B1', async (t) => {
    const f = uuid(), d = uuid()
    const sent = {
      '/roles': { id: uuid(), name: 'probe-b1' },
      '/policies': { id: uuid(), name: 'probe-b1' },
      '/flows': { id: f, name: 'probe-b1', status: 'inactive', trigger: 'manual' },
      '/operations': { id: uuid(), flow: f, key: 'k', type: 'log', position_x: 1, position_y: 1 },
      '/dashboards': { id: d, name: 'probe-b1', icon: 'x' },
      '/panels': { id: uuid(), dashboard: d, type: 'label', position_x: 1, position_y: 1, width: 4, height: 4 },
      '/translations': { id: uuid(), language: 'en-US', key: 'probe-b1', value: 'v' },
      '/folders': { id: uuid(), name: 'probe-b1' },
    }
    const bad = []
    for (const [p, body] of Object.entries(sent)) {
      const r = await api(t, 'POST', `${p}?fields=id`, body)
      if (r.data?.id !== body.id) bad.push({ p, status: r.status, error: r.error })
    }
    const pol = sent['/policies'].id
    const acc = await api(t, 'POST', '/access?fields=id', { id: uuid(), role: sent['/roles'].id, policy: pol })
    if (!acc.data?.id) bad.push({ p: '/access', error: acc.error })
    const perm = await api(t, 'POST', '/permissions?fields=id', { id: 4242, policy: pol, collection: 'directus_files', action: 'read', fields: ['*'] })
    if (perm.data?.id !== 4242) bad.push({ p: '/permissions', error: perm.error })
    const preset = await api(t, 'POST', '/presets?fields=id', { id: 4242, collection: 'directus_files' })
    if (preset.data?.id !== 4242) bad.push({ p: '/presets', error: preset.error })
    await api(t, 'DELETE', '/flows', [f])
    await api(t, 'DELETE', '/dashboards', [d])
    await api(t, 'DELETE', '/roles', [sent['/roles'].id])
    await api(t, 'DELETE', '/policies', [pol])
    await api(t, 'DELETE', '/translations', [sent['/translations'].id])
    await api(t, 'DELETE', '/folders', [sent['/folders'].id])
    await api(t, 'DELETE', '/presets', [4242])
    return [bad.length === 0, 'POST with an explicit id keeps it (uuid keys, and integer keys of permissions and presets)', bad]
  }],
  ['B2', async (t) => {
    const hi = 'ffffffff-0000-4000-8000-000000000000', lo = '00000000-0000-4000-8000-000000000000'
    const r = await api(t, 'POST', '/roles?fields=id', [{ id: hi, name: 'probe-b2-hi' }, { id: lo, name: 'probe-b2-lo' }])
    const ok = r.status === 200 && same(ids(r), [lo, hi])
    await api(t, 'DELETE', '/roles', [hi, lo])
    return [ok, 'POST with an array creates all; the answer is sorted by primary key, not in request order', ids(r)]
  }],
  ['B3', async (t) => {
    const a = uuid(), b = uuid()
    await api(t, 'POST', '/roles', { id: a, name: 'probe-b3' })
    const r = await api(t, 'POST', '/roles', [{ id: b, name: 'probe-b3-new' }, { id: a, name: 'probe-b3-dup' }])
    const left = await api(t, 'GET', `/roles?filter[id][_eq]=${b}&fields=id`)
    await api(t, 'DELETE', '/roles', [a])
    const ok = r.status === 400 && r.error.startsWith('RECORD_NOT_UNIQUE') && left.data.length === 0
    return [ok, 'a batch POST is one transaction: a duplicate id in item 2 → 400 RECORD_NOT_UNIQUE and item 1 is not created', r.error]
  }],
  ['B4', async (t) => {
    const a = uuid(), b = uuid()
    await api(t, 'POST', '/roles', [{ id: a, name: 'probe-b4a' }, { id: b, name: 'probe-b4b' }])
    const p1 = await api(t, 'PATCH', '/roles?fields=id,description', { keys: [a, b], data: { description: 'same' } })
    const p2 = await api(t, 'PATCH', '/roles?fields=id,description', [{ id: a, description: 'A' }, { id: b, description: 'B' }])
    const d1 = await api(t, 'DELETE', '/roles', [a])
    const d2 = await api(t, 'DELETE', '/roles', { keys: [b] })
    const left = await api(t, 'GET', `/roles?filter[id][_in]=${a},${b}&fields=id`)
    const ok = p1.status === 200 && p1.data.every((/** @type {any} */ x) => x.description === 'same') &&
      p2.status === 200 && p2.data.map((/** @type {any} */ x) => x.description).sort().join() === 'A,B' &&
      d1.status === 204 && d2.status === 204 && left.data.length === 0
    return [ok, 'PATCH {keys,data}, PATCH [items with id], DELETE [keys] and DELETE {keys} all work', [p1.status, p2.status, d1.status, d2.status]]
  }],
  ['B5', async (t) => {
    const ghost = uuid()
    const g = await api(t, 'GET', `/roles/${ghost}`)
    const p = await api(t, 'PATCH', `/roles/${ghost}`, { name: 'x' })
    const pk = await api(t, 'PATCH', '/roles', { keys: [ghost], data: { name: 'x' } })
    const d = await api(t, 'DELETE', `/roles/${ghost}`)
    const ok = g.status === 403 && g.error.startsWith('FORBIDDEN') && p.status === 204 && pk.status === 200 && same(pk.data, []) && d.status === 204
    return [ok, 'missing item: GET → 403 FORBIDDEN; PATCH /x/:id → 204, PATCH {keys} → 200 [], DELETE → 204 (no error)', [g.status, p.status, pk.status, pk.data, d.status]]
  }],
  ['B6', async (t) => {
    const out = {}
    for (const p of ['/flows', '/operations', '/dashboards', '/panels', '/roles', '/policies', '/access', '/permissions', '/presets', '/translations', '/folders']) {
      const r = await api(t, 'DELETE', p, {})
      out[p] = `${r.status} ${r.error}`
    }
    const unchecked = ['/flows', '/operations', '/dashboards', '/panels']
    const ok = Object.entries(out).every(([p, s]) =>
      unchecked.includes(p) ? s.startsWith("500 INTERNAL_SERVER_ERROR: Cannot read properties of undefined (reading 'limit')") : s.startsWith('400 INVALID_PAYLOAD'))
    return [ok, 'DELETE with body {}: flows/operations/dashboards/panels → 500 (no validateBatch), the others → 400 INVALID_PAYLOAD; nothing deleted', out]
  }],
  ['B7', async (t) => {
    const p = uuid(), r = uuid()
    const cp = await api(t, 'POST', '/policies?fields=permissions', { id: p, name: 'probe-b7', permissions: [{ collection: 'directus_files', action: 'read', fields: ['*'] }] })
    const cr = await api(t, 'POST', '/roles?fields=policies', { id: r, name: 'probe-b7', policies: [{ policy: p }] })
    const ur = await api(t, 'PATCH', `/roles/${r}?fields=policies`, { policies: [] })
    const acc = await api(t, 'GET', `/access?filter[role][_eq]=${r}&fields=id`)
    const up = await api(t, 'PATCH', `/policies/${p}?fields=permissions`, { permissions: [] })
    const perms = sql(t, `select count(*) from directus_permissions where policy = '${p}'`)
    await api(t, 'DELETE', '/roles', [r])
    await api(t, 'DELETE', '/policies', [p])
    const ok = cp.data?.permissions?.length === 1 && cr.data?.policies?.length === 1 && ur.status === 200 && acc.data.length === 0 && up.status === 200 && perms === '0'
    return [ok, 'alias fields are nested writes: POST with policies/permissions creates rows; PATCH {policies: []} deletes the access rows, {permissions: []} deletes the permissions', { acc: acc.data, perms }]
  }],

  // ---- C: constraints --------------------------------------------------------------------------
  ['C1', async (t) => {
    const f = await flow(t)
    const r = await api(t, 'POST', '/operations', op(f, uuid(), 'a', { resolve: uuid() }))
    await api(t, 'DELETE', '/flows', [f])
    return [r.status === 400 && isFkError(r.error), 'operation.resolve → a missing operation: 400 INVALID_FOREIGN_KEY', r.error]
  }],
  ['C2', async (t) => {
    const f = await flow(t), a = uuid(), b = uuid(), c = uuid(), d = uuid()
    const fwd = await api(t, 'POST', '/operations', [op(f, a, 'a', { resolve: b }), op(f, b, 'b')])
    const left = await api(t, 'GET', `/operations?filter[flow][_eq]=${f}&fields=id`)
    const back = await api(t, 'POST', '/operations?fields=id', [op(f, d, 'd'), op(f, c, 'c', { resolve: d })])
    await api(t, 'DELETE', '/flows', [f])
    const ok = fwd.status === 400 && fwd.error.startsWith('INVALID_FOREIGN_KEY') && left.data.length === 0 && back.status === 200
    return [ok, 'a batch POST creates in order: a forward resolve reference fails (400 INVALID_FOREIGN_KEY, nothing created); end of chain first works', [fwd.error, back.status]]
  }],
  ['C3', async (t) => {
    const f = await flow(t), a = uuid(), b = uuid(), c = uuid()
    await api(t, 'POST', '/operations', [op(f, b, 'b'), op(f, a, 'a', { resolve: b })])
    const dup = await api(t, 'POST', '/operations', op(f, c, 'c', { resolve: b }))
    const rej = await api(t, 'POST', '/operations?fields=id', op(f, c, 'c', { reject: b }))
    await api(t, 'DELETE', '/flows', [f])
    const ok = dup.status === 400 && dup.error === `RECORD_NOT_UNIQUE: Value "${b}" for field "resolve" in collection "directus_operations" has to be unique.` && rej.status === 200
    return [ok, 'two operations resolving to one → 400 RECORD_NOT_UNIQUE (field "resolve"); reject → an operation another one resolves to is allowed', [dup.error, rej.status]]
  }],
  ['C4', async (t) => {
    const f = await flow(t), a = uuid()
    await api(t, 'POST', '/operations', op(f, a, 'a'))
    await api(t, 'PATCH', `/flows/${f}`, { operation: a })
    const dup = await api(t, 'POST', '/flows', { name: 'probe-c4', status: 'inactive', trigger: 'manual', operation: a })
    const ghost = uuid()
    const dangling = await api(t, 'POST', '/flows?fields=id,operation', { name: 'probe-c4b', status: 'inactive', trigger: 'manual', operation: ghost })
    await api(t, 'DELETE', '/flows', [f, dangling.data?.id].filter(Boolean))
    const ok = dup.status === 400 && dup.error === `RECORD_NOT_UNIQUE: Value "${a}" for field "operation" in collection "directus_flows" has to be unique.` &&
      dangling.status === 200 && dangling.data.operation === ghost
    return [ok, 'flows.operation is unique (400 RECORD_NOT_UNIQUE) but not a foreign key: a missing operation id is accepted', [dup.error, dangling.status]]
  }],
  ['C5', async (t) => {
    const f = await flow(t), a = uuid(), b = uuid()
    await api(t, 'POST', '/operations', [op(f, b, 'b'), op(f, a, 'a', { resolve: b })])
    await api(t, 'PATCH', `/flows/${f}`, { operation: a })
    const delB = await api(t, 'DELETE', `/operations/${b}`)
    await api(t, 'PATCH', `/operations/${a}`, { resolve: null })
    const delA = await api(t, 'DELETE', `/operations/${a}`)
    const fl = await api(t, 'GET', `/flows/${f}?fields=operation`)
    await api(t, 'DELETE', '/flows', [f])
    const fkText = t.db === 'sqlite' ? 'SQLITE_CONSTRAINT: FOREIGN KEY constraint failed' : 'violates foreign key constraint'
    const ok = delB.status === 500 && delB.error.startsWith('INTERNAL_SERVER_ERROR') && delB.error.includes(fkText) && delA.status === 204 && fl.data.operation === a
    return [ok, 'deleting an operation another resolves to → 500 with the raw FK error; deleting the one flows.operation names → 204 and flows.operation dangles', [delB.error, delA.status, fl.data]]
  }],
  ['C6', async (t) => {
    const f = await flow(t), a = uuid(), b = uuid(), c = uuid(), d = uuid()
    await api(t, 'POST', '/operations', [op(f, a, 'a'), op(f, b, 'b'), op(f, c, 'c'), op(f, d, 'd')])
    await api(t, 'PATCH', '/operations', [{ id: a, resolve: b }, { id: d, resolve: c }])
    const wrong = await api(t, 'PATCH', '/operations', [{ id: a, resolve: c }, { id: d, resolve: null }])
    const after = await api(t, 'GET', `/operations?filter[flow][_eq]=${f}&fields=id,resolve`)
    const rolledBack = after.data.find((/** @type {any} */ x) => x.id === a).resolve === b && after.data.find((/** @type {any} */ x) => x.id === d).resolve === c
    const right = await api(t, 'PATCH', '/operations?fields=id', [{ id: d, resolve: null }, { id: a, resolve: c }])
    const del = await api(t, 'DELETE', '/operations', [a, c])
    await api(t, 'DELETE', '/flows', [f])
    const ok = wrong.status === 400 && wrong.error.startsWith('RECORD_NOT_UNIQUE') && rolledBack && right.status === 200 && del.status === 204
    return [ok, 'batch PATCH runs in order in one transaction: re-linking before nulling the old link → 400, all rolled back; null first → 200; DELETE [a, c] with a→c in one call → 204', [wrong.error, rolledBack, right.status, del.status]]
  }],
  ['C7', async (t) => {
    const f = await flow(t), a = uuid(), b = uuid()
    await api(t, 'POST', '/operations', [op(f, b, 'b'), op(f, a, 'a', { resolve: b, reject: null })])
    await api(t, 'PATCH', `/flows/${f}`, { operation: a })
    const d = await api(t, 'DELETE', `/flows/${f}`)
    const left = sql(t, `select count(*) from directus_operations where flow = '${f}'`)
    return [d.status === 204 && left === '0', 'deleting a flow deletes its operations (links nulled first, then ON DELETE CASCADE)', [d.status, left]]
  }],
  ['C8', async (t) => {
    const p = uuid(), r = uuid()
    await api(t, 'POST', '/policies', { id: p, name: 'probe-c8', permissions: [{ collection: 'directus_files', action: 'read', fields: ['*'] }] })
    await api(t, 'POST', '/roles', { id: r, name: 'probe-c8', policies: [{ policy: p }] })
    const d = await api(t, 'DELETE', `/policies/${p}`)
    const perms = sql(t, `select count(*) from directus_permissions where policy = '${p}'`)
    const acc = sql(t, `select count(*) from directus_access where policy = '${p}'`)
    await api(t, 'DELETE', '/roles', [r])
    return [d.status === 204 && perms === '0' && acc === '0', 'deleting a policy deletes its permissions and access rows (ON DELETE CASCADE)', [d.status, perms, acc]]
  }],
  ['C9', async (t) => {
    const p = uuid(), r = uuid(), child = uuid(), u = uuid()
    await api(t, 'POST', '/policies', { id: p, name: 'probe-c9' })
    await api(t, 'POST', '/roles', [{ id: r, name: 'probe-c9', policies: [{ policy: p }] }])
    await api(t, 'POST', '/roles', { id: child, name: 'probe-c9-child', parent: r })
    await api(t, 'POST', '/users', { id: u, email: `probe-c9-${Date.now()}@example.com`, role: r, status: 'active' })
    await api(t, 'POST', '/presets', { collection: 'directus_files', role: r })
    const d = await api(t, 'DELETE', `/roles/${r}`)
    const user = await api(t, 'GET', `/users/${u}?fields=role,status`)
    const ch = await api(t, 'GET', `/roles/${child}?fields=parent`)
    const acc = sql(t, `select count(*) from directus_access where role = '${r}'`)
    const pre = sql(t, `select count(*) from directus_presets where role = '${r}'`)
    await api(t, 'DELETE', '/users', [u])
    await api(t, 'DELETE', '/roles', [child])
    await api(t, 'DELETE', '/policies', [p])
    const ok = d.status === 204 && same(user.data, { role: null, status: 'suspended' }) && ch.data.parent === null && acc === '0' && pre === '0'
    return [ok, 'deleting a role with users: 204; its users get role=null and status=suspended, its access rows and presets are deleted, children get parent=null', [user.data, ch.data, acc, pre]]
  }],
  ['C10', async (t) => {
    const d = uuid()
    await api(t, 'POST', '/dashboards', { id: d, name: 'probe-c10', icon: 'x', panels: [{ type: 'label', position_x: 1, position_y: 1, width: 4, height: 4 }] })
    const r = await api(t, 'DELETE', `/dashboards/${d}`)
    const left = sql(t, `select count(*) from directus_panels where dashboard = '${d}'`)
    return [r.status === 204 && left === '0', 'deleting a dashboard deletes its panels (ON DELETE CASCADE)', [r.status, left]]
  }],
  ['C11', async (t) => {
    const a = uuid(), b = uuid()
    await api(t, 'POST', '/folders', [{ id: a, name: 'probe-c11' }, { id: b, name: 'child', parent: a }])
    const dupe = await api(t, 'POST', '/folders?fields=id', { name: 'child', parent: a })
    const del = await api(t, 'DELETE', `/folders/${a}`)
    await api(t, 'DELETE', '/folders', [b, dupe.data?.id].filter(Boolean))
    await api(t, 'DELETE', '/folders', [a])
    const ok = dupe.status === 200 && del.status === 500 && del.error.startsWith('INTERNAL_SERVER_ERROR')
    return [ok, 'folders: same name under the same parent is allowed; deleting a folder with children → 500 (FK, no cascade)', [dupe.status, del.error]]
  }],
  ['C12', async (t) => {
    const p = uuid(), f = await flow(t)
    await api(t, 'POST', '/policies', { id: p, name: 'probe-c12' })
    const perm = { policy: p, collection: 'directus_files', action: 'read', fields: ['*'] }
    const p2 = await api(t, 'POST', '/permissions', [perm, perm])
    const o2 = await api(t, 'POST', '/operations', [op(f, uuid(), 'same'), op(f, uuid(), 'same')])
    const preset = { collection: 'directus_files', bookmark: null, role: null, user: null }
    const s2 = await api(t, 'POST', '/presets?fields=id', [preset, preset])
    const named = {}
    for (const [endpoint, body] of /** @type {Array<[string, object]>} */ ([
      ['/roles', { name: 'probe-c12' }],
      ['/policies', { name: 'probe-c12' }],
      ['/flows', { name: 'probe-c12', status: 'inactive', trigger: 'manual' }],
      ['/dashboards', { name: 'probe-c12', icon: 'x' }],
    ])) {
      const r = await api(t, 'POST', `${endpoint}?fields=id`, [body, body])
      named[endpoint] = r.status
      await api(t, 'DELETE', endpoint, ids(r))
    }
    const tr = uuid()
    await api(t, 'POST', '/translations', { id: tr, language: 'en-US', key: 'probe-c12', value: 'a' })
    const t2 = await api(t, 'POST', '/translations', { language: 'en-US', key: 'probe-c12', value: 'b' })
    await api(t, 'DELETE', '/policies', [p])
    await api(t, 'DELETE', '/flows', [f])
    await api(t, 'DELETE', '/presets', ids(s2))
    await api(t, 'DELETE', '/translations', [tr])
    const ok = p2.status === 200 && o2.status === 200 && s2.status === 200 && Object.values(named).every((s) => s === 200) &&
      t2.status === 400 && t2.error === 'INVALID_PAYLOAD: Invalid payload. Duplicate key and language combination.'
    return [ok, 'no uniqueness on role/policy/flow/dashboard name, permission (policy+collection+action), operation (flow+key), preset (collection+bookmark+role); translation (language+key) → 400',
      [p2.status, o2.status, s2.status, named, t2.error]]
  }],
  ['C13', async (t) => {
    const tr = uuid()
    await api(t, 'POST', '/translations', { id: tr, language: 'de-DE', key: 'probe-c13', value: 'a' })
    const value = await api(t, 'PATCH', `/translations/${tr}`, { value: 'b' })
    const full = await api(t, 'PATCH', `/translations/${tr}`, { key: 'probe-c13', language: 'de-DE', value: 'c' })
    await api(t, 'DELETE', '/translations', [tr])
    const ok = value.status === 200 && (t.v12 ? full.status === 200 : full.status === 400 && full.error.includes('Duplicate key and language combination'))
    return [ok, `PATCH of a translation with its own unchanged key and language → ${t.v12 ? '200' : '400 "Duplicate key and language combination" (11.x)'}; value only → 200`, [value.status, full.status, full.error]]
  }],
  ['C14', async (t) => {
    const a = uuid(), b = uuid()
    await api(t, 'POST', '/roles', [{ id: a, name: 'probe-c14a' }, { id: b, name: 'probe-c14b', parent: a }])
    const cyc = await api(t, 'PATCH', `/roles/${a}`, { parent: b })
    const self = await api(t, 'PATCH', `/roles/${a}`, { parent: a })
    const bad = await api(t, 'POST', '/roles', { name: 'probe-c14c', parent: uuid() })
    await api(t, 'DELETE', '/roles', [b, a])
    const ok = cyc.error === 'INVALID_PAYLOAD: Invalid payload. A role cannot have a parent that is already a descendant of itself.' &&
      self.error === 'INVALID_PAYLOAD: Invalid payload. A role cannot be a parent of itself.' && isFkError(bad.error)
    return [ok, 'role.parent: cycles and self-parent → 400 INVALID_PAYLOAD; a missing parent → 400 INVALID_FOREIGN_KEY', [cyc.error, self.error, bad.error]]
  }],

  // ---- D: licence (12.x without a key) ---------------------------------------------------------
  ['D1', async (t) => {
    const p = uuid()
    await api(t, 'POST', '/policies', { id: p, name: 'probe-d1' })
    const mk = (/** @type {object} */ extra) => api(t, 'POST', '/permissions?fields=id', { policy: p, collection: 'directus_files', ...extra })
    const star = await mk({ action: 'read', fields: ['*'] })
    const none = await mk({ action: 'create' })
    const some = await mk({ action: 'update', fields: ['id'] })
    const filt = await mk({ action: 'delete', fields: ['*'], permissions: { id: { _nnull: true } } })
    const valid = await mk({ action: 'share', fields: ['*'], validation: { id: { _nnull: true } } })
    const rec = await mk({ action: 'update', permissions: { uploaded_by: { _eq: '$CURRENT_USER' } }, fields: ['title', 'description', 'tags', 'location', 'folder', 'focal_point_x', 'focal_point_y', 'filename_download'] })
    const patchNoFields = await api(t, 'PATCH', `/permissions/${star.data.id}`, { action: 'read' })
    const patchStar = await api(t, 'PATCH', `/permissions/${star.data.id}?fields=id`, { action: 'read', fields: ['*'] })
    const before = sql(t, `select count(*) from directus_permissions where policy = '${p}'`)
    const batch = await api(t, 'POST', '/permissions?fields=id', [
      { policy: p, collection: 'directus_folders', action: 'read', fields: ['*'] },
      { policy: p, collection: 'directus_folders', action: 'update', fields: ['name'] },
    ])
    const after = sql(t, `select count(*) from directus_permissions where policy = '${p}'`)
    await api(t, 'DELETE', '/policies', [p])
    const RR = 'RESOURCE_RESTRICTED: custom_permission_rules_enabled is a restricted resource.'
    const got = [star.status, none.error || none.status, some.error || some.status, filt.error || filt.status, valid.error || valid.status, rec.status,
      patchNoFields.error || patchNoFields.status, patchStar.status, batch.error || batch.status, before === after]
    const ok = t.v12
      ? same(got, [200, RR, RR, RR, RR, 200, RR, 200, RR, true])
      : same(got, [200, 200, 200, 200, 200, 200, 200, 200, 200, false])
    return [ok, t.v12
      ? 'permissions: only fields ["*"] without rules (or an exact app-recommended permission) are accepted; fields null, a field list, a filter or validation → 403; so is a PATCH without fields ["*"]; a batch with one such item → 403, nothing created'
      : 'permissions: no licence check (fields null, field lists, filters and validation all accepted)', got]
  }],
  ['D2', async (t) => {
    const p = uuid()
    await api(t, 'POST', '/policies', { id: p, name: 'probe-d2' })
    sql(t, `insert into directus_permissions (id, collection, action, fields, permissions, policy) values (7001, 'directus_files', 'read', 'id,title', '{"id":{"_nnull":true}}', '${p}')`)
    sql(t, `insert into directus_permissions (id, collection, action, fields, policy) values (7002, 'directus_files', 'create', '*', '${p}')`)
    const list = await api(t, 'GET', `/permissions?filter[policy][_eq]=${p}&fields=id`)
    const one = await api(t, 'GET', '/permissions/7001')
    const nested = await api(t, 'GET', `/policies/${p}?fields=permissions.id,permissions.fields`)
    // a permission write clears the entitlement cache; the licence status does not count custom rules
    await api(t, 'POST', '/permissions', { policy: p, collection: 'directus_folders', action: 'read', fields: ['*'] })
    const status = t.v12 ? (await api(t, 'GET', '/license')).data?.status : null
    const del = await api(t, 'DELETE', '/permissions', [7001])
    const left = sql(t, 'select count(*) from directus_permissions where id = 7001')
    await api(t, 'DELETE', '/policies', [p])
    const listed = ids(list)
    const ok = t.v12
      ? same(listed, [7002]) && one.status === 200 && one.data?.system === true && one.data?.id === undefined &&
        nested.data.permissions.length === 2 && del.status === 204 && left === '0' && status === 'active'
      : same(listed, [7001, 7002]) && one.data?.id === 7001 && nested.data.permissions.length === 2
    return [ok, t.v12
      ? 'a permission with rules (inserted in the database) is hidden from GET /permissions; GET /permissions/:id answers 200 with an unrelated system row; /policies?fields=permissions.* shows it; DELETE works; GET /license status stays "active"'
      : 'a permission with rules is listed normally', { listed, one: one.data, nested: nested.data?.permissions?.length, status }]
  }],
  ['D3', async (t) => {
    const noId = (/** @type {Answer} */ r) => (r.data ?? []).filter((/** @type {any} */ x) => x.id === undefined)
    const all = await api(t, 'GET', '/permissions?fields=id,policy,collection,action&limit=-1')
    const byId = await api(t, 'GET', '/permissions?filter[id][_in]=999991,999992&fields=id,policy&limit=-1')
    const byPolicy = await api(t, 'GET', '/permissions?filter[policy][_nnull]=true&fields=id,policy&limit=-1')
    const sysField = await api(t, 'GET', '/permissions?fields=id,system')
    const agg = await api(t, 'GET', '/permissions?aggregate[count]=*')
    const counted = (agg.data ?? []).some((/** @type {any} */ x) => x.count !== undefined)
    const sys = noId(all)
    const ok = sys.length > 0 && sys.every((/** @type {any} */ x) => x.policy === null) && noId(byId).length === sys.length &&
      noId(byPolicy).length === 0 && sysField.status === 403 && counted === !t.v12
    return [ok, `GET /permissions as an admin appends synthetic rows (no id, policy null, system: true); an id filter keeps them, filter[policy][_nnull] drops them; "system" is not a requestable field; aggregate[count] ${t.v12 ? 'loses its count row (12.x unlicensed)' : 'works'}`,
      { synthetic: sys.length, afterIdFilter: noId(byId).length, afterPolicyFilter: noId(byPolicy).length, systemField: sysField.status, counted }]
  }],
  ['D4', async (t) => {
    const made = []
    let sixth = null
    for (let n = 1; n <= 6; n++) {
      const r = await api(t, 'POST', '/flows?fields=id', { name: `probe-d4-${n}`, trigger: 'manual' })
      if (r.data?.id) made.push(r.data.id)
      if (n === 6) sixth = r
    }
    const inactive = await api(t, 'POST', '/flows?fields=id', { name: 'probe-d4-inactive', trigger: 'manual', status: 'inactive' })
    if (inactive.data?.id) made.push(inactive.data.id)
    const again = await api(t, 'PATCH', `/flows/${made[0]}?fields=id`, { status: 'active', description: 'x' })
    const desc = await api(t, 'PATCH', `/flows/${made[0]}?fields=id`, { description: 'y' })
    await api(t, 'DELETE', '/flows', made)
    const LE = 'LIMIT_EXCEEDED: flows limit exceeded.'
    const got = [sixth?.error || sixth?.status, inactive.status, again.error || again.status, desc.status]
    const ok = t.v12 ? same(got, [LE, 200, LE, 200]) : same(got, [200, 200, 200, 200])
    return [ok, t.v12
      ? '5 active flows max: the 6th (status omitted = active) → 403 LIMIT_EXCEEDED; inactive ones are free; PATCH {status:"active"} on an already active flow at the limit → 403'
      : 'no flow limit', got]
  }],
  ['D5', async (t) => {
    const app = uuid(), apiPol = uuid(), role = uuid(), users = [uuid(), uuid(), uuid()]
    await api(t, 'POST', '/policies', [{ id: app, name: 'probe-d5-app', app_access: true }, { id: apiPol, name: 'probe-d5-api' }])
    await api(t, 'POST', '/roles', { id: role, name: 'probe-d5', policies: [{ policy: apiPol }] })
    for (const [n, u] of users.entries()) await api(t, 'POST', '/users', { id: u, email: `probe-d5-${n}-${Date.now()}@example.com`, role, status: 'active' })
    const link = await api(t, 'POST', '/access?fields=id', { role, policy: app })
    const flip = await api(t, 'PATCH', `/policies/${apiPol}?fields=id`, { app_access: true })
    await api(t, 'DELETE', '/users', users)
    await api(t, 'DELETE', '/roles', [role])
    await api(t, 'DELETE', '/policies', [app, apiPol])
    const LE = 'LIMIT_EXCEEDED: seats limit exceeded.'
    const got = [link.error || link.status, flip.error || flip.status]
    return [t.v12 ? same(got, [LE, LE]) : same(got, [200, 200]), t.v12
      ? '3 seats: linking an app-access policy to a role with 3 active users (plus the admin) → 403 LIMIT_EXCEEDED; so does PATCH app_access:true'
      : 'no seat limit', got]
  }],
  ['D6', async (t) => {
    const lic = await api(t, 'GET', '/license')
    const info = await api(t, 'GET', '/server/info')
    const ok = t.v12
      ? lic.status === 200 && lic.data.name === 'Core' && lic.data.source === null &&
        same(lic.data.entitlements.custom_permission_rules_enabled, { default: false }) && lic.data.entitlements.flows.limit === 5 &&
        lic.data.entitlements.seats.limit === 3 && lic.data.entitlements.collections.limit === 25 && info.data.license?.source === null
      : lic.status === 404 && lic.error.startsWith('ROUTE_NOT_FOUND') && info.data.license === undefined
    return [ok, t.v12
      ? 'unlicensed: GET /license → name "Core", source null, entitlements (custom_permission_rules_enabled {default:false}, flows 5, seats 3, collections 25), usage; /server/info license.source null'
      : 'GET /license → 404 ROUTE_NOT_FOUND; /server/info has no license key', t.v12 ? { name: lic.data?.name, source: lic.data?.source, usage: lic.data?.usage } : lic.error]
  }],

  // ---- E: settings -----------------------------------------------------------------------------
  ['E1', async (t) => {
    await api(t, 'PATCH', '/settings', { ai_openai_api_key: 'sk-probe-secret' })
    const read = await api(t, 'GET', '/settings?fields=ai_openai_api_key,ai_anthropic_api_key')
    const stored1 = decrypt(sql(t, 'select ai_openai_api_key from directus_settings'), SECRET)
    await api(t, 'PATCH', '/settings', { ai_openai_api_key: read.data.ai_openai_api_key })
    const stored2 = decrypt(sql(t, 'select ai_openai_api_key from directus_settings'), SECRET)
    await api(t, 'PATCH', '/settings', { ai_openai_api_key: null })
    const ok = read.data.ai_openai_api_key === MASK && read.data.ai_anthropic_api_key === null && stored1 === 'sk-probe-secret' && stored2 === MASK
    return [ok, 'encrypted settings read as "**********" (null when empty); writing the mask back stores "**********" over the real key', { read: read.data, stored1, stored2 }]
  }],
  ['E2', async (t) => {
    const key = await api(t, 'PATCH', '/settings?fields=id', { license_key: 'x' })
    const token = await api(t, 'PATCH', '/settings?fields=id', { license_token: null })
    const llm = await api(t, 'PATCH', '/settings?fields=id', { ai_openai_compatible_base_url: 'http://llm.example' })
    const llmNull = await api(t, 'PATCH', '/settings?fields=id', { ai_openai_compatible_base_url: null })
    const unknown = await api(t, 'PATCH', '/settings?fields=project_name', { no_such_setting: 1, project_name: 'Probe' })
    const got = [key.error || key.status, token.error || token.status, llm.error || llm.status, llmNull.status, unknown.status]
    const ok = t.v12
      ? same(got, [
        'INVALID_PAYLOAD: Invalid payload. You can\'t change the "license_key" value manually.',
        'INVALID_PAYLOAD: Invalid payload. You can\'t change the "license_token" value manually.',
        'RESOURCE_RESTRICTED: custom_llms_enabled is a restricted resource.', 200, 200])
      : same(got, [200, 200, 200, 200, 200])
    return [ok, t.v12
      ? 'PATCH /settings: license_key/license_token (even null) → 400; ai_openai_compatible_* non-null → 403 RESOURCE_RESTRICTED; unknown keys ignored'
      : 'PATCH /settings: license_* and other unknown keys are silently ignored; ai_openai_compatible_* accepted', got]
  }],
  ['E3', async (t) => {
    const before = (await api(t, 'GET', '/settings?fields=project_id')).data.project_id
    const pid = await api(t, 'PATCH', '/settings?fields=project_id', { project_id: '01900000-0000-7000-8000-000000000000' })
    await api(t, 'PATCH', '/settings', { project_id: before })
    const owner = await api(t, 'PATCH', '/settings?fields=project_owner', { project_owner: 'probe@example.com' })
    await api(t, 'PATCH', '/settings', { project_owner: null })
    const fk = {}
    for (const f of ['public_registration_role', 'storage_default_folder', 'project_logo', 'public_favicon']) {
      fk[f] = (await api(t, 'PATCH', '/settings', { [f]: uuid() })).error
    }
    const ok = pid.status === 200 && owner.status === 200 && Object.values(fk).every(isFkError)
    return [ok, 'project_id and project_owner are writable; role/folder/file references are checked (400 INVALID_FOREIGN_KEY)', { pid: pid.status, owner: owner.status, fk }]
  }],

  // ---- F: flows --------------------------------------------------------------------------------
  ['F1', async (t) => {
    const f = await flow(t), sub = uuid()
    await api(t, 'POST', '/flows', { id: sub, name: 'probe-f1-sub', status: 'inactive', trigger: 'operation', options: { return: '$last' } })
    const trig = await api(t, 'POST', '/operations?fields=options', op(f, uuid(), 'trig', { type: 'trigger', options: { flow: sub, payload: '{{$trigger}}' } }))
    const ghost = await api(t, 'POST', '/operations?fields=options', op(f, uuid(), 'trig2', { type: 'trigger', options: { flow: uuid() } }))
    const delSub = await api(t, 'DELETE', `/flows/${sub}`)
    const headers = [{ header: 'Authorization', value: 'Bearer probe-secret' }]
    await api(t, 'POST', '/operations', op(f, uuid(), 'req', { type: 'request', options: { method: 'POST', url: 'https://example.com/hook?token=probe', headers, body: '{}' } }))
    const read = await api(t, 'GET', `/operations?filter[key][_eq]=req&filter[flow][_eq]=${f}&fields=options`)
    const badType = await api(t, 'POST', '/operations?fields=id', op(f, uuid(), 'x', { type: 'no-such-type' }))
    const badTrigger = await api(t, 'POST', '/flows?fields=id', { name: 'probe-f1-bad', status: 'inactive', trigger: 'no-such-trigger' })
    await api(t, 'DELETE', '/flows', [f, badTrigger.data?.id].filter(Boolean))
    const ok = trig.data?.options?.flow === sub && ghost.status === 200 && delSub.status === 204 &&
      same(read.data?.[0]?.options?.headers, headers) && badType.status === 200 && badTrigger.status === 200
    return [ok, 'trigger operation: options.flow is plain JSON, not checked (missing flow accepted, target flow deletable); request headers come back in clear text; unknown operation types and triggers are accepted', [ghost.status, delSub.status, badType.status, badTrigger.status]]
  }],
  ['F2', async (t) => {
    if (!t.v12) {
      const r = await api(t, 'POST', '/flows?fields=id', { name: 'probe-f2', status: 'inactive', trigger: 'manual', folder: uuid() })
      const read = await api(t, 'GET', `/flows/${r.data?.id}?fields=*`)
      await api(t, 'DELETE', '/flows', [r.data?.id])
      return [r.status === 200 && read.data && !('folder' in read.data), 'flows have no folder field (a folder key in the payload is ignored)']
    }
    const flowsFolder = uuid(), filesFolder = uuid(), f = await flow(t)
    const mk = await api(t, 'POST', '/folders?fields=id,type', [{ id: flowsFolder, name: 'probe-f2', type: 'flows' }, { id: filesFolder, name: 'probe-f2-files' }])
    const bogus = await api(t, 'POST', '/folders?fields=id,type', { name: 'probe-f2-bogus', type: 'bogus' })
    const toFlows = await api(t, 'PATCH', `/flows/${f}?fields=folder`, { folder: flowsFolder })
    const toFiles = await api(t, 'PATCH', `/flows/${f}?fields=folder`, { folder: filesFolder })
    const del = await api(t, 'DELETE', `/folders/${filesFolder}`)
    const after = await api(t, 'GET', `/flows/${f}?fields=folder`)
    await api(t, 'DELETE', '/flows', [f])
    await api(t, 'DELETE', '/folders', [flowsFolder, bogus.data?.id].filter(Boolean))
    const types = (mk.data ?? []).map((/** @type {any} */ x) => x.type).sort()
    const ok = same(types, ['files', 'flows']) && bogus.status === 200 && toFlows.data?.folder === flowsFolder &&
      toFiles.data?.folder === filesFolder && del.status === 204 && after.data.folder === null
    return [ok, 'flows.folder → directus_folders (SET NULL on delete); folders.type defaults to "files", any string accepted; a flow may sit in a "files" folder', { types, bogus: bogus.data?.type }]
  }],

  // ---- G: presets --------------------------------------------------------------------------------
  ['G1', async (t) => {
    const me = (await api(t, 'GET', '/users/me?fields=id,role')).data
    const both = await api(t, 'POST', '/presets?fields=id,user,role', { collection: 'directus_files', user: me.id, role: me.role })
    const noColl = await api(t, 'POST', '/presets?fields=id', { bookmark: 'probe' })
    const ghostColl = await api(t, 'POST', '/presets?fields=id', { collection: 'no_such_collection' })
    const badRole = await api(t, 'POST', '/presets?fields=id', { collection: 'directus_files', role: uuid() })
    await api(t, 'DELETE', '/presets', [both.data?.id, noColl.data?.id, ghostColl.data?.id].filter(Boolean))
    const ok = both.status === 200 && noColl.status === 200 && ghostColl.status === 200 && isFkError(badRole.error)
    return [ok, 'presets: user and role may both be set; collection may be null or name a missing collection; role is a checked FK', [both.status, noColl.status, ghostColl.status, badRole.error]]
  }],

  // ---- H: admin access (last: these touch the probe's own identity) -----------------------------
  ['H1', async (t) => {
    const me = (await api(t, 'GET', '/users/me?fields=id,role')).data
    const [{ id: acc, policy }] = (await api(t, 'GET', `/access?filter[role][_eq]=${me.role}&fields=id,policy`)).data
    const LAST = "UNPROCESSABLE_CONTENT: Can't process content. Cannot remove the last admin user from the system."
    const got = [
      (await api(t, 'DELETE', `/access/${acc}`)).error,
      (await api(t, 'PATCH', `/access/${acc}`, { role: null })).error,
      (await api(t, 'PATCH', `/policies/${policy}`, { admin_access: false })).error,
      (await api(t, 'DELETE', `/policies/${policy}`)).error,
      (await api(t, 'DELETE', `/roles/${me.role}`)).error,
      (await api(t, 'PATCH', `/users/${me.id}`, { role: null })).error,
    ]
    return [got.every((e) => e === LAST), 'only admin: removing its access row, admin_access, the policy, the role or the user\'s role → 422 "Cannot remove the last admin user"', got]
  }],
  ['H2', async (t) => {
    const me = (await api(t, 'GET', '/users/me?fields=id,role')).data
    const [{ id: acc, policy }] = (await api(t, 'GET', `/access?filter[role][_eq]=${me.role}&fields=id,policy`)).data
    const child = uuid(), childUser = uuid(), childToken = `probe-child-${uuid()}`
    await api(t, 'POST', '/roles', { id: child, name: 'probe-h2-child', parent: me.role })
    await api(t, 'POST', '/users', { id: childUser, email: `probe-h2c-${Date.now()}@example.com`, role: child, status: 'active', token: childToken })
    const childGlobals = await api({ ...t, token: childToken }, 'GET', '/policies/me/globals')
    // a second admin through its own admin policy, linked to the user (not to a role)
    const pol2 = uuid(), u2 = uuid(), token2 = `probe-admin2-${uuid()}`
    await api(t, 'POST', '/policies', { id: pol2, name: 'probe-h2-admin', admin_access: true, app_access: true })
    await api(t, 'POST', '/users', { id: u2, email: `probe-h2a-${Date.now()}@example.com`, role: null, status: 'active', token: token2, policies: [{ policy: pol2 }] })
    const t2 = { ...t, token: token2 }
    const del = await api(t, 'DELETE', `/access/${acc}`)
    const lost = await api(t, 'GET', '/policies/me/globals')
    const roles = await api(t, 'GET', '/roles?fields=id')
    const back = await api(t2, 'POST', '/access?fields=id', { id: acc, role: me.role, policy })
    const restored = await api(t, 'GET', '/policies/me/globals')
    // ip_access on the admin policy: not guarded by the last-admin check
    const ip = await api(t, 'PATCH', `/policies/${policy}?fields=id`, { ip_access: ['10.255.255.254'] })
    const ipLost = await api(t, 'GET', '/roles?fields=id')
    const ipBack = await api(t2, 'PATCH', `/policies/${policy}?fields=id`, { ip_access: null })
    const ipRestored = await api(t, 'GET', '/policies/me/globals')
    await api(t, 'DELETE', '/users', [u2, childUser])
    await api(t, 'DELETE', '/roles', [child])
    await api(t, 'DELETE', '/policies', [pol2])
    const ok = childGlobals.data?.admin_access === true && del.status === 204 && lost.data?.admin_access === false && roles.status === 403 &&
      back.status === 200 && restored.data?.admin_access === true && ip.status === 200 && ipLost.status === 403 && ipBack.status === 200 &&
      ipRestored.data?.admin_access === true
    return [ok, 'admin comes from the user\'s role and its ancestors (child role of the admin role is admin) and the user\'s own access rows; with a second admin, deleting the role\'s access row succeeds and the token loses admin; ip_access on the admin policy locks the token out (200)', { child: childGlobals.data, del: del.status, lost: lost.data, ip: ip.status, ipLost: ipLost.status }]
  }],
]

// ---------------------------------------------------------------------------------------------
// Small builders
// ---------------------------------------------------------------------------------------------
/** @param {Target} t */
async function flow(t) {
  const r = await api(t, 'POST', '/flows?fields=id', { name: `probe-${Date.now()}`, status: 'inactive', trigger: 'manual' })
  if (!r.data?.id) throw new Error(`POST /flows: ${r.status} ${r.error}`)
  return /** @type {string} */ (r.data.id)
}
/** @param {string} flowId @param {string} id @param {string} key @param {object} [extra] */
function op(flowId, id, key, extra = {}) {
  return { id, flow: flowId, key, type: 'log', position_x: 1, position_y: 1, options: { message: key }, ...extra }
}

/** Bootstraps a fresh SQLite database with `directus bootstrap` and reads its bootstrap ids. */
async function freshBootstrapIds(/** @type {string} */ version) {
  const { cli, node } = await ensureDirectus(version)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-config-boot-'))
  try {
    const file = path.join(dir, 'fresh.db')
    const env = {
      PATH: process.env.PATH, HOME: process.env.HOME, DB_CLIENT: 'sqlite3', DB_FILENAME: file, SECRET,
      ADMIN_EMAIL: 'probe@example.com', ADMIN_PASSWORD: 'probe-password', TELEMETRY: 'false', LOG_LEVEL: 'warn',
      ACCEPT_TERMS: 'true', EXTENSIONS_PATH: path.join(dir, 'extensions'),
    }
    // Asynchronous on purpose: a blocked event loop lets the instance close idle keep-alive sockets under fetch.
    await new Promise((resolve, reject) => {
      const child = spawn(node, [cli, 'bootstrap'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] })
      let err = ''
      child.stderr.on('data', (chunk) => (err += chunk))
      const timer = setTimeout(() => child.kill('SIGKILL'), 5 * 60_000)
      child.on('error', reject)
      child.on('exit', (code) => {
        clearTimeout(timer)
        if (code === 0) resolve(undefined)
        else reject(new Error(`directus bootstrap exited with ${code}: ${err.slice(0, 500)}`))
      })
    })
    const q = (/** @type {string} */ s) => execFileSync('sqlite3', [file, s], { encoding: 'utf8' }).trim()
    return {
      adminRole: q("select id from directus_roles where name = 'Administrator'"),
      adminPolicy: q("select id from directus_policies where name = 'Administrator'"),
      publicAccess: q(`select id from directus_access where policy = '${PUBLIC_POLICY}'`),
      policies: q('select id from directus_policies').split('\n'),
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
for (const version of VERSIONS) {
  const instance = await startDirectus({ version, db: DB, name: `probe-config-${version}`, env: { SECRET } })
  try {
    /** @type {Target} */
    const t = {
      url: instance.url,
      token: instance.adminToken,
      version,
      db: DB,
      dbFile: DB === 'sqlite' ? path.join(fs.readlinkSync(`/proc/${instance.pid}/cwd`), 'data.db') : undefined,
      dbName: instance.dbName,
      v12: version.startsWith('12.'),
    }
    console.log(`# Directus ${version} (${DB}) at ${instance.url}`)
    for (const [id, run] of CHECKS) {
      if (ONLY && !ONLY.has(id)) continue
      try {
        const [ok, title, detail] = await run(t)
        report(id, version, ok, title, detail)
      } catch (err) {
        report(id, version, false, 'threw', /** @type {Error} */ (err).message)
      }
    }
  } finally {
    await instance.stop()
  }
}
console.log(failures ? `${failures} check(s) failed` : 'all checks passed')
process.exitCode = failures ? 1 : 0
