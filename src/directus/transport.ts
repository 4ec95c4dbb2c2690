import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici'

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
/** Far above any real schema snapshot, well below what one JSON string in Node can hold (512 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024

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

  async function attempt(url: string, init: RequestInit, method: string, pathname: string): Promise<Answer> {
    const timeout = AbortSignal.timeout(options.timeoutMs)
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout
    const response = await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      signal,
      dispatcher
    })
    // Read the whole body inside the attempt, so a stalled or cut body is
    // a failed attempt (retryable) rather than a hang or a parse error later.
    const body = await readCapped(response, maxBodyBytes, method, pathname)
    return {
      body,
      response: new Response(nullBodyStatus(response.status) ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers as unknown as Headers
      })
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
        const { response, body } = await attempt(url, init, method, pathname)
        log(`${method} ${pathname} -> ${response.status} in ${Date.now() - attemptStarted} ms (attempt ${attemptNumber})`)
        if (!retryable || !RETRYABLE_STATUSES.has(response.status)) return response
        retryAfter = retryAfterMs(response.headers.get('retry-after'))
        failure = new TransportError(
          describeAnswer(response, body),
          'http',
          method,
          pathname,
          attemptNumber,
          response.status
        )
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

interface Answer {
  response: Response
  body: ArrayBuffer
}

/** The body, read in full unless it grows past `maxBytes`. */
async function readCapped(
  response: Awaited<ReturnType<typeof undiciFetch>>,
  maxBytes: number,
  method: string,
  pathname: string
): Promise<ArrayBuffer> {
  const tooLarge = () =>
    new TransportError(`the answer is larger than ${megabytes(maxBytes)}; not read`, 'oversize', method, pathname, 1, response.status)
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw tooLarge()
  }
  if (!response.body) return new ArrayBuffer(0)
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of response.body) {
    total += chunk.byteLength
    if (total > maxBytes) throw tooLarge() // leaving the loop cancels the stream
    chunks.push(chunk)
  }
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body.buffer
}

/**
 * One line on an answer that was not the one asked for: Directus' own error
 * message when it sent one, else what a proxy or load balancer put there.
 */
export function describeAnswer(response: Response, body: ArrayBuffer): string {
  const text = new TextDecoder().decode(body.slice(0, 64 * 1024))
  return describeBody(response.statusText, response.headers.get('content-type'), text)
}

export function describeBody(statusText: string, contentTypeHeader: string | null, text: string, service = 'Directus'): string {
  const status = statusText || 'no reason given'
  const contentType = (contentTypeHeader ?? '').split(';')[0]?.trim() || 'no content type'
  if (contentType.includes('json')) {
    try {
      const json = JSON.parse(text) as { errors?: { message?: unknown }[]; message?: unknown }
      const message = json.errors?.[0]?.message ?? json.message
      if (typeof message === 'string' && message.trim()) return clip(message)
    } catch {
      return `${status}, and the ${contentType} answer is not valid JSON`
    }
  }
  if (contentType === 'text/html') {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1]
    const shown = title ? clip(title.replace(/<[^>]*>/g, ' ')) : ''
    return `${status}, an HTML page${shown ? ` ("${shown}")` : ''} from a proxy or load balancer, not from ${service}`
  }
  return `${status} (${contentType})`
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 120 ? `${line.slice(0, 120)}…` : line
}

function attempts(count: number): string {
  return `${count} attempt${count === 1 ? '' : 's'}`
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`
}

function nullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304
}

export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

function describeFailure(
  error: unknown,
  method: string,
  path: string,
  attempts: number,
  timeoutMs: number
): TransportError {
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
