// Bulk edits of the selected cases: the patches sent to the core in one call, and what the
// user is told afterwards. Pure, so it is unit-tested.
import type {
  BulkBatch,
  BulkChange as CoreBulkChange,
  BulkReport,
  Case,
  CasePatch,
  Severity,
  Status,
} from "../../lib/api/bindings";
import { SEVERITY_LABEL } from "../../components/labels";
import { formatCount } from "../../lib/format";

export type BulkChange =
  | { kind: "status"; status: Status }
  | { kind: "severity"; severity: Severity }
  | { kind: "tags"; add: string[]; remove: string[] }
  | { kind: "assignees"; add: string[]; remove: string[] };

function basePatch(c: Case): CasePatch {
  return { id: c.id, version: c.version, add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] };
}

/** One patch per selected case, each carrying the version it was seen at. */
export function bulkPatches(cases: readonly Case[], change: BulkChange): CasePatch[] {
  return cases.map((c) => {
    const p = basePatch(c);
    switch (change.kind) {
      case "status":
        return { ...p, status: change.status };
      case "severity":
        return { ...p, severity: change.severity };
      case "tags":
        return { ...p, add_tags: [...change.add], remove_tags: [...change.remove] };
      case "assignees":
        return {
          ...p,
          add_assignees: change.add.map((uid) => ({ uid })),
          remove_assignees: change.remove.map((uid) => ({ uid })),
        };
    }
  });
}

export function casesNoun(n: number): string {
  return n === 1 ? "1 case" : `${formatCount(n)} cases`;
}

/** The change as the core's batched bulk commands take it. */
export function coreChange(change: BulkChange): CoreBulkChange {
  const none: CoreBulkChange = { add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] };
  switch (change.kind) {
    case "status":
      return { ...none, status: change.status };
    case "severity":
      return { ...none, severity: change.severity };
    case "tags":
      return { ...none, add_tags: [...change.add], remove_tags: [...change.remove] };
    case "assignees":
      return {
        ...none,
        add_assignees: change.add.map((uid) => ({ uid })),
        remove_assignees: change.remove.map((uid) => ({ uid })),
      };
  }
}

export function emptyReport(total: number): BulkReport {
  return { total, changed: 0, unchanged: 0, skipped: [], failed: [], gone: 0, cancelled: false };
}

/** The selected cases a run has met so far. */
export function seenOf(r: BulkReport): number {
  return r.changed + r.unchanged + r.skipped.length + r.failed.length;
}

/**
 * A batch added to the run's report, as the core's `BulkReport::add` adds it: after the last
 * batch, every selected case not met was deleted or changed to no longer match meanwhile.
 */
export function addBatch(r: BulkReport, b: BulkBatch): BulkReport {
  const next: BulkReport = {
    ...r,
    changed: r.changed + b.changed,
    unchanged: r.unchanged + b.unchanged,
    skipped: [...r.skipped, ...b.skipped],
    failed: [...r.failed, ...b.failed],
  };
  if (b.next === null) next.gone = Math.max(0, next.total - seenOf(next));
  return next;
}

const STATUS_DONE: Record<Status, string> = {
  open: "opened",
  "in-progress": "marked in progress",
  closed: "closed",
};

/** "2 cases closed", "1 case set to High severity", "3 cases: tags updated". */
export function bulkMessage(n: number, change: BulkChange | { kind: "delete" }): string {
  const what = casesNoun(n);
  switch (change.kind) {
    case "status":
      return `${what} ${STATUS_DONE[change.status]}`;
    case "severity":
      return `${what} set to ${SEVERITY_LABEL[change.severity]} severity`;
    case "tags":
      return `Tags updated on ${what}`;
    case "assignees":
      return `Assignees updated on ${what}`;
    case "delete":
      return `${what} deleted`;
  }
}

/** How many of the selected cases carry a value: every one, some, or none. */
export type Presence = "all" | "some" | "none";

/** Each value found on the selection (in first-seen order) and whether all or some carry it. */
export function presenceOf(lists: readonly string[][]): Map<string, Presence> {
  const counts = new Map<string, number>();
  for (const list of lists) for (const v of new Set(list)) counts.set(v, (counts.get(v) ?? 0) + 1);
  const out = new Map<string, Presence>();
  for (const [v, n] of counts) out.set(v, n === lists.length ? "all" : "some");
  return out;
}

/** A click on a checkbox: partly present → on for all; on → off; off → on. */
export function nextPresence(p: Presence): Presence {
  return p === "all" ? "none" : "all";
}

/** What to add and remove so the selection ends up as `chosen` says (values left "some" are untouched). */
export function labelChanges(
  initial: ReadonlyMap<string, Presence>,
  chosen: ReadonlyMap<string, Presence>,
): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  for (const [v, p] of chosen) {
    const before = initial.get(v) ?? "none";
    if (p === before || p === "some") continue;
    if (p === "all") add.push(v);
    else remove.push(v);
  }
  return { add, remove };
}
