import { authentication, createDirectus, rest, staticToken, type RestCommand } from '@directus/sdk'
import { ExpectedError } from '../core/errors.js'
import { describeBody, oneLine } from '../http/describe.js'
import { TransportError, type Transport } from './transport.js'

/** Which end of a promotion an instance is: the base is promoted, the target receives it. */
export type Side = 'base' | 'target'

export type Auth = { kind: 'token'; token: string } | { kind: 'password'; email: string; password: string }

/** What it takes to connect to one instance. */
export interface InstanceSettings {
  side: Side
  url: URL
  auth: Auth
}

/** An expected failure talking to one Directus instance, phrased for one log line. */
export class DirectusError extends ExpectedError {
  override name = 'DirectusError'
  constructor(
    readonly side: Side,
    readonly host: string,
    readonly request: string,
    readonly reason: string,
    readonly status?: number,
    readonly code?: string,
    readonly transportKind?: TransportError['kind'],
    /** What to check, e.g. which input: shown last. */
    readonly hint?: string
  ) {
    const answer = status === undefined ? 'got no answer' : `answered HTTP ${status}`
    super(`${side} (${host}): ${request} ${answer}: ${reason}${code ? ` [${code}]` : ''}${hint ? `; ${hint}` : ''}`)
  }
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  params?: Record<string, string>
  body?: string | FormData
  headers?: Record<string, string>
}

export interface DirectusConnection {
  readonly side: Side
  readonly host: string
  readonly url: URL
  send<T>(spec: RequestSpec): Promise<T>
  close(): Promise<void>
}

/**
 * Connects with a static token, or logs in with email and password. Login
 * uses the SDK with auto-refresh off: its refresh timer would keep the
 * runner's Node process alive for about 15 minutes after the work is done.
 */
export async function connect(
  instance: InstanceSettings,
  transport: Transport,
  maskSecret: (secret: string) => void
): Promise<DirectusConnection> {
  const host = instance.url.host
  const base = createDirectus(instance.url.href, { globals: { fetch: transport.fetch } }).with(rest())

  const send = async <T>(client: { request<R>(command: RestCommand<R, unknown>): Promise<R> }, spec: RequestSpec) => {
    const command: RestCommand<T, unknown> = () => ({
      method: spec.method,
      path: spec.path,
      params: spec.params ?? {},
      ...(spec.body === undefined ? {} : { body: spec.body as string }),
      headers: spec.body instanceof FormData ? { 'Content-Type': 'multipart/form-data' } : (spec.headers ?? {})
    })
    try {
      const result = await client.request(command)
      // The SDK hands back the raw Response when the content type is neither
      // JSON nor text, even for an error status.
      if (result instanceof Response) {
        const contentType = result.headers.get('content-type') ?? 'no content type'
        throw new DirectusError(instance.side, host, `${spec.method} ${spec.path}`, `unexpected answer (${contentType})`, result.status)
      }
      return result
    } catch (error) {
      throw withCredentialHint(toDirectusError(error, instance.side, host, `${spec.method} ${spec.path}`), instance)
    }
  }

  if (instance.auth.kind === 'token') {
    const client = base.with(staticToken(instance.auth.token))
    return {
      side: instance.side,
      host,
      url: instance.url,
      send: (spec) => send(client, spec),
      close: async () => undefined
    }
  }

  const client = base.with(authentication('json', { autoRefresh: false }))
  try {
    const session = await client.login({ email: instance.auth.email, password: instance.auth.password })
    if (session.access_token) maskSecret(session.access_token)
    if (session.refresh_token) maskSecret(session.refresh_token)
  } catch (error) {
    throw withCredentialHint(toDirectusError(error, instance.side, host, 'POST /auth/login'), instance)
  }
  return {
    side: instance.side,
    host,
    url: instance.url,
    send: (spec) => send(client, spec),
    close: async () => {
      client.stopRefreshing()
      // Ending the session is hygiene, not a step the user depends on.
      await client.logout().catch(() => undefined)
    }
  }
}

/** For answers Directus would never give: the URL, not the request, is wrong. */
export function notDirectusHint(side: Side): string {
  return `is '${side}-url' a Directus instance?`
}

/** A 401 is about the credential inputs: the message says which to check. */
function withCredentialHint(error: DirectusError, instance: InstanceSettings): DirectusError {
  if (error.status !== 401 || error.hint) return error
  const inputs = instance.auth.kind === 'token' ? `'${instance.side}-token'` : `'${instance.side}-email' and '${instance.side}-password'`
  return new DirectusError(
    error.side,
    error.host,
    error.request,
    error.reason,
    error.status,
    error.code,
    error.transportKind,
    `check ${inputs}`
  )
}

interface SdkRequestError {
  response?: Response
  errors?: unknown
}

export function toDirectusError(error: unknown, side: Side, host: string, request: string): DirectusError {
  if (error instanceof DirectusError) return error
  if (error instanceof TransportError) {
    return new DirectusError(side, host, request, error.message, error.status, undefined, error.kind)
  }
  const { response, errors } = (error ?? {}) as SdkRequestError
  if (response && typeof response.status === 'number') {
    const { reason, code, notDirectus } = describeErrors(errors, response)
    return new DirectusError(side, host, request, reason, response.status, code, 'http', notDirectus ? notDirectusHint(side) : undefined)
  }
  return new DirectusError(side, host, request, (error as Error)?.message ?? String(error))
}

function describeErrors(errors: unknown, response: Response): { reason: string; code?: string; notDirectus?: boolean } {
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as { message?: unknown; extensions?: { code?: unknown; reason?: unknown } }
    const message = typeof first.message === 'string' ? first.message : JSON.stringify(first)
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : undefined
    return { reason: oneLine(message), ...(code ? { code } : {}) }
  }
  const contentType = response.headers.get('content-type')
  // The SDK hands over the body text for HTML and plain text, the parse error
  // for broken JSON, and the whole object for JSON without `errors`.
  if (errors instanceof SyntaxError) return { reason: describeBody(response.statusText, contentType, '') }
  if (typeof errors === 'object' && errors !== null) {
    const message = (errors as { message?: unknown }).message
    const shown = typeof message === 'string' && message.trim() ? `"${oneLine(message).slice(0, 120)}"` : response.statusText || 'an answer'
    return { reason: `${shown}, in a JSON shape Directus does not use`, notDirectus: true }
  }
  return { reason: describeBody(response.statusText, contentType, typeof errors === 'string' ? errors : '') }
}
