// Recognises database errors the domain turns into user-facing answers.

/** A unique-constraint violation (Prisma P2002), whichever Prisma error class carries it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** Error codes of a database that cannot be reached or is shutting down (driver, PostgreSQL SQLSTATE, Prisma). */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
  "P1001", // can't reach database server
  "P1002",
  "P1017", // server closed the connection
  "P2024", // timed out fetching a connection from the pool
]);
const UNAVAILABLE_MESSAGES = /connection terminated|connection closed|server closed the connection|connect ECONNREFUSED|terminating connection due to administrator command|the database system is (shutting down|starting up)|timeout exceeded when trying to connect/i;

/** True when the error (or one it wraps) says PostgreSQL cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    if (typeof current !== "object") return false;
    const { code, message, cause, originalCode } = current as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    if ((typeof code === "string" && UNAVAILABLE_CODES.has(code)) || (typeof originalCode === "string" && UNAVAILABLE_CODES.has(originalCode))) return true;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
    current = cause;
  }
  return false;
}

/** Thrown where a request cannot be answered truthfully because the database is away (never "signed out"). */
export class DatabaseUnavailableError extends Error {
  constructor(cause?: unknown) {
    super("the database is unavailable", { cause });
    this.name = "DatabaseUnavailableError";
  }
}
