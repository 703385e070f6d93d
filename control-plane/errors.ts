// The one error type a backend throws for an expected failure; the server turns it into a problem
// response with the matching status. Anything else a backend throws becomes 500 `internal`.
import type { Problem } from "./api-types";

export type ProblemCode = Problem["code"];

export const PROBLEM_STATUS: Record<ProblemCode, number> = {
  unauthorized: 401,
  not_found: 404,
  validation: 422,
  idempotency_conflict: 409,
  invalid_state: 409,
  unknown_shape: 400,
  unknown_region: 400,
  unknown_image: 400,
  unavailable: 503,
  internal: 500,
};

export const PROBLEM_TITLE: Record<ProblemCode, string> = {
  unauthorized: "Missing or wrong service token",
  not_found: "Not found",
  validation: "Invalid request",
  idempotency_conflict: "Idempotency key already used with another request",
  invalid_state: "Not possible in the current state",
  unknown_shape: "Unknown shape",
  unknown_region: "Unknown region",
  unknown_image: "Unknown image",
  unavailable: "Temporarily unavailable",
  internal: "Internal error",
};

/** An expected failure with a problem code; `message` becomes the problem's `detail`. */
export class BackendError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
  ) {
    super(message);
    this.name = "BackendError";
  }
}

/** True for a BackendError, also one from another copy of this module (duck-typed on `code`). */
export function isBackendError(error: unknown): error is BackendError {
  if (!(error instanceof Error) || error.name !== "BackendError") return false;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === "string" && Object.hasOwn(PROBLEM_STATUS, code);
}

export function problem(code: ProblemCode, detail?: string): Problem {
  return {
    type: `https://errors.control-plane/${code.replace(/_/g, "-")}`,
    title: PROBLEM_TITLE[code],
    status: PROBLEM_STATUS[code],
    ...(detail ? { detail } : {}),
    code,
  };
}
