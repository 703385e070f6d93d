// Idempotent demo data: organisations of different sectors, a user in every role, one user in two
// organisations. Safe to run on every start; it only creates what is missing.
// Run with `node --conditions=react-server --import tsx` (it uses server modules).
import { PrismaPg } from "@prisma/adapter-pg";
import { hash } from "@node-rs/argon2";
import { PrismaClient } from "../generated/prisma/client";
import { recordAudit } from "../server/audit/record";
import { DEMO_OPERATOR, DEMO_ORGS, DEMO_PASSWORD, DEMO_USERS } from "./demo-accounts";
import { DPA_VERSION } from "../server/orgs/dpa";
import { seedUsageHistory } from "./usage-seed";
import { seedInvoiceHistory } from "./billing-seed";
import { db as serverDb } from "../server/db";
import { FACTOR_SET, FACTOR_SET_2, FACTORS, FACTORS_2, SHAPE_OFFERS } from "./catalogue-seed";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

const SEED_ACTOR = { actorId: null, actorLabel: "system:seed", ip: "127.0.0.1", userAgent: "portal-seed" };

/** Seed events go through the same hash-chain writer as the portal's own. */
function audit(tx: Tx, orgId: string, action: string, targetType: string, targetId: string, details: Record<string, unknown>) {
  return recordAudit(tx, SEED_ACTOR, { orgId, action, targetType, targetId, details });
}

async function main() {
  const passwordHash = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  let created = 0;
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGS) {
    const existing = await db.organization.findUnique({ where: { orgNumber: o.orgNumber } });
    if (existing) {
      orgIds.set(o.slug, existing.id);
      continue;
    }
    await db.$transaction(async (tx) => {
      const org = await tx.organization.create({
        data: { ...o, approvedAt: o.status === "ACTIVE" ? new Date() : null },
      });
      orgIds.set(o.slug, org.id);
      await audit(tx, org.id, "org.signed_up", "organization", org.id, { name: o.name, orgNumber: o.orgNumber, sector: o.sector, status: "PENDING_APPROVAL" });
      if (o.status === "ACTIVE") await audit(tx, org.id, "org.approved", "organization", org.id, { from: "PENDING_APPROVAL", to: "ACTIVE" });
    });
    created++;
  }
  const userIds = new Map<string, string>();
  for (const u of DEMO_USERS) {
    const user =
      (await db.user.findUnique({ where: { email: u.email } })) ??
      (await db.user.create({ data: { email: u.email, name: u.name, passwordHash, emailVerifiedAt: new Date() } }));
    userIds.set(u.email, user.id);
    for (const [slug, role] of u.memberships) {
      const orgId = orgIds.get(slug)!;
      const exists = await db.membership.findUnique({ where: { orgId_userId: { orgId, userId: user.id } } });
      if (exists) continue;
      await db.$transaction(async (tx) => {
        await tx.membership.create({ data: { orgId, userId: user.id, role } });
        if (role === "OWNER") {
          const dpa = await tx.dpaAcceptance.create({ data: { orgId, userId: user.id, version: DPA_VERSION, ip: "127.0.0.1", userAgent: "portal-seed" } });
          await audit(tx, orgId, "dpa.accepted", "dpa_acceptance", dpa.id, { version: DPA_VERSION });
        }
        await audit(tx, orgId, "member.added", "user", user.id, { email: user.email, role });
      });
      created++;
    }
  }
  for (const offer of SHAPE_OFFERS) {
    const exists = await db.shapeOffer.findUnique({ where: { shapeId: offer.shapeId } });
    if (!exists) {
      await db.shapeOffer.create({ data: offer });
      created++;
    }
  }
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET.id } }))) {
    await db.carbonFactorSet.create({ data: { ...FACTOR_SET, factors: { create: FACTORS } } });
    created++;
  }
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET_2.id } }))) {
    await db.carbonFactorSet.create({ data: { ...FACTOR_SET_2, factors: { create: FACTORS_2 } } });
    created++;
  }
  if (!(await db.user.findUnique({ where: { email: DEMO_OPERATOR.email } }))) {
    await db.$transaction(async (tx) => {
      const op = await tx.user.create({ data: { email: DEMO_OPERATOR.email, name: DEMO_OPERATOR.name, passwordHash, emailVerifiedAt: new Date(), platformRole: "OPERATOR" } });
      await recordAudit(tx, SEED_ACTOR, { orgId: null, action: "operator.created", targetType: "user", targetId: op.id, details: { email: op.email } });
    });
    created++;
  }
  created += await seedUsageHistory(db as never, orgIds, userIds);
  created += await seedInvoiceHistory();
  console.log(created > 0 ? `seed: created ${created} demo records` : "seed: demo data already present");
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await db.$disconnect();
    await serverDb.$disconnect();
  });
