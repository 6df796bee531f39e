// The Observables tab's left-out values against the real core (`casebook serve --dev`): alerts
// carrying more values than the space's cap, the values the cap left out with their counts, and
// promoting one.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { createCase, importAlerts, leftOutObservables, listObservables } from "../../../lib/api/client";
import { freshSpace } from "../../../testing/core/server";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

configure({ asyncUtilTimeout: 8_000 });

/** What the test uses of Node's fs and os (the UI's tsconfig has no Node types). */
type NodeFs = {
  mkdtempSync(prefix: string): string;
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
  writeFileSync(path: string, data: string): void;
};
const builtin = (name: string) => import(/* @vite-ignore */ name);
let fs: NodeFs;
let tmp: string;
let wave: string;
let space: string;
let id: string;

/** 60 alerts: alert n on host h(n mod 5), 12 alerts each, from a source IP of its own: 65 values. */
const alerts = Array.from({ length: 60 }, (_, n) =>
  JSON.stringify({ "kibana.alert.uuid": `a${n}`, host: { name: `h${n % 5}` }, source: { ip: `10.0.0.${n + 1}` } }),
);

beforeAll(async () => {
  fs = (await builtin("node:fs")) as NodeFs;
  const os = (await builtin("node:os")) as { tmpdir(): string };
  tmp = fs.mkdtempSync(`${os.tmpdir()}/casebook-left-out-`);
  wave = `${tmp}/wave.ndjson`;
  fs.writeFileSync(wave, alerts.join("\n"));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeEach(async () => {
  space = await freshSpace("left-out");
  id = (await createCase(space, { title: "Beacons", description: "", tags: [], assignees: [], custom_fields: [] })).id;
  const report = await importAlerts(id, wave, crypto.randomUUID());
  expect([report.observables_added, report.observables_over_limit]).toEqual([50, 15]);
});

afterEach(() => cleanup());

describe("Observables tab: values left out by the cap", () => {
  it("shows the case's values with their alert counts, and the left-out ones on request", async () => {
    renderWithQueries(<CaseView space={space} id={id} tab="observables" />);
    const caseTable = await screen.findByRole("table", { name: "Observables of this case" });
    // The hosts each 12 alerts carry were kept.
    const hostRow = within(caseTable).getByText("h0").closest("tr")!;
    expect(Array.from(hostRow.querySelectorAll("td")).map((td) => td.textContent).slice(0, 4)).toEqual([
      "Hostname",
      "h0",
      "Auto extracted observable",
      "12",
    ]);
    expect(await screen.findByRole("button", { name: "In the case (50)", pressed: true })).toBeTruthy();

    fireEvent.click(await screen.findByRole("button", { name: "Left out (15)" }));
    const table = await screen.findByRole("table", { name: "Observables left out" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(15);
    const want = (await leftOutObservables(id, 1, 50)).values.map((v) => ["IPv4", v.value, "1"]);
    expect(rows.map((r) => Array.from(r.querySelectorAll("td")).slice(0, 3).map((td) => td.textContent))).toEqual(want);
    expect(screen.getByText(/The case holds 50 of 50 observables/)).toBeTruthy();
    expect(screen.getByText(/Promoting one replaces the lowest ranked value that was extracted automatically/)).toBeTruthy();
  });

  it("promotes a left-out value in place of the lowest ranked extracted one", async () => {
    renderWithQueries(<CaseView space={space} id={id} tab="observables" />);
    fireEvent.click(await screen.findByRole("button", { name: "Left out (15)" }));
    const first = (await leftOutObservables(id, 1, 50)).values[0].value;
    fireEvent.click(await screen.findByRole("button", { name: `Promote IPv4 ${first}` }));
    const status = await screen.findByText(new RegExp(`^IPv4 ${first.replaceAll(".", "\\.")} was added to the case\\.`));
    expect(status.textContent).toMatch(/The case was full: IPv4 10\.0\.0\.\d+ \(1 alert\), the lowest ranked value extracted automatically, is left out in its place\.$/);
    const promoted = (await listObservables(id)).find((o) => o.value === first);
    expect([promoted?.auto_extracted, promoted?.alerts]).toEqual([false, 1]);
    // Still 15 left out: the replaced value took the promoted one's place.
    await waitFor(() => expect(within(screen.getByRole("table", { name: "Observables left out" })).queryByText(first)).toBeNull());
    expect(screen.getByRole("button", { name: "Left out (15)" })).toBeTruthy();
  });
});
