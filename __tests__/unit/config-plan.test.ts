/**
 * planConfig on states read from two live 12.4.0 instances seeded independently (fixtures/config/), and on
 * small changes of them: what is planned, in which order, what stays secret, and what the seal covers.
 */
import { createHmac } from 'node:crypto'
import { fingerprintOf, simulatePlan } from '../../src/core/config/fingerprint.js'
import { operationsOf, type ConfigItem, type ConfigPlan, type ConfigState } from '../../src/core/config/model.js'
import { parseOverrides } from '../../src/core/config/overrides.js'
import { planConfig, type ConfigPlanOptions } from '../../src/core/config/plan.js'
import { requestFor } from '../../src/directus/config/write.js'
import { adminRoleOf, allPartsOptions, configState, SEEDED_SECRETS } from './helpers/config-states.js'

const base = configState('base-12.4.0')
const target = configState('target-12.4.0')
const { base: BASE_SECRET, target: TARGET_SECRET } = SEEDED_SECRETS
const secretHash = (value: unknown) => createHmac('sha256', 'record key').update(JSON.stringify(value)).digest('hex')
const adminRole = adminRoleOf(target)
const options: ConfigPlanOptions = allPartsOptions(target, secretHash)

function withItems(state: ConfigState, collection: keyof ConfigState['items'], change: (items: ConfigItem[]) => ConfigItem[]): ConfigState {
  return { ...state, items: { ...state.items, [collection]: change([...(state.items[collection] ?? [])]) } }
}

const changesOf = (plan: ConfigPlan) =>
  JSON.stringify(operationsOf(plan).map((operation) => ('changes' in operation ? operation.changes : [])))
const order = (plan: ConfigPlan) => plan.batches.map((batch) => `${batch.collection} ${batch.kind}`)

describe('planConfig', () => {
  const plan = planConfig(base, target, options)

  it('leaves nothing to do once applied: planning again on the simulated target is empty', () => {
    expect(operationsOf(plan).length).toBeGreaterThan(10)
    expect(operationsOf(planConfig(base, simulatePlan(target, plan.batches), options))).toEqual([])
  })

  it('orders batches: creates and updates in collection order, unlinks before creates, the first operation linked last, deletes reversed', () => {
    expect(order(plan)).toEqual([
      'folders create',
      'policies create',
      'policies update',
      'roles create',
      'access create',
      'permissions create',
      'flows create',
      'operations unlink',
      'operations create',
      'operations update',
      'flows update',
      'panels update',
      'presets create',
      'translations create',
      'translations update',
      'settings update',
      'panels delete',
      'operations delete',
      'permissions delete',
      'access delete',
      'roles delete',
      'policies delete',
      'folders delete'
    ])
    // The new flow is created without its first operation, which is linked once the operation exists.
    const nightly = plan.batches.find((batch) => batch.collection === 'flows' && batch.kind === 'create')?.operations[0]
    expect(nightly?.kind === 'create' && nightly.values['operation']).toBeNull()
    const link = plan.batches.find((batch) => batch.collection === 'flows' && batch.kind === 'update')?.operations[0]
    expect(link?.kind === 'update' && Object.keys(link.values)).toEqual(['operation'])
  })

  it('rewrites references to the target keys', () => {
    const keyOf = (state: ConfigState, collection: 'policies' | 'flows' | 'roles', name: string) =>
      state.items[collection]?.find((item) => item['name'] === name)?.['id']
    const create = operationsOf(plan).find((operation) => operation.label === 'permission "Editors" · directus_files · create')
    expect(create?.kind === 'create' && create.values['policy']).toBe(keyOf(target, 'policies', 'Editors'))
    const trigger = operationsOf(plan).find((operation) => operation.label === 'operation "run_publish" of flow "Nightly"')
    expect(trigger?.kind === 'create' && (trigger.values['options'] as Record<string, unknown>)['flow']).toBe(
      keyOf(target, 'flows', 'Publish')
    )
    const preset = operationsOf(plan).find((operation) => operation.collection === 'presets' && operation.kind === 'create')
    expect(preset?.kind === 'create' && preset.values['role']).toBe(keyOf(target, 'roles', 'Editors'))
    const senior = operationsOf(plan).find((operation) => operation.label === 'role "Senior Editors"')
    expect(senior?.kind === 'create' && senior.values['parent']).toBe(keyOf(target, 'roles', 'Editors'))
  })

  it("maps an item operation's role (options.permissions) to the target's role", () => {
    const editors = (state: ConfigState) => state.items.roles?.find((role) => role['name'] === 'Editors')?.['id']
    const withItemRead = withItems(base, 'operations', (items) => [
      ...items,
      {
        id: 'read-op',
        key: 'read_files',
        type: 'item-read',
        flow: items[0]?.['flow'],
        options: { collection: 'directus_files', permissions: editors(base) }
      },
      { id: 'read-public', key: 'read_public', type: 'item-read', flow: items[0]?.['flow'], options: { permissions: '$public' } }
    ])
    const mapped = operationsOf(planConfig(withItemRead, target, options))
    const optionsOf = (key: string) => {
      const found = mapped.find((operation) => operation.key === key)
      return found?.kind === 'create' ? (found.values['options'] as Record<string, unknown>) : undefined
    }
    expect(optionsOf('read-op')?.['permissions']).toBe(editors(target))
    expect(optionsOf('read-public')?.['permissions']).toBe('$public')
  })

  it('sends only the changed fields of an update', () => {
    const translation = operationsOf(plan).find((operation) => operation.label === 'translation en-US · greeting')
    expect(translation).toMatchObject({
      kind: 'update',
      values: { value: 'Hello' },
      changes: [{ path: 'value', before: 'Hi', after: 'Hello' }]
    })
    expect(translation?.kind === 'update' && Object.keys(translation.values)).toEqual(['value'])
  })

  it('never deletes in merge mode, and marks deleting a policy, role or flow destructive in mirror mode', () => {
    const merge = planConfig(base, target, { ...options, mode: 'merge' })
    expect(operationsOf(merge).filter((operation) => operation.kind === 'delete')).toEqual([])
    expect(merge.destructive).toBe(false)
    expect(plan.destructive).toBe(true)
  })

  it('keeps the target secret, shows no secret in a change, and seals secrets only as keyed hashes', () => {
    const notify = operationsOf(plan).find((operation) => operation.label === 'operation "notify" of flow "Publish"')
    expect(notify?.kind === 'update' && notify.changes).toContainEqual({ path: 'options.headers[0].value', secret: 'kept' })
    expect(JSON.stringify(notify?.kind === 'update' && notify.values)).toContain(TARGET_SECRET)
    expect(changesOf(plan)).not.toMatch(/secret-/)
    expect(JSON.stringify(plan.fingerprints) + plan.digest).not.toMatch(/secret-/)
    // The digest moves with the secret it sends, and with the key of the hash.
    const otherSecret = withItems(target, 'operations', (items) =>
      items.map((item) =>
        item['key'] === 'notify'
          ? { ...item, options: { ...(item['options'] as object), headers: [{ header: 'Authorization', value: 'Bearer rotated' }] } }
          : item
      )
    )
    expect(planConfig(base, otherSecret, options).digest).not.toBe(plan.digest)
    expect(
      planConfig(base, target, {
        ...options,
        secretHash: (value) => createHmac('sha256', 'other').update(JSON.stringify(value)).digest('hex')
      }).digest
    ).not.toBe(plan.digest)
  })

  it('copies a secret the target does not have, shown only as changed (secret)', () => {
    const withoutHeader = withItems(target, 'operations', (items) =>
      items.map((item) =>
        item['key'] === 'notify' ? { ...item, options: { method: 'POST', url: 'https://hooks.example.com/target' } } : item
      )
    )
    const copied = planConfig(base, withoutHeader, options)
    const notify = operationsOf(copied).find((operation) => operation.label === 'operation "notify" of flow "Publish"')
    expect(notify?.kind === 'update' && notify.changes).toContainEqual({ path: 'options.headers[0].value', secret: 'changed' })
    expect(JSON.stringify(notify?.kind === 'update' && notify.values)).toContain(BASE_SECRET)
    expect(changesOf(copied)).not.toContain(BASE_SECRET)
  })

  it('applies overrides, an environment variable as a secret, and names what it cannot find', () => {
    const overrides = parseOverrides(
      JSON.stringify({
        operations: { 'Publish / notify': { 'options.url': '$env:HOOK', 'options.method': 'PUT' } },
        settings: { project_name: 'Production' }
      }),
      'overrides.json'
    )
    const overridden = planConfig(base, target, { ...options, overrides, env: { HOOK: 'https://hooks.example.com/prod?token=t0k3n' } })
    const notify = operationsOf(overridden).find((operation) => operation.label === 'operation "notify" of flow "Publish"')
    expect(notify?.kind === 'update' && notify.changes).toEqual(
      expect.arrayContaining([
        { path: 'options.url', secret: 'override' },
        { path: 'options.method', before: 'POST', after: 'PUT' }
      ])
    )
    expect(changesOf(overridden)).not.toContain('t0k3n')
    const settings = operationsOf(overridden).find((operation) => operation.collection === 'settings')
    expect(settings?.kind === 'update' && settings.values['project_name']).toBe('Production')

    const projectUrl = parseOverrides('settings:\n  project_url: https://x.example.com\n', 'o.yml')
    expect(() => planConfig(base, target, { ...options, overrides: projectUrl })).toThrow(/settings "project_url" is never promoted/)
    const unknown = parseOverrides(
      'flows:\n  Missing:\n    options.url: x\noperations:\n  Publish / notify:\n    option.url: x\n    options.headers[0].value: $env:NOPE\n',
      'o.yml'
    )
    expect(() => planConfig(base, target, { ...options, overrides: unknown })).toThrow(
      /o\.yml: flows "Missing": no such record on the base; operations "Publish \/ notify": "option\.url" is not a path of the record .*; operations "Publish \/ notify" "options\.headers\[0\]\.value": the environment variable NOPE is not set/
    )
  })

  it('refuses to plan away the admin access of the identity apply runs as (lockout)', () => {
    const adminPolicy = base.items.policies?.find((policy) => policy['name'] === 'Administrator')?.['id']
    const withoutAdmin = withItems(
      withItems(base, 'policies', (items) => items.filter((item) => item['id'] !== adminPolicy)),
      'access',
      (items) => items.filter((item) => item['policy'] !== adminPolicy)
    )
    const lockout = planConfig(withoutAdmin, target, options)
    expect(lockout.lockout).toMatch(
      /take admin access away from the user apply runs as on the target \(u1\): .*delete policy "Administrator"/
    )
    expect(planConfig(withoutAdmin, target, { ...options, mode: 'merge' }).lockout).toBeUndefined()
    expect(plan.lockout).toBeUndefined()
    // An ip_access on the granting policy may exclude the runner: counted as losing admin.
    const fenced = withItems(base, 'policies', (items) =>
      items.map((item) => (item['id'] === adminPolicy ? { ...item, ip_access: ['10.0.0.0/8'] } : item))
    )
    expect(planConfig(fenced, target, { ...options, mode: 'merge' }).lockout).toMatch(/update policy "Administrator"/)
    // Admin through a user-level link to another admin policy survives the role losing it.
    const secondAdmin = withItems(target, 'policies', (items) => [
      ...items,
      { id: 'p2', name: 'Break glass', admin_access: true, ip_access: null }
    ])
    expect(
      planConfig(
        withItems(withoutAdmin, 'policies', (items) => [...items, { id: 'p2', name: 'Break glass', admin_access: true, ip_access: null }]),
        secondAdmin,
        { ...options, identity: { user: 'u1', role: adminRole, userPolicies: ['p2'] } }
      ).lockout
    ).toBeUndefined()
  })

  it('says in advance what an unlicensed 12.x target refuses, and sends fields with every permission update', () => {
    const restricted = withItems(base, 'permissions', (items) =>
      items.map((item) =>
        item['action'] === 'read' && item['collection'] === 'directus_files'
          ? { ...item, fields: ['id', 'title'], permissions: { id: { _nnull: true } } }
          : item
      )
    )
    const limited = planConfig(restricted, target, options)
    expect(limited.limits.map((limit) => limit.text)).toContainEqual(
      expect.stringMatching(/will refuse 1 of the permission writes .*permission "Editors" · directus_files · read/)
    )
    const update = operationsOf(limited).find((operation) => operation.label === 'permission "Editors" · directus_files · read')
    expect(update?.kind === 'update' && Object.keys(update.values).sort()).toEqual(['fields', 'permissions'])
    const { entitlements: _none, ...licensed } = target
    expect(planConfig(restricted, { ...licensed, limits: [] }, options).limits).toEqual([])
  })

  it('fingerprints the target: any compared change, a new record, but not the order of the records', () => {
    const reordered = withItems(target, 'policies', (items) => items.reverse())
    expect(fingerprintOf(reordered, plan, secretHash)).toBe(plan.fingerprints[0])
    const renamed = withItems(target, 'translations', (items) => items.map((item) => ({ ...item, value: 'Hey' })))
    expect(fingerprintOf(renamed, plan, secretHash)).not.toBe(plan.fingerprints[0])
    const added = withItems(target, 'presets', (items) => [...items, { id: 99, collection: 'x', bookmark: 'y' }])
    expect(fingerprintOf(added, plan, secretHash)).not.toBe(plan.fingerprints[0])
    // Integer keys are the target's own: a permission recreated under a new id is the same permission.
    const renumbered = withItems(target, 'permissions', (items) => items.map((item) => ({ ...item, id: Number(item['id']) + 100 })))
    expect(fingerprintOf(renumbered, plan, secretHash)).toBe(plan.fingerprints[0])
    expect(new Set(plan.fingerprints).size).toBe(plan.fingerprints.length)
  })

  it('nulls a link another record will take, even on a record merge leaves in place', () => {
    const notify = target.items.operations?.find((item) => item['key'] === 'notify')
    const stray = { id: 'stray', key: 'stray', type: 'log', flow: notify?.['flow'], resolve: notify?.['id'], reject: null, options: {} }
    const crowded = withItems(target, 'operations', (items) => [
      ...items.map((item) => (item['key'] === 'check' ? { ...item, reject: null } : item)),
      stray
    ])
    const merge = planConfig(base, crowded, { ...options, mode: 'merge' })
    const unlinks = merge.batches.find((batch) => batch.collection === 'operations' && batch.kind === 'unlink')?.operations
    expect(unlinks).toContainEqual(expect.objectContaining({ key: 'stray', fields: ['resolve'] }))
    const after = simulatePlan(crowded, merge.batches).items.operations ?? []
    const resolves = after.map((item) => item['resolve']).filter((value) => value !== null)
    expect(new Set(resolves).size).toBe(resolves.length)
  })

  it('creates an operation chain from its end, breaking a cycle with a link afterwards', () => {
    const flow = target.items.flows?.[0]?.['id']
    const ops = [
      { id: 'a', key: 'a', flow, resolve: 'b', reject: null, type: 'log' },
      { id: 'b', key: 'b', flow, resolve: 'c', reject: null, type: 'log' },
      { id: 'c', key: 'c', flow, resolve: 'a', reject: null, type: 'log' }
    ]
    const chained = planConfig(
      withItems(base, 'operations', () => ops),
      withItems(target, 'operations', () => []),
      { ...options, parts: ['flows'], mode: 'merge' }
    )
    const creates = chained.batches.find((batch) => batch.collection === 'operations' && batch.kind === 'create')?.operations ?? []
    expect(creates.map((operation) => operation.key)).toEqual(['c', 'b', 'a'])
    expect(creates.map((operation) => operation.kind === 'create' && operation.values['resolve'])).toEqual([null, 'c', 'b'])
    const links = chained.batches.find((batch) => batch.collection === 'operations' && batch.kind === 'update')?.operations
    expect(links).toMatchObject([{ key: 'c', values: { resolve: 'a' } }])
  })
})

describe('requestFor', () => {
  const plan = planConfig(base, target, options)
  const batch = (collection: string, kind: string) => plan.batches.find((found) => found.collection === collection && found.kind === kind)!

  it('sends one array request per batch, and the settings as one PATCH', () => {
    expect(requestFor(batch('policies', 'create'))).toMatchObject({ method: 'POST', path: '/policies' })
    expect(JSON.parse(requestFor(batch('policies', 'create')).body as string)).toEqual([expect.objectContaining({ name: 'Auditors' })])
    const unlink = JSON.parse(requestFor(batch('operations', 'unlink')).body as string) as Record<string, unknown>[]
    expect(unlink).toEqual([{ id: expect.any(String), resolve: null, reject: null }])
    expect(requestFor(batch('operations', 'update'))).toMatchObject({ method: 'PATCH', path: '/operations' })
    expect(requestFor(batch('folders', 'delete'))).toMatchObject({ method: 'DELETE', path: '/folders' })
    expect(JSON.parse(requestFor(batch('permissions', 'delete')).body as string)).toEqual([2])
    const settings = requestFor(batch('settings', 'update'))
    expect(settings).toMatchObject({ method: 'PATCH', path: '/settings' })
    expect(JSON.parse(settings.body as string)).toEqual({ project_name: 'Promoted', project_color: '#6644FF' })
  })
})

describe('what a plan carries for the report', () => {
  it("carries a changed flow's operations, so its chain is shown although no operation changes", () => {
    const flow = target.items.flows?.find((item) => (target.items.operations ?? []).some((operation) => operation['flow'] === item['id']))
    if (flow === undefined) throw new Error('the captured target has no flow with operations')
    const renamed = withItems(target, 'flows', (items) =>
      items.map((item) => (item['id'] === flow['id'] ? { ...item, status: item['status'] === 'active' ? 'inactive' : 'active' } : item))
    )
    const plan = planConfig(renamed, target, { ...options, parts: ['flows'] })
    expect(operationsOf(plan).map((operation) => `${operation.kind} ${operation.collection}`)).toEqual(['update flows'])
    const chain = (target.items.operations ?? [])
      .filter((operation) => operation['flow'] === flow['id'])
      .map((operation) => operation['id'])
    expect(chain.length).toBeGreaterThan(0)
    expect((plan.related?.operations ?? []).map((operation) => operation['id']).sort()).toEqual([...chain].sort())
  })
})
