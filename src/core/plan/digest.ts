/**
 * A fingerprint of a schema diff, so the apply step can prove it is about to
 * send exactly the diff a reviewer saw.
 *
 * What is left out, and why (from reading Directus' get-snapshot.js and
 * get-snapshot-diff.js):
 * - The `hash` Directus returns next to the diff is not part of the diff: it
 *   fingerprints the target's whole snapshot plus the Directus version, and it
 *   is checked by Directus itself on apply.
 * - The order of the collections/fields/systemFields/relations lists follows
 *   the target's `meta.id` sort order, an artefact of insertion history, so
 *   the lists are sorted by identity (collection, field), ties by content.
 * - Nothing inside an item is volatile: snapshots already omit `meta.id` from
 *   fields and relations, and collections have none. The order of the deep-diff
 *   entries inside an item is kept, because applying them is order dependent
 *   (array changes come highest index first).
 * - A missing `systemFields` list (Directus before 11) equals an empty one.
 * - undefined object properties are dropped, as JSON on the wire drops them.
 */
import { createHash } from 'node:crypto'
import type { SchemaDiff } from '../../directus/types.js'
import { canonicalJson, compareStrings } from '../json.js'

/** 'sha256:<hex>' of the diff's canonical form; independent of list order. */
export function diffDigest(diff: SchemaDiff): string {
  // The canonical JSON of the sorted lists (keys in code-unit order), hashed
  // item by item as it is made: a 10 MB diff never exists a second time as
  // one string.
  const lists: [string, readonly Identified[]][] = [
    ['collections', diff.collections],
    ['fields', diff.fields],
    ['relations', diff.relations],
    ['systemFields', diff.systemFields ?? []]
  ]
  const hash = createHash('sha256').update('{')
  lists.forEach(([key, items], index) => {
    hash.update(`${index > 0 ? ',' : ''}"${key}":[`)
    let first = true
    for (const json of sortedCanonicalItems(items)) {
      hash.update(first ? json : `,${json}`)
      first = false
    }
    hash.update(']')
  })
  return `sha256:${hash.update('}').digest('hex')}`
}

interface Identified {
  collection: string
  field?: string
}

/**
 * The items' canonical JSON in identity order (collection, then field), made
 * one at a time. Items of the same identity, such as the delete + create pair
 * Directus emits for a field turned into an alias, are ordered by their JSON,
 * so the order is total.
 */
function* sortedCanonicalItems(items: readonly Identified[]): Generator<string> {
  const compareIdentity = (a: Identified, b: Identified): number =>
    compareStrings(a.collection, b.collection) || compareStrings(a.field ?? '', b.field ?? '')
  const sorted = [...items].sort(compareIdentity)
  for (let start = 0; start < sorted.length;) {
    let end = start + 1
    while (end < sorted.length && compareIdentity(sorted[start]!, sorted[end]!) === 0) end++
    if (end - start === 1) yield canonicalJson(sorted[start])
    else
      yield* sorted
        .slice(start, end)
        .map((item) => canonicalJson(item))
        .sort(compareStrings)
    start = end
  }
}
