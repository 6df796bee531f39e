// The first-run question against the real core (`casebook serve --dev`: a fresh database whose
// profile the core made from the OS account running the test). The file's tests run in order on
// one database: first start, then every start after it.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { ProfileStatus } from "../../lib/api/bindings";
import { profile, profileStatus } from "../../lib/api/client";
import { queryKeys } from "../../lib/queryKeys";
import { renderWithQueries } from "../../testing/render";
import { FirstRunDialog } from "./FirstRunDialog";

configure({ asyncUtilTimeout: 8_000 });

afterEach(() => cleanup());

describe("First run, against the core", () => {
  it("asks on a new database, prefilled from the OS account, and the answer is kept", async () => {
    const before = await profileStatus();
    expect(before.confirmed).toBe(false);

    renderWithQueries(<FirstRunDialog />);
    expect(await screen.findByRole("dialog", { name: "Welcome to Casebook" })).toBeTruthy();
    const name = screen.getByLabelText(/^Display name/) as HTMLInputElement;
    expect(name.value).toBe(before.profile.full_name ?? before.profile.username);

    fireEvent.change(name, { target: { value: "Ana Lytic" } });
    fireEvent.change(screen.getByLabelText("Email (optional)"), { target: { value: "ana@soc.example" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    expect(await profileStatus()).toEqual({
      profile: { username: before.profile.username, full_name: "Ana Lytic", email: "ana@soc.example" },
      confirmed: true,
    });
  });

  it("does not ask again on the next start; the profile shows the answer", async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={qc}>
        <FirstRunDialog />
      </QueryClientProvider>,
    );
    // The core has answered (confirmed) and the dialog rendered with that answer.
    await waitFor(() => expect(qc.getQueryData<ProfileStatus>(queryKeys.profileStatus)?.confirmed).toBe(true));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect((await profile()).full_name).toBe("Ana Lytic");
  });
});
