// Settings → Connectors, what only the screen decides: a connector whose secret the OS keychain
// lost (the core's list says `secret_stored: false`; `casebook serve --dev` keeps secrets in
// memory and cannot lose one, so this stays on a mocked list). The rest runs against the real
// core in ConnectorsSection.core.test.tsx.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import type { Connector } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { renderWithQueries } from "../../testing/render";
import { ConnectorsSection } from "./ConnectorsSection";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  listConnectors: vi.fn(),
}));

const mocked = vi.mocked(client);

/** The core's answer for a Jira connector whose token is no longer in the keychain. */
const lost: Connector = {
  id: "3f6b0c9e-4b8e-4d55-9a43-0c1c2a7a1d10",
  space: "default",
  name: "SOC Jira",
  kind: "jira",
  url: "https://soc.atlassian.net",
  settings: { kind: "jira", project_key: "SEC", auth: "basic", username: "ana@example.org" },
  target: "project SEC",
  account: "ana@example.org",
  secret_label: "API token or password",
  secret_stored: false,
  stored_secrets: [],
  secret_unreadable: null,
  metadata: null,
  metadata_fetched_at: null,
  created_at: "2026-11-27T09:00:00Z",
  updated_at: "2026-11-27T09:00:00Z",
};

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("Settings → Connectors", () => {
  it("says when the keychain lost the secret, also in the edit dialog", async () => {
    mocked.listConnectors.mockResolvedValue([lost]);
    renderWithQueries(<ConnectorsSection space="default" />);
    const jira = await screen.findByRole("region", { name: "SOC Jira" });
    expect(within(jira).getByText("Missing from keychain — enter it again")).toBeTruthy();
    expect(within(jira).queryByText("Stored in keychain")).toBeNull();
    fireEvent.click(within(jira).getByRole("button", { name: "Edit" }));
    expect(within(screen.getByRole("dialog")).getByText("Missing from keychain — enter it again")).toBeTruthy();
    expect(mocked.listConnectors).toHaveBeenCalledWith("default");
  });

  it("still lists a connector while the secrets file is locked, and says where to unlock it", async () => {
    const message = "The encrypted secrets file is locked: enter its passphrase (Settings → Secrets), then try again.";
    mocked.listConnectors.mockResolvedValue([{ ...lost, secret_unreadable: { code: "secrets_locked", message } }]);
    renderWithQueries(<ConnectorsSection space="default" />);
    const jira = await screen.findByRole("region", { name: "SOC Jira" });
    const note = within(jira).getByText(/^Not checked \(secrets file locked\):/);
    expect(note.getAttribute("title")).toBe(message);
    expect(within(note).getByRole("link", { name: "Settings → Secrets" }).getAttribute("href")).toBe("#/settings/secrets");
    expect(within(jira).queryByText(/Missing from/)).toBeNull();
  });
});
