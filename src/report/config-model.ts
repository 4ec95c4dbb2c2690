/**
 * What the configuration sections of a plan (issue #11) show, decided once for both renderers
 * (config-markdown.ts, config-terminal.ts): access as a policy × collection × action matrix of differences,
 * flows as trigger then chain, the other parts as created / updated / deleted with their changed keys.
 *
 * Secrets: a value is shown only after `displayValue` has taken out everything that looks secret (values under
 * secret-sounding keys, request header values, credentials and secret query parameters in URLs, bearer tokens),
 * whatever the planner marked. The planner's `FieldChange.secret` decides the words ("changed (secret)", "kept
 * the target's value", "set by the overrides file"); a change whose path looks secret but that the planner did
 * not mark is still shown as "changed (secret)". The renderers escape what they are given here.
 */
import {
  CONFIG_PARTS,
  operationsOf,
  PART_COLLECTIONS,
  type ConfigCollection,
  type ConfigItem,
  type ConfigLimit,
  type ConfigOperation,
  type ConfigPart,
  type ConfigPlan,
  type FieldChange
} from '../core/config/model.js'
import type { WordPart } from '../core/plan/words.js'

/** Our words, names as code, and values (already made safe to show by displayValue). */
export type Part = WordPart | { value: unknown }
export type Text = readonly Part[]

export type ShownKind = ConfigOperation['kind'] | 'unchanged'

/** One operation as a row: what it is, what changes, and its marks. */
export interface OperationView {
  kind: ConfigOperation['kind']
  label: string
  details: Text[]
  risks: string[]
  /** Why it is destructive, when it is. */
  destructive?: string
}

export interface MatrixCell {
  kind: ConfigOperation['kind']
  lines: Text[]
  risks: string[]
}

export interface MatrixRow {
  collection: string
  cells: Partial<Record<string, MatrixCell>>
}

export interface PolicyView {
  name: string
  kind: ShownKind
  /** Policy-level changes: admin_access, app_access, ip_access, enforce_tfa first, then the rest. */
  changes: Text[]
  risks: string[]
  destructive?: string
  /** Role ↔ policy links (directus_access) that change. */
  links: OperationView[]
  /** Actions with a column: the five of Directus, then any other the plan names. */
  actions: string[]
  matrix: MatrixRow[]
}

export interface FlowStep {
  number: number
  kind: ShownKind
  key: string
  type: string
  resolve?: number
  reject?: number
  changes: Text[]
  risks: string[]
}

export interface FlowView {
  name: string
  kind: ShownKind
  trigger: Text
  changes: Text[]
  risks: string[]
  destructive?: string
  /** From the first operation, following resolve then reject; then operations no chain reaches. */
  steps: FlowStep[]
  deleted: FlowStep[]
  /** Links apply clears first (unique resolve/reject/operation), so the chain can be re-linked. */
  unlinks: number
}

export interface PartView {
  part: ConfigPart
  count: number
  destructiveCount: number
  riskyCount: number
  access?: { policies: PolicyView[]; roles: OperationView[] }
  flows?: FlowView[]
  others?: OperationView[]
}

export interface ConfigReportView {
  parts: PartView[]
  counts: Record<'create' | 'update' | 'delete', number>
  destructive: OperationView[]
  risky: OperationView[]
}

export const PART_TITLES: Record<ConfigPart, string> = {
  access: 'Access',
  flows: 'Flows',
  dashboards: 'Dashboards',
  presets: 'Presets',
  translations: 'Translations',
  settings: 'Settings',
  folders: 'Folders'
}

export const SECRET_WORDS: Record<NonNullable<FieldChange['secret']>, string> = {
  changed: 'changed (secret)',
  kept: "kept the target's value",
  override: 'set by the overrides file'
}

/** Why a delete is destructive (docs/directus-config-facts.md C7, C8, C9). */
const DESTRUCTIVE_DELETES: Partial<Record<ConfigCollection, string>> = {
  policies: 'deletes the policy with its permissions and every link to roles and users',
  roles: 'deletes the role: its users are suspended and lose it, its links and role presets go, its child roles lose their parent',
  flows: 'deletes the flow and all its operations'
}

const STANDARD_ACTIONS = ['create', 'read', 'update', 'delete', 'share']
const POLICY_FLAGS = ['admin_access', 'app_access', 'ip_access', 'enforce_tfa']
const RULE_FIELDS: [field: string, words: string][] = [
  ['fields', 'fields'],
  ['permissions', 'filter'],
  ['validation', 'validation'],
  ['presets', 'presets']
]
/** Set by Directus, or the record's identity: never a "change" worth a line. */
const NOT_SHOWN = new Set(['id', 'date_created', 'user_created'])
/** What a created record is told by, per collection; the rest is in the values. */
const CREATE_FACTS: Partial<Record<ConfigCollection, readonly string[]>> = {
  roles: ['parent', 'description'],
  dashboards: ['icon', 'note'],
  panels: ['type', 'name', 'position_x', 'position_y', 'width', 'height'],
  presets: ['collection', 'bookmark', 'role', 'layout'],
  translations: ['language', 'key', 'value'],
  folders: ['name', 'parent'],
  settings: []
}
/** Trigger options a reviewer checks (docs/directus-config-facts.md F). */
const TRIGGER_OPTIONS: Record<string, readonly string[]> = {
  event: ['type', 'scope', 'collections'],
  schedule: ['cron'],
  operation: ['return'],
  webhook: ['method', 'async', 'return'],
  manual: ['collections', 'location', 'requireConfirmation', 'async']
}

export function configReportView(plan: ConfigPlan): ConfigReportView {
  const operations = byRecord(operationsOf(plan))
  const records = new RecordIndex(plan, operations)
  const risksOf = (label: string) => plan.risks.filter((risk) => risk.subject === label).map((risk) => risk.text)
  const shown = operations.filter((operation) => operation.kind !== 'unlink')
  const view = (operation: ConfigOperation): OperationView => operationView(operation, records, risksOf)
  const parts = (plan.parts.length > 0 ? CONFIG_PARTS.filter((part) => plan.parts.includes(part)) : CONFIG_PARTS).map((part): PartView => {
    const own = operations.filter((operation) => PART_COLLECTIONS[part].includes(operation.collection))
    const visible = own.filter((operation) => operation.kind !== 'unlink')
    const base = {
      part,
      count: visible.length,
      destructiveCount: visible.filter((operation) => destructiveReason(operation) !== undefined).length,
      riskyCount: visible.filter((operation) => risksOf(operation.label).length > 0).length
    }
    if (part === 'access') return { ...base, access: accessView(own, records, risksOf, view) }
    if (part === 'flows') return { ...base, flows: flowViews(own, records, risksOf) }
    return { ...base, others: visible.map(view) }
  })
  return {
    parts,
    counts: {
      create: shown.filter((operation) => operation.kind === 'create').length,
      update: shown.filter((operation) => operation.kind === 'update').length,
      delete: shown.filter((operation) => operation.kind === 'delete').length
    },
    destructive: shown.filter((operation) => destructiveReason(operation) !== undefined).map(view),
    risky: shown.filter((operation) => risksOf(operation.label).length > 0).map(view)
  }
}

/**
 * One operation per record: apply may write a record twice (an operation created, then linked once the chain
 * exists; a flow updated, then pointed at its new first operation), the report shows the record once, with
 * every change. Unlinks stay apart: they are said per flow.
 */
function byRecord(operations: readonly ConfigOperation[]): ConfigOperation[] {
  const merged = new Map<string, ConfigOperation>()
  const unlinks: ConfigOperation[] = []
  operations.forEach((operation, index) => {
    if (operation.kind === 'unlink') {
      unlinks.push(operation)
      return
    }
    const key = keyString(operation.key ?? (operation.kind === 'create' ? operation.values['id'] : undefined))
    const id = key === '' ? `#${index}` : `${operation.collection}\u0000${key}`
    const earlier = merged.get(id)
    merged.set(id, earlier === undefined ? operation : combined(earlier, operation))
  })
  return [...merged.values(), ...unlinks]
}

function combined(earlier: ConfigOperation, later: ConfigOperation): ConfigOperation {
  const before = earlier.before ?? later.before
  if (later.kind === 'delete' || earlier.kind === 'delete') {
    const remove = later.kind === 'delete' ? later : earlier
    return { ...remove, ...(before !== undefined ? { before } : {}) }
  }
  if (earlier.kind === 'unlink' || later.kind === 'unlink') return earlier
  const values = { ...earlier.values, ...later.values }
  const changes = [...earlier.changes, ...later.changes]
  return { ...earlier, values, changes, ...(before !== undefined ? { before } : {}) }
}

export function destructiveReason(operation: ConfigOperation): string | undefined {
  return operation.kind === 'delete' ? DESTRUCTIVE_DELETES[operation.collection] : undefined
}

/** '+3 created, ~2 updated, -1 deleted' */
export function countsText(counts: ConfigReportView['counts']): string {
  const parts = [
    counts.create > 0 ? `+${counts.create} created` : '',
    counts.update > 0 ? `~${counts.update} updated` : '',
    counts.delete > 0 ? `-${counts.delete} deleted` : ''
  ].filter((part) => part !== '')
  return parts.length > 0 ? parts.join(', ') : 'no changes'
}

export function limitText(limit: ConfigLimit): Text {
  return [{ code: limit.collection }, `: ${limit.text}`]
}

// ---------------------------------------------------------------------------
// Operations

function operationView(operation: ConfigOperation, records: RecordIndex, risksOf: (label: string) => string[]): OperationView {
  const destructive = destructiveReason(operation)
  return {
    kind: operation.kind,
    label: operation.label,
    details: detailsOf(operation, records),
    risks: risksOf(operation.label),
    ...(destructive !== undefined ? { destructive } : {})
  }
}

function detailsOf(operation: ConfigOperation, records: RecordIndex): Text[] {
  switch (operation.kind) {
    case 'create': {
      const facts = CREATE_FACTS[operation.collection]
      const keys = facts ?? Object.keys(operation.values).filter((key) => !NOT_SHOWN.has(key))
      const shown = keys
        .filter((key) => operation.values[key] !== undefined && operation.values[key] !== null)
        .map((key): Text => factOf(operation.collection, key, operation.values[key], records))
      return [...shown, ...secretNotes(operation.changes, operation.collection, new Set(keys))]
    }
    case 'update':
      return changeTexts(operation.collection, operation.changes, records)
    case 'delete':
    case 'unlink':
      return []
  }
}

/** A created record's fact: references named by what they point to. */
function factOf(collection: ConfigCollection, key: string, value: unknown, records: RecordIndex): Text {
  const reference = REFERENCES[`${collection}.${key}`]
  if (reference !== undefined) return [`${key} `, { code: records.nameOf(reference, value) }]
  if (isSecretPath(collection, [key])) return [`${key}: ${SECRET_WORDS.changed}`]
  return [`${key} `, { value: displayValue(value) }]
}

const REFERENCES: Record<string, ConfigCollection> = {
  'roles.parent': 'roles',
  'flows.operation': 'operations',
  'operations.resolve': 'operations',
  'operations.reject': 'operations',
  'operations.flow': 'flows',
  'permissions.policy': 'policies',
  'presets.role': 'roles',
  'folders.parent': 'folders',
  'panels.dashboard': 'dashboards',
  'access.role': 'roles',
  'access.policy': 'policies',
  'flows.folder': 'folders'
}

/** Secrets the planner marked on a create, beside the facts shown. */
function secretNotes(changes: readonly FieldChange[], collection: ConfigCollection, shownKeys: ReadonlySet<string>): Text[] {
  return changes
    .filter((change) => change.secret !== undefined && !(shownKeys.has(change.path) && isSecretPath(collection, [change.path])))
    .map((change) => [{ code: change.path }, `: ${SECRET_WORDS[change.secret ?? 'changed']}`])
}

/** Every change of an update, secrets in words only. */
function changeTexts(collection: ConfigCollection, changes: readonly FieldChange[], records: RecordIndex): Text[] {
  return changes.filter((change) => !NOT_SHOWN.has(change.path)).map((change) => changeText(collection, change, records))
}

/** path: before → after; a reference by the name of what it points to; a secret in words only. */
function changeText(collection: ConfigCollection, change: FieldChange, records: RecordIndex): Text {
  const secret = change.secret ?? (isSecretPath(collection, pathSegments(change.path)) ? 'changed' : undefined)
  if (secret !== undefined) return [{ code: change.path }, `: ${SECRET_WORDS[secret]}`]
  const reference = REFERENCES[`${collection}.${change.path}`]
  const side = (value: unknown): Part =>
    reference !== undefined && value !== null && value !== undefined
      ? { code: records.nameOf(reference, value) }
      : { value: displayValue(value) }
  return [{ code: change.path }, ': ', side(change.before), ' → ', side(change.after)]
}

// ---------------------------------------------------------------------------
// Access

function accessView(
  operations: readonly ConfigOperation[],
  records: RecordIndex,
  risksOf: (label: string) => string[],
  view: (operation: ConfigOperation) => OperationView
): { policies: PolicyView[]; roles: OperationView[] } {
  const policies = new Map<string, PolicyView>()
  const policyOf = (key: string): PolicyView => {
    let policy = policies.get(key)
    if (policy === undefined) {
      policy = { name: records.nameOf('policies', key), kind: 'unchanged', changes: [], risks: [], links: [], actions: [], matrix: [] }
      policies.set(key, policy)
    }
    return policy
  }
  const roles: OperationView[] = []
  for (const operation of operations) {
    if (operation.kind === 'unlink') continue
    const after = records.after(operation)
    switch (operation.collection) {
      case 'policies': {
        const policy = policyOf(records.keyOf(operation))
        const destructive = destructiveReason(operation)
        Object.assign(policy, {
          kind: operation.kind,
          changes:
            operation.kind === 'create'
              ? policyFacts(operation.values)
              : operation.kind === 'update'
                ? sortFlagsFirst(changeTexts('policies', operation.changes, records))
                : [],
          risks: risksOf(operation.label),
          ...(destructive !== undefined ? { destructive } : {})
        })
        break
      }
      case 'access':
        policyOf(keyString(after['policy'])).links.push({ ...view(operation), details: linkText(after, records) })
        break
      case 'permissions':
        addToMatrix(policyOf(keyString(after['policy'])), operation, after, risksOf(operation.label), records)
        break
      default:
        roles.push(view(operation))
    }
  }
  for (const policy of policies.values()) {
    policy.matrix.sort((a, b) => a.collection.localeCompare(b.collection))
    const named = new Set(policy.matrix.flatMap((row) => Object.keys(row.cells)))
    policy.actions = [...STANDARD_ACTIONS, ...[...named].filter((action) => !STANDARD_ACTIONS.includes(action)).sort()]
  }
  return { policies: [...policies.values()], roles }
}

function policyFacts(values: ConfigItem): Text[] {
  return POLICY_FLAGS.filter((flag) => values[flag] !== undefined && values[flag] !== null).map((flag): Text => [
    { code: flag },
    ': ',
    { value: values[flag] }
  ])
}

/** Policy-level flags first: they change what every linked person may do. */
function sortFlagsFirst(texts: Text[]): Text[] {
  const flagIndex = (text: Text) => {
    const first = text[0]
    const index = typeof first === 'object' && 'code' in first ? POLICY_FLAGS.indexOf(first.code) : -1
    return index === -1 ? POLICY_FLAGS.length : index
  }
  return [...texts].sort((a, b) => flagIndex(a) - flagIndex(b))
}

function linkText(access: ConfigItem, records: RecordIndex): Text[] {
  const role = access['role']
  const user = access['user']
  const who: Text =
    role !== null && role !== undefined
      ? ['role ', { code: records.nameOf('roles', role) }]
      : user !== null && user !== undefined
        ? ['user ', { code: keyString(user) }]
        : ['the public (no role, no user)']
  return [[...who, ' ↔ policy ', { code: records.nameOf('policies', access['policy']) }]]
}

function addToMatrix(policy: PolicyView, operation: ConfigOperation, after: ConfigItem, risks: string[], records: RecordIndex): void {
  const collection = keyString(after['collection'])
  const action = keyString(after['action'])
  let row = policy.matrix.find((candidate) => candidate.collection === collection)
  if (row === undefined) policy.matrix.push((row = { collection, cells: {} }))
  row.cells[action] = { kind: operation.kind, lines: permissionLines(operation, after, records), risks }
}

function permissionLines(operation: ConfigOperation, after: ConfigItem, records: RecordIndex): Text[] {
  switch (operation.kind) {
    case 'create':
      return [['allowed'], ...RULE_FIELDS.flatMap(([field, words]) => ruleFact(field, words, after[field]))]
    case 'delete':
      return [['no longer allowed']]
    case 'update': {
      const beforeOf = (field: string) =>
        operation.before !== undefined ? operation.before[field] : operation.changes.find((change) => change.path === field)?.before
      const lines = RULE_FIELDS.filter(([field]) => field in operation.values).map(([field, words]): Text => [
        `${words}: `,
        ...ruleValue(field, beforeOf(field)),
        ' → ',
        ...ruleValue(field, after[field])
      ])
      return lines.length > 0 ? lines : changeTexts('permissions', operation.changes, records)
    }
    case 'unlink':
      return []
  }
}

function ruleFact(field: string, words: string, value: unknown): Text[] {
  if (field === 'fields') return [['fields: ', ...ruleValue(field, value)]]
  return isRule(value) ? [[`${words}: `, { value: displayValue(value) }]] : []
}

/** fields as a list ('all' for *), rules as JSON ('none' when absent, null or {}). */
function ruleValue(field: string, value: unknown): Text {
  if (field === 'fields') {
    if (Array.isArray(value) && value.includes('*')) return ['all']
    if (Array.isArray(value)) return value.length === 0 ? ['none'] : [{ code: value.map(String).join(', ') }]
    return ['none']
  }
  return isRule(value) ? [{ value: displayValue(value) }] : ['none']
}

function isRule(value: unknown): boolean {
  if (value === null || value === undefined) return false
  return typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0
}

// ---------------------------------------------------------------------------
// Flows

function flowViews(operations: readonly ConfigOperation[], records: RecordIndex, risksOf: (label: string) => string[]): FlowView[] {
  const flows = new Map<string, { operation?: ConfigOperation; steps: ConfigOperation[]; unlinks: number }>()
  const entry = (key: string) => {
    let found = flows.get(key)
    if (found === undefined) flows.set(key, (found = { steps: [], unlinks: 0 }))
    return found
  }
  for (const operation of operations) {
    const flowKey = operation.collection === 'flows' ? records.keyOf(operation) : keyString(records.after(operation)['flow'])
    const found = entry(flowKey)
    if (operation.kind === 'unlink') found.unlinks++
    else if (operation.collection === 'flows') found.operation = operation
    else found.steps.push(operation)
  }
  return [...flows].map(([key, found]) => flowView(key, found, records, risksOf))
}

function flowView(
  key: string,
  found: { operation?: ConfigOperation; steps: ConfigOperation[]; unlinks: number },
  records: RecordIndex,
  risksOf: (label: string) => string[]
): FlowView {
  const flow = found.operation !== undefined ? records.after(found.operation) : (records.find('flows', key) ?? {})
  const kind: ShownKind = found.operation?.kind ?? 'unchanged'
  const changes =
    found.operation?.kind === 'update'
      ? changeTexts('flows', found.operation.changes, records)
      : found.operation?.kind === 'create'
        ? [['status ', { value: flow['status'] ?? 'active' }] as Text]
        : []
  const destructive = found.operation !== undefined ? destructiveReason(found.operation) : undefined
  const { steps, deleted } = chainOf(key, flow, found.steps, kind === 'delete', records, risksOf)
  return {
    name: records.nameOf('flows', key),
    kind,
    trigger: triggerText(flow, found.operation),
    changes,
    risks: found.operation !== undefined ? risksOf(found.operation.label) : [],
    ...(destructive !== undefined ? { destructive } : {}),
    steps,
    deleted,
    unlinks: found.unlinks
  }
}

function triggerText(flow: ConfigItem, operation: ConfigOperation | undefined): Text {
  const trigger = keyString(flow['trigger'])
  const options = (typeof flow['options'] === 'object' && flow['options'] !== null ? flow['options'] : {}) as ConfigItem
  const changedPaths = operation?.kind === 'update' ? operation.changes.map((change) => change.path) : []
  const facts = (TRIGGER_OPTIONS[trigger] ?? []).filter((option) => options[option] !== undefined && options[option] !== null)
  const text: Part[] = [{ code: trigger === '' ? '?' : trigger }]
  if (changedPaths.includes('trigger')) text.push(' (changed)')
  for (const option of facts) {
    const changed = changedPaths.some(
      (path) =>
        path === 'options' || path === `options.${option}` || path.startsWith(`options.${option}.`) || path.startsWith(`options.${option}[`)
    )
    text.push(` · ${option} `, { value: displayValue(options[option]) }, ...(changed ? [' (changed)'] : []))
  }
  return text
}

function chainOf(
  flowKey: string,
  flow: ConfigItem,
  planned: readonly ConfigOperation[],
  flowDeleted: boolean,
  records: RecordIndex,
  risksOf: (label: string) => string[]
): { steps: FlowStep[]; deleted: FlowStep[] } {
  // Every operation of the flow after the plan: unchanged ones (related), then the plan's creates and updates.
  const byKey = new Map<string, { item: ConfigItem; operation?: ConfigOperation }>()
  for (const item of records.all('operations')) {
    if (keyString(item['flow']) === flowKey) byKey.set(keyString(item['id']), { item })
  }
  const deletedOperations: ConfigOperation[] = []
  for (const operation of planned) {
    const key = records.keyOf(operation)
    if (operation.kind === 'delete' && !flowDeleted) {
      byKey.delete(key)
      deletedOperations.push(operation)
    } else byKey.set(key, { item: records.after(operation), operation })
  }
  const order: string[] = []
  const visit = (key: string) => {
    const entry = byKey.get(key)
    if (entry === undefined || order.includes(key)) return
    order.push(key)
    visit(keyString(entry.item['resolve']))
    visit(keyString(entry.item['reject']))
  }
  visit(keyString(flow['operation']))
  // Operations no chain reaches (a plan may leave some), by key for a stable order.
  for (const key of [...byKey.keys()].sort()) visit(key)
  const numberOf = (key: string) => (order.includes(key) ? order.indexOf(key) + 1 : undefined)
  const steps = order.map((key, index): FlowStep => {
    const { item, operation } = byKey.get(key) ?? { item: {} }
    const resolve = numberOf(keyString(item['resolve']))
    const reject = numberOf(keyString(item['reject']))
    return {
      number: index + 1,
      // A deleted flow takes all its operations with it (docs/directus-config-facts.md C7).
      kind: flowDeleted ? 'delete' : (operation?.kind ?? 'unchanged'),
      key: keyString(item['key']),
      type: keyString(item['type']),
      ...(resolve !== undefined ? { resolve } : {}),
      ...(reject !== undefined ? { reject } : {}),
      changes:
        operation?.kind === 'update'
          ? changeTexts('operations', operation.changes, records)
          : operation?.kind === 'create'
            ? secretNotes(operation.changes, 'operations', new Set())
            : [],
      risks: operation !== undefined ? risksOf(operation.label) : []
    }
  })
  const deleted = deletedOperations.map((operation, index): FlowStep => {
    const before = operation.before ?? {}
    return {
      number: steps.length + index + 1,
      kind: 'delete',
      key: keyString(before['key']) || operation.label,
      type: keyString(before['type']),
      changes: [],
      risks: risksOf(operation.label)
    }
  })
  return { steps, deleted }
}

// ---------------------------------------------------------------------------
// Records: what the report knows of each record before and after the plan

class RecordIndex {
  private readonly byCollection = new Map<ConfigCollection, Map<string, ConfigItem>>()

  constructor(plan: ConfigPlan, operations: readonly ConfigOperation[]) {
    for (const [collection, items] of Object.entries(plan.related ?? {}) as [ConfigCollection, readonly ConfigItem[]][]) {
      for (const item of items) this.put(collection, keyString(item['id']), item)
    }
    // Each record once (byRecord): what it is after the plan, or what it was before a delete.
    for (const operation of operations) {
      const key = this.keyOf(operation)
      const known = this.find(operation.collection, key)
      if (operation.kind === 'create') this.put(operation.collection, key, operation.values)
      else if (operation.kind === 'update') this.put(operation.collection, key, { ...(operation.before ?? known), ...operation.values })
      else if (operation.before !== undefined && known === undefined) this.put(operation.collection, key, operation.before)
    }
  }

  keyOf(operation: ConfigOperation): string {
    return keyString(operation.key ?? (operation.kind === 'create' ? operation.values['id'] : undefined) ?? operation.before?.['id'])
  }

  /** The record after the plan (before it, for a delete or unlink). */
  after(operation: ConfigOperation): ConfigItem {
    if (operation.kind === 'create') return operation.values
    const known = this.find(operation.collection, this.keyOf(operation))
    if (operation.kind === 'update') return known ?? { ...operation.before, ...operation.values }
    return operation.before ?? known ?? {}
  }

  find(collection: ConfigCollection, key: string): ConfigItem | undefined {
    return this.byCollection.get(collection)?.get(key)
  }

  all(collection: ConfigCollection): ConfigItem[] {
    return [...(this.byCollection.get(collection)?.values() ?? [])]
  }

  /** A record's name (its key when the report does not know it). */
  nameOf(collection: ConfigCollection, key: unknown): string {
    const item = this.find(collection, keyString(key))
    // Operations are told by their key within the flow; their name is optional.
    const name = item?.[collection === 'operations' ? 'key' : 'name']
    return typeof name === 'string' && name !== '' ? name : keyString(key) || '?'
  }

  private put(collection: ConfigCollection, key: string, item: ConfigItem): void {
    let items = this.byCollection.get(collection)
    if (items === undefined) this.byCollection.set(collection, (items = new Map()))
    items.set(key, item)
  }
}

function keyString(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

// ---------------------------------------------------------------------------
// Secrets

/** Key names whose values are secrets wherever they sit in options, headers or settings. */
const SECRET_NAME = /authorization|token|passw(or)?d|secret|api[_-]?key|(^|[_-])key$|credential|cookie|private/i
/** Top-level fields that are identities, not secrets, although their names end in "key". */
const IDENTITY_FIELDS = new Set(['key'])
const HIDDEN = '(secret)'

/** Whether a change at this path holds a secret: by key name, a request header's value, or a settings key. */
export function isSecretPath(collection: ConfigCollection, segments: readonly string[]): boolean {
  return segments.some((segment, index) => {
    if (index === 0 && collection !== 'settings' && IDENTITY_FIELDS.has(segment)) return false
    if (segment === 'headers' || segment === 'basemaps') return true
    return SECRET_NAME.test(segment)
  })
}

/** 'options.headers[0].value' → ['options', 'headers', '0', 'value'] */
function pathSegments(path: string): string[] {
  return path.split(/[.[\]]+/).filter((segment) => segment !== '')
}

/**
 * A value with everything secret taken out, for showing: values under secret-sounding keys and request header
 * values become "(secret)"; credentials and secret query parameters in URLs, and bearer tokens in text, too.
 */
export function displayValue(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value)
  if (Array.isArray(value)) return value.map(displayValue)
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    const isHeader = 'header' in record
    return Object.fromEntries(
      Object.entries(record).map(([key, inner]) => [
        key,
        (isHeader && key === 'value') || SECRET_NAME.test(key) ? HIDDEN : displayValue(inner)
      ])
    )
  }
  return value
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]*@/gi
const SECRET_QUERY = /([?&;][^=&#\s]*(?:token|key|secret|passw(?:or)?d|sig|auth)[^=&#\s]*=)[^&#\s]*/gi
const BEARER = /\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}/gi
const SECRET_JSON_PAIR = /("[^"]*(?:authorization|token|passw(?:or)?d|secret|api[_-]?key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi

function scrubText(text: string): string {
  return text
    .replace(URL_CREDENTIALS, `$1${HIDDEN}@`)
    .replace(SECRET_QUERY, `$1${HIDDEN}`)
    .replace(BEARER, `$1 ${HIDDEN}`)
    .replace(SECRET_JSON_PAIR, `$1"${HIDDEN}"`)
}
