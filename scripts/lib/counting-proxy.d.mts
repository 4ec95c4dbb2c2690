// Types for counting-proxy.mjs.

export interface CountingProxy {
  /** Where to send requests instead of the upstream server. */
  url: string
  /** Every request passed through since the start or the last reset, as 'METHOD /path', in order. */
  requests(): string[]
  /** The same requests with their query strings, as 'METHOD /path?query': to replay them. */
  requestUrls(): string[]
  reset(): void
  stop(): Promise<void>
}

export function startCountingProxy(upstream: string): Promise<CountingProxy>
