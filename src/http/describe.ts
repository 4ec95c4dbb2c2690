/**
 * One line about an HTTP answer that was not the one asked for, shared by the
 * Directus and GitHub clients: the service's own error message when it sent
 * one, else what a proxy or load balancer put there. Never the whole body.
 */
export function describeBody(statusText: string, contentTypeHeader: string | null, text: string, service = 'Directus'): string {
  const status = statusText || 'no reason given'
  const contentType = (contentTypeHeader ?? '').split(';')[0]?.trim() || 'no content type'
  if (contentType.includes('json')) {
    try {
      const json = JSON.parse(text) as { errors?: { message?: unknown }[]; message?: unknown }
      const message = json.errors?.[0]?.message ?? json.message
      if (typeof message === 'string' && message.trim()) return clip(message, 120)
    } catch {
      return `${status}, and the ${contentType} answer is not valid JSON`
    }
  }
  if (contentType === 'text/html') {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1]
    const shown = title ? clip(title.replace(/<[^>]*>/g, ' '), 120) : ''
    return `${status}, an HTML page${shown ? ` ("${shown}")` : ''} from a proxy or load balancer, not from ${service}`
  }
  return `${status} (${contentType})`
}

/** White space folded to single spaces, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** oneLine, cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const line = oneLine(text)
  return line.length > max ? `${line.slice(0, max)}…` : line
}
