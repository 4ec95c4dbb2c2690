import { scopeWarnings } from '../core/base-snapshot.js'
import { assertInputsHonoured } from '../core/compatibility.js'
import { openBaseSession } from '../core/session.js'
import type { SnapshotSettings } from '../core/settings.js'
import { countOf } from '../core/wording.js'
import { takeSnapshot } from '../directus/schema.js'
import { writeSnapshotFile } from '../directus/snapshot-file.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { sessionHooks, step } from './runner.js'
import * as core from './workflow.js'

/**
 * Writes the base's schema snapshot to a file, to be committed: the GitOps
 * flow, where a pull request changes the committed snapshot and the plan shows
 * what that does to the target (`base-snapshot`).
 */
export async function runSnapshot(settings: SnapshotSettings): Promise<void> {
  const session = await step('connect', () => openBaseSession(settings.base, settings.timeoutMs, sessionHooks))
  try {
    assertInputsHonoured(settings, { ...(session.version ? { base: session.version } : {}) }, ['base'])
    const snapshot = await step('snapshot', () => takeSnapshot(session.base, settings.scope))
    for (const warning of settings.scope ? scopeWarnings(snapshot, settings.scope) : []) core.warning(warning)
    const written = await step('render', () => writeSnapshotFile(settings.snapshotFile, snapshot))

    const summary = describeSnapshot(snapshot)
    core.setOutput('snapshot-file', written.file)
    core.setOutput('snapshot-changed', String(written.changed))
    core.setOutput('summary', summary)
    core.info(`${settings.snapshotFile.path}: ${summary}${written.changed ? '' : ' (unchanged)'}`)
  } finally {
    await session.close()
  }
}

/** e.g. 'Directus 12.4.0 on sqlite: 6 collections, 41 fields, 3 relations' */
function describeSnapshot(snapshot: SchemaSnapshot): string {
  return (
    `Directus ${snapshot.directus}${snapshot.vendor ? ` on ${snapshot.vendor}` : ''}: ` +
    `${countOf(snapshot.collections.length, 'collection')}, ${countOf(snapshot.fields.length, 'field')}, ` +
    `${countOf(snapshot.relations.length, 'relation')}`
  )
}
