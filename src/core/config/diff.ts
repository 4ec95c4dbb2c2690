/**
 * One field of a record, target against desired (the base's value, references
 * rewritten, overrides applied): what is sent and what the report shows. A
 * secret the target already has is kept (issue #11: the base's value is not
 * copied over it) unless the overrides file sets it; a secret never appears
 * in a FieldChange's before or after.
 */
import { canonicalJson, isPlainObject } from '../json.js'
import type { ConfigCollection, FieldChange } from './model.js'
import { formatPath, isContainer, isSecretPath, secretLeaves, valueAt, withValueAt, type ValuePath } from './secrets.js'

export interface FieldPlan {
  /** The value to send: the desired one, with the target's secrets kept. */
  value: unknown
  changed: boolean
  changes: FieldChange[]
}

export interface SecretRules {
  collection: ConfigCollection
  /** Paths (formatted) the overrides file sets: never kept, and shown as `override` when secret. */
  overridden: ReadonlySet<string>
  /** Paths set from environment variables: secrets wherever they are. */
  fromEnvironment: ReadonlySet<string>
}

export function planField(field: string, targetValue: unknown, desired: unknown, rules: SecretRules): FieldPlan {
  let value = desired
  const kept: FieldChange[] = []
  for (const path of secretLeaves(rules.collection, [field], targetValue)) {
    const text = formatPath(path)
    if (isOverridden(text, rules.overridden)) continue
    const relative = path.slice(1)
    const wanted = valueAt(value, relative)
    const own = valueAt(targetValue, relative)
    if (wanted === undefined || wanted === null || wanted === '' || isContainer(wanted) || same(wanted, own)) continue
    value = withValueAt(value, relative, own)
    kept.push({ path: text, secret: 'kept' })
  }
  const changed = !same(targetValue, value)
  return { value, changed, changes: [...(changed ? leafChanges([field], targetValue, value, rules) : []), ...kept] }
}

export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null)
}

function isOverridden(path: string, overridden: ReadonlySet<string>): boolean {
  for (const set of overridden) if (path === set || path.startsWith(`${set}.`) || path.startsWith(`${set}[`)) return true
  return false
}

function isSecret(path: ValuePath, value: unknown, rules: SecretRules): boolean {
  const text = formatPath(path)
  return isSecretPath(rules.collection, path, value) || [...rules.fromEnvironment].some((set) => text === set || text.startsWith(`${set}.`))
}

function containsSecret(path: ValuePath, value: unknown, rules: SecretRules): boolean {
  if (isSecret(path, value, rules)) return true
  if (Array.isArray(value)) return value.some((item, index) => containsSecret([...path, index], item, rules))
  if (isPlainObject(value)) return Object.entries(value).some(([key, item]) => containsSecret([...path, key], item, rules))
  return false
}

/** Changed leaves where a secret is involved, else the smallest whole value that changed. */
function leafChanges(path: ValuePath, before: unknown, after: unknown, rules: SecretRules): FieldChange[] {
  if (same(before, after)) return []
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    return keys.flatMap((key) => leafChanges([...path, key], before[key], after[key], rules))
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    return Array.from({ length: Math.max(before.length, after.length) }, (_, index) =>
      leafChanges([...path, index], before[index], after[index], rules)
    ).flat()
  }
  const text = formatPath(path)
  if (isSecret(path, before, rules) || isSecret(path, after, rules)) {
    return [{ path: text, secret: isOverridden(text, rules.overridden) ? 'override' : 'changed' }]
  }
  if (!containsSecret(path, before, rules) && !containsSecret(path, after, rules)) {
    return [{ path: text, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }]
  }
  // A container holding secrets against something else: show it leaf by leaf, so the secrets stay out.
  const [container, other] = (isContainer(after) ? [after, before] : [before, after]) as [object, unknown]
  const inner = Object.entries(container).flatMap(([key, item]) => {
    const child: ValuePath = [...path, Array.isArray(container) ? Number(key) : key]
    return container === after ? leafChanges(child, undefined, item, rules) : leafChanges(child, item, undefined, rules)
  })
  return isContainer(other) || other === undefined
    ? inner
    : [{ path: text, ...(container === after ? { before: other } : { after: other }) }, ...inner]
}
