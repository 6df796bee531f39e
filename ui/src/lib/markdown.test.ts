import { describe, expect, it } from "vitest";
import { renderMarkdown, sanitizeHtml } from "./markdown";

function dom(html: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div;
}

const FORBIDDEN_TAGS = [
  "script", "iframe", "style", "svg", "math", "object", "embed", "form", "input", "button",
  "textarea", "select", "meta", "link", "base", "img", "video", "audio", "source", "frame",
  "frameset", "details", "template", "noscript", "marquee", "applet", "xmp",
];

/** Everything a rendered payload must not contain, checked on the parsed DOM. */
function assertNeutralised(html: string) {
  const root = dom(html);
  for (const tag of FORBIDDEN_TAGS) {
    expect(root.querySelector(tag), `<${tag}> in ${html}`).toBeNull();
  }
  for (const el of Array.from(root.querySelectorAll("*"))) {
    for (const attr of Array.from(el.attributes)) {
      expect(attr.name.startsWith("on"), `${attr.name} on <${el.tagName}> in ${html}`).toBe(false);
      expect(["style", "src", "srcdoc", "action", "formaction", "xlink:href"]).not.toContain(attr.name);
      if (attr.name === "href") {
        expect(attr.value, `href in ${html}`).toMatch(/^(https?:|mailto:)/i);
      }
      expect(attr.value.toLowerCase().replace(/\s/g, "")).not.toContain("javascript:");
    }
  }
}

const PAYLOADS: [string, string][] = [
  ["script tag", "<script>alert(1)</script>"],
  ["script inline", "hello <script>alert(1)</script> world"],
  ["img onerror", "<img src=x onerror=alert(1)>"],
  ["img onerror inline", "text <img src=x onerror=alert(1)> text"],
  ["javascript link", "[click](javascript:alert(1))"],
  ["javascript link mixed case", "[click](JaVaScRiPt:alert(1))"],
  ["javascript link with entity", "[click](&#106;avascript:alert(1))"],
  ["javascript link with tab", "[click](java\tscript:alert(1))"],
  ["javascript link with leading space", "[click]( javascript:alert(1))"],
  ["javascript reference link", "[click][x]\n\n[x]: javascript:alert(1)"],
  ["javascript autolink", "<javascript:alert(1)>"],
  ["javascript image", "![x](javascript:alert(1))"],
  ["vbscript link", "[click](vbscript:msgbox(1))"],
  ["raw anchor javascript", '<a href="javascript:alert(1)">x</a>'],
  ["svg onload", "<svg onload=alert(1)>"],
  ["svg with script", "<svg><script>alert(1)</script></svg>"],
  ["iframe", '<iframe src="https://evil.example/"></iframe>'],
  ["iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ["style tag", "<style>body { display: none }</style>"],
  ["style attribute", '<p style="position:fixed;inset:0">x</p>'],
  ["data url link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ["data url image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"],
  ["data url raw anchor", '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
  ["file url link", "[x](file:///etc/passwd)"],
  ["details ontoggle", "<details open ontoggle=alert(1)>"],
  ["object", '<object data="javascript:alert(1)"></object>'],
  ["embed", '<embed src="javascript:alert(1)">'],
  ["form action", '<form action="javascript:alert(1)"><button>go</button></form>'],
  ["meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'],
  ["base href", '<base href="https://evil.example/">'],
  ["link stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'],
  ["mutation xss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"],
  ["noscript mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ["title attribute breakout", '[x](https://example.org "a\\" onmouseover=\\"alert(1)")'],
  ["html in link text", "[<img src=x onerror=alert(1)>](https://example.org)"],
  ["html in code span is text", "`<script>alert(1)</script>`"],
  ["event handler in table", "| a |\n|---|\n| <b onclick=alert(1)>x</b> |"],
  ["unclosed tag", "<img src=x onerror=alert(1)//"],
  ["html comment", "<!-- <script>alert(1)</script> -->"],
];

describe("renderMarkdown neutralises XSS payloads", () => {
  for (const [name, payload] of PAYLOADS) {
    it(name, () => {
      const html = renderMarkdown(payload);
      assertNeutralised(html);
    });
  }

  for (const [name, payload] of PAYLOADS) {
    it(`${name} (sanitiser alone, as if raw HTML got through)`, () => {
      assertNeutralised(sanitizeHtml(payload));
    });
  }

  it("shows raw HTML as text instead of dropping it silently", () => {
    const root = dom(renderMarkdown("<script>alert(1)</script>"));
    expect(root.textContent).toContain("<script>alert(1)</script>");
  });

  it("keeps the text of a link whose URL was removed", () => {
    const root = dom(renderMarkdown("[click me](javascript:alert(1))"));
    expect(root.textContent).toContain("click me");
    const a = root.querySelector("a");
    if (a) expect(a.hasAttribute("href")).toBe(false);
  });
});

describe("renderMarkdown renders ordinary Markdown", () => {
  it("bold and emphasis", () => {
    const root = dom(renderMarkdown("**bold** and _em_ and ~~gone~~"));
    expect(root.querySelector("strong")?.textContent).toBe("bold");
    expect(root.querySelector("em")?.textContent).toBe("em");
    expect(root.querySelector("del")?.textContent).toBe("gone");
  });

  it("lists", () => {
    const root = dom(renderMarkdown("- one\n- two\n\n1. first\n2. second"));
    expect(root.querySelectorAll("ul > li")).toHaveLength(2);
    expect(root.querySelectorAll("ol > li")).toHaveLength(2);
  });

  it("task lists become characters, not inputs", () => {
    const root = dom(renderMarkdown("- [x] done\n- [ ] todo"));
    expect(root.querySelector("input")).toBeNull();
    expect(root.textContent).toContain("☑ done");
    expect(root.textContent).toContain("☐ todo");
  });

  it("code spans and fenced code with a language class", () => {
    const root = dom(renderMarkdown("run `whoami`\n\n```powershell\nGet-Process | ? { $_.CPU -gt 100 }\n```"));
    expect(root.querySelector("p code")?.textContent).toBe("whoami");
    const code = root.querySelector("pre code");
    expect(code?.textContent).toContain("Get-Process | ? { $_.CPU -gt 100 }");
    expect(code?.getAttribute("class")).toBe("language-powershell");
  });

  it("links open outside with noopener noreferrer", () => {
    const root = dom(renderMarkdown("see [the report](https://example.org/r?id=1&x=2) or mail <soc@example.org>"));
    const links = root.querySelectorAll("a");
    expect(links).toHaveLength(2);
    expect(links[0].getAttribute("href")).toBe("https://example.org/r?id=1&x=2");
    expect(links[0].getAttribute("rel")).toBe("noopener noreferrer");
    expect(links[0].getAttribute("target")).toBe("_blank");
    expect(links[1].getAttribute("href")).toBe("mailto:soc@example.org");
  });

  it("bare URLs are linked (GFM autolinks)", () => {
    const root = dom(renderMarkdown("IOC at https://evil.example/payload.exe today"));
    expect(root.querySelector("a")?.getAttribute("href")).toBe("https://evil.example/payload.exe");
  });

  it("images become links, so nothing is loaded", () => {
    const root = dom(renderMarkdown("![screenshot](https://example.org/s.png)"));
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("a")?.getAttribute("href")).toBe("https://example.org/s.png");
    expect(root.querySelector("a")?.textContent).toBe("screenshot");
  });

  it("headings, quotes and tables", () => {
    const root = dom(renderMarkdown("## Timeline\n\n> quoted\n\n| host | ip |\n|---|---|\n| ws1 | 10.0.0.1 |"));
    expect(root.querySelector("h2")?.textContent).toBe("Timeline");
    expect(root.querySelector("blockquote")?.textContent?.trim()).toBe("quoted");
    expect(root.querySelector("td")?.textContent).toBe("ws1");
  });

  it("escapes angle brackets in plain text", () => {
    const root = dom(renderMarkdown("if a < b && c > d"));
    expect(root.textContent?.trim()).toBe("if a < b && c > d");
  });

  it("empty input gives empty output", () => {
    expect(renderMarkdown("").trim()).toBe("");
  });
});
