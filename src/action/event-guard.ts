import { readRunnerContext, type RunnerContext } from '../github/context.js'

/**
 * The entry point imports this before anything else. @actions/github builds
 * its Context when it is imported and throws on an event file that is not
 * JSON, before the action could say what is wrong. So the runner's context is
 * read here first, once; when the event file is unusable its path is hidden
 * from @actions/github (whose Context then sees an empty payload) and the
 * action fails on `eventProblem` in one line.
 */
export const runnerContext: RunnerContext = readRunnerContext()

if (runnerContext.eventProblem) delete process.env['GITHUB_EVENT_PATH']
