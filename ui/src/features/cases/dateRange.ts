// The list's date range (Kibana 9.3's super date picker, reduced to what a case list needs):
// a quick range relative to now, or custom calendar days, over the creation or update time.
import type { DateField } from "../../lib/api/bindings";

/** Quick ranges, in the order the picker offers them ("Commonly used" in Kibana). */
export const QUICK_RANGES = [
  { id: "today", label: "Today" },
  { id: "1h", label: "Last 1 hour" },
  { id: "24h", label: "Last 24 hours" },
  { id: "7d", label: "Last 7 days" },
  { id: "30d", label: "Last 30 days" },
  { id: "90d", label: "Last 90 days" },
  { id: "month", label: "This month" },
  { id: "year", label: "This year" },
  { id: "1y", label: "Last 1 year" },
] as const;

export type QuickRangeId = (typeof QUICK_RANGES)[number]["id"];

/** Custom bounds are calendar days (YYYY-MM-DD) in the user's time zone, either may be open. */
export type DateRange = { quick: QuickRangeId } | { from: string | null; to: string | null };

export const DATE_FIELD_LABEL: Record<DateField, string> = { created_at: "Created", updated_at: "Updated" };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function isDay(v: unknown): v is string {
  if (typeof v !== "string") return false;
  const m = DAY.exec(v);
  if (!m) return false;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]);
}

function startOfDay(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d);
}

function endOfDay(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d, 23, 59, 59, 999);
}

/** Whatever was stored → a valid range, or null for none. */
export function sanitizeDateRange(raw: unknown): DateRange | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if ("quick" in r) return QUICK_RANGES.some((q) => q.id === r.quick) ? { quick: r.quick as QuickRangeId } : null;
  const from = isDay(r.from) ? r.from : null;
  const to = isDay(r.to) ? r.to : null;
  if (from === null && to === null) return null;
  if (from !== null && to !== null && from > to) return null;
  return { from, to };
}

/** Why custom days cannot be applied, or null when they can. */
export function customRangeProblem(from: string, to: string): string | null {
  if (from === "" && to === "") return "Pick a first day, a last day, or both.";
  if ((from !== "" && !isDay(from)) || (to !== "" && !isDay(to))) return "Enter days as YYYY-MM-DD.";
  if (from !== "" && to !== "" && from > to) return "The first day must not be after the last.";
  return null;
}

/**
 * The RFC 3339 bounds the core takes. Relative ranges start from `now` rounded down to the
 * minute, so the query (and its cache key) stays the same for a minute rather than every render.
 */
export function rangeBounds(range: DateRange, now: Date): { from?: string; to?: string } {
  if (!("quick" in range)) {
    return {
      ...(range.from ? { from: startOfDay(range.from).toISOString() } : {}),
      ...(range.to ? { to: endOfDay(range.to).toISOString() } : {}),
    };
  }
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const ago = (ms: number) => new Date(minute.getTime() - ms).toISOString();
  switch (range.quick) {
    case "today":
      return { from: new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString() };
    case "1h":
      return { from: ago(HOUR_MS) };
    case "24h":
      return { from: ago(DAY_MS) };
    case "7d":
      return { from: ago(7 * DAY_MS) };
    case "30d":
      return { from: ago(30 * DAY_MS) };
    case "90d":
      return { from: ago(90 * DAY_MS) };
    case "month":
      return { from: new Date(now.getFullYear(), now.getMonth(), 1).toISOString() };
    case "year":
      return { from: new Date(now.getFullYear(), 0, 1).toISOString() };
    case "1y":
      return { from: new Date(minute.getFullYear() - 1, minute.getMonth(), minute.getDate(), minute.getHours(), minute.getMinutes()).toISOString() };
  }
}

/** "Last 7 days", "Since 2026-03-01", "2026-03-01 → 2026-03-31". */
export function rangeLabel(range: DateRange): string {
  if ("quick" in range) return QUICK_RANGES.find((q) => q.id === range.quick)!.label;
  if (range.from && range.to) return range.from === range.to ? range.from : `${range.from} → ${range.to}`;
  return range.from ? `Since ${range.from}` : `Until ${range.to}`;
}
