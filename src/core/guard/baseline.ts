/**
 * The drift baseline: the state a target should be in, recorded by the
 * action right after its own apply (or when someone accepts the target's
 * current state), hidden in the target's drift tracking issue.
 *
 * It is sealed like the plan record (record.ts): HMAC-SHA256 under the key
 * derived from the target's credential and URL, so whoever can edit the issue
 * but lacks that credential can neither forge a baseline nor alter one, and
 * bound to the repository and the target. The signature covers a domain tag,
 * so a plan record can never pass for a baseline or the other way round.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { SchemaSnapshot } from '../../directus/types.js'
import { canonicalJson, compareStrings } from '../json.js'

export interface BaselineRecord {
  v: 1
  repository: string
  targetName: string
  targetUrl: string
  /** snapshotDigest of the target's own snapshot at that moment. */
  digest: string
  recordedAt: string
  /** `apply`: right after the action's own apply; `accepted`: someone accepted the target as it was (`accept-baseline`). */
  source: 'apply' | 'accepted'
  pullRequest?: number
  commit?: string
  runUrl?: string
  /** The target's Directus version and database vendor then. */
  directus?: string
  vendor?: string
  /** Counts of the snapshot, for the report when the snapshot itself is not stored. */
  counts: { collections: number; fields: number; relations: number }
  /** gzip + base64url of the canonical snapshot, when it fits; without it only the digest can be compared. */
  snapshot?: string
  /** GitOps: snapshotDigest of the committed snapshot that apply applied (`base-snapshot`). */
  baseDigest?: string
}

/** What a baseline is bound to: who may use it, for which target. */
export interface BaselineBinding {
  repository: string
  targetName: string
  targetUrl: string
}

const PREFIX = 'b1'
/** Signed with the payload, so a sealed plan record (another prefix, another domain) never verifies as a baseline. */
const DOMAIN = 'directus-schema-action/drift-baseline/v1\0'

export class BaselineError extends Error {
  override name = 'BaselineError'
}

/**
 * The fingerprint of a schema snapshot, independent of list order (which
 * follows Directus' internal ids) and of the Directus version that wrote it.
 */
export function snapshotDigest(snapshot: SchemaSnapshot): string {
  const lists = ['collections', 'fields', 'relations', 'systemFields'] as const
  const canonical = `{${lists
    .map((key) => `"${key}":[${sortedItems((snapshot[key] as readonly unknown[] | undefined) ?? []).join(',')}]`)
    .join(',')}}`
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`
}

function sortedItems(items: readonly unknown[]): string[] {
  const identity = (item: unknown): string => {
    const { collection, field } = (item ?? {}) as { collection?: unknown; field?: unknown }
    return `${typeof collection === 'string' ? collection : ''}\u0000${typeof field === 'string' ? field : ''}`
  }
  return items
    .map((item) => ({ key: identity(item), json: canonicalJson(item) }))
    .sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.json, b.json))
    .map(({ json }) => json)
}

/** The packed snapshot, or undefined once it would pass maxChars. */
export function packSnapshotWithin(snapshot: SchemaSnapshot, maxChars: number): string | undefined {
  try {
    const maxOutputLength = Math.max(1, Math.floor((maxChars * 3) / 4))
    return gzipSync(canonicalJson(snapshot), { level: 9, maxOutputLength }).toString('base64url')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined
    throw error
  }
}

/** The stored snapshot, only if it still has the recorded digest. */
export function unpackSnapshot(record: BaselineRecord): SchemaSnapshot | undefined {
  if (!record.snapshot) return undefined
  let snapshot: SchemaSnapshot
  try {
    snapshot = JSON.parse(gunzipSync(Buffer.from(record.snapshot, 'base64url')).toString('utf8')) as SchemaSnapshot
  } catch {
    throw new BaselineError('the stored baseline snapshot cannot be unpacked')
  }
  if (snapshotDigest(snapshot) !== record.digest) throw new BaselineError('the stored baseline snapshot does not match its digest')
  return snapshot
}

export function sealBaseline(record: BaselineRecord, key: Buffer): string {
  const payload = Buffer.from(canonicalJson(record)).toString('base64url')
  return `${PREFIX}.${payload}.${sign(payload, key)}`
}

/** Throws BaselineError unless the text is a baseline sealed with this key for this binding. */
export function openBaseline(sealed: string, key: Buffer, expected: BaselineBinding): BaselineRecord {
  const [prefix, payload, signature, ...rest] = sealed.split('.')
  if (prefix !== PREFIX || !payload || !signature || rest.length > 0) throw new BaselineError('the baseline record is malformed')
  const wanted = Buffer.from(sign(payload, key))
  const given = Buffer.from(signature)
  if (wanted.length !== given.length || !timingSafeEqual(wanted, given)) {
    throw new BaselineError('the baseline signature does not verify (edited, forged, or signed with another target credential)')
  }
  let record: BaselineRecord
  try {
    record = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as BaselineRecord
  } catch {
    throw new BaselineError('the baseline payload is not valid JSON')
  }
  if (record.v !== 1) throw new BaselineError(`the baseline has unknown version ${String(record.v)}`)
  const mismatch =
    record.repository !== expected.repository
      ? `it was recorded for ${record.repository}`
      : record.targetName !== expected.targetName || record.targetUrl !== expected.targetUrl
        ? `it was recorded for target ${record.targetName} (${record.targetUrl})`
        : undefined
  if (mismatch) throw new BaselineError(`the baseline does not belong here: ${mismatch}`)
  return record
}

/** Most complete first: with the snapshot packed in when it fits in `maxChars`, else the digest alone. */
export function baselineOf(
  snapshot: SchemaSnapshot,
  facts: Omit<BaselineRecord, 'v' | 'digest' | 'counts' | 'snapshot' | 'directus' | 'vendor'>,
  maxChars: number
): BaselineRecord {
  const packed = packSnapshotWithin(snapshot, maxChars)
  return {
    v: 1,
    ...facts,
    digest: snapshotDigest(snapshot),
    directus: snapshot.directus,
    ...(snapshot.vendor ? { vendor: snapshot.vendor } : {}),
    counts: { collections: snapshot.collections.length, fields: snapshot.fields.length, relations: snapshot.relations.length },
    ...(packed ? { snapshot: packed } : {})
  }
}

function sign(payload: string, key: Buffer): string {
  return createHmac('sha256', key).update(DOMAIN).update(payload).digest('base64url')
}
