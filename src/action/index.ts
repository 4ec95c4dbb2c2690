// Must come first: it reads the event file before @actions/github does.
import './event-guard.js'
import { run } from './main.js'

// The entry point the runner executes (dist/index.js). Nothing may keep the
// process alive after run() settles: connections are closed in run().
await run()
