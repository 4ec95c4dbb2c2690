/**
 * What counts as a secret in configuration (issue #11): values under keys that
 * look secret, every request header's value, and URLs that carry credentials.
 * A secret never reaches a FieldChange's before/after, and the digest seals
 * it only as a keyed hash.
 */
import type { ConfigCollection } from './model.js'

/** A path inside a record: field names and array indexes. */
export type ValuePath = readonly (string | number)[]

/** Key names that hold secrets: `authorization`, `token`, `password`, `secret`, `key`, `credentials` and their compounds. */
const SECRET_KEY = /authorization|token|passw(or)?d|secret|credential|(^|[_-])key$|api[_-]?key|[a-z]Key$|^key$|private/i

/** A URL with a user and password, or with a query parameter named like a secret. */
const URL_WITH_CREDENTIALS =
  /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s@]*:[^/?#\s@]*@|[?&][^=&#]*(token|key|secret|passw(or)?d|signature|auth)[^=&#]*=[^&#]+/i

/**
 * Whether the value at `path` of a record of `collection` is a secret.
 * Top-level columns of records are names and keys (an operation's `key`, a
 * translation's `key`), not secrets; inside JSON (options, headers) and in
 * settings the key names decide.
 */
export function isSecretPath(collection: ConfigCollection, path: ValuePath, value: unknown): boolean {
  if (typeof value === 'string' && URL_WITH_CREDENTIALS.test(value)) return true
  const nested = collection === 'settings' ? path : path.slice(1)
  if (nested.length === 0) return false
  // Request headers: `headers: [{header, value}]` (request operation); every header's value may be a credential.
  const last = nested[nested.length - 1]
  if (last === 'value' && nested.length >= 3 && typeof nested[nested.length - 2] === 'number' && nested[nested.length - 3] === 'headers') {
    return true
  }
  if (isNamedKey(collection, path)) return false
  return nested.some((segment) => typeof segment === 'string' && SECRET_KEY.test(segment))
}

/**
 * `key` that names something rather than unlocking it: an asset preset's key
 * (settings), and the item keys an item operation reads or changes.
 */
function isNamedKey(collection: ConfigCollection, path: ValuePath): boolean {
  if (path[path.length - 1] !== 'key') return false
  if (collection === 'settings') return path[0] === 'storage_asset_presets'
  return collection === 'operations' && path.length === 2 && path[0] === 'options'
}

/** The paths of the secret leaves inside `value` (at `path` of a record). */
export function secretLeaves(collection: ConfigCollection, path: ValuePath, value: unknown): ValuePath[] {
  if (isSecretPath(collection, path, value) && !isContainer(value))
    return value === null || value === undefined || value === '' ? [] : [path]
  if (Array.isArray(value)) return value.flatMap((item, index) => secretLeaves(collection, [...path, index], item))
  if (isContainer(value)) return Object.entries(value).flatMap(([key, item]) => secretLeaves(collection, [...path, key], item))
  return []
}

export function containsSecret(collection: ConfigCollection, path: ValuePath, value: unknown): boolean {
  return secretLeaves(collection, path, value).length > 0
}

/** `options.headers[0].value` */
export function formatPath(path: ValuePath): string {
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('')
}

/** The inverse of formatPath; undefined when the text is not a path. */
export function parsePath(text: string): ValuePath | undefined {
  const segments: (string | number)[] = []
  const pattern = /([^.[\]]+)|\[(\d+)\]/g
  let consumed = 0
  for (const match of text.matchAll(pattern)) {
    const separator = text.slice(consumed, match.index)
    if (separator !== (segments.length === 0 || match[2] !== undefined ? '' : '.')) return undefined
    segments.push(match[2] !== undefined ? Number(match[2]) : (match[1] as string))
    consumed = match.index + match[0].length
  }
  return consumed === text.length && segments.length > 0 && typeof segments[0] === 'string' ? segments : undefined
}

export function valueAt(value: unknown, path: ValuePath): unknown {
  let current = value
  for (const segment of path) {
    if (!isContainer(current)) return undefined
    current = (current as Record<string | number, unknown>)[segment]
  }
  return current
}

/** A copy of `value` with `replacement` at `path` (the path must exist up to its parent). */
export function withValueAt(value: unknown, path: ValuePath, replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const [head, ...rest] = path as [string | number, ...(string | number)[]]
  if (Array.isArray(value)) {
    const copy = [...value]
    copy[head as number] = withValueAt(value[head as number], rest, replacement)
    return copy
  }
  const record = isContainer(value) ? (value as Record<string, unknown>) : {}
  return { ...record, [head]: withValueAt(record[head as string], rest, replacement) }
}

/** A copy with every secret leaf replaced by `hash(value)`: what the digest seals. */
export function hashSecrets(
  collection: ConfigCollection,
  record: Readonly<Record<string, unknown>>,
  extra: readonly ValuePath[],
  hash: (value: unknown) => string
): Record<string, unknown> {
  let copy: unknown = record
  const paths = [...secretLeaves(collection, [], record).filter((path) => path.length > 0), ...extra]
  for (const path of paths) {
    const secret = valueAt(copy, path)
    if (secret !== undefined) copy = withValueAt(copy, path, `secret:${hash(secret)}`)
  }
  return copy as Record<string, unknown>
}

export function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}
