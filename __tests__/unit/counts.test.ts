/**
 * Counting what changes touch, against the answers live Directus gave to the
 * same requests (__tests__/fixtures/apply-rules/count-queries.*.json: 12.4.0
 * and 11.17.4, SQLite and PostgreSQL, 12 rows of known values). A request the
 * capture has no answer for fails the test.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { countStakes } from '../../src/core/counts.js'
import type { Change, Stake } from '../../src/core/plan/changes.js'
import type { StakeQuestion } from '../../src/core/plan/risks.js'
import { planCounts } from '../../src/core/plan/stakes.js'
import { DirectusError, type DirectusConnection, type RequestSpec } from '../../src/directus/client.js'
import { parseAggregate } from '../../src/directus/items.js'

const DIR = join(import.meta.dirname, '..', 'fixtures', 'apply-rules')

interface CapturedQuery {
  what: string
  request: string
  status: number
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> }
}

const CAPTURES = readdirSync(DIR)
  .filter((file) => file.startsWith('count-queries.'))
  .map((file) => ({ file, queries: (JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { queries: CapturedQuery[] }).queries }))

/** 'GET /items/c?a=1&b=x,y' → a comparable form: path, and each parameter with its comma list as a set. */
function requestKey(path: string, params: Record<string, string>): string {
  const entries = Object.entries(params)
    .map(([key, value]) => `${key}=${value.split(',').sort().join(',')}`)
    .sort()
  return `${path}?${entries.join('&')}`
}

function capturedKey(request: string): string {
  const [path = '', query = ''] = request.replace(/^GET /, '').split('?')
  const params = Object.fromEntries(
    query.split('&').map((pair) => pair.split('=').map((part) => decodeURIComponent(part)) as [string, string])
  )
  return requestKey(path, params)
}

/** A target that answers exactly what live Directus answered, and records what was asked. */
function capturedTarget(queries: CapturedQuery[], options: { stall?: boolean } = {}): DirectusConnection & { asked: string[] } {
  const answers = new Map(queries.map((query) => [capturedKey(query.request), query]))
  const asked: string[] = []
  return {
    side: 'target',
    host: 'target.example',
    url: new URL('https://target.example/'),
    asked,
    async send<T>(spec: RequestSpec): Promise<T> {
      const key = requestKey(spec.path, spec.params ?? {})
      asked.push(key)
      if (options.stall) return new Promise<T>(() => undefined)
      const answer = answers.get(key)
      if (!answer) throw new Error(`no captured answer for ${key}`)
      if (answer.status !== 200) {
        const error = answer.body.errors?.[0]
        throw new DirectusError(
          'target',
          'target.example',
          `GET ${spec.path}`,
          error?.message ?? 'error',
          answer.status,
          error?.extensions?.code
        )
      }
      return answer.body.data as T
    },
    close: async () => undefined
  }
}

function change(collection: string, field: string | undefined, action: Change['action'], ...questions: StakeQuestion[]): Change {
  return {
    entity: field === undefined ? 'collection' : 'field',
    action,
    collection,
    ...(field !== undefined ? { field } : {}),
    edits: [],
    destructive: action === 'delete',
    risks: [],
    stakes: questions.map((question) => ({ question }))
  }
}

const PRIMARY_KEYS = new Map([['cq_items', 'id']])

describe.each(CAPTURES)('$file', ({ queries }) => {
  it('reads every aggregate answer, numbers and strings alike', () => {
    const answers = queries.filter(
      (query) => query.status === 200 && /aggregate/.test(query.request) && !/groupBy|countAll/.test(query.request)
    )
    expect(answers.length).toBeGreaterThan(8)
    for (const query of answers) {
      const answer = parseAggregate(query.body.data)
      for (const value of [answer.rows, ...Object.values(answer.count), ...Object.values(answer.countDistinct)]) {
        if (value !== undefined) expect(Number.isInteger(value)).toBe(true)
      }
    }
  })

  it('counts dropped values, rows without a value and longer values in as few queries as the capture answers', async () => {
    const target = capturedTarget(queries)
    const changes = [
      change('cq_items', 'name', 'delete', { kind: 'values' }),
      change('cq_items', 'n', 'update', { kind: 'nulls' }),
      change('cq_items', 'name', 'update', { kind: 'longer', limit: 2 })
    ]
    const { changes: counted, note } = await countStakes(target, changes, PRIMARY_KEYS, { budgetMs: 5_000 })
    expect(counted.map((item) => item.stakes?.map(({ count }) => count))).toEqual([[11], [1], [5]])
    expect(note).toEqual({ queries: 2 })
    expect(target.asked).toEqual([
      '/items/cq_items?aggregate[countDistinct]=id&aggregate[count]=n,name',
      '/items/cq_items?aggregate[count]=*&filter[name][_starts_with]=___'
    ])
  })

  it('says "unknown", with why, for a folder, a system collection and a collection without a known primary key', async () => {
    const target = capturedTarget(queries)
    const changes = [
      change('cq_folder', undefined, 'delete', { kind: 'rows' }),
      change('directus_users', 'title', 'delete', { kind: 'values' }),
      change('cq_nope', 'name', 'update', { kind: 'nulls' })
    ]
    const { changes: counted } = await countStakes(target, changes, PRIMARY_KEYS, { budgetMs: 5_000 })
    const unknown = counted.map((item) => item.stakes?.map((stake: Stake) => stake.unknown))
    expect(unknown).toEqual([
      ['Directus refused the count (HTTP 403 FORBIDDEN): no such table or field, or the instance is locked'],
      ['a system collection: the item API does not count it'],
      ['the primary key of the collection is unknown']
    ])
    expect(target.asked).toEqual(['/items/cq_folder?aggregate[count]=*'])
  })

  it('counts the rows of a dropped collection with count(*)', async () => {
    const { changes: counted } = await countStakes(
      capturedTarget(queries),
      [change('cq_items', undefined, 'delete', { kind: 'rows' })],
      PRIMARY_KEYS,
      {
        budgetMs: 5_000
      }
    )
    expect(counted[0]?.stakes).toEqual([{ question: { kind: 'rows' }, count: 12 }])
  })
})

describe('limits', () => {
  const queries = CAPTURES[0]!.queries

  it('stops at the query cap and says so; the rest is unknown', async () => {
    const target = capturedTarget(queries)
    const changes = [
      change('cq_items', undefined, 'delete', { kind: 'rows' }),
      change('cq_items', 'name', 'update', { kind: 'longer', limit: 2 })
    ]
    const { changes: counted, note } = await countStakes(target, changes, new Map(), { budgetMs: 5_000, maxQueries: 1 })
    expect(note).toEqual({ queries: 1, stopped: 'after 1 queries, the most one plan sends' })
    expect(counted.map((item) => item.stakes?.[0])).toEqual([
      { question: { kind: 'rows' }, count: 12 },
      { question: { kind: 'longer', limit: 2 }, unknown: 'not counted: counting stopped' }
    ])
    expect(target.asked).toHaveLength(1)
  })

  it('never waits past its time budget, and never fails the plan', async () => {
    const target = capturedTarget(queries, { stall: true })
    const started = Date.now()
    const changes = [
      change('cq_items', undefined, 'delete', { kind: 'rows' }),
      change('cq_items', 'name', 'update', { kind: 'longer', limit: 2 })
    ]
    const { changes: counted, note } = await countStakes(target, changes, new Map(), { budgetMs: 100 })
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(counted.map((item) => item.stakes?.[0]?.unknown)).toEqual(['timed out', 'not counted: counting stopped'])
    expect(note.stopped).toMatch(/the time counting may take/)
  })
})

describe('planCounts', () => {
  it('puts one collection’s plain counts in one query, with the primary key for its rows', () => {
    const { queries } = planCounts(
      [
        change('a', undefined, 'delete', { kind: 'rows' }),
        change('a', 'x', 'update', { kind: 'nulls' }, { kind: 'duplicates' }),
        change('a', 'y', 'delete', { kind: 'values' })
      ],
      new Map([['a', 'id']])
    )
    expect(queries.map((query) => query.query)).toEqual([{ collection: 'a', count: ['x', 'y'], countDistinct: ['x', 'id'] }])
    expect(queries[0]!.reads.map(({ ref, read }) => [ref, read({ count: { x: 7, y: 5 }, countDistinct: { x: 4, id: 10 } })])).toEqual([
      [{ change: 0, stake: 0 }, 10],
      [{ change: 1, stake: 0 }, 3],
      [{ change: 1, stake: 1 }, 3],
      [{ change: 2, stake: 0 }, 5]
    ])
  })
})
