import { jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile } from '../../scripts/lib/run-action.mjs'
import * as workflow from '../../src/action/workflow.js'

/**
 * The runner's protocol as src/action/workflow.ts writes it through
 * @actions/core, in the formats the runner reads.
 */
const ENV_NAMES = ['INPUT_BASE-URL', 'INPUT_TIMEOUT_SECONDS', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY'] as const
let saved: Record<string, string | undefined>
let written: string
let dir: string

beforeEach(() => {
  saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]))
  for (const name of ENV_NAMES) delete process.env[name]
  written = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk)
    return true
  })
  dir = mkdtempSync(join(tmpdir(), 'dsa-workflow-'))
})

afterEach(() => {
  jest.restoreAllMocks()
  for (const name of ENV_NAMES) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
  process.exitCode = undefined
  rmSync(dir, { recursive: true, force: true })
})

describe('inputs', () => {
  it('reads INPUT_<NAME> as the runner sets it, hyphens kept, spaces as underscores, trimmed', () => {
    process.env['INPUT_BASE-URL'] = '  https://dev.example.com \n'
    process.env['INPUT_TIMEOUT_SECONDS'] = '30'
    expect(workflow.getInput('base-url')).toBe('https://dev.example.com')
    expect(workflow.getInput('timeout seconds')).toBe('30')
    expect(workflow.getInput('target-url')).toBe('')
  })
})

describe('workflow commands on stdout', () => {
  it('writes one command per line, with % and line breaks escaped so nothing can start another command', () => {
    workflow.setSecret('a%b\r\n::add-mask::c')
    workflow.warning('two\nlines 100%')
    workflow.notice('fork')
    workflow.debug('GET /server/info -> 200')
    workflow.startGroup('connect')
    workflow.info('connect took 12 ms')
    workflow.endGroup()
    expect(written.split('\n')).toEqual([
      '::add-mask::a%25b%0D%0A::add-mask::c',
      '::warning::two%0Alines 100%25',
      '::notice::fork',
      '::debug::GET /server/info -> 200',
      '::group::connect',
      'connect took 12 ms',
      '::endgroup::',
      ''
    ])
  })

  it('fails the step with an error annotation and exit code 1', () => {
    workflow.setFailed("Input 'base-url' is required")
    expect(written).toBe("::error::Input 'base-url' is required\n")
    expect(process.exitCode).toBe(1)
  })
})

describe('outputs', () => {
  it('appends name<<delimiter blocks to GITHUB_OUTPUT, multi-line values included, under a fresh delimiter each', () => {
    const file = join(dir, 'output')
    writeFileSync(file, '')
    process.env['GITHUB_OUTPUT'] = file
    workflow.setOutput('summary', '+1 collection')
    workflow.setOutput('failure-reason', '')
    workflow.setOutput('note', 'line one\nline two')
    const text = readFileSync(file, 'utf8')
    expect(parseOutputFile(text)).toEqual({ summary: '+1 collection', 'failure-reason': '', note: 'line one\nline two' })
    const delimiters = [...text.matchAll(/<<(ghadelimiter_[0-9a-f-]{36})\n/g)].map((match) => match[1])
    expect(new Set(delimiters).size).toBe(3)
    expect(written).toBe('')
  })

  it('refuses a GITHUB_OUTPUT file that does not exist', () => {
    process.env['GITHUB_OUTPUT'] = join(dir, 'missing')
    expect(() => workflow.setOutput('summary', 'x')).toThrow(`Missing file at path: ${join(dir, 'missing')}`)
  })

  it('falls back to the set-output command without GITHUB_OUTPUT', () => {
    workflow.setOutput('has-changes', 'true')
    expect(written).toBe('\n::set-output name=has-changes::true\n')
  })
})

describe('the job summary', () => {
  it('appends the heading as <h3> and the Markdown, each ending a line', async () => {
    const file = join(dir, 'summary')
    writeFileSync(file, 'before\n')
    process.env['GITHUB_STEP_SUMMARY'] = file
    await workflow.appendSummary('**Changes:** +1 field', 'Apply to staging')
    await workflow.appendSummary('second')
    expect(readFileSync(file, 'utf8')).toBe('before\n<h3>Apply to staging</h3>\n**Changes:** +1 field\nsecond\n')
  })

  it('writes nothing without GITHUB_STEP_SUMMARY', async () => {
    await expect(workflow.appendSummary('x')).resolves.toBeUndefined()
    expect(written).toBe('')
  })
})
