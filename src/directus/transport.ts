import { EnvHttpProxyAgent } from '../http/undici.js'
import { describeBody } from '../http/describe.js'
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, fetchWhole, type WholeAnswer } from '../http/fetch.js'

/**
 * All HTTP to Directus goes through here: undici as the SDK's `fetch`, with a
 * per-attempt timeout, retries for idempotent calls only, and proxies taken
 * from HTTP(S)_PROXY / NO_PROXY.
 */

export interface TransportOptions {
  /** Per-attempt timeout; a stalled request or body ends here. */
  timeoutMs: number
  /** Retries of idempotent calls stop starting once this much time has gone by. */
  budgetMs?: number
  maxAttempts?: number
  /** Base backoff; doubled per attempt, with jitter. */
  backoffMs?: number
  /** Largest answer read: a bigger one fails the request instead of exhausting memory. */
  maxBodyBytes?: number
  log?: (message: string) => void
}

export type TransportFailureKind = 'timeout' | 'connection' | 'reset' | 'http' | 'oversize'

/** A request that got no usable answer. `status` is set when the answer was a retryable HTTP status. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: TransportFailureKind,
    readonly method: string,
    readonly path: string,
    readonly attempts: number,
    readonly status?: number
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504])
const RETRY_AFTER_CAP_MS = 60_000

export interface Transport {
  fetch: typeof globalThis.fetch
  close(): Promise<void>
}

/**
 * The schema diff changes nothing on the server, so it is as safe to repeat as
 * a GET. Apply, login and everything else is sent exactly once.
 */
export function isIdempotent(method: string, pathname: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true
  return method === 'POST' && /\/schema\/diff$/.test(pathname)
}

export function createTransport(options: TransportOptions): Transport {
  const dispatcher = new EnvHttpProxyAgent({ keepAliveTimeout: 1_000 })
  const maxAttempts = options.maxAttempts ?? 4
  const budgetMs = options.budgetMs ?? options.timeoutMs * 3
  const backoffMs = options.backoffMs ?? 500
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const log = options.log ?? (() => undefined)

  async function attempt(url: string, init: RequestInit, method: string, pathname: string): Promise<WholeAnswer> {
    try {
      return await fetchWhole(url, init, { dispatcher, timeoutMs: options.timeoutMs, maxBodyBytes })
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error
      throw new TransportError(error.message, 'oversize', method, pathname, 1, error.status)
    }
  }

  const transportFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const method = (init.method ?? 'GET').toUpperCase()
    const { pathname } = new URL(url)
    const retryable = isIdempotent(method, pathname)
    const started = Date.now()
    const elapsedSeconds = () => Math.round((Date.now() - started) / 1000)

    for (let attemptNumber = 1; ; attemptNumber++) {
      const attemptStarted = Date.now()
      let failure: TransportError
      let retryAfter: number | undefined
      try {
        const { response, head } = await attempt(url, init, method, pathname)
        log(`${method} ${pathname} -> ${response.status} in ${Date.now() - attemptStarted} ms (attempt ${attemptNumber})`)
        if (!retryable || !RETRYABLE_STATUSES.has(response.status)) return response
        retryAfter = retryAfterMs(response.headers.get('retry-after'))
        failure = new TransportError(describeAnswer(response, head), 'http', method, pathname, attemptNumber, response.status)
      } catch (error) {
        failure = describeFailure(error, method, pathname, attemptNumber, options.timeoutMs)
        log(`${method} ${pathname} failed in ${Date.now() - attemptStarted} ms (attempt ${attemptNumber}): ${failure.message}`)
        if (!retryable || !isTransient(failure)) throw failure
      }

      const giveUp = (why: string) =>
        new TransportError(`${failure.message}; ${why}`, failure.kind, method, pathname, attemptNumber, failure.status)
      if (attemptNumber >= maxAttempts) {
        throw giveUp(`gave up after ${attempts(attemptNumber)} in ${elapsedSeconds()} s`)
      }
      if (retryAfter !== undefined && (retryAfter > RETRY_AFTER_CAP_MS || Date.now() - started + retryAfter > budgetMs)) {
        throw giveUp(
          `asked to retry after ${Math.ceil(retryAfter / 1000)} s, past the ${seconds(budgetMs)} s retry budget; gave up after ${attempts(attemptNumber)}`
        )
      }
      const delay = retryAfter ?? backoffMs * 2 ** (attemptNumber - 1) * (0.75 + Math.random() * 0.5)
      if (Date.now() - started + delay > budgetMs) {
        throw giveUp(`gave up after ${attempts(attemptNumber)} in ${elapsedSeconds()} s (retry budget ${seconds(budgetMs)} s)`)
      }
      log(`retrying ${method} ${pathname} in ${Math.round(delay)} ms${retryAfter === undefined ? '' : ' as Retry-After asks'}`)
      await sleep(delay)
    }
  }

  return {
    fetch: transportFetch as typeof globalThis.fetch,
    close: async () => {
      await dispatcher.destroy()
    }
  }
}

/**
 * One line on an answer that was not the one asked for: Directus' own error
 * message when it sent one, else what a proxy or load balancer put there.
 */
export function describeAnswer(response: Response, head: Uint8Array): string {
  const text = new TextDecoder().decode(head)
  return describeBody(response.statusText, response.headers.get('content-type'), text)
}

function attempts(count: number): string {
  return `${count} attempt${count === 1 ? '' : 's'}`
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}

export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function describeFailure(error: unknown, method: string, path: string, attempts: number, timeoutMs: number): TransportError {
  if (error instanceof TransportError) return error
  const name = (error as { name?: string })?.name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new TransportError(`timed out after ${timeoutMs / 1000} s`, 'timeout', method, path, attempts)
  }
  const code = errorCode(error)
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return new TransportError(`connection reset (${code})`, 'reset', method, path, attempts)
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return new TransportError(`timed out (${code})`, 'timeout', method, path, attempts)
  }
  const detail = code ? `${describeCode(code)} (${code})` : innermostMessage(error)
  return new TransportError(detail, 'connection', method, path, attempts)
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** undici wraps the real cause ('bad port', a TLS error) in a bare 'fetch failed'. */
function innermostMessage(error: unknown): string {
  let current: unknown = error
  let message = String(error)
  for (let depth = 0; current && depth < 5; depth++) {
    if (current instanceof Error && current.message) message = current.message
    current = (current as { cause?: unknown }).cause
  }
  return message
}

/** Failures worth another attempt: the network or the server, not the request. */
function isTransient(failure: TransportError): boolean {
  if (failure.kind === 'oversize') return false
  return failure.kind !== 'connection' || /\((ECONNREFUSED|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)\)$/.test(failure.message)
}

function describeCode(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found'
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable'
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'TLS certificate rejected'
    default:
      return 'request failed'
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
