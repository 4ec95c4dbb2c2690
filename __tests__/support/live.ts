import { startDirectus, type DirectusDb, type DirectusInstance, type SeedTemplate } from '../../scripts/lib/directus-instance.mjs'
import { startGitHubStandin, type Standin, type TokenSpec } from '../../scripts/lib/github-standin.mjs'
import { channels, errorLines, pullRequestEvent, runAction, type ActionRun, type RunOptions } from '../../scripts/lib/run-action.mjs'
import { createAdminToken, dropAllCollections, getSnapshot, seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import type { SchemaDiff } from '../../src/directus/types.js'

/**
 * The one setup of every live test file: the Directus instances and the
 * stand-in GitHub a file asks for, started in parallel before its tests and
 * stopped after them; the inputs and secrets of its runs; the flows GitHub
 * drives (plan on a pull request, approval and merge, apply on the push,
 * manual promotion, scheduled drift) through the committed dist/index.js; and
 * the assertions every live test shares.
 *
 *     const live = useLive({ name: 'apply', directus: { base: { seed: 'realistic' }, target: {} }, github: true })
 *     const review = await live.review(live.inputs())
 *     const run = await live.apply(live.inputs(), review)
 */

export const BOT = 'github-actions[bot]'
/** The reviewer of these flows: a writer who is not the author. */
export const REVIEWER = 'reviewer-bob'

/** The blog schema of seedRealisticSchema, as a template built once per version and database. */
export const REALISTIC_SEED: SeedTemplate = {
  name: 'realistic-v1',
  run: (instance) => seedRealisticSchema(instance.url, instance.adminToken)
}

export interface InstanceSpec {
  /** Default '12.4.0'. */
  version?: string
  /** Default 'sqlite'; 'pg' and 'mysql' (MariaDB) as startDirectus takes them. */
  db?: DirectusDb
  /** 'realistic': REALISTIC_SEED. */
  seed?: 'realistic' | SeedTemplate
  /** Extra Directus environment variables, e.g. { MAX_PAYLOAD_SIZE: '2kb' }. */
  env?: Record<string, string>
  /**
   * Give the action a second admin user's random token instead of the static
   * admin token every template shares, so a secret scan tells the instances apart.
   */
  ownToken?: boolean
}

export interface LiveOptions<K extends string> {
  /** Prefix of the instances' names (errors and logs) and of the default GitHub token. */
  name: string
  /** The instances to start, by name; an undefined spec starts none (a pairing that borrows one). */
  directus?: Record<K, InstanceSpec | undefined>
  /**
   * The stand-in GitHub. `true`: one token, `live.githubToken`, for github-actions[bot]
   * on an installation. `tokens` adds others; `token` replaces the default one's spec.
   */
  github?: true | { token?: TokenSpec; tokens?: Record<string, TokenSpec>; now?: string }
  /** Inputs every run gets unless overridden (default target-name staging, timeout-seconds 30). */
  inputs?: Record<string, string>
  /** The first pull request number `review` uses. */
  firstPr?: number
  /** For beforeAll and afterAll; default Jest's testTimeout. */
  timeoutMs?: number
}

/** Where the base of a run comes from: a live instance or a committed snapshot file. */
export type BaseSide = DirectusInstance | { snapshot: string }

export interface Review {
  pr: number
  headSha: string
  mergeSha: string
  plan: ActionRun
}

export interface PullRequestRunOptions {
  headSha?: string
  eventName?: string
  fork?: boolean
  env?: Record<string, string>
  timeoutMs?: number
}

export interface Live<K extends string> {
  /** The running instances by the names the file gave them; filled in beforeAll. */
  readonly directus: Record<K, DirectusInstance>
  readonly github: Standin
  readonly githubToken: string
  /** The token the action gets for an instance: its own (ownToken) or the admin token. */
  tokenOf(instance: DirectusInstance): string
  /** Every token and password of this file's runs, and `extra`: what no channel may show. */
  secrets(...extra: string[]): string[]
  /** Adds a secret a test made (a non-admin token) to every later scan. */
  addSecret(secret: string): void
  /**
   * base-url/-token (or base-snapshot), target-url/-token, target-name, github-token, timeout-seconds, then `overrides`.
   * The sides default to the instances named base and target; `base: null` leaves the base out.
   */
  inputs(overrides?: Record<string, string>, sides?: { base?: BaseSide | null; target?: DirectusInstance }): Record<string, string>
  /** dist/index.js with the stand-in as GITHUB_API_URL. */
  run(options: RunOptions): Promise<ActionRun>
  /** The plan job on pull request `pr`, open on the stand-in as GitHub's API shows it. */
  planOnPullRequest(pr: number, inputs: Record<string, string>, options?: PullRequestRunOptions): Promise<ActionRun>
  /** A new pull request planned, then approved by a writer and merged, each a second later in GitHub's time. */
  review(inputs: Record<string, string>, timeoutMs?: number): Promise<Review>
  /** The apply job on the push of a merge commit; `env` adds to the job's environment (secrets an overrides file names). */
  apply(inputs: Record<string, string>, merged: Review | string, timeoutMs?: number, env?: Record<string, string>): Promise<ActionRun>
  /** A manual run (workflow_dispatch) of any command. */
  dispatch(inputs: Record<string, string>): Promise<ActionRun>
  /** A scheduled drift run. */
  drift(inputs: Record<string, string>): Promise<ActionRun>
  /** The plan comment the bot wrote on `pr`. */
  comment(pr: number, login?: string): string
  /** Drops every user collection: an instance as it started, for the next test. */
  empty(instance: DirectusInstance): Promise<void>
  /** Every secret of this file, scanned in every channel of `run` (and `extraChannels`, e.g. comments). */
  expectNoSecrets(run: ActionRun | string, extraChannels?: string[]): void
}

export function useLive<K extends string = never>(options: LiveOptions<K>): Live<K> {
  const directus = {} as Record<K, DirectusInstance>
  const ownTokens = new Map<DirectusInstance, string>()
  const added: string[] = []
  const githubTokens = githubTokensOf(options)
  const githubToken = Object.keys(githubTokens)[0] ?? ''
  let github: Standin | undefined
  let nextPr = options.firstPr ?? 100

  beforeAll(async () => {
    const specs = (Object.entries(options.directus ?? {}) as [K, InstanceSpec | undefined][]).filter(
      (entry): entry is [K, InstanceSpec] => entry[1] !== undefined
    )
    const [standin, ...instances] = await Promise.all([
      options.github
        ? startGitHubStandin({
            tokens: githubTokens,
            ...(typeof options.github === 'object' && options.github.now ? { now: options.github.now } : {})
          })
        : undefined,
      ...specs.map(([key, spec]) => startInstance(`${options.name}-${key}`, spec))
    ])
    github = standin
    specs.forEach(([key], index) => (directus[key] = instances[index] as DirectusInstance))
    await Promise.all(
      specs
        .filter(([, spec]) => spec.ownToken)
        .map(async ([key]) => ownTokens.set(directus[key], await createAdminToken(directus[key].url, directus[key].adminToken)))
    )
  }, options.timeoutMs)

  afterAll(async () => {
    await Promise.all([github?.stop(), ...Object.values<DirectusInstance>(directus).map((instance) => instance.stop())])
  }, options.timeoutMs)

  const tokenOf = (instance: DirectusInstance) => ownTokens.get(instance) ?? instance.adminToken
  const standin = (): Standin => {
    if (!github) throw new Error(`${options.name}: useLive was not asked for the stand-in GitHub (github: true)`)
    return github
  }
  const withGitHub = (env: Record<string, string | undefined> = {}) => (github ? { GITHUB_API_URL: github.url, ...env } : env)

  const live: Live<K> = {
    directus,
    get github() {
      return standin()
    },
    githubToken,
    tokenOf,
    secrets: (...extra) => [
      ...new Set([
        ...Object.values<DirectusInstance>(directus).flatMap((instance) => [instance.adminToken, instance.adminPassword]),
        ...ownTokens.values(),
        ...Object.keys(githubTokens),
        ...added,
        ...extra
      ])
    ],
    addSecret: (secret) => void added.push(secret),
    inputs(overrides = {}, sides = {}) {
      const base = sides.base === null ? undefined : (sides.base ?? (directus as Record<string, DirectusInstance>)['base'])
      const target = sides.target ?? (directus as Record<string, DirectusInstance>)['target']
      return {
        ...(base ? ('snapshot' in base ? { 'base-snapshot': base.snapshot } : { 'base-url': base.url, 'base-token': tokenOf(base) }) : {}),
        ...(target ? { 'target-url': target.url, 'target-token': tokenOf(target) } : {}),
        'target-name': 'staging',
        ...(githubToken ? { 'github-token': githubToken } : {}),
        'timeout-seconds': '30',
        ...options.inputs,
        ...overrides
      }
    },
    run: (run) => runAction({ ...run, env: withGitHub(run.env) }),
    planOnPullRequest(pr, inputs, run = {}) {
      const headSha = run.headSha ?? `${pr}`.padStart(40, 'a')
      standin().addPullRequest('acme', 'site', { number: pr, head: { sha: headSha, ref: `feature-${pr}` }, base: { ref: 'main' } })
      return runAction({
        inputs: { command: 'plan', ...inputs },
        eventName: run.eventName ?? 'pull_request',
        event: pullRequestEvent(pr, headSha, { fork: run.fork ?? false }),
        env: withGitHub(run.env),
        ...(run.timeoutMs ? { timeoutMs: run.timeoutMs } : {})
      })
    },
    async review(inputs, timeoutMs = 120_000) {
      // Issues and pull requests share numbers: skip those the action's tracking issues took.
      const taken = new Set(
        standin()
          .issues('acme', 'site')
          .map((issue) => issue.number)
      )
      while (taken.has(nextPr)) nextPr++
      const pr = nextPr++
      const headSha = `${pr}`.padStart(40, 'a')
      const mergeSha = `${pr}`.padStart(40, 'b')
      const plan = await live.planOnPullRequest(pr, inputs, { headSha, timeoutMs })
      approveAndMerge(standin(), pr, mergeSha)
      return { pr, headSha, mergeSha, plan }
    },
    apply(inputs, merged, timeoutMs = 120_000, env = {}) {
      const mergeSha = typeof merged === 'string' ? merged : merged.mergeSha
      return runAction({
        inputs: { command: 'apply', ...inputs },
        eventName: 'push',
        event: { ref: 'refs/heads/main', after: mergeSha },
        env: withGitHub({ ...env, GITHUB_SHA: mergeSha }),
        timeoutMs
      })
    },
    dispatch: (inputs) => runAction({ inputs, eventName: 'workflow_dispatch', event: { inputs: {} }, env: withGitHub() }),
    drift: (inputs) =>
      runAction({ inputs: { command: 'drift', ...inputs }, eventName: 'schedule', event: { schedule: '17 6 * * *' }, env: withGitHub() }),
    comment(pr, login = BOT) {
      const comment = standin()
        .comments('acme', 'site', pr)
        .find((candidate) => candidate.user.login === login)
      if (!comment) throw new Error(`no plan comment by ${login} on #${pr}`)
      return comment.body
    },
    empty: (instance) => dropAllCollections(instance.url, instance.adminToken),
    expectNoSecrets: (run, extraChannels = []) => expectNoSecrets(run, live.secrets(), extraChannels)
  }
  return live
}

function githubTokensOf(options: LiveOptions<string>): Record<string, TokenSpec> {
  if (!options.github) return {}
  const settings = options.github === true ? {} : options.github
  return { [`ghs_${options.name}_token_0123456789`]: settings.token ?? { login: BOT, installation: true }, ...settings.tokens }
}

function startInstance(name: string, spec: InstanceSpec): Promise<DirectusInstance> {
  const seed = spec.seed === 'realistic' ? REALISTIC_SEED : spec.seed
  return startDirectus({
    name,
    ...(spec.version ? { version: spec.version } : {}),
    ...(spec.db ? { db: spec.db } : {}),
    ...(spec.env ? { env: spec.env } : {}),
    ...(seed ? { seed } : {})
  })
}

/**
 * What happens on GitHub between plan and apply: a writer approves the
 * planned head, then it is merged. GitHub's times have one-second resolution
 * and an approval counts only after the plan, so the stand-in's clock moves a
 * second before each.
 */
export function approveAndMerge(github: Standin, pr: number, mergeSha: string): void {
  github.setPermission('acme', 'site', REVIEWER, 'write')
  github.clock.advance(1000)
  github.addReview('acme', 'site', pr, { login: REVIEWER, state: 'APPROVED' })
  github.clock.advance(1000)
  github.updatePullRequest('acme', 'site', pr, { state: 'closed', merged_at: github.clock.now().toISOString(), merge_commit_sha: mergeSha })
}

// ---------------------------------------------------------------------------------------------
// What a test reads back

export async function collectionsOf(instance: DirectusInstance): Promise<string[]> {
  const snapshot = await getSnapshot(instance.url, instance.adminToken)
  return (snapshot.collections as { collection: string }[]).map((collection) => collection.collection).sort()
}

export async function schemaOf(instance: DirectusInstance): Promise<string> {
  return JSON.stringify(await getSnapshot(instance.url, instance.adminToken))
}

/** The diff a run wrote to its diff file. */
export function diffOf(run: { diffFile?: string }): SchemaDiff {
  return (JSON.parse(run.diffFile ?? 'null') as { diff: SchemaDiff }).diff
}

// ---------------------------------------------------------------------------------------------
// Assertions

/**
 * No secret in any channel of a run (stdout less its ::add-mask:: lines,
 * stderr, outputs, job summary, diff file) or of `extraChannels` (comments,
 * issues); or in a text, such as what the command line printed.
 */
export function expectNoSecrets(run: ActionRun | string, secrets: string[], extraChannels: string[] = []): void {
  expect(leakedSecrets(run, secrets, extraChannels)).toEqual([])
}

/** The secrets that some channel of `run` (or a text) shows. */
export function leakedSecrets(run: ActionRun | string, secrets: string[], extraChannels: string[] = []): string[] {
  const everything = typeof run === 'string' ? [run, ...extraChannels].join('\n') : channels(run, extraChannels)
  return secrets.filter((secret) => secret.length > 0 && everything.includes(secret))
}

/** Exit 0; otherwise the error lines and the end of the log, to show why. */
export function expectSucceeded(run: ActionRun): ActionRun {
  if (run.code !== 0)
    throw new Error(`the action failed (exit ${run.code}):\n${errorLines(run).join('\n')}\n${run.stdout.slice(-3000)}\n${run.stderr}`)
  return run
}

/** Exit code 1, exactly one error line matching every pattern, no stack trace. */
export function expectOneCleanFailure(run: ActionRun, ...patterns: RegExp[]): string {
  expect(run.code).toBe(1)
  const errors = errorLines(run)
  expect(errors).toHaveLength(1)
  const line = errors[0] as string
  for (const pattern of patterns) expect(line).toMatch(pattern)
  expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/)
  return line
}

/** An apply refused with this failure-reason: exit 1, nothing applied. */
export function expectRefused(run: ActionRun, reason: string): void {
  expect(run.code).toBe(1)
  expect(run.outputs['failure-reason']).toBe(reason)
  expect(run.outputs['applied']).toBe('false')
}
