// Types for picture.mjs. (A `.d.mts` is what TypeScript's NodeNext resolution looks up for `./picture.mjs`.)
export declare const ROOT: string
export declare const PICTURE: string
export declare const PICTURE_RECORD: string
export declare const PICTURE_MARKDOWN: string
export declare function rendererFiles(root?: string): string[]
export declare function rendererHash(root?: string): string
export declare function pngSize(buffer: Buffer): { width: number; height: number }

/** docs/plan-comment.json */
export interface PictureRecord {
  generatedBy: string
  renderer: string
  rendererFiles: string[]
  image: { file: string; width: number; height: number; scale: number }
  markdown: string
}
