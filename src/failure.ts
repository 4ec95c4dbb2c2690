/** The refusals and failures of apply, as the `failure-reason` output names them. */
export type FailureReason = 'target-changed' | 'plan-changed' | 'no-plan' | 'destructive-blocked' | 'apply-failed'

/** An expected, explained refusal: reported as one line with its reason output. */
export class ActionFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string
  ) {
    super(message)
    this.name = 'ActionFailure'
  }
}
