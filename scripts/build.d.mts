// Types for build.mjs.

/** The bundles `npm run build` makes: an entry point and its output directory under --out. */
export const BUNDLES: { entry: string; dir: string }[]

/** Builds every bundle into `out`, which is emptied first. */
export function build(out: string): void
