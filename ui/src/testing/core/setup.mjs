// Each "core" test file gets its own `casebook serve --dev` (a fresh temporary database), started
// before its tests and stopped after them; the client's HTTP transport (lib/api/transport.ts,
// used outside Tauri) sends relative `/api/...` requests, routed here to that server.
import { afterAll, beforeAll, inject } from "vitest";
import { startJson } from "./globalSetup.mjs";

const { casebook } = inject("core");
const children = [];
let server = null;

beforeAll(async () => {
  // Numbering waits an hour: new cases stay "ID pending" unless a test assigns numbers.
  const served = await startJson(casebook, ["serve", "--dev", "--port", "0", "--json"], { CASEBOOK_ID_INTERVAL: "3600s" }, children);
  server = served.url;
  // For server.ts's coreUrl().
  globalThis.casebookCoreUrl = server;
});

afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
});

const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (typeof input === "string" && input.startsWith("/api/")) {
    if (server === null) throw new Error("the core of this test file has not started");
    return realFetch(`${server}${input}`, init);
  }
  return realFetch(input, init);
};
