import type { IssueRef, Octokit } from './comments.js'
import { httpStatus } from './comments.js'
import { GitHubError } from './error.js'

export type CommittedFile = { kind: 'file'; text: string } | { kind: 'missing' } | { kind: 'not-a-file' }

/**
 * A file's content at a commit, read as data through the contents API and
 * never checked out or run. The raw media type serves files up to GitHub's
 * 100 MB (the JSON form stops at 1 MB). A directory has no raw form: GitHub
 * answers its JSON listing whatever was asked, which is not a file.
 */
export async function readCommittedFile(
  octokit: Octokit,
  repository: Omit<IssueRef, 'number'>,
  path: string,
  ref: string,
  maxBytes: number
): Promise<CommittedFile> {
  let response
  try {
    response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: repository.owner,
      repo: repository.repo,
      path,
      ref,
      mediaType: { format: 'raw' }
    })
  } catch (error) {
    if (httpStatus(error) === 404) return { kind: 'missing' }
    throw error
  }
  const contentType = String((response.headers as Record<string, unknown>)['content-type'] ?? '')
  if (/^application\/json\b/i.test(contentType) || typeof response.data !== 'string') return { kind: 'not-a-file' }
  const text = response.data
  if (Buffer.byteLength(text) > maxBytes) {
    throw new GitHubError(
      `GitHub: ${path} at ${ref} is larger than ${Math.round(maxBytes / (1024 * 1024))} MiB, more than a schema snapshot needs`,
      'GET /repos/{owner}/{repo}/contents/{path}'
    )
  }
  return { kind: 'file', text }
}
