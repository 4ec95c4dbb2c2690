/**
 * The action's side of the runner: log groups, the job summary, outputs, and
 * the clients as the action configures them (request detail to the debug
 * log, login tokens masked).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { keyMaterialOf, recordKey } from '../core/guard/record.js'
import type { ConnectionHooks } from '../core/session.js'
import type { Settings } from '../core/settings.js'
import type { Plan } from '../core/planner.js'
import { operationsOf, type ConfigPlan } from '../core/config/model.js'
import { secretHasher, summarizeOperations } from '../core/guard/config-record.js'
import type { ConfigRequest } from '../core/config-promotion.js'
import type { StepName } from '../core/steps.js'
import type { Octokit } from '../github/client.js'
import { readCommittedFile } from '../github/contents.js'
import { InputError } from '../core/errors.js'
import type { PublishLog } from '../github/publish.js'
import * as core from './workflow.js'

export const sessionHooks: ConnectionHooks = {
  debug: (line) => core.debug(line),
  maskSecret: (secret) => core.setSecret(secret)
}

export const publishLog: PublishLog = {
  info: (line) => core.info(line),
  warning: (line) => core.warning(line)
}

/**
 * GitHub requests share the Directus time rules: timeout-seconds each, retries
 * within three times that. @actions/github and Octokit are loaded here, when a
 * run needs GitHub, not at every start.
 */
export async function githubClient(token: string, timeoutMs: number): Promise<Octokit> {
  const { createGitHubClient } = await import('../github/client.js')
  return createGitHubClient({
    token,
    ...(process.env['GITHUB_API_URL'] ? { baseUrl: process.env['GITHUB_API_URL'] } : {}),
    timeoutMs,
    log: (line) => core.debug(line)
  })
}

/** Runs one step of the story in a collapsible log group, which ends with the step's duration. */
export async function step<T>(name: StepName, work: () => Promise<T>): Promise<T> {
  const started = Date.now()
  core.startGroup(name)
  try {
    return await work()
  } finally {
    core.info(`${name} took ${Date.now() - started} ms`)
    core.endGroup()
  }
}

/** Appends to the job summary, when the runner gives one; the heading is plain text (escaped by the caller). */
export async function writeSummary(markdown: string, heading?: string): Promise<void> {
  await core.appendSummary(markdown, heading)
}

/**
 * The outputs that describe a plan, set by plan and by apply (from the diff as it is at apply time). With a
 * configuration part, has-changes, destructive and risky cover it too, and config-changes counts its operations;
 * no output carries a configuration value, so none can carry a secret.
 */
export function setPlanOutputs(plan: Plan, diffFile: string, config?: ConfigPlan): void {
  const configOperations = config ? operationsOf(config) : []
  core.setOutput('has-changes', String(plan.kind === 'changes' || configOperations.length > 0))
  core.setOutput('hash', plan.kind === 'changes' ? plan.hash : '')
  core.setOutput('digest', plan.kind === 'changes' ? plan.digest : '')
  core.setOutput('summary', config ? `${plan.summary}; configuration: ${summarizeOperations(configOperations)}` : plan.summary)
  core.setOutput('destructive', String(plan.destructive || (config?.destructive ?? false)))
  core.setOutput('risky', String(plan.risky || (config?.risks.length ?? 0) > 0))
  core.setOutput('config-changes', String(configOperations.length))
  core.setOutput('diff-file', diffFile)
}

/** The full diff as JSON under RUNNER_TEMP: the `diff-file` output, complete whatever the comment had room for. */
export function writeDiffFile(targetName: string, plan: Plan): string {
  const directory = join(process.env['RUNNER_TEMP'] || tmpdir(), 'directus-schema-action')
  mkdirSync(directory, { recursive: true })
  const file = join(directory, `${targetName.replace(/[^A-Za-z0-9._-]+/g, '_')}.diff.json`)
  const content = plan.kind === 'changes' ? { hash: plan.hash, diff: plan.diff } : { hash: null, diff: null }
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`)
  return file
}

/**
 * The plan record's key, stretched once per job (it takes a few hundred
 * milliseconds on purpose): from the signing-key when given, else from the
 * target credential.
 */
export function recordKeyOf(settings: Pick<Settings, 'signingKey' | 'target'>): Buffer {
  const started = Date.now()
  const source = settings.signingKey ? 'signing-key' : 'target credential'
  const { material, warning } = keyMaterialOf(settings.signingKey, settings.target.auth)
  if (warning) core.warning(warning)
  const key = recordKey(material, settings.target.url.href)
  core.info(`Derived the plan record key from the ${source} (scrypt) in ${Date.now() - started} ms.`)
  return key
}

/** What the configuration plan is made from in the action: the job's environment for `$env:` overrides, secrets sealed under the record key. */
export function configRequestOf(settings: Settings, key: Buffer): ConfigRequest {
  return {
    parts: settings.promote.config,
    mode: settings.mode,
    ...(settings.configOverrides ? { overrides: settings.configOverrides } : {}),
    env: process.env,
    secretHash: secretHasher(key)
  }
}

/** A file's path inside the repository: relative, without `..`. */
export function repositoryPath(input: string, path: string): string {
  const normalized = posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '')
  if (normalized.startsWith('/') || normalized === '..' || normalized.startsWith('../')) {
    throw new InputError(
      input,
      `Input '${input}' must be a path inside the repository, like directus/${input === 'base-snapshot' ? 'snapshot.yaml' : 'overrides.yaml'}; got ${JSON.stringify(path)}`
    )
  }
  return normalized
}

/** An overrides file is small: a few values per target. */
const OVERRIDES_MAX_BYTES = 1024 * 1024

/**
 * The overrides file at the commit this run is for (the pull request's head for a plan, the merge commit for an
 * apply), read through GitHub's API as data: a plan on pull_request_target has no checkout of the pull request,
 * and an apply job needs none. Without a token or a repository it is read from the workspace.
 */
export async function withCommittedOverrides(
  settings: Settings,
  octokit: Octokit | undefined,
  repository: { owner: string; repo: string } | undefined,
  sha: string | undefined
): Promise<Settings> {
  const location = settings.configOverrides
  if (!location || !octokit || !repository || !sha) return settings
  const path = repositoryPath('config-overrides', location.path)
  const file = await readCommittedFile(octokit, repository, path, sha, OVERRIDES_MAX_BYTES)
  if (file.kind !== 'file') {
    throw new InputError(
      'config-overrides',
      `Input 'config-overrides': ${path} ${file.kind === 'missing' ? 'does not exist' : 'is a directory, not a file'} at commit ${sha}`
    )
  }
  core.info(`Read ${path} at ${sha} (${Buffer.byteLength(file.text)} bytes) through GitHub's API, as data.`)
  return { ...settings, configOverrides: { ...location, path, content: file.text } }
}
