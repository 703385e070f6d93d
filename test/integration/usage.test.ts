import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageRecord } from "@/control-plane/api-types";
import { db } from "@/server/db";
import { storeUsage } from "@/server/usage/store";
import { ingestUsage, toUsageRows, USAGE_FEED } from "@/server/usage/ingest";
import { usageReport } from "@/server/usage/queries";
import { resolveFilter } from "@/server/usage/filter";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { deleteNotebook, registerLaunch } from "@/server/notebooks/operations";
import { convergeWorkbench } from "@/server/notebooks/sync";
import { controlPlane } from "@/server/notebooks/control-plane";
import { FACTOR_SET_2, FACTORS_2, SHAPE_OFFERS } from "@/prisma/catalogue-seed";
import { callerFor, createOrg } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";

let cp: Awaited<ReturnType<typeof startTestControlPlane>>;
beforeAll(async () => {
  for (const offer of SHAPE_OFFERS) await db.shapeOffer.upsert({ where: { shapeId: offer.shapeId }, create: offer, update: {} });
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET_2.id } }))) await db.carbonFactorSet.create({ data: { ...FACTOR_SET_2, factors: { create: FACTORS_2 } } });
  cp = await startTestControlPlane();
});
afterAll(async () => cp?.close());

async function orgWithWorkbenches(n: number) {
  const { org, members } = await createOrg(["OWNER"]);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const wb = await db.workbench.create({
      data: {
        orgId: org.id, createdById: members.OWNER!.userId, name: `wb-${i}`, displayName: `WB ${i}`, project: i % 2 ? "Alpha" : "Beta", imageId: "jupyter-minimal-2025.2",
        shapeId: "h100-1x", regionId: i % 2 ? "no-osl-1" : "no-trd-1", storageGb: 10, idleTimeoutMinutes: 60, gpuMilli: 1000, pricePerHourOre: 3900, status: "RUNNING",
      },
    });
    ids.push(wb.id);
  }
  return { org, owner: members.OWNER!, ids };
}

/** A synthetic feed: 5-minute intervals over two days, including hours crossed by late records. */
function feed(orgId: string, workbenchIds: string[]): UsageRecord[] {
  const out: UsageRecord[] = [];
  const base = Date.UTC(2026, 9, 1, 10, 0, 0);
  for (const [w, id] of workbenchIds.entries()) {
    for (let i = 0; i < 300; i++) {
      const start = new Date(base + i * 300_000);
      const reserved = i % 17 === 0 ? 123.457 : 300;
      out.push({
        id: `rec-${id}-${i}`, workbenchId: `cp-${id}`, externalId: id, tenantId: orgId, shapeId: "h100-1x", regionId: w % 2 ? "no-osl-1" : "no-trd-1",
        intervalStart: start.toISOString(), intervalEnd: new Date(start.getTime() + 300_000).toISOString(),
        reservedSeconds: reserved, gpuSeconds: reserved, energyWh: Math.round((reserved / 3600) * (300 + ((i * 37) % 400)) * 1000) / 1000, storageGbHours: 10 / 12,
      });
    }
  }
  return out;
}

async function totals(orgId: string) {
  const [raw] = await db.$queryRaw<Array<Record<string, string>>>`
    SELECT sum(energy_wh)::text e, sum(gpu_seconds)::text g, sum(reserved_seconds)::text r, sum(storage_gb_hours)::text s, sum(reserved_seconds * price_per_hour_ore)::text c, count(*)::text n
    FROM usage_record WHERE org_id = ${orgId}`;
  const [rolled] = await db.$queryRaw<Array<Record<string, string>>>`
    SELECT sum(energy_wh)::text e, sum(gpu_seconds)::text g, sum(reserved_seconds)::text r, sum(storage_gb_hours)::text s, sum(reserved_seconds * price_per_hour_ore)::text c, sum(records)::text n
    FROM usage_hourly WHERE org_id = ${orgId}`;
  const [daily] = await db.$queryRaw<Array<Record<string, string>>>`
    SELECT sum(energy_wh)::text e, sum(gpu_seconds)::text g, sum(reserved_seconds)::text r, sum(storage_gb_hours)::text s, sum(reserved_seconds * price_per_hour_ore)::text c, sum(records)::text n
    FROM usage_daily WHERE org_id = ${orgId}`;
  return { raw, rolled, daily };
}

describe("usage metering", () => {
  it("gives identical totals for a feed ingested in order, twice, shuffled and in overlapping halves; rollups equal raw exactly", async () => {
    const a = await orgWithWorkbenches(3);
    const b = await orgWithWorkbenches(3);
    const feedA = feed(a.org.id, a.ids);
    await db.$transaction(async (tx) => storeUsage(tx, await toUsageRows(feedA)));

    const feedB = feed(b.org.id, b.ids);
    const shuffled = [...feedB].sort((x, y) => (x.id.length * 7 + x.id.charCodeAt(x.id.length - 1)) % 11 - (y.id.length * 7 + y.id.charCodeAt(y.id.length - 1)) % 11);
    const half = Math.floor(shuffled.length / 2);
    await db.$transaction(async (tx) => storeUsage(tx, await toUsageRows(shuffled.slice(0, half + 50))));
    await db.$transaction(async (tx) => storeUsage(tx, await toUsageRows(shuffled.slice(half - 50))));
    await db.$transaction(async (tx) => storeUsage(tx, await toUsageRows(shuffled))); // a full replay
    await db.$transaction(async (tx) => storeUsage(tx, await toUsageRows([...feedB.slice(0, 5), ...feedB.slice(0, 5)]))); // duplicates in one batch

    const ta = await totals(a.org.id);
    const tb = await totals(b.org.id);
    expect(ta.raw).toEqual(ta.rolled);
    expect(ta.raw).toEqual(ta.daily);
    expect(tb.raw).toEqual(tb.rolled);
    expect(tb.raw).toEqual(tb.daily);
    expect(tb.raw).toEqual(ta.raw);
    expect(Number(ta.raw!.n)).toBe(900);
    // Per-hour rollup rows match a GROUP BY over the raw rows, hour by hour.
    const mismatches = await db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM (
        SELECT workbench_id, date_trunc('hour', interval_start, 'UTC') AS hour, sum(energy_wh) e, sum(reserved_seconds) c FROM usage_record WHERE org_id = ${b.org.id} GROUP BY 1, 2
      ) r FULL JOIN (SELECT workbench_id, hour, energy_wh e, reserved_seconds c FROM usage_hourly WHERE org_id = ${b.org.id}) h USING (workbench_id, hour)
      WHERE r.e IS DISTINCT FROM h.e OR r.c IS DISTINCT FROM h.c`;
    expect(Number(mismatches[0]!.n)).toBe(0);
  });

  it("shows the same numbers from rollups and from the raw table, with the factor set named", async () => {
    const a = await orgWithWorkbenches(2);
    await db.$transaction(async (tx) => storeUsage(tx, await toUsageRows(feed(a.org.id, a.ids))));
    const membership = (await getMembershipBySlug(a.owner.userId, a.org.slug))!;
    const filter = resolveFilter({ from: "2026-10-01", to: "2026-10-03", granularity: "hour" });
    const rollup = await usageReport(membership, filter, { source: "rollup" });
    const raw = await usageReport(membership, filter, { source: "raw" });
    expect(rollup.factorSet.id).toBe("2026.2");
    expect(rollup.totals.costOre).toBe(raw.totals.costOre);
    expect(rollup.totals.energyWh).toBeCloseTo(raw.totals.energyWh, 6);
    expect(rollup.totals.figures.locationG).toBeCloseTo(raw.totals.figures.locationG, 6);
    expect(rollup.series.map((s) => s.costOre)).toEqual(raw.series.map((s) => s.costOre));
    expect(rollup.workbenches.length).toBe(2);
    // Daily views read the daily rollup: the same buckets and figures as the raw records.
    const days = resolveFilter({ from: "2026-10-01", to: "2026-10-03", granularity: "day" });
    const fromDaily = await usageReport(membership, days);
    const rawDaily = await usageReport(membership, days, { source: "raw" });
    const shape = (r: typeof fromDaily) => r.series.map((s) => [s.bucket, s.costOre, s.energyWh.toFixed(6), s.reservedSeconds.toFixed(6)]);
    expect(shape(fromDaily)).toEqual(shape(rawDaily));
    expect(fromDaily.series[0]!.bucket).toBe("2026-10-01T00:00:00.000Z");
    expect(fromDaily.totals.costOre).toBe(rollup.totals.costOre);
    // Money is rounded once per figure: the total is reserved seconds x price / 3600, not a sum of rounded parts.
    const [exact] = await db.$queryRaw<Array<{ ore: string }>>`
      SELECT round(sum(reserved_seconds * price_per_hour_ore) / 3600)::text AS ore FROM usage_record WHERE org_id = ${a.org.id}`;
    expect(fromDaily.totals.costOre).toBe(Number(exact!.ore));
    const project = await usageReport(membership, resolveFilter({ from: "2026-10-01", to: "2026-10-03", granularity: "day", project: "Alpha" }));
    expect(project.workbenches.every((w) => w.project === "Alpha")).toBe(true);
  });

  it("shows data scientists the usage and cost of their own notebooks only, and the others the organisation's", async () => {
    const { org, members } = await createOrg(["OWNER", "DATA_SCIENTIST", "PROCUREMENT"]);
    const wb = async (userId: string, name: string) =>
      db.workbench.create({
        data: {
          orgId: org.id, createdById: userId, name, displayName: name, project: name, imageId: "jupyter-minimal-2025.2", shapeId: "h100-1x", regionId: "no-osl-1",
          storageGb: 10, idleTimeoutMinutes: 60, gpuMilli: 1000, pricePerHourOre: 3900, status: "RUNNING",
        },
      });
    const mine = await wb(members.DATA_SCIENTIST!.userId, "mine");
    const theirs = await wb(members.OWNER!.userId, "theirs");
    await db.$transaction(async (tx) => storeUsage(tx, await toUsageRows([...feed(org.id, [mine.id]), ...feed(org.id, [theirs.id])])));
    const filter = resolveFilter({ from: "2026-10-01", to: "2026-10-03", granularity: "day" });
    const as = async (role: "OWNER" | "DATA_SCIENTIST" | "PROCUREMENT", f = filter) => usageReport((await getMembershipBySlug(members[role]!.userId, org.slug))!, f);
    const scientist = await as("DATA_SCIENTIST");
    const owner = await as("OWNER");
    expect(scientist.scope).toBe("own");
    expect(scientist.workbenches.map((w) => w.name)).toEqual(["mine"]);
    expect(scientist.options.workbenches.map((w) => w.name)).toEqual(["mine"]);
    expect(owner.scope).toBe("organisation");
    expect(owner.workbenches.map((w) => w.name).sort()).toEqual(["mine", "theirs"]);
    expect(Math.abs(scientist.totals.costOre * 2 - owner.totals.costOre)).toBeLessThanOrEqual(1); // each rounded once
    expect((await as("PROCUREMENT")).totals.costOre).toBe(owner.totals.costOre);
    // Naming someone else in the filter does not widen the scientist's view.
    const sneaky = await as("DATA_SCIENTIST", resolveFilter({ from: "2026-10-01", to: "2026-10-03", granularity: "day", user: members.OWNER!.userId }));
    expect(sneaky.workbenches.map((w) => w.name)).toEqual(["mine"]);
  });

  it("ingests the real feed by cursor: a restart midway and a replay from the start change nothing", async () => {
    const { org, members } = await createOrg(["OWNER"]);
    const launched = await registerLaunch.run(callerFor(members.OWNER!.userId), {
      orgId: org.id, displayName: "Metered", imageId: "jupyter-minimal-2025.2", shapeId: "h100-1x", regionId: "no-osl-1", storageGb: "10", idleTimeoutMinutes: "60",
    });
    if (!launched.ok) throw new Error(launched.error);
    for (let i = 0; i < 40; i++) {
      await cp.backend.tick();
      await convergeWorkbench(launched.data.workbenchId);
      await new Promise((r) => setTimeout(r, 30));
    }
    // Delete it so the feed stops growing for this tenant, then read every record straight from the control plane.
    expect(await deleteNotebook.run(callerFor(members.OWNER!.userId), { orgId: org.id, workbenchId: launched.data.workbenchId })).toMatchObject({ ok: true });
    for (let i = 0; i < 40; i++) {
      await cp.backend.tick();
      const row = await convergeWorkbench(launched.data.workbenchId);
      if (row?.status === "DELETED") break;
      await new Promise((r) => setTimeout(r, 30));
    }
    await new Promise((r) => setTimeout(r, 300));
    await cp.backend.tick();
    const all: UsageRecord[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await controlPlane().listUsage(cursor, 200);
      all.push(...page.records.filter((r) => r.tenantId === org.id));
      if (page.records.length === 0 || page.nextCursor === cursor) break;
      cursor = page.nextCursor;
    }
    expect(all.length).toBeGreaterThan(3);

    await ingestUsage({ pageSize: 2, maxPages: 1 }); // stops after one page: a restart midway
    await ingestUsage({ pageSize: 3 });
    await ingestUsage({ pageSize: 3 });
    const once = await totals(org.id);
    await db.feedCursor.update({ where: { name: USAGE_FEED }, data: { cursor: null } }); // replay everything
    await ingestUsage({ pageSize: 50 });
    const again = await totals(org.id);
    expect(again).toEqual(once);
    expect(once.raw).toEqual(once.rolled);
    expect(Number(once.raw!.n)).toBe(all.length);
    const expectedWh = all.reduce((sum, r) => sum + r.energyWh, 0);
    expect(Number(once.raw!.e)).toBeCloseTo(expectedWh, 6);
  });
});
