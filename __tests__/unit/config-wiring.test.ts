/**
 * The configuration part as the action and the command line carry it (issue #11), on a plan made by planConfig
 * from states read live from two independently seeded 12.4.0 instances: the comment's status and summary line,
 * the record's configuration part (secrets sealed, filled back only for the batches left), and where a re-run
 * starts.
 */
import { simulatePlan, fingerprintOf } from '../../src/core/config/fingerprint.js'
import { CONFIG_PARTS, operationsOf, type ConfigBatch } from '../../src/core/config/model.js'
import { planConfig, type ConfigPlanOptions } from '../../src/core/config/plan.js'
import {
  configRecordOf,
  configStart,
  fillSecrets,
  listOperations,
  packConfigBatches,
  secretHasher,
  summarizeOperations,
  unpackConfigBatches
} from '../../src/core/guard/config-record.js'
import { recordKey } from '../../src/core/guard/record.js'
import { schemaNotPromoted } from '../../src/core/planner.js'
import { planStatus, renderPlanComment, renderSummaryLine } from '../../src/report/markdown.js'
import { escapeInline } from '../../src/report/escape.js'
import { planReport } from '../../src/report/model.js'
import { renderTerminalReport } from '../../src/report/terminal.js'
import { allPartsOptions, configState, SEEDED_SECRETS } from './helpers/config-states.js'

const base = configState('base-12.4.0')
const target = configState('target-12.4.0')
const { base: BASE_SECRET, target: TARGET_SECRET } = SEEDED_SECRETS
const KEY = recordKey({ kind: 'token', token: 'target-token' }, 'https://staging.example.com/')
const secretHash = secretHasher(KEY)
const options: ConfigPlanOptions = allPartsOptions(target, secretHash)
const plan = planConfig(base, target, options)
const context = {
  targetName: 'staging',
  baseLocation: 'https://dev.example.com',
  targetLocation: 'https://staging.example.com',
  allowDestructiveSetting: 'input' as const
}

describe('the report of a plan of configuration alone', () => {
  const report = planReport(schemaNotPromoted('mirror'), { ...context, config: plan, schemaNotPromoted: true })

  it('is a plan with changes: planned, destructive (the target’s Legacy policy goes), and says what it compares', () => {
    const status = planStatus(report)
    expect(status.state).toBe('planned')
    expect(status.text).toContain('⛔ **Destructive:**')
    expect(status.text).toContain("If the target's configuration changes before the merge, the apply is refused")
  })

  it('counts the configuration in the summary line, and leaves the schema out of it', () => {
    const line = renderSummaryLine(report)
    expect(line).toBe(
      `**Changes:** configuration ${escapeInline(summarizeOperations(operationsOf(plan)))}` +
        ` · ⚠️ ${operationsOf(plan).filter((operation) => operation.kind === 'delete' && ['policies', 'roles', 'flows'].includes(operation.collection)).length} destructive configuration` +
        (plan.risks.length > 0 ? ` · ⚡ ${plan.risks.length} risky configuration` : '')
    )
    expect(line).not.toContain('no changes')
  })

  it('shows no secret of either side in the comment or the terminal', () => {
    const comment = renderPlanComment(report, { status: planStatus(report) }).text
    const terminal = renderTerminalReport(report, { color: false })
    for (const text of [comment, terminal]) {
      expect(text).toContain('The schema is not promoted')
      expect(text).not.toContain(BASE_SECRET)
      expect(text).not.toContain(TARGET_SECRET)
    }
  })

  it('says no changes when the configuration already matches', () => {
    const applied = planConfig(base, simulatePlan(target, plan.batches), options)
    const matching = planReport(schemaNotPromoted('mirror'), { ...context, config: applied, schemaNotPromoted: true })
    expect(planStatus(matching)).toEqual({
      state: 'no-changes',
      text: '✅ **No changes:** the configuration of <b>staging</b> already matches the base; merging applies nothing.'
    })
  })
})

describe('the record’s configuration part on a real plan', () => {
  const record = { ...configRecordOf(plan), batches: packConfigBatches(plan, secretHash) }

  it('carries the digest, the fingerprints and the compared fields, and no secret in clear', () => {
    expect(record).toMatchObject({ digest: plan.digest, fingerprints: plan.fingerprints, compared: plan.compared, parts: CONFIG_PARTS })
    const carried = JSON.stringify(unpackConfigBatches(record))
    expect(carried).not.toContain(BASE_SECRET)
    expect(carried).not.toContain(TARGET_SECRET)
    // `before` (the target's records as read) is left out: it holds the target's secrets.
    const operations = (unpackConfigBatches(record) ?? []).flatMap((batch) => batch.operations)
    expect(operations.filter((operation) => 'before' in operation)).toEqual([])
    expect(plan.batches.flatMap((batch) => batch.operations).some((operation) => operation.before !== undefined)).toBe(true)
  })

  it('starts a re-run where an earlier run stopped, and fills in the secrets of the batches left from a fresh plan', () => {
    const done = 3
    const partway = simulatePlan(target, plan.batches.slice(0, done))
    expect(configStart(record, fingerprintOf(partway, plan, secretHash))).toEqual({ kind: 'apply', from: done })
    expect(configStart(record, fingerprintOf(simulatePlan(target, plan.batches), plan, secretHash))).toEqual({ kind: 'applied' })

    const fresh = planConfig(base, partway, options)
    const sealed = unpackConfigBatches(record) as ConfigBatch[]
    const filled = fillSecrets(sealed.slice(done), operationsOf(fresh), secretHash)
    if ('missing' in filled) throw new Error(filled.missing)
    const withoutBefore = plan.batches.slice(done).map((batch) => ({
      ...batch,
      operations: batch.operations.map(({ before: _before, ...operation }) => operation)
    }))
    expect(JSON.parse(JSON.stringify(filled.batches))).toEqual(JSON.parse(JSON.stringify(withoutBefore)))
  })

  it('lists what was done and what was not by label, at most ten names', () => {
    const operations = operationsOf(plan)
    const listed = listOperations(operations)
    expect(listed.startsWith(`${summarizeOperations(operations)} (`)).toBe(true)
    expect(listed).toContain(`${operations[0]?.kind} ${operations[0]?.label}`)
    if (operations.length > 10) expect(listed).toContain(`and ${operations.length - 10} more`)
  })
})
