/**
 * Configuration promotion end to end (issue #11): the committed dist/index.js,
 * live Directus 12.4.0 and 11.17.4, and the stand-in GitHub. Base and target
 * are seeded independently (scripts/lib/config-seed.mjs: different ids, the
 * same natural keys), so every match below is by natural key or carried key.
 *
 * Unlicensed 12.4 holds no permission with custom rules and at most 5 active
 * flows: the seed stays within that on both versions (inactive flows,
 * permissions on every field), and the rich permission is promoted on 11.17.4.
 */
import { BASE_SECRET, RICH_PERMISSION, seedConfig, TARGET_SECRET } from '../../scripts/lib/config-seed.mjs'
import type { DirectusInstance, SeedTemplate } from '../../scripts/lib/directus-instance.mjs'
import { channels, type ActionRun } from '../../scripts/lib/run-action.mjs'
import { directusRequest } from '../../scripts/lib/seed.mjs'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { approveAndMerge, expectOneCleanFailure, useLive, type InstanceSpec } from '../support/live.js'
import { runCli } from '../support/run-cli.js'

const VERSIONS = (process.env['CONFIG_E2E_VERSIONS'] ?? '12.4.0,11.17.4').split(',')
/** Every configuration part: the schema is left out, so these plans are configuration alone. */
const ALL_PARTS = 'access, flows, dashboards, presets, translations, settings, folders'

/** The two seeds of config-seed.mjs as templates, built once per version: rename one when config-seed.mjs changes. */
const CONFIG_BASE: SeedTemplate = { name: 'config-base-v1', run: (instance) => seedConfig(instance.url, instance.adminToken, 'base') }
const CONFIG_TARGET: SeedTemplate = { name: 'config-target-v1', run: (instance) => seedConfig(instance.url, instance.adminToken, 'target') }

interface Operation {
  id: string
  key: string
  resolve: string | null
  reject: string | null
  options: Record<string, unknown> | null
}

describe.each(VERSIONS)('configuration promotion on Directus %s', (version) => {
  const is12 = version.startsWith('12.')
  const seededTarget: InstanceSpec = { version, seed: CONFIG_TARGET }
  /** A seeded target of its own for each test; the version-specific ones only where their test runs. */
  const live = useLive({
    name: `config-e2e-${version}`,
    directus: {
      base: { version, seed: CONFIG_BASE },
      mirror: seededTarget,
      merge: seededTarget,
      ambiguous: seededTarget,
      drifted: seededTarget,
      partway: seededTarget,
      lockout: seededTarget,
      licence: is12 ? seededTarget : undefined,
      rich: is12 ? undefined : seededTarget,
      overrides: seededTarget,
      cli: seededTarget
    },
    github: true,
    inputs: { 'timeout-seconds': '120' },
    firstPr: is12 ? 1200 : 1100
  })
  const proxies: FaultProxy[] = []
  let base: DirectusInstance

  beforeAll(() => {
    base = live.directus.base
  })

  afterAll(async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()))
  })

  const inputsFor = (target: DirectusInstance, extra: Record<string, string>) => live.inputs(extra, { base, target })

  const get = (instance: DirectusInstance, path: string) => directusRequest(instance.url, instance.adminToken, 'GET', path)

  async function operationsOf(instance: DirectusInstance, flowName: string): Promise<Map<string, Operation>> {
    const [found] = (await get(instance, `/flows?filter[name][_eq]=${encodeURIComponent(flowName)}&fields=id`)) as { id: string }[]
    const operations = (await get(
      instance,
      `/operations?filter[flow][_eq]=${found?.id}&fields=id,key,resolve,reject,options&limit=-1`
    )) as Operation[]
    return new Map(operations.map((operation) => [operation.key, operation]))
  }

  async function names(instance: DirectusInstance, collection: string): Promise<string[]> {
    return ((await get(instance, `/${collection}?fields=name&limit=-1`)) as { name: string }[]).map((item) => item.name).sort()
  }

  /** No secret of either side, and no credential, in any channel of the runs, in the comment or in its record. */
  function expectNoSecrets(runs: ActionRun[], pr: number): void {
    const comment = live.comment(pr)
    const record = /record=([A-Za-z0-9._~-]+)/.exec(comment)?.[1]?.split('.')[1]
    const decoded = record ? Buffer.from(record, 'base64url').toString('utf8') : ''
    const everything = [...runs.map((run) => channels(run)), comment, decoded].join('\n')
    for (const secret of [BASE_SECRET, TARGET_SECRET, ...live.secrets()]) {
      expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false })
    }
    // Not even base64-encoded inside the packed record.
    expect(decoded).not.toContain(Buffer.from(BASE_SECRET).toString('base64').slice(0, 16))
  }

  it('mirror: plans every part as its own section, applies creates, updates and deletes, and a re-run changes nothing', async () => {
    const target = live.directus.mirror
    const inputs = inputsFor(target, { promote: ALL_PARTS, 'allow-destructive': 'true' })
    const review = await live.review(inputs)
    expect(review.plan.code).toBe(0)
    expect(review.plan.outputs['has-changes']).toBe('true')
    expect(Number(review.plan.outputs['config-changes'])).toBeGreaterThan(10)
    // The target's Legacy policy, role and flow step go: mirror deletes what the base lacks.
    expect(review.plan.outputs['destructive']).toBe('true')
    expect(review.plan.outputs['hash']).toBe('')
    const comment = live.comment(review.pr)
    expect(comment).toContain('The schema is not promoted')
    for (const subject of ['Legacy', 'Auditors', 'Senior Editors', 'run&#95;publish', 'Publish', 'Overview', 'greeting', 'Publishing']) {
      expect(comment).toContain(subject)
    }
    expect(comment).toContain('kept the target&#39;s value')

    const apply = await live.apply(inputs, review)
    expect(apply.stdout).not.toMatch(/::error/)
    expect(apply.code).toBe(0)
    expect(apply.outputs['applied']).toBe('true')
    expect(apply.outputs['applied-changes']).toMatch(/^configuration /)
    expect(live.comment(review.pr)).toMatch(/Applied configuration .* at \d{4}-\d\d-\d\dT/)

    // Created, updated and deleted as the base has them, matched by natural keys across independent ids.
    expect(await names(target, 'policies')).toEqual(await names(base, 'policies'))
    expect(await names(target, 'roles')).toEqual(await names(base, 'roles'))
    expect(await names(target, 'flows')).toEqual(await names(base, 'flows'))
    const translations = (await get(target, '/translations?fields=language,key,value&sort=language')) as unknown[]
    expect(translations).toEqual(await get(base, '/translations?fields=language,key,value&sort=language'))
    const settings = (await get(target, '/settings?fields=project_name,project_color,project_url')) as Record<string, string>
    // Promoted from the allow-list; the project URL is never promoted.
    expect(settings).toEqual({ project_name: 'Promoted', project_color: '#6644FF', project_url: 'https://target.example.com' })

    // References rewritten: the condition branches to the target's own operations, resolve and reject as in the base.
    const operations = await operationsOf(target, 'Publish')
    expect([...operations.keys()].sort()).toEqual(['check', 'log_failure', 'notify'])
    expect(operations.get('check')?.resolve).toBe(operations.get('notify')?.id)
    expect(operations.get('check')?.reject).toBe(operations.get('log_failure')?.id)
    // The target's own secret is kept: the base's Authorization header value was not copied over it.
    expect(JSON.stringify(operations.get('notify')?.options)).toContain(TARGET_SECRET)
    const [publish] = (await get(target, '/flows?filter[name][_eq]=Publish&fields=id,operation')) as { id: string; operation: string }[]
    expect(publish?.operation).toBe(operations.get('check')?.id)
    const nightly = await operationsOf(target, 'Nightly')
    expect(nightly.get('run_publish')?.options?.['flow']).toBe(publish?.id)

    const rerun = await live.apply(inputs, review)
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['applied']).toBe('false')
    expect(rerun.outputs['config-changes']).toBe('0')
    expectNoSecrets([review.plan, apply, rerun], review.pr)
  })

  it('merge: creates and updates, and deletes nothing the base lacks', async () => {
    const target = live.directus.merge
    const inputs = inputsFor(target, { promote: ALL_PARTS, 'diff-mode': 'merge' })
    const review = await live.review(inputs)
    expect(review.plan.code).toBe(0)
    expect(review.plan.outputs['destructive']).toBe('false')
    const apply = await live.apply(inputs, review)
    expect(apply.code).toBe(0)
    expect(apply.outputs['applied']).toBe('true')
    expect(await names(target, 'policies')).toEqual(expect.arrayContaining(['Auditors', 'Editors', 'Legacy']))
    expect([...(await operationsOf(target, 'Publish')).keys()].sort()).toEqual(['check', 'log_failure', 'notify', 'old_step'])
  })

  it('refuses an ambiguous match: two target records with one natural key, both listed, nothing guessed', async () => {
    const target = live.directus.ambiguous
    const second = await directusRequest(target.url, target.adminToken, 'POST', '/policies', { name: 'Editors', app_access: true })
    const review = await live.review(inputsFor(target, { promote: 'access' }))
    expectOneCleanFailure(review.plan, /Editors/, new RegExp(second.id as string))
  })

  it('refuses with target-changed when a configuration record drifted after review, applying nothing', async () => {
    const target = live.directus.drifted
    const inputs = inputsFor(target, { promote: 'flows' })
    const review = await live.review(inputs)
    expect(review.plan.code).toBe(0)
    const [publish] = (await get(target, '/flows?filter[name][_eq]=Publish&fields=id')) as { id: string }[]
    await directusRequest(target.url, target.adminToken, 'PATCH', `/flows/${publish?.id}`, { description: 'changed by hand' })
    const before = JSON.stringify(await operationsOf(target, 'Publish'))
    const apply = await live.apply(inputs, review)
    expectOneCleanFailure(apply, /configuration on the target changed since the plan/)
    expect(apply.outputs['failure-reason']).toBe('target-changed')
    expect(apply.outputs['applied']).toBe('false')
    expect(JSON.stringify(await operationsOf(target, 'Publish'))).toBe(before)
    expect(live.comment(review.pr)).toContain('Apply refused (`target-changed`)')
  })

  it('reports a part-way failure with exactly what was done, then a re-run applies only the rest', async () => {
    const target = live.directus.partway
    // The same target URL for plan and apply (the record is bound to it), through a proxy that can fail one request.
    const proxy = await startFaultProxy(target.url)
    proxies.push(proxy)
    const inputs = { ...inputsFor(target, { promote: ALL_PARTS, 'allow-destructive': 'true' }), 'target-url': proxy.url }
    const review = await live.review(inputs)
    expect(review.plan.code).toBe(0)
    proxy.add({
      method: 'POST',
      path: /^\/translations/,
      fault: {
        kind: 'status',
        status: 503,
        body: '{"errors":[{"message":"Service Unavailable","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}',
        headers: { 'content-type': 'application/json' }
      }
    })
    const failed = await live.apply(inputs, review)
    expect(failed.code).toBe(1)
    expect(failed.outputs['failure-reason']).toBe('partially-applied')
    expect(failed.outputs['applied']).toBe('partial')
    expect(failed.outputs['applied-changes']).toMatch(/configuration .*policies/)
    expect(failed.outputs['pending-changes']).toMatch(/configuration \+1 translations.*~1 settings/)
    expect(live.comment(review.pr)).toContain('Apply failed part-way')
    // What was done is on the target (creates come first), what was not is not (deletes come last, in reverse order).
    expect(failed.outputs['pending-changes']).toMatch(/-1 policies/)
    expect(await names(target, 'policies')).toEqual(expect.arrayContaining(['Auditors', 'Legacy']))
    expect(proxy.injected()).toBe(1)

    proxy.clear()
    const rerun = await live.apply(inputs, review)
    expect(rerun.stdout).not.toMatch(/::error/)
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['applied']).toBe('true')
    expect(rerun.stdout).toContain('An earlier run of this plan applied')
    expect(await names(target, 'policies')).toEqual(await names(base, 'policies'))
    const replan = await live.review(inputs)
    expect(replan.plan.outputs['config-changes']).toBe('0')
    expectNoSecrets([review.plan, failed, rerun, replan.plan], review.pr)
  })

  it('refuses a plan that would remove admin access from the identity apply runs as: lockout', async () => {
    const target = live.directus.lockout
    // Apply runs as a user whose admin access comes from a policy the base lacks: mirror would delete it.
    const post = (path: string, body: unknown) => directusRequest(target.url, target.adminToken, 'POST', path, body)
    const policy = await post('/policies', { name: 'Ops admins', admin_access: true, app_access: true })
    const role = await post('/roles', { name: 'Ops' })
    await post('/access', { role: role.id, policy: policy.id })
    const token = `ops-token-${version.replace(/\./g, '-')}-0123456789`
    await post('/users', { email: `ops-${version}@example.com`, password: 'ops-password-123', role: role.id, token })
    const inputs = { ...inputsFor(target, { promote: 'access', 'allow-destructive': 'true' }), 'target-token': token }
    const review = await live.review(inputs)
    expect(review.plan.code).toBe(0)
    expect(live.comment(review.pr)).toContain('cannot be applied')
    const apply = await live.apply(inputs, review)
    expectOneCleanFailure(apply, /lock this action out of admin access/)
    expect(apply.outputs['failure-reason']).toBe('lockout')
    expect(await names(target, 'policies')).toContain('Ops admins')
  })

  const on11 = is12 ? it.skip : it
  const on12 = is12 ? it : it.skip

  on12('says in the plan, before anyone merges, what an unlicensed 12.4 cannot compare or hold', async () => {
    const target = live.directus.licence
    const review = await live.review(inputsFor(target, { promote: 'access, flows' }))
    expect(review.plan.code).toBe(0)
    const comment = live.comment(review.pr)
    expect(comment).toContain('no licence for custom permission rules')
    expect(comment).toContain('allows 5 active flows without a licence')
    expect(review.plan.stdout).toMatch(/::notice::.*no licence for custom permission rules/)
  })

  on11(
    'promotes a permission with custom rules (fields, filter, validation, presets), which only a licensed or 11.x target holds',
    async () => {
      const target = live.directus.rich
      const [editors] = (await get(base, '/policies?filter[name][_eq]=Editors&fields=id')) as { id: string }[]
      await directusRequest(base.url, base.adminToken, 'POST', '/permissions', { policy: editors?.id, ...RICH_PERMISSION })
      const inputs = inputsFor(target, { promote: 'access', 'allow-destructive': 'true' })
      const review = await live.review(inputs)
      expect(review.plan.code).toBe(0)
      expect(live.comment(review.pr)).toContain('directus&#95;users')
      const apply = await live.apply(inputs, review)
      expect(apply.code).toBe(0)
      const [targetEditors] = (await get(target, '/policies?filter[name][_eq]=Editors&fields=id')) as { id: string }[]
      const promoted = (await get(
        target,
        `/permissions?filter[policy][_eq]=${targetEditors?.id}&filter[collection][_eq]=directus_users&filter[action][_eq]=update&fields=collection,action,fields,permissions,validation,presets`
      )) as unknown[]
      expect(promoted).toEqual([RICH_PERMISSION])
    }
  )

  it('applies a checked-in overrides file: a per-target URL and a secret from the job environment, read at the planned and the merged commit', async () => {
    const target = live.directus.overrides
    const secret = `Bearer staging-hook-${version}-5d1e`
    const overrides = [
      'operations:',
      '  Publish / notify:',
      '    options.url: https://hooks.example.com/staging',
      '    options.headers[0].value: $env:STAGING_HOOK_TOKEN',
      ''
    ].join('\n')
    // A pull request of its own number, so the planned and merged commits are known before the plan.
    const pr = is12 ? 1290 : 1190
    const headSha = `${pr}`.padStart(40, 'a')
    const mergeSha = `${pr}`.padStart(40, 'b')
    for (const sha of [headSha, mergeSha]) live.github.addFile('acme', 'site', 'directus/staging-overrides.yaml', overrides, { ref: sha })
    const inputs = inputsFor(target, { promote: 'flows', 'config-overrides': 'directus/staging-overrides.yaml' })
    const env = { STAGING_HOOK_TOKEN: secret }
    const plan = await live.planOnPullRequest(pr, inputs, { headSha, env, timeoutMs: 120_000 })
    expect(plan.code).toBe(0)
    expect(plan.stdout).toContain(`Read directus/staging-overrides.yaml at ${headSha}`)
    approveAndMerge(live.github, pr, mergeSha)
    const apply = await live.apply(inputs, mergeSha, 120_000, env)
    expect(apply.stdout).toContain(`Read directus/staging-overrides.yaml at ${mergeSha}`)
    expect(apply.stdout).not.toMatch(/::error/)
    expect(apply.code).toBe(0)
    const notify = (await operationsOf(target, 'Publish')).get('notify')
    expect(notify?.options?.['url']).toBe('https://hooks.example.com/staging')
    expect(JSON.stringify(notify?.options)).toContain(secret)
    const everything = [channels(plan), channels(apply), live.comment(pr)].join('\n')
    expect(everything).not.toContain(secret)
    expect(everything).not.toContain(BASE_SECRET)
  })

  it('the command line plans and applies configuration: --promote, exit 2 with changes, then 0', async () => {
    const target = live.directus.cli
    const env = { DIRECTUS_BASE_TOKEN: base.adminToken, DIRECTUS_TARGET_TOKEN: target.adminToken }
    const args = ['--base-url', base.url, '--target-url', target.url, '--promote', 'flows, translations']
    const plan = await runCli(['plan', ...args], { env })
    expect(plan.code).toBe(2)
    expect(plan.stdout).toContain('configuration')
    expect(plan.stdout).toContain('log_failure')
    const json = await runCli(['plan', ...args, '--json'], { env })
    const parsed = JSON.parse(json.stdout) as { hasChanges: boolean; config: { operations: unknown[]; digest: string } }
    expect(parsed.hasChanges).toBe(true)
    expect(parsed.config.operations.length).toBeGreaterThan(0)
    const apply = await runCli(['apply', ...args, '--yes', '--allow-destructive'], { env })
    expect(apply.stderr).not.toMatch(/error/)
    expect(apply.code).toBe(0)
    expect(apply.stdout).toMatch(/Applied configuration .* to /)
    const after = await runCli(['plan', ...args], { env })
    expect(after.code).toBe(0)
    for (const run of [plan, json, apply, after]) {
      for (const secret of [BASE_SECRET, TARGET_SECRET, base.adminToken, target.adminToken])
        expect(run.stdout + run.stderr).not.toContain(secret)
    }
  })
})
