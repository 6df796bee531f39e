// The Alerts tab against the real core (`casebook serve --dev`): alerts imported from real
// export files, listed, grouped, sorted, filtered and removed by the core. The desktop seam (file
// dialog, window drags, progress events) is mocked; the progress bar and Cancel, which need an
// import the test holds open, are in AlertsTab.test.tsx; searching Elasticsearch and sending
// statuses back are in AlertsSearch.core.test.tsx.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { CaseCreate } from "../../../lib/api/bindings";
import {
  createCase,
  getCase,
  importAlerts,
  listAlerts,
  updateCases,
} from "../../../lib/api/client";
import * as files from "../../../lib/files";
import type { FileDragEvent } from "../../../lib/files";
import { formatDateTime } from "../../../lib/format";
import { freshSpace } from "../../../testing/core/server";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

/** The desktop seam: the file dialog and window drags, driven by the tests. */
const desk = vi.hoisted(() => ({ drag: null as ((e: FileDragEvent) => void) | null }));

vi.mock("../../../lib/files", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../lib/files")>();
  return {
    ...actual,
    pickAlertFile: vi.fn(),
    onFileDrag: vi.fn(async (handler: (e: FileDragEvent) => void) => {
      desk.drag = handler;
      return () => {
        if (desk.drag === handler) desk.drag = null;
      };
    }),
    // No event stream under jsdom: the core's progress events are not listened to here.
    onImportProgress: vi.fn(async () => () => {}),
  };
});

// A page of 50 rows with their controls takes jsdom a while to render.
vi.setConfig({ testTimeout: 40_000 });
configure({ asyncUtilTimeout: 8_000 });

const picker = vi.mocked(files.pickAlertFile);

/** The core's own test fixtures: real Kibana and Elasticsearch exports. */
const here = import.meta.url;
const fixture = (name: string) => decodeURIComponent(new URL(`../../../../../crates/core/tests/fixtures/alerts/${name}`, here).pathname);

/** What the tests use of Node's fs and os (the UI's tsconfig has no Node types). */
type NodeFs = {
  mkdtempSync(prefix: string): string;
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
  writeFileSync(path: string, data: string): void;
};
let fs: NodeFs;
const builtin = (name: string) => import(/* @vite-ignore */ name);

let tmp: string;
let exportCount = 0;

/** A file in the test's temporary folder, which the core (on this machine) reads. */
function tmpFile(name: string, text: string): string {
  const path = `${tmp}/${name}`;
  fs.writeFileSync(path, text);
  return path;
}

/** An NDJSON export in a temporary folder: one line per item (strings are written as they are). */
function exportFile(lines: unknown[], name = `export-${++exportCount}.ndjson`): string {
  return tmpFile(name, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
}

const RAISED = Date.UTC(2026, 10, 27, 10, 0);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Alert `n` as Kibana exports it: "Brute force", high, risk 73, on ws-(n mod 3) as user(n mod 2),
 * raised n minutes before 10:00 UTC, from an event 30 s earlier.
 */
function alertDoc(n: number, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `alert-${String(n).padStart(4, "0")}`;
  return {
    "@timestamp": iso(RAISED - n * 60_000),
    "kibana.alert.uuid": id,
    "kibana.alert.original_time": iso(RAISED - n * 60_000 - 30_000),
    "kibana.alert.rule.uuid": "r-brute",
    "kibana.alert.rule.name": "Brute force",
    "kibana.alert.severity": "high",
    "kibana.alert.risk_score": 73,
    "kibana.alert.reason": `authentication event with 12 failures on ws-${n % 3}`,
    "kibana.alert.workflow_status": "open",
    host: { name: `ws-${n % 3}`, ip: ["10.0.0.5", "192.0.2.7"] },
    user: { name: `user${n % 2}` },
    event: { category: ["authentication"], outcome: "failure" },
    ...patch,
  };
}

/** 120 alerts: 10 without a rule, 60 "Brute force", 20 "Malware detected" (critical), 30 "Port scan" (medium). */
function alertDocs(): Record<string, unknown>[] {
  const noRule = { "kibana.alert.rule.uuid": undefined, "kibana.alert.rule.name": undefined };
  const malware = { "kibana.alert.rule.uuid": "r-mal", "kibana.alert.rule.name": "Malware detected", "kibana.alert.severity": "critical", "kibana.alert.risk_score": 99 };
  const scan = { "kibana.alert.rule.uuid": "r-scan", "kibana.alert.rule.name": "Port scan", "kibana.alert.severity": "medium", "kibana.alert.risk_score": 47 };
  return Array.from({ length: 120 }, (_, n) => alertDoc(n, n < 10 ? noRule : n < 70 ? {} : n < 90 ? malware : scan));
}

let space: string;
let id: string;
let wave: string;

async function newCase(title: string, patch: Partial<CaseCreate> = {}) {
  return createCase(space, { title, description: "", tags: [], assignees: [], custom_fields: [], ...patch });
}

/** Attaches the alerts of `path` to the case as the desktop app does (a file name and an import id). */
async function imported(path: string, caseId = id) {
  return importAlerts(caseId, path, crypto.randomUUID());
}

function renderTab() {
  return renderWithQueries(<CaseView space={space} id={id} tab="alerts" />);
}

const groupHeaders = () => Array.from(document.querySelectorAll(".alert-group-row th")).map((th) => th.textContent);
/** The rows' accessible names ("Details of the alert Brute force at …"), top to bottom. */
const rowNames = () =>
  screen.getAllByRole("button", { name: /^Details of the alert / }).map((b) => b.getAttribute("aria-label")!.replace("Details of the alert ", ""));
/** The first line of the import report: "Attached 6 alerts from modern.ndjson." */
const reportLine = () => screen.getByText(/^Attached /).closest("p")?.textContent;
const at = (n: number) => formatDateTime(iso(RAISED - n * 60_000));

beforeAll(async () => {
  fs = (await builtin("node:fs")) as NodeFs;
  const os = (await builtin("node:os")) as { tmpdir(): string };
  tmp = fs.mkdtempSync(`${os.tmpdir()}/casebook-alerts-tab-`);
  wave = exportFile(alertDocs(), "wave.ndjson");
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeEach(async () => {
  desk.drag = null;
  space = await freshSpace("alerts");
  id = (await newCase("Credential phishing wave")).id;
});

afterEach(() => cleanup());

describe("Alerts tab: the list", () => {
  beforeEach(async () => {
    expect((await imported(wave)).attached).toBe(120);
  });

  it("groups by rule by default, with each rule's count in the case, and shows the figures in the header", async () => {
    renderTab();
    expect(await screen.findByRole("tab", { name: "Alerts (120)", selected: true })).toBeTruthy();
    await waitFor(() => expect(groupHeaders()).toEqual(["No rule · 10 alerts", "Brute force · 60 alerts"]));
    expect(screen.getByText("1–50 of 120")).toBeTruthy();
    // Inside a group, newest first.
    expect(rowNames().slice(0, 2)).toEqual([`No rule at ${at(0)}`, `No rule at ${at(1)}`]);
    expect(rowNames()[10]).toBe(`Brute force at ${at(10)}`);
    // The group header names the rule: its rows do not repeat it.
    expect(screen.queryByRole("columnheader", { name: "Rule" })).toBeNull();
    expect(screen.queryAllByRole("cell", { name: "Brute force" })).toEqual([]);
    expect(screen.getByLabelText("Alerts summary").textContent).toBe("Alerts120Hosts3Users2");
    // The side panel is the activity's: the table gets the full width.
    expect(screen.queryByRole("complementary", { name: "Case details" })).toBeNull();
    // Alerts from a file have no status to send back to Elasticsearch.
    expect(screen.queryByRole("region", { name: "Alert status sync" })).toBeNull();
    // The reason's full text on hover.
    const row = screen.getAllByRole("row")[2];
    expect(within(row).getByTitle("authentication event with 12 failures on ws-0")).toBeTruthy();
  });

  it("pages through the groups, and repeats the group header at the top of the next page", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Next ›" }));
    expect(await screen.findByText("51–100 of 120")).toBeTruthy();
    await waitFor(() =>
      expect(groupHeaders()).toEqual(["Brute force · 60 alerts", "Malware detected · 20 alerts", "Port scan · 30 alerts"]),
    );
    expect(screen.getByText("Page 2 of 3")).toBeTruthy();
    expect(rowNames()[0]).toBe(`Brute force at ${at(50)}`);
  });

  it("sorts in the core: a column click shows a flat list, a second click turns the order", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Next ›" }));
    await screen.findByText("51–100 of 120");

    // Back on page 1, riskiest first, no group headers.
    fireEvent.click(screen.getByRole("button", { name: "Risk score" }));
    expect(await screen.findByText("1–50 of 120")).toBeTruthy();
    await waitFor(() => expect(groupHeaders()).toEqual([]));
    expect(screen.getByRole("columnheader", { name: "Risk score" }).getAttribute("aria-sort")).toBe("descending");
    // A flat list names each alert's rule in its own column.
    expect(screen.getByRole("columnheader", { name: "Rule" })).toBeTruthy();
    await waitFor(() => expect(rowNames()[0]).toMatch(/^Malware detected at /));
    expect(rowNames().slice(0, 20).every((n) => n.startsWith("Malware detected at "))).toBe(true);
    expect(rowNames()[20]).toMatch(/^(Brute force|No rule) at /);

    fireEvent.click(screen.getByRole("button", { name: "Risk score" }));
    await waitFor(() => expect(screen.getByRole("columnheader", { name: "Risk score" }).getAttribute("aria-sort")).toBe("ascending"));
    await waitFor(() => expect(rowNames()[0]).toMatch(/^Port scan at /));
    expect(rowNames().slice(0, 30).every((n) => n.startsWith("Port scan at "))).toBe(true);

    // Time: newest first.
    fireEvent.click(screen.getByRole("button", { name: "Time" }));
    await waitFor(() => expect(rowNames().slice(0, 3)).toEqual([`No rule at ${at(0)}`, `No rule at ${at(1)}`, `No rule at ${at(2)}`]));
    expect(rowNames()[49]).toBe(`Brute force at ${at(49)}`);

    fireEvent.click(screen.getByRole("button", { name: "Group by rule", pressed: false }));
    await waitFor(() => expect(groupHeaders()).toEqual(["No rule · 10 alerts", "Brute force · 60 alerts"]));
  });

  it("filters by rule, severity, status and words, back on page 1", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Next ›" }));
    await screen.findByText("51–100 of 120");
    const rule = screen.getByLabelText("Filter by rule") as HTMLSelectElement;
    expect(Array.from(rule.options).map((o) => o.textContent)).toEqual(["All rules", "Brute force", "Malware detected", "Port scan", "No rule"]);

    fireEvent.change(rule, { target: { value: "rule:Port scan" } });
    expect(await screen.findByText("1–30 of 30")).toBeTruthy();
    await waitFor(() => expect(groupHeaders()).toEqual(["Port scan · 30 alerts"]));

    fireEvent.change(rule, { target: { value: "none" } });
    expect(await screen.findByText("1–10 of 10")).toBeTruthy();
    await waitFor(() => expect(groupHeaders()).toEqual(["No rule · 10 alerts"]));

    fireEvent.change(rule, { target: { value: "all" } });
    fireEvent.change(screen.getByLabelText("Filter by severity"), { target: { value: "critical" } });
    fireEvent.change(screen.getByLabelText("Filter by alert status"), { target: { value: "open" } });
    expect(await screen.findByText("1–20 of 20")).toBeTruthy();
    await waitFor(() => expect(groupHeaders()).toEqual(["Malware detected · 20 alerts"]));

    // Words match the host and the reason: the malware alerts on ws-1 (70, 73, … 88).
    fireEvent.change(screen.getByLabelText("Search alerts"), { target: { value: "ws-1" } });
    expect(await screen.findByText("1–7 of 7")).toBeTruthy();
    expect(rowNames()).toEqual([70, 73, 76, 79, 82, 85, 88].map((n) => `Malware detected at ${at(n)}`));

    fireEvent.change(screen.getByLabelText("Search alerts"), { target: { value: "nothing-like-this" } });
    expect(await screen.findByText("No alert of this case matches these filters.")).toBeTruthy();
    fireEvent.click(screen.getAllByRole("button", { name: "Clear filters" })[0]);
    expect(await screen.findByText("1–50 of 120")).toBeTruthy();
    expect((screen.getByLabelText("Search alerts") as HTMLInputElement).value).toBe("");
    expect((screen.getByLabelText("Filter by severity") as HTMLSelectElement).value).toBe("all");
  });

  it("opens an alert: its summary, every field filtered by name or value, and the JSON document", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    // A click anywhere on the row opens it (grouped, a row names its rule only to screen readers).
    const row = screen
      .getAllByRole("row")
      .find((r) => r.textContent?.includes("ws-1") && within(r).queryByRole("button", { name: /^Details of the alert Brute force at / }))!;
    fireEvent.click(within(row).getByTitle(/authentication event/));
    const panel = await screen.findByRole("dialog", { name: "Alert details" });
    expect(await within(panel).findByRole("heading", { name: "Brute force" })).toBeTruthy();
    const fields = within(panel).getByRole("table");
    expect(within(fields).getByRole("rowheader", { name: "kibana.alert.rule.name" })).toBeTruthy();

    fireEvent.change(within(panel).getByLabelText("Filter fields"), { target: { value: "host" } });
    const names = within(fields).getAllByRole("rowheader").map((th) => th.textContent);
    expect(names).toEqual(["host.ip", "host.name"]);
    expect(within(fields).getByText("192.0.2.7")).toBeTruthy();
    // Values match too: "failure" is event.outcome's value.
    fireEvent.change(within(panel).getByLabelText("Filter fields"), { target: { value: "FAILURE" } });
    expect(within(panel).getAllByRole("rowheader").map((th) => th.textContent)).toEqual(["event.outcome", "kibana.alert.reason"]);
    // Of every field of the document, host.ip and event.category once each.
    expect(within(panel).getByText("2 of 14 fields")).toBeTruthy();

    fireEvent.click(within(panel).getByRole("button", { name: "JSON" }));
    const json = within(panel).getByLabelText("The alert document as JSON");
    expect(json.tagName).toBe("PRE");
    expect(json.textContent).toContain('"outcome": "failure"');
    expect(within(panel).queryByLabelText("Filter fields")).toBeNull();
  });

  it("removes the selected alerts after confirming", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    const boxes = screen.getAllByRole("checkbox", { name: /^Select the alert/ });
    fireEvent.click(boxes[0]);
    fireEvent.click(boxes[1]);
    expect(screen.getByText("2 alerts selected")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove from case" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove 2 alerts from the case?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove from case" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("1–50 of 118")).toBeTruthy();
    expect(await screen.findByRole("tab", { name: "Alerts (118)" })).toBeTruthy();
    await waitFor(() => expect(groupHeaders()).toEqual(["No rule · 8 alerts", "Brute force · 60 alerts"]));
    // The two newest alerts without a rule were the first two rows.
    const left = await listAlerts(id, { rule: "", per_page: 100 });
    expect(left.total).toBe(8);
    expect(left.alerts.map((a) => a.id)).not.toContain("alert-0000");
    expect(left.alerts.map((a) => a.id)).not.toContain("alert-0001");
  });
});

describe("Alerts tab: one alert's times, and an empty case", () => {
  it("shows an alert's time as its @timestamp, and the event time apart", async () => {
    // Raised at 10:00, from an event at 07:15 the same day (a rule that looks back hours).
    const raised = "2026-11-27T10:00:00.000Z";
    const event = "2026-11-27T07:15:00.000Z";
    await imported(exportFile([alertDoc(0, { "kibana.alert.uuid": "late", "@timestamp": raised, "kibana.alert.original_time": event })]));
    renderTab();
    const open = await screen.findByRole("button", { name: `Details of the alert Brute force at ${formatDateTime(raised)}` });
    expect(open.title).toBe(`Alert raised ${formatDateTime(raised)}\nEvent ${formatDateTime(event)}`);
    expect(screen.getByRole("columnheader", { name: "Time" })).toBeTruthy();

    fireEvent.click(open);
    const panel = await screen.findByRole("dialog", { name: "Alert details" });
    await within(panel).findByRole("heading", { name: "Brute force" });
    const term = (name: string) => within(panel).getByText(name, { selector: "dt" }).nextElementSibling?.textContent;
    expect(term("Time")).toBe(formatDateTime(raised));
    expect(term("Event time")).toBe(formatDateTime(event));
  });

  it("shows the same status in the table, the summary and the document's own field", async () => {
    // Exported "open"; the case, which syncs its alerts, is then closed.
    await imported(exportFile([alertDoc(0, { "kibana.alert.uuid": "synced" })]));
    const version = (await getCase(space, id)).version;
    await updateCases(space, [{ id, version, status: "closed", add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] }]);
    renderTab();
    const open = await screen.findByRole("button", { name: /^Details of the alert Brute force at / });
    expect(within(open.closest("tr")!).getByText("Closed")).toBeTruthy();
    fireEvent.click(open);
    const panel = await screen.findByRole("dialog", { name: "Alert details" });
    await within(panel).findByRole("heading", { name: "Brute force" });
    expect(within(panel).getByText("Status", { selector: "dt" }).nextElementSibling?.textContent).toBe("Closed");
    const field = within(panel).getByRole("rowheader", { name: "kibana.alert.workflow_status" }).closest("tr")!;
    expect(within(field).getByRole("cell").textContent).toBe("closed");
  });

  it("explains which files are accepted when the case has no alerts", async () => {
    renderTab();
    expect(await screen.findByRole("heading", { name: "No alerts attached yet" })).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Alerts (0)" })).toBeTruthy();
    expect(screen.getByText(/Discover export/)).toBeTruthy();
    expect(screen.getByText(/may be gzip-compressed/)).toBeTruthy();
    expect(screen.getAllByRole("button", { name: "Attach alerts…" })).toHaveLength(2);
    expect(screen.queryByLabelText("Search alerts")).toBeNull();
  });
});

describe("Alerts tab: attaching a file", () => {
  it("imports a Kibana export and shows its report, then the lines of a broken file it could not read", async () => {
    picker.mockResolvedValue(fixture("modern.ndjson"));
    renderTab();
    await screen.findByRole("heading", { name: "No alerts attached yet" });
    fireEvent.click(screen.getAllByRole("button", { name: "Attach alerts…" })[0]);
    expect(await screen.findByText("Attached 6 alerts")).toBeTruthy();
    expect(reportLine()).toBe("Attached 6 alerts from modern.ndjson.");
    expect(screen.getByText("25 observables extracted and added to the case.")).toBeTruthy();
    expect(screen.queryByRole("progressbar", { name: "Importing modern.ndjson" })).toBeNull();
    // The lists and counts were refreshed.
    expect(await screen.findByRole("tab", { name: "Alerts (6)" })).toBeTruthy();
    expect(await screen.findByText("1–6 of 6")).toBeTruthy();
    expect(await screen.findByRole("tab", { name: "Observables (25)" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(/Attached 6 alerts/)).toBeNull();

    // Two of its alerts are in the case already; four lines are not alerts.
    picker.mockResolvedValue(fixture("broken-lines.ndjson"));
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    expect(await screen.findByText("Attached 0 alerts (2 already in the case)")).toBeTruthy();
    expect(screen.getByText("No new observables in these alerts.")).toBeTruthy();
    expect(screen.getByText("4 entries could not be read and were skipped:")).toBeTruthy();
    const issues = screen.getByRole("list", { name: "Entries not read" });
    expect(within(issues).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "line 2: not valid JSON: expected `,` or `}` at column 58",
      "line 3: not a JSON object but an array",
      "line 5: no kibana.alert.uuid or _id",
      "line 7: not valid JSON: EOF while parsing a string at column 56",
    ]);
    expect((await listAlerts(id, {})).total).toBe(6);
  });

  it("tells repeats in the file from alerts already in the case, and lists only the first 1,000 issues", async () => {
    await imported(exportFile([alertDoc(1)]));
    const path = exportFile([alertDoc(1), alertDoc(2), alertDoc(2), alertDoc(3), ...Array.from({ length: 1_001 }, () => "{oops")], "big.ndjson");
    picker.mockResolvedValue(path);
    renderTab();
    await screen.findByText("1–1 of 1");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    // Repeats inside the file are not called "already in the case".
    expect(await screen.findByText("Attached 2 alerts (1 already in the case, 1 repeated in the file)")).toBeTruthy();
    expect(screen.getByText(/1,001 entries could not be read and were skipped \(the first 1,000 are listed\)/)).toBeTruthy();
    const issues = within(screen.getByRole("list", { name: "Entries not read" })).getAllByRole("listitem");
    expect(issues).toHaveLength(1_000);
    expect(issues[0].textContent).toMatch(/^line 5: not valid JSON: /);
    expect(await screen.findByRole("tab", { name: "Alerts (3)" })).toBeTruthy();
  });

  /** Imports a JSON array whose 2nd and 3rd documents are not alerts; the report's issue lines. */
  async function importJsonWithBadDocuments() {
    const path = tmpFile("array.json", JSON.stringify([alertDoc(1), ["not", "an", "object"], { host: { name: "ws-9" } }]));
    picker.mockResolvedValue(path);
    renderTab();
    await screen.findByRole("heading", { name: "No alerts attached yet" });
    fireEvent.click(screen.getAllByRole("button", { name: "Attach alerts…" })[0]);
    expect(await screen.findByText("Attached 1 alert")).toBeTruthy();
    expect(screen.getByText("2 entries could not be read and were skipped:")).toBeTruthy();
    const issues = screen.getByRole("list", { name: "Entries not read" });
    return within(issues).getAllByRole("listitem").map((li) => li.textContent);
  }

  it("lists a JSON file's unreadable documents with the core's reasons", async () => {
    const issues = await importJsonWithBadDocuments();
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/: not a JSON object but an array$/);
    expect(issues[1]).toMatch(/: no kibana\.alert\.uuid or _id$/);
  });

  // The core once sent `"line": null` here (the binding says `line?: number`), shown as "line null".
  it("names a JSON file's unreadable documents by their number", async () => {
    expect(await importJsonWithBadDocuments()).toEqual([
      "document 2: not a JSON object but an array",
      "document 3: no kibana.alert.uuid or _id",
    ]);
  });

  it("does nothing when the file dialog is closed without a choice", async () => {
    await imported(exportFile([alertDoc(1)]));
    picker.mockResolvedValue(null);
    renderTab();
    await screen.findByText("1–1 of 1");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    await waitFor(() => expect(picker).toHaveBeenCalled());
    expect(screen.queryByText(/^Attached /)).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
    expect((screen.getByRole("button", { name: "Attach alerts…" }) as HTMLButtonElement).disabled).toBe(false);
    expect((await listAlerts(id, {})).total).toBe(1);
  });

  it("highlights the tab while a file is dragged over it and imports a dropped file", async () => {
    renderTab();
    await screen.findByRole("heading", { name: "No alerts attached yet" });
    await waitFor(() => expect(desk.drag).not.toBeNull());
    const zone = screen.getByRole("region", { name: "Alerts" });
    act(() => desk.drag!({ type: "enter", paths: [fixture("discover.csv")] }));
    expect(zone.className).toContain("drag-over");
    expect(screen.getByText("Drop the file to attach its alerts to this case")).toBeTruthy();
    act(() => desk.drag!({ type: "leave" }));
    expect(zone.className).not.toContain("drag-over");

    act(() => desk.drag!({ type: "drop", paths: [fixture("discover.csv"), fixture("modern.ndjson")] }));
    expect(screen.getByText("One file at a time: only discover.csv is being attached.")).toBeTruthy();
    expect(await screen.findByText("Attached 4 alerts")).toBeTruthy();
    expect(reportLine()).toBe("Attached 4 alerts from discover.csv.");
    expect(await screen.findByRole("tab", { name: "Alerts (4)" })).toBeTruthy();
    // Only the first file.
    expect((await listAlerts(id, {})).total).toBe(4);
  });

  it("says when the core refuses the file, in the core's words", async () => {
    picker.mockResolvedValue(fixture("no-id-column.csv"));
    renderTab();
    await screen.findByRole("heading", { name: "No alerts attached yet" });
    fireEvent.click(screen.getAllByRole("button", { name: "Attach alerts…" })[0]);
    expect((await screen.findByRole("alert")).textContent).toContain(
      "no-id-column.csv was not imported: file: this CSV has no _id (or kibana.alert.uuid) column, so its alerts cannot be told apart. " +
        "In Discover, add the _id field as a column, then Generate CSV again.",
    );
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());

    const missing = `${tmp}/gone/x.ndjson`;
    picker.mockResolvedValue(missing);
    fireEvent.click(screen.getAllByRole("button", { name: "Attach alerts…" })[0]);
    expect((await screen.findByRole("alert")).textContent).toContain(`x.ndjson was not imported: file: cannot read ${missing}: No such file or directory`);
    expect((await listAlerts(id, {})).total).toBe(0);
  });
});
