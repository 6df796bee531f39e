// The Observables tab against the real core (`casebook serve --dev`): its types, its checks and
// its words, and what it keeps.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { addObservable, createCase, listObservables, updateConfiguration, getConfiguration } from "../../../lib/api/client";
import { freshSpace } from "../../../testing/core/server";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

configure({ asyncUtilTimeout: 8_000 });

let space: string;
let id: string;

function renderTab() {
  return renderWithQueries(<CaseView space={space} id={id} tab="observables" />);
}

const table = () => screen.getByRole("table", { name: "Observables of this case" });
const valueBox = () => screen.getByLabelText("Value", { selector: "#obs-add-value" }) as HTMLInputElement;
const values = async () => (await listObservables(id)).map((o) => o.value);
/** The Type list has the core's types (before that the form has no type to send). */
const typesLoaded = () => waitFor(() => expect((screen.getByLabelText("Type") as HTMLSelectElement).options.length).toBe(9));

beforeEach(async () => {
  space = await freshSpace("observables");
  const config = await getConfiguration(space);
  await updateConfiguration(space, { version: config.version, observable_types: [{ key: "ja3", label: "JA3 fingerprint" }] });
  id = (await createCase(space, { title: "Beacon from WS-0142" } as never)).id;
  await addObservable(id, { type_key: "observable-type-ipv4", value: "192.0.2.1", description: "C2 server" });
  await addObservable(id, { type_key: "observable-type-domain", value: "evil.example.com" });
});

afterEach(() => cleanup());

describe("Observables tab", () => {
  it("lists the observables and adds one with the space's types", async () => {
    renderTab();
    expect(await screen.findByRole("tab", { name: "Observables (2)", selected: true })).toBeTruthy();
    const rows = within(await screen.findByRole("table", { name: "Observables of this case" })).getAllByRole("row");
    expect(rows.map((r) => Array.from(r.querySelectorAll("td")).slice(0, 3).map((td) => td.textContent))).toEqual([
      [],
      ["IPv4", "192.0.2.1", "C2 server"],
      ["Domain", "evil.example.com", "—"],
    ]);
    expect(screen.getByText("2 of 50")).toBeTruthy();
    const type = screen.getByLabelText("Type") as HTMLSelectElement;
    await typesLoaded();
    expect(type.options[8].textContent).toBe("JA3 fingerprint");

    fireEvent.change(type, { target: { value: "observable-type-hostname" } });
    fireEvent.change(valueBox(), { target: { value: "ws-0142" } });
    fireEvent.change(screen.getByLabelText(/Description/, { selector: "#obs-add-description" }), { target: { value: "Patient zero" } });
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    expect(await within(table()).findByText("ws-0142")).toBeTruthy();
    await waitFor(() => expect(valueBox().value).toBe(""));
    expect(await screen.findByText("3 of 50")).toBeTruthy();
    expect(await screen.findByRole("tab", { name: "Observables (3)" })).toBeTruthy();
    const added = (await listObservables(id)).find((o) => o.value === "ws-0142");
    expect([added?.type_key, added?.description]).toEqual(["observable-type-hostname", "Patient zero"]);
  });

  it("shows the core's verdict next to the value, an empty one included", async () => {
    renderTab();
    await screen.findByRole("table", { name: "Observables of this case" });
    await typesLoaded();
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    expect((await screen.findByRole("alert")).textContent).toBe("value: cannot be an empty string");
    expect(valueBox().getAttribute("aria-invalid")).toBe("true");

    fireEvent.change(valueBox(), { target: { value: "999.1.1.1" } });
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe('value: "999.1.1.1" is not an IPv4 address (like 192.0.2.10)'));
    expect(screen.getByRole("alert").id).toBe("obs-add-value-error");
    expect(valueBox().getAttribute("aria-invalid")).toBe("true");
    expect(valueBox().value).toBe("999.1.1.1");
    expect(await values()).toEqual(["192.0.2.1", "evil.example.com"]);
  });

  it("says so inline when the case already has the value", async () => {
    renderTab();
    await screen.findByRole("table", { name: "Observables of this case" });
    await typesLoaded();
    fireEvent.change(valueBox(), { target: { value: "192.0.2.1" } });
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Value: this case already has this IPv4 observable.");
    expect(await values()).toHaveLength(2);
  });

  it("stops at 50 observables and says why", async () => {
    for (let n = 3; n <= 50; n++) {
      await addObservable(id, { type_key: "observable-type-ipv4", value: `198.51.100.${n}` });
    }
    renderTab();
    expect(await screen.findByText("50 of 50")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Add observable" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/This case has 50 observables, the most a case of this space holds/)).toBeTruthy();
  });

  it("counts against the space's own cap", async () => {
    const config = await getConfiguration(space);
    await updateConfiguration(space, { version: config.version, max_observables: 120 });
    renderTab();
    expect(await screen.findByText("2 of 120")).toBeTruthy();
  });

  it("edits an observable in a dialog and deletes one after confirming", async () => {
    renderTab();
    fireEvent.click(await screen.findByRole("button", { name: "Edit IPv4 192.0.2.1" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit observable" });
    fireEvent.change(within(dialog).getByLabelText("Value"), { target: { value: "192.0.2.99" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await within(table()).findByText("192.0.2.99")).toBeTruthy();
    expect(await values()).toEqual(["192.0.2.99", "evil.example.com"]);

    fireEvent.click(screen.getByRole("button", { name: "Delete Domain evil.example.com" }));
    const confirm = await screen.findByRole("dialog", { name: "Delete this observable?" });
    expect(await values()).toHaveLength(2);
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete observable" }));
    await waitFor(() => expect(within(table()).queryByText("evil.example.com")).toBeNull());
    expect(await values()).toEqual(["192.0.2.99"]);
  });

  it("keeps the edit dialog open with the core's error", async () => {
    renderTab();
    fireEvent.click(await screen.findByRole("button", { name: "Edit Domain evil.example.com" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit observable" });
    fireEvent.change(within(dialog).getByLabelText("Type"), { target: { value: "observable-type-ipv4" } });
    fireEvent.change(within(dialog).getByLabelText("Value"), { target: { value: "192.0.2.1" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Value: this case already has this IPv4 observable.");
    expect(await values()).toEqual(["192.0.2.1", "evil.example.com"]);
  });
});
