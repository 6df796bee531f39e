// Each "core" test file: the client's HTTP transport (lib/api/transport.ts, used outside Tauri)
// sends relative `/api/...` requests; here they go to the shared `casebook serve --dev`.
import { inject } from "vitest";

const server = inject("core").url;
const realFetch = globalThis.fetch;
globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
  realFetch(typeof input === "string" && input.startsWith("/api/") ? `${server}${input}` : input, init);
