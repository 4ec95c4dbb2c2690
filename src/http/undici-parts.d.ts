// Types of the undici modules that src/http/undici.ts imports by path: those of the entry point that re-exports them.
declare module 'undici/lib/web/fetch/index.js' {
  const fetchModule: { fetch: typeof import('undici').fetch }
  export default fetchModule
}

declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  const EnvHttpProxyAgent: typeof import('undici').EnvHttpProxyAgent
  export default EnvHttpProxyAgent
}
