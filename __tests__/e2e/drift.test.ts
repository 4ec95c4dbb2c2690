import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorLines, type ActionRun } from '../../scripts/lib/run-action.mjs'
import type { Issue } from '../../scripts/lib/github-standin.mjs'
import { createCollection, createField, deleteCollection, deleteField, getSnapshot } from '../../scripts/lib/seed.mjs'
import { BOT, diffOf, expectSucceeded, useLive } from '../support/live.js'

/**
 * `command: drift` on a schedule, against live Directus 12.4 (SQLite) and the
 * stand-in GitHub: the baseline an apply records, drift opening, updating
 * and closing the target's tracking issue, fail-on-drift, a token without
 * `issues: write`, the GitOps mode, and a base that moved ahead.
 * The tests run in order on shared instances; each leaves the target as the
 * next expects it.
 */

/** The same bot, from a workflow that grants `issues: read` only. */
const READ_ONLY_TOKEN = 'ghs_drift_e2e_readonly_0123456789'
const MARKER = '<!-- directus-schema-drift target=staging -->'

const live = useLive({
  name: 'drift',
  directus: { base: { seed: 'realistic' }, target: {} },
  github: { tokens: { [READ_ONLY_TOKEN]: { login: BOT, installation: true, issues: 'read' } } },
  inputs: { 'timeout-seconds': '120' },
  firstPr: 700
})
const { directus } = live
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dsa-drift-'))
})

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A scheduled drift run for target `staging`. */
function drift(extra: Record<string, string> = {}): Promise<ActionRun> {
  return live.drift(live.inputs(extra, { base: null }))
}

/** The issues carrying a target's marker, by anyone. */
function trackingIssues(marker = MARKER): Issue[] {
  return live.github.issues('acme', 'site').filter((issue) => (issue.body ?? '').includes(marker))
}

/** Requests that wrote issues (create, update, comment) since `from`. */
function issueWrites(from: number): string[] {
  return live.github.requests
    .slice(from)
    .filter((request) => request.method !== 'GET' && /\/issues(\/|$)/.test(request.path))
    .map((request) => `${request.method} ${request.path.replace(/^\/repos\/acme\/site/, '')}`)
}

function seenOf(issue: Issue | undefined): { first: string; last: string } {
  const match = /<!-- directus-schema-drift seen=(\S+)\/(\S+) -->/.exec(issue?.body ?? '')
  if (!match) throw new Error(`no seen marker in ${issue?.body ?? 'no issue'}`)
  return { first: match[1] as string, last: match[2] as string }
}

it('reports no baseline yet for a target the action never applied, and opens nothing until a baseline is accepted', async () => {
  const run = await drift()
  expectSucceeded(run)
  expect(run.outputs).toMatchObject({ drifted: 'false', summary: 'no baseline yet', 'issue-url': '' })
  expect(run.stdout).toMatch(/::notice::No baseline yet for staging: the action has not applied to staging yet/)
  expect(run.summary).toMatch(/No baseline yet/)
  expect(live.github.issues('acme', 'site')).toEqual([])

  // The explicit way: accept the target as it is (here under another name, so the story below starts bare).
  const accepted = await drift({ 'target-name': 'accepted', 'accept-baseline': 'true' })
  expectSucceeded(accepted)
  expect(accepted.outputs).toMatchObject({ drifted: 'false', summary: 'baseline accepted' })
  const [holder] = trackingIssues('<!-- directus-schema-drift target=accepted -->')
  expect(holder).toMatchObject({ state: 'closed', title: 'Directus schema drift: accepted' })
  expect(holder?.body).toMatch(/✅ \*\*Baseline accepted\*\* at \S+/)
  expect(holder?.body).toMatch(/when its state was accepted \(`accept-baseline: true`\)/)
  const checked = await drift({ 'target-name': 'accepted' })
  expectSucceeded(checked)
  expect(checked.outputs).toMatchObject({ drifted: 'false', summary: 'no drift', 'issue-url': holder?.html_url })
})

it('no drift: after an apply the target matches its recorded baseline, and no issue is opened', async () => {
  const review = await live.review(live.inputs())
  expectSucceeded(review.plan)
  const apply = await live.apply(live.inputs(), review)
  expectSucceeded(apply)
  expect(apply.outputs['applied']).toBe('true')
  expect(apply.stdout).toMatch(/Drift baseline for staging recorded in https:\/\/github\.com\/acme\/site\/issues\/\d+\./)
  // The baseline lives in the tracking issue, which is open only while the target drifts.
  const [holder, ...others] = trackingIssues()
  expect(others).toEqual([])
  expect(holder).toMatchObject({ state: 'closed', user: { login: BOT } })
  expect(holder?.body).toMatch(/<!-- directus-schema-drift baseline=b1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+ -->/)
  expect(holder?.body).toMatch(/right after the action's apply of pull request #700/)

  const before = live.github.requests.length
  const run = await drift({ labels: 'directus, drift' })
  expectSucceeded(run)
  expect(run.outputs).toMatchObject({ drifted: 'false', summary: 'no drift' })
  expect(issueWrites(before)).toEqual([])
  expect(trackingIssues().map((issue) => issue.state)).toEqual(['closed'])
  expect(run.summary).toMatch(/✅ \*\*No drift:\*\* <b>staging<\/b> is in the state it should be in/)
  live.expectNoSecrets(run)
})

it('a base that moved ahead of the target is not drift', async () => {
  await createField(directus.base.url, directus.base.adminToken, 'articles', {
    field: 'subtitle',
    type: 'string',
    meta: { interface: 'input' },
    schema: {}
  })
  const run = await drift()
  expectSucceeded(run)
  expect(run.outputs).toMatchObject({ drifted: 'false', summary: 'no drift' })
  expect(trackingIssues().map((issue) => issue.state)).toEqual(['closed'])
})

it('drift: a change made by hand opens the one tracking issue, showing what differs', async () => {
  await createCollection(directus.target.url, directus.target.adminToken, 'hotfix', [
    { field: 'note', type: 'string', meta: { interface: 'input' }, schema: {} }
  ])
  const before = live.github.requests.length
  const run = await drift({ labels: 'directus, drift' })
  expectSucceeded(run)
  expect(run.outputs['drifted']).toBe('true')
  expect(run.outputs['summary']).toBe('schema: -1 collection')
  expect(diffOf(run).collections.map((item) => item.collection)).toEqual(['hotfix'])
  const [issue, ...others] = trackingIssues()
  expect(others).toEqual([])
  expect(run.outputs['issue-url']).toBe(issue?.html_url)
  expect(issue).toMatchObject({ state: 'open', title: 'Directus schema drift: staging', user: { login: BOT } })
  expect(issue?.labels.map((label) => label.name)).toEqual(['directus', 'drift'])
  expect(issueWrites(before)).toEqual([`PATCH /issues/${issue?.number}`])
  const body = issue?.body ?? ''
  expect(body).toMatch(/⚠️ \*\*Drift on <b>staging<\/b>\*\* \(schema: -1 collection\): first seen \S+, last seen \S+/)
  expect(body).toMatch(/➖ <code>hotfix<\/code> — deleted collection/)
  expect(body).toMatch(/<!-- directus-schema-drift baseline=b1\./)
  const seen = seenOf(issue)
  expect(seen.first).toBe(seen.last)
  expect(run.summary).toMatch(/➖ <code>hotfix<\/code> — deleted collection/)
  live.expectNoSecrets(run, [body])
})

it('still drifted: the same issue is updated in place, first seen kept, last seen moved on', async () => {
  const [earlier] = trackingIssues()
  const before = live.github.requests.length
  const run = await drift({ labels: 'directus, drift' })
  expectSucceeded(run)
  expect(run.outputs['drifted']).toBe('true')
  const [issue, ...others] = trackingIssues()
  expect(others).toEqual([])
  expect(issue?.number).toBe(earlier?.number)
  expect(issue?.state).toBe('open')
  expect(issueWrites(before)).toEqual([`PATCH /issues/${issue?.number}`])
  expect(seenOf(issue).first).toBe(seenOf(earlier).first)
  expect(Date.parse(seenOf(issue).last)).toBeGreaterThan(Date.parse(seenOf(earlier).last))
})

it('fail-on-drift fails the job in one line, after reporting', async () => {
  const run = await drift({ 'fail-on-drift': 'true' })
  expect(run.code).toBe(1)
  const errors = errorLines(run)
  expect(errors).toHaveLength(1)
  expect(errors[0]).toMatch(
    /^::error::Drift on staging: schema: -1 collection\. See https:\/\/github\.com\/acme\/site\/issues\/\d+ \(fail-on-drift: true\)\.$/
  )
  expect(run.outputs).toMatchObject({ drifted: 'true', summary: 'schema: -1 collection' })
  expect(trackingIssues().map((issue) => issue.state)).toEqual(['open'])
})

it('without issues: write, drift warns, keeps the job summary and the outputs, and succeeds', async () => {
  const [earlier] = trackingIssues()
  const run = await drift({ 'github-token': READ_ONLY_TOKEN })
  expectSucceeded(run)
  expect(run.outputs).toMatchObject({ drifted: 'true', summary: 'schema: -1 collection' })
  expect(run.stdout).toMatch(
    /::warning::Could not update the drift tracking issue: the token may not \(HTTP 403\); grant the workflow 'issues: write', or set 'issue: false'\. The drift report is in the job summary and the outputs\./
  )
  expect(run.summary).toMatch(/➖ <code>hotfix<\/code> — deleted collection/)
  expect(trackingIssues()[0]?.body).toBe(earlier?.body)
  expect(errorLines(run)).toEqual([])
})

it('resolved: when the target is back to its baseline, the issue is closed with a comment', async () => {
  await deleteCollection(directus.target.url, directus.target.adminToken, 'hotfix')
  const run = await drift()
  expectSucceeded(run)
  expect(run.outputs).toMatchObject({ drifted: 'false', summary: 'no drift' })
  const [issue] = trackingIssues()
  expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' })
  expect(issue?.body).toMatch(/✅ \*\*No drift:\*\*/)
  expect(issue?.body).toMatch(/<!-- directus-schema-drift baseline=b1\./)
  const comments = live.github.comments('acme', 'site', issue?.number ?? 0)
  expect(comments.map((comment) => comment.body)).toEqual([
    expect.stringMatching(/^✅ Drift resolved: the target matches the state it should be in again/)
  ])
})

it('drift against a committed snapshot (GitOps): the default branch’s file is the reference, and drift opens an issue', async () => {
  // The committed snapshot is what was applied: the base before it moved ahead.
  const committed = await getSnapshot(directus.base.url, directus.base.adminToken)
  committed.fields = committed.fields.filter(
    (field: { collection: string; field: string }) => !(field.collection === 'articles' && field.field === 'subtitle')
  )
  const file = join(dir, 'snapshot.json')
  writeFileSync(file, JSON.stringify(committed))
  const gitops = { 'base-snapshot': file, 'target-name': 'gitops' }
  const gitopsMarker = '<!-- directus-schema-drift target=gitops -->'

  const clean = await drift(gitops)
  expectSucceeded(clean)
  expect(clean.outputs).toMatchObject({ drifted: 'false', summary: 'no drift' })
  expect(trackingIssues(gitopsMarker)).toEqual([])

  await createField(directus.target.url, directus.target.adminToken, 'tags', {
    field: 'legacy_code',
    type: 'string',
    meta: { interface: 'input' },
    schema: {}
  })
  const before = live.github.requests.length
  const drifted = await drift(gitops)
  expectSucceeded(drifted)
  expect(drifted.outputs).toMatchObject({ drifted: 'true', summary: 'schema: -1 field' })
  const [issue, ...others] = trackingIssues(gitopsMarker)
  expect(others).toEqual([])
  expect(issue).toMatchObject({ state: 'open', title: 'Directus schema drift: gitops' })
  expect(issueWrites(before)).toEqual(['POST /issues'])
  expect(issue?.body).toMatch(/what Directus would change to bring the target back to <code>[^<]*snapshot\.json<\/code>/)
  expect(issue?.body).toMatch(/<code>legacy&#95;code<\/code>/)
  // The other target's issue is another issue.
  expect(trackingIssues().map((tracked) => tracked.state)).toEqual(['closed'])
  await deleteField(directus.target.url, directus.target.adminToken, 'tags', 'legacy_code')
})

it('an apply without issues: write warns that no baseline was recorded, and succeeds', async () => {
  const inputs = live.inputs({ 'github-token': READ_ONLY_TOKEN })
  const review = await live.review(inputs)
  expectSucceeded(review.plan)
  const apply = await live.apply(inputs, review)
  expectSucceeded(apply)
  expect(apply.outputs['applied']).toBe('true')
  expect(apply.stdout).toMatch(
    /::warning::No drift baseline recorded for staging: Could not update the drift tracking issue: the token may not \(HTTP 403\); grant the workflow 'issues: write', or set 'issue: false'\. The apply itself succeeded\./
  )
  expect(errorLines(apply)).toEqual([])
})
