// Tags as the core stores them: typed or pasted text split on commas and new lines, trimmed,
// without blanks or repeats.
import { trimRust } from "./search";

/**
 * Adds the tags typed in `input` (separated by commas or new lines) to `tags`: trimmed,
 * blanks dropped, repeats (first spelling wins) dropped, as the core does.
 */
export function addTags(tags: string[], input: string): string[] {
  return uniqueTags([...tags, ...input.split(/[,\n]/)]);
}

/** Trimmed, without blanks or repeats (first spelling wins), as the core stores them. */
export function uniqueTags(tags: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = trimRust(raw);
    if (t !== "" && !seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  }
  return out;
}
