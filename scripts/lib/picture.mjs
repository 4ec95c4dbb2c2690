// What ties docs/plan-comment.png to the renderer that drew it: a hash of the
// comment's renderer (src/report/*), recorded in docs/plan-comment.json by
// `npm run screenshot` and compared by a unit test.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const PICTURE = 'docs/plan-comment.png'
export const PICTURE_RECORD = 'docs/plan-comment.json'
export const PICTURE_MARKDOWN = 'docs/plan-comment.md'

/** The terminal renderers draw nothing in the comment; every other file of src/report/ does. */
const NOT_IN_THE_COMMENT = new Set(['terminal.ts', 'config-terminal.ts'])

/** The renderer's files, relative to the repository, in a stable order. */
export function rendererFiles(root = ROOT) {
  return readdirSync(join(root, 'src/report'))
    .filter((name) => name.endsWith('.ts') && !NOT_IN_THE_COMMENT.has(name))
    .sort()
    .map((name) => `src/report/${name}`)
}

/** sha256 over each file's path and content; line endings normalised so a checkout's settings do not matter. */
export function rendererHash(root = ROOT) {
  const hash = createHash('sha256')
  for (const file of rendererFiles(root)) {
    hash.update(`${file}\0${readFileSync(join(root, file), 'utf8').replace(/\r\n/g, '\n')}\0`)
  }
  return `sha256:${hash.digest('hex')}`
}

/** Width and height of a PNG, from its IHDR chunk. */
export function pngSize(buffer) {
  const signature = buffer.subarray(0, 8).toString('hex')
  if (signature !== '89504e470d0a1a0a' || buffer.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new Error('not a PNG file')
  }
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) }
}
