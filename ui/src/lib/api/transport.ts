// How the UI reaches the core. Inside the desktop app: Tauri's IPC. In a plain browser: the same
// commands over HTTP, answered by `casebook serve --dev` (the Vite dev server proxies /api to it),
// so the real UI runs against the real core on a temporary database (ui/tests/ do this).
// Both answer with the command's JSON or reject with the core's WireError.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

/** True in the desktop app (and under @tauri-apps/api/mocks in unit tests). */
export function insideTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** The path `casebook serve --dev` answers commands under (cmd/serve/http.rs). */
const INVOKE_PATH = "/api/invoke/";
const EVENTS_PATH = "/api/events";

/** Sends one command; rejects with what the core answered (a WireError) or a transport error. */
export async function send<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  if (insideTauri()) return invoke<T>(cmd, args);
  let response: Response;
  try {
    response = await fetch(INVOKE_PATH + cmd, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(args ?? {}),
    });
  } catch {
    throw { code: "ipc", message: UNREACHABLE };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not the server's answer (the dev server without `casebook serve --dev` behind its proxy).
    throw { code: "ipc", message: UNREACHABLE };
  }
  if (!response.ok) throw body;
  return body as T;
}

/** What a transport failure says outside the desktop app. */
export const UNREACHABLE =
  "Casebook's core is not reachable: open this page in the Casebook desktop app, or start `casebook serve --dev`.";

let stream: EventSource | null = null;

/** Calls `handler` with the payload of every `event`. Resolves to a function that stops. */
export async function listenTo<T>(event: string, handler: (payload: T) => void): Promise<() => void> {
  if (insideTauri()) return listen<T>(event, (e) => handler(e.payload));
  if (typeof EventSource === "undefined") throw new Error("no event stream in this environment");
  stream ??= new EventSource(EVENTS_PATH);
  const source = stream;
  const onMessage = (m: MessageEvent<string>) => handler(JSON.parse(m.data) as T);
  source.addEventListener(event, onMessage);
  return () => source.removeEventListener(event, onMessage);
}
