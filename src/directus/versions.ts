/**
 * What a Directus server of a given version understands. The version is read
 * once per run (GET /server/info) and decides what is sent: older servers
 * ignore query parameters they do not know, silently, so an unsupported input
 * is refused instead of being sent.
 */

export interface DirectusVersion {
  text: string
  major: number
  minor: number
  patch: number
}

/** The range this action is built and tested for (tested: 11.17.4 and 12.4.0). */
export const OLDEST_SUPPORTED_MAJOR = 11
export const NEWEST_SUPPORTED_MAJOR = 12
export const SUPPORTED_RANGE = `${OLDEST_SUPPORTED_MAJOR}.x and ${NEWEST_SUPPORTED_MAJOR}.x`

/** Partial snapshots (includeCollections/excludeCollections) and the diff's `mode` arrived together in 12.2. */
export const SCOPE_AND_MODE_SINCE = { major: 12, minor: 2 } as const

export function parseVersion(text: string | undefined): DirectusVersion | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text?.trim() ?? '')
  if (!match) return undefined
  return { text: text!.trim(), major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) }
}

export function isSupported(version: DirectusVersion): boolean {
  return version.major >= OLDEST_SUPPORTED_MAJOR && version.major <= NEWEST_SUPPORTED_MAJOR
}

export function hasScopeAndMode(version: DirectusVersion | undefined): boolean {
  if (!version) return false
  return (
    version.major > SCOPE_AND_MODE_SINCE.major ||
    (version.major === SCOPE_AND_MODE_SINCE.major && version.minor >= SCOPE_AND_MODE_SINCE.minor)
  )
}
