import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { CaseConfiguration, Template } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import type { SettingsSection } from "../../lib/route";
import { SettingsPage } from "./SettingsPage";
import { aUser, idStatus } from "../../testing/builders";
import { BUILTIN_OBSERVABLE_TYPES } from "../case-view/observables/observableTypes";
import { wireValidation } from "../../testing/wireErrors";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return {
    ...actual,
    getConfiguration: vi.fn(),
    updateConfiguration: vi.fn(),
    profile: vi.fn(),
    setProfile: vi.fn(),
    listUsers: vi.fn(),
    addUser: vi.fn(),
    removeUser: vi.fn(),
    listSpaces: vi.fn(),
    createSpace: vi.fn(),
    idTaskStatus: vi.fn(),
    setIdInterval: vi.fn(),
    assignIds: vi.fn(),
    listTags: vi.fn(async () => ["phishing"]),
    listCategories: vi.fn(async () => ["Email"]),
    observableTypes: vi.fn(),
    getAlertSource: vi.fn(async () => null),
    listConnectors: vi.fn(async () => []),
    listOutbox: vi.fn(async () => []),
    secretStoreStatus: vi.fn(async () => ({
      store: "os-keychain",
      file_path: "/data/casebook.db.secrets.age",
      file_exists: false,
      unlocked: false,
      keychain_problem: null,
      secrets_in_use: 0,
    })),
  };
});

const mocked = vi.mocked(client);

const config = (patch: Partial<CaseConfiguration> = {}): CaseConfiguration => ({
  space: "default",
  version: "3",
  closure_type: "close-by-user",
  custom_fields: [],
  templates: [],
  observable_types: [],
  max_observables: 50,
  observable_type_priority: [],
  sla: [],
  ...patch,
});

const template = (n: number): Template => ({ key: `t${n}`, name: `Template ${n}`, tags: [], case_fields: {} });

function renderPage(section?: SettingsSection) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <SettingsPage space="default" section={section} />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  vi.clearAllMocks();
  mocked.getConfiguration.mockResolvedValue(config());
  mocked.observableTypes.mockImplementation(async () => [...BUILTIN_OBSERVABLE_TYPES]);
  mocked.idTaskStatus.mockResolvedValue(idStatus());
  mocked.profile.mockResolvedValue(aUser());
  mocked.listUsers.mockResolvedValue([
    aUser(),
    { username: "bob", full_name: null, email: "bob@example.org" },
  ]);
  mocked.listSpaces.mockResolvedValue([
    { name: "default", created_at: "2026-01-01T00:00:00Z", total_cases: 12 },
    { name: "red-team", created_at: "2026-02-01T00:00:00Z", total_cases: 0 },
  ]);
});
afterEach(() => cleanup());

describe("SettingsPage: case settings", () => {
  it("saves the closure option and says so", async () => {
    mocked.updateConfiguration.mockResolvedValueOnce(config({ version: "4", closure_type: "close-by-pushing" }));
    renderPage();
    fireEvent.click(await screen.findByLabelText(/Automatically close cases when pushing/));
    await waitFor(() =>
      expect(mocked.updateConfiguration).toHaveBeenCalledWith("default", { version: "3", closure_type: "close-by-pushing" }),
    );
    expect(await screen.findByText(/Case closure set to/)).toBeTruthy();
    expect((screen.getByLabelText(/Automatically close cases when pushing/) as HTMLInputElement).checked).toBe(true);
  });

  it("adds a custom field with a key made from the label and a typed default", async () => {
    renderPage("custom-fields");
    fireEvent.click(await screen.findByRole("button", { name: "Add field" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText("Label"), { target: { value: "Risk score" } });
    expect((within(dialog).getByLabelText("Key") as HTMLInputElement).value).toBe("risk_score");
    // The flag `casebook case create` and `case update` take for custom field values.
    expect(within(dialog).getByText(/--custom-field KEY=VALUE/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText("Type"), { target: { value: "number" } });
    // "4.5" goes as typed; the core refuses it next to the default.
    mocked.updateConfiguration.mockRejectedValueOnce(wireValidation("custom_fields[0].default_value", 'must be an integer (got "4.5")'));
    fireEvent.change(within(dialog).getByLabelText(/Default value/), { target: { value: "4.5" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findAllByText('custom_fields[0].default_value: must be an integer (got "4.5")')).toHaveLength(2);
    expect(mocked.updateConfiguration).toHaveBeenLastCalledWith("default", {
      version: "3",
      custom_fields: [{ key: "risk_score", label: "Risk score", type: "number", required: false, default_value: "4.5" }],
    });
    mocked.updateConfiguration.mockImplementationOnce(async (_space, patch) => config({ version: "4", custom_fields: patch.custom_fields }));

    fireEvent.change(within(dialog).getByLabelText(/Default value/), { target: { value: "40" } });
    fireEvent.click(within(dialog).getByLabelText("Required"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.updateConfiguration).toHaveBeenCalledWith("default", {
      version: "3",
      custom_fields: [{ key: "risk_score", label: "Risk score", type: "number", required: true, default_value: 40 }],
    });
    expect(await screen.findByText("✓ Custom field “Risk score” saved.")).toBeTruthy();
    expect(screen.getByRole("cell", { name: "risk_score" })).toBeTruthy();
  });

  it("shows the core's validation error next to the field it names and keeps the dialog open", async () => {
    mocked.updateConfiguration.mockRejectedValueOnce(wireValidation("custom_fields[0].key", "\"x\" is used twice"));
    renderPage("custom-fields");
    fireEvent.click(await screen.findByRole("button", { name: "Add field" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText("Label"), { target: { value: "X" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findAllByText(/is used twice/)).toHaveLength(2); // banner + next to Key
    expect(within(dialog).getByLabelText("Key").getAttribute("aria-invalid")).toBe("true");
    expect((within(dialog).getByLabelText("Label") as HTMLInputElement).value).toBe("X");
  });

  it("on a conflict, keeps what was typed and can reload and save it again", async () => {
    mocked.updateConfiguration.mockRejectedValueOnce({
      code: "conflict",
      message: "case settings of space default was changed since you loaded it: you sent version 3, the current version is 4.",
    });
    renderPage("custom-fields");
    fireEvent.click(await screen.findByRole("button", { name: "Add field" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText("Label"), { target: { value: "Ticket" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText(/changed elsewhere/)).toBeTruthy();
    expect((within(dialog).getByLabelText("Label") as HTMLInputElement).value).toBe("Ticket");

    // Meanwhile the CLI added a field: the retry keeps it and adds ours on top.
    const cli = { key: "owner", label: "Owner", type: "text" as const, required: false };
    mocked.getConfiguration.mockResolvedValue(config({ version: "4", custom_fields: [cli] }));
    mocked.updateConfiguration.mockImplementationOnce(async (_s, patch) => config({ version: "5", custom_fields: patch.custom_fields }));
    fireEvent.click(within(dialog).getByRole("button", { name: /Reload settings and save my change again/ }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.updateConfiguration).toHaveBeenLastCalledWith("default", {
      version: "4",
      custom_fields: [cli, { key: "ticket", label: "Ticket", type: "text", required: false }],
    });
  });

  it("deleting a custom field also drops its value from templates", async () => {
    const t: Template = { ...template(1), case_fields: { custom_fields: [{ key: "risk", type: "number", value: 3 }] } };
    mocked.getConfiguration.mockResolvedValue(
      config({ custom_fields: [{ key: "risk", label: "Risk", type: "number", required: false }], templates: [t] }),
    );
    mocked.updateConfiguration.mockResolvedValueOnce(config({ version: "4" }));
    renderPage("custom-fields");
    fireEvent.click(await screen.findByRole("button", { name: "Delete Risk" }));
    fireEvent.click(await screen.findByRole("button", { name: "Delete field" }));
    await waitFor(() =>
      expect(mocked.updateConfiguration).toHaveBeenCalledWith("default", {
        version: "3",
        custom_fields: [],
        templates: [{ ...t, case_fields: { custom_fields: [] } }],
      }),
    );
  });

  it("disables Add template at 10 and says why", async () => {
    mocked.getConfiguration.mockResolvedValue(config({ templates: Array.from({ length: 10 }, (_, i) => template(i)) }));
    renderPage("templates");
    const add = await screen.findByRole("button", { name: "Add template" });
    expect((add as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/has 10 templates, the most allowed/)).toBeTruthy();
  });

  it("adds a template with its case fields", async () => {
    mocked.getConfiguration.mockResolvedValue(config({ custom_fields: [{ key: "risk", label: "Risk", type: "number", required: true }] }));
    mocked.updateConfiguration.mockImplementationOnce(async (_s, patch) => config({ version: "4", templates: patch.templates }));
    renderPage("templates");
    fireEvent.click(await screen.findByRole("button", { name: "Add template" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByText(/never changes cases already created/)).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText("Template name"), { target: { value: "Phishing report" } });
    fireEvent.change(within(dialog).getByLabelText("Case name"), { target: { value: "Phishing: " } });
    fireEvent.change(within(dialog).getByLabelText("Severity"), { target: { value: "high" } });
    fireEvent.change(within(dialog).getByLabelText("Case tags"), { target: { value: "phishing," } });
    fireEvent.change(within(dialog).getByLabelText(/^Risk/), { target: { value: "70" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save template" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.updateConfiguration).toHaveBeenCalledWith("default", {
      version: "3",
      templates: [
        {
          key: "phishing_report",
          name: "Phishing report",
          tags: [],
          case_fields: {
            title: "Phishing:",
            tags: ["phishing"],
            severity: "high",
            custom_fields: [{ key: "risk", type: "number", value: 70 }],
            settings: { sync_alerts: true, extract_observables: true },
          },
        },
      ],
    });
    expect(await screen.findByText(/Fills in name “Phishing:”, high severity, 1 tag, 1 custom field value/)).toBeTruthy();
  });

  it("formats a template's case description with the Markdown toolbar", async () => {
    mocked.updateConfiguration.mockImplementationOnce(async (_s, patch) => config({ version: "4", templates: patch.templates }));
    renderPage("templates");
    fireEvent.click(await screen.findByRole("button", { name: "Add template" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText("Template name"), { target: { value: "Phishing report" } });
    const area = within(dialog).getByLabelText("Case description") as HTMLTextAreaElement;
    fireEvent.change(area, { target: { value: "Check the sender" } });
    area.setSelectionRange(0, area.value.length);
    fireEvent.click(within(within(dialog).getByRole("toolbar", { name: "Case description formatting" })).getByRole("button", { name: "Quote" }));
    expect(area.value).toBe("> Check the sender");
    fireEvent.click(within(dialog).getByRole("button", { name: "Save template" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const saved = mocked.updateConfiguration.mock.calls[0][1].templates![0];
    expect(saved.case_fields.description).toBe("> Check the sender");
  });

  it("puts the core's refusal of a template's case field next to that input, by its field path", async () => {
    mocked.getConfiguration.mockResolvedValue(config({ custom_fields: [{ key: "risk", label: "Risk", type: "number", required: true }] }));
    renderPage("templates");
    fireEvent.click(await screen.findByRole("button", { name: "Add template" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText("Template name"), { target: { value: "Phishing report" } });
    mocked.updateConfiguration.mockRejectedValueOnce(wireValidation("templates[0].case_fields.category", "at most 50 characters (got 51)"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Save template" }));
    expect(await within(dialog).findAllByText("templates[0].case_fields.category: at most 50 characters (got 51)")).toHaveLength(2);
    expect(document.getElementById("tpl-category-error")!.textContent).toBe("templates[0].case_fields.category: at most 50 characters (got 51)");

    mocked.updateConfiguration.mockRejectedValueOnce(wireValidation("templates[0].case_fields.custom_fields.risk", 'must be an integer (got "x")'));
    fireEvent.change(within(dialog).getByLabelText(/^Risk/), { target: { value: "x" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save template" }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Risk/).getAttribute("aria-invalid")).toBe("true"));
    expect(document.activeElement?.id).toBe("tpl-cf-risk");
    expect((dialog.querySelector("#tpl-category") as HTMLElement).getAttribute("aria-invalid")).not.toBe("true");
  });

  it("has the space's Elasticsearch alert source, even before the case settings load", async () => {
    mocked.getConfiguration.mockReturnValue(new Promise(() => {}));
    renderPage("alert-source");
    expect(await screen.findByRole("region", { name: "Alert source (Elasticsearch)" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Alert source" }).getAttribute("href")).toBe("#/settings/alert-source");
    expect(mocked.getAlertSource).toHaveBeenCalledWith("default");
  });

  it("says when the settings cannot be loaded", async () => {
    mocked.getConfiguration.mockRejectedValue({ code: "not_found", message: "space not found: default" });
    renderPage();
    expect(await screen.findByText("space not found: default")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});

describe("SettingsPage: observable types", () => {
  const section = async () => within((await screen.findByRole("heading", { name: "Observable types" })).closest("section")!);

  it("lists the eight built-in types read-only and the limits", async () => {
    renderPage("observable-types");
    const s = await section();
    const builtin = s.getByRole("list", { name: "Built-in observable types" });
    await waitFor(() => expect(within(builtin).getAllByRole("listitem")).toHaveLength(8));
    expect(within(builtin).queryByRole("button")).toBeNull();
    expect(s.getByText(/up to 10 of its own \(a label of at most 50 characters, a key of at most 36/)).toBeTruthy();
    expect(s.getByText(/0 of 10 used/)).toBeTruthy();
    expect(s.getByText("No custom types yet.")).toBeTruthy();
  });

  it("adds a type with a key made from its label, the core checking both", async () => {
    renderPage("observable-types");
    const s = await section();
    mocked.updateConfiguration.mockRejectedValueOnce(wireValidation("observable_types[0].key", '"Bad Key" may only hold lowercase letters, digits, _ and -'));
    fireEvent.change(s.getByLabelText("Label"), { target: { value: "ipv4" } });
    fireEvent.change(s.getByLabelText("Key"), { target: { value: "Bad Key" } });
    expect(s.getByText("7/36")).toBeTruthy();
    fireEvent.click(s.getByRole("button", { name: "Add type" }));
    expect(await s.findByText('observable_types[0].key: "Bad Key" may only hold lowercase letters, digits, _ and -')).toBeTruthy();
    expect(s.getByLabelText("Key").getAttribute("aria-invalid")).toBe("true");
    mocked.updateConfiguration.mockImplementationOnce(async (_s, patch) => config({ version: "4", observable_types: patch.observable_types }));

    fireEvent.change(s.getByLabelText("Key"), { target: { value: "" } });
    fireEvent.change(s.getByLabelText("Label"), { target: { value: "JA3 fingerprint" } });
    // The key was typed: it is no longer derived from the label.
    expect((s.getByLabelText("Key") as HTMLInputElement).value).toBe("");
    fireEvent.change(s.getByLabelText("Key"), { target: { value: "ja3_fingerprint" } });
    fireEvent.click(s.getByRole("button", { name: "Add type" }));
    await waitFor(() =>
      expect(mocked.updateConfiguration).toHaveBeenCalledWith("default", {
        version: "3",
        observable_types: [{ key: "ja3_fingerprint", label: "JA3 fingerprint" }],
      }),
    );
    expect(await s.findByText("✓ Observable type “JA3 fingerprint” added.")).toBeTruthy();
    expect(s.getByRole("cell", { name: "ja3_fingerprint" })).toBeTruthy();
    expect(mocked.observableTypes.mock.calls.length).toBeGreaterThan(1);
  });

  it("derives the key from the label until the key is edited", async () => {
    renderPage("observable-types");
    const s = await section();
    fireEvent.change(s.getByLabelText("Label"), { target: { value: "Mutex name" } });
    expect((s.getByLabelText("Key") as HTMLInputElement).value).toBe("mutex_name");
  });

  it("removes a type after a warning that its observables go from every case", async () => {
    mocked.getConfiguration.mockResolvedValue(config({ observable_types: [{ key: "ja3", label: "JA3" }, { key: "mutex", label: "Mutex" }] }));
    mocked.updateConfiguration.mockResolvedValueOnce(config({ version: "4", observable_types: [{ key: "mutex", label: "Mutex" }] }));
    renderPage("observable-types");
    const s = await section();
    fireEvent.click(await s.findByRole("button", { name: "Remove JA3" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove the observable type “JA3”?" });
    expect(within(dialog).getByText(/deleted from every case of this space/)).toBeTruthy();
    expect(mocked.updateConfiguration).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove type and its observables" }));
    await waitFor(() =>
      expect(mocked.updateConfiguration).toHaveBeenCalledWith("default", { version: "3", observable_types: [{ key: "mutex", label: "Mutex" }] }),
    );
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(s.queryByRole("cell", { name: "ja3" })).toBeNull();
  });

  it("disables Add at ten custom types", async () => {
    mocked.getConfiguration.mockResolvedValue(
      config({ observable_types: Array.from({ length: 10 }, (_, i) => ({ key: `t${i}`, label: `Type ${i}` })) }),
    );
    renderPage("observable-types");
    const s = await section();
    expect((await s.findByRole("button", { name: "Add type" }) as HTMLButtonElement).disabled).toBe(true);
    expect(s.getByText(/It has 10, the most allowed: remove one to add another/)).toBeTruthy();
  });

  it("shows the core's error next to the field it names", async () => {
    mocked.updateConfiguration.mockRejectedValueOnce(wireValidation("observable_types[0].label", '"Hash" is already used'));
    renderPage("observable-types");
    const s = await section();
    fireEvent.change(s.getByLabelText("Label"), { target: { value: "Hash" } });
    fireEvent.click(s.getByRole("button", { name: "Add type" }));
    expect(await s.findByText('observable_types[0].label: "Hash" is already used')).toBeTruthy();
    expect(s.getByLabelText("Label").getAttribute("aria-invalid")).toBe("true");
  });
});

describe("SettingsPage: people and spaces", () => {
  it("edits the profile and shows a field error from the core inline", async () => {
    renderPage("people");
    const fullName = await screen.findByLabelText("Full name (optional)", { selector: "#profile-full_name" });
    await waitFor(() => expect((fullName as HTMLInputElement).value).toBe("Ana Lytic"));
    mocked.setProfile.mockRejectedValueOnce(wireValidation("email", "is not an email address (got \"ana@corp.x\")"));
    fireEvent.change(screen.getByLabelText("Email (optional)", { selector: "#profile-email" }), { target: { value: "ana@corp.x" } });
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findAllByText(/is not an email address/)).toHaveLength(2);

    mocked.setProfile.mockResolvedValueOnce({ username: "ana", full_name: "Ana Lytic", email: "ana@corp.org" });
    fireEvent.change(screen.getByLabelText("Email (optional)", { selector: "#profile-email" }), { target: { value: "ana@corp.org" } });
    fireEvent.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByText("✓ Profile saved.")).toBeTruthy();
    expect(mocked.setProfile).toHaveBeenLastCalledWith({ username: "ana", full_name: "Ana Lytic", email: "ana@corp.org" });
  });

  it("lists teammates without the analyst, adds one, and removes one after confirming", async () => {
    renderPage("people");
    expect(await screen.findByRole("cell", { name: "bob" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Remove ana" })).toBeNull();

    mocked.addUser.mockRejectedValueOnce({ code: "already_exists", message: "user already exists: bob" });
    fireEvent.change(screen.getByLabelText("Username", { selector: "#teammate-username" }), { target: { value: "bob" } });
    fireEvent.click(screen.getByRole("button", { name: "Add teammate" }));
    expect(await screen.findAllByText("user already exists: bob")).toHaveLength(2); // banner + next to Username

    mocked.addUser.mockResolvedValueOnce({ username: "chen", full_name: null, email: null });
    fireEvent.change(screen.getByLabelText("Username", { selector: "#teammate-username" }), { target: { value: "chen" } });
    fireEvent.click(screen.getByRole("button", { name: "Add teammate" }));
    expect(await screen.findByText(/chen added/)).toBeTruthy();
    expect(mocked.addUser).toHaveBeenLastCalledWith({ username: "chen" });

    mocked.removeUser.mockResolvedValueOnce(null);
    fireEvent.click(screen.getByRole("button", { name: "Remove bob" }));
    expect(mocked.removeUser).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByRole("button", { name: "Remove teammate" }));
    await waitFor(() => expect(mocked.removeUser).toHaveBeenCalledWith("bob"));
  });

  it("lists spaces with case counts and checks a new space's name", async () => {
    renderPage("spaces");
    expect(await screen.findByRole("cell", { name: "12" })).toBeTruthy();
    expect(screen.getByText(/Each space has its own cases/)).toBeTruthy();
    mocked.createSpace.mockRejectedValueOnce(wireValidation("name", '"Red Team" may only hold lowercase letters, digits, _ and -'));
    fireEvent.change(screen.getByLabelText("New space"), { target: { value: "Red Team" } });
    fireEvent.click(screen.getByRole("button", { name: "Create space" }));
    expect(await screen.findByText(/name: "Red Team" may only hold lowercase letters/)).toBeTruthy();
    expect(screen.getByLabelText("New space").getAttribute("aria-invalid")).toBe("true");
    mocked.createSpace.mockResolvedValueOnce({ name: "blue", created_at: "2026-03-01T00:00:00Z", total_cases: 0 });
    fireEvent.change(screen.getByLabelText("New space"), { target: { value: "blue" } });
    fireEvent.click(screen.getByRole("button", { name: "Create space" }));
    expect(await screen.findByText(/Space “blue” created/)).toBeTruthy();
  });
});

describe("SettingsPage: case numbers", () => {
  const section = async () => within((await screen.findByRole("heading", { name: "Case numbers" })).closest("section")!);

  it("shows the interval, checks it, and saves it with set_id_interval", async () => {
    renderPage("case-numbers");
    const s = await section();
    const box = (await s.findByLabelText("Minutes between numbering runs")) as HTMLInputElement;
    await waitFor(() => expect(box.value).toBe("10"));
    expect(s.getByText(/Cases are numbered every 10 minutes; next run in about 3 min\./)).toBeTruthy();

    // The core checks the range and names the field; a box without a whole number cannot be sent.
    mocked.setIdInterval.mockRejectedValueOnce(wireValidation("interval", "between 1 and 60 minutes (got 61)"));
    fireEvent.change(box, { target: { value: "61" } });
    fireEvent.click(s.getByRole("button", { name: "Save interval" }));
    expect(await s.findByText("interval: between 1 and 60 minutes (got 61)")).toBeTruthy();
    expect(box.getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(box, { target: { value: "2.5" } });
    fireEvent.click(s.getByRole("button", { name: "Save interval" }));
    expect(s.getByText("A whole number of minutes, 1 to 60.")).toBeTruthy();
    expect(mocked.setIdInterval).toHaveBeenCalledTimes(1);

    mocked.setIdInterval.mockResolvedValueOnce(idStatus({ interval_minutes: 25, interval_seconds: 1500, setting_minutes: 25 }));

    fireEvent.change(box, { target: { value: "25" } });
    fireEvent.click(s.getByRole("button", { name: "Save interval" }));
    await waitFor(() => expect(mocked.setIdInterval).toHaveBeenCalledWith(25));
    expect(await s.findByText(/Saved: 25 minutes between numbering runs/)).toBeTruthy();
    expect(box.value).toBe("25");
  });

  it("shows the core's interval error next to the box", async () => {
    mocked.setIdInterval.mockRejectedValueOnce(wireValidation("interval", "between 1 and 60 minutes (got 0)"));
    renderPage("case-numbers");
    const s = await section();
    const box = await s.findByLabelText("Minutes between numbering runs");
    await waitFor(() => expect((box as HTMLInputElement).value).toBe("10"));
    fireEvent.change(box, { target: { value: "5" } });
    fireEvent.click(s.getByRole("button", { name: "Save interval" }));
    expect(await s.findByText("interval: between 1 and 60 minutes (got 0)")).toBeTruthy();
  });

  it("says when CASEBOOK_ID_INTERVAL overrides the setting", async () => {
    mocked.idTaskStatus.mockResolvedValue(idStatus({ from_env: true, interval_minutes: 1, interval_seconds: 5 }));
    renderPage("case-numbers");
    const s = await section();
    expect(await s.findByText(/numbers cases every 5 seconds until it is restarted without it/)).toBeTruthy();
  });

  it('"Assign IDs now" runs a pass and says what it did', async () => {
    mocked.assignIds.mockResolvedValueOnce({ assigned: 3 });
    renderPage("case-numbers");
    const s = await section();
    fireEvent.click(s.getByRole("button", { name: "Assign IDs now" }));
    expect(await s.findByText("Numbered 3 cases.")).toBeTruthy();
    mocked.assignIds.mockResolvedValueOnce({ assigned: 0 });
    fireEvent.click(s.getByRole("button", { name: "Assign IDs now" }));
    expect(await s.findByText("Every case already has a number.")).toBeTruthy();
  });
});
