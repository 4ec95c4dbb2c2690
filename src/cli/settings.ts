/**
 * The command line's arguments and credentials as the action's Settings, so
 * both are validated by the same code (inputs.ts). Its error messages name
 * action inputs; here they are reworded to name flags and variables.
 */
import type { Auth, Side } from '../directus/client.js'
import { InputError } from '../core/errors.js'
import type { Settings } from '../core/settings.js'
import { parseUrl, readSettings } from '../inputs/read.js'
import { UsageError, type CliArgs } from './args.js'
import { credentialVariables } from './credentials.js'

export function cliSettings(args: CliArgs, auth: Record<Side, Auth>): Settings {
  const inputs: Record<string, string> = {
    command: args.command,
    'base-url': args.baseUrl,
    'target-url': args.targetUrl,
    'target-name': args.targetName ?? '',
    force: String(args.force),
    comment: 'false',
    'timeout-seconds': args.timeoutSeconds ?? '',
    'allow-destructive': String(args.allowDestructive),
    'require-plan': 'true',
    'expected-hash': args.expectedHash ?? '',
    'expected-digest': args.expectedDigest ?? '',
    ...credentialInputs('base', auth.base),
    ...credentialInputs('target', auth.target)
  }
  try {
    return readSettings((name) => inputs[name] ?? '', { directory: process.cwd() })
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(cliWording(error.message))
    throw error
  }
}

/** The URLs alone, checked before anyone is asked for a credential for them. */
export function checkUrls(args: CliArgs): void {
  try {
    parseUrl('base-url', args.baseUrl)
    parseUrl('target-url', args.targetUrl)
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(cliWording(error.message))
    throw error
  }
}

function credentialInputs(side: Side, auth: Auth): Record<string, string> {
  return auth.kind === 'token' ? { [`${side}-token`]: auth.token } : { [`${side}-email`]: auth.email, [`${side}-password`]: auth.password }
}

const FLAG_INPUTS = new Set([
  'base-url',
  'target-url',
  'target-name',
  'timeout-seconds',
  'expected-hash',
  'expected-digest',
  'force',
  'allow-destructive'
])

/** "Input 'base-url' is not a valid URL" → "--base-url is not a valid URL"; credential inputs → their variables. */
export function cliWording(message: string): string {
  const spell = (name: string): string | undefined => {
    if (FLAG_INPUTS.has(name)) return `--${name}`
    const credential = /^(base|target)-(token|email|password)$/.exec(name)
    if (credential) return credentialVariables(credential[1] as Side)[credential[2] as 'token' | 'email' | 'password']
    return undefined
  }
  return message
    .replace(/Input '([a-z-]+)'/g, (whole, name: string) => spell(name) ?? whole)
    .replace(/'([a-z-]+)'/g, (whole, name: string) => spell(name) ?? whole)
}
