// A control-plane backend that simulates a GPU cluster, with its state in PostgreSQL (its own schema,
// plain `pg`), so that it survives restarts and can share the portal's database.
//
// Model (see simulated-catalogue.ts for the hardware):
// - Capacity per region and pool, bin-packed per node; when a shape does not fit, the workbench waits
//   QUEUED in a strict FIFO per region + pool (a later, smaller request never overtakes the head).
// - Phases QUEUED -> SCHEDULED (2 s) -> PULLING_IMAGE (10-20 s the first time an image is pulled into a
//   region, 2 s when cached) -> STARTING (5 s) -> RUNNING; STOPPING (3 s) -> STOPPED and DELETING (3 s,
//   1 s without capacity) -> DELETED. Every duration is divided by `speed`.
// - Metering while the workbench has storage (from its first scheduling until DELETED): gpuSeconds while
//   it holds capacity (its GPU share x time), energy at idle watts while it holds capacity and between
//   idle and max watts while RUNNING, after a simulated utilisation that is a deterministic function of
//   the workbench id and time (busy/idle minutes, "away" stretches of 20 minutes), storage GB-hours, and
//   reservedSeconds (wall-clock time) while it holds its shape in SCHEDULED .. STOPPING, the billed quantity.
//   Timestamps and metered quantities are wall-clock time; only the simulated durations (phases,
//   activity minutes, idle timeout, usage interval) are divided by `speed`.
// - Usage records: one per workbench per closed interval of `usageIntervalMs` (default 60 s / speed),
//   aligned to multiples of the interval since the Unix epoch (the first and last one of a workbench are
//   partial). Id = hash(workbench id, interval start): stable and unique; the feed is ordered by a
//   sequence that only grows (all writes are serialised, so a reader never skips a record).
// - Capacity report (getCapacity): per region and pool, the nodes and their units from the nodes table, the
//   units held by workbenches placed on them (SCHEDULED .. DELETING), and the RUNNING and QUEUED workbenches.
// - Idle detection: after idleTimeoutMinutes / speed without activity a RUNNING workbench gets one IDLE
//   event (again after the next activity). Culling is the portal's decision.
// - Every write runs in one transaction under a per-schema advisory lock: simple and safe with several
//   processes on one database. Idempotent create: a unique idempotency key, INSERT ... ON CONFLICT, and a
//   hash of the request to refuse a reuse with another body.
// - The catalogue (regions, shapes, images) is the shared one in ../catalogue.ts; the simulated hardware
//   and placement are in simulated-catalogue.ts. Both are written to the backend's tables at start and
//   read back from there (seed: false keeps what the tables hold).
import { createHash, randomUUID } from "node:crypto";
import pg from "pg";
import type {
  CapacityReport,
  CapacityUnit,
  ControlPlaneBackend,
  CreateWorkbenchRequest,
  Region,
  Shape,
  ShapeCapacity,
  UsagePage,
  UsageRecord,
  Workbench,
  WorkbenchEvent,
  WorkbenchEventType,
  WorkbenchImage,
  WorkbenchPhase,
} from "../api-types";
import { BackendError } from "../errors";
import { IMAGES, NODES, POOLS, REGIONS, SHAPES, type ImageSeed, type NodeSeed, type ShapeSeed } from "./simulated-catalogue";

export interface SimulatedBackendOptions {
  databaseUrl: string;
  /** PostgreSQL schema holding the state (created when missing). Default "control_plane". */
  schema?: string;
  /** Time multiplier for simulated durations: 1 = realistic, 10 = ten times faster. Default 1. */
  speed?: number;
  /** Write the catalogue and simulated hardware (regions, pools, nodes, shapes, images) at start. Default true. */
  seed?: boolean;
  /** Background tick interval in ms; 0 = no background ticker (tests call tick()). Default 1000. */
  tickMs?: number;
  /** Clock; default the system clock. */
  now?: () => Date;
  /** Length of a usage interval in ms. Default 60 000 / speed. */
  usageIntervalMs?: number;
  /** Base URL of the server that serves the simulated notebooks ("/notebook/..."); see setPublicUrl. */
  publicUrl?: string;
  /** Where background errors go (one JSON line each). Default stderr. */
  log?: (line: string) => void;
}

export interface SimulatedBackend extends ControlPlaneBackend {
  /** Advances the simulation to now(): metering, phase changes, queue, idle detection. */
  tick(): Promise<void>;
  /** Sets the base URL of running workbenches' `url` (the control plane's own address). */
  setPublicUrl(url: string): void;
  /** Records user activity on a RUNNING workbench (the simulated notebook page calls it). */
  recordNotebookActivity(project: string, name: string): Promise<Workbench | null>;
}

// Simulated durations at speed 1, ms.
const SCHEDULE_MS = 2_000;
const PULL_CACHED_MS = 2_000;
const START_MS = 5_000;
const STOP_MS = 3_000;
const DELETE_MS = 3_000;
const DELETE_EMPTY_MS = 1_000;
const ACTIVITY_SLOT_MS = 60_000;
const AWAY_BLOCK_SLOTS = 20;

const HOLDING: ReadonlySet<WorkbenchPhase> = new Set(["SCHEDULED", "PULLING_IMAGE", "STARTING", "RUNNING", "STOPPING", "DELETING"]);
/** Phases that count as reserved (UsageRecord.reservedSeconds, billed): as HOLDING, except DELETING, per the contract. */
const RESERVED: ReadonlySet<WorkbenchPhase> = new Set(["SCHEDULED", "PULLING_IMAGE", "STARTING", "RUNNING", "STOPPING"]);

interface WorkbenchRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  external_id: string;
  tenant_id: string;
  project: string;
  name: string;
  display_name: string;
  owner: string;
  image_id: string;
  shape_id: string;
  region_id: string;
  pool: string;
  units: number;
  storage_gb: number;
  idle_timeout_minutes: number;
  phase: WorkbenchPhase;
  phase_until: Date | null;
  queue_seq: string | null;
  node_id: string | null;
  reason: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  stopped_at: Date | null;
  last_activity_at: Date | null;
  idle_notified: boolean;
  metered_until: Date | null;
  energy_wh: number;
  gpu_seconds: number;
  iv_start: Date | null;
  iv_reserved_seconds: number;
  iv_gpu_seconds: number;
  iv_energy_wh: number;
  iv_storage_gbh: number;
  /** Only in reads: position in the queue while QUEUED. */
  queue_position?: number | null;
}

interface NewEvent {
  workbenchId: string;
  at: Date;
  type: WorkbenchEventType;
  message: string;
  queuePosition: number | null;
}

interface Catalogue {
  regions: Region[];
  nodes: NodeSeed[];
  shapes: ShapeSeed[];
  images: ImageSeed[];
}

/** Work of one transaction: events and usage records to insert, pools whose queue may move. */
interface Batch {
  events: NewEvent[];
  usage: UsageRecord[];
  pools: Set<string>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createSimulatedBackend(opts: SimulatedBackendOptions): Promise<SimulatedBackend> {
  const schema = opts.schema ?? "control_plane";
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new Error("speed must be > 0");
  const clock = opts.now ?? (() => new Date());
  const intervalMs = Math.max(1, Math.round(opts.usageIntervalMs ?? 60_000 / speed));
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));
  let publicUrl = (opts.publicUrl ?? "http://127.0.0.1:4010").replace(/\/+$/, "");

  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 5 });
  pool.on("error", (error) => log(JSON.stringify({ level: "error", msg: "database connection error", error: error.message })));
  const s = pg.escapeIdentifier(schema);
  const t = (table: string) => `${s}.${table}`;
  const lockKey = `control-plane:${schema}`;
  const scaled = (ms: number) => ms / speed;

  async function inTransaction<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    // A connection that breaks while checked out (the database restarted) emits "error" on the client:
    // without a listener that would end the process. The query fails instead, and the client is discarded.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
      log(JSON.stringify({ level: "error", msg: "database connection lost", error: error.message }));
    };
    c.on("error", onError);
    try {
      await c.query("BEGIN");
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [lockKey]);
      const result = await work(c);
      await c.query("COMMIT");
      return result;
    } catch (error) {
      if (!broken) await c.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      c.off("error", onError);
      c.release(broken);
    }
  }

  // --- schema and seed -------------------------------------------------------------------------

  await inTransaction(async (c) => {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await c.query(`
      CREATE TABLE IF NOT EXISTS ${t("regions")} (
        id text PRIMARY KEY, name text NOT NULL, data_centre text NOT NULL, country text NOT NULL,
        grid_zone text NOT NULL, sort int NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS ${t("pools")} (id text PRIMARY KEY, label text NOT NULL);
      CREATE TABLE IF NOT EXISTS ${t("nodes")} (
        id text NOT NULL, region_id text NOT NULL REFERENCES ${t("regions")}(id),
        pool text NOT NULL REFERENCES ${t("pools")}(id), units int NOT NULL CHECK (units > 0),
        PRIMARY KEY (id, pool));
      CREATE TABLE IF NOT EXISTS ${t("shapes")} (
        id text PRIMARY KEY, name text NOT NULL, gpu_model text, gpu_count int NOT NULL, mig_profile text,
        gpu_memory_gb double precision NOT NULL, gpu_fraction double precision NOT NULL, vcpu double precision NOT NULL,
        memory_gb double precision NOT NULL, power_idle_w double precision NOT NULL, power_max_w double precision NOT NULL,
        pool text NOT NULL REFERENCES ${t("pools")}(id), units int NOT NULL CHECK (units > 0),
        waiting_for text NOT NULL, sort int NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS ${t("images")} (
        id text PRIMARY KEY, name text NOT NULL, description text NOT NULL, image text NOT NULL, gpu boolean NOT NULL,
        pull_seconds int NOT NULL, sort int NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS ${t("image_cache")} (
        region_id text NOT NULL, image_id text NOT NULL, pulled_at timestamptz NOT NULL, PRIMARY KEY (region_id, image_id));
      CREATE SEQUENCE IF NOT EXISTS ${t("queue_seq")};
      CREATE TABLE IF NOT EXISTS ${t("workbenches")} (
        id text PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        request_hash text NOT NULL,
        external_id text NOT NULL, tenant_id text NOT NULL, project text NOT NULL, name text NOT NULL,
        display_name text NOT NULL, owner text NOT NULL, image_id text NOT NULL, shape_id text NOT NULL,
        region_id text NOT NULL, pool text NOT NULL, units int NOT NULL,
        storage_gb int NOT NULL, idle_timeout_minutes int NOT NULL,
        phase text NOT NULL, phase_until timestamptz, queue_seq bigint, node_id text, reason text,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, started_at timestamptz,
        stopped_at timestamptz, last_activity_at timestamptz, idle_notified boolean NOT NULL DEFAULT false,
        metered_until timestamptz,
        energy_wh double precision NOT NULL DEFAULT 0, gpu_seconds double precision NOT NULL DEFAULT 0,
        iv_start timestamptz, iv_gpu_seconds double precision NOT NULL DEFAULT 0,
        iv_energy_wh double precision NOT NULL DEFAULT 0, iv_storage_gbh double precision NOT NULL DEFAULT 0);
      CREATE UNIQUE INDEX IF NOT EXISTS workbenches_live_name ON ${t("workbenches")} (project, name) WHERE phase <> 'DELETED';
      CREATE INDEX IF NOT EXISTS workbenches_tenant ON ${t("workbenches")} (tenant_id);
      CREATE INDEX IF NOT EXISTS workbenches_external ON ${t("workbenches")} (external_id);
      CREATE INDEX IF NOT EXISTS workbenches_queue ON ${t("workbenches")} (region_id, pool, queue_seq) WHERE phase = 'QUEUED';
      CREATE TABLE IF NOT EXISTS ${t("events")} (
        seq bigserial PRIMARY KEY, workbench_id text NOT NULL, at timestamptz NOT NULL, type text NOT NULL,
        message text NOT NULL, queue_position int);
      CREATE INDEX IF NOT EXISTS events_workbench ON ${t("events")} (workbench_id, seq);
      CREATE TABLE IF NOT EXISTS ${t("usage_records")} (
        seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, workbench_id text NOT NULL, external_id text NOT NULL,
        tenant_id text NOT NULL, shape_id text NOT NULL, region_id text NOT NULL,
        interval_start timestamptz NOT NULL, interval_end timestamptz NOT NULL,
        gpu_seconds double precision NOT NULL, energy_wh double precision NOT NULL, storage_gb_hours double precision NOT NULL);
      -- Columns added later: ADD COLUMN so that existing databases keep working (older records report 0).
      ALTER TABLE ${t("workbenches")} ADD COLUMN IF NOT EXISTS iv_reserved_seconds double precision NOT NULL DEFAULT 0;
      ALTER TABLE ${t("usage_records")} ADD COLUMN IF NOT EXISTS reserved_seconds double precision NOT NULL DEFAULT 0;
      ALTER TABLE ${t("pools")} ADD COLUMN IF NOT EXISTS unit text NOT NULL DEFAULT 'gpu';
      ALTER TABLE ${t("pools")} ADD COLUMN IF NOT EXISTS sort int NOT NULL DEFAULT 0;
    `);
    if (opts.seed === false) return;
    // The code's catalogue wins on every start (rows it does not know are left alone).
    for (const [i, r] of REGIONS.entries()) {
      await c.query(
        `INSERT INTO ${t("regions")} (id, name, data_centre, country, grid_zone, sort) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT (id) DO UPDATE SET name = $2, data_centre = $3, country = $4, grid_zone = $5, sort = $6`,
        [r.id, r.name, r.dataCentre, r.country, r.gridZone, i],
      );
    }
    for (const [i, p] of POOLS.entries()) {
      await c.query(
        `INSERT INTO ${t("pools")} (id, label, unit, sort) VALUES ($1,$2,$3,$4) ON CONFLICT (id) DO UPDATE SET label = $2, unit = $3, sort = $4`,
        [p.id, p.label, p.unit, i],
      );
    }
    for (const n of NODES) {
      await c.query(
        `INSERT INTO ${t("nodes")} (id, region_id, pool, units) VALUES ($1,$2,$3,$4)
         ON CONFLICT (id, pool) DO UPDATE SET region_id = $2, units = $4`,
        [n.id, n.regionId, n.pool, n.units],
      );
    }
    for (const [i, sh] of SHAPES.entries()) {
      await c.query(
        `INSERT INTO ${t("shapes")} (id, name, gpu_model, gpu_count, mig_profile, gpu_memory_gb, gpu_fraction, vcpu, memory_gb,
           power_idle_w, power_max_w, pool, units, waiting_for, sort)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
         ON CONFLICT (id) DO UPDATE SET name = $2, gpu_model = $3, gpu_count = $4, mig_profile = $5, gpu_memory_gb = $6,
           gpu_fraction = $7, vcpu = $8, memory_gb = $9, power_idle_w = $10, power_max_w = $11, pool = $12, units = $13,
           waiting_for = $14, sort = $15`,
        [sh.id, sh.name, sh.gpuModel, sh.gpuCount, sh.migProfile, sh.gpuMemoryGb, sh.gpuFraction, sh.vcpu, sh.memoryGb,
          sh.powerIdleW, sh.powerMaxW, sh.pool, sh.units, sh.waitingFor, i],
      );
    }
    for (const [i, im] of IMAGES.entries()) {
      await c.query(
        `INSERT INTO ${t("images")} (id, name, description, image, gpu, pull_seconds, sort) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (id) DO UPDATE SET name = $2, description = $3, image = $4, gpu = $5, pull_seconds = $6, sort = $7`,
        [im.id, im.name, im.description, im.image, im.gpu, im.pullSeconds, i],
      );
    }
  });

  const catalogue = await loadCatalogue();

  async function loadCatalogue(): Promise<Catalogue> {
    const [regions, nodes, shapes, images] = await Promise.all([
      pool.query(`SELECT * FROM ${t("regions")} ORDER BY sort, id`),
      pool.query(`SELECT * FROM ${t("nodes")} ORDER BY id, pool`),
      pool.query(`SELECT * FROM ${t("shapes")} ORDER BY sort, id`),
      pool.query(`SELECT * FROM ${t("images")} ORDER BY sort, id`),
    ]);
    return {
      regions: regions.rows.map((r) => ({ id: r.id, name: r.name, dataCentre: r.data_centre, country: r.country, gridZone: r.grid_zone })),
      nodes: nodes.rows.map((n) => ({ id: n.id, regionId: n.region_id, pool: n.pool, units: n.units })),
      shapes: shapes.rows.map((sh) => ({
        id: sh.id,
        name: sh.name,
        gpuModel: sh.gpu_model,
        gpuCount: sh.gpu_count,
        migProfile: sh.mig_profile,
        gpuMemoryGb: sh.gpu_memory_gb,
        gpuFraction: sh.gpu_fraction,
        vcpu: sh.vcpu,
        memoryGb: sh.memory_gb,
        powerIdleW: sh.power_idle_w,
        powerMaxW: sh.power_max_w,
        pool: sh.pool,
        units: sh.units,
        waitingFor: sh.waiting_for,
      })),
      images: images.rows.map((im) => ({ id: im.id, name: im.name, description: im.description, image: im.image, gpu: im.gpu, pullSeconds: im.pull_seconds })),
    };
  }

  const shapeById = (id: string) => catalogue.shapes.find((sh) => sh.id === id);
  const regionName = (id: string) => catalogue.regions.find((r) => r.id === id)?.name ?? id;
  const imageById = (id: string) => catalogue.images.find((im) => im.id === id);

  // --- reading ---------------------------------------------------------------------------------

  const SELECT_WB = `
    SELECT w.*, CASE WHEN w.phase = 'QUEUED' THEN (
      SELECT count(*)::int FROM ${t("workbenches")} q
      WHERE q.phase = 'QUEUED' AND q.region_id = w.region_id AND q.pool = w.pool AND q.queue_seq <= w.queue_seq) END AS queue_position
    FROM ${t("workbenches")} w`;

  async function readOne(c: pg.ClientBase | pg.Pool, id: string): Promise<WorkbenchRow | null> {
    const { rows } = await c.query<WorkbenchRow>(`${SELECT_WB} WHERE w.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async function mustRead(c: pg.ClientBase, id: string): Promise<WorkbenchRow> {
    const row = await readOne(c, id);
    if (!row) throw new BackendError("not_found", `No workbench with id "${id}".`);
    return row;
  }

  function queuedReason(row: WorkbenchRow, position: number): string {
    const waitingFor = shapeById(row.shape_id)?.waitingFor ?? "free capacity";
    return `Waiting for ${waitingFor} in ${regionName(row.region_id)}: position ${position} in the queue`;
  }

  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

  function toWorkbench(row: WorkbenchRow): Workbench {
    const position = row.phase === "QUEUED" ? (row.queue_position ?? null) : null;
    return {
      id: row.id,
      externalId: row.external_id,
      tenantId: row.tenant_id,
      project: row.project,
      name: row.name,
      displayName: row.display_name,
      owner: row.owner,
      imageId: row.image_id,
      shapeId: row.shape_id,
      regionId: row.region_id,
      storageGb: row.storage_gb,
      idleTimeoutMinutes: row.idle_timeout_minutes,
      phase: row.phase,
      queuePosition: position,
      reason: position !== null ? queuedReason(row, position) : row.reason,
      url: row.phase === "RUNNING" ? `${publicUrl}${notebookPath(row.project, row.name)}` : null,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      startedAt: iso(row.started_at),
      stoppedAt: iso(row.stopped_at),
      lastActivityAt: iso(row.last_activity_at),
      energyWh: round(row.energy_wh, 6),
      gpuSeconds: round(row.gpu_seconds, 3),
    };
  }

  // --- writing ---------------------------------------------------------------------------------

  const newBatch = (): Batch => ({ events: [], usage: [], pools: new Set() });
  const poolKey = (regionId: string, poolId: string) => `${regionId}\u0000${poolId}`;

  function event(batch: Batch, row: WorkbenchRow, at: Date, type: WorkbenchEventType, message: string, queuePosition: number | null = null) {
    batch.events.push({ workbenchId: row.id, at, type, message, queuePosition });
  }

  async function save(c: pg.ClientBase, row: WorkbenchRow): Promise<void> {
    await c.query(
      `UPDATE ${t("workbenches")} SET phase=$2, phase_until=$3, queue_seq=$4, node_id=$5, reason=$6, updated_at=$7, started_at=$8,
         stopped_at=$9, last_activity_at=$10, idle_notified=$11, metered_until=$12, energy_wh=$13, gpu_seconds=$14, iv_start=$15,
         iv_gpu_seconds=$16, iv_energy_wh=$17, iv_storage_gbh=$18, iv_reserved_seconds=$19
       WHERE id=$1`,
      [row.id, row.phase, row.phase_until, row.queue_seq, row.node_id, row.reason, row.updated_at, row.started_at, row.stopped_at,
        row.last_activity_at, row.idle_notified, row.metered_until, row.energy_wh, row.gpu_seconds, row.iv_start, row.iv_gpu_seconds,
        row.iv_energy_wh, row.iv_storage_gbh, row.iv_reserved_seconds],
    );
  }

  /** Writes the batch's events and usage records, then lets the touched queues move. */
  async function flush(c: pg.ClientBase, batch: Batch, now: Date): Promise<void> {
    for (const key of batch.pools) {
      const [regionId = "", poolId = ""] = key.split("\u0000");
      await schedulePool(c, regionId, poolId, now, batch);
    }
    batch.pools.clear();
    if (batch.events.length > 0) {
      const e = batch.events;
      await c.query(
        `INSERT INTO ${t("events")} (workbench_id, at, type, message, queue_position)
         SELECT w, a, t, m, q FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::int[]) WITH ORDINALITY AS x(w, a, t, m, q, n)
         ORDER BY n`,
        [e.map((x) => x.workbenchId), e.map((x) => x.at), e.map((x) => x.type), e.map((x) => x.message), e.map((x) => x.queuePosition)],
      );
      batch.events = [];
    }
    if (batch.usage.length > 0) {
      const u = batch.usage;
      await c.query(
        `INSERT INTO ${t("usage_records")} (id, workbench_id, external_id, tenant_id, shape_id, region_id, interval_start, interval_end,
           reserved_seconds, gpu_seconds, energy_wh, storage_gb_hours)
         SELECT i, w, e, t, s, r, a, b, v, g, k, h FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
           $7::timestamptz[], $8::timestamptz[], $9::float8[], $10::float8[], $11::float8[], $12::float8[])
           WITH ORDINALITY AS x(i, w, e, t, s, r, a, b, v, g, k, h, n)
         ORDER BY n
         ON CONFLICT (id) DO NOTHING`,
        [u.map((x) => x.id), u.map((x) => x.workbenchId), u.map((x) => x.externalId), u.map((x) => x.tenantId), u.map((x) => x.shapeId),
          u.map((x) => x.regionId), u.map((x) => x.intervalStart), u.map((x) => x.intervalEnd), u.map((x) => x.reservedSeconds),
          u.map((x) => x.gpuSeconds), u.map((x) => x.energyWh), u.map((x) => x.storageGbHours)],
      );
      batch.usage = [];
    }
  }

  /** Places queue heads of one region + pool on nodes while they fit (strict FIFO, best fit). */
  async function schedulePool(c: pg.ClientBase, regionId: string, poolId: string, now: Date, batch: Batch): Promise<void> {
    const free = await freeUnits(c, regionId, poolId);
    const { rows: queued } = await c.query<WorkbenchRow>(
      `SELECT * FROM ${t("workbenches")} WHERE phase = 'QUEUED' AND region_id = $1 AND pool = $2 ORDER BY queue_seq`,
      [regionId, poolId],
    );
    for (const row of queued) {
      const fits = [...free.entries()].filter(([, units]) => units >= row.units).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
      const node = fits[0]?.[0];
      if (node === undefined) break;
      free.set(node, (free.get(node) ?? 0) - row.units);
      meter(row, now, batch);
      row.phase = "SCHEDULED";
      row.phase_until = new Date(now.getTime() + scaled(SCHEDULE_MS));
      row.queue_seq = null;
      row.node_id = node;
      row.reason = `Placed on server ${node} in ${regionName(regionId)}; preparing storage (${row.storage_gb} GB)`;
      row.updated_at = now;
      if (row.metered_until === null) {
        // Storage exists from the first scheduling on: metering starts here.
        row.metered_until = now;
        row.iv_start = now;
      }
      event(batch, row, now, "SCHEDULED", `Placed on server ${node} in ${regionName(regionId)}.`);
      await save(c, row);
    }
  }

  async function freeUnits(c: pg.ClientBase, regionId: string, poolId: string): Promise<Map<string, number>> {
    const free = new Map<string, number>();
    for (const n of catalogue.nodes) if (n.regionId === regionId && n.pool === poolId) free.set(n.id, n.units);
    const { rows } = await c.query<{ node_id: string; used: number }>(
      `SELECT node_id, sum(units)::int AS used FROM ${t("workbenches")} WHERE node_id IS NOT NULL AND region_id = $1 AND pool = $2 GROUP BY node_id`,
      [regionId, poolId],
    );
    for (const r of rows) free.set(r.node_id, (free.get(r.node_id) ?? 0) - r.used);
    return free;
  }

  async function enqueue(c: pg.ClientBase, row: WorkbenchRow): Promise<void> {
    const { rows } = await c.query<{ seq: string }>(`SELECT nextval('${schema}.queue_seq')::text AS seq`);
    row.phase = "QUEUED";
    row.queue_seq = rows[0]?.seq ?? null;
    row.phase_until = null;
    row.reason = null;
  }

  /** After the queue moved: a QUEUED QUEUED event with the position for a workbench that must wait. */
  async function reportIfQueued(c: pg.ClientBase, id: string, now: Date, batch: Batch): Promise<WorkbenchRow> {
    const row = await mustRead(c, id);
    if (row.phase === "QUEUED" && row.queue_position) {
      event(batch, row, now, "QUEUED", `${queuedReason(row, row.queue_position)}.`, row.queue_position);
    }
    return row;
  }

  // --- metering --------------------------------------------------------------------------------

  /** A number in [0, 1) from the words: the simulation's only source of randomness. */
  function unit(...parts: (string | number)[]): number {
    return createHash("sha256").update(parts.join("|")).digest().readUInt32BE(0) / 2 ** 32;
  }

  /** Simulated GPU utilisation of a running workbench during one activity slot. */
  function utilisation(id: string, slot: number): number {
    const away = unit(id, "away", Math.floor(slot / AWAY_BLOCK_SLOTS)) < 0.3;
    if (away) return 0.02;
    const busy = unit(id, "busy", slot) < 0.75;
    return busy ? 0.35 + 0.6 * unit(id, "load", slot) : 0.03;
  }

  // Whole milliseconds, so that interval and slot boundaries are exact.
  const slotMs = Math.max(1, Math.round(scaled(ACTIVITY_SLOT_MS)));

  /** Accrues reserved time, gpuSeconds, energy and storage from metered_until to `to`, closing usage intervals. */
  function meter(row: WorkbenchRow, to: Date, batch: Batch): void {
    if (row.metered_until === null) return;
    const shape = shapeById(row.shape_id);
    let a = row.metered_until.getTime();
    const end = to.getTime();
    if (end <= a) return;
    const holding = row.node_id !== null && HOLDING.has(row.phase);
    const reserved = row.node_id !== null && RESERVED.has(row.phase);
    const share = shape ? (shape.gpuCount > 0 ? shape.gpuCount : shape.gpuFraction) : 0;
    const idleW = shape?.powerIdleW ?? 0;
    const maxW = shape?.powerMaxW ?? 0;
    const running = row.phase === "RUNNING";
    const idleAfterMs = scaled(row.idle_timeout_minutes * 60_000);
    while (a < end) {
      const nextInterval = (Math.floor(a / intervalMs) + 1) * intervalMs;
      let b = Math.min(end, nextInterval);
      let watts = holding ? idleW : 0;
      if (running) {
        const slot = Math.floor(a / slotMs);
        b = Math.min(b, (slot + 1) * slotMs);
        const u = utilisation(row.id, slot);
        watts = idleW + u * (maxW - idleW);
        if (u > 0.1) {
          row.last_activity_at = new Date(b);
          row.idle_notified = false;
        } else if (!row.idle_notified && row.last_activity_at && b - row.last_activity_at.getTime() >= idleAfterMs) {
          row.idle_notified = true;
          const at = new Date(row.last_activity_at.getTime() + idleAfterMs);
          event(batch, row, at, "IDLE", `No activity for ${row.idle_timeout_minutes} minutes: the workbench is idle.`);
        }
      }
      const seconds = (b - a) / 1000;
      const reservedSeconds = reserved ? seconds : 0;
      const gpuSeconds = holding ? seconds * share : 0;
      const energyWh = (watts * seconds) / 3600;
      const storage = (row.storage_gb * seconds) / 3600;
      row.gpu_seconds += gpuSeconds;
      row.energy_wh += energyWh;
      row.iv_reserved_seconds += reservedSeconds;
      row.iv_gpu_seconds += gpuSeconds;
      row.iv_energy_wh += energyWh;
      row.iv_storage_gbh += storage;
      a = b;
      if (b === nextInterval) closeInterval(row, new Date(b), batch);
    }
    row.metered_until = to;
  }

  /** Emits the usage record of the open interval up to `end` and opens the next one. */
  function closeInterval(row: WorkbenchRow, end: Date, batch: Batch): void {
    const start = row.iv_start ?? row.metered_until;
    if (start && start.getTime() < end.getTime()) {
      batch.usage.push({
        id: `usage-${createHash("sha256").update(`${row.id}|${start.toISOString()}`).digest("hex").slice(0, 32)}`,
        workbenchId: row.id,
        externalId: row.external_id,
        tenantId: row.tenant_id,
        shapeId: row.shape_id,
        regionId: row.region_id,
        intervalStart: start.toISOString(),
        intervalEnd: end.toISOString(),
        // Whole milliseconds summed, so rounding gives the exact time; never more than the interval (billed).
        reservedSeconds: Math.min(round(row.iv_reserved_seconds, 3), (end.getTime() - start.getTime()) / 1000),
        gpuSeconds: round(row.iv_gpu_seconds, 3),
        energyWh: round(row.iv_energy_wh, 6),
        storageGbHours: round(row.iv_storage_gbh, 6),
      });
    }
    row.iv_start = end;
    row.iv_reserved_seconds = 0;
    row.iv_gpu_seconds = 0;
    row.iv_energy_wh = 0;
    row.iv_storage_gbh = 0;
  }

  /** Releases the capacity a workbench holds; its queue may move. */
  function release(row: WorkbenchRow, batch: Batch): void {
    if (row.node_id !== null) batch.pools.add(poolKey(row.region_id, row.pool));
    row.node_id = null;
  }

  async function isCached(c: pg.ClientBase, regionId: string, imageId: string): Promise<boolean> {
    const { rowCount } = await c.query(`SELECT 1 FROM ${t("image_cache")} WHERE region_id = $1 AND image_id = $2`, [regionId, imageId]);
    return (rowCount ?? 0) > 0;
  }

  /** The phase change due at `at` (row.phase_until). */
  async function advance(c: pg.ClientBase, row: WorkbenchRow, at: Date, batch: Batch): Promise<void> {
    const later = (ms: number) => new Date(at.getTime() + scaled(ms));
    const region = regionName(row.region_id);
    const image = imageById(row.image_id);
    row.updated_at = at;
    switch (row.phase) {
      case "SCHEDULED": {
        const cached = await isCached(c, row.region_id, row.image_id);
        row.phase = "PULLING_IMAGE";
        row.phase_until = later(cached ? PULL_CACHED_MS : (image?.pullSeconds ?? 15) * 1000);
        row.reason = cached
          ? `Loading the image ${image?.name ?? row.image_id} (already cached in ${region})`
          : `Downloading the image ${image?.name ?? row.image_id} to ${region} (first use there; later starts are faster)`;
        event(batch, row, at, "PULLING_IMAGE", `${row.reason}.`);
        break;
      }
      case "PULLING_IMAGE":
        await c.query(`INSERT INTO ${t("image_cache")} (region_id, image_id, pulled_at) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, [
          row.region_id,
          row.image_id,
          at,
        ]);
        row.phase = "STARTING";
        row.phase_until = later(START_MS);
        row.reason = "Starting the notebook server";
        event(batch, row, at, "STARTING", "Starting the notebook server.");
        break;
      case "STARTING":
        row.phase = "RUNNING";
        row.phase_until = null;
        row.reason = null;
        row.started_at = at;
        row.last_activity_at = at;
        row.idle_notified = false;
        event(batch, row, at, "RUNNING", `Running on server ${row.node_id ?? "?"} in ${region}.`);
        break;
      case "STOPPING":
        release(row, batch);
        row.phase = "STOPPED";
        row.phase_until = null;
        row.reason = null;
        row.stopped_at = at;
        event(batch, row, at, "STOPPED", "Stopped. The storage is kept; start it again at any time.");
        break;
      case "DELETING":
        release(row, batch);
        closeInterval(row, at, batch);
        row.phase = "DELETED";
        row.phase_until = null;
        row.reason = null;
        row.metered_until = null;
        row.iv_start = null;
        event(batch, row, at, "DELETED", "Deleted, with its storage.");
        break;
      default:
        row.phase_until = null;
    }
  }

  /** Brings one workbench up to `now`: metering split at each phase change that fell due. */
  async function catchUp(c: pg.ClientBase, row: WorkbenchRow, now: Date, batch: Batch): Promise<void> {
    for (;;) {
      const due = row.phase_until;
      if (due && due.getTime() <= now.getTime()) {
        meter(row, due, batch);
        await advance(c, row, due, batch);
        continue;
      }
      meter(row, now, batch);
      return;
    }
  }

  // --- the simulation tick ---------------------------------------------------------------------

  let closed = false;
  const inflight = new Set<Promise<unknown>>();

  /** Keeps track of running work so that close() can wait for it. */
  function track<T>(work: Promise<T>): Promise<T> {
    inflight.add(work);
    void work.then(
      () => inflight.delete(work),
      () => inflight.delete(work),
    );
    return work;
  }

  function tick(): Promise<void> {
    if (closed) return Promise.resolve();
    return track(
      inTransaction(async (c) => {
        const now = clock();
        const batch = newBatch();
        const { rows } = await c.query<WorkbenchRow>(
          `SELECT * FROM ${t("workbenches")} WHERE phase <> 'DELETED' AND (metered_until IS NOT NULL OR phase_until IS NOT NULL) ORDER BY created_at, id`,
        );
        for (const row of rows) {
          await catchUp(c, row, now, batch);
          await save(c, row);
        }
        await flush(c, batch, now);
      }),
    );
  }

  /** Runs an operation on one workbench brought up to now, then writes what it produced. */
  async function operate(id: string, work: (c: pg.ClientBase, row: WorkbenchRow, now: Date, batch: Batch) => Promise<void>): Promise<Workbench> {
    return inTransaction(async (c) => {
      const now = clock();
      const batch = newBatch();
      const row = await mustRead(c, id);
      await catchUp(c, row, now, batch);
      await work(c, row, now, batch);
      await save(c, row);
      await flush(c, batch, now);
      const after = await reportIfQueued(c, id, now, batch);
      await flush(c, batch, now);
      return toWorkbench(after);
    });
  }

  // The background ticker skips a beat while the previous tick still runs.
  let backgroundBusy = false;
  const tickMs = opts.tickMs ?? 1000;
  const timer =
    tickMs > 0
      ? setInterval(() => {
          if (backgroundBusy || closed) return;
          backgroundBusy = true;
          tick()
            .catch((error: unknown) =>
              log(JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "simulation tick failed", error: String(error) })),
            )
            .finally(() => {
              backgroundBusy = false;
            });
        }, tickMs)
      : undefined;
  timer?.unref();

  function requestHash(request: CreateWorkbenchRequest): string {
    const canonical = JSON.stringify(Object.fromEntries(Object.entries(request).sort(([a], [b]) => a.localeCompare(b))));
    return createHash("sha256").update(canonical).digest("hex");
  }

  function checkReplay(row: WorkbenchRow, hash: string): { workbench: Workbench; created: false } {
    if (row.request_hash !== hash) {
      throw new BackendError("idempotency_conflict", "This Idempotency-Key was already used with a different request.");
    }
    return { workbench: toWorkbench(row), created: false };
  }

  // --- the backend -----------------------------------------------------------------------------

  return {
    async listRegions() {
      return structuredClone(catalogue.regions);
    },

    async listShapes(): Promise<Shape[]> {
      const { rows: used } = await pool.query<{ node_id: string; pool: string; used: number }>(
        `SELECT node_id, pool, sum(units)::int AS used FROM ${t("workbenches")} WHERE node_id IS NOT NULL GROUP BY node_id, pool`,
      );
      const { rows: queued } = await pool.query<{ region_id: string; pool: string; shape_id: string; n: number }>(
        `SELECT region_id, pool, shape_id, count(*)::int AS n FROM ${t("workbenches")} WHERE phase = 'QUEUED' GROUP BY region_id, pool, shape_id`,
      );
      return catalogue.shapes.map((sh) => {
        const capacity: ShapeCapacity[] = [];
        for (const region of catalogue.regions) {
          const nodes = catalogue.nodes.filter((n) => n.regionId === region.id && n.pool === sh.pool);
          const total = nodes.reduce((sum, n) => sum + Math.floor(n.units / sh.units), 0);
          if (total === 0) continue;
          const waitingInPool = queued.filter((q) => q.region_id === region.id && q.pool === sh.pool).reduce((sum, q) => sum + q.n, 0);
          const free = nodes.reduce((sum, n) => {
            const taken = used.find((u) => u.node_id === n.id && u.pool === n.pool)?.used ?? 0;
            return sum + Math.floor(Math.max(0, n.units - taken) / sh.units);
          }, 0);
          capacity.push({
            regionId: region.id,
            available: waitingInPool > 0 ? 0 : free,
            total,
            queued: queued.find((q) => q.region_id === region.id && q.shape_id === sh.id)?.n ?? 0,
          });
        }
        return {
          id: sh.id,
          name: sh.name,
          gpuModel: sh.gpuModel,
          gpuCount: sh.gpuCount,
          migProfile: sh.migProfile,
          gpuMemoryGb: sh.gpuMemoryGb,
          gpuFraction: sh.gpuFraction,
          vcpu: sh.vcpu,
          memoryGb: sh.memoryGb,
          powerIdleW: sh.powerIdleW,
          powerMaxW: sh.powerMaxW,
          capacity,
        };
      });
    },

    async getCapacity(): Promise<CapacityReport> {
      // One statement, so that every number comes from the same snapshot. A workbench holds units from its
      // placement on a node (SCHEDULED) until it releases them (STOPPED, DELETED): node_id is set exactly then.
      const { rows } = await pool.query<{
        region_id: string;
        pool: string;
        label: string;
        unit: CapacityUnit;
        nodes: number;
        units_total: number;
        units_used: number;
        running: number;
        queued: number;
      }>(
        `WITH supply AS (
           SELECT region_id, pool, count(*)::int AS nodes, sum(units)::int AS units_total FROM ${t("nodes")} GROUP BY region_id, pool),
         demand AS (
           SELECT region_id, pool,
             coalesce(sum(units) FILTER (WHERE node_id IS NOT NULL), 0)::int AS units_used,
             count(*) FILTER (WHERE phase = 'RUNNING')::int AS running,
             count(*) FILTER (WHERE phase = 'QUEUED')::int AS queued
           FROM ${t("workbenches")} WHERE phase <> 'DELETED' GROUP BY region_id, pool)
         SELECT r.id AS region_id, p.id AS pool, p.label, p.unit,
           coalesce(s.nodes, 0) AS nodes, coalesce(s.units_total, 0) AS units_total,
           coalesce(d.units_used, 0) AS units_used, coalesce(d.running, 0) AS running, coalesce(d.queued, 0) AS queued
         FROM supply s
         FULL JOIN demand d USING (region_id, pool)
         JOIN ${t("regions")} r ON r.id = coalesce(s.region_id, d.region_id)
         JOIN ${t("pools")} p ON p.id = coalesce(s.pool, d.pool)
         WHERE s.nodes IS NOT NULL OR d.units_used > 0 OR d.running > 0 OR d.queued > 0
         ORDER BY r.sort, r.id, CASE p.unit WHEN 'gpu' THEN 0 WHEN 'mig-slice' THEN 1 ELSE 2 END, p.sort, p.id`,
      );
      return {
        generatedAt: clock().toISOString(),
        pools: rows.map((r) => ({
          regionId: r.region_id,
          pool: r.pool,
          label: r.label,
          unit: r.unit,
          nodes: r.nodes,
          unitsTotal: r.units_total,
          unitsUsed: r.units_used,
          running: r.running,
          queued: r.queued,
        })),
      };
    },

    async listImages(): Promise<WorkbenchImage[]> {
      return catalogue.images.map(({ id, name, description, image, gpu }) => ({ id, name, description, image, gpu }));
    },

    async createWorkbench(idempotencyKey, request) {
      const hash = requestHash(request);
      const existing = await pool.query<WorkbenchRow>(`${SELECT_WB} WHERE w.idempotency_key = $1`, [idempotencyKey]);
      if (existing.rows[0]) return checkReplay(existing.rows[0], hash);

      const shape = shapeById(request.shapeId);
      if (!shape) throw new BackendError("unknown_shape", `Unknown shape "${request.shapeId}".`);
      if (!catalogue.regions.some((r) => r.id === request.regionId)) {
        throw new BackendError("unknown_region", `Unknown region "${request.regionId}".`);
      }
      const image = imageById(request.imageId);
      if (!image) throw new BackendError("unknown_image", `Unknown image "${request.imageId}".`);
      if (!catalogue.nodes.some((n) => n.regionId === request.regionId && n.pool === shape.pool && n.units >= shape.units)) {
        throw new BackendError("unknown_shape", `The shape "${shape.id}" is not offered in ${regionName(request.regionId)}.`);
      }
      if (image.gpu && shape.gpuCount === 0 && shape.gpuFraction === 0) {
        throw new BackendError("validation", `imageId: the image "${image.id}" needs a GPU shape; "${shape.id}" has none.`);
      }
      const project = `org-${request.tenantSlug}`;

      return inTransaction(async (c) => {
        const now = clock();
        const batch = newBatch();
        const taken = await c.query(`SELECT 1 FROM ${t("workbenches")} WHERE project = $1 AND name = $2 AND phase <> 'DELETED' AND idempotency_key <> $3`, [
          project,
          request.name,
          idempotencyKey,
        ]);
        if ((taken.rowCount ?? 0) > 0) {
          throw new BackendError("invalid_state", `A workbench named "${request.name}" already exists in ${project}.`);
        }
        const id = `wb-${randomUUID()}`;
        const inserted = await c.query<{ id: string }>(
          `INSERT INTO ${t("workbenches")} (id, idempotency_key, request_hash, external_id, tenant_id, project, name, display_name, owner,
             image_id, shape_id, region_id, pool, units, storage_gb, idle_timeout_minutes, phase, queue_seq, created_at, updated_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,'QUEUED', nextval('${schema}.queue_seq'), $17, $17)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
          [id, idempotencyKey, hash, request.externalId, request.tenantId, project, request.name, request.displayName, request.owner,
            request.imageId, request.shapeId, request.regionId, shape.pool, shape.units, request.storageGb, request.idleTimeoutMinutes, now],
        );
        if (inserted.rowCount === 0) {
          // Another process won the race between our first look and the insert.
          const winner = await c.query<WorkbenchRow>(`${SELECT_WB} WHERE w.idempotency_key = $1`, [idempotencyKey]);
          if (!winner.rows[0]) throw new Error("idempotency key conflict without a row");
          return checkReplay(winner.rows[0], hash);
        }
        await schedulePool(c, request.regionId, shape.pool, now, batch);
        const row = await reportIfQueued(c, id, now, batch);
        await flush(c, batch, now);
        return { workbench: toWorkbench(row), created: true };
      });
    },

    async getWorkbench(id) {
      const row = await readOne(pool, id);
      return row ? toWorkbench(row) : null;
    },

    async listWorkbenches(filter) {
      const { rows } = await pool.query<WorkbenchRow>(
        `${SELECT_WB} WHERE ($1::text IS NULL OR w.tenant_id = $1) AND ($2::text IS NULL OR w.external_id = $2) ORDER BY w.created_at, w.id`,
        [filter.tenantId ?? null, filter.externalId ?? null],
      );
      return rows.map(toWorkbench);
    },

    startWorkbench(id) {
      return operate(id, async (c, row, now, batch) => {
        if (row.phase === "DELETING" || row.phase === "DELETED") {
          throw new BackendError("invalid_state", `The workbench is ${row.phase === "DELETED" ? "deleted" : "being deleted"}; it cannot start.`);
        }
        if (row.phase === "STOPPING") {
          throw new BackendError("invalid_state", "The workbench is still stopping; start it again once it has stopped.");
        }
        if (row.phase !== "STOPPED" && row.phase !== "FAILED") return; // already on its way or running
        await enqueue(c, row);
        row.updated_at = now;
        event(batch, row, now, "START_REQUESTED", "Start requested.");
        batch.pools.add(poolKey(row.region_id, row.pool));
      });
    },

    stopWorkbench(id) {
      return operate(id, async (_c, row, now, batch) => {
        if (row.phase === "DELETING" || row.phase === "DELETED") {
          throw new BackendError("invalid_state", `The workbench is ${row.phase === "DELETED" ? "deleted" : "being deleted"}; it cannot stop.`);
        }
        if (row.phase === "STOPPING" || row.phase === "STOPPED" || row.phase === "FAILED") return;
        event(batch, row, now, "STOP_REQUESTED", "Stop requested.");
        row.updated_at = now;
        if (row.phase === "QUEUED") {
          // It never got capacity: it leaves the queue at once (and the ones behind it move up).
          row.phase = "STOPPED";
          row.queue_seq = null;
          row.stopped_at = now;
          row.reason = null;
          batch.pools.add(poolKey(row.region_id, row.pool));
          event(batch, row, now, "STOPPED", "Stopped while waiting in the queue. The storage is kept.");
          return;
        }
        row.phase = "STOPPING";
        row.phase_until = new Date(now.getTime() + scaled(STOP_MS));
        row.reason = "Stopping the notebook server; the storage is kept";
      });
    },

    deleteWorkbench(id) {
      return operate(id, async (_c, row, now, batch) => {
        if (row.phase === "DELETING" || row.phase === "DELETED") return;
        event(batch, row, now, "DELETE_REQUESTED", "Delete requested: the workbench and its storage will be removed.");
        if (row.phase === "QUEUED") batch.pools.add(poolKey(row.region_id, row.pool));
        row.phase = "DELETING";
        row.queue_seq = null;
        row.phase_until = new Date(now.getTime() + scaled(row.node_id ? DELETE_MS : DELETE_EMPTY_MS));
        row.reason = "Deleting the workbench and its storage";
        row.updated_at = now;
      });
    },

    async listEvents(id) {
      const row = await readOne(pool, id);
      if (!row) throw new BackendError("not_found", `No workbench with id "${id}".`);
      const { rows } = await pool.query<{ seq: string; workbench_id: string; at: Date; type: WorkbenchEventType; message: string; queue_position: number | null }>(
        `SELECT * FROM ${t("events")} WHERE workbench_id = $1 ORDER BY seq`,
        [id],
      );
      return rows.map(
        (e): WorkbenchEvent => ({
          id: `evt-${e.seq}`,
          workbenchId: e.workbench_id,
          at: e.at.toISOString(),
          type: e.type,
          message: e.message,
          queuePosition: e.queue_position,
        }),
      );
    },

    async listUsage(after, limit): Promise<UsagePage> {
      if (after !== null && !/^\d{1,18}$/.test(after)) throw new BackendError("validation", "after: must be a cursor returned by this API.");
      const { rows } = await pool.query<{
        seq: string;
        id: string;
        workbench_id: string;
        external_id: string;
        tenant_id: string;
        shape_id: string;
        region_id: string;
        interval_start: Date;
        interval_end: Date;
        reserved_seconds: number;
        gpu_seconds: number;
        energy_wh: number;
        storage_gb_hours: number;
      }>(`SELECT * FROM ${t("usage_records")} WHERE seq > $1::bigint ORDER BY seq LIMIT $2`, [after ?? "0", limit]);
      const last = rows.at(-1);
      return {
        records: rows.map((r) => ({
          id: r.id,
          workbenchId: r.workbench_id,
          externalId: r.external_id,
          tenantId: r.tenant_id,
          shapeId: r.shape_id,
          regionId: r.region_id,
          intervalStart: r.interval_start.toISOString(),
          intervalEnd: r.interval_end.toISOString(),
          reservedSeconds: r.reserved_seconds,
          gpuSeconds: r.gpu_seconds,
          energyWh: r.energy_wh,
          storageGbHours: r.storage_gb_hours,
        })),
        nextCursor: last ? last.seq : after,
      };
    },

    tick,

    setPublicUrl(url: string) {
      publicUrl = url.replace(/\/+$/, "");
    },

    async recordNotebookActivity(project, name) {
      return inTransaction(async (c) => {
        const now = clock();
        const { rows } = await c.query<WorkbenchRow>(`${SELECT_WB} WHERE w.project = $1 AND w.name = $2 AND w.phase <> 'DELETED'`, [project, name]);
        const row = rows[0];
        if (!row) return null;
        if (row.phase === "RUNNING") {
          const batch = newBatch();
          await catchUp(c, row, now, batch);
          row.last_activity_at = now;
          row.idle_notified = false;
          await save(c, row);
          await flush(c, batch, now);
        }
        return toWorkbench(row);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      await Promise.allSettled([...inflight]);
      await pool.end();
    },
  };
}

/** Path of a simulated workbench's notebook page on the control plane. */
export function notebookPath(project: string, name: string): string {
  return `/notebook/${encodeURIComponent(project)}/${encodeURIComponent(name)}/lab`;
}
