import { createCollection, createField, getSnapshot } from '../../scripts/lib/seed.mjs'
import type { DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import type { ActionRun } from '../../scripts/lib/run-action.mjs'
import { BOT, collectionsOf, expectRefused, schemaOf, useLive, type Review } from '../support/live.js'

/**
 * Apply on merge and manual promotion, end to end. One SQLite target serves
 * every test, emptied before each: a fresh instance per test cost a start each.
 */
const live = useLive({
  name: 'apply',
  directus: { base: { seed: 'realistic' }, target: {}, pgTarget: { db: 'pg' } },
  github: { tokens: { ghp_mallory: { login: 'mallory' } } },
  firstPr: 100
})
const { directus } = live
let nextPr = 200

/** The shared SQLite target, with no user collection: as a fresh instance starts. */
async function freshTarget(): Promise<DirectusInstance> {
  await live.empty(directus.target)
  return directus.target
}

function inputs(target: DirectusInstance, overrides: Record<string, string> = {}): Record<string, string> {
  return live.inputs(overrides, { target })
}

/** Plans on a pull request, then records it as merged, the way GitHub would. */
async function reviewAndMerge(target: DirectusInstance, overrides: Record<string, string> = {}): Promise<Review> {
  const review = await live.review(inputs(target, overrides))
  expect(review.plan.code).toBe(0)
  return review
}

function applyOnPush(target: DirectusInstance, mergeSha: string, overrides: Record<string, string> = {}) {
  return live.apply(inputs(target, overrides), mergeSha)
}

/** Refused with this reason, leaking no secret. */
function expectRefusedCleanly(run: ActionRun, reason: string): void {
  expectRefused(run, reason)
  live.expectNoSecrets(run)
}

describe('apply on merge', () => {
  it('applies the reviewed diff, verifies it, and a re-run is a no-op', async () => {
    const target = await freshTarget()
    const review = await reviewAndMerge(target)
    const run = await applyOnPush(target, review.mergeSha)
    expect(run.stdout).not.toMatch(/::error/)
    expect(run.code).toBe(0)
    expect(run.outputs['applied']).toBe('true')
    expect(run.outputs['failure-reason']).toBe('')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(directus.base))
    const comment = live.comment(review.pr)
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
    const target = directus.pgTarget
    const review = await reviewAndMerge(target, { force: 'true' })
    const run = await applyOnPush(target, review.mergeSha, { force: 'true' })
    expect(run.stdout).not.toMatch(/::error/)
    expect(run.outputs['applied']).toBe('true')
    expect(run.outputs['has-changes']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(directus.base))
    const comment = live.comment(review.pr)
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
    const target = await freshTarget()
    const review = await reviewAndMerge(target)
    await createCollection(target.url, target.adminToken, 'hotfix_table', [])
    const before = await schemaOf(target)
    const run = await applyOnPush(target, review.mergeSha)
    expectRefusedCleanly(run, 'target-changed')
    expect(run.stdout).toMatch(/Re-run the plan/)
    expect(await schemaOf(target)).toBe(before)
    expect(live.comment(review.pr)).toContain('target-changed')
  })

  it('applies the reviewed diff, never a base change made after review', async () => {
    const target = await freshTarget()
    const review = await reviewAndMerge(target)
    await createField(directus.base.url, directus.base.adminToken, 'authors', { field: 'late_addition', type: 'string' })
    try {
      const run = await applyOnPush(target, review.mergeSha)
      if (run.code === 0) {
        expect(run.outputs['applied']).toBe('true')
        const snapshot = await getSnapshot(target.url, target.adminToken)
        const fields = (snapshot.fields as { collection: string; field: string }[]).map((f) => `${f.collection}.${f.field}`)
        expect(fields).toContain('authors.name')
        expect(fields).not.toContain('authors.late_addition')
      } else {
        expectRefusedCleanly(run, 'plan-changed')
        expect(await collectionsOf(target)).toEqual([])
      }
    } finally {
      await fetch(`${directus.base.url}/fields/authors/late_addition`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${directus.base.adminToken}` }
      })
    }
  })

  /**
   * A reviewed plan's comment, posted by `login` on a new pull request at the
   * same head that was merged without a plan of its own: the apply of its push.
   */
  async function applyWithCommentCopiedBy(login: string): Promise<ActionRun> {
    const target = await freshTarget()
    const donor = await reviewAndMerge(target)
    const pr = nextPr++
    const mergeSha = `${pr}`.padStart(40, 'e')
    live.github.addComment('acme', 'site', pr, { login, body: live.comment(donor.pr) })
    live.github.addPullRequest('acme', 'site', {
      number: pr,
      head: { sha: donor.headSha, ref: `copied-by-${login}` },
      base: { ref: 'main' },
      merged_at: new Date().toISOString(),
      merge_commit_sha: mergeSha
    })
    const before = await schemaOf(target)
    const run = await applyOnPush(target, mergeSha)
    expectRefusedCleanly(run, 'no-plan')
    // require-plan: false covers pushes that merged no pull request, never a merged one without a plan.
    const unreviewed = await applyOnPush(target, mergeSha, { 'require-plan': 'false' })
    expectRefusedCleanly(unreviewed, 'no-plan')
    // The bot's copy is a record that does not verify here; another user's comment is not read at all.
    expect(unreviewed.stdout).toMatch(
      login === BOT
        ? /does not belong here: it was made for pull request #\d+/
        : /was merged without a reviewed plan for target .*'require-plan: false' covers only pushes without a pull request/
    )
    expect(await schemaOf(target)).toBe(before)
    return run
  }

  it('refuses a plan comment forged by another user', async () => {
    await applyWithCommentCopiedBy('mallory')
  })

  it('refuses a valid plan comment copied from another pull request', async () => {
    const run = await applyWithCommentCopiedBy(BOT)
    expect(run.stdout).toMatch(/pull request #\d+/)
  })

  it('refuses a record edited by hand', async () => {
    const target = await freshTarget()
    const review = await reviewAndMerge(target)
    const comment = live.github.comments('acme', 'site', review.pr).find((candidate) => candidate.user.login === BOT)!
    // Flip one character of the signed payload, as a maintainer editing the comment could.
    const edited = comment.body.replace(
      /(v2\.[A-Za-z0-9_-]{20})([A-Za-z0-9])/,
      (_, head: string, next: string) => head + (next === 'A' ? 'B' : 'A')
    )
    expect(edited).not.toBe(comment.body)
    live.github.editComment(comment.id, edited)
    const before = await schemaOf(target)
    const run = await applyOnPush(target, review.mergeSha)
    expectRefusedCleanly(run, 'no-plan')
    expect(run.stdout).toMatch(/signature does not verify|not trusted/)
    expect(await schemaOf(target)).toBe(before)
  })

  it('blocks destructive changes unless allowed, and says so in the plan first', async () => {
    const target = await freshTarget()
    await createCollection(target.url, target.adminToken, 'legacy_orders', [{ field: 'total', type: 'integer' }])
    const review = await reviewAndMerge(target)
    expect(review.plan.outputs['destructive']).toBe('true')
    expect(live.comment(review.pr)).toContain('Apply refuses it unless the apply job sets <code>allow-destructive: true</code>')
    const before = await schemaOf(target)
    const blocked = await applyOnPush(target, review.mergeSha)
    expectRefusedCleanly(blocked, 'destructive-blocked')
    expect(await schemaOf(target)).toBe(before)

    const allowed = await applyOnPush(target, review.mergeSha, { 'allow-destructive': 'true' })
    expect(allowed.code).toBe(0)
    expect(allowed.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).not.toContain('legacy_orders')
  })

  it('refuses a direct push with no pull request, unless require-plan is false', async () => {
    const target = await freshTarget()
    const before = await schemaOf(target)
    const refused = await applyOnPush(target, '9'.repeat(40))
    expectRefusedCleanly(refused, 'no-plan')
    expect(await schemaOf(target)).toBe(before)

    const unreviewed = await applyOnPush(target, '9'.repeat(40), { 'require-plan': 'false' })
    expect(unreviewed.code).toBe(0)
    expect(unreviewed.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(directus.base))
  })

  // An apply whose connection drops after or before Directus got it: __tests__/faults/directus-faults.test.ts.
})

describe('manual promotion (workflow_dispatch)', () => {
  function dispatchApply(target: DirectusInstance, plan: ActionRun, overrides: Record<string, string> = {}) {
    return live.dispatch(
      inputs(target, {
        command: 'apply',
        'expected-hash': plan.outputs['hash'] ?? '',
        'expected-digest': plan.outputs['digest'] ?? '',
        ...overrides
      })
    )
  }

  async function planJob(target: DirectusInstance): Promise<ActionRun> {
    const plan = await live.dispatch(inputs(target, { command: 'plan' }))
    expect(plan.code).toBe(0)
    expect(plan.summary).toContain(plan.outputs['summary'])
    return plan
  }

  it('applies with the right expected-hash', async () => {
    const target = await freshTarget()
    const plan = await planJob(target)
    const run = await dispatchApply(target, plan)
    expect(run.code).toBe(0)
    expect(run.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(directus.base))
  })

  it('refuses a wrong expected-hash and leaves the target untouched', async () => {
    const target = await freshTarget()
    const plan = await planJob(target)
    const before = await schemaOf(target)
    const run = await dispatchApply(target, plan, { 'expected-hash': 'abcdef0123456789abcdef0123456789' })
    expectRefusedCleanly(run, 'target-changed')
    expect(await schemaOf(target)).toBe(before)
  })
})
