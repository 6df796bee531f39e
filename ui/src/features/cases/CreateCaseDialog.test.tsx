// The create form's placing of a core error, for an answer the real core never sends (a message
// whose words name another field than its `field`): the field is data, the message is only shown.
// Also the keyboard of its suggestion lists and what becomes of half-typed tags, which need no
// core. Everything else is checked against the real core in CreateCaseDialog.core.test.tsx.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { CaseConfiguration } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { CreateCaseDialog } from "./CreateCaseDialog";
import { aCase, aUser } from "../../testing/builders";
import { renderWithQueries } from "../../testing/render";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  createCase: vi.fn(),
  createAndPush: vi.fn(),
  checkCaseCreate: vi.fn(async () => null),
  getConfiguration: vi.fn(),
  listUsers: vi.fn(async () => []),
  profile: vi.fn(),
  listTags: vi.fn(async () => []),
  listCategories: vi.fn(async () => []),
  listConnectors: vi.fn(async () => []),
  getDraft: vi.fn(async () => null),
  saveDraft: vi.fn(async () => null),
}));

const mocked = vi.mocked(client);

const CONFIG: CaseConfiguration = {
  space: "default",
  version: "2",
  closure_type: "close-by-user",
  custom_fields: [],
  templates: [],
  observable_types: [],
  max_observables: 50,
  observable_type_priority: [],
  sla: [],
};

beforeEach(() => {
  localStorage.clear();
  mocked.getConfiguration.mockResolvedValue(CONFIG);
  mocked.profile.mockResolvedValue(aUser());
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("CreateCaseDialog", () => {
  it("places the core's error by its field, whatever the message says", async () => {
    renderWithQueries(<CreateCaseDialog space="default" onClose={vi.fn()} onCreated={vi.fn()} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "T" } });
    // The field is data: the message is shown as it is and never read for a field name.
    mocked.createCase.mockRejectedValueOnce({ code: "validation", message: "title: too many tags", field: "tags[1]" });
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    expect(await screen.findAllByText("title: too many tags")).toHaveLength(2); // banner + next to Tags
    expect(document.getElementById("create-tags")!.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById("create-tags-error")!.textContent).toBe("title: too many tags");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).not.toBe("true");
    expect(document.activeElement?.id).toBe("create-tags");
  });

  it("Esc closes an open suggestion list first, and the dialog only with a second Esc", async () => {
    mocked.listTags.mockResolvedValue(["phishing", "phishing-kit", "okta"]);
    const onClose = vi.fn();
    renderWithQueries(<CreateCaseDialog space="default" onClose={onClose} onCreated={vi.fn()} />);
    const tags = screen.getByRole("combobox", { name: "Tags" });
    fireEvent.focus(tags);
    fireEvent.change(tags, { target: { value: "phi" } });
    expect(within(await screen.findByRole("listbox")).getAllByRole("option")).toHaveLength(2);
    fireEvent.keyDown(tags, { key: "Escape" });
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(tags.getAttribute("aria-expanded")).toBe("false");
    expect(onClose).not.toHaveBeenCalled();
    // What was typed stays.
    expect((tags as HTMLInputElement).value).toBe("phi");
    fireEvent.keyDown(tags, { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("Enter takes the only suggestion left, in Tags and in Category", async () => {
    mocked.listTags.mockResolvedValue(["phishing", "okta"]);
    mocked.listCategories.mockResolvedValue(["Endpoint", "Email"]);
    renderWithQueries(<CreateCaseDialog space="default" onClose={vi.fn()} onCreated={vi.fn()} />);
    const tags = screen.getByRole("combobox", { name: "Tags" });
    fireEvent.focus(tags);
    fireEvent.change(tags, { target: { value: "phi" } });
    // Shown as chosen before Enter is pressed.
    const only = await screen.findByRole("option", { name: "phishing" });
    expect(only.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(tags, { key: "Enter" });
    expect(within(screen.getByRole("list", { name: "Tags" })).getByText("phishing")).toBeTruthy();
    expect((tags as HTMLInputElement).value).toBe("");

    const category = screen.getByLabelText("Category");
    fireEvent.focus(category);
    fireEvent.change(category, { target: { value: "end" } });
    await screen.findByRole("option", { name: "Endpoint" });
    fireEvent.keyDown(category, { key: "Enter" });
    expect((category as HTMLInputElement).value).toBe("Endpoint");
  });

  it("keeps half-typed tag text as text when the field is left, with a hint", async () => {
    renderWithQueries(<CreateCaseDialog space="default" onClose={vi.fn()} onCreated={vi.fn()} />);
    const tags = screen.getByRole("combobox", { name: "Tags" }) as HTMLInputElement;
    fireEvent.focus(tags);
    fireEvent.change(tags, { target: { value: "phish" } });
    fireEvent.blur(tags);
    expect(tags.value).toBe("phish");
    expect(within(screen.getByRole("list", { name: "Tags" })).queryByText("phish")).toBeNull();
    const hint = screen.getByText("Not a tag yet: press Enter to add it.");
    expect(tags.getAttribute("aria-describedby")).toContain(hint.id);
  });

  it("asks about half-typed tag text on Create: add it as a tag, or create without it", async () => {
    mocked.createCase.mockImplementation(async (_space, input) => aCase(1, { title: input.title, tags: input.tags }));
    const onCreated = vi.fn();
    renderWithQueries(<CreateCaseDialog space="default" onClose={vi.fn()} onCreated={onCreated} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Phishing wave" } });
    const tags = screen.getByRole("combobox", { name: "Tags" });
    fireEvent.change(tags, { target: { value: "okta" } });
    fireEvent.keyDown(tags, { key: "Enter" });
    fireEvent.change(tags, { target: { value: "phish" } });
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    expect(mocked.createCase).not.toHaveBeenCalled();
    const question = screen.getByRole("alert");
    expect(question.textContent).toContain("“phish” in Tags is not added yet.");
    // Focused, so Enter answers.
    expect(document.activeElement).toBe(within(question).getByRole("button", { name: "Add tag and create" }));
    await act(async () => fireEvent.click(within(question).getByRole("button", { name: "Add tag and create" })));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(mocked.createCase).toHaveBeenCalledWith("default", expect.objectContaining({ tags: ["okta", "phish"] }));
  });

  it("creates without the half-typed tag text when told so", async () => {
    mocked.createCase.mockImplementation(async (_space, input) => aCase(1, { title: input.title, tags: input.tags }));
    const onCreated = vi.fn();
    renderWithQueries(<CreateCaseDialog space="default" onClose={vi.fn()} onCreated={onCreated} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Phishing wave" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Tags" }), { target: { value: "phish" } });
    // Ctrl+Enter, even in the tag box, submits as the button does, and asks the same.
    fireEvent.keyDown(screen.getByRole("combobox", { name: "Tags" }), { key: "Enter", ctrlKey: true });
    expect(screen.getByRole("alert").textContent).toContain("“phish” in Tags is not added yet.");
    await act(async () => fireEvent.click(await screen.findByRole("button", { name: "Create without it" })));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(mocked.createCase).toHaveBeenCalledWith("default", expect.objectContaining({ tags: [] }));
  });

  it("sends the analyst to Settings → People for an unknown assignee", async () => {
    renderWithQueries(<CreateCaseDialog space="default" onClose={vi.fn()} onCreated={vi.fn()} />);
    const assignees = screen.getByLabelText("Assignees");
    fireEvent.change(assignees, { target: { value: "zed" } });
    fireEvent.keyDown(assignees, { key: "Enter" });
    expect(screen.getByText('"zed" is not a known user. Add teammates in Settings → People.')).toBeTruthy();
  });
});
