import { afterEach, describe, expect, it, vi } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { DB_CHANGED, subscribeDbChanged } from "./events";
import { ApiError, fieldSteps, findCases, emptyFindQuery } from "./client";
import { ERROR_CODES } from "./bindings";
import { validationError } from "../../testing/wireErrors";

afterEach(() => clearMocks());

describe("db-changed", () => {
  it("invalidates every query once listening (a commit told before that is not lost), then on each event until unsubscribed", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const qc = new QueryClient();
    const spy = vi.spyOn(qc, "invalidateQueries");
    const stop = await subscribeDbChanged(qc);
    expect(spy).toHaveBeenCalledTimes(1);
    await emit(DB_CHANGED);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy).toHaveBeenCalledWith();
    stop();
    await emit(DB_CHANGED);
    expect(spy).toHaveBeenCalledTimes(2);
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

  it("turns the core's {code, message, field} into an ApiError, the field taken as sent", async () => {
    mockIPC(() => {
      throw { code: "validation", message: "tags[3]: at most 256 characters (got 300)", field: "tags[3]" };
    });
    const err = await findCases(emptyFindQuery("default")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("validation");
    expect((err as ApiError).field).toBe("tags[3]");
    expect((err as ApiError).fieldRoot).toBe("tags");
    expect((err as ApiError).message).toBe("tags[3]: at most 256 characters (got 300)");
  });

  it("reads the field from the wire, never from the message", () => {
    const e = ApiError.from({ code: "validation", message: "title: looks like a field", field: "category" });
    expect([e.field, e.fieldRoot]).toEqual(["category", "category"]);
    expect(ApiError.from({ code: "validation", message: "title: no field sent" }).field).toBeNull();
  });

  it("walks a field path: the steps, the top input, the field within a list item", () => {
    expect(fieldSteps("templates[2].case_fields.tags[10]")).toEqual(["templates", 2, "case_fields", "tags", 10]);
    expect(fieldSteps("custom_fields.risk-score")).toEqual(["custom_fields", "risk-score"]);
    const e = validationError("templates[2].case_fields.title", "at most 160 characters (got 161)");
    expect(e.fieldWithin("templates", 2)).toBe("case_fields.title");
    expect(e.fieldWithin("templates", 1)).toBeNull();
    expect(e.fieldWithin("custom_fields", 2)).toBeNull();
    expect(validationError("templates[0].tags[3]", "cannot be an empty string").fieldWithin("templates", 0)).toBe("tags");
    expect(new ApiError("conflict", "custom_fields[0].key: x").fieldWithin("custom_fields", 0)).toBeNull();
  });

  it("an unknown code or a bare string is an ipc error; usage and ipc are the core's declared codes", () => {
    expect(ApiError.from({ code: "weird", message: "m" }).code).toBe("ipc");
    expect(ApiError.from("Command find_cases not found").code).toBe("ipc");
    expect(ERROR_CODES).toContain("ipc");
    expect(ERROR_CODES).toContain("usage");
    const missing = ApiError.from({ code: "not_found", message: "case not found: #9", what: "case" });
    expect([missing.field, missing.what]).toEqual([null, "case"]);
  });
});
