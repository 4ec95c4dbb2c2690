// STUB until config-core lands; replaced by config-core's file on merge.
import type { ConfigBatch } from '../../core/config/model.js'
import type { DirectusConnection, DirectusError } from '../client.js'

export interface ConfigApplyResult {
  done: ConfigBatch[]
  failed?: { batch: ConfigBatch; error: DirectusError }
  pending: ConfigBatch[]
}

export async function applyBatches(
  _connection: DirectusConnection,
  _batches: readonly ConfigBatch[],
  _hooks: { debug(line: string): void }
): Promise<ConfigApplyResult> {
  throw new Error('applyBatches: stub until config-core lands')
}
