/**
 * Applies configuration batches in order, one request each (every system
 * endpoint takes an array: docs/directus-config-facts.md B4; Directus runs a
 * batch in one transaction, B3), and stops at the first failure. Nothing is
 * retried: writes are not idempotent and the transport sends them once. What
 * was done, what failed and what is left is returned, so the report can say
 * exactly that and a re-run can continue.
 */
import type { ConfigBatch, ConfigOperation } from '../../core/config/model.js'
import { DirectusError, toDirectusError, type DirectusConnection, type RequestSpec } from '../client.js'
import { CONFIG_ENDPOINTS } from './read.js'

export interface ConfigApplyResult {
  done: ConfigBatch[]
  failed?: { batch: ConfigBatch; error: DirectusError }
  pending: ConfigBatch[]
}

export interface ApplyHooks {
  /** Before each batch, e.g. re-reading the target to check its fingerprint. Throwing stops apply there: batches before `index` are done, none after. */
  beforeBatch?: (batch: ConfigBatch, index: number) => Promise<void>
  afterBatch?: (batch: ConfigBatch, index: number) => void
  /** One line per request sent (method, path, how many records): never the body, which can hold secrets. */
  debug?: (line: string) => void
}

export async function applyBatches(
  connection: DirectusConnection,
  batches: readonly ConfigBatch[],
  hooks: ApplyHooks = {}
): Promise<ConfigApplyResult> {
  const done: ConfigBatch[] = []
  for (const [index, batch] of batches.entries()) {
    await hooks.beforeBatch?.(batch, index)
    const spec = requestFor(batch)
    hooks.debug?.(`${spec.method} ${spec.path}: ${batch.kind} ${batch.operations.length} ${batch.collection} record(s)`)
    try {
      await connection.send<unknown>(spec)
    } catch (error) {
      const failure =
        error instanceof DirectusError ? error : toDirectusError(error, connection.side, connection.host, `${spec.method} ${spec.path}`)
      return { done, failed: { batch, error: failure }, pending: batches.slice(index + 1) }
    }
    done.push(batch)
    hooks.afterBatch?.(batch, index)
  }
  return { done, pending: [] }
}

/** The one request of a batch. */
export function requestFor(batch: ConfigBatch): RequestSpec {
  const path = CONFIG_ENDPOINTS[batch.collection]
  const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })
  if (batch.collection === 'settings') {
    // A singleton: no batch form (facts E); a settings plan has one update.
    const [only] = batch.operations
    if (batch.operations.length !== 1 || only?.kind !== 'update')
      throw new Error(`a settings batch is one update, not ${batch.operations.length} ${batch.kind}`)
    return { method: 'PATCH', path, ...json(only.values) }
  }
  switch (batch.kind) {
    case 'create':
      return { method: 'POST', path, ...json(batch.operations.map((operation) => valuesOf(operation))) }
    case 'update':
      return { method: 'PATCH', path, ...json(batch.operations.map((operation) => ({ ...valuesOf(operation), id: operation.key }))) }
    case 'unlink':
      return {
        method: 'PATCH',
        path,
        ...json(
          batch.operations.map((operation) => ({
            ...Object.fromEntries(fieldsOf(operation).map((field) => [field, null])),
            id: operation.key
          }))
        )
      }
    case 'delete':
      // An array body (deleteMany): `{}` or no body answers 500 on some endpoints (B6).
      return { method: 'DELETE', path, ...json(batch.operations.map((operation) => operation.key)) }
  }
}

function valuesOf(operation: ConfigOperation): Readonly<Record<string, unknown>> {
  return operation.kind === 'create' || operation.kind === 'update' ? operation.values : {}
}

function fieldsOf(operation: ConfigOperation): readonly string[] {
  return operation.kind === 'unlink' ? operation.fields : []
}
