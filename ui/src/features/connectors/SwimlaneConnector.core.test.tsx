// A Swimlane connector added in Settings → Connectors against the real core (`casebook serve
// --dev`, secrets in memory) and the contract fake of Swimlane: the application's fields loaded
// before saving, the mappings chosen from them, and a case pushed to a new record.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useQuery } from "@tanstack/react-query";
import { addComment, createCase, createConnector, getCase, listConnectors, pushCase, setCaseConnector } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { fakes, freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { ExternalIncidentPanel } from "../case-view/push/ExternalIncidentPanel";
import { ConnectorsSection } from "./ConnectorsSection";

configure({ asyncUtilTimeout: 8_000 });

let space: string;

beforeEach(async () => {
  space = await freshSpace("swimlane");
});
afterEach(() => cleanup());

const dialog = () => screen.getByRole("dialog");
const inDialog = (label: string) => within(dialog()).getByLabelText(label) as HTMLInputElement & HTMLSelectElement;
const type = (label: string, value: string) => fireEvent.change(inDialog(label), { target: { value } });
const options = (label: string) => [...inDialog(label).options].map((o) => o.textContent);

/** The record as the fake Swimlane keeps it. */
async function record(id: string): Promise<{ name: string; values: Record<string, unknown> }> {
  const { url, app_id, secret } = fakes().swimlane;
  const answer = await fetch(`${url}/api/app/${app_id}/record/${id}`, { headers: { "private-token": secret } });
  expect(answer.status).toBe(200);
  return answer.json();
}

function Panel({ caseId }: { caseId: string }) {
  const q = useQuery({ queryKey: queryKeys.case(space, caseId), queryFn: () => getCase(space, caseId) });
  return q.data ? <ExternalIncidentPanel space={space} current={q.data} /> : null;
}

describe("Swimlane connector", () => {
  it("loads the application's fields before saving, maps them, and pushes a case to a new record", async () => {
    const sw = fakes().swimlane;
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(await screen.findByRole("button", { name: "Add connector" }));
    type("System", "swimlane");
    expect(inDialog("URL").placeholder).toBe("https://your-tenant.swimlane.app");
    type("Name", "SOC Swimlane");
    type("URL", sw.url);
    type("Application ID", sw.app_id);
    type("API token", sw.secret);
    expect(within(dialog()).getByRole("note").textContent).toBe("Pushes are refused until the case ID and comments fields are mapped.");
    expect(options("Comments field")).toEqual(["Not mapped"]);

    fireEvent.click(within(dialog()).getByRole("button", { name: "Load fields" }));
    expect((await within(dialog()).findByRole("status")).textContent).toBe("10 fields read from the application.");
    // Each drop-down offers the fields whose type can hold its value; never the tracking id.
    expect(options("Comments field")).toEqual(["Not mapped", "Comments (comments)"]);
    expect(options("Severity field")).toEqual(expect.arrayContaining(["Severity (text)", "Priority Score (numeric)", "Status (valuesList)"]));
    expect(options("Severity field")).not.toContain("Comments (comments)");
    expect(options("Case ID field")).not.toContain("Priority Score (numeric)");
    expect(options("Case ID field")).not.toContain("Tracking Id (tracking)");

    type("Case ID field", sw.fields.case_id);
    type("Case name field", sw.fields.name);
    type("Description field", sw.fields.description);
    type("Severity field", sw.fields.severity);
    type("Status field", sw.fields.status);
    expect(within(dialog()).getByRole("note").textContent).toBe("Pushes are refused until the comments field is mapped.");
    type("Comments field", sw.fields.comments);
    expect(within(dialog()).queryByRole("note")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.body.innerHTML).not.toContain(sw.secret);

    const [k] = await listConnectors(space);
    expect(k).toMatchObject({
      kind: "swimlane",
      target: `application ${sw.app_id}`,
      secret_stored: true,
      settings: { kind: "swimlane", app_id: sw.app_id, mappings: sw.fields },
    });
    expect(JSON.stringify(k)).not.toContain(sw.secret);
    cleanup();

    const c = await createCase(space, { title: "Beaconing from WEB-01", description: "C2 traffic every 60 s.", severity: "high" } as never);
    await setCaseConnector(c.id, c.version, k.id, {});
    await addComment(c.id, "Isolated WEB-01");
    renderWithQueries(<Panel caseId={c.id} />);
    fireEvent.click(await screen.findByRole("button", { name: "Push as new incident" }));
    const sent = await screen.findByText(/^Pushed to SOC Swimlane: /);
    const ticket = (await getCase(space, c.id)).external_service!;
    expect(ticket.external_title).toMatch(/^CBI-\d+$/);
    expect(sent.textContent).toBe(`Pushed to SOC Swimlane: ${ticket.external_title}`);
    expect(ticket.external_url).toBe(`${sw.url}/record/${sw.app_id}/${ticket.external_id}`);
    const r = await record(ticket.external_id);
    expect(r.name).toBe(ticket.external_title);
    expect(r.values[sw.fields.case_id]).toBe(c.id);
    expect(r.values[sw.fields.name]).toBe("Beaconing from WEB-01");
    expect(r.values[sw.fields.severity]).toBe("high");
    expect(r.values[sw.fields.status]).toBe("Open");
    const comments = r.values[sw.fields.comments] as { message: string; isRichText: boolean }[];
    expect(comments.map((x) => x.message.split("\n")[0])).toEqual(["Isolated WEB-01"]);
    expect(comments[0].isRichText).toBe(true);
  });

  it("maps the fields of a saved connector with its stored token, not typed again", async () => {
    const sw = fakes().swimlane;
    await createConnector(space, { name: "SOC Swimlane", url: sw.url, settings: { kind: "swimlane", app_id: sw.app_id, mappings: {} }, secret: sw.secret });
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(within(await screen.findByRole("region", { name: "SOC Swimlane" })).getByRole("button", { name: "Edit" }));
    expect(inDialog("API token").value).toBe("");
    fireEvent.click(within(dialog()).getByRole("button", { name: "Load fields" }));
    expect((await within(dialog()).findByRole("status")).textContent).toBe("10 fields read from the application.");
    type("Case ID field", sw.fields.case_id);
    type("Comments field", sw.fields.comments);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const [k] = await listConnectors(space);
    expect(k.settings).toEqual({ kind: "swimlane", app_id: sw.app_id, mappings: { case_id: sw.fields.case_id, comments: sw.fields.comments } });
    expect(k.secret_stored).toBe(true);
  });

  it("keeps a push without a comments field from sending anything, and says where to map one", async () => {
    const sw = fakes().swimlane;
    const k = await createConnector(space, {
      name: "SOC Swimlane",
      url: sw.url,
      settings: { kind: "swimlane", app_id: sw.app_id, mappings: { case_id: sw.fields.case_id } },
      secret: sw.secret,
    });
    const c = await createCase(space, { title: "No comments field" } as never);
    await setCaseConnector(c.id, c.version, k.id, {});
    const outcome = await pushCase(c.id);
    expect(outcome.outcome).toBe("failed");
    const said = outcome.outcome === "failed" ? outcome.item.last_error : "";
    expect(said).toMatch(/^mappings\.comments: no Swimlane comments field is mapped: .*Settings → Connectors/);
    expect((await getCase(space, c.id)).external_service).toBeNull();
  });
});
