import { getOctokit } from '@actions/github'
import { EnvHttpProxyAgent } from '../http/undici.js'
import { fetchWhole } from '../http/fetch.js'
import { retryGitHubRequests } from './retry.js'

/**
 * The GitHub REST client: @actions/github's Octokit, with a per-request
 * timeout and bounded retries. (@actions/github parses the event file when it
 * is imported; src/github/event-guard.ts runs first so a corrupt one is
 * reported in one line instead of crashing the import.)
 */
export type Octokit = ReturnType<typeof getOctokit>

export interface GitHubClientOptions {
  token: string
  /** GITHUB_API_URL; https://api.github.com when unset. */
  baseUrl?: string
  /** Per-request timeout; a stalled answer ends here. */
  timeoutMs: number
  /** Retries stop starting once this much time has gone by. */
  budgetMs?: number
  backoffMs?: number
  log?: (message: string) => void
}

export function createGitHubClient(options: GitHubClientOptions): Octokit {
  const baseUrl = (options.baseUrl || 'https://api.github.com').replace(/\/+$/, '')
  const dispatcher = new EnvHttpProxyAgent({ keepAliveTimeout: 1_000 })
  const octokit = getOctokit(options.token, {
    baseUrl,
    userAgent: 'directus-schema-action',
    request: { fetch: timedFetch(dispatcher, options.timeoutMs) },
    log: { debug: () => undefined, info: () => undefined, warn: options.log ?? (() => undefined), error: options.log ?? (() => undefined) }
  })
  retryGitHubRequests(octokit, {
    host: new URL(baseUrl).host,
    budgetMs: options.budgetMs ?? options.timeoutMs * 3,
    backoffMs: options.backoffMs ?? 500,
    log: options.log ?? (() => undefined)
  })
  return octokit
}

/** The GitHub answer is read whole within the timeout (see fetchWhole). */
function timedFetch(dispatcher: EnvHttpProxyAgent, timeoutMs: number): typeof globalThis.fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    return (await fetchWhole(url, init, { dispatcher, timeoutMs })).response
  }) as typeof globalThis.fetch
}
