/** What counts as a secret in configuration, paths, and the overrides file's own errors. */
import { OverridesError, parseOverrides } from '../../src/core/config/overrides.js'
import { formatPath, isSecretPath, parsePath, secretLeaves } from '../../src/core/config/secrets.js'

describe('secrets in configuration', () => {
  it.each([
    ['operations', ['options', 'headers', 0, 'value'], 'Bearer x', true],
    ['operations', ['options', 'headers', 0, 'header'], 'Authorization', false],
    ['operations', ['options', 'token'], 'abc', true],
    ['operations', ['options', 'secret'], 'abc', true],
    ['operations', ['options', 'password'], 'abc', true],
    ['operations', ['options', 'api_key'], 'abc', true],
    ['operations', ['options', 'credentials', 'user'], 'abc', true],
    ['operations', ['options', 'url'], 'https://user:pass@hooks.example.com/x', true],
    ['operations', ['options', 'url'], 'https://hooks.example.com/x?access_token=abc', true],
    ['operations', ['options', 'url'], 'https://hooks.example.com/x?page=2', false],
    // An item operation's `key` names items, a translation's `key` names a string, an operation's `key` names it.
    ['operations', ['options', 'key'], ['1', '2'], false],
    ['operations', ['key'], 'notify', false],
    ['translations', ['key'], 'greeting', false],
    ['settings', ['storage_asset_presets', 0, 'key'], 'thumb', false],
    ['settings', ['ai_system_prompt'], 'You are', false],
    ['flows', ['options', 'authorization'], 'x', true]
  ] as const)('%s %j is a secret: %s', (collection, path, value, secret) => {
    expect(isSecretPath(collection, path, value)).toBe(secret)
  })

  it('finds the secret leaves inside a value', () => {
    const options = {
      url: 'https://h.example.com',
      headers: [
        { header: 'A', value: 'x' },
        { header: 'B', value: '' }
      ],
      body: '{}'
    }
    expect(secretLeaves('operations', ['options'], options).map(formatPath)).toEqual(['options.headers[0].value'])
  })

  it('formats and parses paths', () => {
    for (const text of ['options', 'options.headers[0].value', 'a.b.c', 'list[2][3]']) expect(formatPath(parsePath(text)!)).toBe(text)
    for (const text of ['', '.a', 'a..b', '[0]', 'a[x]', 'a.']) expect(parsePath(text)).toBeUndefined()
  })
})

describe('parseOverrides', () => {
  it('reads YAML and JSON, and $env: references', () => {
    const yaml = parseOverrides('flows:\n  Publish:\n    options.url: $env:HOOK_URL\nsettings:\n  project_name: Prod\n', 'o.yml')
    expect(yaml.entries).toEqual([
      {
        collection: 'flows',
        record: 'Publish',
        path: ['options', 'url'],
        pathText: 'options.url',
        value: { kind: 'env', name: 'HOOK_URL' }
      },
      { collection: 'settings', record: '', path: ['project_name'], pathText: 'project_name', value: { kind: 'literal', value: 'Prod' } }
    ])
    expect(parseOverrides('{"flows": {"Publish": {"status": "inactive"}}}', 'o.json').entries).toHaveLength(1)
    expect(parseOverrides('', 'empty.yml').entries).toEqual([])
  })

  it('names every problem of the file', () => {
    expect(() => parseOverrides('users:\n  a: 1\nflows:\n  Publish:\n    "options..url": 1\n', 'o.yml')).toThrow(
      new OverridesError(
        'o.yml: "users" is not a configuration collection (folders, policies, roles, access, permissions, flows, operations, dashboards, panels, presets, translations, settings); flows "Publish": "options..url" is not a path (e.g. options.url, options.headers[0].value)'
      )
    )
    expect(() => parseOverrides('[1]', 'o.yml')).toThrow(/must map collections/)
    expect(() => parseOverrides('flows: [', 'o.yml')).toThrow(/o\.yml is neither YAML nor JSON/)
  })
})
