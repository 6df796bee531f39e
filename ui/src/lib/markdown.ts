// The one path from Markdown to HTML. Every description and comment is rendered here and
// nowhere else; components insert only what `renderMarkdown` returns.
//
// Two layers:
//  1. marked renders Markdown with raw HTML *escaped* (typed `<b>` shows as text, as Kibana
//     does), images shown as links (an offline tool loads nothing from the network), and task
//     list boxes as plain characters.
//  2. DOMPurify then keeps only an allowlist of tags and attributes, drops every URL that is
//     not http(s) or mailto, and gives links rel="noopener noreferrer" and target="_blank".
// The window's CSP (script-src 'self') is a third line of defence.
import { Marked, type Tokens } from "marked";
import DOMPurify from "dompurify";

const ALLOWED_TAGS = [
  "a", "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
  "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
  "table", "thead", "tbody", "tr", "th", "td", "span",
];
const ALLOWED_ATTR = ["href", "title", "align", "start", "class"];

/** http, https and mailto only (case-insensitive); everything else is removed. */
const SAFE_URL = /^(?:https?:|mailto:)/i;

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html({ text, block }: Tokens.HTML | Tokens.Tag) {
      const escaped = escapeHtml(text);
      return block ? `<p>${escaped}</p>\n` : escaped;
    },
    image({ href, text }: Tokens.Image) {
      const label = escapeHtml(text || href);
      return `<a href="${escapeHtml(href)}">${label}</a>`;
    },
    checkbox({ checked }: Tokens.Checkbox) {
      return checked ? "☑ " : "☐ ";
    },
  },
});

let purifier: ReturnType<typeof DOMPurify> | null = null;

function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook("afterSanitizeAttributes", (node) => {
    if (node.nodeName === "A") {
      const href = node.getAttribute("href");
      if (href !== null && !SAFE_URL.test(href.trim())) node.removeAttribute("href");
      if (node.hasAttribute("href")) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      }
    }
    const cls = node.getAttribute?.("class");
    // Only marked's `language-xxx` classes on code blocks survive.
    if (cls !== null && cls !== undefined && !/^language-[\w-]+$/.test(cls)) node.removeAttribute("class");
  });
  purifier = p;
  return p;
}

/** Markdown → sanitised HTML, safe to insert with innerHTML. */
export function renderMarkdown(source: string): string {
  return sanitizeHtml(marked.parse(source) as string);
}

/** The second layer alone (exported for tests: it must hold even if marked let HTML through). */
export function sanitizeHtml(html: string): string {
  return getPurifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_TRUSTED_TYPE: false,
  }) as string;
}
