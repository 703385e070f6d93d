// Reads about organisations and their members, always through the caller's own membership.
import "server-only";
import { cache } from "react";
import { db } from "../db";
import { AppError } from "../errors";
import { can, type Permission } from "../permissions";
import { ACCESS_TTL_MS, ttlCache } from "../cache/ttl";

/** The caller's membership in the organisation with this slug, or null (not found and not allowed look alike). */
export const getMembershipBySlug = cache(async (userId: string, slug: string) => {
  if (!/^[a-z0-9-]{1,64}$/.test(slug)) return null;
  return membershipCache.get(`${userId}\u0000${slug}`, () => loadMembership(userId, slug));
});

async function loadMembership(userId: string, slug: string) {
  const membership = await db.membership.findFirst({
    where: { userId, org: { slug } },
    select: {
      id: true,
      userId: true,
      role: true,
      org: { select: { id: true, slug: true, name: true, status: true, sector: true, orgNumber: true } },
    },
  });
  return membership;
}

// Every portal page asks these on every request; a few seconds of reuse spares the database (see server/cache/ttl.ts).
const membershipCache = ttlCache<Awaited<ReturnType<typeof loadMembership>>>({ ttlMs: ACCESS_TTL_MS, max: 10_000 });
const myOrganisationsCache = ttlCache<Awaited<ReturnType<typeof loadMyOrganisations>>>({ ttlMs: ACCESS_TTL_MS, max: 10_000 });

export type OrgMembership = NonNullable<Awaited<ReturnType<typeof getMembershipBySlug>>>;

/** Throws unless the membership's role grants the permission. */
export function assertCan(membership: OrgMembership, permission: Permission): void {
  if (!can(membership.role, permission, membership.org.status)) throw new AppError("errors.forbidden");
}

/** Organisations the user belongs to, for the switcher. */
export async function listMyOrganisations(userId: string) {
  return myOrganisationsCache.get(userId, () => loadMyOrganisations(userId));
}

async function loadMyOrganisations(userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, org: { select: { slug: true, name: true, status: true } } },
    orderBy: { org: { name: "asc" } },
  });
  return rows.map((r) => ({ ...r.org, role: r.role }));
}

/** Members of the organisation, for anyone who may view the team. */
export async function listMembers(membership: OrgMembership) {
  assertCan(membership, "members.view");
  const rows = await db.membership.findMany({
    where: { orgId: membership.org.id },
    select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true, emailVerifiedAt: true } } },
    orderBy: [{ createdAt: "asc" }],
  });
  return rows.map((r) => ({
    membershipId: r.id,
    role: r.role,
    since: r.createdAt,
    userId: r.user.id,
    name: r.user.name,
    email: r.user.email,
    verified: r.user.emailVerifiedAt !== null,
  }));
}

/** Pending (not accepted, not revoked) invitations, for those who may invite. */
export async function listPendingInvitations(membership: OrgMembership) {
  assertCan(membership, "members.invite");
  return db.invitation.findMany({
    where: { orgId: membership.org.id, acceptedAt: null, revokedAt: null },
    select: { id: true, email: true, role: true, expiresAt: true, createdAt: true, sendCount: true },
    orderBy: { createdAt: "desc" },
  });
}

/** Organisation details including billing, for its members. */
export async function getOrganisationDetails(membership: OrgMembership) {
  assertCan(membership, "org.view");
  const org = await db.organization.findUniqueOrThrow({
    where: { id: membership.org.id },
    select: {
      id: true, name: true, slug: true, orgNumber: true, sector: true, status: true, createdAt: true, approvedAt: true,
      billingStreet: true, billingPostalCode: true, billingCity: true, billingCountry: true, buyerReference: true,
      dpaAcceptances: { select: { version: true, acceptedAt: true, userId: true }, orderBy: { acceptedAt: "desc" }, take: 1 },
    },
  });
  return org;
}
