/**
 * Which fields of each system collection are read, compared and written
 * (docs/directus-config-facts.md A1 and E): data fields only. Alias fields are
 * nested writes (B7: `PATCH /roles/:id {policies: []}` deletes access rows), and
 * `date_created`/`user_created` are set by the server, so neither is ever read.
 */
import { CONFIG_COLLECTIONS, PART_COLLECTIONS, type ConfigCollection, type ConfigPart } from './model.js'

interface FieldList {
  /** On every supported version. */
  all: readonly string[]
  /** Only on 12.x (11.x ignores them in a payload: F2, E2). */
  since12?: readonly string[]
}

/** The data fields compared per collection; `id` is the key, compared only where it carries over (uuid). */
const COMPARED: Readonly<Record<Exclude<ConfigCollection, 'settings'>, FieldList>> = {
  folders: { all: ['id', 'name', 'parent'], since12: ['type'] },
  policies: { all: ['id', 'name', 'icon', 'description', 'ip_access', 'enforce_tfa', 'admin_access', 'app_access'] },
  roles: { all: ['id', 'name', 'icon', 'description', 'parent'] },
  access: { all: ['id', 'role', 'user', 'policy', 'sort'] },
  permissions: { all: ['id', 'collection', 'action', 'permissions', 'validation', 'presets', 'fields', 'policy'] },
  flows: {
    all: ['id', 'name', 'icon', 'color', 'description', 'status', 'trigger', 'accountability', 'options', 'operation'],
    since12: ['folder']
  },
  operations: { all: ['id', 'name', 'key', 'type', 'position_x', 'position_y', 'options', 'resolve', 'reject', 'flow'] },
  dashboards: { all: ['id', 'name', 'icon', 'note', 'color'] },
  panels: {
    all: [
      'id',
      'dashboard',
      'name',
      'icon',
      'color',
      'show_header',
      'note',
      'type',
      'position_x',
      'position_y',
      'width',
      'height',
      'options'
    ]
  },
  presets: {
    all: [
      'id',
      'bookmark',
      'user',
      'role',
      'collection',
      'search',
      'layout',
      'layout_query',
      'layout_options',
      'refresh_interval',
      'filter',
      'icon',
      'color'
    ]
  },
  translations: { all: ['id', 'language', 'key', 'value'] }
}

/**
 * The settings promoted: an allow-list (facts E, "Promote"), so a field a new
 * Directus adds is never copied by accident. Left out on purpose: identity and
 * ownership (`project_id`, `project_url`, `project_owner`, …), licence fields,
 * file references, the masked AI keys and `mapbox_key`, custom LLM settings,
 * `visual_editor_urls`, the MCP OAuth switches, and the fields that reference
 * other records (`public_registration_role`, `storage_default_folder`).
 */
export const SETTINGS_FIELDS: FieldList = {
  all: [
    'project_name',
    'project_descriptor',
    'project_color',
    'public_note',
    'default_language',
    'default_appearance',
    'default_theme_light',
    'default_theme_dark',
    'theme_light_overrides',
    'theme_dark_overrides',
    'custom_css',
    'module_bar',
    'storage_asset_transform',
    'storage_asset_presets',
    'custom_aspect_ratios',
    'basemaps',
    'report_error_url',
    'report_bug_url',
    'report_feature_url',
    'ai_system_prompt',
    'ai_openai_allowed_models',
    'ai_anthropic_allowed_models',
    'ai_google_allowed_models',
    'collaborative_editing_enabled',
    'mcp_prompts_collection',
    'mcp_system_prompt_enabled',
    'mcp_system_prompt',
    // Security-relevant: promoted, and the report may mark them.
    'auth_login_attempts',
    'auth_password_policy',
    'public_registration',
    'public_registration_verify_email',
    'public_registration_email_filter',
    'mcp_enabled',
    'mcp_allow_deletes'
  ],
  since12: ['default_save_action', 'ai_translation_default_model', 'ai_translation_glossary', 'ai_translation_style_guide']
}

/** Settings never promoted, named so an overrides file that names one gets a clear error. */
export const SETTINGS_NEVER_PROMOTED = [
  'id',
  'project_id',
  'project_url',
  'project_owner',
  'project_usage',
  'org_name',
  'product_updates',
  'project_status',
  'license_key',
  'license_token',
  'project_logo',
  'public_foreground',
  'public_background',
  'public_favicon',
  'ai_openai_api_key',
  'ai_anthropic_api_key',
  'ai_google_api_key',
  'ai_openai_compatible_api_key',
  'mapbox_key',
  'ai_openai_compatible_base_url',
  'ai_openai_compatible_name',
  'ai_openai_compatible_models',
  'ai_openai_compatible_headers',
  'visual_editor_urls',
  'mcp_oauth_enabled',
  'mcp_oauth_dcr_enabled',
  'mcp_oauth_cimd_enabled',
  'public_registration_role',
  'storage_default_folder'
] as const

/** Collections whose key is an autoincrement integer: an id means nothing across instances. */
export const INTEGER_KEYED: ReadonlySet<ConfigCollection> = new Set(['permissions', 'presets', 'settings'])

export function isMajor12OrLater(version: string | undefined): boolean {
  const major = Number(/^v?(\d+)\./.exec(version ?? '')?.[1] ?? Number.NaN)
  return Number.isFinite(major) && major >= 12
}

/** The fields of `collection` on a server of `version` (unknown version: the common fields only). */
export function fieldsOn(collection: ConfigCollection, version: string | undefined): string[] {
  const list = collection === 'settings' ? SETTINGS_FIELDS : COMPARED[collection]
  return [...list.all, ...(isMajor12OrLater(version) ? (list.since12 ?? []) : [])]
}

/**
 * What a plan compares between two instances: the fields both have, without
 * the key (matched separately) and without references to parts not promoted
 * (a flow's folder is compared only when folders are promoted too).
 */
export function comparedFields(
  collection: ConfigCollection,
  baseVersion: string | undefined,
  targetVersion: string | undefined,
  parts: readonly ConfigPart[]
): string[] {
  const onTarget = new Set(fieldsOn(collection, targetVersion))
  return fieldsOn(collection, baseVersion).filter(
    (field) => field !== 'id' && onTarget.has(field) && !(collection === 'flows' && field === 'folder' && !parts.includes('folders'))
  )
}

/** The collections a plan of `parts` writes, in apply order. */
export function plannedCollections(parts: readonly ConfigPart[]): ConfigCollection[] {
  const planned = new Set(parts.flatMap((part) => PART_COLLECTIONS[part]))
  return CONFIG_COLLECTIONS.filter((collection) => planned.has(collection))
}

/**
 * Collections read only to map references: a role preset names a role, so
 * presets need the roles even when access is not promoted.
 */
export function referencedCollections(parts: readonly ConfigPart[]): ConfigCollection[] {
  const planned = new Set(plannedCollections(parts))
  return parts.includes('presets') && !planned.has('roles') ? ['roles'] : []
}
