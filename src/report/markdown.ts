/**
 * Renders a plan for people: the PR comment and the job summary. A reviewer
 * must get the gist in ten seconds (summary line, destructive alert, one
 * section per collection) and be able to check every detail (property paths
 * with before → after, and the raw diff itself).
 *
 * Schema text only ever enters through escape.ts; everything else here is our
 * own Markdown.
 */
import { changeSubject, ENTITY_WORDS, summarizeChanges, type Change, type EntityKind, type SkippedItem } from '../core/plan/changes.js'
import { RISK_CLASS_WORDS } from '../core/plan/risks.js'
import type { Words } from '../core/plan/words.js'
import { countOf } from '../core/wording.js'
import type { SchemaDiff } from '../directus/types.js'
import { statusDigest, visiblePlanDigest, type RecordSealer, type ShownPlan } from '../core/guard/record.js'
import { configDeletesOf, summarizeOperations } from '../core/guard/config-record.js'
import { configShownWhole, renderConfigSections } from './config-markdown.js'
import { COMMENT_LIMIT, writeComment, type CommentStatus } from './comment.js'
import { codeInline, escapeInline, fencedCodeBlock, jsonForCodeBlock, jsonValue, linkUrl, makeJsonTextInert } from './escape.js'
import { definitionFacts, type FactPart } from './facts.js'
import {
  alertsOf,
  allowDestructiveRequirement,
  configOperationsOf,
  destructiveChanges,
  failingChangesOf,
  groupByCollection,
  riskyChangesOf,
  type CollectionGroup,
  type ReportInput
} from './model.js'
import { stakeWords } from './stakes.js'

export type DetailLevel = 'full' | 'collapsed' | 'no-raw' | 'truncated'

/** Where the body ends up decides where "the rest" can be found. */
export type Audience = 'comment' | 'job-summary'

export interface BodyOptions {
  /** Only for 'truncated': the most characters the body may take. Default COMMENT_LIMIT. */
  budget?: number
  /** Default 'comment'. */
  audience?: Audience
}

/** GitHub refuses job summaries larger than 1 MiB. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024

/** Most detailed first: each step is smaller than the one before. */
export const DETAIL_LEVELS: readonly DetailLevel[] = ['full', 'collapsed', 'no-raw', 'truncated']

interface LevelStyle {
  /** Each collection's table inside `<details>` instead of under a heading. */
  collapsed: boolean
  /** Longest raw text of one before/after value. */
  valueMax: number
  /** Most property edits listed in one row. */
  editsPerRow: number
  raw: 'pretty' | 'one-item-per-line' | 'none'
}

const STYLES: Record<DetailLevel, LevelStyle> = {
  full: { collapsed: false, valueMax: 200, editsPerRow: Number.POSITIVE_INFINITY, raw: 'pretty' },
  collapsed: { collapsed: true, valueMax: 80, editsPerRow: 20, raw: 'one-item-per-line' },
  'no-raw': { collapsed: true, valueMax: 80, editsPerRow: 20, raw: 'none' },
  truncated: { collapsed: true, valueMax: 60, editsPerRow: 10, raw: 'none' }
}

/** Longest raw collection, field or relation name shown; Directus itself allows 64. */
const NAME_MAX = 120
/** Longest raw server fact (version, vendor, URL, hash, file name). */
const FACT_MAX = 200
/** Longest raw note or warning shown. */
const NOTE_MAX = 300
/** At 'truncated', destructive changes listed in the alert before "… and N more". */
const TRUNCATED_CAUTION_ITEMS = 50

const ACTION_ICONS: Record<Change['action'], string> = { create: '➕', update: '✏️', delete: '➖' }

// ---------------------------------------------------------------------------
// Status and summary line

/**
 * The status a fresh plan gets: what merging will do, said before anyone
 * merges. It says what apply requires, never what the apply job's inputs
 * are: the plan job cannot know them.
 */
export function planStatus(input: ReportInput): CommentStatus {
  const target = `<b>${escapeInline(input.targetName, NAME_MAX)}</b>`
  const configCount = configOperationsOf(input).length
  if (input.changes.length === 0 && configCount === 0) {
    const skipped = input.skipped.length > 0 ? ` Directus will skip ${countOf(input.skipped.length, 'item')} of the diff (see below).` : ''
    return {
      state: 'no-changes',
      text: `✅ **No changes:** the ${promotedWords(input)} of ${target} already ${input.config && !input.schemaNotPromoted ? 'match' : 'matches'} the base; merging applies nothing.${skipped}`
    }
  }
  const lockout = input.config?.lockout
  if (lockout !== undefined) {
    return {
      state: 'planned',
      text:
        `❌ **This plan cannot be applied:** it would remove admin access from the identity apply runs as on ${target} (${escapeInline(lockout, NOTE_MAX)}), ` +
        'so apply refuses it and nothing is applied. Keep another admin policy on that identity, then re-run the plan.'
    }
  }
  const failing = failingChangesOf(input).length
  if (failing > 0) {
    return {
      state: 'planned',
      text:
        `❌ **This plan cannot be applied:** ${countOf(failing, 'change')} cannot succeed as the diff describes ${failing === 1 ? 'it' : 'them'} (see below), ` +
        `so apply refuses it and nothing reaches ${target}. Fix the base schema, then re-run the plan.`
    }
  }
  const destructiveCount = destructiveChanges(input).length + (input.config ? configDeletesOf(input.config).length : 0)
  const refusalNote = `If the target's ${promotedWords(input)} ${input.config && !input.schemaNotPromoted ? 'change' : 'changes'} before the merge, the apply is refused instead of guessing.`
  const risky = riskyChangesOf(input).length + (input.config?.risks.length ?? 0)
  const riskyNote =
    risky > 0
      ? ` ${countOf(risky, 'risky change')} ${risky === 1 ? 'is' : 'are'} marked ⚡ below; ${risky === 1 ? 'it does' : 'they do'} not block the apply.`
      : ''
  if (destructiveCount > 0) {
    return {
      state: 'planned',
      text:
        `⛔ **Destructive:** this plan has ${countOf(destructiveCount, 'destructive change')}. ` +
        `Apply refuses ${destructiveCount === 1 ? 'it' : 'them'} unless ${applyNeeds(input)}; with that, merging applies exactly this diff to ${target}. ` +
        refusalNote +
        riskyNote
    }
  }
  return {
    state: 'planned',
    text: `🕓 **Planned:** merging this pull request applies exactly this diff to ${target}. ${refusalNote}${riskyNote}`
  }
}

/** 'schema', 'configuration' or 'schema and configuration': what this plan compares. */
function promotedWords(input: Pick<ReportInput, 'config' | 'schemaNotPromoted'>): string {
  if (!input.config) return 'schema'
  return input.schemaNotPromoted ? 'configuration' : 'schema and configuration'
}

/** Said under a plan whose apply needs an approval (`require-approval`), so reviewers know when to approve. */
export const APPROVAL_NOTE =
  'Apply needs an approval of this plan: approvals given before this plan was last updated do not count, nor do approvals of another commit.'

/** The plan's status with the approval rule added, when apply will enforce it. */
export function withApprovalNote(status: CommentStatus): CommentStatus {
  return status.state === 'planned' ? { ...status, text: `${status.text} ${APPROVAL_NOTE}` } : status
}

/** "the apply job sets `allow-destructive: true`", or the command line's flag. */
function applyNeeds(input: ReportInput): string {
  const setting = codeInline(allowDestructiveRequirement(input))
  return input.allowDestructiveSetting === 'flag' ? `it is run with ${setting}` : `the apply job sets ${setting}`
}

/** The one line under the heading: counts of changes, and of those to look at first. */
export function renderSummaryLine(input: Pick<ReportInput, 'changes' | 'skipped' | 'config' | 'schemaNotPromoted'>): string {
  const count = (label: string, n: number) => (n > 0 ? ` · ${label.replace('#', String(n))}` : '')
  const schema = input.schemaNotPromoted ? [] : [escapeInline(summarizeChanges([...input.changes]))]
  const config = input.config ? [`configuration ${escapeInline(summarizeOperations(configOperationsOf(input)))}`] : []
  return (
    `**Changes:** ${[...schema, ...config].join(' · ')}` +
    count('⚠️ # destructive configuration', input.config ? configDeletesOf(input.config).length : 0) +
    count('⚡ # risky configuration', input.config?.risks.length ?? 0) +
    count('⚠️ # destructive', destructiveChanges(input).length) +
    count('⚡ # risky', riskyChangesOf(input).length) +
    count('❌ # cannot succeed', failingChangesOf(input).length) +
    count('⏭️ # skipped', input.skipped.length)
  )
}

// ---------------------------------------------------------------------------
// Whole comment and job summary, degraded to fit

export interface RenderedComment {
  text: string
  level: DetailLevel
  /** The comment shows the whole plan (sealed in its record). */
  complete: boolean
  record?: string
}

/** Any digest will do to measure a record: all of them have this length. */
const PLACEHOLDER_DIGEST = `sha256:${'0'.repeat(64)}`

/** First in the body of a comment that cannot show the whole plan: inside what the record signs. */
export const PARTIAL_REVIEW_NOTE =
  "> [!WARNING]\n> **Not the whole plan:** GitHub's size limit keeps this comment from showing all of it (what is left out is said below). " +
  'Apply refuses a plan its reviewers could not see whole, unless the apply job sets `allow-partial-review: true`.'

/**
 * A level shows the whole plan when it carries the raw diff, whatever its table had to shorten, and the
 * configuration's sections (which have no raw form) fit their share of the comment at their full level.
 */
function showsWholePlan(input: ReportInput, level: DetailLevel): boolean {
  const schemaWhole = STYLES[level].raw !== 'none' || input.diff === null
  return schemaWhole && (input.config === undefined || configShownWhole(input.config))
}

/**
 * The PR comment, as detailed as the limit allows. At each detail level every
 * record is tried, most complete first, before giving up detail. A record is
 * sealed last, over the digest of the summary and body it sits beside, the
 * digest of the status written with it, and whether the comment shows the
 * whole plan (a comment that does not says so first in its body).
 * Throws a RangeError only when not even a truncated body fits beside the
 * heading, status and the shortest record.
 */
export function renderPlanComment(
  input: ReportInput,
  options: { status: CommentStatus; records?: RecordSealer[]; limit?: number }
): RenderedComment {
  const limit = options.limit ?? COMMENT_LIMIT
  const records = options.records !== undefined && options.records.length > 0 ? options.records : [undefined]
  const summary = renderSummaryLine(input)
  const status = statusDigest(options.status)
  const bodies = new BodyRenderer(input, 'comment')
  const measured = new Map<RecordSealer, Map<boolean, string>>()
  const placeholderOf = (seal: RecordSealer, shown: ShownPlan) => {
    const byCompleteness = measured.get(seal) ?? new Map<boolean, string>()
    measured.set(seal, byCompleteness)
    let placeholder = byCompleteness.get(shown.complete)
    if (placeholder === undefined) byCompleteness.set(shown.complete, (placeholder = seal(PLACEHOLDER_DIGEST, shown)))
    return placeholder
  }

  for (const [level, seal] of commentCandidates(records)) {
    const comment = { targetName: input.targetName, summary, status: options.status }
    const shown: ShownPlan = { complete: showsWholePlan(input, level), statusDigest: status }
    const note = shown.complete ? '' : `${PARTIAL_REVIEW_NOTE}\n\n`
    const placeholder = seal === undefined ? undefined : placeholderOf(seal, shown)
    // The body sits verbatim in the frame, so lengths simply add up.
    const frameLength = writeComment({ ...comment, ...(placeholder !== undefined ? { record: placeholder } : {}), body: '' }).length
    const fitted = bodies.fitting(level, limit - frameLength - note.length)
    if (fitted !== undefined) {
      const body = note + fitted
      const record = seal?.(visiblePlanDigest(summary, body), shown)
      if (record !== undefined && record.length !== placeholder?.length) throw new Error('a sealed record changed length with its digest')
      return {
        text: writeComment({ ...comment, ...(record !== undefined ? { record } : {}), body }),
        level,
        complete: shown.complete,
        ...(record !== undefined ? { record } : {})
      }
    }
  }
  throw new RangeError(`the plan comment cannot fit in ${limit} characters, not even truncated`)
}

/**
 * The order in which detail and records give way. The packed diff in the most
 * complete record is what lets apply use exactly the reviewed diff, so it
 * outranks the raw JSON shown in the comment (the job summary keeps that).
 */
function commentCandidates<R>(records: R[]): [DetailLevel, R][] {
  const untruncated = DETAIL_LEVELS.filter((level) => level !== 'truncated')
  return [
    ...records.flatMap((record) => untruncated.map((level): [DetailLevel, R] => [level, record])),
    ...records.map((record): [DetailLevel, R] => ['truncated', record])
  ]
}

/** The job summary: the same report without hidden markers, with the larger job summary limit. */
export function renderJobSummary(
  input: ReportInput,
  options: { status: CommentStatus; limit?: number }
): { text: string; level: DetailLevel } {
  const limit = options.limit ?? JOB_SUMMARY_LIMIT
  const frame = [
    `### Directus schema plan for ${escapeInline(input.targetName, NAME_MAX)}`,
    renderSummaryLine(input),
    options.status.text
  ].join('\n\n')
  const separator = '\n\n'
  const bodies = new BodyRenderer(input, 'job-summary')
  for (const level of DETAIL_LEVELS) {
    const body = bodies.fitting(level, limit - frame.length - separator.length)
    if (body !== undefined) return { text: frame + separator + body, level }
  }
  throw new RangeError(`the job summary cannot fit in ${limit} characters, not even truncated`)
}

/** The body alone at one detail level. */
export function renderReportBody(input: ReportInput, level: DetailLevel, options: BodyOptions = {}): string {
  const renderer = new BodyRenderer(input, options.audience ?? 'comment')
  return level === 'truncated' ? renderer.truncated(options.budget ?? COMMENT_LIMIT) : (renderer.complete(level) ?? '')
}

/**
 * Renders bodies for one input, remembering the expensive parts (raw JSON,
 * alerts) across the levels and records tried, and giving up on a level as
 * soon as it is certain not to fit: a 400-collection diff must not be rendered
 * in full just to learn that it is too large.
 */
class BodyRenderer {
  private readonly groups: CollectionGroup[]
  private readonly memo = new Map<string, string>()
  private readonly rawMeasure = new RawLengthMeasure()

  constructor(
    private readonly input: ReportInput,
    private readonly audience: Audience
  ) {
    this.groups = groupByCollection(input.changes)
  }

  /** The body at this level if it fits in budget, else undefined. */
  fitting(level: DetailLevel, budget: number): string | undefined {
    if (budget < 0) return undefined
    if (level === 'truncated') {
      const body = this.truncated(budget)
      return body.length <= budget ? body : undefined
    }
    return this.complete(level, budget)
  }

  /** Everything at this level; undefined once it is certain to exceed budget. */
  complete(level: Exclude<DetailLevel, 'truncated'>, budget = Number.POSITIVE_INFINITY): string | undefined {
    const style = STYLES[level]
    // Any rendering of the raw diff is at least as long as its compact JSON.
    if (style.raw !== 'none' && this.input.diff !== null && this.rawMeasure.exceeds(this.input.diff, budget)) return undefined

    const fixedBefore = joinBlocks([
      this.remember('failures', () => failuresBlock(this.input, Number.POSITIVE_INFINITY)),
      this.remember('caution', () => cautionBlock(this.input, Number.POSITIVE_INFINITY)),
      this.remember('risky', () => riskyBlock(this.input, Number.POSITIVE_INFINITY)),
      this.remember('warnings', () => warningsBlock(this.input)),
      this.remember('notes', () => notesBlock(this.input, Number.POSITIVE_INFINITY)),
      this.remember('config', () => configBlock(this.input))
    ])
    const fixedAfter = joinBlocks([
      style.raw === 'none' && this.input.diff !== null ? this.rawOmittedBlock() : '',
      contextBlock(this.input),
      this.rawBlock(style.raw)
    ])
    const separators = (fixedBefore === '' ? 0 : 2) + (fixedAfter === '' ? 0 : 2)
    const sectionsBudget = budget - fixedBefore.length - fixedAfter.length - separators
    const sections = this.input.changes.length === 0 ? noChangesBlock(this.input) : this.allSections(style, sectionsBudget)
    if (sections === undefined) return undefined
    const body = joinBlocks([fixedBefore, sections, fixedAfter])
    return body.length <= budget ? body : undefined
  }

  private allSections(style: LevelStyle, budget: number): string | undefined {
    const rendered: string[] = []
    let length = 0
    for (const group of this.groups) {
      const section = renderGroup(group, style, this.hasRaw(style), this.input.target.vendor)
      length += section.length + (rendered.length > 0 ? 2 : 0)
      if (length > budget) return undefined
      rendered.push(section)
    }
    return rendered.join('\n\n')
  }

  /**
   * Collection sections row by row until the budget is spent, then a line
   * saying how much is missing and where to find it. Fixed parts are reserved
   * first so the result only exceeds the budget when even they do not fit.
   */
  truncated(budget: number): string {
    const style = STYLES.truncated
    const context = contextBlock(this.input)
    const warnings = joinBlocks([
      riskyBlock(this.input, TRUNCATED_CAUTION_ITEMS),
      warningsBlock(this.input),
      notesBlock(this.input, TRUNCATED_CAUTION_ITEMS)
    ])
    // The alerts may take half the room: the sections are the other half of the story.
    const caution = joinBlocks([
      failuresBlock(this.input, TRUNCATED_CAUTION_ITEMS),
      cautionBlock(this.input, TRUNCATED_CAUTION_ITEMS, Math.floor(budget / 2)),
      // The configuration sections are reviewed as a whole: never cut.
      configBlock(this.input)
    ])
    const total = this.input.changes.length
    const worstPointer = [this.omissionNotice(total, total), this.rawOmittedBlock()].reduce((a, b) => (a.length >= b.length ? a : b))

    // Fixed parts in order of importance; the least important go first.
    const fixedCandidates = [[caution, warnings, context], [caution, warnings], [caution], []]
    const separators = '\n\n'.length * 4
    for (const fixed of fixedCandidates) {
      const fixedLength = fixed.reduce((sum, block) => sum + block.length, 0) + worstPointer.length + separators
      if (fixedLength > budget && fixed.length > 0) continue
      const [cautionPart = '', warningsPart = '', contextPart = ''] = fixed
      const sections = this.sectionsWithin(budget - fixedLength, style)
      const pointer =
        sections.omitted > 0
          ? this.omissionNotice(sections.omitted, total)
          : this.input.diff !== null && total > 0
            ? this.rawOmittedBlock()
            : ''
      return joinBlocks([cautionPart, warningsPart, sections.text, pointer, contextPart])
    }
    return worstPointer
  }

  private sectionsWithin(budget: number, style: LevelStyle): { text: string; omitted: number } {
    if (this.input.changes.length === 0) {
      const text = noChangesBlock(this.input)
      return text.length <= budget ? { text, omitted: 0 } : { text: '', omitted: 0 }
    }
    const closing = '\n\n</details>'
    let text = ''
    let shown = 0
    outer: for (const group of this.groups) {
      const separator = text === '' ? '' : '\n\n'
      let opening = separator + collapsedOpening(group) + TABLE_HEAD
      for (const change of group.changes) {
        const row = `\n${renderRow(change, style, false, this.input.target.vendor)}`
        if (text.length + opening.length + row.length + closing.length > budget) {
          // A started group is closed with what it has; an unstarted one is skipped.
          if (opening === '') text += closing
          break outer
        }
        text += opening + row
        opening = ''
        shown++
      }
      text += closing
    }
    return { text, omitted: this.input.changes.length - shown }
  }

  private omissionNotice(omitted: number, total: number): string {
    return `**${omitted} of ${countOf(total, 'change')} not shown here** to stay within the size limit. ` + this.whereToFindEverything()
  }

  private rawOmittedBlock(): string {
    return `The raw diff is left out to stay within the size limit. ${this.whereToFindEverything()}`
  }

  private whereToFindEverything(): string {
    const file =
      this.input.diffFile !== undefined
        ? `the file ${codeInline(this.input.diffFile, FACT_MAX)} (the \`diff-file\` output)`
        : 'the file named by the `diff-file` output'
    if (this.audience === 'job-summary') return `The complete diff is in ${file}.`
    const run = this.input.runUrl !== undefined ? linkUrl(this.input.runUrl) : undefined
    const summary = run !== undefined ? `the job summary of the [workflow run](${run})` : 'the job summary of the workflow run'
    return `Everything is in ${summary} and in ${file}.`
  }

  private hasRaw(style: LevelStyle): boolean {
    return style.raw !== 'none' && this.input.diff !== null
  }

  private rawBlock(format: LevelStyle['raw']): string {
    const diff = this.input.diff
    if (format === 'none' || diff === null) return ''
    return this.remember(`raw:${format}`, () => {
      const json = format === 'pretty' ? jsonForCodeBlock(diff, 2) : jsonOneItemPerLine(diff)
      return [
        `<details><summary>Raw diff as returned by Directus${this.input.noise.length > 0 ? ', without what is left out above' : ''} (JSON, ${json.length} characters)</summary>`,
        '',
        fencedCodeBlock(json, 'json'),
        '',
        '</details>'
      ].join('\n')
    })
  }

  private remember(key: string, render: () => string): string {
    const known = this.memo.get(key)
    if (known !== undefined) return known
    const rendered = render()
    this.memo.set(key, rendered)
    return rendered
  }
}

/**
 * Any rendering of the raw diff is at least as long as the compact JSON of
 * its items. They are measured one at a time, only as far as a question
 * needs: a 400-collection diff (7 MB) is not stringified whole just to learn
 * that it exceeds a 64 KiB comment.
 */
class RawLengthMeasure {
  private measured = 0
  private list = 0
  private item = 0
  private done = false

  exceeds(diff: SchemaDiff, budget: number): boolean {
    const lists = [diff.collections, diff.fields, diff.systemFields ?? [], diff.relations]
    while (this.measured <= budget && !this.done) {
      const items: readonly unknown[] | undefined = lists[this.list]
      if (items === undefined) {
        this.done = true
      } else if (this.item >= items.length) {
        this.list++
        this.item = 0
      } else {
        this.measured += (JSON.stringify(items[this.item]) ?? '').length
        this.item++
      }
    }
    return this.measured > budget
  }
}

function joinBlocks(blocks: readonly string[]): string {
  return blocks.filter((block) => block !== '').join('\n\n')
}

// ---------------------------------------------------------------------------
// Blocks

function noChangesBlock(input: Pick<ReportInput, 'config' | 'schemaNotPromoted'>): string {
  if (input.schemaNotPromoted) return 'The schema is not promoted: `promote` leaves it out, so it is neither planned nor applied.'
  if (input.config) return "✅ The target's schema already matches the base."
  return '✅ The target already matches the base: there is nothing to apply.'
}

/** The configuration part (issue #11): its own sections, or a line saying it matches. */
function configBlock(input: Pick<ReportInput, 'config'>): string {
  const config = input.config
  if (!config) return ''
  if (config.batches.length === 0) {
    return `✅ The target's configuration (${config.parts.join(', ')}) already matches the base.`
  }
  return renderConfigSections(config)
}

const STAKE_KINDS = ['rows', 'values', 'nulls', 'duplicates', 'longer']

/** Our words and schema names, as Markdown: names as inert code. */
function wordsMarkdown(words: Words, max = NOTE_MAX): string {
  return words.map((part) => (typeof part === 'string' ? escapeInline(part, max) : codeInline(part.code, NAME_MAX))).join('')
}

/**
 * A list of items in an alert, as many as maxItems and maxLength allow; the
 * rest are counted on a last line.
 */
function alertList(head: string[], items: string[], maxItems: number, maxLength: number, more: (hidden: number) => string): string {
  const lines = [...head]
  const moreLine = (hidden: number): string => `\n> - … and ${more(hidden)}`
  let length = lines.join('\n').length
  let listed = 0
  for (const item of items) {
    if (listed >= maxItems) break
    const reserve = listed + 1 < items.length ? moreLine(items.length).length : 0
    if (length + 1 + item.length + reserve > maxLength) break
    lines.push(item)
    length += 1 + item.length
    listed++
  }
  const hidden = items.length - listed
  return lines.join('\n') + (hidden > 0 ? moreLine(hidden) : '')
}

/** The changes that cannot succeed: the apply is refused while there is one. */
function failuresBlock(input: ReportInput, maxItems: number, maxLength = Number.POSITIVE_INFINITY): string {
  const failing = failingChangesOf(input)
  // Drift is reported, never applied: what an apply would refuse or drop is not its story.
  if (failing.length === 0 || input.purpose === 'drift') return ''
  const head = [
    '> [!CAUTION]',
    `> **This plan cannot be applied.** Directus cannot apply ${countOf(failing.length, 'change')} of it as the diff describes ${failing.length === 1 ? 'it' : 'them'}, so apply refuses the plan and applies nothing.`,
    '>'
  ]
  const items = failing.map((change) => `> - ❌ ${changeIdentity(change)}: ${wordsMarkdown(change.failure ?? [])}.`)
  return alertList(head, items, maxItems, maxLength, (hidden) =>
    countOf(hidden, 'more change that cannot succeed', 'more changes that cannot succeed')
  )
}

/**
 * GitHub CAUTION alert listing every destructive change, why, and what it
 * drops on the target; changes Directus reads otherwise than their entries
 * say carry the plain-words warning.
 */
function cautionBlock(input: ReportInput, maxItems: number, maxLength = Number.POSITIVE_INFINITY): string {
  const { destructive } = alertsOf(input)
  if (destructive.length === 0 || input.purpose === 'drift') return ''
  const head = [
    '> [!CAUTION]',
    `> **This plan drops data.** ${countOf(destructive.length, 'destructive change')}. Apply refuses ${destructive.length === 1 ? 'it' : 'them'} unless ${applyNeeds(input)}.`,
    '>'
  ]
  const items = destructive.map((change) => {
    const reason = escapeInline(change.destructiveReason ?? 'drops data', NOTE_MAX)
    const warning = change.warning ? ` ${warningMarkdown(change)}` : ''
    return `> - ${ACTION_ICONS[change.action]} ${changeIdentity(change)}: ${reason}${stakesMarkdown(change, input)}${warning}`
  })
  return alertList(head, items, maxItems, maxLength, (hidden) => countOf(hidden, 'more destructive change'))
}

/** **Directus will DELETE field `customers.email` and its data.** Its diff starts by removing … */
function warningMarkdown(change: Change): string {
  if (!change.warning) return ''
  return `**${wordsMarkdown(change.warning.headline)}** ${wordsMarkdown(change.warning.detail)}`
}

function stakesMarkdown(change: Change, input: ReportInput, kinds?: readonly string[]): string {
  const stakes = countedStakes(change, input.target.vendor, kinds).map((words) => wordsMarkdown(words))
  return stakes.length === 0 ? '' : ` · ${stakes.join(' · ')}`
}

/** The words of each counted stake of a change, of these kinds (all by default). */
function countedStakes(change: Change, vendor: string | undefined, kinds?: readonly string[]): Words[] {
  return (change.stakes ?? [])
    .filter((stake) => kinds === undefined || kinds.includes(stake.question.kind))
    .map((stake) => stakeWords(change, stake, vendor))
    .filter((words): words is Words => words !== undefined)
}

/** Changes that may fail, change what a delete does, or cut values: marked ⚡, never blocking. */
function riskyBlock(input: ReportInput, maxItems: number, maxLength = Number.POSITIVE_INFINITY): string {
  const { risky } = alertsOf(input)
  if (risky.length === 0 || input.purpose === 'drift') return ''
  const head = [
    '> [!WARNING]',
    `> **⚡ ${countOf(risky.length, 'risky change')}:** ${risky.length === 1 ? 'it' : 'they'} can fail on the target's rows, change what a delete does, or cut values. ${risky.length === 1 ? 'It does' : 'They do'} not block the apply; what drops data is in the CAUTION above.`,
    '>'
  ]
  const items = risky.map((change) => `> - ⚡ ${changeIdentity(change)}: ${risksMarkdown(change, input)}`)
  return alertList(head, items, maxItems, maxLength, (hidden) => countOf(hidden, 'more risky change'))
}

function risksMarkdown(change: Change, input: ReportInput): string {
  const risks = change.risks.map(
    (risk) =>
      `**${escapeInline(RISK_CLASS_WORDS[risk.class])}:** ${wordsMarkdown(risk.what)}${risk.onTarget ? ` (${escapeInline(risk.onTarget, NOTE_MAX)})` : ''}`
  )
  // A destructive change's counts are in the CAUTION alert already.
  const kinds = change.destructive ? [] : change.risks.flatMap((risk) => (risk.stake ? [risk.stake.kind] : []))
  const counts = countedStakes(change, input.target.vendor, kinds).map((words) => wordsMarkdown(words))
  return [...risks, ...counts].join(' · ')
}

/** The plan's warnings, and changes Directus reads otherwise than their entries say that drop nothing. */
function warningsBlock(input: ReportInput): string {
  // Warnings are plain text that may span lines; one list item each.
  const plain = input.warnings.map((warning) => `> - ${escapeInline(warning.replace(/\s+/g, ' ').trim(), NOTE_MAX)}`)
  const misread = alertsOf(input).warnings.map((change) => `> - ${warningMarkdown(change)}`)
  const items = [...misread, ...plain]
  if (items.length === 0) return ''
  return ['> [!WARNING]', ...items].join('\n')
}

/** What Directus will skip, and the version noise left out of the diff. */
function notesBlock(input: ReportInput, maxItems: number): string {
  const items: string[] = []
  for (const item of input.skipped.slice(0, maxItems)) items.push(`> - ⏭️ ${skippedIdentity(item)}: ${wordsMarkdown(item.why)}.`)
  if (input.skipped.length > maxItems) items.push(`> - … and ${countOf(input.skipped.length - maxItems, 'more skipped item')}`)
  const noise = input.noise.map((group) => `> - ${wordsMarkdown(group.words)}.`)
  const counting = input.counting?.stopped
    ? [`> - Counting on the target stopped ${escapeInline(input.counting.stopped)}; the other counts are unknown.`]
    : []
  if (items.length + noise.length + counting.length === 0) return ''
  return [
    '> [!NOTE]',
    ...(items.length > 0
      ? [
          `> **Directus will skip ${countOf(input.skipped.length, 'item')} of the diff:** ${input.skipped.length === 1 ? 'it is not a planned change' : 'they are not planned changes'}.`,
          '>',
          ...items
        ]
      : []),
    ...(noise.length > 0
      ? [...(items.length > 0 ? ['>'] : []), '> **Left out of the diff** (version noise and residue no apply can remove):', '>', ...noise]
      : []),
    ...(counting.length > 0 ? [...(items.length + noise.length > 0 ? ['>'] : []), ...counting] : [])
  ].join('\n')
}

function skippedIdentity(item: SkippedItem): string {
  return `${ENTITY_WORDS[item.entity]} ${codeInline(changeSubject(item, 'standalone') ?? item.collection, NAME_MAX)}`
}

function contextBlock(input: ReportInput): string {
  const fact = (value: string | undefined): string => (value === undefined ? '—' : escapeInline(value, FACT_MAX))
  const url = (value: string | undefined): string => (value === undefined ? '—' : codeInline(value, FACT_MAX))
  if (input.purpose === 'drift') return driftContextBlock(input, fact, url)
  const rows = [
    '| | Base | Target |',
    '| --- | --- | --- |',
    `| Directus version | ${fact(input.base.version)} | ${fact(input.target.version)} |`,
    `| Database | ${fact(input.base.vendor)} | ${fact(input.target.vendor)} |`,
    ...(input.base.url !== undefined || input.target.url !== undefined
      ? [`| URL | ${url(input.base.url)} | ${url(input.target.url)} |`]
      : [])
  ]
  const hash =
    input.hash === null ? '—' : `${codeInline(input.hash, FACT_MAX)} (the apply is refused if the target's schema no longer has this hash)`
  const facts = [`- **Target schema hash:** ${hash}`]
  if (input.mode === 'merge') {
    facts.push(
      '- **Diff mode:** `merge`: Directus leaves out whole collections, fields and relations the base lacks; a list that starts by removing a property still deletes (the plan says so)'
    )
  }
  if (input.mode === 'mirror') facts.push('- **Diff mode:** `mirror`: the target becomes identical to the base, deletions included')
  if (input.scope !== undefined) facts.push(`- **Scope:** ${scopeText(input.scope)}`)
  facts.push(`- **Destructive changes:** apply refuses them unless ${applyNeeds(input)}`)
  if (input.diffFile !== undefined) facts.push(`- **Diff file:** ${codeInline(input.diffFile, FACT_MAX)}`)
  const run = input.runUrl !== undefined ? linkUrl(input.runUrl) : undefined
  if (run !== undefined) facts.push(`- **Workflow run:** [open the run](${run})`)
  return [...rows, '', ...facts].join('\n')
}

/** Drift compares the target with its baseline: no apply, no policy to state. */
function driftContextBlock(
  input: ReportInput,
  fact: (value: string | undefined) => string,
  url: (value: string | undefined) => string
): string {
  const rows = [
    '| | Baseline | Target |',
    '| --- | --- | --- |',
    `| Directus version | ${fact(input.base.version)} | ${fact(input.target.version)} |`,
    `| Database | ${fact(input.base.vendor)} | ${fact(input.target.vendor)} |`,
    `| Where | ${url(input.base.url)} | ${url(input.target.url)} |`
  ]
  const facts = [`- **Target schema hash now:** ${input.hash === null ? '—' : codeInline(input.hash, FACT_MAX)}`]
  if (input.scope !== undefined) facts.push(`- **Scope:** ${scopeText(input.scope)}`)
  if (input.diffFile !== undefined) facts.push(`- **Diff file:** ${codeInline(input.diffFile, FACT_MAX)}`)
  const run = input.runUrl !== undefined ? linkUrl(input.runUrl) : undefined
  if (run !== undefined) facts.push(`- **Workflow run:** [open the run](${run})`)
  return [...rows, '', ...facts].join('\n')
}

/** At most this many scoped collection names are listed; the rest are counted. */
const SCOPE_NAMES_SHOWN = 20

function scopeText(scope: NonNullable<ReportInput['scope']>): string {
  const shown = scope.collections.slice(0, SCOPE_NAMES_SHOWN).map((name) => codeInline(name, NAME_MAX))
  const more = scope.collections.length - shown.length
  const names = shown.join(', ') + (more > 0 ? ` and ${more} more` : '')
  return scope.kind === 'include'
    ? `only ${names} (\`include-collections\`); other collections are neither compared nor changed`
    : `every collection except ${names} (\`exclude-collections\`), which are neither compared nor changed`
}

// ---------------------------------------------------------------------------
// Collection sections

const TABLE_HEAD = '\n\n| Change | Item | Details |\n| --- | --- | --- |'

function renderGroup(group: CollectionGroup, style: LevelStyle, rawShown: boolean, vendor: string | undefined): string {
  const rows = group.changes.map((change) => renderRow(change, style, rawShown, vendor)).join('\n')
  return style.collapsed
    ? `${collapsedOpening(group)}${TABLE_HEAD}\n${rows}\n\n</details>`
    : `#### ${groupTitle(group)}${TABLE_HEAD}\n${rows}`
}

function collapsedOpening(group: CollectionGroup): string {
  return `<details><summary>${groupTitle(group)}</summary>`
}

/** '➕ <code>articles</code> — new collection · 5 changes · ⚠️ 1 destructive · ⚡ 1 risky' */
function groupTitle(group: CollectionGroup): string {
  const icon = ACTION_ICONS[group.own?.action ?? 'update']
  const marks =
    (group.failingCount > 0 ? ` · ❌ ${group.failingCount} cannot succeed` : '') +
    (group.destructiveCount > 0 ? ` · ⚠️ ${group.destructiveCount} destructive` : '') +
    (group.riskyCount > 0 ? ` · ⚡ ${group.riskyCount} risky` : '')
  return `${icon} ${codeInline(group.collection, NAME_MAX)} — ${group.state} · ${countOf(group.changes.length, 'change')}${marks}`
}

function renderRow(change: Change, style: LevelStyle, rawShown: boolean, vendor: string | undefined): string {
  const marks = `${change.failure ? ' ❌' : ''}${change.destructive ? ' ⚠️' : ''}${change.risks.length > 0 ? ' ⚡' : ''}`
  const action = `${ACTION_ICONS[change.action]} ${change.action}${marks}`
  return `| ${action} | ${itemCell(change)} | ${detailsCell(change, style, rawShown, vendor)} |`
}

/** Within a collection's section the collection is implied: 'field <code>title</code>'. */
function itemCell(change: Change): string {
  const subject = changeSubject(change, 'in-collection')
  return subject === undefined ? ENTITY_WORDS[change.entity] : `${ENTITY_WORDS[change.entity]} ${codeInline(subject, NAME_MAX)}`
}

/** Outside a section (the CAUTION alert) the collection must be named: 'field <code>articles.title</code>'. */
function changeIdentity(change: Pick<Change, 'entity' | 'collection' | 'field' | 'relatedCollection'>): string {
  return `${ENTITY_WORDS[change.entity]} ${codeInline(changeSubject(change, 'standalone') ?? '', NAME_MAX)}`
}

function detailsCell(change: Change, style: LevelStyle, rawShown: boolean, vendor: string | undefined): string {
  const parts: string[] = []
  const stakeOf = (kinds: readonly string[]) => countedStakes(change, vendor, kinds).map((words) => wordsMarkdown(words, style.valueMax))
  if (change.failure) parts.push(`**cannot succeed:** ${wordsMarkdown(change.failure, style.valueMax)}`)
  if (change.warning) parts.push(warningMarkdown(change))
  if (change.destructive) {
    parts.push(
      [`**destructive:** ${escapeInline(change.destructiveReason ?? 'drops data', NOTE_MAX)}`, ...stakeOf(STAKE_KINDS)].join(' · ')
    )
  }
  for (const risk of change.risks) {
    const counted = risk.stake && !change.destructive ? stakeOf([risk.stake.kind]) : []
    const onTarget = risk.onTarget ? ` (${escapeInline(risk.onTarget, NOTE_MAX)})` : ''
    parts.push(
      [`**⚡ ${escapeInline(RISK_CLASS_WORDS[risk.class])}:** ${wordsMarkdown(risk.what, style.valueMax)}${onTarget}`, ...counted].join(
        ' · '
      )
    )
  }
  switch (change.action) {
    case 'create':
      parts.push(definitionSummary(change.entity, change.definition, style))
      break
    case 'delete':
      if (!change.destructive && !change.warning) parts.push(harmlessDeletion(change.entity))
      parts.push(definitionSummary(change.entity, change.definition, style))
      if (change.edits.length > 0) parts.push(`its entries: ${editsSummary(change, style, rawShown)}`)
      break
    case 'update':
      parts.push(editsSummary(change, style, rawShown))
      break
  }
  const details = parts.filter((part) => part !== '').join('<br>')
  return details === '' ? '—' : details
}

function harmlessDeletion(entity: EntityKind): string {
  return entity === 'collection' ? 'a folder without a table: no data is lost' : 'an alias without a column: no data is lost'
}

function editsSummary(change: Change, style: LevelStyle, rawShown: boolean): string {
  const shown = change.edits
    .slice(0, style.editsPerRow)
    .map(
      (edit) => `${codeInline(edit.path, NAME_MAX)}: ${jsonValue(edit.before, style.valueMax)} → ${jsonValue(edit.after, style.valueMax)}`
    )
  const hidden = change.edits.length - shown.length
  if (hidden > 0) {
    const where = rawShown ? 'see the raw diff below' : 'see the diff file'
    shown.push(`… and ${countOf(hidden, 'more edit')} (${where})`)
  }
  return shown.join('<br>')
}

/** The few facts a reviewer checks first; the raw diff has the rest. */
function definitionSummary(entity: EntityKind, definition: unknown, style: LevelStyle): string {
  return definitionFacts(entity, definition)
    .map((fact) => fact.map((part) => markdownPart(part, style)).join(''))
    .join(' · ')
}

function markdownPart(part: FactPart, style: LevelStyle): string {
  if ('text' in part) return part.text
  if ('code' in part) return codeInline(part.code, NAME_MAX)
  if ('note' in part) return escapeInline(part.note, style.valueMax)
  return jsonValue(part.json, style.valueMax)
}

// ---------------------------------------------------------------------------
// Small helpers

/**
 * Each list item on its own line: far smaller than pretty-printing, still easy
 * to scan, and still JSON that parses to the same diff.
 */
function jsonOneItemPerLine(diff: SchemaDiff): string {
  const entries = Object.entries(diff).filter(([, value]) => value !== undefined)
  const lines = ['{']
  entries.forEach(([key, value], entryIndex) => {
    const comma = entryIndex < entries.length - 1 ? ',' : ''
    if (Array.isArray(value) && value.length > 0) {
      lines.push(`  ${JSON.stringify(key)}: [`)
      value.forEach((item: unknown, itemIndex) => {
        lines.push(`    ${JSON.stringify(item) ?? 'null'}${itemIndex < value.length - 1 ? ',' : ''}`)
      })
      lines.push(`  ]${comma}`)
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`)
    }
  })
  lines.push('}')
  return makeJsonTextInert(lines.join('\n'))
}
