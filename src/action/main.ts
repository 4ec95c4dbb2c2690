import { ApplyFailure, ExpectedError, InputError } from '../core/errors.js'
import { isSnapshotFile } from '../core/settings.js'
import {
  plainHttpWarnings,
  readCommand,
  readDriftSettings,
  readSettings,
  readSnapshotSettings,
  SECRET_INPUTS,
  URL_INPUTS,
  type InputReader
} from '../inputs/read.js'
import { runnerContext } from './event-guard.js'
import * as core from './workflow.js'

/**
 * The action's story: mask secrets, read inputs, then plan, apply or write a
 * snapshot. Every expected failure ends in one setFailed line; nothing prints
 * a stack trace.
 */
export async function run(): Promise<void> {
  maskSecretInputs()
  const context = runnerContext
  const read: InputReader = (name) => core.getInput(name)
  // Relative file inputs name files in the checked-out repository.
  const files = { directory: process.env['GITHUB_WORKSPACE'] || process.cwd() }
  try {
    if (readCommand(read) === 'snapshot') {
      const snapshotSettings = readSnapshotSettings(read, files)
      for (const warning of plainHttpWarnings([snapshotSettings.base])) core.warning(warning)
      // Each command's code is loaded only when it runs.
      const { runSnapshot } = await import(/* webpackMode: "eager" */ './snapshot.js')
      await runSnapshot(snapshotSettings)
      return
    }
    if (context.eventProblem) throw new InputError('GITHUB_EVENT_PATH', context.eventProblem)
    if (readCommand(read) === 'drift') {
      const driftSettings = readDriftSettings(read, files)
      for (const warning of plainHttpWarnings([driftSettings.target])) core.warning(warning)
      const { runDrift } = await import(/* webpackMode: "eager" */ './drift.js')
      await runDrift(driftSettings, context)
      return
    }
    const settings = readSettings(read, files)
    for (const warning of plainHttpWarnings([...(isSnapshotFile(settings.base) ? [] : [settings.base]), settings.target]))
      core.warning(warning)
    if (settings.command === 'apply') {
      const { runApply } = await import(/* webpackMode: "eager" */ './apply.js')
      await runApply(settings, context)
    } else {
      const { runPlan } = await import(/* webpackMode: "eager" */ './plan.js')
      await runPlan(settings, context)
    }
  } catch (error) {
    if (error instanceof InputError && error.missingSecret && context.pullRequest?.fromFork) {
      core.notice(
        `This pull request comes from a fork, and GitHub gives fork pull requests no secrets, so there are no Directus credentials (${error.input}). The schema plan is skipped.`
      )
      return
    }
    fail(error)
  }
}

function maskSecretInputs(): void {
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name)
    if (value) core.setSecret(value)
  }
  // A password written into a URL is refused, but must not show in any log line before or after.
  for (const name of URL_INPUTS) {
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:([^/?#@]+)@/i.exec(core.getInput(name))?.[1]
    if (password) core.setSecret(password)
  }
}

function fail(error: unknown): void {
  if (error instanceof ApplyFailure) core.setOutput('failure-reason', error.reason)
  if (error instanceof ExpectedError) {
    core.setFailed(error.message)
    return
  }
  const message = error instanceof Error ? error.message : String(error)
  core.debug(error instanceof Error && error.stack ? error.stack : message)
  core.setFailed(`Unexpected error: ${message.split('\n')[0]}`)
}
