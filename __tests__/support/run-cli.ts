import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

/** The committed command line bundle, run as `npx directus-schema-action` would run it. */
export const CLI_ENTRY = resolve(import.meta.dirname, '../../dist/cli/index.js')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

export interface CliRunOptions {
  /** Only these variables (and PATH, HOME) reach the process; no credential leaks in from the test's own environment. */
  env?: Record<string, string>
  /** Written to stdin, which then ends. Without it stdin ends at once: no terminal, nothing to read. */
  input?: string
  timeoutMs?: number
  /** The Node.js binary to run the bundle with; the one running the tests by default. */
  node?: string
}

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...extra }
}

/** Runs the CLI with pipes for stdin, stdout and stderr: no terminal anywhere. */
export async function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const child = spawn(options.node ?? process.execPath, [CLI_ENTRY, ...args], {
    env: baseEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdin.end(options.input ?? '')
  const code = await exitOf(child, options.timeoutMs ?? 120_000, () => `stdout:\n${stdout}\nstderr:\n${stderr}`)
  return { code, stdout, stderr }
}

export interface TerminalRunOptions {
  env?: Record<string, string>
  /** Each answer is typed (then Enter) once the output so far matches its prompt, in order. */
  answers?: { after: RegExp; type: string }[]
  timeoutMs?: number
}

export interface TerminalRun {
  code: number | null
  /** Everything the terminal showed: stdout and stderr together, as a person would see them. */
  screen: string
}

/**
 * Runs the CLI on a real pseudo-terminal, made by util-linux `script`, and
 * types answers as a person would, each only after its prompt is on screen.
 * The screen is what the terminal echoed, so a hidden answer must not be on it.
 */
export async function runCliOnTerminal(args: string[], options: TerminalRunOptions = {}): Promise<TerminalRun> {
  const command = [process.execPath, CLI_ENTRY, ...args].map(shellQuote).join(' ')
  const child = spawn('script', ['--quiet', '--return', '--flush', '--command', command, '/dev/null'], {
    env: baseEnv({ TERM: 'xterm', ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  const answers = [...(options.answers ?? [])]
  let screen = ''
  let answeredUpTo = 0
  const onOutput = (chunk: Buffer): void => {
    screen += chunk.toString()
    const next = answers[0]
    if (next && next.after.test(screen.slice(answeredUpTo))) {
      answers.shift()
      answeredUpTo = screen.length
      child.stdin.write(`${next.type}\r`)
    }
  }
  child.stdout.on('data', onOutput)
  child.stderr.on('data', onOutput)
  const code = await exitOf(child, options.timeoutMs ?? 120_000, () => `screen:\n${screen}`)
  child.stdin.end()
  return { code, screen: screen.replace(/\r\n/g, '\n') }
}

function exitOf(child: ReturnType<typeof spawn>, timeoutMs: number, shown: () => string): Promise<number | null> {
  return new Promise((resolveExit, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the CLI did not exit within ${timeoutMs} ms\n${shown()}`))
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolveExit(code)
    })
  })
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`
}
