// `npm run screenshot`: the picture at the top of the README, from a real run.
// Runs the action's plan against the demo instances (scripts/lib/demo.mjs),
// renders the comment it wrote as GitHub-flavoured HTML with GitHub-like
// styling (scripts/lib/comment-html.mjs), and photographs it in headless
// Chromium. Writes docs/plan-comment.png, the Markdown beside it, and
// docs/plan-comment.json with the renderer's hash: a unit test fails when
// src/report/ changes and the picture is not made again.
//
// Needs Debian's Chromium and an emoji font:
//   apt-get update && apt-get install -y chromium fonts-noto-color-emoji
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { commentPage } from './lib/comment-html.mjs'
import { planOnPullRequest, seedReviewScenario, withDemo } from './lib/demo.mjs'
import { PICTURE, PICTURE_MARKDOWN, PICTURE_RECORD, ROOT, pngSize, rendererFiles, rendererHash } from './lib/picture.mjs'

const WIDTH = 880
/** Twice the CSS pixels: sharp on high-density screens, and GitHub scales it down to the column. */
const SCALE = 2
const CHROMIUM = process.env['CHROMIUM'] ?? 'chromium'

async function main() {
  console.error('Starting the demo instances and running the plan…')
  const comment = await withDemo(async (demo) => {
    await seedReviewScenario(demo)
    const { run, comment } = await planOnPullRequest(demo)
    if (!comment) throw new Error('the plan wrote no comment')
    console.error(`plan: ${run.outputs['summary']} (${run.durationMs} ms)`)
    return comment
  })

  const work = mkdtempSync(join(tmpdir(), 'dsa-screenshot-'))
  try {
    const page = join(work, 'comment.html')
    writeFileSync(page, commentPage(comment, { width: WIDTH }))
    // Pass 1: the height the page needs (the page writes it into the DOM).
    const dom = chromium(work, ['--dump-dom', pathToFileURL(page).href], `${WIDTH},800`)
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1])
    if (!Number.isFinite(height) || height <= 0) throw new Error('Chromium did not report the page height')
    // Pass 2: the picture, exactly that tall.
    mkdirSync(join(ROOT, 'docs'), { recursive: true })
    chromium(work, [`--screenshot=${join(ROOT, PICTURE)}`, `--force-device-scale-factor=${SCALE}`, pathToFileURL(page).href], `${WIDTH},${height}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }

  const size = pngSize(readFileSync(join(ROOT, PICTURE)))
  writeFileSync(join(ROOT, PICTURE_MARKDOWN), `${comment}\n`)
  /** @type {import('./lib/picture.d.mts').PictureRecord} */
  const record = {
    generatedBy: 'npm run screenshot',
    renderer: rendererHash(),
    rendererFiles: rendererFiles(),
    image: { file: PICTURE, ...size, scale: SCALE },
    markdown: PICTURE_MARKDOWN
  }
  writeFileSync(join(ROOT, PICTURE_RECORD), `${JSON.stringify(record, null, 2)}\n`)
  console.error(`wrote ${PICTURE} (${size.width}×${size.height}), ${PICTURE_MARKDOWN} and ${PICTURE_RECORD}`)
}

/** Headless Chromium with a fresh profile, nothing in the background, no network but the file. */
function chromium(work, args, windowSize) {
  const profile = mkdtempSync(join(work, 'profile-'))
  return execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      `--window-size=${windowSize}`,
      ...args
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }
  )
}

try {
  await main()
} catch (error) {
  const missing = /** @type {{ code?: string }} */ (error).code === 'ENOENT'
  console.error(
    missing
      ? `screenshot failed: ${CHROMIUM} is not installed (apt-get install -y chromium fonts-noto-color-emoji, or set CHROMIUM)`
      : `screenshot failed: ${error instanceof Error ? error.message : error}`
  )
  process.exitCode = 1
}
