/**
 * How an error tells the user what to change. The action names its inputs
 * (`'force: true'`), the command line names its flags (`--force`); the
 * messages are otherwise the same, so shared code takes the wording as data.
 */
export type AdvisedSetting = 'force' | 'allow-destructive'

export interface Advice {
  setting(name: AdvisedSetting): string
  /** What to do when the reviewed plan is out of date. */
  replan: string
}

export const ACTION_ADVICE: Advice = {
  setting: (name) => `'${name}: true'`,
  replan: 'Re-run the plan on the pull request (or the plan job) to review the new diff.'
}

export const CLI_ADVICE: Advice = {
  setting: (name) => `--${name}`,
  replan: 'Run the plan again to review the new diff.'
}
