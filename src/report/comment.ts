/**
 * The one PR comment per target: written by writeComment, read back by
 * parseComment, nothing else builds or picks apart its text.
 *
 * Layout (every section boundary is a hidden HTML comment; escaped schema text
 * never contains `<!--` or `-->`, and writeComment refuses sections that do):
 *
 *   <!-- directus-schema-plan target=<percent-encoded target> -->
 *   <!-- directus-schema-plan record=<record> -->          (only with a record)
 *   ### Directus schema plan for <target>
 *
 *   <summary line>
 *
 *   <!-- directus-schema-plan status=<state> -->
 *   <status text>
 *
 *   <!-- directus-schema-plan /status -->
 *
 *   <!-- directus-schema-plan body -->
 *   <body>
 *
 *   <!-- directus-schema-plan /body -->
 *
 * The blank lines before the closing markers end any list, quote or HTML block
 * a section ends with, so the markers never become part of it.
 */
import { escapeInline } from './escape.js'

export type StatusState = 'planned' | 'no-changes' | 'applied' | 'refused' | 'failed'

export interface CommentStatus {
  state: StatusState
  /** Markdown produced by us; already safe. */
  text: string
}

export interface PlanComment {
  targetName: string
  /** Opaque, [A-Za-z0-9._~-] only, produced by the record module. */
  record?: string
  /** One line of Markdown produced by us; already safe. */
  summary: string
  /** Markdown produced by us; already safe. */
  body: string
  status: CommentStatus
}

/** GitHub refuses issue comments longer than this. */
export const COMMENT_LIMIT = 65_536

const TAG = 'directus-schema-plan'
const STATES: readonly StatusState[] = ['planned', 'no-changes', 'applied', 'refused', 'failed']
const RECORD_CHARS = /^[A-Za-z0-9._~-]+$/
/** Longest target name shown in the heading; the marker always carries all of it. */
const HEADING_TARGET_MAX = 100

/** The hidden first line that identifies the comment of one target. */
export function commentMarker(targetName: string): string {
  return `<!-- ${TAG} target=${encodeTargetName(targetName)} -->`
}

export function writeComment(comment: PlanComment): string {
  const { targetName, record, summary, body, status } = comment
  if (/\p{Cs}/u.test(targetName)) throw new TypeError('target name contains a lone surrogate and cannot round-trip')
  if (record !== undefined && !RECORD_CHARS.test(record)) {
    throw new TypeError('record must be non-empty and use only A-Z a-z 0-9 . _ ~ -')
  }
  if (!STATES.includes(status.state)) throw new TypeError(`unknown status state: ${String(status.state)}`)
  assertSection('summary', summary)
  if (summary.includes('\n')) throw new TypeError('summary must be a single line')
  assertSection('status text', status.text)
  assertSection('body', body)

  return [
    commentMarker(targetName),
    ...(record !== undefined ? [`<!-- ${TAG} record=${record} -->`] : []),
    `### Directus schema plan for ${escapeInline(targetName, HEADING_TARGET_MAX)}`,
    '',
    summary,
    '',
    `<!-- ${TAG} status=${status.state} -->`,
    status.text,
    '',
    `<!-- ${TAG} /status -->`,
    '',
    `<!-- ${TAG} body -->`,
    body,
    '',
    `<!-- ${TAG} /body -->`
  ].join('\n')
}

/** Sections are ours, but a stray delimiter would make the comment unparsable: fail at write time. */
function assertSection(name: string, text: string): void {
  if (text.includes('<!--') || text.includes('-->')) throw new TypeError(`${name} must not contain <!-- or -->`)
  if (text.includes('\r')) throw new TypeError(`${name} must not contain carriage returns`)
}

const COMMENT_PATTERN = new RegExp(
  [
    `^<!-- ${TAG} target=(?<target>[A-Za-z0-9._~%]*) -->\\n`,
    `(?:<!-- ${TAG} record=(?<record>[A-Za-z0-9._~-]+) -->\\n)?`,
    '### [^\\n]*\\n\\n',
    '(?<summary>[^\\n]*)\\n\\n',
    `<!-- ${TAG} status=(?<state>[a-z-]+) -->\\n`,
    '(?<status>[\\s\\S]*?)\\n\\n',
    `<!-- ${TAG} /status -->\\n\\n`,
    `<!-- ${TAG} body -->\\n`,
    '(?<body>[\\s\\S]*)\\n\\n',
    `<!-- ${TAG} /body -->$`
  ].join('')
)

/** The comment, or null when it is not one of ours or was edited out of shape. */
export function parseComment(text: string): PlanComment | null {
  // GitHub may hand back CRLF after an edit in the web UI, and trims the end.
  const normalized = text.replace(/\r\n/g, '\n').trimEnd()
  const groups = COMMENT_PATTERN.exec(normalized)?.groups
  if (groups === undefined) return null

  const targetName = decodeTargetName(groups['target'] ?? '')
  const state = STATES.find((known) => known === groups['state'])
  if (targetName === undefined || state === undefined) return null

  const comment: PlanComment = {
    targetName,
    ...(groups['record'] !== undefined ? { record: groups['record'] } : {}),
    summary: groups['summary'] ?? '',
    body: groups['body'] ?? '',
    status: { state, text: groups['status'] ?? '' }
  }
  // Anything the pattern let through that writeComment would not produce
  // (a hand-edited heading, a delimiter smuggled into a section) is not ours.
  try {
    return writeComment(comment) === normalized ? comment : null
  } catch {
    return null
  }
}

/** The comment with only its status replaced, or null when it cannot be parsed. */
export function replaceStatus(text: string, status: CommentStatus): string | null {
  const comment = parseComment(text)
  return comment === null ? null : writeComment({ ...comment, status })
}

/**
 * UTF-8 percent-encoding of everything but A-Z a-z 0-9 . _ ~, so the marker
 * never contains '-' (hence no '--'), '>' or spaces.
 */
export function encodeTargetName(targetName: string): string {
  let encoded = ''
  for (const byte of new TextEncoder().encode(targetName)) {
    const char = String.fromCharCode(byte)
    encoded += /[A-Za-z0-9._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return encoded
}

function decodeTargetName(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded)
  } catch {
    return undefined
  }
}
