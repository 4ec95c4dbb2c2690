import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse as parseYaml } from 'yaml'
import { ensureNode22, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createCollection, deleteCollection, getSnapshot } from '../../scripts/lib/seed.mjs'
import { parseComment } from '../../src/report/comment.js'
import { collectionsOf, schemaOf, useLive } from '../support/live.js'
import { runCli, runCliOnTerminal, type CliRun } from '../support/run-cli.js'

/**
 * The command line bundle (dist/cli/index.js) as a person or a script runs
 * it, against live Directus: the same plan as the action, exit codes like
 * `diff --exit-code`, credentials never from flags, apply only after a "yes"
 * and only with the guards of the action. Its options that match the
 * action's inputs (--base-snapshot, --include-collections,
 * --exclude-collections, --diff-mode, and the snapshot command) run on each
 * Node.js the command line supports: 24 (the tests' own) and 22 (from the
 * test cache); on an older Node.js it says which it needs, in one line.
 * The applies come last: they change the target.
 */

const live = useLive({ name: 'cli', directus: { base: { seed: 'realistic' }, target: {} } })
let base: DirectusInstance
let target: DirectusInstance
let node22: string
let scratch: string

beforeAll(async () => {
  ;({ base, target } = live.directus)
  // Something only the target has: the plan drops it, which is destructive; merge leaves it.
  ;[node22] = await Promise.all([ensureNode22(), createCollection(target.url, target.adminToken, 'scratch_notes')])
  scratch = mkdtempSync(join(tmpdir(), 'dsa-cli-options-'))
})

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

const SGR = /\u001b\[[0-9;]*m/

function urls(to: DirectusInstance = target): string[] {
  return ['--base-url', base.url, '--target-url', to.url, '--target-name', 'staging', '--timeout-seconds', '30']
}

function tokens(to: DirectusInstance = target): Record<string, string> {
  return { DIRECTUS_BASE_TOKEN: base.adminToken, DIRECTUS_TARGET_TOKEN: to.adminToken }
}

function expectNoSecrets(text: string): void {
  live.expectNoSecrets(text)
}

/** One line on stderr starting with "error:", no stack trace, nothing secret. */
function expectCleanError(run: CliRun, ...patterns: RegExp[]): void {
  expect(run.code).toBe(1)
  const first = run.stderr.split('\n')[0] ?? ''
  expect(first).toMatch(/^error: /)
  for (const pattern of patterns) expect(run.stderr).toMatch(pattern)
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expectNoSecrets(run.stdout + run.stderr)
}

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/plan.v1.schema.json'), 'utf8')) as object
const validatePlan = new Ajv2020({ allErrors: true, strict: true }).compile(schema)

interface PlanJson {
  hasChanges: boolean
  hash: string | null
  digest: string | null
  summary: string
  destructive: boolean
  base: { url: string; version?: string }
  warnings: string[]
  changes: { collection: string; action: string; entity: string; destructive: boolean }[]
  diff: { collections: unknown[] } | null
}

async function planJson(to: DirectusInstance = target): Promise<PlanJson> {
  const run = await runCli(['plan', ...urls(to), '--json'], { env: tokens(to) })
  expect([0, 2]).toContain(run.code)
  return JSON.parse(run.stdout) as PlanJson
}

describe('plan from the command line', () => {
  it('prints a plain report without a terminal, and exits 2 for changes', async () => {
    const run = await runCli(['plan', ...urls()], { env: tokens() })
    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(/^Directus schema plan for staging\nChanges: \+\d+ collections, .*· 1 destructive\n/)
    expect(run.stdout).toContain('CAUTION: this plan drops data.')
    expect(run.stdout).toContain('- collection scratch_notes')
    expect(run.stdout).toContain('+ relation articles.author -> authors')
    expect(run.stdout).not.toMatch(SGR)
    expect(run.stderr).toBe('')
    expectNoSecrets(run.stdout)
  })

  it('computes the very plan the action computes: same hash, digest and summary', async () => {
    const [cli, action] = await Promise.all([
      planJson(),
      live.dispatch({
        command: 'plan',
        'base-url': base.url,
        'base-token': base.adminToken,
        'target-url': target.url,
        'target-token': target.adminToken,
        'target-name': 'staging'
      })
    ])
    expect(action.code).toBe(0)
    expect(cli.hasChanges).toBe(true)
    expect(cli.hash).toBe(action.outputs['hash'])
    expect(cli.digest).toBe(action.outputs['digest'])
    expect(cli.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(cli.summary).toBe(action.outputs['summary'])
    expect(cli.destructive).toBe(true)
    expect(cli.changes.some((change) => change.collection === 'scratch_notes' && change.action === 'delete' && change.destructive)).toBe(
      true
    )
    expect(cli.diff?.collections.length).toBeGreaterThan(0)
  })

  it('prints the exact pull-request comment with --markdown', async () => {
    const run = await runCli(['plan', ...urls(), '--markdown'], { env: tokens() })
    expect(run.code).toBe(2)
    const comment = parseComment(run.stdout)
    expect(comment).not.toBeNull()
    expect(comment?.targetName).toBe('staging')
    expect(run.stdout).toContain('### Directus schema plan for staging')
    expect(run.stdout).toContain('> [!CAUTION]')
    expect(run.stdout).toContain('<details>')
  })

  it('exits 0 when nothing differs', async () => {
    const run = await runCli(['plan', ...urls(base)], { env: tokens(base) })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('No changes: the target already matches the base')
  })

  it('exits 1 with one line when a side cannot be reached', async () => {
    const run = await runCli(['plan', '--base-url', base.url, '--target-url', 'http://127.0.0.1:59998', '--timeout-seconds', '5'], {
      env: tokens()
    })
    expectCleanError(run, /target \(127\.0\.0\.1:59998\).*connection refused/)
  })

  it('exits 1 on a bad token, with Directus’ reason', async () => {
    const run = await runCli(['plan', ...urls()], { env: { ...tokens(), DIRECTUS_TARGET_TOKEN: 'not-a-real-token' } })
    expectCleanError(run, /target \(127\.0\.0\.1:\d+\).*HTTP 401/)
  })

  it('refuses a token given as a flag, and never repeats it', async () => {
    const run = await runCli(['plan', ...urls(), '--base-token', base.adminToken], { env: tokens() })
    expectCleanError(run, /--base-token is not accepted/, /DIRECTUS_BASE_TOKEN/)
  })

  it('reads missing credentials from stdin when it is not a terminal, one line each', async () => {
    const run = await runCli(['plan', ...urls()], { input: `${base.adminToken}\n${target.adminToken}\n` })
    expect(run.code).toBe(2)
    // A script gets no prompts on stderr, only the report on stdout.
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('Directus schema plan for staging')
    expectNoSecrets(run.stdout + run.stderr)
  })

  it('fails plainly when stdin has no credentials to give', async () => {
    const run = await runCli(['plan', ...urls()])
    expectCleanError(run, /No credentials for the base instance: set DIRECTUS_BASE_TOKEN/)
  })

  it('logs in with email and password from the environment', async () => {
    const run = await runCli(['plan', ...urls()], {
      env: {
        DIRECTUS_BASE_TOKEN: base.adminToken,
        DIRECTUS_TARGET_EMAIL: target.adminEmail,
        DIRECTUS_TARGET_PASSWORD: target.adminPassword
      }
    })
    expect(run.code).toBe(2)
    expectNoSecrets(run.stdout + run.stderr)
  })

  it('shows step and request timings only with --verbose, on stderr', async () => {
    const quiet = await runCli(['plan', ...urls(), '--json'], { env: tokens() })
    const verbose = await runCli(['plan', ...urls(), '--json', '--verbose'], { env: tokens() })
    expect(quiet.stderr).toBe('')
    expect(verbose.code).toBe(2)
    expect(verbose.stderr).toMatch(/^debug: GET \/schema\/snapshot -> 200 in \d+ ms \(attempt 1\)$/m)
    for (const name of ['connect', 'snapshot', 'diff']) expect(verbose.stderr).toMatch(new RegExp(`^debug: ${name} took \\d+ ms$`, 'm'))
    // stdout stays the machine-readable plan.
    expect((JSON.parse(verbose.stdout) as PlanJson).hash).toBe((JSON.parse(quiet.stdout) as PlanJson).hash)
  })
})

describe('on a terminal', () => {
  it('asks for tokens with the input hidden, and colours the report', async () => {
    const run = await runCliOnTerminal(['plan', ...urls()], {
      answers: [
        { after: /Admin token for the base instance \(127\.0\.0\.1:\d+\): $/, type: base.adminToken },
        { after: /Admin token for the target instance \(127\.0\.0\.1:\d+\): $/, type: target.adminToken }
      ]
    })
    expect(run.code).toBe(2)
    expect(run.screen).toContain('Directus schema plan for staging')
    expect(run.screen).toMatch(SGR)
    // What was typed was never echoed.
    expectNoSecrets(run.screen)
  })

  it('respects NO_COLOR', async () => {
    const run = await runCliOnTerminal(['plan', ...urls()], { env: { ...tokens(), NO_COLOR: '1' } })
    expect(run.code).toBe(2)
    expect(run.screen).toContain('Directus schema plan for staging')
    expect(run.screen).not.toMatch(SGR)
  })
})

describe.each([
  ['Node.js 24', () => process.execPath],
  ['Node.js 22', () => node22]
])('the command line on %s', (name, node) => {
  const slug = name.replace(/\W+/g, '-')
  const env = (): Record<string, string> => ({ DIRECTUS_BASE_TOKEN: base.adminToken, DIRECTUS_TARGET_TOKEN: target.adminToken })
  const cli = (args: string[]): Promise<CliRun> => runCli(args, { env: env(), node: node() })
  const target_ = (): string[] => ['--target-url', target.url, '--target-name', 'staging', '--timeout-seconds', '30']

  async function planJson(args: string[]): Promise<PlanJson> {
    const run = await cli(['plan', ...args, '--json'])
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.any(String) })
    const json = JSON.parse(run.stdout) as PlanJson
    expect(validatePlan.errors ?? []).toEqual([])
    expect(validatePlan(json)).toBe(true)
    return json
  }

  it('runs: the same plan as always, in JSON that keeps to schemas/plan.v1.schema.json', async () => {
    const version = await runCli(['--version'], { node: node() })
    expect(version).toMatchObject({ code: 0, stderr: '' })
    const live = await planJson(['--base-url', base.url, ...target_()])
    expect(live).toMatchObject({ hasChanges: true, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })
    expect(live.changes).toContainEqual(expect.objectContaining({ collection: 'scratch_notes', action: 'delete', entity: 'collection' }))
  })

  it('snapshot --out writes the base with sorted keys, JSON or YAML by extension, and says when nothing changed', async () => {
    const json = join(scratch, `${slug}-schema.json`)
    const yaml = join(scratch, `${slug}-nested`, 'schema.yaml')
    const first = await runCli(['snapshot', '--base-url', base.url, '--out', json], {
      env: { DIRECTUS_BASE_TOKEN: base.adminToken },
      node: node()
    })
    expect(first).toMatchObject({ code: 0, stderr: '' })
    const live = (await getSnapshot(base.url, base.adminToken)) as { collections: unknown[]; fields: unknown[]; relations: unknown[] }
    expect(first.stdout).toBe(
      `${json}: Directus 12.4.0 on sqlite: ${live.collections.length} collections, ${live.fields.length} fields, ${live.relations.length} relations\n`
    )
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(live)
    const again = await runCli(['snapshot', '--base-url', base.url, '--out', json], {
      env: { DIRECTUS_BASE_TOKEN: base.adminToken },
      node: node()
    })
    expect(again.stdout).toMatch(/ \(unchanged\)\n$/)
    const written = readFileSync(json, 'utf8')
    const parsed = JSON.parse(written) as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort())
    expect(written.endsWith('}\n')).toBe(true)

    const asYaml = await runCli(['snapshot', '--base-url', base.url, '--out', yaml, '--include-collections', 'authors,tags'], {
      env: { DIRECTUS_BASE_TOKEN: base.adminToken },
      node: node()
    })
    expect(asYaml).toMatchObject({ code: 0 })
    expect(existsSync(yaml)).toBe(true)
    const fromYaml = parseYaml(readFileSync(yaml, 'utf8')) as { version: number; collections: { collection: string }[] }
    expect(fromYaml.version).toBe(2)
    expect(fromYaml.collections.map((item) => item.collection).sort()).toEqual(['authors', 'tags'])
  })

  it('plans from a snapshot file exactly what it plans from the live base, and needs no base credential', async () => {
    const file = join(scratch, `${slug}-base.json`)
    expect(
      await runCli(['snapshot', '--base-url', base.url, '--out', file], { env: { DIRECTUS_BASE_TOKEN: base.adminToken }, node: node() })
    ).toMatchObject({ code: 0 })
    const live = await planJson(['--base-url', base.url, ...target_()])
    const run = await runCli(['plan', '--base-snapshot', file, ...target_(), '--json'], {
      env: { DIRECTUS_TARGET_TOKEN: target.adminToken },
      node: node()
    })
    expect(run.code).toBe(2)
    const fromFile = JSON.parse(run.stdout) as PlanJson
    expect(validatePlan(fromFile)).toBe(true)
    expect({ hash: fromFile.hash, digest: fromFile.digest, summary: fromFile.summary }).toEqual({
      hash: live.hash,
      digest: live.digest,
      summary: live.summary
    })
    expect(fromFile.base.url).toBe(file)
  })

  it('limits the plan to --include-collections, or to all but --exclude-collections', async () => {
    const included = await planJson(['--base-url', base.url, ...target_(), '--include-collections', 'authors,tags'])
    expect(new Set(included.changes.map((change) => change.collection))).toEqual(new Set(['authors', 'tags']))
    const excluded = await planJson(['--base-url', base.url, ...target_(), '--exclude-collections', 'articles,articles_tags,scratch_notes'])
    const collections = new Set(excluded.changes.map((change) => change.collection))
    expect(collections.has('articles')).toBe(false)
    expect(collections.has('scratch_notes')).toBe(false)
    expect(collections.has('authors')).toBe(true)
  })

  it('with --diff-mode merge leaves what only the target has; mirror deletes it', async () => {
    const merge = await planJson(['--base-url', base.url, ...target_(), '--diff-mode', 'merge'])
    expect(merge.changes.some((change) => change.collection === 'scratch_notes')).toBe(false)
    const report = await cli(['plan', '--base-url', base.url, ...target_(), '--diff-mode', 'merge'])
    expect(report.code).toBe(2)
    expect(report.stdout).not.toContain('scratch_notes')
  })

  it('refuses options of another command, and a bad mode, in one line naming the flag', async () => {
    const wrong = await cli(['snapshot', '--base-url', base.url, '--out', join(scratch, 'x.json'), '--diff-mode', 'merge'])
    expect(wrong).toMatchObject({ code: 1, stdout: '' })
    expect(wrong.stderr).toBe(
      "error: --diff-mode is an option of plan and apply, not snapshot\nRun 'directus-schema-action --help' for usage.\n"
    )
    const mode = await cli(['plan', '--base-url', base.url, ...target_(), '--diff-mode', 'copy'])
    expect(mode.code).toBe(1)
    expect(mode.stderr.split('\n')[0]).toBe('error: --diff-mode must be one of mirror, merge; got "copy"')
  })
})

describe('on an older Node.js', () => {
  it('says in one line which Node.js it needs, and exits 1 before loading anything else', async () => {
    const run = await runCli(['plan', '--base-url', 'http://127.0.0.1:9', '--target-url', 'http://127.0.0.1:9'], { node: '/usr/bin/node' })
    const version = (await runCli(['--version'], { node: '/usr/bin/node' })).stderr
    expect(version).toMatch(/this is Node\.js v(1\d|20|21|22\.(1[0-8]|\d))\./)
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /^directus-schema-action needs Node\.js 22\.19 or later in 22\.x, or 24 or later \(\^22\.19\.0 \|\| >=24\); this is Node\.js v\d+\.\d+\.\d+\. Install a newer Node\.js and run it again\.\n$/
    )
  })
})

describe('apply from the command line', () => {
  it('will not apply without a terminal to ask, unless --yes', async () => {
    const before = await schemaOf(target)
    const run = await runCli(['apply', ...urls(), '--allow-destructive'], { env: tokens() })
    expectCleanError(run, /apply asks for confirmation, but stdin is not a terminal; pass --yes/)
    expect(await schemaOf(target)).toBe(before)
  })

  it('refuses destructive changes without --allow-destructive, before asking anything', async () => {
    const before = await schemaOf(target)
    const run = await runCli(['apply', ...urls(), '--yes'], { env: tokens() })
    expectCleanError(run, /apply refused \(destructive-blocked\)/, /scratch_notes/, /Set --allow-destructive to apply it/)
    expect(await schemaOf(target)).toBe(before)
  })

  it('refuses a plan pinned to another target hash, or to another diff', async () => {
    const before = await schemaOf(target)
    const plan = await planJson()
    const wrongHash = await runCli(
      [
        'apply',
        ...urls(),
        '--yes',
        '--allow-destructive',
        '--expected-hash',
        'abcdef0123456789abcdef0123456789',
        '--expected-digest',
        plan.digest!
      ],
      { env: tokens() }
    )
    expectCleanError(wrongHash, /apply refused \(target-changed\)/, /Run the plan again/)
    const wrongDigest = await runCli(
      ['apply', ...urls(), '--yes', '--allow-destructive', '--expected-hash', plan.hash!, '--expected-digest', `sha256:${'0'.repeat(64)}`],
      { env: tokens() }
    )
    expectCleanError(wrongDigest, /apply refused \(plan-changed\)/)
    expect(await schemaOf(target)).toBe(before)
  })

  it('shows the plan and applies nothing when the answer is no', async () => {
    const before = await schemaOf(target)
    const run = await runCliOnTerminal(['apply', ...urls(), '--allow-destructive'], {
      env: tokens(),
      answers: [{ after: /Apply .* to staging\? Only yes applies\. \[y\/N\] $/, type: 'n' }]
    })
    expect(run.code).toBe(1)
    expect(run.screen).toContain('Directus schema plan for staging')
    expect(run.screen).toContain('Nothing was applied.')
    expect(await schemaOf(target)).toBe(before)
  })

  it('applies a pinned plan with --yes, exactly as planned', async () => {
    const plan = await planJson()
    const run = await runCli(
      ['apply', ...urls(), '--yes', '--allow-destructive', '--expected-hash', plan.hash!, '--expected-digest', plan.digest!],
      { env: tokens() }
    )
    expect(run.stderr).not.toMatch(/^error/m)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Applied ${plan.summary} to staging.`)
    expect(run.stderr).toMatch(/^warning: Applying 1 destructive change to staging/m)
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
  })

  it('applies after a yes on the terminal, with the hash of the plan it showed', async () => {
    // The target loses a collection again; the plan shows it coming back.
    await deleteCollection(target.url, target.adminToken, 'site_settings')
    const run = await runCliOnTerminal(['apply', ...urls()], {
      env: tokens(),
      answers: [{ after: /\[y\/N\] $/, type: 'yes' }]
    })
    expect(run.code).toBe(0)
    expect(run.screen).toMatch(/\+ collection/)
    expect(run.screen).toMatch(/Applied \+1 collection, .* to staging\./)
    expect(await collectionsOf(target)).toEqual(await collectionsOf(base))
  })
})
