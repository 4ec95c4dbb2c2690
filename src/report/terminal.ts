/**
 * Renders a plan for a terminal: the same story as the PR comment (summary,
 * destructive changes first, one section per collection, both sides' facts),
 * as plain lines. Pure: colour is an option, decided by the caller (a TTY and
 * no NO_COLOR). Schema text passes through `plain`, so an escape sequence
 * hidden in a name can never recolour, move or hide what is printed.
 */
import { changeSubject, ENTITY_WORDS, summarizeChanges, type Change, type PropertyEdit, type SkippedItem } from '../core/plan/changes.js'
import { RISK_CLASS_WORDS } from '../core/plan/risks.js'
import type { Words } from '../core/plan/words.js'
import { countOf } from '../core/wording.js'
import { makeVisible, shorten } from './escape.js'
import { definitionFacts, type FactPart } from './facts.js'
import {
  alertsOf,
  allowDestructiveRequirement,
  configOperationsOf,
  groupByCollection,
  type CollectionGroup,
  type ReportInput
} from './model.js'
import { stakeWords } from './stakes.js'
import { summarizeOperations } from '../core/guard/config-record.js'
import { configTerminalLines } from './config-terminal.js'

export interface TerminalOptions {
  color: boolean
}

type Style = 'bold' | 'dim' | 'green' | 'yellow' | 'red' | 'boldRed'

const SGR: Record<Style, [open: string, close: string]> = {
  bold: ['\u001b[1m', '\u001b[22m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  green: ['\u001b[32m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
  red: ['\u001b[31m', '\u001b[39m'],
  boldRed: ['\u001b[1;31m', '\u001b[22;39m']
}

const SIGNS: Record<Change['action'], string> = { create: '+', update: '~', delete: '-' }
const ACTION_STYLES: Record<Change['action'], Style> = { create: 'green', update: 'yellow', delete: 'red' }

/** Longest raw name, value or fact shown; terminals wrap, but a 10 kB note is not worth reading here. */
const NAME_MAX = 120
const VALUE_MAX = 80
const FACT_MAX = 200

export function renderTerminalReport(input: ReportInput, options: TerminalOptions): string {
  const paint = (style: Style, text: string): string => (options.color ? `${SGR[style][0]}${text}${SGR[style][1]}` : text)
  const { destructive, failing, risky, warnings: changeWarnings } = alertsOf(input)
  const vendor = input.target.vendor
  const blocks: string[] = []

  const marks = [
    destructive.length > 0 ? paint('boldRed', `${destructive.length} destructive`) : '',
    risky.length > 0 ? paint('yellow', `${risky.length} risky`) : '',
    failing.length > 0 ? paint('boldRed', `${failing.length} cannot succeed`) : '',
    input.skipped.length > 0 ? `${input.skipped.length} skipped` : ''
  ].filter((mark) => mark !== '')
  blocks.push(
    [
      paint('bold', `Directus schema plan for ${plain(input.targetName, NAME_MAX)}`),
      [
        `Changes: ${[...(input.schemaNotPromoted ? [] : [summarizeChanges([...input.changes])]), ...(input.config ? [`configuration ${summarizeOperations(configOperationsOf(input))}`] : [])].join(' · ')}`,
        ...marks
      ].join(' · ')
    ].join('\n')
  )

  if (failing.length > 0) {
    blocks.push(
      [
        `${paint('boldRed', 'This plan cannot be applied.')} ${countOf(failing.length, 'change')} cannot succeed as the diff describes ${failing.length === 1 ? 'it' : 'them'}; apply refuses the plan.`,
        ...failing.map((change) => `  ${paint('red', `${SIGNS[change.action]} ${identity(change)}`)}: ${words(change.failure ?? [])}`)
      ].join('\n')
    )
  }

  if (destructive.length > 0) {
    blocks.push(
      [
        `${paint('boldRed', 'CAUTION: this plan drops data.')} ${countOf(destructive.length, 'destructive change')}; apply refuses ${destructive.length === 1 ? 'it' : 'them'} without ${allowDestructiveRequirement(input)}.`,
        ...destructive.flatMap((change) => [
          `  ${paint('red', `${SIGNS[change.action]} ${identity(change)}`)}: ${plain(change.destructiveReason ?? 'drops data', FACT_MAX)}${stakesText(change, STAKE_KINDS, vendor)}`,
          ...(change.warning ? [`    ${warningText(change, paint)}`] : [])
        ])
      ].join('\n')
    )
  }

  if (risky.length > 0) {
    blocks.push(
      [
        `${paint('yellow', `Risky: ${countOf(risky.length, 'change')}`)} can fail on the target's rows, change what a delete does, or cut values; ${risky.length === 1 ? 'it does' : 'they do'} not block the apply.`,
        ...risky.map((change) => `  ${paint('yellow', `${SIGNS[change.action]} ${identity(change)}`)}: ${risksText(change, vendor)}`)
      ].join('\n')
    )
  }

  const warningLines = [
    ...changeWarnings.map((change) => `${paint('yellow', 'Warning:')} ${warningText(change, paint)}`),
    ...input.warnings.map((warning) => `${paint('yellow', 'Warning:')} ${plain(warning.replace(/\s+/g, ' ').trim(), FACT_MAX)}`)
  ]
  if (warningLines.length > 0) blocks.push(warningLines.join('\n'))

  const notes = [
    ...input.skipped.map((item) => `Skipped by Directus: ${skippedIdentity(item)}: ${words(item.why)}`),
    ...input.noise.map((group) => `Left out of the diff: ${words(group.words)}`),
    ...(input.counting?.stopped
      ? [`Counting on the target stopped ${plain(input.counting.stopped, FACT_MAX)}; the other counts are unknown.`]
      : [])
  ]
  if (notes.length > 0) blocks.push(notes.map((note) => paint('dim', note)).join('\n'))

  if (input.schemaNotPromoted) {
    blocks.push(paint('dim', 'The schema is not promoted (--promote leaves it out).'))
  } else if (input.changes.length === 0) {
    blocks.push(
      paint(
        'green',
        input.config
          ? "No schema changes: the target's schema already matches the base."
          : 'No changes: the target already matches the base; there is nothing to apply.'
      )
    )
  } else {
    for (const group of groupByCollection(input.changes)) {
      blocks.push([paint('bold', groupTitle(group)), ...group.changes.flatMap((change) => changeLines(change, paint, vendor))].join('\n'))
    }
  }

  if (input.config) {
    const lines = configTerminalLines(input.config)
    blocks.push(
      lines.length > 0
        ? lines.join('\n')
        : paint('green', `No configuration changes: ${input.config.parts.join(', ')} already match the base.`)
    )
  }

  blocks.push(contextBlock(input, paint))
  return `${blocks.join('\n\n')}\n`
}

const STAKE_KINDS = ['rows', 'values', 'nulls', 'duplicates', 'longer']

/** Our words as they are, schema names made terminal-safe. */
function words(parts: Words): string {
  return parts.map((part) => (typeof part === 'string' ? part : `\`${plain(part.code, NAME_MAX)}\``)).join('')
}

function warningText(change: Change, paint: Paint): string {
  return change.warning ? `${paint('bold', words(change.warning.headline))} ${words(change.warning.detail)}` : ''
}

function stakesText(change: Change, kinds: readonly string[], vendor: string | undefined): string {
  const stakes = (change.stakes ?? []).filter((stake) => kinds.includes(stake.question.kind))
  return stakes
    .map((stake) => stakeWords(change, stake, vendor))
    .filter((parts): parts is Words => parts !== undefined)
    .map((parts) => ` · ${words(parts)}`)
    .join('')
}

function risksText(change: Change, vendor: string | undefined): string {
  return change.risks
    .map((risk) => {
      const counted = risk.stake && !change.destructive ? stakesText(change, [risk.stake.kind], vendor) : ''
      return `${RISK_CLASS_WORDS[risk.class]}: ${words(risk.what)}${risk.onTarget ? ` (${risk.onTarget})` : ''}${counted}`
    })
    .join('; ')
}

function skippedIdentity(item: SkippedItem): string {
  return `${ENTITY_WORDS[item.entity]} ${plain(changeSubject(item, 'standalone') ?? item.collection, NAME_MAX)}`
}

type Paint = (style: Style, text: string) => string

function changeLines(change: Change, paint: Paint, vendor: string | undefined): string[] {
  const sign = paint(ACTION_STYLES[change.action], `${SIGNS[change.action]} ${itemLabel(change)}`)
  const marks = [
    change.failure ? ` ${paint('boldRed', '[cannot succeed]')}` : '',
    change.destructive
      ? ` ${paint('boldRed', `[destructive: ${plain(change.destructiveReason ?? 'drops data', FACT_MAX)}${stakesText(change, STAKE_KINDS, vendor)}]`)}`
      : '',
    change.risks.length > 0 ? ` ${paint('yellow', `[risky: ${risksText(change, vendor)}]`)}` : ''
  ].join('')
  const edits = change.edits.map((edit) => `      ${editLine(edit)}`)
  if (change.action === 'update') return [`  ${sign}${marks}`, ...edits]
  const facts = definitionFacts(change.entity, change.definition)
    .map((fact) => fact.map(plainPart).join(''))
    .join(' · ')
  return [`  ${sign}${facts ? `  ${paint('dim', facts)}` : ''}${marks}`, ...edits]
}

function editLine(edit: PropertyEdit): string {
  return `${plain(edit.path, NAME_MAX)}: ${plainValue(edit.before)} → ${plainValue(edit.after)}`
}

function plainPart(part: FactPart): string {
  if ('text' in part) return part.text
  if ('code' in part) return plain(part.code, NAME_MAX)
  if ('note' in part) return plain(part.note, VALUE_MAX)
  return plainValue(part.json)
}

/** A JSON value on one line, terminal-safe and cut to a readable length. */
export function plainValue(json: unknown): string {
  if (json === undefined) return '(absent)'
  let text: string
  try {
    text = JSON.stringify(json) ?? String(json)
  } catch {
    text = String(json)
  }
  return plain(text, VALUE_MAX)
}

/** Within a collection's section the collection is implied: 'field title'. */
function itemLabel(change: Change): string {
  const subject = changeSubject(change, 'in-collection')
  return subject === undefined ? ENTITY_WORDS[change.entity] : `${ENTITY_WORDS[change.entity]} ${plain(subject, NAME_MAX)}`
}

/** Outside a section the collection is named: 'field articles.title'. */
function identity(change: Change): string {
  return `${ENTITY_WORDS[change.entity]} ${plain(changeSubject(change, 'standalone') ?? '', NAME_MAX)}`
}

function groupTitle(group: CollectionGroup): string {
  return `${plain(group.collection, NAME_MAX)} (${group.state}, ${countOf(group.changes.length, 'change')})`
}

function contextBlock(input: ReportInput, paint: Paint): string {
  const fact = (text: string | undefined): string => (text === undefined ? '-' : plain(text, FACT_MAX))
  const rows: [string, string, string][] = [
    ['', 'Base', 'Target'],
    ['Directus', fact(input.base.version), fact(input.target.version)],
    ['Database', fact(input.base.vendor), fact(input.target.vendor)]
  ]
  if (input.base.url !== undefined || input.target.url !== undefined) rows.push(['URL', fact(input.base.url), fact(input.target.url)])
  const labelWidth = Math.max(...rows.map((row) => row[0].length))
  const baseWidth = Math.max(...rows.map((row) => [...row[1]].length))
  const lines = rows.map(([label, base, target], index) => {
    const line = `${label.padEnd(labelWidth)}  ${base.padEnd(baseWidth + base.length - [...base].length)}  ${target}`.trimEnd()
    return index === 0 ? paint('dim', line) : line
  })
  const hash = input.hash === null ? '-' : `${plain(input.hash, FACT_MAX)} (apply is refused if the target no longer has this hash)`
  lines.push('', `Target schema hash: ${hash}`)
  if (input.diffFile !== undefined) lines.push(`Diff file: ${plain(input.diffFile, FACT_MAX)}`)
  return lines.join('\n')
}

/** Schema text made safe for a terminal, and cut to a readable length. */
export function plain(text: string, max: number): string {
  const { shown, omitted } = shorten(text, max)
  return makeVisible(shown) + (omitted > 0 ? `… (${omitted} more)` : '')
}
