// The plan comment's Markdown as GitHub shows it: GitHub-flavoured Markdown
// (tables, raw <details>/<summary>, hidden HTML comments) plus GitHub's alerts
// (`> [!CAUTION]`), in a page styled like a pull-request comment. Used by
// scripts/screenshot.mjs for docs/plan-comment.png, and by a unit test that
// checks the structure survives. `marked` is a devDependency: nothing here ships.
import { Marked } from 'marked'

const ALERTS = {
  NOTE: { title: 'Note', color: '#0969da', icon: 'M0 8a8 8 0 1 1 16 0A8 8 0 0 1 0 8Zm8-6.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM6.5 7.75A.75.75 0 0 1 7.25 7h1a.75.75 0 0 1 .75.75v2.75h.25a.75.75 0 0 1 0 1.5h-2a.75.75 0 0 1 0-1.5h.25v-2h-.25a.75.75 0 0 1-.75-.75ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z' },
  TIP: { title: 'Tip', color: '#1a7f37', icon: 'M8 1.5c-2.363 0-4 1.69-4 3.75 0 .984.424 1.625.984 2.304l.214.253c.223.264.47.556.673.848.284.411.537.896.621 1.49a.75.75 0 0 1-1.484.211c-.04-.282-.163-.547-.37-.847a8.456 8.456 0 0 0-.542-.68c-.084-.1-.173-.205-.268-.32C3.201 7.75 2.5 6.766 2.5 5.25 2.5 2.31 4.863 0 8 0s5.5 2.31 5.5 5.25c0 1.516-.701 2.5-1.328 3.259-.095.115-.184.22-.268.319-.207.245-.383.453-.541.681-.208.3-.33.565-.37.847a.751.751 0 0 1-1.485-.212c.084-.593.337-1.078.621-1.489.203-.292.45-.584.673-.848.075-.088.147-.173.213-.253.561-.679.985-1.32.985-2.304 0-2.06-1.637-3.75-4-3.75ZM5.75 12h4.5a.75.75 0 0 1 0 1.5h-4.5a.75.75 0 0 1 0-1.5ZM6 15.25a.75.75 0 0 1 .75-.75h2.5a.75.75 0 0 1 0 1.5h-2.5a.75.75 0 0 1-.75-.75Z' },
  IMPORTANT: { title: 'Important', color: '#8250df', icon: 'M0 1.75C0 .784.784 0 1.75 0h12.5C15.216 0 16 .784 16 1.75v9.5A1.75 1.75 0 0 1 14.25 13H8.06l-2.573 2.573A1.458 1.458 0 0 1 3 14.543V13H1.75A1.75 1.75 0 0 1 0 11.25Zm1.75-.25a.25.25 0 0 0-.25.25v9.5c0 .138.112.25.25.25h2a.75.75 0 0 1 .75.75v2.19l2.72-2.72a.749.749 0 0 1 .53-.22h6.5a.25.25 0 0 0 .25-.25v-9.5a.25.25 0 0 0-.25-.25Zm7 2.25v2.5a.75.75 0 0 1-1.5 0v-2.5a.75.75 0 0 1 1.5 0ZM9 9a1 1 0 1 1-2 0 1 1 0 0 1 2 0Z' },
  WARNING: { title: 'Warning', color: '#9a6700', icon: 'M6.457 1.047c.659-1.234 2.427-1.234 3.086 0l6.082 11.378A1.75 1.75 0 0 1 14.082 15H1.918a1.75 1.75 0 0 1-1.543-2.575Zm1.763.707a.25.25 0 0 0-.44 0L1.698 13.132a.25.25 0 0 0 .22.368h12.164a.25.25 0 0 0 .22-.368Zm.53 3.996v2.5a.75.75 0 0 1-1.5 0v-2.5a.75.75 0 0 1 1.5 0ZM9 11a1 1 0 1 1-2 0 1 1 0 0 1 2 0Z' },
  CAUTION: { title: 'Caution', color: '#d1242f', icon: 'M4.47.22A.749.749 0 0 1 5 0h6c.199 0 .389.079.53.22l4.25 4.25c.141.14.22.331.22.53v6a.749.749 0 0 1-.22.53l-4.25 4.25A.749.749 0 0 1 11 16H5a.749.749 0 0 1-.53-.22L.22 11.53A.749.749 0 0 1 0 11V5c0-.199.079-.389.22-.53Zm.84 1.28L1.5 5.31v5.38l3.81 3.81h5.38l3.81-3.81V5.31L10.69 1.5ZM8 4a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 8 4Zm0 8a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z' }
}

const ALERT_MARKER = /^<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*/

function octicon(path, color) {
  return `<svg class="octicon" viewBox="0 0 16 16" width="16" height="16" fill="${color}" aria-hidden="true"><path d="${path}"></path></svg>`
}

const markdown = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    // GitHub turns a quote that starts with [!TYPE] into an alert box; anything else stays a quote.
    blockquote(token) {
      const body = this.parser.parse(token.tokens)
      const match = ALERT_MARKER.exec(body)
      if (!match) return false
      const alert = ALERTS[match[1]]
      let rest = body.slice(match[0].length)
      rest = rest.startsWith('</p>') ? rest.slice('</p>'.length).trimStart() : `<p>${rest}`
      return (
        `<div class="markdown-alert markdown-alert-${match[1].toLowerCase()}">` +
        `<p class="markdown-alert-title" style="color:${alert.color}">${octicon(alert.icon, alert.color)}${alert.title}</p>\n${rest}</div>\n`
      )
    }
  }
})

/** The comment body as GitHub renders it (HTML comments kept: the browser hides them, as GitHub does). */
export function commentToHtml(text) {
  return markdown.parse(text)
}

/** A whole page: one pull-request comment by the bot, `width` CSS pixels wide. */
export function commentPage(text, options = {}) {
  const author = options.author ?? 'github-actions'
  const width = options.width ?? 880
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Directus schema plan comment</title>
<style>${pageStyle(width)}</style>
</head>
<body>
<div class="comment">
  <div class="comment-header"><span class="avatar">⚙</span><strong>${author}</strong> <span class="bot">bot</span> <span class="muted">commented</span></div>
  <div class="markdown-body">
${commentToHtml(text)}
  </div>
</div>
<script>
  // For the first pass of scripts/screenshot.mjs: the height the page needs.
  document.body.dataset.height = String(Math.ceil(document.documentElement.getBoundingClientRect().height))
</script>
</body>
</html>
`
}

/** A trimmed-down GitHub light theme: enough that the picture reads like the real comment. */
function pageStyle(width) {
  return `
  * { box-sizing: border-box; }
  html, body { margin: 0; background: #ffffff; }
  body { padding: 16px; width: ${width}px; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", "Liberation Sans", "DejaVu Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; font-size: 14px; line-height: 1.5; color: #1f2328; }
  .comment { border: 1px solid #d1d9e0; border-radius: 6px; overflow: hidden; }
  .comment-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; display: flex; align-items: center; gap: 6px; }
  .avatar { display: inline-flex; width: 20px; height: 20px; border-radius: 50%; background: #2da44e; color: #fff; font-size: 12px; align-items: center; justify-content: center; }
  .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; color: #59636e; }
  .muted { color: #59636e; }
  .markdown-body { padding: 16px; word-wrap: break-word; }
  .markdown-body > :first-child { margin-top: 0 !important; }
  .markdown-body > :last-child { margin-bottom: 0 !important; }
  .markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body pre, .markdown-body details, .markdown-body .markdown-alert { margin-top: 0; margin-bottom: 16px; }
  .markdown-body h3, .markdown-body h4 { margin-top: 24px; margin-bottom: 16px; font-weight: 600; line-height: 1.25; }
  .markdown-body h3 { font-size: 1.25em; }
  .markdown-body h4 { font-size: 1em; }
  .markdown-body ul { padding-left: 2em; }
  .markdown-body code { padding: .2em .4em; font-size: 85%; background: rgba(129, 139, 152, .12); border-radius: 6px; font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", "Liberation Mono", monospace; }
  .markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45; background: #f6f8fa; border-radius: 6px; }
  .markdown-body pre code { padding: 0; background: transparent; font-size: 100%; }
  .markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
  .markdown-body table th { font-weight: 600; }
  .markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d1d9e0; }
  .markdown-body table tr { background: #ffffff; border-top: 1px solid #d1d9e0b3; }
  .markdown-body table tr:nth-child(2n) { background: #f6f8fa; }
  .markdown-body details summary { cursor: pointer; }
  .markdown-body .markdown-alert { padding: 8px 16px; border-left: .25em solid #d1d9e0; }
  .markdown-body .markdown-alert > :last-child { margin-bottom: 0; }
  .markdown-body .markdown-alert-title { display: flex; align-items: center; gap: 8px; font-weight: 500; line-height: 1; }
  .markdown-body .markdown-alert-note { border-left-color: #0969da; }
  .markdown-body .markdown-alert-tip { border-left-color: #1a7f37; }
  .markdown-body .markdown-alert-important { border-left-color: #8250df; }
  .markdown-body .markdown-alert-warning { border-left-color: #9a6700; }
  .markdown-body .markdown-alert-caution { border-left-color: #d1242f; }
  .markdown-body blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
  `
}
