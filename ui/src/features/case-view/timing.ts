// The case-view timing figures (Kibana's case metrics), in seconds.
import type { Case } from "../../lib/api/bindings";

export type Timing = {
  /** Since creation, up to now or to the close. */
  openFor: number;
  /** In progress, from the first move to in-progress to now or to the close; null if never. */
  inProgressFor: number | null;
  /** Creation to close; null unless closed. */
  timeToClose: number | null;
};

function seconds(fromIso: string, toMs: number): number {
  const from = Date.parse(fromIso);
  return Number.isNaN(from) ? 0 : Math.max(0, Math.round((toMs - from) / 1000));
}

export function caseTiming(c: Case, nowMs: number): Timing {
  const end = c.status === "closed" && c.closed_at ? Date.parse(c.closed_at) : nowMs;
  return {
    openFor: seconds(c.created_at, end),
    inProgressFor: c.in_progress_at ? seconds(c.in_progress_at, end) : null,
    timeToClose: c.status === "closed" ? (c.duration ?? (c.closed_at ? seconds(c.created_at, Date.parse(c.closed_at)) : null)) : null,
  };
}

/**
 * How often the running figures change on screen (ms): each second while the shortest one shows
 * seconds (under an hour, "12m 5s"), else each minute; null once the clocks have stopped.
 */
export function tickEvery(t: Timing, closed: boolean): number | null {
  if (closed) return null;
  const shortest = Math.min(t.openFor, t.inProgressFor ?? Infinity);
  return shortest < 3_600 ? 1_000 : 60_000;
}
