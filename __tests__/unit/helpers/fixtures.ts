import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { itemKey, type TargetView } from '../../../src/core/plan/apply-rules.js'
import { describeChanges } from '../../../src/core/plan/changes.js'
import type { DiffResponse, SchemaDiff } from '../../../src/directus/types.js'
import type { ReportInput } from '../../../src/report/model.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures')

/** A hand-made diff from __tests__/fixtures/report/. */
export function reportFixture(name: string): DiffResponse {
  return JSON.parse(readFileSync(join(FIXTURES, 'report', name), 'utf8')) as DiffResponse
}

/** What live Directus answered and did in one apply-rules scenario (__tests__/fixtures/apply-rules/). */
export interface ApplyRulesFixture {
  data: DiffResponse
  before: {
    collections: Record<string, { table: boolean; fields: Record<string, { type: string }> }>
    relations: Record<string, { meta: boolean }>
  }
}

export function applyRulesFixture(name: string): ApplyRulesFixture {
  return JSON.parse(readFileSync(join(FIXTURES, 'apply-rules', `${name}.json`), 'utf8')) as ApplyRulesFixture
}

/** The target before the apply, as the apply model may know it. */
export function targetBefore(fixture: ApplyRulesFixture): TargetView {
  const collections = new Map(Object.entries(fixture.before.collections).map(([name, collection]) => [name, { folder: !collection.table }]))
  const fields = new Map<string, { alias: boolean }>()
  for (const [name, collection] of Object.entries(fixture.before.collections)) {
    for (const [field, definition] of Object.entries(collection.fields))
      fields.set(itemKey(name, field), { alias: definition.type === 'alias' })
  }
  const relations = new Set(
    Object.entries(fixture.before.relations)
      .filter(([, relation]) => relation.meta)
      .map(([key]) => itemKey(key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)))
  )
  return { collections, fields, relations }
}

/**
 * Three apply-rules scenarios in one diff, with the target before it: a field
 * whose diff Directus reads as a deletion (captured on `deletionOn`), a plain
 * update, and a collection whose folder is missing. What the report tests
 * render "what Directus will do" from.
 */
export function threeApplyRules(deletionOn: 'sqlite' | 'pg'): {
  diff: SchemaDiff
  target: TargetView
  hash: string
  update: ApplyRulesFixture
} {
  const dFirst = applyRulesFixture(`d-first-field.12.4.0.${deletionOn}`)
  const update = applyRulesFixture('plain-update.12.4.0.sqlite')
  const folder = applyRulesFixture('missing-group-folder.12.4.0.sqlite')
  const diff: SchemaDiff = {
    collections: [...update.data.diff.collections, ...folder.data.diff.collections],
    fields: [...dFirst.data.diff.fields, ...update.data.diff.fields],
    systemFields: [],
    relations: update.data.diff.relations
  }
  const views = [dFirst, update, folder].map(targetBefore)
  const target: TargetView = {
    collections: new Map(views.flatMap((view) => [...view.collections])),
    fields: new Map(views.flatMap((view) => [...view.fields])),
    relations: new Set(views.flatMap((view) => [...view.relations]))
  }
  return { diff, target, hash: dFirst.data.hash, update }
}

/** A report of this diff between two PostgreSQL 11.5.1 instances, as the renderers' tests read it. */
export function reportInputFor(diff: SchemaDiff | null, hash: string | null, overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    targetName: 'production',
    hash,
    diff,
    changes: overrides.changes ?? (diff === null ? [] : describeChanges(diff, { vendor: 'postgres' })),
    skipped: [],
    noise: [],
    base: { version: '11.5.1', vendor: 'postgres', url: 'https://staging.example.com' },
    target: { version: '11.5.1', vendor: 'postgres', url: 'https://cms.example.com' },
    warnings: [],
    allowDestructiveSetting: 'flag',
    ...overrides
  }
}
