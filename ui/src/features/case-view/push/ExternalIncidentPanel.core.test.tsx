// The case's External incident panel against the real core (`casebook serve --dev`) and the
// contract fakes of Jira and ServiceNow: the choices they offer, the fields the core keeps and
// refuses, pushes that are sent, and pushes that wait in the outbox.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useQuery } from "@tanstack/react-query";
import type { Case, CasePatch, Connector, ConnectorInput } from "../../../lib/api/bindings";
import {
  createCase,
  createConnector,
  getCase,
  listConnectors,
  listOutbox,
  pushCase,
  refreshConnectorMetadata,
  setCaseConnector,
  updateCases,
  updateConnector,
} from "../../../lib/api/client";
import { queryKeys } from "../../../lib/queryKeys";
import { OFFLINE, fakes, freshSpace, jiraInput } from "../../../testing/core/server";
import { renderWithQueries } from "../../../testing/render";
import { ExternalIncidentPanel } from "./ExternalIncidentPanel";

configure({ asyncUtilTimeout: 8_000 });


let space: string;
let caseId: string;

const jira = jiraInput;
const itsm = (): ConnectorInput => ({
  name: "SOC ServiceNow",
  url: fakes().servicenow.url,
  settings: { kind: "servicenow-itsm", mode: "import-set", username: fakes().servicenow.username },
  secret: fakes().servicenow.secret,
});

/** The panel over the case as the case view reads it (the core's answer, refetched after writes). */
function Panel() {
  const q = useQuery({ queryKey: queryKeys.case(space, caseId), queryFn: () => getCase(space, caseId) });
  return q.data ? (
    <div data-version={q.data.version}>
      <ExternalIncidentPanel space={space} current={q.data} />
    </div>
  ) : null;
}
/** The case's version the panel shows. */
const shownVersion = () => document.querySelector("[data-version]")?.getAttribute("data-version");

const theCase = (): Promise<Case> => getCase(space, caseId);
/** The case saved with `patch` at `version`, as another window would (its new version). */
const editElsewhere = async (version: string, patch: Partial<CasePatch>): Promise<Case> =>
  (await updateCases(space, [{ id: caseId, version, add_tags: [], remove_tags: [], add_assignees: [], remove_assignees: [], ...patch }]))[0];
const fieldsKept = async () => (await theCase()).connector.fields;

/** `input` added to the space, its choices fetched from the system unless `fetched` is false. */
async function addConnector(input: ConnectorInput, fetched = true): Promise<Connector> {
  const k = await createConnector(space, input);
  return fetched ? refreshConnectorMetadata(space, k.id) : k;
}

/** The case uses `k`, with these fields. */
async function useConnector(k: Connector, fields: Record<string, string> = {}) {
  await setCaseConnector(caseId, (await theCase()).version, k.id, fields);
}

/** The issue as the fake Jira keeps it. */
async function jiraIssue(key: string): Promise<{ fields: Record<string, { name?: string } | string> }> {
  const { url, username, secret } = fakes().jira;
  const answer = await fetch(`${url}/rest/api/2/issue/${key}`, { headers: { authorization: `Basic ${btoa(`${username}:${secret}`)}` } });
  expect(answer.status).toBe(200);
  return answer.json();
}

const select = (label: string) => screen.getByLabelText(label) as HTMLSelectElement;
const optionLabels = (label: string) => [...select(label).options].map((o) => o.textContent);
const choose = (label: string, value: string) => fireEvent.change(select(label), { target: { value } });

beforeEach(async () => {
  space = await freshSpace("push");
  caseId = (await createCase(space, { title: "Beaconing from WEB-01", description: "C2 traffic every 60 s." } as never)).id;
});

afterEach(() => cleanup());

describe("External incident: the push button", () => {
  it.each([
    ["not_pushed", "Push as new incident", false],
    ["requires_update", "Update incident", false],
    ["up_to_date", "Up to date", true],
  ] as const)("reads as Kibana's for %s", async (push_state, text, disabled) => {
    await useConnector(await addConnector(jira()));
    if (push_state !== "not_pushed") expect((await pushCase(caseId)).outcome).toBe("sent");
    if (push_state === "requires_update") {
      await editElsewhere((await theCase()).version, { title: "Beaconing from WEB-01 and WEB-02" });
    }
    expect((await theCase()).push_state).toBe(push_state);
    renderWithQueries(<Panel />);
    const button = (await screen.findByRole("button", { name: text })) as HTMLButtonElement;
    expect(button.disabled).toBe(disabled);
  });

  it("is off for a closed case and without a connector, saying why", async () => {
    await useConnector(await addConnector(jira()));
    await editElsewhere((await theCase()).version, { status: "closed" });
    renderWithQueries(<Panel />);
    expect(((await screen.findByRole("button", { name: "Push as new incident" })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Closed cases are not pushed; reopen the case to update its ticket")).toBeTruthy();
    cleanup();

    caseId = (await createCase(space, { title: "Phishing wave" } as never)).id;
    renderWithQueries(<Panel />);
    expect(((await screen.findByRole("button", { name: "Push as new incident" })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Choose a connector first")).toBeTruthy();
  });
});

describe("External incident: connector and fields", () => {
  it("chooses the connector and its fields in Kibana's names, then pushes a new ticket", async () => {
    const k = await addConnector(jira());
    renderWithQueries(<Panel />);
    await waitFor(() => expect(optionLabels("Connector")).toEqual(["None", "SOC Jira"]));
    expect(select("Connector").value).toBe("none");
    expect(screen.queryByLabelText("Priority")).toBeNull();

    choose("Connector", k.id);
    await screen.findByLabelText("Priority");
    expect((await theCase()).connector).toEqual({ id: k.id, name: "SOC Jira", type: ".jira", fields: {} });
    await waitFor(() => expect(select("Priority").disabled).toBe(false));
    // The fake Jira's priorities, as the core fetched them.
    expect(optionLabels("Priority")).toEqual(["Not set", "Highest", "High", "Medium", "Low", "Lowest"]);
    choose("Priority", "High");
    await waitFor(async () => expect(await fieldsKept()).toEqual({ priority: "High" }));
    await waitFor(() => expect(select("Issue type").disabled).toBe(false));
    expect(optionLabels("Issue type")).toEqual(["Not set", "Task", "Bug", "Sub-task"]);
    choose("Issue type", "10002");
    await waitFor(async () => expect(await fieldsKept()).toEqual({ priority: "High", issueType: "10002" }));
    await waitFor(() => expect(select("Issue type").value).toBe("10002"));

    fireEvent.click(await screen.findByRole("button", { name: "Push as new incident" }));
    const sent = await screen.findByText(/^Pushed to SOC Jira: /);
    const ticket = (await theCase()).external_service;
    expect(ticket?.external_title).toMatch(/^SEC-\d+$/);
    expect(sent.textContent).toBe(`Pushed to SOC Jira: ${ticket?.external_title}`);
    expect(ticket?.external_url).toBe(`${fakes().jira.url}/browse/${ticket?.external_title}`);
    expect(((await screen.findByRole("button", { name: "Up to date" })) as HTMLButtonElement).disabled).toBe(true);
    // The ticket's key; the fake Jira's http:// link is shown as text, never opened (https only).
    const key = screen.getByTitle(ticket!.external_url);
    expect(key.textContent).toBe(ticket?.external_title);
    expect(screen.queryByRole("button", { name: `${ticket?.external_title} ↗` })).toBeNull();
    expect((await theCase()).push_state).toBe("up_to_date");
    // What Jira got: the case's title, and the fields chosen by name.
    const issue = await jiraIssue(ticket!.external_title);
    expect(issue.fields.summary).toBe("Beaconing from WEB-01");
    expect([(issue.fields.issuetype as { name: string }).name, (issue.fields.priority as { name: string }).name]).toEqual(["Bug", "High"]);
  });

  it("offers only the subcategories of the chosen category, and drops one that no longer fits", async () => {
    await useConnector(await addConnector(itsm()));
    renderWithQueries(<Panel />);
    await screen.findByLabelText("Category");
    expect(optionLabels("Category")).toEqual(["Not set", "Software", "Network", "Inquiry / Help"]);
    expect(optionLabels("Urgency")).toEqual(["Not set", "High", "Medium", "Low"]);
    expect(select("Subcategory").disabled).toBe(true);
    expect(screen.getByText("Choose a category first.")).toBeTruthy();

    choose("Category", "network");
    await waitFor(() => expect(select("Subcategory").disabled).toBe(false));
    expect(optionLabels("Subcategory")).toEqual(["Not set", "DNS", "VPN"]);
    choose("Subcategory", "dns");
    await waitFor(async () => expect(await fieldsKept()).toEqual({ category: "network", subcategory: "dns" }));
    await waitFor(() => expect(select("Category").disabled).toBe(false));

    choose("Category", "software");
    await waitFor(async () => expect(await fieldsKept()).toEqual({ category: "software" }));
    await waitFor(() => expect(optionLabels("Subcategory")).toEqual(["Not set", "Email", "Operating System"]));
    expect(select("Subcategory").value).toBe("");

    // Pushed to the fake ServiceNow (through the Elastic app's import set).
    await waitFor(() => expect(select("Category").disabled).toBe(false));
    fireEvent.click(screen.getByRole("button", { name: "Push as new incident" }));
    const sent = await screen.findByText(/^Pushed to SOC ServiceNow: /);
    const ticket = (await theCase()).external_service;
    expect(ticket?.external_title).toMatch(/^INC\d+$/);
    expect(sent.textContent).toBe(`Pushed to SOC ServiceNow: ${ticket?.external_title}`);
  });

  it("fetches choices never fetched, with one button", async () => {
    const k = await addConnector(jira(), false);
    await useConnector(k);
    renderWithQueries(<Panel />);
    expect(await screen.findByText(/The choices of SOC Jira .* were never fetched/)).toBeTruthy();
    expect(screen.queryByLabelText("Priority")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Refresh choices" }));
    expect(await screen.findByLabelText("Priority")).toBeTruthy();
    expect(optionLabels("Issue type")).toEqual(["Not set", "Task", "Bug", "Sub-task"]);
    const [kept] = await listConnectors(space);
    expect(kept.metadata?.priorities.map((c) => c.value)).toEqual(["Highest", "High", "Medium", "Low", "Lowest"]);
    expect(kept.metadata_fetched_at).not.toBeNull();
  });

  it("shows the core's refusal of a value, and a conflict reloads the case", async () => {
    // Saved while the choices were never fetched: the core took the value as typed.
    const k = await addConnector(jira(), false);
    await useConnector(k, { priority: "P1" });
    await refreshConnectorMetadata(space, k.id);
    renderWithQueries(<Panel />);
    await screen.findByLabelText("Priority");
    expect(select("Priority").value).toBe("P1");
    expect(optionLabels("Priority")).toContain("P1 (not offered any more)");

    // Any change sends the case's fields again, and the core checks them all.
    choose("Issue type", "10001");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      'fields.priority: "P1" is not offered by SOC Jira; choose one of: Highest, High, Medium, Low, Lowest (refresh the connector\'s choices if the list is outdated)',
    );
    expect(await fieldsKept()).toEqual({ priority: "P1" });

    // Another window saves the case meanwhile.
    await waitFor(() => expect(select("Priority").disabled).toBe(false));
    const before = (await theCase()).version;
    expect(shownVersion()).toBe(before);
    const elsewhere = await editElsewhere(before, { title: "Beaconing from WEB-01 (confirmed)" });
    choose("Priority", "Low");
    expect(await screen.findByText(/This case was changed elsewhere .* It was reloaded: make your choice again\./)).toBeTruthy();
    expect(await fieldsKept()).toEqual({ priority: "P1" });
    await waitFor(() => expect(shownVersion()).toBe(elsewhere.version));
    await waitFor(() => expect(select("Priority").disabled).toBe(false));
    choose("Priority", "Low");
    await waitFor(async () => expect(await fieldsKept()).toEqual({ priority: "Low" }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
  });

  it("takes additional fields as JSON, saved on leaving the field, and shows the core's refusal", async () => {
    const k = await addConnector(jira());
    await useConnector(k);
    renderWithQueries(<Panel />);
    const json = (await screen.findByLabelText("Additional fields (JSON)")) as HTMLTextAreaElement;

    fireEvent.change(json, { target: { value: '{"customfield_99": 1}' } });
    fireEvent.blur(json);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain('fields.otherFields: "customfield_99" is not a field SOC Jira offers');
    expect(await fieldsKept()).toEqual({});

    await waitFor(() => expect(json.disabled).toBe(false));
    fireEvent.change(json, { target: { value: '{"customfield_10042": "Blue team"}' } });
    fireEvent.blur(json);
    await waitFor(async () => expect(await fieldsKept()).toEqual({ otherFields: { customfield_10042: "Blue team" } }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    // Shown back as the JSON the core kept.
    await waitFor(() => expect(json.value).toBe('{\n  "customfield_10042": "Blue team"\n}'));
  });
});

describe("External incident: pushes that wait", () => {
  it("offline, the push is queued: the last error, Retry now and Cancel push", async () => {
    const k = await addConnector(jira({ url: OFFLINE }), false);
    await useConnector(k);
    renderWithQueries(<Panel />);
    fireEvent.click(await screen.findByRole("button", { name: "Push as new incident" }));
    const notice = await screen.findByText("Queued for SOC Jira — will retry by itself");
    const box = notice.closest("[role=status]") as HTMLElement;
    expect(box.textContent).toContain(
      `Cannot reach ${OFFLINE}: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.`,
    );
    expect(box.textContent).toMatch(/1 attempt so far; next attempt at/);
    expect(within(box).getByRole("button", { name: "Cancel push" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Push as new incident" })).toBeNull();
    const [waiting] = await listOutbox(space);
    expect([waiting.case_id, waiting.state, waiting.last_error_code]).toEqual([caseId, "queued", "unreachable"]);
    expect((await theCase()).pending_push).toBe("queued");

    // Jira is reachable again (same host, the stored token goes along): Retry now sends it.
    await updateConnector(space, k.id, jira());
    fireEvent.click(within(box).getByRole("button", { name: "Retry now" }));
    const sent = await screen.findByText(/^Pushed to SOC Jira: /);
    const ticket = (await theCase()).external_service;
    expect(sent.textContent).toBe(`Pushed to SOC Jira: ${ticket?.external_title}`);
    expect(await listOutbox(space)).toEqual([]);
    expect((await theCase()).pending_push).toBeNull();
    expect(screen.queryByText("Queued for SOC Jira — will retry by itself")).toBeNull();
  });

  it("a refused push waits as failed, also after a reload; Cancel push drops it", async () => {
    await useConnector(await addConnector(jira({ secret: "another" }), false));
    // Pushed from another window, or before a reload: the fake Jira refuses the token.
    const outcome = await pushCase(caseId);
    expect(outcome.outcome).toBe("failed");
    expect((await theCase()).pending_push).toBe("failed");
    renderWithQueries(<Panel />);

    const title = await screen.findByText("Push to SOC Jira failed");
    const box = title.closest("[role=alert]") as HTMLElement;
    expect(box.textContent).toContain(`Jira at ${fakes().jira.url} rejected the email and API token (401).`);
    expect(box.textContent).toMatch(/1 attempt so far\./);
    expect(within(box).getByRole("button", { name: "Retry" })).toBeTruthy();
    fireEvent.click(within(box).getByRole("button", { name: "Cancel push" }));
    await waitFor(() => expect(screen.queryByText("Push to SOC Jira failed")).toBeNull());
    expect(await listOutbox(space)).toEqual([]);
    expect((await theCase()).pending_push).toBeNull();
    expect((await theCase()).external_service).toBeNull();
    expect(await screen.findByRole("button", { name: "Push as new incident" })).toBeTruthy();
  });

  it("a push to another connector than the case's (CLI --connector) names it, and the connector field says so", async () => {
    // `casebook case push ID --connector "SOC Jira"` on a case without a connector; Jira refuses it.
    const k = await addConnector(jira({ secret: "another" }), false);
    expect((await pushCase(caseId, k.id)).outcome).toBe("failed");
    expect((await theCase()).connector.type).toBe(".none");
    renderWithQueries(<Panel />);

    const title = await screen.findByText("Push to SOC Jira failed");
    expect(title.closest("[role=alert]")?.textContent).toContain("rejected the email and API token (401)");
    expect(select("Connector").value).toBe("none");
    const note = await screen.findByText("The waiting push goes to “SOC Jira”, chosen for that push only; the case itself has no connector.");
    expect(select("Connector").getAttribute("aria-describedby")).toBe(note.id);

    // Cancelled, nothing waits: the field no longer mentions it.
    fireEvent.click(within(title.closest("[role=alert]") as HTMLElement).getByRole("button", { name: "Cancel push" }));
    await waitFor(() => expect(screen.queryByText(/The waiting push goes to/)).toBeNull());
    expect(screen.getByText("Choose a connector first")).toBeTruthy();
  });
});
