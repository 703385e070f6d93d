// Creates provider staff (the operators' console), or gives an existing user the operator role:
//   npm run operator:create -- <e-mail> "<name>"
// A new account gets a random password, printed once; the person changes it on first sign-in.
// Operators are never created by sign-up. Uses DATABASE_URL, or the database of `npm run dev` when it is not set.
export {};
process.env.DATABASE_URL ??= `postgresql://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? "54329"}/portal`;

const [email, name] = process.argv.slice(2);
if (!email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
  console.error('usage: npm run operator:create -- <e-mail> "<name>"');
  process.exit(2);
}
const { randomBytes } = await import("node:crypto");
const { db } = await import("../server/db");
const { hashPassword } = await import("../server/auth/password");
const { recordAudit } = await import("../server/audit/record");
const actor = { actorId: null, actorLabel: `cli:${process.env.USER ?? "operator"}`, ip: "127.0.0.1", userAgent: "operator-cli" };
try {
  const normalised = email.trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email: normalised } });
  if (existing) {
    await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: existing.id }, data: { platformRole: "OPERATOR", sessionVersion: { increment: 1 } } });
      await recordAudit(tx, actor, { orgId: null, action: "operator.created", targetType: "user", targetId: existing.id, details: { email: normalised, existing: true } });
    });
    console.log(`${normalised} is now an operator (existing sessions were ended).`);
  } else {
    const password = randomBytes(12).toString("base64url");
    await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: normalised, name: name?.trim() || normalised, passwordHash: await hashPassword(password), emailVerifiedAt: new Date(), platformRole: "OPERATOR" } });
      await recordAudit(tx, actor, { orgId: null, action: "operator.created", targetType: "user", targetId: user.id, details: { email: normalised } });
    });
    console.log(`operator ${normalised} created. One-time password: ${password}\nSign in at /sign-in, then change it on the account page.`);
  }
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
