/**
 * The in-process guard table: every way an apply ends, through the same
 * functions the action runs (trustedRecord → reviewedPlanOf, or pinnedPlan,
 * then applyReviewed), against a fake Directus that answers only what live
 * Directus 12.4.0 answered (__tests__/support/fake-directus.ts). Each row
 * states the failure-reason (or the outcome), the words the message must
 * carry, and what reached Directus: no apply request on a refusal, exactly
 * one on an apply, none at all when the decision is made before connecting.
 * The configuration rows (issue #11) run prepareConfigApply's decisions on
 * plans the real planner makes from configuration states captured live: the
 * fake does not answer configuration reads yet, so they send nothing.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { applyReviewed, type ApplyHooks, type ApplyOutcome } from '../../src/core/apply.js'
import { ACTION_ADVICE, CLI_ADVICE, type Advice } from '../../src/core/advice.js'
import { ApplyFailure, FAILURE_REASONS, type FailureReason } from '../../src/core/errors.js'
import {
  openRecord,
  packDiffWithin,
  recordKey,
  recordSealers,
  sealRecord,
  statusDigest,
  visiblePlanDigest,
  type RecordBinding,
  type ShownPlan
} from '../../src/core/guard/record.js'
import { checkReviewedPlan, hasSchemaPart, pinnedPlan, type ReviewedPlan } from '../../src/core/guard/reviewed-plan.js'
import {
  checkConfigDestructive,
  checkConfigDigest,
  checkConfigScope,
  checkLockout,
  configRecordOf,
  configStart,
  fillSecrets,
  packConfigBatches,
  secretHasher,
  unpackConfigBatches
} from '../../src/core/guard/config-record.js'
import { decideConfigApplication } from '../../src/core/config-promotion.js'
import { operationsOf, type ConfigItem, type ConfigPlan, type ConfigState } from '../../src/core/config/model.js'
import { planConfig, type ConfigPlanOptions } from '../../src/core/config/plan.js'
import { checkApproved, checkSignedBeforeMerge } from '../../src/core/guard/pull-request.js'
import { checkCompleteReview, onlyPlanComment, reviewedPlanOf, trustedRecord } from '../../src/core/guard/trust.js'
import { PartialApplyFailure } from '../../src/core/partial-apply.js'
import { readDiff } from '../../src/core/plan/changes.js'
import { diffDigest } from '../../src/core/plan/digest.js'
import { planPromotion, readingFacts, type ChangesPlan, type ServerFacts } from '../../src/core/planner.js'
import type { ApplyPolicy, BaseRequest } from '../../src/core/settings.js'
import type { DiffResponse } from '../../src/directus/types.js'
import {
  ANSWERS_DIR,
  CapturedAnswers,
  FakeDirectus,
  TARGET_TOKEN,
  TARGET_URL,
  TRANSPORT_FAILURES,
  type BaseName,
  type FakeDirectusOptions,
  type TransportFailure
} from '../support/fake-directus.js'
import { configState } from './helpers/config-states.js'

const captured = CapturedAnswers.load()
const H = {
  empty: captured.hashOf('empty'),
  realistic: captured.hashOf('realistic'),
  destructive: captured.hashOf('destructive'),
  drifted: captured.hashOf('drifted'),
  partial: captured.hashOf('partial')
}

const BINDING: RecordBinding = {
  repository: 'acme/site',
  pullRequest: 42,
  headSha: '3f2a9c1d4b5e6f708192a3b4c5d6e7f809a1b2c3',
  baseRef: 'main',
  targetName: 'production',
  targetUrl: TARGET_URL
}
const KEY = recordKey({ kind: 'token', token: TARGET_TOKEN }, TARGET_URL)
/** When the plan comment was written (GitHub's time), and the digest of the text it shows. */
const SIGNED_AT = '2026-11-30T11:00:00Z'
const VISIBLE = visiblePlanDigest('**Changes:** +4 collections', 'the reviewed body')
const APPLIED_AT = '2026-11-30T12:00:00.000Z'
/** Room for the packed diff in the comment, or none (only the record without it fits). */
const ROOM = { packed: 60_000, none: 10 }

interface Setting {
  scope?: BaseRequest['scope']
  baseFile?: BaseRequest['baseFile']
  allowDestructive?: boolean
  requirePlan?: boolean
  /** The push merged this pull request, which has no plan for the target. */
  unplannedPullRequest?: number
  advice?: Advice
  /** Per-request timeout; an ambiguous apply is looked at again for up to three of these. */
  timeoutMs?: number
}

function requestOf(setting: Setting = {}): BaseRequest & ApplyPolicy {
  return {
    mode: 'mirror',
    force: false,
    targetName: 'production',
    allowDestructive: setting.allowDestructive ?? false,
    requirePlan: setting.requirePlan ?? true,
    // Short, so a re-check after an ambiguous failure does not wait: its deadline is three of these.
    timeoutMs: setting.timeoutMs ?? 50,
    ...(setting.scope ? { scope: setting.scope } : {}),
    ...(setting.baseFile ? { baseFile: setting.baseFile } : {}),
    ...(setting.advice ? { advice: setting.advice } : {}),
    ...(setting.unplannedPullRequest !== undefined ? { unplannedPullRequest: setting.unplannedPullRequest } : {})
  }
}

const THIRTY_FILE = { baseFile: { path: 'snapshot-thirty.json', file: join(ANSWERS_DIR, 'snapshot-thirty.json') } }
const SCOPES: Partial<Record<BaseName, Setting>> = {
  small: { scope: { kind: 'include', collections: ['blog', 'tags'] } },
  'no-folder': { scope: { kind: 'include', collections: ['tags'] } },
  thirty: THIRTY_FILE
}

const step = <T>(_name: string, work: () => Promise<T>) => work()

/** The plan job on the pull request: what the reviewer saw. Its requests are forgotten. */
async function reviewOn(fake: FakeDirectus, setting: Setting = {}): Promise<ChangesPlan> {
  const session = await fake.session({ base: setting.baseFile === undefined })
  const plan = await planPromotion(session, requestOf(setting), step)
  if (plan.kind !== 'changes') throw new Error('the review found no changes')
  fake.forget()
  return plan
}

/** The status the plan comment was written with, and its digest (sealed in the record). */
const PLANNED_STATUS = { state: 'planned', text: '🕓 **Planned:** merging this pull request applies exactly this diff.' } as const
const STATUS = statusDigest(PLANNED_STATUS)

/** The record the plan comment carries, with the reviewed diff packed in when there is room. */
async function commentRecord(
  plan: ChangesPlan,
  room: number,
  binding: RecordBinding = BINDING,
  key: Buffer = KEY,
  shown?: ShownPlan,
  plannedBy: string[] = []
): Promise<string> {
  const sealers = recordSealers(plan, binding, SIGNED_AT, key, await packDiffWithin(plan.diff, room), plannedBy)
  const record = (room === ROOM.none ? sealers.at(-1) : sealers[0])?.(VISIBLE, shown)
  if (!record) throw new Error('no record')
  expect(openRecord(record, key).diff !== undefined).toBe(room !== ROOM.none)
  return record
}

/** A configuration plan as the planner hands it over: a secret in a flow operation's header, a policy deleted. */
const SECRET = 'Bearer sk_live_never_in_a_record'
const CONFIG_PLAN: ConfigPlan = {
  parts: ['access', 'flows'],
  mode: 'mirror',
  batches: [
    {
      collection: 'policies',
      kind: 'delete',
      operations: [{ collection: 'policies', kind: 'delete', key: 'b3c7e1a2-0000-4000-8000-000000000001', label: 'policy "Old editors"' }]
    },
    {
      collection: 'operations',
      kind: 'create',
      operations: [
        {
          collection: 'operations',
          kind: 'create',
          key: 'b3c7e1a2-0000-4000-8000-000000000002',
          label: 'operation "post" of flow "Notify"',
          values: {
            key: 'post',
            type: 'request',
            options: { url: 'https://hooks.example.com', headers: [{ header: 'Authorization', value: SECRET }] }
          },
          changes: [{ path: 'options.headers[0].value', secret: 'changed' }]
        }
      ]
    }
  ],
  digest: 'sha256:config-digest-reviewed',
  fingerprints: ['sha256:before', 'sha256:after-batch-1', 'sha256:after-batch-2'],
  risks: [],
  destructive: true,
  limits: []
}

/** The record of a pull request whose plan changed configuration only. */
function configOnlyRecord(): string {
  const config = { ...configRecordOf(CONFIG_PLAN), batches: packConfigBatches(CONFIG_PLAN, secretHasher(KEY)) }
  const record = recordSealers(undefined, BINDING, SIGNED_AT, KEY, undefined, [], config)[0]?.(VISIBLE)
  if (!record) throw new Error('no record')
  return record
}

/** The record as the action re-seals it after its own apply (appliedRecord in src/action/apply.ts). */
function appliedRecord(sealed: string, appliedHash: string): string {
  return sealRecord({ ...openRecord(sealed, KEY), appliedHash, appliedAt: APPLIED_AT }, KEY)
}

/**
 * Configuration states read live by readConfigState from two 12.4.0 instances (fixtures/config/), planned in
 * mirror mode as the admin role the target's token belongs to: the plan deletes the target's policy "Legacy".
 */
const CONFIG_BASE = configState('base-12.4.0')
const CONFIG_TARGET = configState('target-12.4.0')
const CONFIG_OPTIONS: ConfigPlanOptions = {
  parts: ['access'],
  mode: 'mirror',
  env: {},
  secretHash: secretHasher(KEY),
  identity: {
    user: 'u1',
    role: CONFIG_TARGET.items.roles?.find((role) => role['name'] === 'Administrator')?.['id'] as string,
    userPolicies: []
  }
}

function changedPolicies(state: ConfigState, change: (policies: ConfigItem[]) => ConfigItem[]): ConfigState {
  return { ...state, items: { ...state.items, policies: change([...(state.items.policies ?? [])]) } }
}

/**
 * The configuration decisions of prepareConfigApply after its reads, in its order (scope, the target's
 * fingerprint, digest, lockout, deletes), on a record sealed from the reviewed plan and the plan made now, both
 * by the real planner. The fake answers no configuration read, so none is sent: nothing reaches Directus.
 */
function configDecision(reviewed: { base: ConfigState; target: ConfigState }, now: { base: ConfigState; target: ConfigState }): Result {
  const result: Result = { warnings: [], infos: [], accepted: false }
  const record = configRecordOf(planConfig(reviewed.base, reviewed.target, CONFIG_OPTIONS))
  const current = planConfig(now.base, now.target, CONFIG_OPTIONS)
  try {
    // Exactly what prepareConfigApply decides on what it read (the reads themselves need a live server).
    const policy = { targetName: 'staging', allowDestructive: false, requirePlan: true }
    const application = decideConfigApplication(record, now.target, current, { ...CONFIG_OPTIONS, ...policy }, (line) =>
      result.warnings.push(line)
    )
    expect(application.kind).toBe('apply')
  } catch (error) {
    if (!(error instanceof ApplyFailure)) throw error
    result.failure = error
  }
  return result
}

interface Result {
  outcome?: ApplyOutcome
  failure?: ApplyFailure
  warnings: string[]
  infos: string[]
  /** onApplied was called: Directus accepted the apply request. */
  accepted: boolean
}

/** Runs one apply the way the action's runApply does, from a reviewed plan (or none). */
async function apply(fake: FakeDirectus, reviewed: () => ReviewedPlan | undefined, setting: Setting = {}): Promise<Result> {
  const result: Result = { warnings: [], infos: [], accepted: false }
  const hooks: ApplyHooks = {
    step,
    info: (line) => result.infos.push(line),
    warning: (line) => result.warnings.push(line),
    onApplied: () => (result.accepted = true)
  }
  try {
    // The plan is found and trusted before the action connects to anything.
    const plan = reviewed()
    const session = await fake.session({ base: setting.baseFile === undefined })
    result.outcome = await applyReviewed(session, plan, requestOf(setting), hooks)
  } catch (error) {
    if (!(error instanceof ApplyFailure)) throw error
    result.failure = error
  }
  return result
}

/**
 * Runs an apply whose re-check pauses between looks (SETTLE_PAUSE_MS in
 * src/core/apply.ts) on a fake clock: the pauses pass without waiting.
 */
async function onFakeClock(run: () => Promise<Result>): Promise<Result> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] })
  try {
    let done = false
    const running = run().finally(() => (done = true))
    for (let turn = 0; turn < 1_000 && !done; turn++) {
      await new Promise((resolve) => setImmediate(resolve))
      jest.advanceTimersByTime(100)
    }
    return await running
  } finally {
    jest.useRealTimers()
  }
}

/** Apply on merge, from the plan comment of the merged pull request. */
function fromComment(sealed: string, binding: RecordBinding = BINDING, visibleDigest = VISIBLE): () => ReviewedPlan {
  return () => reviewedPlanOf(trustedRecord(sealed, KEY, { ...binding, visibleDigest }))
}

/** Apply from a dispatch's plan job outputs. */
function pinned(hash: string | undefined, digest: string | undefined): () => ReviewedPlan | undefined {
  return () => pinnedPlan(hash, digest)
}

const noPlan = () => undefined

/** A plan made elsewhere, from a captured diff answer (e.g. the realistic plan of a PostgreSQL target). */
function planOf(response: DiffResponse, target: ServerFacts): ChangesPlan {
  return {
    kind: 'changes',
    hash: response.hash,
    diff: response.diff,
    digest: diffDigest(response.diff),
    reading: {},
    noise: [],
    ...readingFacts(readDiff(response.diff)),
    base: { version: '12.4.0', vendor: 'sqlite' },
    target,
    warnings: [],
    mode: 'mirror'
  }
}

/** One row of the table. */
interface Row {
  name: string
  fake?: FakeDirectusOptions
  /** Sets up the fake (reviews, scripts events), and runs the apply. */
  act(fake: FakeDirectus): Promise<Result>
  /** The failure-reason, or for an apply that ends well whether it applied. */
  expected: { reason: FailureReason } | { applied: boolean }
  /** In the message (refusal), or in the outcome's text, note and residue. */
  words: Array<RegExp | string>
  /** POST /schema/apply requests sent; with `nothing`, no request of any kind reached Directus. */
  applies: number | 'nothing'
  /** POST /schema/diff requests of the apply run. */
  diffs?: number
  /** More about what was sent or reported. */
  check?(fake: FakeDirectus, result: Result): void
}

/** Exactly the reviewed diff, with the reviewed hash, was sent once. */
function sentOnce(hash: string, base: BaseName, state: 'empty' | 'realistic') {
  return (fake: FakeDirectus) => {
    const [body, ...more] = fake.applyBodies()
    expect(more).toHaveLength(0)
    expect(body?.hash).toBe(hash)
    expect(diffDigest(body?.diff ?? { collections: [], fields: [], relations: [] })).toBe(diffDigest(captured.diffOf(base, state)))
  }
}

const rows: Row[] = [
  // --- target-changed ---------------------------------------------------------------------------
  {
    name: 'target-changed: the target drifted between plan and apply',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.setTarget('drifted')
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'target-changed' },
    words: [
      'The target schema changed since the plan was reviewed',
      `reviewed hash ${H.empty}, now ${H.drifted}`,
      'Nothing was applied',
      'Re-run the plan'
    ],
    applies: 0,
    diffs: 1
  },
  {
    name: "target-changed: Directus' own hash check refuses (the target drifted between our diff and our apply)",
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.before('apply', () => fake.setTarget('drifted'))
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'target-changed' },
    words: ['Directus refused the apply', "Provided hash does not match the current instance's schema hash", 'Nothing was applied'],
    applies: 1,
    diffs: 1,
    check: sentOnce(H.empty, 'realistic', 'empty')
  },
  {
    name: "target-changed: a racing apply got there first, and Directus' check finds its collections",
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.before('apply', () => fake.setTarget('realistic'))
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'target-changed' },
    words: [
      'Directus refused the apply',
      'Provided diff is trying to create collection "articles" but it already exists',
      'Nothing was applied'
    ],
    applies: 1,
    diffs: 1
  },
  {
    name: "target-changed: two merges race, both pass Directus' checks, the other commits first",
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.raceNextApply()
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'target-changed' },
    words: ['answered HTTP 400', 'Collection "articles_tags" already exists', '[INVALID_PAYLOAD]', 'another apply got there first'],
    applies: 1,
    diffs: 2,
    check: (_fake, result) => expect(result.accepted).toBe(false)
  },
  {
    name: 'target-changed: Directus refuses mid-apply (already exists) and the target now holds something else',
    async act(fake) {
      const plan = await reviewOn(fake)
      // Both passed Directus' checks; what the other run left is then changed again before the look afterwards.
      fake.raceNextApply().after('apply', () => fake.setTarget('drifted'))
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'target-changed' },
    words: [
      'Collection "articles_tags" already exists',
      'Directus refused this apply',
      `hash now ${H.drifted}, reviewed ${H.empty}`,
      'Nothing was applied by this run'
    ],
    applies: 1,
    diffs: 2,
    check: (_fake, result) => expect(result.accepted).toBe(false)
  },
  {
    name: 'applied: Directus answers its own 500 after the apply committed, and says so',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.failNextApplyAfterCommit()
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { applied: true },
    words: [
      "Directus answered an error after the apply (Cannot read properties of undefined (reading 'fields'))",
      'the apply took effect before the error'
    ],
    applies: 1,
    diffs: 3,
    check(fake, result) {
      sentOnce(H.empty, 'realistic', 'empty')(fake)
      expect(result.warnings).toEqual([result.outcome?.applied ? result.outcome.note : 'no note'])
      expect(result.failure).toBeUndefined()
    }
  },
  {
    name: "target-changed: the target already holds the base, but not through this plan's apply",
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.setTarget('realistic')
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'target-changed' },
    words: ["The target already holds the base schema, but not through this plan's apply", 'Nothing was applied'],
    applies: 0,
    diffs: 1
  },
  {
    name: 'target-changed: a re-run of an applied plan after the target changed again',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.setTarget('destructive')
      return apply(fake, fromComment(appliedRecord(await commentRecord(plan, ROOM.packed), '')))
    },
    expected: { reason: 'target-changed' },
    words: ['The target schema changed since the plan was reviewed', `now ${H.destructive}`],
    applies: 0,
    diffs: 1
  },

  // --- plan-changed ------------------------------------------------------------------------------
  {
    name: 'plan-changed: the base moved on after review, and the record has no room for the diff',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.serveBase('moved')
      return apply(fake, fromComment(await commentRecord(plan, ROOM.none)))
    },
    expected: { reason: 'plan-changed' },
    words: [
      'is not the reviewed one',
      `digest ${diffDigest(captured.diffOf('realistic', 'empty'))}`,
      'the reviewed diff is not stored with the plan',
      'Nothing was applied'
    ],
    applies: 0,
    diffs: 1
  },
  {
    name: "plan-changed: a dispatch's expected-hash and expected-digest, the base moved on since",
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.serveBase('moved')
      return apply(fake, pinned(plan.hash, plan.digest))
    },
    expected: { reason: 'plan-changed' },
    words: ['is not the reviewed one', `digest ${diffDigest(captured.diffOf('moved', 'empty'))}`],
    applies: 0,
    diffs: 1
  },

  // --- no-plan -----------------------------------------------------------------------------------
  {
    name: 'no-plan: no reviewed plan while require-plan is on',
    act: (fake) => apply(fake, noPlan),
    expected: { reason: 'no-plan' },
    words: ["No reviewed plan for target 'production'", 'Nothing was applied', "'require-plan: false'"],
    applies: 0,
    diffs: 1
  },
  {
    name: 'no-plan: expected-hash without expected-digest',
    act: (fake) => apply(fake, pinned(H.empty, undefined)),
    expected: { reason: 'no-plan' },
    words: ["'expected-hash' pins the target but not the diff", 'expected-digest', 'Nothing was applied'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: expected-digest without expected-hash',
    async act(fake) {
      const plan = await reviewOn(fake)
      return apply(fake, pinned(undefined, plan.digest))
    },
    expected: { reason: 'no-plan' },
    words: ["'expected-digest' pins the diff but not the target", "'expected-hash:", 'Nothing was applied'],
    applies: 'nothing'
  },
  {
    name: "no-plan: the comment's visible text edited after it was signed (the record left as it was)",
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed)
      return apply(
        fake,
        fromComment(record, BINDING, visiblePlanDigest('**Changes:** +4 collections', 'the reviewed body, one line removed'))
      )
    },
    expected: { reason: 'no-plan' },
    words: ['was edited after it was signed; re-run the plan', `signed at ${SIGNED_AT}`, 'Nothing was applied'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record for a merge into another branch',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, { ...BINDING, baseRef: 'release' })
      return apply(fake, fromComment(record))
    },
    expected: { reason: 'no-plan' },
    words: ['it was made for a merge into release, but the pull request was merged into main'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record written by an earlier release (format v1)',
    act: (fake) => apply(fake, fromComment(`v1.${Buffer.from('{"v":1}').toString('base64url')}.c2lnbmF0dXJl`)),
    expected: { reason: 'no-plan' },
    words: ['written by an earlier release of this action (record format v1)', 'Re-run the plan'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record keyed with a signing-key, applied with the target credential',
    async act(fake) {
      const signingKey = recordKey({ kind: 'signing-key', key: 'a-random-signing-key-of-32-characters!' }, TARGET_URL)
      return apply(fake, fromComment(await commentRecord(await reviewOn(fake), ROOM.packed, BINDING, signingKey)))
    },
    expected: { reason: 'no-plan' },
    words: ['signature does not verify', 'signing-key'],
    applies: 'nothing'
  },
  {
    name: 'not-approved: the only approval was given before the plan was last written',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed)
      const approval = { state: 'APPROVED', author: { login: 'bob', type: 'User' }, canPush: true, commit: BINDING.headSha }
      return apply(fake, () => {
        const trusted = trustedRecord(record, KEY, { ...BINDING, visibleDigest: VISIBLE })
        checkApproved(trusted, { author: 'alice', reviews: [{ ...approval, submittedAt: '2026-11-30T10:59:59Z' }] })
        return reviewedPlanOf(trusted)
      })
    },
    expected: { reason: 'not-approved' },
    words: [`1 approval given before the plan was last updated at ${SIGNED_AT} (bob at 2026-11-30T10:59:59Z)`, 'Nothing was applied'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record signed after the pull request was merged (a plan job re-run on it)',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed)
      return apply(fake, () => {
        const trusted = trustedRecord(record, KEY, { ...BINDING, visibleDigest: VISIBLE })
        checkSignedBeforeMerge(trusted, '2026-11-30T10:30:00Z')
        return reviewedPlanOf(trusted)
      })
    },
    expected: { reason: 'no-plan' },
    words: [`signed at ${SIGNED_AT}, after the pull request was merged at 2026-11-30T10:30:00Z`],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a tampered record (the reviewed hash edited in the comment)',
    async act(fake) {
      const [prefix, payload, signature] = (await commentRecord(await reviewOn(fake), ROOM.packed)).split('.')
      const record = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as { hash: string }
      const edited = Buffer.from(JSON.stringify({ ...record, hash: H.drifted })).toString('base64url')
      return apply(fake, fromComment(`${prefix}.${edited}.${signature}`))
    },
    expected: { reason: 'no-plan' },
    words: ['is not trusted', 'signature does not verify', 'Nothing was applied'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a malformed record',
    act: (fake) => apply(fake, fromComment('v2.not-a-record')),
    expected: { reason: 'no-plan' },
    words: ['the plan record is malformed'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record copied from another pull request',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, { ...BINDING, pullRequest: 41 })
      return apply(fake, fromComment(record))
    },
    expected: { reason: 'no-plan' },
    words: ['does not belong here', 'it was made for pull request #41', 'Nothing was applied'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record from another repository',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, { ...BINDING, repository: 'acme/other-site' })
      return apply(fake, fromComment(record))
    },
    expected: { reason: 'no-plan' },
    words: ['it was made for acme/other-site'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record for another target name on the same instance',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, { ...BINDING, targetName: 'staging' })
      return apply(fake, fromComment(record))
    },
    expected: { reason: 'no-plan' },
    words: [`it was made for target staging (${TARGET_URL})`],
    applies: 'nothing'
  },
  {
    name: "no-plan: a record for another target instance (a PostgreSQL target's plan, signed with its key)",
    async act(fake) {
      const pg = JSON.parse(readFileSync(join(ANSWERS_DIR, '..', 'diffs', 'realistic-pg.json'), 'utf8')) as { data: DiffResponse }
      const url = 'https://directus.production-pg.example/'
      const key = recordKey({ kind: 'token', token: 'pg-admin-token' }, url)
      const record = await commentRecord(
        planOf(pg.data, { version: '12.4.0', vendor: 'postgres' }),
        ROOM.packed,
        { ...BINDING, targetUrl: url },
        key
      )
      return apply(fake, fromComment(record))
    },
    expected: { reason: 'no-plan' },
    words: ['signature does not verify', 'signed with another target credential'],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record made at another head commit',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, {
        ...BINDING,
        headSha: '0000000000000000000000000000000000000001'
      })
      return apply(fake, fromComment(record))
    },
    expected: { reason: 'no-plan' },
    words: [`it was made at commit 0000000000000000000000000000000000000001, but the pull request was merged at ${BINDING.headSha}`],
    applies: 'nothing'
  },
  {
    name: 'no-plan: a record signed with another key (the target credential was rotated since)',
    async act(fake) {
      const oldKey = recordKey({ kind: 'token', token: 'the-old-target-token' }, TARGET_URL)
      return apply(fake, fromComment(await commentRecord(await reviewOn(fake), ROOM.packed, BINDING, oldKey)))
    },
    expected: { reason: 'no-plan' },
    words: ['signature does not verify'],
    applies: 'nothing'
  },

  {
    name: "no-plan: two comments of the token carry the target's marker (a second one posted, or an older valid plan copied)",
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed)
      const comments = [101, 102].map((id) => ({ id, url: `https://github.com/acme/site/pull/42#issuecomment-${id}`, record }))
      return apply(fake, () => {
        const comment = onlyPlanComment(comments, BINDING.pullRequest, BINDING.targetName)
        return comment ? fromComment(comment.record)() : undefined
      })
    },
    expected: { reason: 'no-plan' },
    words: [
      "Pull request #42 has 2 comments of this token that carry the plan marker of target 'production'",
      'https://github.com/acme/site/pull/42#issuecomment-101, https://github.com/acme/site/pull/42#issuecomment-102',
      'nobody can tell which one reviewers read',
      'Nothing was applied'
    ],
    applies: 'nothing'
  },
  {
    name: "no-plan: the comment's status edited after the action last wrote it (the record and body left as they were)",
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, BINDING, KEY, { complete: true, statusDigest: STATUS })
      const edited = statusDigest({ ...PLANNED_STATUS, text: `${PLANNED_STATUS.text} <details><summary>Safe to approve</summary>` })
      // The status as the action wrote it passes; one character more does not.
      expect(trustedRecord(record, KEY, { ...BINDING, visibleDigest: VISIBLE, statusDigest: STATUS }).statusDigest).toBe(STATUS)
      return apply(fake, () => reviewedPlanOf(trustedRecord(record, KEY, { ...BINDING, visibleDigest: VISIBLE, statusDigest: edited })))
    },
    expected: { reason: 'no-plan' },
    words: ['The status of the plan comment on pull request #42 was edited', 'Nothing was applied', 'Re-run the plan'],
    applies: 'nothing'
  },
  {
    name: 'not-approved: the only approval is by whoever caused the plan (pushed to the pull request, or ran its plan job)',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, BINDING, KEY, undefined, ['Mallory', 'alice'])
      const approval = { state: 'APPROVED', author: { login: 'mallory', type: 'User' }, canPush: true, commit: BINDING.headSha }
      return apply(fake, () => {
        const trusted = trustedRecord(record, KEY, { ...BINDING, visibleDigest: VISIBLE })
        checkApproved(trusted, { author: 'alice', reviews: [{ ...approval, submittedAt: '2026-11-30T11:05:00Z' }] })
        return reviewedPlanOf(trusted)
      })
    },
    expected: { reason: 'not-approved' },
    words: [
      '1 approval by who caused the plan, by pushing to the pull request or running its plan job (mallory)',
      'other than the author and whoever caused the plan (alice, mallory)',
      'Nothing was applied'
    ],
    applies: 'nothing'
  },
  {
    name: 'no-plan: require-plan: false, but the push merged a pull request without a plan for the target',
    act: (fake) => apply(fake, noPlan, { requirePlan: false, unplannedPullRequest: 42 }),
    expected: { reason: 'no-plan' },
    words: [
      "Pull request #42 was merged without a reviewed plan for target 'production'",
      '(+6 collections, +29 fields, +3 relations)',
      "'require-plan: false' covers only pushes without a pull request",
      'Nothing was applied'
    ],
    applies: 0,
    diffs: 1,
    check: (_fake, result) => expect(result.warnings).toEqual([])
  },
  {
    name: 'not applied: a pull request merged without a plan, and the target already matches (its plan found nothing to change)',
    fake: { target: 'realistic' },
    act: (fake) => apply(fake, noPlan, { requirePlan: false, unplannedPullRequest: 42 }),
    expected: { applied: false },
    words: ['The target already matches the base; nothing to apply.'],
    applies: 0,
    diffs: 1
  },

  // --- partial-review ------------------------------------------------------------------------------
  {
    name: 'partial-review: the comment could not show the whole plan (the record says so)',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, BINDING, KEY, { complete: false, statusDigest: STATUS })
      return apply(fake, () => {
        const trusted = trustedRecord(record, KEY, { ...BINDING, visibleDigest: VISIBLE, statusDigest: STATUS })
        checkCompleteReview(trusted, false)
        return reviewedPlanOf(trusted)
      })
    },
    expected: { reason: 'partial-review' },
    words: [
      'could not show the whole plan',
      'its reviewers did not see everything that would be applied',
      'Nothing was applied',
      "'allow-partial-review: true'"
    ],
    applies: 'nothing'
  },
  {
    name: 'applied: the same incomplete plan with allow-partial-review',
    async act(fake) {
      const record = await commentRecord(await reviewOn(fake), ROOM.packed, BINDING, KEY, { complete: false, statusDigest: STATUS })
      return apply(fake, () => {
        const trusted = trustedRecord(record, KEY, { ...BINDING, visibleDigest: VISIBLE, statusDigest: STATUS })
        checkCompleteReview(trusted, true)
        return reviewedPlanOf(trusted)
      })
    },
    expected: { applied: true },
    words: [],
    applies: 1,
    diffs: 2,
    check: sentOnce(H.empty, 'realistic', 'empty')
  },

  // --- destructive-blocked, then allowed -----------------------------------------------------------
  {
    name: 'destructive-blocked: the reviewed diff drops a column',
    fake: { target: 'realistic', base: 'destructive' },
    async act(fake) {
      return apply(fake, fromComment(await commentRecord(await reviewOn(fake), ROOM.packed)))
    },
    expected: { reason: 'destructive-blocked' },
    words: ['The reviewed diff drops data (articles.word_count:', 'Nothing was applied', "Set 'allow-destructive: true'"],
    applies: 0,
    diffs: 1
  },
  {
    name: 'destructive-blocked: the command line names its flag',
    fake: { target: 'realistic', base: 'destructive' },
    async act(fake) {
      return apply(fake, fromComment(await commentRecord(await reviewOn(fake), ROOM.packed)), { advice: CLI_ADVICE })
    },
    expected: { reason: 'destructive-blocked' },
    words: ['drops data', 'Set --allow-destructive'],
    applies: 0
  },
  {
    name: 'allowed: the same destructive diff with allow-destructive, applied once with a warning',
    fake: { target: 'realistic', base: 'destructive' },
    async act(fake) {
      return apply(fake, fromComment(await commentRecord(await reviewOn(fake), ROOM.packed)), { allowDestructive: true })
    },
    expected: { applied: true },
    words: [],
    applies: 1,
    diffs: 2,
    check(fake, result) {
      sentOnce(H.realistic, 'destructive', 'realistic')(fake)
      expect(result.warnings).toEqual([expect.stringMatching(/^Applying 1 destructive change to production \(articles\.word_count: /)])
      expect(result.outcome).toMatchObject({ applied: true, appliedHash: '' })
      expect(fake.state).toBe('destructive')
    }
  },

  // --- apply-failed ------------------------------------------------------------------------------
  {
    // Live Directus answers this apply 500 "Cannot read properties of undefined (reading 'fields')"
    // (captured in target-main.json); the apply model knows it before sending anything.
    name: 'apply-failed: a table in a folder outside the scope cannot be created, and nothing is sent',
    fake: { base: 'no-folder' },
    async act(fake) {
      const plan = await reviewOn(fake, SCOPES['no-folder'])
      expect(plan.failing).toBe(true)
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)), SCOPES['no-folder'])
    },
    expected: { reason: 'apply-failed' },
    words: [
      'Directus cannot apply the reviewed diff as it was reviewed',
      'collection tags: Directus does not create this collection, because its folder `blog` neither exists on the target',
      'Nothing was applied.'
    ],
    applies: 0,
    diffs: 1,
    check(fake, result) {
      expect(result.failure?.message).not.toMatch(/field tags\.name/)
      // The target's schema, read once: only it tells whether the folder exists there.
      expect(fake.requests.filter((request) => request.side === 'target' && request.path === '/schema/snapshot')).toHaveLength(1)
      expect(result.warnings.join('\n')).toMatch(/outside it: blog\. If the target does not have it, Directus fails the apply/)
      expect(result.accepted).toBe(false)
    }
  },
  {
    name: "apply-failed: LIMIT_EXCEEDED over Directus 12's collection cap, named with the hint",
    fake: { base: 'thirty' },
    async act(fake) {
      return apply(fake, fromComment(await commentRecord(await reviewOn(fake, THIRTY_FILE), ROOM.packed)), THIRTY_FILE)
    },
    expected: { reason: 'apply-failed' },
    words: [
      'answered HTTP 403: collections limit exceeded. [LIMIT_EXCEEDED]',
      'The target is unchanged; nothing was applied.',
      'without a license key allows at most 25 active collections',
      "'include-collections'"
    ],
    applies: 1,
    diffs: 2
  },
  {
    name: 'apply-failed: Directus accepts the apply, but verification finds reviewed changes pending',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.after('apply', () => fake.setTarget('partial'))
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'apply-failed' },
    words: ['Directus accepted the apply, but 4 reviewed change(s) are still pending on the target', '+1 collection', '+3 fields'],
    applies: 1,
    diffs: 2,
    check: (_fake, result) => expect(result.accepted).toBe(true)
  },
  {
    name: 'apply-failed: the credential stops working between diff and apply; the target cannot be checked',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.before('apply', () => fake.revokeCredential())
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'apply-failed' },
    words: [
      'answered HTTP 401: Invalid user credentials. [INVALID_CREDENTIALS]',
      "check 'target-token'",
      'could not be checked afterwards'
    ],
    applies: 1,
    diffs: 2
  },
  {
    name: 'apply-failed: an ambiguous failure, and the target changed otherwise meanwhile',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.before('apply', () => fake.setTarget('drifted')).failNextApply('proxy-502', { tookEffect: false })
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { reason: 'apply-failed' },
    words: [
      'answered HTTP 502',
      'from a proxy or load balancer',
      'The target changed but does not hold the reviewed schema',
      'inspect it before retrying'
    ],
    applies: 1,
    diffs: 2
  },

  {
    name: 'partially-applied: a proxy 502, and the target ends up holding some of the reviewed changes',
    async act(fake) {
      const plan = await reviewOn(fake)
      // The apply never reached Directus; another change lands right after the first look, and the target then holds still.
      fake.failNextApply('proxy-502', { tookEffect: false }).before('apply', () => fake.after('diff', () => fake.setTarget('partial')))
      const record = await commentRecord(plan, ROOM.packed)
      return onFakeClock(() => apply(fake, fromComment(record), { timeoutMs: 2_000 }))
    },
    expected: { reason: 'partially-applied' },
    words: [
      'Directus failed the apply part-way',
      'the target changed although Directus reported a failure',
      'Not applied: +1 collection, +3 fields',
      `The target's schema hash is now ${H.partial}`
    ],
    applies: 1,
    diffs: 4,
    check(fake, result) {
      expect(result.failure).toBeInstanceOf(PartialApplyFailure)
      const failure = result.failure as PartialApplyFailure
      expect(failure.pending.length).toBeGreaterThan(0)
      expect(failure.applied.length).toBeGreaterThan(0)
      expect(failure.targetHash).toBe(H.partial)
      expect(fake.state).toBe('partial')
    }
  },

  // --- ambiguous failures: took effect, or not ---------------------------------------------------
  ...TRANSPORT_FAILURES.flatMap((failure): Row[] => [
    {
      name: `ambiguous (${failure}) that took effect: applied, and said so`,
      async act(fake) {
        const plan = await reviewOn(fake)
        fake.failNextApply(failure, { tookEffect: true })
        return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
      },
      expected: { applied: true },
      words: [failureWords(failure, 'reason'), 'but the target now holds the reviewed schema: it took effect'],
      applies: 1,
      diffs: 3,
      check(fake, result) {
        sentOnce(H.empty, 'realistic', 'empty')(fake)
        expect(result.warnings).toEqual([result.outcome?.applied ? result.outcome.note : 'no note'])
        expect(result.accepted).toBe(true)
      }
    },
    {
      name: `ambiguous (${failure}) that did not take effect: apply-failed, target unchanged`,
      async act(fake) {
        const plan = await reviewOn(fake)
        fake.failNextApply(failure, { tookEffect: false })
        return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
      },
      expected: { reason: 'apply-failed' },
      words: [failureWords(failure, 'message'), 'The target is unchanged; nothing was applied.'],
      applies: 1,
      diffs: 2,
      check: (fake) => expect(fake.state).toBe('empty')
    }
  ]),

  {
    name: 'ambiguous (proxy-502) while Directus is still applying: looked at again until it holds the reviewed schema',
    async act(fake) {
      const plan = await reviewOn(fake)
      // The first look after the failure still finds the old schema; the apply commits right after it.
      fake.failNextApply('proxy-502', { tookEffect: false }).before('apply', () => fake.after('diff', () => fake.setTarget('realistic')))
      const record = await commentRecord(plan, ROOM.packed)
      const result = await onFakeClock(() => apply(fake, fromComment(record), { timeoutMs: 2_000 }))
      expect(result.infos).toEqual([
        expect.stringContaining(`looking at the target again in 1000 ms (hash now ${H.empty}, reviewed ${H.empty})`)
      ])
      return result
    },
    expected: { applied: true },
    words: ['The apply request failed (Bad Gateway', 'but the target now holds the reviewed schema: it took effect'],
    applies: 1,
    diffs: 4
  },
  {
    name: 'ambiguous (timeout) and the target holds still: looked at twice, then apply-failed, target unchanged',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.failNextApply('timeout', { tookEffect: false })
      const record = await commentRecord(plan, ROOM.packed)
      return onFakeClock(() => apply(fake, fromComment(record), { timeoutMs: 2_000 }))
    },
    expected: { reason: 'apply-failed' },
    words: ['got no answer: timed out after 30 s', 'The target is unchanged; nothing was applied.'],
    applies: 1,
    diffs: 3
  },

  // --- re-runs ----------------------------------------------------------------------------------
  {
    name: 're-run of an applied plan, the target as that apply left it: nothing to do',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.setTarget('realistic')
      return apply(fake, fromComment(appliedRecord(await commentRecord(plan, ROOM.packed), '')))
    },
    expected: { applied: false },
    words: [`This plan was applied at ${APPLIED_AT} and the target is exactly as that apply left it; nothing to apply.`],
    applies: 0,
    diffs: 1
  },
  {
    name: 're-run of an applied plan whose base moved on since: nothing to do, what differs is shown',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.setTarget('realistic').serveBase('moved')
      return apply(fake, fromComment(appliedRecord(await commentRecord(plan, ROOM.packed), H.realistic)))
    },
    expected: { applied: false },
    words: ['exactly as that apply left it', `What still differs is normalisation residue: +1 field (hash ${H.realistic})`],
    applies: 0,
    diffs: 1
  },

  {
    name: 'target-changed: an applied plan is not applied again, even when the target went back to the hash it was reviewed against',
    async act(fake) {
      const plan = await reviewOn(fake)
      // Applied weeks ago (the target then matched the base), since reverted by hand to the reviewed state: a re-run of the merge job.
      return apply(fake, fromComment(appliedRecord(await commentRecord(plan, ROOM.packed), '')))
    },
    expected: { reason: 'target-changed' },
    words: [
      `applied at ${APPLIED_AT} (hash now ${H.empty}, which is the hash it was reviewed against: the target went back; that apply left the base schema)`,
      'A reviewed plan is applied once',
      'Nothing was applied'
    ],
    applies: 0,
    diffs: 1
  },

  // --- applies ----------------------------------------------------------------------------------
  {
    name: 'applied: the reviewed plan, sent exactly once, then verified',
    async act(fake) {
      return apply(fake, fromComment(await commentRecord(await reviewOn(fake), ROOM.packed)))
    },
    expected: { applied: true },
    words: [],
    applies: 1,
    diffs: 2,
    check(fake, result) {
      sentOnce(H.empty, 'realistic', 'empty')(fake)
      expect(result.outcome).toMatchObject({ applied: true, appliedHash: '' })
      expect(result.outcome).not.toHaveProperty('residue')
      expect(result.warnings).toEqual([])
      expect(result.accepted).toBe(true)
    }
  },
  {
    name: "applied: the packed reviewed diff, not the moved base's; the base's later change is shown as residue",
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.serveBase('moved')
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)))
    },
    expected: { applied: true },
    words: [
      `After apply the target still differs from the base by +1 field (target hash ${H.realistic})`,
      'none of it is part of the reviewed plan'
    ],
    applies: 1,
    diffs: 2,
    check(fake, result) {
      sentOnce(H.empty, 'realistic', 'empty')(fake)
      expect(result.outcome).toMatchObject({ applied: true, appliedHash: H.realistic })
    }
  },
  {
    name: 'applied: a packed diff that does not match its signed digest is dropped; the diff with that digest is applied',
    async act(fake) {
      const plan = await reviewOn(fake)
      const record = openRecord(await commentRecord(plan, ROOM.packed), KEY)
      const otherDiff = await packDiffWithin(captured.diffOf('moved', 'empty'), ROOM.packed)
      return apply(fake, fromComment(sealRecord({ ...record, ...(otherDiff ? { diff: otherDiff } : {}) }, KEY)))
    },
    expected: { applied: true },
    words: [],
    applies: 1,
    diffs: 2,
    check: sentOnce(H.empty, 'realistic', 'empty')
  },
  {
    name: "applied: a dispatch's pinned hash and digest, the diff reproduced",
    async act(fake) {
      const plan = await reviewOn(fake)
      return apply(fake, pinned(plan.hash, plan.digest))
    },
    expected: { applied: true },
    words: [],
    applies: 1,
    diffs: 2,
    check: sentOnce(H.empty, 'realistic', 'empty')
  },
  {
    name: 'applied: a scoped plan (include-collections), verified with the same scope',
    fake: { base: 'small' },
    async act(fake) {
      const plan = await reviewOn(fake, SCOPES.small)
      return apply(fake, fromComment(await commentRecord(plan, ROOM.packed)), SCOPES.small)
    },
    expected: { applied: true },
    words: [],
    applies: 1,
    diffs: 2,
    check: (fake, result) => {
      expect(result.outcome).toMatchObject({ applied: true, appliedHash: '' })
      expect(fake.state).toBe('small')
    }
  },
  {
    name: 'not applied: a pinned plan (no pull request) and a target that already matches',
    async act(fake) {
      const plan = await reviewOn(fake)
      fake.setTarget('realistic')
      return apply(fake, pinned(plan.hash, plan.digest))
    },
    expected: { applied: false },
    words: ['The target already matches the base; nothing to apply.'],
    applies: 0,
    diffs: 1
  },

  // --- a plan of configuration alone (issue #11): its record has no schema part ----------------------
  {
    name: 'plan-changed: the reviewed plan changed configuration only, and the schema differs now',
    async act(fake) {
      return apply(fake, fromComment(configOnlyRecord()))
    },
    expected: { reason: 'plan-changed' },
    words: ['The reviewed plan changes no schema, but the schema differs now', 'Nothing was applied', 'Re-run the plan'],
    applies: 0,
    diffs: 1
  },
  {
    name: 'applied false: the reviewed plan changed configuration only, and the schema still matches',
    fake: { target: 'realistic' },
    act: (fake) => apply(fake, fromComment(configOnlyRecord())),
    expected: { applied: false },
    words: ['The reviewed plan changes no schema, and the schema still matches the base.'],
    applies: 0,
    diffs: 1
  },

  // --- configuration (issue #11): the decisions before any write, on plans of captured states ---------
  {
    name: 'target-changed: a configuration record on the target drifted since the plan was reviewed',
    act: async () =>
      configDecision(
        { base: CONFIG_BASE, target: CONFIG_TARGET },
        {
          base: CONFIG_BASE,
          target: changedPolicies(CONFIG_TARGET, (policies) =>
            policies.map((policy) => (policy['name'] === 'Editors' ? { ...policy, description: 'edited on the target' } : policy))
          )
        }
      ),
    expected: { reason: 'target-changed' },
    words: ['Nothing was applied', 'Re-run the plan'],
    applies: 'nothing'
  },
  {
    name: 'lockout: the configuration plan deletes the admin policy the identity apply runs as holds',
    async act() {
      const withoutAdmin = changedPolicies(CONFIG_BASE, (policies) => policies.filter((policy) => policy['name'] !== 'Administrator'))
      return configDecision({ base: withoutAdmin, target: CONFIG_TARGET }, { base: withoutAdmin, target: CONFIG_TARGET })
    },
    expected: { reason: 'lockout' },
    words: ['take admin access away from the user apply runs as on the target (u1)', 'delete policy "Administrator"'],
    applies: 'nothing'
  },
  {
    name: 'destructive-blocked: the configuration plan deletes a policy, without allow-destructive',
    act: async () => configDecision({ base: CONFIG_BASE, target: CONFIG_TARGET }, { base: CONFIG_BASE, target: CONFIG_TARGET }),
    expected: { reason: 'destructive-blocked' },
    words: ['policy "Legacy"', "'allow-destructive: true'"],
    applies: 'nothing'
  },

  // --- require-plan: false -------------------------------------------------------------------------
  {
    name: 'require-plan: false applies the current diff with its hash, and warns',
    act: (fake) => apply(fake, noPlan, { requirePlan: false }),
    expected: { applied: true },
    words: [],
    applies: 1,
    diffs: 2,
    check(fake, result) {
      sentOnce(H.empty, 'realistic', 'empty')(fake)
      expect(result.warnings).toEqual(['Applying to production without a reviewed plan (require-plan: false).'])
    }
  },
  {
    name: "require-plan: false still has Directus' hash check",
    async act(fake) {
      fake.before('apply', () => fake.setTarget('drifted'))
      return apply(fake, noPlan, { requirePlan: false })
    },
    expected: { reason: 'target-changed' },
    words: ['Directus refused the apply', 'Provided hash does not match'],
    applies: 1,
    diffs: 1
  },
  {
    name: 'require-plan: false and a target that already matches: nothing to apply',
    fake: { target: 'realistic' },
    act: (fake) => apply(fake, noPlan, { requirePlan: false }),
    expected: { applied: false },
    words: ['The target already matches the base; nothing to apply.'],
    applies: 0,
    diffs: 1
  }
]

/** What client.ts says of each transport failure of the apply request: its reason, inside the whole line. */
function failureWords(failure: TransportFailure, part: 'reason' | 'message'): string {
  const [answer, reason] = {
    'no-answer': ['got no answer', 'connection reset (UND_ERR_SOCKET)'],
    reset: ['got no answer', 'connection reset (ECONNRESET)'],
    timeout: ['got no answer', 'timed out after 30 s'],
    'proxy-502': ['answered HTTP 502', 'Bad Gateway, an HTML page ("502 Bad Gateway") from a proxy or load balancer, not from Directus']
  }[failure]
  return part === 'reason'
    ? `The apply request failed (${reason})`
    : `target (${new URL(TARGET_URL).host}): POST /schema/apply ${answer}: ${reason}.`
}

let current: FakeDirectus | undefined
afterEach(() => {
  // Every answer given was a captured one, and every scripted event happened.
  expect(current?.problems ?? []).toEqual([])
  expect(current?.unusedEvents() ?? []).toEqual([])
  current = undefined
})

describe('the guard table: every way an apply ends', () => {
  it('has a row for every failure-reason apply can give', () => {
    const covered = new Set(rows.flatMap((row) => ('reason' in row.expected ? [row.expected.reason] : [])))
    expect([...FAILURE_REASONS].filter((reason) => !covered.has(reason))).toEqual([])
  })

  it.each(rows)('$name', async (row) => {
    const fake = (current = new FakeDirectus(row.fake))
    const result = await row.act(fake)

    if ('reason' in row.expected) {
      expect(result.outcome).toBeUndefined()
      expect(result.failure?.reason).toBe(row.expected.reason)
    } else {
      expect(result.failure?.message).toBeUndefined()
      expect(result.outcome?.applied).toBe(row.expected.applied)
    }
    const said = result.failure
      ? result.failure.message
      : result.outcome?.applied
        ? [result.outcome.note, result.outcome.residue].join(' ')
        : (result.outcome?.text ?? '')
    for (const word of row.words) expect(said).toContain(word)

    if (row.applies === 'nothing') {
      expect(fake.requests).toEqual([])
    } else {
      expect(fake.count('POST', '/schema/apply')).toBe(row.applies)
      expect(fake.applyBodies()).toHaveLength(row.applies)
    }
    if (row.diffs !== undefined) expect(fake.count('POST', '/schema/diff')).toBe(row.diffs)
    row.check?.(fake, result)
  })
})

describe('decisions made before any request', () => {
  const reviewedDiff = captured.diffOf('realistic', 'empty')
  const plan = planOf({ hash: H.empty, diff: reviewedDiff }, { version: '12.4.0', vendor: 'sqlite' })

  it('checkReviewedPlan refuses a hash, a digest or a data loss without a server', () => {
    const reviewed: ReviewedPlan = { hash: H.empty, digest: plan.digest }
    expect(checkReviewedPlan(reviewed, plan, { allowDestructive: false }).diff).toBe(reviewedDiff)
    expect(() => checkReviewedPlan({ ...reviewed, hash: H.drifted }, plan, { allowDestructive: false })).toThrow(
      expect.objectContaining({ reason: 'target-changed' })
    )
    expect(() => checkReviewedPlan({ ...reviewed, digest: 'other' }, plan, { allowDestructive: false, advice: ACTION_ADVICE })).toThrow(
      expect.objectContaining({ reason: 'plan-changed' })
    )
    const destructive = planOf({ hash: H.realistic, diff: captured.diffOf('destructive', 'realistic') }, plan.target)
    expect(() => checkReviewedPlan({ hash: H.realistic, digest: destructive.digest }, destructive, { allowDestructive: false })).toThrow(
      expect.objectContaining({ reason: 'destructive-blocked' })
    )
    expect(checkReviewedPlan({ hash: H.realistic, digest: destructive.digest }, destructive, { allowDestructive: true }).diff).toBe(
      destructive.diff
    )
  })

  it('a plan sealed before noise was left out still applies exactly the diff it pinned', () => {
    const noise = { kind: 'E' as const, path: ['schema', 'constraint_name'], lhs: 'a_b_foreign', rhs: 'a_b_custom' }
    const untrimmed = { ...reviewedDiff, relations: [{ collection: 'a', field: 'b', related_collection: 'c', diff: [noise] }] }
    const current: ChangesPlan = { ...plan, untrimmed }
    const sealedBefore: ReviewedPlan = { hash: H.empty, digest: diffDigest(untrimmed) }
    expect(checkReviewedPlan(sealedBefore, current, { allowDestructive: false }).diff).toBe(untrimmed)
    expect(() => checkReviewedPlan({ ...sealedBefore, digest: 'sha256:other' }, current, { allowDestructive: false })).toThrow(
      expect.objectContaining({ reason: 'plan-changed' })
    )
  })

  it('pinnedPlan: none without either, refused with only one of them, pinned with both', () => {
    expect(pinnedPlan(undefined, undefined)).toBeUndefined()
    expect(() => pinnedPlan(H.empty, undefined)).toThrow(expect.objectContaining({ reason: 'no-plan' }))
    expect(() => pinnedPlan(undefined, plan.digest)).toThrow(expect.objectContaining({ reason: 'no-plan' }))
    expect(pinnedPlan(H.empty, plan.digest)).toEqual({ hash: H.empty, digest: plan.digest })
  })

  it('reviewedPlanOf carries the packed diff, the applied marks and the pull request origin', async () => {
    const sealed = recordSealers(plan, BINDING, SIGNED_AT, KEY, await packDiffWithin(plan.diff, ROOM.packed))[0]?.(VISIBLE) ?? ''
    expect(reviewedPlanOf(trustedRecord(sealed, KEY, { ...BINDING, visibleDigest: VISIBLE }))).toEqual({
      hash: H.empty,
      digest: plan.digest,
      diff: reviewedDiff,
      fromPullRequest: true
    })
    const rerun = reviewedPlanOf(trustedRecord(appliedRecord(sealed, ''), KEY, { ...BINDING, visibleDigest: VISIBLE }))
    expect(rerun).toMatchObject({ appliedHash: '', appliedAt: APPLIED_AT })
  })
})

describe('the configuration guard (issue #11): decisions on the record and the target as read', () => {
  const record = { ...configRecordOf(CONFIG_PLAN), batches: packConfigBatches(CONFIG_PLAN, secretHasher(KEY)) }
  const refusal = (work: () => unknown): ApplyFailure | undefined => {
    try {
      work()
    } catch (error) {
      if (error instanceof ApplyFailure) return error
      throw error
    }
    return undefined
  }

  it.each([
    { name: 'as reviewed: every batch', fingerprint: 'sha256:before', start: { kind: 'apply', from: 0 } },
    { name: 'as a part-way apply left it after batch 1: the rest', fingerprint: 'sha256:after-batch-1', start: { kind: 'apply', from: 1 } },
    { name: 'as the full apply left it: nothing', fingerprint: 'sha256:after-batch-2', start: { kind: 'applied' } }
  ])('starts from the fingerprint the target has: $name', ({ fingerprint, start }) => {
    expect(configStart(record, fingerprint)).toEqual(start)
  })

  it('refuses a target whose fingerprint the plan does not know: target-changed, nothing applied', () => {
    const failure = refusal(() => configStart(record, 'sha256:drifted', CLI_ADVICE))
    expect(failure?.reason).toBe('target-changed')
    expect(failure?.message).toContain('Nothing was applied')
    expect(failure?.message).toContain(CLI_ADVICE.replan)
  })

  it.each([
    { name: 'other parts', parts: ['access'] as const, mode: 'mirror' as const },
    { name: 'another mode', parts: ['access', 'flows'] as const, mode: 'merge' as const }
  ])('refuses an apply with $name than the plan: plan-changed', ({ parts, mode }) => {
    const failure = refusal(() => checkConfigScope(record, parts, mode))
    expect(failure?.reason).toBe('plan-changed')
    expect(failure?.message).toContain('promote: access, flows in mirror mode')
    expect(refusal(() => checkConfigScope(record, ['access', 'flows'], 'mirror'))).toBeUndefined()
  })

  it('refuses another digest (the base moved): plan-changed, naming both digests', () => {
    const failure = refusal(() => checkConfigDigest(record, { digest: 'sha256:config-digest-now' }))
    expect(failure?.reason).toBe('plan-changed')
    expect(failure?.message).toMatch(/digest sha256:config-digest-now.*digest sha256:config-digest-reviewed/)
    expect(refusal(() => checkConfigDigest(record, CONFIG_PLAN))).toBeUndefined()
  })

  it('refuses a lockout, and deleting a policy without allow-destructive', () => {
    const lockout = refusal(() => checkLockout({ lockout: 'it deletes policy "Administrator", the admin access of admin@example.com' }))
    expect(lockout?.reason).toBe('lockout')
    expect(lockout?.message).toContain('policy "Administrator"')
    const blocked = refusal(() => checkConfigDestructive(CONFIG_PLAN, false))
    expect(blocked?.reason).toBe('destructive-blocked')
    expect(blocked?.message).toContain('policy "Old editors"')
    expect(blocked?.message).toContain("'allow-destructive: true'")
    expect(refusal(() => checkConfigDestructive(CONFIG_PLAN, true))).toBeUndefined()
  })

  it('seals no secret in clear: the record carries a keyed hash, and apply fills the secret back only when it is unchanged', () => {
    const sealed = configOnlyRecord()
    const opened = openRecord(sealed, KEY)
    expect(sealed).not.toContain(SECRET)
    expect(JSON.stringify(opened)).not.toContain(SECRET)
    const carried = unpackConfigBatches(opened.config!)
    expect(JSON.stringify(carried)).not.toContain(SECRET)
    // Another key (another target credential) hashes the same secret otherwise: a reader cannot test a guess.
    expect(secretHasher(KEY)(SECRET)).not.toBe(secretHasher(recordKey({ kind: 'token', token: 'other' }, TARGET_URL))(SECRET))

    const fresh = operationsOf(CONFIG_PLAN)
    const filled = fillSecrets(carried!, fresh, secretHasher(KEY))
    expect(filled).toEqual({ batches: CONFIG_PLAN.batches })
    const rotated = fresh.map((operation) =>
      operation.kind === 'create'
        ? { ...operation, values: { ...operation.values, options: { headers: [{ value: 'Bearer rotated' }] } } }
        : operation
    )
    expect(fillSecrets(carried!, rotated, secretHasher(KEY))).toEqual({
      missing: 'the secret options.headers[0].value of operation "post" of flow "Notify"'
    })
  })

  it('a record of configuration alone has no schema part, and reviewedPlanOf carries its configuration', () => {
    const reviewed = reviewedPlanOf(trustedRecord(configOnlyRecord(), KEY, { ...BINDING, visibleDigest: VISIBLE }))
    expect(reviewed).toMatchObject({
      hash: '',
      digest: '',
      fromPullRequest: true,
      config: { digest: CONFIG_PLAN.digest, parts: ['access', 'flows'] }
    })
    expect(hasSchemaPart(reviewed)).toBe(false)
  })

  it('gives way in the comment: the configuration batches before the record itself, never the digest or fingerprints', () => {
    const config = { ...configRecordOf(CONFIG_PLAN), batches: packConfigBatches(CONFIG_PLAN, secretHasher(KEY)) }
    const sealers = recordSealers(undefined, BINDING, SIGNED_AT, KEY, undefined, [], config)
    const opened = sealers.map((seal) => openRecord(seal(VISIBLE), KEY).config)
    expect(opened.map((part) => part?.batches !== undefined)).toEqual([true, false])
    for (const part of opened)
      expect(part).toMatchObject({ digest: CONFIG_PLAN.digest, fingerprints: CONFIG_PLAN.fingerprints, destructive: true })
  })
})
