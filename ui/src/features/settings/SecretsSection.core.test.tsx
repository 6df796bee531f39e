// Settings → Secrets against the real core (`casebook serve --dev`: its keychain is in memory,
// so always there, and its encrypted file sits beside its temporary database): the switch to the
// encrypted file and back moves a connector's token, and the core refuses a wrong passphrase.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { ApiError, createConnector, listConnectors, secretStoreStatus, setSecretStore, unlockSecrets } from "../../lib/api/client";
import { freshSpace, jiraInput } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { SecretsSection } from "./SecretsSection";

// scrypt's second of work (more on a busy machine) on each write of the file and each opening.
configure({ asyncUtilTimeout: 30_000 });

const PASSPHRASE = "plum lantern orbit seventeen";
let space: string;

beforeEach(async () => {
  space = await freshSpace("secrets");
});
afterEach(() => cleanup());

const stores = () => within(screen.getByRole("list", { name: "Secret stores" })).getAllByRole("listitem");

describe("Settings → Secrets against the core", () => {
  it("moves a connector's token into a new encrypted file and back, and the token keeps working", async () => {
    await createConnector(space, jiraInput());
    renderWithQueries(<SecretsSection />);
    await screen.findByText(/macOS Keychain, Windows Credential Manager/);
    expect(stores()[0].textContent).toContain("Available.");
    expect(within(stores()[0]).getByText("In use")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Use an encrypted file…" }));
    const dialog = screen.getByRole("dialog", { name: "Keep secrets in an encrypted file" });
    expect(dialog.textContent).toMatch(/casebook\.db\.secrets\.age/);
    fireEvent.change(within(dialog).getByLabelText("New passphrase"), { target: { value: PASSPHRASE } });
    fireEvent.change(within(dialog).getByLabelText("Type it again"), { target: { value: PASSPHRASE } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Move secrets" }));
    expect(await screen.findByText("Secrets are now kept in the encrypted file. Moved 1 secret.")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(within(stores()[1]).getByText("In use")).toBeTruthy();
    expect(within(stores()[1]).getByText("Unlocked this session")).toBeTruthy();
    expect(await secretStoreStatus()).toMatchObject({ store: "encrypted-file", file_exists: true, unlocked: true, secrets_in_use: 1 });
    // The connector still finds its token, now in the file.
    expect((await listConnectors(space))[0]).toMatchObject({ name: "SOC Jira", secret_stored: true });

    // The core refuses a wrong passphrase by its code, and stays unlocked with the right one.
    const wrong = await unlockSecrets("not the passphrase at all").catch((e: unknown) => ApiError.from(e));
    expect(wrong).toBeInstanceOf(ApiError);
    expect((wrong as ApiError).code).toBe("wrong_passphrase");
    expect((await secretStoreStatus()).unlocked).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Move secrets to the OS keychain" }));
    expect(await screen.findByText("Secrets are now kept in the OS keychain. Moved 1 secret.")).toBeTruthy();
    await waitFor(() => expect(within(stores()[0]).getByText("In use")).toBeTruthy());
    expect((await listConnectors(space))[0]).toMatchObject({ secret_stored: true });
  }, 90_000);

  it("locks the file now, and changes its passphrase after checking the current one", async () => {
    const NEW = "violet harbour nine tin cups";
    await createConnector(space, jiraInput());
    // The first test left the file (with PASSPHRASE) beside the database, its secrets moved out.
    await setSecretStore("encrypted-file", PASSPHRASE);
    renderWithQueries(<SecretsSection />);
    await screen.findByRole("list", { name: "Secret stores" });
    await within(stores()[1]).findByText("Unlocked this session");

    fireEvent.click(screen.getByRole("button", { name: "Lock now" }));
    expect(await screen.findByText(/^Locked\. Connectors and the alert source ask for the passphrase/)).toBeTruthy();
    expect(within(stores()[1]).getByText("Locked")).toBeTruthy();
    expect(await secretStoreStatus()).toMatchObject({ store: "encrypted-file", unlocked: false });
    expect(screen.queryByRole("button", { name: "Change passphrase…" })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Unlock…" }));
    let dialog = screen.getByRole("dialog", { name: "Unlock the secrets file" });
    fireEvent.change(within(dialog).getByLabelText("Passphrase"), { target: { value: PASSPHRASE } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Unlock" }));
    await within(stores()[1]).findByText("Unlocked this session");

    fireEvent.click(screen.getByRole("button", { name: "Change passphrase…" }));
    dialog = screen.getByRole("dialog", { name: "Change the passphrase" });
    fireEvent.change(within(dialog).getByLabelText("Current passphrase"), { target: { value: "not the passphrase at all" } });
    fireEvent.change(within(dialog).getByLabelText("New passphrase"), { target: { value: NEW } });
    fireEvent.change(within(dialog).getByLabelText("Type it again"), { target: { value: NEW } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Change passphrase" }));
    expect(await within(dialog).findByText("That current passphrase does not open the file. Nothing was changed.")).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText("Current passphrase"), { target: { value: PASSPHRASE } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Change passphrase" }));
    expect(await screen.findByText("The file now opens with the new passphrase only.")).toBeTruthy();
    expect(screen.queryByRole("dialog")).toBeNull();

    // The old passphrase no longer opens the file; the new one does, and the token is there.
    const old = await unlockSecrets(PASSPHRASE).catch((e: unknown) => ApiError.from(e));
    expect((old as ApiError).code).toBe("wrong_passphrase");
    expect((await unlockSecrets(NEW)).unlocked).toBe(true);
    expect((await listConnectors(space))[0]).toMatchObject({ secret_stored: true });
    await setSecretStore("os-keychain", null);
  }, 120_000);
});
