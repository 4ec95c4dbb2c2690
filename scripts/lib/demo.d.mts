// Types for demo.mjs. (A `.d.mts` is what TypeScript's NodeNext resolution looks up for `./demo.mjs`.)
import type { DirectusInstance } from './directus-instance.mjs'
import type { Standin } from './github-standin.mjs'
import type { ActionRun } from './run-action.mjs'

export interface Demo {
  base: DirectusInstance
  target: DirectusInstance
  github: Standin
}

export declare function withDemo<T>(work: (demo: Demo) => Promise<T>): Promise<T>
export declare function planOnPullRequest(demo: Demo): Promise<{ run: ActionRun; comment: string | undefined }>
export declare function seedReviewScenario(demo: Demo): Promise<void>
