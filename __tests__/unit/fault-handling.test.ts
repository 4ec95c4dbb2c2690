import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { retryAfterMs } from '../../src/directus/transport.js'
import { describeBody } from '../../src/http/describe.js'
import { readRunnerContext } from '../../src/github/context.js'
import { decide } from '../../src/github/retry.js'
import { parseUrl } from '../../src/inputs/read.js'

/** The shape Octokit gives a failed request: a status, and a response when there was an answer. */
function answered(status: number, headers: Record<string, string> = {}, message = 'Server Error') {
  return { status, message, response: { status, headers, data: { message } } }
}

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0)

describe('GitHub retry decisions', () => {
  it('waits the secondary rate limit out for any method, as retry-after asks', () => {
    expect(decide(answered(403, { 'retry-after': '7' }), 'POST', 1, 500, NOW)).toEqual({
      retry: true,
      waitMs: 7000,
      why: 'the secondary rate limit',
      rateLimited: true
    })
  })

  it('waits a minute for a secondary rate limit without retry-after', () => {
    const decision = decide(answered(403, {}, 'You have exceeded a secondary rate limit.'), 'POST', 1, 500, NOW)
    expect(decision).toMatchObject({ retry: true, waitMs: 60_000, rateLimited: true })
  })

  it('waits for the reset of an exhausted primary rate limit', () => {
    const reset = String(NOW / 1000 + 30)
    const decision = decide(answered(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), 'GET', 1, 500, NOW)
    expect(decision).toMatchObject({ retry: true, waitMs: 30_250, rateLimited: true })
  })

  it('does not retry a 403 that is a missing permission', () => {
    expect(decide(answered(403, {}, 'Resource not accessible by integration'), 'POST', 1, 500, NOW)).toEqual({ retry: false })
  })

  it('retries 5xx answers and lost connections only for requests safe to repeat', () => {
    const noAnswer = { status: 500, message: 'fetch failed' }
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      expect(decide(answered(502), method, 1, 500, NOW)).toMatchObject({ retry: true, rateLimited: false })
      expect(decide(noAnswer, method, 1, 500, NOW)).toMatchObject({ retry: true, why: 'no answer' })
    }
    expect(decide(answered(502), 'POST', 1, 500, NOW)).toEqual({ retry: false })
    expect(decide(noAnswer, 'POST', 1, 500, NOW)).toEqual({ retry: false })
  })

  it('never retries a client error such as 422', () => {
    expect(decide(answered(422), 'GET', 1, 500, NOW)).toEqual({ retry: false })
  })
})

describe('describing answers that are not what was asked for', () => {
  it("names a load balancer's HTML page by its title, and says it is not from the service", () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>'
    expect(describeBody('Bad Gateway', 'text/html; charset=utf-8', html)).toBe(
      'Bad Gateway, an HTML page ("502 Bad Gateway") from a proxy or load balancer, not from Directus'
    )
  })

  it("uses Directus' own message when the JSON carries one", () => {
    expect(describeBody('Service Unavailable', 'application/json', '{"errors":[{"message":"Under pressure"}]}')).toBe('Under pressure')
  })

  it('says when a JSON answer does not parse', () => {
    expect(describeBody('OK', 'application/json', '{"data": ')).toBe('OK, and the application/json answer is not valid JSON')
  })

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000)
    expect(retryAfterMs(null)).toBeUndefined()
    expect(retryAfterMs('soon')).toBeUndefined()
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(55_000)
  })
})

describe('URLs in messages', () => {
  it.each([
    ['https://admin:pa ss@cms example.com', 'pa ss'],
    ['https://cms.example.com/?access_token=abc123', 'abc123'],
    ['ftp://user:hunter2@cms.example.com', 'hunter2']
  ])('never repeat a credential of %s', (value, secret) => {
    expect(() => parseUrl('base-url', value)).toThrow(/Input 'base-url'/)
    try {
      parseUrl('base-url', value)
    } catch (error) {
      expect((error as Error).message).not.toContain(secret)
    }
  })
})

describe('the runner context', () => {
  const env = (extra: Record<string, string | undefined>) => ({
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: 'acme/site',
    ...extra
  })

  it('reports a missing event file instead of throwing', () => {
    expect(readRunnerContext(env({})).eventProblem).toMatch(/^GITHUB_EVENT_PATH is not set/)
    expect(readRunnerContext(env({ GITHUB_EVENT_PATH: '/nonexistent/event.json' })).eventProblem).toMatch(/does not exist/)
  })

  it("names who caused the run: the event's sender, the actor, and who re-ran it, once each", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsa-context-'))
    try {
      const path = join(dir, 'event.json')
      writeFileSync(path, JSON.stringify({ pull_request: { number: 7, head: { sha: 'a'.repeat(40) } }, sender: { login: 'mallory' } }))
      const rerun = env({ GITHUB_EVENT_PATH: path, GITHUB_ACTOR: 'mallory', GITHUB_TRIGGERING_ACTOR: 'carol' })
      expect(readRunnerContext(rerun).actors).toEqual(['mallory', 'carol'])
      expect(readRunnerContext(env({ GITHUB_EVENT_PATH: path, GITHUB_TRIGGERING_ACTOR: '' })).actors).toEqual(['mallory'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
