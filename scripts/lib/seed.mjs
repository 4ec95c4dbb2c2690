// Schema seeding helpers for tests: plain global fetch against a Directus instance with an admin token.
// Node builtins only; types in seed.d.mts.

/** Error for a failed Directus request: carries the HTTP status and Directus' error messages. */
export class DirectusRequestError extends Error {
  /**
   * @param {string} method @param {string} path @param {number} status
   * @param {Array<{ message?: string, extensions?: { code?: string } }>} errors @param {string} body
   */
  constructor(method, path, status, errors, body) {
    const detail = errors.length
      ? errors.map((e) => `${e.message ?? '(no message)'}${e.extensions?.code ? ` [${e.extensions.code}]` : ''}`).join('; ')
      : body.slice(0, 500) || '(empty body)'
    super(`${method} ${path} failed: HTTP ${status}: ${detail}`)
    this.name = 'DirectusRequestError'
    this.method = method
    this.path = path
    this.status = status
    this.errors = errors
    this.body = body
  }
}

/**
 * Send one request to Directus and return the parsed `data` of its JSON answer (null for 204).
 * @param {string} url base URL of the instance
 * @param {string} token bearer token
 * @param {string} method
 * @param {string} path e.g. /collections
 * @param {unknown} [body] JSON body
 * @returns {Promise<any>}
 */
export async function directusRequest(url, token, method, path, body) {
  const res = await fetch(`${url.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  /** @type {any} */
  let json = null
  try {
    json = text ? JSON.parse(text) : null
  } catch {}
  if (!res.ok) throw new DirectusRequestError(method, path, res.status, Array.isArray(json?.errors) ? json.errors : [], text)
  return json && typeof json === 'object' && 'data' in json ? json.data : json
}

/**
 * Create a second admin user with a random static token, so that every test instance has its own
 * secret (the template's static admin token is the same everywhere) and secret scans can tell them apart.
 * @param {string} url @param {string} token an admin token of the instance
 * @returns {Promise<string>} the new user's static token
 */
export async function createAdminToken(url, token) {
  const { randomBytes } = await import('node:crypto')
  const me = await directusRequest(url, token, 'GET', '/users/me?fields=role')
  const suffix = randomBytes(4).toString('hex')
  const secret = `dsa-admin-${suffix}-${randomBytes(12).toString('hex')}`
  await directusRequest(url, token, 'POST', '/users', {
    email: `admin-${suffix}@example.com`,
    password: randomBytes(16).toString('hex'),
    role: me.role,
    token: secret,
    status: 'active',
  })
  return secret
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** @param {'integer'|'uuid'} [type] */
export function primaryKeyField(type = 'integer') {
  return type === 'uuid'
    ? {
        field: 'id',
        type: 'uuid',
        meta: { hidden: true, readonly: true, interface: 'input', special: ['uuid'] },
        schema: { is_primary_key: true, length: 36, has_auto_increment: false },
      }
    : {
        field: 'id',
        type: 'integer',
        meta: { hidden: true, readonly: true, interface: 'input' },
        schema: { is_primary_key: true, has_auto_increment: true },
      }
}

/**
 * Create a collection. An integer auto-increment `id` is added when `fields` has no primary key
 * (pass `schema: null` in options for a folder, which has no table and no fields).
 * @param {string} url @param {string} token @param {string} name
 * @param {Array<Record<string, any>>} [fields]
 * @param {{ meta?: Record<string, any>, schema?: Record<string, any> | null }} [options]
 */
export async function createCollection(url, token, name, fields = [], options = {}) {
  const folder = options.schema === null
  const hasPk = fields.some((f) => f.schema?.is_primary_key)
  return directusRequest(url, token, 'POST', '/collections', {
    collection: name,
    meta: options.meta ?? {},
    schema: folder ? null : (options.schema ?? {}),
    ...(folder ? {} : { fields: hasPk ? fields : [primaryKeyField(), ...fields] }),
  })
}

/** @param {string} url @param {string} token @param {string} collection @param {Record<string, any>} field */
export async function createField(url, token, collection, field) {
  return directusRequest(url, token, 'POST', `/fields/${encodeURIComponent(collection)}`, field)
}

/** @param {string} url @param {string} token @param {string} collection @param {string} field @param {Record<string, any>} patch */
export async function updateField(url, token, collection, field, patch) {
  return directusRequest(url, token, 'PATCH', `/fields/${encodeURIComponent(collection)}/${encodeURIComponent(field)}`, patch)
}

/** @param {string} url @param {string} token @param {string} collection @param {string} field */
export async function deleteField(url, token, collection, field) {
  await directusRequest(url, token, 'DELETE', `/fields/${encodeURIComponent(collection)}/${encodeURIComponent(field)}`)
}

/** @param {string} url @param {string} token @param {string} name */
export async function deleteCollection(url, token, name) {
  await directusRequest(url, token, 'DELETE', `/collections/${encodeURIComponent(name)}`)
}

/** @param {string} url @param {string} token @param {Record<string, any>} relation */
export async function createRelation(url, token, relation) {
  return directusRequest(url, token, 'POST', '/relations', relation)
}

/**
 * Delete every user collection, so one instance can serve several apply tests. Deletion order
 * matters (relations, folders), so it goes round until nothing is left.
 * @param {string} url @param {string} token
 */
export async function dropAllCollections(url, token) {
  for (let round = 0; round < 5; round++) {
    const snapshot = await getSnapshot(url, token)
    /** @type {string[]} */
    const names = snapshot.collections.map((/** @type {{ collection: string }} */ c) => c.collection)
    if (names.length === 0) return
    for (const name of names.reverse()) await deleteCollection(url, token, name).catch(() => undefined)
  }
  throw new Error(`could not delete every collection of ${url}`)
}

/**
 * GET /schema/snapshot and return its `data` (the snapshot itself).
 * @param {string} url @param {string} token
 */
export async function getSnapshot(url, token) {
  return directusRequest(url, token, 'GET', '/schema/snapshot')
}

// ---------------------------------------------------------------------------------------------
// Realistic schema
// ---------------------------------------------------------------------------------------------

/** Names of the collections created by seedRealisticSchema, in creation order. */
export const REALISTIC_COLLECTIONS = ['blog', 'authors', 'tags', 'articles', 'articles_tags', 'site_settings']

/**
 * Seed a small but realistic blog schema: a folder, 5 tables (one a singleton, one an m2m junction),
 * fields of types string, text, integer, boolean, dateTime, timestamp, uuid, json, decimal, with
 * notes, options, defaults, a unique and a non-nullable field, an m2o (articles.author -> authors)
 * and an m2m (articles.tags <-> tags through articles_tags).
 * @param {string} url @param {string} token
 * @returns {Promise<{ collections: string[], fields: number, relations: number }>}
 */
export async function seedRealisticSchema(url, token) {
  let fieldCount = 0
  let relationCount = 0
  /** @param {string} name @param {Array<Record<string, any>>} fields @param {Record<string, any>} meta */
  const collection = async (name, fields, meta) => {
    await createCollection(url, token, name, fields, { meta })
    fieldCount += fields.length + (fields.some((f) => f.schema?.is_primary_key) ? 0 : 1)
  }
  /** @param {string} c @param {Record<string, any>} f */
  const field = async (c, f) => {
    await createField(url, token, c, f)
    fieldCount++
  }
  /** @param {Record<string, any>} r */
  const relation = async (r) => {
    await createRelation(url, token, r)
    relationCount++
  }

  await createCollection(url, token, 'blog', [], {
    schema: null,
    meta: { icon: 'folder', note: 'Editorial content', sort: 1, collapse: 'open' },
  })

  await collection(
    'authors',
    [
      {
        field: 'name',
        type: 'string',
        schema: { max_length: 120, is_nullable: false },
        meta: { interface: 'input', required: true, width: 'half', note: 'Full name as shown on articles', sort: 2 },
      },
      {
        field: 'email',
        type: 'string',
        schema: { max_length: 255, is_unique: true },
        meta: { interface: 'input', width: 'half', options: { placeholder: 'name@example.com' }, sort: 3 },
      },
      { field: 'bio', type: 'text', meta: { interface: 'input-multiline', note: 'Short biography (plain text)', sort: 4 } },
      {
        field: 'active',
        type: 'boolean',
        schema: { default_value: true, is_nullable: false },
        meta: { interface: 'boolean', special: ['cast-boolean'], width: 'half', options: { label: 'Can publish' }, sort: 5 },
      },
      {
        field: 'date_created',
        type: 'timestamp',
        meta: { interface: 'datetime', special: ['date-created'], readonly: true, hidden: true, width: 'half', sort: 6 },
      },
      {
        field: 'social_links',
        type: 'json',
        meta: { interface: 'input-code', special: ['cast-json'], options: { language: 'json' }, note: 'Map of network -> URL', sort: 7 },
      },
    ],
    { group: 'blog', icon: 'person', note: 'People who write articles', display_template: '{{name}}', sort: 1 },
  )

  await collection(
    'tags',
    [
      {
        field: 'name',
        type: 'string',
        schema: { max_length: 64, is_nullable: false, is_unique: true },
        meta: { interface: 'input', required: true, sort: 2 },
      },
      {
        field: 'color',
        type: 'string',
        schema: { max_length: 7, default_value: '#6644FF' },
        meta: { interface: 'select-color', display: 'color', width: 'half', sort: 3 },
      },
    ],
    { group: 'blog', icon: 'label', display_template: '{{name}}', sort: 3 },
  )

  await collection(
    'articles',
    [
      primaryKeyField('uuid'),
      {
        field: 'status',
        type: 'string',
        schema: { max_length: 20, default_value: 'draft', is_nullable: false },
        meta: {
          interface: 'select-dropdown',
          display: 'labels',
          width: 'half',
          sort: 2,
          options: {
            choices: [
              { text: 'Draft', value: 'draft' },
              { text: 'In review', value: 'review' },
              { text: 'Published', value: 'published' },
            ],
          },
        },
      },
      {
        field: 'title',
        type: 'string',
        schema: { max_length: 200, is_nullable: false },
        meta: { interface: 'input', required: true, sort: 3, note: 'Shown as the page <h1>', options: { trim: true } },
      },
      {
        field: 'slug',
        type: 'string',
        schema: { max_length: 200, is_unique: true, is_indexed: true },
        meta: { interface: 'input', width: 'half', sort: 4, options: { slug: true, placeholder: 'my-article' } },
      },
      { field: 'body', type: 'text', meta: { interface: 'input-rich-text-md', sort: 5 } },
      {
        field: 'word_count',
        type: 'integer',
        schema: { default_value: 0 },
        meta: { interface: 'input', width: 'half', readonly: true, sort: 6, note: 'Computed on save' },
      },
      {
        field: 'rating',
        type: 'decimal',
        schema: { numeric_precision: 4, numeric_scale: 2 },
        meta: { interface: 'input', width: 'half', sort: 7, options: { min: 0, max: 5 } },
      },
      { field: 'featured', type: 'boolean', schema: { default_value: false }, meta: { interface: 'boolean', special: ['cast-boolean'], width: 'half', sort: 8 } },
      { field: 'published_at', type: 'dateTime', meta: { interface: 'datetime', width: 'half', sort: 9 } },
      {
        field: 'date_updated',
        type: 'timestamp',
        meta: { interface: 'datetime', special: ['date-updated'], readonly: true, hidden: true, width: 'half', sort: 10 },
      },
      {
        field: 'seo',
        type: 'json',
        meta: { interface: 'input-code', special: ['cast-json'], options: { language: 'json' }, note: 'title / description overrides', sort: 11 },
      },
    ],
    {
      group: 'blog',
      icon: 'article',
      note: 'Blog posts',
      display_template: '{{title}}',
      archive_field: 'status',
      archive_value: 'archived',
      unarchive_value: 'draft',
      sort_field: null,
      sort: 2,
    },
  )

  // many-to-one: articles.author -> authors
  await field('articles', {
    field: 'author',
    type: 'integer',
    meta: {
      interface: 'select-dropdown-m2o',
      special: ['m2o'],
      display: 'related-values',
      display_options: { template: '{{name}}' },
      options: { template: '{{name}}' },
      width: 'half',
      sort: 12,
    },
    schema: {},
  })
  await relation({
    collection: 'articles',
    field: 'author',
    related_collection: 'authors',
    meta: { sort_field: null },
    schema: { on_delete: 'SET NULL' },
  })

  // many-to-many: articles.tags <-> tags through articles_tags
  await collection(
    'articles_tags',
    [
      { field: 'articles_id', type: 'uuid', meta: { hidden: true }, schema: {} },
      { field: 'tags_id', type: 'integer', meta: { hidden: true }, schema: {} },
    ],
    { hidden: true, icon: 'import_export' },
  )
  await field('articles', {
    field: 'tags',
    type: 'alias',
    meta: { interface: 'list-m2m', special: ['m2m'], display: 'related-values', display_options: { template: '{{tags_id.name}}' }, sort: 13 },
  })
  await relation({
    collection: 'articles_tags',
    field: 'tags_id',
    related_collection: 'tags',
    meta: { one_field: null, junction_field: 'articles_id', sort_field: null, one_deselect_action: 'nullify' },
    schema: { on_delete: 'SET NULL' },
  })
  await relation({
    collection: 'articles_tags',
    field: 'articles_id',
    related_collection: 'articles',
    meta: { one_field: 'tags', junction_field: 'tags_id', sort_field: null, one_deselect_action: 'nullify' },
    schema: { on_delete: 'SET NULL' },
  })

  await collection(
    'site_settings',
    [
      { field: 'site_name', type: 'string', schema: { max_length: 100, default_value: 'My blog' }, meta: { interface: 'input', sort: 2 } },
      {
        field: 'maintenance_mode',
        type: 'boolean',
        schema: { default_value: false },
        meta: { interface: 'boolean', special: ['cast-boolean'], note: 'Shows a maintenance page when on', sort: 3 },
      },
    ],
    { singleton: true, icon: 'settings', note: 'Global site configuration', sort: 2 },
  )

  return { collections: [...REALISTIC_COLLECTIONS], fields: fieldCount, relations: relationCount }
}

// ---------------------------------------------------------------------------------------------
// Large schema
// ---------------------------------------------------------------------------------------------

const LARGE_FIELD_TYPES = /** @type {const} */ (['string', 'integer', 'boolean', 'text', 'timestamp', 'json', 'float', 'dateTime'])

/** @param {string} type @param {number} i */
function largeField(type, i) {
  /** @type {Record<string, any>} */
  const f = { field: `f${String(i).padStart(3, '0')}_${type.toLowerCase()}`, type, meta: { note: `generated field ${i}` }, schema: {} }
  if (type === 'string') f.schema = { max_length: 255 }
  if (type === 'boolean') {
    f.meta.special = ['cast-boolean']
    f.schema = { default_value: false }
  }
  if (type === 'json') f.meta.special = ['cast-json']
  if (type === 'integer') f.schema = { default_value: i }
  return f
}

/**
 * Create many collections with many fields, in batched requests (POST /collections with an array).
 * Directus 12 without a license refuses more than 25 collections (LIMIT_EXCEEDED): use Directus 11.
 * @param {string} url @param {string} token
 * @param {{ collections: number, fieldsPerCollection: number, prefix?: string, batchSize?: number }} options
 * @returns {Promise<string[]>} the names of the created collections
 */
export async function seedLargeSchema(url, token, options) {
  const { collections, fieldsPerCollection, prefix = 'large_', batchSize = 10 } = options
  const names = Array.from({ length: collections }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`)
  for (let i = 0; i < names.length; i += batchSize) {
    const batch = names.slice(i, i + batchSize).map((name) => ({
      collection: name,
      meta: { icon: 'table_rows', note: `generated collection ${name}` },
      schema: {},
      fields: [
        primaryKeyField(),
        ...Array.from({ length: fieldsPerCollection }, (_, j) => largeField(LARGE_FIELD_TYPES[j % LARGE_FIELD_TYPES.length], j + 1)),
      ],
    }))
    await directusRequest(url, token, 'POST', '/collections', batch)
  }
  return names
}

// ---------------------------------------------------------------------------------------------
// Seeded templates (startDirectus({ seed })): a schema too slow to seed per test is seeded once per version and database
// ---------------------------------------------------------------------------------------------

/** 400 collections x 20 fields (plus `id`): over 12's 25-collection cap, so Directus 11 only. */
export const LARGE_SEED = {
  name: 'large-400x20-v1',
  /** @param {{ url: string, adminToken: string }} instance */
  run: (instance) => seedLargeSchema(instance.url, instance.adminToken, { collections: 400, fieldsPerCollection: 20, batchSize: 20 }),
}

/** 20 collections x 10 fields (plus `id`): under 12's 25-collection cap, for comparisons on Directus 12 (the bench's d6s rows). */
export const MEDIUM_SEED = {
  name: 'medium-20x10-v1',
  /** @param {{ url: string, adminToken: string }} instance */
  run: (instance) => seedLargeSchema(instance.url, instance.adminToken, { collections: 20, fieldsPerCollection: 10, prefix: 'medium_' }),
}
