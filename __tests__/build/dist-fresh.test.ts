import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '../..')

describe('the committed dist/', () => {
  it('is exactly what ncc builds from src/ now', () => {
    const out = mkdtempSync(join(tmpdir(), 'dsa-dist-'))
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', 'src/index.ts', '-o', out, '--license', 'licenses.txt', '--target', 'es2022', '--quiet'], {
        cwd: root,
        stdio: 'pipe'
      })
      const built = readdirSync(out).sort()
      expect(readdirSync(join(root, 'dist')).sort()).toEqual(built)
      for (const file of built) {
        const fresh = readFileSync(join(out, file), 'utf8')
        const committed = readFileSync(join(root, 'dist', file), 'utf8')
        // A mismatch means src/ changed without `npm run build`.
        expect({ file, same: committed === fresh }).toEqual({ file, same: true })
      }
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 120_000)
})
