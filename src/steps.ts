/**
 * The steps of a run, in the order a run goes through them. The action shows
 * each as a collapsible log group with its duration; the CLI times them with
 * --verbose. Shared code names its steps here so both agree.
 */
export const STEP_NAMES = ['connect', 'snapshot', 'diff', 'render', 'comment', 'apply', 'verify'] as const
export type StepName = (typeof STEP_NAMES)[number]

export type StepRunner = <T>(name: StepName, work: () => Promise<T>) => Promise<T>

/** For callers that want no grouping or timing. */
export const runUngrouped: StepRunner = (_name, work) => work()
