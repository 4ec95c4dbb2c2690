/**
 * Aggregate counts through Directus' item API (GET /items/<collection>), with
 * the admin token: what the plan shows a reviewer is at stake. What Directus
 * answers, on SQLite and PostgreSQL, 11.17.4 and 12.4.0, is recorded in
 * __tests__/fixtures/apply-rules/count-queries.*.json and
 * docs/directus-apply-rules.md (section 4).
 */
import type { DirectusConnection } from './client.js'

export interface AggregateQuery {
  collection: string
  /** Non-null values per field (SQL COUNT(column)); '*' alone counts rows, but not next to fields. */
  count?: readonly string[]
  /** Distinct non-null values per field; on the primary key, the rows. */
  countDistinct?: readonly string[]
  /** Only the rows whose field starts with this LIKE pattern: Directus passes `_` and `%` through unescaped. */
  filter?: { field: string; operator: '_starts_with'; value: string }
}

export interface AggregateAnswer {
  /** COUNT(*), when asked for '*' alone. */
  rows?: number
  count: Record<string, number>
  countDistinct: Record<string, number>
}

/**
 * One aggregate query. In one query `count` holds either `*` (a number) or
 * fields (an object): Directus replaces the one with the other, so rows next
 * to field counts come from countDistinct of the primary key.
 */
export async function aggregateCounts(connection: DirectusConnection, query: AggregateQuery): Promise<AggregateAnswer> {
  const params: Record<string, string> = {}
  if (query.count && query.count.length > 0) params['aggregate[count]'] = query.count.join(',')
  if (query.countDistinct && query.countDistinct.length > 0) params['aggregate[countDistinct]'] = query.countDistinct.join(',')
  if (query.filter) params[`filter[${query.filter.field}][${query.filter.operator}]`] = query.filter.value
  const data = await connection.send<unknown>({ method: 'GET', path: `/items/${encodeURIComponent(query.collection)}`, params })
  return parseAggregate(data)
}

/** `[{count: 12}]`, `[{count: {name: 11}, countDistinct: {id: 12}}]`; PostgreSQL gives the numbers as strings. */
export function parseAggregate(data: unknown): AggregateAnswer {
  const row = Array.isArray(data) ? (data[0] as Record<string, unknown> | undefined) : undefined
  if (row === undefined || typeof row !== 'object' || row === null) throw new Error('the answer is not an aggregate')
  const answer: AggregateAnswer = { count: {}, countDistinct: {} }
  const count = row['count']
  if (count !== undefined && (typeof count !== 'object' || count === null)) answer.rows = toCount(count)
  else if (count) answer.count = toCounts(count)
  if (row['countDistinct']) answer.countDistinct = toCounts(row['countDistinct'])
  return answer
}

function toCounts(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) throw new Error('the answer is not an aggregate')
  return Object.fromEntries(Object.entries(value).map(([field, count]) => [field, toCount(count)]))
}

function toCount(value: unknown): number {
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0)
    throw new Error(`the count ${JSON.stringify(value)} is not a number`)
  return count
}
