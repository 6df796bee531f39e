// What the Alerts tab does by itself, with the client mocked: waiting for typing to settle, an
// import's progress and Cancel (an import the test holds open, its events driven by hand), and the
// search dialog appending the next page. Everything the core decides is in AlertsTab.core.test.tsx.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { AlertHit, AlertImportReport, AlertListQuery, AlertOverview, AlertSearchPage, CaseAlert } from "../../../lib/api/bindings";
import * as client from "../../../lib/api/client";
import * as files from "../../../lib/files";
import type { ImportProgressEvent } from "../../../lib/files";
import { aCase, anAlert } from "../../../testing/builders";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

vi.mock("../../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../lib/api/client")>();
  return {
    ...actual,
    ...(await import("../../../testing/render")).caseViewClientMocks(),
    ...(await import("../../../testing/render")).sourceClientMocks(),
    importAlerts: vi.fn(),
    cancelAlertImport: vi.fn(async () => true),
  };
});

/** The import's progress events, sent by the tests. */
const desk = vi.hoisted(() => ({ progress: null as ((e: ImportProgressEvent) => void) | null }));

vi.mock("../../../lib/files", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../../lib/files")>();
  return {
    ...actual,
    pickAlertFile: vi.fn(),
    newImportId: vi.fn(() => "import-1"),
    onFileDrag: vi.fn(async () => () => {}),
    onImportProgress: vi.fn(async (handler: (e: ImportProgressEvent) => void) => {
      desk.progress = handler;
      return () => {
        if (desk.progress === handler) desk.progress = null;
      };
    }),
  };
});

configure({ asyncUtilTimeout: 5_000 });

const mocked = vi.mocked(client);
const picker = vi.mocked(files.pickAlertFile);
const ID = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";

/** A page of the case's alerts: "Brute force" alerts 0…n-1, whatever was asked. */
function page(n: number): (caseId: string, q: AlertListQuery) => Promise<{ alerts: CaseAlert[]; total: number; page: number; per_page: number }> {
  return async (_caseId, q) => ({ alerts: Array.from({ length: n }, (_, i) => anAlert(i)), total: n, page: q.page ?? 1, per_page: 50 });
}

function overview(n: number): AlertOverview {
  return { total: n, hosts: 3, users: 2, rules: [{ rule_id: "r-brute", rule_name: "Brute force", alerts: n, newest: null }], status_sync_pending: 0 };
}

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

function renderTab() {
  return renderWithQueries(<CaseView space="default" id={ID} tab="alerts" />);
}

beforeEach(() => {
  localStorage.clear();
  desk.progress = null;
  mocked.getCase.mockResolvedValue(aCase(7, { id: ID, title: "Credential phishing wave", total_alerts: 3 }));
  mocked.listAlerts.mockImplementation(page(3));
  mocked.alertOverview.mockResolvedValue(overview(3));
  mocked.getAlertSource.mockResolvedValue(null);
  mocked.similarCases.mockResolvedValue({ cases: [], total: 0, page: 1, per_page: 20 });
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("Alerts tab: the list", () => {
  it("asks the core once for the settled search text, not per keystroke", async () => {
    renderTab();
    await screen.findByText("1–3 of 3");
    const calls = mocked.listAlerts.mock.calls.length;
    fireEvent.change(screen.getByLabelText("Search alerts"), { target: { value: "w" } });
    fireEvent.change(screen.getByLabelText("Search alerts"), { target: { value: "ws-1" } });
    await waitFor(() => expect(mocked.listAlerts.mock.calls.at(-1)![1]).toMatchObject({ search: "ws-1", page: 1 }));
    const asked = mocked.listAlerts.mock.calls.slice(calls).map(([, q]) => q.search);
    expect(asked).toEqual(["ws-1"]);
  });
});

describe("Alerts tab: an import in progress", () => {
  it("shows the progress of the import from the core's events, then its report", async () => {
    const finish = pendingImport();
    picker.mockResolvedValue("/home/ana/exports/alerts.ndjson");
    renderTab();
    await screen.findByText("1–3 of 3");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    await waitFor(() => expect(mocked.importAlerts).toHaveBeenCalledWith(ID, "/home/ana/exports/alerts.ndjson", "import-1"));
    expect(screen.getByText("Starting…")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Attach alerts…" }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(desk.progress).not.toBeNull());

    act(() => desk.progress!({ import_id: "import-1", phase: "reading", bytes_read: 4_200, total_bytes: 10_000, alerts_read: 12_000 }));
    // Another window's import is not ours.
    act(() => desk.progress!({ import_id: "other", phase: "reading", bytes_read: 9_000, total_bytes: 10_000, alerts_read: 1 }));
    const bar = screen.getByRole("progressbar", { name: "Importing alerts.ndjson" });
    expect(bar.getAttribute("aria-valuenow")).toBe("42");
    expect(screen.getByText("Reading 42% · 12,000 alerts")).toBeTruthy();

    act(() => desk.progress!({ import_id: "import-1", phase: "saving", bytes_read: 10_000, total_bytes: 10_000, alerts_read: 3_000 }));
    expect(screen.getByText("Saving… · 3,000 alerts")).toBeTruthy();
    expect(screen.getByRole("progressbar", { name: "Importing alerts.ndjson" }).getAttribute("aria-valuenow")).toBeNull();

    mocked.alertOverview.mockResolvedValue(overview(12_001));
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
    // Repeats inside the file are not called "already in the case"; big numbers are grouped.
    expect(await screen.findByText("Attached 11,998 alerts (2 already in the case, 3 repeated in the file)")).toBeTruthy();
    expect(screen.getByText("3 observables extracted and added to the case.")).toBeTruthy();
    expect(screen.getByText(/1,500 entries could not be read and were skipped \(the first 2 are listed\)/)).toBeTruthy();
    const issues = screen.getByRole("list", { name: "Entries not read" });
    expect(within(issues).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "line 12: not valid JSON: expected value at line 1 column 1",
      "document 3: not a JSON object",
    ]);
    expect(screen.queryByRole("progressbar", { name: "Importing alerts.ndjson" })).toBeNull();
    // The lists and counts were asked for again.
    expect(await screen.findByRole("tab", { name: "Alerts (12,001)" })).toBeTruthy();
    // Progress events stop being listened to.
    expect(desk.progress).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(/Attached 11,998/)).toBeNull();
  });

  it("cancels an import: the core is told, and the report says nothing was attached", async () => {
    const finish = pendingImport();
    picker.mockResolvedValue("C:\\Users\\ana\\Downloads\\alerts.json");
    renderTab();
    await screen.findByText("1–3 of 3");
    fireEvent.click(screen.getByRole("button", { name: "Attach alerts…" }));
    await waitFor(() => expect(mocked.importAlerts).toHaveBeenCalled());
    await waitFor(() => expect(desk.progress).not.toBeNull());
    act(() => desk.progress!({ import_id: "import-1", phase: "reading", bytes_read: 10, total_bytes: 1_000, alerts_read: 3 }));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(mocked.cancelAlertImport).toHaveBeenCalledWith("import-1");
    expect(screen.getAllByText("Cancelling…").length).toBeGreaterThan(0);
    await finish(report({ cancelled: true, issue_count: 0 }));
    expect(await screen.findByText(/cancelled: nothing was attached/)).toBeTruthy();
    expect(screen.getByText("alerts.json")).toBeTruthy();
  });
});

// ---------- the search dialog's pages ----------

/** Hit `n` of a cluster with more alerts than a page: "Brute force against VPN", one minute apart from 09:00 UTC back. */
function hit(n: number): AlertHit {
  const id = `es-${String(n).padStart(4, "0")}`;
  const timestamp = new Date(Date.UTC(2026, 10, 27, 9, 0) - n * 60_000).toISOString();
  const source = { "@timestamp": timestamp, "kibana.alert.uuid": id, "kibana.alert.rule.name": "Brute force against VPN", host: { name: `srv-${n % 4}` } };
  return {
    id,
    index: ".internal.alerts-security.alerts-default-000001",
    source,
    summary: {
      rule_id: null,
      rule_name: "Brute force against VPN",
      severity: "high",
      risk_score: 73,
      reason: null,
      host: `srv-${n % 4}`,
      user: null,
      original_time: null,
      timestamp,
      workflow_status: "open",
    },
  };
}

describe("Alerts tab: the search dialog's next page", () => {
  it("adds the next page under the first with `next`, keeps the ticks, and attaches the chosen hits as found", async () => {
    mocked.getAlertSource.mockResolvedValue({
      space: "default",
      url: "https://elastic.example.org:9200",
      kibana_space: "default",
      index: ".alerts-security.alerts-default",
      api_key_stored: true,
      api_key_unreadable: null,
      updated_at: "2026-11-27T08:00:00Z",
    });
    const hits = Array.from({ length: 150 }, (_, n) => hit(n));
    const first: AlertSearchPage = { total: 150, hits: hits.slice(0, 100), next: [Date.UTC(2026, 10, 27, 9, 0) - 99 * 60_000, "es-0099"] };
    const second: AlertSearchPage = { total: 150, hits: hits.slice(100), next: null };
    mocked.searchSourceAlerts.mockResolvedValueOnce(first).mockResolvedValueOnce(second);
    mocked.attachSourceAlerts.mockResolvedValue(report({ attached: 100, already_attached: 1 }));

    renderTab();
    await screen.findByText("1–3 of 3");
    const button = screen.getByRole("button", { name: "Search Elasticsearch…" }) as HTMLButtonElement;
    await waitFor(() => expect(button.disabled).toBe(false));
    fireEvent.click(button);
    const dialog = await screen.findByRole("dialog", { name: "Search Elasticsearch alerts" });
    expect(await within(dialog).findByText("100 of 150 alerts")).toBeTruthy();
    expect(mocked.searchSourceAlerts).toHaveBeenLastCalledWith("default", { size: 100 });

    fireEvent.click(within(dialog).getByRole("checkbox", { name: "Select all 100 alerts shown" }));
    expect(within(dialog).getByRole("button", { name: "Attach 100 selected" })).toBeTruthy();

    fireEvent.click(within(dialog).getByRole("button", { name: "Next page" }));
    expect(await within(dialog).findByText("150 of 150 alerts")).toBeTruthy();
    expect(mocked.searchSourceAlerts).toHaveBeenLastCalledWith("default", { size: 100, search_after: first.next });
    // The first page's rows and ticks are still there; the new rows are not ticked.
    const boxes = within(dialog).getAllByRole("checkbox", { name: /^Select the alert/ }) as HTMLInputElement[];
    expect(boxes).toHaveLength(150);
    expect(boxes.filter((b) => b.checked)).toHaveLength(100);
    expect(within(dialog).queryByRole("button", { name: "Next page" })).toBeNull();
    fireEvent.click(boxes[120]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Attach 101 selected" }));

    await waitFor(() => expect(mocked.attachSourceAlerts).toHaveBeenCalledTimes(1));
    const [caseId, sent] = mocked.attachSourceAlerts.mock.calls[0];
    expect(caseId).toBe(ID);
    expect(sent.map((h) => h.id)).toEqual([...hits.slice(0, 100), hits[120]].map((h) => h.id));
    // Sent back as the search returned them.
    expect(sent[0]).toEqual(hits[0]);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText("Attached 100 alerts (1 already in the case)")).toBeTruthy();
  });
});
