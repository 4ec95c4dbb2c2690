import { InputError } from '../../src/core/errors.js'
import { isSnapshotFile } from '../../src/core/settings.js'
import {
  parseCollectionList,
  plainHttpWarnings,
  readCommand,
  readDriftSettings as readDriftSettingsIn,
  readSettings as readSettingsIn,
  readSnapshotSettings as readSnapshotSettingsIn,
  type InputReader
} from '../../src/inputs/read.js'

const WORKSPACE = { directory: '/work/space' }
const readSettings = (read: InputReader) => readSettingsIn(read, WORKSPACE)
const readSnapshotSettings = (read: InputReader) => readSnapshotSettingsIn(read, WORKSPACE)
const readDriftSettings = (read: InputReader) => readDriftSettingsIn(read, WORKSPACE)

const minimal: Record<string, string> = {
  'base-url': 'https://dev.example.com',
  'base-token': 'base-secret',
  'target-url': 'https://staging.example.com/directus',
  'target-token': 'target-secret'
}

function reader(inputs: Record<string, string>): InputReader {
  return (name) => inputs[name] ?? ''
}

function errorFor(inputs: Record<string, string>, read: (reader: InputReader) => unknown = readSettings): InputError {
  try {
    read(reader(inputs))
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const settings = readSettings(reader(minimal))
    expect(settings.command).toBe('plan')
    expect(settings.targetName).toBe('staging.example.com')
    expect(settings.target.url.href).toBe('https://staging.example.com/directus/')
    expect(settings.force).toBe(false)
    expect(settings.comment).toBe(true)
    expect(settings.allowDestructive).toBe(false)
    expect(settings.requirePlan).toBe(true)
    expect(settings.requireApproval).toBe(true)
    expect(settings.allowForks).toBe(false)
    expect(settings.signingKey).toBeUndefined()
    expect(settings.timeoutMs).toBe(60_000)
    expect(settings.mode).toBe('mirror')
    expect(settings.scope).toBeUndefined()
    expect(isSnapshotFile(settings.base)).toBe(false)
    expect(settings.base).toMatchObject({ auth: { kind: 'token', token: 'base-secret' } })
  })

  it('reads email and password logins and explicit values', () => {
    const settings = readSettings(
      reader({
        ...minimal,
        'target-token': '',
        'target-email': 'admin@example.com',
        'target-password': 'pw',
        'target-name': 'staging',
        force: 'True',
        comment: 'false',
        'timeout-seconds': '5',
        command: 'APPLY'
      })
    )
    expect(settings.target.auth).toEqual({ kind: 'password', email: 'admin@example.com', password: 'pw' })
    expect(settings.targetName).toBe('staging')
    expect(settings.force).toBe(true)
    expect(settings.comment).toBe(false)
    expect(settings.timeoutMs).toBe(5000)
    expect(settings.command).toBe('apply')
  })

  it.each([
    [{ command: 'destroy' }, 'command', /'command' must be one of plan, apply, snapshot, drift; got "destroy"/],
    [{ 'diff-mode': 'append' }, 'diff-mode', /'diff-mode' must be one of mirror, merge; got "append"/],
    [
      { 'include-collections': 'a', 'exclude-collections': 'b' },
      'exclude-collections',
      /either 'include-collections' or 'exclude-collections'/
    ],
    [{ 'include-collections': 'my articles' }, 'include-collections', /got "my articles"/],
    [{ 'base-snapshot': 'schema/snapshot.yaml' }, 'base-snapshot', /either 'base-url' or 'base-snapshot'/],
    [
      { 'base-url': '', 'base-snapshot': 'schema/snapshot.txt' },
      'base-snapshot',
      /\.json, \.yaml or \.yml file; got "schema\/snapshot\.txt"/
    ],
    [{ 'base-url': '' }, 'base-url', /or 'base-snapshot'/],
    [{ 'snapshot-file': 'schema.json' }, 'snapshot-file', /use 'base-snapshot'/],
    [{ 'base-url': 'not a url' }, 'base-url', /'base-url' is not a valid URL: "not a url"/],
    [{ 'target-url': 'ftp://staging.example.com' }, 'target-url', /http:\/\/ or https:\/\//],
    [{ 'base-url': '' }, 'base-url', /'base-url' is required/],
    [{ 'target-token': '' }, 'target-token', /No credentials for the target instance/],
    [{ 'base-email': 'a@b.c' }, 'base-token', /either 'base-token' or 'base-email'/],
    [{ force: 'yes' }, 'force', /'force' must be true or false; got "yes"/],
    [{ comment: '1' }, 'comment', /'comment' must be true or false; got "1"/],
    [{ 'timeout-seconds': '-3' }, 'timeout-seconds', /from 1 to 3600; got "-3"/],
    [{ 'timeout-seconds': '99999' }, 'timeout-seconds', /got "99999"/],
    [{ 'expected-hash': 'not a hash!' }, 'expected-hash', /'expected-hash'/],
    [{ 'expected-digest': 'md5:abc' }, 'expected-digest', /'expected-digest'/]
  ])('rejects %j naming the input', (override, input, message) => {
    const error = errorFor({ ...minimal, ...override })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  it('refuses credentials in a URL without repeating them', () => {
    const error = errorFor({ ...minimal, 'base-url': 'https://admin:hunter2@dev.example.com' })
    expect(error.input).toBe('base-url')
    expect(error.message).not.toContain('hunter2')
  })

  it('marks a missing secret so a fork pull request can be told plainly', () => {
    expect(errorFor({ ...minimal, 'base-token': '' }).missingSecret).toBe(true)
    expect(errorFor({ ...minimal, force: 'maybe' }).missingSecret).toBe(false)
  })
})

describe('review binding: approvals, forks, the signing key, plain http', () => {
  it('reads require-approval, allow-forks and the signing-key', () => {
    const key = 'k'.repeat(32)
    const settings = readSettings(reader({ ...minimal, 'require-approval': 'false', 'allow-forks': 'true', 'signing-key': key }))
    expect(settings).toMatchObject({ requireApproval: false, allowForks: true, signingKey: key })
    expect(errorFor({ ...minimal, 'require-approval': 'no' }).message).toBe(`Input 'require-approval' must be true or false; got "no"`)
  })

  it('refuses a short signing-key without repeating it', () => {
    const error = errorFor({ ...minimal, 'signing-key': 'hunter2-hunter2' })
    expect(error.input).toBe('signing-key')
    expect(error.message).toMatch(/at least 32 characters of random text .*openssl rand -base64 32.*; the one given has 15$/)
    expect(error.message).not.toContain('hunter2')
  })

  it('warns when an admin credential would cross the network over plain http://', () => {
    const instance = (side: string, url: string) => ({ side, url: new URL(url) })
    expect(
      plainHttpWarnings([
        instance('base', 'http://127.0.0.1:8055/'),
        instance('target', 'http://localhost:8055/'),
        instance('target', 'http://[::1]:8055/'),
        instance('target', 'https://staging.example.com/')
      ])
    ).toEqual([])
    expect(plainHttpWarnings([instance('target', 'http://staging.example.com/directus/')])).toEqual([
      expect.stringMatching(
        /^target-url is http:\/\/staging\.example\.com: the target's admin credential is sent over plain http:\/\/.*Use https:\/\/\.$/
      )
    ])
  })
})

describe('promote and config-overrides', () => {
  it('promotes the schema alone by default', () => {
    expect(readSettings(reader(minimal)).promote).toEqual({ schema: true, config: [] })
    expect(readSettings(reader(minimal)).configOverrides).toBeUndefined()
  })

  it('reads parts separated by commas and new lines, in the model order, without the schema unless named', () => {
    const settings = readSettings(reader({ ...minimal, promote: 'Flows,\n access , flows' }))
    expect(settings.promote).toEqual({ schema: false, config: ['access', 'flows'] })
    expect(readSettings(reader({ ...minimal, promote: 'settings, schema' })).promote).toEqual({ schema: true, config: ['settings'] })
  })

  it('reads all as the schema and every configuration part', () => {
    expect(readSettings(reader({ ...minimal, promote: 'all' })).promote).toEqual({
      schema: true,
      config: ['access', 'flows', 'dashboards', 'presets', 'translations', 'settings', 'folders']
    })
  })

  it('names an unknown part and lists the known ones', () => {
    const error = errorFor({ ...minimal, promote: 'schema, users' })
    expect(error.input).toBe('promote')
    expect(error.message).toContain('"users"')
    expect(error.message).toContain('schema, access, flows, dashboards, presets, translations, settings, folders, all')
  })

  it('refuses configuration from a committed snapshot, which holds the schema only', () => {
    const error = errorFor({ ...minimal, 'base-url': '', 'base-snapshot': 'schema/snapshot.yaml', promote: 'schema, flows' })
    expect(error.input).toBe('promote')
    expect(error.message).toMatch(/configuration \(flows\).*live base instance.*'base-url'/)
  })

  it('reads the overrides file relative to the workspace, and only with a configuration part', () => {
    const settings = readSettings(reader({ ...minimal, promote: 'flows', 'config-overrides': 'directus/overrides.yaml' }))
    expect(settings.configOverrides).toEqual({ path: 'directus/overrides.yaml', file: '/work/space/directus/overrides.yaml' })
    const error = errorFor({ ...minimal, 'config-overrides': 'directus/overrides.yaml' })
    expect(error.input).toBe('config-overrides')
    expect(error.message).toContain("'promote' names no configuration part")
  })
})

describe('scope, diff mode and snapshot files', () => {
  it('reads include-collections separated by commas and new lines, once each', () => {
    const settings = readSettings(
      reader({ ...minimal, 'include-collections': 'articles, authors\n tags,articles\n', 'diff-mode': 'Merge' })
    )
    expect(settings.scope).toEqual({ kind: 'include', collections: ['articles', 'authors', 'tags'] })
    expect(settings.mode).toBe('merge')
  })

  it('reads exclude-collections', () => {
    expect(readSettings(reader({ ...minimal, 'exclude-collections': 'logs' })).scope).toEqual({ kind: 'exclude', collections: ['logs'] })
  })

  it('takes a committed snapshot as the base, with no base credentials needed', () => {
    const settings = readSettings(reader({ ...minimal, 'base-url': '', 'base-token': '', 'base-snapshot': 'schema/snapshot.yaml' }))
    expect(settings.base).toEqual({ kind: 'file', path: 'schema/snapshot.yaml', file: '/work/space/schema/snapshot.yaml' })
  })

  it('reads command: snapshot with its file and scope, ignoring the target inputs', () => {
    const inputs = {
      ...minimal,
      command: 'snapshot',
      'snapshot-file': 'schema/snapshot.json',
      'exclude-collections': 'logs',
      'target-url': ''
    }
    expect(readCommand(reader(inputs))).toBe('snapshot')
    const settings = readSnapshotSettings(reader(inputs))
    expect(settings.snapshotFile).toEqual({ path: 'schema/snapshot.json', file: '/work/space/schema/snapshot.json' })
    expect(settings.scope).toEqual({ kind: 'exclude', collections: ['logs'] })
    expect(settings.base.url.href).toBe('https://dev.example.com/')
  })

  it.each([
    [{ 'snapshot-file': '' }, 'snapshot-file', /'snapshot-file' is required with 'command: snapshot'/],
    [{ 'base-snapshot': 'a.json' }, 'base-snapshot', /cannot be used with 'command: snapshot'/],
    [{ 'snapshot-file': 'snapshot.txt' }, 'snapshot-file', /\.json, \.yaml or \.yml/],
    [{ 'base-token': '' }, 'base-token', /No credentials for the base instance/]
  ])('command: snapshot rejects %j naming the input', (override, input, message) => {
    const error = errorFor({ ...minimal, command: 'snapshot', 'snapshot-file': 'schema.yaml', ...override }, readSnapshotSettings)
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  it('splits collection lists as Directus splits its query parameter', () => {
    expect(parseCollectionList('include-collections', '')).toEqual([])
    expect(parseCollectionList('include-collections', ' a ,b,,\nc ')).toEqual(['a', 'b', 'c'])
  })
})

describe('readDriftSettings', () => {
  const drift: Record<string, string> = {
    command: 'drift',
    'target-url': 'https://staging.example.com',
    'target-token': 'target-secret'
  }

  it('reads the target alone, with the documented defaults', () => {
    const settings = readDriftSettings(reader(drift))
    expect(settings).toMatchObject({
      command: 'drift',
      targetName: 'staging.example.com',
      issue: true,
      labels: [],
      failOnDrift: false,
      acceptBaseline: false,
      force: false,
      timeoutMs: 60_000
    })
    expect(settings.baseFile).toBeUndefined()
    expect(settings.target).toMatchObject({ side: 'target', auth: { kind: 'token', token: 'target-secret' } })
  })

  it('reads a committed snapshot, labels, fail-on-drift and issue', () => {
    const settings = readDriftSettings(
      reader({ ...drift, 'base-snapshot': 'directus/snapshot.yaml', labels: 'drift, ops\nops', 'fail-on-drift': 'true', issue: 'false' })
    )
    expect(settings.baseFile).toEqual({ path: 'directus/snapshot.yaml', file: '/work/space/directus/snapshot.yaml' })
    expect(settings.labels).toEqual(['drift', 'ops'])
    expect(settings.failOnDrift).toBe(true)
    expect(settings.issue).toBe(false)
  })

  it.each([
    [{ 'base-url': 'https://dev.example.com' }, 'base-url', /never with a live base, which is legitimately ahead of it/],
    [{ 'accept-baseline': 'true', 'base-snapshot': 'snap.json' }, 'accept-baseline', /the committed snapshot is the baseline/],
    [{ 'accept-baseline': 'true', issue: 'false' }, 'accept-baseline', /which 'issue: false' turns off/],
    [{ 'fail-on-drift': 'yes' }, 'fail-on-drift', /'fail-on-drift' must be true or false; got "yes"/],
    [{ labels: 'x'.repeat(51) }, 'labels', /at most 50 characters/],
    [{ 'expected-hash': 'abcdef123456' }, 'expected-hash', /cannot be used with 'command: drift'/],
    [{ 'target-token': '' }, 'target-token', /No credentials for the target instance/]
  ])('rejects %j naming the input', (extra, input, message) => {
    const error = errorFor({ ...drift, ...extra }, readDriftSettings)
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  it('is not read by readSettings', () => {
    expect(errorFor(drift).input).toBe('command')
  })
})
