import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { signUpOrganisation } from "@/server/auth/sign-up";
import { verifyEmail } from "@/server/auth/account";
import { verifyChain } from "@/server/audit/queries";
import { AppError } from "@/server/errors";
import { DPA_VERSION } from "@/server/orgs/dpa";
import { meta, snapshot } from "../fixtures";

const input = (overrides: Record<string, string | undefined> = {}) => ({
  orgName: "Helse Test HF",
  orgNumber: "923 609 016",
  sector: "HEALTH",
  billingStreet: "Testveien 1",
  billingPostalCode: "0150",
  billingCity: "Oslo",
  buyerReference: "REF-77",
  name: "Ingrid Test",
  email: "ingrid@helse-test.no",
  password: "correct horse battery",
  acceptDpa: "on",
  ...overrides,
});

async function expectAppError(promise: Promise<unknown>, code: string, field?: string) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (field) expect((error as AppError).fieldErrors?.[field]).toBe(code);
}

describe("organisation sign-up", () => {
  it("creates the organisation, owner, DPA record, token, e-mail and audit events together", async () => {
    const result = await signUpOrganisation(input(), meta);
    const org = await db.organization.findUniqueOrThrow({ where: { id: result.orgId } });
    expect(org).toMatchObject({ status: "PENDING_APPROVAL", orgNumber: "923609016", sector: "HEALTH", buyerReference: "REF-77", slug: "helse-test-hf" });
    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId }, omit: { passwordHash: false } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await db.membership.findMany({ where: { orgId: org.id }, select: { userId: true, role: true } })).toEqual([{ userId: user.id, role: "OWNER" }]);
    const dpa = await db.dpaAcceptance.findFirstOrThrow({ where: { orgId: org.id } });
    expect(dpa).toMatchObject({ userId: user.id, version: DPA_VERSION, ip: meta.ip, userAgent: meta.userAgent });
    const events = await db.auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["org.signed_up", "dpa.accepted", "member.added"]);
    expect(events.every((e) => e.actorId === user.id && e.ip === meta.ip)).toBe(true);
    expect(await verifyChain(org.id)).toEqual({ ok: true, count: 3 });
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: "ingrid@helse-test.no" } });
    expect(mail.text).toContain("http://localhost:3000/verify-email?token=");
  });

  it("verifies the e-mail address once with the link's token", async () => {
    await signUpOrganisation(input({ email: "verify@helse-test.no", orgNumber: "984851006" }), meta);
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: "verify@helse-test.no" } });
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    await expect(verifyEmail({ token }, meta)).resolves.toEqual({ email: "verify@helse-test.no" });
    const user = await db.user.findUniqueOrThrow({ where: { email: "verify@helse-test.no" } });
    expect(user.emailVerifiedAt).not.toBeNull();
    await expectAppError(verifyEmail({ token }, meta), "errors.tokenInvalid");
  });

  it("leaves nothing behind when a step fails midway", async () => {
    const before = await snapshot({ includeAudit: true });
    const failing = {
      enqueueEmail: async () => {
        throw new Error("mail queue unavailable");
      },
    };
    await expect(signUpOrganisation(input({ email: "fail@helse-test.no", orgNumber: "974760673" }), meta, failing)).rejects.toThrow("mail queue unavailable");
    expect(await snapshot({ includeAudit: true })).toEqual(before);
  });

  it("rejects an invalid or already registered organisation number with a field message", async () => {
    await expectAppError(signUpOrganisation(input({ orgNumber: "923609017", email: "x1@t.no" }), meta), "errors.validation");
    await signUpOrganisation(input({ email: "first@t.no", orgNumber: "974123452" }), meta);
    const before = await snapshot({ includeAudit: true });
    await expectAppError(signUpOrganisation(input({ email: "second@t.no", orgNumber: "974 123 452" }), meta), "errors.orgNumberTaken", "orgNumber");
    await expectAppError(signUpOrganisation(input({ email: "first@t.no", orgNumber: "987654325" }), meta), "errors.emailTaken", "email");
    expect(await snapshot({ includeAudit: true })).toEqual(before);
  });

  it("lets exactly one of two simultaneous sign-ups with the same number win", async () => {
    const results = await Promise.allSettled([
      signUpOrganisation(input({ email: "race1@t.no", orgNumber: "923456783" }), meta),
      signUpOrganisation(input({ email: "race2@t.no", orgNumber: "923456783" }), meta),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("errors.orgNumberTaken");
  });

  it("gives colliding names distinct slugs", async () => {
    const a = await signUpOrganisation(input({ orgName: "Same Name AS", email: "s1@t.no", orgNumber: "986105174" }), meta);
    const b = await signUpOrganisation(input({ orgName: "Same Name AS", email: "s2@t.no", orgNumber: "971526920" }), meta);
    expect(a.slug).toBe("same-name-as");
    expect(b.slug).toBe("same-name-as-2");
  });
});
