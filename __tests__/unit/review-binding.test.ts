/**
 * What binds an apply to what reviewers approved, in process: the pull
 * request's own checks (state, branch, merge time, approvals) as pure
 * functions over the facts GitHub's GraphQL API answers (shapes from
 * docs/github-facts.md §1.4), and the record's key and sealing.
 */
import { scryptSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { ApplyFailure, ExpectedError } from '../../src/core/errors.js'
import {
  checkApproved,
  checkMergedInto,
  checkOpenForPlan,
  checkSignedBeforeMerge,
  type PullRequestFacts,
  type ReviewFacts
} from '../../src/core/guard/pull-request.js'
import { KDF_VERSION, openRecord, packDiffWithin, recordKey, recordSealers, visiblePlanDigest } from '../../src/core/guard/record.js'
import type { ChangesPlan } from '../../src/core/planner.js'
import { diffDigest } from '../../src/core/plan/digest.js'

const HEAD = '3f2a9c1d4b5e6f708192a3b4c5d6e7f809a1b2c3'
const OLDER = '0f1e2d3c4b5a69788796a5b4c3d2e1f001122334'
const SIGNED_AT = '2026-03-01T10:00:00Z'
const RECORD = { signedAt: SIGNED_AT, headSha: HEAD, pullRequest: 7 }

/** Bob, a writer, approves the planned head a minute after the plan. */
function review(overrides: Partial<ReviewFacts> = {}): ReviewFacts {
  return {
    state: 'APPROVED',
    submittedAt: '2026-03-01T10:01:00Z',
    author: { login: 'bob', type: 'User' },
    canPush: true,
    commit: HEAD,
    ...overrides
  }
}

function pull(reviews: ReviewFacts[], overrides: Partial<PullRequestFacts> = {}): PullRequestFacts {
  return {
    number: 7,
    state: 'MERGED',
    mergedAt: '2026-03-01T10:05:00Z',
    headSha: HEAD,
    baseRef: 'main',
    author: 'alice',
    crossRepository: false,
    reviews,
    ...overrides
  }
}

function refusal(check: () => void): ApplyFailure {
  try {
    check()
  } catch (error) {
    if (error instanceof ApplyFailure) return error
    throw error
  }
  throw new Error('the check passed')
}

describe('approvals: at least one counts, or apply refuses with not-approved', () => {
  const counts: [string, ReviewFacts[]][] = [
    ["a writer's approval of the planned head, after the plan", [review()]],
    ['one that counts among others that do not', [review({ commit: OLDER }), review({ author: { login: 'carol', type: 'User' } })]],
    ['one second after the plan', [review({ submittedAt: '2026-03-01T10:00:01Z' })]],
    ["a maintainer's login in another case than the author's", [review({ author: { login: 'Bob', type: 'User' } })]]
  ]
  it.each(counts)('counts: %s', (_name, reviews) => {
    expect(() => checkApproved(RECORD, pull(reviews))).not.toThrow()
  })

  const refused: [string, ReviewFacts[], string[]][] = [
    ['no review at all', [], ['it has no approval at all']],
    ['only a change request as the latest opinion', [review({ state: 'CHANGES_REQUESTED' })], ['it has no approval at all']],
    ['a dismissed approval', [review({ state: 'DISMISSED' })], ['it has no approval at all']],
    [
      'an approval given before the plan was last updated',
      [review({ submittedAt: '2026-03-01T09:59:00Z' })],
      [`1 approval given before the plan was last updated at ${SIGNED_AT} (bob at 2026-03-01T09:59:00Z)`]
    ],
    // Both times have one-second resolution: the same second is not "after".
    ['an approval in the same second as the plan', [review({ submittedAt: SIGNED_AT })], ['given before the plan was last updated']],
    ['an approval never submitted', [review({ submittedAt: null })], ['bob at an unknown time']],
    [
      'an approval of an older commit',
      [review({ commit: OLDER })],
      [`1 approval of another commit than the planned ${HEAD} (bob on ${OLDER})`]
    ],
    ['an approval of a commit that no longer exists', [review({ commit: null })], ['bob on a commit that no longer exists']],
    [
      "the author's own approval",
      [review({ author: { login: 'alice', type: 'User' } })],
      ["an approval by the pull request's author (alice)"]
    ],
    // GraphQL gives a bot's login without "[bot]": only __typename tells.
    ['a bot', [review({ author: { login: 'auto-approve', type: 'Bot' } })], ['1 approval by a bot or a deleted account (auto-approve)']],
    ['a deleted account', [review({ author: null })], ['by a bot or a deleted account (a deleted account)']],
    ['someone without write access', [review({ canPush: false })], ['1 approval by someone without write access (bob)']],
    [
      'several kinds at once, each named',
      [review({ submittedAt: '2026-03-01T09:00:00Z' }), review({ author: { login: 'dave', type: 'User' }, commit: OLDER })],
      ['given before the plan was last updated', 'of another commit', 'dave on']
    ]
  ]
  it.each(refused)('refused: %s', (_name, reviews, words) => {
    const failure = refusal(() => checkApproved(RECORD, pull(reviews)))
    expect(failure.reason).toBe('not-approved')
    for (const word of [
      ...words,
      'Pull request #7 was not approved after its last plan',
      'Nothing was applied',
      "'require-approval: false'"
    ]) {
      expect(failure.message).toContain(word)
    }
  })
})

describe('the merged pull request', () => {
  it('is applied only on a push to the branch it merged into', () => {
    expect(() => checkMergedInto(pull([]), 'refs/heads/main')).not.toThrow()
    const other = refusal(() => checkMergedInto(pull([], { baseRef: 'release' }), 'refs/heads/main'))
    expect(other.reason).toBe('no-plan')
    expect(other.message).toContain('was merged into release, but this run applies a push to refs/heads/main')
    expect(refusal(() => checkMergedInto(pull([]), 'refs/tags/main')).reason).toBe('no-plan')
    expect(refusal(() => checkMergedInto(pull([]), '')).message).toContain('GITHUB_REF is empty')
    expect(refusal(() => checkMergedInto(pull([], { state: 'CLOSED' }), 'refs/heads/main')).message).toContain('is closed, not merged')
  })

  it('refuses a record signed after the merge (a plan re-run on the merged pull request)', () => {
    expect(() => checkSignedBeforeMerge(RECORD, '2026-03-01T10:00:01Z')).not.toThrow()
    expect(() => checkSignedBeforeMerge(RECORD, SIGNED_AT)).not.toThrow()
    const late = refusal(() => checkSignedBeforeMerge(RECORD, '2026-03-01T09:59:59Z'))
    expect(late.reason).toBe('no-plan')
    expect(late.message).toContain(`signed at ${SIGNED_AT}, after the pull request was merged at 2026-03-01T09:59:59Z`)
  })

  it('plans only an open pull request: a closed or merged one keeps the plan that was reviewed', () => {
    expect(() => checkOpenForPlan({ number: 7, state: 'OPEN' })).not.toThrow()
    for (const state of ['MERGED', 'CLOSED'] as const) {
      const check = () => checkOpenForPlan({ number: 7, state })
      expect(check).toThrow(ExpectedError)
      expect(check).toThrow(`Pull request #7 is ${state.toLowerCase()}, so its plan comment is not rewritten`)
    }
  })
})

describe('the record key and seal', () => {
  const targetUrl = 'https://directus.example/'
  const diff = { collections: [], fields: [], relations: [] }
  const plan = {
    kind: 'changes',
    hash: 'abc123def456',
    diff,
    digest: diffDigest(diff),
    destructive: false,
    base: {},
    target: {}
  } as unknown as ChangesPlan
  const binding = { repository: 'acme/site', pullRequest: 7, headSha: HEAD, baseRef: 'main', targetName: 'staging', targetUrl }

  it('stretches the credential with scrypt (N = 2^17, r = 8, p = 1), salted with the target URL', () => {
    // The cost is pinned by the parameters, not by a timing: the bench measures time (npm run bench).
    const key = recordKey({ kind: 'token', token: 'the-target-token' }, targetUrl)
    expect(key).toHaveLength(32)
    const expected = scryptSync('token\0the-target-token', `directus-schema-action/plan-record/v2\0${targetUrl}`, 32, {
      N: 2 ** 17,
      r: 8,
      p: 1,
      maxmem: 256 * 1024 * 1024
    })
    expect(key.equals(expected)).toBe(true)
    expect(recordKey({ kind: 'token', token: 'the-target-token' }, targetUrl).equals(key)).toBe(true)
    expect(recordKey({ kind: 'token', token: 'the-target-token' }, 'https://other.example/').equals(key)).toBe(false)
    expect(recordKey({ kind: 'signing-key', key: 'the-target-token' }, targetUrl).equals(key)).toBe(false)
  })

  it('seals records of one length whatever the visible digest, carrying the digest, signedAt and KDF version', async () => {
    const key = recordKey({ kind: 'signing-key', key: 'a-random-signing-key-of-32-characters!' }, targetUrl)
    const [seal] = recordSealers(plan, binding, SIGNED_AT, key, await packDiffWithin(plan.diff, 10_000))
    const digests = ['', 'a', 'the whole body'].map((body) => visiblePlanDigest('summary', body))
    const sealed = digests.map((digest) => seal?.(digest) ?? '')
    expect(new Set(sealed.map((record) => record.length)).size).toBe(1)
    const opened = openRecord(sealed[2] ?? '', key)
    expect(opened).toMatchObject({ v: 2, kdf: KDF_VERSION, signedAt: SIGNED_AT, visibleDigest: digests[2], baseRef: 'main' })
    expect(() => seal?.('sha256:short')).toThrow(TypeError)
  })
})
