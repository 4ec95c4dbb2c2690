/**
 * The overrides file (issue #11, "Per-environment values"): checked in, one per
 * target, YAML or JSON. It replaces chosen values of the base's records before
 * they are compared with the target, e.g. a webhook URL, and may name an
 * environment variable for a secret (`$env:NAME`):
 *
 *     flows:
 *       Notify Slack:                         # a record: its id, or its name as below
 *         options.url: https://hooks.example.com/production
 *     operations:
 *       Notify Slack / post:                  # flow name / operation key
 *         options.headers[0].value: $env:SLACK_TOKEN
 *     settings:
 *       project_name: Production
 *
 * Records are named by id or by: name (policies, roles, flows, dashboards), path
 * (folders, `Parent/Child`), `flow / key` (operations), `dashboard / name`
 * (panels), `policy / collection / action` (permissions), `collection / bookmark
 * / role` (presets, `default` and `everyone` for none), `language / key`
 * (translations). Settings take paths directly.
 */
import { parse } from 'yaml'
import { ExpectedError } from '../errors.js'
import { isPlainObject } from '../json.js'
import { SETTINGS_NEVER_PROMOTED } from './fields.js'
import { folderPath, type MatchTable } from './identity.js'
import { CONFIG_COLLECTIONS, type ConfigCollection, type ConfigItem, type ConfigState } from './model.js'
import { parsePath, valueAt, type ValuePath } from './secrets.js'

export interface OverrideEntry {
  collection: ConfigCollection
  /** How the file names the record; '' for settings. */
  record: string
  path: ValuePath
  /** The path as written. */
  pathText: string
  /** The value, or the environment variable that holds it. */
  value: { kind: 'literal'; value: unknown } | { kind: 'env'; name: string }
}

export interface ConfigOverrides {
  /** The file, for messages. */
  source: string
  entries: readonly OverrideEntry[]
}

export class OverridesError extends ExpectedError {
  override name = 'OverridesError'
}

const ENV_REFERENCE = /^\$env:([A-Za-z_][A-Za-z0-9_]*)$/

export function parseOverrides(text: string, source: string): ConfigOverrides {
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    throw new OverridesError(`${source} is neither YAML nor JSON: ${(error as Error).message.split('\n')[0]}`)
  }
  if (document === null || document === undefined) return { source, entries: [] }
  if (!isPlainObject(document)) throw new OverridesError(`${source} must map collections (e.g. flows, operations, settings) to overrides`)
  const problems: string[] = []
  const entries: OverrideEntry[] = []
  for (const [name, records] of Object.entries(document)) {
    const collection = CONFIG_COLLECTIONS.find((known) => known === name)
    if (!collection) {
      problems.push(`"${name}" is not a configuration collection (${CONFIG_COLLECTIONS.join(', ')})`)
      continue
    }
    if (!isPlainObject(records)) {
      problems.push(`${name} must be a map`)
      continue
    }
    const byRecord: [string, unknown][] = collection === 'settings' ? [['', records]] : Object.entries(records)
    for (const [record, values] of byRecord) {
      if (!isPlainObject(values)) {
        problems.push(`${name} "${record}" must map paths to values`)
        continue
      }
      for (const [pathText, raw] of Object.entries(values)) {
        const path = parsePath(pathText)
        if (!path) {
          problems.push(`${name}${record ? ` "${record}"` : ''}: "${pathText}" is not a path (e.g. options.url, options.headers[0].value)`)
          continue
        }
        const env = typeof raw === 'string' ? ENV_REFERENCE.exec(raw) : null
        entries.push({
          collection,
          record,
          path,
          pathText,
          value: env ? { kind: 'env', name: env[1] as string } : { kind: 'literal', value: raw }
        })
      }
    }
  }
  if (problems.length > 0) throw new OverridesError(`${source}: ${problems.join('; ')}`)
  return { source, entries }
}

/** How an overrides file names a base record, besides its id. */
export function overrideName(collection: ConfigCollection, item: ConfigItem, state: ConfigState): string {
  const nameOf = (ref: ConfigCollection, key: unknown, none: string) =>
    key === null || key === undefined ? none : String(state.items[ref]?.find((other) => other['id'] === key)?.['name'] ?? key)
  const text = (value: unknown) => String(value ?? '')
  switch (collection) {
    case 'folders':
      return folderPath(item, state).join('/')
    case 'operations':
      return `${nameOf('flows', item['flow'], '')} / ${text(item['key'])}`
    case 'panels':
      return `${nameOf('dashboards', item['dashboard'], '')} / ${text(item['name'])}`
    case 'permissions':
      return `${nameOf('policies', item['policy'], '')} / ${text(item['collection'])} / ${text(item['action'])}`
    case 'presets':
      return `${text(item['collection'])} / ${item['bookmark'] === null || item['bookmark'] === undefined ? 'default' : text(item['bookmark'])} / ${nameOf('roles', item['role'], 'everyone')}`
    case 'translations':
      return `${text(item['language'])} / ${text(item['key'])}`
    case 'access':
      return text(item['id'])
    case 'settings':
      return ''
    default:
      return text(item['name'])
  }
}

/** An override bound to a base record, its value resolved. */
export interface ResolvedOverride {
  path: ValuePath
  value: unknown
  fromEnvironment: boolean
}

/**
 * Binds each override to the base record it names and resolves `$env:` values.
 * Overrides of collections not promoted are ignored (one file serves every
 * `promote`); a record, path or variable that is not there is an error naming it.
 */
export function resolveOverrides(
  overrides: ConfigOverrides,
  base: ConfigState,
  table: MatchTable,
  /** The fields compared in each promoted collection. */
  compared: Partial<Record<ConfigCollection, readonly string[]>>,
  env: Readonly<Record<string, string | undefined>>
): Map<ConfigItem, ResolvedOverride[]> {
  const problems: string[] = []
  const resolved = new Map<ConfigItem, ResolvedOverride[]>()
  for (const entry of overrides.entries) {
    const fields = compared[entry.collection]
    const matches = table.matches[entry.collection]
    if (!fields || !matches) continue
    const where = `${entry.collection}${entry.record ? ` "${entry.record}"` : ''}`
    const records = matches
      .map((match) => match.base)
      .filter(
        (item) =>
          entry.collection === 'settings' ||
          String(item['id']) === entry.record ||
          overrideName(entry.collection, item, base) === entry.record
      )
    if (records.length !== 1) {
      problems.push(
        records.length === 0 ? `${where}: no such record on the base` : `${where} names ${records.length} records; name it by id`
      )
      continue
    }
    const record = records[0] as ConfigItem
    const [field] = entry.path
    const parent = valueAt(record, entry.path.slice(0, -1))
    if (entry.collection === 'settings' && (SETTINGS_NEVER_PROMOTED as readonly string[]).includes(String(field))) {
      problems.push(
        `settings "${entry.pathText}" is never promoted (environment-specific, secret, licence or a reference), so it cannot be overridden`
      )
      continue
    }
    if (
      typeof field !== 'string' ||
      !fields.includes(field) ||
      (entry.path.length > 1 && (typeof parent !== 'object' || parent === null))
    ) {
      problems.push(`${where}: "${entry.pathText}" is not a path of the record (fields: ${fields.join(', ')})`)
      continue
    }
    let value: unknown
    if (entry.value.kind === 'env') {
      value = env[entry.value.name]
      if (value === undefined) {
        problems.push(`${where} "${entry.pathText}": the environment variable ${entry.value.name} is not set`)
        continue
      }
    } else {
      value = entry.value.value
    }
    resolved.set(record, [...(resolved.get(record) ?? []), { path: entry.path, value, fromEnvironment: entry.value.kind === 'env' }])
  }
  if (problems.length > 0) throw new OverridesError(`${overrides.source}: ${problems.join('; ')}`)
  return resolved
}
