import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import * as client from "../../lib/api/client";
import { ApiError } from "../../lib/api/client";
import {
  SOURCE_COMMANDS,
  answerFromBook,
  elasticFake,
  memoryBook,
  type ElasticFake,
  type MemoryBook,
} from "../../testing/fakeCore";
import { renderWithQueries } from "../../testing/render";
import { AlertSourceSection } from "./AlertSourceSection";

vi.mock("../../lib/api/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../lib/api/client")>()),
  ...(await import("../../testing/render")).sourceClientMocks(),
}));

const mocked = vi.mocked(client);
const KEY = "VnVhTjlHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
let book: MemoryBook;
let es: ElasticFake;

function useElastic(e: ElasticFake) {
  es = e;
  book = memoryBook({ elastic: e });
  answerFromBook(mocked, book, SOURCE_COMMANDS);
}

/** A source already saved for "default", its key in the keychain. */
function withSource(patch: Partial<ElasticFake> = {}) {
  const e = elasticFake(patch);
  e.sources.set("default", { url: "https://elastic.example.org:9200", kibana_space: "soc", updated_at: "2026-11-27T10:00:00Z" });
  e.keychain.set("default", KEY);
  useElastic(e);
}

function renderSection() {
  return renderWithQueries(<AlertSourceSection space="default" />);
}

const section = () => screen.getByRole("region", { name: "Alert source (Elasticsearch)" });
const keyInput = () => screen.queryByLabelText(/API key$/) as HTMLInputElement | null;

beforeEach(() => useElastic(elasticFake()));
afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe("Settings → Alert source: setting one", () => {
  it("explains the source, saves URL, Kibana space and key, then never shows the key again", async () => {
    renderSection();
    expect(await screen.findByText(/Search your cluster's Security alerts and attach them to cases\. The API key is stored in your OS keychain, never in Casebook's database\./)).toBeTruthy();
    expect((screen.getByLabelText("Kibana space") as HTMLInputElement).placeholder).toBe("default");
    const key = keyInput()!;
    expect(key.type).toBe("password");
    expect(key.getAttribute("autocomplete")).toBe("off");
    expect(key.value).toBe("");
    // Nothing to test or remove before a source is saved.
    expect(screen.queryByRole("button", { name: "Test connection" })).toBeNull();

    fireEvent.change(screen.getByLabelText("URL"), { target: { value: " https://elastic.example.org:9200/ " } });
    fireEvent.change(screen.getByLabelText("Kibana space"), { target: { value: "soc" } });
    fireEvent.change(key, { target: { value: KEY } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() =>
      expect(mocked.setAlertSource).toHaveBeenCalledWith("default", { url: "https://elastic.example.org:9200/", kibana_space: "soc", api_key: KEY }),
    );
    expect(await screen.findByText("✓ Saved. The API key is stored in your OS keychain.")).toBeTruthy();
    expect(es.keychain.get("default")).toBe(KEY);
    // The saved source: its index, the key in the keychain; the key is nowhere on the page.
    expect(within(section()).getByText(".alerts-security.alerts-soc")).toBeTruthy();
    expect(within(section()).getByText("stored in keychain")).toBeTruthy();
    expect(keyInput()).toBeNull();
    expect(document.body.innerHTML).not.toContain(KEY);
    expect((screen.getByLabelText("URL") as HTMLInputElement).value).toBe("https://elastic.example.org:9200");
    expect(screen.queryByText(/Search your cluster's Security alerts/)).toBeNull();

    // "Replace key" shows an empty field; leaving it empty keeps the stored key.
    fireEvent.click(screen.getByRole("button", { name: "Replace key" }));
    expect(keyInput()!.value).toBe("");
    fireEvent.click(screen.getByRole("button", { name: "Keep the stored key" }));
    fireEvent.change(screen.getByLabelText("URL"), { target: { value: "https://es2.example.org" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(mocked.setAlertSource).toHaveBeenLastCalledWith("default", { url: "https://es2.example.org", kibana_space: "soc" }));
    expect(await screen.findByText("✓ Saved.")).toBeTruthy();
    expect(es.keychain.get("default")).toBe(KEY);
  });

  it("shows the core's 'API key is required' next to the key field the first time", async () => {
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: "https://elastic.example.org:9200" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const error = await screen.findByText(/^api_key: is required/);
    expect(error.getAttribute("role")).toBe("alert");
    expect(keyInput()!.getAttribute("aria-invalid")).toBe("true");
    expect(es.sources.size).toBe(0);
  });

  it("refuses plain http to another computer, naming the URL field", async () => {
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: "http://elastic.example.org:9200" } });
    fireEvent.change(keyInput()!, { target: { value: KEY } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/^url: must start with https:\/\/ \(plain http:\/\/ would send the API key unencrypted/)).toBeTruthy();
    expect(screen.getByLabelText("URL").getAttribute("aria-invalid")).toBe("true");
    expect(es.sources.size).toBe(0);
  });

  it("shows the keychain's message as it is when the keychain is unavailable; nothing is saved", async () => {
    useElastic(elasticFake({ keychainState: "unavailable" }));
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: "https://elastic.example.org:9200" } });
    fireEvent.change(keyInput()!, { target: { value: KEY } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("No OS keychain")).toBeTruthy();
    expect(alert.textContent).toContain(
      "No OS keychain is available (Secret Service / D-Bus is not running). Start gnome-keyring or KWallet, or log in to a desktop session, then try again. Nothing was saved.",
    );
    expect(es.sources.size).toBe(0);
    // What was typed stays, to save again once the keychain is there.
    expect(keyInput()!.value).toBe(KEY);
  });

  it("asks for the key again when it is missing from the keychain", async () => {
    withSource();
    es.keychain.clear();
    renderSection();
    expect(await screen.findByText(/missing from the keychain — enter it again/)).toBeTruthy();
    expect(keyInput()).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Replace key" })).toBeNull();
  });
});

describe("Settings → Alert source: test and remove", () => {
  it("tests the connection: the cluster's name and version", async () => {
    withSource();
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Test connection" }));
    const ok = await screen.findByRole("status");
    expect(ok.textContent).toBe("✓ Connected to soc-prod (Elasticsearch 8.17.1)");
    expect(mocked.testAlertSource).toHaveBeenCalledWith("default");
  });

  it("shows a rejected key (401) with its heading and the core's sentence", async () => {
    withSource({ validKey: "another-key" });
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Test connection" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("API key rejected (401)")).toBeTruthy();
    expect(alert.textContent).toContain(
      "Elasticsearch at https://elastic.example.org:9200 rejected the API key (401). Create a new API key in Kibana (Stack Management → API keys)",
    );
  });

  it.each([
    ["unreachable", "Cannot reach the cluster", "Cannot reach https://elastic.example.org:9200: connection refused."],
    ["tls", "Certificate not trusted", "Could not open a secure connection to https://elastic.example.org:9200: invalid peer certificate: UnknownIssuer."],
    ["forbidden", "Not allowed (403)", "Elasticsearch at https://elastic.example.org:9200 refused the request (403): the API key may not read cluster information."],
    ["remote", "Elasticsearch reported an error", "Elasticsearch at https://elastic.example.org:9200 answered HTTP 502: no details were given."],
  ] as const)("names a %s failure", async (code, heading, message) => {
    withSource({ failure: new ApiError(code, message) });
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Test connection" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText(heading)).toBeTruthy();
    expect(within(alert).getByText(message)).toBeTruthy();
  });

  it("tests the saved settings only: unsaved changes must be saved first", async () => {
    withSource();
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: "https://other.example.org" } });
    expect((screen.getByRole("button", { name: "Test connection" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/save your changes first/)).toBeTruthy();
  });

  it("removes the source after confirming: the key leaves the keychain", async () => {
    withSource();
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Remove" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove the Elasticsearch source of default?" });
    expect(within(dialog).getByText("The URL is forgotten and the API key deleted from the keychain. Alerts already attached stay.")).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove source" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mocked.removeAlertSource).toHaveBeenCalledWith("default");
    expect(es.keychain.has("default")).toBe(false);
    expect(es.sources.size).toBe(0);
    expect(await screen.findByText(/The source was removed/)).toBeTruthy();
    expect((screen.getByLabelText("URL") as HTMLInputElement).value).toBe("");
    expect(keyInput()!.value).toBe("");
  });
});
