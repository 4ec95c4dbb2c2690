import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { openConnections, type Session } from './connections.js'
import type { Octokit } from './github/comments.js'
import type { Settings } from './inputs.js'
import type { StepName } from './steps.js'

export type { Session } from './connections.js'

/** The action's connections: request detail goes to the debug log, login tokens are masked. */
export function openSession(settings: Settings): Promise<Session> {
  return openConnections(settings, { debug: (line) => core.debug(line), maskSecret: (secret) => core.setSecret(secret) })
}

export function githubClient(token: string): Octokit {
  return getOctokit(token)
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
