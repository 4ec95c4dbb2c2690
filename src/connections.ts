import { connect, type DirectusConnection } from './directus/client.js'
import { createTransport, type Transport } from './directus/transport.js'
import type { InstanceSettings } from './inputs.js'

/** The live connections one run holds, closed together so the process can exit. */
export interface Session {
  transport: Transport
  base: DirectusConnection
  target: DirectusConnection
  close(): Promise<void>
}

export interface ConnectionSettings {
  base: InstanceSettings
  target: InstanceSettings
  timeoutMs: number
}

export interface ConnectionHooks {
  /** Request timings and retries: detail for whoever debugs, never the main log. */
  debug(line: string): void
  /** Called with every session token a login hands out, before anything could log it. */
  maskSecret(secret: string): void
}

/** Shared by the action and the CLI; neither logs here, the hooks decide where lines go. */
export async function openConnections(settings: ConnectionSettings, hooks: ConnectionHooks): Promise<Session> {
  const transport = createTransport({ timeoutMs: settings.timeoutMs, log: hooks.debug })
  const opened: DirectusConnection[] = []
  const close = async () => {
    await Promise.all(opened.map((connection) => connection.close()))
    await transport.close()
  }
  try {
    const base = await connect(settings.base, transport, hooks.maskSecret)
    opened.push(base)
    const target = await connect(settings.target, transport, hooks.maskSecret)
    opened.push(target)
    return { transport, base, target, close }
  } catch (error) {
    await close()
    throw error
  }
}
