// Whether a user is provider staff. Read from the database each time, never from the session token.
import "server-only";
import { db } from "../db";

export async function isOperator(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { platformRole: true } });
  return user?.platformRole === "OPERATOR";
}
