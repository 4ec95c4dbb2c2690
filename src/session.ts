import * as core from '@actions/core'
import { getOctokit } from '@actions/github'
import { assertSupportedServer, type ServerVersions } from './compatibility.js'
import { connect, type DirectusConnection } from './directus/client.js'
import { readServerInfo } from './directus/schema.js'
import { createTransport, type Transport } from './directus/transport.js'
import type { Octokit } from './github/comments.js'
import { isSnapshotFile, type InstanceSettings, type Settings } from './inputs.js'

/** The live connections one run holds, closed together so the process can exit. */
export interface Session {
  transport: Transport
  /** Absent when the base is a committed snapshot file. */
  base?: DirectusConnection
  target: DirectusConnection
  /** Read once, right after connecting: they decide what may be sent. */
  versions: ServerVersions
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
    const base = isSnapshotFile(settings.base) ? undefined : await connect(settings.base, transport, core.setSecret)
    if (base) opened.push(base)
    const target = await connect(settings.target, transport, core.setSecret)
    opened.push(target)
    const [baseVersion, targetVersion] = await Promise.all([
      base ? checkedVersion(base) : undefined,
      checkedVersion(target)
    ])
    const versions: ServerVersions = {
      ...(baseVersion ? { base: baseVersion } : {}),
      ...(targetVersion ? { target: targetVersion } : {})
    }
    return { transport, ...(base ? { base } : {}), target, versions, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** One connection to the base alone, for `command: snapshot`. */
export async function openBase(
  instance: InstanceSettings,
  timeoutMs: number
): Promise<{ base: DirectusConnection; version?: string; close(): Promise<void> }> {
  const transport = createTransport({ timeoutMs, log: (line) => core.debug(line) })
  let base: DirectusConnection | undefined
  const close = async () => {
    await base?.close()
    await transport.close()
  }
  try {
    base = await connect(instance, transport, core.setSecret)
    const version = await checkedVersion(base)
    return { base, ...(version ? { version } : {}), close }
  } catch (error) {
    await close()
    throw error
  }
}

async function checkedVersion(connection: DirectusConnection): Promise<string | undefined> {
  const { version } = await readServerInfo(connection)
  assertSupportedServer(connection.side, connection.host, version)
  return version
}

export function githubClient(token: string): Octokit {
  return getOctokit(token)
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
