import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mysqlQuery } from '../../scripts/lib/directus-instance.mjs'
import { errorLines } from '../../scripts/lib/run-action.mjs'
import { createCollection, createField, deleteCollection, deleteField, directusRequest, getSnapshot } from '../../scripts/lib/seed.mjs'
import { describeChanges } from '../../src/core/plan/changes.js'
import type { SchemaDiff } from '../../src/directus/types.js'
import { expectSucceeded, useLive } from '../support/live.js'

/**
 * An apply that fails part-way on MariaDB, where every schema statement
 * commits on its own (docs/mariadb.md, scripts/mariadb-partial-apply.mjs).
 * The reviewed plan creates `pa_new`, makes `pa_existing.title` unique (which
 * fails on duplicate rows) and creates `pa_existing.later_field`. Directus
 * creates `pa_new` first and stops at `title`: the action must say exactly
 * that, and a plan made afterwards must start from the target's new state.
 */

const live = useLive({
  name: 'partial-apply',
  directus: { target: { version: '12.4.0', db: 'mysql' } },
  github: true,
  inputs: { 'timeout-seconds': '120' },
  firstPr: 900
})
let workspace: string
let snapshotFile: string

beforeAll(async () => {
  const { url, adminToken: token } = live.directus.target
  await createCollection(url, token, 'pa_existing', [
    { field: 'title', type: 'string', meta: { interface: 'input' }, schema: { max_length: 100 } }
  ])
  await directusRequest(url, token, 'POST', '/items/pa_existing', [{ title: 'same' }, { title: 'same' }, { title: 'other' }])

  // The committed snapshot: taken while pa_new and later_field exist, then they are removed again.
  await createCollection(url, token, 'pa_new', [
    { field: 'name', type: 'string', meta: { interface: 'input' }, schema: { max_length: 50 } }
  ])
  await createField(url, token, 'pa_existing', { field: 'later_field', type: 'integer', meta: { interface: 'input' }, schema: {} })
  const desired = await getSnapshot(url, token)
  await deleteField(url, token, 'pa_existing', 'later_field')
  await deleteCollection(url, token, 'pa_new')
  desired.fields.find(
    (field: { collection: string; field: string }) => field.collection === 'pa_existing' && field.field === 'title'
  ).schema.is_unique = true
  workspace = mkdtempSync(join(tmpdir(), 'dsa-partial-'))
  snapshotFile = join(workspace, 'snapshot.json')
  writeFileSync(snapshotFile, JSON.stringify(desired))
})

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true })
})

it('reports what a part-way failure applied and what it did not, and the next plan starts from the new state', async () => {
  const inputs = live.inputs({}, { base: { snapshot: snapshotFile } })
  const review = await live.review(inputs)
  expectSucceeded(review.plan)
  expect(review.plan.outputs['summary']).toBe('+1 collection, +3 fields, ~1 field')

  const apply = await live.apply(inputs, review)
  expect(apply.code).toBe(1)
  expect(apply.outputs).toMatchObject({
    'failure-reason': 'partially-applied',
    applied: 'partial',
    'applied-changes': '+1 collection, +2 fields (pa_new, pa_new.id, pa_new.name)',
    'pending-changes': '+1 field, ~1 field (pa_existing.later_field, pa_existing.title)'
  })
  const errors = errorLines(apply)
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatch(/Directus failed the apply part-way: target \(.*\): POST \/schema\/apply answered HTTP 400: .*has to be unique/)
  expect(errors[0]).toMatch(/MySQL and MariaDB commit each schema change as it runs, so Directus could not roll back/)
  expect(errors[0]).toMatch(/Applied: \+1 collection, \+2 fields \(pa_new, pa_new\.id, pa_new\.name\)\. Not applied: \+1 field, ~1 field/)
  expect(errors[0]).toMatch(/plan again from the target's new state: Re-run the plan on the pull request/)
  expect(apply.stdout).toContain('Applied before the failure: +1 collection, +2 fields (pa_new, pa_new.id, pa_new.name)')
  expect(apply.stdout).toContain('Not applied: +1 field, ~1 field (pa_existing.later_field, pa_existing.title)')
  const status = live.comment(review.pr)
  expect(status).toContain('<!-- directus-schema-plan status=failed -->')
  expect(status).toMatch(/\*\*Apply failed part-way\*\* at .*Applied: \+1 collection, \+2 fields/)
  expect(apply.summary).toMatch(/Apply to staging failed part-way/)
  live.expectNoSecrets(apply)

  // What MariaDB kept: the new table, no unique index, no later_field.
  const rows = await mysqlQuery(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = '${live.directus.target.dbName}' AND table_name IN ('pa_new', 'pa_existing') ORDER BY table_name, ordinal_position`
  )
  expect(rows.map(([table, column]) => `${table}.${column}`)).toEqual(['pa_existing.id', 'pa_existing.title', 'pa_new.id', 'pa_new.name'])

  // The action cleared Directus' cached schema: a new plan sees pa_new, and asks only for what is missing.
  const replan = await live.review(inputs)
  expectSucceeded(replan.plan)
  expect(replan.plan.outputs['summary']).toBe('+1 field, ~1 field')
  expect(replan.plan.outputs['hash']).not.toBe(review.plan.outputs['hash'])
  const left = JSON.parse(replan.plan.diffFile ?? 'null') as { diff: SchemaDiff }
  expect(describeChanges(left.diff).map((change) => `${change.action} ${change.collection}.${change.field}`)).toEqual([
    'create pa_existing.later_field',
    'update pa_existing.title'
  ])
})
