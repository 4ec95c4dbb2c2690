/**
 * The steps of a run, in the order a run goes through them. The action shows
 * each as a collapsible log group with its duration; the CLI times them with
 * --verbose. Shared code names its steps here so both agree.
 */
export type StepName =
  | 'pull-request'
  | 'connect'
  | 'snapshot'
  | 'diff'
  | 'count'
  | 'config'
  | 'render'
  | 'comment'
  | 'issue'
  | 'apply'
  | 'verify'
  | 'config-apply'

export type StepRunner = <T>(name: StepName, work: () => Promise<T>) => Promise<T>
