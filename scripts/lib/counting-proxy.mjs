// A reverse proxy in front of one HTTP server that counts the requests passing through it, for `npm run bench`
// to say how many requests each tool sends. Bodies are streamed both ways, untouched. Types in counting-proxy.d.mts.
import { createServer, request as httpRequest } from 'node:http'

/**
 * @param {string} upstream e.g. http://127.0.0.1:8055
 * @returns {Promise<import('./counting-proxy.d.mts').CountingProxy>}
 */
export async function startCountingProxy(upstream) {
  const target = new URL(upstream)
  /** @type {string[]} */
  let seen = []
  /** @type {string[]} */
  let seenUrls = []
  const server = createServer((incoming, outgoing) => {
    seen.push(`${incoming.method} ${new URL(incoming.url ?? '/', 'http://proxy').pathname}`)
    seenUrls.push(`${incoming.method} ${incoming.url ?? '/'}`)
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers)
        answer.pipe(outgoing)
      },
    )
    forwarded.on('error', (error) => outgoing.destroy(error))
    incoming.pipe(forwarded)
  })
  await new Promise((listening) => server.listen(0, '127.0.0.1', () => listening(undefined)))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    requestUrls: () => [...seenUrls],
    reset: () => {
      seen = []
      seenUrls = []
    },
    stop: () =>
      new Promise((closed) => {
        server.closeAllConnections()
        server.close(() => closed(undefined))
      }),
  }
}
