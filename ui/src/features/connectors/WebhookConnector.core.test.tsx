// A Webhook – Case Management connector added through Settings → Connectors against the real
// core (`casebook serve --dev`, secrets in memory) and the contract fake ticket API: the grouped
// form, a push of a case, and "Preview request" with the password masked.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { createCase, listConnectors, pushCase, setCaseConnector } from "../../lib/api/client";
import { fakes, freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { ConnectorsSection } from "./ConnectorsSection";

configure({ asyncUtilTimeout: 8_000 });

let space: string;
beforeEach(async () => {
  space = await freshSpace("webhook");
});
afterEach(() => cleanup());

const dialog = () => screen.getByRole("dialog");
const type = (label: string | RegExp, value: string) => fireEvent.change(within(dialog()).getByLabelText(label), { target: { value } });

describe("Webhook – Case Management connector", () => {
  it("is added through the dialog, pushes a case, and previews its request with the password masked", async () => {
    const { url, username, password } = fakes().webhook;
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(await screen.findByRole("button", { name: "Add connector" }));
    fireEvent.change(within(dialog()).getByLabelText("System"), { target: { value: "cases-webhook" } });
    for (const group of ["Requests", "Authentication", "Headers"]) {
      expect(within(dialog()).getByRole("group", { name: group })).toBeTruthy();
    }
    type("Name", "Tickets");
    type("URL", url);
    type("Create URL", `${url}/api/tickets`);
    type("Incident id in the create answer", "ticket.id");
    type("Get URL", `${url}/api/tickets/{{{external.system.id}}}`);
    type("Incident title in the get answer", "ticket.key");
    type("Incident view URL", `${url}/browse/{{{external.system.title}}}`);
    type("Update URL", `${url}/api/tickets/{{{external.system.id}}}`);
    fireEvent.change(within(dialog()).getByLabelText("Sign-in"), { target: { value: "basic" } });
    type("User name", username);
    type("Password", password);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    const [k] = await listConnectors(space);
    expect(k).toMatchObject({ name: "Tickets", kind: "cases-webhook", secret_stored: true, stored_secrets: ["secret"] });
    expect(JSON.stringify(k)).not.toContain(password);

    const made = await createCase(space, { title: "Beaconing from WEB-01", description: "C2 traffic every 60 s." } as never);
    const chosen = await setCaseConnector(made.id, made.version, k.id, {});
    expect(chosen.connector.type).toBe(".cases-webhook");
    const outcome = await pushCase(made.id, null);
    expect(outcome.outcome).toBe("sent");
    if (outcome.outcome === "sent") {
      expect(outcome.report.external_title).toMatch(/^OPS-\d+$/);
      expect(outcome.report.external_url).toBe(`${url}/browse/${outcome.report.external_title}`);
    }

    fireEvent.click(within(await screen.findByRole("region", { name: "Tickets" })).getByRole("button", { name: "Edit" }));
    type("Case id", made.id);
    fireEvent.change(within(dialog()).getByLabelText("Request"), { target: { value: "update" } });
    fireEvent.click(within(dialog()).getByRole("button", { name: "Preview request" }));
    const preview = await within(dialog()).findByLabelText("Request preview");
    expect(preview.textContent).toContain(`PUT ${url}/api/tickets/`);
    expect(preview.textContent).toContain("authorization: Basic ••••");
    expect(preview.textContent).toContain('"title": "Beaconing from WEB-01"');
    expect(document.body.innerHTML).not.toContain(password);
  });
});
