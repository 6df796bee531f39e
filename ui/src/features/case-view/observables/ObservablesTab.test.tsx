import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import * as client from "../../../lib/api/client";
import {
  BOOK_COMMANDS,
  aCase,
  anObservable,
  answerFromBook,
  memoryBook,
  type MemoryBook,
} from "../../../testing/fakeCore";
import { renderWithQueries } from "../../../testing/render";
import { CaseView } from "../CaseView";

vi.mock("../../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../lib/api/client")>()),
  ...(await import("../../../testing/render")).caseViewClientMocks(),
}));

configure({ asyncUtilTimeout: 5_000 });

const mocked = vi.mocked(client);
const ID = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";
let book: MemoryBook;

function useBook(b: MemoryBook) {
  book = b;
  answerFromBook(mocked, b, BOOK_COMMANDS);
  // The case's count follows the book, as the core keeps total_observables.
  mocked.getCase.mockImplementation(async () => aCase(7, { id: ID, total_observables: book.state.observables.length }));
}

function renderTab() {
  return renderWithQueries(<CaseView space="default" id={ID} tab="observables" />);
}

const table = () => screen.getByRole("table", { name: "Observables of this case" });
const valueBox = () => screen.getByLabelText("Value", { selector: "#obs-add-value" }) as HTMLInputElement;

beforeEach(() => {
  useBook(
    memoryBook({
      observables: [
        anObservable(1, { description: "C2 server" }),
        anObservable(2, { type_key: "observable-type-domain", type_label: "Domain", value: "evil.example.com" }),
      ],
      customTypes: [{ key: "ja3", label: "JA3 fingerprint" }],
    }),
  );
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

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
    await waitFor(() => expect(type.options.length).toBe(9));
    expect(type.options[8].textContent).toBe("JA3 fingerprint");

    fireEvent.change(type, { target: { value: "observable-type-hostname" } });
    fireEvent.change(valueBox(), { target: { value: "ws-0142" } });
    fireEvent.change(screen.getByLabelText(/Description/, { selector: "#obs-add-description" }), { target: { value: "Patient zero" } });
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    await waitFor(() =>
      expect(mocked.addObservable).toHaveBeenCalledWith(ID, { type_key: "observable-type-hostname", value: "ws-0142", description: "Patient zero" }),
    );
    expect(await within(table()).findByText("ws-0142")).toBeTruthy();
    await waitFor(() => expect(valueBox().value).toBe(""));
    expect(await screen.findByText("3 of 50")).toBeTruthy();
    expect(await screen.findByRole("tab", { name: "Observables (3)" })).toBeTruthy();
  });

  it("shows the core's verdict next to the value, an empty one included", async () => {
    renderTab();
    await screen.findByRole("table", { name: "Observables of this case" });
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    expect((await screen.findByRole("alert")).textContent).toBe("value: cannot be an empty string");
    expect(valueBox().getAttribute("aria-invalid")).toBe("true");

    fireEvent.change(valueBox(), { target: { value: "999.1.1.1" } });
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    const error = await screen.findByRole("alert");
    expect(error.textContent).toBe('value: "999.1.1.1" is not an IPv4 address (like 192.0.2.10)');
    expect(error.id).toBe("obs-add-value-error");
    expect(valueBox().getAttribute("aria-invalid")).toBe("true");
    expect(valueBox().value).toBe("999.1.1.1");
  });

  it("says so inline when the case already has the value", async () => {
    renderTab();
    await screen.findByRole("table", { name: "Observables of this case" });
    fireEvent.change(valueBox(), { target: { value: "192.0.2.1" } });
    fireEvent.click(screen.getByRole("button", { name: "Add observable" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Value: this case already has this IPv4 observable.");
    expect(book.state.observables).toHaveLength(2);
  });

  it("stops at 50 observables and says why", async () => {
    useBook(memoryBook({ observables: Array.from({ length: 50 }, (_, i) => anObservable(i + 1)) }));
    renderTab();
    expect(await screen.findByText("50 of 50")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Add observable" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/This case has 50 observables, the most a case can hold/)).toBeTruthy();
  });

  it("edits an observable in a dialog and deletes one after confirming", async () => {
    renderTab();
    fireEvent.click(await screen.findByRole("button", { name: "Edit IPv4 192.0.2.1" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit observable" });
    fireEvent.change(within(dialog).getByLabelText("Value"), { target: { value: "192.0.2.99" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(mocked.updateObservable).toHaveBeenCalledWith(ID, "obs-1", { type_key: "observable-type-ipv4", value: "192.0.2.99", description: "C2 server" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await within(table()).findByText("192.0.2.99")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Delete Domain evil.example.com" }));
    const confirm = await screen.findByRole("dialog", { name: "Delete this observable?" });
    expect(mocked.deleteObservable).not.toHaveBeenCalled();
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete observable" }));
    await waitFor(() => expect(mocked.deleteObservable).toHaveBeenCalledWith(ID, "obs-2"));
    await waitFor(() => expect(within(table()).queryByText("evil.example.com")).toBeNull());
  });

  it("keeps the edit dialog open with the core's error", async () => {
    renderTab();
    fireEvent.click(await screen.findByRole("button", { name: "Edit Domain evil.example.com" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit observable" });
    fireEvent.change(within(dialog).getByLabelText("Type"), { target: { value: "observable-type-ipv4" } });
    fireEvent.change(within(dialog).getByLabelText("Value"), { target: { value: "192.0.2.1" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Value: this case already has this IPv4 observable.");
  });
});
