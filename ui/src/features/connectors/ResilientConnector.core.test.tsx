// An IBM Resilient connector against the real core (`casebook serve --dev`, secrets in memory)
// and the contract fake Resilient: added through Settings → Connectors, tested, its choices
// fetched, and a case pushed from the External incident panel.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useQuery } from "@tanstack/react-query";
import type { ConnectorInput } from "../../lib/api/bindings";
import { createCase, createConnector, getCase, listConnectors, refreshConnectorMetadata } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { fakes, freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { ExternalIncidentPanel } from "../case-view/push/ExternalIncidentPanel";
import { ConnectorsSection } from "./ConnectorsSection";

configure({ asyncUtilTimeout: 8_000 });

let space: string;

beforeEach(async () => {
  space = await freshSpace("resilient");
});
afterEach(() => cleanup());

const dialog = () => screen.getByRole("dialog");
const type = (label: string | RegExp, value: string) => fireEvent.change(within(dialog()).getByLabelText(label), { target: { value } });

const soar = (): ConnectorInput => {
  const { url, org_id, api_key_id, secret } = fakes().resilient;
  return { name: "SOC Resilient", url, settings: { kind: "resilient", org_id, api_key_id }, secret };
};

/** The incident as the fake Resilient keeps it. */
async function incident(id: string): Promise<Record<string, unknown>> {
  const { url, org_id, api_key_id, secret } = fakes().resilient;
  const answer = await fetch(`${url}/rest/orgs/${org_id}/incidents/${id}?text_content_output_format=objects_convert`, {
    headers: { authorization: `Basic ${btoa(`${api_key_id}:${secret}`)}` },
  });
  expect(answer.status).toBe(200);
  return answer.json();
}

describe("IBM Resilient", () => {
  it("is added in Settings → Connectors with its organisation and key id; the key secret stays in the keychain", async () => {
    const { url, org_id, api_key_id, secret } = fakes().resilient;
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(await screen.findByRole("button", { name: "Add connector" }));
    fireEvent.change(within(dialog()).getByLabelText("System"), { target: { value: "resilient" } });
    expect((within(dialog()).getByLabelText("URL") as HTMLInputElement).placeholder).toBe("https://soar.example.com");
    type("Name", "SOC Resilient");
    type("URL", url);
    type("Organisation ID", ` ${org_id} `);
    type("API key ID", api_key_id);
    const field = within(dialog()).getByLabelText("API key secret") as HTMLInputElement;
    expect(field.type).toBe("password");
    type("API key secret", secret);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    const [kept] = await listConnectors(space);
    expect(kept).toMatchObject({
      kind: "resilient",
      settings: { kind: "resilient", org_id, api_key_id },
      target: `organisation ${org_id}`,
      account: api_key_id,
      secret_stored: true,
    });
    expect(JSON.stringify(kept)).not.toContain(secret);
    expect(document.body.innerHTML).not.toContain(secret);

    const item = await screen.findByRole("region", { name: "SOC Resilient" });
    fireEvent.click(within(item).getByRole("button", { name: "Test connection" }));
    expect((await within(item).findByRole("status")).textContent).toBe(
      `Connected to IBM Resilient at ${url}: organisation Casebook SOC (${org_id}) is reachable.`,
    );
    fireEvent.click(within(item).getByRole("button", { name: "Refresh choices" }));
    await waitFor(() => expect(within(item).getByRole("status").textContent).toBe("Choices refreshed: 6 incident types, 3 severities."));
  });

  it("refuses an organisation id that is not a number, next to the field", async () => {
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(await screen.findByRole("button", { name: "Add connector" }));
    fireEvent.change(within(dialog()).getByLabelText("System"), { target: { value: "resilient" } });
    type("Name", "SOC Resilient");
    type("URL", fakes().resilient.url);
    type("Organisation ID", "acme");
    type("API key ID", fakes().resilient.api_key_id);
    type("API key secret", fakes().resilient.secret);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toBe('org_id: must be the organisation\'s number, as in /rest/orgs/201 (got "acme")');
    expect(alert.id).toBe("connector-org-id-error");
    expect(await listConnectors(space)).toHaveLength(0);
  });

  it("pushes a case with its incident types and severity as a new incident", async () => {
    const k = await refreshConnectorMetadata(space, (await createConnector(space, soar())).id);
    const caseId = (await createCase(space, { title: "Ransomware on FS-02", description: "Files <encrypted>\nat 02:10" } as never)).id;
    function Panel() {
      const q = useQuery({ queryKey: queryKeys.case(space, caseId), queryFn: () => getCase(space, caseId) });
      return q.data ? <ExternalIncidentPanel space={space} current={q.data} /> : null;
    }
    renderWithQueries(<Panel />);
    const connector = () => screen.getByLabelText("Connector") as HTMLSelectElement;
    await waitFor(() => expect([...connector().options].map((o) => o.textContent)).toEqual(["None", "SOC Resilient"]));
    fireEvent.change(screen.getByLabelText("Connector"), { target: { value: k.id } });
    const severity = (await screen.findByLabelText("Severity")) as HTMLSelectElement;
    await waitFor(() => expect(severity.disabled).toBe(false));
    expect([...severity.options].map((o) => o.textContent)).toEqual(["Not set", "Low", "Medium", "High"]);
    fireEvent.change(severity, { target: { value: "6" } });
    await waitFor(async () => expect((await getCase(space, caseId)).connector.fields).toEqual({ severityCode: "6" }));

    const types = screen.getByLabelText("Incident type") as HTMLSelectElement;
    await waitFor(() => expect(types.disabled).toBe(false));
    for (const o of types.options) o.selected = o.textContent === "Malware" || o.textContent === "Ransomware";
    fireEvent.change(types);
    await waitFor(async () => expect((await getCase(space, caseId)).connector.fields).toEqual({ severityCode: "6", incidentTypes: "19,1001" }));

    // An additional field of Resilient's own, saved when the box is left.
    await waitFor(() => expect((screen.getByLabelText("Severity") as HTMLSelectElement).disabled).toBe(false));
    const extra = screen.getByLabelText("Additional fields (JSON)");
    fireEvent.change(extra, { target: { value: '{"confirmed": true}' } });
    fireEvent.blur(extra);
    await waitFor(async () =>
      expect((await getCase(space, caseId)).connector.fields).toEqual({ severityCode: "6", incidentTypes: "19,1001", additionalFields: { confirmed: true } }),
    );

    await waitFor(() => expect((screen.getByLabelText("Severity") as HTMLSelectElement).disabled).toBe(false));
    fireEvent.click(await screen.findByRole("button", { name: "Push as new incident" }));
    const sent = await screen.findByText(/^Pushed to SOC Resilient: /);
    const ticket = (await getCase(space, caseId)).external_service!;
    expect(ticket.external_title).toMatch(/^\d+$/);
    expect(sent.textContent).toBe(`Pushed to SOC Resilient: ${ticket.external_title}`);
    expect(ticket.external_url).toBe(`${fakes().resilient.url}/#incidents/${ticket.external_id}`);

    const made = await incident(ticket.external_id);
    expect(made.name).toBe("Ransomware on FS-02");
    expect(made.incident_type_ids).toEqual([19, 1001]);
    expect(made.severity_code).toBe(6);
    expect(made.confirmed).toBe(true);
    expect((made.description as { format: string; content: string }).content).toMatch(/^Files &lt;encrypted&gt;<br>at 02:10<br><br>Added by /);
    expect((made.properties as Record<string, unknown>).casebook_case_id).toBe(caseId);
  });
});
