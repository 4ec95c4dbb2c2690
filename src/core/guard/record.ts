import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'
import { createGzip, gunzipSync, type Gzip } from 'node:zlib'
import type { Auth } from '../../directus/client.js'
import type { SchemaDiff } from '../../directus/types.js'
import { canonicalJson, canonicalJsonPieces } from '../json.js'
import { diffDigest } from '../plan/digest.js'
import type { ChangesPlan } from '../planner.js'

/**
 * The machine-readable record of a reviewed plan, hidden in the plan comment.
 *
 * Authenticity: the record is signed with HMAC-SHA256 under a key derived
 * (HKDF-SHA256) from the target's credential and the target's URL. Whoever can
 * edit comments but lacks the target credential can neither forge nor alter a
 * record; binding to repository and pull request number stops a valid record
 * from being copied to another pull request.
 */
export interface PlanRecord {
  v: 1
  repository: string
  pullRequest: number
  headSha: string
  targetName: string
  targetUrl: string
  /** Directus' hash of the target schema the plan was made against. */
  hash: string
  digest: string
  destructive: boolean
  base: { version?: string; vendor?: string }
  target: { version?: string; vendor?: string }
  /** gzip + base64url of the canonical reviewed diff, when it fits the comment. */
  diff?: string
  /** Set by the action's own apply: the target hash right after it (residue included), empty when nothing differed. */
  appliedHash?: string
  appliedAt?: string
}

const RECORD_PREFIX = 'v1'
const HKDF_SALT = 'directus-schema-action/plan-record/v1'

export class RecordError extends Error {
  override name = 'RecordError'
}

export function recordKey(auth: Auth, targetUrl: string): Buffer {
  const material = auth.kind === 'token' ? `token\0${auth.token}` : `password\0${auth.email}\0${auth.password}`
  return Buffer.from(hkdfSync('sha256', material, HKDF_SALT, targetUrl, 32))
}

export function sealRecord(record: PlanRecord, key: Buffer): string {
  const payload = Buffer.from(canonicalJson(record)).toString('base64url')
  return `${RECORD_PREFIX}.${payload}.${sign(payload, key)}`
}

/** Throws RecordError when the text is not a record sealed with this key. */
export function openRecord(sealed: string, key: Buffer): PlanRecord {
  const [prefix, payload, signature, ...rest] = sealed.split('.')
  if (prefix !== RECORD_PREFIX || !payload || !signature || rest.length > 0) {
    throw new RecordError('the plan record is malformed')
  }
  const expected = Buffer.from(sign(payload, key))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new RecordError('the plan record signature does not verify (edited, forged, or signed with another target credential)')
  }
  let record: PlanRecord
  try {
    record = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as PlanRecord
  } catch {
    throw new RecordError('the plan record payload is not valid JSON')
  }
  if (record.v !== 1) throw new RecordError(`the plan record has unknown version ${String(record.v)}`)
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
  targetName: string
  targetUrl: string
}

/**
 * The sealed records for a plan, most complete first: with the reviewed diff
 * packed in (when it fits in `maxChars`), then without it. The comment takes
 * the first that fits beside the report.
 */
export async function sealedRecords(plan: ChangesPlan, binding: RecordBinding, key: Buffer, maxChars: number): Promise<string[]> {
  const record: PlanRecord = {
    v: 1,
    ...binding,
    hash: plan.hash,
    digest: plan.digest,
    destructive: plan.destructive,
    base: plan.base,
    target: plan.target
  }
  const packed = await packDiffWithin(plan.diff, maxChars)
  return [...(packed ? [sealRecord({ ...record, diff: packed }, key)] : []), sealRecord(record, key)]
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
