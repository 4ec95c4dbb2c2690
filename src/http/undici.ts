/**
 * The two parts of undici this project uses, imported by path. undici's entry
 * point loads all of undici (mock agents, caches, WebSocket, EventSource, the
 * whole request API): over half a megabyte more to compile at every start,
 * before the first request. These are undici's own modules, the very ones its
 * entry point re-exports (a unit test checks that), at the paths of the exact
 * version package.json pins.
 */
import envHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js'
import fetchModule from 'undici/lib/web/fetch/index.js'

export type { Dispatcher } from 'undici'

/** undici's fetch, which takes a `dispatcher`; unlike the entry point's, it adds no stack frames to errors. */
export const fetch = fetchModule.fetch

/** An agent that takes HTTP_PROXY, HTTPS_PROXY and NO_PROXY from the environment. */
export const EnvHttpProxyAgent = envHttpProxyAgent
export type EnvHttpProxyAgent = InstanceType<typeof envHttpProxyAgent>
