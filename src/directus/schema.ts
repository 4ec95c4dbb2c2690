import type { DiffResponse, SchemaDiff, SchemaSnapshot } from '../plan/diff-model.js'
import { DirectusError, notDirectusHint, type DirectusConnection, type RequestSpec } from './client.js'

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

export async function takeSnapshot(connection: DirectusConnection): Promise<SchemaSnapshot> {
  const snapshot = await connection.send<unknown>({ method: 'GET', path: '/schema/snapshot' })
  if (!isSnapshot(snapshot)) {
    throw new DirectusError(
      connection.side,
      connection.host,
      'GET /schema/snapshot',
      `the answer is not a Directus schema snapshot (${shapeOf(snapshot)})`,
      200,
      undefined,
      undefined,
      notDirectusHint(connection.side)
    )
  }
  return snapshot
}

export interface DiffOptions {
  force: boolean
}

/** Returns null when the target already matches (Directus answers 204). */
export async function diffSnapshot(
  connection: DirectusConnection,
  snapshot: SchemaSnapshot,
  options: DiffOptions
): Promise<DiffResponse | null> {
  // Before 12.2 a present `force` counts whatever its value, so false is never sent.
  const params: Record<string, string> = options.force ? { force: 'true' } : {}
  const result = await connection.send<unknown>({
    method: 'POST',
    path: '/schema/diff',
    params,
    ...jsonOrUpload(snapshot, 'snapshot.json')
  })
  if (result === null || result === undefined || result === '') return null
  if (!isDiffResponse(result)) {
    throw new DirectusError(
      connection.side,
      connection.host,
      'POST /schema/diff',
      `the answer is not a Directus schema diff (${shapeOf(result)})`,
      200,
      undefined,
      undefined,
      notDirectusHint(connection.side)
    )
  }
  return result
}

export async function applySchemaDiff(
  connection: DirectusConnection,
  payload: { hash: string; diff: SchemaDiff }
): Promise<void> {
  const diff = { ...payload.diff, systemFields: payload.diff.systemFields ?? [] }
  await connection.send<unknown>({
    method: 'POST',
    path: '/schema/apply',
    ...jsonOrUpload({ hash: payload.hash, diff }, 'diff.json')
  })
}

function jsonOrUpload(value: unknown, fileName: string): Pick<RequestSpec, "body"> {
  const json = JSON.stringify(value)
  const bytes = Buffer.byteLength(json)
  if (bytes <= JSON_BODY_LIMIT_BYTES) return { body: json }
  const form = new FormData()
  form.append('file', new Blob([json], { type: 'application/json' }), fileName)
  return { body: form }
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

/** What came instead, in a few words: never the content itself. */
function shapeOf(value: unknown): string {
  if (typeof value === 'string') return `${value.length} characters of text or HTML`
  if (Array.isArray(value)) return 'a JSON array'
  if (value === null || value === undefined) return 'an empty answer'
  return typeof value === 'object' ? `a JSON object with keys ${Object.keys(value).slice(0, 5).join(', ') || 'none'}` : `a JSON ${typeof value}`
}

function isSnapshot(value: unknown): value is SchemaSnapshot {
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
