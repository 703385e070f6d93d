// Test data builders that go through the real database.
import { mod11CheckDigit } from "@/server/validation/org-number";
import { randomBytes } from "node:crypto";
import type { Role } from "@/generated/prisma/enums";
import { db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import type { Caller } from "@/server/actions/define";
import type { RequestMeta } from "@/server/request-meta";

export const meta: RequestMeta = { ip: "198.51.100.7", userAgent: "vitest", baseUrl: "http://localhost:3000", locale: "en" };

export const PASSWORD = "correct horse battery staple";
let hashed: Promise<string> | undefined;

const uid = () => randomBytes(4).toString("hex");

/** A verified user with the shared test password. */
export async function createUser(label = "user") {
  hashed ??= hashPassword(PASSWORD);
  return db.user.create({
    data: { email: `${label}-${uid()}@example.no`, name: `Test ${label}`, passwordHash: await hashed, emailVerifiedAt: new Date() },
  });
}

/** An organisation (active unless told otherwise) with one member per given role. */
/** A random organisation number with a valid MOD11 check digit (as real ones have). */
export function validOrgNumber(): string {
  for (;;) {
    const firstEight = String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
    const check = mod11CheckDigit(firstEight);
    if (check !== null) return `${firstEight}${check}`;
  }
}

export async function createOrg(roles: Role[] = ["OWNER"], status: "ACTIVE" | "PENDING_APPROVAL" = "ACTIVE") {
  const id = uid();
  const org = await db.organization.create({
    data: {
      slug: `org-${id}`,
      name: `Org ${id}`,
      orgNumber: validOrgNumber(),
      sector: "RESEARCH",
      status,
      billingStreet: "Gate 1",
      billingPostalCode: "0150",
      billingCity: "Oslo",
      buyerReference: "REF",
    },
  });
  const members: Record<string, { userId: string; membershipId: string; email: string }> = {};
  for (const role of roles) {
    const user = await createUser(role.toLowerCase());
    const m = await db.membership.create({ data: { orgId: org.id, userId: user.id, role } });
    members[role] = { userId: user.id, membershipId: m.id, email: user.email };
  }
  return { org, members };
}

export function callerFor(userId: string): Caller {
  return { userId, meta };
}

/** Row counts and a checksum of every domain table, to prove that nothing changed. */
export async function snapshot(options: { includeAudit?: boolean } = {}) {
  const tables = ["organization", "user", "membership", "dpa_acceptance", "invitation", "email_token", "outbox_email", "workbench", "invoice", "invoice_line", "invoice_approval", "invoice_dispute", "invoice_series", "budget", "budget_alert", "billing_credit", "innovation_request", "innovation_event", "innovation_comment", ...(options.includeAudit ? ["audit_event"] : [])];
  const out: Record<string, string> = {};
  for (const table of tables) {
    const rows = await db.$queryRawUnsafe<Array<{ n: bigint; sum: string | null }>>(
      `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum FROM "${table}" t`,
    );
    out[table] = `${rows[0]!.n}:${rows[0]!.sum ?? ""}`;
  }
  return out;
}
