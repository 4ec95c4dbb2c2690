import type { Octokit } from './client.js'
import { answeredStatus, requestLine, toGitHubError } from './error.js'

/**
 * Retries for GitHub requests, bounded in time: rate limits (primary and
 * secondary) for every request, since GitHub refused them before doing
 * anything; 5xx answers and lost connections only for requests that are safe
 * to repeat. A POST that got no clear answer is left to the caller, which
 * knows how to look before creating a second comment.
 */
export interface RetryPolicy {
  host: string
  budgetMs: number
  backoffMs: number
  maxAttempts?: number
  log: (message: string) => void
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])
/** GitHub asks for at least a minute when a secondary limit comes without retry-after. */
const SECONDARY_DEFAULT_WAIT_MS = 60_000

type Decision = { retry: false } | { retry: true; waitMs: number; why: string; rateLimited: boolean }

export function retryGitHubRequests(octokit: Octokit, policy: RetryPolicy): void {
  const maxAttempts = policy.maxAttempts ?? 4
  octokit.hook.wrap('request', async (request, options) => {
    const started = Date.now()
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(options)
      } catch (error) {
        const line = requestLine(error, { method: options.method, url: String(options.url) })
        const decision = decide(error, repeatableAs(String(options.method).toUpperCase(), String(options.url)), attempt, policy.backoffMs)
        if (!decision.retry) throw toGitHubError(error, policy.host, line)
        const rateLimited = decision.rateLimited
        if (attempt >= maxAttempts) {
          throw toGitHubError(error, policy.host, line, `; gave up after ${attempt} attempts`, rateLimited)
        }
        if (Date.now() - started + decision.waitMs > policy.budgetMs) {
          throw toGitHubError(
            error,
            policy.host,
            line,
            `; ${decision.why} asks to wait ${Math.ceil(decision.waitMs / 1000)} s, past the ${Math.round(policy.budgetMs / 1000)} s retry budget`,
            rateLimited
          )
        }
        policy.log(`GitHub: ${line} failed (${decision.why}); retrying in ${Math.round(decision.waitMs)} ms`)
        await new Promise((resolve) => setTimeout(resolve, decision.waitMs))
      }
    }
  })
}

/** The action's GraphQL requests are queries, which change nothing: as safe to repeat as a GET. */
function repeatableAs(method: string, url: string): string {
  return method === 'POST' && /\/graphql$/.test(url.split('?')[0] ?? '') ? 'GET' : method
}

export function decide(error: unknown, method: string, attempt: number, backoffMs: number, now = Date.now()): Decision {
  const status = answeredStatus(error)
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers ?? {}
  const message = String((error as { message?: unknown }).message ?? '')
  const backoff = backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5)

  if (status === 403 || status === 429) {
    const retryAfter = Number(headers['retry-after'])
    if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
      return { retry: true, waitMs: retryAfter * 1000, why: 'the secondary rate limit', rateLimited: true }
    }
    if (String(headers['x-ratelimit-remaining']) === '0') {
      const reset = Number(headers['x-ratelimit-reset'])
      const waitMs = Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) + 250 : SECONDARY_DEFAULT_WAIT_MS
      return { retry: true, waitMs, why: `the primary rate limit (resets at ${new Date(now + waitMs).toISOString()})`, rateLimited: true }
    }
    if (/secondary rate limit/i.test(message)) {
      return { retry: true, waitMs: SECONDARY_DEFAULT_WAIT_MS, why: 'the secondary rate limit', rateLimited: true }
    }
    if (status === 429) return { retry: true, waitMs: backoff, why: 'HTTP 429', rateLimited: true }
    return { retry: false }
  }
  if (!IDEMPOTENT.has(method)) return { retry: false }
  if (status === undefined) return { retry: true, waitMs: backoff, why: 'no answer', rateLimited: false }
  if (status >= 500) return { retry: true, waitMs: backoff, why: `HTTP ${status}`, rateLimited: false }
  return { retry: false }
}
