import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useQuery } from "@tanstack/react-query";
import type { Case, ConnectorInput } from "../../../lib/api/bindings";
import * as client from "../../../lib/api/client";
import { queryKeys } from "../../../lib/queryKeys";
import { aCase } from "../../../testing/fakeCore";
import { FAKE_METADATA, answerFromConnectors, connectorFake, type ConnectorFake } from "../../../testing/fakeConnectors";
import { renderWithQueries } from "../../../testing/render";
import { ExternalIncidentPanel } from "./ExternalIncidentPanel";

vi.mock("../../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../lib/api/client")>()),
  ...(await import("../../../testing/render")).connectorClientMocks(),
  getCase: vi.fn(),
}));

const mocked = vi.mocked(client);
const JIRA: ConnectorInput = {
  name: "SOC Jira",
  kind: "jira",
  url: "https://soc.atlassian.net",
  project_key: "SEC",
  username: "ana@example.org",
  secret: "token",
};
const ITSM: ConnectorInput = { name: "SOC ServiceNow", kind: "servicenow-itsm", url: "https://soc.service-now.com", username: "casebook", secret: "pw" };

let theCase: Case;
let fake: ConnectorFake;

/** The panel over the case as the case view reads it (the core's answer, refetched after writes). */
function Panel() {
  const q = useQuery({ queryKey: queryKeys.case("default", theCase.id), queryFn: () => client.getCase("default", theCase.id) });
  return q.data ? <ExternalIncidentPanel space="default" current={q.data} /> : null;
}

/** The case, using `connector` (added to the space with its choices fetched) unless null. */
function setUp(patch: Partial<Case> = {}, connector: ConnectorInput | null = JIRA, fetched = true) {
  theCase = aCase(1, patch);
  fake = connectorFake({ findCase: (id) => (id === theCase.id ? theCase : undefined) });
  answerFromConnectors(mocked, fake);
  mocked.getCase.mockImplementation(async () => ({ ...theCase }));
  if (connector) {
    const k = fake.add("default", connector, fetched ? { metadata: structuredClone(FAKE_METADATA[connector.kind]), metadata_fetched_at: "2026-11-27T09:00:00Z" } : {});
    if (patch.connector === undefined) theCase.connector = { id: k.id, name: k.name, type: connector.kind === "jira" ? ".jira" : ".servicenow", fields: {} };
  }
  return renderWithQueries(<Panel />);
}

const select = (label: string) => screen.getByLabelText(label) as HTMLSelectElement;
const optionLabels = (label: string) => [...select(label).options].map((o) => o.textContent);
const choose = (label: string, value: string) => fireEvent.change(select(label), { target: { value } });

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("External incident: the push button", () => {
  it.each([
    ["not_pushed", "Push as new incident", false],
    ["requires_update", "Update incident", false],
    ["up_to_date", "Up to date", true],
  ] as const)("reads as Kibana's for %s", async (push_state, text, disabled) => {
    setUp({ push_state });
    const button = (await screen.findByRole("button", { name: text })) as HTMLButtonElement;
    expect(button.disabled).toBe(disabled);
  });

  it("is off for a closed case and without a connector, saying why", async () => {
    setUp({ status: "closed" });
    expect(((await screen.findByRole("button", { name: "Push as new incident" })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Closed cases are not pushed; reopen the case to update its ticket")).toBeTruthy();
    cleanup();
    setUp({}, null);
    expect(((await screen.findByRole("button", { name: "Push as new incident" })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("Choose a connector first")).toBeTruthy();
  });
});

describe("External incident: connector and fields", () => {
  it("chooses the connector and its fields in Kibana's names, then pushes a new ticket", async () => {
    setUp({ connector: { id: "none", name: "none", type: ".none", fields: null } });
    await waitFor(() => expect(optionLabels("Connector")).toEqual(["None", "SOC Jira"]));
    expect(screen.queryByLabelText("Priority")).toBeNull();

    choose("Connector", "connector-1");
    await waitFor(() => expect(mocked.setCaseConnector).toHaveBeenCalledWith(theCase.id, "11", "connector-1", {}));
    await screen.findByLabelText("Priority");
    choose("Priority", "High");
    await waitFor(() => expect(mocked.setCaseConnector).toHaveBeenLastCalledWith(theCase.id, "12", "connector-1", { priority: "High" }));
    await waitFor(() => expect(select("Priority").disabled).toBe(false));
    expect(optionLabels("Issue type")).toEqual(["Not set", "Task", "Bug", "Incident"]);
    choose("Issue type", "10002");
    await waitFor(() =>
      expect(mocked.setCaseConnector).toHaveBeenLastCalledWith(theCase.id, "13", "connector-1", { priority: "High", issueType: "10002" }),
    );
    expect(theCase.connector.fields).toEqual({ priority: "High", issueType: "10002" });

    fireEvent.click(await screen.findByRole("button", { name: "Push as new incident" }));
    expect(await screen.findByText("Pushed to SOC Jira: SEC-1")).toBeTruthy();
    expect(mocked.pushCase).toHaveBeenCalledWith(theCase.id, null);
    expect(((await screen.findByRole("button", { name: "Up to date" })) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("button", { name: "SEC-1 ↗" })).toBeTruthy();
  });

  it("offers only the subcategories of the chosen category, and drops one that no longer fits", async () => {
    setUp({}, ITSM);
    await screen.findByLabelText("Category");
    expect(select("Subcategory").disabled).toBe(true);
    expect(screen.getByText("Choose a category first.")).toBeTruthy();

    choose("Category", "network");
    await waitFor(() => expect(select("Subcategory").disabled).toBe(false));
    expect(optionLabels("Subcategory")).toEqual(["Not set", "DNS", "VPN"]);
    choose("Subcategory", "dns");
    await waitFor(() => expect(theCase.connector.fields).toEqual({ category: "network", subcategory: "dns" }));
    await waitFor(() => expect(select("Category").disabled).toBe(false));

    choose("Category", "software");
    await waitFor(() => expect(mocked.setCaseConnector).toHaveBeenLastCalledWith(theCase.id, expect.any(String), "connector-1", { category: "software" }));
    await waitFor(() => expect(optionLabels("Subcategory")).toEqual(["Not set", "Email", "Operating System"]));
    expect(select("Subcategory").value).toBe("");
  });

  it("fetches choices never fetched, with one button", async () => {
    setUp({}, JIRA, false);
    expect(await screen.findByText(/The choices of SOC Jira .* were never fetched/)).toBeTruthy();
    expect(screen.queryByLabelText("Priority")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Refresh choices" }));
    expect(await screen.findByLabelText("Priority")).toBeTruthy();
    expect(mocked.refreshConnectorMetadata).toHaveBeenCalledWith("default", "connector-1");
  });

  it("shows the core's refusal of a value, and a conflict reloads the case", async () => {
    setUp();
    await screen.findByLabelText("Priority");
    // The system's choices changed since the panel read them.
    fake.state.connectors[0].metadata = { ...FAKE_METADATA.jira, priorities: [{ value: "P1", label: "P1" }] };
    choose("Priority", "High");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/^fields\.priority: "High" is not offered by SOC Jira; choose one of: P1/);

    fake.state.connectors[0].metadata = structuredClone(FAKE_METADATA.jira);
    theCase.version = "99"; // another window saved the case meanwhile
    choose("Priority", "Low");
    expect(await screen.findByText(/This case was changed elsewhere .* It was reloaded: make your choice again\./)).toBeTruthy();
    await waitFor(() => expect(mocked.getCase.mock.calls.length).toBeGreaterThan(1));
    choose("Priority", "Low");
    await waitFor(() => expect(mocked.setCaseConnector).toHaveBeenLastCalledWith(theCase.id, "99", "connector-1", { priority: "Low" }));
  });
});

describe("External incident: pushes that wait", () => {
  it("offline, the push is queued: the last error, Retry now and Cancel push", async () => {
    setUp();
    fake.state.online = false;
    fireEvent.click(await screen.findByRole("button", { name: "Push as new incident" }));
    const notice = await screen.findByText("Queued — will retry by itself");
    const box = notice.closest("[role=status]") as HTMLElement;
    expect(box.textContent).toContain("Cannot reach https://soc.atlassian.net: connection refused.");
    expect(box.textContent).toMatch(/1 attempt so far; next attempt at/);
    expect(screen.queryByRole("button", { name: "Push as new incident" })).toBeNull();

    // Back online, Retry now sends it.
    fake.state.online = true;
    fireEvent.click(within(box).getByRole("button", { name: "Retry now" }));
    expect(await screen.findByText("Pushed to SOC Jira: SEC-1")).toBeTruthy();
    expect(mocked.retryPush).toHaveBeenCalledWith(1);
  });

  it("a refused push waits as failed, also after a reload; Cancel push drops it", async () => {
    setUp();
    fake.state.validSecret = "another";
    await fake.pushCase(theCase.id); // pushed from another window, or before a reload
    expect(theCase.pending_push).toBe("failed");
    fake.state.validSecret = null;
    cleanup();
    renderWithQueries(<Panel />);

    const title = await screen.findByText("Push failed");
    const box = title.closest("[role=alert]") as HTMLElement;
    expect(box.textContent).toContain("rejected the email and API token (401)");
    expect(within(box).getByRole("button", { name: "Retry" })).toBeTruthy();
    fireEvent.click(within(box).getByRole("button", { name: "Cancel push" }));
    await waitFor(() => expect(screen.queryByText("Push failed")).toBeNull());
    expect(mocked.cancelPush).toHaveBeenCalledWith(1);
    expect(fake.state.outbox).toHaveLength(0);
    expect(await screen.findByRole("button", { name: "Push as new incident" })).toBeTruthy();
  });
});
