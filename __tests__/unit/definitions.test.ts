import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { parseCommandLine, USAGE } from '../../src/cli/args.js'
import { commandLineCell, FLAG_INPUTS, INPUTS, SECRET_INPUTS, URL_INPUTS } from '../../src/inputs/definitions.js'

/**
 * src/inputs/definitions.ts declares every input once. These checks fail when
 * action.yml, the command line or the README's inputs table says otherwise:
 * a new input added on one side only, a default changed in one place, a flag
 * that reaches no input.
 */
const ROOT = join(import.meta.dirname, '../..')
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>
}
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The README's inputs table: each row's input names, default cell and command-line cell. */
function readmeInputRows(): { names: string[]; default: string; commandLine: string }[] {
  const section = readme.slice(readme.indexOf('\n## Inputs\n'), readme.indexOf('\n## Outputs\n'))
  const rows = section.split('\n').filter((line) => line.startsWith('| `'))
  return rows.map((row) => {
    const cells = row.slice(2, -2).split(' | ')
    return {
      names: [...(cells[0] ?? '').matchAll(/`([a-z-]+)`/g)].map((match) => match[1]!),
      default: cells[1] ?? '',
      commandLine: cells.at(-1) ?? ''
    }
  })
}

describe('the one definition of the inputs', () => {
  it('has exactly the inputs of action.yml, in its order, with its defaults, none required', () => {
    expect(INPUTS.map((input) => input.name)).toEqual(Object.keys(action.inputs))
    for (const input of INPUTS) {
      const declared = action.inputs[input.name]!
      expect({ name: input.name, default: declared.default, required: declared.required }).toEqual({
        name: input.name,
        default: input.default,
        required: false
      })
    }
  })

  it('has exactly the inputs of the README’s table, with the same defaults and command-line forms', () => {
    const rows = readmeInputRows()
    // In the README's own order: related inputs sit together there.
    expect(rows.flatMap((row) => row.names).sort()).toEqual(INPUTS.map((input) => input.name).sort())
    for (const row of rows) {
      const inputs = row.names.map((name) => INPUTS.find((input) => input.name === name)!)
      expect({ names: row.names, commandLine: row.commandLine }).toEqual({
        names: row.names,
        commandLine: [...new Set(inputs.map(commandLineCell))].join(', ')
      })
      for (const input of inputs) {
        if (input.default !== undefined)
          expect({ name: input.name, default: row.default }).toEqual({ name: input.name, default: `\`${input.default}\`` })
        else expect({ name: input.name, default: row.default }).not.toEqual({ name: input.name, default: expect.stringMatching(/^`/) })
      }
    }
  })

  it('gives every flag input to the command line, in its help, and each flag to one input only', () => {
    const flags = FLAG_INPUTS.map((input) => input.commandLine.flag)
    expect(new Set(flags).size).toBe(flags.length)
    for (const input of FLAG_INPUTS) {
      const form = input.commandLine
      expect(USAGE).toContain(`--${form.flag}${form.value ? ` ${form.value}` : ''}`)
      const command = form.commands[0]!
      const base =
        command === 'snapshot'
          ? ['--base-url', 'http://b.test', '--out', 'f.json']
          : ['--base-url', 'http://b.test', '--target-url', 'http://t.test']
      const pair =
        input.name === 'expected-hash' || input.name === 'expected-digest' ? ['--expected-hash', 'abc12345', '--expected-digest', 'x'] : []
      const given = form.value ? [`--${form.flag}`, 'value-given'] : [`--${form.flag}`]
      const parsed = parseCommandLine([command, ...base, ...pair, ...(pair.length > 0 ? [] : given)], {})
      expect(parsed.kind === 'run' ? parsed.args.inputs[input.name] : undefined).toBe(
        pair.length > 0 ? (input.name === 'expected-hash' ? 'abc12345' : 'x') : form.value ? 'value-given' : 'true'
      )
    }
  })

  it('refuses every secret input as a flag, and masks every secret and URL input', () => {
    for (const name of SECRET_INPUTS) expect(() => parseCommandLine(['plan', `--${name}`, 'x'], {})).toThrow(/is not accepted/)
    expect([...SECRET_INPUTS].sort()).toEqual([
      'base-password',
      'base-token',
      'github-token',
      'signing-key',
      'target-password',
      'target-token'
    ])
    expect([...URL_INPUTS]).toEqual(['base-url', 'target-url'])
  })
})
