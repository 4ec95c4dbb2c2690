// The demo setting shared by `npm run demo` and `npm run screenshot`: two
// throwaway Directus instances on SQLite and a stand-in GitHub, with the
// action's plan run exactly as the runner runs dist/index.js.
import { startDirectus } from './directus-instance.mjs'
import { startGitHubStandin } from './github-standin.mjs'
import { pullRequestEvent, runAction } from './run-action.mjs'
import { createCollection, createField, directusRequest, seedRealisticSchema, updateField } from './seed.mjs'

const GITHUB_TOKEN = 'ghs_demo_token'

/**
 * Starts base, target and GitHub stand-in, runs `work` with them, and stops
 * everything whatever happens.
 * @template T
 * @param {(demo: import('./demo.d.mts').Demo) => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function withDemo(work) {
  const started = []
  try {
    const [base, target, github] = await Promise.all([
      startDirectus({ db: 'sqlite', name: 'demo-base' }),
      startDirectus({ db: 'sqlite', name: 'demo-target' }),
      startGitHubStandin({ tokens: { [GITHUB_TOKEN]: { login: 'github-actions[bot]', installation: true } } })
    ])
    started.push(base, target, github)
    return await work({ base, target, github })
  } finally {
    await Promise.all(started.map((service) => service.stop()))
  }
}

/**
 * The action's plan on pull request #1 for target `staging`; returns the run and the comment it wrote.
 * @param {import('./demo.d.mts').Demo} demo
 */
export async function planOnPullRequest({ base, target, github }) {
  // The pull request as GitHub's API shows it: open. The plan reads its state from there.
  github.addPullRequest('acme', 'site', { number: 1, head: { sha: 'a'.repeat(40), ref: 'feature-1' }, base: { ref: 'main' } })
  const run = await runAction({
    inputs: {
      command: 'plan',
      'base-url': base.url,
      'base-token': base.adminToken,
      'target-url': target.url,
      'target-token': target.adminToken,
      'target-name': 'staging',
      'github-token': GITHUB_TOKEN
    },
    event: pullRequestEvent(1, 'a'.repeat(40)),
    env: { GITHUB_API_URL: github.url }
  })
  if (run.code !== 0) throw new Error(`the action exited with ${run.code}\n${run.stdout}\n${run.stderr}`)
  const [comment] = github.comments('acme', 'site', 1)
  return { run, comment: comment?.body }
}

/**
 * A typical review: both sides run the same blog schema, then the base gains
 * a collection and a field and rewords a note, while the target still has a
 * field the base dropped (so the plan shows a destructive change).
 * @param {import('./demo.d.mts').Demo} demo
 */
export async function seedReviewScenario({ base, target }) {
  await Promise.all([seedRealisticSchema(base.url, base.adminToken), seedRealisticSchema(target.url, target.adminToken)])
  await createCollection(
    base.url,
    base.adminToken,
    'newsletter_signups',
    [
      {
        field: 'email',
        type: 'string',
        schema: { max_length: 255, is_nullable: false, is_unique: true },
        meta: { interface: 'input', required: true, note: 'Confirmed by double opt-in' }
      },
      { field: 'confirmed', type: 'boolean', schema: { default_value: false }, meta: { interface: 'boolean', special: ['cast-boolean'] } }
    ],
    { meta: { icon: 'mail', note: 'Sign-ups from the site footer' } }
  )
  await createField(base.url, base.adminToken, 'articles', {
    field: 'reading_time',
    type: 'integer',
    schema: {},
    meta: { interface: 'input', note: 'Minutes, computed on save' }
  })
  await updateField(base.url, base.adminToken, 'authors', 'bio', { meta: { note: 'Shown under every article (Markdown)' } })
  await createField(target.url, target.adminToken, 'authors', {
    field: 'fax_number',
    type: 'string',
    schema: { max_length: 40 },
    meta: { interface: 'input' }
  })
  // What the drop touches: the plan counts the fax numbers it would lose.
  await directusRequest(target.url, target.adminToken, 'POST', '/items/authors', [
    { name: 'Ada Lovelace', fax_number: '+44 20 7946 0000' },
    { name: 'Grace Hopper' }
  ])
}
