/**
 * Credentials for the command line: from the environment, or asked for.
 * Never from flags (args.ts refuses them), never printed.
 */
import type { Auth, Side } from '../directus/client.js'
import { UsageError } from './args.js'
import type { Prompter } from './prompt.js'

export function credentialVariables(side: Side): { token: string; email: string; password: string } {
  const prefix = `DIRECTUS_${side.toUpperCase()}_`
  return { token: `${prefix}TOKEN`, email: `${prefix}EMAIL`, password: `${prefix}PASSWORD` }
}

/**
 * A token, or an email with a password, for one side. What the environment
 * lacks is asked for: the token, or the password of the given email.
 */
export async function resolveAuth(side: Side, host: string, env: NodeJS.ProcessEnv, prompter: Prompter): Promise<Auth> {
  const names = credentialVariables(side)
  const token = env[names.token] ?? ''
  const email = env[names.email] ?? ''
  const password = env[names.password] ?? ''
  if (token && (email || password)) {
    throw new UsageError(`Set either ${names.token} or ${names.email} with ${names.password}, not both`)
  }
  if (token) return { kind: 'token', token }
  if (password && !email) throw new UsageError(`${names.password} needs ${names.email}`)
  if (email) {
    const given = password || (await ask(prompter, `Password of ${email} on the ${side} instance (${host}): `, names.password, side))
    return { kind: 'password', email, password: given }
  }
  return { kind: 'token', token: await ask(prompter, `Admin token for the ${side} instance (${host}): `, names.token, side) }
}

async function ask(prompter: Prompter, question: string, variable: string, side: Side): Promise<string> {
  const answer = (await prompter.secret(question))?.trim()
  if (!answer) {
    const where = prompter.interactive ? 'none was typed' : 'stdin has no line for it'
    throw new UsageError(`No credentials for the ${side} instance: set ${variable}, or type it when asked (${where})`)
  }
  return answer
}
