// Signed-in portal users driving the web app over HTTP as a browser would: pages, the JSON polling API,
// and the notebook server actions (launch, stop, delete). Every request lands in a Traffic recorder.
import { DEMO_PASSWORD, DEMO_USERS } from "../../prisma/demo-accounts";
import { can, type Permission } from "../../server/permissions";
import type { FormState } from "../../server/actions/form-state";
import { signIn } from "../lib/http-session";
import { callFormAction, findActionId, type FormActionResult } from "../lib/server-actions";
import type { ScenarioContext } from "./context";
import type { RequestKind, Traffic } from "./traffic";

type Role = "OWNER" | "ADMIN" | "DATA_SCIENTIST" | "PROCUREMENT" | "VIEWER";

export interface Account {
  email: string;
  password: string;
  role: Role;
  org: { slug: string; id: string; status: string };
}

/** Organisations whose members can launch (approved). */
const ACTIVE_ORGS = ["helse-fjord", "nordvik-robotics"];

/**
 * `count` accounts in the approved demo organisations: the demo users first (the consultant acts as
 * admin of Nordvik Robotics), then data scientists created for the run (`resilience-NN@<org>.example`,
 * inserted directly with the demo password's hash, alternating between the organisations).
 */
export async function portalAccounts(ctx: ScenarioContext, count: number): Promise<Account[]> {
  const { rows: orgs } = await ctx.db.query<{ id: string; slug: string; status: string }>("SELECT id, slug, status FROM organization WHERE slug = ANY($1)", [ACTIVE_ORGS]);
  const orgBySlug = new Map(orgs.map((o) => [o.slug, o]));
  const accounts: Account[] = [];
  for (const user of DEMO_USERS) {
    const memberships = user.memberships.filter(([slug]) => orgBySlug.has(slug));
    const [slug, role] = memberships.find(([s]) => s === "nordvik-robotics" && memberships.length > 1) ?? memberships[0] ?? [];
    if (!slug || !role) continue;
    accounts.push({ email: user.email, password: DEMO_PASSWORD, role, org: orgBySlug.get(slug)! });
  }
  for (let n = 1; accounts.length < count; n++) {
    const slug = ACTIVE_ORGS[n % ACTIVE_ORGS.length]!;
    const org = orgBySlug.get(slug)!;
    const email = `resilience-${String(n).padStart(2, "0")}@${slug}.example`;
    await ctx.db.query(
      `INSERT INTO "user" (id, email, name, password_hash, email_verified_at, created_at, updated_at)
       SELECT $1, $2, $3, password_hash, now(), now(), now() FROM "user" WHERE email = $4
       ON CONFLICT (email) DO NOTHING`,
      [`resilience-user-${n}`, email, `Resilience Tester ${n}`, DEMO_USERS[0].email],
    );
    await ctx.db.query(
      `INSERT INTO membership (id, org_id, user_id, role, created_at, updated_at)
       SELECT $1, $2, id, 'DATA_SCIENTIST', now(), now() FROM "user" WHERE email = $3
       ON CONFLICT (org_id, user_id) DO NOTHING`,
      [`resilience-member-${n}`, org.id, email],
    );
    accounts.push({ email, password: DEMO_PASSWORD, role: "DATA_SCIENTIST", org });
  }
  return accounts.slice(0, count);
}

export interface NotebookState {
  id: string;
  status: string;
  desiredState?: string;
  displayName?: string;
}

export interface LaunchOutcome {
  /** launched: the action redirected to the notebook's page; refused: it answered with an error state. */
  outcome: "launched" | "refused" | "failed";
  id?: string;
  /** Redirected with ?pending=1: recorded, but the control plane has not confirmed it yet. */
  pending?: boolean;
  message?: string;
  status: number;
}

/** Answers that carry an error boundary instead of the page (a streamed page can fail after its 200 status). */
const ERROR_MARKERS = /data-dgst=|"digest":"|NEXT_HTTP_ERROR_FALLBACK/;
const PAGE_TIMEOUT_MS = 30_000;

export class PortalUser {
  private constructor(
    readonly account: Account,
    readonly cookie: string,
    private readonly ctx: ScenarioContext,
    private readonly traffic: Traffic,
  ) {}

  static async signIn(ctx: ScenarioContext, account: Account, traffic: Traffic): Promise<PortalUser> {
    const jar = await signIn(ctx.baseUrl, account.email, account.password);
    return new PortalUser(account, jar.header(), ctx, traffic);
  }

  /** The same session recording into another scenario's traffic. */
  withTraffic(traffic: Traffic): PortalUser {
    return new PortalUser(this.account, this.cookie, this.ctx, traffic);
  }

  get slug(): string {
    return this.account.org.slug;
  }

  can(permission: Permission): boolean {
    return can(this.account.role, permission, this.account.org.status);
  }

  /** Portal pages this member's role may open (paths relative to the organisation). */
  pages(): string[] {
    const pages: Array<[string, Permission]> = [
      ["", "org.view"],
      ["/shapes", "shapes.view"],
      ["/notebooks", "notebooks.view"],
      ["/notebooks/new?shape=cpu-8", "notebooks.view"],
      ["/usage", "usage.view"],
      ["/invoices", "invoices.view"],
      ["/budgets", "budgets.view"],
      ["/team", "members.view"],
      ["/innovation", "innovation.view"],
      ["/sovereignty", "sovereignty.view"],
      ["/settings", "settings.view"],
      ["/audit", "audit.view"],
    ];
    return pages.filter(([, p]) => can(this.account.role, p)).map(([path]) => `/${this.slug}${path}`);
  }

  /** GETs a page or an API route; records it; 200 is the expected answer unless `expect` says otherwise. */
  async get(
    path: string,
    options: { kind?: RequestKind; label?: string; expect?: (status: number) => boolean; timeoutMs?: number } = {},
  ): Promise<{ status: number; ms: number; text?: string }> {
    const kind = options.kind ?? (path.startsWith("/api/") ? "api" : "page");
    const label = options.label ?? `GET ${labelOf(path, this.slug)}`;
    const started = performance.now();
    try {
      const response = await fetch(new URL(path, this.ctx.baseUrl), {
        headers: { cookie: this.cookie, accept: kind === "api" ? "application/json" : "text/html" },
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs ?? PAGE_TIMEOUT_MS),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      const errorInside = response.status === 200 && kind === "page" && ERROR_MARKERS.test(text);
      const expected = (options.expect ?? ((s) => s === 200))(response.status) && !errorInside;
      this.traffic.add({
        kind,
        label,
        status: response.status,
        ms,
        expected,
        detail: expected ? undefined : describeAnswer(path, response, text, errorInside),
        redirect: response.headers.get("location") ?? undefined,
      });
      return { status: response.status, ms, text };
    } catch (error) {
      const ms = performance.now() - started;
      this.traffic.add({ kind, label, status: 0, ms, expected: false, detail: `${path}: ${errorText(error)}` });
      return { status: 0, ms };
    }
  }

  /** One notebook through the polling API, or null when it cannot be read. */
  async notebook(id: string, options: { timeoutMs?: number } = {}): Promise<NotebookState | null> {
    const { status, text } = await this.get(`/api/orgs/${this.slug}/notebooks/${id}`, { timeoutMs: options.timeoutMs });
    if (status !== 200 || !text) return null;
    const body = JSON.parse(text) as { notebook: NotebookState };
    return body.notebook;
  }

  /** The organisation's notebooks through the polling API (what the list page polls). */
  async notebooks(options: { timeoutMs?: number } = {}): Promise<NotebookState[] | null> {
    const { status, text } = await this.get(`/api/orgs/${this.slug}/notebooks`, { timeoutMs: options.timeoutMs });
    if (status !== 200 || !text) return null;
    return (JSON.parse(text) as { notebooks: NotebookState[] }).notebooks;
  }

  /** Polls the notebook until its status is one of `statuses`; returns the last status seen. */
  async waitForStatus(id: string, statuses: string[], timeoutMs: number, intervalMs = 1_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    let last: string | undefined;
    for (;;) {
      last = (await this.notebook(id))?.status ?? last;
      if (last && statuses.includes(last)) return last;
      if (Date.now() >= deadline) return last;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  private async action(exportedName: string, pagePath: string, fields: Record<string, string>, options: { ssrForm?: boolean; timeoutMs?: number }) {
    const label = `action ${exportedName}`;
    const started = performance.now();
    try {
      const result = await callFormAction({
        baseUrl: this.ctx.baseUrl,
        actionId: actionId(this.ctx.distDir, exportedName),
        pagePath,
        cookie: this.cookie,
        fields,
        distDir: this.ctx.distDir,
        ssrForm: options.ssrForm,
        timeoutMs: options.timeoutMs ?? PAGE_TIMEOUT_MS,
      });
      return { label, result };
    } catch (error) {
      const ms = performance.now() - started;
      this.traffic.add({ kind: "action", label, status: 0, ms, expected: false, detail: `${pagePath}: ${errorText(error)}` });
      return { label, result: null };
    }
  }

  /** Launches a small CPU notebook through the launch form's server action. */
  async launch(displayName: string, regionId: string, options: { timeoutMs?: number; expectRefusal?: boolean } = {}): Promise<LaunchOutcome> {
    const fields = {
      orgId: this.account.org.id,
      displayName,
      project: "Resilience",
      shapeId: "cpu-8",
      regionId,
      imageId: "jupyter-minimal-2025.2",
      storageGb: "20",
      idleTimeoutMinutes: "120",
    };
    const { label, result } = await this.action("launchNotebookAction", `/${this.slug}/notebooks/new?shape=cpu-8`, fields, { ssrForm: true, timeoutMs: options.timeoutMs });
    if (!result) return { outcome: "failed", status: 0 };
    const target = result.redirect ? new RegExp(`^/${this.slug}/notebooks/([A-Za-z0-9_-]+)(\\?pending=1)?$`).exec(result.redirect.location) : null;
    if (target) {
      this.traffic.add({ kind: "action", label, status: result.status, ms: result.ms, expected: result.status === 200 });
      return { outcome: "launched", id: target[1], pending: !!target[2], status: result.status };
    }
    const refused = result.status === 200 && result.state?.status === "error";
    this.traffic.add({
      kind: "action",
      label,
      status: result.status,
      ms: result.ms,
      expected: refused && !!options.expectRefusal,
      detail: describeAction(result),
      redirect: result.redirect?.location,
    });
    return refused ? { outcome: "refused", message: result.state?.message, status: result.status } : { outcome: "failed", status: result.status, message: describeAction(result) };
  }

  /** Stops or deletes a notebook from its page; true when the action accepted the request. */
  async manage(what: "stop" | "delete", id: string, options: { timeoutMs?: number; expectRefusal?: boolean } = {}): Promise<{ ok: boolean; status: number; message?: string }> {
    const name = what === "stop" ? "stopNotebookAction" : "deleteNotebookAction";
    const { label, result } = await this.action(name, `/${this.slug}/notebooks/${id}`, { orgId: this.account.org.id, workbenchId: id }, { timeoutMs: options.timeoutMs });
    if (!result) return { ok: false, status: 0 };
    const ok = result.status === 200 && result.state?.status === "ok";
    const refused = result.status === 200 && result.state?.status === "error";
    this.traffic.add({
      kind: "action",
      label,
      status: result.status,
      ms: result.ms,
      expected: ok || (refused && !!options.expectRefusal),
      detail: ok ? undefined : describeAction(result),
      redirect: result.redirect?.location,
    });
    return { ok, status: result.status, message: result.state?.message };
  }
}

const actionIds = new Map<string, string>();
function actionId(distDir: string, exportedName: string): string {
  const key = `${distDir}\u0000${exportedName}`;
  if (!actionIds.has(key)) actionIds.set(key, findActionId(distDir, exportedName, "server/notebooks/"));
  return actionIds.get(key)!;
}

/** "/helse-fjord/notebooks/cmx..." -> "/[org]/notebooks/[id]" (for grouping figures by route). */
export function labelOf(path: string, slug: string): string {
  const [pathname = "", query] = path.split("?");
  const label = pathname
    .split("/")
    .map((part) => (part === slug ? "[org]" : /^c[a-z0-9]{20,}$/.test(part) ? "[id]" : part))
    .join("/");
  return query ? `${label}?${query}` : label;
}

function describeAnswer(path: string, response: Response, text: string, errorInside: boolean): string {
  const where = response.headers.get("location");
  const snippet = text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 160);
  return `${path}: ${errorInside ? "error boundary inside a 200 page; " : ""}${where ? `location ${where}; ` : ""}${snippet}`;
}

function describeAction(result: FormActionResult<FormState>): string {
  if (result.redirect) return `redirect to ${result.redirect.location}`;
  if (result.error) return `thrown: ${result.error.message ?? ""} (digest ${result.error.digest ?? "-"})`;
  if (result.state) return `state ${result.state.status}: ${result.state.message ?? ""}${result.state.fieldErrors ? ` ${JSON.stringify(result.state.fieldErrors)}` : ""}`;
  return result.text?.replace(/\s+/g, " ").slice(0, 160) ?? `content-type ${result.contentType}`;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error.name === "TimeoutError" ? "timed out" : error.message);
  }
  return String(error);
}
