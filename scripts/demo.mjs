// `npm run demo`: two throwaway Directus instances on SQLite, a schema change
// in the base, and the action's plan run against them exactly as the runner
// runs dist/index.js. Prints the pull-request comment it wrote.
import { startDirectus } from './lib/directus-instance.mjs'
import { startGitHubStandin } from './lib/github-standin.mjs'
import { pullRequestEvent, runAction } from './lib/run-action.mjs'
import { seedRealisticSchema } from './lib/seed.mjs'

const GITHUB_TOKEN = 'ghs_demo_token'
const started = []

async function main() {
  console.error('Starting base and target Directus (SQLite)…')
  const [base, target, github] = await Promise.all([
    startDirectus({ db: 'sqlite', name: 'demo-base' }),
    startDirectus({ db: 'sqlite', name: 'demo-target' }),
    startGitHubStandin({ tokens: { [GITHUB_TOKEN]: { login: 'github-actions[bot]', installation: true } } })
  ])
  started.push(base, target, github)
  console.error(`base ${base.url}, target ${target.url}; seeding a schema change in the base…`)
  await seedRealisticSchema(base.url, base.adminToken)

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
  if (run.code !== 0) {
    console.error(run.stdout, run.stderr)
    throw new Error(`the action exited with ${run.code}`)
  }
  const [comment] = github.comments('acme', 'site', 1)
  console.log(comment?.body ?? '(no comment was written)')
  console.error(`\noutputs: ${JSON.stringify(run.outputs, null, 2)}`)
  console.error(`plan took ${run.durationMs} ms`)
}

try {
  await main()
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`)
  process.exitCode = 1
} finally {
  await Promise.all(started.map((service) => service.stop()))
}
