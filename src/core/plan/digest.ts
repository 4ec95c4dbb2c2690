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
  // Keys in code-unit order, so this is canonicalJson of the sorted lists,
  // built from the items' JSON computed once for the sort.
  const lists: [string, readonly Identified[]][] = [
    ['collections', diff.collections],
    ['fields', diff.fields],
    ['relations', diff.relations],
    ['systemFields', diff.systemFields ?? []]
  ]
  const canonical = `{${lists.map(([key, items]) => `"${key}":[${sortedCanonicalItems(items).join(',')}]`).join(',')}}`
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`
}

interface Identified {
  collection: string
  field?: string
}

function sortedCanonicalItems(items: readonly Identified[]): string[] {
  // The tie-break on content makes the order total, e.g. for the delete +
  // create pair Directus emits for a field turned into an alias.
  return items
    .map((item) => ({ item, json: canonicalJson(item) }))
    .sort(
      (a, b) =>
        compareStrings(a.item.collection, b.item.collection) ||
        compareStrings(a.item.field ?? '', b.item.field ?? '') ||
        compareStrings(a.json, b.json)
    )
    .map(({ json }) => json)
}
