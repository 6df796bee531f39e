// Settings → Connectors against the real core (`casebook serve --dev`, secrets in memory) and the
// contract fake of Jira: what it keeps, its refusals and its sentences.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { Connector } from "../../lib/api/bindings";
import { createConnector, listConnectors, updateConnector } from "../../lib/api/client";
import { fakes, freshSpace, jiraInput } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { ConnectorsSection } from "./ConnectorsSection";

configure({ asyncUtilTimeout: 8_000 });

const TOKEN = "ATATT3xFfGF0-very-secret-token";
/** Nothing listens there: the connector is "offline". */
const OFFLINE = "http://127.0.0.1:9";
let space: string;

beforeEach(async () => {
  space = await freshSpace("connectors");
});
afterEach(() => cleanup());

const section = () => screen.getByRole("region", { name: "Connectors" });
const item = (name: string) => screen.getByRole("region", { name });
const dialog = () => screen.getByRole("dialog");
const type = (label: string | RegExp, value: string) => fireEvent.change(within(dialog()).getByLabelText(label), { target: { value } });

/** "SOC Jira" saved before the test, at `url`, signing in as the fake Jira's user with `secret`. */
function withJira(url: string = fakes().jira.url, secret: string = fakes().jira.secret): Promise<Connector> {
  return createConnector(space, jiraInput({ url, secret }));
}

describe("Settings → Connectors", () => {
  it("adds a Jira connector: the core keeps the form's input once, then shows the token as stored, never the token", async () => {
    renderWithQueries(<ConnectorsSection space={space} />);
    expect(await within(section()).findByText("No connectors in this space yet.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add connector" }));

    expect((within(dialog()).getByLabelText("URL") as HTMLInputElement).placeholder).toBe("https://your-site.atlassian.net");
    type("Name", "SOC Jira");
    type("URL", "https://soc.atlassian.net");
    type("Project key", "sec");
    type("Email or user name", "ana@example.org");
    const secret = within(dialog()).getByLabelText("API token or password") as HTMLInputElement;
    expect(secret.type).toBe("password");
    type("API token or password", TOKEN);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const kept = await listConnectors(space);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      name: "SOC Jira",
      kind: "jira",
      url: "https://soc.atlassian.net",
      settings: { kind: "jira", project_key: "SEC", auth: "basic", username: "ana@example.org" }, // the core upper-cases the key
      target: "project SEC",
      secret_stored: true,
      metadata: null,
    });
    expect(JSON.stringify(kept)).not.toContain(TOKEN);
    const saved = await screen.findByRole("region", { name: "SOC Jira" });
    expect(within(saved).getByText("Stored in keychain")).toBeTruthy();
    expect(within(saved).getByText("Jira")).toBeTruthy();
    expect(within(saved).getByText("project SEC")).toBeTruthy();
    expect(within(saved).getByText(/Never fetched/)).toBeTruthy();
    expect(screen.getByText("✓ Connector “SOC Jira” saved. Its API token or password is stored in your OS keychain.")).toBeTruthy();
    expect(document.body.innerHTML).not.toContain(TOKEN);

    // A personal access token needs no user name; ServiceNow asks for a mode, a user and a password.
    fireEvent.click(screen.getByRole("button", { name: "Add connector" }));
    fireEvent.change(within(dialog()).getByLabelText("Sign-in"), { target: { value: "pat" } });
    expect(within(dialog()).queryByLabelText("Email or user name")).toBeNull();
    expect(within(dialog()).getByLabelText("Personal access token")).toBeTruthy();
    fireEvent.change(within(dialog()).getByLabelText("System"), { target: { value: "servicenow-sir" } });
    expect(within(dialog()).getByLabelText("Mode")).toBeTruthy();
    expect(within(dialog()).getByLabelText("User name")).toBeTruthy();
    expect(within(dialog()).getByLabelText("Password")).toBeTruthy();
    expect(within(dialog()).queryByLabelText("Project key")).toBeNull();
  });

  it("shows the core's refusal next to the field and keeps everything typed", async () => {
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(await screen.findByRole("button", { name: "Add connector" }));
    type("Name", "SOC Jira");
    type("URL", "https://soc.atlassian.net");
    type("Project key", "9SEC");
    type("Email or user name", "ana@example.org");
    type("API token or password", TOKEN);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));

    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toBe('project_key: must be a Jira project key: a letter, then letters, digits or _, at most 255 characters (got "9SEC")');
    expect(alert.id).toBe("connector-project-error");
    expect(within(dialog()).getByLabelText("Project key").getAttribute("aria-invalid")).toBe("true");
    expect((within(dialog()).getByLabelText("Name") as HTMLInputElement).value).toBe("SOC Jira");
    expect((within(dialog()).getByLabelText("API token or password") as HTMLInputElement).value).toBe(TOKEN);
    expect(await listConnectors(space)).toHaveLength(0);
  });

  it("edits without a new secret: none is needed on the same host, and the stored one still signs in", async () => {
    const k = await withJira(OFFLINE);
    renderWithQueries(<ConnectorsSection space={space} />);
    fireEvent.click(within(await screen.findByRole("region", { name: "SOC Jira" })).getByRole("button", { name: "Edit" }));
    const secret = within(dialog()).getByLabelText("API token or password") as HTMLInputElement;
    expect(secret.value).toBe("");
    expect(within(dialog()).getByText("Stored in keychain — leave empty to keep it")).toBeTruthy();
    expect((within(dialog()).getByLabelText("System") as HTMLSelectElement).disabled).toBe(true);

    // The core does not send the stored token to another host.
    type("URL", "https://soc2.atlassian.net");
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    const refused = await within(dialog()).findByRole("alert");
    expect(refused.textContent).toBe("secret: is required again when the URL moves to another host: enter the token or password for the new one");
    expect(refused.id).toBe("connector-secret-error");
    expect((within(dialog()).getByLabelText("URL") as HTMLInputElement).value).toBe("https://soc2.atlassian.net");
    expect((await listConnectors(space))[0].url).toBe(OFFLINE);

    // The same host (this computer), another port: the stored token goes along.
    type("URL", fakes().jira.url);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(within(item("SOC Jira")).getByText(fakes().jira.url)).toBeTruthy();
    expect(screen.getByText("✓ Connector “SOC Jira” saved.")).toBeTruthy();
    const [kept] = await listConnectors(space);
    expect([kept.id, kept.url, kept.secret_stored]).toEqual([k.id, fakes().jira.url, true]);

    // The fake Jira accepts only its token: the one stored at creation is still there.
    fireEvent.click(within(item("SOC Jira")).getByRole("button", { name: "Test connection" }));
    expect((await within(item("SOC Jira")).findByRole("status")).textContent).toMatch(/^Connected to Jira at /);
  });

  it("tests the connection: the core's sentence, or a 401 under its heading", async () => {
    const k = await withJira();
    renderWithQueries(<ConnectorsSection space={space} />);
    const jira = await screen.findByRole("region", { name: "SOC Jira" });
    fireEvent.click(within(jira).getByRole("button", { name: "Test connection" }));
    expect((await within(jira).findByRole("status")).textContent).toBe(
      `Connected to Jira at ${fakes().jira.url}: project SEC (SEC Security Operations) is reachable.`,
    );

    // Another token, which the fake Jira does not accept.
    await updateConnector(space, k.id, {
      name: k.name,
      url: k.url,
      settings: { kind: "jira", project_key: "SEC", auth: "basic", username: fakes().jira.username },
      secret: "another-token",
    });
    fireEvent.click(within(jira).getByRole("button", { name: "Test connection" }));
    const alert = await within(jira).findByRole("alert");
    expect(within(alert).getByText("Credentials rejected (401)")).toBeTruthy();
    expect(alert.textContent).toContain(
      `Jira at ${fakes().jira.url} rejected the email and API token (401). Check the email, and create a new API token at id.atlassian.com`,
    );
    expect(within(jira).queryByRole("status")).toBeNull();
  });

  it("says under its heading when the system cannot be reached", async () => {
    await withJira(OFFLINE);
    renderWithQueries(<ConnectorsSection space={space} />);
    const jira = await screen.findByRole("region", { name: "SOC Jira" });
    fireEvent.click(within(jira).getByRole("button", { name: "Test connection" }));
    const alert = await within(jira).findByRole("alert");
    expect(within(alert).getByText("Cannot reach Jira")).toBeTruthy();
    expect(alert.textContent).toContain(`Cannot reach ${OFFLINE}: connection refused.`);
  });

  it("refreshes the choices, and deletes after saying what happens to the token and the tickets", async () => {
    await withJira();
    renderWithQueries(<ConnectorsSection space={space} />);
    const jira = await screen.findByRole("region", { name: "SOC Jira" });
    fireEvent.click(within(jira).getByRole("button", { name: "Refresh choices" }));
    const status = await within(jira).findByRole("status");
    // Parents are the project's recent issues: as many as the run's tests have created so far.
    const [kept] = await listConnectors(space);
    expect(kept.metadata?.issue_types.map((c) => c.label)).toEqual(["Task", "Bug", "Sub-task"]);
    expect(kept.metadata?.priorities.map((c) => c.label)).toEqual(["Highest", "High", "Medium", "Low", "Lowest"]);
    const parents = kept.metadata?.parents.length ?? -1;
    const summary = `3 issue types, 5 priorities, ${parents} parent issue${parents === 1 ? "" : "s"}`;
    expect(status.textContent).toBe(`Choices refreshed: ${summary}.`);
    expect(within(jira).getByText(new RegExp(`^Fetched .*: ${summary}$`))).toBeTruthy();

    fireEvent.click(within(jira).getByRole("button", { name: "Delete" }));
    const confirm = screen.getByRole("dialog", { name: "Delete connector “SOC Jira”?" });
    expect(confirm.textContent).toContain("removed from the OS keychain");
    expect(confirm.textContent).toContain("Cases keep their links to the tickets already created.");
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete connector" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "SOC Jira" })).toBeNull());
    expect(screen.getByText("✓ Connector “SOC Jira” deleted; its API token or password was removed from the keychain.")).toBeTruthy();
    expect(await listConnectors(space)).toEqual([]);
  });
});
