import { createHash, createHmac, scryptSync, timingSafeEqual } from 'node:crypto'
import { createGzip, gunzipSync, type Gzip } from 'node:zlib'
import type { Auth } from '../../directus/client.js'
import type { SchemaDiff } from '../../directus/types.js'
import { canonicalJson, canonicalJsonPieces } from '../json.js'
import { diffDigest } from '../plan/digest.js'
import type { ChangesPlan } from '../planner.js'
import type { ConfigRecord } from './config-record.js'

/**
 * The machine-readable record of a reviewed plan, hidden in the plan comment.
 *
 * Authenticity: the record is signed with HMAC-SHA256 under a key stretched
 * with scrypt from the `signing-key` (or, without one, from the target's
 * credential), salted with the target's URL. The record is public to anyone
 * who can read the pull request, so the key must resist an offline guess of a
 * weak password. Whoever can edit comments but lacks the key can neither forge
 * nor alter a record; binding to repository, pull request, head commit and base
 * branch stops a valid record from being used anywhere else, and the digest of
 * the visible plan stops the comment's text from being edited under it.
 */
export interface PlanRecord extends RecordBinding {
  v: 2
  /** Version of the key derivation's parameters (KDF_VERSION). */
  kdf: number
  /** GitHub's time (a Date header) just before the comment was written: approvals must come after it. */
  signedAt: string
  /** visiblePlanDigest of the comment's summary and body: what reviewers read. */
  visibleDigest: string
  /**
   * statusDigest of the comment's status block as last written by this action (plan, then each apply): the
   * status is not part of visibleDigest because apply rewrites it, so apply re-seals the record whenever it
   * does. Absent in records of earlier releases.
   */
  statusDigest?: string
  /**
   * Whether the comment showed the whole plan: false when the size limit left out the raw diff or changes.
   * Apply refuses an incomplete plan unless `allow-partial-review`. Absent in records of earlier releases.
   */
  complete?: boolean
  /**
   * Who caused the plan (GitHub logins, lowercase): the sender of the event the plan ran for (for a push to the
   * pull request, its pusher) and whoever re-ran the job. Their approvals do not count. Absent in records of
   * earlier releases.
   */
  plannedBy?: string[]
  /** Directus' hash of the target schema the plan was made against; empty when the plan has no schema change. */
  hash: string
  /** diffDigest of the reviewed schema diff; empty when the plan has no schema change. */
  digest: string
  destructive: boolean
  /** The configuration part (issue #11), when the plan changes configuration. */
  config?: ConfigRecord
  base: { version?: string; vendor?: string }
  target: { version?: string; vendor?: string }
  /** gzip + base64url of the canonical reviewed diff, when it fits the comment. */
  diff?: string
  /** Set by the action's own apply: the target hash right after it (residue included), empty when nothing differed. */
  appliedHash?: string
  appliedAt?: string
}

const RECORD_VERSION = 2
const RECORD_PREFIX = `v${RECORD_VERSION}`

/**
 * scrypt with N = 2^17, r = 8, p = 1 (OWASP's floor for password storage):
 * 128 MiB and a few hundred milliseconds, once per job, against every guess of
 * an attacker who copied the record. Raising these is a new KDF_VERSION.
 */
export const KDF_VERSION = 1
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const
const KDF_SALT = 'directus-schema-action/plan-record/v2'

/** What keys the record: the dedicated `signing-key`, or the target's credential. */
export type KeyMaterial = { kind: 'signing-key'; key: string } | Auth

export class RecordError extends Error {
  override name = 'RecordError'
}

/**
 * What keys the record, and a warning when that is the target's password: a
 * password is often weak, reused and rotated by people who do not know that
 * rotating it invalidates open plans; scrypt slows a guess, it cannot make a
 * weak password strong.
 */
export function keyMaterialOf(signingKey: string | undefined, auth: Auth): { material: KeyMaterial; warning?: string } {
  if (signingKey) return { material: { kind: 'signing-key', key: signingKey } }
  if (auth.kind === 'token') return { material: auth }
  return {
    material: auth,
    warning:
      "The plan record (and the drift baseline) is keyed with the target's password, because neither 'signing-key' nor a target token is given. " +
      "Anyone who can read the pull request can try to guess that password offline from the record. Set 'signing-key' " +
      '(a long random secret in the same environment) to key the record instead; open plans then need a re-run.'
  }
}

/** Stretches the key material; takes a few hundred milliseconds, so derive it once per job. */
export function recordKey(material: KeyMaterial, targetUrl: string): Buffer {
  const secret =
    material.kind === 'signing-key'
      ? `signing-key\0${material.key}`
      : material.kind === 'token'
        ? `token\0${material.token}`
        : `password\0${material.email}\0${material.password}`
  return scryptSync(secret, `${KDF_SALT}\0${targetUrl}`, 32, SCRYPT)
}

/** 'sha256:' and 64 hex digits: the digest of what a reviewer reads in the comment (not its status). */
export function visiblePlanDigest(summary: string, body: string): string {
  return `sha256:${createHash('sha256').update(canonicalJson({ summary, body })).digest('hex')}`
}

/** 'sha256:' and 64 hex digits: the digest of the comment's status block (its state and text). */
export function statusDigest(status: { state: string; text: string }): string {
  return `sha256:${createHash('sha256')
    .update(canonicalJson({ state: status.state, text: status.text }))
    .digest('hex')}`
}

const VISIBLE_DIGEST = /^sha256:[0-9a-f]{64}$/

export function sealRecord(record: PlanRecord, key: Buffer): string {
  const payload = Buffer.from(canonicalJson(record)).toString('base64url')
  return `${RECORD_PREFIX}.${payload}.${sign(payload, key)}`
}

/** Throws RecordError when the text is not a record sealed with this key. */
export function openRecord(sealed: string, key: Buffer): PlanRecord {
  const [prefix, payload, signature, ...rest] = sealed.split('.')
  if (/^v1$/.test(prefix ?? '') && payload && signature && rest.length === 0) {
    throw new RecordError(
      'the plan record was written by an earlier release of this action (record format v1), which apply no longer accepts'
    )
  }
  if (prefix !== RECORD_PREFIX || !payload || !signature || rest.length > 0) {
    throw new RecordError('the plan record is malformed')
  }
  const expected = Buffer.from(sign(payload, key))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new RecordError(
      'the plan record signature does not verify (edited, forged, or signed with another target credential or signing-key)'
    )
  }
  let record: PlanRecord
  try {
    record = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as PlanRecord
  } catch {
    throw new RecordError('the plan record payload is not valid JSON')
  }
  if (record.v !== RECORD_VERSION) throw new RecordError(`the plan record has unknown version ${String(record.v)}`)
  if (record.kdf !== KDF_VERSION) throw new RecordError(`the plan record was keyed with unknown key derivation ${String(record.kdf)}`)
  return record
}

/** Text handed to gzip at a time: large enough to keep it busy, small enough to stop soon after the limit. */
const PACK_BATCH_CHARS = 64 * 1024

/**
 * The diff's canonical JSON, gzipped and base64url-encoded, or undefined when
 * that would pass maxChars. The JSON is made and compressed item by item, and
 * compression stops as soon as the output passes the limit: a diff far too
 * large for a comment is ruled out after as little of it as that takes, and
 * is never held as one string.
 */
export async function packDiffWithin(diff: SchemaDiff, maxChars: number): Promise<string | undefined> {
  const maxBytes = Math.max(1, Math.floor((maxChars * 3) / 4))
  const gzip = createGzip({ level: 9 })
  const output: Buffer[] = []
  let size = 0
  const packed = new Promise<string | undefined>((resolve, reject) => {
    gzip.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) {
        output.push(chunk)
        return
      }
      gzip.destroy()
      resolve(undefined)
    })
    gzip.on('end', () => resolve(Buffer.concat(output).toString('base64url')))
    gzip.on('error', reject)
  })
  let batch = ''
  for (const piece of canonicalJsonPieces(diff)) {
    if (gzip.destroyed) break
    batch += piece
    if (batch.length < PACK_BATCH_CHARS) continue
    const writable = gzip.write(batch)
    batch = ''
    if (!writable) await drained(gzip)
  }
  if (!gzip.destroyed) gzip.end(batch)
  return packed
}

/** Resolves when the stream wants more input, or is gone. */
function drained(stream: Gzip): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}

/** What a plan record is bound to: who may apply it, where. */
export interface RecordBinding {
  repository: string
  pullRequest: number
  headSha: string
  /** The branch the pull request merges into; apply runs only on a push to it. */
  baseRef: string
  targetName: string
  targetUrl: string
}

/** What the comment shows besides its summary and body, sealed with them. */
export interface ShownPlan {
  /** The comment shows the whole plan (not cut to the size limit). */
  complete: boolean
  /** statusDigest of the status block written with it. */
  statusDigest?: string
}

/**
 * Seals the record once the comment's visible text is known. Every digest has
 * the same length, so for one `shown` is every record a sealer makes: the
 * comment is laid out with any digest, then sealed with the digest of what it shows.
 */
export type RecordSealer = (visibleDigest: string, shown?: ShownPlan) => string

/**
 * The sealers for a plan, most complete first: with the reviewed diff packed
 * in (`packed`, from packDiffWithin, when it fits the comment) and the
 * configuration's batches, then without the diff, then without either. The
 * comment takes the first that fits beside the report. The diff is packed
 * once, by the caller, however often the comment is sealed again. A plan that
 * changes only configuration has no schema part (`plan` undefined): its
 * record's hash and digest are empty.
 */
export function recordSealers(
  plan: ChangesPlan | undefined,
  binding: RecordBinding,
  signedAt: string,
  key: Buffer,
  packed: string | undefined,
  plannedBy: readonly string[] = [],
  config?: ConfigRecord
): RecordSealer[] {
  const record: Omit<PlanRecord, 'visibleDigest'> = {
    v: RECORD_VERSION,
    kdf: KDF_VERSION,
    ...binding,
    signedAt,
    ...(plannedBy.length > 0 ? { plannedBy: [...new Set(plannedBy.map((login) => login.toLowerCase()))].sort() } : {}),
    hash: plan?.hash ?? '',
    digest: plan?.digest ?? '',
    destructive: (plan?.destructive ?? false) || (config?.destructive ?? false),
    base: plan?.base ?? {},
    target: plan?.target ?? {}
  }
  const sealer =
    (extra: Pick<PlanRecord, 'diff' | 'config'>): RecordSealer =>
    (visibleDigest, shown) => {
      if (!VISIBLE_DIGEST.test(visibleDigest)) throw new TypeError('a visible digest is sha256: and 64 hex digits')
      if (shown?.statusDigest !== undefined && !VISIBLE_DIGEST.test(shown.statusDigest)) {
        throw new TypeError('a status digest is sha256: and 64 hex digits')
      }
      const seen = shown ? { complete: shown.complete, ...(shown.statusDigest ? { statusDigest: shown.statusDigest } : {}) } : {}
      return sealRecord({ ...record, ...extra, ...seen, visibleDigest }, key)
    }
  const withoutBatches = config ? { config: withoutPackedBatches(config) } : {}
  return [
    ...(packed ? [sealer({ diff: packed, ...(config ? { config } : {}) })] : []),
    ...(config?.batches ? [sealer({ config })] : []),
    sealer(withoutBatches)
  ]
}

function withoutPackedBatches(config: ConfigRecord): ConfigRecord {
  const { batches: _batches, ...rest } = config
  return rest
}

/** The reviewed diff, only if it still has the reviewed digest. */
export function unpackDiff(record: PlanRecord): SchemaDiff | undefined {
  if (!record.diff) return undefined
  const diff = JSON.parse(gunzipSync(Buffer.from(record.diff, 'base64url')).toString('utf8')) as SchemaDiff
  if (diffDigest(diff) !== record.digest) throw new RecordError('the packed diff does not match the recorded digest')
  return diff
}

function sign(payload: string, key: Buffer): string {
  return createHmac('sha256', key).update(payload).digest('base64url')
}
