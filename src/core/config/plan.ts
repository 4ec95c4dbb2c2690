// STUB until config-core lands (the interface of /work/wt/prompts/config-common.md); replaced by config-core's file on merge.
import type { DiffMode } from '../../directus/schema.js'
import type { ConfigOverrides } from './overrides.js'
import type { ConfigPart, ConfigPlan, ConfigState } from './model.js'

export interface AdminIdentity {
  user: string
  role: string | null
  userPolicies: readonly string[]
}

export interface ConfigPlanOptions {
  parts: readonly ConfigPart[]
  mode: DiffMode
  overrides?: ConfigOverrides
  env: Readonly<Record<string, string | undefined>>
  secretHash: (value: unknown) => string
  identity?: AdminIdentity
}

export function planConfig(_base: ConfigState, _target: ConfigState, _options: ConfigPlanOptions): ConfigPlan {
  throw new Error('planConfig: stub until config-core lands')
}
