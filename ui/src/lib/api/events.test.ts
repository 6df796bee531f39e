import { afterEach, describe, expect, it, vi } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { DB_CHANGED, subscribeDbChanged } from "./events";
import { ApiError, findCases, emptyFindQuery } from "./client";

afterEach(() => clearMocks());

describe("db-changed", () => {
  it("invalidates every query, until unsubscribed", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const qc = new QueryClient();
    const spy = vi.spyOn(qc, "invalidateQueries");
    const stop = await subscribeDbChanged(qc);
    await emit(DB_CHANGED);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith();
    stop();
    await emit(DB_CHANGED);
    expect(spy).toHaveBeenCalledTimes(1);
  });
});

describe("client", () => {
  it("passes the command's argument keys and returns its answer", async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { cases: [], page: 1, per_page: 1, total: 0, count_open_cases: 0, count_in_progress_cases: 0, count_closed_cases: 0, mean_time_to_close: null };
    });
    const q = emptyFindQuery("default");
    const r = await findCases(q);
    expect(r.total).toBe(0);
    expect(calls).toEqual([["find_cases", { query: q }]]);
  });

  it("turns the core's {code, message} into an ApiError", async () => {
    mockIPC(() => {
      throw { code: "validation", message: "tags[3]: at most 256 characters (got 300)" };
    });
    const err = await findCases(emptyFindQuery("default")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("validation");
    expect((err as ApiError).field).toBe("tags");
    expect((err as ApiError).message).toBe("tags[3]: at most 256 characters (got 300)");
  });

  it("an unknown code or a bare string is an ipc error", () => {
    expect(ApiError.from({ code: "weird", message: "m" }).code).toBe("ipc");
    expect(ApiError.from("Command find_cases not found").code).toBe("ipc");
    expect(ApiError.from({ code: "not_found", message: "case not found: #9" }).field).toBeNull();
  });
});
