// Keeps the sign-in challenge between the password step and the code step in an httpOnly cookie
// scoped to the sign-in page, so the password never has to travel twice.
import "server-only";
import { cookies, headers } from "next/headers";
import { db } from "../db";
import { serverEnv } from "../env";
import { emailField } from "../validation/fields";
import { CHALLENGE_COOKIE, CHALLENGE_TTL_MS, openChallenge, sealChallenge, type SignInChallenge } from "./sign-in-challenge";

const COOKIE_PATH = "/sign-in";

async function secure(): Promise<boolean> {
  const proto = (await headers()).get("x-forwarded-proto");
  return proto === "https" || (serverEnv().PUBLIC_URL ?? "").startsWith("https:");
}

/** Called after the password step answered "code required": stores the challenge for that account. */
export async function beginSecondStep(rawEmail: string): Promise<boolean> {
  const email = emailField.safeParse(rawEmail);
  if (!email.success) return false;
  const user = await db.user.findUnique({ where: { email: email.data }, select: { id: true, sessionVersion: true } });
  if (!user) return false;
  (await cookies()).set(CHALLENGE_COOKIE, sealChallenge(user), {
    httpOnly: true,
    sameSite: "strict",
    secure: await secure(),
    path: COOKIE_PATH,
    maxAge: Math.floor(CHALLENGE_TTL_MS / 1000),
  });
  return true;
}

/** The raw sealed challenge, if the browser holds one. */
export async function challengeCookie(): Promise<string | undefined> {
  return (await cookies()).get(CHALLENGE_COOKIE)?.value;
}

/** The pending challenge, if it is still valid (for the page to show the code step). */
export async function pendingChallenge(): Promise<SignInChallenge | null> {
  return openChallenge(await challengeCookie());
}

export async function clearSecondStep(): Promise<void> {
  (await cookies()).set(CHALLENGE_COOKIE, "", { httpOnly: true, sameSite: "strict", path: COOKIE_PATH, maxAge: 0 });
}
