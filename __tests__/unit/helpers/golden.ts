/**
 * Golden files: the expected rendering lives next to the tests as Markdown a
 * person can open and review. UPDATE_GOLDEN=1 rewrites them; otherwise the
 * rendering must match byte for byte. A final newline is added on disk so
 * editors that insist on one do not break the comparison.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden')

export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name)
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, `${actual}\n`)
    return
  }
  if (!existsSync(path)) {
    throw new Error(`golden file ${name} is missing; run the tests with UPDATE_GOLDEN=1 and review it`)
  }
  expect(`${actual}\n`).toBe(readFileSync(path, 'utf8'))
}
