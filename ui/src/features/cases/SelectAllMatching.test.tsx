// "Select all N matching cases": the banner, the batched run with its progress, stop and report,
// and the delete confirmation naming the count, against a mocked core.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { BulkBatch, BulkIssue, Case, FindResult } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { formatCount } from "../../lib/format";
import { CasesPage } from "./CasesPage";
import { aCase, aUser } from "../../testing/builders";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return {
    ...actual,
    findCases: vi.fn(),
    caseStats: vi.fn(),
    updateCases: vi.fn(),
    deleteCases: vi.fn(),
    selectMatchingCases: vi.fn(),
    bulkUpdateMatching: vi.fn(),
    bulkDeleteMatching: vi.fn(),
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

const api = vi.mocked(client);
const TOTAL = 48_210;
const n = (x: number) => formatCount(x);

function result(cases: Case[], total: number): FindResult {
  return { cases, page: 1, per_page: 25, total, count_open_cases: total, count_in_progress_cases: 0, count_closed_cases: 0, mean_time_to_close: null };
}

function batch(changed: number, next: string | null, more: Partial<BulkBatch> = {}): BulkBatch {
  return { changed, unchanged: 0, skipped: [], failed: [], next, ...more };
}

function issue(k: number, code: string, message: string): BulkIssue {
  return { id: aCase(k).id, incremental_id: k, title: `Case number ${k}`, code, message };
}

/** A promise the test settles by hand, to look at the page between two batches. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function renderPage() {
  api.findCases.mockResolvedValue(result([aCase(1), aCase(2, { tags: ["phishing", "okta"] })], TOTAL));
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <CasesPage space="default" />
    </QueryClientProvider>,
  );
  await screen.findByText(aCase(1).title);
}

async function selectAllMatching() {
  fireEvent.click(screen.getByRole("checkbox", { name: "Select all cases on this page" }));
  fireEvent.click(screen.getByRole("button", { name: `Select all ${n(TOTAL)} matching cases` }));
  await screen.findByText(`${n(TOTAL)} cases selected`);
}

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  window.location.hash = "";
  api.caseStats.mockResolvedValue({ count_open_cases: TOTAL, count_in_progress_cases: 0, count_closed_cases: 0, mean_time_to_close: null });
  api.listTags.mockResolvedValue(["phishing", "okta"]);
  // The toolbar's tags and the bulk editor's suggestions come from the core's tag counts.
  api.tagCounts.mockResolvedValue([
    { tag: "okta", cases: 1 },
    { tag: "phishing", cases: 1 },
  ]);
  api.severityCounts.mockResolvedValue({ low: 0, medium: 0, high: 0, critical: 0 });
  api.listCategories.mockResolvedValue([]);
  api.listReporters.mockResolvedValue([]);
  api.listUsers.mockResolvedValue([{ username: "bob", full_name: "Bob Builder", email: null }]);
  api.profile.mockResolvedValue(aUser());
  api.getConfiguration.mockResolvedValue({
    space: "default",
    version: "1",
    closure_type: "close-by-user",
    custom_fields: [],
    templates: [],
  } as unknown as Awaited<ReturnType<typeof client.getConfiguration>>);
  api.selectMatchingCases.mockResolvedValue({ total: TOTAL, snapshot: "snap-1" });
});
afterEach(() => cleanup());

describe("select all matching cases", () => {
  it("is offered only once the whole page is ticked, and names the total with separators", async () => {
    await renderPage();
    fireEvent.click(screen.getByRole("checkbox", { name: `Select case #1` }));
    expect(screen.queryByRole("button", { name: /matching cases/ })).toBeNull();
    fireEvent.click(screen.getByRole("checkbox", { name: `Select case #2` }));
    expect(screen.getByText("All 2 cases on this page are selected.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: `Select all ${n(TOTAL)} matching cases` }));
    expect(await screen.findByText(`${n(TOTAL)} cases selected`)).toBeTruthy();
    expect(api.selectMatchingCases.mock.calls[0][0]).toMatchObject({ space: "default" });
    // Unticking a row goes back to the ticked rows.
    fireEvent.click(screen.getByRole("checkbox", { name: `Select case #2` }));
    expect(await screen.findByText("1 case selected")).toBeTruthy();
  });

  it("changes the status batch by batch with progress, then reports what was skipped and why", async () => {
    await renderPage();
    await selectAllMatching();
    const second = deferred<BulkBatch>();
    api.bulkUpdateMatching
      .mockResolvedValueOnce(batch(500, "500"))
      .mockReturnValueOnce(second.promise)
      .mockResolvedValueOnce(
        batch(47_000, null, {
          unchanged: 200,
          skipped: [issue(7, "conflict", "changed by ana at 2026-03-01T09:00:00.000Z after it was selected")],
          failed: [issue(8, "validation", "tags: at most 200")],
        }),
      );
    fireEvent.click(screen.getByRole("button", { name: "Set status" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Closed" }));

    const dialog = await screen.findByRole("dialog", { name: `Setting the status of ${n(TOTAL)} cases` });
    expect(await within(dialog).findByText(`500 of ${n(TOTAL)} cases`)).toBeTruthy();
    expect((within(dialog).getByRole("progressbar") as HTMLProgressElement).value).toBe(500);
    second.resolve(batch(500, "1000"));

    const done = await screen.findByRole("dialog", { name: "Done" });
    expect(api.bulkUpdateMatching.mock.calls.map((c) => [c[1], c[2], c[3].status])).toEqual([
      ["snap-1", null, "closed"],
      ["snap-1", "500", "closed"],
      ["snap-1", "1000", "closed"],
    ]);
    const report = within(done).getByRole("list", { name: "Report" });
    expect(report.textContent).toContain(`${n(48_000)} cases closed.`);
    expect(report.textContent).toContain("200 cases already as asked.");
    expect(report.textContent).toMatch(/1 case skipped: changed by someone else since you selected them/);
    expect(report.textContent).toContain("#7 Case number 7");
    // 48 210 selected, 48 202 met: the other 8 were deleted or left the query meanwhile.
    expect(report.textContent).toContain("8 cases skipped: deleted, or changed so they no longer match");
    expect(report.textContent).toMatch(/1 case failed:.*#8 Case number 8.*tags: at most 200/);

    const finds = api.findCases.mock.calls.length;
    // The footer's Close (the header has its own ×, also named Close).
    fireEvent.click(within(done).getAllByRole("button", { name: "Close" }).at(-1)!);
    await waitFor(() => expect(api.findCases.mock.calls.length).toBeGreaterThan(finds));
    expect(screen.queryByText(`${n(TOTAL)} cases selected`)).toBeNull();
  });

  it("stops between batches when asked, and says how many were not looked at", async () => {
    await renderPage();
    await selectAllMatching();
    const first = deferred<BulkBatch>();
    api.bulkUpdateMatching.mockReturnValueOnce(first.promise);
    fireEvent.click(screen.getByRole("button", { name: "Set severity" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Critical" }));
    const dialog = await screen.findByRole("dialog", { name: `Setting the severity of ${n(TOTAL)} cases` });
    fireEvent.click(within(dialog).getByRole("button", { name: "Stop" }));
    expect(within(dialog).getByRole("button", { name: "Stopping after this batch…" })).toBeTruthy();
    first.resolve(batch(500, "500"));
    const done = await screen.findByRole("dialog", { name: "Stopped before the end" });
    expect(api.bulkUpdateMatching).toHaveBeenCalledTimes(1);
    const report = within(done).getByRole("list", { name: "Report" }).textContent;
    expect(report).toContain("500 cases set to Critical severity.");
    expect(report).toContain(`${n(TOTAL - 500)} cases not looked at.`);
  });

  it("a batch refused as a whole stops the run and says why", async () => {
    await renderPage();
    await selectAllMatching();
    api.bulkUpdateMatching
      .mockResolvedValueOnce(batch(500, "500"))
      .mockRejectedValueOnce(new client.ApiError("busy", "the database is busy"));
    fireEvent.click(screen.getByRole("button", { name: "Set status" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "In progress" }));
    const done = await screen.findByRole("dialog", { name: "Stopped before the end" });
    expect(within(done).getByRole("alert").textContent).toContain("The run stopped: the database is busy");
    expect(within(done).getByRole("list", { name: "Report" }).textContent).toContain("500 cases marked in progress.");
  });

  it("delete asks first naming the count, then deletes batch by batch", async () => {
    await renderPage();
    await selectAllMatching();
    fireEvent.click(screen.getByRole("button", { name: "Delete" }));
    const confirm = await screen.findByRole("dialog", { name: `Delete ${n(TOTAL)} cases?` });
    expect(confirm.textContent).toMatch(/cannot be undone/);
    expect(api.bulkDeleteMatching).not.toHaveBeenCalled();
    api.bulkDeleteMatching.mockResolvedValueOnce(batch(TOTAL, null));
    fireEvent.click(within(confirm).getByRole("button", { name: `Delete ${n(TOTAL)} cases` }));
    const done = await screen.findByRole("dialog", { name: "Done" });
    expect(api.bulkDeleteMatching).toHaveBeenCalledWith(expect.objectContaining({ space: "default" }), "snap-1", null);
    expect(within(done).getByRole("list", { name: "Report" }).textContent).toContain(`${n(TOTAL)} cases deleted.`);
  });

  it("edit tags of every matching case: known tags start with a dash, a tick adds to all", async () => {
    await renderPage();
    await selectAllMatching();
    fireEvent.click(screen.getByRole("button", { name: "Edit tags" }));
    const dialog = await screen.findByRole("dialog", { name: `Edit tags of ${n(TOTAL)} cases` });
    const okta = within(dialog).getByRole("checkbox", { name: "okta" }) as HTMLInputElement;
    expect(okta.indeterminate).toBe(true);
    fireEvent.click(okta);
    api.bulkUpdateMatching.mockResolvedValueOnce(batch(TOTAL, null));
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await screen.findByRole("dialog", { name: "Done" });
    expect(api.bulkUpdateMatching.mock.calls[0][3]).toEqual({ add_tags: ["okta"], remove_tags: [], add_assignees: [], remove_assignees: [] });
  });
});
