// The one `invoke` call: every command goes through `call`, which turns whatever `invoke`
// rejected with into an ApiError. The typed function of each command is generated (commands.ts);
// the UI imports both from client.ts.
import { invoke } from "@tauri-apps/api/core";
import type { ErrorCode } from "./bindings";
import { ERROR_CODES } from "./bindings";
import type { CommandName } from "./commands";

/** `ipc`: the call never reached the core (not running in the desktop app, unknown command). */
export type ApiErrorCode = ErrorCode | "ipc";

/** A rejected command: the core's `{code, message}`, or `ipc` for a transport failure. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }

  /** For a `validation` error, the field it names ("title", "tags", "category"…), else null. */
  get field(): string | null {
    if (this.code !== "validation") return null;
    const m = /^([A-Za-z_]+)(?:\[\d+\])?(?:\.[A-Za-z_]+)?: /.exec(this.message);
    return m ? m[1] : null;
  }

  /** Normalises whatever `invoke` rejected with. */
  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    if (typeof err === "object" && err !== null && "code" in err && "message" in err) {
      const { code, message } = err as { code: unknown; message: unknown };
      const known = (ERROR_CODES as readonly string[]).includes(String(code));
      return new ApiError(known ? (code as ErrorCode) : "ipc", String(message));
    }
    if (typeof err === "string") return new ApiError("ipc", err);
    if (err instanceof Error) {
      // Outside Tauri `window.__TAURI_INTERNALS__` is missing and invoke throws a TypeError.
      const outside = typeof window !== "undefined" && !("__TAURI_INTERNALS__" in window);
      return new ApiError(
        "ipc",
        outside ? "Casebook's core is not reachable: open this page in the Casebook desktop app." : err.message,
      );
    }
    return new ApiError("ipc", "Unknown error");
  }
}

/** Invokes the command `cmd`; a rejection is always an ApiError. */
export async function call<T>(cmd: CommandName, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw ApiError.from(err);
  }
}
