// Global teardown of the `faults` project: prints the figures table and records it.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFigures, renderFiguresTable, renderMessages, totalFigures } from '../../scripts/lib/figures.mjs'

export default function teardown() {
  const file = process.env.DSA_FIGURES_FILE
  if (!file) return
  const lines = readFigures(file)
  rmSync(dirname(file), { recursive: true, force: true })
  if (lines.length === 0) return
  const table = renderFiguresTable(totalFigures(lines))
  const stamped = `Fault, bad-input and secret figures of \`npm run test:faults\`, ${new Date().toISOString()}\n\n${table}\n`
  const out = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), '.tmp', 'fault-figures.md')
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, stamped)
  writeFileSync(join(dirname(out), 'fault-messages.md'), `Messages of the fault and bad-input runs\n\n${renderMessages(lines)}\n`)
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `\n${stamped}`)
  process.stdout.write(`\n${stamped}\n(recorded in ${out}; every message in fault-messages.md beside it)\n`)
}
