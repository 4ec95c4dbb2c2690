/**
 * What the record seals of a configuration plan (issue #11, "The seal and the
 * apply"): the digest of the canonical operations, and fingerprints of the
 * target: [0] as planned, [i] as it will be after batch i, simulated over the
 * compared fields. Apply re-reads the target before each batch; a state that
 * matches [i] means batches 1..i are done (a re-run after a part-way failure
 * continues from there), anything else is `target-changed`.
 *
 * Secrets go into both only as keyed hashes (`secretHash`, keyed by the record
 * key): the record is public to whoever reads the pull request, and a plain
 * hash would let a reader test guesses.
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../json.js'
import { fieldsOn, INTEGER_KEYED, plannedCollections } from './fields.js'
import { CONFIG_COLLECTIONS, type ConfigBatch, type ConfigItem, type ConfigPlan, type ConfigState } from './model.js'
import { hashSecrets, parsePath, type ValuePath } from './secrets.js'

export type SecretHash = (value: unknown) => string

/** sha256 over the batches in order: what is sent, secrets as keyed hashes (labels, changes and `before` are for people). */
export function configDigest(batches: readonly ConfigBatch[], secretHash: SecretHash): string {
  const canonical = batches.map((batch) => ({
    collection: batch.collection,
    kind: batch.kind,
    operations: batch.operations.map((operation) => ({
      key: operation.key ?? null,
      ...(operation.kind === 'create' || operation.kind === 'update'
        ? { values: hashSecrets(operation.collection, operation.values, secretPathsOf(operation.changes), secretHash) }
        : {}),
      ...(operation.kind === 'unlink' ? { fields: operation.fields } : {})
    }))
  }))
  return `sha256:${createHash('sha256').update(canonicalJson(canonical)).digest('hex')}`
}

function secretPathsOf(changes: readonly { path: string; secret?: string }[]): ValuePath[] {
  return changes.flatMap((change) => {
    const path = change.secret ? parsePath(change.path) : undefined
    return path ? [path] : []
  })
}

/** The fingerprint of the target as it is: compare it with plan.fingerprints. */
export function fingerprintOf(state: ConfigState, plan: Pick<ConfigPlan, 'parts' | 'compared'>, secretHash: SecretHash): string {
  const compared =
    plan.compared ??
    Object.fromEntries(plannedCollections(plan.parts).map((collection) => [collection, fieldsOn(collection, state.version)]))
  const hash = createHash('sha256')
  for (const collection of CONFIG_COLLECTIONS) {
    const fields = compared[collection]
    if (!fields) continue
    // Integer keys are the target's own and unknown before a create: those records count by content.
    const covered = INTEGER_KEYED.has(collection)
      ? fields.filter((field) => field !== 'id')
      : ['id', ...fields.filter((field) => field !== 'id')]
    const records = (state.items[collection] ?? [])
      .map((item) => canonicalJson(hashSecrets(collection, pick(item, covered), [], secretHash)))
      .sort()
    hash.update(canonicalJson([collection, records]))
  }
  return `sha256:${hash.digest('hex')}`
}

/** [0]: the target as read; [i]: after batch i. */
export function planFingerprints(
  target: ConfigState,
  plan: Pick<ConfigPlan, 'parts' | 'compared' | 'batches'>,
  secretHash: SecretHash
): string[] {
  const fingerprints = [fingerprintOf(target, plan, secretHash)]
  let state = target
  for (const batch of plan.batches) {
    state = simulateBatch(state, batch)
    fingerprints.push(fingerprintOf(state, plan, secretHash))
  }
  return fingerprints
}

/** The target after one batch, as Directus will store it (facts B, C: no cascade the plan does not spell out). */
export function simulateBatch(state: ConfigState, batch: ConfigBatch): ConfigState {
  let items: ConfigItem[] = [...(state.items[batch.collection] ?? [])]
  const find = (key: unknown) => (batch.collection === 'settings' ? 0 : items.findIndex((item) => item['id'] === key))
  for (const operation of batch.operations) {
    if (operation.kind === 'create') {
      items.push(operation.values)
      continue
    }
    if (operation.kind === 'delete') {
      items = items.filter((item) => item['id'] !== operation.key)
      continue
    }
    const index = find(operation.key)
    const current = items[index]
    if (index < 0 || !current) continue
    const values = operation.kind === 'update' ? operation.values : Object.fromEntries(operation.fields.map((field) => [field, null]))
    items[index] = { ...current, ...values }
  }
  return { ...state, items: { ...state.items, [batch.collection]: items } }
}

/** Applies every batch: the target as the plan leaves it. */
export function simulatePlan(state: ConfigState, batches: readonly ConfigBatch[]): ConfigState {
  return batches.reduce(simulateBatch, state)
}

function pick(item: ConfigItem, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, item[field] ?? null]))
}
