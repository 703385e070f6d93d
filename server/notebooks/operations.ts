// Launching and managing notebooks: authorised, quota-checked and audited in one transaction that
// records the intent; the control plane is called after the commit (see sync.ts).
import "server-only";
import { randomBytes } from "node:crypto";
import { AppError } from "../errors";
import { recordAudit } from "../audit/record";
import { defineOrgOperation, type OrgContext } from "../actions/define";
import type { Tx } from "../db";
import { controlPlaneFailure, getCatalogue } from "./control-plane";
import { launchSchema, workbenchName, workbenchRefSchema } from "./schemas";
import { assertWithinBudget } from "../billing/budgets";

/** Thousandths of a GPU a shape holds (1 GPU = 1000; MIG slices by their fraction). */
export function gpuMilliOf(shape: { gpuCount: number; gpuFraction: number }): number {
  return Math.round((shape.gpuCount > 0 ? shape.gpuCount : shape.gpuFraction) * 1000);
}

/** Locks the organisation row and throws when `extraMilli` more would exceed its GPU quota. */
async function reserveQuota(tx: Tx, orgId: string, extraMilli: number, excludeId?: string) {
  const [org] = await tx.$queryRaw<Array<{ gpu_quota: number }>>`SELECT gpu_quota FROM organization WHERE id = ${orgId} FOR UPDATE`;
  if (!org) throw new AppError("errors.notFound");
  const held = await tx.workbench.aggregate({
    where: { orgId, desiredState: "RUNNING", status: { notIn: ["DELETED", "LOST", "FAILED"] }, ...(excludeId ? { id: { not: excludeId } } : {}) },
    _sum: { gpuMilli: true },
  });
  const used = held._sum.gpuMilli ?? 0;
  if (used + extraMilli > org.gpu_quota * 1000) {
    throw new AppError("errors.quotaExceeded", { shapeId: "errors.quotaExceeded" });
  }
  return { used, quota: org.gpu_quota * 1000 };
}

/** Records a launch (status PROVISIONING) after checking catalogue, price and quota. */
export const registerLaunch = defineOrgOperation({
  name: "notebook.launch",
  permission: "notebooks.launch",
  schema: launchSchema,
  async handler(ctx, input) {
    const catalogue = await getCatalogue().catch((error: unknown) => {
      throw controlPlaneFailure(error);
    });
    const shape = catalogue.shapes.find((s) => s.id === input.shapeId);
    const image = catalogue.images.find((i) => i.id === input.imageId);
    const region = catalogue.regions.find((r) => r.id === input.regionId);
    if (!shape) throw new AppError("errors.validation", { shapeId: "errors.unknownShape" });
    if (!image) throw new AppError("errors.validation", { imageId: "errors.unknownImage" });
    if (!region || !shape.capacity.some((c) => c.regionId === region.id && c.total > 0)) {
      throw new AppError("errors.validation", { regionId: "errors.unknownRegion" });
    }
    if (image.gpu && shape.gpuCount === 0 && shape.gpuFraction === 0) {
      throw new AppError("errors.validation", { imageId: "errors.imageNeedsGpu" });
    }
    const offer = await ctx.tx.shapeOffer.findUnique({ where: { shapeId: shape.id } });
    if (!offer || !offer.available) throw new AppError("errors.validation", { shapeId: "errors.shapeNotOffered" });
    // Operators may limit an organisation to some shapes (empty list: every offered shape).
    const { allowedShapes } = await ctx.tx.organization.findUniqueOrThrow({ where: { id: ctx.org.id }, select: { allowedShapes: true } });
    if (allowedShapes.length > 0 && !allowedShapes.includes(shape.id)) throw new AppError("errors.validation", { shapeId: "errors.shapeNotAllowed" });

    await assertWithinBudget(ctx.tx, ctx.org.id, input.project, ctx.caller.meta.locale);
    const gpuMilli = gpuMilliOf(shape);
    await reserveQuota(ctx.tx, ctx.org.id, gpuMilli);
    const workbench = await ctx.tx.workbench.create({
      data: {
        orgId: ctx.org.id,
        createdById: ctx.caller.userId,
        name: workbenchName(input.displayName, randomBytes(3).toString("hex")),
        displayName: input.displayName,
        project: input.project,
        imageId: image.id,
        shapeId: shape.id,
        regionId: region.id,
        storageGb: input.storageGb,
        idleTimeoutMinutes: input.idleTimeoutMinutes,
        gpuMilli,
        pricePerHourOre: offer.pricePerHourOre,
      },
    });
    await recordAudit(ctx.tx, ctx.actor, {
      orgId: ctx.org.id,
      action: "notebook.launch_requested",
      targetType: "workbench",
      targetId: workbench.id,
      details: { name: workbench.name, shapeId: shape.id, regionId: region.id, imageId: image.id, pricePerHourOre: offer.pricePerHourOre },
    });
    return { workbenchId: workbench.id };
  },
});

async function ownWorkbench(ctx: OrgContext, workbenchId: string) {
  const workbench = await ctx.tx.workbench.findFirst({ where: { id: workbenchId, orgId: ctx.org.id, status: { notIn: ["DELETED"] } } });
  if (!workbench) throw new AppError("errors.notFound");
  return workbench;
}

/** Asks for a notebook to be stopped (frees its GPUs). */
export const stopNotebook = defineOrgOperation({
  name: "notebook.stop",
  permission: "notebooks.manage",
  schema: workbenchRefSchema,
  async handler(ctx, input) {
    const workbench = await ownWorkbench(ctx, input.workbenchId);
    if (workbench.desiredState !== "RUNNING" || ["STOPPED", "FAILED", "LOST", "DELETING"].includes(workbench.status)) {
      throw new AppError("errors.invalidState");
    }
    await ctx.tx.workbench.update({ where: { id: workbench.id }, data: { desiredState: "STOPPED", status: workbench.controlPlaneId ? "STOPPING" : workbench.status } });
    await recordAudit(ctx.tx, ctx.actor, { orgId: ctx.org.id, action: "notebook.stop_requested", targetType: "workbench", targetId: workbench.id, details: { name: workbench.name } });
    return { workbenchId: workbench.id };
  },
});

/** Starts a stopped notebook again, within the GPU quota. */
export const startNotebook = defineOrgOperation({
  name: "notebook.start",
  permission: "notebooks.manage",
  schema: workbenchRefSchema,
  async handler(ctx, input) {
    const workbench = await ownWorkbench(ctx, input.workbenchId);
    if (workbench.status !== "STOPPED" || workbench.desiredState !== "STOPPED") throw new AppError("errors.invalidState");
    await assertWithinBudget(ctx.tx, ctx.org.id, workbench.project, ctx.caller.meta.locale);
    await reserveQuota(ctx.tx, ctx.org.id, workbench.gpuMilli, workbench.id);
    await ctx.tx.workbench.update({ where: { id: workbench.id }, data: { desiredState: "RUNNING", status: "QUEUED", idleWarnedAt: null } });
    await recordAudit(ctx.tx, ctx.actor, { orgId: ctx.org.id, action: "notebook.start_requested", targetType: "workbench", targetId: workbench.id, details: { name: workbench.name } });
    return { workbenchId: workbench.id };
  },
});

/** Deletes a notebook and its storage. */
export const deleteNotebook = defineOrgOperation({
  name: "notebook.delete",
  permission: "notebooks.manage",
  schema: workbenchRefSchema,
  async handler(ctx, input) {
    const workbench = await ownWorkbench(ctx, input.workbenchId);
    await ctx.tx.workbench.update({
      where: { id: workbench.id },
      data: { desiredState: "DELETED", status: workbench.status === "LOST" ? "DELETED" : "DELETING" },
    });
    await recordAudit(ctx.tx, ctx.actor, { orgId: ctx.org.id, action: "notebook.delete_requested", targetType: "workbench", targetId: workbench.id, details: { name: workbench.name } });
    return { workbenchId: workbench.id };
  },
});
