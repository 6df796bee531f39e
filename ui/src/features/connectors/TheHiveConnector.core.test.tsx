// A TheHive connector against the real core (`casebook serve --dev`, secrets in memory) and the
// contract fake of TheHive: added through Settings → Connectors, tested without making a case,
// its TLP levels offered at once, and a case pushed from the External incident panel.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useQuery } from "@tanstack/react-query";
import { createCase, getCase, listConnectors } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { fakes, freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { ExternalIncidentPanel } from "../case-view/push/ExternalIncidentPanel";
import { ConnectorsSection } from "./ConnectorsSection";

configure({ asyncUtilTimeout: 8_000 });

let space: string;

beforeEach(async () => {
  space = await freshSpace("thehive");
});
afterEach(() => cleanup());

const dialog = () => screen.getByRole("dialog");
const type = (label: string | RegExp, value: string) => fireEvent.change(within(dialog()).getByLabelText(label), { target: { value } });

/** The case as the fake TheHive keeps it, read with the connector's key and organisation. */
async function hiveCase(id: string): Promise<Record<string, unknown>> {
  const { url, organisation, secret } = fakes().thehive;
  const answer = await fetch(`${url}/api/v1/case/${encodeURIComponent(id)}`, {
    headers: { authorization: `Bearer ${secret}`, "x-organisation": organisation },
  });
  expect(answer.status).toBe(200);
  return answer.json();
}

/** The External incident panel over the case as the case view reads it. */
function Panel({ caseId }: { caseId: string }) {
  const q = useQuery({ queryKey: queryKeys.case(space, caseId), queryFn: () => getCase(space, caseId) });
  return q.data ? <ExternalIncidentPanel space={space} current={q.data} /> : null;
}

describe("TheHive connector", () => {
  it("is added in Settings → Connectors, tests the key without making a case, and pushes a case with its TLP", async () => {
    const { url, organisation, secret } = fakes().thehive;
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(await screen.findByRole("button", { name: "Add connector" }));
    fireEvent.change(within(dialog()).getByLabelText("System"), { target: { value: "thehive" } });
    expect((within(dialog()).getByLabelText("URL") as HTMLInputElement).placeholder).toBe("https://thehive.example.com");
    expect(within(dialog()).queryByLabelText("Project key")).toBeNull();
    type("Name", "SOC TheHive");
    type("URL", url);
    type("Organisation", ` ${organisation} `);
    const key = within(dialog()).getByLabelText("API key") as HTMLInputElement;
    expect(key.type).toBe("password");
    type("API key", secret);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    const [kept] = await listConnectors(space);
    expect(kept).toMatchObject({
      name: "SOC TheHive",
      kind: "thehive",
      url,
      settings: { kind: "thehive", organisation },
      target: `organisation ${organisation}`,
      secret_label: "API key",
      secret_stored: true,
    });
    // TheHive's TLP levels need no "Refresh choices".
    expect(kept.metadata?.tlps.map((t) => t.label)).toEqual(["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]);
    expect(JSON.stringify(kept)).not.toContain(secret);
    const hive = await screen.findByRole("region", { name: "SOC TheHive" });
    expect(within(hive).getByText("Stored in keychain")).toBeTruthy();
    expect(within(hive).queryByText(/Never fetched/)).toBeNull();
    expect(within(hive).getByText(/^Fetched .*: 5 TLPs$/)).toBeTruthy();

    fireEvent.click(within(hive).getByRole("button", { name: "Test connection" }));
    expect((await within(hive).findByRole("status")).textContent).toBe(
      `Connected to TheHive at ${url} as Casebook Integration (casebook@thehive.local) in organisation ${organisation}.`,
    );
    expect(document.body.innerHTML).not.toContain(secret);
    cleanup();

    // A case pushed from its External incident panel, with a TLP chosen from the levels.
    const made = await createCase(space, { title: "Beacon on WS-0142", description: "C2 every 60 s.", tags: ["c2"] } as never);
    renderWithQueries(<Panel caseId={made.id} />);
    const connector = (await screen.findByLabelText("Connector")) as HTMLSelectElement;
    await waitFor(() => expect([...connector.options].map((o) => o.textContent)).toEqual(["None", "SOC TheHive"]));
    fireEvent.change(connector, { target: { value: kept.id } });
    const tlp = (await screen.findByLabelText("TLP")) as HTMLSelectElement;
    await waitFor(() => expect(tlp.disabled).toBe(false));
    expect([...tlp.options].map((o) => o.textContent)).toEqual(["Not set: AMBER", "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"]);
    fireEvent.change(tlp, { target: { value: "4" } });
    await waitFor(async () => expect((await getCase(space, made.id)).connector.fields).toEqual({ tlp: "4" }));
    await waitFor(() => expect(tlp.disabled).toBe(false));

    fireEvent.click(await screen.findByRole("button", { name: "Push as new incident" }));
    const pushed = await screen.findByText(/^Pushed to SOC TheHive: /);
    const ticket = (await getCase(space, made.id)).external_service;
    expect(ticket?.external_title).toMatch(/^#\d+ Beacon on WS-0142$/);
    expect(pushed.textContent).toBe(`Pushed to SOC TheHive: ${ticket?.external_title}`);
    expect(ticket?.external_url).toBe(`${url}/cases/${ticket?.external_id}/details`);
    expect(((await screen.findByRole("button", { name: "Up to date" })) as HTMLButtonElement).disabled).toBe(true);

    const inHive = await hiveCase(ticket!.external_id);
    expect(inHive).toMatchObject({ title: "Beacon on WS-0142", tlp: 4, tlpLabel: "RED", severity: 1, status: "New" });
    expect(inHive.tags).toEqual(["c2", `casebook-${made.id}`]);
    expect(inHive.description).toMatch(/^C2 every 60 s\.\n\nAdded by /);
  });
});
