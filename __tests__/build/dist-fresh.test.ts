import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js')

/**
 * The bundles exactly as `npm run build` makes them: every `ncc build … -o DIR …`
 * of the build script, so a new bundle there is covered here without a change.
 */
function buildCommands(): string[][] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } }
  return pkg.scripts.build.split('&&').map((command) => command.trim().split(/\s+/))
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => statSync(join(dir, path)).isFile())
    .sort()
}

describe('the committed dist/', () => {
  it('is exactly what ncc builds from src/ now, for every bundle of the build script', () => {
    const out = mkdtempSync(join(tmpdir(), 'dsa-dist-'))
    try {
      const commands = buildCommands()
      expect(commands.map((command) => command[2])).toEqual(['src/action/index.ts', 'src/cli/index.ts'])
      for (const [tool, ...args] of commands) {
        expect(tool).toBe('ncc')
        const outIndex = args.indexOf('-o') + 1
        expect(outIndex).toBeGreaterThan(0)
        const built = join(out, relative('dist', args[outIndex] ?? ''))
        const fresh = args.map((arg, index) => (index === outIndex ? built : arg))
        execFileSync(process.execPath, [ncc, ...fresh, '--quiet'], { cwd: root, stdio: 'pipe' })
      }
      const built = filesUnder(out)
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
