import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import * as undici from 'undici'
import { EnvHttpProxyAgent, fetch } from '../../src/http/undici.js'

/**
 * src/http/undici.ts imports two of undici's modules by path, so that starts
 * do not load all of undici. These are the checks that the paths still lead
 * to the real thing.
 */
const ROOT = join(import.meta.dirname, '../..')

describe('the undici parts imported by path', () => {
  it('are the modules of the exact undici version package.json pins', () => {
    const pinned = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[
      'undici'
    ]
    const installed = (JSON.parse(readFileSync(join(ROOT, 'node_modules/undici/package.json'), 'utf8')) as { version: string }).version
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/)
    expect(installed).toBe(pinned)
  })

  it('give the very EnvHttpProxyAgent the entry point exports', () => {
    expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent)
  })

  it('give a fetch that sends through the given dispatcher and reads the answer', async () => {
    let seen = ''
    const server = createServer((request, response) => {
      seen = `${request.method} ${request.url}`
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"version":"12.4.0"}}')
    })
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
    const dispatcher = new EnvHttpProxyAgent()
    let dispatched = 0
    const counting = dispatcher.compose((dispatch) => (options, handler) => (dispatched++, dispatch(options, handler)))
    try {
      const { port } = server.address() as AddressInfo
      const response = await fetch(`http://127.0.0.1:${port}/server/info`, { dispatcher: counting })
      expect(await response.json()).toEqual({ data: { version: '12.4.0' } })
      expect(seen).toBe('GET /server/info')
      expect(dispatched).toBe(1)
    } finally {
      await dispatcher.destroy()
      await new Promise((closed) => server.close(closed))
    }
  })
})
