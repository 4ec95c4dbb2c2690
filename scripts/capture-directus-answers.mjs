#!/usr/bin/env node
// Captures what live Directus answers to the requests the apply guard makes, for the in-process fake
// (__tests__/support/fake-directus.ts) and the guard table (__tests__/unit/guard.test.ts).
//
//   node scripts/capture-directus-answers.mjs [--version 12.4.0] [--out __tests__/fixtures/directus-answers]
//
// One seeded base (seedRealisticSchema) gives the base snapshots; fresh SQLite targets, one at a time, are
// then diffed and applied in a fixed order. Every answer is stored as Directus sent it (status, content
// type, body), in the order it was asked, with the name of the target state it was asked in. A state's
// name stands for one schema: the script checks that a state reached in two branches has one hash.
// Bodies equal to an existing fixture (snapshots/realistic.json, diffs/realistic-sqlite.json) point to it.
//
// Node builtins only (plus the test tooling in scripts/lib); runs on Node 20 and 24.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { startDirectus, stopAll } from './lib/directus-instance.mjs'
import { createCollection, createField, deleteCollection, deleteField, seedRealisticSchema } from './lib/seed.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURES = path.join(ROOT, '__tests__', 'fixtures')
const { values } = parseArgs({
  options: { version: { type: 'string', default: '12.4.0' }, out: { type: 'string', default: path.join(FIXTURES, 'directus-answers') } },
})
const VERSION = /** @type {string} */ (values.version)
const OUT = path.resolve(/** @type {string} */ (values.out))
process.env.DIRECTUS_TEST_PREWARM ??= '0' // one instance at a time: no spare pre-warmed process
const log = (/** @type {string} */ message) => process.stderr.write(`[capture] ${message}\n`)

/** @param {unknown} value @returns {string} */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(/** @type {Record<string, unknown>} */ (value)[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}
const fingerprint = (/** @type {unknown} */ value) => createHash('sha256').update(canonical(value)).digest('hex')

// Bodies that already exist as fixtures: an answer equal to one is stored as a pointer to it.
/** @type {Map<string, { file: string, wrapData?: boolean }>} */
const knownBodies = new Map()
const realisticSnapshot = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'snapshots', 'realistic.json'), 'utf8'))
knownBodies.set(fingerprint({ data: realisticSnapshot }), { file: 'snapshots/realistic.json', wrapData: true })
knownBodies.set(fingerprint(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'diffs', 'realistic-sqlite.json'), 'utf8'))), {
  file: 'diffs/realistic-sqlite.json',
})

/** Bodies already stored in this run: a repeat points to the first. @type {Map<string, string>} */
const storedBodies = new Map()

/**
 * One exchange with a live instance, recorded.
 * @typedef {{ state: string | null, request: Record<string, unknown>, response: Record<string, unknown>, next?: string }} Exchange
 */
class Transcript {
  /** @param {string} file @param {string} description */
  constructor(file, description) {
    this.file = file
    this.description = description
    /** @type {Exchange[]} */
    this.exchanges = []
  }

  /**
   * @param {{ url: string, adminToken: string }} instance
   * @param {string | null} state the target state the request is asked in
   * @param {{ method: string, path: string, params?: Record<string, string>, body?: unknown, token?: 'admin' | 'wrong', describe?: Record<string, unknown> }} spec
   */
  async send(instance, state, spec) {
    const query = new URLSearchParams(spec.params ?? {}).toString()
    const token = spec.token === 'wrong' ? 'not-a-valid-token' : instance.adminToken
    const started = Date.now()
    const res = await fetch(`${instance.url}${spec.path}${query ? `?${query}` : ''}`, {
      method: spec.method,
      headers: { Authorization: `Bearer ${token}`, ...(spec.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
    })
    const text = await res.text()
    const contentType = res.headers.get('content-type')
    /** @type {unknown} */
    let json
    if (text && contentType?.includes('json')) json = JSON.parse(text)
    const index = this.exchanges.length
    /** @type {Record<string, unknown>} */
    const response = { status: res.status, contentType }
    if (json !== undefined) {
      const print = fingerprint(json)
      const known = knownBodies.get(print)
      const stored = storedBodies.get(print)
      if (known) response['bodyFile'] = known.file
      if (known?.wrapData) response['wrapData'] = true
      if (!known && stored) response['sameAs'] = stored
      if (!known && !stored) {
        response['json'] = json
        if (text.length > 200) storedBodies.set(print, `${this.file}#${index}`)
      }
    } else if (text) {
      response['text'] = text
    }
    /** @type {Exchange} */
    const exchange = {
      state,
      request: {
        method: spec.method,
        path: spec.path,
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.token === 'wrong' ? { token: 'wrong' } : {}),
        ...(spec.describe ?? {}),
      },
      response,
    }
    this.exchanges.push(exchange)
    log(`${this.file} #${index} [${state ?? '-'}] ${spec.method} ${spec.path} -> ${res.status} (${Date.now() - started} ms)`)
    return { status: res.status, json: /** @type {any} */ (json), text, exchange }
  }

  write() {
    const document = {
      description: this.description,
      directus: VERSION,
      database: 'sqlite',
      captured: new Date().toISOString().slice(0, 10),
      exchanges: this.exchanges,
    }
    fs.writeFileSync(path.join(OUT, this.file), JSON.stringify(document, null, 1) + '\n')
    log(`wrote ${this.file} (${this.exchanges.length} exchanges)`)
  }
}

// ---------------------------------------------------------------------------------------------
// The base: snapshots
// ---------------------------------------------------------------------------------------------

/** Base snapshots by name, as posted to /schema/diff. @type {Record<string, any>} */
const bases = {}

async function captureBase() {
  const transcript = new Transcript('base.json', 'A base seeded with seedRealisticSchema: its server info and snapshots.')
  const base = await startDirectus({ version: VERSION, name: 'capture-base', log })
  try {
    await seedRealisticSchema(base.url, base.adminToken)
    await transcript.send(base, null, { method: 'GET', path: '/server/info' })
    const snapshot = async (/** @type {string} */ name, /** @type {Record<string, string> | undefined} */ params) => {
      const answer = await transcript.send(base, null, {
        method: 'GET',
        path: '/schema/snapshot',
        ...(params ? { params } : {}),
        describe: { serves: name },
      })
      bases[name] = answer.json.data
    }
    await snapshot('realistic')
    if (!transcript.exchanges.at(-1)?.response['bodyFile']) {
      log('note: the seeded base snapshot differs from __tests__/fixtures/snapshots/realistic.json; stored inline')
    }
    // A scoped snapshot of a folder and one collection in it: no uuid field, so no residue after apply.
    await snapshot('small', { includeCollections: 'blog,tags' })
    // One collection whose folder is out of scope: Directus fails the apply on a target without the folder.
    await snapshot('no-folder', { includeCollections: 'tags' })
    // The base moves on after review: one more field.
    await createField(base.url, base.adminToken, 'articles', {
      field: 'subtitle',
      type: 'string',
      schema: { max_length: 200 },
      meta: { interface: 'input', sort: 14, note: 'Added after review' },
    })
    await snapshot('moved')
    await deleteField(base.url, base.adminToken, 'articles', 'subtitle')
    // A base that drops a field (and its column) the target has: a destructive diff.
    await deleteField(base.url, base.adminToken, 'articles', 'word_count')
    await snapshot('destructive')
  } finally {
    await base.stop()
  }
  // Over Directus 12's 25-collection cap without a license: no 12.x base could answer this snapshot, so it is
  // built here from the realistic one, as a committed base-snapshot file would be (as in the e2e test).
  const thirty = structuredClone(bases['realistic'])
  const tags = thirty.collections.find((/** @type {any} */ item) => item.collection === 'tags')
  const tagsId = thirty.fields.find((/** @type {any} */ item) => item.collection === 'tags' && item.field === 'id')
  for (let index = 1; index <= 25; index++) {
    const name = `bulk_${String(index).padStart(2, '0')}`
    thirty.collections.push({ ...tags, collection: name, meta: { ...tags.meta, collection: name, group: null }, schema: { name } })
    thirty.fields.push({ ...tagsId, collection: name, meta: { ...tagsId.meta, collection: name }, schema: { ...tagsId.schema, table: name } })
  }
  bases['thirty'] = thirty
  fs.writeFileSync(path.join(OUT, 'snapshot-thirty.json'), JSON.stringify(thirty, null, 1) + '\n')
  transcript.write()
}

// ---------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------

/** The hash of each named target state, as its diffs answered it. @type {Record<string, string>} */
const stateHashes = {}
/** Diffs answered, by `${base}@${state}`, for the applies that follow. @type {Record<string, { hash: string, diff: any }>} */
const diffs = {}

/**
 * @param {Transcript} transcript @param {{ url: string, adminToken: string }} target @param {string} state @param {string} base
 * @param {{ token?: 'wrong' }} [options]
 */
async function diff(transcript, target, state, base, options = {}) {
  const answer = await transcript.send(target, state, {
    method: 'POST',
    path: '/schema/diff',
    body: bases[base],
    ...(options.token ? { token: options.token } : {}),
    describe: { base },
  })
  if (answer.status === 200) {
    const { hash } = answer.json.data
    if (stateHashes[state] !== undefined && stateHashes[state] !== hash) {
      throw new Error(`state ${state} answered hash ${hash}, but ${stateHashes[state]} before: not one schema`)
    }
    stateHashes[state] = hash
    diffs[`${base}@${state}`] = answer.json.data
  }
  return answer
}

/**
 * Applies the diff Directus answered for `diffOf` (`${base}@${state}`), with that hash or another.
 * @param {Transcript} transcript @param {{ url: string, adminToken: string }} target @param {string} state
 * @param {string} diffOf @param {{ hashOf?: string, token?: 'wrong', next?: string }} [options]
 */
async function apply(transcript, target, state, diffOf, options = {}) {
  const reviewed = diffs[diffOf]
  if (!reviewed) throw new Error(`no diff ${diffOf} was captured`)
  const hashOf = options.hashOf ?? diffOf.split('@')[1]
  const hash = stateHashes[hashOf]
  const answer = await transcript.send(target, state, {
    method: 'POST',
    path: '/schema/apply',
    body: { hash, diff: { ...reviewed.diff, systemFields: reviewed.diff.systemFields ?? [] } },
    ...(options.token ? { token: options.token } : {}),
    describe: { hashOf, diffOf },
  })
  if (options.next) answer.exchange.next = options.next
  return answer
}

/** @param {string} name */
async function freshTarget(name) {
  return startDirectus({ version: VERSION, name: `capture-${name}`, log })
}

async function captureMain() {
  const transcript = new Transcript(
    'target-main.json',
    'A fresh target: refusals that leave it unchanged, the realistic apply, what it answers after, a stale re-apply, a destructive apply.',
  )
  const target = await freshTarget('main')
  try {
    await transcript.send(target, null, { method: 'GET', path: '/server/info' })
    await transcript.send(target, 'empty', { method: 'GET', path: '/schema/snapshot', describe: { serves: 'target' } })
    for (const base of ['realistic', 'moved', 'thirty', 'no-folder']) await diff(transcript, target, 'empty', base)
    // A credential that no longer works.
    await diff(transcript, target, 'empty', 'realistic', { token: 'wrong' })
    await apply(transcript, target, 'empty', 'realistic@empty', { token: 'wrong' })
    // Over the license cap: refused, target unchanged (the diff after it checks that the hash held).
    await apply(transcript, target, 'empty', 'thirty@empty')
    await diff(transcript, target, 'empty', 'realistic')
    // A collection whose folder the target lacks: Directus fails mid-apply.
    await apply(transcript, target, 'empty', 'no-folder@empty')
    await diff(transcript, target, 'empty', 'realistic')
    // The reviewed apply.
    await apply(transcript, target, 'empty', 'realistic@empty', { next: 'realistic' })
    for (const base of ['realistic', 'moved', 'destructive']) await diff(transcript, target, 'realistic', base)
    // The same apply again, stale: what a second apply that arrives after the first gets.
    await apply(transcript, target, 'realistic', 'realistic@empty')
    // Another diff with the pre-apply hash: Directus' own hash check, nothing in the diff already there.
    await apply(transcript, target, 'realistic', 'moved@empty')
    await diff(transcript, target, 'realistic', 'realistic')
    // The destructive apply, and what the base that made it answers after.
    await apply(transcript, target, 'realistic', 'destructive@realistic', { next: 'destructive' })
    await diff(transcript, target, 'destructive', 'destructive')
    await diff(transcript, target, 'destructive', 'realistic')
  } finally {
    await target.stop()
  }
  transcript.write()
}

async function captureDrift() {
  const transcript = new Transcript(
    'target-drift.json',
    'A fresh target changed by hand: a collection created before apply (drift), then removed; after the realistic apply, a collection deleted by hand.',
  )
  const target = await freshTarget('drift')
  try {
    await diff(transcript, target, 'empty', 'realistic')
    await createCollection(target.url, target.adminToken, 'hotfix', [{ field: 'note', type: 'string', meta: { interface: 'input' } }])
    await diff(transcript, target, 'drifted', 'realistic')
    await apply(transcript, target, 'drifted', 'realistic@empty', { hashOf: 'empty' })
    await deleteCollection(target.url, target.adminToken, 'hotfix')
    await diff(transcript, target, 'empty', 'realistic')
    await apply(transcript, target, 'empty', 'realistic@empty', { next: 'realistic' })
    await diff(transcript, target, 'realistic', 'realistic')
    // Someone deletes a reviewed collection right after the apply: the reviewed change is pending again.
    await deleteCollection(target.url, target.adminToken, 'site_settings')
    await diff(transcript, target, 'partial', 'realistic')
  } finally {
    await target.stop()
  }
  transcript.write()
}

async function captureRace() {
  const transcript = new Transcript(
    'target-race.json',
    'Fresh targets, each sent the realistic apply twice at once (two merges racing): what each of the two got.',
  )
  for (let round = 1; round <= 3; round++) {
    const target = await freshTarget(`race-${round}`)
    try {
      await diff(transcript, target, 'empty', 'realistic')
      const answers = await Promise.all([
        apply(transcript, target, 'empty', 'realistic@empty'),
        apply(transcript, target, 'empty', 'realistic@empty'),
      ])
      await diff(transcript, target, 'realistic', 'realistic')
      const statuses = answers.map((answer) => answer.status)
      log(`race round ${round}: ${statuses.join(' and ')}`)
      for (const answer of answers) if (answer.status === 204) answer.exchange.next = 'realistic'
      if (statuses.includes(204) && statuses.some((status) => status !== 204)) break
    } finally {
      await target.stop()
    }
  }
  transcript.write()
}

async function captureSmall() {
  const transcript = new Transcript(
    'target-small.json',
    'A fresh target sent the small scoped base (folder blog and tags, no uuid): applied, then nothing differs.',
  )
  const target = await freshTarget('small')
  try {
    await diff(transcript, target, 'empty', 'small')
    await apply(transcript, target, 'empty', 'small@empty', { next: 'small' })
    await diff(transcript, target, 'small', 'small')
    await apply(transcript, target, 'small', 'small@empty')
  } finally {
    await target.stop()
  }
  transcript.write()
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true })
  const started = Date.now()
  await captureBase()
  await captureMain()
  await captureDrift()
  await captureSmall()
  await captureRace()
  fs.writeFileSync(path.join(OUT, 'states.json'), JSON.stringify({ directus: VERSION, database: 'sqlite', hashes: stateHashes }, null, 1) + '\n')
  log(`states: ${JSON.stringify(stateHashes)}`)
  log(`done in ${Math.round((Date.now() - started) / 1000)} s`)
}

main().catch((error) => {
  console.error(error)
  stopAll()
  process.exitCode = 1
})
