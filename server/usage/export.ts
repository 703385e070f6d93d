// Usage exports: exactly the report the page shows (CSV or JSON), and the annual statement.
import "server-only";
import { db } from "../db";
import { assertCan, type OrgMembership } from "../orgs/queries";
import { currentFactorSet } from "../carbon/factors";
import type { UsageLine, UsageReport } from "./queries";
import { usageReport } from "./queries";
import { resolveFilter } from "./filter";

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const row = (values: unknown[]) => values.map(cell).join(",");
const r3 = (n: number) => Math.round(n * 1000) / 1000;

const LINE_HEADER = ["gpu_hours", "reserved_hours", "cost_nok", "measured_kwh", "overhead_kwh", "facility_kwh", "co2e_location_g", "co2e_market_g", "co2e_embodied_g", "heat_reused_kwh", "comparison_eu_g"];
function lineValues(l: UsageLine) {
  return [
    r3(l.gpuSeconds / 3600), r3(l.reservedSeconds / 3600), (l.costOre / 100).toFixed(2), r3(l.figures.measuredKwh), r3(l.figures.overheadKwh), r3(l.figures.facilityKwh),
    r3(l.figures.locationG), r3(l.figures.marketG), r3(l.figures.embodiedG), r3(l.figures.heatReusedKwh), r3(l.figures.comparisonG),
  ];
}

/** The report as CSV: one section per table on the page, each with its header. */
export function reportCsv(report: UsageReport): string {
  const lines = [
    row(["# usage report", `period ${report.period.from} to ${report.period.to} (UTC, end exclusive)`, `factor set ${report.factorSet.id}`]),
    row(["section", "period_start", ...LINE_HEADER]),
    ...report.series.map((s) => row(["series", s.bucket, ...lineValues(s)])),
    row(["total", report.period.from, ...lineValues(report.totals)]),
    "",
    row(["section", "workbench_id", "name", "project", "user", "shape", ...LINE_HEADER]),
    ...report.workbenches.map((w) => row(["workbench", w.workbenchId, w.name, w.project, w.user, w.shapeId, ...lineValues(w)])),
  ];
  return lines.join("\n") + "\n";
}

/** The annual statement: energy and Scope 3 category 1 emissions, both methods, with the factors used. */
export async function annualStatement(membership: OrgMembership, year: number) {
  assertCan(membership, "usage.view");
  const filter = resolveFilter({ from: `${year}-01-01`, to: `${year}-12-31`, granularity: "day" });
  const report = await usageReport(membership, filter);
  const months = new Map<string, UsageLine[]>();
  for (const s of report.series) months.set(s.bucket.slice(0, 7), [...(months.get(s.bucket.slice(0, 7)) ?? []), s]);
  const factors = await currentFactorSet();
  const factorRows = factors ? await db.carbonFactor.findMany({ where: { setId: factors.setId }, orderBy: { key: "asc" } }) : [];
  const org = await db.organization.findUniqueOrThrow({ where: { id: membership.org.id }, select: { name: true, orgNumber: true } });
  return {
    organisation: org,
    year,
    scope: "GHG Protocol Scope 3, category 1 (purchased goods and services): cloud GPU compute",
    methods: {
      locationBased: "facility energy x grid factor of the data centre's bidding zone",
      marketBased: "facility energy covered by guarantees of origin x GO factor + the rest x Norwegian residual mix",
      embodied: "reserved GPU-hours x embodied emissions per GPU-hour",
    },
    factorSet: report.factorSet,
    factors: factorRows.map((f) => ({ key: f.key, value: f.value, unit: f.unit, year: f.year, source: f.source })),
    totals: report.totals,
    months: [...months.entries()].map(([month, lines]) => ({
      month,
      gpuHours: r3(lines.reduce((a, l) => a + l.gpuSeconds, 0) / 3600),
      facilityKwh: r3(lines.reduce((a, l) => a + l.figures.facilityKwh, 0)),
      locationG: r3(lines.reduce((a, l) => a + l.figures.locationG, 0)),
      marketG: r3(lines.reduce((a, l) => a + l.figures.marketG, 0)),
      embodiedG: r3(lines.reduce((a, l) => a + l.figures.embodiedG, 0)),
    })),
  };
}

export function statementCsv(s: Awaited<ReturnType<typeof annualStatement>>): string {
  const t = s.totals;
  return [
    row(["# annual energy and emissions statement", s.organisation.name, `org no ${s.organisation.orgNumber}`, `year ${s.year}`]),
    row(["# scope", s.scope]),
    row(["# factor set", s.factorSet.id, s.factorSet.label]),
    "",
    row(["metric", "value", "unit", "method"]),
    row(["gpu_hours", r3(t.gpuSeconds / 3600), "h", "metered"]),
    row(["energy_it_measured", r3(t.figures.measuredKwh), "kWh", "GPU energy counters"]),
    row(["energy_it_overhead", r3(t.figures.overheadKwh), "kWh", "node overhead per reserved GPU"]),
    row(["energy_facility", r3(t.figures.facilityKwh), "kWh", "IT energy x PUE"]),
    row(["co2e_location_based", r3(t.figures.locationG / 1000), "kg", s.methods.locationBased]),
    row(["co2e_market_based", r3(t.figures.marketG / 1000), "kg", s.methods.marketBased]),
    row(["co2e_embodied", r3(t.figures.embodiedG / 1000), "kg", s.methods.embodied]),
    row(["heat_reused", r3(t.figures.heatReusedKwh), "kWh", "separate benefit, not subtracted"]),
    "",
    row(["month", "gpu_hours", "facility_kwh", "co2e_location_g", "co2e_market_g", "co2e_embodied_g"]),
    ...s.months.map((m) => row([m.month, m.gpuHours, m.facilityKwh, m.locationG, m.marketG, m.embodiedG])),
    "",
    row(["factor", "value", "unit", "year", "source"]),
    ...s.factors.map((f) => row([f.key, f.value, f.unit, f.year, f.source])),
  ].join("\n") + "\n";
}
