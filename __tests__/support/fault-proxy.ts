import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A reverse proxy on loopback that forwards to a live upstream and can be
 * scripted per request to misbehave: the faults a real network and load
 * balancer produce.
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  /**
   * Answers with this status instead of the upstream. With `after`, the
   * upstream handles the request in full first: a load balancer that gave up
   * waiting while the work went on behind it.
   */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string; after?: boolean }
  /** Drops the connection before the request reaches the upstream. */
  | { kind: 'reset-before' }
  /** Lets the upstream handle the request in full, then drops the client's connection. */
  | { kind: 'reset-after' }
  /** Accepts the request and never answers; with `after`, only once the upstream has handled it. */
  | { kind: 'stall'; after?: boolean }
  /** Sends the upstream's headers and half its body, then drops the connection. */
  | { kind: 'truncate' }
  /** Answers 200 with a JSON body of this many bytes; with `declareLength`, announced in content-length. */
  | { kind: 'oversize'; bytes: number; declareLength?: boolean }
  /** Forwards, then answers with the upstream's JSON changed by `transform`. */
  | { kind: 'rewrite'; transform: (json: unknown) => unknown }

export interface FaultRule {
  method?: string
  path?: RegExp
  /** How many matching requests get the fault; default 1, Infinity for all. */
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
  /** Requests seen for a method and path, faulted or not. */
  count(method: string, path: RegExp): number
  stop(): Promise<void>
}

/** Ready-made faults, shaped like what real proxies and Directus send. */
export const faults = {
  /** A load balancer's own error page: HTML, not Directus' JSON. */
  badGatewayHtml(options: { after?: boolean } = {}): Fault {
    return {
      kind: 'status',
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
      ...options
    }
  },
  /** 429 or 503 with Retry-After in seconds. */
  retryAfter(status: 429 | 503, seconds: number): Fault {
    return {
      kind: 'status',
      status,
      headers: { 'retry-after': String(seconds) },
      body: JSON.stringify({
        errors: [
          {
            message: status === 429 ? 'Too many requests' : 'Under pressure',
            extensions: { code: status === 429 ? 'REQUESTS_EXCEEDED' : 'SERVICE_UNAVAILABLE' }
          }
        ]
      })
    }
  }
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream)
  const rules: FaultRule[] = []
  const log: ProxyRecord[] = []
  let injected = 0
  const stalled = new Set<ServerResponse>()

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
        if (fault.after) await collect(req, body)
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
        res.end(fault.body ?? '')
        return
      case 'reset-before':
        req.socket.destroy()
        return
      case 'reset-after':
        await collect(req, body)
        req.socket.destroy()
        return
      case 'stall':
        if (fault.after) await collect(req, body)
        stalled.add(res)
        return
      case 'truncate': {
        const answer = await collect(req, body)
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) })
        res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)))
        setTimeout(() => req.socket.destroy(), 20)
        return
      }
      case 'oversize':
        return sendOversize(res, fault.bytes, fault.declareLength ?? false)
      case 'rewrite': {
        const answer = await collect(req, body)
        const json = JSON.parse(answer.body.toString('utf8')) as { data?: unknown }
        const rewritten = Buffer.from(JSON.stringify({ ...json, data: fault.transform(json.data) }))
        res.writeHead(answer.status, { ...answer.headers, 'content-length': String(rewritten.length) })
        res.end(rewritten)
        return
      }
    }
  }

  /** The client's request, sent on to the upstream as it came. */
  function upstreamOptions(req: IncomingMessage, body: Buffer): RequestOptions {
    return {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host, 'content-length': String(body.length) }
    }
  }

  function forward(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const upstreamRequest = httpRequest(upstreamOptions(req, body), (upstreamResponse) => {
      res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers)
      upstreamResponse.pipe(res)
    })
    upstreamRequest.on('error', () => res.destroy())
    upstreamRequest.end(body)
  }

  function collect(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const upstreamRequest = httpRequest(upstreamOptions(req, body), async (upstreamResponse) => {
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(upstreamResponse.headers)) {
          if (typeof value === 'string' && name !== 'transfer-encoding') headers[name] = value
        }
        resolve({ status: upstreamResponse.statusCode ?? 502, headers, body: await readBody(upstreamResponse) })
      })
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
    count: (method, path) => log.filter((entry) => entry.method === method && path.test(entry.path)).length,
    stop: async () => {
      for (const res of stalled) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** Writes with backpressure, and stops as soon as the client hangs up. */
async function sendOversize(res: ServerResponse, bytes: number, declareLength: boolean): Promise<void> {
  const head = '{"data":"'
  const tail = '"}'
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(declareLength ? { 'content-length': String(head.length + bytes + tail.length) } : {})
  })
  const chunk = Buffer.alloc(64 * 1024, 'a')
  res.write(head)
  let closed = false
  res.on('close', () => (closed = true))
  for (let sent = 0; sent < bytes && !closed; sent += chunk.length) {
    const piece = bytes - sent < chunk.length ? chunk.subarray(0, bytes - sent) : chunk
    if (!res.write(piece)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve))
  }
  if (!closed) res.end(tail)
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
