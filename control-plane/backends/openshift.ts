// The control plane on Red Hat OpenShift AI: one project per organisation, one PVC and one kubeflow.org/v1
// Notebook per workbench, made the way the OpenShift AI dashboard makes them, so operators can also see
// and manage every workbench in the dashboard. Usage metering is not read from the cluster yet (see listUsage).
import { randomBytes } from "node:crypto";
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  ServerConfiguration,
  createConfiguration,
  setHeaderOptions,
  type CoreV1Event,
  type Middleware,
  type V1Namespace,
  type V1PersistentVolumeClaim,
  type V1Pod,
} from "@kubernetes/client-node";
import type {
  CapacityReport,
  ControlPlaneBackend,
  CreateWorkbenchRequest,
  Region,
  Shape,
  UsagePage,
  Workbench,
  WorkbenchEvent,
  WorkbenchImage,
} from "../api-types";
import { IMAGES, REGIONS, findImage, findRegion, findShape } from "../catalogue";
import { BackendError } from "../errors";
import { queuePositions, shapesWithCapacity } from "./openshift/capacity";
import { capacityReport } from "./openshift/capacity-report";
import { loadOpenShiftSettings, type OpenShiftSettings } from "./openshift/config";
import { ANNOTATIONS, LABELS, MANAGED_BY, NOTEBOOK_API } from "./openshift/constants";
import {
  namespaceManifest,
  notebookManifest,
  pvcManifest,
  requestDigest,
  sha256Hex,
  startPatch,
  stopPatch,
  type JsonPatchOp,
  type NotebookObject,
  type WorkbenchPlan,
} from "./openshift/manifests";
import {
  DNS_LABEL_RE,
  MAX_WORKBENCH_NAME,
  labelValueFor,
  parseWorkbenchId,
  podName,
  projectName,
  pvcName,
} from "./openshift/naming";
import { OWN_EVENT_REASONS, iso, isWaitingForCapacity, toWorkbench, translateEvents } from "./openshift/status";

export { loadOpenShiftSettings, type OpenShiftSettings } from "./openshift/config";

export interface OpenShiftBackendOptions {
  /** Clock for stop times and recorded events (tests pass their own). */
  now?: () => Date;
}

/** Creates the OpenShift backend from the environment (see loadOpenShiftSettings for the variables). */
export async function createOpenShiftBackend(
  env: Record<string, string | undefined>,
  options: OpenShiftBackendOptions = {},
): Promise<ControlPlaneBackend> {
  return new OpenShiftBackend(loadOpenShiftSettings(env), options.now);
}

interface NotebookList {
  items?: NotebookObject[];
}

function status(error: unknown): number | null {
  return error instanceof ApiException ? error.code : null;
}

/** The API server's own message from a Status body, else the error's message. */
function serverMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    if (typeof body === "string") {
      try {
        const parsed = JSON.parse(body) as { message?: string };
        if (parsed.message) return parsed.message;
      } catch {
        return body.slice(0, 500);
      }
    } else if (body && typeof body === "object" && "message" in body && typeof body.message === "string") {
      return body.message;
    }
    return error.code === 401 ? "Unauthorized: the cluster does not accept the token" : `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Turns a cluster failure into the API's codes: unreachable, refused or overloaded cluster = unavailable. */
function clusterError(what: string, error: unknown): Error {
  if (error instanceof BackendError) return error;
  const code = status(error);
  if (code === null || code === 401 || code === 403 || code === 429 || code >= 500) {
    return new BackendError("unavailable", `OpenShift API: ${what} failed: ${serverMessage(error)}`);
  }
  return new Error(`OpenShift API: ${what} failed (HTTP ${code}): ${serverMessage(error)}`);
}

async function orNull<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (status(error) === 404) return null;
    throw error;
  }
}

function validateCreate(idempotencyKey: string, request: CreateWorkbenchRequest, prefix: string): WorkbenchPlan["shape"] {
  const invalid = (message: string) => new BackendError("validation", message);
  if (!idempotencyKey || idempotencyKey.length > 255) throw invalid("The idempotency key must be 1 to 255 characters");
  for (const field of ["externalId", "tenantId"] as const) {
    if (!request[field] || request[field].length > 200) throw invalid(`${field} must be 1 to 200 characters`);
  }
  if (!DNS_LABEL_RE.test(request.name) || request.name.length > MAX_WORKBENCH_NAME) {
    throw invalid(`name must be a DNS-1123 label of at most ${MAX_WORKBENCH_NAME} characters (lower-case letters, digits, '-')`);
  }
  if (projectName(prefix, request.tenantSlug ?? "").length <= prefix.length) throw invalid("tenantSlug must contain letters or digits");
  if (!request.displayName?.trim() || request.displayName.length > 200) throw invalid("displayName must be 1 to 200 characters");
  if (!request.owner?.trim() || request.owner.length > 254) throw invalid("owner must be an e-mail address");
  if (!Number.isInteger(request.storageGb) || request.storageGb < 10 || request.storageGb > 1000) {
    throw invalid("storageGb must be a whole number from 10 to 1000");
  }
  if (!Number.isInteger(request.idleTimeoutMinutes) || request.idleTimeoutMinutes < 15 || request.idleTimeoutMinutes > 1440) {
    throw invalid("idleTimeoutMinutes must be a whole number from 15 to 1440");
  }
  const shape = findShape(request.shapeId);
  if (!shape) throw new BackendError("unknown_shape", `Unknown shape ${request.shapeId}`);
  if (!findRegion(request.regionId)) throw new BackendError("unknown_region", `Unknown region ${request.regionId}`);
  const image = findImage(request.imageId);
  if (!image) throw new BackendError("unknown_image", `Unknown image ${request.imageId}`);
  if (image.gpu && shape.gpuFraction === 0) throw invalid(`The ${image.name} image needs a GPU shape`);
  return shape;
}

class OpenShiftBackend implements ControlPlaneBackend {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;

  constructor(
    private readonly settings: OpenShiftSettings,
    private readonly now: () => Date = () => new Date(),
  ) {
    const cluster = settings.kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error("The kubeconfig has no current cluster");
    const timeout: Middleware = {
      pre: async (context) => {
        context.setSignal(AbortSignal.timeout(settings.requestTimeoutMs));
        return context;
      },
      post: async (context) => context,
    };
    const configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: settings.kubeConfig },
      promiseMiddleware: [timeout],
    });
    this.core = new CoreV1Api(configuration);
    this.custom = new CustomObjectsApi(configuration);
  }

  async listRegions(): Promise<Region[]> {
    return REGIONS.map((r) => ({ ...r }));
  }

  async listImages(): Promise<WorkbenchImage[]> {
    return IMAGES.map((i) => ({ ...i }));
  }

  async listShapes(): Promise<Shape[]> {
    try {
      const [nodes, pods] = await Promise.all([
        this.core.listNode(),
        this.core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
      ]);
      return shapesWithCapacity(nodes.items, pods.items);
    } catch (error) {
      throw clusterError("reading nodes and pods", error);
    }
  }

  /** Nodes grouped into pools by region and the pool label, with what the pods placed on them request (capacity-report.ts). */
  async getCapacity(): Promise<CapacityReport> {
    try {
      const [nodes, pods] = await Promise.all([
        this.core.listNode(),
        this.core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
      ]);
      return capacityReport(nodes.items, pods.items, this.settings.capacityPoolLabel, this.now());
    } catch (error) {
      throw clusterError("reading nodes and pods", error);
    }
  }

  async createWorkbench(idempotencyKey: string, request: CreateWorkbenchRequest): Promise<{ workbench: Workbench; created: boolean }> {
    const shape = validateCreate(idempotencyKey, request, this.settings.projectPrefix);
    const image = findImage(request.imageId)!;
    const namespace = projectName(this.settings.projectPrefix, request.tenantSlug);
    const plan: WorkbenchPlan = {
      namespace,
      request,
      idempotencyKey,
      shape,
      image,
      hardwareProfileNamespace: this.settings.hardwareProfileNamespace,
      storageClassName: this.settings.storageClassName,
    };
    try {
      const replay = await this.findByIdempotencyKey(idempotencyKey);
      if (replay) return { workbench: await this.replayed(replay, request), created: false };

      await this.ensureProject(namespace, request.tenantId);
      const taken = await orNull(this.readNotebook(namespace, request.name));
      if (taken) throw this.nameTaken(taken, request, idempotencyKey);

      await this.ensurePvc(plan);
      let notebook: NotebookObject;
      try {
        notebook = (await this.custom.createNamespacedCustomObject({
          ...this.notebookPath(namespace),
          body: notebookManifest(plan),
          fieldValidation: "Strict",
        })) as NotebookObject;
      } catch (error) {
        if (status(error) !== 409) throw error;
        // Created meanwhile: by a concurrent call with the same key (a replay), or by someone else.
        const existing = await this.readNotebook(namespace, request.name);
        if (existing.metadata.annotations?.[ANNOTATIONS.idempotencyKey] === idempotencyKey) {
          return { workbench: await this.replayed(existing, request), created: false };
        }
        throw this.nameTaken(existing, request, idempotencyKey);
      }
      await this.recordEvent(notebook, OWN_EVENT_REASONS.created, `Workbench created for ${request.owner}`);
      return { workbench: (await this.snapshots([notebook]))[0]!, created: true };
    } catch (error) {
      throw clusterError(`creating workbench ${namespace}/${request.name}`, error);
    }
  }

  async getWorkbench(id: string): Promise<Workbench | null> {
    try {
      const notebook = await this.findById(id);
      return notebook ? (await this.snapshots([notebook]))[0]! : null;
    } catch (error) {
      throw clusterError(`reading workbench ${id}`, error);
    }
  }

  async listWorkbenches(filter: { tenantId?: string; externalId?: string }): Promise<Workbench[]> {
    const selector = [`${LABELS.managedBy}=${MANAGED_BY}`];
    const exact: Array<[string, string]> = [];
    for (const [key, value] of [
      [LABELS.tenantId, filter.tenantId],
      [LABELS.externalId, filter.externalId],
    ] as const) {
      if (value === undefined) continue;
      selector.push(`${key}=${labelValueFor(value)}`);
      exact.push([key, value]);
    }
    try {
      const list = (await this.custom.listClusterCustomObject({
        group: NOTEBOOK_API.group,
        version: NOTEBOOK_API.version,
        plural: NOTEBOOK_API.plural,
        labelSelector: selector.join(","),
      })) as NotebookList;
      // The label may be a hash of the id: the annotation holds the id itself.
      const matching = (list.items ?? []).filter((n) => exact.every(([key, value]) => (n.metadata.annotations?.[key] ?? n.metadata.labels?.[key]) === value));
      const notebooks = matching.sort(
        (a, b) => (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "") || a.metadata.name.localeCompare(b.metadata.name),
      );
      return await this.snapshots(notebooks);
    } catch (error) {
      throw clusterError("listing workbenches", error);
    }
  }

  async startWorkbench(id: string): Promise<Workbench> {
    try {
      const notebook = await this.mustFind(id);
      if (notebook.metadata.deletionTimestamp) throw new BackendError("invalid_state", "The workbench is being deleted");
      if (notebook.metadata.annotations?.[ANNOTATIONS.stopped] === undefined) return (await this.snapshots([notebook]))[0]!;
      const patched = await this.patchNotebook(notebook, startPatch());
      await this.recordEvent(patched, OWN_EVENT_REASONS.startRequested, "Start requested through the portal");
      return (await this.snapshots([patched]))[0]!;
    } catch (error) {
      throw clusterError(`starting workbench ${id}`, error);
    }
  }

  async stopWorkbench(id: string): Promise<Workbench> {
    try {
      const notebook = await this.mustFind(id);
      if (notebook.metadata.deletionTimestamp) throw new BackendError("invalid_state", "The workbench is being deleted");
      if (notebook.metadata.annotations?.[ANNOTATIONS.stopped] !== undefined) return (await this.snapshots([notebook]))[0]!;
      const patched = await this.patchNotebook(notebook, stopPatch(this.now()));
      await this.recordEvent(patched, OWN_EVENT_REASONS.stopRequested, "Stop requested through the portal");
      return (await this.snapshots([patched]))[0]!;
    } catch (error) {
      throw clusterError(`stopping workbench ${id}`, error);
    }
  }

  /** Deletes the Notebook (the controller's StatefulSet, pod and route go with it) and its PVC, with the files on it. */
  async deleteWorkbench(id: string): Promise<Workbench> {
    try {
      const notebook = await this.mustFind(id);
      const before = (await this.snapshots([notebook]))[0]!;
      const { namespace = "", name } = notebook.metadata;
      await orNull(this.custom.deleteNamespacedCustomObject({ ...this.notebookPath(namespace), name, propagationPolicy: "Background" }));
      await orNull(this.core.deleteNamespacedPersistentVolumeClaim({ namespace, name: pvcName(name) }));
      return {
        ...before,
        phase: "DELETING",
        reason: null,
        url: null,
        queuePosition: null,
        updatedAt: iso(this.now()) ?? before.updatedAt,
      };
    } catch (error) {
      throw clusterError(`deleting workbench ${id}`, error);
    }
  }

  async listEvents(id: string): Promise<WorkbenchEvent[]> {
    try {
      const notebook = await this.mustFind(id);
      const { namespace = "", name } = notebook.metadata;
      const [own, podEvents, pod] = await Promise.all([
        this.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Notebook,involvedObject.name=${name}` }),
        this.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${podName(name)}` }),
        orNull(this.core.readNamespacedPod({ namespace, name: podName(name) })),
      ]);
      const ownEvents = own.items.filter((e) => !e.involvedObject.uid || e.involvedObject.uid === notebook.metadata.uid);
      return translateEvents(notebook, [...ownEvents, ...podEvents.items], pod);
    } catch (error) {
      throw clusterError(`reading events of workbench ${id}`, error);
    }
  }

  /**
   * Metering on OpenShift will come from the GPU energy counters (DCGM exporter) later: until then there is
   * nothing to report, and the cursor stays where the caller left it.
   */
  async listUsage(after: string | null, limit: number): Promise<UsagePage> {
    if (!Number.isInteger(limit) || limit < 1) throw new BackendError("validation", "limit must be a positive whole number");
    return { records: [], nextCursor: after };
  }

  async close(): Promise<void> {}

  private notebookPath(namespace: string) {
    return { group: NOTEBOOK_API.group, version: NOTEBOOK_API.version, plural: NOTEBOOK_API.plural, namespace };
  }

  private async readNotebook(namespace: string, name: string): Promise<NotebookObject> {
    return (await this.custom.getNamespacedCustomObject({ ...this.notebookPath(namespace), name })) as NotebookObject;
  }

  private async findById(id: string): Promise<NotebookObject | null> {
    const ref = parseWorkbenchId(id);
    if (!ref) return null;
    const notebook = await orNull(this.readNotebook(ref.namespace, ref.name));
    if (!notebook || notebook.metadata.uid !== ref.uid || notebook.metadata.labels?.[LABELS.managedBy] !== MANAGED_BY) return null;
    return notebook;
  }

  private async mustFind(id: string): Promise<NotebookObject> {
    const notebook = await this.findById(id);
    if (!notebook) throw new BackendError("not_found", `No workbench ${id}`);
    return notebook;
  }

  private async findByIdempotencyKey(key: string): Promise<NotebookObject | null> {
    const list = (await this.custom.listClusterCustomObject({
      group: NOTEBOOK_API.group,
      version: NOTEBOOK_API.version,
      plural: NOTEBOOK_API.plural,
      labelSelector: `${LABELS.managedBy}=${MANAGED_BY},${LABELS.idempotencyKeyHash}=${sha256Hex(key)}`,
    })) as NotebookList;
    return (list.items ?? []).find((n) => n.metadata.annotations?.[ANNOTATIONS.idempotencyKey] === key) ?? null;
  }

  /** The first result again for a replayed key; the key with another request body is refused. */
  private async replayed(notebook: NotebookObject, request: CreateWorkbenchRequest): Promise<Workbench> {
    if (notebook.metadata.annotations?.[ANNOTATIONS.requestSha256] !== requestDigest(request)) {
      throw new BackendError("idempotency_conflict", "This idempotency key was already used for another workbench request");
    }
    return (await this.snapshots([notebook]))[0]!;
  }

  private nameTaken(existing: NotebookObject, request: CreateWorkbenchRequest, key: string): BackendError {
    const sameKey = existing.metadata.annotations?.[ANNOTATIONS.idempotencyKey] === key;
    return new BackendError(
      sameKey ? "idempotency_conflict" : "invalid_state",
      `A workbench named ${request.name} already exists in project ${existing.metadata.namespace}`,
    );
  }

  /** The organisation's project, created on first use; one that belongs to another organisation is refused. */
  private async ensureProject(namespace: string, tenantId: string): Promise<void> {
    let project: V1Namespace | null = await orNull(this.core.readNamespace({ name: namespace }));
    if (!project) {
      try {
        project = await this.core.createNamespace({ body: namespaceManifest(namespace, tenantId), fieldValidation: "Strict" });
      } catch (error) {
        if (status(error) !== 409) throw error;
        project = await this.core.readNamespace({ name: namespace });
      }
    }
    const owner = project.metadata?.annotations?.[ANNOTATIONS.tenantId] ?? project.metadata?.labels?.[LABELS.tenantId];
    if (owner !== tenantId) {
      throw new BackendError("invalid_state", `Project ${namespace} exists and does not belong to this organisation`);
    }
    if (project.status?.phase === "Terminating") {
      throw new BackendError("invalid_state", `Project ${namespace} is being deleted; try again in a few minutes`);
    }
  }

  /** The workbench's PVC; one left by an earlier attempt for the same workbench is reused. */
  private async ensurePvc(plan: WorkbenchPlan): Promise<void> {
    const body = pvcManifest(plan);
    try {
      await this.core.createNamespacedPersistentVolumeClaim({ namespace: plan.namespace, body, fieldValidation: "Strict" });
    } catch (error) {
      if (status(error) !== 409) throw error;
      const existing: V1PersistentVolumeClaim = await this.core.readNamespacedPersistentVolumeClaim({ namespace: plan.namespace, name: body.metadata.name });
      if (existing.metadata?.labels?.[LABELS.externalId] !== labelValueFor(plan.request.externalId) || existing.metadata?.deletionTimestamp) {
        throw new BackendError("invalid_state", `The storage name ${body.metadata.name} is already taken in project ${plan.namespace}`);
      }
    }
  }

  private async patchNotebook(notebook: NotebookObject, patch: JsonPatchOp[]): Promise<NotebookObject> {
    return (await this.custom.patchNamespacedCustomObject(
      { ...this.notebookPath(notebook.metadata.namespace ?? ""), name: notebook.metadata.name, body: patch, fieldValidation: "Strict" },
      setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
    )) as NotebookObject;
  }

  /** Records what the portal asked for as an event on the Notebook, so `oc describe` shows it too. Best effort. */
  private async recordEvent(notebook: NotebookObject, reason: string, message: string): Promise<void> {
    const now = this.now();
    const { namespace = "", name, uid, resourceVersion } = notebook.metadata;
    const event: CoreV1Event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${name}.${now.getTime().toString(16)}${randomBytes(3).toString("hex")}`, namespace },
      involvedObject: { apiVersion: `${NOTEBOOK_API.group}/${NOTEBOOK_API.version}`, kind: NOTEBOOK_API.kind, name, namespace, uid, resourceVersion },
      reason,
      message,
      type: "Normal",
      source: { component: MANAGED_BY },
      reportingComponent: MANAGED_BY,
      reportingInstance: MANAGED_BY,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.core.createNamespacedEvent({ namespace, body: event });
    } catch {
      // The event is a courtesy for operators; the workbench change itself has been made.
    }
  }

  /** Workbenches from their Notebooks, with one cluster-wide pod list and the events of pods not yet running. */
  private async snapshots(notebooks: readonly NotebookObject[]): Promise<Workbench[]> {
    if (notebooks.length === 0) return [];
    const pods = await this.core.listPodForAllNamespaces({ labelSelector: `${LABELS.managedBy}=${MANAGED_BY}` });
    const byName = new Map<string, V1Pod>(pods.items.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
    const positions = queuePositions(pods.items);
    return Promise.all(
      notebooks.map(async (notebook) => {
        const namespace = notebook.metadata.namespace ?? "";
        const key = `${namespace}/${podName(notebook.metadata.name)}`;
        const pod = byName.get(key) ?? null;
        const ready = pod?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
        const podEvents =
          pod && !ready
            ? (
                await this.core.listNamespacedEvent({
                  namespace,
                  fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${podName(notebook.metadata.name)}`,
                })
              ).items
            : [];
        return toWorkbench({
          notebook,
          pod,
          podEvents,
          queuePosition: pod && isWaitingForCapacity(pod) ? (positions.get(key) ?? null) : null,
          appsDomain: this.settings.appsDomain,
        });
      }),
    );
  }
}
