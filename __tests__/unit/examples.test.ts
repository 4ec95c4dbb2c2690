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
  return steps.flatMap((step, index) => problemsOf(step).map((problem) => `${label}, use ${index + 1}: ${problem}`))
}

const EXAMPLES = readdirSync(join(root, 'examples'))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()

describe('examples/', () => {
  it('holds the four workflows: pull-request plan, merge apply, production dispatch, scheduled drift', () => {
    expect(EXAMPLES).toEqual(['merge-apply-staging.yml', 'production-dispatch.yml', 'pull-request-plan.yml', 'scheduled-drift.yml'])
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

  it('ignores other actions and recognises the repository itself', () => {
    expect(actionSteps({ steps: [{ uses: 'actions/checkout@v4' }, { uses: './', with: {} }] })).toHaveLength(1)
  })
})
