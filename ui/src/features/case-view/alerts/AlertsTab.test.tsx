import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { AlertImportReport, AlertListQuery, AlertQuery, CaseAlert } from "../../../lib/api/bindings";
import * as client from "../../../lib/api/client";
import * as files from "../../../lib/files";
import type { FileDragEvent, ImportProgressEvent } from "../../../lib/files";
import { formatDateTime } from "../../../lib/format";
import {
  BOOK_COMMANDS,
  SOURCE_COMMANDS,
  aCase,
  anAlert,
  anEsAlert,
  answerFromBook,
  elasticFake,
  memoryBook,
  type ElasticFake,
  type MemoryBook,
} from "../../../testing/fakeCore";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";
import { validationError } from "../../../testing/wireErrors";

vi.mock("../../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../lib/api/client")>();
  return {
    ...actual,
    ...(await import("../../../testing/render")).caseViewClientMocks(),
    ...(await import("../../../testing/render")).sourceClientMocks(),
    updateCases: vi.fn(),
    importAlerts: vi.fn(),
    cancelAlertImport: vi.fn(async () => true),
  };
});

/** The desktop seam: the file dialog, window drags and the import's progress events, driven by the tests. */
const desk = vi.hoisted(() => ({
  drag: null as ((e: FileDragEvent) => void) | null,
  progress: null as ((e: ImportProgressEvent) => void) | null,
}));

vi.mock("../../../lib/files", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../lib/files")>();
  return {
    ...actual,
    pickAlertFile: vi.fn(),
    newImportId: vi.fn(() => "import-1"),
    onFileDrag: vi.fn(async (handler: (e: FileDragEvent) => void) => {
      desk.drag = handler;
      return () => {
        if (desk.drag === handler) desk.drag = null;
      };
    }),
    onImportProgress: vi.fn(async (handler: (e: ImportProgressEvent) => void) => {
      desk.progress = handler;
      return () => {
        if (desk.progress === handler) desk.progress = null;
      };
    }),
  };
});

// A page of 50 rows with their controls takes jsdom a while to render.
vi.setConfig({ testTimeout: 30_000 });
configure({ asyncUtilTimeout: 5_000 });

const mocked = vi.mocked(client);
const picker = vi.mocked(files.pickAlertFile);
const ID = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";

/** 120 alerts: 10 without a rule, 60 "Brute force", 20 "Malware detected" (critical), 30 "Port scan" (medium). */
function alerts(): CaseAlert[] {
  return Array.from({ length: 120 }, (_, n) =>
    n < 10
      ? anAlert(n, { rule_id: null, rule_name: null })
      : n < 70
        ? anAlert(n)
        : n < 90
          ? anAlert(n, { rule_id: "r-mal", rule_name: "Malware detected", severity: "critical", risk_score: 99 })
          : anAlert(n, { rule_id: "r-scan", rule_name: "Port scan", severity: "medium", risk_score: 47, status_sync_pending: n === 95 }),
  );
}

let book: MemoryBook;

function useBook(b: MemoryBook) {
  book = b;
  answerFromBook(mocked, b, [...BOOK_COMMANDS, ...SOURCE_COMMANDS]);
}

function renderTab() {
  return renderWithQueries(<CaseView space="default" id={ID} tab="alerts" />);
}

const lastQuery = (): AlertListQuery => mocked.listAlerts.mock.calls.at(-1)![1];
const groupHeaders = () => Array.from(document.querySelectorAll(".alert-group-row th")).map((th) => th.textContent);

const report = (patch: Partial<AlertImportReport> = {}): AlertImportReport => ({
  attached: 0,
  already_attached: 0,
  repeated_in_file: 0,
  issues: [],
  issue_count: 0,
  observables_added: 0,
  observables_over_limit: 0,
  cancelled: false,
  ...patch,
});

/** An import the test finishes when it wants. */
function pendingImport() {
  let finish!: (r: AlertImportReport) => void;
  mocked.importAlerts.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
  return (r: AlertImportReport) => act(async () => finish(r));
}

beforeEach(() => {
  localStorage.clear();
  desk.drag = null;
  desk.progress = null;
  mocked.getCase.mockResolvedValue(aCase(7, { id: ID, title: "Credential phishing wave", total_alerts: 120, total_observables: 2 }));
  useBook(memoryBook({ alerts: alerts() }));
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("Alerts tab: the list", () => {
  it("groups by rule by default, with each rule's count in the case, and shows the figures in the header", async () => {
    renderTab();
    expect(await screen.findByRole("tab", { name: "Alerts (120)", selected: true })).toBeTruthy();
    await waitFor(() => expect(groupHeaders()).toEqual(["No rule · 10 alerts", "Brute force · 60 alerts"]));
    expect(lastQuery()).toEqual({ page: 1, per_page: 50, sort: "rule", order: "asc" });
    expect(screen.getByText("1–50 of 120")).toBeTruthy();
    expect(screen.getByLabelText("Alerts summary").textContent).toBe("Alerts120Hosts3Users2");
    // The side panel is the activity's: the table gets the full width.
    expect(screen.queryByRole("complementary", { name: "Case details" })).toBeNull();
    // Status with the "sync pending" notice, severity badges, the reason's full text on hover.
    expect(screen.getByText(/1 alert status waits to be sent to Elasticsearch/)).toBeTruthy();
    const row = screen.getAllByRole("row")[2];
    expect(within(row).getByTitle(/authentication event with 12 failures/)).toBeTruthy();
  });

  it("pages through the groups, and repeats the group header at the top of the next page", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Next ›" }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ page: 2, sort: "rule" }));
    await waitFor(() =>
      expect(groupHeaders()).toEqual(["Brute force · 60 alerts", "Malware detected · 20 alerts", "Port scan · 30 alerts"]),
    );
    expect(screen.getByText("51–100 of 120")).toBeTruthy();
    expect(screen.getByText("Page 2 of 3")).toBeTruthy();
  });

  it("sorts in the core: a column click shows a flat list, a second click turns the order", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Next ›" }));
    await waitFor(() => expect(lastQuery().page).toBe(2));

    fireEvent.click(screen.getByRole("button", { name: "Risk score" }));
    await waitFor(() => expect(lastQuery()).toEqual({ page: 1, per_page: 50, sort: "risk_score", order: "desc" }));
    await waitFor(() => expect(groupHeaders()).toEqual([]));
    expect(screen.getByRole("columnheader", { name: "Risk score" }).getAttribute("aria-sort")).toBe("descending");

    fireEvent.click(screen.getByRole("button", { name: "Risk score" }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "risk_score", order: "asc" }));

    fireEvent.click(screen.getByRole("button", { name: "Time" }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "time", order: "desc" }));

    fireEvent.click(screen.getByRole("button", { name: "Group by rule", pressed: false }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "rule", order: "asc" }));
    await waitFor(() => expect(groupHeaders().length).toBeGreaterThan(0));
  });

  it("filters by rule, severity, status and words (debounced), back on page 1", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    const rule = screen.getByLabelText("Filter by rule") as HTMLSelectElement;
    expect(Array.from(rule.options).map((o) => o.textContent)).toEqual(["All rules", "Brute force", "Malware detected", "Port scan", "No rule"]);

    fireEvent.change(rule, { target: { value: "rule:Port scan" } });
    await waitFor(() => expect(lastQuery()).toEqual({ page: 1, per_page: 50, sort: "rule", order: "asc", rule: "Port scan" }));
    expect(await screen.findByText("1–30 of 30")).toBeTruthy();

    fireEvent.change(rule, { target: { value: "none" } });
    await waitFor(() => expect(lastQuery().rule).toBe(""));

    fireEvent.change(rule, { target: { value: "all" } });
    fireEvent.change(screen.getByLabelText("Filter by severity"), { target: { value: "critical" } });
    fireEvent.change(screen.getByLabelText("Filter by alert status"), { target: { value: "open" } });
    await waitFor(() => expect(lastQuery()).toMatchObject({ severity: "critical", workflow_status: "open" }));
    expect(lastQuery().rule).toBeUndefined();

    const calls = mocked.listAlerts.mock.calls.length;
    fireEvent.change(screen.getByLabelText("Search alerts"), { target: { value: "w" } });
    fireEvent.change(screen.getByLabelText("Search alerts"), { target: { value: "ws-1" } });
    await waitFor(() => expect(lastQuery()).toMatchObject({ search: "ws-1", severity: "critical", page: 1 }));
    // One request for the settled text, none per keystroke.
    expect(mocked.listAlerts.mock.calls.slice(calls).filter(([, q]) => q.search === "w")).toHaveLength(0);

    fireEvent.change(screen.getByLabelText("Search alerts"), { target: { value: "nothing-like-this" } });
    expect(await screen.findByText("No alert of this case matches these filters.")).toBeTruthy();
    fireEvent.click(screen.getAllByRole("button", { name: "Clear filters" })[0]);
    await waitFor(() => expect(lastQuery()).toEqual({ page: 1, per_page: 50, sort: "rule", order: "asc" }));
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
    expect(within(panel).getByText(/2 of \d+ fields/)).toBeTruthy();

    fireEvent.click(within(panel).getByRole("button", { name: "JSON" }));
    const json = within(panel).getByLabelText("The alert document as JSON");
    expect(json.tagName).toBe("PRE");
    expect(json.textContent).toContain('"outcome": "failure"');
    expect(within(panel).queryByLabelText("Filter fields")).toBeNull();
  });

  it("shows an alert's time as its @timestamp, and the event time apart", async () => {
    // Raised at 10:00, from an event at 07:15 the same day (a rule that looks back hours).
    const raised = "2026-11-27T10:00:00.000Z";
    const event = "2026-11-27T07:15:00.000Z";
    useBook(memoryBook({ alerts: [anAlert(0, { id: "late", "@timestamp": raised, original_time: event })] }));
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
    await waitFor(() => expect(mocked.removeAlerts).toHaveBeenCalledWith(ID, ["alert-0000", "alert-0001"]));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("1–50 of 118")).toBeTruthy();
    expect(book.state.alerts).toHaveLength(118);
  });

  it("explains which files are accepted when the case has no alerts", async () => {
    useBook(memoryBook());
    mocked.getCase.mockResolvedValue(aCase(7, { id: ID, total_alerts: 0 }));
    renderTab();
    expect(await screen.findByRole("heading", { name: "No alerts attached yet" })).toBeTruthy();
    expect(screen.getByText(/Discover export/)).toBeTruthy();
    expect(screen.getByText(/may be gzip-compressed/)).toBeTruthy();
    expect(screen.getAllByRole("button", { name: "Attach alerts…" })).toHaveLength(2);
    expect(screen.queryByLabelText("Search alerts")).toBeNull();
  });
});

describe("Alerts tab: attaching a file", () => {
  it("shows the progress of the import, then its report with the lines it could not read", async () => {
    const finish = pendingImport();
    picker.mockResolvedValue("/home/ana/exports/alerts.ndjson");
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    await waitFor(() => expect(mocked.importAlerts).toHaveBeenCalledWith(ID, "/home/ana/exports/alerts.ndjson", "import-1"));
    expect(screen.getByText("Starting…")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Attach alerts…" }) as HTMLButtonElement).disabled).toBe(true);

    act(() => desk.progress!({ import_id: "import-1", phase: "reading", bytes_read: 4_200, total_bytes: 10_000, alerts_read: 12_000 }));
    // Another window's import is not ours.
    act(() => desk.progress!({ import_id: "other", phase: "reading", bytes_read: 9_000, total_bytes: 10_000, alerts_read: 1 }));
    const bar = screen.getByRole("progressbar", { name: "Importing alerts.ndjson" });
    expect(bar.getAttribute("aria-valuenow")).toBe("42");
    expect(screen.getByText("Reading 42% · 12,000 alerts")).toBeTruthy();

    act(() => desk.progress!({ import_id: "import-1", phase: "saving", bytes_read: 10_000, total_bytes: 10_000, alerts_read: 3_000 }));
    expect(screen.getByText("Saving… · 3,000 alerts")).toBeTruthy();
    expect(screen.getByRole("progressbar", { name: "Importing alerts.ndjson" }).getAttribute("aria-valuenow")).toBeNull();

    book.state.alerts.push(anAlert(500, { rule_name: "Brute force" }));
    await finish(
      report({
        attached: 11_998,
        already_attached: 2,
        repeated_in_file: 3,
        observables_added: 3,
        issue_count: 1_500,
        issues: [
          { line: 12, reason: "not valid JSON: expected value at line 1 column 1" },
          { document: 3, reason: "not a JSON object" },
        ],
      }),
    );
    // Repeats inside the file are not called "already in the case".
    expect(await screen.findByText("Attached 11,998 alerts (2 already in the case, 3 repeated in the file)")).toBeTruthy();
    expect(screen.getByText("3 observables extracted and added to the case.")).toBeTruthy();
    expect(screen.getByText(/1,500 entries could not be read and were skipped \(the first 2 are listed\)/)).toBeTruthy();
    const issues = screen.getByRole("list", { name: "Entries not read" });
    expect(within(issues).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "line 12: not valid JSON: expected value at line 1 column 1",
      "document 3: not a JSON object",
    ]);
    expect(screen.queryByRole("progressbar", { name: "Importing alerts.ndjson" })).toBeNull();
    // The lists and counts were refreshed.
    expect(await screen.findByRole("tab", { name: "Alerts (121)" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(/Attached 11,998/)).toBeNull();
  });

  it("cancels an import: the core is told, and the report says nothing was attached", async () => {
    const finish = pendingImport();
    picker.mockResolvedValue("C:\\Users\\ana\\Downloads\\alerts.json");
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    await waitFor(() => expect(mocked.importAlerts).toHaveBeenCalled());
    act(() => desk.progress!({ import_id: "import-1", phase: "reading", bytes_read: 10, total_bytes: 1_000, alerts_read: 3 }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(mocked.cancelAlertImport).toHaveBeenCalledWith("import-1");
    expect(screen.getAllByText("Cancelling…").length).toBeGreaterThan(0);
    await finish(report({ cancelled: true, issue_count: 0 }));
    expect(await screen.findByText(/cancelled: nothing was attached/)).toBeTruthy();
    expect(screen.getByText("alerts.json")).toBeTruthy();
  });

  it("does nothing when the file dialog is closed without a choice", async () => {
    picker.mockResolvedValue(null);
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    await waitFor(() => expect(picker).toHaveBeenCalled());
    expect(mocked.importAlerts).not.toHaveBeenCalled();
  });

  it("highlights the tab while a file is dragged over it and imports a dropped file", async () => {
    const finish = pendingImport();
    renderTab();
    await screen.findByText("1–50 of 120");
    await waitFor(() => expect(desk.drag).not.toBeNull());
    const zone = screen.getByRole("region", { name: "Alerts" });
    act(() => desk.drag!({ type: "enter", paths: ["/tmp/a.csv"] }));
    expect(zone.className).toContain("drag-over");
    expect(screen.getByText("Drop the file to attach its alerts to this case")).toBeTruthy();
    act(() => desk.drag!({ type: "leave" }));
    expect(zone.className).not.toContain("drag-over");

    act(() => desk.drag!({ type: "drop", paths: ["/tmp/a.csv", "/tmp/b.csv"] }));
    await waitFor(() => expect(mocked.importAlerts).toHaveBeenCalledWith(ID, "/tmp/a.csv", "import-1"));
    expect(screen.getByText("One file at a time: only a.csv is being attached.")).toBeTruthy();
    await finish(report({ attached: 1 }));
    expect(await screen.findByText("Attached 1 alert")).toBeTruthy();
  });

  it("says when the core refuses the file", async () => {
    mocked.importAlerts.mockRejectedValue(validationError("file", "cannot read /tmp/x.ndjson: permission denied"));
    picker.mockResolvedValue("/tmp/x.ndjson");
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("x.ndjson was not imported: file: cannot read /tmp/x.ndjson: permission denied");
  });
});

// ---------- Elasticsearch: search and attach, status sync ----------

const KEY = "ZXhhbXBsZTpzZWNyZXQ=";

/** A cluster with `n` Security alerts, one minute apart from 09:00 UTC back, and the space's source set. */
function cluster(n: number, patch: Partial<ElasticFake> = {}): ElasticFake {
  const es = elasticFake({ alerts: Array.from({ length: n }, (_, i) => anEsAlert(i)), ...patch });
  es.sources.set("default", { url: "https://elastic.example.org:9200", kibana_space: "default", updated_at: "2026-11-27T08:00:00Z" });
  es.keychain.set("default", KEY);
  return es;
}

/** A UTC instant as a `datetime-local` value in the test's time zone. */
function localInput(utc: number): string {
  const d = new Date(utc);
  const p = (x: number) => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const lastSearch = (): AlertQuery => mocked.searchSourceAlerts.mock.calls.at(-1)![1];

async function openSearch() {
  renderTab();
  await screen.findByText(/^1–50 of \d+$/);
  const button = await screen.findByRole("button", { name: "Search Elasticsearch…" });
  await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(button);
  return screen.findByRole("dialog", { name: "Search Elasticsearch alerts" });
}

describe("Alerts tab: searching Elasticsearch", () => {
  it("cannot search before a source is set, and says where to set one", async () => {
    renderTab();
    await screen.findByText("1–50 of 120");
    const button = (await screen.findByRole("button", { name: "Search Elasticsearch…" })) as HTMLButtonElement;
    await waitFor(() => expect(button.title).toBe("Set an Elasticsearch source in Settings first"));
    expect(button.disabled).toBe(true);
    expect(screen.getByRole("link", { name: "Set a source in Settings" }).getAttribute("href")).toBe("#/settings");
  });

  it("sends the filters with from and to in RFC 3339 UTC, and shows dotted and nested fields", async () => {
    const es = cluster(120);
    // Alert 12 is written with nested objects and an array of hosts instead of dotted keys.
    es.alerts[12] = anEsAlert(12, {
      "kibana.alert.rule.name": undefined,
      "kibana.alert.severity": undefined,
      "kibana.alert.original_time": undefined,
      kibana: { alert: { rule: { name: "Brute force against VPN" }, severity: "high" } },
      host: [{ name: "srv-0", ip: ["10.1.0.9"] }],
    });
    useBook(memoryBook({ alerts: alerts(), elastic: es }));
    const dialog = await openSearch();
    // Opening searches the newest alerts straight away.
    expect(await within(dialog).findByText("100 of 120 alerts")).toBeTruthy();
    expect(lastSearch()).toEqual({ size: 100 });

    const at = (n: number) => Date.UTC(2026, 10, 27, 9, 0) - n * 60_000;
    // Label queries over the whole dialog (100 rows) are slow in jsdom: ask the filters form only.
    const form = within(dialog.querySelector<HTMLFormElement>("form[aria-label='Alert filters']")!);
    fireEvent.change(form.getByLabelText("From"), { target: { value: localInput(at(60)) } });
    fireEvent.change(form.getByLabelText("To"), { target: { value: localInput(at(0)) } });
    fireEvent.change(form.getByLabelText("Rule"), { target: { value: " Brute force against VPN " } });
    fireEvent.change(form.getByLabelText("Host"), { target: { value: "srv-0" } });
    fireEvent.change(form.getByLabelText("User"), { target: { value: "svc0" } });
    fireEvent.change(form.getByLabelText("Severity"), { target: { value: "high" } });
    fireEvent.change(form.getByLabelText("Alert status"), { target: { value: "open" } });
    fireEvent.change(form.getByLabelText("Page size"), { target: { value: "50" } });
    fireEvent.click(form.getByRole("button", { name: "Search" }));

    await waitFor(() =>
      expect(lastSearch()).toEqual({
        size: 50,
        from: "2026-11-27T08:00:00Z",
        to: "2026-11-27T09:00:00Z",
        rule: "Brute force against VPN",
        host: "srv-0",
        user: "svc0",
        severity: "high",
        workflow_status: "open",
      }),
    );
    // Alerts 0, 12, 24, 36, 48 and 60: rule, host and user all match.
    expect(await within(dialog).findByText("6 of 6 alerts")).toBeTruthy();
    const table = within(dialog).getByRole("table", { name: "Alerts found in Elasticsearch" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(6);
    // A dotted document: time from @timestamp (not the event's kibana.alert.original_time), rule, severity, host, user, reason.
    const first = rows[0];
    const raised = new Date(Date.UTC(2026, 10, 27, 9, 0)).toISOString();
    expect(within(first).getByRole("checkbox", { name: `Select the alert Brute force against VPN at ${formatDateTime(raised)}` })).toBeTruthy();
    expect(within(first).getByText("High")).toBeTruthy();
    expect(within(first).getByText("srv-0")).toBeTruthy();
    expect(within(first).getByText("svc0")).toBeTruthy();
    expect(within(first).getByTitle("Brute force against VPN on srv-0 by svc0")).toBeTruthy();
    // The nested one: rule and severity from kibana: {alert: {…}}, the host from an array, the time from @timestamp.
    const nested = rows[1];
    expect(within(nested).getByRole("checkbox", { name: `Select the alert Brute force against VPN at ${formatDateTime(new Date(at(12)).toISOString())}` })).toBeTruthy();
    expect(within(nested).getByText("High")).toBeTruthy();
    expect(within(nested).getByText("srv-0")).toBeTruthy();
    // Every hit fits in one page: no next page.
    expect(within(dialog).queryByRole("button", { name: "Next page" })).toBeNull();
  });

  it("checks the time range before asking", async () => {
    useBook(memoryBook({ alerts: alerts(), elastic: cluster(5) }));
    const dialog = await openSearch();
    await within(dialog).findByText("5 of 5 alerts");
    const calls = mocked.searchSourceAlerts.mock.calls.length;
    fireEvent.change(within(dialog).getByLabelText("From"), { target: { value: "2026-11-27T10:00" } });
    fireEvent.change(within(dialog).getByLabelText("To"), { target: { value: "2026-11-27T09:00" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Search" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("To: must not be before From.");
    expect(mocked.searchSourceAlerts.mock.calls.length).toBe(calls);
  });

  it("adds the next page under the first with `next`, then attaches the selected alerts and shows the report", async () => {
    const es = cluster(150);
    useBook(memoryBook({ alerts: alerts(), elastic: es }));
    // es-0001 is in the case already.
    await book.attachSourceAlerts(ID, [es.alerts[1]]);
    const dialog = await openSearch();
    expect(await within(dialog).findByText("100 of 150 alerts")).toBeTruthy();
    const firstPage = await mocked.searchSourceAlerts.mock.results[0].value;
    expect(firstPage.next).toEqual([Date.UTC(2026, 10, 27, 9, 0) - 99 * 60_000, "es-0099"]);

    fireEvent.click(within(dialog).getByRole("checkbox", { name: "Select all 100 alerts shown" }));
    expect(within(dialog).getByRole("button", { name: "Attach 100 selected" })).toBeTruthy();

    fireEvent.click(within(dialog).getByRole("button", { name: "Next page" }));
    expect(await within(dialog).findByText("150 of 150 alerts")).toBeTruthy();
    expect(lastSearch()).toEqual({ size: 100, search_after: firstPage.next });
    // The first page's rows and ticks are still there; the new rows are not ticked.
    const boxes = within(dialog).getAllByRole("checkbox", { name: /^Select the alert/ }) as HTMLInputElement[];
    expect(boxes).toHaveLength(150);
    expect(boxes.filter((b) => b.checked)).toHaveLength(100);
    expect(within(dialog).queryByRole("button", { name: "Next page" })).toBeNull();
    fireEvent.click(boxes[120]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Attach 101 selected" }));

    await waitFor(() => expect(mocked.attachSourceAlerts).toHaveBeenCalledTimes(1));
    const [caseId, hits] = mocked.attachSourceAlerts.mock.calls[0];
    expect(caseId).toBe(ID);
    expect(hits.map((h) => h.id)).toEqual([...es.alerts.slice(0, 100), es.alerts[120]].map((h) => h.id));
    expect(hits[0]).toEqual(es.alerts[0]);

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Attached 100 alerts (1 already in the case)")).toBeTruthy();
    expect(screen.getByText("Elasticsearch")).toBeTruthy();
    // The tab was refreshed: 120 + es-0001 + 100.
    expect(await screen.findByRole("tab", { name: "Alerts (221)" })).toBeTruthy();
    expect(book.state.alerts.filter((a) => a.origin === "elasticsearch")).toHaveLength(101);
  });

  it("shows a search failure with the same headings as Test connection", async () => {
    useBook(memoryBook({ alerts: alerts(), elastic: cluster(5, { validKey: "a-newer-key" }) }));
    const dialog = await openSearch();
    const alert = await within(dialog).findByRole("alert");
    expect(within(alert).getByText("API key rejected (401)")).toBeTruthy();
    expect(alert.textContent).toContain("rejected the API key (401). Create a new API key in Kibana");
    expect((within(dialog).getByRole("button", { name: "Attach 0 selected" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("Alerts tab: sending statuses to Elasticsearch", () => {
  it("says how many statuses wait, sends them with Send now and says what happened", async () => {
    const es = cluster(0);
    useBook(memoryBook({ alerts: alerts(), elastic: es }));
    renderTab();
    await screen.findByText("1–50 of 120");
    const notice = screen.getByRole("region", { name: "Alert status sync" });
    expect(within(notice).getByText(/^1 alert status waits to be sent to Elasticsearch\./)).toBeTruthy();
    fireEvent.click(within(notice).getByRole("button", { name: "Send now" }));
    await waitFor(() => expect(mocked.syncAlertStatuses).toHaveBeenCalledTimes(1));
    expect(await screen.findByText("✓ 1 alert status sent to Elasticsearch.")).toBeTruthy();
    expect(es.statuses.get("alert-0095")).toBe("open");
    // The counts were read again: nothing waits any more.
    await waitFor(() => expect(screen.queryByRole("button", { name: "Send now" })).toBeNull());
    fireEvent.click(within(screen.getByRole("region", { name: "Alert status sync" })).getByRole("button", { name: "Dismiss" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Alert status sync" })).toBeNull());
  });

  it("lists why statuses could not be sent; they keep waiting", async () => {
    const down = new client.ApiError(
      "unreachable",
      "Cannot reach https://elastic.example.org:9200: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.",
    );
    useBook(memoryBook({ alerts: alerts(), elastic: cluster(0, { failure: down }) }));
    renderTab();
    await screen.findByText("1–50 of 120");
    fireEvent.click(screen.getByRole("button", { name: "Send now" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Nothing was sent. 1 alert status still waits.");
    const reasons = within(alert).getByRole("list", { name: "Why statuses were not sent" });
    expect(within(reasons).getAllByRole("listitem").map((li) => li.textContent)).toEqual([`space default: ${down.message}`]);
    expect(screen.getByRole("button", { name: "Send now" })).toBeTruthy();
  });
});
