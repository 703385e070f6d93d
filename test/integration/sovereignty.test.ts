// Sovereignty on real PostgreSQL: the organisation export contains every record the organisation owns in
// every listed table and nothing of another organisation, no credentials, and a manifest whose counts
// match; only owners and admins can download it (through the route handler); the deletion-request
// lifecycle (owners only, one open request, operator approval suspends and stops notebooks, decline,
// completion) is audited in the organisation's own chain and shown as operator access.
import { randomBytes } from "node:crypto";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/server/db";
import { storeUsage, type UsageRow } from "@/server/usage/store";
import { BILLING_ACTOR, closeMonth } from "@/server/billing/close";
import { finaliseInvoice } from "@/server/billing/finalise";
import { issueCreditNote } from "@/server/billing/credit-notes";
import { approveInvoice, disputeInvoice } from "@/server/billing/operations";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { DPA_VERSION } from "@/server/orgs/dpa";
import { listAuditEvents } from "@/server/audit/queries";
import { auditFilterSchema } from "@/server/audit/filter-schema";
import { EXPORT_TABLES, exportOrganisationData } from "@/server/sovereignty/export";
import { cancelDeletion, requestDeletion } from "@/server/sovereignty/operations";
import { approveDeletion, completeDeletion, rejectDeletion } from "@/server/sovereignty/operator-operations";
import { operatorAccessEvents, resourceLocations, usageRegions } from "@/server/sovereignty/queries";
import { listDeletionRequestsForOperator } from "@/server/sovereignty/operator-queries";
import { FACTOR_SET_2, FACTORS_2 } from "@/prisma/catalogue-seed";
import { callerFor, createOrg, createUser, meta } from "../fixtures";

// The route handler reads the signed-in user from the session; here the test decides who that is.
const session = vi.hoisted(() => ({ user: null as null | { userId: string; email: string; name: string } }));
vi.mock("@/server/auth/session", () => ({ getSessionUser: async () => session.user }));
const { GET: exportRoute } = await import("@/app/(portal)/[org]/sovereignty/export/route");

beforeAll(async () => {
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET_2.id } }))) await db.carbonFactorSet.create({ data: { ...FACTOR_SET_2, factors: { create: FACTORS_2 } } });
});

const ALL_ROLES = ["OWNER", "ADMIN", "DATA_SCIENTIST", "PROCUREMENT", "VIEWER"] as const;
const uid = () => randomBytes(4).toString("hex");

async function workbench(orgId: string, createdById: string, name: string, regionId: string, status: "RUNNING" | "STOPPED") {
  return db.workbench.create({
    data: {
      orgId, createdById, name, displayName: name, project: "Radiologi-KI", imageId: "jupyter-minimal-2025.2", shapeId: "h100-1x", regionId, storageGb: 20,
      idleTimeoutMinutes: 60, gpuMilli: 1000, pricePerHourOre: 3900, status, desiredState: status === "RUNNING" ? "RUNNING" : "STOPPED",
    },
  });
}

async function operator() {
  const user = await createUser("operator");
  await db.user.update({ where: { id: user.id }, data: { platformRole: "OPERATOR" } });
  return user;
}

/** An organisation with at least one row of every kind the export covers. */
async function seedOrganisation() {
  const fx = await createOrg([...ALL_ROLES]);
  const orgId = fx.org.id;
  const owner = fx.members.OWNER!;
  await db.invitation.create({
    data: { orgId, email: `invitee-${uid()}@example.no`, role: "VIEWER", tokenHash: `tokenhash${uid()}${uid()}`, expiresAt: new Date(Date.now() + 86_400_000), invitedById: owner.userId },
  });
  await db.dpaAcceptance.create({ data: { orgId, userId: owner.userId, version: DPA_VERSION, ip: "203.0.113.9", userAgent: "vitest browser" } });
  const running = await workbench(orgId, owner.userId, "radiology", "no-osl-1", "RUNNING");
  const stopped = await workbench(orgId, owner.userId, "archive", "no-trd-1", "STOPPED");
  // Usage in October 2026: both notebooks at the same instants, so the export's keyset has ties on time.
  const rows: UsageRow[] = [];
  for (const wb of [running, stopped]) {
    for (let h = 0; h < 24 * 3; h += 5) {
      const start = new Date(Date.UTC(2026, 9, 10) + h * 3_600_000);
      rows.push({
        id: `${wb.id}-${h}`, orgId, workbenchId: wb.id, userId: owner.userId, project: "Radiologi-KI", shapeId: "h100-1x", regionId: wb.regionId,
        intervalStart: start, intervalEnd: new Date(start.getTime() + 600_000), reservedSeconds: 600.123456, gpuSeconds: 600, energyWh: 61.5, storageGbHours: 3.333333, pricePerHourOre: 3900,
      });
    }
  }
  await db.$transaction((tx) => storeUsage(tx, rows));
  const credit = await db.billingCredit.create({ data: { orgId, description: "Innovation credit", amountOre: 10_000n, validFrom: new Date("2026-10-01"), validUntil: new Date("2027-09-30") } });
  const budget = await db.budget.create({ data: { orgId, project: "", monthlyOre: 5_000_000n } });
  await db.budgetAlert.create({ data: { budgetId: budget.id, month: new Date("2026-10-01"), threshold: 80, kind: "ACTUAL", spentOre: 4_100_000n } });
  const innovation = await db.innovationRequest.create({
    data: { orgId, createdById: owner.userId, title: "Triage model", problem: "Referrals wait.", outcome: "Faster triage.", sector: "HEALTH", sensitivity: "RESTRICTED", status: "SUBMITTED", submittedAt: new Date() },
  });
  await db.innovationEvent.create({ data: { requestId: innovation.id, fromStatus: "DRAFT", toStatus: "SUBMITTED", actorId: owner.userId, actorLabel: owner.email } });
  await db.innovationComment.create({ data: { requestId: innovation.id, authorId: owner.userId, authorName: "Test owner", fromProvider: false, body: "=HYPERLINK(\"x\") is text" } });
  return { fx, orgId, owner, running, stopped, credit };
}

/** Closes October for everyone, then finalises, approves, disputes and credits each organisation's invoice. */
async function bill(orgs: Array<Awaited<ReturnType<typeof seedOrganisation>>>) {
  await closeMonth("2026-10", new Date("2026-11-01T02:00:00Z"));
  for (const o of orgs) {
    const draft = await db.invoice.findFirstOrThrow({ where: { orgId: o.orgId, kind: "INVOICE" } });
    await finaliseInvoice(draft.id, { actor: BILLING_ACTOR, now: new Date("2026-11-05T00:00:00Z") });
    expect(await approveInvoice.run(callerFor(o.fx.members.PROCUREMENT!.userId), { orgId: o.orgId, invoiceId: draft.id })).toMatchObject({ ok: true });
    expect(await disputeInvoice.run(callerFor(o.fx.members.PROCUREMENT!.userId), { orgId: o.orgId, invoiceId: draft.id, reason: "One notebook was billed for hours it was stopped." })).toMatchObject({ ok: true });
    await issueCreditNote({ invoice: draft.id, reason: "Agreed correction", amountOre: 1000 }, BILLING_ACTOR, new Date("2026-11-06T00:00:00Z"));
    expect(await requestDeletion.run(callerFor(o.owner.userId), { orgId: o.orgId, reason: "Testing the export" })).toMatchObject({ ok: true });
  }
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Rows of an RFC 4180 CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The identity of every row the organisation owns, per export table, as the database has them. */
async function ownedKeys(orgId: string): Promise<Record<string, string[]>> {
  const ids = (rows: Array<{ id: string | bigint }>) => rows.map((r) => String(r.id)).sort();
  const rollup = (rows: Array<{ workbenchId: string; at: Date }>) => rows.map((r) => `${r.workbenchId}|${r.at.toISOString()}`).sort();
  const byInvoice = { invoice: { orgId } };
  return {
    organization: [orgId],
    membership: ids(await db.membership.findMany({ where: { orgId }, select: { id: true } })),
    invitation: ids(await db.invitation.findMany({ where: { orgId }, select: { id: true } })),
    dpa_acceptance: ids(await db.dpaAcceptance.findMany({ where: { orgId }, select: { id: true } })),
    workbench: ids(await db.workbench.findMany({ where: { orgId }, select: { id: true } })),
    usage_record: ids(await db.usageRecord.findMany({ where: { orgId }, select: { id: true } })),
    usage_hourly: rollup((await db.usageHourly.findMany({ where: { orgId }, select: { workbenchId: true, hour: true } })).map((r) => ({ workbenchId: r.workbenchId, at: r.hour }))),
    usage_daily: rollup((await db.usageDaily.findMany({ where: { orgId }, select: { workbenchId: true, day: true } })).map((r) => ({ workbenchId: r.workbenchId, at: r.day }))),
    invoice: ids(await db.invoice.findMany({ where: { orgId }, select: { id: true } })),
    invoice_line: ids(await db.invoiceLine.findMany({ where: byInvoice, select: { id: true } })),
    invoice_approval: ids(await db.invoiceApproval.findMany({ where: byInvoice, select: { id: true } })),
    invoice_dispute: ids(await db.invoiceDispute.findMany({ where: byInvoice, select: { id: true } })),
    billing_credit: ids(await db.billingCredit.findMany({ where: { orgId }, select: { id: true } })),
    budget: ids(await db.budget.findMany({ where: { orgId }, select: { id: true } })),
    budget_alert: ids(await db.budgetAlert.findMany({ where: { budget: { orgId } }, select: { id: true } })),
    innovation_request: ids(await db.innovationRequest.findMany({ where: { orgId }, select: { id: true } })),
    innovation_event: ids(await db.innovationEvent.findMany({ where: { request: { orgId } }, select: { id: true } })),
    innovation_comment: ids(await db.innovationComment.findMany({ where: { request: { orgId } }, select: { id: true } })),
    deletion_request: ids(await db.deletionRequest.findMany({ where: { orgId }, select: { id: true } })),
    audit_event: ids(await db.auditEvent.findMany({ where: { chainKey: orgId }, select: { id: true } })),
  };
}

function exportedKey(table: string, row: Record<string, unknown>): string {
  if (table === "usage_hourly") return `${String(row.workbench_id)}|${String(row.hour)}`;
  if (table === "usage_daily") return `${String(row.workbench_id)}|${String(row.day)}`;
  return String(row.id);
}

async function waitForAudit(orgId: string, action: string) {
  for (let i = 0; i < 100; i++) {
    const event = await db.auditEvent.findFirst({ where: { chainKey: orgId, action }, orderBy: { seq: "desc" } });
    if (event) return event;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${action} audit event`);
}

describe("organisation data export", () => {
  let a: Awaited<ReturnType<typeof seedOrganisation>>;
  let b: Awaited<ReturnType<typeof seedOrganisation>>;

  beforeAll(async () => {
    a = await seedOrganisation();
    b = await seedOrganisation();
    await bill([a, b]);
    // An operator acted on A: that is A's record too.
    const op = await operator();
    expect(await rejectDeletion.run(callerFor(op.id), { requestId: (await db.deletionRequest.findFirstOrThrow({ where: { orgId: a.orgId } })).id, note: "Please talk to us first." })).toMatchObject({ ok: true });
  }, 120_000);

  it("contains every owned record of every table, and the manifest's counts match", async () => {
    const expected = await ownedKeys(a.orgId);
    for (const table of EXPORT_TABLES) expect(expected[table.name]?.length, `seeded ${table.name}`).toBeGreaterThan(0);
    expect(Object.keys(expected).sort()).toEqual(EXPORT_TABLES.map((t) => t.name).sort());

    const membership = (await getMembershipBySlug(a.owner.userId, a.fx.org.slug))!;
    // A small page size makes every table span several keyset pages (and ties on the time key).
    const { stream, filename } = exportOrganisationData(membership, { ip: "198.51.100.20", userAgent: "vitest" }, { batchSize: 7 });
    expect(filename).toMatch(new RegExp(`^${a.fx.org.slug}-export-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
    const bytes = await readAll(stream);
    expect(strFromU8(bytes.subarray(0, 2))).toBe("PK");
    const files = unzipSync(bytes);
    const text = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
    expect(Object.keys(text).sort()).toEqual([...EXPORT_TABLES.flatMap((t) => [`${t.name}.csv`, `${t.name}.json`]), "README.txt", "manifest.json"].sort());

    const manifest = JSON.parse(text["manifest.json"]!) as { organisation: { id: string }; exportedBy: { email: string }; tables: Array<{ name: string; rows: number; columns: string[] }>; schemaNote: string };
    expect(manifest.organisation.id).toBe(a.orgId);
    expect(manifest.exportedBy.email).toBe(a.owner.email);
    expect(manifest.schemaNote).toMatch(/øre/);
    for (const table of EXPORT_TABLES) {
      const rows = JSON.parse(text[`${table.name}.json`]!) as Array<Record<string, unknown>>;
      expect(rows.map((r) => exportedKey(table.name, r)).sort(), table.name).toEqual(expected[table.name]);
      const entry = manifest.tables.find((t) => t.name === table.name)!;
      expect(entry.rows, table.name).toBe(rows.length);
      const csv = parseCsv(text[`${table.name}.csv`]!);
      expect(csv[0], table.name).toEqual(entry.columns);
      expect(csv.length - 1, `${table.name}.csv rows`).toBe(rows.length);
      for (const row of rows) expect(Object.keys(row)).toEqual(entry.columns);
    }
    expect(text["README.txt"]).toContain(a.fx.org.name);
    expect(text["README.txt"]).toContain("bokføringsloven");

    // Values are exact: money and decimals as strings, times in ISO 8601.
    const invoice = await db.invoice.findFirstOrThrow({ where: { orgId: a.orgId, kind: "INVOICE" } });
    const exportedInvoice = (JSON.parse(text["invoice.json"]!) as Array<Record<string, unknown>>).find((r) => r.id === invoice.id)!;
    expect(exportedInvoice).toMatchObject({ net_ore: invoice.netOre.toString(), total_ore: invoice.totalOre.toString(), number: invoice.number, period_start: "2026-10-01", kind: "INVOICE" });
    expect((exportedInvoice.document as { number: string }).number).toBe(invoice.number);
    const usage = (JSON.parse(text["usage_record.json"]!) as Array<Record<string, unknown>>)[0]!;
    expect(usage).toMatchObject({ reserved_seconds: "600.123456", energy_wh: "61.5" });
    expect(String(usage.interval_start)).toMatch(/^2026-10-10T\d{2}:00:00\.000Z$/);
    // A formula-looking text is neutralised in CSV only.
    expect(text["innovation_comment.csv"]).toContain(`"'=HYPERLINK(""x"") is text"`);
    expect(text["innovation_comment.json"]).toContain('"=HYPERLINK(\\"x\\") is text"');
    // Members come with name, e-mail and role.
    const members = JSON.parse(text["membership.json"]!) as Array<Record<string, unknown>>;
    expect(members.map((m) => m.user_email).sort()).toEqual(Object.values(a.fx.members).map((m) => m.email).sort());

    // Nothing of organisation B: none of its ids, e-mail addresses, organisation number or audit hashes.
    const everything = Object.values(text).join("\n");
    const bKeys = await ownedKeys(b.orgId);
    const bStrings = [
      b.orgId, b.fx.org.slug, b.fx.org.orgNumber, b.fx.org.name,
      ...Object.values(b.fx.members).map((m) => m.email),
      ...Object.entries(bKeys).filter(([table]) => table !== "audit_event").flatMap(([, keys]) => keys.map((k) => k.split("|")[0]!)),
      ...(await db.auditEvent.findMany({ where: { chainKey: b.orgId }, select: { hash: true } })).map((e) => e.hash),
      ...(await db.invitation.findMany({ where: { orgId: b.orgId }, select: { email: true } })).map((i) => i.email),
    ];
    expect(bStrings.length).toBeGreaterThan(100);
    for (const s of bStrings) expect(everything.includes(s), `B's ${s} leaked`).toBe(false);

    // No credentials: no password hash, no invitation token hash, no such columns.
    const users = await db.user.findMany({ select: { passwordHash: true } });
    for (const u of users) expect(everything.includes(u.passwordHash)).toBe(false);
    for (const i of await db.invitation.findMany({ select: { tokenHash: true } })) expect(everything.includes(i.tokenHash)).toBe(false);
    for (const column of ["password_hash", "passwordHash", "token_hash", "tokenHash", "totp_secret", "code_hash", "user_session"]) expect(everything.includes(column), column).toBe(false);

    // The export is audited in A's chain with the counts of the manifest.
    const audit = await waitForAudit(a.orgId, "data.exported");
    expect(audit).toMatchObject({ outcome: "SUCCESS", actorId: a.owner.userId, actorLabel: a.owner.email, ip: "198.51.100.20" });
    expect((audit.details as { counts: Record<string, number> }).counts).toEqual(Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows])));
  });

  it("shows every member where the notebooks, their storage and the metered usage are", async () => {
    const viewer = (await getMembershipBySlug(a.fx.members.VIEWER!.userId, a.fx.org.slug))!;
    const notebooks = await resourceLocations(viewer);
    expect(notebooks.map((n) => [n.id, n.region?.dataCentre, n.region?.country, n.storageGb]).sort()).toEqual(
      [[a.running.id, "Oslo DC1 (Ulven)", "NO", 20], [a.stopped.id, "Trondheim DC1 (Sluppen)", "NO", 20]].sort(),
    );
    const regions = await usageRegions(viewer);
    expect(regions.map((r) => [r.regionId, r.notebooks, r.region?.country])).toEqual([["no-osl-1", 1, "NO"], ["no-trd-1", 1, "NO"]]);
  });

  it("is refused to data scientists, procurement, viewers, other organisations and the signed-out; served to owners and admins", async () => {
    const call = () => exportRoute(new Request(`http://localhost/${a.fx.org.slug}/sovereignty/export`, { headers: { "user-agent": "vitest-route" } }), { params: Promise.resolve({ org: a.fx.org.slug }) });
    const as = (userId: string, email: string) => (session.user = { userId, email, name: email });

    session.user = null;
    expect((await call()).status).toBe(401);
    for (const role of ["DATA_SCIENTIST", "PROCUREMENT", "VIEWER"] as const) {
      as(a.fx.members[role]!.userId, a.fx.members[role]!.email);
      const response = await call();
      expect(response.status, role).toBe(404);
      expect(response.headers.get("content-type")).not.toBe("application/zip");
    }
    as(b.owner.userId, b.owner.email);
    expect((await call()).status).toBe(404);

    const viewer = (await getMembershipBySlug(a.fx.members.VIEWER!.userId, a.fx.org.slug))!;
    expect(() => exportOrganisationData(viewer, { ip: "x", userAgent: "y" })).toThrow("errors.forbidden");

    as(a.fx.members.ADMIN!.userId, a.fx.members.ADMIN!.email);
    const response = await call();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="org-[0-9a-f]+-export-\d{4}-\d{2}-\d{2}\.zip"$/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(strFromU8(bytes.subarray(0, 2))).toBe("PK");
    expect(Object.keys(unzipSync(bytes))).toContain("manifest.json");
    session.user = null;
  });
});

describe("deletion requests", () => {
  it("only owners may request or cancel; one open request at a time; every step audited and e-mailed", async () => {
    const fx = await createOrg([...ALL_ROLES]);
    const orgId = fx.org.id;
    const owner = callerFor(fx.members.OWNER!.userId);
    for (const role of ["ADMIN", "DATA_SCIENTIST", "PROCUREMENT", "VIEWER"] as const) {
      expect(await requestDeletion.run(callerFor(fx.members[role]!.userId), { orgId }), role).toMatchObject({ ok: false, error: "errors.forbidden" });
    }
    const outsider = await createOrg(["OWNER"]);
    expect(await requestDeletion.run(callerFor(outsider.members.OWNER!.userId), { orgId })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await db.deletionRequest.count({ where: { orgId } })).toBe(0);

    const first = await requestDeletion.run(owner, { orgId, reason: "  Moving to another provider  " });
    expect(first).toMatchObject({ ok: true });
    const requestId = (first as { data: { requestId: string } }).data.requestId;
    expect(await db.deletionRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "REQUESTED", reason: "Moving to another provider", requestedById: owner.userId });
    expect(await requestDeletion.run(owner, { orgId })).toMatchObject({ ok: false, error: "errors.deletionAlreadyRequested" });
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: fx.members.OWNER!.email }, orderBy: { createdAt: "desc" } });
    expect(mail.subject).toBe(`Deletion of ${fx.org.name}'s data was requested`);
    expect(mail.text).toContain(`${meta.baseUrl}/${fx.org.slug}/sovereignty`);

    expect(await cancelDeletion.run(callerFor(fx.members.ADMIN!.userId), { orgId, requestId })).toMatchObject({ ok: false, error: "errors.forbidden" });
    expect(await cancelDeletion.run(callerFor(outsider.members.OWNER!.userId), { orgId: outsider.org.id, requestId })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await cancelDeletion.run(owner, { orgId, requestId })).toMatchObject({ ok: true });
    expect(await db.deletionRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "CANCELLED", decidedById: owner.userId });
    expect(await cancelDeletion.run(owner, { orgId, requestId })).toMatchObject({ ok: false, error: "errors.deletionNotOpen" });

    // Two owners at the same moment: exactly one request is opened.
    const second = await createUser("owner2");
    await db.membership.create({ data: { orgId, userId: second.id, role: "OWNER" } });
    const results = await Promise.all([requestDeletion.run(owner, { orgId }), requestDeletion.run(callerFor(second.id), { orgId })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ error: "errors.deletionAlreadyRequested" })]);
    expect(await db.deletionRequest.count({ where: { orgId, status: "REQUESTED" } })).toBe(1);

    const actions = (await db.auditEvent.findMany({ where: { chainKey: orgId }, orderBy: { seq: "asc" } })).map((e) => [e.action, e.outcome]);
    expect(actions).toEqual([
      // Four roles, then the member of another organisation (not found, audited all the same).
      ["deletion.request", "DENIED"], ["deletion.request", "DENIED"], ["deletion.request", "DENIED"], ["deletion.request", "DENIED"], ["deletion.request", "DENIED"],
      ["deletion.requested", "SUCCESS"], ["deletion.cancel", "DENIED"], ["deletion.cancelled", "SUCCESS"], ["deletion.requested", "SUCCESS"],
    ]);
  });

  it("operators approve (suspend, stop notebooks), then complete; all in the organisation's audit log", async () => {
    const fx = await createOrg([...ALL_ROLES]);
    const orgId = fx.org.id;
    const owner = fx.members.OWNER!;
    const running = await workbench(orgId, owner.userId, "live", "no-osl-1", "RUNNING");
    const stopped = await workbench(orgId, owner.userId, "idle", "no-trd-1", "STOPPED");
    const requested = await requestDeletion.run(callerFor(owner.userId), { orgId });
    const requestId = (requested as { data: { requestId: string } }).data.requestId;

    // Not an operator: refused (and audited on the platform chain), nothing changes.
    expect(await approveDeletion.run(callerFor(owner.userId), { requestId })).toMatchObject({ ok: false, error: "errors.forbidden" });
    expect(await db.auditEvent.findFirst({ where: { chainKey: "platform", action: "operator.deletion_approve", actorId: owner.userId, outcome: "DENIED" } })).not.toBeNull();
    await expect(listDeletionRequestsForOperator(owner.userId, { status: "open" })).rejects.toThrow("errors.forbidden");
    expect((await db.organization.findUniqueOrThrow({ where: { id: orgId } })).status).toBe("ACTIVE");

    const op = await operator();
    expect((await listDeletionRequestsForOperator(op.id, { status: "open" })).map((r) => r.id)).toContain(requestId);
    const approved = await approveDeletion.run(callerFor(op.id), { requestId, note: "Confirmed by phone with the owner." });
    expect(approved).toMatchObject({ ok: true, data: { stopped: [running.id] } });
    const request = await db.deletionRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(request).toMatchObject({ status: "APPROVED", decidedById: op.id, note: "Confirmed by phone with the owner." });
    const deadline = new Date(request.decidedAt!.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const org = await db.organization.findUniqueOrThrow({ where: { id: orgId } });
    expect(org.status).toBe("SUSPENDED");
    expect(org.statusReason).toContain(deadline);
    expect((await db.workbench.findUniqueOrThrow({ where: { id: running.id } })).desiredState).toBe("STOPPED");
    expect((await db.workbench.findUniqueOrThrow({ where: { id: stopped.id } })).desiredState).toBe("STOPPED");
    const approvalMail = await db.outboxEmail.findFirstOrThrow({ where: { to: owner.email, subject: { contains: "approved" } } });
    expect(approvalMail.text).toContain(deadline);
    expect(approvalMail.text).toContain("Confirmed by phone with the owner.");

    // While approved: no new request, no cancelling, no second approval.
    expect(await requestDeletion.run(callerFor(owner.userId), { orgId })).toMatchObject({ ok: false, error: "errors.deletionAlreadyRequested" });
    expect(await cancelDeletion.run(callerFor(owner.userId), { orgId, requestId })).toMatchObject({ ok: false, error: "errors.deletionNotOpen" });
    expect(await approveDeletion.run(callerFor(op.id), { requestId })).toMatchObject({ ok: false, error: "errors.deletionNotOpen" });
    expect(await rejectDeletion.run(callerFor(op.id), { requestId, note: "Too late to decline." })).toMatchObject({ ok: false, error: "errors.deletionNotOpen" });

    expect(await completeDeletion.run(callerFor(op.id), { requestId, note: "Purged per runbook, ticket OPS-1." })).toMatchObject({ ok: true });
    expect(await db.deletionRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "COMPLETED", note: "Confirmed by phone with the owner.\nPurged per runbook, ticket OPS-1." });
    expect(await completeDeletion.run(callerFor(op.id), { requestId })).toMatchObject({ ok: false, error: "errors.deletionNotOpen" });

    // The organisation's admins see every operator step in their audit log, labelled as the operator.
    const admin = (await getMembershipBySlug(fx.members.ADMIN!.userId, fx.org.slug))!;
    const log = await listAuditEvents(admin, auditFilterSchema.parse({}));
    const operatorEvents = log.events.filter((e) => e.actorLabel === `operator:${op.email}`).map((e) => e.action);
    expect(operatorEvents).toEqual(["operator.deletion_completed", "operator.deletion_approved", "operator.org_suspended", "notebook.stop_requested"]);
    // Every member sees them on the Sovereignty page as operator access, newest first.
    const viewer = (await getMembershipBySlug(fx.members.VIEWER!.userId, fx.org.slug))!;
    const access = await operatorAccessEvents(viewer, 1);
    expect(access.total).toBe(4);
    expect(access.events.map((e) => [e.action, e.actorLabel])).toEqual(operatorEvents.map((action) => [action, `operator:${op.email}`]));
    expect((await db.outboxEmail.findMany({ where: { to: owner.email }, orderBy: { createdAt: "asc" } })).map((m) => m.subject)).toEqual([
      `Deletion of ${fx.org.name}'s data was requested`,
      `The provider approved the deletion of ${fx.org.name}'s data`,
      `${fx.org.name}'s data has been deleted`,
    ]);
  });

  it("operators decline with a note (required); the organisation carries on", async () => {
    const fx = await createOrg(["OWNER"]);
    const requested = await requestDeletion.run(callerFor(fx.members.OWNER!.userId), { orgId: fx.org.id });
    const requestId = (requested as { data: { requestId: string } }).data.requestId;
    const op = await operator();
    expect(await rejectDeletion.run(callerFor(op.id), { requestId, note: "" })).toMatchObject({ ok: false, error: "errors.validation", fieldErrors: { note: "errors.reasonRequired" } });
    expect(await rejectDeletion.run(callerFor(op.id), { requestId: "no-such-request", note: "Not found anyway." })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await rejectDeletion.run(callerFor(op.id), { requestId, note: "Unpaid invoices must be settled first." })).toMatchObject({ ok: true });
    expect(await db.deletionRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ status: "CANCELLED", decidedById: op.id, note: "Unpaid invoices must be settled first." });
    expect((await db.organization.findUniqueOrThrow({ where: { id: fx.org.id } })).status).toBe("ACTIVE");
    const event = await db.auditEvent.findFirstOrThrow({ where: { chainKey: fx.org.id, action: "operator.deletion_rejected" } });
    expect(event).toMatchObject({ actorLabel: `operator:${op.email}`, targetId: requestId, details: { note: "Unpaid invoices must be settled first." } });
    const mail = await db.outboxEmail.findFirstOrThrow({ where: { to: fx.members.OWNER!.email, subject: { contains: "declined" } } });
    expect(mail.text).toContain("Unpaid invoices must be settled first.");
    // A new request can be made afterwards.
    expect(await requestDeletion.run(callerFor(fx.members.OWNER!.userId), { orgId: fx.org.id })).toMatchObject({ ok: true });
  });
});
