// @ts-check
/**
 * A deliberately small GraphQL subset for the GitHub stand-in: enough to
 * parse, validate and execute the handful of query shapes the action sends
 * to POST /graphql, against a hand-written schema excerpt. It is not a
 * GraphQL engine:
 *
 *   - one operation per document, `query` only (no mutations/subscriptions);
 *   - fields, aliases, arguments, variables (with defaults), nested
 *     selections, `__typename`;
 *   - no fragments (named or inline), no directives: those answer an error
 *     with extensions.code "standinUnsupported", so a test that starts
 *     using them fails loudly instead of getting a made-up answer.
 *
 * Validation errors are shaped like GitHub's (graphql-ruby): a 200 answer
 * `{ errors: [{ path, extensions: { code, ... }, locations, message }] }`
 * without `data`. Execution errors (say NOT_FOUND) come with `data`
 * holding null where the field failed, and `errors: [{ type, path,
 * locations, message }]`. Message texts are close to GitHub's but are not
 * a contract: code under test must not parse them.
 */

/**
 * @typedef {{ line: number, column: number }} Loc
 * @typedef {{ kind: 'var', name: string, loc: Loc } | { kind: 'int', value: number, loc: Loc } | { kind: 'float', value: number, loc: Loc }
 *   | { kind: 'string', value: string, loc: Loc } | { kind: 'bool', value: boolean, loc: Loc } | { kind: 'null', loc: Loc }
 *   | { kind: 'enum', value: string, loc: Loc } | { kind: 'list', values: ValueNode[], loc: Loc }
 *   | { kind: 'object', fields: Array<{ name: string, value: ValueNode }>, loc: Loc }} ValueNode
 * @typedef {{ alias?: string, name: string, args: Array<{ name: string, value: ValueNode, loc: Loc }>, selections?: FieldNode[], loc: Loc }} FieldNode
 * @typedef {{ name: string, type: string, defaultValue?: ValueNode, loc: Loc }} VariableDef
 * @typedef {{ operation: 'query', name?: string, variableDefs: VariableDef[], selections: FieldNode[], loc: Loc }} Operation
 * @typedef {{ message: string, locations?: Loc[], path?: Array<string | number>, extensions?: Record<string, unknown>, type?: string }} GraphQLError
 */

export class GraphQLSyntaxError extends Error {
  /** @param {string} message @param {Loc} loc @param {string} [code] */
  constructor(message, loc, code) {
    super(message)
    this.loc = loc
    this.code = code
  }
}

/** An error a resolver throws: the field becomes null and the error is reported with its path. */
export class FieldError extends Error {
  /** @param {string} type e.g. NOT_FOUND, FORBIDDEN @param {string} message */
  constructor(type, message) {
    super(message)
    this.type = type
  }
}

/**
 * @param {string} text
 * @returns {Array<{ kind: string, value: string, loc: Loc }>}
 */
function tokenize(text) {
  /** @type {Array<{ kind: string, value: string, loc: Loc }>} */
  const out = []
  let i = 0
  let line = 1
  let lineStart = 0
  const loc = () => ({ line, column: i - lineStart + 1 })
  while (i < text.length) {
    const c = text[i]
    if (c === '\n') {
      i++
      line++
      lineStart = i
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\ufeff') {
      i++
      continue
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++
      continue
    }
    const at = loc()
    if (text.startsWith('...', i)) {
      out.push({ kind: 'punct', value: '...', loc: at })
      i += 3
      continue
    }
    if ('{}():!$=[]@'.includes(/** @type {string} */ (c))) {
      out.push({ kind: 'punct', value: /** @type {string} */ (c), loc: at })
      i++
      continue
    }
    if (c === '"') {
      if (text.startsWith('"""', i)) throw new GraphQLSyntaxError('Block strings are not supported by the stand-in', at, 'standinUnsupported')
      let s = ''
      i++
      for (;;) {
        const d = text[i]
        if (d === undefined || d === '\n') throw new GraphQLSyntaxError('Unterminated string', at)
        if (d === '"') {
          i++
          break
        }
        if (d === '\\') {
          const e = text[i + 1]
          const map = /** @type {Record<string, string>} */ ({ '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' })
          if (e === 'u') {
            s += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16))
            i += 6
          } else if (e !== undefined && map[e] !== undefined) {
            s += map[e]
            i += 2
          } else throw new GraphQLSyntaxError('Invalid escape in string', at)
          continue
        }
        s += d
        i++
      }
      out.push({ kind: 'string', value: s, loc: at })
      continue
    }
    const num = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i))
    if (num && /[-\d]/.test(/** @type {string} */ (c))) {
      out.push({ kind: num[1] || num[2] ? 'float' : 'int', value: num[0], loc: at })
      i += num[0].length
      continue
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(text.slice(i))
    if (name) {
      out.push({ kind: 'name', value: name[0], loc: at })
      i += name[0].length
      continue
    }
    throw new GraphQLSyntaxError(`Parse error on "${c}"`, at)
  }
  out.push({ kind: 'eof', value: '', loc: loc() })
  return out
}

/**
 * Parse a document holding one `query` operation.
 * @param {string} text
 * @returns {Operation}
 */
export function parse(text) {
  const tokens = tokenize(text)
  let p = 0
  const peek = () => /** @type {{ kind: string, value: string, loc: Loc }} */ (tokens[p])
  const next = () => /** @type {{ kind: string, value: string, loc: Loc }} */ (tokens[p++])
  /** @param {string} v */
  const isPunct = (v) => peek().kind === 'punct' && peek().value === v
  /** @param {string} v */
  const expectPunct = (v) => {
    const t = next()
    if (t.kind !== 'punct' || t.value !== v) {
      throw new GraphQLSyntaxError(`Parse error on ${t.kind === 'eof' ? 'end of input' : JSON.stringify(t.value)} (expected "${v}")`, t.loc)
    }
    return t
  }
  const expectName = () => {
    const t = next()
    if (t.kind !== 'name') throw new GraphQLSyntaxError(`Parse error on ${t.kind === 'eof' ? 'end of input' : JSON.stringify(t.value)} (expected a name)`, t.loc)
    return t
  }

  /** @returns {ValueNode} */
  const value = () => {
    const t = peek()
    if (t.kind === 'punct' && t.value === '$') {
      next()
      return { kind: 'var', name: expectName().value, loc: t.loc }
    }
    if (t.kind === 'int') return next(), { kind: 'int', value: Number(t.value), loc: t.loc }
    if (t.kind === 'float') return next(), { kind: 'float', value: Number(t.value), loc: t.loc }
    if (t.kind === 'string') return next(), { kind: 'string', value: t.value, loc: t.loc }
    if (t.kind === 'name') {
      next()
      if (t.value === 'true' || t.value === 'false') return { kind: 'bool', value: t.value === 'true', loc: t.loc }
      if (t.value === 'null') return { kind: 'null', loc: t.loc }
      return { kind: 'enum', value: t.value, loc: t.loc }
    }
    if (t.kind === 'punct' && t.value === '[') {
      next()
      /** @type {ValueNode[]} */
      const values = []
      while (!isPunct(']')) values.push(value())
      next()
      return { kind: 'list', values, loc: t.loc }
    }
    if (t.kind === 'punct' && t.value === '{') {
      next()
      /** @type {Array<{ name: string, value: ValueNode }>} */
      const fields = []
      while (!isPunct('}')) {
        const n = expectName().value
        expectPunct(':')
        fields.push({ name: n, value: value() })
      }
      next()
      return { kind: 'object', fields, loc: t.loc }
    }
    throw new GraphQLSyntaxError(`Parse error on ${t.kind === 'eof' ? 'end of input' : JSON.stringify(t.value)} (expected a value)`, t.loc)
  }

  const typeRef = () => {
    /** @type {string} */
    let s
    if (isPunct('[')) {
      next()
      s = `[${typeRef()}]`
      expectPunct(']')
    } else s = expectName().value
    if (isPunct('!')) {
      next()
      s += '!'
    }
    return s
  }

  /** @returns {FieldNode[]} */
  const selectionSet = () => {
    expectPunct('{')
    /** @type {FieldNode[]} */
    const out = []
    while (!isPunct('}')) {
      const t = peek()
      if (t.kind === 'punct' && t.value === '...') {
        throw new GraphQLSyntaxError('Fragments are not supported by the stand-in', t.loc, 'standinUnsupported')
      }
      const first = expectName()
      /** @type {string | undefined} */
      let alias
      let name = first.value
      if (isPunct(':')) {
        next()
        alias = first.value
        name = expectName().value
      }
      /** @type {FieldNode['args']} */
      const args = []
      if (isPunct('(')) {
        next()
        while (!isPunct(')')) {
          const a = expectName()
          expectPunct(':')
          args.push({ name: a.value, value: value(), loc: a.loc })
        }
        next()
      }
      if (isPunct('@')) throw new GraphQLSyntaxError('Directives are not supported by the stand-in', peek().loc, 'standinUnsupported')
      /** @type {FieldNode} */
      const field = { name, args, loc: first.loc }
      if (alias !== undefined) field.alias = alias
      if (isPunct('{')) field.selections = selectionSet()
      out.push(field)
    }
    next()
    if (out.length === 0) throw new GraphQLSyntaxError('Parse error on "}" (empty selection set)', peek().loc)
    return out
  }

  const start = peek()
  /** @type {Operation} */
  let op
  if (start.kind === 'punct' && start.value === '{') {
    op = { operation: 'query', variableDefs: [], selections: selectionSet(), loc: start.loc }
  } else if (start.kind === 'name' && start.value === 'query') {
    next()
    /** @type {string | undefined} */
    let name
    if (peek().kind === 'name') name = next().value
    /** @type {VariableDef[]} */
    const variableDefs = []
    if (isPunct('(')) {
      next()
      while (!isPunct(')')) {
        const d = expectPunct('$')
        const n = expectName().value
        expectPunct(':')
        /** @type {VariableDef} */
        const def = { name: n, type: typeRef(), loc: d.loc }
        if (isPunct('=')) {
          next()
          def.defaultValue = value()
        }
        variableDefs.push(def)
      }
      next()
    }
    if (isPunct('@')) throw new GraphQLSyntaxError('Directives are not supported by the stand-in', peek().loc, 'standinUnsupported')
    op = { operation: 'query', variableDefs, selections: selectionSet(), loc: start.loc }
    if (name !== undefined) op.name = name
  } else if (start.kind === 'name' && (start.value === 'mutation' || start.value === 'subscription')) {
    throw new GraphQLSyntaxError(`${start.value} operations are not supported by the stand-in`, start.loc, 'standinUnsupported')
  } else if (start.kind === 'name' && start.value === 'fragment') {
    throw new GraphQLSyntaxError('Fragments are not supported by the stand-in', start.loc, 'standinUnsupported')
  } else {
    throw new GraphQLSyntaxError(`Parse error on ${start.kind === 'eof' ? 'end of input' : JSON.stringify(start.value)}`, start.loc)
  }
  const rest = peek()
  if (rest.kind !== 'eof') {
    throw new GraphQLSyntaxError('Only one operation per document is supported by the stand-in', rest.loc, 'standinUnsupported')
  }
  return op
}

/**
 * @typedef {{ type: string, args?: Record<string, string>, resolve?: (parent: any, args: Record<string, any>, ctx: any) => unknown }} FieldDef
 * @typedef {{ kind: 'object', fields: Record<string, FieldDef> } | { kind: 'interface', fields: Record<string, FieldDef>, resolveType: (value: any) => string }
 *   | { kind: 'enum', values: string[] } | { kind: 'scalar' }} TypeDef
 * @typedef {Record<string, TypeDef>} Schema
 */

/** @param {string} t */
const named = (t) => t.replace(/[[\]!]/g, '')
/** @param {string} t */
const isList = (t) => t.replace(/!$/, '').startsWith('[')

/**
 * Coerce a literal or variable to an input type.
 * @param {ValueNode} node @param {string} type @param {Record<string, unknown>} vars @param {Schema} schema
 * @returns {{ ok: true, value: unknown } | { ok: false }}
 */
function coerce(node, type, vars, schema) {
  if (node.kind === 'var') return { ok: true, value: vars[node.name] ?? null }
  const nonNull = type.endsWith('!')
  const base = nonNull ? type.slice(0, -1) : type
  if (node.kind === 'null') return nonNull ? { ok: false } : { ok: true, value: null }
  if (base.startsWith('[')) {
    const inner = base.slice(1, -1)
    const items = node.kind === 'list' ? node.values : [node]
    /** @type {unknown[]} */
    const out = []
    for (const it of items) {
      const c = coerce(it, inner, vars, schema)
      if (!c.ok) return c
      out.push(c.value)
    }
    return { ok: true, value: out }
  }
  switch (base) {
    case 'Int':
      return node.kind === 'int' && Math.abs(node.value) <= 2147483647 ? { ok: true, value: node.value } : { ok: false }
    case 'Float':
      return node.kind === 'int' || node.kind === 'float' ? { ok: true, value: node.value } : { ok: false }
    case 'Boolean':
      return node.kind === 'bool' ? { ok: true, value: node.value } : { ok: false }
    case 'ID':
      return node.kind === 'string' || node.kind === 'int' ? { ok: true, value: String(node.value) } : { ok: false }
    case 'String':
    case 'URI':
    case 'DateTime':
    case 'GitObjectID':
      return node.kind === 'string' ? { ok: true, value: node.value } : { ok: false }
    default: {
      const def = schema[base]
      if (def?.kind === 'enum') return node.kind === 'enum' && def.values.includes(node.value) ? { ok: true, value: node.value } : { ok: false }
      return { ok: false }
    }
  }
}

/**
 * Check a runtime variable value against its declared type (shallowly).
 * @param {unknown} v @param {string} type @param {Schema} schema
 * @returns {boolean}
 */
function variableFits(v, type, schema) {
  const nonNull = type.endsWith('!')
  const base = nonNull ? type.slice(0, -1) : type
  if (v === null || v === undefined) return !nonNull
  if (base.startsWith('[')) return Array.isArray(v) && v.every((x) => variableFits(x, base.slice(1, -1), schema))
  switch (base) {
    case 'Int':
      return Number.isInteger(v) && Math.abs(/** @type {number} */ (v)) <= 2147483647
    case 'Float':
      return typeof v === 'number'
    case 'Boolean':
      return typeof v === 'boolean'
    case 'ID':
      return typeof v === 'string' || Number.isInteger(v)
    case 'String':
    case 'URI':
    case 'DateTime':
    case 'GitObjectID':
      return typeof v === 'string'
    default: {
      const def = schema[base]
      return def?.kind === 'enum' && typeof v === 'string' && def.values.includes(v)
    }
  }
}

/** @param {ValueNode} n @returns {string} */
const printValue = (n) => {
  switch (n.kind) {
    case 'var':
      return `$${n.name}`
    case 'string':
      return JSON.stringify(n.value)
    case 'null':
      return 'null'
    case 'list':
      return `[${n.values.map(printValue).join(', ')}]`
    case 'object':
      return `{${n.fields.map((f) => `${f.name}: ${printValue(f.value)}`).join(', ')}}`
    default:
      return String(n.value)
  }
}

/**
 * Validate, then execute, an operation.
 * @param {{ schema: Schema, text: unknown, variables: unknown, ctx: any }} o
 * @returns {{ data?: unknown, errors?: GraphQLError[] }}
 */
export function run({ schema, text, variables, ctx }) {
  if (typeof text !== 'string' || text.trim() === '') {
    return { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }
  }
  /** @type {Operation} */
  let op
  try {
    op = parse(text)
  } catch (err) {
    if (err instanceof GraphQLSyntaxError) {
      /** @type {GraphQLError} */
      const e = { message: err.message, locations: [err.loc] }
      if (err.code) e.extensions = { code: err.code }
      return { errors: [e] }
    }
    throw err
  }
  const vars = variables && typeof variables === 'object' && !Array.isArray(variables) ? /** @type {Record<string, unknown>} */ (variables) : {}
  const opName = op.name ? `query '${op.name}'` : 'anonymous query'

  /** @type {GraphQLError[]} */
  const errors = []
  /** @type {Record<string, unknown>} */
  const resolvedVars = {}
  const declared = new Map(op.variableDefs.map((d) => [d.name, d]))
  for (const d of op.variableDefs) {
    const t = named(d.type)
    if (!['Int', 'Float', 'Boolean', 'ID', 'String', 'URI', 'DateTime', 'GitObjectID'].includes(t) && schema[t]?.kind !== 'enum') {
      errors.push({
        path: [op.name ? `query ${op.name}` : 'query'],
        extensions: { code: 'variableRequiresValidType', typeName: t, variableName: d.name },
        locations: [d.loc],
        message: `${t} isn't a valid input type (on $${d.name})`
      })
      continue
    }
    let v = Object.hasOwn(vars, d.name) ? vars[d.name] : undefined
    if (v === undefined && d.defaultValue) {
      const c = coerce(d.defaultValue, d.type, {}, schema)
      v = c.ok ? c.value : undefined
    }
    if (!variableFits(v, d.type, schema)) {
      errors.push({
        extensions: { value: v ?? null, problems: [{ path: [], explanation: v === undefined || v === null ? 'Expected value to not be null' : `Could not coerce value ${JSON.stringify(v)} to ${named(d.type)}` }] },
        locations: [d.loc],
        message: `Variable $${d.name} of type ${d.type} was provided invalid value`
      })
      continue
    }
    resolvedVars[d.name] = v ?? null
  }

  // Static validation of the selection against the schema.
  /** @param {FieldNode[]} sels @param {string} typeName @param {string[]} path */
  const validate = (sels, typeName, path) => {
    const def = /** @type {TypeDef} */ (schema[typeName])
    const fields = def.kind === 'object' || def.kind === 'interface' ? def.fields : {}
    for (const f of sels) {
      const here = [...path, f.alias ?? f.name]
      if (f.name === '__typename') {
        if (f.selections) errors.push(selectionsOnScalar(f, 'String!', here))
        continue
      }
      const fd = fields[f.name]
      if (!fd) {
        errors.push({
          path: here,
          extensions: { code: 'undefinedField', typeName, fieldName: f.name },
          locations: [f.loc],
          message: `Field '${f.name}' doesn't exist on type '${typeName}'`
        })
        continue
      }
      const argDefs = fd.args ?? {}
      for (const a of f.args) {
        const at = argDefs[a.name]
        if (!at) {
          errors.push({
            path: [...here, a.name],
            extensions: { code: 'argumentNotAccepted', name: f.name, typeName: 'Field', argumentName: a.name },
            locations: [a.loc],
            message: `Field '${f.name}' doesn't accept argument '${a.name}'`
          })
          continue
        }
        if (a.value.kind === 'var') {
          if (!declared.has(a.value.name)) {
            errors.push({
              path: [...here, a.name],
              extensions: { code: 'variableNotDefined', variableName: a.value.name },
              locations: [a.value.loc],
              message: `Variable $${a.value.name} is used by ${opName} but not declared`
            })
          }
          continue
        }
        if (!coerce(a.value, at, resolvedVars, schema).ok) {
          errors.push({
            path: [...here, a.name],
            extensions: { code: 'argumentLiteralsIncompatible', typeName: 'Field', argumentName: a.name },
            locations: [a.loc],
            message: `Argument '${a.name}' on Field '${f.name}' has an invalid value (${printValue(a.value)}). Expected type '${at}'.`
          })
        }
      }
      const missing = Object.entries(argDefs)
        .filter(([n, t]) => t.endsWith('!') && !f.args.some((a) => a.name === n))
        .map(([n]) => n)
      if (missing.length) {
        errors.push({
          path: here,
          extensions: { code: 'missingRequiredArguments', className: 'Field', name: f.name, arguments: missing.join(', ') },
          locations: [f.loc],
          message: `Field '${f.name}' is missing required arguments: ${missing.join(', ')}`
        })
      }
      const tn = named(fd.type)
      const td = schema[tn]
      const composite = td?.kind === 'object' || td?.kind === 'interface'
      if (composite && !f.selections) {
        errors.push({
          path: here,
          extensions: { code: 'selectionMismatch', nodeName: `field '${f.name}'` },
          locations: [f.loc],
          message: `Field must have selections (field '${f.name}' returns ${tn} but has no selections. Did you mean '${f.name} { ... }'?)`
        })
      } else if (!composite && f.selections) {
        errors.push(selectionsOnScalar(f, fd.type, here))
      } else if (composite && f.selections) {
        validate(f.selections, tn, here)
      }
    }
  }
  /** @param {FieldNode} f @param {string} type @param {Array<string | number>} path @returns {GraphQLError} */
  const selectionsOnScalar = (f, type, path) => ({
    path,
    extensions: { code: 'selectionMismatch', nodeName: `field '${f.name}'` },
    locations: [f.loc],
    message: `Selections can't be made on scalars (field '${f.name}' returns ${named(type)} but has selections [${(f.selections ?? []).map((s) => s.name).join(', ')}])`
  })
  validate(op.selections, 'Query', [op.name ? `query ${op.name}` : 'query'])
  if (errors.length) return { errors }

  // Execution.
  /** @type {GraphQLError[]} */
  const execErrors = []
  /**
   * @param {FieldNode[]} sels @param {string} typeName @param {any} parent @param {Array<string | number>} path
   * @returns {Record<string, unknown>}
   */
  const execSelections = (sels, typeName, parent, path) => {
    /** @type {Record<string, unknown>} */
    const out = {}
    const def = /** @type {TypeDef} */ (schema[typeName])
    const concrete = def.kind === 'interface' ? def.resolveType(parent) : typeName
    const cdef = /** @type {TypeDef} */ (schema[concrete])
    for (const f of sels) {
      const key = f.alias ?? f.name
      const here = [...path, key]
      if (f.name === '__typename') {
        out[key] = concrete
        continue
      }
      const fd = /** @type {FieldDef} */ ((cdef.kind === 'object' || cdef.kind === 'interface' ? cdef.fields : {})[f.name] ??
        (def.kind === 'object' || def.kind === 'interface' ? def.fields : {})[f.name])
      /** @type {Record<string, unknown>} */
      const args = {}
      for (const a of f.args) {
        const c = coerce(a.value, /** @type {string} */ ((fd.args ?? {})[a.name]), resolvedVars, schema)
        args[a.name] = c.ok ? c.value : null
      }
      let value
      try {
        value = fd.resolve ? fd.resolve(parent, args, ctx) : parent?.[f.name]
      } catch (err) {
        if (err instanceof FieldError) {
          execErrors.push({ type: err.type, path: here, locations: [f.loc], message: err.message })
          out[key] = null
          continue
        }
        throw err
      }
      out[key] = complete(value, fd.type, f, here)
    }
    return out
  }
  /** @param {unknown} value @param {string} type @param {FieldNode} f @param {Array<string | number>} path @returns {unknown} */
  const complete = (value, type, f, path) => {
    if (value === null || value === undefined) return null
    if (isList(type)) {
      const inner = type.replace(/!$/, '').slice(1, -1)
      return /** @type {unknown[]} */ (value).map((v, i) => complete(v, inner, f, [...path, i]))
    }
    const tn = named(type)
    const td = schema[tn]
    if (td && (td.kind === 'object' || td.kind === 'interface')) return execSelections(/** @type {FieldNode[]} */ (f.selections), tn, value, path)
    return value
  }

  const data = execSelections(op.selections, 'Query', ctx.root, [])
  return execErrors.length ? { data, errors: execErrors } : { data }
}
