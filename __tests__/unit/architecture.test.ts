/**
 * The layering of docs/architecture.md, enforced: every import in src/ is
 * checked against the table below, so a module that imports against the
 * layers fails here, with the file, the import and the rule it breaks.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const ROOT = resolve(import.meta.dirname, '../..')
const SRC = join(ROOT, 'src')

interface Import {
  /** The module as written: './x.js', 'undici', 'node:fs'. */
  specifier: string
  /** For relative imports: the target under src/, e.g. 'core/plan/changes.ts'. */
  target?: string
  typeOnly: boolean
}

/** Leaf modules: they import nothing of ours, and every layer may use them. */
const LEAVES = ['core/errors.ts', 'core/json.ts', 'core/wording.ts']

/** Pure logic: no I/O. It may use the values of these, and the types of anything in core/ or directus/. */
const PURE = ['core/plan/', 'core/guard/', 'core/config/']
const PURE_VALUES = ['core/plan/', 'core/guard/', 'core/config/', 'core/advice.ts', ...LEAVES]
const PURE_BUILTINS = ['node:crypto', 'node:zlib']
/** Parsers of a text format, no I/O: the overrides file is YAML or JSON. */
const PURE_PACKAGES: Readonly<Record<string, readonly string[]>> = { 'core/config/overrides.ts': ['yaml'] }

interface Layer {
  /** Path prefix under src/. */
  layer: string
  /** What its modules may import (path prefixes under src/), besides the leaves and their own layer. */
  may: string[]
  /** Packages it may not import, beyond '@actions/*' unless listed in allowPackages. */
  allowPackages?: string[]
}

/** Most specific first. */
const LAYERS: Layer[] = [
  { layer: 'http/', may: [], allowPackages: ['undici'] },
  // Configuration I/O reads and writes the pure configuration model's records.
  { layer: 'directus/config/', may: ['http/', 'directus/', 'core/config/'] },
  { layer: 'directus/', may: ['http/'], allowPackages: ['undici', '@directus/sdk', 'yaml'] },
  { layer: 'github/client.ts', may: ['github/', 'http/'], allowPackages: ['undici', '@actions/github'] },
  { layer: 'github/', may: ['http/'] },
  { layer: 'core/', may: ['directus/'] },
  {
    layer: 'report/',
    may: ['core/plan/', 'core/guard/', 'core/config/', 'core/planner.ts', 'core/settings.ts', 'directus/types.ts', 'directus/schema.ts']
  },
  { layer: 'inputs/', may: ['core/settings.ts', 'directus/client.ts', 'directus/schema.ts'] },
  { layer: 'cli/', may: ['core/', 'directus/', 'report/', 'inputs/', 'http/'], allowPackages: ['undici'] },
  { layer: 'action/workflow.ts', may: [], allowPackages: ['@actions/core'] },
  { layer: 'action/', may: ['core/', 'directus/', 'github/', 'report/', 'inputs/', 'http/'] }
]

/** Type-only imports the report may make of anything in core/ and directus/ (it renders their shapes). */
const REPORT_TYPES = ['core/', 'directus/']

/** Type-only: github/ reads the pull request's facts in the shape the guard decides on, which the guard defines. */
const GITHUB_TYPES = ['core/guard/pull-request.ts']

/** Only the shells (and the runner's context reader) see the environment. */
const MAY_READ_ENVIRONMENT = ['action/', 'cli/index.ts', 'cli/settings.ts', 'github/context.ts']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []
  )
}

function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true)
  const found: Import[] = []
  const add = (specifier: string, typeOnly: boolean) => {
    const target = specifier.startsWith('.')
      ? relative(SRC, resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
          .split('\\')
          .join('/')
      : undefined
    found.push({ specifier, typeOnly, ...(target ? { target } : {}) })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const named = clause?.namedBindings
      const allInlineTypes =
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        !clause?.name &&
        named.elements.every((element) => element.isTypeOnly)
      add(node.moduleSpecifier.text, clause?.isTypeOnly === true || allInlineTypes)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments
      if (argument && ts.isStringLiteral(argument)) add(argument.text, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function layerOf(module: string): Layer | undefined {
  return LAYERS.find((layer) => module.startsWith(layer.layer))
}

const startsWithAny = (path: string, prefixes: readonly string[]) => prefixes.some((prefix) => path.startsWith(prefix))

/** Why this import breaks the layering, or undefined. */
export function violation(module: string, imported: Import): string | undefined {
  const { specifier, target, typeOnly } = imported
  if (target === undefined) {
    if (specifier.startsWith('node:')) {
      return startsWithAny(module, PURE) && !PURE_BUILTINS.includes(specifier) ? `pure logic does no I/O (${specifier})` : undefined
    }
    const layer = layerOf(module)
    const allowed = layer?.allowPackages ?? []
    if (PURE_PACKAGES[module]?.includes(specifier)) return undefined
    if (startsWithAny(module, LEAVES) || startsWithAny(module, PURE)) return `${specifier}: pure and leaf modules use no packages`
    if (specifier.startsWith('@actions/') && !allowed.includes(specifier)) return `${specifier} is for the action's shell only`
    if (layer && (layer.layer === 'core/' || layer.layer === 'report/' || layer.layer === 'inputs/') && !allowed.includes(specifier)) {
      return `${specifier}: ${layer.layer} uses no packages`
    }
    return undefined
  }
  if (startsWithAny(module, LEAVES)) return `leaf modules import nothing of ours (${target})`
  if (LEAVES.includes(target)) return undefined
  if (startsWithAny(module, PURE)) {
    if (startsWithAny(target, PURE_VALUES)) return undefined
    if (typeOnly && startsWithAny(target, ['core/', 'directus/'])) return undefined
    return `pure logic may use only types from ${target}`
  }
  const layer = layerOf(module)
  if (!layer) return `${module} is in no layer of docs/architecture.md`
  const own = layer.layer.endsWith('/') ? layer.layer : layer.layer.replace(/[^/]*$/, '')
  if (target.startsWith(own) || startsWithAny(target, layer.may)) return undefined
  if (layer.layer === 'report/' && typeOnly && startsWithAny(target, REPORT_TYPES)) return undefined
  if (layer.layer === 'github/' && typeOnly && startsWithAny(target, GITHUB_TYPES)) return undefined
  return `${layer.layer} may not import ${target}`
}

describe('the layering of docs/architecture.md', () => {
  const modules = sourceFiles(SRC).map((file) => ({ file, module: relative(SRC, file).split('\\').join('/') }))

  it('places every module of src/ in a layer', () => {
    const orphans = modules.filter(({ module }) => !layerOf(module))
    expect(orphans.map(({ module }) => module)).toEqual([])
  })

  it('has no import against the layers', () => {
    const broken = modules.flatMap(({ file, module }) =>
      importsOf(file).flatMap((imported) => {
        const why = violation(module, imported)
        return why ? [`${module} imports '${imported.specifier}': ${why}`] : []
      })
    )
    expect(broken).toEqual([])
  })

  it('keeps the environment out of everything but the shells', () => {
    const readers = modules
      .filter(({ file }) => /process\.(env|cwd)\b/.test(readFileSync(file, 'utf8')))
      .map(({ module }) => module)
      .filter((module) => !startsWithAny(module, MAY_READ_ENVIRONMENT))
    expect(readers).toEqual([])
  })

  it('catches what it is meant to catch', () => {
    // The check itself must fail on the imports the layering forbids.
    expect(violation('core/apply.ts', { specifier: '@actions/core', typeOnly: false })).toMatch(/shell only/)
    expect(violation('core/apply.ts', { specifier: '../github/comments.js', target: 'github/comments.ts', typeOnly: false })).toMatch(
      /may not import github/
    )
    expect(violation('directus/client.ts', { specifier: '../inputs/read.js', target: 'inputs/read.ts', typeOnly: true })).toMatch(
      /may not import inputs/
    )
    expect(
      violation('core/plan/changes.ts', { specifier: '../../directus/schema.js', target: 'directus/schema.ts', typeOnly: false })
    ).toMatch(/only types/)
    expect(violation('core/guard/record.ts', { specifier: 'node:fs', typeOnly: false })).toMatch(/no I\/O/)
    expect(violation('report/markdown.ts', { specifier: '../github/publish.js', target: 'github/publish.ts', typeOnly: false })).toMatch(
      /may not import/
    )
    expect(violation('github/publish.ts', { specifier: '@actions/core', typeOnly: false })).toMatch(/shell only/)
    expect(violation('cli/main.ts', { specifier: '../action/runner.js', target: 'action/runner.ts', typeOnly: false })).toMatch(
      /may not import/
    )
    expect(violation('core/json.ts', { specifier: './errors.js', target: 'core/errors.ts', typeOnly: false })).toMatch(/leaf/)
    expect(violation('core/apply.ts', { specifier: './errors.js', target: 'core/errors.ts', typeOnly: false })).toBeUndefined()
  })
})
