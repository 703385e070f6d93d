// Registers a regulated organisation with its first owner, DPA record and verification e-mail.
import "server-only";
import { isUniqueViolation } from "../db-errors";
import { db, type Tx } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { enqueueEmail, deliverSoon, type EmailMessage } from "../email/outbox";
import { verifyEmailMessage } from "../email/templates";
import { DPA_VERSION } from "../orgs/dpa";
import { slugify } from "../orgs/slug";
import { signUpSchema } from "../orgs/schemas";
import type { RequestMeta } from "../request-meta";
import { hashPassword } from "./password";
import { DAY, newToken } from "./tokens";
import { parseInput } from "../validation/parse";

export interface SignUpDeps {
  enqueueEmail: (tx: Tx, message: EmailMessage) => Promise<void>;
}

/** Creates organisation, owner, DPA acceptance, verification token and audit events in one transaction. */
export async function signUpOrganisation(raw: unknown, meta: RequestMeta, deps: SignUpDeps = { enqueueEmail }) {
  const input = parseInput(signUpSchema, raw);
  const passwordHash = await hashPassword(input.password);
  const { token, tokenHash } = newToken();

  for (let attempt = 1; ; attempt++) {
    try {
      return await createInTransaction();
    } catch (error) {
      // Two sign-ups racing for the same number, e-mail or slug: the unique index decides.
      if (!isUniqueViolation(error)) throw error;
      const target = JSON.stringify((error as { meta?: unknown }).meta ?? {});
      if (/org_?number/i.test(target)) throw new AppError("errors.orgNumberTaken", { orgNumber: "errors.orgNumberTaken" });
      if (target.includes("email")) throw new AppError("errors.emailTaken", { email: "errors.emailTaken" });
      if (attempt >= 3) throw error;
    }
  }

  async function createInTransaction() {
    const result = await db.$transaction(async (tx) => {
      const [numberTaken, emailTaken] = await Promise.all([
        tx.organization.findUnique({ where: { orgNumber: input.orgNumber }, select: { id: true } }),
        tx.user.findUnique({ where: { email: input.email }, select: { id: true } }),
      ]);
      if (numberTaken) throw new AppError("errors.orgNumberTaken", { orgNumber: "errors.orgNumberTaken" });
      if (emailTaken) throw new AppError("errors.emailTaken", { email: "errors.emailTaken" });

      const slug = await uniqueSlug(tx, input.orgName);
      const org = await tx.organization.create({
        data: {
          slug,
          name: input.orgName,
          orgNumber: input.orgNumber,
          sector: input.sector,
          billingStreet: input.billingStreet,
          billingPostalCode: input.billingPostalCode,
          billingCity: input.billingCity,
          buyerReference: input.buyerReference,
        },
      });
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, passwordHash, locale: meta.locale },
      });
      await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: "OWNER" } });
      const dpa = await tx.dpaAcceptance.create({
        data: { orgId: org.id, userId: user.id, version: DPA_VERSION, ip: meta.ip, userAgent: meta.userAgent },
      });
      await tx.emailToken.create({
        data: { userId: user.id, purpose: "VERIFY_EMAIL", tokenHash, expiresAt: new Date(Date.now() + 2 * DAY) },
      });

      const actor = { actorId: user.id, actorLabel: user.email, ip: meta.ip, userAgent: meta.userAgent };
      await recordAudit(tx, actor, {
        orgId: org.id,
        action: "org.signed_up",
        targetType: "organization",
        targetId: org.id,
        details: { name: org.name, orgNumber: org.orgNumber, sector: org.sector, status: org.status },
      });
      await recordAudit(tx, actor, {
        orgId: org.id,
        action: "dpa.accepted",
        targetType: "dpa_acceptance",
        targetId: dpa.id,
        details: { version: DPA_VERSION },
      });
      await recordAudit(tx, actor, {
        orgId: org.id,
        action: "member.added",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email, role: "OWNER" },
      });
      const link = `${meta.baseUrl}/verify-email?token=${token}`;
      await deps.enqueueEmail(tx, verifyEmailMessage(meta.locale, user.email, user.name, link));
      return { orgId: org.id, userId: user.id, slug: org.slug, email: user.email };
    });
    deliverSoon();
    return result;
  }
}

async function uniqueSlug(tx: Tx, name: string): Promise<string> {
  const base = slugify(name);
  const taken = await tx.organization.findMany({
    where: { slug: { startsWith: base } },
    select: { slug: true },
  });
  const used = new Set(taken.map((o) => o.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
