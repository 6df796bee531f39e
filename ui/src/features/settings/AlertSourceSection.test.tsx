// Settings → Alert source, for what `casebook serve --dev` cannot be made to answer (its keychain
// is an in-memory store that is always there, and the contract fake Elasticsearch grants every
// privilege): the UI's words for a missing keychain, a key gone from the keychain, and a 403.
// Everything else is checked against the real core in AlertSourceSection.core.test.tsx.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { AlertSource } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { ApiError } from "../../lib/api/client";
import { renderWithQueries } from "../../testing/render";
import { AlertSourceSection } from "./AlertSourceSection";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  ...(await import("../../testing/render")).sourceClientMocks(),
  secretStoreStatus: vi.fn(async () => ({ store: "os-keychain" })),
}));

configure({ asyncUtilTimeout: 5_000 });

const mocked = vi.mocked(client);
const KEY = "VnVhTjlHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
const ES_URL = "https://elastic.example.org:9200";

/** The source "default" has saved, as the core returns it. */
const SAVED: AlertSource = {
  space: "default",
  url: ES_URL,
  kibana_space: "soc",
  index: ".alerts-security.alerts-soc",
  api_key_stored: true,
  api_key_unreadable: null,
  updated_at: "2026-11-27T10:00:00Z",
};

/** The core's words for `keychain_unavailable` (error.rs, Error::KeychainUnavailable). */
const KEYCHAIN_UNAVAILABLE =
  "No OS keychain is available (Secret Service / D-Bus is not running). Start gnome-keyring or KWallet, or log in to a desktop session, then try again. Nothing was saved.";

function renderSection() {
  return renderWithQueries(<AlertSourceSection space="default" />);
}

const keyInput = () => screen.queryByLabelText(/API key$/) as HTMLInputElement | null;

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("Settings → Alert source: keychain and privileges", () => {
  it("shows the keychain's message as it is when the keychain is unavailable; what was typed stays", async () => {
    mocked.getAlertSource.mockResolvedValue(null);
    mocked.setAlertSource.mockRejectedValue(new ApiError("keychain_unavailable", KEYCHAIN_UNAVAILABLE));
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: ES_URL } });
    fireEvent.change(keyInput()!, { target: { value: KEY } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("No OS keychain")).toBeTruthy();
    expect(alert.textContent).toContain(KEYCHAIN_UNAVAILABLE);
    expect(mocked.setAlertSource).toHaveBeenCalledWith("default", { url: ES_URL, api_key: KEY });
    expect(screen.queryByText(/✓ Saved/)).toBeNull();
    // What was typed stays, to save again once the keychain is there.
    expect(keyInput()!.value).toBe(KEY);
    expect((screen.getByLabelText("URL") as HTMLInputElement).value).toBe(ES_URL);
  });

  it("asks for the key again when it is missing from the keychain", async () => {
    mocked.getAlertSource.mockResolvedValue({ ...SAVED, api_key_stored: false });
    renderSection();
    expect(await screen.findByText(/missing from the keychain — enter it again/)).toBeTruthy();
    expect(keyInput()).toBeTruthy();
    expect(keyInput()!.value).toBe("");
    expect(screen.queryByRole("button", { name: "Replace key" })).toBeNull();
  });

  it("says the key was not checked while the secrets file is locked, without asking for it again", async () => {
    const message = "The encrypted secrets file is locked: enter its passphrase (Settings → Secrets), then try again.";
    mocked.getAlertSource.mockResolvedValue({ ...SAVED, api_key_stored: false, api_key_unreadable: { code: "secrets_locked", message } });
    renderSection();
    const note = await screen.findByText(/^not checked: .* cannot be read now\./);
    expect(note.getAttribute("title")).toBe(message);
    expect(within(note).getByRole("link", { name: "Settings → Secrets" }).getAttribute("href")).toBe("#/settings/secrets");
    expect(screen.queryByText(/missing from the/)).toBeNull();
    expect(keyInput()).toBeNull();
  });

  it("names a 403 with its heading and the core's sentence", async () => {
    const message = `Elasticsearch at ${ES_URL} refused the request (403): the API key may not read cluster information (\`GET /\` needs the \`monitor\` cluster privilege).`;
    mocked.getAlertSource.mockResolvedValue(SAVED);
    mocked.testAlertSource.mockRejectedValue(new ApiError("forbidden", message));
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Test connection" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Not allowed (403)")).toBeTruthy();
    expect(within(alert).getByText(message)).toBeTruthy();
    await waitFor(() => expect(mocked.testAlertSource).toHaveBeenCalledWith("default"));
  });
});

describe("Settings → Alert source: where the key is kept", () => {
  it("names the encrypted file, not the keychain, when the user chose it", async () => {
    mocked.secretStoreStatus.mockResolvedValue({
      store: "encrypted-file",
      file_path: "/data/casebook.db.secrets.age",
      file_exists: true,
      unlocked: true,
      keychain_problem: null,
      secrets_in_use: 1,
    });
    mocked.getAlertSource.mockResolvedValue(SAVED);
    renderSection();
    expect(await screen.findByText("stored in encrypted file")).toBeTruthy();
    expect(screen.queryByText("stored in keychain")).toBeNull();
  });

  it("says keychain by default", async () => {
    mocked.getAlertSource.mockResolvedValue(SAVED);
    renderSection();
    expect(await screen.findByText("stored in keychain")).toBeTruthy();
  });
});
