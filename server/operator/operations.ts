// What operators do: decide on organisations (approve, reject, suspend, reactivate), set their GPU quota
// and allowed shapes, issue credit notes for disputed invoices, and keep the price list and the carbon
// factor table. Every action is audited in the affected organisation's chain (its admins see it), or in
// the platform chain for catalogue changes.
import "server-only";
import { AppError } from "../errors";
import type { Tx } from "../db";
import { SHAPES } from "@/control-plane/catalogue";
import { issueCreditNote } from "../billing/credit-notes";
import { defineOperatorOperation } from "./define";
import { creditNoteSchema, factorSchema, orgLimitsSchema, orgStatusSchema, shapeOfferSchema } from "./schemas";

const TRANSITIONS = {
  approve: { from: ["PENDING_APPROVAL", "REJECTED"], to: "ACTIVE" },
  reject: { from: ["PENDING_APPROVAL"], to: "REJECTED" },
  suspend: { from: ["ACTIVE"], to: "SUSPENDED" },
  reactivate: { from: ["SUSPENDED"], to: "ACTIVE" },
} as const;

/** Changes an organisation's status; suspending stops its running and queued notebooks. */
export const changeOrgStatus = defineOperatorOperation({
  name: "operator.org_status",
  schema: orgStatusSchema,
  async handler(ctx, input) {
    const [org] = await ctx.tx.$queryRaw<Array<{ id: string; status: string }>>`SELECT id, status FROM organization WHERE id = ${input.orgId} FOR UPDATE`;
    if (!org) throw new AppError("errors.notFound");
    const rule = TRANSITIONS[input.transition];
    if (!(rule.from as readonly string[]).includes(org.status)) throw new AppError("errors.invalidState");
    await ctx.tx.organization.update({
      where: { id: org.id },
      data: { status: rule.to, statusReason: input.reason, ...(rule.to === "ACTIVE" ? { approvedAt: new Date() } : {}) },
    });
    let stopped: string[] = [];
    if (rule.to === "SUSPENDED") {
      const running = await ctx.tx.workbench.findMany({ where: { orgId: org.id, desiredState: "RUNNING", status: { notIn: ["DELETED", "LOST", "FAILED"] } }, select: { id: true, name: true } });
      await ctx.tx.workbench.updateMany({ where: { id: { in: running.map((w) => w.id) } }, data: { desiredState: "STOPPED" } });
      stopped = running.map((w) => w.id);
      for (const w of running) {
        await ctx.audit({ orgId: org.id, action: "notebook.stop_requested", targetType: "workbench", targetId: w.id, details: { name: w.name, reason: "organisation suspended" } });
      }
    }
    await ctx.audit({
      orgId: org.id,
      action: `operator.org_${input.transition === "approve" ? "approved" : input.transition === "reject" ? "rejected" : input.transition === "suspend" ? "suspended" : "reactivated"}`,
      targetType: "organization",
      targetId: org.id,
      details: { from: org.status, to: rule.to, reason: input.reason, notebooksStopped: stopped.length },
    });
    return { orgId: org.id, status: rule.to, stopped };
  },
});

/** Sets the GPU quota and which shapes the organisation may launch. */
export const setOrgLimits = defineOperatorOperation({
  name: "operator.org_limits",
  schema: orgLimitsSchema,
  async handler(ctx, input) {
    const org = await ctx.tx.organization.findUnique({ where: { id: input.orgId }, select: { id: true, gpuQuota: true, allowedShapes: true } });
    if (!org) throw new AppError("errors.notFound");
    const known = new Set(SHAPES.map((s) => s.id));
    const unknown = input.shapes.filter((s) => !known.has(s));
    if (unknown.length) throw new AppError("errors.validation", { shapes: "errors.unknownShape" });
    const allowedShapes = input.allShapes ? [] : [...new Set(input.shapes)].sort();
    if (!input.allShapes && allowedShapes.length === 0) throw new AppError("errors.validation", { shapes: "errors.noShapesAllowed" });
    await ctx.tx.organization.update({ where: { id: org.id }, data: { gpuQuota: input.gpuQuota, allowedShapes } });
    await ctx.audit({
      orgId: org.id,
      action: "operator.org_limits_changed",
      targetType: "organization",
      targetId: org.id,
      details: { before: { gpuQuota: org.gpuQuota, allowedShapes: org.allowedShapes }, after: { gpuQuota: input.gpuQuota, allowedShapes } },
    });
    return { gpuQuota: input.gpuQuota, allowedShapes };
  },
});

/** Issues a credit note for an invoice (the whole remaining amount, or an amount before VAT). */
export const issueCreditNoteByOperator = defineOperatorOperation({
  name: "operator.credit_note",
  schema: creditNoteSchema,
  async handler(ctx, input) {
    const amountOre = input.amount ? Math.round(Number(input.amount) * 100) : undefined;
    try {
      return await issueCreditNote({ invoice: input.invoiceId, reason: input.reason, amountOre }, ctx.actor, new Date(), ctx.tx);
    } catch (error) {
      if (error instanceof RangeError) throw new AppError("errors.creditNoteRefused", undefined, { detail: error.message });
      throw error;
    }
  },
});

/** Changes a shape's price per hour or whether it is offered. New launches use the new price. */
export const updateShapeOffer = defineOperatorOperation({
  name: "operator.shape_offer_changed",
  schema: shapeOfferSchema,
  async handler(ctx, input) {
    const before = await ctx.tx.shapeOffer.findUnique({ where: { shapeId: input.shapeId } });
    if (!before) throw new AppError("errors.notFound");
    const after = { pricePerHourOre: Math.round(Number(input.price) * 100), available: input.available !== undefined };
    await ctx.tx.shapeOffer.update({ where: { shapeId: input.shapeId }, data: after });
    await ctx.audit({ orgId: null, action: "operator.shape_offer_changed", targetType: "shape_offer", targetId: input.shapeId, details: { before: { pricePerHourOre: before.pricePerHourOre, available: before.available }, after } });
    return after;
  },
});

/**
 * Changes one carbon factor by publishing a new version of the whole set (the old set stays, so every
 * figure computed with it can still name and reproduce it). The new set is in force from now on.
 */
export const publishFactor = defineOperatorOperation({
  name: "operator.factor_published",
  schema: factorSchema,
  async handler(ctx, input) {
    const current = await ctx.tx.carbonFactorSet.findFirst({ where: { validFrom: { lte: new Date() } }, orderBy: { validFrom: "desc" }, include: { factors: true } });
    if (!current) throw new AppError("errors.notFound");
    const factor = current.factors.find((f) => f.key === input.key);
    if (!factor) throw new AppError("errors.validation", { key: "errors.invalidValue" });
    const id = await nextSetId(ctx.tx, current.id);
    await ctx.tx.carbonFactorSet.create({
      data: {
        id,
        label: `Factors ${id}`,
        validFrom: new Date(),
        factors: {
          create: current.factors.map((f) => (f.key === input.key ? { key: f.key, value: Number(input.value), unit: f.unit, year: input.year, source: input.source } : { key: f.key, value: f.value, unit: f.unit, year: f.year, source: f.source })),
        },
      },
    });
    await ctx.audit({ orgId: null, action: "operator.factor_published", targetType: "carbon_factor_set", targetId: id, details: { from: current.id, key: input.key, before: factor.value, after: Number(input.value), source: input.source, year: input.year } });
    return { setId: id };
  },
});

/** "2026.2" -> "2026.3" (or the next free one). */
async function nextSetId(tx: Tx, currentId: string): Promise<string> {
  const [year, minor] = currentId.split(".");
  for (let n = Number(minor ?? 0) + 1; ; n++) {
    const id = `${year}.${n}`;
    if (!(await tx.carbonFactorSet.findUnique({ where: { id }, select: { id: true } }))) return id;
  }
}
