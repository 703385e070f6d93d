// Joint-innovation requests on real PostgreSQL: a request goes draft -> submitted -> in review -> needs
// information -> resubmitted -> accepted with a GPU credit -> active -> completed; every change writes the
// timeline, an audit event in the organisation's chain (its admins see the provider's actions) and e-mails
// to the right people in their language; wrong moves, wrong roles, other organisations and non-operators
// are refused without changing anything; the agreed credit is drawn down by the monthly invoice.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { getMembershipBySlug } from "@/server/orgs/queries";
import { listAuditEvents } from "@/server/audit/queries";
import { auditFilterSchema } from "@/server/audit/filter-schema";
import { commentOnInnovationRequest, saveInnovationDraft, submitInnovationRequest, withdrawInnovationDraft } from "@/server/innovation/operations";
import { assignInnovationRequest, changeInnovationStatus, commentAsOperator } from "@/server/innovation/operator-operations";
import { getInnovationRequest, listInnovationRequests } from "@/server/innovation/queries";
import { getInnovationRequestForOperator, listInnovationQueue } from "@/server/innovation/operator-queries";
import { PROVIDER_INNOVATION_INBOX } from "@/server/innovation/notify";
import { storeUsage } from "@/server/usage/store";
import { closeMonth } from "@/server/billing/close";
import type { Caller } from "@/server/actions/define";
import { callerFor, createOrg, createUser, meta, snapshot } from "../fixtures";

type Result = { ok: boolean; data?: unknown; error?: string; fieldErrors?: Record<string, string> };

async function operator(name = "operator") {
  const user = await createUser(name);
  await db.user.update({ where: { id: user.id }, data: { platformRole: "OPERATOR" } });
  return { ...user, caller: callerFor(user.id) };
}

const complete = (orgId: string, title = `Referral triage ${randomBytes(2).toString("hex")}`) => ({
  orgId,
  title,
  problem: "Radiology referrals wait weeks before anyone triages them.",
  outcome: "A model that ranks referrals by urgency, checked by radiologists.",
  sector: "HEALTH",
  sensitivity: "RESTRICTED",
  shapeId: "h100-1x",
  gpuQuantity: "2",
  durationValue: "500",
  durationUnit: "HOURS",
  startDate: "2027-01-04",
  endDate: "2027-06-30",
  contactName1: "Kari Nordmann",
  contactEmail1: "kari@example.no",
  contactRole1: "Project lead",
});

/** Runs a change and returns what it added: timeline entries, audit actions in the org's chain, e-mails. */
async function observe(orgId: string, requestId: string | null, change: () => Promise<Result>) {
  const eventsBefore = requestId ? await db.innovationEvent.count({ where: { requestId } }) : 0;
  const auditBefore = await db.auditEvent.count({ where: { chainKey: orgId } });
  const mailBefore = new Set((await db.outboxEmail.findMany({ select: { id: true } })).map((m) => m.id));
  const result = await change();
  const events = requestId ? await db.innovationEvent.findMany({ where: { requestId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], skip: eventsBefore }) : [];
  const audit = await db.auditEvent.findMany({ where: { chainKey: orgId }, orderBy: { seq: "asc" }, skip: auditBefore });
  const mail = (await db.outboxEmail.findMany({ orderBy: { createdAt: "asc" } })).filter((m) => !mailBefore.has(m.id));
  return { result, events, audit: audit.map((a) => [a.action, a.outcome, a.actorId]), mail: mail.map((m) => ({ to: m.to, subject: m.subject, text: m.text })) };
}

const run = (op: { run: (caller: Caller, raw: unknown) => Promise<unknown> }, caller: Caller, input: unknown) => () => op.run(caller, input) as Promise<Result>;

async function customerOrg() {
  const fx = await createOrg(["OWNER", "ADMIN", "DATA_SCIENTIST", "PROCUREMENT", "VIEWER"]);
  // The admin reads e-mail in bokmål.
  await db.user.update({ where: { id: fx.members.ADMIN!.userId }, data: { locale: "nb" } });
  return fx;
}

/** A request of the organisation in the given status (straight into the database). */
async function requestIn(orgId: string, createdById: string, status: "DRAFT" | "SUBMITTED" | "IN_REVIEW" | "ACCEPTED", assignedToId: string | null = null) {
  return db.innovationRequest.create({
    data: { orgId, createdById, title: `Fixture ${status.toLowerCase()} ${randomBytes(2).toString("hex")}`, problem: "", outcome: "", sector: "HEALTH", sensitivity: "INTERNAL", status, submittedAt: status === "DRAFT" ? null : new Date(), assignedToId },
  });
}

describe("joint-innovation requests", () => {
  it("go from draft to completed with a GPU credit, with a timeline, audit events and e-mails at every step", async () => {
    const { org, members } = await customerOrg();
    const scientist = callerFor(members.DATA_SCIENTIST!.userId);
    const op = await operator("silje");
    const customers = [members.OWNER!.email, members.ADMIN!.email, members.DATA_SCIENTIST!.email].sort();

    // A draft needs only a title, a sector and a data sensitivity; nobody is e-mailed about it.
    const draft = await observe(org.id, null, run(saveInnovationDraft, scientist, { orgId: org.id, title: "Referral triage", sector: "HEALTH", sensitivity: "CONFIDENTIAL" }));
    expect(draft.result).toMatchObject({ ok: true, data: { created: true, slug: org.slug } });
    const requestId = (draft.result.data as { requestId: string }).requestId;
    expect(draft.audit).toEqual([["innovation.draft_created", "SUCCESS", members.DATA_SCIENTIST!.userId]]);
    expect(draft.mail).toEqual([]);
    expect(await db.innovationEvent.findMany({ where: { requestId }, select: { fromStatus: true, toStatus: true, actorLabel: true } })).toEqual([{ fromStatus: null, toStatus: "DRAFT", actorLabel: "Test data_scientist" }]);

    // Submitting an incomplete draft is refused field by field, and changes nothing.
    const before = await snapshot({ includeAudit: true });
    expect(await submitInnovationRequest.run(scientist, { orgId: org.id, requestId, title: "Referral triage", sector: "HEALTH", sensitivity: "CONFIDENTIAL" })).toMatchObject({
      ok: false, error: "errors.validation", fieldErrors: { problem: "errors.required", shapeId: "errors.required", contactName1: "errors.contactRequired" },
    });
    expect(await snapshot({ includeAudit: true })).toEqual(before);

    // Completed and submitted: the provider's innovation inbox hears of it (nobody is assigned yet).
    const input = { ...complete(org.id, "Referral triage"), requestId };
    const submitted = await observe(org.id, requestId, run(submitInnovationRequest, scientist, input));
    expect(submitted.result).toMatchObject({ ok: true, data: { requestId } });
    expect(submitted.events.map((e) => [e.fromStatus, e.toStatus])).toEqual([["DRAFT", "SUBMITTED"]]);
    expect(submitted.audit).toEqual([["innovation.submitted", "SUCCESS", members.DATA_SCIENTIST!.userId]]);
    expect(submitted.mail).toEqual([expect.objectContaining({ to: PROVIDER_INNOVATION_INBOX, subject: `New joint-innovation request: Referral triage (${org.name})` })]);
    expect(submitted.mail[0]!.text).toContain(`/operator/innovation/${requestId}`);
    const stored = await db.innovationRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(stored).toMatchObject({ status: "SUBMITTED", sensitivity: "RESTRICTED", shapeId: "h100-1x", gpuQuantity: 2, durationValue: 500, durationUnit: "HOURS", contacts: [{ name: "Kari Nordmann", email: "kari@example.no", role: "Project lead" }] });
    const firstSubmission = stored.submittedAt;
    expect(firstSubmission).not.toBeNull();

    // The operator takes it: the customer's creator, owners and admins are told who handles it.
    const assigned = await observe(org.id, requestId, run(assignInnovationRequest, op.caller, { requestId, assigneeId: op.id }));
    expect(assigned.result).toMatchObject({ ok: true, data: { changed: true } });
    expect(assigned.events.map((e) => [e.fromStatus, e.toStatus, e.note])).toEqual([["SUBMITTED", "SUBMITTED", op.name]]);
    expect(assigned.audit).toEqual([["operator.innovation_assigned", "SUCCESS", op.id]]);
    expect(assigned.mail.map((m) => m.to).sort()).toEqual(customers);
    expect(assigned.mail.find((m) => m.to === members.OWNER!.email)?.subject).toBe(`${op.name} is handling “Referral triage”`);
    expect(assigned.mail.find((m) => m.to === members.ADMIN!.email)?.subject).toBe(`${op.name} behandler «Referral triage»`);

    // In review, then more information is needed (a note is required).
    const review = await observe(org.id, requestId, run(changeInnovationStatus, op.caller, { requestId, status: "IN_REVIEW" }));
    expect(review.result).toMatchObject({ ok: true });
    expect(review.mail.map((m) => m.to).sort()).toEqual(customers);
    expect(review.mail.find((m) => m.to === members.OWNER!.email)?.subject).toBe("“Referral triage” is now: In review");
    expect(review.mail.find((m) => m.to === members.ADMIN!.email)?.subject).toBe("«Referral triage» har nå status: Under vurdering");
    expect(await changeInnovationStatus.run(op.caller, { requestId, status: "NEEDS_INFO" })).toMatchObject({ ok: false, fieldErrors: { note: "errors.needsInfoNoteRequired" } });
    const needsInfo = await observe(org.id, requestId, run(changeInnovationStatus, op.caller, { requestId, status: "NEEDS_INFO", note: "Please attach the DPIA." }));
    expect(needsInfo.events.map((e) => [e.fromStatus, e.toStatus, e.note])).toEqual([["IN_REVIEW", "NEEDS_INFO", "Please attach the DPIA."]]);
    expect(needsInfo.audit).toEqual([["operator.innovation_status_changed", "SUCCESS", op.id]]);
    // E-mails name the status only; the note stays in the portal.
    expect(needsInfo.mail.every((m) => !m.text.includes("DPIA"))).toBe(true);

    // The customer comments: the assigned operator (not the shared inbox) is told.
    const comment = await observe(org.id, requestId, run(commentOnInnovationRequest, scientist, { orgId: org.id, requestId, body: "The DPIA is approved; see section 4." }));
    expect(comment.result).toMatchObject({ ok: true });
    expect(comment.events).toEqual([]);
    expect(comment.audit).toEqual([["innovation.commented", "SUCCESS", members.DATA_SCIENTIST!.userId]]);
    expect(comment.mail).toEqual([expect.objectContaining({ to: op.email, subject: `New comment from ${org.name} on: Referral triage` })]);

    // The customer updates and resubmits; the original submission time keeps its place in the queue.
    const resubmitted = await observe(org.id, requestId, run(submitInnovationRequest, scientist, { ...input, outcome: "A model that ranks referrals by urgency, with a DPIA in place." }));
    expect(resubmitted.events.map((e) => [e.fromStatus, e.toStatus])).toEqual([["NEEDS_INFO", "SUBMITTED"]]);
    expect(resubmitted.audit).toEqual([["innovation.resubmitted", "SUCCESS", members.DATA_SCIENTIST!.userId]]);
    expect(resubmitted.mail).toEqual([expect.objectContaining({ to: op.email, subject: `More information for: Referral triage (${org.name})` })]);
    expect((await db.innovationRequest.findUniqueOrThrow({ where: { id: requestId } })).submittedAt).toEqual(firstSubmission);

    // The provider comments and accepts with an agreed credit of NOK 50 000.
    const providerComment = await observe(org.id, requestId, run(commentAsOperator, op.caller, { requestId, body: "Thank you, that settles it." }));
    expect(providerComment.audit).toEqual([["operator.innovation_commented", "SUCCESS", op.id]]);
    expect(providerComment.mail.map((m) => m.to).sort()).toEqual(customers);
    expect(await changeInnovationStatus.run(op.caller, { requestId, status: "IN_REVIEW" })).toMatchObject({ ok: true });
    const accepted = await observe(
      org.id,
      requestId,
      run(changeInnovationStatus, op.caller, { requestId, status: "ACCEPTED", note: "Welcome aboard.", creditAmount: "50 000", creditFrom: "2026-10-01", creditUntil: "2027-09-30" }),
    );
    expect(accepted.result).toMatchObject({ ok: true, data: { status: "ACCEPTED" } });
    expect(accepted.audit).toEqual([
      ["operator.innovation_status_changed", "SUCCESS", op.id],
      ["operator.billing_credit_created", "SUCCESS", op.id],
    ]);
    const acceptedRow = await db.innovationRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(acceptedRow).toMatchObject({ status: "ACCEPTED", creditOre: 5_000_000n });
    const credit = await db.billingCredit.findUniqueOrThrow({ where: { id: acceptedRow.creditId! } });
    expect(credit).toMatchObject({ orgId: org.id, amountOre: 5_000_000n, description: "GPU credit: joint-innovation project Referral triage", validFrom: new Date("2026-10-01"), validUntil: new Date("2027-09-30") });

    // Active, then completed; nothing after that.
    expect(await changeInnovationStatus.run(op.caller, { requestId, status: "ACTIVE" })).toMatchObject({ ok: true });
    const completed = await observe(org.id, requestId, run(changeInnovationStatus, op.caller, { requestId, status: "COMPLETED" }));
    expect(completed.result).toMatchObject({ ok: true });
    expect(completed.mail.find((m) => m.to === members.OWNER!.email)?.subject).toBe("“Referral triage” is now: Completed");
    expect(await changeInnovationStatus.run(op.caller, { requestId, status: "ACTIVE" })).toMatchObject({ ok: false, error: "errors.innovationTransition" });

    // The customer sees it all; the timeline names every step.
    const owner = (await getMembershipBySlug(members.OWNER!.userId, org.slug))!;
    const detail = await getInnovationRequest(owner, requestId);
    expect(detail).toMatchObject({ status: "COMPLETED", assignedTo: { id: op.id, name: op.name }, credit: { amountOre: 5_000_000, validFrom: "2026-10-01", validUntil: "2027-09-30" } });
    expect(detail.timeline.map((e) => (e.kind === "assigned" ? `assigned:${e.assignee}` : `${e.fromStatus ?? "-"}>${e.toStatus}`))).toEqual([
      "->DRAFT", "DRAFT>SUBMITTED", `assigned:${op.name}`, "SUBMITTED>IN_REVIEW", "IN_REVIEW>NEEDS_INFO", "NEEDS_INFO>SUBMITTED", "SUBMITTED>IN_REVIEW", "IN_REVIEW>ACCEPTED", "ACCEPTED>ACTIVE", "ACTIVE>COMPLETED",
    ]);
    expect(detail.timeline.filter((e) => e.byProvider).length).toBe(7);
    expect(detail.comments.map((c) => [c.fromProvider, c.body])).toEqual([
      [false, "The DPIA is approved; see section 4."],
      [true, "Thank you, that settles it."],
    ]);

    // The organisation's admins see the provider's actions in their audit log, and the chain holds.
    const log = await listAuditEvents(owner, auditFilterSchema.parse({ action: "operator.innovation" }));
    expect(log.events.map((e) => e.action).sort()).toEqual([
      "operator.innovation_assigned", "operator.innovation_commented",
      ...Array.from({ length: 6 }, () => "operator.innovation_status_changed"),
    ]);
    expect(log.events.every((e) => e.actorLabel === `operator:${op.email}`)).toBe(true);
  });

  it("refuse moves outside the allowed transitions, and customer edits after submission, without changing anything", async () => {
    const { org, members } = await customerOrg();
    const op = await operator();
    const submitted = await requestIn(org.id, members.OWNER!.userId, "SUBMITTED");
    const inReview = await requestIn(org.id, members.OWNER!.userId, "IN_REVIEW");
    const before = await snapshot({ includeAudit: true });
    for (const status of ["ACCEPTED", "ACTIVE", "COMPLETED", "NEEDS_INFO", "DECLINED"]) {
      const note = status === "DECLINED" || status === "NEEDS_INFO" ? "Reason enough." : "";
      expect(await changeInnovationStatus.run(op.caller, { requestId: submitted.id, status, note })).toMatchObject({ ok: false, error: "errors.innovationTransition" });
    }
    expect(await changeInnovationStatus.run(op.caller, { requestId: inReview.id, status: "IN_REVIEW" })).toMatchObject({ ok: false, error: "errors.innovationTransition" });
    expect(await changeInnovationStatus.run(op.caller, { requestId: submitted.id, status: "SUBMITTED" })).toMatchObject({ ok: false, error: "errors.validation" });
    const owner = callerFor(members.OWNER!.userId);
    expect(await submitInnovationRequest.run(owner, { ...complete(org.id), requestId: inReview.id })).toMatchObject({ ok: false, error: "errors.innovationNotEditable" });
    expect(await saveInnovationDraft.run(owner, { orgId: org.id, requestId: submitted.id, title: "Changed", sector: "HEALTH", sensitivity: "OPEN" })).toMatchObject({ ok: false, error: "errors.innovationNotEditable" });
    expect(await withdrawInnovationDraft.run(owner, { orgId: org.id, requestId: submitted.id })).toMatchObject({ ok: false, error: "errors.innovationNotEditable" });
    expect(await snapshot({ includeAudit: true })).toEqual(before);
  });

  it("decline only with a reason, which the customer sees; a credit only when accepting", async () => {
    const { org, members } = await customerOrg();
    const op = await operator();
    const request = await requestIn(org.id, members.DATA_SCIENTIST!.userId, "IN_REVIEW");
    const before = await snapshot({ includeAudit: true });
    expect(await changeInnovationStatus.run(op.caller, { requestId: request.id, status: "DECLINED" })).toMatchObject({ ok: false, error: "errors.validation", fieldErrors: { note: "errors.declineReasonRequired" } });
    expect(await changeInnovationStatus.run(op.caller, { requestId: request.id, status: "DECLINED", note: "Out of scope.", creditAmount: "1000", creditUntil: "2027-01-31" })).toMatchObject({
      ok: false, fieldErrors: { creditAmount: "errors.creditOnlyWhenAccepting" },
    });
    expect(await snapshot({ includeAudit: true })).toEqual(before);

    const declined = await observe(org.id, request.id, run(changeInnovationStatus, op.caller, { requestId: request.id, status: "DECLINED", note: "Out of scope for this year's programme." }));
    expect(declined.result).toMatchObject({ ok: true });
    expect(declined.events.map((e) => [e.fromStatus, e.toStatus, e.note])).toEqual([["IN_REVIEW", "DECLINED", "Out of scope for this year's programme."]]);
    expect(declined.audit).toEqual([["operator.innovation_status_changed", "SUCCESS", op.id]]);
    expect(declined.mail.map((m) => m.to).sort()).toEqual([members.OWNER!.email, members.ADMIN!.email, members.DATA_SCIENTIST!.email].sort());
    const viewer = (await getMembershipBySlug(members.VIEWER!.userId, org.slug))!;
    expect(await getInnovationRequest(viewer, request.id)).toMatchObject({ status: "DECLINED", declineReason: "Out of scope for this year's programme.", credit: null });
    expect(await db.billingCredit.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("let viewers read but not submit, draft or comment (refused and audited)", async () => {
    const { org, members } = await customerOrg();
    const viewer = callerFor(members.VIEWER!.userId);
    const submitted = await requestIn(org.id, members.OWNER!.userId, "SUBMITTED");
    const before = await snapshot();
    const auditBefore = await db.auditEvent.count({ where: { chainKey: org.id } });
    expect(await submitInnovationRequest.run(viewer, complete(org.id))).toMatchObject({ ok: false, error: "errors.forbidden" });
    expect(await saveInnovationDraft.run(viewer, { orgId: org.id, title: "Mine", sector: "HEALTH", sensitivity: "OPEN" })).toMatchObject({ ok: false, error: "errors.forbidden" });
    expect(await commentOnInnovationRequest.run(viewer, { orgId: org.id, requestId: submitted.id, body: "Hello" })).toMatchObject({ ok: false, error: "errors.forbidden" });
    expect(await snapshot()).toEqual(before);
    const denied = await db.auditEvent.findMany({ where: { chainKey: org.id }, orderBy: { seq: "asc" }, skip: auditBefore });
    expect(denied.map((e) => [e.action, e.outcome, e.actorId])).toEqual([
      ["innovation.submit", "DENIED", members.VIEWER!.userId],
      ["innovation.save_draft", "DENIED", members.VIEWER!.userId],
      ["innovation.comment", "DENIED", members.VIEWER!.userId],
    ]);
    const membership = (await getMembershipBySlug(members.VIEWER!.userId, org.slug))!;
    expect((await listInnovationRequests(membership)).map((r) => r.id)).toEqual([submitted.id]);
  });

  it("keep each organisation's requests to itself: another organisation's id is not found", async () => {
    const a = await customerOrg();
    const b = await createOrg(["OWNER"]);
    const bOwner = callerFor(b.members.OWNER!.userId);
    const draft = await requestIn(a.org.id, a.members.OWNER!.userId, "DRAFT");
    const submitted = await requestIn(a.org.id, a.members.OWNER!.userId, "SUBMITTED");
    const before = await snapshot();
    // Through their own organisation, naming A's requests.
    expect(await commentOnInnovationRequest.run(bOwner, { orgId: b.org.id, requestId: submitted.id, body: "Peeking" })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await saveInnovationDraft.run(bOwner, { orgId: b.org.id, requestId: draft.id, title: "Hijack", sector: "HEALTH", sensitivity: "OPEN" })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await submitInnovationRequest.run(bOwner, { ...complete(b.org.id), requestId: draft.id })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await withdrawInnovationDraft.run(bOwner, { orgId: b.org.id, requestId: draft.id })).toMatchObject({ ok: false, error: "errors.notFound" });
    // Naming A itself: not a member.
    expect(await commentOnInnovationRequest.run(bOwner, { orgId: a.org.id, requestId: submitted.id, body: "Peeking" })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect(await snapshot()).toEqual(before);
    const bMembership = (await getMembershipBySlug(b.members.OWNER!.userId, b.org.slug))!;
    await expect(getInnovationRequest(bMembership, submitted.id)).rejects.toMatchObject({ code: "errors.notFound" });
    expect(await listInnovationRequests(bMembership)).toEqual([]);
  });

  it("refuse the operators' operations to everybody but operators, audited on the platform chain", async () => {
    const { org, members } = await customerOrg();
    const owner = callerFor(members.OWNER!.userId);
    const request = await requestIn(org.id, members.OWNER!.userId, "IN_REVIEW");
    const before = await snapshot();
    const attempts: Array<[{ name: string; run: (c: Caller, raw: unknown) => Promise<unknown> }, Record<string, string>]> = [
      [assignInnovationRequest, { requestId: request.id, assigneeId: members.OWNER!.userId }],
      [commentAsOperator, { requestId: request.id, body: "I am the provider now" }],
      [changeInnovationStatus, { requestId: request.id, status: "ACCEPTED", creditAmount: "1000000", creditUntil: "2030-12-31" }],
    ];
    for (const [operation, input] of attempts) {
      expect(await operation.run(owner, input)).toMatchObject({ ok: false, error: "errors.forbidden" });
      expect(await db.auditEvent.count({ where: { chainKey: "platform", action: operation.name, outcome: "DENIED", actorId: members.OWNER!.userId } })).toBe(1);
    }
    expect(await snapshot()).toEqual(before);
    await expect(listInnovationQueue(members.OWNER!.userId, { status: "all", assigned: "all" })).rejects.toMatchObject({ code: "errors.forbidden" });
    await expect(getInnovationRequestForOperator({ userId: members.OWNER!.userId, email: members.OWNER!.email }, request.id, meta)).rejects.toMatchObject({ code: "errors.forbidden" });
    // Assigning to somebody who is not an operator is refused too.
    const op = await operator();
    expect(await assignInnovationRequest.run(op.caller, { requestId: request.id, assigneeId: members.OWNER!.userId })).toMatchObject({ ok: false, fieldErrors: { assigneeId: "errors.assigneeNotOperator" } });
  });

  it("show operators a queue without drafts, oldest submission first, filtered by status and assignee", async () => {
    const { org, members } = await customerOrg();
    const op = await operator();
    const other = await operator("colleague");
    const draft = await requestIn(org.id, members.OWNER!.userId, "DRAFT");
    const older = await requestIn(org.id, members.OWNER!.userId, "SUBMITTED");
    await db.innovationRequest.update({ where: { id: older.id }, data: { submittedAt: new Date("2020-01-01T00:00:00Z") } });
    const mine = await requestIn(org.id, members.OWNER!.userId, "IN_REVIEW", op.id);
    const theirs = await requestIn(org.id, members.OWNER!.userId, "ACCEPTED", other.id);
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).filter((id) => [draft.id, older.id, mine.id, theirs.id].includes(id));

    expect(ids(await listInnovationQueue(op.id, { status: "open", assigned: "all" }))).toEqual([older.id, mine.id, theirs.id]);
    expect(ids(await listInnovationQueue(op.id, { status: "all", assigned: "me" }))).toEqual([mine.id]);
    expect(ids(await listInnovationQueue(op.id, { status: "all", assigned: "unassigned" }))).toEqual([older.id]);
    expect(ids(await listInnovationQueue(op.id, { status: "ACCEPTED", assigned: "all" }))).toEqual([theirs.id]);
    await expect(getInnovationRequestForOperator({ userId: op.id, email: op.email }, draft.id, meta)).rejects.toMatchObject({ code: "errors.notFound" });
    expect(await commentAsOperator.run(op.caller, { requestId: draft.id, body: "Saw your draft" })).toMatchObject({ ok: false, error: "errors.notFound" });
    expect((await getInnovationRequestForOperator({ userId: op.id, email: op.email }, mine.id, meta)).org).toMatchObject({ id: org.id, name: org.name });
    // Opening a request is in the organisation's audit log.
    expect(await db.auditEvent.count({ where: { chainKey: org.id, action: "operator.viewed_innovation_request", targetId: mine.id, actorId: op.id } })).toBe(1);

    // Handing a request to a colleague tells them (and the customer).
    const handover = await observe(org.id, mine.id, run(assignInnovationRequest, op.caller, { requestId: mine.id, assigneeId: other.id }));
    expect(handover.mail.map((m) => m.to)).toContain(other.email);
    expect(handover.mail.find((m) => m.to === other.email)?.subject).toBe(`Assigned to you: ${mine.title} (${org.name})`);
  });

  it("draw the agreed credit down on the organisation's monthly invoice", async () => {
    const { org, members } = await customerOrg();
    const op = await operator();
    const request = await requestIn(org.id, members.OWNER!.userId, "IN_REVIEW");
    expect(await changeInnovationStatus.run(op.caller, { requestId: request.id, status: "ACCEPTED", creditAmount: "10", creditFrom: "2026-10-01", creditUntil: "2026-12-31" })).toMatchObject({ ok: true });
    const creditId = (await db.innovationRequest.findUniqueOrThrow({ where: { id: request.id } })).creditId;
    const wb = await db.workbench.create({
      data: { orgId: org.id, createdById: members.OWNER!.userId, name: `wb-${randomBytes(3).toString("hex")}`, displayName: "Credit", imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8", regionId: "no-osl-1", storageGb: 10, idleTimeoutMinutes: 60, gpuMilli: 0, pricePerHourOre: 3900, status: "STOPPED", desiredState: "STOPPED" },
    });
    await db.$transaction((tx) =>
      storeUsage(tx, [{
        id: `rec-${randomBytes(8).toString("hex")}`, orgId: org.id, workbenchId: wb.id, userId: members.OWNER!.userId, project: "", shapeId: "cpu-8", regionId: "no-osl-1",
        intervalStart: new Date("2026-10-10T10:00:00Z"), intervalEnd: new Date("2026-10-10T11:00:00Z"), reservedSeconds: 3600, gpuSeconds: 0, energyWh: 1, storageGbHours: 0, pricePerHourOre: 3900,
      }]),
    );
    await closeMonth("2026-10", new Date("2026-11-01T01:00:00Z"));
    const invoice = await db.invoice.findFirstOrThrow({ where: { orgId: org.id, periodStart: new Date("2026-10-01") }, include: { lines: true } });
    const line = invoice.lines.find((l) => l.kind === "CREDIT");
    expect(line).toMatchObject({ creditId, netOre: -1000n, description: `GPU credit: joint-innovation project ${request.title}` });
  });
});
