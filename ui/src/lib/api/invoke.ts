// The one call into the core: every command goes through `call`, which turns whatever the
// transport (transport.ts: Tauri IPC, or HTTP in a plain browser) rejected with into an ApiError.
// The typed function of each command is generated (commands.ts); the UI imports both from client.ts.
import type { ErrorCode } from "./bindings";
import { ERROR_CODES } from "./bindings";
import type { CommandName } from "./commands";
import { UNREACHABLE, insideTauri, send } from "./transport";

/** Every code a rejected command can carry: the core's, and its transport codes (`ipc`, `usage`). */
export type ApiErrorCode = ErrorCode;

/** One step of a field path: a name, or a position in a list. */
export type FieldStep = string | number;

/**
 * A field path as the core writes it into `WireError.field`, as steps:
 * "templates[2].case_fields.title" → ["templates", 2, "case_fields", "title"].
 */
export function fieldSteps(field: string): FieldStep[] {
  const steps: FieldStep[] = [];
  for (const part of field.split(".")) {
    const open = part.indexOf("[");
    steps.push(open === -1 ? part : part.slice(0, open));
    if (open === -1) continue;
    for (const index of part.slice(open + 1, -1).split("][")) steps.push(Number(index));
  }
  return steps;
}

/**
 * A rejected command: the core's `WireError` (`{code, message, field?, what?}`), or `ipc` for a
 * transport failure. The message is for people; code, field and what are for branching.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  /**
   * For a `validation` error, the path of the input it is about, as the core sent it ("title",
   * "tags[3]", "custom_fields.risk", "templates[2].case_fields.title"); else null.
   */
  readonly field: string | null;
  /** For `not_found`, `already_exists` and `conflict`, the kind of thing ("case", "Jira project"); else null. */
  readonly what: string | null;

  constructor(code: ErrorCode, message: string, about: { field?: string | null; what?: string | null } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.field = about.field ?? null;
    this.what = about.what ?? null;
  }

  /** The message without its leading field path ("at most 160 characters (got 179)"), to show
   * beside the input the field names. */
  get detail(): string {
    const prefix = this.field === null ? null : `${this.field}: `;
    return prefix !== null && this.message.startsWith(prefix) ? this.message.slice(prefix.length) : this.message;
  }

  /** The field path's steps; empty without a field. */
  get fieldPath(): FieldStep[] {
    return this.field === null ? [] : fieldSteps(this.field);
  }

  /** The top-level input the error is about: "tags" for "tags[3]", "custom_fields" for "custom_fields.risk". */
  get fieldRoot(): string | null {
    const first = this.fieldPath[0];
    return typeof first === "string" ? first : null;
  }

  /**
   * The steps of the field path after `prefix`, or null when the path does not start with it:
   * "custom_fields.risk" after ["custom_fields"] is ["risk"].
   */
  fieldAfter(...prefix: FieldStep[]): FieldStep[] | null {
    const path = this.fieldPath;
    if (path.length < prefix.length || prefix.some((s, i) => path[i] !== s)) return null;
    return path.slice(prefix.length);
  }

  /** The custom field key a validation error is about, its path being `...prefix.custom_fields.<key>`. */
  customFieldKey(...prefix: FieldStep[]): string | null {
    const [key] = this.fieldAfter(...prefix, "custom_fields") ?? [];
    return typeof key === "string" ? key : null;
  }

  /**
   * Within item `index` of the input list `list`, the names of the field (positions dropped):
   * "templates[2].case_fields.tags[1]" within ("templates", 2) is "case_fields.tags". Null when
   * the error is about something else.
   */
  fieldWithin(list: string, index: number): string | null {
    const names = (this.fieldAfter(list, index) ?? []).filter((s): s is string => typeof s === "string");
    return names.length > 0 ? names.join(".") : null;
  }

  /** Normalises whatever `invoke` rejected with. */
  static from(err: unknown): ApiError {
    if (err instanceof ApiError) return err;
    if (typeof err === "object" && err !== null && "code" in err && "message" in err) {
      const { code, message, field, what } = err as Record<string, unknown>;
      const known = (ERROR_CODES as readonly string[]).includes(String(code));
      const text = (v: unknown) => (typeof v === "string" ? v : null);
      return new ApiError(known ? (code as ErrorCode) : "ipc", String(message), { field: text(field), what: text(what) });
    }
    if (typeof err === "string") return new ApiError("ipc", err);
    if (err instanceof Error) {
      return new ApiError("ipc", insideTauri() ? err.message : UNREACHABLE);
    }
    return new ApiError("ipc", "Unknown error");
  }
}

/** Invokes the command `cmd`; a rejection is always an ApiError. */
export async function call<T>(cmd: CommandName, args?: Record<string, unknown>): Promise<T> {
  try {
    return await send<T>(cmd, args);
  } catch (err) {
    throw ApiError.from(err);
  }
}
