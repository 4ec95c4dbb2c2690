import { fetch as undiciFetch, type Dispatcher } from './undici.js'

/**
 * undici's fetch with a timeout over the whole exchange: the body is read
 * inside it, so a stalled or cut body fails the request instead of hanging or
 * reaching a parser as half a document, and an answer larger than
 * `maxBodyBytes` fails instead of exhausting memory. Shared by the Directus
 * transport and the GitHub client.
 */
export interface WholeFetchOptions {
  dispatcher: Dispatcher
  timeoutMs: number
  maxBodyBytes?: number
}

export interface WholeAnswer {
  /** The answer, with its body already read: served from memory, in the chunks it arrived in, never copied. */
  response: Response
  /** The first bytes of the body (up to 64 KiB): enough to describe an answer that was not the one asked for. */
  head: Uint8Array
}

/** How much of a body `head` keeps. */
export const HEAD_BYTES = 64 * 1024

/** Far above any real schema snapshot, well below what one JSON string in Node can hold (512 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024

/** An answer larger than the cap: not read. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError'
  constructor(
    readonly maxBytes: number,
    readonly status: number
  ) {
    super(`the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; not read`)
  }
}

export async function fetchWhole(url: string, init: RequestInit, options: WholeFetchOptions): Promise<WholeAnswer> {
  const timeout = AbortSignal.timeout(options.timeoutMs)
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout
  const response = await undiciFetch(url, { ...(init as Parameters<typeof undiciFetch>[1]), signal, dispatcher: options.dispatcher })
  const chunks = await readCapped(response, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
  return {
    head: firstBytes(chunks, HEAD_BYTES),
    response: new Response(nullBodyStatus(response.status) ? null : streamOf(chunks), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as unknown as Headers
    })
  }
}

/** The body's chunks, read in full unless they grow past `maxBytes`. */
async function readCapped(response: Awaited<ReturnType<typeof undiciFetch>>, maxBytes: number): Promise<Uint8Array[]> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw new BodyTooLargeError(maxBytes, response.status)
  }
  if (!response.body) return []
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of response.body) {
    total += chunk.byteLength
    if (total > maxBytes) throw new BodyTooLargeError(maxBytes, response.status) // leaving the loop cancels the stream
    chunks.push(chunk)
  }
  return chunks
}

/** The chunks as a body stream, each handed over once and then let go. */
function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next]
      if (chunk === undefined) {
        controller.close()
        return
      }
      chunks[next++] = EMPTY
      controller.enqueue(chunk)
    }
  })
}

const EMPTY = new Uint8Array(0)

function firstBytes(chunks: readonly Uint8Array[], maxBytes: number): Uint8Array {
  const head = new Uint8Array(
    Math.min(
      maxBytes,
      chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
    )
  )
  let offset = 0
  for (const chunk of chunks) {
    if (offset >= head.byteLength) break
    const part = chunk.subarray(0, head.byteLength - offset)
    head.set(part, offset)
    offset += part.byteLength
  }
  return head
}

function nullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304
}
