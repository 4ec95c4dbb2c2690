/**
 * The report model: everything a renderer (the pull-request comment and job
 * summary in Markdown, the terminal report, the JSON plan) is given about a
 * plan, and the groupings they share. Renderers only format and escape; what
 * is shown is decided here and in the change model (core/plan/changes.ts).
 */
import type { SchemaDiff } from '../directus/types.js'
import type { CollectionScope, DiffMode } from '../directus/schema.js'
import type { CountingNote } from '../core/counts.js'
import { rootFailures, type Change, type SkippedItem } from '../core/plan/changes.js'
import type { NoiseGroup } from '../core/plan/noise.js'
import type { Plan, ServerFacts } from '../core/planner.js'
import type { ConfigOperation, ConfigPlan } from '../core/config/model.js'

/** One side as the report shows it: version and vendor from the plan, and where it is. */
export interface SideFacts extends ServerFacts {
  /** The instance's origin, or the committed snapshot's path. */
  url?: string
}

export interface ReportInput extends Pick<
  ReportContext,
  'targetName' | 'scope' | 'allowDestructiveSetting' | 'runUrl' | 'diffFile' | 'config' | 'schemaNotPromoted'
> {
  /** A plan to review (default), or drift: what would bring the target back to its baseline, never applied. */
  purpose?: 'plan' | 'drift'
  hash: string | null
  diff: SchemaDiff | null
  changes: Change[]
  /** Items Directus will not apply. */
  skipped: SkippedItem[]
  /** Version noise removed from the diff, grouped. */
  noise: NoiseGroup[]
  /** How counting on the target went, when it stopped early. */
  counting?: CountingNote
  base: SideFacts
  target: SideFacts
  /** Plain text; escaped by each renderer. */
  warnings: string[]
  mode?: DiffMode
}

/** Where a plan was made: no credentials. */
export interface ReportContext {
  targetName: string
  /** The base instance's origin, or the path of the committed snapshot used as the base. */
  baseLocation: string
  targetLocation: string
  /** The collections the base snapshot was limited to (include-collections / exclude-collections). */
  scope?: CollectionScope
  /**
   * How the report names the setting apply needs for destructive changes:
   * the apply job's input, or the command line's flag. A plan never knows
   * whether the apply will have it.
   */
  allowDestructiveSetting: 'input' | 'flag'
  runUrl?: string
  diffFile?: string
  /** The configuration part of the plan (issue #11), when `promote` names configuration. */
  config?: ConfigPlan
  /** `promote` leaves the schema out: nothing of it was planned. */
  schemaNotPromoted?: boolean
}

export function planReport(plan: Plan, context: ReportContext): ReportInput {
  return {
    targetName: context.targetName,
    hash: plan.kind === 'changes' ? plan.hash : null,
    diff: plan.kind === 'changes' ? plan.diff : null,
    changes: plan.changes,
    skipped: plan.skipped,
    noise: plan.noise,
    ...(plan.counting?.stopped ? { counting: plan.counting } : {}),
    base: { ...plan.base, url: context.baseLocation },
    target: { ...plan.target, url: context.targetLocation },
    warnings: plan.warnings,
    mode: plan.mode,
    ...(context.scope ? { scope: context.scope } : {}),
    allowDestructiveSetting: context.allowDestructiveSetting,
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(context.diffFile ? { diffFile: context.diffFile } : {}),
    ...(context.config ? { config: context.config } : {}),
    ...(context.schemaNotPromoted ? { schemaNotPromoted: true } : {})
  }
}

/** The configuration operations of the plan; none without a configuration part. */
export function configOperationsOf(input: Pick<ReportInput, 'config'>): ConfigOperation[] {
  return input.config ? input.config.batches.flatMap((batch) => batch.operations) : []
}

/** What happens to a collection as a whole, as its section's title says it. */
export type CollectionState =
  | 'existing collection'
  | 'new collection'
  | 'new folder'
  | 'collection settings changed'
  | 'folder settings changed'
  | 'deleted collection'
  | 'deleted folder'

export interface CollectionGroup {
  collection: string
  changes: Change[]
  state: CollectionState
  /** The change to the collection itself; undefined when only its fields or relations change. */
  own?: Change
  destructiveCount: number
  riskyCount: number
  failingCount: number
}

const STATE_OF_ACTION: Record<Change['action'], [table: CollectionState, folder: CollectionState]> = {
  create: ['new collection', 'new folder'],
  update: ['collection settings changed', 'folder settings changed'],
  delete: ['deleted collection', 'deleted folder']
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
      state: own === undefined ? 'existing collection' : STATE_OF_ACTION[own.action][own.folder === true ? 1 : 0],
      ...(own ? { own } : {}),
      destructiveCount: members.filter((change) => change.destructive).length,
      riskyCount: members.filter((change) => change.risks.length > 0).length,
      failingCount: members.filter((change) => change.failure !== undefined).length
    }
  })
}

export function destructiveChanges(input: Pick<ReportInput, 'changes'>): Change[] {
  return input.changes.filter((change) => change.destructive)
}

export function riskyChangesOf(input: Pick<ReportInput, 'changes'>): Change[] {
  return input.changes.filter((change) => change.risks.length > 0)
}

/** The changes that cannot succeed, each said once (a new collection's fields with the collection). */
export function failingChangesOf(input: Pick<ReportInput, 'changes'>): Change[] {
  return rootFailures(input.changes)
}

/** What each alert of a report lists: a change that cannot succeed is said there, not again as destructive or risky. */
export interface Alerts {
  failing: Change[]
  destructive: Change[]
  risky: Change[]
  warnings: Change[]
}

export function alertsOf(input: Pick<ReportInput, 'changes'>): Alerts {
  const succeeds = (change: Change) => change.failure === undefined
  return {
    failing: failingChangesOf(input),
    destructive: destructiveChanges(input).filter(succeeds),
    risky: riskyChangesOf(input).filter(succeeds),
    warnings: otherWarnings(input)
  }
}

/** Changes with a warning that is not already said by the destructive or failure alerts. */
export function otherWarnings(input: Pick<ReportInput, 'changes'>): Change[] {
  return input.changes.filter((change) => change.warning !== undefined && !change.destructive && change.failure === undefined)
}

/** What the report says apply needs before it applies destructive changes. */
export function allowDestructiveRequirement(input: Pick<ReportInput, 'allowDestructiveSetting'>): string {
  return input.allowDestructiveSetting === 'flag' ? '--allow-destructive' : 'allow-destructive: true'
}
