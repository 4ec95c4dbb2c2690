/**
 * The command line, parsed into one typed object. Pure: takes argv and the
 * environment, so it is tested without a process. Secrets are never flags:
 * a flag lands in shell history and in every process listing.
 */
import { parseArgs } from 'node:util'
import { ExpectedError } from '../core/errors.js'

export const CLI_NAME = 'directus-schema-action'

export type CliCommand = 'plan' | 'apply'
export type OutputFormat = 'terminal' | 'markdown' | 'json'

export interface CliArgs {
  command: CliCommand
  baseUrl: string
  targetUrl: string
  targetName?: string
  force: boolean
  timeoutSeconds?: string
  format: OutputFormat
  allowDestructive: boolean
  expectedHash?: string
  expectedDigest?: string
  yes: boolean
  verbose: boolean
}

export type ParsedCommandLine = { kind: 'run'; args: CliArgs } | { kind: 'help' } | { kind: 'version' }

/** A mistake in how the command was called: reported in one line, with a pointer to --help. */
export class UsageError extends ExpectedError {
  override name = 'UsageError'
}

/** Flags that would carry a secret, and where the secret goes instead. */
const SECRET_FLAGS: Record<string, string> = {
  'base-token': 'DIRECTUS_BASE_TOKEN',
  'base-password': 'DIRECTUS_BASE_PASSWORD',
  'target-token': 'DIRECTUS_TARGET_TOKEN',
  'target-password': 'DIRECTUS_TARGET_PASSWORD',
  token: 'DIRECTUS_BASE_TOKEN and DIRECTUS_TARGET_TOKEN',
  password: 'DIRECTUS_BASE_PASSWORD and DIRECTUS_TARGET_PASSWORD',
  'github-token': 'nothing: the command line never talks to GitHub'
}

const OPTIONS = {
  'base-url': { type: 'string' },
  'target-url': { type: 'string' },
  'target-name': { type: 'string' },
  force: { type: 'boolean', default: false },
  'timeout-seconds': { type: 'string' },
  markdown: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  'allow-destructive': { type: 'boolean', default: false },
  'expected-hash': { type: 'string' },
  'expected-digest': { type: 'string' },
  yes: { type: 'boolean', short: 'y', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false }
} as const

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  rejectSecretFlags(argv)
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }

  const [command, ...extra] = positionals
  if (command === undefined) throw new UsageError(`Give a command: ${CLI_NAME} plan or ${CLI_NAME} apply`)
  if (command !== 'plan' && command !== 'apply')
    throw new UsageError(`Unknown command ${JSON.stringify(command)}; the commands are plan and apply`)
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])}; options start with --`)

  const baseUrl = values['base-url'] ?? env['DIRECTUS_BASE_URL'] ?? ''
  const targetUrl = values['target-url'] ?? env['DIRECTUS_TARGET_URL'] ?? ''
  if (!baseUrl) throw new UsageError('Give the base instance: --base-url URL (or DIRECTUS_BASE_URL)')
  if (!targetUrl) throw new UsageError('Give the target instance: --target-url URL (or DIRECTUS_TARGET_URL)')
  if (values.markdown && values.json) throw new UsageError('Choose one output: --markdown or --json')

  const args: CliArgs = {
    command,
    baseUrl,
    targetUrl,
    force: values.force,
    format: values.json ? 'json' : values.markdown ? 'markdown' : 'terminal',
    allowDestructive: values['allow-destructive'],
    yes: values.yes,
    verbose: values.verbose,
    ...(values['target-name'] !== undefined ? { targetName: values['target-name'] } : {}),
    ...(values['timeout-seconds'] !== undefined ? { timeoutSeconds: values['timeout-seconds'] } : {}),
    ...(values['expected-hash'] !== undefined ? { expectedHash: values['expected-hash'] } : {}),
    ...(values['expected-digest'] !== undefined ? { expectedDigest: values['expected-digest'] } : {})
  }
  checkCommandOptions(args)
  return { kind: 'run', args }
}

function checkCommandOptions(args: CliArgs): void {
  if (args.command === 'plan') {
    for (const [given, flag] of [
      [args.yes, '--yes'],
      [args.allowDestructive, '--allow-destructive'],
      [args.expectedHash !== undefined, '--expected-hash'],
      [args.expectedDigest !== undefined, '--expected-digest']
    ] as const) {
      if (given) throw new UsageError(`${flag} is an option of apply, not plan`)
    }
    return
  }
  if (args.format !== 'terminal') throw new UsageError('--markdown and --json are options of plan, not apply')
  if ((args.expectedHash === undefined) !== (args.expectedDigest === undefined)) {
    throw new UsageError(
      '--expected-hash and --expected-digest go together: the hash pins the target, the digest pins the diff (plan --json prints both)'
    )
  }
}

/** `--base-token x` or `--base-token=x`: refused before parsing, and the value is never repeated. */
function rejectSecretFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return
    const name = /^--([a-z-]+)(?:=|$)/.exec(arg)?.[1]
    const instead = name === undefined ? undefined : SECRET_FLAGS[name]
    if (instead !== undefined) {
      throw new UsageError(
        `--${name} is not accepted: a secret on the command line lands in shell history and process listings. ` +
          `Use ${instead}${instead.startsWith('nothing') ? '' : ', or leave it unset to be asked'}.`
      )
    }
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code
  const message = error instanceof Error ? error.message : String(error)
  const option = /'(-[^']*)'/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `Unknown option ${option}`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `Option ${option.split(/[ ,]/)[0]} needs a value`
  return message.split('\n')[0] ?? message
}

export const USAGE = `Usage: ${CLI_NAME} <plan|apply> --base-url URL --target-url URL [options]

Preview (plan) or apply the schema change from a base Directus instance to a
target, with the same checks as the GitHub Action.

Commands:
  plan                     Show what applying would change. Exit code 0: no
                           changes, 2: changes, 1: error (like diff --exit-code).
  apply                    Show the plan, ask, then apply exactly that diff while
                           the target still has the planned hash. Exit code 0:
                           applied or nothing to apply, 1: refused, declined or error.

Options:
  --base-url URL           Base instance, whose schema is promoted (or DIRECTUS_BASE_URL).
  --target-url URL         Target instance, which receives it (or DIRECTUS_TARGET_URL).
  --target-name NAME       Label of the target; default: the host of --target-url.
  --force                  Diff across Directus versions or database vendors.
  --timeout-seconds N      Timeout of each request (default 60).
  --markdown               plan: print the pull-request comment's Markdown.
  --json                   plan: print the plan as JSON (hash, digest, changes, diff).
  --allow-destructive      apply: let the diff drop collections, fields or relations.
  --expected-hash HASH     apply: refuse unless the target still has this hash,
  --expected-digest SHA    and the diff still has this digest (from plan --json).
  -y, --yes                apply: do not ask for confirmation.
  -v, --verbose            Print step and request timings, and retries, on stderr.
  -h, --help               Print this help.
  --version                Print the version.

Credentials come from the environment, never from flags:
  DIRECTUS_BASE_TOKEN, or DIRECTUS_BASE_EMAIL with DIRECTUS_BASE_PASSWORD
  DIRECTUS_TARGET_TOKEN, or DIRECTUS_TARGET_EMAIL with DIRECTUS_TARGET_PASSWORD
A missing token or password is asked for: hidden input on a terminal; without
a terminal, one line each is read from stdin (base first, then target).

Colours are used on a terminal unless NO_COLOR is set.
`
