import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Case, FindQuery, FindResult } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { CasesPage } from "./CasesPage";
import { DRAFT_KEY } from "./draft";
import { TABLE_STATE_KEY } from "./tableState";
import { aCase, idStatus } from "../../testing/builders";
import { wireValidation } from "../../testing/wireErrors";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return {
    ...actual,
    findCases: vi.fn(),
    caseStats: vi.fn(),
    createCase: vi.fn(),
    assignIds: vi.fn(),
    idTaskStatus: vi.fn(),
    listTags: vi.fn(async () => []),
    tagCounts: vi.fn(async () => []),
    severityCounts: vi.fn(async () => ({ low: 0, medium: 0, high: 0, critical: 0 })),
    listCategories: vi.fn(async () => []),
  };
});

const mocked = vi.mocked(client);

/** A listed case; the comment and alert counts show in their columns. */
const listed = (n: number, patch: Partial<Case> = {}): Case => aCase(n, { version: "1", total_comment: 2, total_alerts: 5, ...patch });

function result(cases: Case[], total = cases.length): FindResult {
  return { cases, page: 1, per_page: 25, total, count_open_cases: total, count_in_progress_cases: 0, count_closed_cases: 0, mean_time_to_close: null };
}

function renderPage() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <CasesPage space="default" />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  localStorage.clear();
  mocked.idTaskStatus.mockResolvedValue(idStatus());
  mocked.caseStats.mockResolvedValue({ count_open_cases: 3, count_in_progress_cases: 1, count_closed_cases: 2, mean_time_to_close: 3 * 86400 + 4 * 3600 });
});
afterEach(() => {
  cleanup();
  window.location.hash = "";
});

describe("CasesPage", () => {
  it("shows metrics and a row per case, with #ID or ID pending", async () => {
    mocked.findCases.mockResolvedValue(result([listed(12), listed(13, { incremental_id: null, title: "Fresh one" })]));
    renderPage();
    expect(await screen.findByText("Case number 12")).toBeTruthy();
    expect(screen.getByText("#12")).toBeTruthy();
    expect(screen.getByText("ID pending")).toBeTruthy();
    expect(await screen.findByText("3d 4h")).toBeTruthy();
    const q = mocked.findCases.mock.calls[0][0] as FindQuery;
    expect(q).toMatchObject({ space: "default", page: 1, per_page: 25, sort_order: "desc" });
  });

  it("the Alerts column shows each case's attached alerts (total_alerts), as a right-aligned count", async () => {
    mocked.findCases.mockResolvedValue(result([listed(1, { total_alerts: 1234, total_comment: 7 }), listed(2, { total_alerts: 0 })]));
    renderPage();
    await screen.findByText("Case number 1");
    const header = screen.getByRole("columnheader", { name: "Alerts" });
    expect(header.className).toContain("col-num");
    // The core cannot sort by it: a plain heading, not a sort button.
    expect(header.querySelector("button")).toBeNull();
    const rows = screen.getAllByRole("row").slice(1);
    const column = Array.from(header.parentElement!.children).indexOf(header);
    expect(rows.map((r) => r.children[column].textContent)).toEqual([(1234).toLocaleString(), "0"]);
    expect(rows[0].children[column].className).toContain("col-num");
  });

  it("a category too long for its narrow column keeps its full text on hover", async () => {
    mocked.findCases.mockResolvedValue(result([listed(1, { category: "Endpoint compromise" }), listed(2, { category: null })]));
    renderPage();
    const cell = await screen.findByText("Endpoint compromise");
    expect(cell.getAttribute("title")).toBe("Endpoint compromise");
    expect(cell.closest("td")?.className).toContain("col-category");
  });

  it("tells a new user what to do when the space is empty", async () => {
    mocked.findCases.mockResolvedValue(result([]));
    renderPage();
    expect(await screen.findByText("No cases yet — create your first case")).toBeTruthy();
  });

  it("shows the core's error message", async () => {
    mocked.findCases.mockRejectedValue(new client.ApiError("busy", "another process held the database for more than 10 s"));
    renderPage();
    expect(await screen.findByText("another process held the database for more than 10 s")).toBeTruthy();
    expect(screen.getByText("busy")).toBeTruthy();
  });

  it("sorting by a header asks the core and is remembered", async () => {
    mocked.findCases.mockResolvedValue(result([listed(1)]));
    renderPage();
    await screen.findByText("Case number 1");
    fireEvent.click(screen.getByRole("button", { name: /^Name/ }));
    await waitFor(() => expect((mocked.findCases.mock.lastCall![0] as FindQuery).sort_field).toBe("title"));
    expect((mocked.findCases.mock.lastCall![0] as FindQuery).sort_order).toBe("asc");
    expect(JSON.parse(localStorage.getItem(TABLE_STATE_KEY)!)).toMatchObject({ sortField: "title", sortOrder: "asc" });
  });

  it('"c" opens the create dialog, Esc closes it, the draft survives', async () => {
    mocked.findCases.mockResolvedValue(result([listed(1)]));
    renderPage();
    await screen.findByText("Case number 1");
    fireEvent.keyDown(document.body, { key: "c" });
    const title = await screen.findByLabelText("Name");
    fireEvent.change(title, { target: { value: "Half-typed" } });
    fireEvent.keyDown(document.activeElement ?? document.body, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(JSON.parse(localStorage.getItem(DRAFT_KEY)!).title).toBe("Half-typed");
    fireEvent.keyDown(document.body, { key: "c" });
    expect(((await screen.findByLabelText("Name")) as HTMLInputElement).value).toBe("Half-typed");
  });

  it('"/" focuses the search; Esc clears it, then leaves it so "c" works again', async () => {
    mocked.findCases.mockResolvedValue(result([listed(1)]));
    renderPage();
    await screen.findByText("Case number 1");
    fireEvent.keyDown(document.body, { key: "/" });
    const search = screen.getByLabelText("Search cases") as HTMLInputElement;
    expect(document.activeElement).toBe(search);
    fireEvent.change(search, { target: { value: "phish" } });
    fireEvent.keyDown(search, { key: "Escape" });
    expect(search.value).toBe("");
    expect(document.activeElement).toBe(search);
    fireEvent.keyDown(search, { key: "Escape" });
    expect(document.activeElement).not.toBe(search);
    fireEvent.keyDown(document.body, { key: "c" });
    expect(await screen.findByRole("dialog")).toBeTruthy();
  });

  it("create: validates, shows server errors inline, clears the draft on success", async () => {
    mocked.findCases.mockResolvedValue(result([listed(1)]));
    renderPage();
    await screen.findByText("Case number 1");
    fireEvent.click(screen.getByRole("button", { name: "Create case" }));
    const dialog = await screen.findByRole("dialog");
    const submit = () => fireEvent.submit(dialog.querySelector("form")!);

    // The core checks the case and names the field; the form counts characters.
    mocked.createCase.mockRejectedValueOnce(wireValidation("title", "cannot be an empty string"));
    submit();
    // The banner gives the whole sentence; beside the field, the refusal without its path.
    expect(await screen.findByText("cannot be an empty string")).toBeTruthy();
    expect(screen.getByText(/The case was not created/).closest("div")!.textContent).toContain("title: cannot be an empty string");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement?.id).toBe("create-title");

    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "x".repeat(161) } });
    expect(screen.getByText("161/160").className).toContain("over");

    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Phishing" } });
    mocked.createCase.mockRejectedValueOnce(wireValidation("category", "at most 50 characters (got 51)"));
    submit();
    expect(await screen.findByText("at most 50 characters (got 51)")).toBeTruthy();

    const made = listed(99, { title: "Phishing", incremental_id: null });
    mocked.createCase.mockResolvedValueOnce(made);
    await act(async () => submit());
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.createCase).toHaveBeenLastCalledWith("default", expect.objectContaining({ title: "Phishing", tags: [] }));
    expect(localStorage.getItem(DRAFT_KEY)).toBeNull();
    // The new case opens, as in Kibana.
    expect(window.location.hash).toBe(`#/cases/${made.id}`);
  });

  it('"ID pending" says when the next numbering run is due', async () => {
    mocked.idTaskStatus.mockResolvedValue(idStatus({ next_run_at: new Date(Date.now() + 3 * 60_000 + 5_000).toISOString() }));
    mocked.findCases.mockResolvedValue(result([listed(13, { incremental_id: null })]));
    renderPage();
    const pending = await screen.findByRole("button", { name: "ID pending" });
    await waitFor(() => expect(pending.getAttribute("title")).toBe("Numbers are given every 10 minutes; next run in about 3 min"));
    fireEvent.click(pending);
    expect(screen.getByRole("menu", { name: "ID pending" }).textContent).toContain("next run in about 3 min.");
  });

  it('"Assign IDs now" is in the pending badge\'s menu, not the header, and reloads the table', async () => {
    mocked.findCases.mockResolvedValue(result([listed(1, { incremental_id: null }), listed(2, { incremental_id: null })]));
    renderPage();
    expect(await screen.findAllByRole("button", { name: "ID pending" })).toHaveLength(2);
    expect(screen.queryByRole("button", { name: "Assign IDs now" })).toBeNull();

    mocked.assignIds.mockRejectedValueOnce({ code: "busy", message: "the database is busy" });
    fireEvent.click(screen.getAllByRole("button", { name: "ID pending" })[0]);
    fireEvent.click(screen.getByRole("menuitem", { name: "Assign IDs now" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Numbers were not assigned: the database is busy");

    mocked.assignIds.mockResolvedValueOnce({ assigned: 2 });
    mocked.findCases.mockResolvedValue(result([listed(1), listed(2)]));
    fireEvent.click(screen.getAllByRole("button", { name: "ID pending" })[1]);
    fireEvent.click(screen.getByRole("menuitem", { name: "Assign IDs now" }));
    expect(await screen.findByText("#2")).toBeTruthy();
    expect(screen.queryByText("ID pending")).toBeNull();
    expect(mocked.assignIds).toHaveBeenCalledTimes(2);
  });
});
