import { fetch as undiciFetch, type Dispatcher } from 'undici'

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
  /** The answer, with its body already read (a Response over `body`). */
  response: Response
  body: ArrayBuffer
}

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
  const body = await readCapped(response, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
  return {
    body,
    response: new Response(nullBodyStatus(response.status) ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as unknown as Headers
    })
  }
}

/** The body, read in full unless it grows past `maxBytes`. */
async function readCapped(response: Awaited<ReturnType<typeof undiciFetch>>, maxBytes: number): Promise<ArrayBuffer> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw new BodyTooLargeError(maxBytes, response.status)
  }
  if (!response.body) return new ArrayBuffer(0)
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of response.body) {
    total += chunk.byteLength
    if (total > maxBytes) throw new BodyTooLargeError(maxBytes, response.status) // leaving the loop cancels the stream
    chunks.push(chunk)
  }
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body.buffer
}

function nullBodyStatus(status: number): boolean {
  return status === 204 || status === 205 || status === 304
}
