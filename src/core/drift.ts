/**
 * Drift: does the target still hold the state it should be in? That state is
 * never the live base (a base is legitimately ahead of its target), but:
 *
 * - the baseline the action recorded right after its own last apply (or that
 *   someone accepted), kept signed in the target's drift tracking issue; or
 * - in the GitOps mode (`base-snapshot`), the committed snapshot of the
 *   default branch.
 *
 * Drift is Directus' diff of that reference against the target, once the
 * known residue is taken out (the planner does that, plan/residue.ts), so
 * residue is told apart exactly as a plan tells it. A baseline too large to
 * store leaves only its digest: then drift is seen, but not what it is.
 *
 * Configuration (issue #11) adds its comparison as a second DriftSection
 * next to the schema's, in checkDrift; the report and the issue render every
 * section the same way.
 */
import type { DirectusConnection } from '../directus/client.js'
import { takeSnapshot, type CollectionScope } from '../directus/schema.js'
import { readSnapshotFile, type SnapshotFileLocation } from '../directus/snapshot-file.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { scopeSnapshot } from './base-snapshot.js'
import { assertDiffable } from './compatibility.js'
import { BaselineError, snapshotDigest, unpackSnapshot, type BaselineRecord } from './guard/baseline.js'
import { diffOnTarget, type Plan } from './planner.js'
import type { StepRunner } from './steps.js'

/** What the target is compared with. */
export type DriftReference =
  | { kind: 'baseline'; baseline: BaselineRecord }
  | { kind: 'committed'; file: SnapshotFileLocation; snapshot: SchemaSnapshot; baseline?: BaselineRecord }
  | { kind: 'none'; why: string }

export interface DriftRequest {
  scope?: CollectionScope
  /** Diff a committed snapshot across Directus versions or vendors. A baseline is always diffed with force: it is the target's own. */
  force: boolean
}

/** One compared part of the target. Today the schema; configuration joins it (issue #11). */
export interface DriftSection {
  name: 'schema'
  drifted: boolean
  /** What Directus would change to bring the target back to the reference; absent when only digests could be compared. */
  plan?: Plan
  /** Plain text: what was compared and what that showed. */
  note: string
}

export type DriftFinding =
  { state: 'no-baseline'; summary: string; note: string } | { state: 'clean' | 'drifted'; summary: string; sections: DriftSection[] }

/** The committed snapshot of the GitOps mode, scoped the way plan and apply scope it. */
export async function committedSnapshot(file: SnapshotFileLocation, scope: CollectionScope | undefined): Promise<SchemaSnapshot> {
  const snapshot = await readSnapshotFile(file)
  return scope ? scopeSnapshot(snapshot, scope) : snapshot
}

export async function checkDrift(
  target: DirectusConnection,
  targetVersion: string | undefined,
  reference: DriftReference,
  request: DriftRequest,
  step: StepRunner
): Promise<DriftFinding> {
  if (reference.kind === 'none') return { state: 'no-baseline', summary: 'no baseline yet', note: reference.why }
  const schema =
    reference.kind === 'baseline'
      ? await againstBaseline(target, targetVersion, reference.baseline, request, step)
      : await againstCommitted(target, targetVersion, reference, request, step)
  const sections = [schema]
  const drifted = sections.some((section) => section.drifted)
  return { state: drifted ? 'drifted' : 'clean', summary: drifted ? summaryOf(sections) : 'no drift', sections }
}

async function againstBaseline(
  target: DirectusConnection,
  targetVersion: string | undefined,
  baseline: BaselineRecord,
  request: DriftRequest,
  step: StepRunner
): Promise<DriftSection> {
  let stored: SchemaSnapshot | undefined
  let unusable: string | undefined
  try {
    stored = unpackSnapshot(baseline)
  } catch (error) {
    if (!(error instanceof BaselineError)) throw error
    unusable = error.message
  }
  if (stored) {
    const reference = request.scope ? scopeSnapshot(stored, request.scope) : stored
    const plan = await step('diff', () => diffOnTarget(reference, target, targetVersion, { force: true, mode: 'mirror' }))
    return {
      name: 'schema',
      drifted: plan.kind === 'changes',
      plan,
      note:
        plan.kind === 'changes'
          ? `The target's schema differs from its baseline: ${plan.summary}.`
          : `The target's schema matches its baseline${plan.noise.length > 0 ? ', apart from known residue' : ''}.`
    }
  }
  // Only the digest is known: drift can be seen, not shown.
  const now = await step('snapshot', () => takeSnapshot(target))
  const same = snapshotDigest(now) === baseline.digest
  const why = unusable ? `The stored baseline snapshot is unusable (${unusable}), so` : 'The baseline was too large to store whole, so'
  return {
    name: 'schema',
    drifted: !same,
    note: same
      ? `The target's schema has the baseline's digest (${baseline.digest}).`
      : `${why} only digests can be compared: the target's schema now has ${snapshotDigest(now)}, the baseline ${baseline.digest}. ` +
        'What changed cannot be shown. Inspect the target, then accept its state as the new baseline (accept-baseline: true) or restore it.'
  }
}

async function againstCommitted(
  target: DirectusConnection,
  targetVersion: string | undefined,
  reference: Extract<DriftReference, { kind: 'committed' }>,
  request: DriftRequest,
  step: StepRunner
): Promise<DriftSection> {
  assertDiffable(reference.snapshot, targetVersion, true)
  const plan = await step('diff', () => diffOnTarget(reference.snapshot, target, targetVersion, { force: request.force, mode: 'mirror' }))
  if (plan.kind === 'no-changes') {
    return {
      name: 'schema',
      drifted: false,
      plan,
      note: `The target's schema matches ${reference.file.path}${plan.noise.length > 0 ? ', apart from known residue' : ''}.`
    }
  }
  // What is left may be residue no rule knows: if the target is exactly as the action's apply of this very file left it, it is.
  const baseline = reference.baseline
  if (baseline?.baseDigest !== undefined && baseline.baseDigest === snapshotDigest(reference.snapshot)) {
    const now = await step('snapshot', () => takeSnapshot(target))
    if (snapshotDigest(now) === baseline.digest) {
      return {
        name: 'schema',
        drifted: false,
        plan,
        note:
          `The target is exactly as the action's apply of ${reference.file.path} left it at ${baseline.recordedAt}; ` +
          `what Directus still reports (${plan.summary}) is normalisation residue that comes back after every apply.`
      }
    }
  }
  return { name: 'schema', drifted: true, plan, note: `The target's schema differs from ${reference.file.path}: ${plan.summary}.` }
}

function summaryOf(sections: readonly DriftSection[]): string {
  return sections
    .filter((section) => section.drifted)
    .map((section) => (section.plan?.kind === 'changes' ? `${section.name}: ${section.plan.summary}` : `${section.name}: changed`))
    .join('; ')
}
