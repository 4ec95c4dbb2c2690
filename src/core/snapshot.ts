/**
 * `command: snapshot` (the action) and `snapshot --out` (the command line):
 * the base's schema written to a file, keys sorted, to be committed. The
 * GitOps flow: a pull request changes the committed snapshot, and the plan
 * shows what that does to the target (`base-snapshot`).
 */
import { takeSnapshot } from '../directus/schema.js'
import { writeSnapshotFile } from '../directus/snapshot-file.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { scopeWarnings } from './base-snapshot.js'
import { assertInputsHonoured } from './compatibility.js'
import { openBaseSession, type ConnectionHooks } from './session.js'
import type { SnapshotSettings } from './settings.js'
import type { StepRunner } from './steps.js'
import { countOf } from './wording.js'

export interface SnapshotHooks extends ConnectionHooks {
  /** Plain text, e.g. an included collection the base does not have; said before the file is written. */
  warning(line: string): void
}

export interface WrittenSnapshot {
  /** The absolute path of the file. */
  file: string
  /** The file's content changed, or it is new: there is something to commit. */
  changed: boolean
  /** e.g. 'Directus 12.4.0 on sqlite: 6 collections, 41 fields, 3 relations' */
  summary: string
}

/** Runs as three steps: connect, snapshot, render (writing the file). */
export async function writeBaseSnapshot(settings: SnapshotSettings, hooks: SnapshotHooks, step: StepRunner): Promise<WrittenSnapshot> {
  const session = await step('connect', () => openBaseSession(settings.base, settings.timeoutMs, hooks))
  try {
    assertInputsHonoured(settings, { ...(session.version ? { base: session.version } : {}) }, ['base'])
    const snapshot = await step('snapshot', () => takeSnapshot(session.base, settings.scope))
    for (const warning of settings.scope ? scopeWarnings(snapshot, settings.scope) : []) hooks.warning(warning)
    const written = await step('render', () => writeSnapshotFile(settings.snapshotFile, snapshot))
    return { ...written, summary: describeSnapshot(snapshot) }
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
