/**
 * Which counts show what the destructive and risky changes of a plan touch,
 * as few aggregate queries as possible: one per collection for the rows and
 * the per-field counts, one more per shortened field (its filter is its own).
 * Pure: core/counts.ts sends the queries.
 *
 * - rows: COUNT(*), or countDistinct of the primary key next to field counts
 *   (Directus drops a `count=*` asked together with `count=<field>`);
 * - non-null values: count(field);
 * - NOT NULL violators: rows − count(field);
 * - unique violators: count(field) − countDistinct(field);
 * - values longer than N: rows matching `_starts_with` N+1 underscores (SQL
 *   LIKE, one `_` per character).
 */
import type { AggregateAnswer, AggregateQuery } from '../../directus/items.js'
import type { Change } from './changes.js'

export interface StakeRef {
  change: number
  stake: number
}

export interface CountQuery {
  query: AggregateQuery
  /** Each stake this query answers, and how its count is read from the answer. */
  reads: Array<{ ref: StakeRef; read: (answer: AggregateAnswer) => number }>
}

/** System collections are not served by /items (Directus answers 403): their counts stay unknown. */
export function isSystemCollection(collection: string): boolean {
  return collection.startsWith('directus_')
}

export interface CountPlan {
  queries: CountQuery[]
  /** Stakes no query can answer: rows beside field counts need the collection's primary key. */
  unanswerable: StakeRef[]
}

/** The queries for every stake of these changes, collection by collection, in the changes' order. */
export function planCounts(changes: readonly Change[], primaryKeys: ReadonlyMap<string, string>): CountPlan {
  const byCollection = new Map<string, Array<{ ref: StakeRef; change: Change }>>()
  changes.forEach((change, changeIndex) => {
    change.stakes?.forEach((_stake, stakeIndex) => {
      if (isSystemCollection(change.collection)) return
      const list = byCollection.get(change.collection) ?? []
      list.push({ ref: { change: changeIndex, stake: stakeIndex }, change })
      byCollection.set(change.collection, list)
    })
  })
  const planned = [...byCollection].map(([collection, wanted]) => queriesFor(collection, wanted, primaryKeys.get(collection)))
  return { queries: planned.flatMap((plan) => plan.queries), unanswerable: planned.flatMap((plan) => plan.unanswerable) }
}

function queriesFor(
  collection: string,
  wanted: Array<{ ref: StakeRef; change: Change }>,
  primaryKey: string | undefined
): { queries: CountQuery[]; unanswerable: StakeRef[] } {
  const count = new Set<string>()
  const countDistinct = new Set<string>()
  const fieldReads: CountQuery['reads'] = []
  const rowRefs: StakeRef[] = []
  const nulls: Array<{ ref: StakeRef; field: string }> = []
  const filtered: CountQuery[] = []
  const unanswerable: StakeRef[] = []

  for (const { ref, change } of wanted) {
    const question = change.stakes?.[ref.stake]?.question
    const field = change.field
    if (question === undefined) continue
    if (question.kind === 'rows') {
      rowRefs.push(ref)
      continue
    }
    if (field === undefined) continue
    switch (question.kind) {
      case 'values':
        count.add(field)
        fieldReads.push({ ref, read: (answer) => valueOf(answer.count, field) })
        break
      case 'nulls':
        nulls.push({ ref, field })
        break
      case 'duplicates':
        count.add(field)
        countDistinct.add(field)
        fieldReads.push({ ref, read: (answer) => valueOf(answer.count, field) - valueOf(answer.countDistinct, field) })
        break
      case 'longer':
        filtered.push({
          query: { collection, count: ['*'], filter: { field, operator: '_starts_with', value: '_'.repeat(question.limit + 1) } },
          reads: [{ ref, read: rowsOf }]
        })
        break
    }
  }

  const queries: CountQuery[] = []
  const fieldCounts = count.size + countDistinct.size + nulls.length > 0
  if (fieldCounts && primaryKey !== undefined && rowRefs.length + nulls.length > 0) {
    // One query for everything: the rows are the distinct primary keys.
    for (const { field } of nulls) count.add(field)
    const rows = (answer: AggregateAnswer) => valueOf(answer.countDistinct, primaryKey)
    queries.push({
      query: { collection, count: [...count], countDistinct: [...countDistinct, primaryKey] },
      reads: [
        ...rowRefs.map((ref) => ({ ref, read: rows })),
        ...nulls.map(({ ref, field }) => ({ ref, read: (answer: AggregateAnswer) => rows(answer) - valueOf(answer.count, field) })),
        ...fieldReads
      ]
    })
  } else {
    if (rowRefs.length > 0) queries.push({ query: { collection, count: ['*'] }, reads: rowRefs.map((ref) => ({ ref, read: rowsOf })) })
    if (count.size + countDistinct.size > 0)
      queries.push({ query: { collection, count: [...count], countDistinct: [...countDistinct] }, reads: fieldReads })
    // Rows next to field counts need the primary key (Directus drops `count=*` beside `count=<field>`).
    for (const { ref } of nulls) unanswerable.push(ref)
  }
  return { queries: [...queries, ...filtered], unanswerable }
}

function rowsOf(answer: AggregateAnswer): number {
  if (answer.rows === undefined) throw new Error('the answer has no row count')
  return answer.rows
}

function valueOf(counts: Record<string, number>, field: string): number {
  const value = counts[field]
  if (value === undefined) throw new Error(`the answer has no count of ${field}`)
  return value
}
