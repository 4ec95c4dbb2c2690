import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkDrift, type DriftFinding } from '../../src/core/drift.js'
import {
  baselineOf,
  BaselineError,
  openBaseline,
  sealBaseline,
  snapshotDigest,
  unpackSnapshot,
  type BaselineRecord
} from '../../src/core/guard/baseline.js'
import { recordKey, sealRecord, type PlanRecord } from '../../src/core/guard/record.js'
import { readDiff } from '../../src/core/plan/changes.js'
import { diffDigest } from '../../src/core/plan/digest.js'
import { readingFacts, type ChangesPlan } from '../../src/core/planner.js'
import { takeSnapshot } from '../../src/directus/schema.js'
import type { DiffResponse, SchemaSnapshot } from '../../src/directus/types.js'
import { FakeDirectus } from '../support/fake-directus.js'
import { baselineLine, driftBody, driftMarker, driftStatus, ISSUE_LIMIT, parseDriftIssue, writeDriftIssue } from '../../src/report/drift.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures')
/** GET /schema/snapshot of a live 12.4.0 base seeded with the realistic schema. */
const realistic = JSON.parse(readFileSync(join(FIXTURES, 'snapshots', 'realistic.json'), 'utf8')) as SchemaSnapshot
/** What live 12.4.0 answered when a target lost site_settings after its apply (target-drift.json). */
const driftAnswers = JSON.parse(readFileSync(join(FIXTURES, 'directus-answers', 'target-drift.json'), 'utf8')) as {
  exchanges: { request: { method: string; path: string }; response: { status: number; json?: { data?: DiffResponse } } }[]
}

const URL = 'https://staging.example.com/'
const KEY = recordKey({ kind: 'token', token: 'staging-admin-token' }, URL)
const BINDING = { repository: 'acme/site', targetName: 'staging', targetUrl: URL }

const record = (snapshot = realistic, budget = 30_000): BaselineRecord =>
  baselineOf(
    snapshot,
    { ...BINDING, recordedAt: '2026-03-01T12:00:00.000Z', source: 'apply', pullRequest: 12, commit: 'b'.repeat(40) },
    budget
  )

describe('the drift baseline record', () => {
  it('opens what it sealed, with the snapshot packed, and only under the target key and binding', () => {
    const sealed = sealBaseline(record(), KEY)
    const opened = openBaseline(sealed, KEY, BINDING)
    expect(opened).toMatchObject({ v: 1, source: 'apply', pullRequest: 12, directus: '12.4.0', vendor: 'sqlite' })
    expect(opened.counts).toEqual({
      collections: realistic.collections.length,
      fields: realistic.fields.length,
      relations: realistic.relations.length
    })
    expect(unpackSnapshot(opened)).toEqual(JSON.parse(JSON.stringify(realistic)))
    expect(sealed.length).toBeLessThan(20_000)

    const otherKey = recordKey({ kind: 'token', token: 'rotated-token' }, URL)
    expect(() => openBaseline(sealed, otherKey, BINDING)).toThrow(/signature does not verify/)
    expect(() => openBaseline(sealed, KEY, { ...BINDING, repository: 'evil/site' })).toThrow(/recorded for acme\/site/)
    expect(() => openBaseline(sealed, KEY, { ...BINDING, targetName: 'production' })).toThrow(/recorded for target staging/)
    const [prefix, payload, signature] = sealed.split('.')
    const edited = Buffer.from(JSON.stringify({ ...opened, digest: 'sha256:' + '0'.repeat(64) })).toString('base64url')
    expect(() => openBaseline(`${prefix}.${edited}.${signature}`, KEY, BINDING)).toThrow(BaselineError)
    expect(() => openBaseline(`${prefix}.${payload}`, KEY, BINDING)).toThrow(/malformed/)
  })

  it('never takes a plan record for a baseline', () => {
    const plan = {
      v: 1,
      repository: 'acme/site',
      pullRequest: 1,
      headSha: 'a'.repeat(40),
      targetName: 'staging',
      targetUrl: URL
    } as unknown as PlanRecord
    const sealedPlan = sealRecord(plan, KEY)
    expect(() => openBaseline(sealedPlan, KEY, BINDING)).toThrow(/malformed/)
    const [, payload, signature] = sealedPlan.split('.')
    expect(() => openBaseline(`b1.${payload}.${signature}`, KEY, BINDING)).toThrow(/signature does not verify/)
  })

  it('keeps the digest alone when the snapshot does not fit', () => {
    const small = record(realistic, 500)
    expect(small.snapshot).toBeUndefined()
    expect(small.digest).toBe(snapshotDigest(realistic))
    expect(unpackSnapshot(small)).toBeUndefined()
  })

  it('fingerprints the schema, not the order of its lists or the Directus version that wrote it', () => {
    const reordered = {
      ...realistic,
      directus: '12.5.0',
      fields: [...realistic.fields].reverse(),
      collections: [...realistic.collections].reverse()
    }
    expect(snapshotDigest(reordered)).toBe(snapshotDigest(realistic))
    const changed = structuredClone(realistic)
    ;(changed.fields[0] as { meta: { note: string } }).meta.note = 'edited by hand'
    expect(snapshotDigest(changed)).not.toBe(snapshotDigest(realistic))
  })
})

describe('the drift tracking issue', () => {
  const drifted = (): DriftFinding => {
    const exchange = driftAnswers.exchanges.findLast(
      (candidate) =>
        candidate.request.path === '/schema/diff' &&
        candidate.response.json?.data?.diff.collections.some((item) => item.collection === 'site_settings')
    )
    const answer = exchange?.response.json?.data
    if (!answer) throw new Error('target-drift.json has no diff showing the deleted site_settings')
    const plan: ChangesPlan = {
      kind: 'changes',
      hash: answer.hash,
      diff: answer.diff,
      digest: diffDigest(answer.diff),
      reading: {},
      noise: [],
      ...readingFacts(readDiff(answer.diff)),
      base: { version: '12.4.0', vendor: 'sqlite' },
      target: { version: '12.4.0', vendor: 'sqlite' },
      warnings: [],
      mode: 'mirror'
    }
    return {
      state: 'drifted',
      summary: `schema: ${plan.summary}`,
      sections: [{ name: 'schema', drifted: true, plan, note: `The target's schema differs from its baseline: ${plan.summary}.` }]
    }
  }
  const context = {
    targetName: 'staging',
    targetLocation: 'https://staging.example.com',
    runUrl: 'https://github.com/acme/site/actions/runs/1'
  }

  it('writes the marker, the sealed baseline and when drift was seen, and reads them back', () => {
    const sealed = sealBaseline(record(), KEY)
    const seen = { first: '2026-03-02T01:00:00.000Z', last: '2026-03-03T01:00:00.000Z' }
    const finding = drifted()
    const body = writeDriftIssue({
      targetName: 'staging',
      baseline: sealed,
      seen,
      status: driftStatus(finding, context, seen),
      body: driftBody(finding, context, baselineLine(openBaseline(sealed, KEY, BINDING)), ISSUE_LIMIT - 2000, 'comment')
    })
    expect(body.startsWith(`${driftMarker('staging')}\n`)).toBe(true)
    expect(body.length).toBeLessThanOrEqual(ISSUE_LIMIT)
    expect(parseDriftIssue(body, 'staging')).toEqual({ baseline: sealed, seen })
    expect(parseDriftIssue(body.replace(/\n/g, '\r\n'), 'staging')).toEqual({ baseline: sealed, seen })
    expect(parseDriftIssue(body, 'production')).toBeNull()
    expect(body).toContain(
      '⚠️ **Drift on <b>staging</b>** (schema: +1 collection, +3 fields): first seen 2026-03-02T01:00:00.000Z, last seen 2026-03-03T01:00:00.000Z'
    )
    expect(body).toMatch(
      /what Directus would change to bring the target back to its baseline: ➖ delete means the target gained it, ➕ create that it lost it/
    )
    expect(body).toMatch(/\| \| Baseline \| Target \|/)
    expect(body).toMatch(/<code>site&#95;settings<\/code> — new collection/)
    expect(body).toMatch(
      /\*\*Baseline:\*\* recorded 2026-03-01T12:00:00\.000Z right after the action's apply of pull request #12 at commit <code>bbbbbbbbbbbb<\/code>/
    )
    expect(body).not.toMatch(/allow-destructive|the apply is refused/)
  })

  it('refuses sections that could break its markers', () => {
    expect(() => writeDriftIssue({ targetName: 'staging', status: 'a --> b', body: '' })).toThrow(/must not contain/)
    expect(() => writeDriftIssue({ targetName: 'staging', baseline: 'has space', status: '', body: '' })).toThrow(/baseline/)
  })

  it('says what a digest-only baseline can and cannot show', () => {
    const line = baselineLine(record(realistic, 500))
    expect(line).toMatch(/only its digest is stored \(the snapshot was too large\), so drift is seen but not shown/)
    expect(baselineLine(undefined, 'the baseline in the drift tracking issue #3 is not trusted: edited')).toMatch(/not trusted: edited/)
  })
})

describe('checkDrift, against answers captured from live Directus 12.4.0 (the in-process fake)', () => {
  const steps = async <T>(_name: string, work: () => Promise<T>): Promise<T> => work()

  it('shows what differs when the baseline snapshot is stored', async () => {
    const fake = new FakeDirectus({ target: 'empty' })
    const target = await fake.connection('target')
    const finding = await checkDrift(target, '12.4.0', { kind: 'baseline', baseline: record() }, { force: false }, steps)
    expect(finding).toMatchObject({ state: 'drifted', summary: 'schema: +6 collections, +29 fields, +3 relations' })
    expect(fake.problems).toEqual([])
  })

  it('sees drift without showing it when only the digest is stored, and sees none when the digests agree', async () => {
    const fake = new FakeDirectus({ target: 'empty' })
    const target = await fake.connection('target')
    const other = await checkDrift(target, '12.4.0', { kind: 'baseline', baseline: record(realistic, 500) }, { force: false }, steps)
    expect(other).toMatchObject({ state: 'drifted', summary: 'schema: changed' })
    const section = other.state === 'drifted' ? other.sections[0] : undefined
    expect(section?.plan).toBeUndefined()
    expect(section?.note).toMatch(
      /The baseline was too large to store whole, so only digests can be compared: .* What changed cannot be shown/
    )

    const now = await takeSnapshot(target)
    const same = await checkDrift(target, '12.4.0', { kind: 'baseline', baseline: record(now, 1) }, { force: false }, steps)
    expect(same).toMatchObject({ state: 'clean', summary: 'no drift' })
    expect(fake.count('POST', '/schema/diff')).toBe(0)
    expect(fake.problems).toEqual([])
  })

  it('says there is no baseline yet, and asks nothing of the target', async () => {
    const fake = new FakeDirectus({ target: 'empty' })
    const finding = await checkDrift(
      await fake.connection('target'),
      '12.4.0',
      { kind: 'none', why: 'never applied' },
      { force: false },
      steps
    )
    expect(finding).toEqual({ state: 'no-baseline', summary: 'no baseline yet', note: 'never applied' })
    expect(fake.requests).toEqual([])
  })
})
