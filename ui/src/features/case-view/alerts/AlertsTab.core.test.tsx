// The Alerts tab against the real core (`casebook serve --dev`) and the contract fake of
// Elasticsearch: alerts imported from real export files, listed, grouped, sorted, filtered and
// removed by the core; searched in and attached from the fake cluster; statuses sent back to it.
// The desktop seam (file dialog, window drags, progress events) is mocked; the progress bar and
// Cancel, which need an import the test holds open, are in AlertsTab.test.tsx.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { AlertHit, CaseCreate, Status } from "../../../lib/api/bindings";
import {
  attachSourceAlerts,
  createCase,
  getAlert,
  getCase,
  importAlerts,
  listAlerts,
  removeAlerts,
  searchSourceAlerts,
  setAlertSource,
  syncAlertStatuses,
  updateCases,
} from "../../../lib/api/client";
import * as files from "../../../lib/files";
import type { FileDragEvent } from "../../../lib/files";
import { formatDateTime } from "../../../lib/format";
import { fakes, freshSpace } from "../../../testing/core/server";
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

/** Sets a case's status, as the case view's status menu does. */
async function setStatus(caseId: string, status: Status) {
  const c = await getCase(space, caseId);
  await updateCases(space, [{ id: caseId, version: c.version, status, add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] }]);
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
    // A click anywhere on the row opens it.
    const row = screen.getAllByRole("row").find((r) => r.textContent?.includes("ws-1") && r.textContent.includes("Brute force"))!;
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

// ---------- Elasticsearch (the contract fake): search and attach, status sync ----------

/** The fake cluster's alerts of Kibana space "default", newest first (13; "soc" has 2 more). */
const DEFAULT_IDS = ["b11", "b12", "b10", "b08", "b09", "a07", "a06", "a05", "a02", "a03", "a04", "a01", "5b1b1c0a7c2d4b1f9e3a"];
/** A key the fake does not know. */
const WRONG_KEY = "d3Jvbmc6a2V5";

/** Points the space at the fake cluster's Kibana space "default" (or `patch`'s URL or key). */
async function useCluster(patch: { url?: string; api_key?: string } = {}) {
  const es = fakes().elasticsearch;
  return setAlertSource(space, { url: es.url, kibana_space: "default", api_key: es.api_key, ...patch });
}

/** A UTC instant as a `datetime-local` value in the test's time zone. */
function localInput(utc: string): string {
  const d = new Date(utc);
  const p = (x: number) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function openSearch() {
  renderTab();
  const button = (await screen.findAllByRole("button", { name: "Search Elasticsearch…" }))[0] as HTMLButtonElement;
  await waitFor(() => expect(button.disabled).toBe(false));
  fireEvent.click(button);
  return screen.findByRole("dialog", { name: "Search Elasticsearch alerts" });
}

/** The fake cluster's hits with these ids, as a search returns them. */
async function clusterHits(ids: string[]): Promise<AlertHit[]> {
  const page = await searchSourceAlerts(space, { size: 100 });
  return ids.map((hitId) => page.hits.find((h) => h.id === hitId)!);
}

describe("Alerts tab: searching Elasticsearch", () => {
  it("cannot search before a source is set, and says where to set one", async () => {
    await imported(exportFile([alertDoc(1)]));
    renderTab();
    await screen.findByText("1–1 of 1");
    const button = (await screen.findByRole("button", { name: "Search Elasticsearch…" })) as HTMLButtonElement;
    await waitFor(() => expect(button.title).toBe("Set an Elasticsearch source in Settings first"));
    expect(button.disabled).toBe(true);
    expect(screen.getByRole("link", { name: "Set a source in Settings" }).getAttribute("href")).toBe("#/settings");
  });

  it("searches with the filters, from and to in UTC, and shows the modern and the legacy (7.x) alerts' fields", async () => {
    await useCluster();
    const dialog = await openSearch();
    // Opening searches the newest alerts straight away: the Kibana space's 13, none of "soc".
    expect(await within(dialog).findByText("13 of 13 alerts")).toBeTruthy();
    const table = () => within(dialog).getByRole("table", { name: "Alerts found in Elasticsearch" });
    const names = () =>
      within(table())
        .getAllByRole("checkbox", { name: /^Select the alert / })
        .map((b) => b.getAttribute("aria-label")!.replace("Select the alert ", ""));
    expect(names()[0]).toBe(`Suspicious PowerShell at ${formatDateTime("2025-03-03T12:00:00Z")}`);
    // A 7.x alert behind the alias: rule, severity and user from `signal.*`, time from @timestamp
    // (not signal.original_time, two seconds earlier).
    const rows = within(table()).getAllByRole("row");
    const legacy = rows[rows.length - 1];
    expect(names().at(-1)).toBe(`Legacy Rule at ${formatDateTime("2025-02-20T09:00:00.000Z")}`);
    expect(within(legacy).getByText("Low")).toBeTruthy();
    expect(within(legacy).getByText("ws-legacy")).toBeTruthy();
    expect(within(legacy).getByText("bob")).toBeTruthy();
    // Every hit fits in one page: no next page.
    expect(within(dialog).queryByRole("button", { name: "Next page" })).toBeNull();

    // Label queries over the whole dialog are slow in jsdom: ask the filters form only.
    const form = within(dialog.querySelector<HTMLFormElement>("form[aria-label='Alert filters']")!);
    fireEvent.change(form.getByLabelText("From"), { target: { value: localInput("2025-03-01T08:00:00Z") } });
    fireEvent.change(form.getByLabelText("To"), { target: { value: localInput("2025-03-03T12:00:00Z") } });
    fireEvent.change(form.getByLabelText("Rule"), { target: { value: " Suspicious PowerShell " } });
    fireEvent.change(form.getByLabelText("Host"), { target: { value: "ws-042" } });
    fireEvent.change(form.getByLabelText("User"), { target: { value: "alice" } });
    fireEvent.change(form.getByLabelText("Severity"), { target: { value: "high" } });
    fireEvent.change(form.getByLabelText("Alert status"), { target: { value: "open" } });
    fireEvent.change(form.getByLabelText("Page size"), { target: { value: "50" } });
    fireEvent.click(form.getByRole("button", { name: "Search" }));

    // a01 and a02: b11 (critical) and a06, b09 (other host, user, status) do not match.
    expect(await within(dialog).findByText("2 of 2 alerts")).toBeTruthy();
    expect(names()).toEqual([
      `Suspicious PowerShell at ${formatDateTime("2025-03-01T08:05:00Z")}`,
      `Suspicious PowerShell at ${formatDateTime("2025-03-01T08:00:00Z")}`,
    ]);
    const first = within(table()).getAllByRole("row")[1];
    expect(within(first).getByText("High")).toBeTruthy();
    expect(within(first).getByText("ws-042")).toBeTruthy();
    expect(within(first).getByText("alice")).toBeTruthy();
    expect(within(first).getByTitle("process event with process powershell.exe, by alice on ws-042 created high alert Suspicious PowerShell.")).toBeTruthy();

    // One minute later, a01 (08:00 UTC) is out: the bounds went to the cluster in UTC.
    fireEvent.change(form.getByLabelText("From"), { target: { value: localInput("2025-03-01T08:01:00Z") } });
    fireEvent.click(form.getByRole("button", { name: "Search" }));
    expect(await within(dialog).findByText("1 of 1 alert")).toBeTruthy();
    expect(names()).toEqual([`Suspicious PowerShell at ${formatDateTime("2025-03-01T08:05:00Z")}`]);
  });

  it("checks the time range before asking", async () => {
    await useCluster();
    const dialog = await openSearch();
    await within(dialog).findByText("13 of 13 alerts");
    fireEvent.change(within(dialog).getByLabelText("From"), { target: { value: "2025-03-02T10:00" } });
    fireEvent.change(within(dialog).getByLabelText("To"), { target: { value: "2025-03-02T09:00" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Search" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("To: must not be before From.");
    // Nothing was asked: the last results stay, and no error came back from the core.
    expect(within(dialog).getAllByRole("alert")).toHaveLength(1);
    expect(within(dialog).getByText("13 of 13 alerts")).toBeTruthy();
    expect((within(dialog).getByRole("button", { name: "Search" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("attaches the selected alerts as they were found and shows the report", async () => {
    await useCluster();
    // Sync alerts off: the case's status would otherwise be sent to the shared fake cluster.
    id = (await newCase("Credential phishing wave", { settings: { sync_alerts: false, extract_observables: true } })).id;
    // b12 is in the case already.
    await attachSourceAlerts(id, await clusterHits(["b12"]));
    const dialog = await openSearch();
    expect(await within(dialog).findByText("13 of 13 alerts")).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("checkbox", { name: "Select all 13 alerts shown" }));
    // A click on a row ticks it too (here: off again).
    const legacyRow = within(dialog).getAllByRole("row").at(-1)!;
    fireEvent.click(within(legacyRow).getByText("ws-legacy"));
    expect(within(dialog).getByText("12 alerts selected")).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Attach 12 selected" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Attached 11 alerts (1 already in the case)")).toBeTruthy();
    expect(screen.getByText("Elasticsearch")).toBeTruthy();
    // The tab was refreshed: b12 + 11.
    expect(await screen.findByRole("tab", { name: "Alerts (12)" })).toBeTruthy();
    const kept = (await listAlerts(id, { per_page: 100 })).alerts;
    expect(kept.map((a) => a.id).sort()).toEqual(DEFAULT_IDS.slice(0, 12).sort());
    expect(kept.every((a) => a.origin === "elasticsearch" && a.index?.startsWith(".internal.alerts-security.alerts-default-"))).toBe(true);
    // Each alert keeps the document the cluster returned, and its own status.
    const [b11] = await clusterHits(["b11"]);
    expect((await getAlert(id, "b11")).document).toEqual(b11.source);
    expect(kept.find((a) => a.id === "a05")?.workflow_status).toBe("closed");
    expect(kept.some((a) => a.status_sync_pending)).toBe(false);
  });

  it("shows a search failure with the same headings as Test connection", async () => {
    await useCluster({ api_key: WRONG_KEY });
    const dialog = await openSearch();
    const alert = await within(dialog).findByRole("alert");
    expect(within(alert).getByText("API key rejected (401)")).toBeTruthy();
    expect(alert.textContent).toContain(
      `Elasticsearch at ${fakes().elasticsearch.url} rejected the API key (401). Create a new API key in Kibana (Stack Management → API keys) and paste its encoded value into Casebook.`,
    );
    expect((within(dialog).getByRole("button", { name: "Attach 0 selected" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    await useCluster({ url: "http://127.0.0.1:9" });
    cleanup();
    const again = await openSearch();
    const down = await within(again).findByRole("alert");
    expect(within(down).getByText("Cannot reach the cluster")).toBeTruthy();
    expect(down.textContent).toContain(
      "Cannot reach http://127.0.0.1:9: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.",
    );
  });
});

describe("Alerts tab: sending statuses to Elasticsearch", () => {
  // sync_alert_statuses sends the waiting statuses of every space; the core also runs it every
  // 30 s. Each test puts the fake cluster's b12 back as it was, and leaves nothing waiting.
  let inProgress: string | null = null;

  /** Case in progress (its alerts: acknowledged), with the fake's b12 attached: its status waits. */
  async function waitingStatus() {
    await useCluster();
    const hits = await clusterHits(["b12"]);
    expect(hits[0].summary.workflow_status).toBe("open");
    await setStatus(id, "in-progress");
    inProgress = id;
    // A source that refuses the key until the test is ready: the core's own 30 s sync cannot send it first.
    await useCluster({ api_key: WRONG_KEY });
    await attachSourceAlerts(id, hits);
    expect((await listAlerts(id, {})).alerts.map((a) => [a.id, a.workflow_status, a.status_sync_pending])).toEqual([["b12", "acknowledged", true]]);
  }

  afterEach(async () => {
    cleanup();
    if (!inProgress) return;
    const caseId = inProgress;
    inProgress = null;
    // Reopened (while the source still refuses, so no older status can reach the cluster after
    // it), b12 waits to be "open" again; then sent back, and dropped from the case.
    await setStatus(caseId, "open");
    await useCluster();
    await syncAlertStatuses();
    const [b12] = await clusterHits(["b12"]);
    expect(b12.summary.workflow_status).toBe("open");
    await removeAlerts(caseId, ["b12"]);
  });

  it("says how many statuses wait, sends them with Send now and says what happened", async () => {
    await waitingStatus();
    renderTab();
    await screen.findByText("1–1 of 1");
    const notice = await screen.findByRole("region", { name: "Alert status sync" });
    expect(within(notice).getByText(/^1 alert status waits to be sent to Elasticsearch\./)).toBeTruthy();
    expect(screen.getByText("sync pending")).toBeTruthy();
    const send = within(notice).getByRole("button", { name: "Send now" });
    await useCluster();
    fireEvent.click(send);
    expect(await screen.findByText("✓ 1 alert status sent to Elasticsearch.")).toBeTruthy();
    // The cluster has the case's status now.
    const [b12] = await clusterHits(["b12"]);
    expect(b12.summary.workflow_status).toBe("acknowledged");
    // The counts were read again: nothing waits any more.
    await waitFor(() => expect(screen.queryByRole("button", { name: "Send now" })).toBeNull());
    await waitFor(() => expect(screen.queryByText("sync pending")).toBeNull());
    fireEvent.click(within(screen.getByRole("region", { name: "Alert status sync" })).getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Alert status sync" })).toBeNull());
  });

  it("lists why statuses could not be sent; they keep waiting", async () => {
    await waitingStatus();
    await useCluster({ url: "http://127.0.0.1:9" });
    renderTab();
    fireEvent.click(await screen.findByRole("button", { name: "Send now" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Nothing was sent. 1 alert status still waits.");
    const reasons = within(alert).getByRole("list", { name: "Why statuses were not sent" });
    expect(within(reasons).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      `space ${space}: Cannot reach http://127.0.0.1:9: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.`,
    ]);
    expect(screen.getByRole("button", { name: "Send now" })).toBeTruthy();
    expect((await listAlerts(id, {})).alerts[0].status_sync_pending).toBe(true);
  });
});
