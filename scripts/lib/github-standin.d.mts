// TypeScript (NodeNext) reads `X.d.mts` for an import of `X.mjs`; the
// declarations live in github-standin.d.ts.
export * from './github-standin.js'
