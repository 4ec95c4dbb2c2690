import * as core from '@actions/core'
import { scopeWarnings } from '../base-snapshot.js'
import { assertInputsHonoured } from '../compatibility.js'
import { takeSnapshot } from '../directus/schema.js'
import type { SnapshotSettings } from '../inputs.js'
import type { SchemaSnapshot } from '../plan/diff-model.js'
import { openBase, step } from '../session.js'
import { writeSnapshotFile } from '../snapshot-file.js'

/**
 * Writes the base's schema snapshot to a file, to be committed: the GitOps
 * flow, where a pull request changes the committed snapshot and the plan shows
 * what that does to the target (`base-snapshot`).
 */
export async function runSnapshot(settings: SnapshotSettings): Promise<void> {
  const session = await step('connect', () => openBase(settings.base, settings.timeoutMs))
  try {
    assertInputsHonoured(settings, { ...(session.version ? { base: session.version } : {}) }, ['base'])
    const snapshot = await step('snapshot', () => takeSnapshot(session.base, settings.scope))
    for (const warning of settings.scope ? scopeWarnings(snapshot, settings.scope) : []) core.warning(warning)
    const written = await step('render', () => writeSnapshotFile(settings.snapshotFile, snapshot))

    const summary = describeSnapshot(snapshot)
    core.setOutput('snapshot-file', written.file)
    core.setOutput('snapshot-changed', String(written.changed))
    core.setOutput('summary', summary)
    core.info(`${settings.snapshotFile}: ${summary}${written.changed ? '' : ' (unchanged)'}`)
  } finally {
    await session.close()
  }
}

/** e.g. 'Directus 12.4.0 on sqlite: 6 collections, 41 fields, 3 relations' */
function describeSnapshot(snapshot: SchemaSnapshot): string {
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`
  return (
    `Directus ${snapshot.directus}${snapshot.vendor ? ` on ${snapshot.vendor}` : ''}: ` +
    `${count(snapshot.collections.length, 'collection')}, ${count(snapshot.fields.length, 'field')}, ` +
    `${count(snapshot.relations.length, 'relation')}`
  )
}
