import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DiffResponse } from '../../../src/directus/types.js'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures')

/** A hand-made diff from __tests__/fixtures/report/. */
export function reportFixture(name: string): DiffResponse {
  return JSON.parse(readFileSync(join(FIXTURES, 'report', name), 'utf8')) as DiffResponse
}
