// Idle culling with a warning first: warn in the portal and by e-mail shortly before the timeout,
// then stop the notebook (audited as the system) and tell its owner.
import "server-only";
import { db } from "../db";
import { serverEnv } from "../env";
import { recordAudit } from "../audit/record";
import { enqueueEmail, deliverSoon } from "../email/outbox";
import { idleStoppedMessage, idleWarningMessage } from "../email/templates";
import { convergeWorkbench } from "./sync";

const CULLER = { actorId: null, actorLabel: "system:idle-culler", ip: "127.0.0.1", userAgent: "portal-worker" };

/** Minutes before the timeout at which the owner is warned. */
export function warningLeadMinutes(idleTimeoutMinutes: number): number {
  return Math.min(10, Math.max(1, Math.floor(idleTimeoutMinutes * 0.2)));
}

/** Warns about and stops idle notebooks; returns what it did. */
export async function cullIdleNotebooks(now = new Date()): Promise<{ warned: number; stopped: number }> {
  const running = await db.workbench.findMany({
    where: { status: "RUNNING", desiredState: "RUNNING", lastActivityAt: { not: null } },
    include: { org: { select: { slug: true } } },
  });
  const owners = new Map(
    (await db.user.findMany({ where: { id: { in: [...new Set(running.map((wb) => wb.createdById))] } }, select: { id: true, email: true, locale: true } })).map((u) => [u.id, u]),
  );
  const baseUrl = (serverEnv().PUBLIC_URL ?? "http://localhost:3000").replace(/\/$/, "");
  let warned = 0;
  let stopped = 0;
  for (const wb of running) {
    const idleMinutes = (now.getTime() - wb.lastActivityAt!.getTime()) / 60_000;
    const owner = owners.get(wb.createdById);
    const locale = owner?.locale === "nb" ? "nb" : "en";
    const link = `${baseUrl}/${wb.org.slug}/notebooks/${wb.id}`;
    if (wb.idleWarnedAt && wb.lastActivityAt! > wb.idleWarnedAt) {
      await db.workbench.update({ where: { id: wb.id }, data: { idleWarnedAt: null } });
      continue;
    }
    if (idleMinutes >= wb.idleTimeoutMinutes) {
      await db.$transaction(async (tx) => {
        const claimed = await tx.workbench.updateMany({ where: { id: wb.id, desiredState: "RUNNING", status: "RUNNING" }, data: { desiredState: "STOPPED", status: "STOPPING" } });
        if (claimed.count !== 1) return;
        await recordAudit(tx, CULLER, { orgId: wb.orgId, action: "notebook.idle_stopped", targetType: "workbench", targetId: wb.id, details: { name: wb.name, idleMinutes: Math.floor(idleMinutes) } });
        if (owner) await enqueueEmail(tx, idleStoppedMessage(locale, owner.email, { name: wb.displayName, minutes: wb.idleTimeoutMinutes }, link));
        stopped++;
      });
      await convergeWorkbench(wb.id);
    } else if (!wb.idleWarnedAt && idleMinutes >= wb.idleTimeoutMinutes - warningLeadMinutes(wb.idleTimeoutMinutes)) {
      await db.$transaction(async (tx) => {
        await tx.workbench.update({ where: { id: wb.id }, data: { idleWarnedAt: now } });
        await recordAudit(tx, CULLER, { orgId: wb.orgId, action: "notebook.idle_warning", targetType: "workbench", targetId: wb.id, details: { name: wb.name, idleMinutes: Math.floor(idleMinutes) } });
        if (owner) await enqueueEmail(tx, idleWarningMessage(locale, owner.email, { name: wb.displayName, minutes: wb.idleTimeoutMinutes }, link));
      });
      warned++;
    }
  }
  if (warned + stopped > 0) deliverSoon();
  return { warned, stopped };
}
