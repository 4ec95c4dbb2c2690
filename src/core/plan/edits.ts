/**
 * The property edits a list of deep-diff entries makes, leaf by leaf: what a
 * reviewer reads for an update, and what the noise rules look at.
 */
import type { DeepDiff } from '../../directus/types.js'
import { isPlainObject } from '../json.js'
import { formatPath } from './words.js'

export interface PropertyEdit {
  /** Dotted path: 'meta.note', 'schema.data_type', 'meta.options.choices[2]'. */
  path: string
  /** undefined means the property is absent on that side. */
  before: unknown
  after: unknown
}

export function editsOf(entry: DeepDiff, basePath: readonly (string | number)[] = []): PropertyEdit[] {
  const path = [...basePath, ...(entry.path ?? [])]
  switch (entry.kind) {
    case 'N':
      return [{ path: formatPath(path), before: undefined, after: entry.rhs }]
    case 'D':
      return [{ path: formatPath(path), before: entry.lhs, after: undefined }]
    case 'E':
      // Directus 12 collapses any nested meta change into one edit of the whole
      // `meta` object; expanding it shows the reviewer only what differs.
      return leafEdits(path, entry.lhs, entry.rhs)
    case 'A':
      if (entry.item === undefined || entry.index === undefined) return []
      return editsOf({ ...entry.item, path: [] }, [...path, entry.index])
  }
}

/** The differing leaves of two values; objects and arrays are walked, anything else compared whole. */
function leafEdits(path: (string | number)[], before: unknown, after: unknown): PropertyEdit[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !Object.hasOwn(before, key))]
    return keys.flatMap((key) => leafEdits([...path, key], before[key], after[key]))
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length)
    const edits: PropertyEdit[] = []
    for (let index = 0; index < length; index++) {
      edits.push(...leafEdits([...path, index], before[index], after[index]))
    }
    return edits
  }
  return sameJson(before, after) ? [] : [{ path: formatPath(path), before, after }]
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === typeof b && JSON.stringify(a) === JSON.stringify(b))
}
