// The home page's filters against the real core (`casebook serve --dev`): the severity counts
// and the tags with their counts come from the core; the date range reaches its query.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { CaseCreate } from "../../lib/api/bindings";
import { addUser, createCase } from "../../lib/api/client";
import { freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { CasesPage } from "./CasesPage";

configure({ asyncUtilTimeout: 8_000 });

afterEach(() => {
  cleanup();
  localStorage.clear();
});

/** A case with only what the test is about. */
const create = (space: string, input: Partial<CaseCreate> & { title: string }) =>
  createCase(space, { description: "", tags: [], assignees: [], custom_fields: [], ...input });

const filters = () => within(screen.getByRole("group", { name: "Filters" }));
const n = (v: number) => v.toLocaleString();

describe("home page filters (real core)", () => {
  it("severity counts follow the other filters; tags are by name with their counts", async () => {
    const space = await freshSpace("home");
    await create(space, { title: "Phish one", severity: "high", tags: ["phishing", "Email"] });
    await create(space, { title: "Phish two", severity: "high", tags: ["phishing"] });
    await create(space, { title: "Beacon", severity: "critical", tags: ["c2"] });
    renderWithQueries(<CasesPage space={space} />);
    const severity = within(await screen.findByRole("group", { name: "Severity" }));
    await severity.findByRole("button", { name: `High ${n(2)}` });
    expect(severity.getByRole("button", { name: "Critical 1" })).toBeTruthy();
    expect(severity.getByRole("button", { name: "Low 0" })).toBeTruthy();

    fireEvent.click(filters().getByRole("button", { name: "Tags" }));
    const panel = await screen.findByRole("dialog", { name: "Tags" });
    await within(panel).findByText("phishing");
    const labels = within(panel).getAllByRole("checkbox").map((c) => c.closest("label")!.textContent);
    expect(labels).toEqual(["c21", "Email1", "phishing2"]);
    fireEvent.click(within(panel).getByRole("checkbox", { name: /^phishing/ }));
    // One tag: the core's counts for it, the severity filter's own choice aside.
    await severity.findByRole("button", { name: "Critical 0" });
    expect(severity.getByRole("button", { name: "High 2" })).toBeTruthy();
    fireEvent.click(severity.getByRole("button", { name: /^High/ }));
    await waitFor(() => expect(screen.queryByText("Beacon")).toBeNull());
    expect(severity.getByRole("button", { name: "High 2" }).getAttribute("aria-pressed")).toBe("true");
  });

  it("assignees show as names; a date range reaches the core's query", async () => {
    const space = await freshSpace("home");
    await addUser({ username: "mkim", full_name: "Min Kim" }).catch(() => undefined);
    await create(space, { title: "Assigned", assignees: [{ uid: "mkim" }] });
    await create(space, { title: "Untouched", assignees: [] });
    renderWithQueries(<CasesPage space={space} />);
    await screen.findByText("Untouched");
    // Assignees as names, from the core's users.
    expect(screen.getByRole("img", { name: "Min Kim (mkim)" }).textContent).toBe("MK");

    const dayOf = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    const today = new Date();
    const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);

    // Updated in the last hour: both.
    fireEvent.click(filters().getByRole("button", { name: /^Date range/ }));
    let panel = await screen.findByRole("dialog", { name: /Date range/ });
    fireEvent.click(within(panel).getByRole("button", { name: "Updated" }));
    fireEvent.click(within(panel).getByRole("button", { name: "Last 1 hour" }));
    await screen.findByRole("button", { name: "Date range: Updated: Last 1 hour" });
    expect(screen.getByText("Assigned")).toBeTruthy();
    expect(screen.getByText("Untouched")).toBeTruthy();

    // Up to yesterday: none.
    fireEvent.click(filters().getByRole("button", { name: /^Date range/ }));
    panel = await screen.findByRole("dialog", { name: /Date range/ });
    fireEvent.change(within(panel).getByLabelText("To"), { target: { value: dayOf(yesterday) } });
    fireEvent.click(within(panel).getByRole("button", { name: "Apply" }));
    await screen.findByText("No cases match");

    // From today: both again.
    fireEvent.click(filters().getByRole("button", { name: /^Date range/ }));
    panel = await screen.findByRole("dialog", { name: /Date range/ });
    fireEvent.change(within(panel).getByLabelText("To"), { target: { value: "" } });
    fireEvent.change(within(panel).getByLabelText("From"), { target: { value: dayOf(today) } });
    fireEvent.click(within(panel).getByRole("button", { name: "Apply" }));
    await screen.findByText("Assigned");
    expect(screen.getByText("Untouched")).toBeTruthy();
  });
});
