// Types for config-seed.mjs.

/** The Authorization header value of the base's request operation (a secret every channel must hide). */
export declare const BASE_SECRET: string
/** The same on the target: kept by default. */
export declare const TARGET_SECRET: string

/** Seeds access, flows (branching on resolve and reject, a trigger operation), dashboards, presets, translations, folders and settings; returns ids by short name. */
export declare function seedConfig(url: string, token: string, variant: 'base' | 'target'): Promise<Record<string, string>>

/** A permission with custom rules (fields, filter, validation, presets): 11.x and licensed 12.x only. */
export declare const RICH_PERMISSION: Readonly<{
  collection: string
  action: string
  fields: string[]
  permissions: Record<string, unknown>
  validation: Record<string, unknown>
  presets: Record<string, unknown>
}>
