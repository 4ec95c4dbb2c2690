/**
 * Apply order and batching (issue #11, "Order"): creates and updates in the
 * order of CONFIG_COLLECTIONS, deletes in the reverse order, one batch per
 * collection and kind (one request: every system endpoint takes an array on
 * POST, PATCH and DELETE, docs/directus-config-facts.md B4).
 *
 * Unique links without ON DELETE (`resolve`, `reject`, `flows.operation`: C3,
 * C4, C5) get their own steps: a link that moves or whose record goes is
 * nulled first (unlink), creates run from the end of a chain so each can set
 * its links (C2), and a flow's first operation is linked once the operation
 * exists.
 */
import {
  CONFIG_COLLECTIONS,
  type ConfigBatch,
  type ConfigCollection,
  type ConfigItem,
  type ConfigOperation,
  type ConfigState,
  type CreateOperation,
  type UnlinkOperation,
  type UpdateOperation
} from './model.js'
import { labelOf, type Key } from './identity.js'

/** Unique link fields, nulled before they move. */
export const UNIQUE_LINKS: Partial<Record<ConfigCollection, readonly string[]>> = {
  flows: ['operation'],
  operations: ['resolve', 'reject']
}

/** References to the same collection: creates are ordered so the referenced record exists first. */
const SELF_LINKS: Partial<Record<ConfigCollection, readonly string[]>> = {
  folders: ['parent'],
  roles: ['parent'],
  operations: ['resolve', 'reject']
}

export function orderBatches(operations: readonly ConfigOperation[], target: ConfigState): ConfigBatch[] {
  const of = (collection: ConfigCollection, kind: ConfigOperation['kind']) =>
    operations.filter((operation) => operation.collection === collection && operation.kind === kind)
  const createdOperations = new Set(of('operations', 'create').map((operation) => operation.key))
  const batches: ConfigBatch[] = []
  const push = (collection: ConfigCollection, kind: ConfigOperation['kind'], list: readonly ConfigOperation[]) => {
    if (list.length > 0) batches.push({ collection, kind, operations: list })
  }
  let flowLinks: UpdateOperation[] = []
  for (const collection of CONFIG_COLLECTIONS) {
    let creates = of(collection, 'create') as CreateOperation[]
    let updates = of(collection, 'update') as UpdateOperation[]
    push(collection, 'unlink', unlinks(collection, operations, target))
    if (collection === 'flows') {
      // flows.operation is a unique index without a foreign key (C4); it is set once the operation exists.
      ;({ creates, updates, links: flowLinks } = deferFlowLinks(creates, updates, createdOperations))
    }
    const ordered = chainOrder(collection, creates)
    push(collection, 'create', ordered.creates)
    push(collection, 'update', [...updates, ...ordered.links])
    if (collection === 'operations') push('flows', 'update', flowLinks)
  }
  for (const collection of [...CONFIG_COLLECTIONS].reverse()) push(collection, 'delete', of(collection, 'delete'))
  return batches
}

/**
 * The target's links to null first: of records that go, of records whose link
 * changes, and of records another record's new link would collide with.
 */
function unlinks(collection: ConfigCollection, operations: readonly ConfigOperation[], target: ConfigState): UnlinkOperation[] {
  const fields = UNIQUE_LINKS[collection]
  if (!fields) return []
  const mine = operations.filter((operation) => operation.collection === collection)
  const deleted = new Set(mine.filter((operation) => operation.kind === 'delete').map((operation) => operation.key))
  const updated = new Map(mine.flatMap((operation) => (operation.kind === 'update' ? [[operation.key, operation.values] as const] : [])))
  const claimed = new Map<string, Set<unknown>>(fields.map((field) => [field, new Set()]))
  for (const operation of mine) {
    if (operation.kind !== 'create' && operation.kind !== 'update') continue
    for (const field of fields)
      if (operation.values[field] !== undefined && operation.values[field] !== null) claimed.get(field)?.add(operation.values[field])
  }
  const result: UnlinkOperation[] = []
  for (const item of target.items[collection] ?? []) {
    const key = item['id'] as Key
    // Deleting a flow nulls its operations' links itself (C7); a flow's own `operation` goes with the row.
    if (deleted.has(key) && collection === 'flows') continue
    const values = updated.get(key)
    const nulled = fields.filter((field) => {
      const current = item[field]
      if (current === null || current === undefined) return false
      if (deleted.has(key)) return true
      if (values && field in values) return values[field] !== current
      return claimed.get(field)?.has(current) === true
    })
    if (nulled.length > 0)
      result.push({ collection, kind: 'unlink', key, fields: nulled, label: labelOf(collection, item, target), before: item })
  }
  return result
}

function deferFlowLinks(creates: CreateOperation[], updates: UpdateOperation[], createdOperations: ReadonlySet<unknown>) {
  const links: UpdateOperation[] = []
  const link = (operation: CreateOperation | UpdateOperation, first: unknown): UpdateOperation => ({
    collection: 'flows',
    kind: 'update',
    key: operation.key as Key,
    matchedBy: operation.kind === 'update' ? operation.matchedBy : 'key',
    label: operation.label,
    values: { operation: first },
    changes: [
      {
        path: 'operation',
        ...(operation.kind === 'update' ? { before: operation.before?.['operation'] ?? null } : { before: null }),
        after: first
      }
    ]
  })
  const laterCreates = creates.map((operation) => {
    const first = operation.values['operation']
    if (!createdOperations.has(first)) return operation
    links.push(link(operation, first))
    return { ...operation, values: { ...operation.values, operation: null } }
  })
  const laterUpdates = updates.flatMap((operation) => {
    const first = operation.values['operation']
    if (!createdOperations.has(first)) return [operation]
    links.push(link(operation, first))
    const { operation: _moved, ...rest } = operation.values
    const changes = operation.changes.filter((change) => change.path !== 'operation')
    return Object.keys(rest).length === 0 ? [] : [{ ...operation, values: rest, changes }]
  })
  return { creates: laterCreates, updates: laterUpdates, links }
}

/**
 * Creates whose self-links point at other creates, the referenced first (the
 * end of an operation chain, a parent role or folder). A cycle, which Directus'
 * editor cannot make but the API accepts, is broken by linking afterwards.
 */
function chainOrder(
  collection: ConfigCollection,
  creates: readonly CreateOperation[]
): { creates: CreateOperation[]; links: UpdateOperation[] } {
  const fields = SELF_LINKS[collection]
  if (!fields || creates.length < 2) return { creates: [...creates], links: [] }
  const byKey = new Map(creates.map((operation) => [operation.key, operation]))
  const state = new Map<unknown, 'visiting' | 'done'>()
  const ordered: CreateOperation[] = []
  const links: UpdateOperation[] = []
  const visit = (operation: CreateOperation) => {
    state.set(operation.key, 'visiting')
    let values: ConfigItem = operation.values
    for (const field of fields) {
      const next = byKey.get(values[field] as Key)
      if (!next) continue
      if (state.get(next.key) === 'visiting') {
        values = { ...values, [field]: null }
        links.push({
          collection,
          kind: 'update',
          key: operation.key as Key,
          matchedBy: 'key',
          label: operation.label,
          values: { [field]: next.key },
          changes: [{ path: field, before: null, after: next.key }]
        })
      } else if (!state.has(next.key)) {
        visit(next)
      }
    }
    state.set(operation.key, 'done')
    ordered.push(values === operation.values ? operation : { ...operation, values })
  }
  for (const operation of creates) if (!state.has(operation.key)) visit(operation)
  return { creates: ordered, links }
}
