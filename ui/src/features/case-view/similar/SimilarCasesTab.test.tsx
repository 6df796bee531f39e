import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { SimilarCase } from "../../../lib/api/bindings";
import * as client from "../../../lib/api/client";
import { BOOK_COMMANDS, aCase, answerFromBook, memoryBook } from "../../../testing/fakeCore";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

vi.mock("../../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../lib/api/client")>()),
  ...(await import("../../../testing/render")).caseViewClientMocks(),
}));

configure({ asyncUtilTimeout: 5_000 });

const mocked = vi.mocked(client);
const ID = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";

function similar(n: number, patch: Partial<SimilarCase> = {}): SimilarCase {
  return {
    case: aCase(n, { title: `Phishing follow-up ${n}`, status: n % 2 ? "open" : "closed", severity: n % 2 ? "critical" : "low" }),
    shared: [{ type_key: "observable-type-ipv4", type_label: "IPv4", value: "192.0.2.1" }],
    ...patch,
  };
}

function renderTab(cases: SimilarCase[]) {
  answerFromBook(mocked, memoryBook({ similar: cases }), BOOK_COMMANDS);
  mocked.getCase.mockResolvedValue(aCase(7, { id: ID }));
  return renderWithQueries(<CaseView space="default" id={ID} tab="similar" />);
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("Similar cases tab", () => {
  it("lists each case with its number, a link, its status and severity, and the shared values as chips", async () => {
    renderTab([
      similar(12, {
        shared: [
          { type_key: "observable-type-ipv4", type_label: "IPv4", value: "192.0.2.1" },
          { type_key: "observable-type-domain", type_label: "Domain", value: "evil.example.com" },
        ],
      }),
      similar(31, { case: aCase(31, { incremental_id: null, title: "<b>not bold</b>" }) }),
    ]);
    expect(await screen.findByRole("tab", { name: "Similar cases (2)", selected: true })).toBeTruthy();
    const items = within(await screen.findByRole("list", { name: "Similar cases" })).getAllByRole("listitem");
    const first = items[0];
    expect(within(first).getByText("#12")).toBeTruthy();
    const link = within(first).getByRole("link", { name: "Phishing follow-up 12" });
    expect(link.getAttribute("href")).toBe(`#/cases/${aCase(12).id}`);
    expect(within(first).getByText("Closed")).toBeTruthy();
    expect(within(first).getByText("Low")).toBeTruthy();
    const chips = within(within(first).getByRole("list", { name: "Observables shared with Phishing follow-up 12" })).getAllByRole("listitem");
    expect(chips.map((c) => c.textContent)).toEqual(["IPv4 192.0.2.1", "Domain evil.example.com"]);
    // Titles are text, never markup; an unnumbered case says so.
    expect(screen.getByRole("link", { name: "<b>not bold</b>" })).toBeTruthy();
    expect(screen.getAllByText("ID pending").length).toBeGreaterThan(0);
    expect(screen.queryByRole("navigation", { name: "Similar case pages" })).toBeNull();
  });

  it("pages when there are more than a page of them", async () => {
    renderTab(Array.from({ length: 45 }, (_, i) => similar(100 + i)));
    expect(await screen.findByText("1–20 of 45")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Next ›" }));
    await waitFor(() => expect(mocked.similarCases).toHaveBeenLastCalledWith(ID, 2, 20));
    expect(await screen.findByRole("link", { name: "Phishing follow-up 120" })).toBeTruthy();
    expect(screen.getByText("21–40 of 45")).toBeTruthy();
  });

  it("explains how cases are compared when none is similar", async () => {
    renderTab([]);
    expect(
      await screen.findByText(
        "No other case in this space shares an observable with this one. Observables are compared by type and value.",
      ),
    ).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Similar cases (0)" })).toBeTruthy();
  });
});
