import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ConfigState } from '../../../src/core/config/model.js'

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'config')

/**
 * Configuration states read live by readConfigState from two independently seeded 12.4.0 instances
 * (scripts/lib/config-seed.mjs; captured with CONFIG_STATES_DIR by __tests__/integration/config-core.test.ts).
 */
export function configState(name: 'base-12.4.0' | 'target-12.4.0'): ConfigState {
  return JSON.parse(readFileSync(join(CONFIG, `${name}.json`), 'utf8')) as ConfigState
}
