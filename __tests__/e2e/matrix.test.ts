import { startDirectus, type DirectusDb, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'
import { createField, REALISTIC_COLLECTIONS, seedRealisticSchema, updateField } from '../../scripts/lib/seed.mjs'
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
  { name: 'Directus 12.4, SQLite base and PostgreSQL target', version: '12.4.0', base: 'sqlite', target: 'pg' },
  { name: 'Directus 12.4 on MariaDB', version: '12.4.0', base: 'mysql', target: 'mysql' },
  { name: 'Directus 11.17.4 on MariaDB', version: '11.17.4', base: 'mysql', target: 'mysql' },
  { name: 'Directus 12.4, PostgreSQL base and MariaDB target', version: '12.4.0', base: 'pg', target: 'mysql' }
]

/** What the report says of each cross-vendor pairing's residue (core/planner.ts). */
const CROSS_VENDOR_WARNING: Partial<Record<DirectusDb, RegExp>> = {
  pg: /Across database vendors the diff never becomes empty/,
  mysql: /Across database vendors to a MySQL\/MariaDB target, the known residue .* is left out of the plan and listed apart/
}

/** The comment's text with the entities its escaping writes for `_`, quotes and apostrophes read back. */
function readable(markdown: string): string {
  return markdown.replace(/&#95;/g, '_').replace(/&#34;/g, '"').replace(/&#39;/g, "'")
}

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
  const mariadbFromElsewhere = crossVendor && pairing.target === 'mysql'
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
      const mismatch = new RegExp(`vendor ${VENDOR[pairing.base]} does not match the current instance's vendor ${VENDOR[pairing.target]}`)
      expectOneCleanFailure(review.plan, mismatch, /force: true/)
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
    if (crossVendor) {
      expect(comment).toMatch(new RegExp(`\\[!WARNING\\][\\s\\S]*vendor ${VENDOR[pairing.base]} does not match`))
      expect(comment).toMatch(CROSS_VENDOR_WARNING[pairing.target] ?? /never/)
    }
    if (mariadbFromElsewhere) {
      // MariaDB indexes every foreign-key column and refuses to drop the index: never part of the plan.
      expect(review.plan.outputs['summary']).not.toMatch(/system field/)
      expect(readable(comment)).toMatch(
        /\[!NOTE\]\n> \*\*Left out of the diff\*\* \(version noise and residue no apply can remove\):\n>\n> - 53 system fields: <code>schema\.is_indexed<\/code> true → false\. MariaDB keeps an index on every foreign-key column/
      )
    }

    const apply = await flow.apply(inputs(), review)
    expectSucceeded(apply)
    expect(apply.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
    expectNoSecrets(apply, [base.adminToken, target.adminToken, GITHUB_TOKEN])

    // A re-run of the same merge finds the target exactly as its apply left it.
    const rerun = await flow.apply(inputs(), review)
    expectSucceeded(rerun)
    expect(rerun.outputs['applied']).toBe('false')
    expect(rerun.stdout).toMatch(/the target is exactly as that apply left it; nothing to apply/)

    const replan = await flow.plan(inputs())
    expectSucceeded(replan.plan)
    if (mariadbFromElsewhere) {
      // Only known residue is left, and it is shown as such: nothing to review, nothing to apply.
      expect(replan.plan.outputs['has-changes']).toBe('false')
      const again = readable(flow.comment(replan.pr))
      expect(again).toContain('✅ **No changes:**')
      for (const rule of [
        /53 system fields: <code>schema\.is_indexed<\/code> true → false/,
        /\d+ fields: <code>schema\.is_indexed<\/code> true → false/,
        /2 fields: <code>schema\.data_type<\/code> int unsigned → integer/,
        /1 field: <code>schema\.is_unique<\/code> false → true on a uuid primary key/,
        /\d+ fields: the same column type as postgres spelled the MariaDB way/,
        /\d+ fields: a length, precision or scale that MariaDB reports and postgres does not/
      ])
        expect(again).toMatch(rule)
    }
    const left = JSON.parse(replan.plan.diffFile ?? 'null') as { diff: SchemaDiff | null }
    // What may be left is how a database spells column types: never a missing collection, field or relation.
    // Across vendors that includes field types (a uuid foreign key reads as a string on SQLite).
    for (const change of left.diff ? describeChanges(left.diff) : []) {
      expect(change.action).toBe('update')
      for (const edit of change.edits) expect(edit.path).toMatch(crossVendor ? /^(schema\.|type$)/ : /^schema\./)
    }
  })

  if (mariadbFromElsewhere) {
    it('applies a later promotion that edits a foreign key, leaving out the residue MariaDB would refuse', async () => {
      await updateField(base.url, base.adminToken, 'articles', 'author', { meta: { note: 'Who wrote it' } })
      await createField(base.url, base.adminToken, 'articles', {
        field: 'subtitle',
        type: 'string',
        meta: { interface: 'input' },
        schema: {}
      })
      const review = await flow.plan(inputs())
      expectSucceeded(review.plan)
      expect(review.plan.outputs['summary']).toBe('+1 field, ~1 field')
      const apply = await flow.apply(inputs(), review)
      expectSucceeded(apply)
      expect(apply.outputs['applied']).toBe('true')
      const replan = await flow.plan(inputs())
      expectSucceeded(replan.plan)
      expect(replan.plan.outputs['has-changes']).toBe('false')
    })
  }
})
