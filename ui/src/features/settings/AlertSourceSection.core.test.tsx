// Settings → Alert source against the real core (`casebook serve --dev`, its keychain kept in
// memory) and the contract fake Elasticsearch: the core's checks and words, what it keeps, and
// what a real cluster (or no cluster) answers. The keychain states the development server cannot
// be put in (unavailable, key removed by hand) and a 403 are in AlertSourceSection.test.tsx.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, configure, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { AlertSourceInput } from "../../lib/api/bindings";
import { ApiError, getAlertSource, setAlertSource, testAlertSource } from "../../lib/api/client";
import { coreUrl, fakes, freshSpace } from "../../testing/core/server";
import { renderWithQueries } from "../../testing/render";
import { AlertSourceSection } from "./AlertSourceSection";

configure({ asyncUtilTimeout: 8_000 });

/** A key the fake cluster does not know (base64 of `not-the-key:nope`). */
const WRONG_KEY = "bm90LXRoZS1rZXk6bm9wZQ==";
/** Nothing listens there. */
const UNREACHABLE = "http://127.0.0.1:9";

let space: string;
const es = () => fakes().elasticsearch;

/** A source already saved for the space, its key in the (in-memory) keychain. */
async function withSource(patch: Partial<AlertSourceInput> = {}) {
  await setAlertSource(space, { url: es().url, kibana_space: "soc", api_key: es().api_key, ...patch });
}

function renderSection() {
  return renderWithQueries(<AlertSourceSection space={space} />);
}

const section = () => screen.getByRole("region", { name: "Alert source (Elasticsearch)" });
const keyInput = () => screen.queryByLabelText(/API key$/) as HTMLInputElement | null;

beforeEach(async () => {
  space = await freshSpace("source");
});
afterEach(() => cleanup());

describe("Settings → Alert source: setting one", () => {
  it("explains the source, saves URL, Kibana space and key, then never shows the key again", async () => {
    const { url, api_key: key } = es();
    renderSection();
    expect(await screen.findByText(/Search your cluster's Security alerts and attach them to cases\. The API key is stored in your OS keychain, never in Casebook's database\./)).toBeTruthy();
    expect((screen.getByLabelText("Kibana space") as HTMLInputElement).placeholder).toBe(space);
    const keyBox = keyInput()!;
    expect(keyBox.type).toBe("password");
    expect(keyBox.getAttribute("autocomplete")).toBe("off");
    expect(keyBox.value).toBe("");
    // Nothing to test or remove before a source is saved.
    expect(screen.queryByRole("button", { name: "Test connection" })).toBeNull();

    fireEvent.change(screen.getByLabelText("URL"), { target: { value: ` ${url}/ ` } });
    fireEvent.change(screen.getByLabelText("Kibana space"), { target: { value: "soc" } });
    fireEvent.change(keyBox, { target: { value: key } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("✓ Saved. The API key is stored in your OS keychain.")).toBeTruthy();
    // The core kept the URL without its trailing slash, and the key the cluster accepts.
    expect(await getAlertSource(space)).toMatchObject({ url, kibana_space: "soc", index: ".alerts-security.alerts-soc", api_key_stored: true });
    expect(await testAlertSource(space)).toEqual({ cluster_name: "soc-prod", version: "8.17.1" });
    // The saved source: its index, the key in the keychain; the key is nowhere on the page.
    expect(within(section()).getByText(".alerts-security.alerts-soc")).toBeTruthy();
    expect(within(section()).getByText("stored in keychain")).toBeTruthy();
    expect(keyInput()).toBeNull();
    expect(document.body.innerHTML).not.toContain(key);
    expect((screen.getByLabelText("URL") as HTMLInputElement).value).toBe(url);
    expect(screen.queryByText(/Search your cluster's Security alerts/)).toBeNull();

    // "Replace key" shows an empty field; leaving it empty keeps the stored key.
    fireEvent.click(screen.getByRole("button", { name: "Replace key" }));
    expect(keyInput()!.value).toBe("");
    fireEvent.click(screen.getByRole("button", { name: "Keep the stored key" }));
    const moved = url.replace("127.0.0.1", "localhost");
    fireEvent.change(screen.getByLabelText("URL"), { target: { value: moved } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("✓ Saved.")).toBeTruthy();
    expect(await getAlertSource(space)).toMatchObject({ url: moved, kibana_space: "soc", api_key_stored: true });
    // The kept key still opens the cluster at its new address.
    expect(await testAlertSource(space)).toEqual({ cluster_name: "soc-prod", version: "8.17.1" });
    expect(document.body.innerHTML).not.toContain(key);
  });

  it("shows the core's 'API key is required' next to the key field the first time", async () => {
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: es().url } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const error = await screen.findByText("api_key: is required: paste the encoded API key Kibana showed");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.id).toBe("source-api-key-error");
    expect(keyInput()!.getAttribute("aria-invalid")).toBe("true");
    expect(await getAlertSource(space)).toBeNull();
  });

  it("refuses plain http to another computer, naming the URL field", async () => {
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: "http://elastic.example.org:9200" } });
    fireEvent.change(keyInput()!, { target: { value: es().api_key } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const error = await screen.findByText(
      "url: must start with https:// (plain http:// would send the API key unencrypted; it is accepted only for localhost), e.g. https://elastic.example.com:9200",
    );
    expect(error.id).toBe("source-url-error");
    expect(screen.getByLabelText("URL").getAttribute("aria-invalid")).toBe("true");
    expect(await getAlertSource(space)).toBeNull();
    // What was typed stays, to correct it.
    expect(keyInput()!.value).toBe(es().api_key);
  });
});

describe("Settings → Alert source: test and remove", () => {
  it("tests the connection: the cluster's name and version", async () => {
    await withSource();
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Test connection" }));
    const ok = await screen.findByRole("status");
    expect(ok.textContent).toBe("✓ Connected to soc-prod (Elasticsearch 8.17.1)");
  });

  it("shows a rejected key (401) with its heading and the core's sentence", async () => {
    await withSource({ api_key: WRONG_KEY });
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Test connection" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("API key rejected (401)")).toBeTruthy();
    expect(within(alert).getByText(
      `Elasticsearch at ${es().url} rejected the API key (401). Create a new API key in Kibana (Stack Management → API keys) and paste its encoded value into Casebook.`,
    )).toBeTruthy();
  });

  // Each failure is real: nothing listening, TLS spoken to a plain-HTTP port, and an HTTP server
  // that is not Elasticsearch (the core's own).
  it.each([
    ["unreachable", "Cannot reach the cluster", (): string => UNREACHABLE,
      (url: string): string => `Cannot reach ${url}: connection refused. Check the URL and your network; if you use a VPN or proxy, check that it is connected.`],
    ["tls", "Secure connection failed", (): string => es().url.replace("http://", "https://"),
      (url: string): string => `Could not open a secure connection to ${url}: the TLS handshake failed (received corrupt message of type InvalidContentType); check that this port speaks HTTPS. Casebook only accepts certificates the operating system trusts: use a certificate signed by a trusted authority, or add your organisation's CA to the system trust store.`],
    ["remote", "Elasticsearch reported an error", (): string => coreUrl(),
      (url: string): string => `Elasticsearch at ${url} answered HTTP 404: the answer is not from Elasticsearch ({"code":"ipc","message":"no such endpoint: /"}). Check that the URL points at Elasticsearch, not Kibana or a proxy.`],
  ] as const)("names a %s failure", async (_code, heading, target, message) => {
    const url = target();
    await withSource({ url });
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Test connection" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText(heading)).toBeTruthy();
    expect(within(alert).getByText(message(url))).toBeTruthy();
  });

  it("tests the saved settings only: unsaved changes must be saved first", async () => {
    await withSource();
    renderSection();
    fireEvent.change(await screen.findByLabelText("URL"), { target: { value: "https://other.example.org" } });
    expect((screen.getByRole("button", { name: "Test connection" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/save your changes first/)).toBeTruthy();
  });

  it("removes the source after confirming: the key leaves the keychain", async () => {
    await withSource();
    renderSection();
    fireEvent.click(await screen.findByRole("button", { name: "Remove" }));
    const dialog = await screen.findByRole("dialog", { name: `Remove the Elasticsearch source of ${space}?` });
    expect(within(dialog).getByText("The URL is forgotten and the API key deleted from the keychain. Alerts already attached stay.")).toBeTruthy();
    expect(await getAlertSource(space)).not.toBeNull();
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove source" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(await screen.findByText(/The source was removed/)).toBeTruthy();
    expect((screen.getByLabelText("URL") as HTMLInputElement).value).toBe("");
    expect(keyInput()!.value).toBe("");
    expect(await getAlertSource(space)).toBeNull();
    // Saving the URL again without a key: the core has no key left for the space.
    const again = await setAlertSource(space, { url: es().url }).catch((e: unknown) => ApiError.from(e));
    expect(again).toMatchObject({ code: "validation", field: "api_key", message: "api_key: is required: paste the encoded API key Kibana showed" });
  });
});
