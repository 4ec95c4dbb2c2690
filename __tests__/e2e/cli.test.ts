import { startDirectus, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createCollection, deleteCollection, getSnapshot, seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import { runAction } from '../../scripts/lib/run-action.mjs'
import { parseComment } from '../../src/report/comment.js'
import { runCli, runCliOnTerminal, type CliRun } from '../support/run-cli.js'

/**
 * The command line bundle (dist/cli/index.js) as a person or a script runs
 * it, against live Directus: the same plan as the action, exit codes like
 * `diff --exit-code`, credentials never from flags, apply only after a "yes"
 * and only with the guards of the action.
 */

let base: DirectusInstance
let target: DirectusInstance

beforeAll(async () => {
  ;[base, target] = await Promise.all([
    startDirectus({ db: 'sqlite', name: 'cli-base' }),
    startDirectus({ db: 'sqlite', name: 'cli-target' })
  ])
  await seedRealisticSchema(base.url, base.adminToken)
  // Something only the target has: the plan drops it, which is destructive.
  await createCollection(target.url, target.adminToken, 'scratch_notes')
})

afterAll(async () => {
  await Promise.all([base?.stop(), target?.stop()])
})

const SGR = /\u001b\[[0-9;]*m/

function urls(to: DirectusInstance = target): string[] {
  return ['--base-url', base.url, '--target-url', to.url, '--target-name', 'staging', '--timeout-seconds', '30']
}

function tokens(to: DirectusInstance = target): Record<string, string> {
  return { DIRECTUS_BASE_TOKEN: base.adminToken, DIRECTUS_TARGET_TOKEN: to.adminToken }
}

function expectNoSecrets(text: string): void {
  for (const secret of [base.adminToken, target.adminToken, target.adminPassword]) expect(text).not.toContain(secret)
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

async function schemaOf(instance: DirectusInstance): Promise<string> {
  return JSON.stringify(await getSnapshot(instance.url, instance.adminToken))
}

async function collectionsOf(instance: DirectusInstance): Promise<string[]> {
  const snapshot = await getSnapshot(instance.url, instance.adminToken)
  return (snapshot.collections as { collection: string }[]).map((collection) => collection.collection).sort()
}

interface PlanJson {
  hasChanges: boolean
  hash: string | null
  digest: string | null
  summary: string
  destructive: boolean
  changes: { collection: string; action: string; destructive: boolean }[]
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
      runAction({
        inputs: {
          command: 'plan',
          'base-url': base.url,
          'base-token': base.adminToken,
          'target-url': target.url,
          'target-token': target.adminToken,
          'target-name': 'staging'
        },
        eventName: 'workflow_dispatch',
        event: { inputs: {} }
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
