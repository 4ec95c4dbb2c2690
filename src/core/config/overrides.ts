// STUB until config-core lands; replaced by config-core's file on merge.
export interface ConfigOverrides {
  source: string
  entries: readonly unknown[]
}

export function parseOverrides(_text: string, source: string): ConfigOverrides {
  return { source, entries: [] }
}
