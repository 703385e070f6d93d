import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/server/db";
import { storeUsage, type UsageRow } from "@/server/usage/store";
import { budgetStatus, checkBudgets, monthSpend } from "@/server/billing/budgets";
import { budgetBanner } from "@/server/billing/budget-queries";
import { deleteBudget, setBudget } from "@/server/billing/budget-operations";
import { monthOf } from "@/server/billing/budget-math";
import { registerLaunch, startNotebook } from "@/server/notebooks/operations";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { translator } from "@/server/i18n/locales";
import { SHAPE_OFFERS } from "@/prisma/catalogue-seed";
import { callerFor, createOrg, snapshot } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";

let cp: Awaited<ReturnType<typeof startTestControlPlane>>;
beforeAll(async () => {
  for (const offer of SHAPE_OFFERS) await db.shapeOffer.upsert({ where: { shapeId: offer.shapeId }, create: offer, update: {} });
  cp = await startTestControlPlane();
});
afterAll(async () => cp?.close());

const HOUR = 3600_000;

async function workbench(orgId: string, userId: string, project: string, pricePerHourOre: number, status: "RUNNING" | "STOPPED" = "RUNNING") {
  return db.workbench.create({
    data: {
      orgId, createdById: userId, name: `wb-${randomBytes(3).toString("hex")}`, displayName: `WB ${project}`, project, imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8",
      regionId: "no-osl-1", storageGb: 10, idleTimeoutMinutes: 60, gpuMilli: 0, pricePerHourOre, status, desiredState: status,
    },
  });
}

/** Stores one usage record of `reservedSeconds` (and GB-hours of storage) starting at `start`. */
async function usage(wb: { id: string; orgId: string; createdById: string; project: string; pricePerHourOre: number }, start: Date, reservedSeconds: number, storageGbHours = 0) {
  const row: UsageRow = {
    id: `rec-${randomBytes(8).toString("hex")}`, orgId: wb.orgId, workbenchId: wb.id, userId: wb.createdById, project: wb.project, shapeId: "cpu-8", regionId: "no-osl-1",
    intervalStart: start, intervalEnd: new Date(start.getTime() + 300_000), reservedSeconds, gpuSeconds: 0, energyWh: 1, storageGbHours, pricePerHourOre: wb.pricePerHourOre,
  };
  await db.$transaction((tx) => storeUsage(tx, [row]));
}

const launchInput = (orgId: string, project: string) => ({
  orgId, displayName: "Budget check", project, imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8", regionId: "no-osl-1", storageGb: "10", idleTimeoutMinutes: "60",
});

describe("month spend", () => {
  it("is the exact rollup arithmetic: compute rounded once per aggregate, plus storage, this UTC month only", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const owner = members.OWNER!.userId;
    const alpha = await workbench(org.id, owner, "Alpha", 3900);
    const beta = await workbench(org.id, owner, "Beta", 1200);
    const october = new Date("2026-10-01T00:00:00Z");
    const at = (hours: number) => new Date(october.getTime() + hours * HOUR);
    await usage(alpha, at(1), 3600, 10.5); // 3900 øre
    await usage(alpha, at(2), 123.457, 0.833333); // 133.745083... øre
    await usage(beta, at(1), 1.5, 2); // 0.5 øre
    await usage(beta, at(3), 1.5); // 0.5 øre: with the one above, exactly 1 øre (rounding per row would give 2)
    await usage(alpha, new Date("2026-09-30T23:55:00Z"), 360_000); // September: not counted
    await usage(alpha, new Date("2026-11-01T00:00:00Z"), 360_000); // November: not counted
    const other = await createOrg(["OWNER"]);
    await usage(await workbench(other.org.id, other.members.OWNER!.userId, "Alpha", 3900), at(1), 360_000); // another organisation

    // Compute: (3600 x 3900 + 123.457 x 3900 + 2 x 1.5 x 1200) / 3600 = 4034.745083... -> 4035 øre
    // Storage: (10.5 + 0.833333 + 2) GB-h x 0.15 øre = 1.99999995 -> 2 øre
    expect(await monthSpend(org.id, new Date("2026-10-20T12:00:00Z"))).toEqual({ computeOre: 4035, storageOre: 2, totalOre: 4037 });
    // Alpha: 4033.745083 -> 4034 and 11.333333 x 0.15 = 1.69999995 -> 2; Beta: exactly 1 and 2 x 0.15 = 0.3 -> 0
    expect(await monthSpend(org.id, october, "Alpha")).toEqual({ computeOre: 4034, storageOre: 2, totalOre: 4036 });
    expect(await monthSpend(org.id, october, "Beta")).toEqual({ computeOre: 1, storageOre: 0, totalOre: 1 });
    expect(await monthSpend(org.id, october, "Nobody")).toEqual({ computeOre: 0, storageOre: 0, totalOre: 0 });

    // The same figure straight from the raw records, with BigInt arithmetic.
    const [raw] = await db.$queryRaw<Array<{ priced: string; gbh: string }>>`
      SELECT sum(reserved_seconds * price_per_hour_ore)::text AS priced, sum(storage_gb_hours)::text AS gbh FROM usage_record
      WHERE org_id = ${org.id} AND interval_start >= ${october} AND interval_start < ${new Date("2026-11-01T00:00:00Z")}`;
    const micro = (text: string) => {
      const [int = "0", frac = ""] = text.split(".");
      return BigInt(int + frac.padEnd(6, "0").slice(0, 6));
    };
    const halfUp = (num: bigint, den: bigint) => (2n * (num % den) >= den ? num / den + 1n : num / den);
    expect(halfUp(micro(raw!.priced), 3600n * 1_000_000n)).toBe(4035n);
    expect(halfUp(micro(raw!.gbh) * 15n, 100n * 1_000_000n)).toBe(2n);

    // Status of budgets over the same rollups.
    await db.budget.createMany({ data: [{ orgId: org.id, project: "", monthlyOre: 5000n }, { orgId: org.id, project: "Beta", monthlyOre: 100n, hardStop: true }] });
    const statuses = await budgetStatus(org.id, new Date("2026-10-16T00:00:00Z"));
    expect(statuses.map((s) => [s.project, s.spentOre, s.forecastOre, s.percent, s.state, s.blocked])).toEqual([
      ["", 4037, 8343, 80.7, "warning", false], // 4037 x 31 / 15 = 8343.13
      ["Beta", 1, 2, 1, "ok", false],
    ]);
  });
});

describe("budget alerts", () => {
  it("records 80 % and 100 % alerts once, also when checks run twice or at the same time, and e-mails owners, admins and procurement only", async () => {
    const { org, members } = await createOrg(["OWNER", "ADMIN", "PROCUREMENT", "DATA_SCIENTIST", "VIEWER"]);
    await db.user.update({ where: { id: members.PROCUREMENT!.userId }, data: { locale: "nb" } });
    const wb = await workbench(org.id, members.DATA_SCIENTIST!.userId, "Vision", 3600);
    const october = new Date("2026-10-01T00:00:00Z");
    await usage(wb, new Date(october.getTime() + HOUR), 4200); // 4200 øre

    // Before 24 hours of the month have passed there is no forecast: 70 % spent, no alert yet.
    const early = await db.budget.create({ data: { orgId: org.id, project: "Vision", monthlyOre: 6000n } });
    await checkBudgets(new Date("2026-10-01T20:00:00Z"));
    expect(await db.budgetAlert.count({ where: { budgetId: early.id } })).toBe(0);
    await db.budget.delete({ where: { id: early.id } });

    await db.budget.create({ data: { orgId: org.id, project: "", monthlyOre: 5000n } });
    const now = new Date("2026-10-16T00:00:00Z"); // 15 of 31 days: forecast 4200 x 31 / 15 = 8680

    await Promise.all([checkBudgets(now), checkBudgets(now), checkBudgets(now)]);
    await checkBudgets(now);
    const alerts = await db.budgetAlert.findMany({ where: { budget: { orgId: org.id, project: "" } }, orderBy: [{ kind: "asc" }, { threshold: "asc" }] });
    expect(alerts.map((a) => [a.kind, a.threshold, Number(a.spentOre), a.month.toISOString().slice(0, 10)])).toEqual([
      ["FORECAST", 80, 4200, "2026-10-01"],
      ["FORECAST", 100, 4200, "2026-10-01"],
      ["ACTUAL", 80, 4200, "2026-10-01"],
    ]);
    const audits = await db.auditEvent.findMany({ where: { orgId: org.id, action: "budget.alert" } });
    expect(audits).toHaveLength(3);
    expect(audits.every((e) => e.actorLabel === "system:budgets" && e.actorId === null)).toBe(true);

    // One e-mail (the most severe new alert) per owner, admin and procurement officer, in their language.
    const mail = async () => db.outboxEmail.findMany({ where: { to: { in: Object.values(members).map((m) => m.email) } }, orderBy: { createdAt: "asc" } });
    let sent = await mail();
    expect(sent.map((m) => m.to).sort()).toEqual([members.OWNER!.email, members.ADMIN!.email, members.PROCUREMENT!.email].sort());
    expect(sent.find((m) => m.to === members.OWNER!.email)!.subject).toBe(`${org.name}: spend is forecast to reach 100 % of the budget`);
    expect(sent.find((m) => m.to === members.PROCUREMENT!.email)!.subject).toBe(`${org.name}: forbruket ser ut til å nå 100 % av budsjettet`);
    expect(sent.find((m) => m.to === members.OWNER!.email)!.text).toContain("the whole organisation");
    expect(sent.find((m) => m.to === members.OWNER!.email)!.text).toContain(`/${org.slug}/budgets`);

    // Spend reaches the budget: the 100 % actual alert, once.
    await usage(wb, new Date(october.getTime() + 2 * HOUR), 900); // +900 øre = 5100
    await Promise.all([checkBudgets(now), checkBudgets(now)]);
    expect(await db.budgetAlert.count({ where: { budget: { orgId: org.id, project: "" } } })).toBe(4);
    sent = await mail();
    expect(sent).toHaveLength(6);
    expect(sent.filter((m) => m.subject === `${org.name}: 100 % of the budget is used`).map((m) => m.to).sort()).toEqual([members.OWNER!.email, members.ADMIN!.email].sort());
    expect(sent.some((m) => m.to === members.DATA_SCIENTIST!.email || m.to === members.VIEWER!.email)).toBe(false);

    // The portal shows this month's alerts.
    const owner = (await getMembershipBySlug(members.OWNER!.userId, org.slug))!;
    expect(await db.auditEvent.count({ where: { orgId: org.id, action: "budget.alert" } })).toBe(4);
    const banner = await budgetBanner(owner, now);
    expect(banner.blocked).toEqual([]);
    expect(banner.warnings.map((w) => [w.project, w.state])).toEqual([["", "exceeded"]]);
  });

  it("re-arms alerts that a raised budget no longer reaches", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const wb = await workbench(org.id, members.OWNER!.userId, "General", 3600);
    const month = monthOf(new Date());
    await usage(wb, month.start, 12_000); // NOK 120 this month
    expect(await setBudget.run(callerFor(members.OWNER!.userId), { orgId: org.id, amount: "100" })).toMatchObject({ ok: true });
    await checkBudgets();
    const budget = await db.budget.findFirstOrThrow({ where: { orgId: org.id } });
    expect(await db.budgetAlert.count({ where: { budgetId: budget.id, kind: "ACTUAL" } })).toBe(2);
    // Raised to NOK 100 000: neither threshold is reached any more, so both can fire again later.
    expect(await setBudget.run(callerFor(members.OWNER!.userId), { orgId: org.id, amount: "100000" })).toMatchObject({ ok: true });
    expect(await db.budgetAlert.count({ where: { budgetId: budget.id, kind: "ACTUAL" } })).toBe(0);
  });
});

describe("hard stop", () => {
  it("refuses launches and restarts in a budget's scope once it is used up, says why, and creates nothing", async () => {
    const { org, members } = await createOrg(["OWNER", "DATA_SCIENTIST", "VIEWER"]);
    const owner = callerFor(members.OWNER!.userId);
    const scientist = callerFor(members.DATA_SCIENTIST!.userId);
    const month = monthOf(new Date());
    const vision = await workbench(org.id, members.DATA_SCIENTIST!.userId, "Vision", 3900, "STOPPED");
    await usage(vision, month.start, 3600); // NOK 39.00 this month in Vision

    // A project budget with a hard stop blocks only that project.
    expect(await setBudget.run(owner, { orgId: org.id, project: "Vision", amount: "30", hardStop: "on" })).toMatchObject({ ok: true });
    const before = await db.workbench.count({ where: { orgId: org.id } });
    const refused = await registerLaunch.run(scientist, launchInput(org.id, "Vision"));
    expect(refused).toEqual({ ok: false, error: "errors.budgetExhausted", params: { scope: "project Vision", spent: "NOK 39.00", budget: "NOK 30.00" } });
    const message = translator("en")("errors.budgetExhausted", (refused as { params: Record<string, string> }).params);
    expect(message).toBe(
      "New launches are blocked for project Vision: this month's spend of NOK 39.00 has reached its budget of NOK 30.00, which has a hard stop. An owner, administrator or procurement officer can raise the budget or turn off the hard stop on the Budgets page.",
    );
    expect(await db.workbench.count({ where: { orgId: org.id } })).toBe(before);
    const denied = await db.auditEvent.findFirstOrThrow({ where: { orgId: org.id, action: "notebook.launch", outcome: "DENIED" } });
    expect(denied.details).toEqual({ reason: "errors.budgetExhausted" });

    expect(await startNotebook.run(scientist, { orgId: org.id, workbenchId: vision.id })).toMatchObject({ ok: false, error: "errors.budgetExhausted" });
    expect(await db.workbench.findUniqueOrThrow({ where: { id: vision.id } })).toMatchObject({ status: "STOPPED", desiredState: "STOPPED" });

    expect(await registerLaunch.run(scientist, launchInput(org.id, "Radiology"))).toMatchObject({ ok: true });

    // Everybody sees the hard stop in the portal; only budget viewers see warnings.
    const viewer = (await getMembershipBySlug(members.VIEWER!.userId, org.slug))!;
    expect((await budgetBanner(viewer)).blocked.map((b) => b.project)).toEqual(["Vision"]);
    expect((await budgetBanner(viewer)).warnings).toEqual([]);

    // The organisation-wide budget with a hard stop blocks every project.
    expect(await setBudget.run(owner, { orgId: org.id, amount: "35,50", hardStop: "on" })).toMatchObject({ ok: true });
    expect(await registerLaunch.run(scientist, launchInput(org.id, "Radiology"))).toMatchObject({
      ok: false,
      error: "errors.budgetExhausted",
      params: { scope: "the whole organisation", spent: "NOK 39.00", budget: "NOK 35.50" },
    });

    // Without a hard stop a used-up budget only warns.
    expect(await setBudget.run(owner, { orgId: org.id, amount: "35,50" })).toMatchObject({ ok: true });
    expect(await setBudget.run(owner, { orgId: org.id, project: "Vision", amount: "30" })).toMatchObject({ ok: true });
    expect(await registerLaunch.run(scientist, launchInput(org.id, "Vision"))).toMatchObject({ ok: true });
    expect(await startNotebook.run(scientist, { orgId: org.id, workbenchId: vision.id })).toMatchObject({ ok: true });
    const statuses = await budgetStatus(org.id);
    expect(statuses.map((s) => [s.project, s.state, s.blocked])).toEqual([
      ["", "exceeded", false],
      ["Vision", "exceeded", false],
    ]);
    const ownerView = (await getMembershipBySlug(members.OWNER!.userId, org.slug))!;
    expect((await budgetBanner(ownerView)).warnings).toHaveLength(2);
    expect(await budgetBanner(viewer)).toEqual({ blocked: [], warnings: [] });
  });
});

describe("setting budgets", () => {
  it("creates, changes and deletes budgets, audited with before and after", async () => {
    const { org, members } = await createOrg(["OWNER", "PROCUREMENT"]);
    const procurement = callerFor(members.PROCUREMENT!.userId);
    const created = await setBudget.run(procurement, { orgId: org.id, amount: "25 000,50" });
    expect(created).toMatchObject({ ok: true, data: { created: true } });
    const budgetId = (created as { data: { budgetId: string } }).data.budgetId;
    expect(await db.budget.findUniqueOrThrow({ where: { id: budgetId } })).toMatchObject({ project: "", monthlyOre: 2_500_050n, hardStop: false });
    expect(await setBudget.run(procurement, { orgId: org.id, amount: "30000", hardStop: "on" })).toMatchObject({ ok: true, data: { budgetId, created: false } });
    expect(await deleteBudget.run(procurement, { orgId: org.id, budgetId })).toMatchObject({ ok: true });
    expect(await db.budget.count({ where: { orgId: org.id } })).toBe(0);

    const events = await db.auditEvent.findMany({ where: { orgId: org.id, targetId: budgetId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => [e.action, e.actorId, e.details])).toEqual([
      ["budget.set", members.PROCUREMENT!.userId, { project: "", before: null, after: { monthlyOre: 2_500_050, hardStop: false } }],
      ["budget.set", members.PROCUREMENT!.userId, { project: "", before: { monthlyOre: 2_500_050, hardStop: false }, after: { monthlyOre: 3_000_000, hardStop: true } }],
      ["budget.deleted", members.PROCUREMENT!.userId, { project: "", before: { monthlyOre: 3_000_000, hardStop: true }, after: null }],
    ]);
  });

  it("refuses bad amounts with a message next to the field, and changes nothing", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const owner = callerFor(members.OWNER!.userId);
    await setBudget.run(owner, { orgId: org.id, amount: "1000" });
    const before = await snapshot({ includeAudit: true });
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ amount: "-100" }, { amount: "errors.budgetAmountPositive" }],
      [{ amount: "0" }, { amount: "errors.budgetAmountPositive" }],
      [{ amount: "lots" }, { amount: "errors.budgetAmountInvalid" }],
      [{ amount: "10,555" }, { amount: "errors.budgetAmountDecimals" }],
      [{ amount: "1000000000" }, { amount: "errors.budgetAmountTooLarge" }],
      [{ amount: "" }, { amount: "errors.required" }],
      [{ amount: "100", project: "<script>" }, { project: "errors.invalidValue" }],
      [{ amount: "100", hardStop: "maybe" }, { hardStop: "errors.invalidValue" }],
    ];
    for (const [input, fieldErrors] of cases) {
      expect(await setBudget.run(owner, { orgId: org.id, ...input }), JSON.stringify(input)).toEqual({ ok: false, error: "errors.validation", fieldErrors });
    }
    expect(await snapshot({ includeAudit: true })).toEqual(before);
  });

  it("does not let a data scientist or viewer set or delete budgets", async () => {
    const { org, members } = await createOrg(["OWNER", "DATA_SCIENTIST", "VIEWER"]);
    await setBudget.run(callerFor(members.OWNER!.userId), { orgId: org.id, amount: "1000", hardStop: "on" });
    const budget = await db.budget.findFirstOrThrow({ where: { orgId: org.id } });
    const before = await snapshot();
    for (const role of ["DATA_SCIENTIST", "VIEWER"] as const) {
      const caller = callerFor(members[role]!.userId);
      expect(await setBudget.run(caller, { orgId: org.id, amount: "999999" })).toEqual({ ok: false, error: "errors.forbidden" });
      expect(await deleteBudget.run(caller, { orgId: org.id, budgetId: budget.id })).toEqual({ ok: false, error: "errors.forbidden" });
    }
    expect(await snapshot()).toEqual(before);
    expect(await db.budget.findUniqueOrThrow({ where: { id: budget.id } })).toMatchObject({ monthlyOre: 100_000n, hardStop: true });
    const denied = await db.auditEvent.findMany({ where: { orgId: org.id, outcome: "DENIED" }, orderBy: { seq: "asc" } });
    expect(denied.map((e) => e.action)).toEqual(["budget.set", "budget.delete", "budget.set", "budget.delete"]);
  });

  it("cannot touch another organisation's budget", async () => {
    const a = await createOrg(["OWNER"]);
    const b = await createOrg(["OWNER"]);
    await setBudget.run(callerFor(b.members.OWNER!.userId), { orgId: b.org.id, amount: "500" });
    const theirs = await db.budget.findFirstOrThrow({ where: { orgId: b.org.id } });
    expect(await deleteBudget.run(callerFor(a.members.OWNER!.userId), { orgId: a.org.id, budgetId: theirs.id })).toEqual({ ok: false, error: "errors.notFound" });
    expect(await deleteBudget.run(callerFor(a.members.OWNER!.userId), { orgId: b.org.id, budgetId: theirs.id })).toEqual({ ok: false, error: "errors.notFound" });
    expect(await db.budget.count({ where: { id: theirs.id } })).toBe(1);
  });
});
