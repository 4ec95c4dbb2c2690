// Types for comment-html.mjs. (A `.d.mts` is what TypeScript's NodeNext resolution looks up for `./comment-html.mjs`.)

/** GitHub-flavoured Markdown with GitHub alerts, as HTML. */
export declare function commentToHtml(markdown: string): string

/** A whole HTML page showing the comment as a pull-request comment. */
export declare function commentPage(markdown: string, options?: { author?: string; width?: number }): string
