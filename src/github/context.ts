import { existsSync, readFileSync } from 'node:fs'

/**
 * What the runner tells the action about this run, read from the environment
 * the way the runner sets it. Read once, defensively: a missing or corrupt
 * event file is reported, not thrown at import time.
 */
export interface RunnerContext {
  eventName: string
  repository?: { owner: string; repo: string }
  sha: string
  /** GITHUB_REF: on a push, the updated branch (refs/heads/…). */
  ref: string
  runUrl?: string
  pullRequest?: PullRequestEvent
  /**
   * Who caused this run (GitHub logins): the event's sender (on a push to a pull request, its pusher),
   * GITHUB_ACTOR, and GITHUB_TRIGGERING_ACTOR (who re-ran it). A re-run repeats the event, so all count.
   */
  actors?: string[]
  eventProblem?: string
}

export interface PullRequestEvent {
  number: number
  /** The head when the event fired; a re-run repeats it, so the API's head decides. */
  headSha: string
  fromFork: boolean
}

export function readRunnerContext(env: NodeJS.ProcessEnv = process.env): RunnerContext {
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/')
  const repository = owner && repo ? { owner, repo } : undefined
  const { payload, problem } = readEventPayload(env['GITHUB_EVENT_PATH'])
  const serverUrl = env['GITHUB_SERVER_URL'] ?? 'https://github.com'
  const runId = env['GITHUB_RUN_ID']
  const attempt = env['GITHUB_RUN_ATTEMPT']
  return {
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    ...(repository ? { repository } : {}),
    sha: env['GITHUB_SHA'] ?? '',
    ref: env['GITHUB_REF'] ?? '',
    ...(repository && runId
      ? { runUrl: `${serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${runId}${attempt ? `/attempts/${attempt}` : ''}` }
      : {}),
    ...pullRequestFrom(payload),
    actors: actorsOf(env, payload),
    ...eventProblem(env, payload, problem)
  }
}

function actorsOf(env: NodeJS.ProcessEnv, payload: Record<string, unknown>): string[] {
  const sender = (payload['sender'] as { login?: unknown } | undefined)?.login
  const logins = [typeof sender === 'string' ? sender : undefined, env['GITHUB_ACTOR'], env['GITHUB_TRIGGERING_ACTOR']]
  return [...new Set(logins.filter((login): login is string => typeof login === 'string' && login !== ''))]
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** The runner always writes a readable event file; without one the run cannot be trusted to know its pull request. */
function eventProblem(env: NodeJS.ProcessEnv, payload: Record<string, unknown>, problem: string | undefined): { eventProblem?: string } {
  if (problem) return { eventProblem: `${problem}; the runner writes the event payload there` }
  const eventName = env['GITHUB_EVENT_NAME'] ?? ''
  if (PULL_REQUEST_EVENTS.has(eventName) && !pullRequestFrom(payload).pullRequest) {
    return { eventProblem: `GITHUB_EVENT_PATH holds a ${eventName} event without a pull request (number and head sha)` }
  }
  return {}
}

function readEventPayload(path: string | undefined): { payload: Record<string, unknown>; problem?: string } {
  if (!path) return { payload: {}, problem: 'GITHUB_EVENT_PATH is not set' }
  if (!existsSync(path)) return { payload: {}, problem: `GITHUB_EVENT_PATH ${path} does not exist` }
  try {
    const payload = JSON.parse(readFileSync(path, 'utf8')) as unknown
    if (typeof payload !== 'object' || payload === null) return { payload: {}, problem: `GITHUB_EVENT_PATH ${path} is not a JSON object` }
    return { payload: payload as Record<string, unknown> }
  } catch {
    return { payload: {}, problem: `GITHUB_EVENT_PATH ${path} is not valid JSON` }
  }
}

interface PullRequestPayload {
  number?: unknown
  head?: { sha?: unknown; repo?: { full_name?: unknown } | null }
  base?: { repo?: { full_name?: unknown } | null }
}

function pullRequestFrom(payload: Record<string, unknown>): { pullRequest?: PullRequestEvent } {
  const pull = payload['pull_request'] as PullRequestPayload | undefined
  if (!pull || typeof pull.number !== 'number' || typeof pull.head?.sha !== 'string') return {}
  const headRepo = pull.head.repo?.full_name
  const baseRepo = pull.base?.repo?.full_name
  return {
    pullRequest: {
      number: pull.number,
      headSha: pull.head.sha,
      fromFork: typeof headRepo === 'string' && typeof baseRepo === 'string' && headRepo !== baseRepo
    }
  }
}
