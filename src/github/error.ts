import { ExpectedError } from '../core/errors.js'
import { clip, describeBody } from '../http/describe.js'

/** A GitHub API failure, phrased for one log line. Keeps the status and answer for callers that branch on them. */
export class GitHubError extends ExpectedError {
  override name = 'GitHubError'
  constructor(
    message: string,
    readonly request: string,
    readonly status?: number,
    readonly response?: { headers: Record<string, string | number | undefined>; data: unknown },
    /** True when GitHub's primary or secondary rate limit refused the request. */
    readonly rateLimited = false
  ) {
    super(message)
  }
}

interface OctokitFailure {
  status?: number
  message?: string
  request?: { method?: string; url?: string }
  response?: { status?: number; headers?: Record<string, string | number | undefined>; data?: unknown }
}

/** What the request was, without its query string. */
export function requestLine(error: unknown, fallback: { method?: string; url?: string }): string {
  const request = (error as OctokitFailure | null)?.request ?? fallback
  let path = request.url ?? ''
  try {
    path = new URL(path).pathname
  } catch {
    path = path.split('?')[0] ?? path
  }
  return `${(request.method ?? 'GET').toUpperCase()} ${path}`
}

/** The answer's status, or undefined when there was none (Octokit reports those as 500 without a response). */
export function answeredStatus(error: unknown): number | undefined {
  const failure = error as OctokitFailure | null
  return failure?.response ? (failure.response.status ?? failure.status) : undefined
}

export function toGitHubError(error: unknown, host: string, request: string, suffix = '', rateLimited = false): GitHubError {
  if (error instanceof GitHubError) return error
  const failure = (error ?? {}) as OctokitFailure
  const status = answeredStatus(error)
  const hint = status === 401 ? "; check 'github-token'" : ''
  const message =
    status === undefined
      ? `GitHub (${host}): ${request} got no answer: ${noAnswerReason(error)}${suffix}`
      : `GitHub (${host}): ${request} answered HTTP ${status}: ${answerReason(failure)}${hint}${suffix}`
  const response = failure.response ? { headers: failure.response.headers ?? {}, data: failure.response.data } : undefined
  return new GitHubError(message, request, status, response, rateLimited)
}

function answerReason(failure: OctokitFailure): string {
  const data = failure.response?.data
  const headers = failure.response?.headers ?? {}
  const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : null
  if (data && typeof data === 'object' && 'message' in data) {
    const { message, errors } = data as { message?: unknown; errors?: unknown }
    const details = Array.isArray(errors)
      ? errors.map((entry) => (entry as { message?: unknown }).message).filter((text): text is string => typeof text === 'string')
      : []
    return oneLine([String(message), ...details].join(': '))
  }
  return describeBody('', contentType, typeof data === 'string' ? data : '', 'GitHub')
}

function noAnswerReason(error: unknown): string {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const name = (current as { name?: unknown }).name
    if (name === 'TimeoutError' || name === 'AbortError') return 'timed out'
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/.test(code)) return `connection reset (${code})`
    if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)'
    current = (current as { cause?: unknown }).cause
  }
  return oneLine((error as Error)?.message ?? String(error))
}

/** GitHub's boilerplate about contacting support says nothing about the failure. */
function oneLine(text: string): string {
  return clip(text.replace(/\s*If you reach out to GitHub Support.*?request ID\./gs, '').replace(/\.\s*$/, ''), 200)
}
