import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A reverse proxy on loopback that forwards to a live upstream and can be
 * scripted per request to misbehave: the faults a real network and load
 * balancer produce.
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Drops the connection before the request reaches the upstream. */
  | { kind: 'reset-before' }
  /** Lets the upstream handle the request in full, then drops the client's connection. */
  | { kind: 'reset-after' }
  /** Accepts the request and never answers. */
  | { kind: 'stall' }
  /** Sends the upstream's headers and half its body, then drops the connection. */
  | { kind: 'truncate' }
  /** Answers 200 with a JSON body of this many bytes. */
  | { kind: 'oversize'; bytes: number }

export interface FaultRule {
  method?: string
  path?: RegExp
  /** How many matching requests get the fault; default 1. */
  times?: number
  fault: Fault
}

export interface ProxyRecord {
  method: string
  path: string
  fault?: Fault['kind']
}

export interface FaultProxy {
  url: string
  log: ProxyRecord[]
  add(rule: FaultRule): void
  clear(): void
  /** How many faults were served so far. */
  injected(): number
  stop(): Promise<void>
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream)
  const rules: FaultRule[] = []
  const log: ProxyRecord[] = []
  let injected = 0
  const stalled = new Set<ServerResponse>()

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req)
    const path = req.url ?? '/'
    const rule = rules.find(
      (candidate) =>
        (candidate.times ?? 1) > 0 &&
        (!candidate.method || candidate.method === req.method) &&
        (!candidate.path || candidate.path.test(path))
    )
    const record: ProxyRecord = { method: req.method ?? 'GET', path }
    log.push(record)
    if (!rule) return forward(req, body, res)
    rule.times = (rule.times ?? 1) - 1
    injected++
    record.fault = rule.fault.kind
    const fault = rule.fault
    switch (fault.kind) {
      case 'latency':
        await sleep(fault.ms)
        return forward(req, body, res)
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
        return res.end(fault.body ?? '')
      case 'reset-before':
        return req.socket.destroy()
      case 'reset-after':
        await collect(req, body)
        return req.socket.destroy()
      case 'stall':
        stalled.add(res)
        return
      case 'truncate': {
        const answer = await collect(req, body)
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) })
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)))
        return setTimeout(() => req.socket.destroy(), 20)
      }
      case 'oversize': {
        res.writeHead(200, { 'content-type': 'application/json' })
        const chunk = Buffer.alloc(64 * 1024, 'a')
        res.write('{"data":"')
        for (let sent = 0; sent < fault.bytes; sent += chunk.length) res.write(chunk)
        return res.end('"}')
      }
    }
  })

  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const upstreamRequest = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host, 'content-length': String(body.length) }
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers)
        upstreamResponse.pipe(res)
      }
    )
    upstreamRequest.on('error', () => res.destroy())
    upstreamRequest.end(body)
  }

  function collect(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstreamRequest = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host, 'content-length': String(body.length) }
        },
        async (upstreamResponse) => {
          const headers: Record<string, string> = {}
          for (const [name, value] of Object.entries(upstreamResponse.headers)) {
            if (typeof value === 'string' && name !== 'transfer-encoding') headers[name] = value
          }
          resolve({ status: upstreamResponse.statusCode ?? 502, headers, body: await readBody(upstreamResponse) })
        }
      )
      upstreamRequest.on('error', reject)
      upstreamRequest.end(body)
    })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${target.pathname === '/' ? '' : target.pathname}`,
    log,
    add: (rule) => rules.push({ times: 1, ...rule }),
    clear: () => {
      rules.length = 0
    },
    injected: () => injected,
    stop: async () => {
      for (const res of stalled) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => resolve(Buffer.concat(chunks)))
    stream.on('error', reject)
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
