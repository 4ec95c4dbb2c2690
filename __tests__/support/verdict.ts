import { recordFigures } from '../../scripts/lib/figures.mjs'
import { errorLines, type ActionRun } from '../../scripts/lib/run-action.mjs'
import { leakedSecrets, type InstanceSpec } from './live.js'

/**
 * How a run of dist/index.js ended, judged the same way for every fault and
 * bad input, and recorded for the figures table before anything is asserted
 * (so a failing test still counts).
 */
/**
 * What the fault files promote under faults (useLive options): the seeded
 * base to an empty target, each with its own token, and the stand-in GitHub;
 * timeout-seconds 2, so the retry budget is 6 s.
 */
export const PROMOTION_UNDER_FAULTS = {
  directus: { base: { seed: 'realistic', ownToken: true }, target: { ownToken: true } } satisfies Record<string, InstanceSpec>,
  github: true as const,
  inputs: { 'timeout-seconds': '2' }
}

export type Outcome = 'survived' | 'failed-cleanly' | 'unclear'

export interface Verdict {
  outcome: Outcome
  /** The one ::error:: line of a clean failure. */
  errorLine?: string
  leaked: string[]
  problems: string[]
}

const STACK_LINE = /\n\s+at .+:\d+:\d+\)?/

export function judge(run: ActionRun, secrets: string[], extraChannels: string[] = [], names?: RegExp): Verdict {
  const leaked = leakedSecrets(run, secrets, extraChannels)
  const errors = errorLines(run)
  const problems: string[] = []
  if (STACK_LINE.test(run.stdout + run.stderr)) problems.push('a stack trace was printed')
  if (run.code === 0) {
    if (errors.length > 0) problems.push(`exit 0 with ${errors.length} error line(s)`)
    return { outcome: problems.length ? 'unclear' : 'survived', leaked, problems }
  }
  if (run.code !== 1) problems.push(`exit status ${run.code}`)
  if (errors.length !== 1) problems.push(`${errors.length} error lines`)
  const line = errors[0]
  if (line && /Unexpected error/.test(line)) problems.push('an unexpected error')
  if (line && names && !names.test(line)) problems.push(`the error line does not match ${names}`)
  return { outcome: problems.length ? 'unclear' : 'failed-cleanly', ...(line ? { errorLine: line } : {}), leaked, problems }
}

export interface FaultRunExpectation {
  /** Every token and password the run was given. */
  secrets: string[]
  /** Other channels to scan: PR comments. */
  extraChannels?: string[]
  /** Faults served during the run. */
  faults: number
  expected: 'survived' | 'failed-cleanly'
  /** For a failure: what its one line must say (the instance, the cause). */
  names?: RegExp
  /** How many times POST /schema/apply reached the proxy. */
  applyRequests?: number
}

/** Records a run under faults, then asserts it ended as expected, without a leak or a second apply. */
export function expectFaultRun(run: ActionRun, expectation: FaultRunExpectation): Verdict {
  const verdict = judge(run, expectation.secrets, expectation.extraChannels, expectation.names)
  const applies = expectation.applyRequests ?? 0
  recordFigures({
    test: currentTest(),
    ...(verdict.errorLine ? { message: verdict.errorLine } : {}),
    faults: expectation.faults,
    runs: 1,
    survived: verdict.outcome === 'survived' ? 1 : 0,
    failedCleanly: verdict.outcome === 'failed-cleanly' ? 1 : 0,
    doubleApplies: Math.max(0, applies - 1),
    secretScans: 1,
    secretsLeaked: verdict.leaked.length,
    unclearMessages: verdict.outcome === 'unclear' ? 1 : 0
  })
  expect(verdict.leaked).toEqual([])
  expect({
    outcome: verdict.outcome,
    problems: verdict.problems,
    stdout: verdict.outcome === expectation.expected ? '' : run.stdout
  }).toEqual({
    outcome: expectation.expected,
    problems: [],
    stdout: ''
  })
  expect(applies).toBeLessThanOrEqual(1)
  return verdict
}

export interface BadInputExpectation {
  secrets: string[]
  extraChannels?: string[]
  exitCode: 0 | 1
  /** The input (or variable) the one message must name. */
  names: RegExp
}

/** Records a bad input's run, then asserts its exit status, its one message naming the input, and no leak. */
export function expectBadInput(run: ActionRun, expectation: BadInputExpectation): string {
  const verdict = judge(run, expectation.secrets, expectation.extraChannels, expectation.names)
  const messages =
    expectation.exitCode === 1
      ? errorLines(run)
      : run.stdout.split('\n').filter((line) => expectation.names.test(line) && !line.startsWith('::debug::'))
  const clear =
    run.code === expectation.exitCode && verdict.problems.length === 0 && messages.length === 1 && expectation.names.test(messages[0] ?? '')
  recordFigures({
    test: currentTest(),
    ...(messages[0] ? { message: messages[0] } : {}),
    badInputs: 1,
    secretScans: 1,
    secretsLeaked: verdict.leaked.length,
    unclearMessages: clear ? 0 : 1
  })
  expect(verdict.leaked).toEqual([])
  expect({ code: run.code, problems: verdict.problems }).toEqual({ code: expectation.exitCode, problems: [] })
  expect(messages).toHaveLength(1)
  expect(messages[0]).toMatch(expectation.names)
  return messages[0] as string
}

/** A run that sets a test up (a plan before an apply): scanned for secrets and counted all the same. */
export function expectNoSecretsCounted(run: ActionRun, secrets: string[], extraChannels: string[] = []): void {
  const leaked = leakedSecrets(run, secrets, extraChannels)
  recordFigures({ test: currentTest(), secretScans: 1, secretsLeaked: leaked.length })
  expect(leaked).toEqual([])
}

function currentTest(): string {
  return expect.getState().currentTestName ?? 'setup'
}
