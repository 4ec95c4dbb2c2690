/**
 * Configuration promotion's core against live Directus (issue #11), in-process:
 * two instances seeded independently (different ids, matching natural keys),
 * read, planned, applied batch by batch with applyBatches, re-read. After each
 * batch the target's fingerprint must be the one the plan simulated; after the
 * last, a new plan must be empty (a re-run is a no-op).
 *
 * CONFIG_STATES_DIR=<dir> writes the states read to <dir> (how the unit tests'
 * fixtures in __tests__/fixtures/config/ were captured).
 */
import { createHmac } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BASE_SECRET, seedConfig, TARGET_SECRET } from '../../scripts/lib/config-seed.mjs'
import { startDirectus, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { directusRequest } from '../../scripts/lib/seed.mjs'
import { fingerprintOf } from '../../src/core/config/fingerprint.js'
import { CONFIG_PARTS, operationsOf, type ConfigPlan, type ConfigState } from '../../src/core/config/model.js'
import { parseOverrides } from '../../src/core/config/overrides.js'
import { planConfig, type ConfigPlanOptions } from '../../src/core/config/plan.js'
import { connect, type DirectusConnection, type Side } from '../../src/directus/client.js'
import { readAdminIdentity, readConfigState } from '../../src/directus/config/read.js'
import { applyBatches } from '../../src/directus/config/write.js'
import { createTransport, type Transport } from '../../src/directus/transport.js'

const VERSIONS = (process.env['CONFIG_CORE_VERSIONS'] ?? '12.4.0,11.17.4').split(',')
const secretHash = (value: unknown) => createHmac('sha256', 'record-key').update(JSON.stringify(value)).digest('hex')

let transport: Transport
const instances: DirectusInstance[] = []

beforeAll(() => {
  transport = createTransport({ timeoutMs: 30_000 })
})

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()))
  await transport.close()
})

async function seeded(
  version: string,
  variant: 'base' | 'target'
): Promise<{ instance: DirectusInstance; connection: DirectusConnection }> {
  const instance = await startDirectus({ version, name: `config-core-${variant}-${version}` })
  instances.push(instance)
  await seedConfig(instance.url, instance.adminToken, variant)
  const connection = await connect(
    { side: variant as Side, url: new URL(`${instance.url}/`), auth: { kind: 'token', token: instance.adminToken } },
    transport,
    () => undefined
  )
  return { instance, connection }
}

function dump(name: string, state: ConfigState): void {
  const dir = process.env['CONFIG_STATES_DIR']
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(state, null, 2)}\n`)
}

describe.each(VERSIONS)('configuration promotion on %s', (version) => {
  let base: DirectusConnection
  let target: DirectusConnection
  let options: ConfigPlanOptions

  beforeAll(async () => {
    const [seededBase, seededTarget] = await Promise.all([seeded(version, 'base'), seeded(version, 'target')])
    const baseInstance = seededBase.instance
    base = seededBase.connection
    target = seededTarget.connection
    if (version.startsWith('11.')) {
      // A permission with custom rules (restricted fields, a filter, a validation, presets): only 11.x without a licence takes it (D1).
      const [editors] = (await directusRequest(
        baseInstance.url,
        baseInstance.adminToken,
        'GET',
        '/policies?filter[name][_eq]=Editors&fields=id'
      )) as { id: string }[]
      await directusRequest(baseInstance.url, baseInstance.adminToken, 'POST', '/permissions', {
        policy: editors?.id,
        collection: 'directus_users',
        action: 'update',
        fields: ['first_name', 'last_name'],
        permissions: { id: { _eq: '$CURRENT_USER' } },
        validation: { first_name: { _nnull: true } },
        presets: { language: 'en-US' }
      })
    }
    options = { parts: CONFIG_PARTS, mode: 'mirror', env: {}, secretHash, identity: await readAdminIdentity(target) }
  })

  it('plans by natural keys, applies batch by batch as simulated, and a re-run plans nothing', async () => {
    const baseState = await readConfigState(base, CONFIG_PARTS)
    const targetState = await readConfigState(target, CONFIG_PARTS)
    dump(`base-${version}`, baseState)
    dump(`target-${version}`, targetState)
    const plan = planConfig(baseState, targetState, options)
    const operations = operationsOf(plan)

    expect(plan.lockout).toBeUndefined()
    expect(plan.destructive).toBe(true)
    const labels = (kind: string) => operations.filter((operation) => operation.kind === kind).map((operation) => operation.label)
    expect(labels('delete')).toEqual(
      expect.arrayContaining([
        'policy "Legacy"',
        'role "Legacy"',
        'operation "old_step" of flow "Publish"',
        'permission "Editors" · directus_users · read'
      ])
    )
    expect(labels('create')).toEqual(
      expect.arrayContaining(['policy "Auditors"', 'flow "Nightly"', 'operation "log_failure" of flow "Publish"'])
    )
    // Matched by natural key, the target's own ids kept: the Editors policy is updated, not created.
    const editors = operations.find((operation) => operation.label === 'policy "Editors"')
    expect(editors).toMatchObject({ kind: 'update', matchedBy: 'natural-key', values: { description: 'Edit content' } })
    // The target's Authorization header is kept, and no secret is in a change.
    const notify = operations.find((operation) => operation.label === 'operation "notify" of flow "Publish"')
    expect(notify?.kind).toBe('update')
    expect(JSON.stringify(notify && 'changes' in notify ? notify.changes : [])).not.toContain('secret-')
    expect(notify && 'changes' in notify ? notify.changes : []).toContainEqual({ path: 'options.headers[0].value', secret: 'kept' })
    expect(JSON.stringify(operations.map((operation) => ('changes' in operation ? operation.changes : [])))).not.toContain(BASE_SECRET)
    expect(plan.batches.some((batch) => batch.collection === 'operations' && batch.kind === 'unlink')).toBe(true)
    expect(plan.fingerprints).toHaveLength(plan.batches.length + 1)
    expect(fingerprintOf(targetState, plan, secretHash)).toBe(plan.fingerprints[0])

    const seen: string[] = []
    const result = await applyBatches(target, plan.batches, {
      beforeBatch: async (_batch, index) => {
        seen.push(fingerprintOf(await readConfigState(target, plan.parts), plan, secretHash))
        expect(seen[index]).toBe(plan.fingerprints[index])
      }
    })
    expect(result.failed).toBeUndefined()
    expect(result.done).toHaveLength(plan.batches.length)

    const after = await readConfigState(target, CONFIG_PARTS)
    dump(`target-after-${version}`, after)
    expect(fingerprintOf(after, plan, secretHash)).toBe(plan.fingerprints[plan.batches.length])
    const again = planConfig(baseState, after, options)
    expect(operationsOf(again)).toEqual([])
    // Kept, not copied: the target still sends its own credential.
    const request = after.items.operations?.find((item) => item['key'] === 'notify')
    expect(JSON.stringify(request?.['options'])).toContain(TARGET_SECRET)
  })

  it('rewrites references to the target keys: the trigger operation runs the target flow, the chain branches on resolve and reject', async () => {
    const after = await readConfigState(target, CONFIG_PARTS)
    const flows = after.items.flows ?? []
    const operations = after.items.operations ?? []
    const byKey = (key: string) => operations.find((item) => item['key'] === key)
    const publish = flows.find((flow) => flow['name'] === 'Publish')
    expect(publish?.['operation']).toBe(byKey('check')?.['id'])
    expect(byKey('check')).toMatchObject({ resolve: byKey('notify')?.['id'], reject: byKey('log_failure')?.['id'], flow: publish?.['id'] })
    expect((byKey('run_publish')?.['options'] as Record<string, unknown>)['flow']).toBe(publish?.['id'])
    if (version.startsWith('12.')) {
      // A flow's folder (12.x only) is rewritten to the target's folder of the same path.
      const automations = after.items.folders?.find((folder) => folder['name'] === 'Automations' && folder['parent'] === null)
      expect(publish?.['folder']).toBe(automations?.['id'])
    }
    const editors = after.items.roles?.find((role) => role['name'] === 'Editors')
    expect(after.items.roles?.find((role) => role['name'] === 'Senior Editors')?.['parent']).toBe(editors?.['id'])
    if (version.startsWith('11.')) {
      const rich = after.items.permissions?.find((item) => item['collection'] === 'directus_users' && item['action'] === 'update')
      expect(rich).toMatchObject({
        fields: ['first_name', 'last_name'],
        permissions: { id: { _eq: '$CURRENT_USER' } },
        presets: { language: 'en-US' }
      })
    }
  })

  it('stops at the first failed batch, which Directus rolls back, and a re-run from the new state completes', async () => {
    const { connection: fresh } = await seeded(version, 'target')
    const baseState = await readConfigState(base, CONFIG_PARTS)
    // An operation of a flow no instance has: its create batch fails (INVALID_FOREIGN_KEY) after the batches before it.
    const broken: ConfigState = {
      ...baseState,
      items: {
        ...baseState.items,
        operations: [
          ...(baseState.items.operations ?? []),
          {
            id: '0b0b0b0b-0000-4000-8000-000000000001',
            key: 'bogus',
            type: 'log',
            flow: '0b0b0b0b-0000-4000-8000-000000000002',
            options: {}
          }
        ]
      }
    }
    const first = planConfig(broken, await readConfigState(fresh, CONFIG_PARTS), options)
    const result = await applyBatches(fresh, first.batches)
    expect(result.failed?.batch).toMatchObject({ collection: 'operations', kind: 'create' })
    expect(result.failed?.error.status).toBe(400)
    expect(result.done.length + 1 + result.pending.length).toBe(first.batches.length)
    const partway = await readConfigState(fresh, CONFIG_PARTS)
    expect(fingerprintOf(partway, first, secretHash)).toBe(first.fingerprints[result.done.length])

    const rerun = planConfig(baseState, partway, options)
    const rerunLabels = operationsOf(rerun).map((operation) => operation.label)
    expect(rerunLabels).not.toContain('policy "Auditors"')
    expect(rerunLabels).toContain('operation "log_failure" of flow "Publish"')
    expect((await applyBatches(fresh, rerun.batches)).failed).toBeUndefined()
    expect(operationsOf(planConfig(baseState, await readConfigState(fresh, CONFIG_PARTS), options))).toEqual([])
  })

  it('merge never deletes, and an override replaces a value from the environment', async () => {
    const overrides = parseOverrides(
      'operations:\n  Publish / notify:\n    options.url: $env:HOOK_URL\nsettings:\n  project_name: Production\n',
      'overrides.yml'
    )
    const plan: ConfigPlan = planConfig(await readConfigState(base, CONFIG_PARTS), await readConfigState(target, CONFIG_PARTS), {
      ...options,
      mode: 'merge',
      overrides,
      env: { HOOK_URL: 'https://hooks.example.com/production?token=abc' }
    })
    const operations = operationsOf(plan)
    expect(operations.filter((operation) => operation.kind === 'delete')).toEqual([])
    expect(operations.map((operation) => operation.label).sort()).toEqual(['operation "notify" of flow "Publish"', 'settings'])
    expect(JSON.stringify(operations.map((operation) => ('changes' in operation ? operation.changes : [])))).not.toContain('abc')
    const result = await applyBatches(target, plan.batches)
    expect(result.failed).toBeUndefined()
    const after = await readConfigState(target, CONFIG_PARTS)
    expect(after.items.settings?.[0]?.['project_name']).toBe('Production')
    expect(fingerprintOf(after, plan, secretHash)).toBe(plan.fingerprints[plan.batches.length])
  })
})
