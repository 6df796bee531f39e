// The core's "db-changed" event (no payload): the CLI, another window or this one wrote to the
// database, so every cached answer may be stale.
import { listenTo } from "./transport";
import type { QueryClient } from "@tanstack/react-query";

export const DB_CHANGED = "db-changed";

/** Invalidates every query on "db-changed". Resolves to a function that stops listening. */
export async function subscribeDbChanged(queryClient: QueryClient): Promise<() => void> {
  try {
    const unlisten = await listenTo(DB_CHANGED, () => {
      void queryClient.invalidateQueries();
    });
    // A commit made while the page was starting (the CLI writing as the app opens) was told
    // before anyone listened, and the first answers may predate it: read everything once more.
    void queryClient.invalidateQueries();
    return unlisten;
  } catch (err) {
    // Neither inside Tauri nor a browser with an event stream (a unit test): nothing to hear.
    console.warn("casebook: not listening for db-changed:", err);
    return () => {};
  }
}
