/**
 * The configuration part of the plan record (issue #11), and the checks apply
 * makes with it before it writes. Pure: apply reads the target and re-plans,
 * then asks these functions what it may do.
 *
 * The record is public to anyone who reads the pull request, so it never
 * holds a secret in clear: secret values in the carried batches are replaced
 * by a keyed hash (`secretHash`, keyed like the record's signature), which a
 * reader cannot test guesses against.
 */
import { createHmac } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { DiffMode } from '../../directus/schema.js'
import type {
  ConfigBatch,
  ConfigCollection,
  ConfigItem,
  ConfigOperation,
  ConfigPart,
  ConfigPlan,
  CreateOperation,
  UpdateOperation
} from '../config/model.js'
import { formatPath, hashSecrets, parsePath, secretLeaves, valueAt, withValueAt, type ValuePath } from '../config/secrets.js'
import { ACTION_ADVICE, type Advice } from '../advice.js'
import { ApplyFailure } from '../errors.js'
import { canonicalJson, isPlainObject } from '../json.js'

/** What the record seals of a configuration plan. */
export interface ConfigRecord {
  parts: readonly ConfigPart[]
  mode: DiffMode
  /** The plan's digest: its canonical operations, secrets as keyed hashes. */
  digest: string
  /** [0] the target before any batch, [i] after batch i (ConfigPlan.fingerprints). */
  fingerprints: readonly string[]
  /** Deletes a policy, role or flow. */
  destructive: boolean
  /** The fields the fingerprints cover, per collection (ConfigPlan.compared). */
  compared?: Partial<Record<ConfigCollection, readonly string[]>>
  /**
   * gzip + base64url of the batches, each secret replaced by its keyed hash: what a re-run after a part-way
   * failure applies of what is left. Absent when it does not fit the comment.
   */
  batches?: string
}

/** The keyed hash of a secret value: HMAC-SHA256 under the record key, so nobody without it can test a guess. */
export function secretHasher(key: Buffer): (value: unknown) => string {
  return (value) =>
    `hmac:${createHmac('sha256', key)
      .update(`config-secret\0${canonicalJson(value)}`)
      .digest('base64url')}`
}

/** The record of a configuration plan, without its batches (see packConfigBatches). */
export function configRecordOf(plan: ConfigPlan): ConfigRecord {
  return {
    parts: plan.parts,
    mode: plan.mode,
    digest: plan.digest,
    fingerprints: plan.fingerprints,
    destructive: plan.destructive,
    ...(plan.compared ? { compared: plan.compared } : {})
  }
}

/**
 * The batches as the record carries them, gzipped: each secret replaced by its keyed hash as the digest seals
 * it (hashSecrets), and without `before`, the target's record as read, which may hold the target's secrets.
 */
export function packConfigBatches(plan: ConfigPlan, secretHash: (value: unknown) => string): string {
  const sealed = plan.batches.map((batch) => ({
    ...batch,
    operations: batch.operations.map((operation) => sealSecrets(operation, secretHash))
  }))
  return gzipSync(Buffer.from(canonicalJson(sealed)), { level: 9 }).toString('base64url')
}

/** The carried batches, secrets still sealed; undefined when the record carries none or they cannot be read. */
export function unpackConfigBatches(record: ConfigRecord): ConfigBatch[] | undefined {
  if (!record.batches) return undefined
  try {
    const batches = JSON.parse(gunzipSync(Buffer.from(record.batches, 'base64url')).toString('utf8')) as unknown
    return Array.isArray(batches) ? (batches as ConfigBatch[]) : undefined
  } catch {
    return undefined
  }
}

/** The secret paths of an operation's values, once each: secret by their keys, or marked secret by the planner. */
function secretPaths(operation: CreateOperation | UpdateOperation): ValuePath[] {
  const marked = operation.changes.flatMap((change) => {
    const path = change.secret ? parsePath(change.path) : undefined
    return path ? [path] : []
  })
  const byText = new Map([...secretLeaves(operation.collection, [], operation.values), ...marked].map((path) => [formatPath(path), path]))
  byText.delete('')
  return [...byText.values()]
}

function sealSecrets(operation: ConfigOperation, secretHash: (value: unknown) => string): ConfigOperation {
  const { before: _before, ...carried } = operation
  if (carried.kind !== 'create' && carried.kind !== 'update') return carried
  // hashSecrets finds the secret leaves itself: only the planner's own marks are added, so no secret is hashed twice.
  const leaves = new Set(secretLeaves(carried.collection, [], carried.values).map(formatPath))
  const marked = secretPaths(carried).filter((path) => !leaves.has(formatPath(path)))
  return { ...carried, values: hashSecrets(carried.collection, carried.values, marked, secretHash) }
}

/**
 * The carried operations with their secrets filled in from the operations of
 * a fresh plan (whose values come from the base, the overrides and the
 * environment as they are now), each checked against its sealed hash. A
 * secret that is not found there, or no longer has the reviewed value, makes
 * the reviewed operation impossible to apply as reviewed: what is missing.
 */
export function fillSecrets(
  sealed: readonly ConfigBatch[],
  fresh: readonly ConfigOperation[],
  secretHash: (value: unknown) => string
): { batches: ConfigBatch[] } | { missing: string } {
  const freshByIdentity = new Map(fresh.map((operation) => [identityOf(operation), operation]))
  const batches: ConfigBatch[] = []
  for (const batch of sealed) {
    const operations: ConfigOperation[] = []
    for (const operation of batch.operations) {
      if (operation.kind !== 'create' && operation.kind !== 'update') {
        operations.push(operation)
        continue
      }
      const candidate = freshByIdentity.get(identityOf(operation))
      let values: unknown = operation.values
      if (candidate && (candidate.kind === 'create' || candidate.kind === 'update')) {
        for (const path of secretPaths(candidate)) {
          const secret = valueAt(candidate.values, path)
          if (secret !== undefined && valueAt(values, path) === sealedForm(secretHash(secret))) values = withValueAt(values, path, secret)
        }
      }
      const left = sealedLeaf(values, [])
      if (left) return { missing: `the secret ${formatPath(left)} of ${operation.label}` }
      operations.push({ ...operation, values: values as ConfigItem })
    }
    batches.push({ ...batch, operations })
  }
  return { batches }
}

/** How hashSecrets writes a sealed secret. */
function sealedForm(hash: string): string {
  return `secret:${hash}`
}

/** The path of a value still sealed, if any. */
function sealedLeaf(value: unknown, path: ValuePath): ValuePath | undefined {
  if (typeof value === 'string') return value.startsWith(sealedForm('hmac:')) ? path : undefined
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? [...value.entries()]
    : isPlainObject(value)
      ? Object.entries(value)
      : []
  for (const [key, item] of entries) {
    const found = sealedLeaf(item, [...path, key])
    if (found) return found
  }
  return undefined
}

function identityOf(operation: ConfigOperation): string {
  return `${operation.kind}\0${operation.collection}\0${operation.key ?? operation.label}`
}

/** Where apply starts, after the checks of checkConfigReviewed. */
export type ConfigStart =
  /** Every batch is on the target already: this plan was applied (a re-run after success). */
  | { kind: 'applied' }
  /** Apply batches from `from` (0 = all; i > 0 = batches 1..i were applied by an earlier run that failed part-way). */
  | { kind: 'apply'; from: number }

/**
 * The first check of apply: the target's records the plan relies on are as
 * they were at plan time ([0]), or as an earlier run of this plan left them
 * after batch i. Anything else changed them: `target-changed`.
 */
export function configStart(record: Pick<ConfigRecord, 'fingerprints'>, fingerprint: string, advice: Advice = ACTION_ADVICE): ConfigStart {
  const index = record.fingerprints.indexOf(fingerprint)
  if (index < 0) {
    throw new ApplyFailure(
      'target-changed',
      'The configuration on the target changed since the plan was reviewed: a record the plan touches or relies on, or the set of records, ' +
        `is neither as reviewed nor as a part-way apply of this plan left it. Nothing was applied. ${advice.replan}`
    )
  }
  return index === record.fingerprints.length - 1 && index > 0 ? { kind: 'applied' } : { kind: 'apply', from: index }
}

/** The reviewed plan was made for these parts and this mode; apply runs with the same, or refuses. */
export function checkConfigScope(record: Pick<ConfigRecord, 'parts' | 'mode'>, parts: readonly ConfigPart[], mode: DiffMode): void {
  if (canonicalJson(record.parts) !== canonicalJson(parts) || record.mode !== mode) {
    throw new ApplyFailure(
      'plan-changed',
      `The configuration plan was reviewed for promote: ${record.parts.join(', ')} in ${record.mode} mode, but apply runs with ` +
        `${parts.join(', ') || 'no configuration part'} in ${mode} mode. Nothing was applied. Give the apply job the plan job's 'promote' and 'diff-mode'.`
    )
  }
}

/** The digest of a fresh plan from the base must be the reviewed one when nothing was applied yet: else the base moved. */
export function checkConfigDigest(
  record: Pick<ConfigRecord, 'digest'>,
  current: Pick<ConfigPlan, 'digest'>,
  advice: Advice = ACTION_ADVICE
): void {
  if (current.digest !== record.digest) throw configPlanChanged(record, current, advice)
}

/** The refusal when the configuration plan now is not the reviewed one. */
export function configPlanChanged(
  record: Pick<ConfigRecord, 'digest'>,
  current: Pick<ConfigPlan, 'digest'>,
  advice: Advice = ACTION_ADVICE
): ApplyFailure {
  return new ApplyFailure(
    'plan-changed',
    `The configuration plan now (digest ${current.digest}) is not the reviewed one (digest ${record.digest}): the configuration of the base or of the target, ` +
      `the overrides file or an environment value it names changed since review. Nothing was applied. ${advice.replan}`
  )
}

/** Apply never removes admin access from the identity it runs as. */
export function checkLockout(plan: Pick<ConfigPlan, 'lockout'>): void {
  if (plan.lockout) {
    throw new ApplyFailure(
      'lockout',
      `The configuration plan would lock this action out of admin access on the target: ${plan.lockout}. Nothing was applied. ` +
        'Keep another admin policy on the identity the action runs as, or make that change by hand.'
    )
  }
}

/** Deleting a policy, role or flow needs allow-destructive, as a destructive schema change does. */
export function checkConfigDestructive(
  plan: Pick<ConfigPlan, 'destructive' | 'batches'>,
  allowDestructive: boolean,
  advice: Advice = ACTION_ADVICE
): void {
  if (!plan.destructive || allowDestructive) return
  const deleted = configDeletesOf(plan).map((operation) => operation.label)
  throw new ApplyFailure(
    'destructive-blocked',
    `The configuration plan deletes ${deleted.join(', ') || 'policies, roles or flows'}. Nothing was applied. Set ${advice.setting('allow-destructive')} to apply it.`
  )
}

const DESTRUCTIVE_COLLECTIONS: readonly string[] = ['policies', 'roles', 'flows']

/** The deletes that make a configuration plan destructive: of a policy, role or flow. */
export function configDeletesOf(plan: Pick<ConfigPlan, 'batches'>): ConfigOperation[] {
  return plan.batches
    .flatMap((batch) => batch.operations)
    .filter((operation) => operation.kind === 'delete' && DESTRUCTIVE_COLLECTIONS.includes(operation.collection))
}

const KIND_SIGNS: Record<ConfigOperation['kind'], string> = { create: '+', update: '~', delete: '-', unlink: '~' }

/** '+2 policies, ~1 flows, -1 permissions' */
export function summarizeOperations(operations: readonly ConfigOperation[]): string {
  if (operations.length === 0) return 'no configuration changes'
  const counts = new Map<string, number>()
  for (const operation of operations) {
    const key = `${KIND_SIGNS[operation.kind]}\0${operation.collection}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([key, count]) => `${key.split('\0')[0]}${count} ${key.split('\0')[1]}`).join(', ')
}

/** At most this many operations are named per list; the rest are counted. */
const NAMES_SHOWN = 10

/** '+1 policies, ~1 flows (create policy "Editors", update flow "Publish")' */
export function listOperations(operations: readonly ConfigOperation[]): string {
  if (operations.length === 0) return 'nothing'
  const names = operations.slice(0, NAMES_SHOWN).map((operation) => `${operation.kind} ${operation.label}`)
  const more = operations.length - names.length
  return `${summarizeOperations(operations)} (${names.join(', ')}${more > 0 ? ` and ${more} more` : ''})`
}
