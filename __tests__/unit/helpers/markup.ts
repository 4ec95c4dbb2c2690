/** Test-side views of rendered Markdown: what a reader would see, and where the structure is. */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

/** Decodes the character references our escaping produces, as the Markdown renderer would. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(parseInt(body.slice(2), 16))
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10))
    return NAMED[body] ?? whole
  })
}

/** The text outside fenced code blocks and outside <code> elements (where GitHub never links mentions). */
export function outsideCode(markdown: string): string {
  const withoutFences = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
  return withoutFences.replace(/<code>[\s\S]*?<\/code>/g, '')
}

/** Fenced code blocks removed (their content is not Markdown). */
export function outsideFences(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
}

export function count(text: string, pattern: RegExp): number {
  return Array.from(text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))).length
}

/** Table rows (lines starting with '|') and their count of cell separators. */
export function tableRows(markdown: string): string[] {
  return outsideFences(markdown)
    .split('\n')
    .filter((line) => line.startsWith('|'))
}

/** Unescaped pipes: every '|' not preceded by a backslash. */
export function pipeCount(line: string): number {
  return count(line, /(?<!\\)\|/)
}
