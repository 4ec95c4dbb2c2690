import { assertDiffable, assertInputsHonoured, assertSupportedServer, UnsupportedServerError } from '../../src/core/compatibility.js'
import { formatBytes, isBodyTooLarge } from '../../src/directus/schema.js'
import { DirectusError } from '../../src/directus/client.js'
import { hasScopeAndMode, parseVersion } from '../../src/directus/versions.js'
import { InputError } from '../../src/core/errors.js'
import type { SchemaSnapshot } from '../../src/directus/types.js'

/** The live base instance: no baseFile. */
const instance = {}
const file = { baseFile: { path: 'schema/snapshot.yaml', file: '/work/schema/snapshot.yaml' } }

function inputErrorOf(work: () => void): InputError {
  try {
    work()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('versions', () => {
  it('parses Directus versions and knows what 12.2 added', () => {
    expect(parseVersion('12.4.0')).toEqual({ text: '12.4.0', major: 12, minor: 4, patch: 0 })
    expect(parseVersion('11.17.4-rc.1')?.minor).toBe(17)
    expect(parseVersion('latest')).toBeUndefined()
    expect(hasScopeAndMode(parseVersion('12.2.0'))).toBe(true)
    expect(hasScopeAndMode(parseVersion('12.1.9'))).toBe(false)
    expect(hasScopeAndMode(parseVersion('11.17.4'))).toBe(false)
    expect(hasScopeAndMode(undefined)).toBe(false)
  })

  it.each(['10.13.1', '9.26.0', '13.0.0'])('refuses a %s server, naming the supported range', (version) => {
    expect(() => assertSupportedServer('target', 'db.example.com', version)).toThrow(UnsupportedServerError)
    expect(() => assertSupportedServer('target', 'db.example.com', version)).toThrow(
      new RegExp(`^target \\(db\\.example\\.com\\) runs Directus ${version.replace(/\./g, '\\.')}, .*supports Directus 11\\.x and 12\\.x`)
    )
  })

  it.each(['11.0.0', '11.17.4', '12.4.0', undefined])('accepts %s', (version) => {
    expect(() => assertSupportedServer('base', 'dev.example.com', version)).not.toThrow()
  })
})

describe('inputs a server would silently ignore are refused', () => {
  it('refuses merge on a target before 12.2', () => {
    const error = inputErrorOf(() => assertInputsHonoured({ ...instance, mode: 'merge' }, { base: '12.4.0', target: '11.17.4' }))
    expect(error.input).toBe('diff-mode')
    expect(error.message).toMatch(
      /needs Directus 12\.2 or later on the target; the target runs Directus 11\.17\.4, which would ignore 'merge' and diff as mirror, deletions included/
    )
  })

  it('refuses a scope on a base before 12.2, and on a target before 12.2', () => {
    const scope = { kind: 'include' as const, collections: ['articles'] }
    expect(inputErrorOf(() => assertInputsHonoured({ ...instance, scope }, { base: '12.1.0', target: '12.4.0' })).message).toMatch(
      /'include-collections' needs Directus 12\.2 or later on the base; the base runs Directus 12\.1\.0, which would ignore it/
    )
    expect(inputErrorOf(() => assertInputsHonoured({ ...file, scope }, { target: '11.17.4' })).message).toMatch(
      /on the target; the target runs Directus 11\.17\.4/
    )
    expect(() => assertInputsHonoured({ ...file, scope }, { target: '12.2.0' })).not.toThrow()
    expect(() => assertInputsHonoured({ ...instance, scope, mode: 'merge' }, { base: '12.4.0', target: '12.4.0' })).not.toThrow()
  })

  it('refuses when the version is unknown rather than guess', () => {
    expect(inputErrorOf(() => assertInputsHonoured({ ...instance, mode: 'merge' }, {})).message).toMatch(/did not report its version/)
  })

  it('lets mirror without scope through on any version', () => {
    expect(() => assertInputsHonoured({ ...instance, mode: 'mirror' }, { base: '11.0.0', target: '11.0.0' })).not.toThrow()
  })

  it('refuses a committed partial snapshot for a target before 12.2', () => {
    const partial = { version: 2, directus: '12.4.0', collections: [], fields: [], relations: [] } as SchemaSnapshot
    expect(inputErrorOf(() => assertDiffable(partial, '11.17.4', true)).input).toBe('base-snapshot')
    expect(() => assertDiffable(partial, '12.4.0', true)).not.toThrow()
    expect(() => assertDiffable({ ...partial, version: 1 }, '11.17.4', true)).not.toThrow()
  })
})

describe('body size refusals', () => {
  it('recognises Directus’ and proxies’ size refusals, and nothing else', () => {
    const error = (status: number, reason: string) => new DirectusError('target', 'h', 'POST /schema/diff', reason, status)
    expect(isBodyTooLarge(error(400, 'request entity too large'))).toBe(true)
    expect(isBodyTooLarge(error(413, 'Uploaded content is too large.'))).toBe(true)
    expect(isBodyTooLarge(error(413, 'unexpected text/html answer: 413 Request Entity Too Large nginx'))).toBe(true)
    expect(isBodyTooLarge(error(400, 'Invalid payload. "version" must be [1].'))).toBe(false)
    expect(isBodyTooLarge(new Error('request entity too large'))).toBe(false)
  })

  it('says sizes in bytes and binary units', () => {
    expect(formatBytes(900)).toBe('900 bytes')
    expect(formatBytes(6_838_370)).toBe('6.5 MiB (6838370 bytes)')
  })
})
