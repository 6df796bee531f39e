// The case list's filters, columns, selection, bulk and row actions, against a mocked core.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Case, FindQuery, FindResult } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import * as clipboard from "../../lib/clipboard";
import * as external from "../../lib/external";
import { CasesPage } from "./CasesPage";
import { COLUMNS_KEY } from "./columnPrefs";
import { aCase, aUser } from "../../testing/builders";
import { validationError } from "../../testing/wireErrors";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return {
    ...actual,
    findCases: vi.fn(),
    caseStats: vi.fn(),
    updateCases: vi.fn(),
    deleteCases: vi.fn(),
    listTags: vi.fn(),
    tagCounts: vi.fn(),
    severityCounts: vi.fn(),
    listCategories: vi.fn(),
    listReporters: vi.fn(),
    listUsers: vi.fn(),
    profile: vi.fn(),
    getConfiguration: vi.fn(),
  };
});
vi.mock("../../lib/clipboard", () => ({ copyText: vi.fn() }));
vi.mock("../../lib/external", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/external")>();
  return { ...actual, openExternal: vi.fn() };
});

const api = vi.mocked(client);


function result(cases: Case[], total = cases.length): FindResult {
  return { cases, page: 1, per_page: 25, total, count_open_cases: total, count_in_progress_cases: 0, count_closed_cases: 0, mean_time_to_close: null };
}

const lastQuery = () => api.findCases.mock.lastCall![0] as FindQuery;

async function renderPage(cases: Case[] = [aCase(1), aCase(2, { tags: ["phishing", "okta"] })]) {
  api.findCases.mockResolvedValue(result(cases));
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <CasesPage space="default" />
    </QueryClientProvider>,
  );
  await screen.findByText(cases[0].title);
}

const rowCheck = (n: number) => screen.getByRole("checkbox", { name: `Select case #${n}` }) as HTMLInputElement;

const filters = () => within(screen.getByRole("group", { name: "Filters" }));

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  window.location.hash = "";
  api.caseStats.mockResolvedValue({ count_open_cases: 2, count_in_progress_cases: 0, count_closed_cases: 0, mean_time_to_close: null });
  api.listTags.mockResolvedValue(["phishing", "okta"]);
  api.tagCounts.mockResolvedValue([
    { tag: "okta", cases: 1 },
    { tag: "phishing", cases: 1234 },
  ]);
  api.severityCounts.mockResolvedValue({ low: 3, medium: 0, high: 1200, critical: 1 });
  api.listCategories.mockResolvedValue(["Email"]);
  api.listReporters.mockResolvedValue(["ana"]);
  api.listUsers.mockResolvedValue([{ username: "bob", full_name: "Bob Builder", email: null }]);
  api.profile.mockResolvedValue(aUser());
  api.getConfiguration.mockResolvedValue({
    space: "default",
    version: "1",
    closure_type: "close-by-user",
    custom_fields: [{ key: "urgent", label: "Urgent", type: "toggle", required: false }],
    templates: [],
  } as unknown as Awaited<ReturnType<typeof client.getConfiguration>>);
});
afterEach(() => cleanup());

describe("filters", () => {
  it("tags: pick from the space's tags, the button counts, Esc closes", async () => {
    await renderPage();
    const button = screen.getByRole("button", { name: "Tags" });
    fireEvent.click(button);
    const panel = await screen.findByRole("dialog", { name: "Tags" });
    // By name, each with its number of cases (from the core).
    await within(panel).findByText("phishing");
    const labels = within(panel).getAllByRole("checkbox").map((c) => c.closest("label")!.textContent);
    expect(labels).toEqual(["okta1", `phishing${(1234).toLocaleString()}`]);
    fireEvent.click(within(panel).getByRole("checkbox", { name: /^okta/ }));
    await waitFor(() => expect(lastQuery().tags).toEqual(["okta"]));
    expect(screen.getByRole("button", { name: "Tags: 1 selected" })).toBeTruthy();
    fireEvent.keyDown(within(panel).getByRole("checkbox", { name: /^okta/ }), { key: "Escape" });
    expect(screen.queryByRole("dialog", { name: "Tags" })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Tags: 1 selected" }));
  });

  it('assignees: people with the local user first, and "No assignees"', async () => {
    await renderPage();
    fireEvent.click(screen.getByRole("button", { name: "Assignees" }));
    const panel = await screen.findByRole("dialog", { name: "Assignees" });
    await within(panel).findByText("bob");
    const labels = within(panel).getAllByRole("checkbox").map((c) => c.closest("label")!.textContent);
    expect(labels).toEqual(["No assigneesnobody assigned", "anaAna Lytic · you", "bobBob Builder"]);
    fireEvent.click(within(panel).getByRole("checkbox", { name: /No assignees/ }));
    await waitFor(() => expect(lastQuery().assignees).toEqual(["none"]));
  });

  it("severity shows counts for the other filters, its own aside", async () => {
    await renderPage();
    const severity = within(filters().getByRole("group", { name: "Severity" }));
    expect((await severity.findByRole("button", { name: `High ${(1200).toLocaleString()}` })).getAttribute("aria-pressed")).toBe("false");
    expect(severity.getByRole("button", { name: "Medium 0" })).toBeTruthy();
    fireEvent.click(filters().getByRole("button", { name: /^Open/ }));
    fireEvent.click(severity.getByRole("button", { name: /^High/ }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ severity: ["high"], status: ["open"] }));
    // The counts are asked for the same filters, without the severity one.
    await waitFor(() => expect(api.severityCounts).toHaveBeenLastCalledWith(expect.objectContaining({ status: ["open"], severity: [] })));
  });

  it("reporter and category sit behind More filters", async () => {
    await renderPage();
    expect(filters().queryByRole("button", { name: "Reporter" })).toBeNull();
    fireEvent.click(filters().getByRole("button", { name: "More filters" }));
    fireEvent.click(filters().getByRole("button", { name: "Reporter" }));
    fireEvent.click(await screen.findByRole("checkbox", { name: /ana/ }));
    await waitFor(() => expect(lastQuery().reporters).toEqual(["ana"]));
    fireEvent.click(filters().getByRole("button", { name: "Category" }));
    fireEvent.click(await screen.findByRole("checkbox", { name: "Email" }));
    await waitFor(() => expect(lastQuery().category).toEqual(["Email"]));
    // In use, they stay in the row.
    expect(filters().queryByRole("button", { name: "Fewer filters" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(lastQuery()).toMatchObject({ reporters: [], category: [] }));
  });

  it("date range: a quick range on the update time, then custom days, kept for the next visit", async () => {
    await renderPage();
    fireEvent.click(filters().getByRole("button", { name: "Date range: Created: any time" }));
    const panel = await screen.findByRole("dialog", { name: /Date range/ });
    fireEvent.click(within(panel).getByRole("button", { name: "Updated" }));
    fireEvent.click(within(panel).getByRole("button", { name: "Last 7 days" }));
    await waitFor(() => expect(lastQuery().date_field).toBe("updated_at"));
    const from = Date.parse(lastQuery().from!);
    expect(Date.now() - from).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(Date.now() - from).toBeLessThan(7 * 86_400_000 + 120_000);
    expect(lastQuery().to).toBeUndefined();

    fireEvent.click(filters().getByRole("button", { name: "Date range: Updated: Last 7 days" }));
    const custom = await screen.findByRole("dialog", { name: /Date range/ });
    // The arrows belong to the date field (they step its day), not to the panel's focus moves.
    within(custom).getByLabelText("From").focus();
    fireEvent.keyDown(within(custom).getByLabelText("From"), { key: "ArrowDown" });
    expect(document.activeElement).toBe(within(custom).getByLabelText("From"));
    fireEvent.change(within(custom).getByLabelText("From"), { target: { value: "2026-03-10" } });
    fireEvent.change(within(custom).getByLabelText("To"), { target: { value: "2026-03-01" } });
    fireEvent.click(within(custom).getByRole("button", { name: "Apply" }));
    expect(within(custom).getByRole("alert").textContent).toBe("The first day must not be after the last.");
    fireEvent.change(within(custom).getByLabelText("To"), { target: { value: "2026-03-31" } });
    fireEvent.click(within(custom).getByRole("button", { name: "Apply" }));
    await waitFor(() => expect(lastQuery().from).toBe(new Date(2026, 2, 10).toISOString()));
    expect(lastQuery().to).toBe(new Date(2026, 2, 31, 23, 59, 59, 999).toISOString());
    expect(filters().getByRole("button", { name: "Date range: Updated: 2026-03-10 → 2026-03-31" })).toBeTruthy();
    expect(JSON.parse(localStorage.getItem("casebook.cases.list.state")!)).toMatchObject({
      dateField: "updated_at",
      dateRange: { from: "2026-03-10", to: "2026-03-31" },
    });

    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(lastQuery().from).toBeUndefined());
    expect(lastQuery().date_field).toBeUndefined();
    // Three popover round trips: more than the default 5 s on a loaded machine.
  }, 15_000);

  it("custom toggle fields: on / off / any", async () => {
    await renderPage();
    fireEvent.click(filters().getByRole("button", { name: "More filters" }));
    fireEvent.click(await screen.findByRole("button", { name: "Custom fields" }));
    const group = await screen.findByRole("group", { name: "Urgent" });
    fireEvent.click(within(group).getByRole("button", { name: "Off" }));
    await waitFor(() => expect(lastQuery().custom_toggles).toEqual([{ key: "urgent", value: false }]));
    fireEvent.click(within(group).getByRole("button", { name: "Any" }));
    await waitFor(() => expect(lastQuery().custom_toggles).toEqual([]));
  });
});

describe("columns", () => {
  it("assignees show as initials with the full name on hover, never only a user id", async () => {
    await renderPage([aCase(1, { assignees: [{ uid: "bob" }, { uid: "ghost" }] })]);
    const bob = await screen.findByRole("img", { name: "Bob Builder (bob)" });
    expect(bob.textContent).toBe("BB");
    expect(bob.getAttribute("title")).toBe("Bob Builder (bob)");
    // Someone Casebook does not know: the username, as initials and on hover.
    expect(screen.getByRole("img", { name: "ghost" }).textContent).toBe("GH");
  });

  it("hides a column and remembers it; Closed on is off by default; Name cannot be hidden", async () => {
    await renderPage();
    expect(screen.getByRole("columnheader", { name: /Tags/ })).toBeTruthy();
    expect(screen.queryByRole("columnheader", { name: /Closed on/ })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Columns" }));
    const panel = await screen.findByRole("dialog", { name: "Columns" });
    expect((within(panel).getByRole("checkbox", { name: /Name/ }) as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(within(panel).getByRole("checkbox", { name: "Tags" }));
    fireEvent.click(within(panel).getByRole("checkbox", { name: "Closed on" }));
    expect(screen.queryByRole("columnheader", { name: /^Tags/ })).toBeNull();
    expect(screen.getByRole("columnheader", { name: /Closed on/ })).toBeTruthy();
    expect(JSON.parse(localStorage.getItem(COLUMNS_KEY)!)).toEqual({ tags: false, closed_at: true });
  });
});

describe("external incident", () => {
  it("Not pushed, or a link opened in the browser with the core's push state and a waiting push", async () => {
    const pushed = (updated: string | null) => ({
      connector_id: "jira-1",
      connector_name: "Jira",
      external_id: "SEC-1",
      external_title: "SEC-1",
      external_url: "https://jira.example.org/browse/SEC-1",
      pushed_at: "2026-11-21T10:00:00Z",
      pushed_by: { username: "ana", full_name: null, email: null },
      updated,
    });
    await renderPage([
      aCase(1, { external_service: pushed(null), push_state: "requires_update", pending_push: "queued" }),
      aCase(2, { external_service: pushed(null), push_state: "up_to_date", title: "Fresh" }),
      aCase(3, { title: "Local only" }),
      aCase(4, { title: "Refused", pending_push: "failed" }),
    ]);
    // One line each: the ticket and one mark, named in words (a waiting push before the state).
    const queued = screen.getByRole("img", { name: "Requires update · Queued" });
    expect(queued.textContent).toBe("…");
    expect(queued.getAttribute("title")).toMatch(/^Requires update · Queued — pushed .* to Jira$/);
    expect(screen.getByRole("img", { name: "Up to date" }).textContent).toBe("✓");
    // Not pushed: said so, or the waiting push's state instead.
    expect(screen.getAllByText("Not pushed")).toHaveLength(1);
    expect(screen.getByText("Push failed").getAttribute("title")).toBe("Not pushed yet: push failed");
    vi.mocked(external.openExternal).mockResolvedValue();
    fireEvent.click(screen.getAllByRole("button", { name: "SEC-1 ↗" })[0]);
    expect(external.openExternal).toHaveBeenCalledWith("https://jira.example.org/browse/SEC-1");
  });
});

describe("selection and bulk actions", () => {
  it("closes the selected cases in one call, says so, and clears the selection", async () => {
    await renderPage();
    fireEvent.click(rowCheck(1));
    fireEvent.click(rowCheck(2));
    expect(screen.getByText("2 cases selected")).toBeTruthy();
    api.updateCases.mockResolvedValue([]);
    fireEvent.click(screen.getByRole("button", { name: "Set status" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Closed" }));
    await waitFor(() => expect(api.updateCases).toHaveBeenCalledTimes(1));
    const patches = api.updateCases.mock.calls[0][1];
    expect(patches.map((p) => [p.id, p.version, p.status])).toEqual([
      [aCase(1).id, "11", "closed"],
      [aCase(2).id, "12", "closed"],
    ]);
    expect(await screen.findByText("2 cases closed")).toBeTruthy();
    expect(rowCheck(1).checked).toBe(false);
    expect(screen.queryByText("2 cases selected")).toBeNull();
  });

  it("select all on the page; another page or filter clears the selection", async () => {
    await renderPage();
    fireEvent.click(screen.getByRole("checkbox", { name: "Select all cases on this page" }));
    expect(rowCheck(1).checked && rowCheck(2).checked).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Set severity" }));
    expect(await screen.findByRole("menuitem", { name: "Critical" })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole("menuitem", { name: "Critical" }), { key: "Escape" });
    fireEvent.click(screen.getByRole("button", { name: /^Open/ }));
    await waitFor(() => expect(rowCheck(1).checked).toBe(false));
  });

  it("a conflict changes nothing, explains, and refreshes", async () => {
    await renderPage();
    fireEvent.click(rowCheck(1));
    api.updateCases.mockRejectedValue(new client.ApiError("conflict", "case version 11 is stale"));
    const before = api.findCases.mock.calls.length;
    fireEvent.click(screen.getByRole("button", { name: "Set severity" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Low" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Nothing was changed: the case was edited meanwhile/);
    await waitFor(() => expect(api.findCases.mock.calls.length).toBeGreaterThan(before));
  });

  it("edit tags: untick to remove from all, type to add", async () => {
    await renderPage();
    fireEvent.click(rowCheck(1));
    fireEvent.click(rowCheck(2));
    fireEvent.click(screen.getByRole("button", { name: "Edit tags" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit tags of 2 cases" });
    const okta = within(dialog).getByRole("checkbox", { name: "okta" }) as HTMLInputElement;
    expect(okta.indeterminate).toBe(true);
    fireEvent.click(within(dialog).getByRole("checkbox", { name: "phishing" }));
    fireEvent.change(within(dialog).getByLabelText("Add new tags"), { target: { value: "triaged" } });
    api.updateCases.mockResolvedValue([]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(api.updateCases).toHaveBeenCalledTimes(1));
    expect(api.updateCases.mock.calls[0][1][0]).toMatchObject({ add_tags: ["triaged"], remove_tags: ["phishing"] });
    await waitFor(() => expect(screen.queryByRole("dialog", { name: /Edit tags/ })).toBeNull());
    expect(await screen.findByText("Tags updated on 2 cases")).toBeTruthy();
  });

  it("edit assignees: add a known user, errors stay in the dialog", async () => {
    await renderPage();
    fireEvent.click(rowCheck(1));
    fireEvent.click(screen.getByRole("button", { name: "Edit assignees" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit assignees of 1 case" });
    fireEvent.click(await within(dialog).findByRole("checkbox", { name: "bob" }));
    api.updateCases.mockRejectedValueOnce(validationError("assignees", "at most 10"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText("assignees: at most 10")).toBeTruthy();
    api.updateCases.mockResolvedValueOnce([]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(api.updateCases).toHaveBeenCalledTimes(2));
    expect(api.updateCases.mock.calls[1][1][0]).toMatchObject({ add_assignees: [{ uid: "bob" }], remove_assignees: [] });
  });

  it("delete asks first, naming how many", async () => {
    await renderPage();
    fireEvent.click(rowCheck(2));
    fireEvent.click(screen.getByRole("button", { name: "Delete" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete 1 case?" });
    expect(dialog.textContent).toMatch(/cannot be undone/);
    api.deleteCases.mockResolvedValue(null);
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete 1 case" }));
    await waitFor(() => expect(api.deleteCases).toHaveBeenCalledWith([aCase(2).id]));
    expect(await screen.findByText("1 case deleted")).toBeTruthy();
  });
});

describe("row actions", () => {
  it("copies the case ID with feedback, and opens the case", async () => {
    await renderPage();
    vi.mocked(clipboard.copyText).mockResolvedValue(true);
    fireEvent.click(screen.getByRole("button", { name: "Actions for case #1" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Copy case ID" }));
    expect(clipboard.copyText).toHaveBeenCalledWith(aCase(1).id);
    expect(await screen.findByText(`Case ID copied: ${aCase(1).id}`)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Actions for case #2" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Open case" }));
    expect(window.location.hash).toBe(`#/cases/${aCase(2).id}`);
  });

  it("the title opens the case view", async () => {
    await renderPage();
    fireEvent.click(screen.getByRole("link", { name: "Case number 1" }));
    expect(window.location.hash).toBe(`#/cases/${aCase(1).id}`);
  });
});
