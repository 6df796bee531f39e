import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ActivityPage, Case, Comment, UserAction } from "../../lib/api/bindings";
import { aCase, aUser, anAction, idStatus } from "../../testing/builders";
import * as client from "../../lib/api/client";
import { ApiError } from "../../lib/api/client";
import { draftKey } from "../../lib/drafts";
import * as external from "../../lib/external";
import { CaseView } from "./CaseView";
import { validationError, wireValidation } from "../../testing/wireErrors";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return {
    ...actual,
    getCase: vi.fn(),
    updateCases: vi.fn(),
    deleteCases: vi.fn(),
    listComments: vi.fn(),
    addComment: vi.fn(),
    editComment: vi.fn(),
    deleteComment: vi.fn(),
    findActivity: vi.fn(),
    idTaskStatus: vi.fn(async () => idStatus()),
    getDraft: vi.fn(async (key: string) => drafts.get(key) ?? null),
    saveDraft: vi.fn(async (key: string, body: string) => {
      if (body.trim() === "") drafts.delete(key);
      else drafts.set(key, body);
      return null;
    }),
    deleteDraft: vi.fn(async (key: string) => {
      drafts.delete(key);
      return null;
    }),
    listUsers: vi.fn(async () => [{ username: "jdoe", full_name: "John Doe", email: null }]),
    profile: vi.fn(async () => ({ username: "ana", full_name: "Ana Lytic", email: null })),
    listTags: vi.fn(async () => ["phishing"]),
    listCategories: vi.fn(async () => ["Email"]),
    getConfiguration: vi.fn(async () => ({
      space: "default",
      version: "1",
      closure_type: "close-by-user",
      custom_fields: [],
      templates: [],
      observable_types: [],
      max_observables: 50,
      observable_type_priority: [],
      sla: [],
    })),
    alertOverview: vi.fn(async () => ({ total: 0, hosts: 0, users: 0, rules: [], status_sync_pending: 0 })),
    similarCases: vi.fn(async () => ({ cases: [], total: 0, page: 1, per_page: 20 })),
    observableTypes: vi.fn(async () => []),
    listAlerts: vi.fn(async () => ({ alerts: [], total: 0, page: 1, per_page: 50 })),
    listObservables: vi.fn(async () => []),
    getAlertSource: vi.fn(async () => null),
    listConnectors: vi.fn(async () => []),
    listOutbox: vi.fn(async () => []),
  };
});

const mocked = vi.mocked(client);
/** The core's drafts folder, in memory. */
const drafts = vi.hoisted(() => new Map<string, string>());
const ID = "0b6f8c9e-3a0f-4e4e-9a55-1f3f0f6f2a10";
const ana = aUser();

function theCase(patch: Partial<Case> = {}): Case {
  return aCase(7, {
    id: ID,
    version: "v1",
    title: "Credential phishing wave",
    description: "Finance users got a **fake** DocuSign mail.",
    assignees: [{ uid: "jdoe" }],
    created_at: "2026-11-27T10:00:00Z",
    created_by: ana,
    total_comment: 1,
    ...patch,
  });
}

const comment: Comment = {
  id: "k1",
  version: "c1",
  case_id: ID,
  comment: "Blocked the sender domain.",
  type: "user",
  owner: "securitySolution",
  created_at: "2026-11-27T10:05:00Z",
  created_by: ana,
  updated_at: null,
  updated_by: null,
  pushed_at: null,
  pushed_by: null,
};

function act(patch: Partial<UserAction>): UserAction {
  return anAction({ id: `a-${Math.random()}`, case_id: ID, action: "create", type: "create_case", created_by: ana, ...patch });
}

function activity(actions: UserAction[]): ActivityPage {
  return { user_actions: actions, page: 1, per_page: 100, total: actions.length };
}

function renderView() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <CaseView space="default" id={ID} />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  localStorage.clear();
  drafts.clear();
  mocked.getCase.mockResolvedValue(theCase());
  mocked.listComments.mockResolvedValue({ comments: [comment], total: 1 });
  mocked.findActivity.mockResolvedValue(
    activity([
      act({}),
      act({ type: "comment", comment_id: "k1", created_at: "2026-11-27T10:05:00Z" }),
      act({ type: "status", action: "update", payload: { status: "in-progress" } }),
    ]),
  );
});

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("case view", () => {
  it("shows the case: title, number, rendered description, activity and side panel", async () => {
    renderView();
    expect(await screen.findByRole("heading", { name: "Credential phishing wave" })).toBeTruthy();
    expect(screen.getByText("#7")).toBeTruthy();
    expect(screen.getByText("fake").tagName).toBe("STRONG");
    expect(await screen.findByText("Blocked the sender domain.")).toBeTruthy();
    expect(screen.getByText(/marked the case as In progress/)).toBeTruthy();
    const side = screen.getByRole("complementary", { name: "Case details" });
    expect(await within(side).findByText("John Doe (jdoe)")).toBeTruthy();
    expect(within(side).getByText("Email")).toBeTruthy();
  });

  it("copies the number with a click on it", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderView();
    fireEvent.click(await screen.findByRole("button", { name: "Copy #7" }));
    expect(await screen.findByText("#7 copied")).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith("#7");
  });

  it("copies the case ID and deletes the case from the header's ⋯ menu, by keyboard", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    mocked.deleteCases.mockResolvedValue(null as never);
    renderView();
    const actions = await screen.findByRole("button", { name: "Case actions" });
    // Nothing destructive sits in the header itself.
    expect(screen.queryByRole("button", { name: "Delete case" })).toBeNull();

    actions.focus();
    fireEvent.keyDown(actions, { key: "ArrowDown" });
    expect(document.activeElement?.textContent).toBe("Copy case ID");
    fireEvent.click(document.activeElement!);
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(ID));
    expect(await screen.findByText("Case ID copied")).toBeTruthy();
    expect(document.activeElement).toBe(actions);

    fireEvent.keyDown(actions, { key: "ArrowUp" });
    expect(document.activeElement?.textContent).toBe("Delete case");
    fireEvent.click(document.activeElement!);
    const dialog = await screen.findByRole("dialog", { name: "Delete this case?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    // Focus comes back to the ⋯ button, not to the top of the page.
    expect(document.activeElement).toBe(actions);
    expect(mocked.deleteCases).not.toHaveBeenCalled();

    fireEvent.click(actions);
    fireEvent.click(screen.getByRole("menuitem", { name: "Delete case" }));
    fireEvent.click(within(await screen.findByRole("dialog", { name: "Delete this case?" })).getByRole("button", { name: "Delete case" }));
    await waitFor(() => expect(mocked.deleteCases).toHaveBeenCalledWith([ID]));
  });

  it("shows the case ID to copy by hand when the clipboard cannot be reached", async () => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: vi.fn(async () => Promise.reject(new Error("denied"))) }, configurable: true });
    renderView();
    fireEvent.click(await screen.findByRole("button", { name: "Case actions" }));
    fireEvent.click(screen.getByRole("menuitem", { name: "Copy case ID" }));
    expect(await screen.findByText(`Could not reach the clipboard. The case ID is ${ID}`)).toBeTruthy();
  });

  it('an unnumbered case says "ID pending" and when the next numbering run is due', async () => {
    mocked.getCase.mockResolvedValue(theCase({ incremental_id: null }));
    renderView();
    const pending = await screen.findByText("ID pending");
    await waitFor(() => expect(pending.getAttribute("title")).toMatch(/^Numbers are given every 10 minutes; next run in about 3 min$/));
    expect(screen.queryByRole("button", { name: /^Copy #/ })).toBeNull();
  });

  it("changes status and severity against the version on screen", async () => {
    // The core as a stateful fake: every write bumps the version the next read returns.
    let stored = theCase();
    mocked.getCase.mockImplementation(async () => stored);
    mocked.updateCases.mockImplementation(async (_space, [p]) => {
      stored = { ...stored, ...(p.status ? { status: p.status } : {}), ...(p.severity ? { severity: p.severity } : {}) };
      stored = { ...stored, version: `v${Number(stored.version.slice(1)) + 1}` };
      return [stored];
    });
    renderView();
    fireEvent.change(await screen.findByLabelText("Status"), { target: { value: "closed" } });
    await waitFor(() => expect(mocked.updateCases).toHaveBeenCalledTimes(1));
    expect(mocked.updateCases.mock.calls[0][1][0]).toMatchObject({ id: ID, version: "v1", status: "closed" });
    fireEvent.change(screen.getByLabelText("Severity"), { target: { value: "critical" } });
    await waitFor(() => expect(mocked.updateCases).toHaveBeenCalledTimes(2));
    expect(mocked.updateCases.mock.calls[1][1][0]).toMatchObject({ version: "v2", severity: "critical" });
  });

  it("edits the title in place; a conflict explains itself and keeps the typed title", async () => {
    mocked.updateCases.mockRejectedValueOnce(new ApiError("conflict", "case: version v1 is stale"));
    renderView();
    fireEvent.click(await screen.findByRole("button", { name: "Edit title" }));
    const input = screen.getByLabelText("Case title");
    fireEvent.change(input, { target: { value: "Phishing wave — finance and HR" } });
    fireEvent.submit(input.closest("form")!);
    expect(await screen.findByText(/changed elsewhere/)).toBeTruthy();
    expect((screen.getByLabelText("Case title") as HTMLInputElement).value).toBe("Phishing wave — finance and HR");
    expect(mocked.updateCases.mock.calls[0][1][0]).toMatchObject({ title: "Phishing wave — finance and HR" });
  });

  it("refuses an over-long title before asking the core", async () => {
    renderView();
    fireEvent.click(await screen.findByRole("button", { name: "Edit title" }));
    fireEvent.change(screen.getByLabelText("Case title"), { target: { value: "x".repeat(161) } });
    expect(screen.getByText(/At most 160 characters/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Save" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("keeps an unsent comment across a closed window and clears it once posted", async () => {
    const first = renderView();
    const box = await screen.findByLabelText("Add a comment");
    fireEvent.change(box, { target: { value: "Half-written note about the **sender**" } });
    await screen.findByText("Draft saved");
    expect(drafts.get(draftKey("comment", ID))).toBe("Half-written note about the **sender**");
    first.unmount();

    mocked.addComment.mockResolvedValue({ ...comment, id: "k2", comment: "Half-written note about the **sender**" });
    renderView();
    const again = (await screen.findByLabelText("Add a comment")) as HTMLTextAreaElement;
    // The stored draft arrives asynchronously after the editor mounts.
    await waitFor(() => expect(again.value).toBe("Half-written note about the **sender**"));
    fireEvent.click(screen.getByRole("button", { name: "Add comment" }));
    await waitFor(() => expect(mocked.addComment).toHaveBeenCalledWith(ID, "Half-written note about the **sender**"));
    await waitFor(() => expect(again.value).toBe(""));
    await waitFor(() => expect(drafts.has(draftKey("comment", ID))).toBe(false));
  });

  it("keeps the comment text when posting fails", async () => {
    mocked.addComment.mockRejectedValue(validationError("comment", "at most 30000 characters (got 30001)"));
    renderView();
    const box = (await screen.findByLabelText("Add a comment")) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "note" } });
    fireEvent.click(screen.getByRole("button", { name: "Add comment" }));
    expect(await screen.findByText(/at most 30000 characters/)).toBeTruthy();
    expect(box.value).toBe("note");
  });

  it("quotes a comment into the editor", async () => {
    renderView();
    const card = await screen.findByRole("article", { name: "Comment by Ana Lytic" });
    fireEvent.click(within(card).getByRole("button", { name: "Comment actions" }));
    fireEvent.click(within(card).getByRole("menuitem", { name: "Quote" }));
    expect((screen.getByLabelText("Add a comment") as HTMLTextAreaElement).value).toBe("> Blocked the sender domain.\n\n");
  });

  it("edits a comment against its version and deletes one after confirming", async () => {
    mocked.editComment.mockResolvedValue({ ...comment, version: "c2", comment: "Blocked the domain and the IP." });
    mocked.deleteComment.mockResolvedValue(null);
    renderView();
    const card = await screen.findByRole("article", { name: "Comment by Ana Lytic" });
    fireEvent.click(within(card).getByRole("button", { name: "Comment actions" }));
    fireEvent.click(within(card).getByRole("menuitem", { name: "Edit" }));
    fireEvent.change(within(card).getByLabelText("Edit comment"), { target: { value: "Blocked the domain and the IP." } });
    fireEvent.click(within(card).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(mocked.editComment).toHaveBeenCalledWith(ID, "k1", "c1", "Blocked the domain and the IP."));

    fireEvent.click(await within(card).findByRole("button", { name: "Comment actions" }));
    fireEvent.click(within(card).getByRole("menuitem", { name: "Delete" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this comment?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete comment" }));
    await waitFor(() => expect(mocked.deleteComment).toHaveBeenCalledWith(ID, "k1"));
  });

  it("hides a long description to bring the activity up, and shows it again", async () => {
    renderView();
    const body = (await screen.findByText("fake")).closest("#description-content") as HTMLElement;
    expect(body.hidden).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Hide description" }));
    expect(body.hidden).toBe(true);
    expect(screen.getByRole("heading", { name: "Description" })).toBeTruthy();
    // Editing shows it again.
    fireEvent.click(screen.getByRole("button", { name: "Edit description" }));
    expect((screen.getByRole("textbox", { name: "Description" }) as HTMLTextAreaElement).value).toBe(
      "Finance users got a **fake** DocuSign mail.",
    );
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect((await screen.findByText("fake")).closest("[hidden]")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Hide description" }));
    fireEvent.click(screen.getByRole("button", { name: "Show description" }));
    expect(screen.getByText("fake").closest("[hidden]")).toBeNull();
  });

  it("keeps an edited description through a conflict, showing the latest saved one", async () => {
    renderView();
    fireEvent.click(await screen.findByRole("button", { name: "Edit description" }));
    fireEvent.change(screen.getByRole("textbox", { name: "Description" }), { target: { value: "My rewrite" } });
    // Meanwhile the CLI changed the description; the refetch brings it in.
    mocked.getCase.mockResolvedValue(theCase({ version: "v2", description: "Changed by the CLI" }));
    mocked.updateCases.mockRejectedValueOnce(new ApiError("conflict", "stale"));
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Show the latest saved description")).toBeTruthy();
    expect((screen.getByRole("textbox", { name: "Description" }) as HTMLTextAreaElement).value).toBe("My rewrite");
    // The edit survives a closed window too.
    await waitFor(() => expect(drafts.get(draftKey("description", ID))).toContain("My rewrite"));
    mocked.updateCases.mockResolvedValueOnce([theCase({ version: "v3", description: "My rewrite" })]);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(mocked.updateCases).toHaveBeenCalledTimes(2));
    expect(mocked.updateCases.mock.calls[1][1][0]).toMatchObject({ version: "v2", description: "My rewrite" });
  });

  it("filters the activity to comments or history", async () => {
    renderView();
    await screen.findByText("Blocked the sender domain.");
    fireEvent.click(screen.getByRole("button", { name: "History" }));
    await waitFor(() =>
      expect(mocked.findActivity).toHaveBeenLastCalledWith(expect.any(String), ID, expect.objectContaining({ types: expect.not.arrayContaining(["comment"]) })),
    );
    fireEvent.click(screen.getByRole("button", { name: /Comments/ }));
    await waitFor(() => expect(mocked.findActivity).toHaveBeenLastCalledWith(expect.any(String), ID, expect.objectContaining({ types: ["comment"] })));
  });

  it("shows pushes as Kibana does, with a link that opens the ticket in the browser", async () => {
    const ext = (title: string) => ({
      connector_id: "jira-1",
      connector_name: "SOC Jira",
      external_id: "10001",
      external_title: title,
      external_url: "https://jira.example.org/browse/SEC-1",
      pushed_at: "2026-11-27T10:10:00Z",
      pushed_by: { username: "ana", full_name: null, email: null },
    });
    // The feed's page holds only the second push; the record itself says it updated the ticket.
    const update = act({
      id: "p2",
      action: "push_to_service",
      type: "pushed",
      payload: { externalService: ext("SEC-1"), created: false },
    });
    mocked.findActivity.mockImplementation(async () => activity([act({}), update]));
    const open = vi.spyOn(external, "openExternal").mockResolvedValue();
    renderView();
    const line = (await screen.findByText(/updated incident/)).closest("li")!;
    expect(line.textContent).toContain("updated incident SEC-1 ↗ in SOC Jira");
    fireEvent.click(within(line as HTMLElement).getByRole("button", { name: "SEC-1 ↗" }));
    expect(open).toHaveBeenCalledWith("https://jira.example.org/browse/SEC-1");
    expect(screen.queryByText(/pushed as new incident/)).toBeNull();
  });

  it("renders hostile text as text", async () => {
    mocked.getCase.mockResolvedValue(
      theCase({ title: '<img src=x onerror="window.__pwned=1">', description: '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">' }),
    );
    const { container } = renderView();
    expect(await screen.findByRole("heading", { name: '<img src=x onerror="window.__pwned=1">' })).toBeTruthy();
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("[onerror]")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("says so when the case no longer exists", async () => {
    mocked.getCase.mockRejectedValue(new ApiError("not_found", `case ${ID} not found`));
    renderView();
    expect(await screen.findByText("This case no longer exists")).toBeTruthy();
  });
});

describe("tabs, alert records and alert settings", () => {
  it("moves between the tabs with the arrow keys and keeps the tab in the address", async () => {
    window.location.hash = `#/cases/${ID}`;
    renderView();
    const activity = await screen.findByRole("tab", { name: "Activity", selected: true });
    expect(screen.getByRole("tabpanel", { name: "Activity" })).toBeTruthy();
    expect(activity.getAttribute("tabindex")).toBe("0");
    expect(screen.getByRole("tab", { name: "Alerts (0)" }).getAttribute("tabindex")).toBe("-1");

    activity.focus();
    fireEvent.keyDown(activity, { key: "ArrowRight" });
    const alerts = screen.getByRole("tab", { name: "Alerts (0)", selected: true });
    expect(document.activeElement).toBe(alerts);
    expect(window.location.hash).toBe(`#/cases/${ID}?tab=alerts`);
    expect(await screen.findByRole("heading", { name: "No alerts attached yet" })).toBeTruthy();
    // The description and the side panel belong to the activity: the alerts get the whole page.
    expect(screen.queryByRole("complementary", { name: "Case details" })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Description" })).toBeNull();

    fireEvent.keyDown(alerts, { key: "End" });
    expect(screen.getByRole("tab", { name: "Similar cases (0)", selected: true })).toBeTruthy();
    expect(window.location.hash).toBe(`#/cases/${ID}?tab=similar`);
    fireEvent.keyDown(document.activeElement!, { key: "ArrowRight" });
    expect(screen.getByRole("tab", { name: "Activity", selected: true })).toBeTruthy();
    expect(window.location.hash).toBe(`#/cases/${ID}`);
    expect(await screen.findByRole("complementary", { name: "Case details" })).toBeTruthy();
    // Right under the header's tabs, at the top of the activity.
    const panel = screen.getByRole("tabpanel", { name: "Activity" });
    const description = within(panel).getByRole("region", { name: "Description" });
    expect(description.compareDocumentPosition(within(panel).getByRole("region", { name: "Activity" }))).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
  });

  it("shows alert attachments and observable changes in the feed, and keeps them out of Comments", async () => {
    mocked.findActivity.mockImplementation(async (_space, _id, q) =>
      activity(
        [
          act({ type: "comment", comment_id: "k1", created_at: "2026-11-27T10:05:00Z" }),
          act({
            type: "comment",
            comment_id: null,
            payload: { comment: { type: "alert", alertId: ["x"], index: [], rule: { id: "r", name: "Brute force" } }, total: 12 },
          }),
          act({
            type: "observables",
            action: "add",
            payload: { observables: { count: 1, actionType: "add", values: [{ typeKey: "observable-type-ipv4", value: "192.0.2.1" }] } },
          }),
        ].filter((a) => q.types.length === 0 || q.types.includes(a.type)),
      ),
    );
    renderView();
    expect(await screen.findByText("attached 12 alerts from rule Brute force")).toBeTruthy();
    expect(screen.getByText("added an observable (IPv4 192.0.2.1)")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: /Comments/ }));
    await waitFor(() => expect(mocked.findActivity).toHaveBeenLastCalledWith(expect.any(String), ID, expect.objectContaining({ types: ["comment"] })));
    expect(await screen.findByText("Blocked the sender domain.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByText("attached 12 alerts from rule Brute force")).toBeNull());
  });

  it("shows both alert switches in the side panel; turning one changes only it", async () => {
    const saved = theCase({ version: "v2", settings: { sync_alerts: true, extract_observables: false } });
    mocked.updateCases.mockImplementation(async () => {
      mocked.getCase.mockResolvedValue(saved);
      return [saved];
    });
    renderView();
    const side = await screen.findByRole("complementary", { name: "Case details" });
    const sync = within(side).getByRole("switch", { name: /Sync alerts/ }) as HTMLInputElement;
    const extract = within(side).getByRole("switch", { name: /Extract observables/ }) as HTMLInputElement;
    expect(sync.checked).toBe(true);
    expect(extract.checked).toBe(true);
    // Short labels on one line; what each does is on hover and in the switch's description.
    const row = sync.closest("label")!;
    expect(row.textContent).toMatch(/^Sync alertsOn/);
    expect(row.getAttribute("title")).toMatch(/^The attached alerts' status follows the case's/);
    expect(document.getElementById(sync.getAttribute("aria-describedby")!)?.textContent).toBe(row.getAttribute("title"));
    expect(extract.closest("label")!.getAttribute("title")).toMatch(/add their IPs, hosts, hashes/);
    fireEvent.click(extract);
    await waitFor(() => expect(mocked.updateCases).toHaveBeenCalled());
    expect(mocked.updateCases.mock.calls[0][1][0]).toMatchObject({ settings: { sync_alerts: true, extract_observables: false } });
    await waitFor(() => expect((within(side).getByRole("switch", { name: /Extract observables/ }) as HTMLInputElement).checked).toBe(false));
  });
});

describe("custom fields in the side panel", () => {
  it("shows the core's refusal next to the custom field its path names", async () => {
    mocked.getConfiguration.mockResolvedValueOnce({
      space: "default",
      version: "1",
      closure_type: "close-by-user",
      custom_fields: [
        { key: "risk", label: "Risk score", type: "number", required: false },
        { key: "ticket", label: "Ticket", type: "text", required: false },
      ],
      templates: [],
      observable_types: [],
      max_observables: 50,
      observable_type_priority: [],
      sla: [],
    });
    mocked.updateCases.mockRejectedValueOnce(wireValidation("cases[0].custom_fields.risk", 'must be an integer (got "high")'));
    renderView();
    const side = await screen.findByRole("complementary", { name: "Case details" });
    fireEvent.click(await within(side).findByRole("button", { name: "Edit custom fields" }));
    fireEvent.change(within(side).getByLabelText(/^Risk score/), { target: { value: "high" } });
    fireEvent.click(within(side).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(within(side).getByLabelText(/^Risk score/).getAttribute("aria-invalid")).toBe("true"));
    // The text goes as typed: the core, not the form, judges it.
    expect(mocked.updateCases.mock.calls[0][1][0].custom_fields).toEqual([
      { key: "risk", type: "number", value: "high" },
      { key: "ticket", type: "text", value: null },
    ]);
    expect(within(side).getByLabelText(/^Ticket/).getAttribute("aria-invalid")).not.toBe("true");
  });
});

describe("comment and status", () => {
  it("posts the comment, then closes the case, from one button", async () => {
    mocked.addComment.mockResolvedValue({ ...comment, id: "k2", comment: "Done: domain blocked" });
    mocked.updateCases.mockResolvedValue([theCase({ version: "v2", status: "closed" })]);
    renderView();
    expect(await screen.findByRole("button", { name: "Close case" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Add a comment"), { target: { value: "Done: domain blocked" } });
    fireEvent.click(screen.getByRole("button", { name: "Comment and close case" }));
    await waitFor(() => expect(mocked.updateCases).toHaveBeenCalled());
    expect(mocked.addComment).toHaveBeenCalledWith(ID, "Done: domain blocked");
    expect(mocked.updateCases.mock.calls[0][1][0]).toMatchObject({ status: "closed" });
  });

  it("offers to reopen a closed case", async () => {
    mocked.getCase.mockResolvedValue(theCase({ status: "closed", closed_at: "2026-11-27T12:00:00Z", duration: 7200 }));
    mocked.updateCases.mockResolvedValue([theCase({ version: "v2", status: "open" })]);
    renderView();
    fireEvent.click(await screen.findByRole("button", { name: "Reopen case" }));
    await waitFor(() => expect(mocked.updateCases.mock.calls[0][1][0]).toMatchObject({ status: "open" }));
    expect(mocked.addComment).not.toHaveBeenCalled();
  });
});
