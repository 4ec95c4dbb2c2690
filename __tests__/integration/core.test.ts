import type { DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { REALISTIC_COLLECTIONS } from '../../scripts/lib/seed.mjs'
import { verifyAgainst } from '../../src/core/guard/verify.js'
import { diffOnTarget, MismatchError, type ChangesPlan, type Plan } from '../../src/core/planner.js'
import { connect, DirectusError, type DirectusConnection, type InstanceSettings, type Side } from '../../src/directus/client.js'
import { applySchemaDiff, readServerInfo, takeSnapshot } from '../../src/directus/schema.js'
import { createTransport, type Transport } from '../../src/directus/transport.js'
import { useLive } from '../support/live.js'

/**
 * The action's core, in-process, against live instances: no bundle, no GitHub.
 * The failures come first: they only read, so the SQLite base and the
 * PostgreSQL target serve the plan and apply tests after them.
 */

const live = useLive({
  name: 'core',
  directus: {
    sqliteBase: { seed: 'realistic' },
    sqliteTarget: {},
    pgBase: { db: 'pg', seed: 'realistic' },
    pgTarget: { db: 'pg' }
  }
})
const { directus } = live
let transport: Transport

beforeAll(() => {
  transport = createTransport({ timeoutMs: 30_000 })
})

afterAll(async () => {
  await transport.close()
})

function settings(side: Side, running: DirectusInstance, token = running.adminToken): InstanceSettings {
  return { side, url: new URL(`${running.url}/`), auth: { kind: 'token', token } }
}

function connectTo(side: Side, running: DirectusInstance): Promise<DirectusConnection> {
  return connect(settings(side, running), transport, () => undefined)
}

/** The core's plan: the base's snapshot diffed on the target. */
async function computePlan(base: DirectusConnection, target: DirectusConnection, options: { force: boolean }): Promise<Plan> {
  return diffOnTarget(await takeSnapshot(base), target, (await readServerInfo(target)).version, { ...options, mode: 'mirror' })
}

function withChanges(plan: Plan): ChangesPlan {
  if (plan.kind !== 'changes') throw new Error('expected a plan with changes')
  return plan
}

describe('failures the core reports with side, status and reason', () => {
  let base: DirectusInstance
  let pgTarget: DirectusInstance

  beforeAll(() => {
    ;({ sqliteBase: base, pgTarget } = directus)
  })

  it('names both vendors and force on a cross-vendor diff, and plans with force', async () => {
    const baseConnection = await connectTo('base', base)
    const targetConnection = await connectTo('target', pgTarget)
    const refusal = computePlan(baseConnection, targetConnection, { force: false })
    await expect(refusal).rejects.toBeInstanceOf(MismatchError)
    await expect(refusal).rejects.toThrow(/vendor sqlite does not match the current instance's vendor postgres.*force: true/)

    const forced = await computePlan(baseConnection, targetConnection, { force: true })
    expect(forced.target).toEqual({ version: '12.4.0', vendor: 'postgres' })
    expect(forced.warnings.join(' ')).toMatch(/vendor sqlite does not match/)
    expect(forced.changes.length).toBeGreaterThan(0)
  })

  it('reports a wrong token as 401 with Directus’ code', async () => {
    const connection = await connect(settings('base', base, 'wrong-token'), transport, () => undefined)
    const error: unknown = await readServerInfo(connection).catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(DirectusError)
    expect(error).toMatchObject({ side: 'base', status: 401, code: 'INVALID_CREDENTIALS' })
    expect((error as Error).message).toMatch(/^base \(127\.0\.0\.1:\d+\): GET \/server\/info answered HTTP 401: /)
  })

  it('logs in with email and password, masking the session tokens', async () => {
    const masked: string[] = []
    const connection = await connect(
      {
        side: 'target',
        url: new URL(`${pgTarget.url}/`),
        auth: { kind: 'password', email: pgTarget.adminEmail, password: pgTarget.adminPassword }
      },
      transport,
      (secret) => masked.push(secret)
    )
    expect((await readServerInfo(connection)).version).toBe('12.4.0')
    expect(masked).toHaveLength(2)
    for (const secret of masked) expect(secret.length).toBeGreaterThan(20)
    await connection.close()
  })
})

describe.each(['sqlite', 'pg'] as const)('plan and apply on %s', (db) => {
  let base: DirectusConnection
  let target: DirectusConnection

  beforeAll(async () => {
    base = await connectTo('base', db === 'pg' ? directus.pgBase : directus.sqliteBase)
    target = await connectTo('target', db === 'pg' ? directus.pgTarget : directus.sqliteTarget)
  })

  it('describes every collection, field type and relation of the realistic change', async () => {
    const plan = withChanges(await computePlan(base, target, { force: false }))
    expect(plan.hash).toMatch(/^[0-9a-f]{40}$/)
    expect(plan.destructive).toBe(false)
    expect(plan.warnings).toEqual([])
    expect(plan.base).toEqual({ version: '12.4.0', vendor: db === 'pg' ? 'postgres' : 'sqlite' })
    expect(plan.target).toEqual(plan.base)

    const created = (entity: string) => plan.changes.filter((change) => change.entity === entity && change.action === 'create')
    expect(
      created('collection')
        .map((change) => change.collection)
        .sort()
    ).toEqual([...REALISTIC_COLLECTIONS].sort())
    const fieldTypes = new Set(created('field').map((change) => (change.definition as { type: string }).type))
    for (const type of ['string', 'text', 'integer', 'boolean', 'dateTime', 'timestamp', 'uuid', 'json']) {
      expect(fieldTypes).toContain(type)
    }
    const relations = created('relation').map((change) => `${change.collection}.${change.field} -> ${change.relatedCollection}`)
    expect(relations).toEqual(
      expect.arrayContaining(['articles.author -> authors', 'articles_tags.articles_id -> articles', 'articles_tags.tags_id -> tags'])
    )
    expect(plan.summary).toBe(
      `+${REALISTIC_COLLECTIONS.length} collections, +${created('field').length} fields, +${relations.length} relations`
    )
  })

  it('applies the diff with its hash, after which no reviewed change is pending', async () => {
    const plan = withChanges(await computePlan(base, target, { force: false }))
    await applySchemaDiff(target, { hash: plan.hash, diff: plan.diff })
    const after = await computePlan(base, target, { force: false })
    if (after.kind === 'changes') {
      expect(verifyAgainst(plan.changes, after.changes).pending).toEqual([])
      // What may remain is normalisation residue: column types spelled differently, never a missing entity.
      for (const change of after.changes) {
        expect(change.action).toBe('update')
        for (const edit of change.edits) expect(edit.path).toMatch(/^schema\./)
      }
    }
  })

  it('refuses a second apply of the same diff, because the hash moved', async () => {
    const plan = await computePlan(base, target, { force: false })
    const stale = {
      hash: '0'.repeat(40),
      diff:
        plan.kind === 'changes'
          ? plan.diff
          : { collections: [{ collection: 'ghost', diff: [{ kind: 'N' as const, rhs: {} }] }], fields: [], relations: [] }
    }
    await expect(applySchemaDiff(target, stale)).rejects.toMatchObject({ status: 400, side: 'target' })
  })
})
