/**
 * Reads the action's inputs into one typed settings object. Pure: it takes a
 * reader, so it is tested without a runner. Every error names the input.
 */
import { resolve } from 'node:path'
import type { InstanceSettings, Side } from '../directus/client.js'
import { DIFF_MODES, type CollectionScope, type DiffMode } from '../directus/schema.js'
import { InputError } from '../core/errors.js'
import {
  COMMANDS,
  CONFIG_PARTS,
  type BaseSource,
  type Command,
  type ConfigPart,
  type DriftSettings,
  type PromoteSelection,
  type Settings,
  type SnapshotSettings
} from '../core/settings.js'

export type InputReader = (name: string) => string

/** Where relative file paths (base-snapshot, snapshot-file) are read from: the workspace, or the current directory. */
export interface ReadOptions {
  directory: string
}

export { SECRET_INPUTS, URL_INPUTS } from './definitions.js'

/** A signing key is a random secret, not a password: long enough that nobody guesses it from the public record. */
export const MIN_SIGNING_KEY_LENGTH = 32

export const DEFAULT_TIMEOUT_SECONDS = 60
const MAX_TIMEOUT_SECONDS = 3600

export function readCommand(read: InputReader): Command {
  return parseCommand(read('command').trim() || 'plan')
}

/** The settings of plan and apply; `command: snapshot` is read by readSnapshotSettings. */
export function readSettings(read: InputReader, options: ReadOptions): Settings {
  const input = (name: string) => read(name).trim()
  const command = readCommand(read)
  if (command === 'snapshot') {
    throw new InputError('command', "Input 'command: snapshot' takes no target; its settings are read by readSnapshotSettings")
  }
  if (command === 'drift') throw new InputError('command', "Input 'command: drift' is read by readDriftSettings")
  if (input('snapshot-file')) {
    throw new InputError(
      'snapshot-file',
      "Input 'snapshot-file' is where 'command: snapshot' writes the base snapshot; to plan or apply from a committed snapshot, use 'base-snapshot'"
    )
  }
  const base = readBaseSource(input, options)
  const target = readInstance('target', input)
  const expectedHash = input('expected-hash')
  const expectedDigest = input('expected-digest')
  const scope = readScope(input)
  const promote = parsePromote(input('promote'))
  if (promote.config.length > 0 && 'kind' in base) {
    throw new InputError(
      'promote',
      `Input 'promote' names configuration (${promote.config.join(', ')}), which is read from a live base instance; ` +
        "'base-snapshot' holds the schema only. Give 'base-url' instead, or promote 'schema' alone"
    )
  }
  const overrides = input('config-overrides')
  if (overrides && promote.config.length === 0) {
    throw new InputError(
      'config-overrides',
      "Input 'config-overrides' sets configuration values, but 'promote' names no configuration part; add the parts to 'promote' (e.g. 'schema, flows') or remove 'config-overrides'"
    )
  }
  return {
    command,
    base,
    target,
    ...(scope ? { scope } : {}),
    mode: parseDiffMode(input('diff-mode')),
    promote,
    ...(overrides ? { configOverrides: fileLocation(overrides, options) } : {}),
    targetName: parseTargetName(input('target-name') || target.url.host),
    githubToken: input('github-token'),
    force: parseBoolean('force', input('force'), false),
    comment: parseBoolean('comment', input('comment'), true),
    timeoutMs: parseTimeoutSeconds(input('timeout-seconds')) * 1000,
    allowDestructive: parseBoolean('allow-destructive', input('allow-destructive'), false),
    requirePlan: parseBoolean('require-plan', input('require-plan'), true),
    requireApproval: parseBoolean('require-approval', input('require-approval'), true),
    allowForks: parseBoolean('allow-forks', input('allow-forks'), false),
    allowPartialReview: parseBoolean('allow-partial-review', input('allow-partial-review'), false),
    ...signingKeyOf(input('signing-key')),
    ...(expectedHash ? { expectedHash: parseHash(expectedHash) } : {}),
    ...(expectedDigest ? { expectedDigest: parseDigest(expectedDigest) } : {}),
    issue: parseBoolean('issue', input('issue'), true)
  }
}

/**
 * The settings of `command: drift`. It compares the target with the state it
 * should be in, never with a live base: a base-url is refused, a committed
 * snapshot (base-snapshot) is the GitOps reference.
 */
export function readDriftSettings(read: InputReader, options: ReadOptions): DriftSettings {
  const input = (name: string) => read(name).trim()
  const command = readCommand(read)
  if (command !== 'drift') throw new InputError('command', `readDriftSettings reads 'command: drift', not ${quote(command)}`)
  if (input('base-url')) {
    throw new InputError(
      'base-url',
      "Input 'base-url' cannot be used with 'command: drift': drift compares the target with the state it should be in " +
        "(the baseline of the action's last apply), never with a live base, which is legitimately ahead of it. " +
        "Remove 'base-url', or give 'base-snapshot' to compare with a committed snapshot"
    )
  }
  for (const name of ['snapshot-file', 'expected-hash', 'expected-digest'] as const) {
    if (input(name)) throw new InputError(name, `Input '${name}' cannot be used with 'command: drift'`)
  }
  const file = input('base-snapshot')
  const target = readInstance('target', input)
  const scope = readScope(input)
  const issue = parseBoolean('issue', input('issue'), true)
  const acceptBaseline = parseBoolean('accept-baseline', input('accept-baseline'), false)
  if (acceptBaseline && file) {
    throw new InputError(
      'accept-baseline',
      "Input 'accept-baseline' records the target's state as its baseline, but with 'base-snapshot' the committed snapshot is the baseline: " +
        "commit the target's snapshot instead ('command: snapshot' with the target as 'base-url')"
    )
  }
  if (acceptBaseline && !issue) {
    throw new InputError(
      'accept-baseline',
      "Input 'accept-baseline: true' writes the baseline to the tracking issue, which 'issue: false' turns off"
    )
  }
  return {
    command,
    target,
    ...(file ? { baseFile: fileLocation(parseSnapshotPath('base-snapshot', file), options) } : {}),
    ...(scope ? { scope } : {}),
    targetName: parseTargetName(input('target-name') || target.url.host),
    githubToken: input('github-token'),
    force: parseBoolean('force', input('force'), false),
    timeoutMs: parseTimeoutSeconds(input('timeout-seconds')) * 1000,
    ...signingKeyOf(input('signing-key')),
    issue,
    labels: parseLabels(input('labels')),
    failOnDrift: parseBoolean('fail-on-drift', input('fail-on-drift'), false),
    acceptBaseline
  }
}

/** Issue labels, separated by commas or new lines; GitHub allows at most 50 characters each. */
function parseLabels(value: string): string[] {
  const labels = value
    .split(/[,\n]/)
    .map((label) => label.trim())
    .filter((label) => label !== '')
  for (const label of labels) {
    // eslint-disable-next-line no-control-regex
    if (label.length > 50 || /[\u0000-\u001f\u007f]/.test(label)) {
      throw new InputError(
        'labels',
        `Input 'labels' must list label names of at most 50 characters, separated by commas or new lines; got ${quote(label)}`
      )
    }
  }
  return [...new Set(labels)]
}

export function readSnapshotSettings(read: InputReader, options: ReadOptions): SnapshotSettings {
  const input = (name: string) => read(name).trim()
  const command = readCommand(read)
  if (command !== 'snapshot') throw new InputError('command', `readSnapshotSettings reads 'command: snapshot', not ${quote(command)}`)
  if (input('base-snapshot')) {
    throw new InputError(
      'base-snapshot',
      "Input 'base-snapshot' cannot be used with 'command: snapshot', which writes the base snapshot from 'base-url'"
    )
  }
  const snapshotFile = input('snapshot-file')
  if (!snapshotFile) {
    throw new InputError(
      'snapshot-file',
      "Input 'snapshot-file' is required with 'command: snapshot': the path to write the base snapshot to (.json, .yaml or .yml)"
    )
  }
  const scope = readScope(input)
  return {
    command,
    base: readInstance('base', input),
    snapshotFile: fileLocation(parseSnapshotPath('snapshot-file', snapshotFile), options),
    ...(scope ? { scope } : {}),
    timeoutMs: parseTimeoutSeconds(input('timeout-seconds')) * 1000
  }
}

/** The base is either a live instance (base-url) or a committed snapshot file (base-snapshot). */
function readBaseSource(input: InputReader, options: ReadOptions): BaseSource {
  const file = input('base-snapshot')
  if (!file && !input('base-url')) {
    throw new InputError('base-url', "Input 'base-url' is required, or 'base-snapshot' naming a committed snapshot file")
  }
  if (!file) return readInstance('base', input)
  if (input('base-url')) {
    throw new InputError('base-snapshot', "Give either 'base-url' or 'base-snapshot' as the base, not both")
  }
  // Base credentials are simply unused here: a workflow may share one `with:` block.
  return { kind: 'file', ...fileLocation(parseSnapshotPath('base-snapshot', file), options) }
}

function fileLocation(path: string, options: ReadOptions): { path: string; file: string } {
  return { path, file: resolve(options.directory, path) }
}

function parseSnapshotPath(name: string, value: string): string {
  if (!/\.(json|ya?ml)$/i.test(value)) {
    throw new InputError(name, `Input '${name}' must name a .json, .yaml or .yml file; got ${quote(value)}`)
  }
  return value
}

function readScope(input: InputReader): CollectionScope | undefined {
  const include = parseCollectionList('include-collections', input('include-collections'))
  const exclude = parseCollectionList('exclude-collections', input('exclude-collections'))
  if (include.length > 0 && exclude.length > 0) {
    throw new InputError(
      'exclude-collections',
      "Give either 'include-collections' or 'exclude-collections', not both (Directus takes one of them)"
    )
  }
  if (include.length > 0) return { kind: 'include', collections: include }
  if (exclude.length > 0) return { kind: 'exclude', collections: exclude }
  return undefined
}

/** Collection names separated by commas or new lines (Directus splits its query parameter on commas). */
export function parseCollectionList(name: string, value: string): string[] {
  const names = value
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
  for (const collection of names) {
    // eslint-disable-next-line no-control-regex
    if (collection.length > 64 || /[\s\u0000-\u001f\u007f]/.test(collection)) {
      throw new InputError(name, `Input '${name}' must list collection names separated by commas or new lines; got ${quote(collection)}`)
    }
  }
  return [...new Set(names)]
}

const PROMOTE_NAMES = ['schema', ...CONFIG_PARTS, 'all'] as const

/** `schema`, configuration parts and `all`, separated by commas or new lines; the default is the schema alone. */
export function parsePromote(value: string): PromoteSelection {
  const names = value
    .split(/[,\n]/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '')
  if (names.length === 0) return { schema: true, config: [] }
  for (const name of names) {
    if (!(PROMOTE_NAMES as readonly string[]).includes(name)) {
      throw new InputError('promote', `Input 'promote' must list some of ${PROMOTE_NAMES.join(', ')}; got ${quote(name)}`)
    }
  }
  if (names.includes('all')) return { schema: true, config: [...CONFIG_PARTS] }
  // In the model's order, whatever order they were given in: the plan and its record do not depend on it.
  return { schema: names.includes('schema'), config: CONFIG_PARTS.filter((part: ConfigPart) => names.includes(part)) }
}

function parseDiffMode(value: string): DiffMode {
  if (value === '') return 'mirror'
  const mode = value.toLowerCase()
  if ((DIFF_MODES as readonly string[]).includes(mode)) return mode as DiffMode
  throw new InputError('diff-mode', `Input 'diff-mode' must be one of ${DIFF_MODES.join(', ')}; got ${quote(value)}`)
}

function parseCommand(value: string): Command {
  const command = value.toLowerCase()
  if ((COMMANDS as readonly string[]).includes(command)) return command as Command
  throw new InputError('command', `Input 'command' must be one of ${COMMANDS.join(', ')}; got ${quote(value)}`)
}

function readInstance(side: Side, input: InputReader): InstanceSettings {
  const urlValue = input(`${side}-url`)
  if (!urlValue) throw new InputError(`${side}-url`, `Input '${side}-url' is required`)
  const url = parseUrl(`${side}-url`, urlValue)

  const token = input(`${side}-token`)
  const email = input(`${side}-email`)
  const password = input(`${side}-password`)
  if (token && (email || password)) {
    throw new InputError(`${side}-token`, `Give either '${side}-token' or '${side}-email' with '${side}-password', not both`)
  }
  if (token) return { side, url, auth: { kind: 'token', token } }
  if (email && password) return { side, url, auth: { kind: 'password', email, password } }
  if (email) {
    throw new InputError(`${side}-password`, `Input '${side}-password' is required with '${side}-email'`, true)
  }
  if (password) throw new InputError(`${side}-email`, `Input '${side}-email' is required with '${side}-password'`)
  throw new InputError(
    `${side}-token`,
    `No credentials for the ${side} instance: set '${side}-token', or '${side}-email' and '${side}-password'`,
    true
  )
}

export function parseUrl(name: string, value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(name, `Input '${name}' is not a valid URL: ${quote(withoutSecrets(value))}`)
  }
  if (url.username || url.password) {
    // The value itself is not repeated: it holds a credential.
    throw new InputError(
      name,
      `Input '${name}' must not contain credentials; pass them as '${name.replace(/-url$/, '')}-token' or -email/-password secrets`
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(name, `Input '${name}' must be an http:// or https:// URL; got ${quote(withoutSecrets(value))}`)
  }
  if (url.search || url.hash) {
    // Not echoed: a query is where an access token would be.
    throw new InputError(
      name,
      `Input '${name}' must not have a query or fragment; give the instance's address only, like ${quote(url.origin + url.pathname)}`
    )
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

export function parseBoolean(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (/^(true|True|TRUE)$/.test(value)) return true
  if (/^(false|False|FALSE)$/.test(value)) return false
  throw new InputError(name, `Input '${name}' must be true or false; got ${quote(value)}`)
}

function parseTimeoutSeconds(value: string): number {
  if (value === '') return DEFAULT_TIMEOUT_SECONDS
  const seconds = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
    throw new InputError(
      'timeout-seconds',
      `Input 'timeout-seconds' must be a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}; got ${quote(value)}`
    )
  }
  return Math.max(1, seconds)
}

function parseTargetName(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.length > 100 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new InputError('target-name', `Input 'target-name' must be at most 100 printable characters; got ${quote(value)}`)
  }
  return value
}

function signingKeyOf(value: string): { signingKey?: string } {
  if (value === '') return {}
  if (value.length < MIN_SIGNING_KEY_LENGTH) {
    // The value itself is never repeated: it is a secret.
    throw new InputError(
      'signing-key',
      `Input 'signing-key' must be at least ${MIN_SIGNING_KEY_LENGTH} characters of random text (e.g. the output of 'openssl rand -base64 32'); the one given has ${value.length}`
    )
  }
  return { signingKey: value }
}

/**
 * A warning for each admin credential that would travel unencrypted: an
 * http:// URL whose host is not this machine.
 */
export function plainHttpWarnings(instances: readonly { side: string; url: URL }[]): string[] {
  return instances
    .filter((instance) => instance.url.protocol === 'http:' && !isLoopback(instance.url.hostname))
    .map(
      (instance) =>
        `${instance.side}-url is ${instance.url.origin}: the ${instance.side}'s admin credential is sent over plain http:// to a host that is not this machine, ` +
        'readable by anyone on the way. Use https://.'
    )
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1'
}

function parseHash(value: string): string {
  if (!/^[A-Za-z0-9]{8,128}$/.test(value)) {
    throw new InputError('expected-hash', `Input 'expected-hash' must be a Directus schema hash; got ${quote(value)}`)
  }
  return value
}

function parseDigest(value: string): string {
  if (!/^sha256:[0-9a-f]{64}$/.test(value)) {
    throw new InputError(
      'expected-digest',
      `Input 'expected-digest' must be a plan digest like sha256:<64 hex digits>; got ${quote(value)}`
    )
  }
  return value
}

/** A URL as it may be shown: no user info, query or fragment, where credentials would sit. */
function withoutSecrets(value: string): string {
  return value.replace(/\/\/[^/?#]*@/, '//…@').replace(/[?#].*$/s, '?…')
}

function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value
  return JSON.stringify(shown)
}
