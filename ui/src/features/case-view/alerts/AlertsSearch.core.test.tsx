// The Alerts tab's Elasticsearch side against the real core (`casebook serve --dev`) and the
// contract fake of Elasticsearch: searching the cluster, attaching what was found, and sending
// the case's alert statuses back. The list itself is in AlertsTab.core.test.tsx.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
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
import { formatDateTime } from "../../../lib/format";
import { fakes, freshSpace } from "../../../testing/core/server";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

// The desktop seam: no file drops or progress events under jsdom.
vi.mock("../../../lib/files", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../lib/files")>()),
  onFileDrag: vi.fn(async () => () => {}),
  onImportProgress: vi.fn(async () => () => {}),
}));

vi.setConfig({ testTimeout: 40_000 });
configure({ asyncUtilTimeout: 8_000 });

/** One alert of the core's own fixtures (a Kibana export of one document). Through a variable:
 * Vite rewrites `new URL("literal", import.meta.url)` into a served path. */
const here = import.meta.url;
const ONE_ALERT = decodeURIComponent(new URL(`../../../../../crates/core/tests/fixtures/alerts/${"single.json"}`, here).pathname);

let space: string;
let id: string;

async function newCase(title: string, patch: Partial<CaseCreate> = {}) {
  return createCase(space, { title, description: "", tags: [], assignees: [], custom_fields: [], ...patch });
}

/** Sets a case's status, as the case view's status menu does. */
async function setStatus(caseId: string, status: Status) {
  const c = await getCase(space, caseId);
  await updateCases(space, [{ id: caseId, version: c.version, status, add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] }]);
}

function renderTab() {
  return renderWithQueries(<CaseView space={space} id={id} tab="alerts" />);
}

beforeEach(async () => {
  space = await freshSpace("alerts-es");
  id = (await newCase("Credential phishing wave")).id;
});

afterEach(() => cleanup());

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
    await importAlerts(id, ONE_ALERT, crypto.randomUUID());
    renderTab();
    await screen.findByText("1–1 of 1");
    const button = (await screen.findByRole("button", { name: "Search Elasticsearch…" })) as HTMLButtonElement;
    await waitFor(() => expect(button.title).toBe("Set an Elasticsearch source in Settings first"));
    expect(button.disabled).toBe(true);
    expect(screen.getByRole("link", { name: "Set a source in Settings" }).getAttribute("href")).toBe("#/settings/alert-source");
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
