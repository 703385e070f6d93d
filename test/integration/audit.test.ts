import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { recordAudit } from "@/server/audit/record";
import { verifyChain, exportAuditCsv, listAuditEvents } from "@/server/audit/queries";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { createOrg } from "../fixtures";

const actor = { actorId: null, actorLabel: "test", ip: "127.0.0.1", userAgent: "vitest" };

describe("audit chain in PostgreSQL", () => {
  it("keeps one gapless chain per organisation under concurrent writers", async () => {
    const { org } = await createOrg(["OWNER"]);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => db.$transaction((tx) => recordAudit(tx, actor, { orgId: org.id, action: "test.event", details: { i } }))),
    );
    const seqs = (await db.auditEvent.findMany({ where: { chainKey: org.id }, select: { seq: true }, orderBy: { seq: "asc" } })).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyChain(org.id)).toEqual({ ok: true, count: 20 });
  });

  it("reports a tampered or deleted event", async () => {
    const { org } = await createOrg(["OWNER"]);
    for (let i = 0; i < 5; i++) await db.$transaction((tx) => recordAudit(tx, actor, { orgId: org.id, action: "test.event", details: { i } }));
    await db.auditEvent.updateMany({ where: { chainKey: org.id, seq: 3 }, data: { actorLabel: "someone else" } });
    expect(await verifyChain(org.id)).toMatchObject({ ok: false, brokenAtSeq: 3, reason: "hash" });
    await db.auditEvent.deleteMany({ where: { chainKey: org.id, seq: 3 } });
    expect(await verifyChain(org.id)).toMatchObject({ ok: false, brokenAtSeq: 4, reason: "sequence" });
  });

  it("filters and exports only the organisation's own events, for owners and admins", async () => {
    const a = await createOrg(["OWNER", "VIEWER"]);
    const b = await createOrg(["OWNER"]);
    await db.$transaction(async (tx) => {
      await recordAudit(tx, actor, { orgId: a.org.id, action: "member.added", details: { email: "=cmd|' /C calc'!A0" } });
      await recordAudit(tx, actor, { orgId: a.org.id, action: "org.updated" });
      await recordAudit(tx, actor, { orgId: b.org.id, action: "member.added" });
    });
    const owner = (await getMembershipBySlug(a.members.OWNER!.userId, a.org.slug))!;
    const page = await listAuditEvents(owner, { action: "member", page: 1 });
    expect(page.events.map((e) => e.action)).toEqual(["member.added"]);
    let csv = "";
    for await (const chunk of exportAuditCsv(owner, { page: 1 })) csv += chunk;
    const lines = csv.trim().split("\n");
    expect(lines[0]).toMatch(/^seq,time_utc,actor,action/);
    expect(lines).toHaveLength(3);
    expect(csv).not.toContain(b.org.id);
    expect(csv).toContain(`"{""email"":""=cmd|' /C calc'!A0""}"`);
    const viewer = (await getMembershipBySlug(a.members.VIEWER!.userId, a.org.slug))!;
    await expect(listAuditEvents(viewer, { page: 1 })).rejects.toThrow("errors.forbidden");
  });
});
