/**
 * The model of configuration promotion (issue #11): what is read from the
 * system collections of each instance, the operations a plan turns it into,
 * and the plan that is shown, sealed and applied. Pure types and constants:
 * the matcher, planner and executor (core/config/), the readers and writers
 * (directus/config/) and the renderers (report/config-*.ts) all share them.
 */
import type { DiffMode } from '../../directus/schema.js'

/** What `promote` can name besides `schema` (and `all`). */
export const CONFIG_PARTS = ['access', 'flows', 'dashboards', 'presets', 'translations', 'settings', 'folders'] as const
export type ConfigPart = (typeof CONFIG_PARTS)[number]

/** The `promote` input: `schema` and/or configuration parts. */
export interface PromoteSelection {
  schema: boolean
  config: readonly ConfigPart[]
}

/**
 * The system collections, in the order apply writes them (creates and updates);
 * deletes run in the reverse order. The schema is applied before all of them.
 */
export const CONFIG_COLLECTIONS = [
  'folders',
  'policies',
  'roles',
  'access',
  'permissions',
  'flows',
  'operations',
  'dashboards',
  'panels',
  'presets',
  'translations',
  'settings'
] as const
export type ConfigCollection = (typeof CONFIG_COLLECTIONS)[number]

/** Which collections each part reads and writes. */
export const PART_COLLECTIONS: Readonly<Record<ConfigPart, readonly ConfigCollection[]>> = {
  access: ['policies', 'roles', 'access', 'permissions'],
  flows: ['flows', 'operations'],
  dashboards: ['dashboards', 'panels'],
  presets: ['presets'],
  translations: ['translations'],
  settings: ['settings'],
  folders: ['folders']
}

/** The public policy has this id on every instance (docs/directus-config-facts.md A2). */
export const PUBLIC_POLICY_ID = 'abf8a154-5b1c-4a46-ac9c-7300570f4f17'

/** One record of a system collection as read, alias fields (nested writes) stripped. */
export type ConfigItem = Readonly<Record<string, unknown>>

/** Something the plan could not compare, said plainly in the report (e.g. permissions an unlicensed 12.x hides). */
export interface ConfigLimit {
  collection: ConfigCollection
  text: string
}

/** What an instance's licence allows (12.x without a key: docs/directus-config-facts.md D1-D6). */
export interface ConfigEntitlements {
  /** False without a licence: permissions with custom rules are refused (D1) and hidden from /permissions (D2). */
  customPermissionRules: boolean
  /** Active flows allowed (5 without a licence, D4); absent: no limit. */
  activeFlows?: number
}

/** What one instance holds, for the collections of the promoted parts. */
export interface ConfigState {
  version?: string
  items: Partial<Record<ConfigCollection, readonly ConfigItem[]>>
  limits: readonly ConfigLimit[]
  /** Absent: no licence limits (11.x, or a licensed 12.x). */
  entitlements?: ConfigEntitlements
}

/**
 * Who apply runs as on the target (`GET /users/me`), for the lockout guard:
 * its role (admin access also comes from the role's ancestors) and the
 * policies linked to the user itself (user-level access rows, not promoted).
 */
export interface AdminIdentity {
  user: string
  role: string | null
  userPolicies: readonly string[]
}

/** A value that differs; secrets never carry their values here (see `secret`). */
export interface FieldChange {
  /** Dotted path inside the record, e.g. `options.headers[0].value`. */
  path: string
  before?: unknown
  after?: unknown
  /**
   * A secret: before/after are left out and only the fact is shown.
   * `changed`: the target gets a new value; `kept`: the target's own value stays (the default when it has one);
   * `override`: the overrides file sets it.
   */
  secret?: 'changed' | 'kept' | 'override'
}

/** How the target record was found: by primary key (uuid collections), or by its natural key. */
export type MatchedBy = 'key' | 'natural-key'

interface OperationBase {
  collection: ConfigCollection
  /** The record's key on the target: a carried-over uuid, the target's own key, or absent for a create with an integer key. */
  key?: string | number
  /** For people: e.g. `policy "Editors"`, `permission Editors · articles · read`, `operation "notify" of flow "Publish"`. */
  label: string
  /**
   * The target's record as read, for update, delete and unlink: what the report shows as "before" (which
   * collection and action a deleted permission allowed, which flow an operation belongs to). For the report
   * only: leave it out of the digest (the fingerprints cover the target), and it may hold the target's
   * secrets, which the renderers never show.
   */
  before?: ConfigItem
}

export interface CreateOperation extends OperationBase {
  kind: 'create'
  /** The payload, references already rewritten to the target's keys; secrets included (never rendered, never sealed in clear). */
  values: ConfigItem
  changes: readonly FieldChange[]
}

export interface UpdateOperation extends OperationBase {
  kind: 'update'
  key: string | number
  matchedBy: MatchedBy
  /** Only the fields that change, references rewritten. */
  values: ConfigItem
  changes: readonly FieldChange[]
}

export interface DeleteOperation extends OperationBase {
  kind: 'delete'
  key: string | number
}

/** Nulls unique links (an operation's `resolve`/`reject`, a flow's `operation`) before re-linking or deleting. */
export interface UnlinkOperation extends OperationBase {
  kind: 'unlink'
  key: string | number
  fields: readonly string[]
}

export type ConfigOperation = CreateOperation | UpdateOperation | DeleteOperation | UnlinkOperation

/** Operations that apply sends together: one request where Directus accepts an array. */
export interface ConfigBatch {
  collection: ConfigCollection
  kind: ConfigOperation['kind']
  operations: readonly ConfigOperation[]
}

export type ConfigRiskKind = 'admin-access' | 'app-access' | 'system-collection' | 'filter-widened' | 'public-access'

export interface ConfigRisk {
  kind: ConfigRiskKind
  /** The operation's label. */
  subject: string
  text: string
}

/** The plan of the configuration part of a promotion. */
export interface ConfigPlan {
  parts: readonly ConfigPart[]
  mode: DiffMode
  /** In apply order, grouped into the requests apply sends. */
  batches: readonly ConfigBatch[]
  /** sha256 over the canonical operations, secrets as keyed hashes: what the record seals. */
  digest: string
  /**
   * Fingerprints of the target records the plan touches or relies on (and the set of existing keys):
   * [0] before any batch, [i] after batch i. Apply re-reads the target and refuses (`target-changed`) unless it
   * matches one of them; a match after batch i means batches 1..i were already applied (a re-run after a part-way failure).
   */
  fingerprints: readonly string[]
  risks: readonly ConfigRisk[]
  /** Deletes a policy, role or flow. */
  destructive: boolean
  /** Why apply would lock its own identity out of admin access, when it would. */
  lockout?: string
  limits: readonly ConfigLimit[]
  /**
   * Target records the plan leaves as they are but the report names: the policy of a new permission, the
   * role and policy of an access row, the unchanged operations of a changed flow (so its chain can be shown
   * whole). For the report only, like `before`; without it the report falls back to keys.
   */
  related?: Partial<Record<ConfigCollection, readonly ConfigItem[]>>
  /**
   * The fields compared per collection (both versions have them, references to parts not promoted left out):
   * what the fingerprints cover. Absent in plans made before it existed: the fingerprint then covers every field read.
   */
  compared?: Partial<Record<ConfigCollection, readonly string[]>>
}

export function operationsOf(plan: ConfigPlan): ConfigOperation[] {
  return plan.batches.flatMap((batch) => batch.operations)
}
