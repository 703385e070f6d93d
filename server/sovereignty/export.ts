// Export of everything an organisation owns: one ZIP with every table as <table>.json and <table>.csv,
// plus manifest.json and README.txt. Read in one REPEATABLE READ, read-only transaction (a consistent
// snapshot), page by page on keyset cursors, and streamed with back-pressure, so a table of millions of
// usage records never sits in memory. Every query is scoped to the organisation (through invoice, budget
// and request ids for child tables); secrets (password hashes, TOTP secrets, token hashes, sessions) are
// never selected. The export is audited as "data.exported" with the row count of each table.
import "server-only";
import { Zip, ZipDeflate } from "fflate";
import { Prisma } from "@/generated/prisma/client";
import { db, type Tx } from "../db";
import { recordAudit, type AuditActor } from "../audit/record";
import { assertCan, type OrgMembership } from "../orgs/queries";
import { DELETION_DAYS, INVOICE_RETENTION_YEARS } from "./policy";

export const EXPORT_FORMAT = "nordlys-org-export/1";

type KeyCast = "text" | "timestamptz" | "int";

interface ExportTable {
  name: string;
  description: string;
  /** Output columns, in order: `[name, SQL expression over alias t]`. */
  columns: ReadonlyArray<readonly [string, string]>;
  /** FROM and WHERE (scoped to the organisation, bound as $org). */
  from: (orgId: string) => Prisma.Sql;
  /** Keyset: output columns that order the rows uniquely, with their SQL expression and type. */
  key: ReadonlyArray<readonly [string, string, KeyCast]>;
}

const cols = (...names: string[]) => names.map((n) => [n, `t.${n}`] as const);
const text = (n: string) => [n, `t.${n}::text`] as const;
const byId = [["id", "t.id", "text"]] as const;

/** Every table the organisation owns, in the order they are written to the archive. */
export const EXPORT_TABLES: readonly ExportTable[] = [
  {
    name: "organization",
    description: "The organisation itself: name, organisation number, billing details, status, quota.",
    columns: [
      ...cols("id", "slug", "name", "org_number"), text("sector"), text("status"),
      ...cols("billing_street", "billing_postal_code", "billing_city", "billing_country", "buyer_reference", "order_reference", "payment_terms_days", "invoice_approvals", "require_totp", "allowed_shapes", "status_reason", "gpu_quota", "approved_at", "created_at", "updated_at"),
    ],
    from: (orgId) => Prisma.sql`FROM organization t WHERE t.id = ${orgId}`,
    key: byId,
  },
  {
    name: "membership",
    description: "Members with their name, e-mail address and role (no passwords, two-factor secrets or sessions).",
    columns: [["id", "t.id"], ["org_id", "t.org_id"], ["user_id", "t.user_id"], ["user_name", "u.name"], ["user_email", "u.email"], ["role", "t.role::text"], ["created_at", "t.created_at"], ["updated_at", "t.updated_at"]],
    from: (orgId) => Prisma.sql`FROM membership t JOIN "user" u ON u.id = t.user_id WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "invitation",
    description: "Invitations sent, accepted or revoked (without the invitation tokens).",
    columns: [...cols("id", "org_id", "email"), text("role"), ...cols("expires_at", "invited_by_id", "accepted_at", "accepted_by_id", "revoked_at", "send_count", "created_at", "updated_at")],
    from: (orgId) => Prisma.sql`FROM invitation t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "dpa_acceptance",
    description: "Acceptances of the data-processing agreement: version, who, when, from which address.",
    columns: cols("id", "org_id", "user_id", "version", "accepted_at", "ip", "user_agent"),
    from: (orgId) => Prisma.sql`FROM dpa_acceptance t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "workbench",
    description: "Notebooks (OpenShift AI workbenches), including deleted ones: shape, image, region, state, totals.",
    columns: [
      ...cols("id", "org_id", "created_by_id", "name", "display_name", "project", "image_id", "shape_id", "region_id", "storage_gb", "idle_timeout_minutes", "gpu_milli", "price_per_hour_ore"),
      text("desired_state"), text("status"),
      ...cols("control_plane_id", "reason", "queue_position", "url", "energy_wh", "gpu_seconds", "run_seconds_before", "running_since", "last_activity_at", "idle_warned_at", "submit_attempts", "last_error", "last_synced_at", "created_at", "updated_at"),
    ],
    from: (orgId) => Prisma.sql`FROM workbench t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "usage_record",
    description: "Every metering interval received from the platform (the source of usage, cost and carbon figures).",
    columns: cols("id", "org_id", "workbench_id", "user_id", "project", "shape_id", "region_id", "interval_start", "interval_end", "reserved_seconds", "gpu_seconds", "energy_wh", "storage_gb_hours", "price_per_hour_ore", "ingested_at"),
    from: (orgId) => Prisma.sql`FROM usage_record t WHERE t.org_id = ${orgId}`,
    key: [["interval_start", "t.interval_start", "timestamptz"], ["id", "t.id", "text"]],
  },
  {
    name: "usage_hourly",
    description: "Hourly totals per notebook (UTC hours), derived from usage_record.",
    columns: cols("workbench_id", "hour", "org_id", "user_id", "project", "shape_id", "region_id", "reserved_seconds", "gpu_seconds", "energy_wh", "storage_gb_hours", "price_per_hour_ore", "records"),
    from: (orgId) => Prisma.sql`FROM usage_hourly t WHERE t.org_id = ${orgId}`,
    key: [["hour", "t.hour", "timestamptz"], ["workbench_id", "t.workbench_id", "text"]],
  },
  {
    name: "usage_daily",
    description: "Daily totals per notebook (UTC days), derived from usage_record.",
    columns: cols("workbench_id", "day", "org_id", "user_id", "project", "shape_id", "region_id", "reserved_seconds", "gpu_seconds", "energy_wh", "storage_gb_hours", "price_per_hour_ore", "records"),
    from: (orgId) => Prisma.sql`FROM usage_daily t WHERE t.org_id = ${orgId}`,
    key: [["day", "t.day", "timestamptz"], ["workbench_id", "t.workbench_id", "text"]],
  },
  {
    name: "invoice",
    description: "Invoices and credit notes, with the finalised document (JSON) and its SHA-256.",
    columns: [
      ...cols("id", "org_id"), text("kind"), text("status"), text("period_start"), text("period_end"), ...cols("number", "series", "sequence"), text("issue_date"), text("due_date"),
      ...cols("review_until", "buyer_reference", "order_reference", "kid", "net_ore", "vat_ore", "total_ore", "document", "content_hash", "finalized_at", "credited_invoice_id", "reason", "created_at", "updated_at"),
    ],
    from: (orgId) => Prisma.sql`FROM invoice t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "invoice_line",
    description: "Lines of the invoices and credit notes.",
    columns: [...cols("id", "invoice_id", "position"), text("kind"), ...cols("description", "shape_id", "project", "quantity", "unit_code", "unit_price_ore", "net_ore", "vat_percent", "credit_id")],
    from: (orgId) => Prisma.sql`FROM invoice_line t JOIN invoice i ON i.id = t.invoice_id WHERE i.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "invoice_approval",
    description: "Approvals of invoices by members.",
    columns: cols("id", "invoice_id", "user_id", "created_at"),
    from: (orgId) => Prisma.sql`FROM invoice_approval t JOIN invoice i ON i.id = t.invoice_id WHERE i.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "invoice_dispute",
    description: "Disputes of invoices (credit-note requests) and how they were resolved.",
    columns: [...cols("id", "invoice_id", "user_id", "reason"), text("status"), ...cols("credit_note_id", "resolved_at", "created_at")],
    from: (orgId) => Prisma.sql`FROM invoice_dispute t JOIN invoice i ON i.id = t.invoice_id WHERE i.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "billing_credit",
    description: "Agreed credits drawn down by invoices.",
    columns: [...cols("id", "org_id", "description", "amount_ore"), text("valid_from"), text("valid_until"), ...cols("created_at")],
    from: (orgId) => Prisma.sql`FROM billing_credit t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "budget",
    description: "Monthly budgets for the organisation and its projects.",
    columns: cols("id", "org_id", "project", "monthly_ore", "hard_stop", "created_at", "updated_at"),
    from: (orgId) => Prisma.sql`FROM budget t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "budget_alert",
    description: "Budget alerts that were sent.",
    columns: [...cols("id", "budget_id"), text("month"), ...cols("threshold"), text("kind"), ...cols("spent_ore", "created_at")],
    from: (orgId) => Prisma.sql`FROM budget_alert t JOIN budget b ON b.id = t.budget_id WHERE b.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "innovation_request",
    description: "Joint-innovation requests to the provider.",
    columns: [
      ...cols("id", "org_id", "created_by_id", "title", "problem", "outcome"), text("sector"), text("sensitivity"), ...cols("shape_id", "gpu_quantity", "duration_value", "duration_unit"),
      text("start_date"), text("end_date"), ...cols("contacts"), text("status"), ...cols("decline_reason", "assigned_to_id", "credit_ore", "credit_id", "submitted_at", "created_at", "updated_at"),
    ],
    from: (orgId) => Prisma.sql`FROM innovation_request t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "innovation_event",
    description: "Status history of the joint-innovation requests.",
    columns: [...cols("id", "request_id"), text("from_status"), text("to_status"), ...cols("actor_id", "actor_label", "note", "created_at")],
    from: (orgId) => Prisma.sql`FROM innovation_event t JOIN innovation_request r ON r.id = t.request_id WHERE r.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "innovation_comment",
    description: "Conversation with the provider on the joint-innovation requests.",
    columns: cols("id", "request_id", "author_id", "author_name", "from_provider", "body", "created_at"),
    from: (orgId) => Prisma.sql`FROM innovation_comment t JOIN innovation_request r ON r.id = t.request_id WHERE r.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "deletion_request",
    description: "Requests to delete the organisation's data and the provider's decisions.",
    columns: [...cols("id", "org_id", "requested_by_id", "reason"), text("status"), ...cols("decided_by_id", "decided_at", "note", "created_at")],
    from: (orgId) => Prisma.sql`FROM deletion_request t WHERE t.org_id = ${orgId}`,
    key: byId,
  },
  {
    name: "audit_event",
    description: "The organisation's audit trail (hash chain: verify each hash over the previous one).",
    columns: [...cols("id", "chain_key", "seq", "org_id", "actor_id", "actor_label", "action", "target_type", "target_id"), text("outcome"), ...cols("details", "at", "ip", "user_agent", "prev_hash", "hash")],
    from: (orgId) => Prisma.sql`FROM audit_event t WHERE t.chain_key = ${orgId}`,
    key: [["seq", "t.seq", "int"]],
  },
];

type Row = Record<string, unknown>;

/** One page of a table's rows after the keyset cursor (null: from the start). */
async function page(tx: Tx, table: ExportTable, orgId: string, after: Row | null, limit: number): Promise<Row[]> {
  const select = Prisma.raw(table.columns.map(([name, expr]) => `${expr} AS "${name}"`).join(", "));
  const order = Prisma.raw(table.key.map(([, expr]) => expr).join(", "));
  let cursor = Prisma.empty;
  if (after) {
    const exprs = Prisma.raw(table.key.map(([, expr]) => expr).join(", "));
    const values = Prisma.join(table.key.map(([name, , cast]) => Prisma.sql`${after[name]}::${Prisma.raw(cast)}`));
    const [first] = table.key;
    // The redundant bound on the first key lets PostgreSQL use the (org_id, time) index.
    cursor = Prisma.sql` AND (${exprs}) > (${values}) AND ${Prisma.raw(first![1])} >= ${after[first![0]]}::${Prisma.raw(first![2])}`;
  }
  return tx.$queryRaw<Row[]>`SELECT ${select} ${table.from(orgId)}${cursor} ORDER BY ${order} LIMIT ${limit}`;
}

/** Plain JSON value of a cell: exact decimals and 64-bit integers as strings, times in ISO 8601 UTC. */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Prisma.Decimal.isDecimal(value)) return (value as Prisma.Decimal).toString();
  return value;
}

const jsonReplacer = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

/** A CSV cell; text that a spreadsheet would run as a formula gets a leading apostrophe. */
function csvCell(value: unknown): string {
  const v = plain(value);
  if (v === null) return "";
  let s: string;
  if (typeof v === "string") {
    s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  } else if (typeof v === "object") {
    s = JSON.stringify(v, jsonReplacer);
  } else {
    s = String(v);
  }
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function jsonRow(table: ExportTable, row: Row): string {
  const out: Record<string, unknown> = {};
  for (const [name] of table.columns) out[name] = plain(row[name]);
  return JSON.stringify(out, jsonReplacer);
}

export interface ExportSummary {
  format: string;
  organisation: { id: string; slug: string; name: string; orgNumber: string };
  exportedAt: string;
  exportedBy: { userId: string; name: string; email: string; role: string };
  tables: Array<{ name: string; rows: number; files: string[]; description: string; columns: string[] }>;
}

class ExportCancelled extends Error {}

/**
 * The organisation's data as a streamed ZIP archive; the caller must hold `data.export` (owners and
 * admins). The audit event is written once the archive is complete (or, as a failure, if it is not).
 */
export function exportOrganisationData(
  membership: OrgMembership,
  meta: { ip: string; userAgent: string },
  options: { batchSize?: number; now?: Date } = {},
): { filename: string; stream: ReadableStream<Uint8Array> } {
  assertCan(membership, "data.export");
  const batchSize = options.batchSize ?? 2000;
  const now = options.now ?? new Date();
  const orgId = membership.org.id;
  const encoder = new TextEncoder();

  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let wake: (() => void) | null = null;
  let cancelled = false;
  let bytes = 0;
  const signal = () => {
    wake?.();
    wake = null;
  };
  /** Waits while the reader's queue is full; throws once the reader has gone away. */
  const drain = async () => {
    while (!cancelled && (controller.desiredSize ?? 1) <= 0) await new Promise<void>((resolve) => (wake = resolve));
    if (cancelled) throw new ExportCancelled();
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull: signal,
      cancel() {
        cancelled = true;
        signal();
      },
    },
    { highWaterMark: 16 },
  );

  const zip = new Zip((error, chunk, final) => {
    if (cancelled) return;
    if (error) {
      controller.error(error);
      return;
    }
    bytes += chunk.length;
    controller.enqueue(chunk);
    if (final) controller.close();
  });

  async function writeFile(name: string, parts: () => AsyncIterable<string>) {
    const file = new ZipDeflate(name, { level: 6 });
    file.mtime = now;
    zip.add(file);
    for await (const part of parts()) {
      file.push(encoder.encode(part));
      await drain();
    }
    file.push(new Uint8Array(0), true);
    await drain();
  }

  async function* rows(tx: Tx, table: ExportTable): AsyncGenerator<Row[]> {
    let after: Row | null = null;
    for (;;) {
      const batch = await page(tx, table, orgId, after, batchSize);
      if (batch.length === 0) return;
      yield batch;
      if (batch.length < batchSize) return;
      after = batch[batch.length - 1]!;
    }
  }

  async function produce(): Promise<ExportSummary> {
    return db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SET TRANSACTION READ ONLY`;
        const exporter = await tx.user.findUniqueOrThrow({ where: { id: membership.userId }, select: { id: true, name: true, email: true } });
        const org = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { id: true, slug: true, name: true, orgNumber: true } });
        const tables: ExportSummary["tables"] = [];
        for (const table of EXPORT_TABLES) {
          let count = 0;
          await writeFile(`${table.name}.json`, async function* () {
            yield "[";
            for await (const batch of rows(tx, table)) {
              yield batch.map((row) => `${count++ === 0 ? "" : ","}\n${jsonRow(table, row)}`).join("");
            }
            yield count ? "\n]\n" : "]\n";
          });
          let csvCount = 0;
          await writeFile(`${table.name}.csv`, async function* () {
            yield `${table.columns.map(([name]) => name).join(",")}\r\n`;
            for await (const batch of rows(tx, table)) {
              csvCount += batch.length;
              yield batch.map((row) => `${table.columns.map(([name]) => csvCell(row[name])).join(",")}\r\n`).join("");
            }
          });
          // Both passes read the same snapshot, so this only fails on a bug.
          if (csvCount !== count) throw new Error(`export of ${table.name}: ${count} JSON rows but ${csvCount} CSV rows`);
          tables.push({ name: table.name, rows: count, files: [`${table.name}.json`, `${table.name}.csv`], description: table.description, columns: table.columns.map(([name]) => name) });
        }
        const summary: ExportSummary = {
          format: EXPORT_FORMAT,
          organisation: org,
          exportedAt: now.toISOString(),
          exportedBy: { userId: exporter.id, name: exporter.name, email: exporter.email, role: membership.role },
          tables,
        };
        await writeFile("manifest.json", async function* () {
          yield `${JSON.stringify({ ...summary, schemaNote: SCHEMA_NOTE, notIncluded: NOT_INCLUDED }, null, 2)}\n`;
        });
        await writeFile("README.txt", async function* () {
          yield readme(summary);
        });
        zip.end();
        return summary;
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, maxWait: 10_000, timeout: 60 * 60_000 },
    );
  }

  void (async () => {
    const actor = { actorId: membership.userId, actorLabel: membership.userId, ip: meta.ip, userAgent: meta.userAgent } satisfies AuditActor;
    try {
      const summary = await produce();
      actor.actorLabel = summary.exportedBy.email;
      await db.$transaction((tx) =>
        recordAudit(tx, actor, {
          orgId, action: "data.exported", targetType: "organization", targetId: orgId,
          details: { format: EXPORT_FORMAT, bytes, counts: Object.fromEntries(summary.tables.map((t) => [t.name, t.rows])) },
        }),
      );
    } catch (error) {
      const reason = error instanceof ExportCancelled ? "cancelled by the client" : "export failed";
      if (!(error instanceof ExportCancelled)) {
        console.error("[export] organisation export failed", error);
        try {
          if (!cancelled) controller.error(new Error("export failed"));
        } catch {
          // The archive was already complete (the failure came after it): nothing to signal.
        }
      }
      const user = await db.user.findUnique({ where: { id: membership.userId }, select: { email: true } }).catch(() => null);
      if (user) actor.actorLabel = user.email;
      await db
        .$transaction((tx) => recordAudit(tx, actor, { orgId, action: "data.exported", outcome: "FAILURE", targetType: "organization", targetId: orgId, details: { reason, bytes } }))
        .catch((e: unknown) => console.error("[audit] could not record a failed export", e));
    }
  })();

  return { filename: `${membership.org.slug}-export-${now.toISOString().slice(0, 10)}.zip`, stream };
}

const SCHEMA_NOTE =
  "One file per table of the portal database, named after the table, as JSON (an array of objects) and CSV (RFC 4180, UTF-8, header row). " +
  "Column names are the database's. Times are ISO 8601 in UTC; dates are YYYY-MM-DD. Money is in øre (1/100 NOK); 64-bit integers and exact decimals are strings in JSON. " +
  "JSON columns (invoice.document, audit_event.details, innovation_request.contacts) are nested in JSON and JSON text in CSV. " +
  "In CSV, text starting with = + - @ is prefixed with an apostrophe so spreadsheets do not run it; the JSON files hold the exact values. " +
  "All files were read from one consistent snapshot of the database.";

const NOT_INCLUDED = [
  "Password hashes, two-factor secrets and recovery codes, sign-in sessions, e-mail and invitation tokens (security credentials, not organisation data).",
  "Files inside notebooks (their persistent volumes): download them from the notebook itself before asking for deletion.",
  "The provider's price list and carbon factor tables (public reference data, see the methodology page).",
];

function readme(summary: ExportSummary): string {
  const width = Math.max(...summary.tables.map((t) => t.name.length));
  const lines = summary.tables.map((t) => `  ${t.name.padEnd(width)}  ${String(t.rows).padStart(10)}  ${t.description}`);
  return [
    `Data export of ${summary.organisation.name} (organisation number ${summary.organisation.orgNumber})`,
    "",
    `Exported: ${summary.exportedAt} (UTC)`,
    `Exported by: ${summary.exportedBy.name} <${summary.exportedBy.email}> (${summary.exportedBy.role})`,
    `Format: ${summary.format}`,
    "",
    "Tables (rows, what they hold); each is in <table>.json and <table>.csv:",
    ...lines,
    "",
    "About the files:",
    SCHEMA_NOTE,
    "",
    "Not included:",
    ...NOT_INCLUDED.map((n) => `  - ${n}`),
    "",
    `If the organisation asks for its data to be deleted, the provider deletes it within ${DELETION_DAYS} days of approving the request; ` +
      `invoices and credit notes are kept for ${INVOICE_RETENTION_YEARS} years as the Norwegian Bookkeeping Act (bokføringsloven § 13) requires, ` +
      "and the audit log for as long as the law requires.",
    "",
  ].join("\r\n");
}
