// The create form's placing of a core error, for an answer the real core never sends (a message
// whose words name another field than its `field`): the field is data, the message is only shown.
// Everything else is checked against the real core in CreateCaseDialog.core.test.tsx.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen } from "@testing-library/react";
import type { CaseConfiguration } from "../../lib/api/bindings";
import * as client from "../../lib/api/client";
import { CreateCaseDialog } from "./CreateCaseDialog";
import { aUser } from "../../testing/builders";
import { renderWithQueries } from "../../testing/render";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  createCase: vi.fn(),
  createAndPush: vi.fn(),
  checkCaseCreate: vi.fn(async () => null),
  getConfiguration: vi.fn(),
  listUsers: vi.fn(async () => []),
  profile: vi.fn(),
  listTags: vi.fn(async () => []),
  listCategories: vi.fn(async () => []),
  listConnectors: vi.fn(async () => []),
  getDraft: vi.fn(async () => null),
  saveDraft: vi.fn(async () => null),
}));

const mocked = vi.mocked(client);

const CONFIG: CaseConfiguration = {
  space: "default",
  version: "2",
  closure_type: "close-by-user",
  custom_fields: [],
  templates: [],
  observable_types: [],
  max_observables: 50,
  observable_type_priority: [],
};

beforeEach(() => {
  localStorage.clear();
  mocked.getConfiguration.mockResolvedValue(CONFIG);
  mocked.profile.mockResolvedValue(aUser());
});
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("CreateCaseDialog", () => {
  it("places the core's error by its field, whatever the message says", async () => {
    renderWithQueries(<CreateCaseDialog space="default" onClose={vi.fn()} onCreated={vi.fn()} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "T" } });
    // The field is data: the message is shown as it is and never read for a field name.
    mocked.createCase.mockRejectedValueOnce({ code: "validation", message: "title: too many tags", field: "tags[1]" });
    await act(async () => fireEvent.submit(document.getElementById("create-case-form")!));
    expect(await screen.findAllByText("title: too many tags")).toHaveLength(2); // banner + next to Tags
    expect(document.getElementById("create-tags")!.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById("create-tags-error")!.textContent).toBe("title: too many tags");
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).not.toBe("true");
    expect(document.activeElement?.id).toBe("create-tags");
  });
});
