/** '1 change', '3 changes': the one pluralisation rule of every message and report. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`
}
