/**
 * A table of bad and hostile inputs, each run through dist/index.js as the
 * runner runs it. Every case asserts three things: the exit status, one
 * message line naming the input (or variable) at fault, and that no token or
 * password appears in any output channel.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import { getSnapshot } from '../../scripts/lib/seed.mjs'
import { pullRequestEvent, type RunOptions } from '../../scripts/lib/run-action.mjs'
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js'
import { useLive } from '../support/live.js'
import { expectBadInput } from '../support/verdict.js'

const HOST = String.raw`\(127\.0\.0\.1:\d+\)`

const live = useLive({ name: 'bad-inputs', directus: { directus: { seed: 'realistic', ownToken: true } }, github: true })
let directus: DirectusInstance
/** In front of `directus` as the base: rewrites the snapshot to claim another Directus major version. */
let olderBase: FaultProxy
/** Answers every request with a 200 HTML page, as a captive portal or a wrong URL would. */
let htmlSite: Server
let htmlSiteUrl: string
let eventDir: string

beforeAll(async () => {
  directus = live.directus.directus
  // The pull requests of the events below, open: a plan reads their state from GitHub's API.
  for (const number of [40, 41]) {
    live.github.addPullRequest('acme', 'site', { number, head: { sha: 'a'.repeat(40), ref: `feature-${number}` }, base: { ref: 'main' } })
  }
  olderBase = await startFaultProxy(directus.url)
  olderBase.add({
    method: 'GET',
    path: /\/schema\/snapshot/,
    times: Infinity,
    fault: { kind: 'rewrite', transform: (snapshot) => ({ ...(snapshot as object), directus: '10.13.0' }) }
  })
  htmlSite = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<html><head><title>Sign in to the guest Wi-Fi</title></head><body>captive portal</body></html>')
  })
  await new Promise<void>((resolve) => htmlSite.listen(0, '127.0.0.1', resolve))
  htmlSiteUrl = `http://127.0.0.1:${(htmlSite.address() as { port: number }).port}`
  eventDir = mkdtempSync(join(tmpdir(), 'dsa-bad-events-'))
  writeFileSync(join(eventDir, 'corrupt.json'), '{"pull_request": {"number": 7, "head": ')
  writeFileSync(join(eventDir, 'null.json'), 'null')
})

afterAll(async () => {
  await olderBase?.stop()
  await new Promise<void>((resolve) => (htmlSite ? htmlSite.close(() => resolve()) : resolve()))
  if (eventDir) rmSync(eventDir, { recursive: true, force: true })
})

interface Case {
  inputs?: Record<string, string>
  /** Runner variables to set (or remove, with undefined). */
  env?: () => Record<string, string | undefined>
  eventName?: string
  event?: unknown
  exitCode: 0 | 1
  names: RegExp
  /** Secrets this case adds, which must not appear anywhere. */
  secrets?: string[]
  /** Extra checks on the run, beyond the three every case makes. */
  after?: () => Promise<void> | void
}

function validInputs(): Record<string, string> {
  return live.inputs({ command: 'plan', 'timeout-seconds': '2' }, { base: directus, target: directus })
}

const apply = { command: 'apply' }
const DIGEST = `sha256:${'0'.repeat(64)}`

const cases: [string, Case][] = [
  // URLs
  [
    'an empty base-url',
    {
      inputs: { 'base-url': '' },
      exitCode: 1,
      names: /^::error::Input 'base-url' is required, or 'base-snapshot' naming a committed snapshot file$/
    }
  ],
  [
    'a URL without a scheme',
    { inputs: { 'base-url': 'localhost:8055' }, exitCode: 1, names: /Input 'base-url' must be an http:\/\/ or https:\/\/ URL/ }
  ],
  [
    'an ftp:// URL',
    { inputs: { 'base-url': 'ftp://cms.example.com/' }, exitCode: 1, names: /Input 'base-url' must be an http:\/\/ or https:\/\/ URL/ }
  ],
  [
    'a javascript: URL',
    { inputs: { 'target-url': 'javascript:alert(1)' }, exitCode: 1, names: /Input 'target-url' must be an http:\/\/ or https:\/\/ URL/ }
  ],
  [
    'a file: URL',
    { inputs: { 'target-url': 'file:///etc/passwd' }, exitCode: 1, names: /Input 'target-url' must be an http:\/\/ or https:\/\/ URL/ }
  ],
  ['a scheme with no host', { inputs: { 'base-url': 'http://' }, exitCode: 1, names: /Input 'base-url' is not a valid URL/ }],
  ['words instead of a URL', { inputs: { 'base-url': 'the staging server' }, exitCode: 1, names: /Input 'base-url' is not a valid URL/ }],
  [
    'a URL with credentials in it',
    {
      inputs: { 'target-url': 'https://admin:hunter2-url-password@cms.example.com' },
      exitCode: 1,
      names: /Input 'target-url' must not contain credentials/,
      secrets: ['hunter2-url-password']
    }
  ],
  [
    'a malformed URL with credentials in it',
    {
      inputs: { 'target-url': 'https://admin:s3cr3t-pass word@cms example.com' },
      exitCode: 1,
      names: /Input 'target-url' is not a valid URL/,
      secrets: ['s3cr3t-pass']
    }
  ],
  [
    'a URL with a token in its query',
    {
      inputs: { 'base-url': 'https://cms.example.com/?access_token=query-secret-token-123' },
      exitCode: 1,
      names: /Input 'base-url' must not have a query or fragment/,
      secrets: ['query-secret-token-123']
    }
  ],
  [
    'a URL with a fragment',
    { inputs: { 'base-url': 'https://cms.example.com/#admin' }, exitCode: 1, names: /Input 'base-url' must not have a query or fragment/ }
  ],
  // Credentials
  [
    'both a token and a password',
    {
      inputs: { 'base-email': 'admin@example.com', 'base-password': 'both-given-password-1' },
      exitCode: 1,
      names: /Give either 'base-token' or 'base-email' with 'base-password', not both/,
      secrets: ['both-given-password-1']
    }
  ],
  [
    'a token and an email',
    {
      inputs: { 'target-email': 'admin@example.com' },
      exitCode: 1,
      names: /Give either 'target-token' or 'target-email' with 'target-password', not both/
    }
  ],
  [
    'neither a token nor a password',
    { inputs: { 'target-token': '' }, exitCode: 1, names: /No credentials for the target instance: set 'target-token'/ }
  ],
  [
    'an email without a password',
    {
      inputs: { 'target-token': '', 'target-email': 'admin@example.com' },
      exitCode: 1,
      names: /Input 'target-password' is required with 'target-email'/
    }
  ],
  [
    'a password without an email',
    {
      inputs: { 'base-token': '', 'base-password': 'lonely-password-2' },
      exitCode: 1,
      names: /Input 'base-email' is required with 'base-password'/,
      secrets: ['lonely-password-2']
    }
  ],
  [
    'a token Directus does not know',
    {
      inputs: { 'base-token': 'unknown-token-value-3' },
      exitCode: 1,
      names: new RegExp(`base ${HOST}: GET /server/info answered HTTP 401: .*\\[INVALID_CREDENTIALS\\]; check 'base-token'$`),
      secrets: ['unknown-token-value-3']
    }
  ],
  [
    'a github-token GitHub does not know',
    {
      inputs: { 'github-token': 'ghs_unknown_token_value_4' },
      event: () => pullRequestEvent(41, 'a'.repeat(40)),
      exitCode: 1,
      names: /GitHub \(127\.0\.0\.1:\d+\): POST \/graphql answered HTTP 401: Bad credentials.*; check 'github-token'$/,
      secrets: ['ghs_unknown_token_value_4']
    }
  ],
  // Command and booleans
  [
    'an unknown command',
    { inputs: { command: 'destroy' }, exitCode: 1, names: /Input 'command' must be one of plan, apply, snapshot, drift; got "destroy"$/ }
  ],
  [
    'a command with shell in it',
    { inputs: { command: 'plan; rm -rf /' }, exitCode: 1, names: /Input 'command' must be one of plan, apply/ }
  ],
  ['force: yes', { inputs: { force: 'yes' }, exitCode: 1, names: /Input 'force' must be true or false; got "yes"$/ }],
  ['comment: 1', { inputs: { comment: '1' }, exitCode: 1, names: /Input 'comment' must be true or false; got "1"$/ }],
  [
    'allow-destructive: maybe',
    { inputs: { 'allow-destructive': 'maybe' }, exitCode: 1, names: /Input 'allow-destructive' must be true or false/ }
  ],
  ['require-plan: off', { inputs: { ...apply, 'require-plan': 'off' }, exitCode: 1, names: /Input 'require-plan' must be true or false/ }],
  // Timeouts
  [
    'a negative timeout',
    {
      inputs: { 'timeout-seconds': '-5' },
      exitCode: 1,
      names: /Input 'timeout-seconds' must be a number of seconds from 1 to 3600; got "-5"$/
    }
  ],
  ['a zero timeout', { inputs: { 'timeout-seconds': '0' }, exitCode: 1, names: /Input 'timeout-seconds' must be a number of seconds/ }],
  [
    'a huge timeout',
    {
      inputs: { 'timeout-seconds': '99999' },
      exitCode: 1,
      names: /Input 'timeout-seconds' must be a number of seconds from 1 to 3600; got "99999"$/
    }
  ],
  [
    'a timeout in exponent notation',
    { inputs: { 'timeout-seconds': '1e9' }, exitCode: 1, names: /Input 'timeout-seconds' must be a number of seconds/ }
  ],
  [
    'a timeout in words',
    { inputs: { 'timeout-seconds': 'ten' }, exitCode: 1, names: /Input 'timeout-seconds' must be a number of seconds/ }
  ],
  // Promotion pins and names
  [
    'an expected-hash that is not a hash',
    {
      inputs: { ...apply, 'expected-hash': 'not a hash!', 'expected-digest': DIGEST },
      eventName: 'workflow_dispatch',
      event: {},
      exitCode: 1,
      names: /Input 'expected-hash' must be a Directus schema hash/
    }
  ],
  [
    'an expected-digest that is not a digest',
    {
      inputs: { ...apply, 'expected-hash': 'a'.repeat(32), 'expected-digest': 'sha256:xyz' },
      eventName: 'workflow_dispatch',
      event: {},
      exitCode: 1,
      names: /Input 'expected-digest' must be a plan digest like sha256:<64 hex digits>/
    }
  ],
  [
    'an expected-hash without expected-digest',
    {
      inputs: { ...apply, 'expected-hash': 'a'.repeat(32) },
      eventName: 'workflow_dispatch',
      event: {},
      exitCode: 1,
      names: /'expected-hash' pins the target but not the diff; also pass 'expected-digest/
    }
  ],
  [
    'a target-name with a control character',
    { inputs: { 'target-name': 'prod\u0007bell' }, exitCode: 1, names: /Input 'target-name' must be at most 100 printable characters/ }
  ],
  [
    'a 300-character target-name',
    {
      inputs: { 'target-name': 'p'.repeat(300) },
      exitCode: 1,
      names: /Input 'target-name' must be at most 100 printable characters; got "p{80}…"$/
    }
  ],
  // Instances that are not what they claim
  [
    'a snapshot from a different Directus major version',
    {
      inputs: { 'base-url': '' /* set below: the rewriting proxy */ },
      exitCode: 1,
      names: new RegExp(
        `target ${HOST}: POST /schema/diff answered HTTP 400: .*10\\.13\\.0.* Set 'force: true' to diff and apply across versions or vendors anyway\\.$`
      )
    }
  ],
  [
    'a target-url that serves an HTML page',
    {
      inputs: { 'target-url': '' /* set below */ },
      exitCode: 1,
      names: new RegExp(
        `target ${HOST}: POST /schema/diff answered HTTP 200: the answer is not a Directus schema diff \\(\\d+ characters of text or HTML\\); is 'target-url' a Directus instance\\?$`
      )
    }
  ],
  [
    'a target-url that answers JSON Directus never sends',
    {
      inputs: { 'target-url': '' /* set below: the GitHub stand-in */ },
      exitCode: 1,
      names: new RegExp(
        `target ${HOST}: GET /server/info answered HTTP 401: "Bad credentials", in a JSON shape Directus does not use; is 'target-url' a Directus instance\\?$`
      )
    }
  ],
  [
    'an empty diff sent to apply',
    {
      inputs: { ...apply, 'expected-hash': 'a'.repeat(32), 'expected-digest': DIGEST },
      eventName: 'workflow_dispatch',
      event: {},
      exitCode: 0,
      names: /^The target already matches the base; nothing to apply\.$/,
      after: () => expect(olderBase.count('POST', /\/schema\/apply/)).toBe(0)
    }
  ],
  // The runner's event
  [
    'a pull_request event without a pull request',
    {
      event: { action: 'opened', repository: { full_name: 'acme/site' } },
      exitCode: 1,
      names: /^::error::GITHUB_EVENT_PATH holds a pull_request event without a pull request/
    }
  ],
  [
    'a missing GITHUB_EVENT_PATH',
    {
      env: () => ({ GITHUB_EVENT_PATH: undefined }),
      exitCode: 1,
      names: /^::error::GITHUB_EVENT_PATH is not set; the runner writes the event payload there$/
    }
  ],
  [
    'an event file that does not exist',
    {
      env: () => ({ GITHUB_EVENT_PATH: join(eventDir, 'gone.json') }),
      exitCode: 1,
      names: /^::error::GITHUB_EVENT_PATH \/.*gone\.json does not exist/
    }
  ],
  [
    'a corrupt event JSON',
    {
      env: () => ({ GITHUB_EVENT_PATH: join(eventDir, 'corrupt.json') }),
      exitCode: 1,
      names: /^::error::GITHUB_EVENT_PATH \/.*corrupt\.json is not valid JSON/
    }
  ],
  [
    'an event JSON that is null',
    {
      env: () => ({ GITHUB_EVENT_PATH: join(eventDir, 'null.json') }),
      exitCode: 1,
      names: /^::error::GITHUB_EVENT_PATH \/.*null\.json is not a JSON object/
    }
  ]
]

/** Inputs that point at services started in beforeAll. */
function resolveInputs(name: string, overrides: Record<string, string>): Record<string, string> {
  const inputs = { ...validInputs(), ...overrides }
  if (name === 'a snapshot from a different Directus major version') inputs['base-url'] = olderBase.url
  if (name === 'a target-url that serves an HTML page') inputs['target-url'] = htmlSiteUrl
  if (name === 'a target-url that answers JSON Directus never sends') inputs['target-url'] = live.github.url
  if (name === 'an empty diff sent to apply') inputs['target-url'] = olderBase.url.replace(/\/$/, '')
  return inputs
}

describe('bad and hostile inputs', () => {
  it.each(cases)('%s', async (name, testCase) => {
    const schemaBefore = await getSnapshot(directus.url, directus.adminToken)
    const options: RunOptions = {
      inputs: resolveInputs(name, testCase.inputs ?? {}),
      eventName: testCase.eventName ?? 'pull_request',
      event:
        typeof testCase.event === 'function'
          ? (testCase.event as () => unknown)()
          : (testCase.event ?? pullRequestEvent(40, 'a'.repeat(40))),
      env: { ...testCase.env?.() },
      timeoutMs: 60_000
    }
    const run = await live.run(options)
    expectBadInput(run, {
      secrets: live.secrets(...(testCase.secrets ?? [])),
      extraChannels: live.github.comments('acme', 'site', 40).map((comment) => comment.body),
      exitCode: testCase.exitCode,
      names: testCase.names
    })
    await testCase.after?.()
    // Nothing a bad input does may change a schema.
    expect(await getSnapshot(directus.url, directus.adminToken)).toEqual(schemaBefore)
  })

  // The `base-snapshot` input is being added on another branch. After that merge, enable these
  // two cases (expected: exit 1, one line naming 'base-snapshot', no secret anywhere).
  it.todo('a base-snapshot file that does not exist (enable after the base-snapshot input is merged)')
  it.todo('a base-snapshot file that is not a Directus snapshot (enable after the base-snapshot input is merged)')
})
