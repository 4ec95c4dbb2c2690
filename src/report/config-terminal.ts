/**
 * The configuration sections of a plan (issue #11) for a terminal: the same story as config-markdown.ts
 * (lockout, destructive, risky, limits, then one section per part) as plain lines. Instance text passes
 * through `plain`, so an escape sequence in a name can never recolour, move or hide what is printed; values
 * pass through config-model.ts' displayValue, so no secret is printed.
 */
import type { ConfigPlan } from '../core/config/model.js'
import { countOf } from '../core/wording.js'
import {
  configReportView,
  countsText,
  limitText,
  PART_TITLES,
  type FlowView,
  type OperationView,
  type PartView,
  type PolicyView,
  type ShownKind,
  type Text
} from './config-model.js'
import { plain, plainValue } from './terminal.js'

const SIGNS: Record<ShownKind, string> = { create: '+', update: '~', delete: '-', unlink: 'x', unchanged: ' ' }
const NAME_MAX = 120
const NOTE_MAX = 200

export function configTerminalLines(plan: ConfigPlan): string[] {
  const view = configReportView(plan)
  const marks = [
    view.destructive.length > 0 ? `${view.destructive.length} destructive` : '',
    view.risky.length > 0 ? `${view.risky.length} risky` : '',
    plan.lockout !== undefined ? 'lockout' : ''
  ].filter((mark) => mark !== '')
  const lines = [`Configuration (${plan.parts.join(', ')}; ${plan.mode}): ${[countsText(view.counts), ...marks].join(' · ')}`]
  if (plan.lockout !== undefined) {
    lines.push('', `LOCKOUT: apply refuses this plan, it would lock itself out: ${plain(plan.lockout, 2000)}.`)
  }
  if (view.destructive.length > 0) {
    lines.push(
      '',
      `CAUTION: ${countOf(view.destructive.length, 'destructive change')}; apply refuses ${view.destructive.length === 1 ? 'it' : 'them'} unless destructive changes are allowed.`,
      ...view.destructive.map((operation) => `  - ${plain(operation.label, NAME_MAX)}: ${operation.destructive ?? ''}`)
    )
  }
  if (view.risky.length > 0) {
    lines.push(
      '',
      `Risky: ${countOf(view.risky.length, 'change')} ${view.risky.length === 1 ? 'gives' : 'give'} people more access than they had; ${view.risky.length === 1 ? 'it does' : 'they do'} not block the apply.`,
      ...view.risky.map((operation) => `  ${SIGNS[operation.kind]} ${plain(operation.label, NAME_MAX)}: ${risksText(operation.risks)}`)
    )
  }
  if (plan.limits.length > 0) lines.push('', 'Not compared or applied:', ...plan.limits.map((limit) => `  ${textPlain(limitText(limit))}`))
  for (const part of view.parts) lines.push('', ...partLines(part))
  return lines
}

function partLines(part: PartView): string[] {
  const marks = [
    part.destructiveCount > 0 ? `${part.destructiveCount} destructive` : '',
    part.riskyCount > 0 ? `${part.riskyCount} risky` : ''
  ].filter((mark) => mark !== '')
  const lines = [`${PART_TITLES[part.part]} (${[countOf(part.count, 'change'), ...marks].join(', ')})`]
  if (part.count === 0) return [...lines, '  no changes']
  for (const policy of part.access?.policies ?? []) lines.push(...policyLines(policy))
  for (const role of part.access?.roles ?? []) lines.push(...operationLines(role))
  for (const flow of part.flows ?? []) lines.push(...flowLines(flow))
  for (const operation of part.others ?? []) lines.push(...operationLines(operation))
  return lines
}

function policyLines(policy: PolicyView): string[] {
  const lines = [
    `  ${SIGNS[policy.kind]} policy ${plain(policy.name, NAME_MAX)} (${policy.kind})${markText(policy.destructive, policy.risks)}`
  ]
  for (const change of policy.changes) lines.push(`      ${textPlain(change)}`)
  for (const link of policy.links) {
    lines.push(`      ${SIGNS[link.kind]} link ${link.details.map(textPlain).join(' ')}${markText(undefined, link.risks)}`)
  }
  for (const row of policy.matrix) {
    for (const action of policy.actions) {
      const cell = row.cells[action]
      if (cell === undefined) continue
      const what = cell.lines.map(textPlain).join('; ')
      lines.push(`      ${SIGNS[cell.kind]} ${plain(row.collection, NAME_MAX)} ${action}: ${what}${markText(undefined, cell.risks)}`)
    }
  }
  return lines
}

function flowLines(flow: FlowView): string[] {
  const lines = [
    `  ${SIGNS[flow.kind]} flow ${plain(flow.name, NAME_MAX)} (${flow.kind})${markText(flow.destructive, flow.risks)}`,
    `      trigger: ${textPlain(flow.trigger)}`,
    ...flow.changes.map((change) => `      ${textPlain(change)}`)
  ]
  if (flow.unlinks > 0) lines.push(`      apply first clears ${countOf(flow.unlinks, 'operation link')}, then sets the chain`)
  for (const step of [...flow.steps, ...flow.deleted]) {
    const links = [step.resolve !== undefined ? `then ${step.resolve}` : '', step.reject !== undefined ? `otherwise ${step.reject}` : '']
      .filter((link) => link !== '')
      .join(', ')
    const kind = step.kind === 'unchanged' ? '' : ` (${step.kind})`
    lines.push(
      `      ${step.number}. ${SIGNS[step.kind]} ${plain(step.key, NAME_MAX)}${step.type !== '' ? ` [${plain(step.type, NAME_MAX)}]` : ''}${kind}${links !== '' ? ` → ${links}` : ''}${markText(undefined, step.risks)}`,
      ...step.changes.map((change) => `           ${textPlain(change)}`)
    )
  }
  return lines
}

function operationLines(operation: OperationView): string[] {
  return [
    `  ${SIGNS[operation.kind]} ${plain(operation.label, NAME_MAX)} (${operation.kind})${markText(operation.destructive, operation.risks)}`,
    ...operation.details.map((detail) => `      ${textPlain(detail)}`)
  ]
}

function markText(destructive: string | undefined, risks: readonly string[]): string {
  return (destructive !== undefined ? ` [destructive: ${destructive}]` : '') + (risks.length > 0 ? ` [risky: ${risksText(risks)}]` : '')
}

function risksText(risks: readonly string[]): string {
  return risks.map((risk) => plain(risk, NOTE_MAX)).join('; ')
}

function textPlain(text: Text): string {
  return text
    .map((part) => {
      if (typeof part === 'string') return plain(part, NOTE_MAX)
      if ('code' in part) return plain(part.code, NAME_MAX)
      return plainValue(part.value)
    })
    .join('')
}
