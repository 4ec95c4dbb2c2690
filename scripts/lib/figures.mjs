// The reliability figures of `npm run test:faults`: every fault test appends what it saw to a
// JSON-lines file (DSA_FIGURES_FILE); this sums the lines and renders the table. Node builtins only.
import { appendFileSync, existsSync, readFileSync } from 'node:fs'

/**
 * @typedef {object} FigureLine
 * @property {string} test
 * @property {string} [message]         the run's one message, for the catalogue of messages
 * @property {number} [faults]          faults injected (Directus proxy and GitHub stand-in)
 * @property {number} [runs]            runs of dist/index.js under faults or hostile content
 * @property {number} [survived]        of those, exited 0 with the right outcome
 * @property {number} [failedCleanly]   of those, exited 1 with one clear error line
 * @property {number} [doubleApplies]   POST /schema/apply sent more than once in one run
 * @property {number} [secretScans]     runs whose every output channel was scanned
 * @property {number} [secretsLeaked]   secrets found in an output channel
 * @property {number} [badInputs]       bad or hostile inputs tried
 * @property {number} [unclearMessages] failures without exactly one clear line naming the cause
 */

/** @param {FigureLine} line */
export function recordFigures(line) {
  const file = process.env.DSA_FIGURES_FILE
  if (file) appendFileSync(file, `${JSON.stringify(line)}\n`)
}

/** @param {string} file */
export function readFigures(file) {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => /** @type {FigureLine} */ (JSON.parse(line)))
}

/** @param {FigureLine[]} lines */
export function totalFigures(lines) {
  const sum = (/** @type {keyof FigureLine} */ key) => lines.reduce((total, line) => total + Number(line[key] ?? 0), 0)
  return {
    faults: sum('faults'),
    runs: sum('runs'),
    survived: sum('survived'),
    failedCleanly: sum('failedCleanly'),
    doubleApplies: sum('doubleApplies'),
    secretScans: sum('secretScans'),
    secretsLeaked: sum('secretsLeaked'),
    badInputs: sum('badInputs'),
    unclearMessages: sum('unclearMessages'),
  }
}

/**
 * Every message the runs printed, by test: what a user would read, for review.
 * @param {FigureLine[]} lines
 */
export function renderMessages(lines) {
  return lines
    .filter((line) => line.message)
    .map((line) => `- ${line.test}\n  \`${String(line.message).replace(/`/g, "'")}\``)
    .join('\n')
}

/** @param {ReturnType<typeof totalFigures>} totals */
export function renderFiguresTable(totals) {
  const rows = [
    ['Faults injected (Directus proxy and GitHub stand-in)', totals.faults],
    ['Runs of dist/index.js under faults or hostile content', totals.runs],
    ['… that survived (exit 0, right outcome)', totals.survived],
    ['… that failed cleanly (exit 1, one clear line)', totals.failedCleanly],
    ['Double applies (must be 0)', totals.doubleApplies],
    ['Runs scanned for secrets (stdout, stderr, outputs, summary, diff file, comments)', totals.secretScans],
    ['Secrets leaked (must be 0)', totals.secretsLeaked],
    ['Bad inputs tried', totals.badInputs],
    ['Unclear messages (must be 0)', totals.unclearMessages],
  ]
  return ['| Figure | Count |', '| --- | ---: |', ...rows.map(([name, value]) => `| ${name} | ${value} |`)].join('\n')
}
