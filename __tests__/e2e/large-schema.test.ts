import { LARGE_SEED } from '../../scripts/lib/seed.mjs'
import type { SchemaDiff } from '../../src/directus/types.js'
import { collectionsOf, expectSucceeded, schemaOf, useLive, type Review } from '../support/live.js'

/**
 * A production-sized project: 400 collections x 20 fields, promoted to a
 * target left at Directus' default MAX_PAYLOAD_SIZE (1mb). The snapshot
 * (about 7 MB) and the diff go as file uploads. Directus 11: 12 without a
 * license key caps active collections at 25.
 */

const COLLECTIONS = 400
const FIELDS = COLLECTIONS * 21 // 20 generated fields and the primary key each
const SLOW_MS = 300_000

const live = useLive({
  name: 'large',
  directus: { base: { version: '11.17.4', seed: LARGE_SEED }, target: { version: '11.17.4' } },
  github: true,
  inputs: { 'timeout-seconds': '120' },
  firstPr: 700,
  timeoutMs: SLOW_MS
})
const { directus } = live
let review: Review

it(
  'plans 400 collections against a default-configured target: a comment within GitHub’s limit, the whole diff in the diff file',
  async () => {
    review = await live.review(live.inputs(), SLOW_MS)
    expectSucceeded(review.plan)
    expect(review.plan.outputs['summary']).toBe(`+${COLLECTIONS} collections, +${FIELDS} fields`)
    expect(review.plan.stdout).not.toMatch(/entity too large/i)

    const comment = live.comment(review.pr)
    expect(comment.length).toBeLessThanOrEqual(65_536)
    // Too large to show whole: the comment says so first, and its record seals it.
    expect(comment).toMatch(/<!-- directus-schema-plan body -->\n> \[!WARNING\]\n> \*\*Not the whole plan:\*\*/)
    expect(comment).toContain(review.plan.outputs['hash'])
    // The job summary holds what fits in GitHub's 1 MiB, and points to the diff file for the rest.
    expect(review.plan.summary.length).toBeLessThanOrEqual(1024 * 1024)
    expect(review.plan.summary).toMatch(/of 8800 changes not shown here[\s\S]*staging\.diff\.json/)

    const written = JSON.parse(review.plan.diffFile ?? 'null') as { hash: string; diff: SchemaDiff }
    expect(written.hash).toBe(review.plan.outputs['hash'])
    expect(written.diff.collections).toHaveLength(COLLECTIONS)
    expect(written.diff.fields).toHaveLength(FIELDS)
  },
  SLOW_MS
)

it(
  'would have been refused as a JSON body: the target really is at the default 1mb limit',
  async () => {
    const before = await schemaOf(directus.target)
    const response = await fetch(`${directus.target.url}/schema/apply`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${directus.target.adminToken}`, 'Content-Type': 'application/json' },
      body: review.plan.diffFile
    })
    expect(response.status).toBe(400)
    expect(await response.text()).toMatch(/request entity too large/)
    expect(await schemaOf(directus.target)).toBe(before)
  },
  SLOW_MS
)

it(
  'applies the reviewed 400-collection diff on merge, as an upload, and verifies it, once allow-partial-review accepts a comment that could not show it all',
  async () => {
    const before = await schemaOf(directus.target)
    const refused = await live.apply(live.inputs(), review, SLOW_MS)
    expect(refused.code).toBe(1)
    expect(refused.outputs['failure-reason']).toBe('partial-review')
    expect(await schemaOf(directus.target)).toBe(before)
    const apply = await live.apply(live.inputs({ 'allow-partial-review': 'true' }), review, SLOW_MS)
    expectSucceeded(apply)
    expect(apply.outputs['applied']).toBe('true')
    expect(apply.outputs['digest']).toBe(review.plan.outputs['digest'])
    expect(apply.stdout).not.toMatch(/entity too large/i)
    const collections = await collectionsOf(directus.target)
    expect(collections).toHaveLength(COLLECTIONS)
    expect(collections).toEqual(await collectionsOf(directus.base))
    expect(live.comment(review.pr)).toMatch(/Applied \+400 collections, \+8400 fields at /)
    // Too large to store whole: the drift baseline keeps the snapshot's digest alone.
    expect(apply.stdout).toMatch(/Drift baseline for staging recorded in \S+ \(digest only: the snapshot is too large to store\)\./)
    const [tracking] = live.github.issues('acme', 'site')
    expect(tracking?.body).toMatch(/only its digest is stored \(the snapshot was too large\), so drift is seen but not shown/)
    expect(tracking?.body?.length).toBeLessThan(4000)
  },
  SLOW_MS
)
