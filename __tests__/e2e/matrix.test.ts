import { startDirectus, type DirectusDb, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'
import { REALISTIC_COLLECTIONS, seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import { describeChanges } from '../../src/core/plan/changes.js'
import type { SchemaDiff } from '../../src/directus/types.js'
import {
  BOT,
  collectionsOf,
  expectNoSecrets,
  expectOneCleanFailure,
  expectSucceeded,
  PromotionFlow,
  schemaOf
} from '../support/promotion.js'

/**
 * The whole flow (plan on a pull request, apply on merge, re-plan) on every
 * Directus version and database the action supports, and across vendors.
 */

const GITHUB_TOKEN = 'ghs_matrix_e2e_token_0123456789'
const VENDOR: Record<DirectusDb, string> = { sqlite: 'sqlite', pg: 'postgres', mysql: 'mysql' }

interface Pairing {
  name: string
  version: string
  base: DirectusDb
  target: DirectusDb
}

const PAIRINGS: Pairing[] = [
  { name: 'Directus 12.4 on SQLite', version: '12.4.0', base: 'sqlite', target: 'sqlite' },
  { name: 'Directus 12.4 on PostgreSQL', version: '12.4.0', base: 'pg', target: 'pg' },
  { name: 'Directus 11.17.4 on SQLite', version: '11.17.4', base: 'sqlite', target: 'sqlite' },
  { name: 'Directus 12.4, SQLite base and PostgreSQL target', version: '12.4.0', base: 'sqlite', target: 'pg' }
]

let github: Standin
let flow: PromotionFlow

beforeAll(async () => {
  github = await startGitHubStandin({ tokens: { [GITHUB_TOKEN]: { login: BOT, installation: true } } })
  flow = new PromotionFlow(github, GITHUB_TOKEN, 500)
})

afterAll(async () => {
  await github?.stop()
})

describe.each(PAIRINGS)('$name', (pairing) => {
  const crossVendor = pairing.base !== pairing.target
  let base: DirectusInstance
  let target: DirectusInstance

  beforeAll(async () => {
    ;[base, target] = await Promise.all([
      startDirectus({ version: pairing.version, db: pairing.base, name: `matrix-base-${pairing.base}` }),
      startDirectus({ version: pairing.version, db: pairing.target, name: `matrix-target-${pairing.target}` })
    ])
    await seedRealisticSchema(base.url, base.adminToken)
  })

  afterAll(async () => {
    await Promise.all([base?.stop(), target?.stop()])
  })

  const inputs = (extra: Record<string, string> = {}) =>
    PromotionFlow.inputs(base, target, { ...(crossVendor ? { force: 'true' } : {}), ...extra })

  if (crossVendor) {
    it('refuses without force, naming both vendors, and leaves the target unchanged', async () => {
      const before = await schemaOf(target)
      const review = await flow.plan(inputs({ force: 'false' }))
      expectOneCleanFailure(review.plan, /vendor sqlite does not match the current instance's vendor postgres/, /force: true/)
      expect(await schemaOf(target)).toBe(before)
    })
  }

  if (pairing.version === '11.17.4') {
    it.each([
      [
        { 'diff-mode': 'merge' },
        /Input 'diff-mode' needs Directus 12\.2 or later on the target; the target runs Directus 11\.17\.4, which would ignore 'merge'/
      ],
      [
        { 'include-collections': 'articles' },
        /Input 'include-collections' needs Directus 12\.2 or later on the base; the base runs Directus 11\.17\.4/
      ],
      [{ 'exclude-collections': 'articles' }, /Input 'exclude-collections' needs Directus 12\.2 or later on the base/]
    ])('refuses %j, which a server before 12.2 would silently ignore, sending nothing', async (extra, message) => {
      const before = await schemaOf(target)
      const review = await flow.plan(inputs(extra))
      expectOneCleanFailure(review.plan, message)
      expect(await schemaOf(target)).toBe(before)
    })
  }

  it('plans on the pull request, applies the reviewed diff on merge, and a re-plan finds nothing to review', async () => {
    const review = await flow.plan(inputs())
    expectSucceeded(review.plan)
    expect(review.plan.outputs['summary']).toMatch(
      new RegExp(`^\\+${REALISTIC_COLLECTIONS.length} collections, \\+\\d+ fields, \\+3 relations$`)
    )
    const comment = flow.comment(review.pr)
    expect(comment).toContain(`| Directus version | ${pairing.version} | ${pairing.version} |`)
    expect(comment).toContain(`| Database | ${VENDOR[pairing.base]} | ${VENDOR[pairing.target]} |`)
    expect(comment).toContain('**Diff mode:** `mirror`')
    if (crossVendor)
      expect(comment).toMatch(/\[!WARNING\][\s\S]*vendor sqlite does not match[\s\S]*Across database vendors the diff never becomes empty/)

    const apply = await flow.apply(inputs(), review)
    expectSucceeded(apply)
    expect(apply.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
    expectNoSecrets(apply, [base.adminToken, target.adminToken, GITHUB_TOKEN])

    const replan = await flow.plan(inputs())
    expectSucceeded(replan.plan)
    const left = JSON.parse(replan.plan.diffFile ?? 'null') as { diff: SchemaDiff | null }
    // What may be left is how a database spells column types: never a missing collection, field or relation.
    // Across vendors that includes field types (a uuid foreign key reads as a string on SQLite).
    for (const change of left.diff ? describeChanges(left.diff) : []) {
      expect(change.action).toBe('update')
      for (const edit of change.edits) expect(edit.path).toMatch(crossVendor ? /^(schema\.|type$)/ : /^schema\./)
    }
  })
})
