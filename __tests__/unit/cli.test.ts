import { readFileSync } from 'node:fs'
import { PassThrough } from 'node:stream'
import { parseCommandLine, UsageError, type CliArgs } from '../../src/cli/args.js'
import { resolveAuth } from '../../src/cli/credentials.js'
import { createPrompter, type Prompter } from '../../src/cli/prompt.js'
import { checkUrls, cliSettings, cliWording } from '../../src/cli/settings.js'
import { VERSION } from '../../src/cli/version.js'
import { planJson, useColor } from '../../src/cli/main.js'
import { readDiff } from '../../src/core/plan/changes.js'
import { readingFacts, type Plan } from '../../src/core/planner.js'
import { applyRulesFixture, targetBefore } from './helpers/fixtures.js'

const URLS = ['--base-url', 'http://base.test', '--target-url', 'https://target.test/cms']

function runArgs(argv: string[], env: NodeJS.ProcessEnv = {}): CliArgs {
  const parsed = parseCommandLine(argv, env)
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${parsed.kind}`)
  return parsed.args
}

function usageError(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCommandLine(argv, env)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error(`no usage error for ${argv.join(' ')}`)
}

describe('the command line', () => {
  it('reads plan with its defaults', () => {
    expect(runArgs(['plan', ...URLS])).toEqual({
      command: 'plan',
      baseUrl: 'http://base.test',
      targetUrl: 'https://target.test/cms',
      force: false,
      format: 'terminal',
      allowDestructive: false,
      yes: false,
      verbose: false
    })
  })

  it('takes the URLs from the environment when no flag gives them', () => {
    const args = runArgs(['plan', '--json'], { DIRECTUS_BASE_URL: 'http://a.test', DIRECTUS_TARGET_URL: 'http://b.test' })
    expect([args.baseUrl, args.targetUrl, args.format]).toEqual(['http://a.test', 'http://b.test', 'json'])
  })

  it('reads apply with its guards', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    const args = runArgs(['apply', ...URLS, '--allow-destructive', '-y', '--expected-hash', 'abc12345', `--expected-digest=${digest}`])
    expect(args).toMatchObject({ command: 'apply', allowDestructive: true, yes: true, expectedHash: 'abc12345', expectedDigest: digest })
  })

  it.each(['--base-token', '--target-token', '--base-password', '--target-password', '--github-token', '--token'])(
    'refuses the secret flag %s, without repeating its value',
    (flag) => {
      for (const argv of [
        ['plan', ...URLS, flag, 's3cr3t-value'],
        ['plan', ...URLS, `${flag}=s3cr3t-value`]
      ]) {
        const message = usageError(argv)
        expect(message).toContain(`${flag} is not accepted`)
        expect(message).toMatch(/shell history/)
        expect(message).not.toContain('s3cr3t-value')
      }
    }
  )

  it('points a refused token flag at its environment variable', () => {
    expect(usageError(['plan', '--target-token', 'x'])).toContain('DIRECTUS_TARGET_TOKEN')
  })

  it.each([
    [[], /Give a command/],
    [['destroy', ...URLS], /Unknown command "destroy"/],
    [['plan', '--target-url', 'http://t.test'], /--base-url/],
    [['plan', ...URLS, '--wat'], /Unknown option --wat/],
    [['plan', ...URLS, '--markdown', '--json'], /Choose one output/],
    [['plan', ...URLS, '--yes'], /--yes is an option of apply/],
    [['plan', ...URLS, '--allow-destructive'], /--allow-destructive is an option of apply/],
    [['apply', ...URLS, '--json'], /options of plan, not apply/],
    [['apply', ...URLS, '--expected-hash', 'abc12345'], /--expected-hash and --expected-digest go together/],
    [['plan', ...URLS, 'extra'], /Unexpected argument "extra"/],
    [['plan', ...URLS, '--target-name'], /--target-name needs a value/]
  ])('refuses %j', (argv, pattern) => {
    expect(usageError(argv as string[])).toMatch(pattern)
  })

  it('answers --help and --version', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ kind: 'help' })
    expect(parseCommandLine(['plan', '-h'], {})).toEqual({ kind: 'help' })
    expect(parseCommandLine(['--version'], {})).toEqual({ kind: 'version' })
  })

  it('states the same version as package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})

describe('settings from the command line', () => {
  const token = { kind: 'token', token: 't' } as const

  it('are validated by the action’s own input rules, worded for the command line', () => {
    const settings = cliSettings(runArgs(['apply', ...URLS, '--timeout-seconds', '5', '--allow-destructive']), {
      base: token,
      target: token
    })
    expect(settings).toMatchObject({
      command: 'apply',
      targetName: 'target.test',
      timeoutMs: 5000,
      allowDestructive: true,
      comment: false,
      requirePlan: true
    })
    expect(settings.target.url.href).toBe('https://target.test/cms/')

    const bad = (argv: string[]) => () => cliSettings(runArgs(argv), { base: token, target: token })
    expect(bad(['plan', ...URLS, '--timeout-seconds', 'soon'])).toThrow(/^--timeout-seconds must be a number/)
    expect(bad(['apply', ...URLS, '--expected-hash', 'x!', '--expected-digest', 'y'])).toThrow(
      /^--expected-hash must be a Directus schema hash/
    )
    expect(() => checkUrls(runArgs(['plan', '--base-url', 'localhost:8055', '--target-url', 'http://t.test']))).toThrow(
      /^--base-url must be an http/
    )
    expect(() => checkUrls(runArgs(['plan', '--base-url', 'http://me:pw@b.test', '--target-url', 'http://t.test']))).toThrow(UsageError)
  })

  it('rewords input names as flags and variables', () => {
    expect(cliWording("Input 'target-url' is not a valid URL")).toBe('--target-url is not a valid URL')
    expect(cliWording("set 'base-token', or 'base-email' and 'base-password'")).toBe(
      'set DIRECTUS_BASE_TOKEN, or DIRECTUS_BASE_EMAIL and DIRECTUS_BASE_PASSWORD'
    )
    expect(cliWording("'command' stays")).toBe("'command' stays")
  })
})

describe('credentials', () => {
  function scripted(answers: (string | undefined)[], interactive = false): Prompter & { asked: string[] } {
    const asked: string[] = []
    return {
      interactive,
      asked,
      secret: async (question) => {
        asked.push(question)
        return answers.shift()
      },
      confirm: async () => false,
      close: () => undefined
    }
  }

  it('come from the environment without asking', async () => {
    const prompter = scripted([])
    await expect(resolveAuth('base', 'b.test', { DIRECTUS_BASE_TOKEN: 'tok' }, prompter)).resolves.toEqual({ kind: 'token', token: 'tok' })
    await expect(
      resolveAuth('target', 't.test', { DIRECTUS_TARGET_EMAIL: 'a@b.test', DIRECTUS_TARGET_PASSWORD: 'pw' }, prompter)
    ).resolves.toEqual({ kind: 'password', email: 'a@b.test', password: 'pw' })
    expect(prompter.asked).toEqual([])
  })

  it('ask for what is missing: the token, or the password of a given email', async () => {
    const prompter = scripted(['typed-token', 'typed-password'])
    await expect(resolveAuth('base', 'b.test', {}, prompter)).resolves.toEqual({ kind: 'token', token: 'typed-token' })
    await expect(resolveAuth('target', 't.test', { DIRECTUS_TARGET_EMAIL: 'a@b.test' }, prompter)).resolves.toEqual({
      kind: 'password',
      email: 'a@b.test',
      password: 'typed-password'
    })
    expect(prompter.asked).toEqual([
      'Admin token for the base instance (b.test): ',
      'Password of a@b.test on the target instance (t.test): '
    ])
  })

  it('refuse an empty answer or the end of input, naming the variable', async () => {
    await expect(resolveAuth('base', 'b.test', {}, scripted([undefined]))).rejects.toThrow(/set DIRECTUS_BASE_TOKEN.*stdin has no line/)
    await expect(resolveAuth('base', 'b.test', {}, scripted(['  '], true))).rejects.toThrow(/none was typed/)
  })

  it('refuse a token together with a password, or a password without an email', async () => {
    await expect(resolveAuth('base', 'b', { DIRECTUS_BASE_TOKEN: 't', DIRECTUS_BASE_PASSWORD: 'p' }, scripted([]))).rejects.toThrow(
      /not both/
    )
    await expect(resolveAuth('base', 'b', { DIRECTUS_BASE_PASSWORD: 'p' }, scripted([]))).rejects.toThrow(
      /DIRECTUS_BASE_PASSWORD needs DIRECTUS_BASE_EMAIL/
    )
  })
})

describe('prompts without a terminal', () => {
  it('read one secret per line of stdin, and nothing more', async () => {
    const stdin = new PassThrough()
    const stderr = new PassThrough()
    const prompter = createPrompter(stdin, stderr)
    expect(prompter.interactive).toBe(false)
    stdin.end('first\r\nsecond\n')
    await expect(prompter.secret('? ')).resolves.toBe('first')
    await expect(prompter.secret('? ')).resolves.toBe('second')
    await expect(prompter.secret('? ')).resolves.toBeUndefined()
    await expect(prompter.confirm('Apply? ')).resolves.toBe(false)
    prompter.close()
  })
})

describe('prompts on a terminal', () => {
  function fakeTerminal() {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] })
    const terminal = Object.assign(stdin, {
      setRawMode(mode: boolean) {
        terminal.rawModes.push(mode)
        return terminal
      }
    })
    const stderr = new PassThrough()
    let shown = ''
    stderr.on('data', (chunk: Buffer) => (shown += chunk.toString()))
    return { stdin: terminal, stderr, shown: () => shown }
  }

  it('read a secret with echo off, editing with backspace, ignoring arrow keys', async () => {
    const { stdin, stderr, shown } = fakeTerminal()
    const prompter = createPrompter(stdin, stderr)
    const answer = prompter.secret('Token: ')
    stdin.write('sec\u001b[Dret!\u007f\r')
    await expect(answer).resolves.toBe('secret')
    expect(stdin.rawModes).toEqual([true, false])
    expect(shown()).toBe('Token: \n')
    prompter.close()
  })

  it('stop at Ctrl-C', async () => {
    const { stdin, stderr } = fakeTerminal()
    const prompter = createPrompter(stdin, stderr)
    const answer = prompter.secret('Token: ')
    stdin.write('abc\u0003')
    await expect(answer).rejects.toThrow('Cancelled')
    expect(stdin.rawModes).toEqual([true, false])
    prompter.close()
  })

  it('confirm only on y or yes', async () => {
    for (const [typed, expected] of [
      ['y\n', true],
      ['YES\n', true],
      ['\n', false],
      ['no\n', false],
      ['yess\n', false]
    ] as const) {
      const { stdin, stderr } = fakeTerminal()
      const prompter = createPrompter(stdin, stderr)
      const answer = prompter.confirm('Apply? ')
      stdin.write(typed)
      await expect(answer).resolves.toBe(expected)
      prompter.close()
    }
  })
})

describe('colour', () => {
  it('is used only on a terminal, and never with NO_COLOR set', () => {
    expect(useColor({ stdout: Object.assign(new PassThrough(), { isTTY: true }), env: {} })).toBe(true)
    expect(useColor({ stdout: Object.assign(new PassThrough(), { isTTY: true }), env: { NO_COLOR: '1' } })).toBe(false)
    expect(useColor({ stdout: Object.assign(new PassThrough(), { isTTY: true }), env: { NO_COLOR: '' } })).toBe(true)
    expect(useColor({ stdout: new PassThrough(), env: {} })).toBe(false)
  })
})

describe('the JSON plan', () => {
  it('carries what Directus will do: risky, cannot-apply, each change’s warning, risks and counts, skipped items and noise', () => {
    const captured = applyRulesFixture('d-first-field.12.4.0.sqlite')
    const update = applyRulesFixture('plain-update.12.4.0.sqlite')
    const diff = {
      ...captured.data.diff,
      fields: [...captured.data.diff.fields, ...update.data.diff.fields],
      relations: update.data.diff.relations
    }
    const target = targetBefore(captured)
    const view = {
      ...target,
      fields: new Map([...target.fields, ...targetBefore(update).fields]),
      relations: new Set([...targetBefore(update).relations])
    }
    const reading = readDiff(diff, { target: view, vendor: 'sqlite' })
    const changes = reading.changes.map((change) =>
      change.stakes ? { ...change, stakes: change.stakes.map((stake) => ({ ...stake, count: 2 })) } : change
    )
    const plan: Plan = {
      kind: 'changes',
      hash: captured.data.hash,
      diff,
      digest: 'sha256:x',
      reading: {},
      noise: [
        {
          rule: 'constraint-name',
          entity: 'relation',
          items: ['a.b'],
          words: ['1 relation: ', { code: 'schema.constraint_name' }, ' differs']
        }
      ],
      ...readingFacts({ changes, skipped: reading.skipped }),
      counting: { queries: 2 },
      base: { version: '12.4.0', vendor: 'sqlite' },
      target: { version: '12.4.0', vendor: 'sqlite' },
      warnings: [],
      mode: 'mirror'
    }
    const settings = cliSettings(runArgs(['plan', ...URLS, '--json']), {
      base: { kind: 'token', token: 'b' },
      target: { kind: 'token', token: 't' }
    })
    const json = JSON.parse(JSON.stringify(planJson(plan, settings))) as Record<string, any>
    expect(json).toMatchObject({ destructive: true, risky: true, cannotApply: false, counting: { queries: 2 } })
    expect(json['noise']).toEqual([
      { rule: 'constraint-name', entity: 'relation', items: ['a.b'], text: '1 relation: `schema.constraint_name` differs' }
    ])
    const email = json['changes'].find((change: any) => change.collection === 'dff_items')
    expect(email).toMatchObject({
      action: 'delete',
      destructive: true,
      risky: false,
      warning:
        'Directus will DELETE field `dff_items.title` and its data. Its diff starts by removing `schema.is_indexed`, and Directus reads that as a field deletion. This usually means the base snapshot comes from another Directus version or was edited by hand.',
      stakes: [{ question: { kind: 'values' }, count: 2 }]
    })
    const title = json['changes'].find((change: any) => change.collection === 'pu_posts' && change.entity === 'field')
    expect(title).toMatchObject({
      risky: true,
      risks: [
        {
          class: 'fails-or-truncates',
          text: 'shortens its max length 255 → 100',
          onTarget: 'SQLite enforces no length: longer values stay as they are'
        }
      ],
      stakes: [{ question: { kind: 'longer', limit: 100 }, count: 2 }]
    })
  })
})
