import { startGitHubStandin, type Standin } from '../../scripts/lib/github-standin.mjs'
import { createGitHubClient } from '../../src/github/client.js'
import { createTrackingIssue, findTrackingIssue, IssuesUnavailable, updateTrackingIssue } from '../../src/github/issues.js'

/**
 * The drift tracking issue as src/github/issues.ts finds and writes it,
 * against the stand-in GitHub: only the token's own issues count, pull
 * requests in the listing are skipped, and refusals say what to do.
 */

const TOKEN = 'ghs_issues_unit_token'
const READER = 'ghs_issues_unit_reader'
const MARKER = '<!-- directus-schema-drift target=staging -->'
const repository = { owner: 'acme', repo: 'tracked' }

let github: Standin

beforeAll(async () => {
  github = await startGitHubStandin({
    tokens: {
      [TOKEN]: { login: 'github-actions[bot]', installation: true },
      [READER]: { login: 'github-actions[bot]', installation: true, issues: 'read' }
    }
  })
})

afterAll(async () => {
  await github.stop()
})

const client = (token = TOKEN) => createGitHubClient({ token, baseUrl: github.url, timeoutMs: 5_000, backoffMs: 1 })

it('finds only the token’s own issue with the marker, past pull requests and forgeries, on every page', async () => {
  github.addPullRequest('acme', 'tracked', {
    number: 1,
    user: { login: 'github-actions[bot]', type: 'Bot' },
    head: { sha: 'a'.repeat(40), ref: 'feature' },
    base: { ref: 'main' },
    body: `${MARKER}\nnot an issue`
  })
  github.addIssue('acme', 'tracked', { login: 'mallory', title: 'Directus schema drift: staging', body: `${MARKER}\nforged` })
  github.addIssue('acme', 'tracked', {
    login: 'github-actions[bot]',
    type: 'Bot',
    title: 'Other',
    body: '<!-- directus-schema-drift target=production -->'
  })
  expect(await findTrackingIssue(client(), repository, MARKER)).toBeUndefined()
  // Enough other issues that ours comes on the second page of 100.
  for (let index = 0; index < 120; index++) github.addIssue('acme', 'tracked', { login: 'alice', title: `Bug ${index}` })

  const created = await createTrackingIssue(client(), repository, {
    title: 'Directus schema drift: staging',
    body: `${MARKER}\nours`,
    labels: ['drift']
  })
  const closed = await updateTrackingIssue(client(), repository, created.number, { state: 'closed' })
  expect(closed).toMatchObject({ number: 124, state: 'closed', labels: ['drift'] })
  const found = await findTrackingIssue(client(), repository, MARKER)
  expect(found).toMatchObject({ number: 124, state: 'closed', body: `${MARKER}\nours`, url: 'https://github.com/acme/tracked/issues/124' })
  const listed = github.requests.filter((request) => request.method === 'GET' && /\/issues$/.test(request.path))
  expect(listed.at(-1)?.query).toMatchObject({ state: 'all', page: '2' })
})

it('says that issues are disabled (410), and that the token lacks issues: write (403)', async () => {
  const denied = await updateTrackingIssue(client(READER), repository, 124, { state: 'open' }).catch((error: unknown) => error)
  expect(denied).toBeInstanceOf(IssuesUnavailable)
  expect(denied).toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/HTTP 403\); grant the workflow 'issues: write'/) })

  github.configureRepository('acme', 'tracked', { hasIssues: false })
  const disabled = await findTrackingIssue(client(), repository, MARKER).catch((error: unknown) => error)
  expect(disabled).toMatchObject({ kind: 'disabled', message: expect.stringMatching(/issues are disabled in acme\/tracked \(HTTP 410\)/) })
  github.configureRepository('acme', 'tracked', { hasIssues: true })
})
