import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { Case } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { aCase } from "../../testing/fakeCore";
import { answerFromConnectors, connectorFake, type ConnectorFake } from "../../testing/fakeConnectors";
import { renderWithQueries } from "../../testing/render";
import { OutboxButton } from "./OutboxButton";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  ...(await import("../../testing/render")).connectorClientMocks(),
}));

const mocked = vi.mocked(client);
let cases: Case[];
let fake: ConnectorFake;

/** Two cases with a Jira connector, both pushed while Jira is unreachable. */
async function twoQueued() {
  cases = [aCase(1, { title: "Beaconing from WEB-01" }), aCase(2, { title: "Phishing wave" })];
  fake = connectorFake({ findCase: (id) => cases.find((c) => c.id === id) });
  answerFromConnectors(mocked, fake);
  const k = fake.add("default", {
    name: "SOC Jira",
    kind: "jira",
    url: "https://soc.atlassian.net",
    project_key: "SEC",
    username: "ana@example.org",
    secret: "t",
  });
  for (const c of cases) c.connector = { id: k.id, name: k.name, type: ".jira", fields: {} };
  fake.state.online = false;
  for (const c of cases) await fake.pushCase(c.id);
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
  window.location.hash = "";
});

describe("Outbox", () => {
  it("shows nothing while every push was sent", async () => {
    cases = [];
    fake = connectorFake({ findCase: () => undefined });
    answerFromConnectors(mocked, fake);
    renderWithQueries(<OutboxButton space="default" />);
    await waitFor(() => expect(mocked.listOutbox).toHaveBeenCalledWith("default"));
    expect(screen.queryByRole("button", { name: /Outbox/ })).toBeNull();
  });

  it("lists the waiting pushes with why they wait; Retry now sends one, Cancel push drops the other", async () => {
    await twoQueued();
    renderWithQueries(<OutboxButton space="default" />);
    fireEvent.click(await screen.findByRole("button", { name: "Outbox: 2 pushes waiting" }));
    const list = await screen.findByRole("list", { name: "Waiting pushes" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows.map((r) => r.querySelector(".link-button")?.textContent)).toEqual(["Beaconing from WEB-01", "Phishing wave"]);
    expect(rows[0].textContent).toContain("to SOC Jira");
    expect(rows[0].textContent).toContain("Queued");
    expect(rows[0].textContent).toContain("Cannot reach https://soc.atlassian.net: connection refused.");
    expect(rows[0].textContent).toMatch(/1 attempt so far; next attempt at/);

    fake.state.online = true;
    fireEvent.click(within(rows[0]).getByRole("button", { name: "Retry now" }));
    await waitFor(() => expect(within(list).getAllByRole("listitem")).toHaveLength(1));
    expect(cases[0].external_service?.external_title).toBe("SEC-1");

    fireEvent.click(within(list).getByRole("button", { name: "Cancel push" }));
    expect(await screen.findByText("The outbox is empty: every push was sent.")).toBeTruthy();
    expect(fake.state.outbox).toHaveLength(0);
    expect(cases[1].external_service).toBeNull();
  });

  it("says how many were refused, and opens the case from the list", async () => {
    await twoQueued();
    fake.state.online = true;
    fake.state.validSecret = "another";
    await fake.retryPush(2);
    renderWithQueries(<OutboxButton space="default" />);
    fireEvent.click(await screen.findByRole("button", { name: "Outbox: 2 pushes waiting, 1 failed" }));
    const refused = (await screen.findByText("Phishing wave")).closest("li") as HTMLElement;
    expect(refused.textContent).toContain("Push failed");
    expect(refused.textContent).toContain("rejected the email and API token (401)");
    expect(within(refused).getByRole("button", { name: "Retry" })).toBeTruthy();
    fireEvent.click(within(refused).getByRole("button", { name: "Phishing wave" }));
    expect(window.location.hash).toContain(cases[1].id);
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
