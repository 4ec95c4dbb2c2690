// Types for directus-instance.mjs. (A `.d.mts` is what TypeScript's NodeNext resolution looks up
// for an import of `./directus-instance.mjs`; a `.d.ts` would be ignored.)

export declare const DEFAULT_VERSION: string
/** Every version the test suite starts; `test-env.mjs ensure` installs them all. */
export declare const TEST_VERSIONS: string[]
export declare const NODE22_VERSION: string
export declare const ADMIN_EMAIL: string
export declare const ADMIN_PASSWORD: string
/** Static admin token baked into every template (same for every instance). */
export declare const ADMIN_TOKEN: string

/**
 * 'sqlite': a copied SQLite file. 'pg': a PostgreSQL database (DIRECTUS_TEST_PG_HOST/PORT/USER/PASSWORD).
 * 'mysql': a MySQL/MariaDB database, Directus' DB_CLIENT=mysql (DIRECTUS_TEST_MYSQL_HOST/PORT/USER/PASSWORD;
 * default root@127.0.0.1:3306, empty password; needs the `mariadb` or `mysql` client, or DIRECTUS_TEST_MYSQL_CLIENT).
 * The test machines run MariaDB 10.11; Directus' snapshots then say "vendor": "mysql".
 */
export type DirectusDb = 'sqlite' | 'pg' | 'mysql'
/** Every accepted `db` value. */
export declare const DB_KINDS: readonly DirectusDb[]

export interface StartDirectusOptions {
  /** Directus version from the cache; default '12.4.0'. Installed on first use if missing. */
  version?: string
  /** Database: SQLite file (default), or a PostgreSQL or MySQL/MariaDB database cloned from a template. */
  db?: DirectusDb
  /** 0 (default) picks a free port. */
  port?: number
  /** Extra Directus environment variables, e.g. { MAX_PAYLOAD_SIZE: '10mb' }. */
  env?: Record<string, string | number | boolean>
  /** Label used in error messages. */
  name?: string
  /** How long to wait for /server/ping; default 90000 ms. */
  startTimeoutMs?: number
  /** Progress output (template bootstrap, installs); default: stderr. */
  log?: (message: string) => void
  /** Start from a template with this seeded schema, built once and cached (see ensureSeededTemplate). */
  seed?: SeedTemplate
}

export interface SeedTemplate {
  /** Cache key: lowercase letters, digits and dashes. Change it whenever what `run` creates changes. */
  name: string
  /** Seeds a fresh instance through its API; runs once per version, database and name. */
  run: (instance: DirectusInstance) => Promise<unknown>
}

export interface DirectusInstance {
  /** e.g. http://127.0.0.1:40123 (no trailing slash) */
  url: string
  adminToken: string
  adminEmail: string
  adminPassword: string
  version: string
  db: DirectusDb
  port: number
  /** PostgreSQL or MySQL/MariaDB database of this instance (dropped on stop). */
  dbName?: string
  name: string
  pid: number
  /** Milliseconds from the startDirectus() call until /server/ping answered. */
  startupMs: number
  /** Kill the process (group), wait for it, drop its database and remove its data. Idempotent. */
  stop(): Promise<void>
  /** Output of the instance so far (LOG_LEVEL=warn, JSON lines). */
  logs(): string
}

export declare function startDirectus(options?: StartDirectusOptions): Promise<DirectusInstance>

/**
 * Runs SQL on the MySQL/MariaDB server that db 'mysql' uses (DIRECTUS_TEST_MYSQL_*), through its command
 * line client, e.g. to look at an instance's tables: `USE ${instance.dbName}; SHOW CREATE TABLE t`.
 * Returns the rows of the last result(s) as strings (NULL as the string "NULL").
 */
export declare function mysqlQuery(sql: string): Promise<string[][]>

/** Creates a user whose role's policy has admin_access=false and app_access=false; returns its static token. */
export declare function createNonAdminToken(instance: Pick<DirectusInstance, 'url' | 'adminToken'>): Promise<string>

/** Starts a pre-warmed process for `version` in the background (speeds up the next start). */
export declare function prewarmDirectus(version?: string): Promise<void>

/** Synchronously kills every instance and pre-warmed process of this process, drops their databases. */
export declare function stopAll(): void

export interface EnsureOptions {
  log?: (message: string) => void
}
export declare function cacheDir(): string
export declare function node22Paths(): { dir: string; pkgDir: string; bin: string; nodedir: string; override: boolean }
export declare function directusPaths(version: string): { dir: string; marker: string; cli: string }
export declare function ensureNode22(options?: EnsureOptions): Promise<string>
export declare function isDirectusInstalled(version: string): boolean
export declare function ensureDirectus(version?: string, options?: EnsureOptions): Promise<{ dir: string; cli: string; node: string }>
/** Builds (once, under a lock) a template with a seeded schema; returns the SQLite file or the PostgreSQL/MySQL database name. */
export declare function ensureSeededTemplate(version: string, db: DirectusDb, seed: SeedTemplate, log?: (message: string) => void): Promise<string>
/** Bootstraps (once, under a lock) the template database; returns the SQLite file or the PostgreSQL/MySQL database name. */
export declare function ensureTemplate(version: string, db: DirectusDb, log?: (message: string) => void): Promise<string>
