// "Select all N matching cases" against the real core (`casebook serve --dev`): every matching
// case beyond the page is changed in batches, a case edited by someone else after the selection
// is skipped and named in the report, and the delete names its count before it runs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, within } from "@testing-library/react";
import { createCase, emptyFindQuery, findCases, updateCases } from "../../lib/api/client";
import { freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { CasesPage } from "./CasesPage";

configure({ asyncUtilTimeout: 15_000 });

/** More than the default page of 25. */
const MANY = 30;

let space: string;

beforeEach(async () => {
  window.location.hash = "";
  space = await freshSpace("bulk");
  for (let i = 1; i <= MANY; i++) await createCase(space, { title: `Noisy rule hit ${i}`, description: "", tags: ["noise"], assignees: [], custom_fields: [] });
});
afterEach(() => cleanup());

async function selectAllMatching() {
  renderWithQueries(<CasesPage space={space} />);
  await screen.findByText("Noisy rule hit 30");
  fireEvent.click(screen.getByRole("checkbox", { name: "Select all cases on this page" }));
  fireEvent.click(await screen.findByRole("button", { name: `Select all ${MANY} matching cases` }));
  await screen.findByText(`${MANY} cases selected`);
}

async function statuses() {
  const r = await findCases({ ...emptyFindQuery(space), per_page: 100 });
  return r.cases.map((c) => c.status);
}

describe("select all matching cases, real core", () => {
  it("closes every matching case, skipping the one edited by someone else meanwhile", async () => {
    await selectAllMatching();
    // Someone else starts work on one of them after the selection was taken.
    const all = await findCases({ ...emptyFindQuery(space), per_page: 100 });
    const taken = all.cases.find((c) => c.title === "Noisy rule hit 7")!;
    await updateCases(space, [
      { id: taken.id, version: taken.version, status: "in-progress", add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] },
    ]);

    fireEvent.click(screen.getByRole("button", { name: "Set status" }));
    fireEvent.click(await screen.findByRole("menuitem", { name: "Closed" }));
    const done = await screen.findByRole("dialog", { name: "Done" });
    const report = within(done).getByRole("list", { name: "Report" }).textContent;
    expect(report).toContain(`${MANY - 1} cases closed.`);
    expect(report).toMatch(/1 case skipped: changed by someone else since you selected them/);
    expect(report).toContain("Noisy rule hit 7");
    expect(report).toMatch(/its status was changed by .* after it was selected/);

    const now = await statuses();
    expect(now.filter((s) => s === "closed")).toHaveLength(MANY - 1);
    expect(now.filter((s) => s === "in-progress")).toHaveLength(1);
  });

  it("deletes every matching case after a confirmation naming the count", async () => {
    await selectAllMatching();
    fireEvent.click(screen.getByRole("button", { name: "Delete" }));
    const confirm = await screen.findByRole("dialog", { name: `Delete ${MANY} cases?` });
    expect(await statuses()).toHaveLength(MANY);
    fireEvent.click(within(confirm).getByRole("button", { name: `Delete ${MANY} cases` }));
    const done = await screen.findByRole("dialog", { name: "Done" });
    expect(within(done).getByRole("list", { name: "Report" }).textContent).toContain(`${MANY} cases deleted.`);
    expect(await statuses()).toHaveLength(0);
  });
});
