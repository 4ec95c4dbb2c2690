import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse as parseYaml } from 'yaml'
import { ensureNode22, startDirectus, type DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { createCollection, getSnapshot, seedRealisticSchema } from '../../scripts/lib/seed.mjs'
import { runCli, type CliRun } from '../support/run-cli.js'

/**
 * The command line's options that match the action's inputs (--base-snapshot,
 * --include-collections, --exclude-collections, --diff-mode, and the snapshot
 * command), against live Directus 12.4.0, run on each Node.js the command line
 * supports: 24 (the tests' own) and 22 (from the test cache). On an older
 * Node.js it says which it needs, in one line.
 */

let base: DirectusInstance
let target: DirectusInstance
let node22: string
let scratch: string

beforeAll(async () => {
  ;[base, target, node22] = await Promise.all([
    startDirectus({ db: 'sqlite', name: 'cli-options-base' }),
    startDirectus({ db: 'sqlite', name: 'cli-options-target' }),
    ensureNode22()
  ])
  await seedRealisticSchema(base.url, base.adminToken)
  // Only the target has it: mirror deletes it, merge leaves it.
  await createCollection(target.url, target.adminToken, 'scratch_notes')
  scratch = mkdtempSync(join(tmpdir(), 'dsa-cli-options-'))
})

afterAll(async () => {
  await Promise.all([base?.stop(), target?.stop()])
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/plan.v1.schema.json'), 'utf8')) as object
const validatePlan = new Ajv2020({ allErrors: true, strict: true }).compile(schema)

interface PlanJson {
  hasChanges: boolean
  hash: string | null
  digest: string | null
  summary: string
  base: { url: string; version?: string }
  warnings: string[]
  changes: { collection: string; action: string; entity: string }[]
}

describe.each([
  ['Node.js 24', () => process.execPath],
  ['Node.js 22', () => node22]
])('the command line on %s', (name, node) => {
  const slug = name.replace(/\W+/g, '-')
  const env = (): Record<string, string> => ({ DIRECTUS_BASE_TOKEN: base.adminToken, DIRECTUS_TARGET_TOKEN: target.adminToken })
  const cli = (args: string[]): Promise<CliRun> => runCli(args, { env: env(), node: node() })
  const target_ = (): string[] => ['--target-url', target.url, '--target-name', 'staging', '--timeout-seconds', '30']

  async function planJson(args: string[]): Promise<PlanJson> {
    const run = await cli(['plan', ...args, '--json'])
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.any(String) })
    const json = JSON.parse(run.stdout) as PlanJson
    expect(validatePlan.errors ?? []).toEqual([])
    expect(validatePlan(json)).toBe(true)
    return json
  }

  it('runs: the same plan as always, in JSON that keeps to schemas/plan.v1.schema.json', async () => {
    const version = await runCli(['--version'], { node: node() })
    expect(version).toMatchObject({ code: 0, stderr: '' })
    const live = await planJson(['--base-url', base.url, ...target_()])
    expect(live).toMatchObject({ hasChanges: true, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })
    expect(live.changes).toContainEqual(expect.objectContaining({ collection: 'scratch_notes', action: 'delete', entity: 'collection' }))
  })

  it('snapshot --out writes the base with sorted keys, JSON or YAML by extension, and says when nothing changed', async () => {
    const json = join(scratch, `${slug}-schema.json`)
    const yaml = join(scratch, `${slug}-nested`, 'schema.yaml')
    const first = await runCli(['snapshot', '--base-url', base.url, '--out', json], {
      env: { DIRECTUS_BASE_TOKEN: base.adminToken },
      node: node()
    })
    expect(first).toMatchObject({ code: 0, stderr: '' })
    const live = (await getSnapshot(base.url, base.adminToken)) as { collections: unknown[]; fields: unknown[]; relations: unknown[] }
    expect(first.stdout).toBe(
      `${json}: Directus 12.4.0 on sqlite: ${live.collections.length} collections, ${live.fields.length} fields, ${live.relations.length} relations\n`
    )
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual(live)
    const again = await runCli(['snapshot', '--base-url', base.url, '--out', json], {
      env: { DIRECTUS_BASE_TOKEN: base.adminToken },
      node: node()
    })
    expect(again.stdout).toMatch(/ \(unchanged\)\n$/)
    const written = readFileSync(json, 'utf8')
    const parsed = JSON.parse(written) as Record<string, unknown>
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort())
    expect(written.endsWith('}\n')).toBe(true)

    const asYaml = await runCli(['snapshot', '--base-url', base.url, '--out', yaml, '--include-collections', 'authors,tags'], {
      env: { DIRECTUS_BASE_TOKEN: base.adminToken },
      node: node()
    })
    expect(asYaml).toMatchObject({ code: 0 })
    expect(existsSync(yaml)).toBe(true)
    const fromYaml = parseYaml(readFileSync(yaml, 'utf8')) as { version: number; collections: { collection: string }[] }
    expect(fromYaml.version).toBe(2)
    expect(fromYaml.collections.map((item) => item.collection).sort()).toEqual(['authors', 'tags'])
  })

  it('plans from a snapshot file exactly what it plans from the live base, and needs no base credential', async () => {
    const file = join(scratch, `${slug}-base.json`)
    expect(
      await runCli(['snapshot', '--base-url', base.url, '--out', file], { env: { DIRECTUS_BASE_TOKEN: base.adminToken }, node: node() })
    ).toMatchObject({ code: 0 })
    const live = await planJson(['--base-url', base.url, ...target_()])
    const run = await runCli(['plan', '--base-snapshot', file, ...target_(), '--json'], {
      env: { DIRECTUS_TARGET_TOKEN: target.adminToken },
      node: node()
    })
    expect(run.code).toBe(2)
    const fromFile = JSON.parse(run.stdout) as PlanJson
    expect(validatePlan(fromFile)).toBe(true)
    expect({ hash: fromFile.hash, digest: fromFile.digest, summary: fromFile.summary }).toEqual({
      hash: live.hash,
      digest: live.digest,
      summary: live.summary
    })
    expect(fromFile.base.url).toBe(file)
  })

  it('limits the plan to --include-collections, or to all but --exclude-collections', async () => {
    const included = await planJson(['--base-url', base.url, ...target_(), '--include-collections', 'authors,tags'])
    expect(new Set(included.changes.map((change) => change.collection))).toEqual(new Set(['authors', 'tags']))
    const excluded = await planJson(['--base-url', base.url, ...target_(), '--exclude-collections', 'articles,articles_tags,scratch_notes'])
    const collections = new Set(excluded.changes.map((change) => change.collection))
    expect(collections.has('articles')).toBe(false)
    expect(collections.has('scratch_notes')).toBe(false)
    expect(collections.has('authors')).toBe(true)
  })

  it('with --diff-mode merge leaves what only the target has; mirror deletes it', async () => {
    const merge = await planJson(['--base-url', base.url, ...target_(), '--diff-mode', 'merge'])
    expect(merge.changes.some((change) => change.collection === 'scratch_notes')).toBe(false)
    const report = await cli(['plan', '--base-url', base.url, ...target_(), '--diff-mode', 'merge'])
    expect(report.code).toBe(2)
    expect(report.stdout).not.toContain('scratch_notes')
  })

  it('refuses options of another command, and a bad mode, in one line naming the flag', async () => {
    const wrong = await cli(['snapshot', '--base-url', base.url, '--out', join(scratch, 'x.json'), '--diff-mode', 'merge'])
    expect(wrong).toMatchObject({ code: 1, stdout: '' })
    expect(wrong.stderr).toBe(
      "error: --diff-mode is an option of plan and apply, not snapshot\nRun 'directus-schema-action --help' for usage.\n"
    )
    const mode = await cli(['plan', '--base-url', base.url, ...target_(), '--diff-mode', 'copy'])
    expect(mode.code).toBe(1)
    expect(mode.stderr.split('\n')[0]).toBe('error: --diff-mode must be one of mirror, merge; got "copy"')
  })
})

describe('on an older Node.js', () => {
  it('says in one line which Node.js it needs, and exits 1 before loading anything else', async () => {
    const run = await runCli(['plan', '--base-url', 'http://127.0.0.1:9', '--target-url', 'http://127.0.0.1:9'], { node: '/usr/bin/node' })
    const version = (await runCli(['--version'], { node: '/usr/bin/node' })).stderr
    expect(version).toMatch(/this is Node\.js v(1\d|20|21|22\.(1[0-8]|\d))\./)
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(
      /^directus-schema-action needs Node\.js 22\.19 or later in 22\.x, or 24 or later \(\^22\.19\.0 \|\| >=24\); this is Node\.js v\d+\.\d+\.\d+\. Install a newer Node\.js and run it again\.\n$/
    )
  })
})
