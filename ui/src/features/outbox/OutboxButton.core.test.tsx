// The header's Outbox against the real core (`casebook serve --dev`) and the contract fake of
// Jira: pushes that wait (Jira unreachable, or the token refused), in the core's words.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Connector } from "../../lib/api/bindings";
import { createCase, createConnector, getCase, listOutbox, pushCase, setCaseConnector, updateConnector } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { OFFLINE, fakes, freshSpace, jiraInput } from "../../testing/core/server";
import { OutboxButton } from "./OutboxButton";

configure({ asyncUtilTimeout: 8_000 });


let space: string;

const jira = jiraInput;

/** A case of the space using connector `k`. */
async function aCaseUsing(title: string, k: Connector): Promise<string> {
  const c = await createCase(space, { title } as never);
  await setCaseConnector(c.id, c.version, k.id, {});
  return c.id;
}

/** Renders the button with a QueryClient the test can look into. */
function renderButton() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <OutboxButton space={space} />
    </QueryClientProvider>,
  );
  return qc;
}

beforeEach(async () => {
  space = await freshSpace("outbox");
});

afterEach(() => {
  cleanup();
  window.location.hash = "";
});

describe("Outbox", () => {
  it("shows nothing while every push was sent", async () => {
    const k = await createConnector(space, jira());
    const id = await aCaseUsing("Beaconing from WEB-01", k);
    expect((await pushCase(id)).outcome).toBe("sent");
    const qc = renderButton();
    await waitFor(() => expect(qc.getQueryState(queryKeys.outbox(space))?.status).toBe("success"));
    expect(qc.getQueryData(queryKeys.outbox(space))).toEqual([]);
    expect(screen.queryByRole("button", { name: /Outbox/ })).toBeNull();
  });

  it("lists the waiting pushes with why they wait; Retry now sends one, Cancel push drops the other", async () => {
    // Two Jira connectors, both unreachable; the first comes back later.
    const soc = await createConnector(space, jira({ url: OFFLINE }));
    const backup = await createConnector(space, jira({ name: "Backup Jira", url: OFFLINE }));
    const first = await aCaseUsing("Beaconing from WEB-01", soc);
    const second = await aCaseUsing("Phishing wave", backup);
    for (const id of [first, second]) expect((await pushCase(id)).outcome).toBe("queued");

    renderButton();
    fireEvent.click(await screen.findByRole("button", { name: "Outbox: 2 pushes waiting" }));
    const list = await screen.findByRole("list", { name: "Waiting pushes" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((r) => r.querySelector(".link-button")?.textContent)).toEqual(["Beaconing from WEB-01", "Phishing wave"]);
    expect(rows[0].textContent).toContain("to SOC Jira");
    expect(rows[1].textContent).toContain("to Backup Jira");
    expect(rows[0].textContent).toContain("Queued");
    expect(rows[0].textContent).toContain(
      `Cannot reach ${OFFLINE}: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.`,
    );
    // The core retries queued pushes by itself (5 s, then 10 s…), so there may be more by now.
    expect(rows[0].textContent).toMatch(/\d+ attempts? so far; next attempt at/);

    // SOC Jira is reachable again (same host, the stored token goes along).
    await updateConnector(space, soc.id, jira());
    fireEvent.click(within(rows[0]).getByRole("button", { name: "Retry now" }));
    await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(1));
    const ticket = (await getCase(space, first)).external_service;
    expect(ticket?.connector_name).toBe("SOC Jira");
    expect(ticket?.external_title).toMatch(/^SEC-\d+$/);
    expect(within(list).getByRole("listitem").textContent).toContain("Phishing wave");

    fireEvent.click(within(list).getByRole("button", { name: "Cancel push" }));
    expect(await screen.findByText("The outbox is empty: every push was sent.")).toBeTruthy();
    expect(await listOutbox(space)).toEqual([]);
    const cancelled = await getCase(space, second);
    expect([cancelled.external_service, cancelled.pending_push, cancelled.push_state]).toEqual([null, null, "not_pushed"]);
  });

  it("says how many were refused, and opens the case from the list", async () => {
    // One push waits for an unreachable Jira; the other was refused: the token is not Jira's.
    const offline = await createConnector(space, jira({ url: OFFLINE }));
    const refused = await createConnector(space, jira({ name: "SOC Jira (old token)", secret: "another" }));
    await pushCase(await aCaseUsing("Beaconing from WEB-01", offline));
    const phishing = await aCaseUsing("Phishing wave", refused);
    expect((await pushCase(phishing)).outcome).toBe("failed");

    renderButton();
    fireEvent.click(await screen.findByRole("button", { name: "Outbox: 2 pushes waiting, 1 failed" }));
    const row = (await screen.findByText("Phishing wave")).closest("li") as HTMLElement;
    expect(row.textContent).toContain("Push failed");
    expect(row.textContent).toContain(`Jira at ${fakes().jira.url} rejected the email and API token (401).`);
    expect(row.textContent).toMatch(/1 attempt so far\./);
    expect(within(row).getByRole("button", { name: "Retry" })).toBeTruthy();
    fireEvent.click(within(row).getByRole("button", { name: "Phishing wave" }));
    expect(window.location.hash).toContain(phishing);
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
