import * as core from '@actions/core'
import { openBase as openBaseConnection, openConnections, type Session } from './connections.js'
import { createGitHubClient, type Octokit } from './github/client.js'
import type { InstanceSettings, Settings } from './inputs.js'
import type { StepName } from './steps.js'

export type { Session } from './connections.js'

/** The action's connections: request detail goes to the debug log, login tokens are masked. */
export function openSession(settings: Settings): Promise<Session> {
  return openConnections(settings, actionHooks)
}

const actionHooks = { debug: (line: string) => core.debug(line), maskSecret: (secret: string) => core.setSecret(secret) }

/** One connection to the base alone, for `command: snapshot`. */
export function openBase(instance: InstanceSettings, timeoutMs: number) {
  return openBaseConnection(instance, timeoutMs, actionHooks)
}

/** GitHub requests share the Directus time rules: timeout-seconds each, retries within three times that. */
export function githubClient(settings: Pick<Settings, 'githubToken' | 'timeoutMs'>): Octokit {
  return createGitHubClient({
    token: settings.githubToken,
    ...(process.env['GITHUB_API_URL'] ? { baseUrl: process.env['GITHUB_API_URL'] } : {}),
    timeoutMs: settings.timeoutMs,
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
