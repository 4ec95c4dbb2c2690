import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CONFIG_PARTS, type ConfigState } from '../../../src/core/config/model.js'
import type { ConfigPlanOptions } from '../../../src/core/config/plan.js'

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'config')

/**
 * Configuration states read live by readConfigState from two independently seeded 12.4.0 instances
 * (scripts/lib/config-seed.mjs; captured with CONFIG_STATES_DIR by __tests__/integration/config-core.test.ts).
 */
export function configState(name: 'base-12.4.0' | 'target-12.4.0'): ConfigState {
  return JSON.parse(readFileSync(join(CONFIG, `${name}.json`), 'utf8')) as ConfigState
}

/** The secrets the seed puts in a flow operation's Authorization header, on each side. */
export const SEEDED_SECRETS = { base: 'Bearer base-secret-7f3a9c', target: 'Bearer target-secret-2b8e41' } as const

/** The target's Administrator role: the identity apply runs as in these tests. */
export function adminRoleOf(target: ConfigState): string {
  return target.items.roles?.find((role) => role['name'] === 'Administrator')?.['id'] as string
}

/** Every part, mirror mode, no overrides, apply running as an administrator of the target. */
export function allPartsOptions(target: ConfigState, secretHash: (value: unknown) => string): ConfigPlanOptions {
  return { parts: CONFIG_PARTS, mode: 'mirror', env: {}, secretHash, identity: { user: 'u1', role: adminRoleOf(target), userPolicies: [] } }
}
