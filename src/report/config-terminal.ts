// STUB until config-report lands; replaced by config-report's file on merge.
import type { ConfigPlan } from '../core/config/model.js'

export function configTerminalLines(plan: ConfigPlan): string[] {
  return plan.batches.flatMap((batch) => batch.operations.map((operation) => `${operation.kind} ${operation.label}`))
}
