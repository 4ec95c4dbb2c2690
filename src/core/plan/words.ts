/**
 * Sentences the plan says about a change, with the schema names in them kept
 * apart from our own words: each renderer escapes names its own way (Markdown
 * code, terminal-safe text), so a name can never break the sentence around it.
 */

/** Our own text, or a name or path from the schema (shown as code). */
export type WordPart = string | { code: string }
export type Words = readonly WordPart[]

/** The sentence as plain text, names in backticks: for logs, messages and the JSON plan. */
export function plainWords(words: Words): string {
  return words.map((part) => (typeof part === 'string' ? part : `\`${part.code}\``)).join('')
}

const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/

/** ['meta', 'options', 'choices', 2] → 'meta.options.choices[2]'; odd keys are quoted: 'meta.translations["de-DE x"]'. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (SIMPLE_KEY.test(segment)) text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text
}
