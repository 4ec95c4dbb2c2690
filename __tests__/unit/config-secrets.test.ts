/**
 * The secret scan of the configuration sections (issue #11): a plan whose operations carry an Authorization
 * header, a webhook URL with credentials and a settings API key, in the values, in the target's records and in
 * changes the planner did not mark, renders none of them in Markdown (at any size) or on the terminal.
 */
import type { ConfigOperation, ConfigPlan } from '../../src/core/config/model.js'
import { renderConfigSections } from '../../src/report/config-markdown.js'
import { displayValue } from '../../src/report/config-model.js'
import { configTerminalLines } from '../../src/report/config-terminal.js'
import { decodeEntities } from './helpers/markup.js'

describe('secrets never reach the text', () => {
  const AUTHORIZATION = 'Bearer sk-live-7f3a9c1e5b2d4f60'
  const WEBHOOK = 'https://ci-bot:hunter2-webhook-pass@hooks.example.com/deploy?token=q-secret-1234'
  const API_KEY = 'sk-ant-api03-settingskey-9z8y7x'
  const FRAGMENTS = [AUTHORIZATION, 'sk-live-7f3a9c1e5b2d4f60', 'hunter2-webhook-pass', 'q-secret-1234', API_KEY, 'settingskey-9z8y7x']

  const requestOptions = {
    method: 'POST',
    url: WEBHOOK,
    headers: [{ header: 'Authorization', value: AUTHORIZATION }],
    body: JSON.stringify({ api_key: API_KEY, note: `Authorization: ${AUTHORIZATION}` })
  }
  const operations: ConfigOperation[] = [
    {
      kind: 'create',
      collection: 'operations',
      key: 'op-new',
      label: 'operation "deploy" of flow "Ship"',
      values: { id: 'op-new', flow: 'flow-1', key: 'deploy', type: 'request', options: requestOptions },
      // Unmarked on purpose: the renderer must not rely on the planner alone.
      changes: [{ path: 'options.url', before: undefined, after: WEBHOOK }]
    },
    {
      kind: 'update',
      collection: 'operations',
      key: 'op-old',
      matchedBy: 'key',
      label: 'operation "notify" of flow "Ship"',
      values: { options: requestOptions },
      changes: [
        { path: 'options.headers[0].value', before: 'Bearer old-secret-0000', after: AUTHORIZATION },
        { path: 'options.url', secret: 'changed' },
        { path: 'options.body', before: '{}', after: requestOptions.body }
      ],
      before: {
        id: 'op-old',
        flow: 'flow-1',
        key: 'notify',
        type: 'request',
        options: { ...requestOptions, url: 'https://old:old-pass-1@x.test' }
      }
    },
    {
      kind: 'update',
      collection: 'flows',
      key: 'flow-1',
      matchedBy: 'key',
      label: 'flow "Ship"',
      values: { options: { method: 'POST', url: WEBHOOK } },
      changes: [{ path: 'options', before: {}, after: { url: WEBHOOK } }],
      before: { id: 'flow-1', name: 'Ship', trigger: 'webhook', operation: 'op-old', options: { method: 'POST' } }
    },
    {
      kind: 'update',
      collection: 'settings',
      key: 1,
      matchedBy: 'key',
      label: 'settings',
      values: { ai_anthropic_api_key: API_KEY, mapbox_key: API_KEY, project_name: 'Shop' },
      changes: [
        { path: 'ai_anthropic_api_key', before: null, after: API_KEY },
        { path: 'mapbox_key', secret: 'kept' },
        { path: 'basemaps', secret: 'override' },
        { path: 'project_name', before: 'Old', after: 'Shop' }
      ],
      before: { id: 1, ai_anthropic_api_key: '**********', mapbox_key: 'pk.target-own', project_name: 'Old' }
    }
  ]
  const plan: ConfigPlan = {
    parts: ['flows', 'settings'],
    mode: 'merge',
    batches: [{ collection: 'operations', kind: 'create', operations }],
    digest: 'sha256:0',
    fingerprints: [],
    risks: [],
    destructive: false,
    limits: []
  }

  it('renders none of them in Markdown or on the terminal, at any size', () => {
    const outputs = [renderConfigSections(plan), renderConfigSections(plan, { budget: 1200 }), configTerminalLines(plan).join('\n')]
    for (const output of outputs) {
      const decoded = decodeEntities(output)
      for (const fragment of FRAGMENTS) expect(decoded).not.toContain(fragment)
    }
  })

  it('says what happened to each secret in words', () => {
    const text = decodeEntities(renderConfigSections(plan).replace(/<\/?code>/g, ''))
    expect(text).toContain('options.url: changed (secret)')
    expect(text).toContain('options.headers[0].value: changed (secret)')
    expect(text).toContain("mapbox_key: kept the target's value")
    expect(text).toContain('basemaps: set by the overrides file')
    expect(text).toContain('ai_anthropic_api_key: changed (secret)')
    expect(text).toContain('"Old" → "Shop"')
  })

  it('displayValue keeps what is not secret', () => {
    expect(displayValue({ method: 'POST', url: 'https://hooks.example.com/a?x=1' })).toEqual({
      method: 'POST',
      url: 'https://hooks.example.com/a?x=1'
    })
    expect(displayValue(WEBHOOK)).toBe('https://(secret)@hooks.example.com/deploy?token=(secret)')
  })
})
