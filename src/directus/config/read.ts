// STUB until config-core lands; replaced by config-core's file on merge.
import type { ConfigPart, ConfigState } from '../../core/config/model.js'
import type { AdminIdentity } from '../../core/config/plan.js'
import type { DirectusConnection } from '../client.js'

export async function readConfigState(_connection: DirectusConnection, _parts: readonly ConfigPart[]): Promise<ConfigState> {
  throw new Error('readConfigState: stub until config-core lands')
}

export async function readAdminIdentity(_connection: DirectusConnection): Promise<AdminIdentity> {
  throw new Error('readAdminIdentity: stub until config-core lands')
}
