/**
 * The command line's arguments and credentials as the action's settings, so
 * both are validated by the same code (inputs/read.ts). Its error messages name
 * action inputs; here they are reworded to name flags and variables.
 */
import type { Auth, Side } from '../directus/client.js'
import { InputError } from '../core/errors.js'
import type { Settings, SnapshotSettings } from '../core/settings.js'
import { FLAG_INPUTS } from '../inputs/definitions.js'
import { parseUrl, readSettings, readSnapshotSettings, type InputReader } from '../inputs/read.js'
import { UsageError, type CliArgs } from './args.js'
import { credentialVariables } from './credentials.js'

/** The command line's credentials: the base's is absent when a snapshot file stands in for it. */
export interface CliAuth {
  base?: Auth
  target?: Auth
}

/** Plan and apply: the action's settings, as a run without comments and with a plan always shown. */
export function cliSettings(args: CliArgs, auth: CliAuth): Settings {
  return reworded(() => readSettings(reader(args, auth), { directory: process.cwd() }))
}

/** `snapshot`: the settings of the action's `command: snapshot`. */
export function cliSnapshotSettings(args: CliArgs, auth: CliAuth): SnapshotSettings {
  return reworded(() => readSnapshotSettings(reader(args, auth), { directory: process.cwd() }))
}

function reader(args: CliArgs, auth: CliAuth): InputReader {
  const inputs: Record<string, string> = {
    ...args.inputs,
    command: args.command,
    comment: 'false',
    'require-plan': 'true',
    ...(auth.base ? credentialInputs('base', auth.base) : {}),
    ...(auth.target ? credentialInputs('target', auth.target) : {})
  }
  return (name) => inputs[name] ?? ''
}

function reworded<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(cliWording(error.message))
    throw error
  }
}

/** The URLs alone, checked before anyone is asked for a credential for them. */
export function checkUrls(args: CliArgs): void {
  reworded(() => {
    for (const name of ['base-url', 'target-url']) {
      const value = args.inputs[name]
      if (value !== undefined) parseUrl(name, value)
    }
  })
}

function credentialInputs(side: Side, auth: Auth): Record<string, string> {
  return auth.kind === 'token' ? { [`${side}-token`]: auth.token } : { [`${side}-email`]: auth.email, [`${side}-password`]: auth.password }
}

const FLAG_OF_INPUT = new Map(FLAG_INPUTS.map(({ name, commandLine }) => [name, `--${commandLine.flag}`]))

/** "Input 'base-url' is not a valid URL" → "--base-url is not a valid URL"; credential inputs → their variables. */
export function cliWording(message: string): string {
  const spell = (name: string): string | undefined => {
    const flag = FLAG_OF_INPUT.get(name)
    if (flag) return flag
    const credential = /^(base|target)-(token|email|password)$/.exec(name)
    if (credential) return credentialVariables(credential[1] as Side)[credential[2] as 'token' | 'email' | 'password']
    return undefined
  }
  return message
    .replace(/Input '([a-z-]+)'/g, (whole, name: string) => spell(name) ?? whole)
    .replace(/'([a-z-]+)'/g, (whole, name: string) => spell(name) ?? whole)
}
