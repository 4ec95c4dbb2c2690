/**
 * The Node.js versions the command line runs on: those of package.json's
 * `engines`. The bundled undici 8 needs 22.19 or later (it uses zlib's zstd on
 * load), and fails with a stack trace on anything older, so this is checked
 * before it is loaded (see index.ts).
 */
export const SUPPORTED_NODE = '^22.19.0 || >=24'

export function isSupportedNode(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)
  if (!match) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return (major === 22 && minor >= 19) || major >= 24
}

/** One line, for stderr. */
export function unsupportedNodeMessage(version: string): string {
  return `directus-schema-action needs Node.js 22.19 or later in 22.x, or 24 or later (${SUPPORTED_NODE}); this is Node.js ${version}. Install a newer Node.js and run it again.\n`
}
