// The Similar cases tab against the real core (`casebook serve --dev`): cases of the space that
// share an observable (type and value) with this one, as the core finds, orders and pages them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { CaseCreate, ObservableInput } from "../../../lib/api/bindings";
import { addObservable, createCase, createSpace, getCase, similarCases, updateCases } from "../../../lib/api/client";
import { freshSpace } from "../../../testing/core/server";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

configure({ asyncUtilTimeout: 8_000 });

let space: string;
let id: string;

const IP: ObservableInput = { type_key: "observable-type-ipv4", value: "192.0.2.1" };
const DOMAIN: ObservableInput = { type_key: "observable-type-domain", value: "evil.example.com" };

async function newCase(title: string, patch: Partial<CaseCreate> = {}, inSpace = space) {
  return createCase(inSpace, { title, description: "", tags: [], assignees: [], custom_fields: [], ...patch });
}

/** A case of the space holding `observables`. */
async function caseWith(title: string, observables: ObservableInput[], patch: Partial<CaseCreate> = {}, inSpace = space) {
  const c = await newCase(title, patch, inSpace);
  for (const o of observables) await addObservable(c.id, o);
  return c;
}

function renderTab() {
  return renderWithQueries(<CaseView space={space} id={id} tab="similar" />);
}

beforeEach(async () => {
  space = await freshSpace("similar");
  id = (await caseWith("Phishing wave", [IP, DOMAIN])).id;
});

afterEach(() => cleanup());

describe("Similar cases tab", () => {
  it("lists each case with its number, a link, its status and severity, and the shared values as chips", async () => {
    const numbered = await caseWith("Phishing follow-up 12", [IP, DOMAIN, { type_key: "observable-type-hostname", value: "ws-0142" }], { severity: "low" });
    const version = (await getCase(space, numbered.id)).version;
    await updateCases(space, [{ id: numbered.id, version, status: "closed", add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [] }]);
    // The core numbers a case right after creating it.
    const number = (await getCase(space, numbered.id)).incremental_id;
    expect(number).not.toBeNull();
    const markup = await caseWith("<b>not bold</b>", [IP], { severity: "critical" });
    const markupNumber = (await getCase(space, markup.id)).incremental_id;

    renderTab();
    expect(await screen.findByRole("tab", { name: "Similar cases (2)", selected: true })).toBeTruthy();
    // The list's own items (each holds a list of chips).
    const list = await screen.findByRole("list", { name: "Similar cases" });
    const items = within(list)
      .getAllByRole("listitem")
      .filter((li) => li.parentElement === list);
    expect(items).toHaveLength(2);
    // The case sharing more values first.
    const first = items[0];
    expect(within(first).getByText(`#${number}`)).toBeTruthy();
    const link = within(first).getByRole("link", { name: "Phishing follow-up 12" });
    expect(link.getAttribute("href")).toBe(`#/cases/${numbered.id}`);
    expect(within(first).getByText("Closed")).toBeTruthy();
    expect(within(first).getByText("Low")).toBeTruthy();
    expect(within(first).getByText("Shares 2 observables:")).toBeTruthy();
    const chips = within(within(first).getByRole("list", { name: "Observables shared with Phishing follow-up 12" })).getAllByRole("listitem");
    // Only the shared values (not its hostname), in the core's order: by type key, then value
    // (the order of its unique index; similar.rs has no ORDER BY for them).
    expect(chips.map((c) => c.textContent)).toEqual(["Domain evil.example.com", "IPv4 192.0.2.1"]);
    // Titles are text, never markup.
    const second = items[1];
    expect(within(second).getByRole("link", { name: "<b>not bold</b>" })).toBeTruthy();
    expect(within(second).getByText(`#${markupNumber}`)).toBeTruthy();
    expect(within(second).getByText("Open")).toBeTruthy();
    expect(within(second).getByText("Critical")).toBeTruthy();
    expect(within(second).getByText("Shares 1 observable:")).toBeTruthy();
    expect(screen.queryByRole("navigation", { name: "Similar case pages" })).toBeNull();
  });

  it("pages when there are more than a page of them", async () => {
    for (let n = 100; n < 145; n++) await caseWith(`Phishing follow-up ${n}`, [IP]);
    renderTab();
    expect(await screen.findByText("1–20 of 45")).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Similar cases (45)" })).toBeTruthy();
    const titles = () =>
      within(screen.getByRole("list", { name: "Similar cases" }))
        .getAllByRole("link")
        .map((a) => a.textContent);
    const firstPage = titles();
    // Each shares one value: the newest first (the core's order, as it gives it).
    const core = (await similarCases(id, 1, 20)).cases;
    expect(firstPage).toEqual(core.map((c) => c.case.title));
    const created = core.map((c) => Date.parse(c.case.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(firstPage).toContain("Phishing follow-up 144");
    expect(firstPage).not.toContain("Phishing follow-up 100");
    fireEvent.click(screen.getByRole("button", { name: "Next ›" }));
    expect(await screen.findByText("21–40 of 45")).toBeTruthy();
    await waitFor(() => expect(titles()).not.toEqual(firstPage));
    // The core's second page, none of the first's.
    const secondPage = (await similarCases(id, 2, 20)).cases.map((c) => c.case.title);
    expect(titles()).toEqual(secondPage);
    expect(secondPage.filter((t) => firstPage.includes(t))).toEqual([]);
    expect(titles()).toContain("Phishing follow-up 120");
  });

  it("explains how cases are compared when none is similar", async () => {
    // The same value as another type, and the same observable in another space, do not count.
    await caseWith("Other type", [{ type_key: "observable-type-hostname", value: "evil.example.com" }]);
    const elsewhere = `${space}-other`;
    await createSpace(elsewhere);
    await caseWith("Other space", [IP], {}, elsewhere);
    renderTab();
    expect(
      await screen.findByText(
        "No other case in this space shares an observable with this one. Observables are compared by type and value.",
      ),
    ).toBeTruthy();
    expect(screen.getByRole("tab", { name: "Similar cases (0)" })).toBeTruthy();
  });
});
