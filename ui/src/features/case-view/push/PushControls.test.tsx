// A push that "needs your check" (a create whose answer was lost, to a system that cannot be
// searched for the ticket): the case panel offers "Retry anyway" only once the user says they
// checked the system, and sends it as a forced retry. The state comes from a mocked outbox:
// provoking a lost answer needs the contract fakes' scripting (see tests/contract/push_webhook.rs).
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import type { OutboxItem } from "../../../lib/api/bindings";
import * as client from "../../../lib/api/client";
import { aCase } from "../../../testing/builders";
import { renderWithQueries } from "../../../testing/render";
import { PushControls } from "./PushControls";

vi.mock("../../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../../lib/api/client")>()),
  listOutbox: vi.fn(),
  retryPush: vi.fn(),
  getCase: vi.fn(),
}));

const mocked = vi.mocked(client);

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("a push that needs the user's check", () => {
  it("retries anyway only after the user says the system has no ticket", async () => {
    const current = aCase(1, { pending_push: "failed" });
    const item: OutboxItem = {
      id: 7,
      case_id: current.id,
      case_title: current.title,
      space: "default",
      connector_id: "k1",
      connector_name: "Ops tickets",
      state: "failed",
      attempts: 1,
      next_attempt_at: null,
      requested_at: "2026-12-07T09:00:00Z",
      last_error: "The create's answer was lost and Ops tickets cannot be searched: check it for a ticket of this case.",
      last_error_code: "needs_check",
    };
    mocked.listOutbox.mockResolvedValue([item]);
    mocked.getCase.mockResolvedValue(current);
    mocked.retryPush.mockResolvedValue({ outcome: "failed", item });
    renderWithQueries(<PushControls space="default" current={current} blocked={null} />);

    const anyway = (await screen.findByRole("button", { name: "Retry anyway" })) as HTMLButtonElement;
    expect(screen.getByText(/cannot be searched/)).toBeTruthy();
    expect(anyway.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText("I checked the system: it has no ticket for this case"));
    expect(anyway.disabled).toBe(false);
    fireEvent.click(anyway);
    await waitFor(() => expect(mocked.retryPush).toHaveBeenCalledWith(7, true));
    // The ordinary retry stays an ordinary one.
    fireEvent.click(await screen.findByRole("button", { name: "Retry" }));
    await waitFor(() => expect(mocked.retryPush).toHaveBeenLastCalledWith(7, false));
  });
});
