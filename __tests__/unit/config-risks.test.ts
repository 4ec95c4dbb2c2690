/**
 * The escalation rules of core/config/risks.ts, one by one, on records captured from live 11.17.4 instances
 * (__tests__/fixtures/config/), and on the whole plan between the captured base and target.
 */
import { configRisks, restricts } from '../../src/core/config/risks.js'
import { PUBLIC_POLICY_ID, type ConfigItem, type ConfigOperation, type ConfigState } from '../../src/core/config/model.js'
import { configState, fixturePlan } from './helpers/config-plan.js'

const base = configState('base')
const target = configState('target')

function item(state: ConfigState, collection: keyof ConfigState['items'], match: (item: ConfigItem) => boolean): ConfigItem {
  const found = (state.items[collection] ?? []).find(match)
  if (found === undefined) throw new Error(`no such ${collection} in the fixture`)
  return found
}

const named = (name: string) => (candidate: ConfigItem) => candidate['name'] === name
const targetEditors = item(target, 'policies', named('Editors'))
const baseAuditors = item(base, 'policies', named('Auditors'))
const targetRole = item(target, 'roles', named('Editorial team'))

function permission(policy: ConfigItem, collection: string, action: string): ConfigItem {
  return item(
    target,
    'permissions',
    (candidate) => candidate['policy'] === policy['id'] && candidate['collection'] === collection && candidate['action'] === action
  )
}

function update(collection: ConfigOperation['collection'], record: ConfigItem, values: ConfigItem): ConfigOperation {
  return {
    kind: 'update',
    collection,
    key: record['id'] as string,
    matchedBy: 'natural-key',
    label: `${collection} ${String(record['id'])}`,
    values,
    changes: []
  }
}

function create(collection: ConfigOperation['collection'], values: ConfigItem, label = `new ${collection}`): ConfigOperation {
  return { kind: 'create', collection, ...(typeof values['id'] === 'string' ? { key: values['id'] } : {}), label, values, changes: [] }
}

const kinds = (operations: ConfigOperation[]) => configRisks(operations, base, target).map((risk) => `${risk.kind} ${risk.subject}`)

describe('admin and app access turning on', () => {
  it('flags app_access turned on in an update, and not a flag that is already on', () => {
    expect(targetEditors['app_access']).toBe(false)
    const turnOn = update('policies', targetEditors, { app_access: true })
    expect(kinds([turnOn])).toEqual([`app-access ${turnOn.label}`])
    const alreadyOn = update('policies', { ...targetEditors, id: 'x' }, { app_access: true })
    const onTarget: ConfigState = { ...target, items: { ...target.items, policies: [{ ...targetEditors, id: 'x', app_access: true }] } }
    expect(configRisks([alreadyOn], base, onTarget)).toEqual([])
  })

  it('flags a policy created with admin and app access', () => {
    expect(baseAuditors['admin_access']).toBe(true)
    const created = create('policies', baseAuditors, 'policy "Auditors"')
    expect(kinds([created])).toEqual(['admin-access policy "Auditors"', 'app-access policy "Auditors"'])
  })

  it('flags a link to a policy that grants admin access once the plan is applied, and not a link to an ordinary one', () => {
    const admin = create('policies', baseAuditors, 'policy "Auditors"')
    const link = create('access', { id: 'a1', role: targetRole['id'], user: null, policy: baseAuditors['id'] }, 'access Auditors')
    expect(kinds([admin, link])).toContain('admin-access access Auditors')
    const ordinary = create('access', { id: 'a2', role: targetRole['id'], user: null, policy: targetEditors['id'] }, 'access Editors')
    expect(kinds([ordinary])).toEqual([])
  })

  it('turning a flag off is no escalation', () => {
    expect(kinds([update('policies', { ...targetEditors, app_access: true }, { app_access: false })])).toEqual([])
  })
})

describe('new permissions on system collections', () => {
  it('flags a create on a directus_* collection, not one on a user collection', () => {
    const users = item(base, 'permissions', (candidate) => candidate['collection'] === 'directus_users')
    expect(kinds([create('permissions', { ...users, id: undefined, policy: targetEditors['id'] }, 'users read')])).toEqual([
      'system-collection users read'
    ])
    expect(kinds([create('permissions', { policy: targetEditors['id'], collection: 'articles', action: 'share', fields: ['*'] })])).toEqual(
      []
    )
  })
})

describe('access for everyone, without signing in', () => {
  it('flags a new permission on the public policy, which every instance has under one id', () => {
    expect((target.items.policies ?? []).some((policy) => policy['id'] === PUBLIC_POLICY_ID)).toBe(true)
    const open = create('permissions', { policy: PUBLIC_POLICY_ID, collection: 'articles', action: 'read', fields: ['*'] }, 'public read')
    // The target reads articles only through a filter, so an unfiltered public read widens that too.
    expect(kinds([open])).toEqual(['public-access public read', 'filter-widened public read'])
    const share = create(
      'permissions',
      { policy: PUBLIC_POLICY_ID, collection: 'articles', action: 'share', fields: ['*'] },
      'public share'
    )
    expect(kinds([share])).toEqual(['public-access public share'])
  })

  it('flags a new link of a policy to the public (no role, no user), not a link to a role', () => {
    const publicLink = create('access', { id: 'a3', role: null, user: null, policy: targetEditors['id'] }, 'public Editors')
    expect(kinds([publicLink])).toEqual(['public-access public Editors'])
    const roleLink = create('access', { id: 'a4', role: targetRole['id'], user: null, policy: targetEditors['id'] }, 'role Editors')
    expect(kinds([roleLink])).toEqual([])
  })
})

describe('filters widened to everything', () => {
  const read = permission(targetEditors, 'articles', 'read')

  it('flags an item filter removed (null or {}), and not one replaced by another filter', () => {
    expect(restricts(read['permissions'])).toBe(true)
    for (const none of [null, {}]) {
      const widened = update('permissions', read, { permissions: none })
      expect(configRisks([{ ...widened, before: read }], base, target).map((risk) => risk.kind)).toEqual(['filter-widened'])
    }
    expect(kinds([update('permissions', read, { permissions: { status: { _in: ['published', 'review'] } } })])).toEqual([])
  })

  it('flags validation removed', () => {
    const validated = { ...read, id: 9001, validation: { title: { _nnull: true } } }
    const state: ConfigState = { ...target, items: { ...target.items, permissions: [validated] } }
    const removed = update('permissions', validated, { validation: null })
    expect(configRisks([removed], base, state).map((risk) => risk.kind)).toEqual(['filter-widened'])
  })

  it('flags a create without a filter where every permission of that collection and action on the target is filtered', () => {
    const comments = (target.items.permissions ?? []).filter(
      (candidate) => candidate['collection'] === 'comments' && candidate['action'] === 'read'
    )
    expect(comments.length).toBeGreaterThan(1)
    expect(comments.every((candidate) => restricts(candidate['permissions']))).toBe(true)
    const unfiltered = create('permissions', {
      policy: baseAuditors['id'],
      collection: 'comments',
      action: 'read',
      fields: ['*'],
      permissions: null
    })
    expect(kinds([unfiltered])).toEqual([`filter-widened ${unfiltered.label}`])
  })

  it('does not flag it when the target already grants that unfiltered, or has no rule for it, or the filtered ones are deleted', () => {
    const deleteAllowed = create('permissions', {
      policy: baseAuditors['id'],
      collection: 'articles',
      action: 'delete',
      fields: ['*'],
      permissions: null
    })
    expect(kinds([deleteAllowed])).toEqual([])
    const fresh = create('permissions', {
      policy: baseAuditors['id'],
      collection: 'comments',
      action: 'update',
      fields: ['*'],
      permissions: null
    })
    expect(kinds([fresh])).toEqual([])
    const filtered = (target.items.permissions ?? []).filter(
      (candidate) => candidate['collection'] === 'comments' && candidate['action'] === 'read'
    )
    const deletes = filtered.map((candidate): ConfigOperation => ({
      kind: 'delete',
      collection: 'permissions',
      key: candidate['id'] as number,
      label: 'gone'
    }))
    const unfiltered = create('permissions', {
      policy: baseAuditors['id'],
      collection: 'comments',
      action: 'read',
      fields: ['*'],
      permissions: {}
    })
    expect(kinds([...deletes, unfiltered])).toEqual([])
  })
})

describe('the captured base against the captured target', () => {
  it('finds each escalation the base brings', () => {
    const plan = fixturePlan(base, target, { parts: ['access'], mode: 'mirror' })
    expect(plan.risks.map((risk) => `${risk.kind}: ${risk.subject}`)).toEqual([
      'admin-access: policy "Auditors"',
      'app-access: policy "Auditors"',
      'app-access: policy "Editors"',
      'admin-access: access of role "Editorial team" to policy "Auditors"',
      'app-access: access of role "Editorial team" to policy "Auditors"',
      'filter-widened: permission "Editors" · articles · read',
      'filter-widened: permission "Editors" · comments · read',
      'system-collection: permission "Editors" · directus_users · read'
    ])
  })
})
