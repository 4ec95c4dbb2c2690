#!/usr/bin/env node
import { main } from './main.js'

// The `directus-schema-action` command (dist/cli/index.js). The exit code is
// set, not forced, so buffered output is written before the process ends.
process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr
})
