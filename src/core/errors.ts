/**
 * Expected failures: a wrong input, a server that refuses, a refused apply.
 * Both shells (the action and the command line) report any ExpectedError in
 * one line without a stack trace; anything else is a bug and says so.
 */
export class ExpectedError extends Error {
  override name = 'ExpectedError'
}

/** The refusals and failures of apply, as the `failure-reason` output names them. */
export const FAILURE_REASONS = [
  'target-changed',
  'plan-changed',
  'no-plan',
  'not-approved',
  'partial-review',
  'destructive-blocked',
  'lockout',
  'apply-failed',
  'partially-applied'
] as const

export type FailureReason = (typeof FAILURE_REASONS)[number]

/** An explained refusal or failure of apply: reported with its reason. */
export class ApplyFailure extends ExpectedError {
  override name = 'ApplyFailure'
  constructor(
    readonly reason: FailureReason,
    message: string
  ) {
    super(message)
  }
}

/** A setting that cannot be used; the message names the input (the command line rewords it to name its flag). */
export class InputError extends ExpectedError {
  override name = 'InputError'
  constructor(
    readonly input: string,
    message: string,
    /** True when the failure is only that a secret is empty: what a fork's pull request sees. */
    readonly missingSecret = false
  ) {
    super(message)
  }
}
