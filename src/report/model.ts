/**
 * The report model: everything a renderer (the pull-request comment and job
 * summary in Markdown, the terminal report, the JSON plan) is given about a
 * plan, and the groupings they share. Renderers only format and escape; what
 * is shown is decided here and in the change model (core/plan/changes.ts).
 */
import type { SchemaDiff } from '../directus/types.js'
import type { CollectionScope, DiffMode } from '../directus/schema.js'
import type { Change } from '../core/plan/changes.js'
import type { ResidueGroup } from '../core/plan/residue.js'
import type { Plan, ServerFacts } from '../core/planner.js'

/** One side as the report shows it: version and vendor from the plan, and where it is. */
export interface SideFacts extends ServerFacts {
  /** The instance's origin, or the committed snapshot's path. */
  url?: string
}

export interface ReportInput {
  /** A plan to review (default), or drift: what would bring the target back to its baseline. */
  purpose?: 'plan' | 'drift'
  targetName: string
  hash: string | null
  diff: SchemaDiff | null
  changes: Change[]
  base: SideFacts
  target: SideFacts
  /** Plain text; escaped by each renderer. */
  warnings: string[]
  /** Known vendor residue left out of the diff (core/plan/residue.ts). */
  residue?: ResidueGroup[]
  mode?: DiffMode
  /** The collections the base snapshot was limited to (include-collections / exclude-collections). */
  scope?: CollectionScope
  destructivePolicy: 'blocked' | 'allowed'
  runUrl?: string
  diffFile?: string
}

/** Where a plan was made, and what it may do: no credentials. */
export interface ReportContext {
  targetName: string
  /** The base instance's origin, or the path of the committed snapshot used as the base. */
  baseLocation: string
  targetLocation: string
  scope?: CollectionScope
  allowDestructive: boolean
  runUrl?: string
  diffFile?: string
}

export function planReport(plan: Plan, context: ReportContext): ReportInput {
  return {
    targetName: context.targetName,
    hash: plan.kind === 'changes' ? plan.hash : null,
    diff: plan.kind === 'changes' ? plan.diff : null,
    changes: plan.changes,
    base: { ...plan.base, url: context.baseLocation },
    target: { ...plan.target, url: context.targetLocation },
    warnings: plan.warnings,
    ...(plan.residue.length > 0 ? { residue: plan.residue } : {}),
    mode: plan.mode,
    ...(context.scope ? { scope: context.scope } : {}),
    destructivePolicy: context.allowDestructive ? 'allowed' : 'blocked',
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(context.diffFile ? { diffFile: context.diffFile } : {})
  }
}

/** What happens to a collection as a whole, as its section's title says it. */
export type CollectionState = 'existing collection' | 'new collection' | 'collection settings changed' | 'deleted collection'

export interface CollectionGroup {
  collection: string
  changes: Change[]
  state: CollectionState
  /** The change to the collection itself; undefined when only its fields or relations change. */
  own?: Change
  destructiveCount: number
}

const STATE_OF_ACTION: Record<Change['action'], CollectionState> = {
  create: 'new collection',
  update: 'collection settings changed',
  delete: 'deleted collection'
}

/** One group per collection, in the changes' order (which describeChanges sorts by collection). */
export function groupByCollection(changes: readonly Change[]): CollectionGroup[] {
  const byName = new Map<string, Change[]>()
  for (const change of changes) {
    const group = byName.get(change.collection)
    if (group === undefined) byName.set(change.collection, [change])
    else group.push(change)
  }
  return [...byName].map(([collection, members]) => {
    const own = members.find((change) => change.entity === 'collection')
    return {
      collection,
      changes: members,
      state: own === undefined ? 'existing collection' : STATE_OF_ACTION[own.action],
      ...(own ? { own } : {}),
      destructiveCount: members.filter((change) => change.destructive).length
    }
  })
}

export function destructiveChanges(input: Pick<ReportInput, 'changes'>): Change[] {
  return input.changes.filter((change) => change.destructive)
}
