// The Markdown toolbar's edits as plain text arithmetic, so they are tested without a browser:
// each answers which range of the text to replace, with what, and what to select afterwards.

export type MarkdownAction = "bold" | "italic" | "code" | "list" | "link" | "quote";

export type TextEdit = {
  /** The range of the old text to replace. */
  start: number;
  end: number;
  text: string;
  /** The selection afterwards, in the new text. */
  selStart: number;
  selEnd: number;
};

const WRAP: Record<"bold" | "italic" | "code", string> = { bold: "**", italic: "_", code: "`" };
const PREFIX: Record<"list" | "quote", string> = { list: "- ", quote: "> " };
const LINK_TEXT = "link text";
const URL_HINT = "https://";

/** The edit `action` makes to `value` with `[start, end)` selected. */
export function formatEdit(action: MarkdownAction, value: string, start: number, end: number): TextEdit {
  switch (action) {
    case "bold":
    case "italic":
      return wrap(value, start, end, WRAP[action]);
    case "code":
      return value.slice(start, end).includes("\n") ? fence(value, start, end) : wrap(value, start, end, WRAP.code);
    case "list":
    case "quote":
      return prefixLines(value, start, end, PREFIX[action]);
    case "link":
      return link(value, start, end);
  }
}

/**
 * Wraps the selection in `mark`, or unwraps it when it is wrapped already (a second click
 * undoes the first). Spaces at the selection's edges stay outside: `** bold **` is not bold.
 */
function wrap(value: string, start: number, end: number, mark: string): TextEdit {
  while (start < end && /\s/.test(value[start])) start++;
  while (end > start && /\s/.test(value[end - 1])) end--;
  const sel = value.slice(start, end);
  const m = mark.length;
  if (sel.length >= 2 * m && sel.startsWith(mark) && sel.endsWith(mark)) {
    const inner = sel.slice(m, -m);
    return { start, end, text: inner, selStart: start, selEnd: start + inner.length };
  }
  if (value.slice(start - m, start) === mark && value.slice(end, end + m) === mark) {
    return { start: start - m, end: end + m, text: sel, selStart: start - m, selEnd: end - m };
  }
  return { start, end, text: mark + sel + mark, selStart: start + m, selEnd: end + m };
}

/** Several lines of code: a fenced block on lines of its own. */
function fence(value: string, start: number, end: number): TextEdit {
  const before = start > 0 && value[start - 1] !== "\n" ? "\n" : "";
  const after = end < value.length && value[end] !== "\n" ? "\n" : "";
  const sel = value.slice(start, end).replace(/\n$/, "");
  const open = `${before}\`\`\`\n`;
  const text = `${open}${sel}\n\`\`\`${after}`;
  return { start, end, text, selStart: start + open.length, selEnd: start + open.length + sel.length };
}

/**
 * Puts `prefix` before every line the selection touches (blank lines are left alone), or takes
 * it away when every such line has it already.
 */
function prefixLines(value: string, start: number, end: number, prefix: string): TextEdit {
  const from = value.lastIndexOf("\n", start - 1) + 1;
  // A selection ending at the very start of a line does not take that line in.
  const last = end > start && value[end - 1] === "\n" ? end - 1 : end;
  const nl = value.indexOf("\n", last);
  const to = nl < 0 ? value.length : nl;
  const lines = value.slice(from, to).split("\n");
  const filled = lines.filter((l) => l.trim() !== "");
  const remove = filled.length > 0 && filled.every((l) => l.startsWith(prefix));
  const out = lines.map((l) => {
    if (remove) return l.startsWith(prefix) ? l.slice(prefix.length) : l;
    return l.trim() === "" && filled.length > 0 ? l : prefix + l;
  });
  const text = out.join("\n");
  if (start === end) {
    // A caret stays where it was in its line.
    const shift = remove ? -Math.min(prefix.length, start - from) : prefix.length;
    return { start: from, end: to, text, selStart: start + shift, selEnd: start + shift };
  }
  return { start: from, end: to, text, selStart: from, selEnd: from + text.length };
}

/**
 * `[text](url)`: the selected words become the link text with the caret where the address
 * goes; a selected address becomes the target with "link text" selected to type over.
 */
function link(value: string, start: number, end: number): TextEdit {
  const sel = value.slice(start, end).trim();
  if (/^(https?:\/\/|mailto:)\S+$/i.test(sel)) {
    const text = `[${LINK_TEXT}](${sel})`;
    return { start, end, text, selStart: start + 1, selEnd: start + 1 + LINK_TEXT.length };
  }
  if (sel === "") {
    const text = `[${LINK_TEXT}](${URL_HINT})`;
    return { start, end, text, selStart: start + 1, selEnd: start + 1 + LINK_TEXT.length };
  }
  const text = `[${sel}](${URL_HINT})`;
  const caret = start + text.length - 1;
  return { start, end, text, selStart: caret, selEnd: caret };
}
