/**
 * Every string that comes from a schema (names, notes, options, translations,
 * any JSON value) passes through here before it reaches a PR comment. The
 * output is inert in every place the renderer puts it: headings, list items,
 * table cells, `<summary>` and GitHub alerts.
 *
 * How:
 * - HTML and Markdown punctuation becomes numeric character references, which
 *   CommonMark shows as literal characters and never as syntax; `<`, `>` gone
 *   means no tag and no `<!--`/`-->` can ever be formed, `|` gone means no
 *   table cell can be split.
 * - GitHub links @mentions and #123 after entities are decoded, so a zero-width
 *   space goes after `@`/`#` when a name or number follows (as Dependabot does).
 *   Code elements are exempt from that linking and do not need it.
 * - Control, format (bidi, zero-width), separator and filler characters, and
 *   every Default_Ignorable_Code_Point (variation selectors, the combining
 *   grapheme joiner, unassigned ignorables) become visible escapes such as
 *   `\u202E`, so nothing can reorder or hide text.
 * - A combining mark becomes an escape too when it has no letter or digit to
 *   sit on (start of text, a space, punctuation, an escape), or when its
 *   letter could be spelled as one precomposed character (`e` + U+0301 and
 *   `é`, not in NFC): two names that differ must not look the same.
 * - Long strings are cut on the raw text, before escaping, so a cut can never
 *   land inside a tag or an escape.
 */

/** Default longest raw text shown inline; long notes stay readable in table cells. */
export const DEFAULT_INLINE_MAX = 500
export const DEFAULT_JSON_VALUE_MAX = 200

const ZERO_WIDTH_SPACE = '&#8203;'

/** Characters with a meaning in HTML or GitHub Markdown, everywhere we put text. */
const SYNTAX = /[&<>"'\\`*_[\]|~$!#@]/

/** Control, format, surrogate, line/paragraph separator, Hangul filler, default-ignorable and bidi control characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}\u115F\u1160\u3164\uFFA0]/u

/** A combining mark: shown as is only on a letter or digit it cannot be confused on (see looseMarks). */
const MARK = /\p{M}/u

/** One pattern for inline text and code: inside a raw `<code>` element Markdown is still parsed. */
const NEEDS_ESCAPE = new RegExp(`${SYNTAX.source}|${INVISIBLE.source}|${MARK.source}`, 'gu')

/** What a link filter would take as the start of a mention or an issue reference. */
const LINKABLE_NEXT = /^[\p{L}\p{N}_-]/u

/** Markdown- and HTML-inert text for headings, lists, table cells and `<summary>`. */
export function escapeInline(text: string, maxLength: number = DEFAULT_INLINE_MAX): string {
  const { shown, omitted } = shorten(text, maxLength)
  const loose = looseMarks()
  const escaped = shown.replace(NEEDS_ESCAPE, (char, offset: number, whole: string) => {
    if (keptMark(char, offset, whole, loose)) return char
    const escapedChar = escapeChar(char)
    const breaksLink = (char === '@' || char === '#') && LINKABLE_NEXT.test(whole.slice(offset + 1, offset + 3))
    return breaksLink ? escapedChar + ZERO_WIDTH_SPACE : escapedChar
  })
  return escaped + omissionNote(omitted)
}

/** `<code>…</code>` with inert content; safe inside table cells. */
export function codeInline(text: string, maxLength: number = DEFAULT_INLINE_MAX): string {
  const { shown, omitted } = shorten(text, maxLength)
  const loose = looseMarks()
  const escaped = shown.replace(NEEDS_ESCAPE, (char, offset: number, whole: string) =>
    keptMark(char, offset, whole, loose) ? char : escapeChar(char)
  )
  return `<code>${escaped}</code>${omissionNote(omitted)}`
}

/** A value as compact JSON in `<code>`; an absent value (undefined) says so. */
export function jsonValue(value: unknown, maxLength: number = DEFAULT_JSON_VALUE_MAX): string {
  if (value === undefined) return '<em>absent</em>'
  return codeInline(compactJson(value), maxLength)
}

function compactJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    // BigInt or a cycle: never from the wire, but never worth a crash either.
    return String(value)
  }
}

function escapeChar(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0
  return INVISIBLE.test(char) || MARK.test(char) ? visibleEscape(char) : `&#${codePoint};`
}

type MarkJudge = (whole: string, offset: number) => boolean

/** A visible combining mark on a letter it cannot be confused on: left as it is. */
function keptMark(char: string, offset: number, whole: string, loose: MarkJudge): boolean {
  return MARK.test(char) && !INVISIBLE.test(char) && !loose(whole, offset)
}

const BASE = /[\p{L}\p{N}]/u
const INVISIBLE_ANYWHERE = new RegExp(INVISIBLE.source, 'u')
const MARKS_FROM = /\p{M}*/uy
/** More marks on one letter than Unicode's stream-safe text format allows (30) hide rather than spell. */
const MAX_MARK_RUN = 60

/**
 * Judges, for one text whose marks are visited in order, whether each mark
 * must be shown as an escape. All the marks on one letter are decided
 * together, once (a text of a million marks costs one pass): when they have
 * no letter or digit to sit on (start of text, a space, punctuation, an
 * invisible character), when one of them is itself invisible (the rest would
 * sit on its escape), when there are more than a letter carries, or when the
 * letter with its marks is not in NFC (so another spelling looks the same),
 * every one of them is escaped.
 */
function looseMarks(): MarkJudge {
  let runEnd = -1
  let runLoose = true
  return (whole, offset) => {
    if (offset < runEnd) return runLoose
    MARKS_FROM.lastIndex = offset
    MARKS_FROM.exec(whole)
    runEnd = MARKS_FROM.lastIndex
    const previous = codePointBefore(whole, offset)
    const run = whole.slice(offset, runEnd)
    runLoose =
      previous === undefined ||
      !BASE.test(previous) ||
      INVISIBLE.test(previous) ||
      INVISIBLE_ANYWHERE.test(run) ||
      run.length > MAX_MARK_RUN ||
      (previous + run).normalize('NFC') !== previous + run
    return runLoose
  }
}

function codePointBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined
  const low = text.charCodeAt(index - 1)
  const pair = index >= 2 && low >= 0xdc00 && low <= 0xdfff && (text.charCodeAt(index - 2) & 0xfc00) === 0xd800
  return text.slice(pair ? index - 2 : index - 1, index)
}

const VISIBLE_CANDIDATES = new RegExp(`${INVISIBLE.source}|${MARK.source}`, 'gu')

/**
 * Plain text with every control, format (bidi, zero-width) and separator
 * character shown as an escape: for a terminal, where an escape sequence in a
 * schema name could otherwise recolour, move or hide what is printed.
 */
export function makeVisible(text: string): string {
  const loose = looseMarks()
  return text.replace(VISIBLE_CANDIDATES, (char, offset: number, whole: string) =>
    keptMark(char, offset, whole, loose) ? char : visibleEscape(char)
  )
}

const NAMED_CONTROLS: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/** '\u202E' shown as the six characters \u202E; astral ones as \u{E0041}. */
function visibleEscape(char: string): string {
  const named = NAMED_CONTROLS[char]
  if (named !== undefined) return named
  const codePoint = char.codePointAt(0) ?? 0
  const hex = codePoint.toString(16).toUpperCase()
  return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`
}

/**
 * Keeps the first maxLength code points, so a surrogate pair is never split.
 * The omitted count is in code points too, as a reader would count.
 */
export function shorten(text: string, maxLength: number): { shown: string; omitted: number } {
  // A string no longer in code units than the limit is short enough in code points.
  if (text.length <= maxLength) return { shown: text, omitted: 0 }
  const codePoints = Array.from(text)
  if (codePoints.length <= maxLength) return { shown: text, omitted: 0 }
  const keep = Math.max(0, Math.floor(maxLength))
  return { shown: codePoints.slice(0, keep).join(''), omitted: codePoints.length - keep }
}

function omissionNote(omitted: number): string {
  if (omitted === 0) return ''
  return `… (${omitted} more ${omitted === 1 ? 'character' : 'characters'})`
}

/**
 * JSON for a fenced code block. Only characters inside string literals are
 * touched, and only by replacing them with the JSON escape of themselves, so
 * the text still parses to exactly the same value: `<` and `>` (the block can
 * then never contain an HTML comment delimiter) and every invisible or bidi
 * character (so the JSON cannot display differently from what it is).
 */
export function jsonForCodeBlock(value: unknown, indent: number | undefined = 2): string {
  return makeJsonTextInert(JSON.stringify(value, null, indent) ?? 'null')
}

/** Same escapes for JSON text already produced elsewhere (e.g. one item per line). */
export function makeJsonTextInert(json: string): string {
  // Diffs run to megabytes of mostly ASCII: only characters that could need
  // an escape reach the (slower) Unicode property test.
  const loose = looseMarks()
  return json.replace(JSON_CANDIDATES, (char, offset: number, whole: string) =>
    char === '<' || char === '>' || INVISIBLE.test(char) || (MARK.test(char) && loose(whole, offset)) ? jsonEscape(char) : char
  )
}

/**
 * '<', '>' and everything from DEL up. Below DEL only line breaks can occur
 * raw (JSON escapes the other controls), and those are the indentation.
 */
const JSON_CANDIDATES = /[<>\u{7F}-\u{10FFFF}]/gu

function jsonEscape(char: string): string {
  // Per UTF-16 unit: JSON has no \u{…} form, astral characters become pairs.
  let escaped = ''
  for (let index = 0; index < char.length; index++) {
    escaped += `\\u${char.charCodeAt(index).toString(16).padStart(4, '0')}`
  }
  return escaped
}

/** A fence longer than any backtick run in the content, so nothing inside can close it. */
export function fencedCodeBlock(content: string, infoString: string): string {
  let longestRun = 0
  for (const match of content.matchAll(/`+/g)) longestRun = Math.max(longestRun, match[0].length)
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return `${fence}${infoString}\n${content}\n${fence}`
}

/**
 * The URL if it is a plain http(s) URL that can serve as a Markdown link
 * destination as is (no parentheses, spaces, angle brackets or quotes that
 * could end the link early), otherwise undefined.
 */
export function linkUrl(url: string): string | undefined {
  return /^https?:\/\/[A-Za-z0-9._~:/?#&=%+,;@-]+$/.test(url) ? url : undefined
}
