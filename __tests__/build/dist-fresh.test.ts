import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BUNDLES } from '../../scripts/build.mjs'

const root = resolve(import.meta.dirname, '../..')

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .sort()
}

describe('the committed dist/', () => {
  it('is exactly what `npm run build` makes from src/ now, chunks and licenses included', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } }
    expect(pkg.scripts.build).toBe('node scripts/build.mjs')
    expect(BUNDLES.map((bundle) => bundle.entry)).toEqual(['src/action/index.ts', 'src/cli/index.ts'])
    const out = mkdtempSync(join(tmpdir(), 'dsa-dist-'))
    try {
      execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--out', out], { cwd: root, stdio: 'pipe' })
      const built = filesUnder(out)
      expect(built).toEqual(expect.arrayContaining(['index.js', 'licenses.txt', 'cli/index.js', 'cli/licenses.txt']))
      expect(filesUnder(join(root, 'dist'))).toEqual(built)
      for (const file of built) {
        const fresh = readFileSync(join(out, file), 'utf8')
        const committed = readFileSync(join(root, 'dist', file), 'utf8')
        // A mismatch means src/ changed without `npm run build`.
        expect({ file, same: committed === fresh }).toEqual({ file, same: true })
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 240_000)

  it('lists every bundled package once in each licenses.txt, in the order ncc writes them', () => {
    for (const dir of ['dist', 'dist/cli']) {
      const text = readFileSync(join(root, dir, 'licenses.txt'), 'utf8')
      const names = [
        ...text.matchAll(/(?:^|\n\n)((?:@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*)\n(?:MIT|ISC|Apache-2\.0|BSD-[23]-Clause)\n/g)
      ].map((match) => match[1])
      expect(names).toEqual([...new Set(names)].sort((a, b) => (a! < b! ? -1 : 1)))
      expect(names).toEqual(
        expect.arrayContaining(
          dir === 'dist' ? ['undici', '@directus/sdk', '@actions/github', 'yaml'] : ['undici', '@directus/sdk', 'yaml']
        )
      )
      expect(readdirSync(join(root, dir)).filter((file) => /^licenses-/.test(file))).toEqual([])
    }
  })

  it('starts the command line bundle with a shebang, as an executable `bin`', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    const bin = pkg.bin['directus-schema-action']
    expect(bin).toBe('dist/cli/index.js')
    expect(readFileSync(join(root, bin!), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    // Git keeps the mode, so a clone can run it directly.
    const mode = execFileSync('git', ['ls-files', '-s', bin!], { cwd: root, encoding: 'utf8' }).split(' ')[0]
    expect(mode).toBe('100755')
  })
})
