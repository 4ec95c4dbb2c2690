/**
 * The command line, parsed into one typed object. Pure: takes argv and the
 * environment, so it is tested without a process. The flags that stand for
 * action inputs come from inputs/definitions.ts, so the command line takes
 * every input the action takes. Secrets are never flags: a flag lands in
 * shell history and in every process listing.
 */
import { parseArgs } from 'node:util'
import { ExpectedError } from '../core/errors.js'
import { CLI_COMMANDS, FLAG_INPUTS, INPUTS, type CliCommand, type FlagForm } from '../inputs/definitions.js'

export const CLI_NAME = 'directus-schema-action'

export type { CliCommand }
export type OutputFormat = 'terminal' | 'markdown' | 'json'

export interface CliArgs {
  command: CliCommand
  /** The action inputs the flags (or their variables) give, by input name, as the action would read them. */
  inputs: Record<string, string>
  format: OutputFormat
  yes: boolean
  verbose: boolean
}

export type ParsedCommandLine = { kind: 'run'; args: CliArgs } | { kind: 'help' } | { kind: 'version' }

/** A mistake in how the command was called: reported in one line, with a pointer to --help. */
export class UsageError extends ExpectedError {
  override name = 'UsageError'
}

/** Flags of the command line alone, with the commands they belong to. */
const OWN_FLAGS = {
  markdown: { type: 'boolean', default: false, commands: ['plan'], help: "plan: print the pull-request comment's Markdown." },
  json: { type: 'boolean', default: false, commands: ['plan'], help: 'plan: print the plan as JSON (schemas/plan.v1.schema.json).' },
  yes: { type: 'boolean', short: 'y', default: false, commands: ['apply'], help: 'apply: do not ask for confirmation.' },
  verbose: {
    type: 'boolean',
    short: 'v',
    default: false,
    commands: CLI_COMMANDS,
    help: 'Print step and request timings, and retries, on stderr.'
  },
  help: { type: 'boolean', short: 'h', default: false, commands: CLI_COMMANDS, help: 'Print this help.' },
  version: { type: 'boolean', default: false, commands: CLI_COMMANDS, help: 'Print the version.' }
} as const

const OPTIONS = {
  ...Object.fromEntries(
    FLAG_INPUTS.map(({ commandLine }) => [commandLine.flag, { type: commandLine.value ? 'string' : 'boolean' } as const])
  ),
  ...Object.fromEntries(Object.entries(OWN_FLAGS).map(([flag, { commands: _commands, help: _help, ...option }]) => [flag, option]))
} as Record<string, { type: 'string' | 'boolean'; short?: string; default?: boolean }>

/** Flags that would carry a secret, and where the secret goes instead. */
const SECRET_FLAGS: Record<string, string> = {
  ...Object.fromEntries(
    INPUTS.flatMap((input) =>
      input.secret
        ? [[input.name, input.commandLine.kind === 'environment' ? input.commandLine.variables : `nothing: ${describeNone(input)}`]]
        : []
    )
  ),
  token: 'DIRECTUS_BASE_TOKEN and DIRECTUS_TARGET_TOKEN',
  password: 'DIRECTUS_BASE_PASSWORD and DIRECTUS_TARGET_PASSWORD'
}

function describeNone(input: (typeof INPUTS)[number]): string {
  return input.commandLine.kind === 'none' ? input.commandLine.why : 'not on the command line'
}

export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommandLine {
  rejectSecretFlags(argv)
  let parsed
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(describeParseError(error))
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  if (values['help']) return { kind: 'help' }
  if (values['version']) return { kind: 'version' }

  const [command, ...extra] = parsed.positionals
  const commands = CLI_COMMANDS.join(', ')
  if (command === undefined) throw new UsageError(`Give a command: ${CLI_COMMANDS.map((name) => `${CLI_NAME} ${name}`).join(', or ')}`)
  if (!(CLI_COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`Unknown command ${JSON.stringify(command)}; the commands are ${commands}`)
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])}; options start with --`)
  const cliCommand = command as CliCommand
  checkFlagsBelong(cliCommand, values)

  const inputs: Record<string, string> = {}
  for (const { name, commandLine } of FLAG_INPUTS) {
    const given = values[commandLine.flag]
    if (typeof given === 'string') inputs[name] = given
    else if (given === true) inputs[name] = 'true'
  }
  // A variable stands in for an absent flag, but never overrules another way of giving the same thing.
  if (inputs['base-url'] === undefined && inputs['base-snapshot'] === undefined && env['DIRECTUS_BASE_URL']) {
    inputs['base-url'] = env['DIRECTUS_BASE_URL']
  }
  if (inputs['target-url'] === undefined && cliCommand !== 'snapshot' && env['DIRECTUS_TARGET_URL']) {
    inputs['target-url'] = env['DIRECTUS_TARGET_URL']
  }

  if (!inputs['base-url'] && !inputs['base-snapshot']) {
    throw new UsageError(
      cliCommand === 'snapshot'
        ? 'Give the base instance: --base-url URL (or DIRECTUS_BASE_URL)'
        : 'Give the base: --base-url URL (or DIRECTUS_BASE_URL), or a snapshot file with --base-snapshot FILE'
    )
  }
  if (cliCommand !== 'snapshot' && !inputs['target-url']) {
    throw new UsageError('Give the target instance: --target-url URL (or DIRECTUS_TARGET_URL)')
  }
  if (cliCommand === 'snapshot' && !inputs['snapshot-file']) {
    throw new UsageError('Give the file to write: --out FILE (.json, .yaml or .yml)')
  }
  if (values['markdown'] && values['json']) throw new UsageError('Choose one output: --markdown or --json')
  if ((inputs['expected-hash'] === undefined) !== (inputs['expected-digest'] === undefined)) {
    throw new UsageError(
      '--expected-hash and --expected-digest go together: the hash pins the target, the digest pins the diff (plan --json prints both)'
    )
  }
  return {
    kind: 'run',
    args: {
      command: cliCommand,
      inputs,
      format: values['json'] ? 'json' : values['markdown'] ? 'markdown' : 'terminal',
      yes: values['yes'] === true,
      verbose: values['verbose'] === true
    }
  }
}

/** `--yes` with plan, `--diff-mode` with snapshot: refused, naming the commands the flag belongs to. */
function checkFlagsBelong(command: CliCommand, values: Record<string, string | boolean | undefined>): void {
  const owners: [string, readonly CliCommand[]][] = [
    ...FLAG_INPUTS.map(({ commandLine }): [string, readonly CliCommand[]] => [commandLine.flag, commandLine.commands]),
    ...Object.entries(OWN_FLAGS).map(([flag, { commands }]): [string, readonly CliCommand[]] => [flag, commands])
  ]
  for (const [flag, commands] of owners) {
    const given = values[flag] !== undefined && values[flag] !== false
    if (given && !commands.includes(command)) {
      throw new UsageError(`--${flag} is an option of ${commands.join(' and ')}, not ${command}`)
    }
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

/** One line of the help: the flag with its value, then what it does (and its variable). */
function helpLine(flag: string, short: string | undefined, value: string | undefined, help: string): string {
  const name = `${short ? `-${short}, ` : ''}--${flag}${value ? ` ${value}` : ''}`
  return `  ${name.padEnd(29)}${help}`
}

function flagHelp(form: FlagForm): string {
  const help = form.variable ? `${form.help.replace(/\.$/, '')} (or ${form.variable}).` : form.help
  return helpLine(form.flag, undefined, form.value, help)
}

export const USAGE = `Usage: ${CLI_NAME} <plan|apply> --base-url URL --target-url URL [options]
       ${CLI_NAME} <plan|apply> --base-snapshot FILE --target-url URL [options]
       ${CLI_NAME} snapshot --base-url URL --out FILE [options]

Preview (plan) or apply the schema change from a base Directus instance (or a
snapshot file) to a target, with the same checks as the GitHub Action; or
write the base's schema to a file (snapshot).

Commands:
  plan                         Show what applying would change. Exit code 0: no
                               changes, 2: changes, 1: error (like diff --exit-code).
  apply                        Show the plan, ask, then apply exactly that diff while
                               the target still has the planned hash. Exit code 0:
                               applied or nothing to apply, 1: refused, declined or error.
  snapshot                     Write the base's schema snapshot to --out, keys sorted,
                               JSON or YAML by the file's extension. Exit code 0.

Options:
${FLAG_INPUTS.map(({ commandLine }) => flagHelp(commandLine)).join('\n')}
${Object.entries(OWN_FLAGS)
  .map(([flag, own]) => helpLine(flag, 'short' in own ? own.short : undefined, undefined, own.help))
  .join('\n')}

Credentials come from the environment, never from flags:
  DIRECTUS_BASE_TOKEN, or DIRECTUS_BASE_EMAIL with DIRECTUS_BASE_PASSWORD
  DIRECTUS_TARGET_TOKEN, or DIRECTUS_TARGET_EMAIL with DIRECTUS_TARGET_PASSWORD
A missing token or password is asked for: hidden input on a terminal; without
a terminal, one line each is read from stdin (base first, then target).

Colours are used on a terminal unless NO_COLOR is set.
`
