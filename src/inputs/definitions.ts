/**
 * Every input of the action, and what stands for it on the command line,
 * declared once. The command line's parser and help are made from this list,
 * and __tests__/unit/definitions.test.ts fails when action.yml or the README's
 * tables disagree with it: a new input cannot be forgotten on one side.
 */

/** The command line's commands: the action's `command` input. */
export const CLI_COMMANDS = ['plan', 'apply', 'snapshot'] as const
export type CliCommand = (typeof CLI_COMMANDS)[number]

/** What stands for an input on the command line. */
export type CommandLineForm =
  /** The command itself, the first argument. */
  | { kind: 'command' }
  /**
   * A flag: with a value (`--base-url URL`) when `value` names it, else a
   * switch that sets the input to true. `variable`, when set, gives the value
   * when the flag is absent.
   */
  | { kind: 'flag'; flag: string; value?: string; variable?: string; commands: readonly CliCommand[]; help: string }
  /** Secrets come only from the environment (or a prompt): a flag would land in shell history. */
  | { kind: 'environment'; variables: string }
  /** Not on the command line, and why. */
  | { kind: 'none'; why: string }

export interface InputDefinition {
  name: string
  /** As action.yml states it; absent when the input has no default. */
  default?: string
  /** Masked before anything is logged. */
  secret?: boolean
  /** A URL, which must carry no credentials. */
  url?: boolean
  commandLine: CommandLineForm
}

const ALL: readonly CliCommand[] = CLI_COMMANDS
const PROMOTION: readonly CliCommand[] = ['plan', 'apply']

export const INPUTS: readonly InputDefinition[] = [
  { name: 'command', default: 'plan', commandLine: { kind: 'command' } },
  {
    name: 'base-url',
    url: true,
    commandLine: {
      kind: 'flag',
      flag: 'base-url',
      value: 'URL',
      variable: 'DIRECTUS_BASE_URL',
      commands: ALL,
      help: 'Base instance, whose schema is promoted.'
    }
  },
  { name: 'base-token', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_BASE_TOKEN' } },
  { name: 'base-email', commandLine: { kind: 'environment', variables: 'DIRECTUS_BASE_EMAIL' } },
  { name: 'base-password', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_BASE_PASSWORD' } },
  {
    name: 'base-snapshot',
    commandLine: {
      kind: 'flag',
      flag: 'base-snapshot',
      value: 'FILE',
      commands: PROMOTION,
      help: 'A snapshot file (.json, .yaml, .yml) as the base, instead of --base-url.'
    }
  },
  {
    name: 'snapshot-file',
    commandLine: {
      kind: 'flag',
      flag: 'out',
      value: 'FILE',
      commands: ['snapshot'],
      help: 'snapshot: the file to write (.json, .yaml, .yml), keys sorted.'
    }
  },
  {
    name: 'include-collections',
    commandLine: {
      kind: 'flag',
      flag: 'include-collections',
      value: 'LIST',
      commands: ALL,
      help: 'Only these collections (comma separated). Directus 12.2+.'
    }
  },
  {
    name: 'exclude-collections',
    commandLine: {
      kind: 'flag',
      flag: 'exclude-collections',
      value: 'LIST',
      commands: ALL,
      help: 'Every collection but these (comma separated). Directus 12.2+.'
    }
  },
  {
    name: 'diff-mode',
    default: 'mirror',
    commandLine: {
      kind: 'flag',
      flag: 'diff-mode',
      value: 'MODE',
      commands: PROMOTION,
      help: 'mirror (default) or merge (never deletes whole items). Directus 12.2+.'
    }
  },
  {
    name: 'promote',
    default: 'schema',
    commandLine: {
      kind: 'flag',
      flag: 'promote',
      value: 'LIST',
      commands: PROMOTION,
      help: 'What to promote (comma separated): schema (default), access, flows, dashboards, presets, translations, settings, folders, all.'
    }
  },
  {
    name: 'config-overrides',
    commandLine: {
      kind: 'flag',
      flag: 'config-overrides',
      value: 'FILE',
      commands: PROMOTION,
      help: "A checked-in file of per-target values for the promoted configuration (see the README's overrides format)."
    }
  },
  {
    name: 'target-url',
    url: true,
    commandLine: {
      kind: 'flag',
      flag: 'target-url',
      value: 'URL',
      variable: 'DIRECTUS_TARGET_URL',
      commands: PROMOTION,
      help: 'Target instance, which receives the schema.'
    }
  },
  { name: 'target-token', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_TARGET_TOKEN' } },
  { name: 'target-email', commandLine: { kind: 'environment', variables: 'DIRECTUS_TARGET_EMAIL' } },
  { name: 'target-password', secret: true, commandLine: { kind: 'environment', variables: 'DIRECTUS_TARGET_PASSWORD' } },
  {
    name: 'target-name',
    commandLine: {
      kind: 'flag',
      flag: 'target-name',
      value: 'NAME',
      commands: PROMOTION,
      help: 'Label of the target; default: the host of --target-url.'
    }
  },
  {
    name: 'github-token',
    default: '${{ github.token }}',
    secret: true,
    commandLine: { kind: 'none', why: 'the command line never talks to GitHub' }
  },
  {
    name: 'force',
    default: 'false',
    commandLine: { kind: 'flag', flag: 'force', commands: PROMOTION, help: 'Diff across Directus versions or database vendors.' }
  },
  { name: 'comment', default: 'true', commandLine: { kind: 'none', why: 'the report goes to the terminal' } },
  {
    name: 'timeout-seconds',
    default: '60',
    commandLine: { kind: 'flag', flag: 'timeout-seconds', value: 'N', commands: ALL, help: 'Timeout of each request (default 60).' }
  },
  {
    name: 'allow-destructive',
    default: 'false',
    commandLine: {
      kind: 'flag',
      flag: 'allow-destructive',
      commands: ['apply'],
      help: 'apply: let the diff drop collections, fields or relations.'
    }
  },
  {
    name: 'require-plan',
    default: 'true',
    commandLine: { kind: 'none', why: 'apply always shows the plan it applies; `--yes` only skips the question' }
  },
  {
    name: 'require-approval',
    default: 'true',
    commandLine: { kind: 'none', why: 'there is no pull request to approve: the person at the terminal confirms' }
  },
  {
    name: 'allow-partial-review',
    default: 'false',
    commandLine: { kind: 'none', why: 'the command line shows the whole plan in the terminal before it asks' }
  },
  { name: 'allow-forks', default: 'false', commandLine: { kind: 'none', why: 'the command line plans no pull requests' } },
  { name: 'signing-key', secret: true, commandLine: { kind: 'none', why: 'the command line writes no plan record' } },
  {
    name: 'expected-hash',
    commandLine: {
      kind: 'flag',
      flag: 'expected-hash',
      value: 'HASH',
      commands: ['apply'],
      help: 'apply: refuse unless the target still has this hash,'
    }
  },
  {
    name: 'expected-digest',
    commandLine: {
      kind: 'flag',
      flag: 'expected-digest',
      value: 'SHA',
      commands: ['apply'],
      help: 'and the diff still has this digest (from plan --json).'
    }
  },
  { name: 'issue', default: 'true', commandLine: { kind: 'none', why: 'the command line keeps no drift baseline or tracking issue' } },
  { name: 'labels', commandLine: { kind: 'none', why: '`drift` runs in the action only' } },
  { name: 'fail-on-drift', default: 'false', commandLine: { kind: 'none', why: '`drift` runs in the action only' } },
  { name: 'accept-baseline', default: 'false', commandLine: { kind: 'none', why: '`drift` runs in the action only' } }
]

/** The inputs whose values must be masked before anything is logged. */
export const SECRET_INPUTS: readonly string[] = INPUTS.filter((input) => input.secret).map((input) => input.name)

export const URL_INPUTS: readonly string[] = INPUTS.filter((input) => input.url).map((input) => input.name)

export type FlagForm = Extract<CommandLineForm, { kind: 'flag' }>

/** The inputs given by a flag, with their flag. */
export const FLAG_INPUTS: readonly (InputDefinition & { commandLine: FlagForm })[] = INPUTS.filter(
  (input): input is InputDefinition & { commandLine: FlagForm } => input.commandLine.kind === 'flag'
)

/** How the README's inputs table writes an input's command-line form. */
export function commandLineCell(input: InputDefinition): string {
  const form = input.commandLine
  switch (form.kind) {
    case 'command':
      return '`plan`, `apply` or `snapshot`, the first argument (`drift` runs in the action only)'
    case 'flag':
      return `\`--${form.flag}${form.value ? ` ${form.value}` : ''}\`${form.variable ? ` or \`${form.variable}\`` : ''}`
    case 'environment':
      return `\`${form.variables}\``
    case 'none':
      return `none: ${form.why}`
  }
}
