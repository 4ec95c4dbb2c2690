/**
 * Asking the person at the keyboard. On a terminal, secrets are read with
 * echo off (raw mode, nothing printed back). Without a terminal (a pipe, a
 * script, CI), each secret is the next line of stdin, as `docker login
 * --password-stdin` does, and there is nobody to confirm anything.
 */
import { createInterface, type Interface } from 'node:readline'
import type { Readable } from 'node:stream'

export interface PromptInput extends Readable {
  isTTY?: boolean
  setRawMode?(mode: boolean): unknown
}

export interface Prompter {
  /** True when a person can answer (stdin is a terminal). */
  readonly interactive: boolean
  /** The answer, or undefined when input ended (Ctrl-D on an empty line, end of stdin). */
  secret(question: string): Promise<string | undefined>
  /** Only on a terminal; y or yes (any case) is yes. */
  confirm(question: string): Promise<boolean>
  close(): void
}

/** Raised when the person presses Ctrl-C at a prompt. */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled'
  constructor() {
    super('Cancelled')
  }
}

export function createPrompter(input: PromptInput, output: NodeJS.WritableStream): Prompter {
  const interactive = input.isTTY === true && typeof input.setRawMode === 'function'
  let reader: { lines: Interface; next: AsyncIterator<string> } | undefined

  // Created on first use only: a run with every credential in the
  // environment never touches stdin, so it cannot block on it.
  const nextLine = async (): Promise<string | undefined> => {
    if (!reader) {
      const lines = createInterface({ input, terminal: false, crlfDelay: Infinity })
      reader = { lines, next: lines[Symbol.asyncIterator]() }
    }
    const next = await reader.next.next()
    return next.done ? undefined : next.value.replace(/\r$/, '')
  }

  return {
    interactive,
    async secret(question) {
      if (!interactive) return nextLine()
      return readHidden(question, input, output)
    },
    async confirm(question) {
      if (!interactive) return false
      output.write(question)
      const answer = await nextLine()
      return answer !== undefined && /^\s*y(es)?\s*$/i.test(answer)
    },
    close() {
      reader?.lines.close()
      input.pause()
    }
  }
}

/** Escape sequences a terminal sends for arrow keys and the like: not part of a secret. */
// eslint-disable-next-line no-control-regex -- matching the terminal's ESC is the point
const ESCAPE_SEQUENCE = /\u001b(\[[0-9;?]*[ -/]*[@-~]|O.|.)?/g

function readHidden(question: string, input: PromptInput, output: NodeJS.WritableStream): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let value = ''
    input.setRawMode?.(true)
    input.setEncoding('utf8')
    // The question comes after raw mode is on, so nothing typed from here is echoed.
    output.write(question)
    input.resume()

    const finish = (): void => {
      input.off('data', onData)
      input.setRawMode?.(false)
      input.pause()
      output.write('\n')
    }
    const onData = (chunk: string | Buffer): void => {
      for (const char of String(chunk).replace(ESCAPE_SEQUENCE, '')) {
        if (char === '\r' || char === '\n') {
          finish()
          resolve(value)
          return
        }
        if (char === '\u0003') {
          finish()
          reject(new PromptCancelled())
          return
        }
        if (char === '\u0004') {
          if (value !== '') continue
          finish()
          resolve(undefined)
          return
        }
        if (char === '\u007f' || char === '\b') {
          value = Array.from(value).slice(0, -1).join('')
          continue
        }
        if (char < ' ') continue
        value += char
      }
    }
    input.on('data', onData)
  })
}
