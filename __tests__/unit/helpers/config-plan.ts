/**
 * Configuration plans for the report's tests: config-core's planner (planConfig) run on states captured from
 * two live 11.17.4 instances seeded independently (__tests__/fixtures/config/, scripts/capture-config-fixtures.mjs),
 * so the renderers are tested on exactly what a plan holds.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AdminIdentity, ConfigPart, ConfigPlan, ConfigState } from '../../../src/core/config/model.js'
import { planConfig } from '../../../src/core/config/plan.js'

export const CONFIG_FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'config')

export function configState(side: 'base' | 'target', version = '11.17.4'): ConfigState {
  return JSON.parse(readFileSync(join(CONFIG_FIXTURES, `${side}.${version}.json`), 'utf8')) as ConfigState
}

export interface FixturePlanOptions {
  parts: readonly ConfigPart[]
  mode: 'merge' | 'mirror'
  /** Who apply runs as on the target: a plan that takes its admin access away says so (lockout). */
  identity?: AdminIdentity
}

/** A stand-in for the keyed hash: the digest and fingerprints are not what these tests look at. */
const secretHash = (value: unknown) => `hash:${JSON.stringify(value).length}`

export function fixturePlan(base: ConfigState, target: ConfigState, options: FixturePlanOptions): ConfigPlan {
  return planConfig(base, target, {
    parts: options.parts,
    mode: options.mode,
    env: {},
    secretHash,
    ...(options.identity !== undefined ? { identity: options.identity } : {})
  })
}
