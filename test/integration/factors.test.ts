import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { factorSetInForce } from "@/server/carbon/methodology";
import { FACTOR_SET, FACTOR_SET_2, FACTORS, FACTORS_2 } from "@/prisma/catalogue-seed";

describe("carbon factor versioning", () => {
  it("uses the newest set already valid, never a future one, and keeps old sets readable", async () => {
    for (const [set, factors] of [[FACTOR_SET, FACTORS], [FACTOR_SET_2, FACTORS_2]] as const) {
      if (!(await db.carbonFactorSet.findUnique({ where: { id: set.id } }))) await db.carbonFactorSet.create({ data: { ...set, factors: { create: [...factors] } } });
    }
    await db.carbonFactorSet.create({
      data: { id: "2099.1", label: "Future set", validFrom: new Date("2099-01-01T00:00:00Z"), factors: { create: FACTORS_2.map((f) => ({ ...f, value: f.value * 2 })) } },
    });
    const inForce = await factorSetInForce();
    expect(inForce?.id).toBe("2026.2");
    expect(inForce?.factors.find((f) => f.key === "pue.site")?.value).toBe(1.15);
    const old = await db.carbonFactor.findUniqueOrThrow({ where: { setId_key: { setId: "2026.1", key: "grid.location.NO1" } } });
    expect(old).toMatchObject({ value: 26, unit: "gCO2e/kWh", year: 2025 });
    expect(await db.carbonFactor.count({ where: { setId: "2026.1", key: "overhead.node_w_per_gpu" } })).toBe(0);
  });
});
