// Errors as the core sends them, for the fakes and the tests (not bundled: only tests import this).
import { ApiError } from "../lib/api/client";

/** A `validation` error as the core's WireError has it: the field as data, and the message starting with it. */
export function validationError(field: string, message: string): ApiError {
  return new ApiError("validation", `${field}: ${message}`, { field });
}

/** A `not_found` error as the core's Error::NotFound words it, with its `what`. */
export function notFoundError(what: string, id: string): ApiError {
  return new ApiError("not_found", `${what} not found: ${id}`, { what });
}

/** The same error as the plain object `invoke` rejects with: `{code, message, field}`. */
export function wireValidation(field: string, message: string): { code: "validation"; message: string; field: string } {
  return { code: "validation", message: `${field}: ${message}`, field };
}
