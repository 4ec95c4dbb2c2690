/**
 * Counts, on the target, what the destructive and risky changes of a plan
 * touch (the queries are planned in plan/stakes.ts). A count never fails the
 * plan: a query that fails, times out, or is not sent because the cap or the
 * time budget is spent leaves its counts "unknown", with the reason.
 */
import { DirectusError, type DirectusConnection } from '../directus/client.js'
import { aggregateCounts } from '../directus/items.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { isPlainObject } from './json.js'
import type { Change, Stake } from './plan/changes.js'
import { isSystemCollection, planCounts, type StakeRef } from './plan/stakes.js'

/** Most count queries one plan sends. */
export const MAX_COUNT_QUERIES = 20

export interface CountOptions {
  /** The whole count step stops starting queries after this long, and waits no longer for one. */
  budgetMs: number
  maxQueries?: number
}

/** How the counting went, when it did not count everything. */
export interface CountingNote {
  queries: number
  /** Why counting stopped early, e.g. after the query cap. */
  stopped?: string
}

/** Whether any change has something to count. */
export function hasStakes(changes: readonly Change[]): boolean {
  return changes.some((change) => (change.stakes?.length ?? 0) > 0)
}

/** The changes with their stakes counted, or marked unknown. */
export async function countStakes(
  target: DirectusConnection,
  changes: readonly Change[],
  primaryKeys: ReadonlyMap<string, string>,
  options: CountOptions
): Promise<{ changes: Change[]; note: CountingNote }> {
  const results = new Map<string, Omit<Stake, 'question'>>()
  const settle = (ref: StakeRef, result: Omit<Stake, 'question'>) => results.set(`${ref.change}:${ref.stake}`, result)
  const { queries, unanswerable } = planCounts(changes, primaryKeys)
  for (const ref of unanswerable) settle(ref, { unknown: 'the primary key of the collection is unknown' })
  const maxQueries = options.maxQueries ?? MAX_COUNT_QUERIES
  const deadline = Date.now() + options.budgetMs
  let sent = 0
  let stopped: string | undefined
  // A timer may fire a little before Date.now() reaches the deadline: a query cut by it ends the budget too.
  let timedOut = false

  for (const { query, reads } of queries) {
    if (stopped === undefined && sent >= maxQueries) stopped = `after ${sent} queries, the most one plan sends`
    if (stopped === undefined && (timedOut || Date.now() >= deadline))
      stopped = `after ${Math.round(options.budgetMs / 1000)} s, the time counting may take`
    if (stopped !== undefined) {
      for (const { ref } of reads) settle(ref, { unknown: 'not counted: counting stopped' })
      continue
    }
    sent++
    try {
      const answer = await withDeadline(aggregateCounts(target, query), deadline)
      for (const { ref, read } of reads) {
        try {
          settle(ref, { count: read(answer) })
        } catch (error) {
          settle(ref, { unknown: (error as Error).message })
        }
      }
    } catch (error) {
      if (error instanceof CountTimeout) timedOut = true
      for (const { ref } of reads) settle(ref, { unknown: whyUncounted(error) })
    }
  }

  const counted = changes.map((change, changeIndex) =>
    change.stakes === undefined
      ? change
      : {
          ...change,
          stakes: change.stakes.map((stake, stakeIndex) => ({
            question: stake.question,
            ...(results.get(`${changeIndex}:${stakeIndex}`) ??
              (isSystemCollection(change.collection)
                ? { unknown: 'a system collection: the item API does not count it' }
                : { unknown: 'not counted' }))
          }))
        }
  )
  return { changes: counted, note: { queries: sent, ...(stopped ? { stopped } : {}) } }
}

/** Collection → its primary key field, from a snapshot. */
export function primaryKeysOf(snapshot: SchemaSnapshot): Map<string, string> {
  const keys = new Map<string, string>()
  for (const field of snapshot.fields) {
    if (!isPlainObject(field) || !isPlainObject(field['schema'])) continue
    if (field['schema']['is_primary_key'] === true && typeof field['collection'] === 'string' && typeof field['field'] === 'string') {
      keys.set(field['collection'], field['field'])
    }
  }
  return keys
}

class CountTimeout extends Error {}

/** The query's answer, or a timeout when the budget ends first (the request itself ends with the session). */
async function withDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CountTimeout()), Math.max(0, deadline - Date.now()))
  })
  work.catch(() => undefined)
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** A line on why a count is unknown: a folder, a locked 12.x instance and a missing field all answer 403. */
function whyUncounted(error: unknown): string {
  if (error instanceof CountTimeout) return 'timed out'
  if (error instanceof DirectusError) {
    if (error.status === 403)
      return `Directus refused the count (HTTP 403${error.code ? ` ${error.code}` : ''}): no such table or field, or the instance is locked`
    return error.status === undefined ? error.reason : `HTTP ${error.status}: ${error.reason}`
  }
  return (error as Error)?.message ?? String(error)
}
