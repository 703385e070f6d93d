// Generated bad input for every server-side entry point, on real PostgreSQL: every organisation
// operation (from the registry), every operator operation (found in the source), the public account
// functions (sign-up, password reset, invitations, two-factor, sessions, sign-in checks), every
// exported server action of every "use server" file, with what a browser could send, and every route
// handler (Auth.js's included) with garbage paths, query strings and cookies. Whatever arrives
// (wrong types, huge strings, treacherous unicode, missing or extra fields, out-of-range numbers and
// dates, another organisation's ids) the answer is a clear refusal: never a thrown exception (a 500),
// an error that is a message key of both catalogues (field errors on real fields), and the database
// exactly as it was. Audit events of refused attempts (outcome DENIED) are written on purpose and do
// not count as a change; nor does the sign-in rate-limit bookkeeping.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import type { z } from "zod";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";

// The server actions read the session, the request and the cookies through Next and Auth.js; here
// the test decides who is signed in, and nothing else about the request matters.
const session = vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "fuzz-test-auth-secret-0123456789abcdef";
  return { user: null as null | { userId: string; email: string; name: string; sessionId?: string } };
});
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "localhost:3000", "user-agent": "fuzz", "accept-language": "en" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false, set: () => undefined, delete: () => undefined }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));
// next-auth's entry imports next/server the way only Next's bundler resolves; the parts the
// configuration uses come from @auth/core, which next-auth re-exports unchanged.
vi.mock("next-auth", async () => ({ CredentialsSignin: (await import("@auth/core/errors")).CredentialsSignin }));
vi.mock("next-auth/providers/credentials", async () => import("@auth/core/providers/credentials"));
vi.mock("@/server/auth/auth", async () => {
  const { CredentialsSignin } = await import("@auth/core/errors");
  const { Auth } = await import("@auth/core");
  const { authConfig } = await import("@/server/auth/config");
  // Auth.js's own request handler with the portal's configuration, behind /api/auth/*.
  const quiet = { error: () => undefined, warn: () => undefined, debug: () => undefined };
  const handler = (request: Request) => Auth(request, { ...authConfig(), secret: process.env.AUTH_SECRET, basePath: "/api/auth", logger: quiet });
  return {
    SESSION_MAX_AGE_S: 3600,
    handlers: { GET: handler, POST: handler },
    auth: async () => null,
    // Credentials are fuzzed through checkCredentials itself; here every sign-in attempt fails.
    signIn: async () => {
      throw new CredentialsSignin();
    },
    signOut: async () => undefined,
  };
});
vi.mock("@/server/auth/session", async () => {
  const { meta } = await import("../fixtures");
  return {
    getSessionUser: async () => session.user,
    requireSessionUser: async () => session.user,
    requestMeta: async () => meta,
    currentCaller: async () => (session.user ? { userId: session.user.userId, sessionId: session.user.sessionId, meta } : null),
  };
});

import { db } from "@/server/db";
import { AppError } from "@/server/errors";
import { ORG_OPERATIONS } from "@/server/actions/registry";
import type { ActionResult, Caller } from "@/server/actions/define";
import { formInput, formList, isNextControlFlow } from "@/server/actions/form";
import type { FormState } from "@/server/actions/form-state";
import { translator } from "@/server/i18n/locales";
import { SHAPE_OFFERS, FACTOR_SET, FACTORS } from "@/prisma/catalogue-seed";
import { finaliseInvoice } from "@/server/billing/finalise";
import { BILLING_ACTOR } from "@/server/billing/close";
import { signUpOrganisation } from "@/server/auth/sign-up";
import { signUpSchema } from "@/server/orgs/schemas";
import { changePassword, changePasswordSchema, requestPasswordReset, resendVerification, resetPassword, resetPasswordSchema, verifyEmail } from "@/server/auth/account";
import { acceptInvitation, acceptInvitationWithNewAccount, acceptWithNewAccountSchema } from "@/server/members/invitations";
import { confirmTwoFactorEnrolment, disableTwoFactor, regenerateRecoveryCodes } from "@/server/auth/two-factor";
import { revokeSession } from "@/server/auth/sessions";
import { checkCredentials, checkSecondStep } from "@/server/auth/credentials";
import { openSnapshotter, diffSnapshots } from "@/scripts/resilience/db-snapshot";
import en from "@/messages/en.json";
import nb from "@/messages/nb.json";
import { EDGE_VALUES, FUZZ_RUNS_FACTOR, FUZZ_SEED, badValue, describeValue, hugeString, mutatedInput, nonObjectInput, setOwn, trickyString, wrongTypeValue } from "../fuzz-inputs";
import { callerFor, createOrg, createUser, meta } from "../fixtures";
import { startTestControlPlane } from "../control-plane-fixture";

/** Runs per operation and family: enough to reach every field with every kind of bad value, in about a minute for the file. */
/** Per test: generous, so that a longer exploration (FUZZ_RUNS) never leaves a run going after its test timed out. */
const TIMEOUT = 60_000 * FUZZ_RUNS_FACTOR;
const RUNS = Object.fromEntries(Object.entries({ bad: 30, crossOrg: 15, hostile: 10, account: 25, action: 10, route: 25 }).map(([k, n]) => [k, n * FUZZ_RUNS_FACTOR])) as Record<"bad" | "crossOrg" | "hostile" | "account" | "action" | "route", number>;

type Operation = { name: string; schema: z.ZodType; run(caller: Caller, raw: unknown): Promise<ActionResult<unknown>> };
type Input = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Clear errors
// ---------------------------------------------------------------------------------------------

function messageExists(catalog: unknown, key: string): boolean {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string";
}

/** A message key both catalogues translate, and not the generic "something went wrong". */
function clearMessageProblem(key: unknown): string | null {
  if (typeof key !== "string") return `message key is ${describeValue(key)}`;
  if (key === "errors.unexpected") return "the generic errors.unexpected (an unexpected failure inside)";
  if (!messageExists(en, key) || !messageExists(nb, key)) return `${key} is missing from messages/en.json or messages/nb.json`;
  return null;
}

/** The top-level fields a schema reads (through pipes, transforms, refinements and optionals). */
function fieldsOf(schema: z.ZodType): string[] {
  const def = (schema as unknown as { def: { type: string; shape?: Record<string, unknown>; in?: z.ZodType; innerType?: z.ZodType } }).def;
  if (def.type === "object" && def.shape) return Object.keys(def.shape);
  if (def.type === "pipe" && def.in) return fieldsOf(def.in);
  if (def.innerType) return fieldsOf(def.innerType);
  return [];
}

/** Problems with a failed result: not a clear message, field errors on fields the form does not have. */
function failureProblems(result: { error: unknown; fieldErrors?: Record<string, unknown>; params?: Record<string, unknown> }, fields: readonly string[]): string[] {
  const problems: string[] = [];
  const main = clearMessageProblem(result.error);
  if (main) problems.push(main);
  for (const [field, key] of Object.entries(result.fieldErrors ?? {})) {
    if (field !== "_form" && !fields.includes(field.split(".")[0]!)) problems.push(`field error on "${field}", which is not a field (${fields.join(", ")})`);
    const problem = clearMessageProblem(key);
    if (problem) problems.push(`field ${field}: ${problem}`);
  }
  for (const [name, value] of Object.entries(result.params ?? {})) {
    if (typeof value !== "string" && typeof value !== "number") problems.push(`param ${name} is ${describeValue(value)}`);
  }
  return problems;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** True when zod refuses the input (a schema that throws on it refuses it too). */
function rejects(schema: z.ZodType, input: unknown): boolean {
  try {
    return !schema.safeParse(input).success;
  } catch {
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// The database must not change
// ---------------------------------------------------------------------------------------------

let snapshotter: Awaited<ReturnType<typeof openSnapshotter>>;
let baseline: Map<string, string>;

/** Compares the database with the last accepted state; a difference becomes the new baseline and a problem. */
async function changesSinceBaseline(): Promise<string[]> {
  const now = await snapshotter.snapshot();
  const diff = diffSnapshots(baseline, now);
  baseline = now;
  return diff;
}

/** Accepts whatever the database holds now (after fixtures, or a legitimate change). */
async function acceptCurrentState(): Promise<void> {
  baseline = await snapshotter.snapshot();
}

/** Runs a fast-check property with the fixed seed; a failure reports the input briefly (no megabyte strings). */
async function check<T>(label: string, arbitrary: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => Promise<string[]>): Promise<void> {
  let last: { input: T; problems: string[] } | null = null;
  const outcome = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      const problems = await predicate(value);
      if (problems.length > 0) {
        last = { input: value, problems };
        return false;
      }
      return true;
    }),
    { seed: FUZZ_SEED, numRuns, endOnFailure: true, maxSkipsPerRun: 1000 },
  );
  if (outcome.failed) {
    const failure = last as { input: T; problems: string[] } | null;
    const detail = failure ? `input ${describeValue(failure.input)}\n  ${failure.problems.join("\n  ")}` : String(outcome.errorInstance);
    throw new Error(`${label}: ${detail}\n(seed ${FUZZ_SEED}, ${outcome.numRuns} runs)`);
  }
}

/** Calls an operation and checks the whole contract: no throw, a clear refusal, nothing changed. */
async function refusedCleanly(operation: Operation, caller: Caller, input: unknown, fields: readonly string[], expectedError?: string): Promise<string[]> {
  let result: ActionResult<unknown>;
  try {
    result = await operation.run(caller, input);
  } catch (error) {
    return [`run() threw ${String(error)}`];
  }
  const problems: string[] = [];
  if (result.ok) problems.push(`accepted: ${describeValue(result.data)}`);
  else {
    problems.push(...failureProblems(result, fields));
    if (expectedError && result.error !== expectedError) problems.push(`error ${result.error}, expected ${expectedError}`);
  }
  problems.push(...(await changesSinceBaseline()).map((d) => `database changed: ${d}`));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Fixtures: organisation A (the caller owns it), organisation B (someone else's), an operator
// ---------------------------------------------------------------------------------------------

const uid = () => randomBytes(4).toString("hex");

/** An organisation with one of each resource an operation can name. */
async function orgWithResources() {
  const fx = await createOrg(["OWNER"]);
  const orgId = fx.org.id;
  const owner = fx.members.OWNER!;
  const target = await createUser("target");
  const targetMembership = await db.membership.create({ data: { orgId, userId: target.id, role: "VIEWER" } });
  const invitation = await db.invitation.create({
    data: { orgId, email: `pending-${uid()}@example.no`, role: "VIEWER", tokenHash: `hash-${uid()}${uid()}`, expiresAt: new Date(Date.now() + 86_400_000), invitedById: owner.userId },
  });
  const workbench = (status: "RUNNING" | "STOPPED") =>
    db.workbench.create({
      data: {
        orgId, createdById: owner.userId, name: `wb-${uid()}`, displayName: "Fuzz", imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8", regionId: "no-osl-1",
        storageGb: 10, idleTimeoutMinutes: 60, gpuMilli: 0, pricePerHourOre: 240, status, desiredState: status,
      },
    });
  const running = await workbench("RUNNING");
  const stopped = await workbench("STOPPED");
  const draftInvoice = await db.invoice.create({
    data: {
      orgId, periodStart: new Date("2026-10-01"), periodEnd: new Date("2026-11-01"), buyerReference: "REF", netOre: 3900n, vatOre: 975n, totalOre: 4875n,
      lines: { create: [{ position: 1, kind: "COMPUTE", description: "1 x NVIDIA H100 SXM 80GB (h100-1x)", shapeId: "h100-1x", project: "General", quantity: "1.000000", unitCode: "HUR", unitPriceOre: "3900", netOre: 3900n, vatPercent: 25 }] },
    },
  });
  await finaliseInvoice(draftInvoice.id, { actor: BILLING_ACTOR, now: new Date("2026-11-04T06:00:00Z") });
  const budget = await db.budget.create({ data: { orgId, project: "", monthlyOre: 1_000_000n } });
  const innovation = (status: "DRAFT" | "SUBMITTED") =>
    db.innovationRequest.create({
      data: { orgId, createdById: owner.userId, title: `Fuzz ${status.toLowerCase()}`, problem: "", outcome: "", sector: "HEALTH", sensitivity: "INTERNAL", status, submittedAt: status === "SUBMITTED" ? new Date() : null },
    });
  const draft = await innovation("DRAFT");
  const submitted = await innovation("SUBMITTED");
  const deletion = await db.deletionRequest.create({ data: { orgId, requestedById: owner.userId } });
  const userSession = await db.userSession.create({ data: { userId: owner.userId, method: "password", ip: "198.51.100.7", userAgent: "fuzz", expiresAt: new Date(Date.now() + 86_400_000) } });
  const ids = {
    membership: targetMembership.id, ownerMembership: owner.membershipId, invitation: invitation.id, running: running.id, stopped: stopped.id, invoice: draftInvoice.id,
    budget: budget.id, draft: draft.id, submitted: submitted.id, deletion: deletion.id, session: userSession.id, user: target.id,
  };
  return { org: fx.org, owner, ids };
}
type OrgResources = Awaited<ReturnType<typeof orgWithResources>>;

/** A valid input for each organisation operation, naming the given organisation's resources. */
const ORG_TEMPLATES: Record<keyof typeof ORG_OPERATIONS, (r: OrgResources) => Input> = {
  inviteMemberAction: (r) => ({ orgId: r.org.id, email: `invitee-${uid()}@example.no`, role: "VIEWER" }),
  revokeInvitationAction: (r) => ({ orgId: r.org.id, invitationId: r.ids.invitation }),
  resendInvitationAction: (r) => ({ orgId: r.org.id, invitationId: r.ids.invitation }),
  changeMemberRoleAction: (r) => ({ orgId: r.org.id, membershipId: r.ids.membership, role: "DATA_SCIENTIST" }),
  removeMemberAction: (r) => ({ orgId: r.org.id, membershipId: r.ids.membership }),
  updateOrganisationAction: (r) => ({ orgId: r.org.id, orgName: "Renamed Org", sector: "FINANCE", billingStreet: "Ny gate 2", billingPostalCode: "5003", billingCity: "Bergen", buyerReference: "NEW-REF" }),
  launchNotebookAction: (r) => ({ orgId: r.org.id, displayName: "Fuzz launch", project: "General", imageId: "jupyter-minimal-2025.2", shapeId: "cpu-8", regionId: "no-osl-1", storageGb: "10", idleTimeoutMinutes: "60" }),
  stopNotebookAction: (r) => ({ orgId: r.org.id, workbenchId: r.ids.running }),
  startNotebookAction: (r) => ({ orgId: r.org.id, workbenchId: r.ids.stopped }),
  deleteNotebookAction: (r) => ({ orgId: r.org.id, workbenchId: r.ids.running }),
  approveInvoiceAction: (r) => ({ orgId: r.org.id, invoiceId: r.ids.invoice }),
  disputeInvoiceAction: (r) => ({ orgId: r.org.id, invoiceId: r.ids.invoice, reason: "Hours billed twice for the same notebook." }),
  updateBillingSettingsAction: (r) => ({ orgId: r.org.id, buyerReference: "NEW-REF", orderReference: "PO-77", invoiceApprovals: "2" }),
  setBudgetAction: (r) => ({ orgId: r.org.id, project: "Fuzz", amount: "12 500,50", hardStop: "on" }),
  deleteBudgetAction: (r) => ({ orgId: r.org.id, budgetId: r.ids.budget }),
  setTwoFactorRequirementAction: (r) => ({ orgId: r.org.id, requireTotp: "on" }),
  saveInnovationDraftAction: (r) => ({ orgId: r.org.id, requestId: r.ids.draft, title: "Fuzz draft", sector: "HEALTH", sensitivity: "CONFIDENTIAL" }),
  submitInnovationRequestAction: (r) => ({
    orgId: r.org.id, requestId: r.ids.draft, title: "Fuzz project", problem: "Radiology referrals wait weeks for triage.", outcome: "A model that ranks referrals by urgency.",
    sector: "HEALTH", sensitivity: "RESTRICTED", shapeId: "h100-1x", gpuQuantity: "2", durationValue: "500", durationUnit: "HOURS", startDate: "2027-01-04", endDate: "2027-06-30",
    contactName1: "Kari Nordmann", contactEmail1: "kari@example.no", contactRole1: "Project lead",
  }),
  commentOnInnovationRequestAction: (r) => ({ orgId: r.org.id, requestId: r.ids.submitted, body: "Here is the data-protection impact assessment." }),
  withdrawInnovationDraftAction: (r) => ({ orgId: r.org.id, requestId: r.ids.draft }),
  requestDeletionAction: (r) => ({ orgId: r.org.id, reason: "We are moving the project to another provider." }),
  cancelDeletionAction: (r) => ({ orgId: r.org.id, requestId: r.ids.deletion }),
};

/** A valid input for each operator operation (by its exported name), against the given organisation. */
const OPERATOR_TEMPLATES: Record<string, (r: OrgResources, operatorId: string) => Input> = {
  changeOrgStatus: (r) => ({ orgId: r.org.id, transition: "suspend", reason: "Suspended while fuzzing." }),
  setOrgLimits: (r) => ({ orgId: r.org.id, gpuQuota: "4", shapes: ["h100-1x", "cpu-8"] }),
  // A small amount, so that many credit notes fit in the invoice.
  issueCreditNoteByOperator: (r) => ({ invoiceId: r.ids.invoice, reason: "Credit for a disputed line.", amount: "0,01" }),
  updateShapeOffer: () => ({ shapeId: "cpu-8", price: "2,40", available: "on" }),
  publishFactor: () => ({ key: "grid.location.NO", value: "16", source: "NVE electricity disclosure 2024", year: "2024" }),
  assignInnovationRequest: (r, operatorId) => ({ requestId: r.ids.submitted, assigneeId: operatorId }),
  commentAsOperator: (r) => ({ requestId: r.ids.submitted, body: "Could you share the expected data volume?" }),
  // Accepting with a credit (the request is put in review first where it must succeed).
  changeInnovationStatus: (r) => ({ requestId: r.ids.submitted, status: "ACCEPTED", note: "", creditAmount: "50 000", creditFrom: "2027-01-01", creditUntil: "2027-12-31" }),
  approveDeletion: (r) => ({ requestId: r.ids.deletion, note: "Approved after checking the contract." }),
  rejectDeletion: (r) => ({ requestId: r.ids.deletion, note: "Invoices are still open." }),
  completeDeletion: (r) => ({ requestId: r.ids.deletion, note: "" }),
};

// ---------------------------------------------------------------------------------------------
// Discovery: every operation and every server action, from the source
// ---------------------------------------------------------------------------------------------

const SERVER_FILES = readdirSync("server", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => join("server", f));

/** Exports declared with `export const X = <definer>(`, per file. */
function declared(definer: string): Array<{ file: string; exportName: string }> {
  const pattern = new RegExp(`export const (\\w+) = ${definer}\\(`, "g");
  return SERVER_FILES.flatMap((file) => [...readFileSync(file, "utf8").matchAll(pattern)].map((m) => ({ file, exportName: m[1]! })));
}

async function loadExport(file: string, name: string): Promise<unknown> {
  const mod = (await import(/* @vite-ignore */ join(process.cwd(), file))) as Record<string, unknown>;
  return mod[name];
}

const USE_SERVER_FILES = SERVER_FILES.filter((f) => /^\s*(\/\/.*\n\s*)*["']use server["']/.test(readFileSync(f, "utf8")));

// ---------------------------------------------------------------------------------------------

let A: OrgResources;
let B: OrgResources;
let ownerA: Caller;
let operator: { id: string; email: string; name: string };
let operatorCaller: Caller;
/** Every operator operation defined anywhere under server/ (a new one is fuzzed as soon as it exists). */
const operatorOps: Array<{ exportName: string; operation: Operation }> = await Promise.all(
  declared("defineOperatorOperation").map(async ({ file, exportName }) => ({ exportName, operation: (await loadExport(file, exportName)) as Operation })),
);
let cp: Awaited<ReturnType<typeof startTestControlPlane>> | undefined;
const startedAt = performance.now();

beforeAll(async () => {
  for (const offer of SHAPE_OFFERS) await db.shapeOffer.upsert({ where: { shapeId: offer.shapeId }, create: offer, update: {} });
  if (!(await db.carbonFactorSet.findUnique({ where: { id: FACTOR_SET.id } }))) await db.carbonFactorSet.create({ data: { ...FACTOR_SET, factors: { create: FACTORS } } });
  cp = await startTestControlPlane();
  A = await orgWithResources();
  B = await orgWithResources();
  ownerA = { ...callerFor(A.owner.userId), sessionId: A.ids.session };
  const op = await createUser("operator");
  await db.user.update({ where: { id: op.id }, data: { platformRole: "OPERATOR" } });
  operator = { id: op.id, email: op.email, name: op.name };
  operatorCaller = callerFor(op.id);
  snapshotter = await openSnapshotter(process.env.DATABASE_URL!);
  await acceptCurrentState();
});

afterAll(async () => {
  await snapshotter?.close();
  await cp?.close();
  console.info(`[fuzz] ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
});

describe("coverage", () => {
  it("has a valid input for every organisation operation, and the registry holds every one defined", async () => {
    expect(Object.keys(ORG_TEMPLATES).sort()).toEqual(Object.keys(ORG_OPERATIONS).sort());
    const registered = new Set<unknown>(Object.values(ORG_OPERATIONS));
    for (const { file, exportName } of declared("defineOrgOperation")) {
      expect(registered.has(await loadExport(file, exportName)), `${file}: ${exportName} is not in ORG_OPERATIONS`).toBe(true);
    }
    for (const [name, template] of Object.entries(ORG_TEMPLATES)) {
      const operation = ORG_OPERATIONS[name as keyof typeof ORG_OPERATIONS] as unknown as Operation;
      expect(operation.schema.safeParse(template(A)).success, `${name}: the template must be valid`).toBe(true);
    }
  });

  it("has a valid input for every operator operation defined anywhere", () => {
    expect(operatorOps.length).toBeGreaterThanOrEqual(11);
    for (const { exportName, operation } of operatorOps) {
      const template = OPERATOR_TEMPLATES[exportName];
      expect(template, `no template for the operator operation ${exportName}: add one to OPERATOR_TEMPLATES`).toBeDefined();
      expect(operation.schema.safeParse(template!(A, operator.id)).success, `${exportName}: the template must be valid`).toBe(true);
    }
  });
});

describe("organisation operations refuse bad input cleanly", () => {
  for (const [name, op] of Object.entries(ORG_OPERATIONS)) {
    const operation = op as unknown as Operation;
    it(`${name}: wrong types, huge strings, unicode, missing and extra fields`, async () => {
      const template = ORG_TEMPLATES[name as keyof typeof ORG_OPERATIONS](A);
      const fields = fieldsOf(operation.schema);
      await acceptCurrentState();
      await check(name, mutatedInput(template, fields).filter((input) => rejects(operation.schema, input)), RUNS.bad, (input) => refusedCleanly(operation, ownerA, input, fields));
    }, TIMEOUT);
  }
});

describe("organisation operations refuse another organisation's ids", () => {
  for (const [name, op] of Object.entries(ORG_OPERATIONS)) {
    const operation = op as unknown as Operation;
    it(`${name}: as the owner of A, naming B or B's resources`, async () => {
      const templateB = ORG_TEMPLATES[name as keyof typeof ORG_OPERATIONS](B);
      const fields = fieldsOf(operation.schema);
      const bIds = Object.values(B.ids);
      // Fields that name one of B's resources; any of B's ids there must be "not found", in A or in B.
      const refFields = Object.keys(templateB).filter((k) => k !== "orgId" && bIds.includes(templateB[k] as string));
      const arbitrary = fc
        .record({
          orgId: refFields.length > 0 ? fc.constantFrom(A.org.id, B.org.id) : fc.constant(B.org.id),
          refs: fc.tuple(...refFields.map(() => fc.constantFrom(...bIds))),
        })
        .map(({ orgId, refs }) => {
          const input: Input = { ...templateB, orgId };
          refFields.forEach((field, i) => (input[field] = refs[i]));
          return input;
        });
      await acceptCurrentState();
      await check(name, arbitrary, RUNS.crossOrg, async (input) => {
        if (!operation.schema.safeParse(input).success) return [`the cross-organisation input must be valid: ${describeValue(input)}`];
        return refusedCleanly(operation, ownerA, input, fields, "errors.notFound");
      });
    }, TIMEOUT);
  }
});

describe("operator operations refuse bad input cleanly", () => {
  for (const { exportName, operation } of operatorOps) {
    it(`${exportName}: wrong types, huge strings, unicode, missing and extra fields`, async () => {
      const template = OPERATOR_TEMPLATES[exportName]?.(A, operator.id);
      if (!template) throw new Error(`no template for the operator operation ${exportName}`);
      const fields = fieldsOf(operation.schema);
      await acceptCurrentState();
      await check(exportName, mutatedInput(template, fields).filter((input) => rejects(operation.schema, input)), RUNS.bad, (input) =>
        refusedCleanly(operation, operatorCaller, input, fields),
      );
    }, TIMEOUT);
  }
});

/**
 * Valid inputs with treacherous text (NUL, lone surrogates, bidi overrides, emoji, combining marks) or
 * edge values (year 0, 9999-12-31, 2^31, "-0"...) wherever the schema lets them through: accepted, or
 * refused with a clear error and nothing written (never a database error). They run in a sandbox
 * organisation whose resources are put back in a state the operation can act on after every success
 * (a submitted draft is a draft again, a suspended organisation active again...), so that each input
 * really reaches the database.
 */
describe("hostile but well-formed input", () => {
  const freeText = "Tekst æøå 💥 e\u0301";
  let sandbox: OrgResources;
  let sandboxCaller: Caller;

  beforeAll(async () => {
    sandbox = await orgWithResources();
    sandboxCaller = { ...callerFor(sandbox.owner.userId), sessionId: sandbox.ids.session };
  });

  /** Puts the sandbox's resources back where `operation` can succeed on them. */
  async function reset(operation: string) {
    const orgId = sandbox.org.id;
    await db.organization.update({ where: { id: orgId }, data: { status: "ACTIVE", requireTotp: false, allowedShapes: [], gpuQuota: 8 } });
    await db.invoice.update({ where: { id: sandbox.ids.invoice }, data: { status: "ISSUED" } });
    await db.innovationRequest.update({ where: { id: sandbox.ids.draft }, data: { status: "DRAFT" } });
    await db.innovationRequest.update({ where: { id: sandbox.ids.submitted }, data: { status: operation === "changeInnovationStatus" ? "IN_REVIEW" : "SUBMITTED" } });
    await db.deletionRequest.updateMany({ where: { orgId, id: { not: sandbox.ids.deletion } }, data: { status: "CANCELLED" } });
    await db.deletionRequest.update({ where: { id: sandbox.ids.deletion }, data: { status: operation === "completeDeletion" ? "APPROVED" : "REQUESTED" } });
    await acceptCurrentState();
  }

  async function hostile(label: string, operation: Operation, caller: Caller, template: Input) {
    const fields = fieldsOf(operation.schema);
    const lets = (field: string, value: string) => !rejects(operation.schema, { ...template, [field]: value });
    // Free text fields take treacherous text; fields of numbers, dates and amounts (not references) take every edge value they let through.
    const textFields = fields.filter((f) => lets(f, freeText));
    const edgeInputs = fields
      .filter((f) => !textFields.includes(f) && !/Id$/.test(f))
      .flatMap((f) => EDGE_VALUES.filter((edge) => lets(f, edge)).map((edge) => ({ ...template, [f]: edge })));
    const attempt = async (input: Input): Promise<string[]> => {
      let result: ActionResult<unknown>;
      try {
        result = await operation.run(caller, input);
      } catch (error) {
        return [`run() threw ${String(error)}`];
      }
      if (result.ok) {
        await reset(label);
        return [];
      }
      return [...failureProblems(result, fields), ...(await changesSinceBaseline()).map((d) => `refused but the database changed: ${d}`)];
    };
    await reset(label);
    for (const input of edgeInputs) {
      const problems = await attempt(input);
      if (problems.length > 0) throw new Error(`${label}: input ${describeValue(input)}\n  ${problems.join("\n  ")}`);
    }
    if (textFields.length === 0) return;
    const text = fc.oneof(fc.tuple(fc.constantFrom("", "Ok ", "Tekst "), trickyString).map(([prefix, t]) => `${prefix}${t}`), fc.constantFrom(...EDGE_VALUES));
    const arbitrary = fc
      .record({ field: fc.constantFrom(...textFields), text })
      .map(({ field, text }) => ({ ...template, [field]: text }))
      .filter((input) => !rejects(operation.schema, input));
    await check(label, arbitrary, RUNS.hostile, attempt);
  }

  for (const [name, op] of Object.entries(ORG_OPERATIONS)) {
    it(name, async () => {
      await hostile(name, op as unknown as Operation, sandboxCaller, ORG_TEMPLATES[name as keyof typeof ORG_OPERATIONS](sandbox));
    }, TIMEOUT);
  }

  for (const { exportName, operation } of operatorOps) {
    it(`${exportName} (operator)`, async () => {
      const template = OPERATOR_TEMPLATES[exportName];
      if (!template) throw new Error(`no template for the operator operation ${exportName}`);
      await hostile(exportName, operation, operatorCaller, template(sandbox, operator.id));
    }, TIMEOUT);
  }
});

// ---------------------------------------------------------------------------------------------
// Public account functions: sign-up, password reset, e-mail verification, invitations, two-factor,
// sessions and the sign-in checks. Their templates name nobody real (unknown e-mail, token, session),
// so that even a valid input changes nothing; only sign-up would really create something.
// ---------------------------------------------------------------------------------------------

interface AccountEntry {
  name: string;
  template: () => Input;
  fields: string[];
  /** Only inputs this schema refuses (where a valid input would legitimately create something). */
  schema?: z.ZodType;
  call(raw: unknown): Promise<unknown>;
}

const token = () => randomBytes(24).toString("base64url");

/** The account functions, called as the owner of A where they need a user (A and B are read when called). */
const ACCOUNT_ENTRIES: AccountEntry[] = [
  {
    name: "signUpOrganisation", schema: signUpSchema, fields: fieldsOf(signUpSchema),
    template: () => ({ orgName: "Fuzz AS", sector: "RESEARCH", billingStreet: "Gate 1", billingPostalCode: "0150", billingCity: "Oslo", buyerReference: "REF", orgNumber: "923609016", name: "Kari", email: `new-${uid()}@example.no`, password: "correct horse battery staple", acceptDpa: "on" }),
    call: (raw) => signUpOrganisation(raw, meta),
  },
  { name: "requestPasswordReset", fields: ["email"], template: () => ({ email: `nobody-${uid()}@example.no` }), call: (raw) => requestPasswordReset(raw, meta) },
  { name: "resendVerification", fields: ["email"], template: () => ({ email: `nobody-${uid()}@example.no` }), call: (raw) => resendVerification(raw, meta) },
  { name: "verifyEmail", fields: ["token"], template: () => ({ token: token() }), call: (raw) => verifyEmail(raw, meta) },
  { name: "resetPassword", fields: fieldsOf(resetPasswordSchema), template: () => ({ token: token(), password: "a new long password", confirm: "a new long password" }), call: (raw) => resetPassword(raw, meta) },
  { name: "changePassword", fields: fieldsOf(changePasswordSchema), template: () => ({ currentPassword: "not the password", password: "a new long password", confirm: "a new long password" }), call: (raw) => changePassword(A.owner.userId, raw, meta) },
  { name: "acceptInvitation", fields: ["token"], template: () => ({ token: token() }), call: (raw) => acceptInvitation(A.owner.userId, raw, meta) },
  { name: "acceptInvitationWithNewAccount", fields: fieldsOf(acceptWithNewAccountSchema), template: () => ({ token: token(), name: "Ola", password: "a new long password", confirm: "a new long password" }), call: (raw) => acceptInvitationWithNewAccount(raw, meta) },
  { name: "confirmTwoFactorEnrolment", fields: ["code"], template: () => ({ code: "123456" }), call: (raw) => confirmTwoFactorEnrolment(A.owner.userId, A.ids.session, raw, meta) },
  { name: "regenerateRecoveryCodes", fields: ["code"], template: () => ({ code: "123456" }), call: (raw) => regenerateRecoveryCodes(A.owner.userId, raw, meta) },
  { name: "disableTwoFactor", fields: ["password", "code"], template: () => ({ password: "not the password", code: "123456" }), call: (raw) => disableTwoFactor(A.owner.userId, raw, meta) },
  { name: "revokeSession (another user's session)", fields: ["sessionId"], template: () => ({ sessionId: B.ids.session }), call: (raw) => revokeSession(A.owner.userId, raw, meta) },
];

describe("public account functions refuse bad input cleanly", () => {
  for (const entry of ACCOUNT_ENTRIES) {
    it(`${entry.name}: a clear error (or the same neutral answer), nothing written`, async () => {
      const base = entry.template();
      const arbitrary = fc.oneof(
        { weight: 4, arbitrary: mutatedInput(base, entry.fields) },
        { weight: 1, arbitrary: fc.constant(base) },
      ).filter((input) => !entry.schema || rejects(entry.schema, input));
      await acceptCurrentState();
      await check(entry.name, arbitrary, RUNS.account, async (input) => {
        const problems: string[] = [];
        try {
          await entry.call(input);
        } catch (error) {
          if (!(error instanceof AppError)) problems.push(`threw ${String(error)}`);
          else problems.push(...failureProblems({ error: error.code, fieldErrors: error.fieldErrors, params: error.params }, entry.fields));
        }
        problems.push(...(await changesSinceBaseline()).map((d) => `database changed: ${d}`));
        return problems;
      });
    }, TIMEOUT);
  }

  it("sign-in checks refuse garbage credentials and challenges without writing (beyond the rate limit)", async () => {
    await acceptCurrentState();
    const fields = ["email", "password"];
    await check("checkCredentials", mutatedInput({ email: A.owner.email, password: "not the password" }, fields), RUNS.account, async (input) => {
      const outcome = await checkCredentials(input, meta).catch((error: unknown) => ({ ok: "threw", error: String(error) }));
      return [...(outcome.ok === false ? [] : [`outcome ${describeValue(outcome)}`]), ...(await changesSinceBaseline()).map((d) => `database changed: ${d}`)];
    });
    const challenge = fc.oneof(trickyString, hugeString, fc.string(), fc.base64String({ maxLength: 300 }));
    await check("checkSecondStep", fc.oneof(fc.record({ challenge, code: fc.oneof(fc.constant("123456"), trickyString) }), mutatedInput({ challenge: "x".repeat(40), code: "123456" }, ["challenge", "code"])), RUNS.account, async (input) => {
      const outcome = await checkSecondStep(input, meta).catch((error: unknown) => ({ ok: "threw", error: String(error) }));
      return [...(outcome.ok === false ? [] : [`outcome ${describeValue(outcome)}`]), ...(await changesSinceBaseline()).map((d) => `database changed: ${d}`)];
    });
  }, TIMEOUT);
});

// ---------------------------------------------------------------------------------------------
// Every exported server action, with arguments a browser (or anyone with curl) can send: a form
// with garbage fields, or no form at all. Called signed out, as the owner of A and as an operator.
// ---------------------------------------------------------------------------------------------

/** Actions without input: with a session they do their job whatever arrives, so only their signed-out call must change nothing. */
const INPUTLESS = new Set(["signOutAction", "signOutEverywhereAction", "startTwoFactorAction", "cancelTwoFactorAction", "revokeOtherSessionsAction", "oidcSignInAction"]);

/** A FormData a browser would post: each value as text (arrays as repeated fields), sometimes a file. */
function toFormData(input: unknown): FormData {
  const form = new FormData();
  if (!isObject(input)) {
    form.append("value", String(input as string));
    return form;
  }
  for (const [key, value] of Object.entries(input)) {
    if (Array.isArray(value)) for (const v of value) form.append(key, String(v));
    else if (value instanceof Date || typeof value === "bigint") form.append(key, String(value));
    else form.append(key, typeof value === "string" ? value : JSON.stringify(value) ?? "undefined");
  }
  return form;
}

/** Every exported function of every "use server" file under server/ (each is a public endpoint). */
const SERVER_ACTIONS: Array<{ file: string; exportName: string; fn: (...args: unknown[]) => Promise<unknown> }> = (
  await Promise.all(
    USE_SERVER_FILES.map(async (file) => {
      const mod = (await import(/* @vite-ignore */ join(process.cwd(), file))) as Record<string, unknown>;
      return Object.entries(mod)
        .filter(([, fn]) => typeof fn === "function")
        .map(([exportName, fn]) => ({ file, exportName, fn: fn as (...args: unknown[]) => Promise<unknown> }));
    }),
  )
).flat();

describe("server actions refuse bad arguments cleanly", () => {
  it("finds every server action", () => {
    expect(USE_SERVER_FILES).toContain("server/notebooks/actions.ts");
    expect(SERVER_ACTIONS.length).toBeGreaterThanOrEqual(50);
  });

  for (const { file, exportName, fn } of SERVER_ACTIONS) {
    it(`${file}: ${exportName}`, async () => {
      const unexpectedText = translator("en")("errors.unexpected");
      const genericTemplate: Input = { orgId: A.org.id, email: `nobody-${uid()}@example.no`, password: "not the password", token: token(), code: "123456", name: "Kari", locale: "xx", callbackUrl: "//evil.example", returnTo: "https://evil.example" };
      // The operation behind the action, when there is one: its valid input is spoiled, and only refused inputs are kept.
      const orgOp = ORG_OPERATIONS[exportName as keyof typeof ORG_OPERATIONS] as unknown as Operation | undefined;
      const opEntry = operatorOps.find((o) => `${o.exportName.replace(/ByOperator$/, "")}Action` === exportName);
      const operation = orgOp ?? opEntry?.operation;
      const template = orgOp ? ORG_TEMPLATES[exportName as keyof typeof ORG_OPERATIONS](A) : opEntry ? OPERATOR_TEMPLATES[opEntry.exportName]!(A, operator.id) : genericTemplate;
      const fields = operation ? fieldsOf(operation.schema) : Object.keys(template);
      const form = mutatedInput(template, fields)
        .map(toFormData)
        .filter((fd) => !operation || rejects(operation.schema, exportName === "setOrgLimitsAction" ? { ...formInput(fd), shapes: formList(fd, "shapes") } : formInput(fd)));
      const argument = fc.oneof({ weight: 3, arbitrary: form }, { weight: 2, arbitrary: fc.oneof(wrongTypeValue(), nonObjectInput(), trickyString, badValue()) });
      const who = fc.constantFrom<"signed out" | "owner" | "operator">("signed out", "owner", "operator");
      await acceptCurrentState();
      await check(`${file}: ${exportName}`, fc.record({ who, argument, prev: fc.oneof(fc.constant({ status: "idle" }), wrongTypeValue()) }), RUNS.action, async ({ who, argument, prev }) => {
        session.user = who === "owner" ? { userId: A.owner.userId, email: A.owner.email, name: "Owner", sessionId: A.ids.session } : who === "operator" ? { userId: operator.id, email: operator.email, name: operator.name } : null;
        const problems: string[] = [];
        try {
          const state = (await fn(...(fn.length >= 2 ? [prev, argument] : [argument]))) as FormState | undefined;
          if (state !== undefined) {
            if (!isObject(state) || !["idle", "ok", "error"].includes(String(state.status))) problems.push(`returned ${describeValue(state)}`);
            else if (state.status === "error" && (typeof state.message !== "string" || state.message === "" || state.message === unexpectedText)) problems.push(`unclear message ${describeValue(state.message)}`);
            else if (state.status === "error" && Object.values(state.fieldErrors ?? {}).includes(unexpectedText)) problems.push(`unclear field error ${describeValue(state.fieldErrors)}`);
          }
        } catch (error) {
          if (!isNextControlFlow(error)) problems.push(`threw ${String(error)}`);
        } finally {
          session.user = null;
        }
        const changes = await changesSinceBaseline();
        if (!(INPUTLESS.has(exportName) && who !== "signed out")) problems.push(...changes.map((d) => `database changed: ${d}`));
        return problems;
      });
    }, TIMEOUT);
  }
});

// ---------------------------------------------------------------------------------------------
// Route handlers (downloads, exports, polling APIs), called in process as the owner of A: garbage
// query strings, and path parameters naming B, B's resources or nothing sensible (Auth.js's endpoints:
// its real actions and nonsense, with garbage cookies). Never a 5xx, never a body that breaks off
// half-way (a stream failing after its headers), never a change.
// ---------------------------------------------------------------------------------------------

/** encodeURIComponent that also takes lone surrogates (sent as the bytes a hostile client would). */
function encodeURIComponentSafe(text: string): string {
  return text.isWellFormed() ? encodeURIComponent(text) : encodeURIComponent(text.toWellFormed()).replace(/%EF%BF%BD/g, "%ED%A0%80");
}

const ROUTE_FILES = readdirSync("app", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith("route.ts"))
  .map((f) => join("app", f))
  .sort();

/**
 * Routes whose legitimate call writes (an audited export; the notebook list, refreshed from the control
 * plane): called only for other organisations, whose refusal must write nothing.
 */
const WRITING_ROUTES = ["sovereignty/export/route.ts", "notebooks/route.ts"];

const QUERY_KEYS = ["from", "to", "project", "user", "workbench", "shape", "granularity", "format", "year", "action", "actor", "outcome", "page", "callbackUrl", "error"];
const AUTH_ACTIONS = ["session", "csrf", "providers", "signin", "signin/credentials", "signin/oidc", "callback/credentials", "callback/oidc", "signout", "error", "verify-request", "x"];

describe("route handlers answer garbage without a 5xx", () => {
  it("finds the route handlers", () => {
    expect(ROUTE_FILES.length).toBeGreaterThanOrEqual(8);
  });

  for (const file of ROUTE_FILES) {
    it(file, async () => {
      const mod = (await import(/* @vite-ignore */ join(process.cwd(), file))) as Record<string, unknown>;
      const handlers = Object.entries(mod).filter(([name, fn]) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(name) && typeof fn === "function") as Array<[string, (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>]>;
      expect(handlers.length).toBeGreaterThan(0);
      const segments = [...file.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
      const catchAll = /\[\.\.\.\w+\]/.test(file);
      const writes = WRITING_ROUTES.some((r) => file.endsWith(r));
      const segmentValue = catchAll
        ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...AUTH_ACTIONS) }, { weight: 1, arbitrary: trickyString.map(encodeURIComponentSafe) })
        : fc.oneof(fc.constantFrom(B.org.slug, ...Object.values(B.ids), "..", "../..", "%00", "a".repeat(5000), "__proto__"), trickyString);
      const cookie = fc.oneof(
        fc.constant(""),
        fc.tuple(fc.constantFrom("authjs.callback-url", "authjs.session-token", "authjs.csrf-token", "__Secure-authjs.callback-url", "locale"), fc.oneof(trickyString, fc.constantFrom("NaN", "javascript:alert(1)", "//evil.example", "/ok", "%"))).map(([k, v]) => `${k}=${encodeURIComponentSafe(v)}`),
      );
      const queryValue = fc.oneof(fc.constantFrom(...EDGE_VALUES, "9999-99-99", "2026-02-31", "1000-01-01", "9998-12-31"), badValue({ json: true }).map((v) => (typeof v === "string" ? v : JSON.stringify(v) ?? "")));
      const arbitrary = fc.record({
        handler: fc.constantFrom(...handlers),
        own: writes ? fc.constant(false) : fc.boolean(),
        params: fc.tuple(...segments.map(() => segmentValue)),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })), queryValue), { maxLength: 4 }),
        cookie,
        body: fc.oneof(fc.constant(undefined), badValue({ json: true }).map((v) => new URLSearchParams({ csrfToken: "x", email: A.owner.email, password: "not the password", callbackUrl: typeof v === "string" ? v : JSON.stringify(v) ?? "" }).toString())),
      });
      // Every edge value in every query key at once (each key is read on its own), then random calls.
      const sweep = handlers.flatMap((h) =>
        [...EDGE_VALUES, "9999-99-99", "2026-02-31"].map((edge) => ({
          handler: h, own: !writes, params: segments.map(() => (catchAll ? "session" : String(Object.values(B.ids)[0]))), query: QUERY_KEYS.map((k) => [k, edge] as [string, string]), cookie: "", body: undefined as string | undefined,
        })),
      );
      const call = async ({ handler: [method, handler], own, params, query, cookie, body }: { handler: (typeof handlers)[number]; own: boolean; params: string[]; query: Array<[string, string]>; cookie: string; body: string | undefined }) => {
        const values = Object.fromEntries(segments.map((name, i) => [name, name === "org" && own ? A.org.slug : params[i]!]));
        // The URL the handler would see: the file's path with its segments filled in.
        const path = file
          .replace(/^app/, "")
          .replace(/\/route\.ts$/, "")
          .replace(/\/\([^)]*\)/g, "")
          .replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => (catchAll ? values[name]! : encodeURIComponentSafe(values[name]!)));
        const url = new URL(`http://localhost:3000${path}`);
        for (const [k, v] of query) url.searchParams.append(k, v.slice(0, 3000));
        session.user = { userId: A.owner.userId, email: A.owner.email, name: "Owner", sessionId: A.ids.session };
        const problems: string[] = [];
        try {
          const withBody = method !== "GET" && body !== undefined;
          const headers: Record<string, string> = { "user-agent": "fuzz", ...(cookie ? { cookie } : {}), ...(withBody ? { "content-type": "application/x-www-form-urlencoded" } : {}) };
          const routeParams = catchAll ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.split("/")])) : values;
          const response = await handler(new NextRequest(url, { method, headers, ...(withBody ? { body } : {}) }), { params: Promise.resolve(routeParams as Record<string, string>) });
          if (response.status >= 500) problems.push(`${method} answered ${response.status}`);
          try {
            await response.arrayBuffer();
          } catch (error) {
            problems.push(`${method} ${response.status}: the body broke off (${String(error)})`);
          }
        } catch (error) {
          if (!isNextControlFlow(error)) problems.push(`${method} threw ${String(error)}`);
        } finally {
          session.user = null;
        }
        problems.push(...(await changesSinceBaseline()).map((d) => `database changed: ${d}`));
        return problems;
      };
      await acceptCurrentState();
      for (const input of sweep) {
        const problems = await call(input);
        if (problems.length > 0) throw new Error(`${file}: ${input.handler[0]} ?${input.query.map(([k, v]) => `${k}=${describeValue(v)}`).join("&")}\n  ${problems.join("\n  ")}`);
      }
      await check(file, arbitrary, RUNS.route, call);
    }, TIMEOUT);
  }
});

// The generators themselves: every family is really produced (a silent generator would make the test pass vacuously).
describe("the generators", () => {
  it("produce wrong types, huge strings, NUL, lone surrogates and non-objects", () => {
    const samples = fc.sample(mutatedInput({ a: "x", b: "y" }, ["a", "b"]), { seed: FUZZ_SEED, numRuns: 400 });
    const values = samples.flatMap((s) => (isObject(s) ? Object.values(s) : [s]));
    expect(values.some((v) => typeof v === "number")).toBe(true);
    expect(values.some((v) => Array.isArray(v))).toBe(true);
    expect(values.some((v) => v === null)).toBe(true);
    expect(values.some((v) => typeof v === "string" && v.length >= 100_000)).toBe(true);
    expect(values.some((v) => typeof v === "string" && v.includes("\u0000"))).toBe(true);
    expect(values.some((v) => typeof v === "string" && !v.isWellFormed())).toBe(true);
    expect(samples.some((s) => isObject(s) && !("a" in s))).toBe(true);
    expect(samples.some((s) => !isObject(s) || Array.isArray(s))).toBe(true);
    const proto: Input = {};
    setOwn(proto, "__proto__", { isAdmin: true });
    expect(Object.keys(proto)).toEqual(["__proto__"]);
  });
});

