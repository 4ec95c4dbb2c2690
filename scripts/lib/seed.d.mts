// Types for seed.mjs. (A `.d.mts` is what TypeScript's NodeNext resolution looks up for `./seed.mjs`.)

export interface DirectusErrorEntry {
  message?: string
  extensions?: { code?: string; reason?: string; [key: string]: unknown }
}

/** Thrown by every helper on a non-2xx answer; message: "<METHOD> <path> failed: HTTP <status>: <Directus messages>". */
export declare class DirectusRequestError extends Error {
  constructor(method: string, path: string, status: number, errors: DirectusErrorEntry[], body: string)
  method: string
  path: string
  status: number
  errors: DirectusErrorEntry[]
  /** Raw response body. */
  body: string
}

/** Sends a request with the bearer token; returns the `data` member of the JSON answer (null for 204). */
export declare function directusRequest(url: string, token: string, method: string, path: string, body?: unknown): Promise<any>

/** Creates a second admin user with a random static token (distinct per instance, for sharper secret scans); returns the token. */
export declare function createAdminToken(url: string, token: string): Promise<string>

export type FieldDefinition = Record<string, any>

export declare function primaryKeyField(type?: 'integer' | 'uuid'): FieldDefinition

/** Adds an integer auto-increment `id` unless `fields` has a primary key; `schema: null` makes a folder. */
export declare function createCollection(
  url: string,
  token: string,
  name: string,
  fields?: FieldDefinition[],
  options?: { meta?: Record<string, any>; schema?: Record<string, any> | null },
): Promise<any>
export declare function createField(url: string, token: string, collection: string, field: FieldDefinition): Promise<any>
export declare function updateField(url: string, token: string, collection: string, field: string, patch: FieldDefinition): Promise<any>
export declare function deleteField(url: string, token: string, collection: string, field: string): Promise<void>
export declare function deleteCollection(url: string, token: string, name: string): Promise<void>
export declare function createRelation(url: string, token: string, relation: Record<string, any>): Promise<any>

/** Deletes every user collection (in rounds, since relations and folders constrain the order). */
export declare function dropAllCollections(url: string, token: string): Promise<void>

/** GET /schema/snapshot → the snapshot (`data` of the answer). */
export declare function getSnapshot(url: string, token: string): Promise<any>

export declare const REALISTIC_COLLECTIONS: string[]

/** Folder `blog`, tables authors, tags, articles, articles_tags (m2m junction), singleton site_settings. */
export declare function seedRealisticSchema(
  url: string,
  token: string,
): Promise<{ collections: string[]; fields: number; relations: number }>

/** Collections named `${prefix}0001`…, created in batches of `batchSize` (default 10) via POST /collections. */
export declare function seedLargeSchema(
  url: string,
  token: string,
  options: { collections: number; fieldsPerCollection: number; prefix?: string; batchSize?: number },
): Promise<string[]>

/** For startDirectus({ seed }), built once per version and database. 400 collections x 20 fields: needs Directus 11 (12 caps active collections at 25 without a license). */
export declare const LARGE_SEED: { name: string; run: (instance: { url: string; adminToken: string }) => Promise<unknown> }
/** For startDirectus({ seed }): 20 collections x 10 fields, under Directus 12's 25-collection cap (the bench compares with d6s on it). */
export declare const MEDIUM_SEED: { name: string; run: (instance: { url: string; adminToken: string }) => Promise<unknown> }
