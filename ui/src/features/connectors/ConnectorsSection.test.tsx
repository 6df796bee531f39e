import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import * as client from "../../lib/api/client";
import { renderWithQueries } from "../../testing/render";
import { answerFromConnectors, connectorFake, type ConnectorFake } from "../../testing/fakeConnectors";
import { ConnectorsSection } from "./ConnectorsSection";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  ...(await import("../../testing/render")).connectorClientMocks(),
}));

const mocked = vi.mocked(client);
const TOKEN = "ATATT3xFfGF0-very-secret-token";
let fake: ConnectorFake;

beforeEach(() => {
  fake = connectorFake({ findCase: () => undefined });
  answerFromConnectors(mocked, fake);
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

const section = () => screen.getByRole("region", { name: "Connectors" });
const item = (name: string) => screen.getByRole("region", { name });
const dialog = () => screen.getByRole("dialog");
const type = (label: string | RegExp, value: string) => fireEvent.change(within(dialog()).getByLabelText(label), { target: { value } });

/** "SOC Jira" saved before the test, its token in the keychain. */
function withJira() {
  return fake.add("default", {
    name: "SOC Jira",
    kind: "jira",
    url: "https://soc.atlassian.net",
    project_key: "SEC",
    auth: "basic",
    username: "ana@example.org",
    secret: TOKEN,
  });
}

describe("Settings → Connectors", () => {
  it("adds a Jira connector: sends the form's input once, then shows the token as stored, never the token", async () => {
    renderWithQueries(<ConnectorsSection space="default" />);
    expect(await within(section()).findByText("No connectors in this space yet.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Add connector" }));

    expect((within(dialog()).getByLabelText("URL") as HTMLInputElement).placeholder).toBe("https://your-site.atlassian.net");
    type("Name", "SOC Jira");
    type("URL", "https://soc.atlassian.net");
    type("Project key", "SEC");
    type("Email or user name", "ana@example.org");
    const secret = within(dialog()).getByLabelText("API token or password") as HTMLInputElement;
    expect(secret.type).toBe("password");
    type("API token or password", TOKEN);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.createConnector).toHaveBeenCalledTimes(1);
    expect(mocked.createConnector).toHaveBeenCalledWith("default", {
      name: "SOC Jira",
      kind: "jira",
      url: "https://soc.atlassian.net",
      project_key: "SEC",
      auth: "basic",
      username: "ana@example.org",
      secret: TOKEN,
    });
    const saved = await screen.findByRole("region", { name: "SOC Jira" });
    expect(within(saved).getByText("Stored in keychain")).toBeTruthy();
    expect(within(saved).getByText("Jira")).toBeTruthy();
    expect(within(saved).getByText("SEC")).toBeTruthy();
    expect(within(saved).getByText(/Never fetched/)).toBeTruthy();
    expect(screen.getByText(/Its API token or password is stored in your OS keychain/)).toBeTruthy();
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
    renderWithQueries(<ConnectorsSection space="default" />);
    fireEvent.click(await screen.findByRole("button", { name: "Add connector" }));
    type("Name", "SOC Jira");
    type("URL", "https://soc.atlassian.net");
    type("Project key", "9SEC");
    type("Email or user name", "ana@example.org");
    type("API token or password", TOKEN);
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));

    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toMatch(/^project_key: must be a Jira project key/);
    expect(within(dialog()).getByLabelText("Project key").getAttribute("aria-invalid")).toBe("true");
    expect((within(dialog()).getByLabelText("Name") as HTMLInputElement).value).toBe("SOC Jira");
    expect((within(dialog()).getByLabelText("API token or password") as HTMLInputElement).value).toBe(TOKEN);
    expect(fake.state.connectors).toHaveLength(0);
  });

  it("edits without a new secret: none is sent and the stored one stays", async () => {
    withJira();
    renderWithQueries(<ConnectorsSection space="default" />);
    fireEvent.click(within(await screen.findByRole("region", { name: "SOC Jira" })).getByRole("button", { name: "Edit" }));
    const secret = within(dialog()).getByLabelText("API token or password") as HTMLInputElement;
    expect(secret.value).toBe("");
    expect(within(dialog()).getByText("Stored in keychain — leave empty to keep it")).toBeTruthy();
    expect((within(dialog()).getByLabelText("System") as HTMLSelectElement).disabled).toBe(true);
    type("URL", "https://soc2.atlassian.net");
    fireEvent.click(screen.getByRole("button", { name: "Save connector" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const input = mocked.updateConnector.mock.calls[0][2];
    expect(input).not.toHaveProperty("secret");
    expect(input.url).toBe("https://soc2.atlassian.net");
    expect(fake.state.keychain.get("connector-1")).toBe(TOKEN);
    expect(within(item("SOC Jira")).getByText("https://soc2.atlassian.net")).toBeTruthy();
    expect(screen.getByText("✓ Connector “SOC Jira” saved.")).toBeTruthy();
  });

  it("tests the connection: the core's sentence, or a 401 under its heading", async () => {
    withJira();
    renderWithQueries(<ConnectorsSection space="default" />);
    const jira = await screen.findByRole("region", { name: "SOC Jira" });
    fireEvent.click(within(jira).getByRole("button", { name: "Test connection" }));
    expect((await within(jira).findByRole("status")).textContent).toBe(
      "Connected to Jira at https://soc.atlassian.net: project SEC (Security operations) is reachable.",
    );

    fake.state.validSecret = "another-token";
    fireEvent.click(within(jira).getByRole("button", { name: "Test connection" }));
    const alert = await within(jira).findByRole("alert");
    expect(within(alert).getByText("Credentials rejected (401)")).toBeTruthy();
    expect(alert.textContent).toContain("Jira at https://soc.atlassian.net rejected the email and API token (401).");
    expect(within(jira).queryByRole("status")).toBeNull();
  });

  it("refreshes the choices, and deletes after saying what happens to the token and the tickets", async () => {
    withJira();
    renderWithQueries(<ConnectorsSection space="default" />);
    const jira = await screen.findByRole("region", { name: "SOC Jira" });
    fireEvent.click(within(jira).getByRole("button", { name: "Refresh choices" }));
    expect((await within(jira).findByRole("status")).textContent).toBe("Choices refreshed: 3 issue types, 5 priorities, 2 parent issues.");
    expect(within(jira).getByText(/^Fetched .*: 3 issue types, 5 priorities, 2 parent issues$/)).toBeTruthy();

    fireEvent.click(within(jira).getByRole("button", { name: "Delete" }));
    const confirm = screen.getByRole("dialog", { name: "Delete connector “SOC Jira”?" });
    expect(confirm.textContent).toContain("removed from the OS keychain");
    expect(confirm.textContent).toContain("Cases keep their links to the tickets already created.");
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete connector" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "SOC Jira" })).toBeNull());
    expect(fake.state.keychain.size).toBe(0);
  });

  it("says when the keychain lost the secret", async () => {
    withJira();
    fake.state.keychain.clear();
    renderWithQueries(<ConnectorsSection space="default" />);
    expect(within(await screen.findByRole("region", { name: "SOC Jira" })).getByText("Missing from keychain — enter it again")).toBeTruthy();
  });
});
