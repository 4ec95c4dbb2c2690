/**
 * Workflow snippets that cannot rot: every workflow in examples/ and every
 * ```yaml block of README.md that uses the action may only pass inputs that
 * action.yml declares, and must pass every required one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

const root = resolve(import.meta.dirname, '../..')

interface ActionInput {
  required?: boolean
  default?: unknown
}

const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, ActionInput> }
const INPUTS = action.inputs

/** One of these must be given for the base; base-snapshot only once action.yml declares it. */
const BASE_SOURCES = ['base-url', 'base-snapshot'].filter((name) => name in INPUTS)

/** `uses:` of this action: a published ref (owner/directus-schema-action@v1) or the repository itself (./). */
const USES_THE_ACTION = /^(\.\/?|[\w.-]+\/directus-schema-action(\/[\w./-]*)?@[\w./-]+)$/

interface ActionStep {
  uses: string
  with?: Record<string, unknown>
}

/** Every mapping with a `uses:` of the action, wherever it sits (jobs, steps, or a bare list of steps). */
export function actionSteps(node: unknown): ActionStep[] {
  if (Array.isArray(node)) return node.flatMap(actionSteps)
  if (typeof node !== 'object' || node === null) return []
  const record = node as Record<string, unknown>
  const own = typeof record['uses'] === 'string' && USES_THE_ACTION.test(record['uses']) ? [record as unknown as ActionStep] : []
  return [...own, ...Object.values(record).flatMap(actionSteps)]
}

/** What is wrong with one use of the action; empty when nothing is. */
export function problemsOf(step: ActionStep): string[] {
  const given = Object.keys(step.with ?? {})
  const problems = given.filter((key) => !(key in INPUTS)).map((key) => `'${key}' is not an input of action.yml`)
  for (const [name, input] of Object.entries(INPUTS)) {
    const alternatives = BASE_SOURCES.includes(name) ? BASE_SOURCES : [name]
    if (input.required && input.default === undefined && !alternatives.some((alternative) => given.includes(alternative))) {
      problems.push(`required input '${name}' is missing`)
    }
  }
  // action.yml cannot say it: plan and apply need a target, only `command: snapshot` does without.
  if (String(step.with?.['command'] ?? 'plan') !== 'snapshot' && !given.includes('target-url')) {
    problems.push("required input 'target-url' is missing")
  }
  // `command: drift` compares the target with its baseline or a committed snapshot, never with a live base.
  if (String(step.with?.['command'] ?? 'plan') === 'drift') {
    if (given.includes('base-url')) problems.push("'base-url' cannot be used with 'command: drift'")
    return [...new Set(problems.filter((problem) => !problem.includes("'base-url' is missing")))]
  }
  if (!BASE_SOURCES.some((source) => given.includes(source))) problems.push(`gives none of ${BASE_SOURCES.join(', ')}`)
  return [...new Set(problems)]
}

/** The ```yaml blocks of a Markdown text that use the action. */
export function yamlBlocksUsingAction(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = []
  const pattern = /^```ya?ml[^\n]*\n([\s\S]*?)^```[ \t]*$/gm
  for (const match of markdown.matchAll(pattern)) {
    const text = match[1] ?? ''
    if (/uses:\s*\S*directus-schema-action/.test(text)) {
      blocks.push({ line: markdown.slice(0, match.index).split('\n').length, text })
    }
  }
  return blocks
}

function checkWorkflow(label: string, text: string): string[] {
  let parsed: unknown
  try {
    parsed = parse(text)
  } catch (error) {
    return [`${label}: not valid YAML: ${(error as Error).message.split('\n')[0]}`]
  }
  const steps = actionSteps(parsed)
  if (steps.length === 0) return [`${label}: no step uses the action`]
  return [
    ...steps.flatMap((step, index) => problemsOf(step).map((problem) => `${label}, use ${index + 1}: ${problem}`)),
    ...secretProblemsOf(parsed).map((problem) => `${label}: ${problem}`)
  ]
}

/**
 * The one workflow that may plan on `pull_request` with credentials: the
 * README's documented variant, for those who accept that every writer can
 * read the staging credential (a pull request's own workflow file runs there).
 */
export const PULL_REQUEST_VARIANT = 'Schema plan (staging, pull_request variant)'

interface Workflow {
  name?: string
  on?: unknown
  jobs?: Record<string, { environment?: unknown } & Record<string, unknown>>
}

/** A job reads a secret other than GITHUB_TOKEN (a Directus credential or the signing key). */
const SECRET = /\$\{\{\s*secrets\.(?!GITHUB_TOKEN\b)[A-Za-z_]\w*/

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  return on && typeof on === 'object' ? Object.keys(on) : []
}

/**
 * Where secrets may be read: only in a job with an `environment:` (restricted
 * to the default branch, so no branch's own workflow reaches it), and never on
 * `pull_request` (checked against refs/pull/N/merge, where a pull request runs
 * its own workflow file), except in the documented variant.
 */
export function secretProblemsOf(workflow: unknown): string[] {
  const { name, on, jobs } = (workflow ?? {}) as Workflow
  if (!jobs || typeof jobs !== 'object') return []
  const problems: string[] = []
  for (const [id, job] of Object.entries(jobs)) {
    if (!SECRET.test(JSON.stringify(job))) continue
    if (job.environment === undefined || job.environment === null || job.environment === '') {
      problems.push(`job '${id}' reads a secret but has no environment: any branch's workflow could read it as a repository secret`)
    }
    if (triggers(on).includes('pull_request') && name !== PULL_REQUEST_VARIANT) {
      problems.push(`job '${id}' reads a secret on pull_request, where a pull request runs its own workflow file; use pull_request_target`)
    }
  }
  return problems
}

const EXAMPLES = readdirSync(join(root, 'examples'))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()

describe('examples/', () => {
  it('holds the five workflows: pull-request plan, merge apply, production dispatch, scheduled drift, configuration promotion', () => {
    expect(EXAMPLES).toEqual([
      'config-promotion.yml',
      'merge-apply-staging.yml',
      'production-dispatch.yml',
      'pull-request-plan.yml',
      'scheduled-drift.yml'
    ])
  })

  it('promotes configuration with the same parts, overrides and environment on plan and apply, each job in the environment', () => {
    const workflow = parse(readFileSync(join(root, 'examples/config-promotion.yml'), 'utf8')) as {
      on: Record<string, unknown>
      jobs: Record<string, { if?: string; environment?: string; steps: (ActionStep & { env?: Record<string, string> })[] }>
    }
    expect(Object.keys(workflow.on)).toEqual(['pull_request_target', 'push'])
    const plan = workflow.jobs['plan']
    const apply = workflow.jobs['apply']
    expect([plan?.environment, apply?.environment]).toEqual(['staging', 'staging'])
    expect(plan?.if).toContain("'pull_request_target'")
    expect(apply?.if).toContain("'push'")
    const [planStep] = actionSteps(plan) as (ActionStep & { env?: Record<string, string> })[]
    const [applyStep] = actionSteps(apply) as (ActionStep & { env?: Record<string, string> })[]
    expect(planStep?.with).toMatchObject({ command: 'plan' })
    expect(applyStep?.with).toMatchObject({ command: 'apply' })
    expect(String(planStep?.with?.['promote'])).toMatch(/\bschema\b.*\baccess\b/)
    for (const input of ['promote', 'config-overrides', 'target-name', 'signing-key']) {
      expect({ input, value: applyStep?.with?.[input] }).toEqual({ input, value: planStep?.with?.[input] })
    }
    // No checkout: the overrides file is read through GitHub's API; the $env: value is the same secret in both jobs.
    expect(plan?.steps.map((step) => step.uses)).toEqual(['acme/directus-schema-action@v1'])
    expect(planStep?.env).toEqual(applyStep?.env)
  })

  it.each(EXAMPLES)('%s passes only inputs action.yml declares, and every required one', (name) => {
    expect(checkWorkflow(name, readFileSync(join(root, 'examples', name), 'utf8'))).toEqual([])
  })

  it.each(EXAMPLES)('%s sets its permissions and a concurrency group per target', (name) => {
    const workflow = parse(readFileSync(join(root, 'examples', name), 'utf8')) as {
      permissions?: unknown
      concurrency?: { group?: string; 'cancel-in-progress'?: boolean }
    }
    expect(workflow.permissions).toBeDefined()
    expect(workflow.concurrency?.group).toMatch(/directus-schema-(staging|production)/)
    // An apply is never cancelled half-way; only a superseded plan is.
    if (!name.includes('plan')) expect(workflow.concurrency?.['cancel-in-progress']).toBe(false)
  })

  it('checks drift on a schedule, sharing the apply’s concurrency group, allowed to write issues', () => {
    const workflow = parse(readFileSync(join(root, 'examples/scheduled-drift.yml'), 'utf8')) as {
      on: Record<string, unknown>
      permissions: Record<string, string>
      concurrency: { group: string }
      jobs: Record<string, unknown>
    }
    const apply = parse(readFileSync(join(root, 'examples/merge-apply-staging.yml'), 'utf8')) as {
      permissions: Record<string, string>
      concurrency: { group: string }
    }
    expect(Object.keys(workflow.on)).toEqual(['schedule', 'workflow_dispatch'])
    expect(workflow.permissions['issues']).toBe('write')
    expect(workflow.concurrency.group).toBe(apply.concurrency.group)
    // The apply records the baseline drift compares with.
    expect(apply.permissions['issues']).toBe('write')
    const [step] = actionSteps(workflow.jobs)
    expect(step?.with).toMatchObject({ command: 'drift', 'target-name': 'staging' })
    expect(step?.with).not.toHaveProperty('base-url')
  })

  it('plans on pull_request_target in an environment, running nothing of the pull request', () => {
    const workflow = parse(readFileSync(join(root, 'examples/pull-request-plan.yml'), 'utf8')) as {
      on: Record<string, unknown>
      jobs: Record<string, { environment?: string; steps: { uses?: string; run?: string }[] }>
    }
    expect(Object.keys(workflow.on)).toEqual(['pull_request_target'])
    expect(workflow.jobs['plan']?.environment).toBe('staging')
    // No checkout and no run: steps: the pull request's files are read by the action, as data.
    expect(workflow.jobs['plan']?.steps.map((step) => step.uses ?? step.run)).toEqual(['acme/directus-schema-action@v1'])
  })

  it('promotes to production only behind the environment, pinned to the plan job’s hash and digest', () => {
    const workflow = parse(readFileSync(join(root, 'examples/production-dispatch.yml'), 'utf8')) as {
      on: Record<string, unknown>
      jobs: Record<string, { needs?: string; environment?: string; outputs?: Record<string, string>; steps: ActionStep[] }>
    }
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch'])
    const plan = workflow.jobs['plan']
    const apply = workflow.jobs['apply']
    expect(plan?.outputs?.['hash']).toBe('${{ steps.plan.outputs.hash }}')
    expect(plan?.outputs?.['digest']).toBe('${{ steps.plan.outputs.digest }}')
    expect(apply?.needs).toBe('plan')
    expect(plan?.environment).toBe('production-plan')
    expect(apply?.environment).toBe('production')
    const [applyStep] = actionSteps(apply)
    expect(applyStep?.with).toMatchObject({
      command: 'apply',
      'expected-hash': '${{ needs.plan.outputs.hash }}',
      'expected-digest': '${{ needs.plan.outputs.digest }}'
    })
  })
})

describe('README.md workflow snippets', () => {
  const readme = join(root, 'README.md')

  it('document the pull_request variant exactly once', () => {
    const variants = yamlBlocksUsingAction(readFileSync(readme, 'utf8')).filter(
      (block) => (parse(block.text) as Workflow | null)?.name === PULL_REQUEST_VARIANT
    )
    expect(variants).toHaveLength(1)
  })

  it('pass only inputs action.yml declares, and every required one', () => {
    if (!existsSync(readme)) return
    const blocks = yamlBlocksUsingAction(readFileSync(readme, 'utf8'))
    expect(blocks.length).toBeGreaterThan(0)
    expect(blocks.flatMap((block) => checkWorkflow(`README.md line ${block.line}`, block.text))).toEqual([])
  })
})

describe('the snippet check itself', () => {
  const snippet = (withLines: string) =>
    ['# Title', '', '```yaml', 'steps:', '  - uses: acme/directus-schema-action@v1', '    with:', withLines, '```', ''].join('\n')

  it('finds the action in a README block and accepts a good one', () => {
    const blocks = yamlBlocksUsingAction(snippet('      base-url: https://a\n      target-url: https://b'))
    expect(blocks).toHaveLength(1)
    expect(blocks[0]?.line).toBe(3)
    expect(checkWorkflow('good', blocks[0]?.text ?? '')).toEqual([])
  })

  it('fails on an unknown input, a missing required one, or no base at all', () => {
    const [block] = yamlBlocksUsingAction(snippet('      base-urll: https://a\n      targett-url: https://b'))
    const problems = checkWorkflow('bad', block?.text ?? '')
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("'base-urll' is not an input"),
        expect.stringContaining("required input 'target-url' is missing"),
        expect.stringContaining('gives none of base-url')
      ])
    )
  })

  it('fails on YAML that does not parse', () => {
    expect(checkWorkflow('broken', 'steps:\n  - uses: acme/directus-schema-action@v1\n    with: [unclosed')[0]).toMatch(/not valid YAML/)
  })

  it('fails on a job that reads a secret without an environment, or on pull_request outside the variant', () => {
    const job = (environment?: string) => ({
      'runs-on': 'ubuntu-latest',
      ...(environment ? { environment } : {}),
      steps: [{ uses: 'acme/directus-schema-action@v1', with: { 'target-token': '${{ secrets.DIRECTUS_STAGING_TOKEN }}' } }]
    })
    expect(secretProblemsOf({ on: { push: {} }, jobs: { apply: job() } })).toEqual([
      expect.stringContaining("job 'apply' reads a secret but has no environment")
    ])
    expect(secretProblemsOf({ on: { push: {} }, jobs: { apply: job('staging') } })).toEqual([])
    expect(secretProblemsOf({ on: ['pull_request'], jobs: { plan: job('staging') } })).toEqual([
      expect.stringContaining("job 'plan' reads a secret on pull_request")
    ])
    expect(secretProblemsOf({ name: PULL_REQUEST_VARIANT, on: ['pull_request'], jobs: { plan: job('staging') } })).toEqual([])
    expect(secretProblemsOf({ on: 'pull_request_target', jobs: { plan: job('staging') } })).toEqual([])
    // GITHUB_TOKEN is not a secret anyone stores.
    expect(
      secretProblemsOf({ on: 'pull_request', jobs: { plan: { steps: [{ with: { token: '${{ secrets.GITHUB_TOKEN }}' } }] } } })
    ).toEqual([])
  })

  it('ignores other actions and recognises the repository itself', () => {
    expect(actionSteps({ steps: [{ uses: 'actions/checkout@v4' }, { uses: './', with: {} }] })).toHaveLength(1)
  })
})
