import { describe, expect, it } from "vitest";
import { formatEdit, type MarkdownAction } from "./markdownFormat";

/**
 * Runs `action` on `marked`, where `[` and `]` mark the selection (one `|` for a caret), and
 * gives the text afterwards marked the same way.
 */
function run(action: MarkdownAction, marked: string): string {
  const caret = marked.indexOf("|");
  const start = caret >= 0 ? caret : marked.indexOf("[");
  const end = caret >= 0 ? caret : marked.indexOf("]") - 1;
  const value = marked.replace(/[[\]|]/g, "");
  const e = formatEdit(action, value, start, end);
  const out = value.slice(0, e.start) + e.text + value.slice(e.end);
  return e.selStart === e.selEnd
    ? `${out.slice(0, e.selStart)}|${out.slice(e.selStart)}`
    : `${out.slice(0, e.selStart)}[${out.slice(e.selStart, e.selEnd)}]${out.slice(e.selEnd)}`;
}

describe("formatEdit", () => {
  it("wraps the selection in bold, italic or code marks, keeping it selected", () => {
    expect(run("bold", "a [word] here")).toBe("a **[word]** here");
    expect(run("italic", "a [word] here")).toBe("a _[word]_ here");
    expect(run("code", "run [ls -la] now")).toBe("run `[ls -la]` now");
  });

  it("leaves spaces at the selection's edges outside the marks", () => {
    expect(run("bold", "a[ word ]here")).toBe("a **[word]** here");
  });

  it("at a caret, inserts the marks with the caret between them", () => {
    expect(run("bold", "say |")).toBe("say **|**");
  });

  it("a second click takes the marks away again", () => {
    expect(run("bold", "a **[word]** here")).toBe("a [word] here");
    expect(run("bold", "a [**word**] here")).toBe("a [word] here");
    expect(run("bold", "say **|**")).toBe("say |");
  });

  it("turns several selected lines into a fenced code block on lines of its own", () => {
    expect(run("code", "Run:[a\nb]")).toBe("Run:\n```\n[a\nb]\n```");
  });

  it("makes each selected line a list item or a quote, and back", () => {
    expect(run("list", "[one\ntwo]")).toBe("[- one\n- two]");
    expect(run("list", "[- one\n- two]")).toBe("[one\ntwo]");
    expect(run("quote", "intro\nsa|id")).toBe("intro\n> sa|id");
    // Blank lines between items stay blank.
    expect(run("list", "[one\n\ntwo]")).toBe("[- one\n\n- two]");
    // A selection ending at the start of the next line leaves that line alone.
    expect(run("quote", "[one\n]two")).toBe("[> one]\ntwo");
  });

  it("links the selected words with the caret where the address goes, or a selected address", () => {
    expect(run("link", "see [the report] now")).toBe("see [the report](https://|) now");
    expect(run("link", "see [https://x.test/a] now")).toBe("see [[link text]](https://x.test/a) now");
    expect(run("link", "see |")).toBe("see [[link text]](https://)");
  });
});
