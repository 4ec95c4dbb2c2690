import type { Octokit } from './client.js'
import { GitHubError } from './error.js'

/** A GraphQL answer's data, and GitHub's clock at the time of the answer (its Date header). */
export interface GraphQLAnswer<T> {
  data: T
  date?: Date
}

interface GraphQLBody<T> {
  data?: T | null
  errors?: { type?: string; message?: string; path?: unknown[] }[]
}

/**
 * POST /graphql through the REST client, so the answer's headers (its Date)
 * stay readable, the client's timeout and retries apply, and an answer with
 * `errors` fails in one line. (octokit.graphql() drops the headers.)
 */
export async function queryGraphQL<T>(octokit: Octokit, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
  const baseUrl = String(octokit.request.endpoint.DEFAULTS.baseUrl)
  const host = hostOf(baseUrl)
  const response = await octokit.request('POST /graphql', {
    query,
    variables,
    // GitHub Enterprise Server serves GraphQL at /api/graphql, next to /api/v3.
    ...(/\/api\/v3\/?$/.test(baseUrl) ? { baseUrl: baseUrl.replace(/\/api\/v3\/?$/, '/api') } : {})
  })
  const headers = response.headers as Record<string, string | number | undefined>
  const body = response.data as GraphQLBody<T>
  if (body.errors && body.errors.length > 0) {
    const rateLimited = String(headers['x-ratelimit-remaining']) === '0'
    const reset = Number(headers['x-ratelimit-reset'])
    const reasons = body.errors.map((error) => error.message ?? error.type ?? 'unknown error').join('; ')
    const forbidden = body.errors.some((error) => error.type === 'FORBIDDEN')
    const message = rateLimited
      ? `GitHub (${host}): POST /graphql: the GraphQL rate limit is exhausted${Number.isFinite(reset) ? ` until ${new Date(reset * 1000).toISOString()}` : ''} (${reasons})`
      : `GitHub (${host}): POST /graphql answered: ${reasons}${forbidden ? "; the token needs 'pull-requests: read' (or write) to read the pull request" : ''}`
    throw new GitHubError(message, 'POST /graphql', response.status, { headers, data: body }, rateLimited)
  }
  if (body.data === undefined || body.data === null) {
    throw new GitHubError(`GitHub (${host}): POST /graphql answered without data`, 'POST /graphql', response.status)
  }
  const date = dateOf(headers)
  return { data: body.data, ...(date ? { date } : {}) }
}

/** GitHub's time from an answer's Date header (one-second resolution), if it has a valid one. */
export function dateOf(headers: Record<string, unknown>): Date | undefined {
  const value = headers['date']
  if (typeof value !== 'string') return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
