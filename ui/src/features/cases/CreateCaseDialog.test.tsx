import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Case, CaseConfiguration, OutboxItem } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { CreateCaseDialog } from "./CreateCaseDialog";
import { DRAFT_KEY } from "./draft";
import { aUser } from "../../testing/fakeCore";
import { FAKE_METADATA, answerFromConnectors, connectorFake } from "../../testing/fakeConnectors";
import { wireValidation } from "../../testing/wireErrors";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return {
    ...actual,
    createCase: vi.fn(),
    createAndPush: vi.fn(),
    checkCaseCreate: vi.fn(async () => null),
    getConfiguration: vi.fn(),
    listUsers: vi.fn(),
    profile: vi.fn(),
    listTags: vi.fn(async () => ["phishing", "okta"]),
    listCategories: vi.fn(async () => ["Email", "Endpoint"]),
    ...(await import("../../testing/render")).connectorClientMocks(),
  };
});

const mocked = vi.mocked(client);

const CONFIG: CaseConfiguration = {
  space: "default",
  version: "2",
  closure_type: "close-by-user",
  custom_fields: [
    { key: "risk", label: "Risk score", type: "number", required: true },
    { key: "ticket", label: "Ticket", type: "text", required: false, default_value: "INC-0" },
  ],
  templates: [
    {
      key: "phish",
      name: "Phishing report",
      description: "For reported emails",
      tags: [],
      case_fields: { title: "Phishing: ", severity: "high", tags: ["phishing"], assignees: [{ uid: "bob" }], custom_fields: [{ key: "risk", type: "number", value: 70 }] },
    },
  ],
  observable_types: [],
};

function renderDialog(onCreated = vi.fn(), onPushRefused = vi.fn()) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <CreateCaseDialog space="default" onClose={vi.fn()} onCreated={onCreated} onPushRefused={onPushRefused} />
    </QueryClientProvider>,
  );
  return onCreated;
}

const value = (label: string | RegExp) => (screen.getByLabelText(label) as HTMLInputElement).value;

beforeEach(() => {
  vi.clearAllMocks();
  localStorage.clear();
  mocked.getConfiguration.mockResolvedValue(CONFIG);
  mocked.profile.mockResolvedValue(aUser());
  mocked.listUsers.mockResolvedValue([
    aUser(),
    { username: "bob", full_name: "Bob Builder", email: null },
  ]);
  mocked.listConnectors.mockResolvedValue([]);
});
afterEach(() => cleanup());

describe("CreateCaseDialog", () => {
  it("the core's refusal of a required custom field goes to it; defaults are pre-filled and sent", async () => {
    const onCreated = renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Suspicious login" } });
    expect(await screen.findByDisplayValue("INC-0")).toBeTruthy();
    mocked.createCase.mockRejectedValueOnce(wireValidation("custom_fields.risk", "is required"));
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    // Beside the field, without its path; the banner above the form gives the whole sentence.
    expect(await screen.findByText("is required")).toBeTruthy();
    expect(screen.getByText(/The case was not created/).closest("div")!.textContent).toContain("custom_fields.risk: is required");
    expect(document.activeElement?.id).toBe("create-cf-risk");
    expect(mocked.createCase.mock.calls[0][1].custom_fields[0]).toEqual({ key: "risk", type: "number", value: null });

    fireEvent.change(screen.getByLabelText("Risk score"), { target: { value: "55" } });
    fireEvent.click(screen.getByRole("button", { name: "Assign yourself" }));
    fireEvent.click(screen.getByRole("switch", { name: /Sync alerts/ }));
    mocked.createCase.mockResolvedValueOnce({ id: "x" } as Case);
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(mocked.createCase).toHaveBeenCalledWith("default", {
      title: "Suspicious login",
      description: "",
      tags: [],
      severity: "low",
      assignees: [{ uid: "ana" }],
      custom_fields: [
        { key: "risk", type: "number", value: 55 },
        { key: "ticket", type: "text", value: "INC-0" },
      ],
      settings: { sync_alerts: false, extract_observables: true },
    });
  });

  it("shows the core's custom field error next to that field", async () => {
    renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "T" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "1" } });
    mocked.createCase.mockRejectedValueOnce(wireValidation("custom_fields.risk", "must be between -1 and 1 (got 1)"));
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    expect(await screen.findByText("must be between -1 and 1 (got 1)")).toBeTruthy();
    expect(screen.getByLabelText("Risk score").getAttribute("aria-invalid")).toBe("true");
  });

  it("places the core's error by its field, whatever the message says", async () => {
    renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "T" } });
    // The field is data: the message is shown as it is and never read for a field name.
    mocked.createCase.mockRejectedValueOnce({ code: "validation", message: "title: too many tags", field: "tags[1]" });
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    expect(await screen.findAllByText("title: too many tags")).toHaveLength(2); // banner + next to Tags
    expect(document.getElementById("create-tags")!.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById("create-tags-error")!.textContent).toBe("title: too many tags");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).not.toBe("true");
  });

  it("a template fills the form, after confirming when it would overwrite typed text", async () => {
    renderDialog();
    const picker = await screen.findByLabelText("Template");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "My own title" } });
    fireEvent.change(picker, { target: { value: "phish" } });
    expect(screen.getByText(/replaces what you typed in/).textContent).toContain("Name");
    fireEvent.click(screen.getByRole("button", { name: "Keep my text" }));
    expect(value("Name")).toBe("My own title");

    fireEvent.change(picker, { target: { value: "phish" } });
    fireEvent.click(screen.getByRole("button", { name: "Apply template" }));
    expect(value("Name")).toBe("Phishing: ");
    expect(value("Severity")).toBe("high");
    expect(value("Risk score")).toBe("70");
    expect(screen.getByText("For reported emails")).toBeTruthy();
    expect(screen.getByRole("list", { name: "Assignees" }).textContent).toContain("Bob Builder");
    expect(screen.getByRole("list", { name: "Tags" }).textContent).toContain("phishing");
    // Everything the template set is in the draft too.
    const draft = JSON.parse(localStorage.getItem(DRAFT_KEY)!);
    expect(draft).toMatchObject({ template: "phish", assignees: ["bob"], customFields: { risk: 70 }, severity: "high" });
  });

  it("suggests existing categories and known assignees in accessible lists", async () => {
    renderDialog();
    const category = screen.getByLabelText("Category");
    fireEvent.change(category, { target: { value: "end" } });
    const options = within(await screen.findByRole("listbox")).getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual(["Endpoint"]);
    fireEvent.keyDown(category, { key: "ArrowDown" });
    fireEvent.keyDown(category, { key: "Enter" });
    expect(value("Category")).toBe("Endpoint");

    const assignees = screen.getByLabelText("Assignees");
    await screen.findByRole("button", { name: "Assign yourself" });
    fireEvent.change(assignees, { target: { value: "zed" } });
    fireEvent.keyDown(assignees, { key: "Enter" });
    expect(screen.getByText(/"zed" is not a known user/)).toBeTruthy();
    fireEvent.change(assignees, { target: { value: "bob" } });
    fireEvent.keyDown(assignees, { key: "Enter" });
    expect(screen.getByRole("list", { name: "Assignees" }).textContent).toContain("Bob Builder");
  });

  it("extracts observables unless turned off, and sends the choice", async () => {
    const onCreated = renderDialog();
    const extract = screen.getByRole("switch", { name: /Extract observables from alerts/ }) as HTMLInputElement;
    expect(extract.checked).toBe(true);
    fireEvent.click(extract);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    mocked.createCase.mockResolvedValueOnce({ id: "x" } as Case);
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(mocked.createCase.mock.calls[0][1].settings).toEqual({ sync_alerts: true, extract_observables: false });
  });

  it("offers no External incident section while the space has no connector", async () => {
    renderDialog();
    await screen.findByLabelText("Risk score");
    expect(screen.queryByLabelText("Connector")).toBeNull();
  });

  it("creates the case with its connector and fields, then pushes it, as Kibana does", async () => {
    const fake = connectorFake({ findCase: () => undefined });
    answerFromConnectors(mocked, fake);
    const k = fake.add(
      "default",
      { name: "SOC Jira", kind: "jira", url: "https://soc.atlassian.net", project_key: "SEC", username: "ana@example.org", secret: "t" },
      { metadata: structuredClone(FAKE_METADATA.jira), metadata_fetched_at: "2026-11-27T09:00:00Z" },
    );
    const onPushRefused = vi.fn();
    const onCreated = renderDialog(vi.fn(), onPushRefused);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    fireEvent.change(await screen.findByLabelText("Connector"), { target: { value: k.id } });
    const priority = screen.getByLabelText("Priority") as HTMLSelectElement;
    fireEvent.change(priority, { target: { value: priority.options[1].value } });
    expect((screen.getByRole("switch", { name: /^Push to SOC Jira when the case is created/ }) as HTMLInputElement).checked).toBe(true);
    // Created and pushed in one call; Jira refused the push: the page says why.
    const item = { id: 7, last_error: "Jira refused the issue (400): priority is not valid" } as OutboxItem;
    mocked.createAndPush.mockResolvedValueOnce({ case: { id: "x", title: "Beaconing" } as Case, push: { outcome: "failed", item } });
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: "x" })));
    expect(onPushRefused).toHaveBeenCalledWith(
      "Case “Beaconing” was created but not pushed: Jira refused the issue (400): priority is not valid",
    );
    expect(mocked.createAndPush.mock.calls[0][1].connector).toEqual({
      id: k.id,
      name: "SOC Jira",
      type: ".jira",
      fields: { priority: priority.options[1].value },
    });
    expect(mocked.createCase).not.toHaveBeenCalled();
    expect(mocked.pushCase).not.toHaveBeenCalled();
  });

  it("shows the core's check of the form while typing, before Create case", async () => {
    renderDialog();
    mocked.checkCaseCreate.mockRejectedValue(wireValidation("custom_fields.risk", "is required"));
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    await waitFor(() => expect(screen.getByText("is required")).toBeTruthy(), { timeout: 2000 });
    expect(screen.queryByText(/The case was not created/)).toBeNull();
    expect(mocked.checkCaseCreate.mock.calls.at(-1)?.[1].title).toBe("Beaconing");
    expect(mocked.createCase).not.toHaveBeenCalled();
    // Fixed: the check passes and the message goes.
    mocked.checkCaseCreate.mockResolvedValue(null);
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    await waitFor(() => expect(screen.queryByText("is required")).toBeNull(), { timeout: 2000 });
  });

  it("keeps the connector in the draft and pushes nothing when told not to", async () => {
    const fake = connectorFake({ findCase: () => undefined });
    answerFromConnectors(mocked, fake);
    const k = fake.add("default", { name: "SNOW", kind: "servicenow-itsm", url: "https://soc.service-now.com", username: "c", secret: "p" });
    localStorage.setItem(DRAFT_KEY, JSON.stringify({ title: "Half", connector: k.id, pushOnCreate: false }));
    const onCreated = renderDialog();
    expect(((await screen.findByLabelText("Connector")) as HTMLSelectElement).value).toBe(k.id);
    expect(screen.getByText(/were never fetched/)).toBeTruthy();
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    mocked.createCase.mockResolvedValueOnce({ id: "y" } as Case);
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(mocked.createCase.mock.calls[0][1].connector).toMatchObject({ id: k.id, type: ".servicenow", fields: {} });
    expect(mocked.pushCase).not.toHaveBeenCalled();
  });

  it("restores a draft with every new field", async () => {
    localStorage.setItem(
      DRAFT_KEY,
      JSON.stringify({ title: "Half", assignees: ["bob"], customFields: { risk: "12" }, syncAlerts: false, template: "phish" }),
    );
    renderDialog();
    expect(value("Name")).toBe("Half");
    expect(await screen.findByDisplayValue("12")).toBeTruthy();
    expect((screen.getByRole("switch", { name: /Sync alerts/ }) as HTMLInputElement).checked).toBe(false);
    expect(value("Template")).toBe("phish");
    await waitFor(() => expect(screen.getByRole("list", { name: "Assignees" }).textContent).toContain("Bob Builder"));
  });
});
