import {
  authentication,
  createDirectus,
  rest,
  staticToken,
  type RestCommand
} from '@directus/sdk'
import type { InstanceSettings, Side } from '../inputs.js'
import { describeBody, TransportError, type Transport } from './transport.js'

/** An expected failure talking to one Directus instance, phrased for one log line. */
export class DirectusError extends Error {
  constructor(
    readonly side: Side,
    readonly host: string,
    readonly request: string,
    readonly reason: string,
    readonly status?: number,
    readonly code?: string,
    readonly transportKind?: TransportError['kind']
  ) {
    const answer = status === undefined ? 'got no answer' : `answered HTTP ${status}`
    super(`${side} (${host}): ${request} ${answer}: ${reason}${code ? ` [${code}]` : ''}`)
    this.name = 'DirectusError'
  }
}

export interface RequestSpec {
  method: 'GET' | 'POST'
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
      throw toDirectusError(error, instance.side, host, `${spec.method} ${spec.path}`)
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
    throw toDirectusError(error, instance.side, host, 'POST /auth/login')
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
    const { reason, code } = describeErrors(errors, response)
    return new DirectusError(side, host, request, reason, response.status, code, 'http')
  }
  return new DirectusError(side, host, request, (error as Error)?.message ?? String(error))
}

function describeErrors(errors: unknown, response: Response): { reason: string; code?: string } {
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0] as { message?: unknown; extensions?: { code?: unknown; reason?: unknown } }
    const message = typeof first.message === 'string' ? first.message : JSON.stringify(first)
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : undefined
    return { reason: oneLine(message), ...(code ? { code } : {}) }
  }
  const contentType = response.headers.get('content-type')
  // The SDK hands over the body text for HTML and plain text, and the parse error for broken JSON.
  if (errors instanceof SyntaxError) return { reason: describeBody(response.statusText, contentType, '') }
  return { reason: describeBody(response.statusText, contentType, typeof errors === 'string' ? errors : '') }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

