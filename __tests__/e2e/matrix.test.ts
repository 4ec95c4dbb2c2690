import type { DirectusDb, DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createField, REALISTIC_COLLECTIONS, updateField } from '../../scripts/lib/seed.mjs'
import { describeChanges } from '../../src/core/plan/changes.js'
import type { SchemaDiff } from '../../src/directus/types.js'
import { collectionsOf, expectNoSecrets, expectOneCleanFailure, expectSucceeded, schemaOf, useLive } from '../support/live.js'

/**
 * The whole flow (plan on a pull request, apply on merge, re-plan) on every
 * Directus version and database the action supports, and across vendors.
 */

const VENDOR: Record<DirectusDb, string> = { sqlite: 'sqlite', pg: 'postgres', mysql: 'mysql' }

interface Pairing {
  name: string
  version: string
  base: DirectusDb
  target: DirectusDb
  /** A base started for an earlier pairing, which no pairing before this one changes. */
  sharedBase?: 'sqlite12' | 'pg12'
}

const PAIRINGS: Pairing[] = [
  { name: 'Directus 12.4 on SQLite', version: '12.4.0', base: 'sqlite', target: 'sqlite', sharedBase: 'sqlite12' },
  { name: 'Directus 12.4 on PostgreSQL', version: '12.4.0', base: 'pg', target: 'pg', sharedBase: 'pg12' },
  { name: 'Directus 11.17.4 on SQLite', version: '11.17.4', base: 'sqlite', target: 'sqlite' },
  { name: 'Directus 12.4, SQLite base and PostgreSQL target', version: '12.4.0', base: 'sqlite', target: 'pg', sharedBase: 'sqlite12' },
  { name: 'Directus 12.4 on MariaDB', version: '12.4.0', base: 'mysql', target: 'mysql' },
  { name: 'Directus 11.17.4 on MariaDB', version: '11.17.4', base: 'mysql', target: 'mysql' },
  // Last: it edits its base.
  { name: 'Directus 12.4, PostgreSQL base and MariaDB target', version: '12.4.0', base: 'pg', target: 'mysql', sharedBase: 'pg12' }
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

/** The stand-in, and the seeded 12.4 bases two pairings each plan from: one start less for each. */
const shared = useLive({
  name: 'matrix',
  directus: { sqlite12: { seed: 'realistic' }, pg12: { db: 'pg', seed: 'realistic' } },
  github: true,
  inputs: { 'timeout-seconds': '120' },
  firstPr: 500
})

describe.each(PAIRINGS)('$name', (pairing) => {
  const crossVendor = pairing.base !== pairing.target
  const mariadbFromElsewhere = crossVendor && pairing.target === 'mysql'
  const own = useLive({
    name: `matrix-${pairing.base}-${pairing.target}`,
    directus: {
      target: { version: pairing.version, db: pairing.target },
      base: pairing.sharedBase ? undefined : { version: pairing.version, db: pairing.base, seed: 'realistic' }
    }
  })
  let base: DirectusInstance
  let target: DirectusInstance

  beforeAll(() => {
    base = pairing.sharedBase ? shared.directus[pairing.sharedBase] : own.directus.base
    target = own.directus.target
  })

  const inputs = (extra: Record<string, string> = {}) =>
    shared.inputs({ ...(crossVendor ? { force: 'true' } : {}), ...extra }, { base, target })

  if (crossVendor) {
    it('refuses without force, naming both vendors, and leaves the target unchanged', async () => {
      const before = await schemaOf(target)
      const review = await shared.review(inputs({ force: 'false' }))
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
      const review = await shared.review(inputs(extra))
      expectOneCleanFailure(review.plan, message)
      expect(await schemaOf(target)).toBe(before)
    })
  }

  it('plans on the pull request, applies the reviewed diff on merge, and a re-plan finds nothing to review', async () => {
    const review = await shared.review(inputs())
    expectSucceeded(review.plan)
    expect(review.plan.outputs['summary']).toMatch(
      new RegExp(`^\\+${REALISTIC_COLLECTIONS.length} collections, \\+\\d+ fields, \\+3 relations$`)
    )
    const comment = shared.comment(review.pr)
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

    const apply = await shared.apply(inputs(), review)
    expectSucceeded(apply)
    expect(apply.outputs['applied']).toBe('true')
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
    expectNoSecrets(apply, [...shared.secrets(), ...own.secrets()])

    // A re-run of the same merge finds the target exactly as its apply left it.
    const rerun = await shared.apply(inputs(), review)
    expectSucceeded(rerun)
    expect(rerun.outputs['applied']).toBe('false')
    expect(rerun.stdout).toMatch(/the target is exactly as that apply left it; nothing to apply/)

    const replan = await shared.review(inputs())
    expectSucceeded(replan.plan)
    if (mariadbFromElsewhere) {
      // Only known residue is left, and it is shown as such: nothing to review, nothing to apply.
      expect(replan.plan.outputs['has-changes']).toBe('false')
      const again = readable(shared.comment(replan.pr))
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
      const review = await shared.review(inputs())
      expectSucceeded(review.plan)
      expect(review.plan.outputs['summary']).toBe('+1 field, ~1 field')
      const apply = await shared.apply(inputs(), review)
      expectSucceeded(apply)
      expect(apply.outputs['applied']).toBe('true')
      const replan = await shared.review(inputs())
      expectSucceeded(replan.plan)
      expect(replan.plan.outputs['has-changes']).toBe('false')
    })
  }
})
