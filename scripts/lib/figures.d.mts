export interface FigureLine {
  test: string
  /** The run's one message, for the catalogue of messages. */
  message?: string
  faults?: number
  runs?: number
  survived?: number
  failedCleanly?: number
  doubleApplies?: number
  secretScans?: number
  secretsLeaked?: number
  badInputs?: number
  unclearMessages?: number
}
export interface FigureTotals {
  faults: number
  runs: number
  survived: number
  failedCleanly: number
  doubleApplies: number
  secretScans: number
  secretsLeaked: number
  badInputs: number
  unclearMessages: number
}
export declare function recordFigures(line: FigureLine): void
export declare function readFigures(file: string): FigureLine[]
export declare function totalFigures(lines: FigureLine[]): FigureTotals
export declare function renderFiguresTable(totals: FigureTotals): string
export declare function renderMessages(lines: FigureLine[]): string
