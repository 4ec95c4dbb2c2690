import { randomUUID } from 'node:crypto'
import { DirectusError, notDirectusHint, type DirectusConnection, type RequestSpec } from './client.js'
import type { DiffResponse, SchemaDiff, SchemaSnapshot } from './types.js'

/** Which collections a snapshot covers: Directus' includeCollections / excludeCollections (12.2+). */
export interface CollectionScope {
  kind: 'include' | 'exclude'
  collections: string[]
}

/** mirror: the target becomes the base, deletions included; merge: additive, Directus' `mode=merge` (12.2+). */
export const DIFF_MODES = ['mirror', 'merge'] as const
export type DiffMode = (typeof DIFF_MODES)[number]

/**
 * Directus' default MAX_PAYLOAD_SIZE is 1mb. Bodies above this go as a
 * multipart file upload, which the schema endpoints accept instead (capped by
 * IMPORT_MAX_FILE_SIZE from 12.2 on), as Directus' own CLI does.
 */
export const JSON_BODY_LIMIT_BYTES = 512 * 1024

export interface ServerInfo {
  version?: string
}

export async function readServerInfo(connection: DirectusConnection): Promise<ServerInfo> {
  const info = await connection.send<Record<string, unknown> | null>({ method: 'GET', path: '/server/info' })
  const version = info?.['version'] ?? (info?.['directus'] as { version?: unknown } | undefined)?.version
  return typeof version === 'string' ? { version } : {}
}

/** The whole schema, or with a scope the partial snapshot Directus 12.2+ makes of those collections. */
export async function takeSnapshot(connection: DirectusConnection, scope?: CollectionScope): Promise<SchemaSnapshot> {
  const params: Record<string, string> = scope ? { [scopeParameter(scope)]: scope.collections.join(',') } : {}
  const snapshot = await connection.send<unknown>({ method: 'GET', path: '/schema/snapshot', params })
  if (!isSnapshot(snapshot)) throw unexpectedAnswer(connection, 'GET /schema/snapshot', 'a Directus schema snapshot', snapshot)
  return snapshot
}

export function scopeParameter(scope: CollectionScope): 'includeCollections' | 'excludeCollections' {
  return scope.kind === 'include' ? 'includeCollections' : 'excludeCollections'
}

export interface DiffOptions {
  force: boolean
  /** Sent only as merge: mirror is Directus' default, and servers before 12.2 know no mode. */
  mode?: DiffMode
}

/** Returns null when the target already matches (Directus answers 204). */
export async function diffSnapshot(
  connection: DirectusConnection,
  snapshot: SchemaSnapshot,
  options: DiffOptions
): Promise<DiffResponse | null> {
  // Before 12.2 a present `force` counts whatever its value, so false is never sent.
  const params: Record<string, string> = {
    ...(options.force ? { force: 'true' } : {}),
    ...(options.mode === 'merge' ? { mode: 'merge' } : {})
  }
  const result = await postDocument<unknown>(connection, '/schema/diff', params, snapshot, 'snapshot')
  if (result === null || result === undefined || result === '') return null
  if (!isDiffResponse(result)) throw unexpectedAnswer(connection, 'POST /schema/diff', 'a Directus schema diff', result)
  return result
}

export async function applySchemaDiff(connection: DirectusConnection, payload: { hash: string; diff: SchemaDiff }): Promise<void> {
  const diff = { ...payload.diff, systemFields: payload.diff.systemFields ?? [] }
  await postDocument<unknown>(connection, '/schema/apply', {}, { hash: payload.hash, diff }, 'diff')
}

type BodyForm = 'json' | 'upload'

/**
 * Posts a snapshot or diff as a JSON body when small, else as a file upload;
 * when the server refuses one form for its size, the other is tried. Either
 * refusal happens while the body is read, before Directus acts on it, so the
 * second try is safe even for apply. When both are refused, the error names
 * the limits and the size that was sent.
 */
async function postDocument<T>(
  connection: DirectusConnection,
  path: string,
  params: Record<string, string>,
  document: unknown,
  what: 'snapshot' | 'diff'
): Promise<T> {
  const json = JSON.stringify(document)
  const bytes = Buffer.byteLength(json)
  const forms: BodyForm[] = bytes <= JSON_BODY_LIMIT_BYTES ? ['json', 'upload'] : ['upload', 'json']
  const refusals: Partial<Record<BodyForm, DirectusError>> = {}
  for (const form of forms) {
    const spec: RequestSpec =
      form === 'json' ? { method: 'POST', path, params, body: json } : { method: 'POST', path, params, ...fileUpload(json, `${what}.json`) }
    try {
      return await connection.send<T>(spec)
    } catch (error) {
      if (!isBodyTooLarge(error)) throw error
      refusals[form] = error
    }
  }
  throw tooLargeError(connection, `POST ${path}`, what, bytes, refusals)
}

/**
 * A multipart/form-data body with one JSON file, encoded here: undici's fetch
 * does not recognise Node's global FormData (another class), and would send
 * it as the text "[object FormData]".
 */
export function fileUpload(json: string, fileName: string): Required<Pick<RequestSpec, 'body' | 'headers'>> {
  let boundary = `directus-schema-action-${randomUUID()}`
  while (json.includes(boundary)) boundary = `directus-schema-action-${randomUUID()}`
  const body =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    'Content-Type: application/json\r\n\r\n' +
    `${json}\r\n--${boundary}--\r\n`
  return { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } }
}

/**
 * A JSON body over MAX_PAYLOAD_SIZE: 400 "request entity too large".
 * An upload over IMPORT_MAX_FILE_SIZE (12.2+): 413 CONTENT_TOO_LARGE. A proxy's body limit: 413.
 */
export function isBodyTooLarge(error: unknown): error is DirectusError {
  return error instanceof DirectusError && (error.status === 413 || (error.status === 400 && /entity too large/i.test(error.reason)))
}

function tooLargeError(
  connection: DirectusConnection,
  request: string,
  what: string,
  bytes: number,
  refusals: Partial<Record<BodyForm, DirectusError>>
): DirectusError {
  const last = refusals.upload ?? refusals.json
  const reason =
    `the ${what} is ${formatBytes(bytes)} of JSON, too large for the ${connection.side} both as a file upload ` +
    `(IMPORT_MAX_FILE_SIZE, Directus' default 50mb: ${refusals.upload?.reason ?? 'refused'}) and as a JSON body ` +
    `(MAX_PAYLOAD_SIZE, default 1mb: ${refusals.json?.reason ?? 'refused'}). ` +
    `Raise IMPORT_MAX_FILE_SIZE (or MAX_PAYLOAD_SIZE) on the ${connection.side} to more than ${formatBytes(bytes)}, ` +
    `and the body size limit of any proxy in front of it`
  return new DirectusError(connection.side, connection.host, request, reason, last?.status, last?.code)
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]} (${bytes} bytes)`
}

/** Directus refuses a diff across versions or vendors unless forced; this reads its reason. */
export function isVersionOrVendorMismatch(error: unknown): error is DirectusError {
  return (
    error instanceof DirectusError &&
    error.status === 400 &&
    /(directus version .* does not match|vendor .* does not match|does not contain the "vendor")/i.test(error.reason)
  )
}

/** The target's vendor, when Directus named it in a mismatch reason. */
export function vendorNamedIn(reason: string): string | undefined {
  return /current instance's vendor (\S+?)\.? /.exec(`${reason} `)?.[1]
}

/** A 200 answer of the wrong shape: the URL, not the request, is likely wrong. */
function unexpectedAnswer(connection: DirectusConnection, request: string, expected: string, value: unknown): DirectusError {
  const reason = `the answer is not ${expected} (${shapeOf(value)})`
  return new DirectusError(connection.side, connection.host, request, reason, 200, undefined, undefined, notDirectusHint(connection.side))
}

/** What came instead, in a few words: never the content itself. */
function shapeOf(value: unknown): string {
  if (typeof value === 'string') return `${value.length} characters of text or HTML`
  if (Array.isArray(value)) return 'a JSON array'
  if (value === null || value === undefined) return 'an empty answer'
  return typeof value === 'object'
    ? `a JSON object with keys ${Object.keys(value).slice(0, 5).join(', ') || 'none'}`
    : `a JSON ${typeof value}`
}

export function isSnapshot(value: unknown): value is SchemaSnapshot {
  const snapshot = value as SchemaSnapshot | null
  return (
    typeof snapshot === 'object' &&
    snapshot !== null &&
    typeof snapshot.directus === 'string' &&
    Array.isArray(snapshot.collections) &&
    Array.isArray(snapshot.fields) &&
    Array.isArray(snapshot.relations)
  )
}

function isDiffResponse(value: unknown): value is DiffResponse {
  const response = value as DiffResponse | null
  return (
    typeof response === 'object' &&
    response !== null &&
    typeof response.hash === 'string' &&
    typeof response.diff === 'object' &&
    response.diff !== null &&
    Array.isArray(response.diff.collections) &&
    Array.isArray(response.diff.fields) &&
    Array.isArray(response.diff.relations)
  )
}
