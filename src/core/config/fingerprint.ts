// STUB until config-core lands; replaced by config-core's file on merge.
import type { ConfigPlan, ConfigState } from './model.js'

export function fingerprintOf(_state: ConfigState, _plan: ConfigPlan): string {
  throw new Error('fingerprintOf: stub until config-core lands')
}
