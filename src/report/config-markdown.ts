/**
 * The configuration sections of a plan comment (issue #11), in the look of the schema sections
 * (markdown.ts): alerts first (lockout, destructive, risky, limits), then one section per promoted part.
 * Access shows, per policy, a collection × action table of what changes; flows show the trigger, then the
 * chain of operations; the other parts list what is created, updated and deleted.
 *
 * Everything from an instance passes through escape.ts; values pass through config-model.ts' displayValue
 * first, so no secret reaches the text. The sections fit a budget: they collapse into <details>, then rows are
 * cut and the cut is counted, never silently.
 */
import type { ConfigPlan } from '../core/config/model.js'
import { countOf } from '../core/wording.js'
import {
  configReportView,
  countsText,
  limitText,
  PART_TITLES,
  type FlowStep,
  type FlowView,
  type OperationView,
  type PartView,
  type PolicyView,
  type ShownKind,
  type Text
} from './config-model.js'
import { codeInline, escapeInline, jsonValue } from './escape.js'

export interface ConfigSectionsOptions {
  /** The most characters the sections may take. Default CONFIG_SECTIONS_BUDGET. */
  budget?: number
  /** Plain text said where everything can be found when rows are cut, e.g. "the job summary of the workflow run". */
  moreAt?: string
}

/** A share of the comment's 65 536 characters, leaving the schema sections and the record their room. */
export const CONFIG_SECTIONS_BUDGET = 30_000

export type ConfigDetailLevel = 'full' | 'collapsed' | 'truncated'

const VALUE_MAX: Record<ConfigDetailLevel, number> = { full: 200, collapsed: 80, truncated: 60 }
/** A section with more rows than this is collapsed even at the full level. */
const OPEN_ROWS_MAX = 40
/** Items listed in one alert before "… and N more". */
const ALERT_ITEMS_MAX = 30
const NAME_MAX = 120
const NOTE_MAX = 300
/** The lockout names every operation that takes admin access away: said whole. */
const LOCKOUT_MAX = 2000

const ICONS: Record<ShownKind, string> = { create: '➕', update: '✏️', delete: '➖', unlink: '✂️', unchanged: '·' }
const KIND_WORDS: Record<ShownKind, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  unlink: 'unlinked',
  unchanged: 'unchanged'
}

/** One rendered row and how many operations of the plan it shows. */
interface Row {
  text: string
  count: number
}

/** A heading or table head, its rows, and how many operations the head itself shows. */
interface Block {
  head: string
  headCount: number
  rows: Row[]
}

interface Section {
  title: string
  blocks: Block[]
}

/** The sections as detailed as the budget allows: full, then collapsed with shorter values, then cut. */
export function renderConfigSections(plan: ConfigPlan, options: ConfigSectionsOptions = {}): string {
  const budget = options.budget ?? CONFIG_SECTIONS_BUDGET
  for (const level of ['full', 'collapsed'] as const) {
    const text = renderConfigSectionsAt(plan, level)
    if (text.length <= budget) return text
  }
  return renderConfigSectionsAt(plan, 'truncated', options)
}

/** The sections show every operation at their full level within the budget: nothing collapsed to shorter values, nothing cut. */
export function configShownWhole(plan: ConfigPlan, budget = CONFIG_SECTIONS_BUDGET): boolean {
  return plan.batches.length === 0 || renderConfigSectionsAt(plan, 'full').length <= budget
}

/** The sections at one detail level; only 'truncated' heeds the budget. */
export function renderConfigSectionsAt(plan: ConfigPlan, level: ConfigDetailLevel, options: ConfigSectionsOptions = {}): string {
  const view = configReportView(plan)
  if (level !== 'truncated') {
    return joinBlocks([summaryLine(plan, view), alerts(plan, view, NO_LIMITS), ...sectionsOf(view, level)])
  }
  const total = view.counts.create + view.counts.update + view.counts.delete
  return truncated(plan, view, options.budget ?? CONFIG_SECTIONS_BUDGET, total, options.moreAt)
}

function summaryLine(plan: ConfigPlan, view: ReturnType<typeof configReportView>): string {
  const marks =
    (view.destructive.length > 0 ? ` · ⚠️ ${view.destructive.length} destructive` : '') +
    (view.risky.length > 0 ? ` · ⚡ ${view.risky.length} risky` : '') +
    (plan.lockout !== undefined ? ' · ⛔ lockout' : '')
  const parts = plan.parts.map((part) => codeInline(part)).join(', ')
  return `**Configuration** (${parts}, \`${plan.mode}\`): ${escapeInline(countsText(view.counts))}${marks}`
}

// ---------------------------------------------------------------------------
// Alerts

function alerts(plan: ConfigPlan, view: ReturnType<typeof configReportView>, limits: AlertLimits): string {
  const blocks: string[] = []
  if (plan.lockout !== undefined) {
    blocks.push(
      ['> [!CAUTION]', `> **Apply refuses this plan: it would lock itself out.** ${escapeInline(plan.lockout, LOCKOUT_MAX)}.`].join('\n')
    )
  }
  if (view.destructive.length > 0) {
    const count = view.destructive.length
    blocks.push(
      alertList(
        [
          '> [!CAUTION]',
          `> **This plan deletes configuration.** ${countOf(count, 'destructive change')}: apply refuses ${count === 1 ? 'it' : 'them'} unless destructive changes are allowed (\`allow-destructive\`).`,
          '>'
        ],
        view.destructive.map((operation) => `> - ➖ ${label(operation.label)}: ${escapeInline(operation.destructive ?? '', NOTE_MAX)}`),
        limits,
        'more destructive change'
      )
    )
  }
  if (view.risky.length > 0) {
    const count = view.risky.length
    blocks.push(
      alertList(
        [
          '> [!WARNING]',
          `> **⚡ ${countOf(count, 'risky change')}:** ${count === 1 ? 'it gives' : 'they give'} people more access than they had. ${count === 1 ? 'It does' : 'They do'} not block the apply.`,
          '>'
        ],
        view.risky.map(
          (operation) => `> - ⚡ ${label(operation.label)}: ${operation.risks.map((risk) => escapeInline(risk, NOTE_MAX)).join('; ')}`
        ),
        limits,
        'more risky change'
      )
    )
  }
  if (plan.limits.length > 0) {
    blocks.push(
      [
        '> [!NOTE]',
        '> **What this plan cannot compare or apply:**',
        '>',
        ...plan.limits.map((limit) => `> - ${textMarkdown(limitText(limit), VALUE_MAX.full)}`)
      ].join('\n')
    )
  }
  return joinBlocks(blocks)
}

/** The items that fit in maxItems and maxLength; the rest counted on a last line. */
function alertList(head: string[], items: string[], limits: AlertLimits, more: string): string {
  const moreLine = (hidden: number) => `> - … and ${countOf(hidden, more)}`
  const lines = [...head]
  let length = head.join('\n').length + moreLine(items.length).length + 1
  for (const item of items.slice(0, limits.items)) {
    if (length + item.length + 1 > limits.length) break
    lines.push(item)
    length += item.length + 1
  }
  const hidden = items.length - (lines.length - head.length)
  return [...lines, ...(hidden > 0 ? [moreLine(hidden)] : [])].join('\n')
}

interface AlertLimits {
  items: number
  length: number
}

const NO_LIMITS: AlertLimits = { items: Number.POSITIVE_INFINITY, length: Number.POSITIVE_INFINITY }

// ---------------------------------------------------------------------------
// Sections

function sectionsOf(view: ReturnType<typeof configReportView>, level: ConfigDetailLevel): string[] {
  return view.parts.map((part) => {
    const section = sectionOf(part, VALUE_MAX[level])
    const rows = section.blocks.reduce((sum, block) => sum + block.rows.length, 0)
    const collapsed = level !== 'full' || rows > OPEN_ROWS_MAX
    const body = section.blocks.map(blockText).join('\n\n')
    if (body === '') return `#### ${section.title}\n\nNo changes.`
    return collapsed ? `<details><summary>${section.title}</summary>\n\n${body}\n\n</details>` : `#### ${section.title}\n\n${body}`
  })
}

function blockText(block: Block): string {
  return [block.head, ...block.rows.map((row) => row.text)].filter((line) => line !== '').join('\n')
}

function sectionOf(part: PartView, valueMax: number): Section {
  const marks =
    (part.destructiveCount > 0 ? ` · ⚠️ ${part.destructiveCount} destructive` : '') +
    (part.riskyCount > 0 ? ` · ⚡ ${part.riskyCount} risky` : '')
  const title = `${PART_TITLES[part.part]} — ${countOf(part.count, 'change')}${marks}`
  const blocks: Block[] = []
  if (part.access !== undefined) {
    for (const policy of part.access.policies) blocks.push(...policyBlocks(policy, valueMax))
    if (part.access.roles.length > 0) blocks.push(operationTable('**Roles**\n\n', part.access.roles, valueMax))
  }
  for (const flow of part.flows ?? []) blocks.push(flowBlock(flow, valueMax))
  if (part.others !== undefined && part.others.length > 0) blocks.push(operationTable('', part.others, valueMax))
  return { title, blocks }
}

function policyBlocks(policy: PolicyView, valueMax: number): Block[] {
  const marks = `${policy.destructive !== undefined ? ' · ⚠️ destructive' : ''}${policy.risks.length > 0 ? ' · ⚡ risky' : ''}`
  const heading = `##### ${ICONS[policy.kind]} policy ${codeInline(policy.name, NAME_MAX)} — ${KIND_WORDS[policy.kind]}${marks}`
  const lines: Row[] = [
    ...(policy.destructive !== undefined ? [{ text: `- **destructive:** ${escapeInline(policy.destructive, NOTE_MAX)}`, count: 0 }] : []),
    ...policy.risks.map((risk) => ({ text: `- **⚡ ${escapeInline(risk, NOTE_MAX)}**`, count: 0 })),
    ...policy.changes.map((change) => ({ text: `- ${textMarkdown(change, valueMax)}`, count: 0 })),
    ...policy.links.map((link) => ({
      text: `- ${ICONS[link.kind]} link ${link.details.map((detail) => textMarkdown(detail, valueMax)).join(' ')}${riskMarks(link.risks)}`,
      count: 1
    }))
  ]
  const blocks: Block[] = [
    { head: lines.length > 0 ? `${heading}\n` : heading, headCount: policy.kind === 'unchanged' ? 0 : 1, rows: lines }
  ]
  if (policy.matrix.length > 0) {
    const head = [`| Collection | ${policy.actions.join(' | ')} |`, `| --- |${' --- |'.repeat(policy.actions.length)}`].join('\n')
    blocks.push({
      head,
      headCount: 0,
      rows: policy.matrix.map((row) => {
        const cells = policy.actions.map((action) => {
          const cell = row.cells[action]
          if (cell === undefined) return '·'
          const lines = cell.lines.map((line) => textMarkdown(line, valueMax))
          return `${ICONS[cell.kind]} ${lines.join('<br>')}${riskMarks(cell.risks)}`
        })
        return { text: `| ${codeInline(row.collection, NAME_MAX)} | ${cells.join(' | ')} |`, count: Object.keys(row.cells).length }
      })
    })
  }
  return blocks
}

function flowBlock(flow: FlowView, valueMax: number): Block {
  const marks = `${flow.destructive !== undefined ? ' · ⚠️ destructive' : ''}${flow.risks.length > 0 ? ' · ⚡ risky' : ''}`
  const head = [
    `##### ${ICONS[flow.kind]} flow ${codeInline(flow.name, NAME_MAX)} — ${KIND_WORDS[flow.kind]}${marks}`,
    '',
    ...(flow.destructive !== undefined ? [`**destructive:** ${escapeInline(flow.destructive, NOTE_MAX)}`, ''] : []),
    ...flow.risks.map((risk) => `**⚡ ${escapeInline(risk, NOTE_MAX)}**\n`),
    `**Trigger:** ${textMarkdown(flow.trigger, valueMax)}`,
    ...flow.changes.map((change) => `- ${textMarkdown(change, valueMax)}`),
    ...(flow.unlinks > 0
      ? [`- apply first clears ${countOf(flow.unlinks, 'operation link')} (links are unique), then sets the chain below`]
      : [])
  ]
  const rows = [...flow.steps, ...flow.deleted].map((step) => ({
    text: stepMarkdown(step, valueMax),
    count: step.kind === 'unchanged' ? 0 : 1
  }))
  // A blank line between the head and a numbered list, none after a head without one.
  return { head: [...head, ...(rows.length > 0 ? [''] : [])].join('\n'), headCount: flow.kind === 'unchanged' ? 0 : 1, rows }
}

function stepMarkdown(step: FlowStep, valueMax: number): string {
  const links = [
    step.resolve !== undefined ? `then → ${step.resolve}` : '',
    step.reject !== undefined ? `otherwise → ${step.reject}` : ''
  ].filter((link) => link !== '')
  const what = `${ICONS[step.kind]} ${codeInline(step.key, NAME_MAX)}${step.type !== '' ? ` · ${codeInline(step.type, NAME_MAX)}` : ''}`
  const kind = step.kind === 'unchanged' ? '' : ` — ${KIND_WORDS[step.kind]}`
  const changes = step.changes.map((change) => `\n   - ${textMarkdown(change, valueMax)}`).join('')
  return `${step.number}. ${what}${kind}${links.length > 0 ? ` · ${links.join(' · ')}` : ''}${riskMarks(step.risks)}${changes}`
}

const TABLE_HEAD = '| Change | Item | Details |\n| --- | --- | --- |'

function operationTable(heading: string, operations: readonly OperationView[], valueMax: number): Block {
  return {
    head: `${heading}${TABLE_HEAD}`,
    headCount: 0,
    rows: operations.map((operation) => {
      const marks = `${operation.destructive !== undefined ? ' ⚠️' : ''}${operation.risks.length > 0 ? ' ⚡' : ''}`
      const details = [
        ...(operation.destructive !== undefined ? [`**destructive:** ${escapeInline(operation.destructive, NOTE_MAX)}`] : []),
        ...operation.risks.map((risk) => `**⚡ ${escapeInline(risk, NOTE_MAX)}**`),
        ...operation.details.map((detail) => textMarkdown(detail, valueMax))
      ]
      return {
        text: `| ${ICONS[operation.kind]} ${operation.kind}${marks} | ${label(operation.label)} | ${details.length > 0 ? details.join('<br>') : '—'} |`,
        count: 1
      }
    })
  }
}

function riskMarks(risks: readonly string[]): string {
  return risks.map((risk) => ` ⚡ **${escapeInline(risk, NOTE_MAX)}**`).join('')
}

// ---------------------------------------------------------------------------
// Truncation

/**
 * Alerts first (at most ALERT_ITEMS_MAX items each), then sections, collapsed, row by row until the budget is
 * spent; then how many changes are not shown. A started table is closed with what it has.
 */
function truncated(plan: ConfigPlan, view: ReturnType<typeof configReportView>, budget: number, total: number, moreAt?: string): string {
  const notice = (omitted: number) =>
    `**${omitted} of ${countOf(total, 'configuration change')} not shown here** to stay within the size limit` +
    (moreAt !== undefined ? `; ${escapeInline(moreAt, NOTE_MAX)} has them all.` : '.')
  // The alerts may take half the room (a quarter each): the sections are the other half of the story.
  const fixed = joinBlocks([summaryLine(plan, view), alerts(plan, view, { items: ALERT_ITEMS_MAX, length: Math.floor(budget / 4) })])
  let room = budget - fixed.length - 2 - notice(total).length - 2
  const out: string[] = []
  let shown = 0
  let stop = false
  for (const part of view.parts) {
    const section = sectionOf(part, VALUE_MAX.truncated)
    if (section.blocks.length === 0) {
      const empty = `#### ${section.title}\n\nNo changes.`
      if (empty.length + 2 > room) break
      room -= empty.length + 2
      out.push(empty)
      continue
    }
    const opening = `<details><summary>${section.title}</summary>\n\n`
    const closing = '\n\n</details>'
    room -= opening.length + closing.length + 2
    const pieces: string[] = []
    for (const block of section.blocks) {
      const separator = pieces.length > 0 ? 2 : 0
      // A head is only worth its room with its first row (a table head alone says nothing).
      const firstRow = block.rows[0] !== undefined ? block.rows[0].text.length + 1 : 0
      if (block.head.length + separator + firstRow > room) {
        stop = true
        break
      }
      room -= block.head.length + separator
      shown += block.headCount
      const lines = [block.head]
      for (const row of block.rows) {
        if (row.text.length + 1 > room) {
          stop = true
          break
        }
        room -= row.text.length + 1
        lines.push(row.text)
        shown += row.count
      }
      pieces.push(lines.join('\n'))
      if (stop) break
    }
    if (pieces.length > 0) out.push(`${opening}${pieces.join('\n\n')}${closing}`)
    if (stop || room < 0) break
  }
  const omitted = total - shown
  return joinBlocks([fixed, ...out, omitted > 0 ? notice(omitted) : ''])
}

// ---------------------------------------------------------------------------
// Text

/** An operation's label: instance text, so escaped, in code like every name. */
function label(text: string): string {
  return codeInline(text, NAME_MAX)
}

function textMarkdown(text: Text, valueMax: number): string {
  return text
    .map((part) => {
      if (typeof part === 'string') return escapeInline(part, NOTE_MAX)
      if ('code' in part) return codeInline(part.code, NAME_MAX)
      return jsonValue(part.value, valueMax)
    })
    .join('')
}

function joinBlocks(blocks: readonly string[]): string {
  return blocks.filter((block) => block !== '').join('\n\n')
}
