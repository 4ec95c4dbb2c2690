/**
 * The drift report: the target's tracking issue (written by writeDriftIssue,
 * read back by parseDriftIssue) and the job summary of a drift run. What
 * differs is rendered by the plan's own report code (markdown.ts), framed as
 * what Directus would change to bring the target back to its reference.
 *
 * Issue layout (every section boundary is a hidden HTML comment; our text
 * never contains `<!--` or `-->`):
 *
 *   <!-- directus-schema-drift target=<percent-encoded target> -->
 *   <!-- directus-schema-drift baseline=<sealed baseline> -->     (only with one)
 *   <!-- directus-schema-drift seen=<first>/<last> -->            (only while drifted)
 *   ### Directus schema drift: <target>
 *
 *   <!-- directus-schema-drift status -->
 *   <status>
 *
 *   <!-- directus-schema-drift /status -->
 *
 *   <!-- directus-schema-drift body -->
 *   <body>
 *
 *   <!-- directus-schema-drift /body -->
 */
import type { DriftFinding, DriftSection } from '../core/drift.js'
import type { BaselineRecord } from '../core/guard/baseline.js'
import { countOf } from '../core/wording.js'
import { encodeTargetName } from './comment.js'
import { codeInline, escapeInline, linkUrl } from './escape.js'
import { DETAIL_LEVELS, renderReportBody, type Audience } from './markdown.js'
import { planReport } from './model.js'

const TAG = 'directus-schema-drift'
const SEALED = /^[A-Za-z0-9._~-]+$/
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/

/** GitHub refuses issue bodies longer than this. */
export const ISSUE_LIMIT = 65_536

export interface DriftIssue {
  targetName: string
  /** Sealed by core/guard/baseline.ts; opaque here. */
  baseline?: string
  /** While drifted: when this drift was first and last seen (ISO times). */
  seen?: { first: string; last: string }
  /** Markdown produced by us. */
  status: string
  /** Markdown produced by us. */
  body: string
}

export function driftMarker(targetName: string): string {
  return `<!-- ${TAG} target=${encodeTargetName(targetName)} -->`
}

export function driftIssueTitle(targetName: string): string {
  return `Directus schema drift: ${targetName}`.slice(0, 256)
}

export function writeDriftIssue(issue: DriftIssue): string {
  if (issue.baseline !== undefined && !SEALED.test(issue.baseline)) throw new TypeError('baseline must use only A-Z a-z 0-9 . _ ~ -')
  if (issue.seen && (!TIME.test(issue.seen.first) || !TIME.test(issue.seen.last))) throw new TypeError('seen must be ISO times')
  for (const [name, text] of [
    ['status', issue.status],
    ['body', issue.body]
  ] as const) {
    if (text.includes('<!--') || text.includes('-->')) throw new TypeError(`${name} must not contain <!-- or -->`)
  }
  return [
    driftMarker(issue.targetName),
    ...(issue.baseline !== undefined ? [`<!-- ${TAG} baseline=${issue.baseline} -->`] : []),
    ...(issue.seen ? [`<!-- ${TAG} seen=${issue.seen.first}/${issue.seen.last} -->`] : []),
    `### ${escapeInline(driftIssueTitle(issue.targetName), 300)}`,
    '',
    `<!-- ${TAG} status -->`,
    issue.status,
    '',
    `<!-- ${TAG} /status -->`,
    '',
    `<!-- ${TAG} body -->`,
    issue.body,
    '',
    `<!-- ${TAG} /body -->`
  ].join('\n')
}

/** What an issue body carries, or null when it is not one of ours for this target. */
export function parseDriftIssue(text: string, targetName: string): Pick<DriftIssue, 'baseline' | 'seen'> | null {
  const normalized = text.replace(/\r\n/g, '\n')
  if (!normalized.startsWith(`${driftMarker(targetName)}\n`)) return null
  const baseline = new RegExp(`^<!-- ${TAG} baseline=([A-Za-z0-9._~-]+) -->$`, 'm').exec(normalized)?.[1]
  const seen = new RegExp(`^<!-- ${TAG} seen=([^/ ]+)/([^/ ]+) -->$`, 'm').exec(normalized)
  const first = seen?.[1]
  const last = seen?.[2]
  return {
    ...(baseline !== undefined ? { baseline } : {}),
    ...(first !== undefined && last !== undefined && TIME.test(first) && TIME.test(last) ? { seen: { first, last } } : {})
  }
}

/** Where the run is, for links. */
export interface DriftContext {
  targetName: string
  targetLocation: string
  /** The committed snapshot's path in the GitOps mode. */
  committedPath?: string
  runUrl?: string
  diffFile?: string
}

/** The status of the issue and of the job summary. */
export function driftStatus(finding: DriftFinding, context: DriftContext, seen?: { first: string; last: string }): string {
  const target = `<b>${escapeInline(context.targetName, 100)}</b>`
  const run = context.runUrl !== undefined ? linkUrl(context.runUrl) : undefined
  const inRun = run !== undefined ? ` ([run](${run}))` : ''
  switch (finding.state) {
    case 'no-baseline':
      return `ℹ️ **No baseline yet** for ${target}: ${escapeInline(finding.note, 600)}${inRun}`
    case 'clean':
      return `✅ **No drift:** ${target} is in the state it should be in. Last checked ${seen?.last ?? 'now'}${inRun}.`
    case 'drifted':
      return (
        `⚠️ **Drift on ${target}** (${escapeInline(finding.summary, 300)}): first seen ${seen?.first ?? 'now'}, ` +
        `last seen ${seen?.last ?? 'now'}${inRun}. Someone changed the target outside the reviewed promotions, ` +
        'or an apply failed part-way. Restore the target, or accept its state as the new baseline (`accept-baseline: true`).'
      )
  }
}

/** One line about the baseline in the issue, from the record; or why there is none. */
export function baselineLine(record: BaselineRecord | undefined, problem?: string): string {
  if (!record) return `**Baseline:** ${problem ? escapeInline(problem, 600) : 'none recorded yet.'}`
  const how =
    record.source === 'apply'
      ? `right after the action's apply${record.pullRequest !== undefined ? ` of pull request #${record.pullRequest}` : ''}`
      : 'when its state was accepted (`accept-baseline: true`)'
  const commit = record.commit ? ` at commit ${codeInline(record.commit.slice(0, 12), 40)}` : ''
  const run = record.runUrl !== undefined ? linkUrl(record.runUrl) : undefined
  const inRun = run !== undefined ? ` in [this run](${run})` : ''
  const where = [
    record.directus ? `Directus ${escapeInline(record.directus, 40)}` : '',
    record.vendor ? `on ${escapeInline(record.vendor, 40)}` : ''
  ]
    .filter(Boolean)
    .join(' ')
  const counts = `${countOf(record.counts.collections, 'collection')}, ${countOf(record.counts.fields, 'field')}, ${countOf(record.counts.relations, 'relation')}`
  const stored = record.snapshot
    ? 'the snapshot is stored, so drift is shown in full'
    : 'only its digest is stored (the snapshot was too large), so drift is seen but not shown'
  return `**Baseline:** recorded ${escapeInline(record.recordedAt, 40)} ${how}${commit}${inRun}; ${where ? `${where}, ` : ''}${counts}; ${stored}.`
}

/** The body of a drift report: the baseline line, each section's note, and what differs, as detailed as `budget` allows. */
export function driftBody(finding: DriftFinding, context: DriftContext, baseline: string, budget: number, audience: Audience): string {
  const intro = [baseline]
  if (finding.state === 'no-baseline') return intro.join('\n\n')
  const notes = finding.sections.map((section) => escapeInline(section.note, 1200))
  const frame = [...intro, ...notes]
  const shown = finding.sections.filter((section) => section.drifted && section.plan?.kind === 'changes')
  if (shown.length === 0) return frame.join('\n\n')
  const explain =
    'Below is what Directus would change to bring the target back to ' +
    (context.committedPath !== undefined ? `${codeInline(context.committedPath, 200)}` : 'its baseline') +
    ': ➖ delete means the target gained it, ➕ create that it lost it, ✏️ shows `target now → ' +
    (context.committedPath !== undefined ? 'committed' : 'baseline') +
    '`.'
  const head = [...frame, explain].join('\n\n')
  const room = budget - head.length - 2
  for (const level of DETAIL_LEVELS) {
    const bodies = shown.map((section) => sectionBody(section, context, level, Math.floor(room / shown.length), audience))
    const text = bodies.join('\n\n')
    if (text.length <= room) return `${head}\n\n${text}`
  }
  return head
}

function sectionBody(
  section: DriftSection,
  context: DriftContext,
  level: (typeof DETAIL_LEVELS)[number],
  budget: number,
  audience: Audience
): string {
  if (section.plan === undefined) return ''
  const input = {
    ...planReport(section.plan, {
      targetName: context.targetName,
      baseLocation: context.committedPath ?? 'stored baseline',
      targetLocation: context.targetLocation,
      allowDestructiveSetting: 'input',
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
      ...(context.diffFile ? { diffFile: context.diffFile } : {})
    }),
    purpose: 'drift' as const
  }
  return renderReportBody(input, level, { budget, audience })
}
