/**
 * Refusals decided by the servers' versions, before anything is sent: a
 * server outside the supported range, and inputs a server would silently
 * ignore (before 12.2 Directus drops unknown query parameters, so a scoped
 * snapshot would cover everything and a merge diff would delete).
 */
import type { Side } from '../directus/client.js'
import type { CollectionScope } from '../directus/schema.js'
import type { SchemaSnapshot } from '../directus/types.js'
import { hasScopeAndMode, isSupported, parseVersion, SUPPORTED_RANGE } from '../directus/versions.js'
import { ExpectedError, InputError } from './errors.js'
import type { BaseRequest } from './settings.js'

export class UnsupportedServerError extends ExpectedError {
  override name = 'UnsupportedServerError'
}

/** An unknown version passes: Directus still checks the snapshot's version itself when diffing. */
export function assertSupportedServer(side: Side, host: string, versionText: string | undefined): void {
  const version = parseVersion(versionText)
  if (!version || isSupported(version)) return
  throw new UnsupportedServerError(
    `${side} (${host}) runs Directus ${version.text}, which this action does not support: it supports Directus ${SUPPORTED_RANGE} ` +
      `(tested with 11.17.4 and 12.4.0). Nothing was sent to it.`
  )
}

export interface ServerVersions {
  /** Undefined when the base is a snapshot file. */
  base?: string
  target?: string
}

export function assertInputsHonoured(
  request: Pick<BaseRequest, 'baseFile' | 'scope'> & { mode?: BaseRequest['mode'] },
  versions: ServerVersions,
  sides: readonly Side[] = ['base', 'target']
): void {
  if (request.scope) {
    const input = scopeInput(request.scope)
    if (sides.includes('base') && !request.baseFile) {
      requireScopeAndMode(input, 'base', versions.base, 'ignore it and snapshot every collection')
    }
    if (sides.includes('target')) {
      requireScopeAndMode(input, 'target', versions.target, 'refuse the partial snapshot it makes')
    }
  }
  if (request.mode === 'merge' && sides.includes('target')) {
    requireScopeAndMode(
      'diff-mode',
      'target',
      versions.target,
      "ignore 'merge' and diff as mirror, deletions included. Use 'diff-mode: mirror' or upgrade the target"
    )
  }
}

/** A committed snapshot may itself be partial (exported with includeCollections). */
export function assertDiffable(snapshot: SchemaSnapshot, targetVersion: string | undefined, fromFile: boolean): void {
  if (snapshot.version !== 2 || hasScopeAndMode(parseVersion(targetVersion))) return
  const input = fromFile ? 'base-snapshot' : 'base-url'
  const target = targetVersion ? `runs Directus ${targetVersion}` : 'did not report its version (GET /server/info)'
  throw new InputError(
    input,
    `The base snapshot is a partial snapshot (version 2, from Directus 12.2 or later), which the target cannot diff: it ${target}. ` +
      'Use a full snapshot or upgrade the target'
  )
}

export function scopeInput(scope: CollectionScope): 'include-collections' | 'exclude-collections' {
  return scope.kind === 'include' ? 'include-collections' : 'exclude-collections'
}

function requireScopeAndMode(input: string, side: Side, versionText: string | undefined, consequence: string): void {
  if (hasScopeAndMode(parseVersion(versionText))) return
  throw new InputError(
    input,
    `Input '${input}' needs Directus 12.2 or later on the ${side}; the ${side} ` +
      (versionText
        ? `runs Directus ${versionText}, which would ${consequence}`
        : `did not report its version (GET /server/info) and may ${consequence}`) +
      '. Nothing was sent'
  )
}
