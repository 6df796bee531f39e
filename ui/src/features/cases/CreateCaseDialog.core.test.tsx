// The create form against the real core (`casebook serve --dev`): the space's custom fields and
// templates, its users, tags and categories, the core's live check and its refusals (each named
// by its field), what the core keeps, and the External incident section with real connectors
// whose pushes reach the contract fake Jira. The one check of pure error placement that the core
// cannot be made to answer is in CreateCaseDialog.test.tsx.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import type { Case } from "../../lib/api/bindings";
import {
  ApiError,
  addUser,
  createCase,
  createConnector,
  deleteDraft,
  emptyFindQuery,
  findCases,
  getCase,
  getConfiguration,
  getDraft,
  listOutbox,
  profile,
  refreshConnectorMetadata,
  updateConfiguration,
} from "../../lib/api/client";
import { fakes, freshSpace, jiraInput } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { CreateCaseDialog } from "./CreateCaseDialog";
import { createDraftKey, draftKey } from "./draft";

configure({ asyncUtilTimeout: 8_000 });

/** A teammate the core knows (users are shared by the file's tests: added once, kept). */
const BOB = { username: "bob.builder", full_name: "Bob Builder" };

let space: string;

// The form mirrors its draft to the core's disk 300 ms after each change and when it closes. A
// test's last write can still be on its way when the test ends: wait for every request of a test
// to be answered before removing the copy, so that no write lands after it.
const routedFetch = globalThis.fetch;
const inFlight = new Set<Promise<Response>>();
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const answer = routedFetch(input, init);
  inFlight.add(answer);
  answer.then(
    () => inFlight.delete(answer),
    () => inFlight.delete(answer),
  );
  return answer;
};
afterAll(() => {
  globalThis.fetch = routedFetch;
});

async function settle() {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

async function ensureUser(input: typeof BOB) {
  await addUser(input).catch((e: unknown) => {
    if (ApiError.from(e).code !== "already_exists") throw e;
  });
}

function renderDialog(onCreated = vi.fn()) {
  renderWithQueries(<CreateCaseDialog space={space} onClose={vi.fn()} onCreated={onCreated} />);
  return onCreated;
}

const value = (label: string | RegExp) => (screen.getByLabelText(label) as HTMLInputElement).value;
const submit = () => act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
const caseCount = async () => (await findCases({ ...emptyFindQuery(space), per_page: 100 })).total;
/** The case the dialog handed to onCreated, as the core has it now. */
const created = async (onCreated: ReturnType<typeof vi.fn>) => getCase(space, (onCreated.mock.calls[0][0] as Case).id);

/** The contract fake Jira's issue, read with the connector's own credentials. */
async function jiraIssue(key: string) {
  const { url, username, secret } = fakes().jira;
  const r = await fetch(`${url}/rest/api/2/issue/${key}?fields=summary,priority,issuetype`, {
    headers: { Authorization: `Basic ${btoa(`${username}:${secret}`)}` },
  });
  expect(r.status).toBe(200);
  return (await r.json()) as { key: string; fields: { summary: string; priority: { name: string }; issuetype: { name: string } } };
}

/** A Jira connector of the space to the contract fake, with its choices fetched. */
async function jiraConnector() {
  const k = await createConnector(space, jiraInput());
  return refreshConnectorMetadata(space, k.id);
}

beforeEach(async () => {
  localStorage.clear();
  space = await freshSpace("create");
  // Start each test without the create form's disk copy (see settle above).
  await deleteDraft(createDraftKey(space));
  await ensureUser(BOB);
  const config = await getConfiguration(space);
  await updateConfiguration(space, {
    version: config.version,
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
        case_fields: {
          title: "Phishing: ",
          severity: "high",
          tags: ["phishing"],
          assignees: [{ uid: BOB.username }],
          custom_fields: [{ key: "risk", type: "number", value: 70 }],
        },
      },
    ],
  });
});
afterEach(async () => {
  cleanup();
  await settle();
  await deleteDraft(createDraftKey(space));
});

describe("CreateCaseDialog", () => {
  it("the core's refusal of a required custom field goes to it; defaults are pre-filled and kept", async () => {
    const me = await profile();
    const onCreated = renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Suspicious login" } });
    expect(await screen.findByDisplayValue("INC-0")).toBeTruthy();
    await submit();
    // Beside the field, without its path; the banner above the form gives the whole sentence.
    const banner = (await screen.findByText(/The case was not created/)).closest("div")!;
    expect(banner.textContent).toBe("The case was not created. custom_fields.risk: is required");
    expect(document.getElementById("create-cf-risk-error")!.textContent).toBe("is required");
    expect(document.activeElement?.id).toBe("create-cf-risk");
    expect(await caseCount()).toBe(0);

    fireEvent.change(screen.getByLabelText("Risk score"), { target: { value: "55" } });
    fireEvent.click(await screen.findByRole("button", { name: "Assign yourself" }));
    fireEvent.click(screen.getByRole("switch", { name: /Sync alerts/ }));
    await submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    const kept = await created(onCreated);
    expect({
      title: kept.title,
      description: kept.description,
      tags: kept.tags,
      severity: kept.severity,
      assignees: kept.assignees,
      custom_fields: kept.custom_fields,
      settings: kept.settings,
      connector: kept.connector.type,
    }).toEqual({
      title: "Suspicious login",
      description: "",
      tags: [],
      severity: "low",
      assignees: [{ uid: me.username }],
      custom_fields: [
        { key: "risk", type: "number", value: 55 },
        { key: "ticket", type: "text", value: "INC-0" },
      ],
      settings: { sync_alerts: false, extract_observables: true },
      connector: ".none",
    });
    expect(await caseCount()).toBe(1);
    // Created: the draft is gone, here and on disk.
    expect(localStorage.getItem(draftKey(space))).toBeNull();
    await waitFor(async () => expect(await getDraft(createDraftKey(space))).toBeNull());
  });

  it("leaves no draft on disk when the dialog closes as the case is created, as the pages close it", async () => {
    function Page() {
      const [open, setOpen] = useState(true);
      return open ? <CreateCaseDialog space={space} onClose={vi.fn()} onCreated={() => setOpen(false)} /> : <p>closed</p>;
    }
    renderWithQueries(<Page />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    // Written to disk once typing pauses.
    await waitFor(async () => expect(await getDraft(createDraftKey(space))).toContain("Beaconing"));
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing from WEB-01" } });
    await submit();
    await screen.findByText("closed");
    await settle();
    await new Promise((r) => setTimeout(r, 500));
    expect(await getDraft(createDraftKey(space))).toBeNull();
    expect(await caseCount()).toBe(1);
  });

  it("shows the core's custom field error next to that field", async () => {
    renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "T" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "1.5" } });
    await submit();
    expect(await screen.findByText('must be an integer (got "1.5")')).toBeTruthy();
    expect(screen.getByLabelText("Risk score").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/The case was not created/).closest("div")!.textContent).toContain('custom_fields.risk: must be an integer (got "1.5")');
    expect(await caseCount()).toBe(0);
  });

  it("places the core's refusal of a tag next to Tags, by its field", async () => {
    renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "T" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    const tags = document.getElementById("create-tags") as HTMLInputElement;
    for (const tag of ["okta", "x".repeat(300)]) {
      fireEvent.change(tags, { target: { value: tag } });
      fireEvent.keyDown(tags, { key: "Enter" });
    }
    await submit();
    // The core names tags[1]: the message goes next to Tags, without its path; Name stays valid.
    expect(await screen.findByText("at most 256 characters (got 300)")).toBeTruthy();
    expect(document.getElementById("create-tags-error")!.textContent).toBe("at most 256 characters (got 300)");
    expect(document.getElementById("create-tags")!.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/The case was not created/).closest("div")!.textContent).toContain("tags[1]: at most 256 characters (got 300)");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).not.toBe("true");
    expect(await caseCount()).toBe(0);
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
    // The core saved the template's title trimmed ("Phishing: " was sent).
    expect(value("Name")).toBe("Phishing:");
    expect(value("Severity")).toBe("high");
    expect(value("Risk score")).toBe("70");
    expect(screen.getByText("For reported emails")).toBeTruthy();
    await waitFor(() => expect(screen.getByRole("list", { name: "Assignees" }).textContent).toContain("Bob Builder"));
    expect(screen.getByRole("list", { name: "Tags" }).textContent).toContain("phishing");
    // Everything the template set is in the draft too.
    const draft = JSON.parse(localStorage.getItem(draftKey(space))!);
    expect(draft).toMatchObject({ template: "phish", assignees: [BOB.username], customFields: { risk: 70 }, severity: "high" });
  });

  it("suggests the space's categories and the known users in accessible lists", async () => {
    // Categories the space already uses, one of them twice.
    for (const [title, category] of [["A", "Endpoint"], ["B", "Email"], ["C", "Endpoint"]]) {
      await createCase(space, { title, category, custom_fields: [{ key: "risk", type: "number", value: 1 }] } as never);
    }
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
    // The core's users are suggested by name.
    fireEvent.change(assignees, { target: { value: "bob" } });
    expect(await screen.findByRole("option", { name: /Bob Builder/ })).toBeTruthy();
    fireEvent.change(assignees, { target: { value: "zed" } });
    fireEvent.keyDown(assignees, { key: "Enter" });
    expect(screen.getByText(/"zed" is not a known user/)).toBeTruthy();
    fireEvent.change(assignees, { target: { value: BOB.username } });
    fireEvent.keyDown(assignees, { key: "Enter" });
    await waitFor(() => expect(screen.getByRole("list", { name: "Assignees" }).textContent).toContain("Bob Builder"));
  });

  it("extracts observables unless turned off, and the core keeps the choice", async () => {
    const onCreated = renderDialog();
    const extract = screen.getByRole("switch", { name: /Extract observables from alerts/ }) as HTMLInputElement;
    expect(extract.checked).toBe(true);
    fireEvent.click(extract);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    await submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect((await created(onCreated)).settings).toEqual({ sync_alerts: true, extract_observables: false });
  });

  it("offers no External incident section while the space has no connector", async () => {
    renderDialog();
    await screen.findByLabelText("Risk score");
    expect(screen.queryByLabelText("Connector")).toBeNull();
    expect(screen.queryByText("External incident")).toBeNull();
  });

  it("creates the case with its connector and fields, then pushes it to Jira, as Kibana does", async () => {
    const k = await jiraConnector();
    const onCreated = renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    fireEvent.change(await screen.findByLabelText("Connector"), { target: { value: k.id } });
    // The choices the core fetched from Jira.
    const type = screen.getByLabelText("Issue type") as HTMLSelectElement;
    expect(Array.from(type.options).map((o) => o.textContent)).toEqual(["Not set", "Task", "Bug", "Sub-task"]);
    fireEvent.change(type, { target: { value: "10002" } });
    const priority = screen.getByLabelText("Priority") as HTMLSelectElement;
    expect(Array.from(priority.options).map((o) => o.textContent)).toEqual(["Not set", "Highest", "High", "Medium", "Low", "Lowest"]);
    fireEvent.change(priority, { target: { value: "High" } });
    expect((screen.getByRole("switch", { name: /^Push to SOC Jira when the case is created/ }) as HTMLInputElement).checked).toBe(true);
    await submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    // Created and pushed in one call: the case the page gets already links its issue.
    const handed = onCreated.mock.calls[0][0] as Case;
    expect(handed.external_service?.connector_name).toBe("SOC Jira");

    const kept = await getCase(space, handed.id);
    expect(kept.connector).toEqual({ id: k.id, name: "SOC Jira", type: ".jira", fields: { issueType: "10002", priority: "High" } });
    expect(kept.push_state).toBe("up_to_date");
    expect(await listOutbox(space)).toEqual([]);
    // The issue is in Jira, with what the form chose.
    const key = kept.external_service!.external_title;
    expect(kept.external_service!.external_url).toBe(`${fakes().jira.url}/browse/${key}`);
    const issue = await jiraIssue(key);
    expect([issue.fields.summary, issue.fields.issuetype.name, issue.fields.priority.name]).toEqual(["Beaconing", "Bug", "High"]);
  });

  it("creates the case when Jira refuses the push: the push waits as failed, with Jira's reason", async () => {
    const k = await jiraConnector();
    const onCreated = renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    fireEvent.change(await screen.findByLabelText("Connector"), { target: { value: k.id } });
    // A sub-task without a parent: Jira answers 400.
    fireEvent.change(screen.getByLabelText("Issue type"), { target: { value: "10003" } });
    await submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    const kept = await created(onCreated);
    expect(kept.external_service).toBeNull();
    expect(kept.connector).toMatchObject({ id: k.id, type: ".jira", fields: { issueType: "10003" } });
    const outbox = await listOutbox(space);
    expect(outbox.map((i) => [i.case_id, i.state, i.last_error_code])).toEqual([[kept.id, "failed", "remote"]]);
    // What the opened case shows beside its Push button.
    expect(outbox[0].last_error).toBe(
      `Jira at ${fakes().jira.url} answered HTTP 400: parent: Issue type is a sub-task but parent issue key or id not specified.`,
    );
  });

  it("shows the core's check of the form while typing, before Create case", async () => {
    renderDialog();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Beaconing" } });
    // The core's check of "Beaconing" without a risk score: next to that field, no banner.
    await waitFor(() => expect(document.getElementById("create-cf-risk-error")!.textContent).toBe("is required"));
    expect(screen.getByLabelText("Risk score").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByText(/The case was not created/)).toBeNull();
    expect(await caseCount()).toBe(0);
    // Fixed: the check passes and the message goes; still nothing created.
    fireEvent.change(screen.getByLabelText("Risk score"), { target: { value: "5" } });
    await waitFor(() => expect(screen.queryByText("is required")).toBeNull());
    expect(screen.getByLabelText("Risk score").getAttribute("aria-invalid")).toBeNull();
    // A value the core refuses shows up the same way while typing.
    fireEvent.change(screen.getByLabelText("Risk score"), { target: { value: "5x" } });
    await waitFor(() => expect(document.getElementById("create-cf-risk-error")!.textContent).toBe('must be an integer (got "5x")'));
    expect(await caseCount()).toBe(0);
  });

  it("keeps the connector in the draft and pushes nothing when told not to", async () => {
    const { url, username, secret } = fakes().servicenow;
    const k = await createConnector(space, { name: "SNOW", url, settings: { kind: "servicenow-itsm", mode: "import-set", username }, secret });
    localStorage.setItem(draftKey(space), JSON.stringify({ title: "Half", connector: k.id, pushOnCreate: false }));
    const onCreated = renderDialog();
    expect(((await screen.findByLabelText("Connector")) as HTMLSelectElement).value).toBe(k.id);
    expect(screen.getByText(/were never fetched/)).toBeTruthy();
    expect((screen.getByRole("switch", { name: /^Push to SNOW when the case is created/ }) as HTMLInputElement).checked).toBe(false);
    fireEvent.change(await screen.findByLabelText("Risk score"), { target: { value: "5" } });
    await submit();
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    const kept = await created(onCreated);
    expect(kept.title).toBe("Half");
    expect(kept.connector).toMatchObject({ id: k.id, name: "SNOW", type: ".servicenow" });
    expect(kept.external_service).toBeNull();
    expect(kept.push_state).toBe("not_pushed");
    expect(await listOutbox(space)).toEqual([]);
  });

  it("restores a draft with every new field", async () => {
    localStorage.setItem(
      draftKey(space),
      JSON.stringify({ title: "Half", assignees: [BOB.username], customFields: { risk: "12" }, syncAlerts: false, template: "phish" }),
    );
    renderDialog();
    expect(value("Name")).toBe("Half");
    expect(await screen.findByDisplayValue("12")).toBeTruthy();
    expect((screen.getByRole("switch", { name: /Sync alerts/ }) as HTMLInputElement).checked).toBe(false);
    await waitFor(() => expect(value("Template")).toBe("phish"));
    await waitFor(() => expect(screen.getByRole("list", { name: "Assignees" }).textContent).toContain("Bob Builder"));
  });
});
