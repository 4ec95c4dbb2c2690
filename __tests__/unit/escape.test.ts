import {
  codeInline,
  escapeInline,
  fencedCodeBlock,
  jsonForCodeBlock,
  jsonValue,
  linkUrl,
  makeVisible,
  shorten
} from '../../src/report/escape.js'
import { decodeEntities } from './helpers/markup.js'

const SYNTAX_HEAVY = [
  '| a | b |',
  '<script>alert(1)</script>',
  '<!-- hidden --> and -->',
  '**bold** _em_ ~~strike~~ `code` ```fence```',
  '[link](https://example.com) ![img](x.png)',
  '# heading\\',
  '$x^2$ and $$math$$',
  '<details><summary>x</summary>',
  'quotes " and \' and & and &amp;'
]

describe('escapeInline', () => {
  test.each(SYNTAX_HEAVY)('%s: no raw syntax survives, and the reader sees the original', (text) => {
    const escaped = escapeInline(text)
    expect(escaped).not.toMatch(/[<>|`*_[\]~$\\"']/)
    expect(decodeEntities(escaped).replace(/\u200B/g, '')).toBe(text)
  })

  test.each(['@octocat', 'ping @org/team', 'fixes #123', 'owner/repo#9', 'GH @a-b'])('%s: no mention or issue link', (text) => {
    const seen = decodeEntities(escapeInline(text))
    expect(seen).not.toMatch(/[@#][\p{L}\p{N}_-]/u)
    expect(seen.replace(/\u200B/g, '')).toBe(text)
  })

  test('a lone @ or # is left readable', () => {
    expect(decodeEntities(escapeInline('a @ b # c'))).toBe('a @ b # c')
  })

  test.each([
    ['\u202Eevil', '\\u202Eevil'],
    ['a\u200Bb\u200Dc\uFEFF', 'a\\u200Bb\\u200Dc\\uFEFF'],
    ['\u2066iso\u2069', '\\u2066iso\\u2069'],
    ['line1\nline2\r\tend', 'line1\\nline2\\r\\tend'],
    ['para\u2029sep\u2028x', 'para\\u2029sep\\u2028x'],
    ['tag\u{E0041}', 'tag\\u{E0041}'],
    ['lone\uD800', 'lone\\uD800'],
    ['\u3164filler', '\\u3164filler']
  ])('%j: invisible and bidi characters become visible escapes', (text, shown) => {
    expect(escapeInline(text)).toBe(shown)
  })

  test.each([
    ['a\u034Fb', 'a\\u034Fb'], // combining grapheme joiner: a mark, and default-ignorable
    ['x\uFE0Fy\u{E0100}', 'x\\uFE0Fy\\u{E0100}'], // variation selectors
    ['\u2065gap', '\\u2065gap'], // unassigned, reserved as ignorable
    ['\u180Bmongolian', '\\u180Bmongolian'], // a variation selector that is a mark
    ['\u061Carabic', '\\u061Carabic'] // the Arabic letter mark, a bidi control
  ])('%j: every default-ignorable character and bidi control becomes a visible escape', (text, shown) => {
    expect(escapeInline(text)).toBe(shown)
    expect(codeInline(text)).toBe(`<code>${shown}</code>`)
    expect(makeVisible(text)).toBe(shown)
  })

  test.each([
    ['\u0301start', '\\u0301start'], // at the start: it would sit on whatever precedes the name
    ['a \u0301b', 'a \\u0301b'], // on a space
    ['tag_\u0301', 'tag&#95;\\u0301'], // on punctuation, which is itself escaped
    ['cafe\u0301', 'cafe\\u0301'], // looks like the precomposed "café": another name
    ['e\u0323\u0302', 'e\\u0323\\u0302'], // all marks of a letter together, never one raw after an escape
    ['a\uFE0F\u0301', 'a\\uFE0F\\u0301'] // a mark after an ignorable one
  ])('%j: a combining mark on its own, or spelling a precomposed letter, becomes a visible escape', (text, shown) => {
    expect(escapeInline(text)).toBe(shown)
  })

  test('two names that differ never look the same: a precomposed letter and its decomposition', () => {
    const composed = 'caf\u00E9'
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    for (const escape of [escapeInline, codeInline, makeVisible]) expect(escape(decomposed)).not.toBe(escape(composed))
    expect(JSON.parse(jsonForCodeBlock(decomposed))).toBe(decomposed)
    expect(jsonForCodeBlock(decomposed)).toBe('"cafe\\u0301"')
  })

  test('a pile of marks on one letter is escaped, and costs one pass however long (a hostile snapshot may hold megabytes)', () => {
    expect(escapeInline(`x${'\u0301'.repeat(61)}`, 1000)).toBe(`x${'\\u0301'.repeat(61)}`)
    const pile = `a${'\u0300\u0316'.repeat(500_000)}`
    const started = Date.now()
    const json = jsonForCodeBlock(pile)
    expect(makeVisible(pile)).toHaveLength(1 + 12 * 500_000)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(JSON.parse(json)).toBe(pile)
  })

  test('marks that belong to their letter stay: scripts are content', () => {
    for (const text of ['café', 'कि', 'शांति', 'שָׁלוֹם', 'x\u0301\u0302', 'ñandú']) {
      expect(escapeInline(text)).toBe(text)
      expect(makeVisible(text)).toBe(text)
      expect(jsonForCodeBlock(text)).toBe(JSON.stringify(text))
    }
  })

  test('right-to-left letters themselves stay (they are content)', () => {
    expect(escapeInline('שלום')).toBe('שלום')
  })

  test('10,000 characters are cut to a prefix and say how many are left', () => {
    const escaped = escapeInline('a'.repeat(10_000))
    expect(escaped).toBe(`${'a'.repeat(500)}… (9500 more characters)`)
    expect(escapeInline('abc', 2)).toBe('ab… (1 more character)')
  })

  test('the cut never lands inside an escape', () => {
    const escaped = escapeInline('|'.repeat(1000), 10)
    expect(escaped).toBe(`${'&#124;'.repeat(10)}… (990 more characters)`)
  })
})

describe('shorten', () => {
  test('counts code points, never splitting a surrogate pair', () => {
    expect(shorten('😀'.repeat(10), 5)).toEqual({ shown: '😀'.repeat(5), omitted: 5 })
    expect(shorten('😀😀', 2)).toEqual({ shown: '😀😀', omitted: 0 })
  })
})

describe('codeInline', () => {
  test('wraps inert content in <code>', () => {
    expect(codeInline('a|b`c<d>')).toBe('<code>a&#124;b&#96;c&#60;d&#62;</code>')
  })

  test('keeps @ and # readable (GitHub does not link inside code) but still inert', () => {
    const code = codeInline('@user #1')
    expect(decodeEntities(code)).toBe('<code>@user #1</code>')
  })

  test('shows bidi controls as escapes', () => {
    expect(codeInline('x\u202Ey')).toBe('<code>x\\u202Ey</code>')
  })

  test('truncates outside the element', () => {
    expect(codeInline('x'.repeat(10_000), 3)).toBe('<code>xxx</code>… (9997 more characters)')
  })
})

describe('jsonValue', () => {
  test('compact JSON in code', () => {
    expect(decodeEntities(jsonValue({ a: '<b>', n: [1, null] }))).toBe('<code>{"a":"<b>","n":[1,null]}</code>')
    expect(jsonValue({ a: '<b>' })).not.toMatch(/<b>/)
  })

  test('says when a value is absent', () => {
    expect(jsonValue(undefined)).toBe('<em>absent</em>')
    expect(jsonValue(null)).toBe('<code>null</code>')
  })

  test('truncates long values', () => {
    expect(jsonValue('y'.repeat(500), 10)).toBe(`<code>&#34;${'y'.repeat(9)}</code>… (492 more characters)`)
  })
})

describe('code blocks', () => {
  test('the fence is longer than any backtick run in the content', () => {
    const block = fencedCodeBlock('a ```` b ` c', 'json')
    expect(block.startsWith('`````json\n')).toBe(true)
    expect(block.endsWith('\n`````')).toBe(true)
    expect(fencedCodeBlock('plain', '')).toBe('```\nplain\n```')
  })

  test('JSON for a code block parses to the same value and cannot contain comment delimiters or bidi controls', () => {
    const value = { note: '<!-- x --> \u202E \u200B \u2028 \u{E0041} `', n: [1, { deep: '>' }] }
    for (const indent of [2, undefined]) {
      const json = jsonForCodeBlock(value, indent)
      expect(json).not.toMatch(/[<>\u202E\u200B\u2028]|\u{E0041}/u)
      expect(JSON.parse(json)).toEqual(value)
    }
    expect(jsonForCodeBlock(value, 2).split('\n').length).toBeGreaterThan(3)
  })
})

describe('linkUrl', () => {
  test('accepts plain http(s) URLs only', () => {
    expect(linkUrl('https://github.com/o/r/actions/runs/1?pr=2#x')).toBe('https://github.com/o/r/actions/runs/1?pr=2#x')
    expect(linkUrl('javascript:alert(1)')).toBeUndefined()
    expect(linkUrl('https://x.test/a)b')).toBeUndefined()
    expect(linkUrl('https://x.test/a b')).toBeUndefined()
  })
})
