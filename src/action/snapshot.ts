import { writeBaseSnapshot } from '../core/snapshot.js'
import type { SnapshotSettings } from '../core/settings.js'
import { sessionHooks, step } from './runner.js'
import * as core from './workflow.js'

/**
 * Writes the base's schema snapshot to a file, to be committed: the GitOps
 * flow, where a pull request changes the committed snapshot and the plan shows
 * what that does to the target (`base-snapshot`).
 */
export async function runSnapshot(settings: SnapshotSettings): Promise<void> {
  const written = await writeBaseSnapshot(settings, { ...sessionHooks, warning: (line) => core.warning(line) }, step)
  core.setOutput('snapshot-file', written.file)
  core.setOutput('snapshot-changed', String(written.changed))
  core.setOutput('summary', written.summary)
  core.info(`${settings.snapshotFile.path}: ${written.summary}${written.changed ? '' : ' (unchanged)'}`)
}
