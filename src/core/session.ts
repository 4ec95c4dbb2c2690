/**
 * The live connections of one run, opened together and closed together so
 * the process can exit. Shared by the action and the command line; neither
 * logs here: the hooks decide where lines go.
 */
import { connect, type DirectusConnection, type InstanceSettings } from '../directus/client.js'
import { readServerInfo } from '../directus/schema.js'
import { createTransport, type Transport } from '../directus/transport.js'
import { assertSupportedServer, type ServerVersions } from './compatibility.js'
import { isSnapshotFile, type BaseSource } from './settings.js'

export interface Session {
  transport: Transport
  /** Absent when the base is a committed snapshot file. */
  base?: DirectusConnection
  target: DirectusConnection
  /** Read once, right after connecting: they decide what may be sent. */
  versions: ServerVersions
  close(): Promise<void>
}

export interface ConnectionSettings {
  base: BaseSource
  target: InstanceSettings
  timeoutMs: number
}

export interface ConnectionHooks {
  /** Request timings and retries: detail for whoever debugs, never the main log. */
  debug(line: string): void
  /** Called with every session token a login hands out, before anything could log it. */
  maskSecret(secret: string): void
}

export async function openSession(settings: ConnectionSettings, hooks: ConnectionHooks): Promise<Session> {
  return withConnections(settings.timeoutMs, hooks, async (connectTo) => {
    const base = isSnapshotFile(settings.base) ? undefined : await connectTo(settings.base)
    const target = await connectTo(settings.target)
    const [baseVersion, targetVersion] = await Promise.all([base ? checkedVersion(base) : undefined, checkedVersion(target)])
    const versions: ServerVersions = {
      ...(baseVersion ? { base: baseVersion } : {}),
      ...(targetVersion ? { target: targetVersion } : {})
    }
    return { ...(base ? { base } : {}), target, versions }
  })
}

/** One connection to the base alone, for `command: snapshot`. */
export async function openBaseSession(
  instance: InstanceSettings,
  timeoutMs: number,
  hooks: ConnectionHooks
): Promise<{ base: DirectusConnection; version?: string; close(): Promise<void> }> {
  return withConnections(timeoutMs, hooks, async (connectTo) => {
    const base = await connectTo(instance)
    const version = await checkedVersion(base)
    return { base, ...(version ? { version } : {}) }
  })
}

/**
 * Connections over one transport, with one `close` for all of them. When
 * opening fails part-way, what was opened is closed before the error goes on:
 * a login's refresh timer would otherwise keep the process alive.
 */
async function withConnections<T extends object>(
  timeoutMs: number,
  hooks: ConnectionHooks,
  open: (connectTo: (instance: InstanceSettings) => Promise<DirectusConnection>) => Promise<T>
): Promise<T & { transport: Transport; close(): Promise<void> }> {
  const transport = createTransport({ timeoutMs, log: hooks.debug })
  const opened: DirectusConnection[] = []
  const close = async () => {
    await Promise.all(opened.map((connection) => connection.close()))
    await transport.close()
  }
  const connectTo = async (instance: InstanceSettings) => {
    const connection = await connect(instance, transport, hooks.maskSecret)
    opened.push(connection)
    return connection
  }
  try {
    return { ...(await open(connectTo)), transport, close }
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

/** One connection to the target alone, for `command: drift`. */
export async function openTargetSession(
  instance: InstanceSettings,
  timeoutMs: number,
  hooks: ConnectionHooks
): Promise<{ target: DirectusConnection; version?: string; close(): Promise<void> }> {
  const { base, ...rest } = await openBaseSession(instance, timeoutMs, hooks)
  return { target: base, ...rest }
}
