import * as core from '@actions/core'
import { connect, type DirectusConnection } from './directus/client.js'
import { createTransport, type Transport } from './directus/transport.js'
import { createGitHubClient, type Octokit } from './github/client.js'
import type { Settings } from './inputs.js'

/** The live connections one run holds, closed together so the process can exit. */
export interface Session {
  transport: Transport
  base: DirectusConnection
  target: DirectusConnection
  close(): Promise<void>
}

export async function openSession(settings: Settings): Promise<Session> {
  const transport = createTransport({ timeoutMs: settings.timeoutMs, log: (line) => core.debug(line) })
  const opened: DirectusConnection[] = []
  const close = async () => {
    await Promise.all(opened.map((connection) => connection.close()))
    await transport.close()
  }
  try {
    const base = await connect(settings.base, transport, core.setSecret)
    opened.push(base)
    const target = await connect(settings.target, transport, core.setSecret)
    opened.push(target)
    return { transport, base, target, close }
  } catch (error) {
    await close()
    throw error
  }
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

/** Runs one step of the story in a collapsible log group, with its duration. */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now()
  core.startGroup(name)
  try {
    return await work()
  } finally {
    core.info(`${name}: ${Date.now() - started} ms`)
    core.endGroup()
  }
}
