// The times of an Elasticsearch alert search, from the form's datetime-local fields.

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
