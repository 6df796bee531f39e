import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, listSpaces, createCase } from "./client";
import { UNREACHABLE } from "./transport";

// Outside Tauri (no mockIPC here) the client speaks HTTP to `casebook serve --dev`.
afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status }));
}

describe("HTTP transport", () => {
  it("posts the command's arguments as JSON and resolves with the answer", async () => {
    const fetch = answer(200, [{ name: "default", total_cases: 0, created_at: "2026-12-07T00:00:00Z" }]);
    vi.stubGlobal("fetch", fetch);
    const spaces = await listSpaces();
    expect(spaces[0].name).toBe("default");
    expect(fetch).toHaveBeenCalledWith("/api/invoke/list_spaces", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
  });

  it("rejects with the core's error, its field kept", async () => {
    vi.stubGlobal("fetch", answer(400, { code: "validation", message: "title: cannot be an empty string", field: "title" }));
    const err = await createCase("default", { title: "" } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([(err as ApiError).code, (err as ApiError).field, (err as ApiError).detail]).toEqual([
      "validation",
      "title",
      "cannot be an empty string",
    ]);
  });

  it("says how to reach the core when nothing answers", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const err = (await listSpaces().catch((e: unknown) => e)) as ApiError;
    expect([err.code, err.message]).toEqual(["ipc", UNREACHABLE]);
    // A page that is not the server's (the dev server with nothing behind its proxy).
    vi.stubGlobal("fetch", vi.fn(async () => new Response("<html>502</html>", { status: 502 })));
    const other = (await listSpaces().catch((e: unknown) => e)) as ApiError;
    expect([other.code, other.message]).toEqual(["ipc", UNREACHABLE]);
  });
});
