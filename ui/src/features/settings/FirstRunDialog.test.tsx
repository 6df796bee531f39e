import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ProfileStatus, User } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { wireValidation } from "../../testing/wireErrors";
import { FirstRunDialog } from "./FirstRunDialog";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return { ...actual, profileStatus: vi.fn(), setProfile: vi.fn() };
});

const mocked = vi.mocked(client);

/** The profile the core made from the OS account, not confirmed yet. */
const fromOs = (user: Partial<User> = {}): ProfileStatus => ({
  profile: { username: "jdoe", full_name: "Jane Doe", email: null, ...user },
  confirmed: false,
});

function renderDialog() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <FirstRunDialog />
    </QueryClientProvider>,
  );
}

const nameBox = () => screen.getByLabelText(/^Display name/) as HTMLInputElement;
const emailBox = () => screen.getByLabelText("Email (optional)") as HTMLInputElement;

beforeEach(() => vi.clearAllMocks());
afterEach(() => cleanup());

describe("FirstRunDialog", () => {
  it("asks for the name and e-mail, prefilled with the OS account's full name", async () => {
    mocked.profileStatus.mockResolvedValue(fromOs());
    renderDialog();
    expect(await screen.findByRole("dialog", { name: "Welcome to Casebook" })).toBeTruthy();
    expect(nameBox().value).toBe("Jane Doe");
    expect(emailBox().value).toBe("");
    // Focused and selected: typing replaces the prefilled name.
    expect(document.activeElement).toBe(nameBox());
    expect([nameBox().selectionStart, nameBox().selectionEnd]).toEqual([0, "Jane Doe".length]);
    expect(screen.getByText(/Your username stays/).textContent).toContain("jdoe");
    expect(screen.getByText(/later in Settings → People/)).toBeTruthy();
  });

  it("offers the login when the OS account has no full name", async () => {
    mocked.profileStatus.mockResolvedValue(fromOs({ username: "root", full_name: null }));
    renderDialog();
    await screen.findByRole("dialog");
    expect(nameBox().value).toBe("root");
  });

  it("saves what was typed and is gone, for good once the core says the profile is confirmed", async () => {
    mocked.profileStatus.mockResolvedValue(fromOs());
    const saved = { username: "jdoe", full_name: "Jane Q. Doe", email: "jane@soc.example" };
    mocked.setProfile.mockResolvedValueOnce(saved);
    const first = renderDialog();
    await screen.findByRole("dialog");
    fireEvent.change(nameBox(), { target: { value: "  Jane Q. Doe " } });
    fireEvent.change(emailBox(), { target: { value: "jane@soc.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.setProfile).toHaveBeenCalledWith({ username: "jdoe", full_name: "Jane Q. Doe", email: "jane@soc.example" });
    first.unmount();

    // The next start reads the flag the save set.
    mocked.profileStatus.mockResolvedValue({ profile: saved, confirmed: true });
    renderDialog();
    await waitFor(() => expect(mocked.profileStatus).toHaveBeenCalledTimes(2));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("shows nothing once the profile is confirmed", async () => {
    mocked.profileStatus.mockResolvedValue({ ...fromOs(), confirmed: true });
    renderDialog();
    await waitFor(() => expect(mocked.profileStatus).toHaveBeenCalled());
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("Keep as it is, or Esc, confirms the profile unchanged", async () => {
    mocked.profileStatus.mockResolvedValue(fromOs({ email: "jd@corp.example" }));
    mocked.setProfile.mockImplementation(async (input) => ({ username: input.username, full_name: input.full_name ?? null, email: input.email ?? null }));
    renderDialog();
    await screen.findByRole("dialog");
    fireEvent.change(nameBox(), { target: { value: "typed, then abandoned" } });
    fireEvent.keyDown(document, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.setProfile).toHaveBeenCalledWith({ username: "jdoe", full_name: "Jane Doe", email: "jd@corp.example" });
  });

  it("shows the core's refusal next to the field and stays open", async () => {
    mocked.profileStatus.mockResolvedValue(fromOs());
    mocked.setProfile.mockRejectedValueOnce(wireValidation("email", 'is not an email address (got "jane@")'));
    renderDialog();
    await screen.findByRole("dialog");
    fireEvent.change(emailBox(), { target: { value: "jane@" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText('email: is not an email address (got "jane@")', { selector: ".field-error" })).toBeTruthy();
    expect(emailBox().getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toContain("Your profile was not saved.");
    expect(screen.getByRole("dialog")).toBeTruthy();
  });
});
