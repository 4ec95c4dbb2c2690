import { run } from './main.js'

// The entry point the runner executes (dist/index.js). Nothing may keep the
// process alive after run() settles: connections are closed in run().
await run()
