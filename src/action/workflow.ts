/**
 * The runner's protocol, as far as the action uses it: inputs, masks, log
 * lines and groups, annotations, outputs and the job summary, all through
 * @actions/core. One narrow surface, so every command speaks to the runner
 * the same way and a test can read what it wrote.
 */
import * as core from '@actions/core'

/** An input's value, trimmed; empty when it is not set. */
export function getInput(name: string): string {
  return core.getInput(name)
}

/** From here on the runner shows this value as *** in every log line. */
export const setSecret = (secret: string): void => core.setSecret(secret)
export const setOutput = (name: string, value: string): void => core.setOutput(name, value)
export const info = (message: string): void => core.info(message)
/** Shown only when the run has debug logging on. */
export const debug = (message: string): void => core.debug(message)
export const notice = (message: string): void => core.notice(message)
export const warning = (message: string): void => core.warning(message)
export const error = (message: string): void => core.error(message)
/** The step fails, with this message as its error annotation. */
export const setFailed = (message: string): void => core.setFailed(message)
export const startGroup = (name: string): void => core.startGroup(name)
export const endGroup = (): void => core.endGroup()

/** Appends to the job summary, when the runner gives one; the heading (plain text, escaped by the caller) becomes an <h3>. */
export async function appendSummary(markdown: string, heading?: string): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return
  if (heading !== undefined) core.summary.addHeading(heading, 3)
  await core.summary.addRaw(markdown, true).write()
}
