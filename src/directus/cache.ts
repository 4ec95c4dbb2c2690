import type { DirectusConnection } from './client.js'

/**
 * Clears Directus' system cache (its cached schema among it). After an apply
 * that failed on MySQL/MariaDB, the changes committed before the failure are
 * in the database but not in the running instance's cached schema, so every
 * diff and snapshot would describe the schema as it was before; only this
 * request (`system=true`; the plain one is not enough) brings them into view.
 * Seen live on Directus 12.4.0 and 11.17.4 with MariaDB 10.11 (docs/mariadb.md).
 */
export async function clearSystemCache(connection: DirectusConnection): Promise<void> {
  await connection.send<unknown>({ method: 'POST', path: '/utils/cache/clear', params: { system: 'true' } })
}
