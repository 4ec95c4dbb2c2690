/**
 * What a counted stake means, in words both renderers use: "2 rows are
 * dropped", "apply will fail: 12 rows have no email". What the database does
 * is said only where it was seen (SQLite and PostgreSQL, Directus 12.4.0 and
 * 11.17.4; __tests__/e2e/apply-rules.test.ts): both refuse a NOT NULL or a
 * unique constraint their rows break; PostgreSQL cuts strings to a shorter
 * length, SQLite keeps them.
 */
import type { Change, Stake } from '../core/plan/changes.js'
import type { Words } from '../core/plan/words.js'
import { countOf } from '../core/wording.js'

const ENFORCING_VENDORS = ['sqlite', 'postgres']

/** The words for one stake, or undefined when it was not counted at all (counting was not asked for). */
export function stakeWords(
  change: Pick<Change, 'entity' | 'action' | 'field'>,
  stake: Stake,
  vendor: string | undefined
): Words | undefined {
  const question = stake.question
  const field: Words = [{ code: change.field ?? '' }]
  if (stake.count === undefined)
    return stake.unknown === undefined ? undefined : [`${UNKNOWN_NOUNS[question.kind]} unknown: ${stake.unknown}`]
  const count = stake.count
  const fails = count > 0 && ENFORCING_VENDORS.includes(vendor ?? '') ? 'apply will fail: ' : ''
  switch (question.kind) {
    case 'rows':
      if (change.action === 'delete') return [`${countOf(count, 'row')} ${count === 1 ? 'is' : 'are'} dropped`]
      return count === 0 ? ['the collection has no rows yet'] : [`${fails}${countOf(count, 'row')} would get no value for `, ...field]
    case 'values':
      return change.action === 'delete'
        ? [`${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} dropped`]
        : [`${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} converted`]
    case 'nulls':
      return count === 0 ? ['no row lacks ', ...field] : [`${fails}${countOf(count, 'row')} ${count === 1 ? 'has' : 'have'} no `, ...field]
    case 'duplicates':
      return count === 0
        ? ['no value of ', ...field, ' repeats']
        : [`${fails}${countOf(count, 'row')} repeat${count === 1 ? 's' : ''} a value of `, ...field]
    case 'longer': {
      const longer = `${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} longer than ${question.limit} characters`
      if (count === 0) return [`no value is longer than ${question.limit} characters`]
      if (vendor === 'postgres') return [`${countOf(count, 'value')} ${count === 1 ? 'is' : 'are'} cut to ${question.limit} characters`]
      if (vendor === 'sqlite') return [`${longer}; SQLite keeps them as they are`]
      return [longer]
    }
  }
}

const UNKNOWN_NOUNS: Record<Stake['question']['kind'], string> = {
  rows: 'row count',
  values: 'value count',
  nulls: 'count of rows without a value',
  duplicates: 'count of repeated values',
  longer: 'count of longer values'
}
