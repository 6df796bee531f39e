// Settings → Secrets with the client mocked: a machine without a keychain (which `casebook serve
// --dev` cannot be, its keychain is in memory), the passphrase prompt's checks and the core's
// refusals, and what a switch reports.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { SecretStoreStatus, SecretStoreSwitch } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { ApiError } from "../../lib/api/client";
import { MIN_PASSPHRASE_LENGTH } from "../../lib/limits";
import { renderWithQueries } from "../../testing/render";
import { SecretsSection } from "./SecretsSection";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  secretStoreStatus: vi.fn(),
  setSecretStore: vi.fn(),
  unlockSecrets: vi.fn(),
}));

configure({ asyncUtilTimeout: 5_000 });

const mocked = vi.mocked(client);
const FILE = "/home/casey/.local/share/Casebook/casebook.db.secrets.age";
const PASSPHRASE = "plum lantern orbit seventeen";
/** What the core says of a keychain that is not there: the system's words (`keychain_problem`). */
const NO_KEYCHAIN = "Secret Service / D-Bus is not running.";

function status(over: Partial<SecretStoreStatus> = {}): SecretStoreStatus {
  return {
    store: "os-keychain",
    file_path: FILE,
    file_exists: false,
    unlocked: false,
    keychain_problem: null,
    secrets_in_use: 2,
    ...over,
  };
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

const dialog = () => screen.getByRole("dialog");

describe("Settings → Secrets", () => {
  it("on a machine without a keychain says so and offers the file, labelled as weaker", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({ keychain_problem: NO_KEYCHAIN }));
    renderWithQueries(<SecretsSection />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("No OS keychain can be used here, so tokens and API keys cannot be saved.");
    expect(alert.textContent).toContain("Details: Secret Service / D-Bus is not running");
    expect(screen.getByText(/2 connectors and alert sources have secrets: switching moves them/)).toBeTruthy();
    const stores = within(screen.getByRole("list", { name: "Secret stores" })).getAllByRole("listitem");
    expect(stores[0].getAttribute("aria-current")).toBe("true");
    expect(within(stores[0]).getByText("In use")).toBeTruthy();
    expect(within(stores[1]).getByText("Weaker")).toBeTruthy();
    expect(stores[1].textContent).toContain("anyone who gets a copy of this file can try passphrases");
    expect(stores[1].textContent).toContain(FILE);
    // Nothing is switched without the user asking.
    expect(mocked.setSecretStore).not.toHaveBeenCalled();
  });

  it("creates the file with a passphrase typed twice, long enough, then reports what was not moved", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({ keychain_problem: NO_KEYCHAIN }));
    const switched: SecretStoreSwitch = {
      status: status({ store: "encrypted-file", file_exists: true, unlocked: true, keychain_problem: NO_KEYCHAIN }),
      moved: 1,
      not_moved: [{ label: "Connector “SOC Jira”", reason: NO_KEYCHAIN }],
    };
    mocked.setSecretStore.mockResolvedValue(switched);
    renderWithQueries(<SecretsSection />);
    fireEvent.click(await screen.findByRole("button", { name: "Use an encrypted file…" }));
    expect(within(dialog()).getByRole("heading", { name: "Keep secrets in an encrypted file" })).toBeTruthy();

    const first = within(dialog()).getByLabelText("New passphrase");
    const again = within(dialog()).getByLabelText("Type it again");
    fireEvent.change(first, { target: { value: "short" } });
    fireEvent.click(within(dialog()).getByRole("button", { name: "Move secrets" }));
    expect(within(dialog()).getByRole("alert").textContent).toBe(`At least ${MIN_PASSPHRASE_LENGTH} characters.`);
    fireEvent.change(first, { target: { value: PASSPHRASE } });
    fireEvent.change(again, { target: { value: `${PASSPHRASE}!` } });
    expect(within(dialog()).getByRole("alert").textContent).toBe("The two passphrases differ.");
    expect(mocked.setSecretStore).not.toHaveBeenCalled();

    fireEvent.change(again, { target: { value: PASSPHRASE } });
    fireEvent.click(within(dialog()).getByRole("button", { name: "Move secrets" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.setSecretStore).toHaveBeenCalledWith("encrypted-file", PASSPHRASE);
    const report = screen.getByRole("status", { name: "" });
    expect(report.textContent).toContain("Secrets are now kept in the encrypted file. Moved 1 secret.");
    expect(report.textContent).toContain("Connector “SOC Jira”");
    const stores = within(screen.getByRole("list", { name: "Secret stores" })).getAllByRole("listitem");
    expect(stores[1].getAttribute("aria-current")).toBe("true");
    expect(within(stores[1]).getByText("Unlocked this session")).toBeTruthy();
  });

  it("unlocks a locked file; a wrong passphrase keeps the dialog open and says so", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({ store: "encrypted-file", file_exists: true }));
    mocked.unlockSecrets
      .mockRejectedValueOnce(new ApiError("wrong_passphrase", `That passphrase does not open the encrypted secrets file ${FILE}.`))
      .mockResolvedValueOnce(status({ store: "encrypted-file", file_exists: true, unlocked: true }));
    renderWithQueries(<SecretsSection />);
    expect(await screen.findByText(/Locked: connectors and the alert source cannot use their secrets/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Unlock…" }));
    // One field: the file exists, its passphrase is not chosen again.
    expect(within(dialog()).queryByLabelText("Type it again")).toBeNull();
    fireEvent.change(within(dialog()).getByLabelText("Passphrase"), { target: { value: "not it at all" } });
    fireEvent.click(within(dialog()).getByRole("button", { name: "Unlock" }));
    expect((await within(dialog()).findByRole("alert")).textContent).toBe(
      "That passphrase does not open the file. Nothing was changed.",
    );
    fireEvent.change(within(dialog()).getByLabelText("Passphrase"), { target: { value: PASSPHRASE } });
    fireEvent.click(within(dialog()).getByRole("button", { name: "Unlock" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.unlockSecrets).toHaveBeenLastCalledWith(PASSPHRASE);
    expect(await screen.findByText("Unlocked this session")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Unlock…" })).toBeNull();
  });

  it("moves back to the keychain without asking again once the file is unlocked", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({ store: "encrypted-file", file_exists: true, unlocked: true }));
    mocked.setSecretStore.mockResolvedValue({ status: status({ file_exists: true, unlocked: true }), moved: 2, not_moved: [] });
    renderWithQueries(<SecretsSection />);
    fireEvent.click(await screen.findByRole("button", { name: "Move secrets to the OS keychain" }));
    expect(await screen.findByText("Secrets are now kept in the OS keychain. Moved 2 secrets.")).toBeTruthy();
    expect(mocked.setSecretStore).toHaveBeenCalledWith("os-keychain", null);
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("shows the core's refusal when the keychain cannot take the secrets back", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({ store: "encrypted-file", file_exists: true, unlocked: true }));
    mocked.setSecretStore.mockRejectedValue(new ApiError("keychain_unavailable", NO_KEYCHAIN));
    renderWithQueries(<SecretsSection />);
    fireEvent.click(await screen.findByRole("button", { name: "Move secrets to the OS keychain" }));
    const alert = await screen.findByText(/The store was not changed\./);
    expect(alert.closest("[role=alert]")!.textContent).toContain(NO_KEYCHAIN);
  });
});
