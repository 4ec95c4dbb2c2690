/**
 * JSON helpers every layer may use; this module imports nothing.
 */

/** JSON with object keys sorted recursively (code-unit order); arrays keep their order. */
export function canonicalJson(value: unknown): string {
  // Fast path: native JSON.stringify, handing it each object with sorted keys.
  // JavaScript always enumerates integer-like keys ('2', '10') first in numeric
  // order, whatever the insertion order, so objects with such keys take the
  // slow path, which sorts purely by code units.
  try {
    return JSON.stringify(value, withSortedKeys) ?? 'null'
  } catch (error) {
    if (error !== HAS_INTEGER_KEYS) throw error
    return canonicalJsonSlow(value)
  }
}

const HAS_INTEGER_KEYS = new Error('object with integer-like keys')
const INTEGER_KEY = /^(?:0|[1-9]\d*)$/

function withSortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const keys = Object.keys(value)
  let sorted = true
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string
    if (INTEGER_KEY.test(key)) throw HAS_INTEGER_KEYS
    if (index > 0 && (keys[index - 1] as string) > key) sorted = false
  }
  // Snapshots come with sorted keys already (Directus sorts them): no copy needed.
  if (sorted) return value
  const record = value as Record<string, unknown>
  const copy: Record<string, unknown> = {}
  for (const key of keys.sort()) copy[key] = record[key]
  return copy
}

function canonicalJsonSlow(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) {
    // As in JSON.stringify: holes and undefined inside arrays become null.
    return `[${Array.from(value, (item: unknown) => (item === undefined ? 'null' : canonicalJsonSlow(item))).join(',')}]`
  }
  const record = value as Record<string, unknown>
  // The default sort compares UTF-16 code units: the same on every machine.
  const members = Object.keys(record)
    .sort()
    .filter((key) => record[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${canonicalJsonSlow(record[key])}`)
  return `{${members.join(',')}}`
}

/**
 * canonicalJson(value) in pieces, each item of a top-level list on its own:
 * for consumers that hash or compress a large document as it is made, and can
 * stop early. The pieces joined are exactly canonicalJson(value).
 */
export function* canonicalJsonPieces(value: unknown): Generator<string> {
  if (!isPlainObject(value)) {
    yield canonicalJson(value)
    return
  }
  yield '{'
  let first = true
  // The default sort compares UTF-16 code units, as canonicalJson does.
  for (const key of Object.keys(value).sort()) {
    const member = value[key]
    if (member === undefined) continue
    yield `${first ? '' : ','}${JSON.stringify(key)}:`
    first = false
    if (!Array.isArray(member)) {
      yield canonicalJson(member)
      continue
    }
    yield '['
    for (let index = 0; index < member.length; index++) {
      const item: unknown = member[index]
      yield `${index > 0 ? ',' : ''}${item === undefined ? 'null' : canonicalJson(item)}`
    }
    yield ']'
  }
  yield '}'
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
