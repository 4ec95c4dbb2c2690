#!/usr/bin/env node
import { isSupportedNode, unsupportedNodeMessage } from './node-version.js'

// The `directus-schema-action` command (dist/cli/index.js). The Node.js
// version is checked before the rest is imported: the bundled undici fails as
// soon as it loads on an older Node.js. The rest is a chunk of its own, so
// it is not even compiled then. The exit code is set, not forced, so buffered
// output is written before the process ends.
if (isSupportedNode(process.version)) {
  const { main } = await import('./main.js')
  process.exitCode = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr
  })
} else {
  process.stderr.write(unsupportedNodeMessage(process.version))
  process.exitCode = 1
}
