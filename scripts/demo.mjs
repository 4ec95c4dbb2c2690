// `npm run demo`: two throwaway Directus instances on SQLite, a schema change
// in the base, and the action's plan run against them exactly as the runner
// runs dist/index.js. Prints the pull-request comment it wrote.
import { planOnPullRequest, withDemo } from './lib/demo.mjs'
import { seedRealisticSchema } from './lib/seed.mjs'

try {
  await withDemo(async (demo) => {
    console.error(`base ${demo.base.url}, target ${demo.target.url}; seeding a schema change in the base…`)
    await seedRealisticSchema(demo.base.url, demo.base.adminToken)
    const { run, comment } = await planOnPullRequest(demo)
    console.log(comment ?? '(no comment was written)')
    console.error(`\noutputs: ${JSON.stringify(run.outputs, null, 2)}`)
    console.error(`plan took ${run.durationMs} ms`)
  })
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`)
  process.exitCode = 1
}
