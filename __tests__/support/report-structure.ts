import { count, decodeEntities, outsideCode, outsideFences, pipeCount, tableRows } from '../unit/helpers/markup.js'

/*
 * Structural checks that must hold for any rendering of any schema content:
 * shared by the unit tests of the renderer and the live hostile-content test.
 */

/** Our own hidden markers, the only HTML comments a rendered comment may contain. */
const OUR_MARKER_LINE =
  /^<!-- directus-schema-plan (target=[A-Za-z0-9._~%]*|record=[A-Za-z0-9._~-]+|status=[a-z-]+|\/status|body|\/body) -->$/
const ALLOWED_TAGS = new Set(['details', 'summary', 'code', 'em', 'b', 'br'])

/** Structural checks that must hold for any rendering of any input. */
export function expectIntactStructure(text: string, expectedHeadings?: number): void {
  const lines = text.split('\n')
  const markup = outsideFences(text)

  // HTML comments: only our markers, each a whole line.
  const withoutMarkers = lines.filter((line) => !OUR_MARKER_LINE.test(line)).join('\n')
  expect(withoutMarkers).not.toContain('<!--')
  expect(withoutMarkers).not.toContain('-->')

  // Headings: exactly ours.
  if (expectedHeadings !== undefined) expect(count(markup, /^#{1,6} /m)).toBe(expectedHeadings)

  // Balanced blocks and elements; no tag we did not write.
  expect(count(markup, /<details>/)).toBe(count(markup, /<\/details>/))
  expect(count(markup, /<summary>/)).toBe(count(markup, /<\/summary>/))
  expect(count(markup, /<code>/)).toBe(count(markup, /<\/code>/))
  for (const match of markup.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)) expect(ALLOWED_TAGS).toContain(match[1])

  // Every table row has exactly three cells.
  for (const row of tableRows(text)) expect(pipeCount(row)).toBe(4)

  // Every '&' starts a character reference, so no escape was cut.
  expect(markup.replace(/&#\d+;/g, '')).not.toContain('&')

  // Nothing that GitHub would link as a mention or issue, outside code.
  const visible = decodeEntities(outsideCode(text))
  expect(visible).not.toMatch(/@[\p{L}\p{N}_]/u)
  expect(visible).not.toMatch(/#\d/)

  // No raw invisible or bidi character anywhere, code blocks included.
  expect(text).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u2028\u2029]/)

  // Fences come in pairs, and only around the raw diff.
  expect(count(text, /^`{3,}/m) % 2).toBe(0)
}
