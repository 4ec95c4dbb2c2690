/**
 * Renders a plan for a terminal: the same story as the PR comment (summary,
 * destructive changes first, one section per collection, both sides' facts),
 * as plain lines. Pure: colour is an option, decided by the caller (a TTY and
 * no NO_COLOR). Schema text passes through `plain`, so an escape sequence
 * hidden in a name can never recolour, move or hide what is printed.
 */
import { changeSubject, ENTITY_WORDS, summarizeChanges, type Change, type PropertyEdit } from '../core/plan/changes.js'
import { countOf } from '../core/wording.js'
import { makeVisible, shorten } from './escape.js'
import { definitionFacts, type FactPart } from './facts.js'
import { destructiveChanges, groupByCollection, type CollectionGroup, type ReportInput } from './model.js'

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
const RESIDUE_NAMES_SHOWN = 8

export function renderTerminalReport(input: ReportInput, options: TerminalOptions): string {
  const paint = (style: Style, text: string): string => (options.color ? `${SGR[style][0]}${text}${SGR[style][1]}` : text)
  const destructive = destructiveChanges(input)
  const blocks: string[] = []

  const summary = `Changes: ${summarizeChanges([...input.changes])}`
  blocks.push(
    [
      paint('bold', `Directus schema plan for ${plain(input.targetName, NAME_MAX)}`),
      destructive.length > 0 ? `${summary} · ${paint('boldRed', `${destructive.length} destructive`)}` : summary
    ].join('\n')
  )

  if (destructive.length > 0) {
    const policy =
      input.destructivePolicy === 'blocked' ? 'apply refuses it without --allow-destructive.' : 'allowed by --allow-destructive.'
    blocks.push(
      [
        `${paint('boldRed', 'CAUTION: this plan drops data.')} ${countOf(destructive.length, 'destructive change')}; ${policy}`,
        ...destructive.map(
          (change) =>
            `  ${paint('red', `${SIGNS[change.action]} ${identity(change)}`)}: ${plain(change.destructiveReason ?? 'drops data', FACT_MAX)}`
        )
      ].join('\n')
    )
  }

  if (input.warnings.length > 0) {
    blocks.push(
      input.warnings.map((warning) => `${paint('yellow', 'Warning:')} ${plain(warning.replace(/\s+/g, ' ').trim(), FACT_MAX)}`).join('\n')
    )
  }

  if (input.residue !== undefined && input.residue.length > 0) {
    blocks.push(
      [
        paint('dim', 'Known residue, left out of this plan and never applied:'),
        ...input.residue.map((group) => {
          const shown = group.items.slice(0, RESIDUE_NAMES_SHOWN).map((item) => plain(item, NAME_MAX))
          const more = group.items.length - shown.length
          return `  ${plain(group.text, FACT_MAX * 2)} (${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''})`
        })
      ].join('\n')
    )
  }

  if (input.changes.length === 0) {
    blocks.push(paint('green', 'No changes: the target already matches the base; there is nothing to apply.'))
  } else {
    for (const group of groupByCollection(input.changes)) {
      blocks.push([paint('bold', groupTitle(group)), ...group.changes.flatMap((change) => changeLines(change, paint))].join('\n'))
    }
  }

  blocks.push(contextBlock(input, paint))
  return `${blocks.join('\n\n')}\n`
}

type Paint = (style: Style, text: string) => string

function changeLines(change: Change, paint: Paint): string[] {
  const sign = paint(ACTION_STYLES[change.action], `${SIGNS[change.action]} ${itemLabel(change)}`)
  const mark = change.destructive
    ? ` ${paint('boldRed', `[destructive: ${plain(change.destructiveReason ?? 'drops data', FACT_MAX)}]`)}`
    : ''
  if (change.action === 'update') {
    return [`  ${sign}${mark}`, ...change.edits.map((edit) => `      ${editLine(edit)}`)]
  }
  const facts = definitionFacts(change.entity, change.definition)
    .map((fact) => fact.map(plainPart).join(''))
    .join(' · ')
  return [`  ${sign}${facts ? `  ${paint('dim', facts)}` : ''}${mark}`]
}

function editLine(edit: PropertyEdit): string {
  return `${plain(edit.path, NAME_MAX)}: ${value(edit.before)} → ${value(edit.after)}`
}

function plainPart(part: FactPart): string {
  if ('text' in part) return part.text
  if ('code' in part) return plain(part.code, NAME_MAX)
  if ('note' in part) return plain(part.note, VALUE_MAX)
  return value(part.json)
}

function value(json: unknown): string {
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
function plain(text: string, max: number): string {
  const { shown, omitted } = shorten(text, max)
  return makeVisible(shown) + (omitted > 0 ? `… (${omitted} more)` : '')
}
