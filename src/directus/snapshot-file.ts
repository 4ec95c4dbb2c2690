/**
 * Schema snapshots as committed files: read as the base of a plan
 * (`base-snapshot`), written by `command: snapshot`. Both formats Directus
 * produces are read: JSON or YAML, from `directus schema snapshot` (the bare
 * snapshot) or from GET /schema/snapshot (wrapped in `data`; `?export=yaml`).
 * Files are written with sorted keys, so re-exports give clean git diffs.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type * as Yaml from 'yaml'
import type { CST } from 'yaml'
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
  /** The file's text when it was read elsewhere (from a pull request's commit, through GitHub's API). */
  content?: string
}

/**
 * Bounds on a snapshot file, which may come from a fork's pull request: read as
 * data, never executed, and refused before it can exhaust memory or the stack.
 * A Directus snapshot nests about eight levels deep (fields → meta → options →
 * a filter's _and/_or); aliases appear only where js-yaml's dump (Directus' own
 * CLI) found one object twice. A YAML file is also bounded in nodes, counted
 * by the lexer before any parse tree is built: Directus' YAML spends about 8
 * bytes on each (scalars, item and value indicators), so 10 million fit a
 * 64 MiB snapshot, while `[1,1,1,…]` or `-\n-\n…` would make a node of every
 * one or two bytes, and each node costs far more memory than its bytes.
 */
export const SNAPSHOT_LIMITS = { maxBytes: 64 * 1024 * 1024, maxDepth: 64, maxAliasCount: 100, maxYamlNodes: 10_000_000 } as const

export async function readSnapshotFile({ path, file, content }: SnapshotFileLocation, input = 'base-snapshot'): Promise<SchemaSnapshot> {
  if (content !== undefined) return parseSnapshotText(content, formatOf(path), { input, path })
  let text: string
  try {
    const size = statSync(file).size
    if (size > SNAPSHOT_LIMITS.maxBytes) throw new InputError(input, `Input '${input}': ${path} ${tooLarge(size)}`)
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof InputError) throw error
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
  source: { input: string; path: string },
  /** The node budget; smaller only in tests, which cannot afford to lex 10 million nodes. */
  maxYamlNodes: number = SNAPSHOT_LIMITS.maxYamlNodes
): Promise<SchemaSnapshot> {
  const where = `Input '${source.input}': ${source.path}`
  const size = Buffer.byteLength(text)
  if (size > SNAPSHOT_LIMITS.maxBytes) throw new InputError(source.input, `${where} ${tooLarge(size)}`)
  const yaml = format === 'yaml' ? await loadYaml() : undefined
  let value: unknown
  try {
    value = yaml ? parseBoundedYaml(yaml, text, maxYamlNodes) : JSON.parse(text)
  } catch (error) {
    const detail =
      error instanceof RangeError
        ? `nested too deeply (a snapshot nests about 8 levels; at most ${SNAPSHOT_LIMITS.maxDepth})`
        : ((error as Error).message ?? String(error)).split('\n')[0]
    throw new InputError(source.input, `${where} is not valid ${format.toUpperCase()}: ${detail}`)
  }
  if (depthExceeds(value, SNAPSHOT_LIMITS.maxDepth)) {
    throw new InputError(
      source.input,
      `${where} nests deeper than ${SNAPSHOT_LIMITS.maxDepth} levels, which no Directus schema snapshot does (it nests about 8)`
    )
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

function tooLarge(size: number): string {
  const mib = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MiB`
  return `is ${mib(size)}, larger than the ${mib(SNAPSHOT_LIMITS.maxBytes)} a schema snapshot file may be`
}

/**
 * YAML as plain data: one document, the core schema (no custom tags, no
 * merge keys), aliases bounded, and the depth checked on the parse tree before
 * the (recursive) composer builds values from it.
 */
function parseBoundedYaml(yaml: typeof Yaml, text: string, maxNodes: number): unknown {
  if (yamlNodesUpTo(yaml, text, maxNodes + 1) > maxNodes) {
    throw new Error(`it has more than ${maxNodes.toLocaleString('en-US')} YAML nodes, more than a 64 MiB Directus schema snapshot holds`)
  }
  const tokens = [...new yaml.Parser().parse(text)]
  for (const token of tokens) {
    if (token.type === 'document' && cstDepthExceeds(token, SNAPSHOT_LIMITS.maxDepth + 1)) {
      throw new Error(`it nests deeper than ${SNAPSHOT_LIMITS.maxDepth} levels, which no Directus schema snapshot does (it nests about 8)`)
    }
  }
  const options = { version: '1.2', schema: 'core', merge: false, uniqueKeys: true } as const
  const documents = [...new yaml.Composer(options).compose(tokens)]
  if (documents.length !== 1) throw new Error(`it holds ${documents.length} YAML documents; a snapshot is one`)
  const [document] = documents
  const problem = document?.errors[0]
  if (problem) throw problem
  return document?.toJS({ maxAliasCount: SNAPSHOT_LIMITS.maxAliasCount })
}

/** Lexer tokens that each make (or stand for) a node: a scalar, an alias, an item or value indicator, a flow collection. */
const NODE_TOKENS: ReadonlySet<string> = new Set([
  'scalar',
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar-header',
  'alias',
  'seq-item-ind',
  'map-value-ind',
  'explicit-key-ind',
  'flow-map-start',
  'flow-seq-start',
  'comma'
])

/** The nodes of a YAML text, counted on the lexer's tokens as they stream by, up to `stopAt`. */
function yamlNodesUpTo(yaml: typeof Yaml, text: string, stopAt: number): number {
  let nodes = 0
  for (const token of new yaml.Lexer().lex(text)) {
    if (!NODE_TOKENS.has(yaml.CST.tokenType(token) ?? '')) continue
    if (++nodes >= stopAt) break
  }
  return nodes
}

/** Nesting of collections in a YAML parse tree, walked without recursion. */
function cstDepthExceeds(document: CST.Document, maxDepth: number): boolean {
  const pending: { token: CST.Token | null | undefined; depth: number }[] = [{ token: document.value, depth: 0 }]
  while (pending.length > 0) {
    const { token, depth } = pending.pop() as { token: CST.Token | null | undefined; depth: number }
    if (!token) continue
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > maxDepth) return true
      for (const item of token.items) {
        pending.push({ token: item.key, depth: depth + 1 }, { token: item.value, depth: depth + 1 })
      }
    }
  }
  return false
}

/** Nesting of a parsed value, walked without recursion (the code after parsing recurses). */
function depthExceeds(value: unknown, maxDepth: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  while (pending.length > 0) {
    const next = pending.pop() as { value: unknown; depth: number }
    if (typeof next.value !== 'object' || next.value === null) continue
    if (next.depth + 1 > maxDepth) return true
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 })
  }
  return false
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
