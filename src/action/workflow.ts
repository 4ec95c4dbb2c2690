/**
 * The runner's protocol, as far as the action uses it: inputs from INPUT_*
 * variables, workflow commands on stdout (log lines, masks, groups,
 * annotations), outputs and the job summary through the files the runner
 * names (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
 *
 * Written here, with the same formats and checks as @actions/core 3, instead
 * of importing that package: its entry point loads an HTTP client, a second
 * undici and a process runner (for OIDC tokens and platform details this
 * action never asks for) before the action could send its first request.
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync, existsSync } from 'node:fs'
import { access, appendFile, constants } from 'node:fs/promises'
import { EOL } from 'node:os'

/** An input's value, trimmed; empty when it is not set. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

/** From here on the runner shows this value as *** in every log line. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

export function setOutput(name: string, value: string): void {
  const file = process.env['GITHUB_OUTPUT'] || ''
  if (file) {
    appendToFile(file, keyValueMessage(name, value))
    return
  }
  process.stdout.write(EOL)
  issueCommand('set-output', { name }, value)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

/** Shown only when the run has debug logging on. */
export function debug(message: string): void {
  issueCommand('debug', {}, message)
}

export function notice(message: string): void {
  issueCommand('notice', {}, message)
}

export function warning(message: string): void {
  issueCommand('warning', {}, message)
}

export function error(message: string): void {
  issueCommand('error', {}, message)
}

/** The step fails, with this message as its error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

export function startGroup(name: string): void {
  issueCommand('group', {}, name)
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '')
}

/**
 * Appends to the job summary file, when the runner gives one; the heading
 * (plain text, escaped by the caller) becomes an <h3>.
 */
export async function appendSummary(markdown: string, heading?: string): Promise<void> {
  const file = process.env['GITHUB_STEP_SUMMARY']
  if (!file) return
  try {
    await access(file, constants.R_OK | constants.W_OK)
  } catch {
    throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`)
  }
  const headingLines = heading === undefined ? '' : `<h3>${heading}</h3>${EOL}`
  await appendFile(file, `${headingLines}${markdown}${EOL}`, { encoding: 'utf8' })
}

/** `::name key=value,key=value::message`, escaped so that no value can end the command or start another. */
function issueCommand(command: string, properties: Record<string, string>, message: string): void {
  const shown = Object.entries(properties)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',')
  process.stdout.write(`::${command}${shown ? ` ${shown}` : ''}::${escapeData(message)}${EOL}`)
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

function appendToFile(file: string, message: string): void {
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`)
  appendFileSync(file, `${message}${EOL}`, { encoding: 'utf8' })
}

/** `name<<DELIMITER`, the value, `DELIMITER`: a delimiter no value can contain, so no value can set another output. */
function keyValueMessage(name: string, value: string): string {
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`
}
