/**
 * Schema snapshots as committed files: read as the base of a plan
 * (`base-snapshot`), written by `command: snapshot`. Both formats Directus
 * produces are read: JSON or YAML, from `directus schema snapshot` (the bare
 * snapshot) or from GET /schema/snapshot (wrapped in `data`; `?export=yaml`).
 * Files are written with sorted keys, so re-exports give clean git diffs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type * as Yaml from 'yaml'
import { InputError } from '../core/errors.js'
import { canonicalJson } from '../core/json.js'
import { isSnapshot } from './schema.js'
import type { SchemaSnapshot } from './types.js'

export type SnapshotFormat = 'json' | 'yaml'

export function formatOf(path: string): SnapshotFormat {
  return /\.ya?ml$/i.test(path) ? 'yaml' : 'json'
}

/** A snapshot file: `path` as the user gave it (shown in messages), `file` resolved (read or written). */
export interface SnapshotFileLocation {
  path: string
  file: string
}

export async function readSnapshotFile({ path, file }: SnapshotFileLocation, input = 'base-snapshot'): Promise<SchemaSnapshot> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`
    throw new InputError(input, `Input '${input}': the file ${path} ${why}`)
  }
  return parseSnapshotText(text, formatOf(path), { input, path })
}

/** Errors name the input and the file it came from. */
export async function parseSnapshotText(
  text: string,
  format: SnapshotFormat,
  source: { input: string; path: string }
): Promise<SchemaSnapshot> {
  const where = `Input '${source.input}': ${source.path}`
  const yaml = format === 'yaml' ? await loadYaml() : undefined
  let value: unknown
  try {
    value = yaml ? yaml.parse(text) : JSON.parse(text)
  } catch (error) {
    const detail = ((error as Error).message ?? String(error)).split('\n')[0]
    throw new InputError(source.input, `${where} is not valid ${format.toUpperCase()}: ${detail}`)
  }
  const snapshot = unwrap(value)
  if (!snapshot) {
    throw new InputError(
      source.input,
      `${where} is not a Directus schema snapshot: expected version, directus, collections, fields and relations, bare or under "data"`
    )
  }
  return snapshot
}

/** GET /schema/snapshot answers `{ data: snapshot }`; the CLI writes the snapshot itself. */
function unwrap(value: unknown): SchemaSnapshot | undefined {
  if (isSnapshot(value)) return value
  const data = (value as { data?: unknown } | null)?.data
  return isSnapshot(data) ? data : undefined
}

/** The file's text: keys sorted at every level, lists in Directus' order, one trailing new line. */
export async function formatSnapshot(snapshot: SchemaSnapshot, format: SnapshotFormat): Promise<string> {
  const sorted: unknown = JSON.parse(canonicalJson(snapshot))
  if (format === 'json') return `${JSON.stringify(sorted, null, 2)}\n`
  // YAML 1.1 quotes every string that an older reader (js-yaml, as in
  // `directus schema apply`) would take for a date or a boolean.
  return (await loadYaml()).stringify(sorted, { version: '1.1', sortMapEntries: true, lineWidth: 0 })
}

/** The YAML library is loaded only for YAML files: most runs never read or write one. */
function loadYaml(): Promise<typeof Yaml> {
  return import('yaml')
}

/** Writes the file; true when its content changed (or it is new). */
export async function writeSnapshotFile(
  { path, file }: SnapshotFileLocation,
  snapshot: SchemaSnapshot
): Promise<{ file: string; changed: boolean }> {
  const text = await formatSnapshot(snapshot, formatOf(path))
  const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined
  if (before === text) return { file, changed: false }
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
  return { file, changed: true }
}
