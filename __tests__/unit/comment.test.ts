import { commentMarker, parseComment, replaceStatus, writeComment, type PlanComment } from '../../src/report/comment.js'

const base: PlanComment = {
  targetName: 'production',
  record: 'v1.abc_DEF-123~x',
  summary: '**Changes:** +1 collection',
  body: '> [!CAUTION]\n> - item\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n<details><summary>x</summary>\n\n```json\n{}\n```\n\n</details>',
  status: { state: 'planned', text: '🕓 **Planned:** merging applies this diff.' }
}

describe('commentMarker', () => {
  test('is a hidden one-line HTML comment naming the target', () => {
    expect(commentMarker('production')).toBe('<!-- directus-schema-plan target=production -->')
  })

  test.each(['a--b', 'x-->y', 'stage > prod', 'ünïcødé 🚀', '<!--', 'a%2Db'])(
    '%j is percent-encoded: no "--", ">" or spaces inside',
    (name) => {
      const marker = commentMarker(name)
      expect(marker.startsWith('<!-- directus-schema-plan target=')).toBe(true)
      const encoded = marker.slice('<!-- directus-schema-plan target='.length, -' -->'.length)
      expect(encoded).toMatch(/^[A-Za-z0-9._~%]+$/)
      expect(decodeURIComponent(encoded)).toBe(name)
    }
  )

  test('distinct targets get distinct markers, and none is a prefix of another comment', () => {
    expect(commentMarker('a-b')).not.toBe(commentMarker('a_b'))
    expect(writeComment({ ...base, targetName: 'prod-eu' })).not.toContain(commentMarker('prod'))
    expect(writeComment({ ...base, targetName: 'prod' })).toContain(commentMarker('prod'))
  })
})

describe('writeComment / parseComment', () => {
  test('the layout: marker, record, heading, summary, status, body', () => {
    const lines = writeComment(base).split('\n')
    expect(lines.slice(0, 7)).toEqual([
      '<!-- directus-schema-plan target=production -->',
      '<!-- directus-schema-plan record=v1.abc_DEF-123~x -->',
      '### Directus schema plan for production',
      '',
      '**Changes:** +1 collection',
      '',
      '<!-- directus-schema-plan status=planned -->'
    ])
    expect(lines.at(-1)).toBe('<!-- directus-schema-plan /body -->')
  })

  const variants: [string, PlanComment][] = [
    ['full', base],
    ['no record', { ...base, record: undefined } as PlanComment],
    ['empty status and body', { ...base, status: { state: 'failed', text: '' }, body: '' }],
    ['odd target', { ...base, targetName: 'stage -->\n<!-- @you | #1 `x`', status: { state: 'no-changes', text: 'ok' } }],
    ['body ending in a list', { ...base, body: '- a\n- b', status: { state: 'refused', text: '> [!WARNING]\n> no' } }],
    ['blank lines everywhere', { ...base, body: '\n\nx\n\n', status: { state: 'applied', text: '\n\ny\n\n' } }]
  ]

  test.each(variants)('%s round-trips exactly', (_name, comment) => {
    const expected = comment.record === undefined ? (({ record: _r, ...rest }) => rest)(comment) : comment
    expect(parseComment(writeComment(comment))).toEqual(expected)
  })

  test('CRLF line ends and trailing whitespace from an edit are tolerated', () => {
    const text = `${writeComment(base).replace(/\n/g, '\r\n')}\r\n\r\n`
    expect(parseComment(text)).toEqual(base)
  })

  test.each<[string, (text: string) => string]>([
    ['no marker', (text) => text.replace(/^<!-- directus-schema-plan target=production -->\n/, '')],
    ['text before the marker', (text) => `hello\n${text}`],
    ['missing body end', (text) => text.replace('<!-- directus-schema-plan /body -->', '')],
    ['missing status end', (text) => text.replace('<!-- directus-schema-plan /status -->', '')],
    ['unknown state', (text) => text.replace('status=planned', 'status=merged')],
    ['edited heading', (text) => text.replace('### Directus schema plan for production', '### Something else')],
    ['marker of another tool', (text) => text.replace(/directus-schema-plan/g, 'other-plan')],
    ['broken percent-encoding', (text) => text.replace('target=production', 'target=%E2%28')],
    ['injected section marker', (text) => text.replace('| 1 | 2 |', '<!-- directus-schema-plan /body -->')],
    ['stray comment in the body', (text) => text.replace('| 1 | 2 |', '<!-- x -->')]
  ])('%s → null', (_name, mutate) => {
    expect(parseComment(mutate(writeComment(base)))).toBeNull()
  })

  test('refuses sections that could break the structure', () => {
    expect(() => writeComment({ ...base, body: 'a <!-- b' })).toThrow(/body/)
    expect(() => writeComment({ ...base, status: { state: 'planned', text: 'a --> b' } })).toThrow(/status/)
    expect(() => writeComment({ ...base, summary: 'two\nlines' })).toThrow(/single line/)
    expect(() => writeComment({ ...base, body: 'a\r\nb' })).toThrow(/carriage/)
    expect(() => writeComment({ ...base, record: 'a b' })).toThrow(/record/)
    expect(() => writeComment({ ...base, record: '' })).toThrow(/record/)
    expect(() => writeComment({ ...base, record: 'x-->' })).toThrow(/record/)
    expect(() => writeComment({ ...base, targetName: 'bad\uD800' })).toThrow(/surrogate/)
  })

  test('the target name in the heading is escaped, the marker keeps it whole', () => {
    const name = '<b>@all</b> | #1'
    const text = writeComment({ ...base, targetName: name })
    expect(text.split('\n')[2]).not.toMatch(/[<>|]|@\w|#\d(?![0-9]*;)/)
    expect(parseComment(text)?.targetName).toBe(name)
  })
})

describe('replaceStatus', () => {
  test('replaces only the status', () => {
    const before = writeComment(base)
    const status = { state: 'applied' as const, text: '✅ **Applied** at run 7.' }
    const after = replaceStatus(before, status)
    expect(after).toBe(writeComment({ ...base, status }))
    expect(parseComment(after ?? '')).toEqual({ ...base, status })
  })

  test('null when the text is not our comment', () => {
    expect(replaceStatus('just a human comment', { state: 'failed', text: 'x' })).toBeNull()
  })

  test('refuses a status that would break the structure', () => {
    expect(() => replaceStatus(writeComment(base), { state: 'failed', text: '<!--' })).toThrow()
  })
})
