import { startDirectus, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createCollection, createField, getSnapshot, seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import { startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'
import { startFaultProxy } from '../support/fault-proxy.js'
import { channels, pullRequestEvent, runAction, type ActionRun } from '../../scripts/lib/run-action.mjs'
import { approveAndMerge } from '../support/promotion.js'

const GITHUB_TOKEN = 'ghs_apply_e2e_token_0123456789'
const BOT = 'github-actions[bot]'

let base: DirectusInstance
let github: Standin
const started: DirectusInstance[] = []
let nextPr = 100

beforeAll(async () => {
  ;[base, github] = await Promise.all([
    startDirectus({ db: 'sqlite', name: 'apply-base' }),
    startGitHubStandin({
      tokens: { [GITHUB_TOKEN]: { login: BOT, installation: true }, ghp_mallory: { login: 'mallory' } }
    })
  ])
  await seedRealisticSchema(base.url, base.adminToken)
})

afterAll(async () => {
  await Promise.all([base?.stop(), github?.stop(), ...started.map((instance) => instance.stop())])
})

async function freshTarget(name: string): Promise<DirectusInstance> {
  const instance = await startDirectus({ db: 'sqlite', name })
  started.push(instance)
  return instance
}

function inputs(target: DirectusInstance, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'base-url': base.url,
    'base-token': base.adminToken,
    'target-url': target.url,
    'target-token': target.adminToken,
    'target-name': 'staging',
    'github-token': GITHUB_TOKEN,
    'timeout-seconds': '30',
    ...overrides
  }
}

interface Review {
  pr: number
  headSha: string
  mergeSha: string
  plan: ActionRun
}

/** Plans on a pull request, then records it as merged, the way GitHub would. */
async function reviewAndMerge(target: DirectusInstance, overrides: Record<string, string> = {}): Promise<Review> {
  const pr = nextPr++
  const headSha = `${pr}`.padStart(40, 'c')
  const mergeSha = `${pr}`.padStart(40, 'd')
  github.addPullRequest('acme', 'site', { number: pr, head: { sha: headSha, ref: `feature-${pr}` }, base: { ref: 'main' } })
  const plan = await runAction({
    inputs: inputs(target, { command: 'plan', ...overrides }),
    event: pullRequestEvent(pr, headSha),
    env: { GITHUB_API_URL: github.url }
  })
  expect(plan.code).toBe(0)
  approveAndMerge(github, pr, mergeSha)
  return { pr, headSha, mergeSha, plan }
}

function applyOnPush(target: DirectusInstance, mergeSha: string, overrides: Record<string, string> = {}) {
  return runAction({
    inputs: inputs(target, { command: 'apply', ...overrides }),
    eventName: 'push',
    event: { ref: 'refs/heads/main', after: mergeSha },
    env: { GITHUB_API_URL: github.url, GITHUB_SHA: mergeSha }
  })
}

function planComment(pr: number): string {
  const comment = github.comments('acme', 'site', pr).find((candidate) => candidate.user.login === BOT)
  if (!comment) throw new Error(`no plan comment on #${pr}`)
  return comment.body
}

async function collectionsOf(instance: DirectusInstance): Promise<string[]> {
  const snapshot = await getSnapshot(instance.url, instance.adminToken)
  return (snapshot.collections as { collection: string }[]).map((collection) => collection.collection).sort()
}

async function schemaOf(instance: DirectusInstance): Promise<string> {
  return JSON.stringify(await getSnapshot(instance.url, instance.adminToken))
}

function expectRefused(run: ActionRun, reason: string): void {
  expect(run.code).toBe(1)
  expect(run.outputs['failure-reason']).toBe(reason)
  expect(run.outputs['applied']).toBe('false')
  for (const secret of [base.adminToken, GITHUB_TOKEN]) expect(channels(run)).not.toContain(secret)
}

describe('apply on merge', () => {
  it('applies the reviewed diff, verifies it, and a re-run is a no-op', async () => {
    const target = await freshTarget('apply-merge')
    const review = await reviewAndMerge(target)
    const run = await applyOnPush(target, review.mergeSha)
    expect(run.stdout).not.toMatch(/::error/)
    expect(run.code).toBe(0)
    expect(run.outputs['applied']).toBe('true')
    expect(run.outputs['failure-reason']).toBe('')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
    const comment = planComment(review.pr)
    expect(comment).toMatch(/Applied .* at \d{4}-\d\d-\d\dT/)
    expect(comment).toContain('https://github.com/acme/site/actions/runs/4242')

    const before = await schemaOf(target)
    const rerun = await applyOnPush(target, review.mergeSha)
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['applied']).toBe('false')
    expect(await schemaOf(target)).toBe(before)
  })

  it('shows normalisation residue after a clean apply, and a re-run neither fails nor applies again', async () => {
    // SQLite and PostgreSQL spell column types differently (char/uuid, varchar/character varying), so
    // after a cross-vendor apply the diff is never empty although every reviewed change took effect.
    const target = await startDirectus({ db: 'pg', name: 'apply-residue' })
    started.push(target)
    const review = await reviewAndMerge(target, { force: 'true' })
    const run = await applyOnPush(target, review.mergeSha, { force: 'true' })
    expect(run.stdout).not.toMatch(/::error/)
    expect(run.outputs['applied']).toBe('true')
    expect(run.outputs['has-changes']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
    const comment = planComment(review.pr)
    expect(comment).toMatch(/still differs from the base by ~\d+ fields/)
    expect(comment).toContain('normalisation residue')

    const before = await schemaOf(target)
    const rerun = await applyOnPush(target, review.mergeSha, { force: 'true' })
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['applied']).toBe('false')
    expect(rerun.stdout).toMatch(/exactly as that apply left it/)
    expect(await schemaOf(target)).toBe(before)
  })

  it('refuses when the target changed after review, and leaves it untouched', async () => {
    const target = await freshTarget('apply-drift')
    const review = await reviewAndMerge(target)
    await createCollection(target.url, target.adminToken, 'hotfix_table', [])
    const before = await schemaOf(target)
    const run = await applyOnPush(target, review.mergeSha)
    expectRefused(run, 'target-changed')
    expect(run.stdout).toMatch(/Re-run the plan/)
    expect(await schemaOf(target)).toBe(before)
    expect(planComment(review.pr)).toContain('target-changed')
  })

  it('applies the reviewed diff, never a base change made after review', async () => {
    const target = await freshTarget('apply-base-moved')
    const review = await reviewAndMerge(target)
    await createField(base.url, base.adminToken, 'authors', { field: 'late_addition', type: 'string' })
    try {
      const run = await applyOnPush(target, review.mergeSha)
      if (run.code === 0) {
        expect(run.outputs['applied']).toBe('true')
        const snapshot = await getSnapshot(target.url, target.adminToken)
        const fields = (snapshot.fields as { collection: string; field: string }[]).map((f) => `${f.collection}.${f.field}`)
        expect(fields).toContain('authors.name')
        expect(fields).not.toContain('authors.late_addition')
      } else {
        expectRefused(run, 'plan-changed')
        expect(await collectionsOf(target)).toEqual([])
      }
    } finally {
      await fetch(`${base.url}/fields/authors/late_addition`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${base.adminToken}` }
      })
    }
  })

  it('refuses a plan comment forged by another user', async () => {
    const target = await freshTarget('apply-forged')
    const donor = await reviewAndMerge(target)
    const pr = nextPr++
    const mergeSha = `${pr}`.padStart(40, 'e')
    github.addComment('acme', 'site', pr, { login: 'mallory', body: planComment(donor.pr) })
    github.addPullRequest('acme', 'site', {
      number: pr,
      head: { sha: donor.headSha, ref: 'forged' },
      base: { ref: 'main' },
      merged_at: new Date().toISOString(),
      merge_commit_sha: mergeSha
    })
    const before = await schemaOf(target)
    const run = await applyOnPush(target, mergeSha)
    expectRefused(run, 'no-plan')
    // require-plan: false covers pushes that merged no pull request, never a merged one without a plan.
    const unreviewed = await applyOnPush(target, mergeSha, { 'require-plan': 'false' })
    expectRefused(unreviewed, 'no-plan')
    expect(unreviewed.stdout).toMatch(
      /was merged without a reviewed plan for target .*'require-plan: false' covers only pushes without a pull request/
    )
    expect(await schemaOf(target)).toBe(before)
  })

  it('refuses a valid plan comment copied from another pull request', async () => {
    const target = await freshTarget('apply-copied')
    const donor = await reviewAndMerge(target)
    const pr = nextPr++
    const mergeSha = `${pr}`.padStart(40, 'f')
    github.addComment('acme', 'site', pr, { login: BOT, body: planComment(donor.pr) })
    github.addPullRequest('acme', 'site', {
      number: pr,
      head: { sha: donor.headSha, ref: 'copied' },
      base: { ref: 'main' },
      merged_at: new Date().toISOString(),
      merge_commit_sha: mergeSha
    })
    const before = await schemaOf(target)
    const run = await applyOnPush(target, mergeSha)
    expectRefused(run, 'no-plan')
    expect(run.stdout).toMatch(/pull request #\d+/)
    expect(await schemaOf(target)).toBe(before)
  })

  it('refuses a record edited by hand', async () => {
    const target = await freshTarget('apply-edited')
    const review = await reviewAndMerge(target)
    const comment = github.comments('acme', 'site', review.pr).find((candidate) => candidate.user.login === BOT)!
    // Flip one character of the signed payload, as a maintainer editing the comment could.
    const edited = comment.body.replace(
      /(v2\.[A-Za-z0-9_-]{20})([A-Za-z0-9])/,
      (_, head: string, next: string) => head + (next === 'A' ? 'B' : 'A')
    )
    expect(edited).not.toBe(comment.body)
    github.editComment(comment.id, edited)
    const before = await schemaOf(target)
    const run = await applyOnPush(target, review.mergeSha)
    expectRefused(run, 'no-plan')
    expect(run.stdout).toMatch(/signature does not verify|not trusted/)
    expect(await schemaOf(target)).toBe(before)
  })

  it('blocks destructive changes unless allowed, and says so in the plan first', async () => {
    const target = await freshTarget('apply-destructive')
    await createCollection(target.url, target.adminToken, 'legacy_orders', [{ field: 'total', type: 'integer' }])
    const review = await reviewAndMerge(target)
    expect(review.plan.outputs['destructive']).toBe('true')
    expect(planComment(review.pr)).toContain('Apply refuses it unless the apply job sets <code>allow-destructive: true</code>')
    const before = await schemaOf(target)
    const blocked = await applyOnPush(target, review.mergeSha)
    expectRefused(blocked, 'destructive-blocked')
    expect(await schemaOf(target)).toBe(before)

    const allowed = await applyOnPush(target, review.mergeSha, { 'allow-destructive': 'true' })
    expect(allowed.code).toBe(0)
    expect(allowed.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).not.toContain('legacy_orders')
  })

  it('refuses a direct push with no pull request, unless require-plan is false', async () => {
    const target = await freshTarget('apply-direct')
    const before = await schemaOf(target)
    const refused = await applyOnPush(target, '9'.repeat(40))
    expectRefused(refused, 'no-plan')
    expect(await schemaOf(target)).toBe(before)

    const unreviewed = await applyOnPush(target, '9'.repeat(40), { 'require-plan': 'false' })
    expect(unreviewed.code).toBe(0)
    expect(unreviewed.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
  })

  it('tells the truth when the apply connection drops after Directus got the request', async () => {
    const target = await freshTarget('apply-dropped')
    const proxy = await startFaultProxy(target.url)
    try {
      const review = await reviewAndMerge(target, { 'target-url': proxy.url })
      proxy.add({ method: 'POST', path: /\/schema\/apply/, fault: { kind: 'reset-after' } })
      const run = await applyOnPush(target, review.mergeSha, { 'target-url': proxy.url })
      expect(proxy.log.filter((entry) => entry.path.includes('/schema/apply'))).toHaveLength(1)
      expect(run.code).toBe(0)
      expect(run.outputs['applied']).toBe('true')
      expect(run.stdout).toMatch(/took effect/)
      expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
    } finally {
      await proxy.stop()
    }
  })

  it('tells the truth when the apply connection drops before Directus got it', async () => {
    const target = await freshTarget('apply-dropped-early')
    const proxy = await startFaultProxy(target.url)
    try {
      const review = await reviewAndMerge(target, { 'target-url': proxy.url })
      proxy.add({ method: 'POST', path: /\/schema\/apply/, fault: { kind: 'reset-before' } })
      const before = await schemaOf(target)
      const run = await applyOnPush(target, review.mergeSha, { 'target-url': proxy.url })
      expect(proxy.log.filter((entry) => entry.path.includes('/schema/apply'))).toHaveLength(1)
      expectRefused(run, 'apply-failed')
      expect(run.stdout).toMatch(/nothing was applied/)
      expect(await schemaOf(target)).toBe(before)
    } finally {
      await proxy.stop()
    }
  })
})

describe('manual promotion (workflow_dispatch)', () => {
  function dispatchApply(target: DirectusInstance, plan: ActionRun, overrides: Record<string, string> = {}) {
    return runAction({
      inputs: inputs(target, {
        command: 'apply',
        'expected-hash': plan.outputs['hash'] ?? '',
        'expected-digest': plan.outputs['digest'] ?? '',
        ...overrides
      }),
      eventName: 'workflow_dispatch',
      event: { inputs: {} },
      env: { GITHUB_API_URL: github.url }
    })
  }

  async function planJob(target: DirectusInstance): Promise<ActionRun> {
    const plan = await runAction({
      inputs: inputs(target, { command: 'plan' }),
      eventName: 'workflow_dispatch',
      event: { inputs: {} },
      env: { GITHUB_API_URL: github.url }
    })
    expect(plan.code).toBe(0)
    expect(plan.summary).toContain(plan.outputs['summary'])
    return plan
  }

  it('applies with the right expected-hash', async () => {
    const target = await freshTarget('dispatch-right')
    const plan = await planJob(target)
    const run = await dispatchApply(target, plan)
    expect(run.code).toBe(0)
    expect(run.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
  })

  it('refuses a wrong expected-hash and leaves the target untouched', async () => {
    const target = await freshTarget('dispatch-wrong')
    const plan = await planJob(target)
    const before = await schemaOf(target)
    const run = await dispatchApply(target, plan, { 'expected-hash': 'abcdef0123456789abcdef0123456789' })
    expectRefused(run, 'target-changed')
    expect(await schemaOf(target)).toBe(before)
  })
})
