// The passphrase asked as the app opens, with the client mocked.
import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { queryKeys } from "../../lib/queryKeys";
import type { SecretStoreStatus } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { renderWithQueries } from "../../testing/render";
import { UnlockAtStart } from "./UnlockAtStart";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  secretStoreStatus: vi.fn(),
  unlockSecrets: vi.fn(),
}));

configure({ asyncUtilTimeout: 5_000 });

const mocked = vi.mocked(client);
const FILE = "/data/casebook.db.secrets.age";

function status(over: Partial<SecretStoreStatus>): SecretStoreStatus {
  return {
    store: "encrypted-file",
    file_path: FILE,
    file_exists: true,
    unlocked: false,
    keychain_problem: null,
    secrets_in_use: 1,
    ...over,
  };
}

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("the passphrase asked at start", () => {
  it("asks once when the file store is locked, and closes once the core took the passphrase", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({}));
    mocked.unlockSecrets.mockResolvedValue(status({ unlocked: true }));
    renderWithQueries(<UnlockAtStart />);
    const dialog = await screen.findByRole("dialog", { name: "Unlock your secrets" });
    expect(dialog.textContent).toContain(FILE);
    const input = within(dialog).getByLabelText("Passphrase");
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute("type")).toBe("password");
    fireEvent.click(within(dialog).getByRole("button", { name: "Unlock" }));
    expect(within(dialog).getByRole("alert").textContent).toBe("Enter the passphrase.");
    expect(mocked.unlockSecrets).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: "plum lantern orbit" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Unlock" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.unlockSecrets).toHaveBeenCalledWith("plum lantern orbit");
  });

  it("does not come back when the file is locked again later (Lock now)", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({}));
    mocked.unlockSecrets.mockResolvedValue(status({ unlocked: true }));
    const { queryClient } = renderWithQueries(<UnlockAtStart />);
    const dialog = await screen.findByRole("dialog", { name: "Unlock your secrets" });
    fireEvent.change(within(dialog).getByLabelText("Passphrase"), { target: { value: "plum lantern orbit" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Unlock" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    // Settings → Secrets → Lock now writes the locked status.
    await act(async () => {
      queryClient.setQueryData(queryKeys.secretStore, status({ unlocked: false }));
    });
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("can be put off with Esc, and is not asked again this session", async () => {
    mocked.secretStoreStatus.mockResolvedValue(status({}));
    renderWithQueries(<UnlockAtStart />);
    await screen.findByRole("dialog");
    fireEvent.keyDown(document, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.unlockSecrets).not.toHaveBeenCalled();
  });

  it("asks nothing with the keychain, or a file already unlocked", async () => {
    for (const s of [status({ store: "os-keychain" }), status({ unlocked: true })]) {
      mocked.secretStoreStatus.mockResolvedValue(s);
      renderWithQueries(<UnlockAtStart />);
      await waitFor(() => expect(mocked.secretStoreStatus).toHaveBeenCalled());
      expect(screen.queryByRole("dialog")).toBeNull();
      cleanup();
      vi.clearAllMocks();
    }
  });
});
