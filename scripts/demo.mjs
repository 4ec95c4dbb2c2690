// `npm run demo`: two throwaway Directus instances on SQLite and a typical review (the base gains a collection and
// a field and rewords a note; the target still has a field the base dropped, so one change is destructive).
//
// - Prints the terminal report of this project's command line (`directus-schema-action plan`), in colour when
//   stdout is a terminal.
// - Runs the action's plan exactly as the runner runs dist/index.js, against a stand-in GitHub, and writes the
//   comment it posted, rendered the way GitHub shows it (the renderer of the README's picture), to an HTML file
//   whose path it prints.
//
//   npm run demo [-- --markdown]   --markdown prints the comment's raw Markdown instead
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { commentPage } from './lib/comment-html.mjs'
import { planOnPullRequest, seedReviewScenario, withDemo } from './lib/demo.mjs'

const CLI_ENTRY = new URL('../dist/cli/index.js', import.meta.url).pathname
const { values } = parseArgs({ options: { markdown: { type: 'boolean', default: false } } })

try {
  await withDemo(async (demo) => {
    console.error(`base ${demo.base.url}, target ${demo.target.url}; seeding a review…`)
    await seedReviewScenario(demo)
    const { run, comment } = await planOnPullRequest(demo)
    if (!comment) throw new Error('the action wrote no comment')
    if (values.markdown) {
      console.log(comment)
      return
    }
    // The command line's own stdout is this process's, so it sees the terminal (and colours) when there is one.
    const code = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [CLI_ENTRY, 'plan', '--base-url', demo.base.url, '--target-url', demo.target.url, '--target-name', 'staging'],
        {
          env: { ...process.env, DIRECTUS_BASE_TOKEN: demo.base.adminToken, DIRECTUS_TARGET_TOKEN: demo.target.adminToken },
          stdio: ['ignore', 'inherit', 'inherit']
        }
      )
      child.on('error', reject)
      child.on('close', resolve)
    })
    if (code !== 2) throw new Error(`directus-schema-action plan exited with ${code}; 2 means changes`)
    const page = join(tmpdir(), 'directus-schema-plan-comment.html')
    writeFileSync(page, commentPage(comment))
    console.error(`\nThe action's plan took ${run.durationMs} ms; its outputs: summary "${run.outputs['summary']}", digest ${run.outputs['digest']}.`)
    console.error(`The pull-request comment it posted, rendered as GitHub shows it (--markdown prints its Markdown):`)
    console.log(pathToFileURL(page).href)
  })
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`)
  process.exitCode = 1
}
