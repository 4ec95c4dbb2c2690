// `npm run build`: the two bundles, made with @vercel/ncc from src/ into dist/ (the action) and dist/cli/ (the
// command line), each with one licenses.txt of the packages bundled in it.
//
//   node scripts/build.mjs [--out DIR]      (default: dist; the dist/ test builds into a temporary directory)
//
// Code loaded only when it is used (the GitHub client, the YAML library) is split into chunk files
// (`<id>.index.js`) next to index.js. ncc then writes one license file per chunk, so each bundle is built with
// `licenses-[name].txt` and those files are merged here into one licenses.txt, as ncc writes it for an unsplit
// bundle: every package once, sorted by name, each as its name, license id and license text (trailing blank
// lines dropped), one blank line between packages.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const NCC = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js')

/** Entry point and output directory (under --out) of each bundle. */
export const BUNDLES = [
  { entry: 'src/action/index.ts', dir: '.' },
  { entry: 'src/cli/index.ts', dir: 'cli' }
]

const CHUNK_LICENSES = /^licenses-[^/]+\.txt$/

/** @param {string} out */
export function build(out) {
  // Everything under `out` is made here; a chunk of an earlier build must not linger.
  rmSync(out, { recursive: true, force: true })
  const names = packageNames(join(root, 'node_modules'))
  for (const bundle of BUNDLES) {
    const dir = join(out, bundle.dir)
    const ncc = spawnSync(
      process.execPath,
      [NCC, 'build', bundle.entry, '-o', dir, '--license', 'licenses-[name].txt', '--target', 'es2022', '--quiet'],
      { cwd: root, encoding: 'utf8' }
    )
    if (ncc.status !== 0) throw new Error(`ncc build ${bundle.entry} failed:\n${ncc.stdout}${ncc.stderr}`)
    mergeLicenses(dir, names)
  }
}

/**
 * The chunks' license files as one licenses.txt. ncc's format, per package: its name, its license id, its
 * license text, packages separated by a blank line and sorted by name. An entry starts at a line that follows a
 * blank line (or starts the file), is the name of an installed package, and is followed by that package's
 * license id: license texts have blank lines too, but never that.
 * @param {string} dir @param {Map<string, Set<string>>} names package name -> license ids found for it
 */
function mergeLicenses(dir, names) {
  /** @type {Map<string, string>} */
  const entries = new Map()
  for (const file of readdirSync(dir).filter((name) => CHUNK_LICENSES.test(name))) {
    const lines = readFileSync(join(dir, file), 'utf8').replace(/\n$/, '').split('\n')
    /** @type {{ name: string, lines: string[] } | undefined} */
    let entry
    const flush = () => {
      if (!entry) return
      const text = entry.lines.join('\n').replace(/\n+$/, '')
      const known = entries.get(entry.name)
      if (known !== undefined && known !== text) throw new Error(`${file}: two different license entries for ${entry.name}`)
      entries.set(entry.name, text)
    }
    lines.forEach((line, index) => {
      const startsEntry = (index === 0 || lines[index - 1] === '') && names.get(line)?.has(lines[index + 1] ?? '')
      if (startsEntry) {
        flush()
        entry = { name: line, lines: [line] }
      } else if (entry) {
        entry.lines.push(line)
      } else {
        throw new Error(`${file}: line ${index + 1} is not inside a package's license entry`)
      }
    })
    flush()
    rmSync(join(dir, file))
  }
  // As ncc sorts: by name, in code-unit order.
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : 1))
  writeFileSync(join(dir, 'licenses.txt'), `${sorted.map(([, text]) => text).join('\n\n').trim()}\n`)
}

/**
 * Every package installed under node_modules (nested ones included), with the license ids its package.json
 * can give (`license`, or the type of a `license` object).
 * @param {string} modules
 * @returns {Map<string, Set<string>>}
 */
function packageNames(modules, found = new Map()) {
  if (!existsSync(modules)) return found
  for (const name of readdirSync(modules)) {
    if (name.startsWith('.')) continue
    const dirs = name.startsWith('@') ? readdirSync(join(modules, name)).map((inner) => join(modules, name, inner)) : [join(modules, name)]
    for (const dir of dirs) {
      const manifest = join(dir, 'package.json')
      if (!existsSync(manifest)) continue
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
      const license = typeof pkg.license === 'string' ? pkg.license : pkg.license?.type
      if (typeof pkg.name === 'string' && typeof license === 'string') {
        if (!found.has(pkg.name)) found.set(pkg.name, new Set())
        found.get(pkg.name).add(license)
      }
      packageNames(join(dir, 'node_modules'), found)
    }
  }
  return found
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } })
  build(resolve(root, values.out))
}
