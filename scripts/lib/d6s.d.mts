// Types for d6s.mjs.

export const D6S_VERSION: string
export const SCHEMA_ONLY_FLAGS: string[]

/** One finished run of a command line: exit code, what it printed, how long it took from spawn to exit. */
export interface ToolRun {
  code: number | null
  stdout: string
  stderr: string
  durationMs: number
}

export interface D6sProject {
  /** The project directory (directus.config.json and the pulled files). */
  directory: string
  /** `d6s sync pull --from base`, schema only. */
  pull(): Promise<ToolRun>
  /** `d6s sync diff --to target --mode mirror` of the pulled files. */
  diff(): Promise<ToolRun>
  remove(): Promise<void>
}

export function ensureD6s(options?: { log?: (message: string) => void }): Promise<string>

export function createD6sProject(options: {
  bin: string
  node?: string
  base: { url: string; token: string }
  target: { url: string; token: string }
}): Promise<D6sProject>
