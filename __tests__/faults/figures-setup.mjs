// Global setup of the `faults` project: a fresh file the tests append their figures to.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup() {
  process.env.DSA_FIGURES_FILE = join(mkdtempSync(join(tmpdir(), 'dsa-figures-')), 'figures.jsonl')
}
