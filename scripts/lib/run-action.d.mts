export declare const DIST_ENTRY: string

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Milliseconds from spawn to exit. */
  durationMs: number
  /** Contents of the file named by the diff-file output, when it exists. */
  diffFile?: string
}

export interface RunOptions {
  inputs: Record<string, string>
  eventName?: string
  event?: unknown
  /** Extra or overriding environment variables (e.g. GITHUB_API_URL, GITHUB_SHA); undefined removes one. */
  env?: Record<string, string | undefined>
  timeoutMs?: number
  /** The Node binary; default: the one running this code. */
  node?: string
}

export declare function runAction(options: RunOptions): Promise<ActionRun>
export declare function parseOutputFile(text: string): Record<string, string>
export declare function channels(run: ActionRun, extra?: string[]): string
export declare function errorLines(run: ActionRun): string[]
export declare function pullRequestEvent(number: number, headSha: string, options?: { fork?: boolean }): unknown
