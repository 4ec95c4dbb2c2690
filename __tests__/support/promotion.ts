import type { DirectusInstance } from '../../scripts/lib/directus-instance.mjs'
import type { Standin } from '../../scripts/lib/github-standin.mjs'
import { channels, errorLines, pullRequestEvent, runAction, type ActionRun } from '../../scripts/lib/run-action.mjs'
import { getSnapshot } from '../../scripts/lib/seed.mjs'

/**
 * The pull-request flow as GitHub drives it, for end-to-end tests: plan on a
 * pull request, record the merge, apply on the push of the merge commit.
 */
export const BOT = 'github-actions[bot]'

export interface Review {
  pr: number
  mergeSha: string
  plan: ActionRun
}

export class PromotionFlow {
  private nextPr: number

  constructor(
    private readonly github: Standin,
    private readonly githubToken: string,
    firstPr: number
  ) {
    this.nextPr = firstPr
  }

  /** Base (instance or snapshot file) and target inputs for the action. */
  static inputs(
    base: DirectusInstance | { snapshot: string },
    target: DirectusInstance,
    extra: Record<string, string> = {}
  ): Record<string, string> {
    const baseInputs: Record<string, string> =
      'snapshot' in base ? { 'base-snapshot': base.snapshot } : { 'base-url': base.url, 'base-token': base.adminToken }
    return {
      ...baseInputs,
      'target-url': target.url,
      'target-token': target.adminToken,
      'target-name': 'staging',
      'timeout-seconds': '120',
      ...extra
    }
  }

  /** Plans an open pull request; then a writer approves it and it is merged, each a second later in GitHub's time. */
  async plan(inputs: Record<string, string>, timeoutMs = 120_000, env: Record<string, string> = {}): Promise<Review> {
    const pr = this.nextPr++
    const headSha = `${pr}`.padStart(40, 'a')
    const mergeSha = `${pr}`.padStart(40, 'b')
    this.github.addPullRequest('acme', 'site', { number: pr, head: { sha: headSha, ref: `feature-${pr}` }, base: { ref: 'main' } })
    const plan = await runAction({
      inputs: { command: 'plan', 'github-token': this.githubToken, ...inputs },
      event: pullRequestEvent(pr, headSha),
      env: { ...env, GITHUB_API_URL: this.github.url },
      timeoutMs
    })
    approveAndMerge(this.github, pr, mergeSha)
    return { pr, mergeSha, plan }
  }

  apply(inputs: Record<string, string>, review: Review, timeoutMs = 120_000, env: Record<string, string> = {}): Promise<ActionRun> {
    return runAction({
      inputs: { command: 'apply', 'github-token': this.githubToken, ...inputs },
      eventName: 'push',
      event: { ref: 'refs/heads/main', after: review.mergeSha },
      env: { ...env, GITHUB_API_URL: this.github.url, GITHUB_SHA: review.mergeSha },
      timeoutMs
    })
  }

  comment(pr: number): string {
    const comment = this.github.comments('acme', 'site', pr).find((candidate) => candidate.user.login === BOT)
    if (!comment) throw new Error(`no plan comment on #${pr}`)
    return comment.body
  }
}

/** The reviewer of these flows: a writer who is not the author. */
export const REVIEWER = 'reviewer-bob'

/**
 * What happens on GitHub between plan and apply: a writer approves the
 * planned head, then it is merged. GitHub's times have one-second resolution
 * and an approval counts only after the plan, so the stand-in's clock moves a
 * second before each.
 */
export function approveAndMerge(github: Standin, pr: number, mergeSha: string): void {
  github.setPermission('acme', 'site', REVIEWER, 'write')
  github.clock.advance(1000)
  github.addReview('acme', 'site', pr, { login: REVIEWER, state: 'APPROVED' })
  github.clock.advance(1000)
  github.updatePullRequest('acme', 'site', pr, { state: 'closed', merged_at: github.clock.now().toISOString(), merge_commit_sha: mergeSha })
}

export async function collectionsOf(instance: DirectusInstance): Promise<string[]> {
  const snapshot = await getSnapshot(instance.url, instance.adminToken)
  return (snapshot.collections as { collection: string }[]).map((collection) => collection.collection).sort()
}

export async function schemaOf(instance: DirectusInstance): Promise<string> {
  return JSON.stringify(await getSnapshot(instance.url, instance.adminToken))
}

/** Exit code 1, exactly one error line matching every pattern, no stack trace. */
export function expectOneCleanFailure(run: ActionRun, ...patterns: RegExp[]): string {
  expect(run.code).toBe(1)
  const errors = errorLines(run)
  expect(errors).toHaveLength(1)
  const line = errors[0] as string
  for (const pattern of patterns) expect(line).toMatch(pattern)
  expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/)
  return line
}

export function expectNoSecrets(run: ActionRun, secrets: string[]): void {
  const everything = channels(run)
  for (const secret of secrets) expect(everything).not.toContain(secret)
}

export function expectSucceeded(run: ActionRun): void {
  if (run.code !== 0) throw new Error(`the action failed:\n${errorLines(run).join('\n')}\n${run.stderr}`)
}
