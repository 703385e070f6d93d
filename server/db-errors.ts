// Recognises database errors the domain turns into user-facing answers.

/** A unique-constraint violation (Prisma P2002), whichever Prisma error class carries it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
