// Reading Elasticsearch alert documents (`_source`) and building the times of a search.

type Leaf = string | number | boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function find(node: unknown, parts: readonly string[], at: number): Leaf | null {
  // An array anywhere on the way: its first item that has the field.
  if (Array.isArray(node)) {
    for (const item of node) {
      const v = find(item, parts, at);
      if (v !== null) return v;
    }
    return null;
  }
  if (at === parts.length) return typeof node === "string" || typeof node === "number" || typeof node === "boolean" ? node : null;
  if (!isObject(node)) return null;
  // Security alerts mix literal dotted keys ("kibana.alert.rule.name") with nested ECS objects
  // (host: {name}), and sometimes both ("kibana.alert": {"rule.name": …}): try the longest key first.
  for (let end = parts.length; end > at; end--) {
    const key = parts.slice(at, end).join(".");
    if (has(node, key)) {
      const v = find(node[key], parts, end);
      if (v !== null) return v;
    }
  }
  return null;
}

/**
 * A field of an alert document as text, e.g. `fieldOf(source, "host.name")`: found under a
 * literal dotted key, nested objects or a mix of both; of an array, the first value. Null when
 * the document has no such value (or only an object there).
 */
export function fieldOf(source: unknown, path: string): string | null {
  const v = find(source, path.split("."), 0);
  return v === null ? null : String(v);
}

/**
 * A `datetime-local` value ("2026-11-27T10:00", the user's time zone) as RFC 3339 in UTC
 * ("2026-11-27T09:00:00Z" in Paris); undefined when blank, null when not a valid time.
 */
export function localToRfc3339(local: string): string | undefined | null {
  if (local.trim() === "") return undefined;
  const d = new Date(local);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.000Z$/, "Z");
}
