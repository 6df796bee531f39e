// Human-readable numbers and times, for every screen.

const UNITS: [string, number][] = [
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
];

/** Seconds as the two largest non-zero units: "3d 4h", "12m 5s", "45s", "0s". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return "—";
  let rest = Math.round(seconds);
  if (rest === 0) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest -= n * size;
    } else if (parts.length > 0) {
      break; // "3d 4m" would hide the hours: stop at the first gap
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** An RFC 3339 timestamp in the user's locale and time zone; "—" for none. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

const dateOnly = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** The date and the time of day separately, for two-line table cells. */
export function splitDateTime(iso: string): { date: string; time: string } | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : { date: dateOnly.format(d), time: timeOnly.format(d) };
}

const count = new Intl.NumberFormat();

/** Every count shown to people goes through here: "60,000" (the locale's separators), "—" for none. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : count.format(n);
}

/** Length in characters (code points), as the core counts. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const monthDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

/**
 * A timestamp in a dense table's narrow column, as mail clients list messages: the time today
 * ("2:05 PM"), the day this year ("Dec 7"), the full date before ("Dec 7, 2025"). The whole
 * date and time belong in a tooltip. The raw value when unreadable.
 */
export function formatShortDateTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (d.toDateString() === now.toDateString()) return clock.format(d);
  return d.getFullYear() === now.getFullYear() ? monthDay.format(d) : dateOnly.format(d);
}
