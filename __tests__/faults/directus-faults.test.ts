/**
 * Faults between dist/index.js and live Directus instances: a scripted proxy
 * in front of each. Idempotent calls are retried within the budget (timeout
 * 2 s, so 6 s); apply is sent once, and after an ambiguous failure the action
 * finds out whether it took effect, and says so in the comment and outputs.
 */
import { getSnapshot } from '../../scripts/lib/seed.mjs'
import type { ActionRun } from '../../scripts/lib/run-action.mjs'
import { faults, startFaultProxy, type FaultProxy, type FaultRule } from '../support/fault-proxy.js'
import { approveAndMerge, collectionsOf, useLive } from '../support/live.js'
import { expectFaultRun, expectNoSecretsCounted, PROMOTION_UNDER_FAULTS } from '../support/verdict.js'

const HOST = String.raw`\(127\.0\.0\.1:\d+\)`

const live = useLive({ name: 'directus-faults', ...PROMOTION_UNDER_FAULTS })
const { directus } = live
let baseProxy: FaultProxy
let targetProxy: FaultProxy
/** The digest of the plan when nothing misbehaves: what every surviving plan must match. */
let cleanDigest: string
let nextPr = 300

beforeAll(async () => {
  ;[baseProxy, targetProxy] = await Promise.all([startFaultProxy(directus.base.url), startFaultProxy(directus.target.url)])
  const pr = nextPr++
  const clean = await plan(pr)
  expect(clean.code).toBe(0)
  expectNoSecretsCounted(clean, secrets(), commentsOf(pr))
  cleanDigest = clean.outputs['digest'] ?? ''
  expect(cleanDigest).toMatch(/^sha256:/)
})

afterAll(async () => {
  await Promise.all([baseProxy?.stop(), targetProxy?.stop()])
})

afterEach(() => {
  baseProxy.clear()
  targetProxy.clear()
})

function secrets(): string[] {
  return live.secrets()
}

/** Both instances behind their proxies. */
function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return live.inputs({ 'base-url': baseProxy.url, 'target-url': targetProxy.url, ...overrides })
}

function plan(pr: number, overrides: Record<string, string> = {}): Promise<ActionRun> {
  return live.planOnPullRequest(pr, inputs(overrides), { timeoutMs: 90_000 })
}

function commentsOf(pr: number): string[] {
  return live.github.comments('acme', 'site', pr).map((comment) => comment.body)
}

function injected(): number {
  return baseProxy.injected() + targetProxy.injected()
}

type Side = 'base' | 'target'
const proxyOf = (side: Side) => (side === 'base' ? baseProxy : targetProxy)

describe('idempotent calls are retried within the budget', () => {
  it.each<[string, Side, FaultRule, RegExp | undefined]>([
    ['latency below the timeout', 'base', { method: 'GET', path: /\/schema\/snapshot/, fault: { kind: 'latency', ms: 800 } }, undefined],
    [
      '503 with Retry-After on the snapshot',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, fault: faults.retryAfter(503, 1) },
      /retrying GET \/schema\/snapshot in 1000 ms as Retry-After asks/
    ],
    [
      '429 with Retry-After on the diff',
      'target',
      { method: 'POST', path: /\/schema\/diff/, fault: faults.retryAfter(429, 1) },
      /retrying POST \/schema\/diff in 1000 ms as Retry-After asks/
    ],
    [
      "a load balancer's HTML 502 on server info",
      'target',
      { method: 'GET', path: /\/server\/info/, fault: faults.badGatewayHtml() },
      /retrying GET \/server\/info/
    ],
    [
      'a reset before the snapshot reaches Directus',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, fault: { kind: 'reset-before' } },
      /retrying GET \/schema\/snapshot/
    ],
    [
      'a reset after Directus computed the diff',
      'target',
      { method: 'POST', path: /\/schema\/diff/, fault: { kind: 'reset-after' } },
      /retrying POST \/schema\/diff/
    ],
    [
      'a truncated snapshot body',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, fault: { kind: 'truncate' } },
      /retrying GET \/schema\/snapshot/
    ],
    [
      'a stall on the diff, longer than timeout-seconds',
      'target',
      { method: 'POST', path: /\/schema\/diff/, fault: { kind: 'stall' } },
      /timed out after 2 s/
    ]
  ])('survives %s', async (_name, side, rule, logged) => {
    const proxy = proxyOf(side)
    const pr = nextPr++
    const before = injected()
    const requestsBefore = proxy.count(rule.method ?? 'GET', rule.path ?? /./)
    proxy.add(rule)
    const run = await plan(pr)
    const comments = commentsOf(pr)
    expectFaultRun(run, { secrets: secrets(), extraChannels: comments, faults: injected() - before, expected: 'survived' })
    expect(injected() - before).toBe(1)
    expect(run.outputs['digest']).toBe(cleanDigest)
    expect(comments).toHaveLength(1)
    if (logged) expect(run.stdout).toMatch(logged)
    // Retried exactly once: the faulted attempt and one good one.
    if (rule.fault.kind !== 'latency') expect(proxy.count(rule.method ?? 'GET', rule.path ?? /./) - requestsBefore).toBe(2)
  })
})

describe('persistent faults end in one line naming the instance and the last cause', () => {
  const passwordLogin = () => ({
    'target-token': '',
    'target-email': directus.target.adminEmail,
    'target-password': directus.target.adminPassword
  })
  it.each<[string, Side, FaultRule, RegExp, (() => Record<string, string>)?]>([
    [
      'the snapshot answers an HTML 502 every time',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, times: Infinity, fault: faults.badGatewayHtml() },
      new RegExp(
        `base ${HOST}: GET /schema/snapshot answered HTTP 502: Bad Gateway, an HTML page \\("502 Bad Gateway"\\) from a proxy or load balancer, not from Directus; gave up after [234] attempts`
      )
    ],
    [
      'Retry-After asks for longer than the budget',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, fault: faults.retryAfter(429, 30) },
      new RegExp(
        `base ${HOST}: GET /schema/snapshot answered HTTP 429: Too many requests; asked to retry after 30 s, past the 6 s retry budget; gave up after 1 attempt$`
      )
    ],
    [
      'the diff stalls every time',
      'target',
      { method: 'POST', path: /\/schema\/diff/, times: Infinity, fault: { kind: 'stall' } },
      new RegExp(`target ${HOST}: POST /schema/diff got no answer: timed out after 2 s; gave up after [234] attempts`)
    ],
    [
      'the connection drops every time',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, times: Infinity, fault: { kind: 'reset-before' } },
      new RegExp(`base ${HOST}: GET /schema/snapshot got no answer: connection reset \\(\\w+\\); gave up after [234] attempts`)
    ],
    [
      'an oversized snapshot, announced in content-length',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, fault: { kind: 'oversize', bytes: 300 * 1024 * 1024, declareLength: true } },
      new RegExp(`base ${HOST}: GET /schema/snapshot answered HTTP 200: the answer is larger than 256 MiB; not read$`)
    ],
    [
      'a 20 MB blob instead of a snapshot',
      'base',
      { method: 'GET', path: /\/schema\/snapshot/, fault: { kind: 'oversize', bytes: 20 * 1024 * 1024 } },
      new RegExp(
        `base ${HOST}: GET /schema/snapshot answered HTTP 200: the answer is not a Directus schema snapshot \\(20971520 characters of text or HTML\\); is 'base-url' a Directus instance\\?$`
      )
    ],
    [
      'an HTML 502 on login, which is sent once',
      'target',
      { method: 'POST', path: /\/auth\/login/, fault: faults.badGatewayHtml() },
      new RegExp(`target ${HOST}: POST /auth/login answered HTTP 502: Bad Gateway, an HTML page .* not from Directus$`),
      passwordLogin
    ]
  ])('%s', async (_name, side, rule, names, overrides = () => ({})) => {
    const proxy = proxyOf(side)
    const pr = nextPr++
    const before = injected()
    const loginsBefore = proxy.count('POST', /\/auth\/login/)
    proxy.add(rule)
    const run = await plan(pr, overrides())
    const comments = commentsOf(pr)
    expectFaultRun(run, { secrets: secrets(), extraChannels: comments, faults: injected() - before, expected: 'failed-cleanly', names })
    expect(comments).toHaveLength(0)
    if (rule.path?.test('/auth/login')) expect(proxy.count('POST', /\/auth\/login/) - loginsBefore).toBe(1)
  })
})

describe('apply is sent once, and the comment and outputs tell the truth', () => {
  afterEach(() => live.empty(directus.target))

  async function reviewAndMerge(): Promise<{ pr: number; mergeSha: string }> {
    const pr = nextPr++
    const review = await plan(pr)
    expect(review.code).toBe(0)
    expectNoSecretsCounted(review, secrets(), commentsOf(pr))
    const mergeSha = `${pr}`.padStart(40, 'd')
    approveAndMerge(live.github, pr, mergeSha)
    return { pr, mergeSha }
  }

  function apply(mergeSha: string): Promise<ActionRun> {
    return live.apply(inputs(), mergeSha, 90_000)
  }

  it.each<[string, FaultRule['fault'], 'took effect' | 'not applied', RegExp]>([
    ["a load balancer's HTML 502 after Directus applied it", faults.badGatewayHtml({ after: true }), 'took effect', /took effect/],
    ['a reset after Directus applied it', { kind: 'reset-after' }, 'took effect', /took effect/],
    ['a stall after Directus applied it', { kind: 'stall', after: true }, 'took effect', /took effect/],
    [
      "Directus' own 503 with Retry-After",
      faults.retryAfter(503, 1),
      'not applied',
      new RegExp(
        `target ${HOST}: POST /schema/apply answered HTTP 503: Under pressure \\[SERVICE_UNAVAILABLE\\]\\. The target is unchanged; nothing was applied\\.`
      )
    ],
    [
      'a stall before Directus got it',
      { kind: 'stall' },
      'not applied',
      new RegExp(`target ${HOST}: POST /schema/apply got no answer: timed out after 2 s\\. The target is unchanged; nothing was applied\\.`)
    ],
    [
      'a reset before Directus got it',
      { kind: 'reset-before' },
      'not applied',
      new RegExp(
        `target ${HOST}: POST /schema/apply got no answer: connection reset \\(\\w+\\)\\. The target is unchanged; nothing was applied\\.`
      )
    ]
  ])('%s', async (_name, fault, result, says) => {
    const { pr, mergeSha } = await reviewAndMerge()
    const before = await getSnapshot(directus.target.url, directus.target.adminToken)
    const applyRequests = targetProxy.count('POST', /\/schema\/apply/)
    const faultsBefore = injected()
    targetProxy.add({ method: 'POST', path: /\/schema\/apply/, fault })
    const run = await apply(mergeSha)
    const sent = targetProxy.count('POST', /\/schema\/apply/) - applyRequests
    const comment = commentsOf(pr).join('\n')
    expectFaultRun(run, {
      secrets: secrets(),
      extraChannels: [comment],
      faults: injected() - faultsBefore,
      expected: result === 'took effect' ? 'survived' : 'failed-cleanly',
      ...(result === 'not applied' ? { names: says } : {}),
      applyRequests: sent
    })
    expect(sent).toBe(1)
    const after = await getSnapshot(directus.target.url, directus.target.adminToken)
    if (result === 'took effect') {
      expect(run.outputs['applied']).toBe('true')
      expect(run.stdout).toMatch(/::warning::The apply request failed .* it took effect/)
      expect(comment).toMatch(/Applied .* it took effect/)
      expect(after.collections.length).toBeGreaterThan(0)
      expect(await collectionsOf(directus.target)).toEqual(await collectionsOf(directus.base))
    } else {
      expect(run.outputs['applied']).toBe('false')
      expect(run.outputs['failure-reason']).toBe('apply-failed')
      expect(comment).toMatch(/Apply refused \(`apply-failed`\)/)
      expect(comment).toContain('nothing was applied')
      expect(after).toEqual(before)
    }
  })
})
