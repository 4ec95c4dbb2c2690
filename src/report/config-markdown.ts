// STUB until config-report lands; replaced by config-report's file on merge.
import type { ConfigPlan } from '../core/config/model.js'

export function renderConfigSections(plan: ConfigPlan): string {
  return plan.batches.length === 0 ? '' : `#### Configuration\n\n${plan.batches.flatMap((batch) => batch.operations).length} operations`
}
