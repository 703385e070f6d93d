// Whether a session satisfies an organisation's "two-factor authentication required" rule.
// Password sessions count once the second step (TOTP or recovery code) was passed; sessions from
// the OpenID Connect provider count only when OIDC_MFA=1 says that provider enforces MFA itself.
import "server-only";
import { db } from "../db";
import { serverEnv } from "../env";
import { getMembershipBySlug } from "../orgs/queries";

/** What is missing: no two-factor set up at all, or set up but this session did not use it. */
export type TwoFactorGap = "enrol" | "reauthenticate";

export function oidcCountsAsTwoFactor(): boolean {
  return serverEnv().OIDC_MFA === "1";
}

/** True when a session of this method meets the requirement. */
export function sessionMeetsTwoFactor(method: string | null | undefined, totpEnabled: boolean, oidcMfa = oidcCountsAsTwoFactor()): boolean {
  if (method === "password+totp") return totpEnabled;
  if (method === "oidc") return oidcMfa;
  return false;
}

/** The reads the check needs: the shared client or a transaction (both fit). */
interface PolicyClient {
  organization: { findUnique(args: { where: { id: string }; select: { requireTotp: true } }): PromiseLike<{ requireTotp: boolean } | null> };
  user: { findUnique(args: { where: { id: string }; select: { totpEnabledAt: true } }): PromiseLike<{ totpEnabledAt: Date | null } | null> };
  userSession: {
    findFirst(args: { where: { id: string; userId: string; revokedAt: null }; select: { method: true } }): PromiseLike<{ method: string } | null>;
  };
}

/** Null when the organisation does not require two-factor or the caller's session meets it. */
export async function twoFactorGap(client: PolicyClient, caller: { userId: string; sessionId?: string | undefined }, orgId: string): Promise<TwoFactorGap | null> {
  const org = await client.organization.findUnique({ where: { id: orgId }, select: { requireTotp: true } });
  if (!org?.requireTotp) return null;
  // One query after the other: inside a transaction they share one connection.
  const user = await client.user.findUnique({ where: { id: caller.userId }, select: { totpEnabledAt: true } });
  const session = caller.sessionId
    ? await client.userSession.findFirst({ where: { id: caller.sessionId, userId: caller.userId, revokedAt: null }, select: { method: true } })
    : null;
  const totpEnabled = Boolean(user?.totpEnabledAt);
  if (sessionMeetsTwoFactor(session?.method, totpEnabled)) return null;
  return totpEnabled ? "reauthenticate" : "enrol";
}

/** For the account page's explanation: the organisation (by slug) whose requirement this session misses. */
export async function twoFactorGapForSlug(user: { userId: string; sessionId?: string | undefined }, slug: string | undefined) {
  if (!slug) return null;
  const membership = await getMembershipBySlug(user.userId, slug);
  if (!membership) return null;
  const gap = await twoFactorGap(db, user, membership.org.id);
  return gap ? { gap, org: { slug: membership.org.slug, name: membership.org.name } } : null;
}
