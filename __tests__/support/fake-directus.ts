/**
 * A Directus target (and base) in process, for tests that must run in
 * milliseconds. It invents no answer: every answer is one that live Directus
 * 12.4.0 (SQLite) gave, captured by scripts/capture-directus-answers.mjs into
 * __tests__/fixtures/directus-answers/. A request it has no captured answer
 * for is recorded in `problems` and fails; tests check that list stays empty.
 *
 * It is a small state machine. The target is in one named state (a schema,
 * with the hash Directus gave it); a diff answers what live Directus answered
 * for that base in that state, and an apply answers what it answered for that
 * hash and diff in that state, and moves the target to the state that apply
 * left it in. Scripted events change the target between requests (a drift,
 * another apply landing first) or change how an apply ends (no answer, a
 * reset, a timeout, a proxy's 502 page, with or without the apply taking
 * effect behind it).
 *
 * Requests go through the real `connect()` of src/directus/client.ts with a
 * fake transport in place of undici: the SDK parses the answers and client.ts
 * turns failures into its DirectusError exactly as in production. Transport
 * failures are thrown as the TransportError the real transport throws for a
 * request that is never retried (apply).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect, type DirectusConnection, type Side } from '../../src/directus/client.js'
import { readServerInfo } from '../../src/directus/schema.js'
import { TransportError, type Transport } from '../../src/directus/transport.js'
import type { SchemaDiff, SchemaSnapshot } from '../../src/directus/types.js'
import { assertSupportedServer, type ServerVersions } from '../../src/core/compatibility.js'
import { canonicalJson } from '../../src/core/json.js'
import type { Session } from '../../src/core/session.js'

export const ANSWERS_DIR = join(import.meta.dirname, '..', 'fixtures', 'directus-answers')
const FIXTURES_DIR = join(ANSWERS_DIR, '..')

/** Target states the capture reached; see states.json. */
export type TargetState = 'empty' | 'realistic' | 'destructive' | 'drifted' | 'partial' | 'small'
/** Base snapshots the capture took (thirty is a file: no 12.x base can hold it). */
export type BaseName = 'realistic' | 'moved' | 'destructive' | 'small' | 'no-folder' | 'thirty'

/**
 * How a request can fail without Directus' answer reaching us:
 * - no-answer: the server closed the connection without answering (undici UND_ERR_SOCKET);
 * - reset: the connection was reset (ECONNRESET);
 * - timeout: nothing came back within the request timeout;
 * - proxy-502: a proxy in front of Directus gave up and answered its own HTML page.
 */
export type TransportFailure = 'no-answer' | 'reset' | 'timeout' | 'proxy-502'
export const TRANSPORT_FAILURES: readonly TransportFailure[] = ['no-answer', 'reset', 'timeout', 'proxy-502']

/** The nginx page a proxy answers when it gave up on its upstream (as __tests__/support/fault-proxy.ts sends). */
export const PROXY_502_HTML =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'

/** One request as the fake received it. */
export interface SentRequest {
  side: Side
  method: string
  path: string
  params: Record<string, string>
  /** The JSON body, from a JSON body or a file upload. */
  body?: unknown
  /** The target state it arrived in. */
  state: TargetState
}

// ---------------------------------------------------------------------------------------------
// The captured answers
// ---------------------------------------------------------------------------------------------

interface CapturedResponse {
  status: number
  contentType: string | null
  json?: unknown
  text?: string
  bodyFile?: string
  wrapData?: boolean
  sameAs?: string
}

interface CapturedExchange {
  state: TargetState | null
  request: {
    method: string
    path: string
    params?: Record<string, string>
    token?: 'wrong'
    base?: BaseName
    serves?: BaseName | 'target'
    hashOf?: TargetState
    diffOf?: string
  }
  response: CapturedResponse
  next?: TargetState
}

interface Transcript {
  exchanges: CapturedExchange[]
}

/** An answer ready to send: its status, content type and body text. */
interface Answer {
  status: number
  contentType: string | null
  body: string | null
  /** Where it was captured, for messages. */
  from: string
}

const TRANSCRIPTS = ['base.json', 'target-main.json', 'target-drift.json', 'target-small.json', 'target-race.json'] as const

/** Everything captured, indexed for the state machine. Loaded once. */
export class CapturedAnswers {
  readonly hashes: Record<TargetState, string | undefined>
  readonly baseSnapshots = new Map<BaseName, { snapshot: SchemaSnapshot; params: Record<string, string>; answer: Answer }>()
  /** `${state}|${base}` → answer. */
  readonly diffs = new Map<string, Answer>()
  /** `${base}@${state}` → the diff Directus answered, for recognising an apply's body. */
  readonly diffBodies = new Map<string, SchemaDiff>()
  /** `${state}|${hashOf}|${diffOf}` → answer and the state it left. */
  readonly applies = new Map<string, { answer: Answer; next?: TargetState }>()
  /** What the apply that lost a race answered (both passed Directus' checks; the other committed first). */
  readonly raceLoser: { key: string; answer: Answer; next: TargetState }
  /** `${method} ${path}` → Directus' answer to a credential it does not accept. */
  readonly unauthorized = new Map<string, Answer>()
  readonly serverInfo: Answer
  /** `${state}` → GET /schema/snapshot of the target. */
  readonly targetSnapshots = new Map<TargetState, Answer>()

  private static loaded: CapturedAnswers | undefined

  static load(): CapturedAnswers {
    return (CapturedAnswers.loaded ??= new CapturedAnswers())
  }

  private constructor() {
    const states = readJson<{ hashes: Record<TargetState, string | undefined> }>(join(ANSWERS_DIR, 'states.json'))
    this.hashes = states.hashes
    const transcripts = new Map(TRANSCRIPTS.map((file) => [file, readJson<Transcript>(join(ANSWERS_DIR, file))]))
    const answerOf = (file: string, index: number): Answer => {
      const exchange = transcripts.get(file as (typeof TRANSCRIPTS)[number])?.exchanges[index]
      if (!exchange) throw new Error(`fake-directus: no captured exchange ${file}#${index}`)
      return toAnswer(exchange.response, `${file}#${index}`, answerOf)
    }

    let serverInfo: Answer | undefined
    let raceLoser: CapturedAnswers['raceLoser'] | undefined
    for (const [file, transcript] of transcripts) {
      transcript.exchanges.forEach((exchange, index) => {
        const { request, state } = exchange
        const answer = answerOf(file, index)
        const where = `${file}#${index}`
        if (request.token === 'wrong') {
          this.unauthorized.set(`${request.method} ${request.path}`, answer)
        } else if (request.path === '/server/info') {
          serverInfo ??= answer
        } else if (request.path === '/schema/snapshot' && request.serves === 'target' && state) {
          this.targetSnapshots.set(state, answer)
        } else if (request.path === '/schema/snapshot' && request.serves) {
          const snapshot = (JSON.parse(answer.body ?? 'null') as { data: SchemaSnapshot }).data
          this.baseSnapshots.set(request.serves as BaseName, { snapshot, params: request.params ?? {}, answer })
        } else if (request.path === '/schema/diff' && state && request.base) {
          setOnce(this.diffs, `${state}|${request.base}`, answer, where)
          if (answer.status === 200) {
            this.diffBodies.set(`${request.base}@${state}`, (JSON.parse(answer.body ?? 'null') as { data: { diff: SchemaDiff } }).data.diff)
          }
        } else if (request.path === '/schema/apply' && state && request.hashOf && request.diffOf) {
          const key = `${state}|${request.hashOf}|${request.diffOf}`
          if (file === 'target-race.json' && answer.status !== 204) {
            raceLoser = { key, answer, next: 'realistic' }
          } else {
            setOnce(this.applies, key, { answer, ...(exchange.next ? { next: exchange.next } : {}) }, where, (entry) => entry.answer)
          }
        } else {
          throw new Error(`fake-directus: captured exchange ${where} is of no known kind`)
        }
      })
    }
    if (!serverInfo || !raceLoser) throw new Error('fake-directus: the captured answers lack /server/info or the race')
    this.serverInfo = serverInfo
    this.raceLoser = raceLoser
    // A base snapshot no base instance could answer (over the license cap): a committed file.
    this.baseSnapshots.set('thirty', {
      snapshot: readJson<SchemaSnapshot>(join(ANSWERS_DIR, 'snapshot-thirty.json')),
      params: {},
      answer: { status: 200, contentType: 'application/json', body: null, from: 'snapshot-thirty.json (a file, not an answer)' }
    })
  }

  hashOf(state: TargetState): string {
    const hash = this.hashes[state]
    if (!hash) throw new Error(`fake-directus: no hash was captured for target state ${state}`)
    return hash
  }

  snapshotOf(base: BaseName): SchemaSnapshot {
    const entry = this.baseSnapshots.get(base)
    if (!entry) throw new Error(`fake-directus: no base snapshot ${base} was captured`)
    return entry.snapshot
  }

  /** The diff live Directus answered for this base in this state (200), for building expectations. */
  diffOf(base: BaseName, state: TargetState): SchemaDiff {
    const diff = this.diffBodies.get(`${base}@${state}`)
    if (!diff) throw new Error(`fake-directus: no diff ${base}@${state} was captured`)
    return diff
  }

  /** Which base a posted snapshot is. */
  baseNamed(snapshot: unknown): BaseName | undefined {
    this.baseTexts ??= new Map([...this.baseSnapshots].map(([name, entry]) => [canonicalJson(entry.snapshot), name]))
    return this.baseTexts.get(canonicalJson(snapshot))
  }

  /** Which captured diff (`base@state`) a posted diff is. */
  diffNamed(diff: SchemaDiff): string | undefined {
    this.diffTexts ??= new Map([...this.diffBodies].map(([name, captured]) => [canonicalJson(withSystemFields(captured)), name]))
    return this.diffTexts.get(canonicalJson(withSystemFields(diff)))
  }

  private baseTexts: Map<string, BaseName> | undefined
  private diffTexts: Map<string, string> | undefined

  /** Which state a hash is. */
  stateWithHash(hash: unknown): TargetState | undefined {
    return (Object.entries(this.hashes) as Array<[TargetState, string | undefined]>).find(([, value]) => value === hash)?.[0]
  }
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

function withSystemFields(diff: SchemaDiff): SchemaDiff {
  return { ...diff, systemFields: diff.systemFields ?? [] }
}

function toAnswer(response: CapturedResponse, from: string, answerOf: (file: string, index: number) => Answer): Answer {
  if (response.sameAs) {
    const [file, index] = response.sameAs.split('#')
    return { ...answerOf(file ?? '', Number(index)), status: response.status, from }
  }
  let body: string | null = null
  if (response.bodyFile) {
    const content = readJson<unknown>(join(FIXTURES_DIR, response.bodyFile))
    body = JSON.stringify(response.wrapData ? { data: content } : content)
  } else if (response.json !== undefined) {
    body = JSON.stringify(response.json)
  } else if (response.text !== undefined) {
    body = response.text
  }
  return { status: response.status, contentType: response.contentType, body, from }
}

/** Repeated captures of one request in one state must have answered the same. */
function setOnce<T>(map: Map<string, T>, key: string, value: T, where: string, answerOf: (value: T) => Answer = (v) => v as Answer): void {
  const before = map.get(key)
  if (before === undefined) {
    map.set(key, value)
    return
  }
  const [a, b] = [answerOf(before), answerOf(value)]
  if (a.status !== b.status || a.body !== b.body) {
    throw new Error(`fake-directus: ${where} answered ${key} otherwise than ${a.from}: the capture is not one state machine`)
  }
}

// ---------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------

export interface FakeDirectusOptions {
  /** The target's state at the start; default empty. */
  target?: TargetState
  /** What the base instance answers to GET /schema/snapshot; default realistic. */
  base?: BaseName
  /** The target's credential; a record key is derived from it. */
  token?: string
}

type Hook = () => void
type EventName = 'diff' | 'apply'

export const TARGET_URL = 'https://directus.production.example/'
export const BASE_URL = 'https://directus.staging.example/'
export const TARGET_TOKEN = 'target-admin-token'

export class FakeDirectus {
  readonly captured = CapturedAnswers.load()
  /** Every request, in order. */
  readonly requests: SentRequest[] = []
  /** Requests the capture has no answer for: each failed the request; a test must end with none. */
  readonly problems: string[] = []
  readonly token: string
  private target: TargetState
  private base: BaseName
  private credentialRevoked = false
  private readonly hooks: Array<{ phase: 'before' | 'after'; event: EventName; run: Hook }> = []
  private applyFailure: { failure: TransportFailure; tookEffect: boolean } | undefined
  private racing = false
  private failAfterCommit = false

  constructor(options: FakeDirectusOptions = {}) {
    this.target = options.target ?? 'empty'
    this.base = options.base ?? 'realistic'
    this.token = options.token ?? TARGET_TOKEN
  }

  /** The target's state now. */
  get state(): TargetState {
    return this.target
  }

  /** The hash live Directus gave the target's schema in its current state. */
  get hash(): string {
    return this.captured.hashOf(this.target)
  }

  // --- scripted events -----------------------------------------------------------------------

  /** Someone else changes the target now: by hand (a drift) or by another apply. Only to a captured state. */
  setTarget(state: TargetState): this {
    this.target = state
    return this
  }

  /** The base instance now answers this snapshot (e.g. the base moved on after review). */
  serveBase(base: BaseName): this {
    this.base = base
    return this
  }

  /** Runs once, right before the next request of this kind is handled (e.g. a drift between diff and apply). */
  before(event: EventName, run: Hook): this {
    this.hooks.push({ phase: 'before', event, run })
    return this
  }

  /** Runs once, right after the next request of this kind took effect, before its answer leaves. */
  after(event: EventName, run: Hook): this {
    this.hooks.push({ phase: 'after', event, run })
    return this
  }

  /**
   * The next apply gets no answer from Directus. With `tookEffect` Directus
   * still applied it behind the failure (a proxy that gave up while the work
   * went on; a connection lost after the commit); without, it never arrived.
   */
  failNextApply(failure: TransportFailure, options: { tookEffect: boolean }): this {
    this.applyFailure = { failure, ...options }
    return this
  }

  /**
   * The next apply commits, then Directus fails after its transaction (as a
   * failing cache flush would) with its own 500 INTERNAL_SERVER_ERROR answer:
   * the one captured for an apply that failed (the no-folder apply).
   */
  failNextApplyAfterCommit(): this {
    this.failAfterCommit = true
    return this
  }

  /** Another merge sends the same apply at the same moment: both pass Directus' checks, the other commits first. */
  raceNextApply(): this {
    this.racing = true
    return this
  }

  /** The target's credential stops working (rotated, revoked): Directus answers 401 from now on. */
  revokeCredential(): this {
    this.credentialRevoked = true
    return this
  }

  // --- what was sent -------------------------------------------------------------------------

  count(method: string, path: string): number {
    return this.requests.filter((request) => request.method === method && request.path === path).length
  }

  /** The bodies of every POST /schema/apply, in order. */
  applyBodies(): Array<{ hash: string; diff: SchemaDiff }> {
    return this.requests
      .filter((request) => request.method === 'POST' && request.path === '/schema/apply')
      .map((request) => request.body as { hash: string; diff: SchemaDiff })
  }

  /** Scripted events that never came to pass: a row whose event did not happen tests something else. */
  unusedEvents(): string[] {
    return [
      ...this.hooks.map((hook) => `${hook.phase} ${hook.event}`),
      ...(this.applyFailure ? [`failNextApply(${this.applyFailure.failure})`] : []),
      ...(this.racing ? ['raceNextApply()'] : []),
      ...(this.failAfterCommit ? ['failNextApplyAfterCommit()'] : [])
    ]
  }

  /** Forget what was sent so far (e.g. the plan run's requests, before the apply run). */
  forget(): this {
    this.requests.length = 0
    return this
  }

  // --- connections ---------------------------------------------------------------------------

  /** A transport whose fetch is this fake; `side` says which instance it reaches. */
  transport(side: Side): Transport {
    return {
      fetch: ((input: string | URL | Request, init?: RequestInit) => this.fetch(side, input, init)) as typeof fetch,
      close: async () => undefined
    }
  }

  /** A DirectusConnection to one side, made by the real connect() over the fake transport. */
  async connection(side: Side): Promise<DirectusConnection> {
    const url = new URL(side === 'target' ? TARGET_URL : BASE_URL)
    return connect(
      { side, url, auth: { kind: 'token', token: side === 'target' ? this.token : 'base-admin-token' } },
      this.transport(side),
      () => undefined
    )
  }

  /**
   * A session as openSession makes one (connect, read each server's version),
   * over this fake. Without a base connection when the base is a snapshot file.
   */
  async session(options: { base?: boolean } = {}): Promise<Session> {
    const base = options.base === false ? undefined : await this.connection('base')
    const target = await this.connection('target')
    const versionOf = async (connection: DirectusConnection) => {
      const { version } = await readServerInfo(connection)
      assertSupportedServer(connection.side, connection.host, version)
      return version
    }
    const [baseVersion, targetVersion] = await Promise.all([base ? versionOf(base) : undefined, versionOf(target)])
    const versions: ServerVersions = { ...(baseVersion ? { base: baseVersion } : {}), ...(targetVersion ? { target: targetVersion } : {}) }
    return { transport: this.transport('target'), ...(base ? { base } : {}), target, versions, close: async () => undefined }
  }

  // --- the server ----------------------------------------------------------------------------

  private async fetch(side: Side, input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    const method = (init.method ?? 'GET').toUpperCase()
    const headers = new Headers(init.headers)
    const request: SentRequest = {
      side,
      method,
      path: url.pathname,
      params: Object.fromEntries(url.searchParams),
      ...(typeof init.body === 'string' ? { body: parseBody(init.body, headers.get('content-type')) } : {}),
      state: this.target
    }
    const event: EventName | undefined =
      side === 'target' && method === 'POST'
        ? request.path === '/schema/apply'
          ? 'apply'
          : request.path === '/schema/diff'
            ? 'diff'
            : undefined
        : undefined
    if (event) this.runHooks('before', event)
    request.state = this.target
    this.requests.push(request)

    const expectedToken = side === 'target' ? this.token : 'base-admin-token'
    if (headers.get('authorization') !== `Bearer ${expectedToken}`)
      return this.fail(`${side}: ${method} ${request.path} without the credential`)
    if (side === 'target' && this.credentialRevoked) {
      const answer = this.captured.unauthorized.get(`${method} ${request.path}`)
      return answer ? respond(answer) : this.fail(`no captured 401 for ${method} ${request.path}`)
    }
    if (method === 'GET' && request.path === '/server/info') return respond(this.captured.serverInfo)
    if (side === 'base') return this.baseAnswer(request)
    if (method === 'GET' && request.path === '/schema/snapshot' && Object.keys(request.params).length === 0) {
      const answer = this.captured.targetSnapshots.get(this.target)
      return answer ? respond(answer) : this.fail(`no captured GET /schema/snapshot of the target in state ${this.target}`)
    }
    if (event === 'diff') {
      const response = this.diffAnswer(request)
      this.runHooks('after', 'diff')
      return response
    }
    if (event === 'apply') return this.applyAnswer(request)
    return this.fail(`no captured answer for ${side} ${method} ${request.path}`)
  }

  private baseAnswer(request: SentRequest): Response {
    if (request.method !== 'GET' || request.path !== '/schema/snapshot')
      return this.fail(`no captured answer for base ${request.method} ${request.path}`)
    const entry = this.captured.baseSnapshots.get(this.base)
    if (!entry || entry.answer.body === null) return this.fail(`the base cannot answer snapshot ${this.base} (a file, not an answer)`)
    if (canonicalJson(entry.params) !== canonicalJson(request.params)) {
      return this.fail(
        `base snapshot ${this.base} was captured with ${JSON.stringify(entry.params)}, asked with ${JSON.stringify(request.params)}`
      )
    }
    return respond(entry.answer)
  }

  private diffAnswer(request: SentRequest): Response {
    if (Object.keys(request.params).length > 0) return this.fail(`no diff was captured with ${JSON.stringify(request.params)}`)
    const base = this.captured.baseNamed(request.body)
    if (!base) return this.fail('POST /schema/diff with a snapshot that is none of the captured bases')
    const answer = this.captured.diffs.get(`${this.target}|${base}`)
    return answer ? respond(answer) : this.fail(`no diff of base ${base} was captured in target state ${this.target}`)
  }

  private applyAnswer(request: SentRequest): Response {
    const body = request.body as { hash?: unknown; diff?: SchemaDiff } | undefined
    const hashOf = this.captured.stateWithHash(body?.hash)
    const diffOf = body?.diff ? this.captured.diffNamed(body.diff) : undefined
    if (!hashOf || !diffOf)
      return this.fail(`POST /schema/apply with a hash or diff never captured (hash ${String(body?.hash)}, diff ${diffOf ?? 'unknown'})`)
    const key = `${this.target}|${hashOf}|${diffOf}`

    if (this.racing) {
      this.racing = false
      if (key !== this.captured.raceLoser.key) return this.fail(`the race was captured for ${this.captured.raceLoser.key}, not ${key}`)
      this.target = this.captured.raceLoser.next
      this.runHooks('after', 'apply')
      return respond(this.captured.raceLoser.answer)
    }

    const failure = this.applyFailure
    this.applyFailure = undefined
    const captured = this.captured.applies.get(key)
    if (!captured) return this.fail(`no apply of ${diffOf} with the hash of ${hashOf} was captured in target state ${this.target}`)
    if (failure && !failure.tookEffect) return transportFailure(failure.failure, request)
    if (captured.next) this.target = captured.next
    this.runHooks('after', 'apply')
    if (this.failAfterCommit) {
      this.failAfterCommit = false
      if (captured.answer.status !== 204) return this.fail(`a failure after the commit needs an apply Directus accepted (${key})`)
      const internalError = this.captured.applies.get('empty|empty|no-folder@empty')?.answer
      if (internalError?.status !== 500) return this.fail('no 500 INTERNAL_SERVER_ERROR apply answer was captured')
      return respond(internalError)
    }
    if (failure) {
      if (captured.answer.status !== 204)
        return this.fail(`an apply that took effect behind a failure must be one Directus accepted (${key})`)
      return transportFailure(failure.failure, request)
    }
    return respond(captured.answer)
  }

  private runHooks(phase: 'before' | 'after', event: EventName): void {
    const index = this.hooks.findIndex((hook) => hook.phase === phase && hook.event === event)
    if (index < 0) return
    const [hook] = this.hooks.splice(index, 1)
    hook?.run()
  }

  private fail(problem: string): never {
    this.problems.push(problem)
    throw new Error(`fake-directus: ${problem}`)
  }
}

function respond(answer: Answer): Response {
  const headers = answer.contentType ? { 'content-type': answer.contentType } : undefined
  return new Response(answer.status === 204 ? null : answer.body, { status: answer.status, ...(headers ? { headers } : {}) })
}

/** What src/directus/transport.ts makes of each failure for a request it never retries. */
function transportFailure(failure: TransportFailure, request: SentRequest): Response {
  switch (failure) {
    case 'no-answer':
      throw new TransportError('connection reset (UND_ERR_SOCKET)', 'reset', request.method, request.path, 1)
    case 'reset':
      throw new TransportError('connection reset (ECONNRESET)', 'reset', request.method, request.path, 1)
    case 'timeout':
      throw new TransportError('timed out after 30 s', 'timeout', request.method, request.path, 1)
    case 'proxy-502':
      return new Response(PROXY_502_HTML, { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } })
  }
}

/** A JSON body, or the JSON file of a multipart upload (src/directus/schema.ts fileUpload). */
function parseBody(body: string, contentType: string | null): unknown {
  if (contentType?.startsWith('multipart/form-data')) {
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1] ?? ''
    const start = body.indexOf('\r\n\r\n') + 4
    return JSON.parse(body.slice(start, body.lastIndexOf(`\r\n--${boundary}--`)))
  }
  return JSON.parse(body)
}
