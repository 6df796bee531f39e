import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useRoute } from "../../lib/route";
import { SettingsPage } from "./SettingsPage";
import { aUser, idStatus } from "../../testing/builders";

vi.mock("../../lib/api/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../lib/api/client")>();
  return {
    ...actual,
    getConfiguration: vi.fn(async () => ({
      space: "default",
      version: "1",
      closure_type: "close-by-user",
      custom_fields: [],
      templates: [],
      observable_types: [],
    })),
    profile: vi.fn(async () => aUser()),
    listUsers: vi.fn(async () => [aUser()]),
    listSpaces: vi.fn(async () => [{ name: "default", created_at: "2026-01-01T00:00:00Z", total_cases: 3 }]),
    idTaskStatus: vi.fn(async () => idStatus()),
    getAlertSource: vi.fn(async () => null),
    listConnectors: vi.fn(async () => []),
    listOutbox: vi.fn(async () => []),
    secretStoreStatus: vi.fn(async () => ({
      store: "os-keychain",
      file_path: "/data/casebook.db.secrets.age",
      file_exists: false,
      unlocked: false,
      keychain_problem: null,
      secrets_in_use: 0,
    })),
  };
});

/** Settings as App shows it: the section comes from the address. */
function RoutedSettings() {
  const route = useRoute();
  return route.page === "settings" ? <SettingsPage space="default" section={route.section} /> : <p>Cases page</p>;
}

function renderAt(hash: string) {
  window.location.hash = hash;
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <RoutedSettings />
    </QueryClientProvider>,
  );
}

const sectionList = () => screen.getByRole("navigation", { name: "Settings sections" });
const current = () => within(sectionList()).getAllByRole("link").filter((a) => a.getAttribute("aria-current") === "page");

beforeEach(() => vi.clearAllMocks());
afterEach(() => {
  cleanup();
  window.location.hash = "";
});

describe("Settings sections", () => {
  it("lists the space's case settings first, then what all spaces share, as links", () => {
    renderAt("#/settings");
    const groups = within(sectionList()).getAllByRole("list");
    expect(within(groups[0]).getAllByRole("link").map((a) => a.textContent)).toEqual([
      "Case closures",
      "Service levels",
      "Connectors",
      "Custom fields",
      "Templates",
      "Observable types",
      "Alert source",
    ]);
    expect(within(groups[1]).getAllByRole("link").map((a) => a.textContent)).toEqual(["Case numbers", "People", "Spaces", "Secrets"]);
    expect(groups[0].getAttribute("aria-labelledby")).toBeTruthy();
    expect(within(sectionList()).getByText("default")).toBeTruthy();
  });

  it("opens the section the address names, and only that one, highlighted in the list", async () => {
    renderAt("#/settings/connectors");
    expect(await screen.findByRole("region", { name: "Connectors" })).toBeTruthy();
    expect(screen.getByText(/Case settings of space/).textContent).toBe("Case settings of space default");
    expect(screen.queryByRole("region", { name: "Case closures" })).toBeNull();
    expect(current().map((a) => a.textContent)).toEqual(["Connectors"]);
  });

  it("opens Secrets by its address, with the two stores", async () => {
    renderAt("#/settings/secrets");
    expect(await screen.findByRole("region", { name: "Secrets" })).toBeTruthy();
    expect(await screen.findByRole("list", { name: "Secret stores" })).toBeTruthy();
    expect(current().map((a) => a.textContent)).toEqual(["Secrets"]);
  });

  it("shows the first section, Case closures, for a bare #/settings or an unknown section", async () => {
    renderAt("#/settings/nonsense");
    expect(await screen.findByRole("region", { name: "Case closures" })).toBeTruthy();
    expect(current().map((a) => a.textContent)).toEqual(["Case closures"]);
  });

  it("follows a link of the list, and Back returns to the previous section", async () => {
    renderAt("#/settings/templates");
    expect(await screen.findByRole("region", { name: "Templates" })).toBeTruthy();

    const people = within(sectionList()).getByRole("link", { name: "People" });
    expect(people.getAttribute("href")).toBe("#/settings/people");
    // A real link: Tab reaches it and Enter follows it, as with a click.
    people.focus();
    expect(document.activeElement).toBe(people);
    fireEvent.click(people);
    expect(await screen.findByRole("region", { name: "Your profile" })).toBeTruthy();
    expect(screen.getByText("Shared by every space")).toBeTruthy();
    expect(screen.getByRole("region", { name: "Teammates" })).toBeTruthy();
    expect(screen.queryByRole("region", { name: "Templates" })).toBeNull();
    expect(current().map((a) => a.textContent)).toEqual(["People"]);

    act(() => window.history.back());
    expect(await screen.findByRole("region", { name: "Templates" })).toBeTruthy();
    await waitFor(() => expect(current().map((a) => a.textContent)).toEqual(["Templates"]));
  });
});
