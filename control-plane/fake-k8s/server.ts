// A fake Kubernetes API server on loopback for tests: namespaces, persistentvolumeclaims, nodes, pods and
// events (core/v1) and notebooks (kubeflow.org v1, v1beta1, v1alpha1), with the API server's metadata,
// Status errors, label/field selectors, JSON and merge patches, and strict validation of every Notebook
// against the OpenShift AI CRD. It records every request. Helpers play the parts of the notebook
// controller, the scheduler and the kubelet (pod, events, readiness, stop) so tests can walk a workbench
// through its life. Plain HTTP; no watch, no pagination, no admission webhooks, no RBAC.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { crdValidator, loadNotebookCrd, validateObjectMeta, type CrdValidator, type FieldCause } from "./crd-validator";
import { PatchError, applyJsonPatch, applyMergePatch, canonical } from "./json-patch";
import { SelectorError, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors";

/** Kubernetes objects are free-form JSON here. */
type Obj = Record<string, any>;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /apis/kubeflow.org/v1/namespaces/p/notebooks/wb. */
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  /** Parsed JSON body (the raw text when it is not JSON; undefined without a body). */
  body: unknown;
  /** Status code of the answer. */
  status: number;
}

export interface FakeKubernetesOptions {
  /** Bearer token the server accepts (default: random). */
  token?: string;
  /**
   * Unknown fields in a Notebook when the request does not say `fieldValidation`: "reject" (default here;
   * a real server with `fieldValidation=Strict`) or "prune" (a real server's own default, Warn: dropped
   * with a Warning header). An explicit `fieldValidation` query parameter always wins.
   */
  unknownFields?: "reject" | "prune";
  /** Clock for timestamps (default: the real one); event times never go backwards. */
  now?: () => Date;
}

interface ResourceType {
  plural: string;
  kind: string;
  group: string;
  versions: string[];
  namespaced: boolean;
  /** Custom resource semantics: generation, deleted object returned, no strategic merge patch. */
  custom: boolean;
  statusSubresource: boolean;
  nameRule: "subdomain" | "label";
  fields: (o: Obj) => Record<string, string>;
}

const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

const metaFields = (o: Obj): Record<string, string> => ({ "metadata.name": str(o.metadata?.name), "metadata.namespace": str(o.metadata?.namespace) });

const TYPES: ResourceType[] = [
  {
    plural: "namespaces",
    kind: "Namespace",
    group: "",
    versions: ["v1"],
    namespaced: false,
    custom: false,
    statusSubresource: true,
    nameRule: "label",
    fields: (o) => ({ "metadata.name": str(o.metadata?.name), "status.phase": str(o.status?.phase) }),
  },
  {
    plural: "nodes",
    kind: "Node",
    group: "",
    versions: ["v1"],
    namespaced: false,
    custom: false,
    statusSubresource: true,
    nameRule: "subdomain",
    fields: (o) => ({ "metadata.name": str(o.metadata?.name), "spec.unschedulable": str(o.spec?.unschedulable ?? false) }),
  },
  {
    plural: "persistentvolumeclaims",
    kind: "PersistentVolumeClaim",
    group: "",
    versions: ["v1"],
    namespaced: true,
    custom: false,
    statusSubresource: true,
    nameRule: "subdomain",
    fields: metaFields,
  },
  {
    plural: "pods",
    kind: "Pod",
    group: "",
    versions: ["v1"],
    namespaced: true,
    custom: false,
    statusSubresource: true,
    nameRule: "subdomain",
    fields: (o) => ({
      ...metaFields(o),
      "spec.nodeName": str(o.spec?.nodeName),
      "spec.restartPolicy": str(o.spec?.restartPolicy),
      "spec.schedulerName": str(o.spec?.schedulerName),
      "spec.serviceAccountName": str(o.spec?.serviceAccountName),
      "spec.hostNetwork": str(o.spec?.hostNetwork ?? false),
      "status.phase": str(o.status?.phase),
      "status.podIP": str(o.status?.podIP),
      "status.nominatedNodeName": str(o.status?.nominatedNodeName),
    }),
  },
  {
    plural: "events",
    kind: "Event",
    group: "",
    versions: ["v1"],
    namespaced: true,
    custom: false,
    statusSubresource: false,
    nameRule: "subdomain",
    fields: (o) => ({
      ...metaFields(o),
      "involvedObject.kind": str(o.involvedObject?.kind),
      "involvedObject.namespace": str(o.involvedObject?.namespace),
      "involvedObject.name": str(o.involvedObject?.name),
      "involvedObject.uid": str(o.involvedObject?.uid),
      "involvedObject.apiVersion": str(o.involvedObject?.apiVersion),
      "involvedObject.resourceVersion": str(o.involvedObject?.resourceVersion),
      "involvedObject.fieldPath": str(o.involvedObject?.fieldPath),
      reason: str(o.reason),
      reportingComponent: str(o.reportingComponent),
      source: str(o.source?.component),
      type: str(o.type),
    }),
  },
  {
    plural: "notebooks",
    kind: "Notebook",
    group: "kubeflow.org",
    versions: ["v1", "v1beta1", "v1alpha1"],
    namespaced: true,
    custom: true,
    statusSubresource: true,
    nameRule: "subdomain",
    fields: metaFields,
  },
];

let sharedNotebookValidator: CrdValidator | null = null;

/** One compiled Notebook schema per process: compiling the CRD takes most of a second. */
function notebookValidator(): CrdValidator {
  sharedNotebookValidator ??= crdValidator(loadNotebookCrd());
  return sharedNotebookValidator;
}

class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
  ) {
    super(message);
  }
}

function qualified(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

function notFound(type: ResourceType, name: string): HttpError {
  return new HttpError(404, "NotFound", `${qualified(type)} "${name}" not found`, { name, ...(type.group ? { group: type.group } : {}), kind: type.plural });
}

function invalid(type: ResourceType, name: string, causes: FieldCause[]): HttpError {
  const text = causes.map((c) => `${c.field}: ${c.message}`);
  const kind = type.group ? `${type.kind}.${type.group}` : type.kind;
  return new HttpError(422, "Invalid", `${kind} "${name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(", ")}]`}`, {
    name,
    ...(type.group ? { group: type.group } : {}),
    kind: type.kind,
    causes,
  });
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface NodeSpec {
  name: string;
  region: string;
  /** nvidia.com/gpu.product label, e.g. NVIDIA-H100-80GB-HBM3; absent for a CPU node. */
  gpuProduct?: string;
  /** Allocatable whole GPUs (nvidia.com/gpu). */
  gpus?: number;
  /** Allocatable MIG slices per profile, e.g. { "1g.10gb": 28 } (mixed strategy). */
  mig?: Record<string, number>;
  cpu?: number;
  memoryGi?: number;
  ready?: boolean;
  unschedulable?: boolean;
  /** Extra taints; GPU nodes get nvidia.com/gpu:NoSchedule automatically. */
  taints?: Array<{ key: string; value?: string; effect: string }>;
  /** Extra labels (e.g. an operator's own pool label, or a node role). */
  labels?: Record<string, string>;
}

export interface PodEventOptions {
  message?: string;
  type?: "Normal" | "Warning";
  /** Node for Scheduled (default: a node of the workbench's region, else "worker-0"). */
  node?: string;
}

/** A fake API server; start it with startFakeKubernetes(). */
export class FakeKubernetes {
  readonly requests: RecordedRequest[] = [];
  readonly token: string;
  url = "";
  private readonly store = new Map<string, Obj>();
  private revision = 100;
  private server: Server | null = null;
  private readonly notebooks: CrdValidator = notebookValidator();
  private readonly unknownFields: "reject" | "prune";
  private readonly clock: () => Date;
  private lastEventAt = 0;

  constructor(options: FakeKubernetesOptions = {}) {
    this.token = options.token ?? randomBytes(16).toString("hex");
    this.unknownFields = options.unknownFields ?? "reject";
    this.clock = options.now ?? (() => new Date());
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Forgets the recorded requests (objects stay). */
  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Recorded requests, optionally only those of one method whose path contains `pathPart`. */
  requestsTo(method: string, pathPart: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.includes(pathPart));
  }

  /** A stored object (as stored: notebooks in kubeflow.org/v1), or undefined. */
  get(plural: string, namespace: string | null, name: string): Obj | undefined {
    const value = this.store.get(this.key(plural, namespace, name));
    return value ? structuredClone(value) : undefined;
  }

  list(plural: string, namespace?: string): Obj[] {
    return [...this.store.entries()]
      .filter(([k]) => k.startsWith(`${plural}|${namespace === undefined ? "" : `${namespace}|`}`))
      .map(([, v]) => structuredClone(v));
  }

  /** Validates a Notebook as this server would on create (strict about unknown fields). */
  validateNotebook(object: unknown): string[] {
    const version = isObject(object) && typeof object.apiVersion === "string" ? object.apiVersion.split("/")[1] ?? "" : "";
    const validator = this.notebooks.version(version);
    if (!validator) return [`apiVersion: unsupported version ${version}`];
    const result = validator.validate(object);
    return [...result.unknownFields.map((f) => `unknown field "${f}"`), ...result.decodeErrors, ...result.causes.map((c) => `${c.field}: ${c.message}`)];
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  private key(plural: string, namespace: string | null | undefined, name: string): string {
    return `${plural}|${namespace ? `${namespace}|` : ""}${name}`;
  }

  private nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers["content-type"]?.split(";")[0]?.trim() ?? null,
      body,
      status: 0,
    };
    this.requests.push(record);
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    let status = 200;
    let payload: unknown;
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) throw new HttpError(401, "Unauthorized", "Unauthorized");
      ({ status, payload } = this.route(record, text, headers));
    } catch (error) {
      const e =
        error instanceof HttpError
          ? error
          : new HttpError(500, "InternalError", `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`);
      status = e.code;
      payload = {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: e.message,
        reason: e.reason,
        ...(e.details ? { details: e.details } : {}),
        code: e.code,
      };
    }
    record.status = status;
    res.writeHead(status, headers);
    res.end(JSON.stringify(payload));
  }

  private route(
    request: RecordedRequest,
    text: string,
    headers: Record<string, string>,
  ): { status: number; payload: unknown } {
    const parts = request.path.split("/").filter(Boolean);
    let group = "";
    let version = "";
    let rest: string[];
    if (parts[0] === "api" && parts[1] === "v1") {
      version = "v1";
      rest = parts.slice(2);
    } else if (parts[0] === "apis" && parts.length >= 3) {
      group = parts[1]!;
      version = parts[2]!;
      rest = parts.slice(3);
    } else if (request.path === "/version") {
      return { status: 200, payload: { major: "1", minor: "33", gitVersion: "v1.33.0-fake", platform: "linux/amd64" } };
    } else {
      throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    }

    let namespace: string | null = null;
    let plural: string;
    let name: string | null = null;
    let subresource: string | null = null;
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1]!;
      plural = rest[2]!;
      name = rest[3] ?? null;
      subresource = rest[4] ?? null;
    } else {
      plural = rest[0] ?? "";
      name = rest[1] ?? null;
      subresource = rest[2] ?? null;
    }
    const type = TYPES.find((t) => t.plural === plural && t.group === group && t.versions.includes(version));
    if (!type || (namespace !== null && !type.namespaced) || (subresource !== null && subresource !== "status")) {
      throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    }
    if (subresource === "status" && !type.statusSubresource) {
      throw new HttpError(404, "NotFound", "the server could not find the requested resource");
    }
    const ctx = { type, version, namespace, name, subresource, request, text, headers };

    switch (request.method) {
      case "GET":
        if (request.query.watch === "true" || request.query.watch === "1") {
          throw new HttpError(405, "MethodNotAllowed", "watch is not supported by this fake API server");
        }
        return name ? { status: 200, payload: this.view(type, version, this.mustGet(type, namespace, name)) } : this.listObjects(ctx);
      case "POST":
        if (name) throw new HttpError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
        return this.createObject(ctx);
      case "PATCH":
      case "PUT":
        if (!name) throw new HttpError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
        return this.updateObject({ ...ctx, name });
      case "DELETE":
        if (!name) throw new HttpError(405, "MethodNotAllowed", "deletecollection is not supported by this fake API server");
        return this.deleteObject(type, version, namespace, name);
      default:
        throw new HttpError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
    }
  }

  private mustGet(type: ResourceType, namespace: string | null, name: string): Obj {
    const object = this.store.get(this.key(type.plural, type.namespaced ? namespace : null, name));
    if (!object) throw notFound(type, name);
    return object;
  }

  /** The stored object as the requested version shows it (custom resources: same schema, other apiVersion). */
  private view(type: ResourceType, version: string, object: Obj): Obj {
    const copy = structuredClone(object);
    if (type.group) copy.apiVersion = `${type.group}/${version}`;
    return copy;
  }

  private listObjects(ctx: { type: ResourceType; version: string; namespace: string | null; request: RecordedRequest }) {
    const { type, version, namespace, request } = ctx;
    let labels: ReturnType<typeof parseLabelSelector> = [];
    let fields: ReturnType<typeof parseFieldSelector> = [];
    try {
      labels = parseLabelSelector(request.query.labelSelector ?? "");
      fields = parseFieldSelector(request.query.fieldSelector ?? "");
    } catch (error) {
      throw new HttpError(400, "BadRequest", error instanceof SelectorError ? error.message : String(error));
    }
    const supported = Object.keys(type.fields({ metadata: {} }));
    for (const f of fields) {
      if (!supported.includes(f.field)) {
        throw new HttpError(
          400,
          "BadRequest",
          type.custom
            ? `"${f.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
            : `field label not supported: ${f.field}`,
        );
      }
    }
    const prefix = `${type.plural}|${namespace ? `${namespace}|` : ""}`;
    const items = [...this.store.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v)
      .filter((o) => matchesLabels(o.metadata?.labels, labels) && matchesFields(type.fields(o), fields))
      .map((o) => {
        const item = this.view(type, version, o);
        // The API server leaves apiVersion/kind out of built-in list items; custom resources keep them.
        if (!type.custom) {
          delete item.apiVersion;
          delete item.kind;
        }
        return item;
      });
    return {
      status: 200,
      payload: {
        kind: `${type.kind}List`,
        apiVersion: type.group ? `${type.group}/${version}` : "v1",
        metadata: { resourceVersion: String(this.revision) },
        items,
      },
    };
  }

  private fieldValidation(query: Record<string, string>): "Strict" | "Warn" | "Ignore" {
    const value = query.fieldValidation;
    if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
    if (value !== undefined) {
      throw new HttpError(400, "BadRequest", `fieldValidation invalid value: ${value}; supported values: "Ignore", "Warn", "Strict"`);
    }
    return this.unknownFields === "reject" ? "Strict" : "Warn";
  }

  /** Decoding and validation of an incoming object; returns the object as it will be stored. */
  private admit(type: ResourceType, version: string, object: Obj, query: Record<string, string>, headers: Record<string, string>): Obj {
    const name = str(object.metadata?.name || object.metadata?.generateName);
    if (type.plural === "notebooks") {
      const mode = this.fieldValidation(query);
      const validator = this.notebooks.version(version)!;
      const result = validator.validate(object, { pruneUnknown: mode !== "Strict" });
      const cannot = `${type.kind} in version "${version}" cannot be handled as a ${type.kind}`;
      if (result.decodeErrors.length > 0) throw new HttpError(400, "BadRequest", `${cannot}: json: ${result.decodeErrors[0]}`);
      if (result.unknownFields.length > 0 && mode === "Strict") {
        throw new HttpError(400, "BadRequest", `${cannot}: strict decoding error: ${result.unknownFields.map((f) => `unknown field "${f}"`).join(", ")}`);
      }
      if (result.unknownFields.length > 0 && mode === "Warn") {
        headers.Warning = result.unknownFields.map((f) => `299 - "unknown field \\"${f}\\""`).join(", ");
      }
      if (result.causes.length > 0) throw invalid(type, name, result.causes);
      return result.object;
    }
    const meta = validateObjectMeta(object.metadata, type.nameRule);
    if (meta.decodeErrors.length > 0) {
      throw new HttpError(400, "BadRequest", `${type.kind} in version "v1" cannot be handled as a ${type.kind}: json: ${meta.decodeErrors[0]}`);
    }
    const causes = [...meta.causes, ...this.typeChecks(type, object)];
    if (causes.length > 0) throw invalid(type, name, causes);
    return object;
  }

  /** The few built-in checks the workbench objects meet (not the full core/v1 validation). */
  private typeChecks(type: ResourceType, object: Obj): FieldCause[] {
    const causes: FieldCause[] = [];
    if (type.plural === "persistentvolumeclaims") {
      const modes = object.spec?.accessModes;
      if (!Array.isArray(modes) || modes.length === 0) {
        causes.push({ reason: "FieldValueRequired", field: "spec.accessModes", message: "Required value: at least 1 access mode is required" });
      }
      if (!object.spec?.resources?.requests?.storage) {
        causes.push({ reason: "FieldValueRequired", field: "spec.resources[storage]", message: "Required value" });
      }
    }
    if (type.plural === "events" && object.involvedObject?.namespace && object.involvedObject.namespace !== object.metadata?.namespace) {
      causes.push({ reason: "FieldValueInvalid", field: "involvedObject.namespace", message: `Invalid value: ${JSON.stringify(object.involvedObject.namespace)}: does not match event.namespace` });
    }
    if (type.plural === "pods" && (!Array.isArray(object.spec?.containers) || object.spec.containers.length === 0)) {
      causes.push({ reason: "FieldValueRequired", field: "spec.containers", message: "Required value" });
    }
    return causes;
  }

  private checkTypeMeta(type: ResourceType, version: string, object: Obj): void {
    const expected = type.group ? `${type.group}/${version}` : "v1";
    if (object.apiVersion !== undefined && object.apiVersion !== expected) {
      throw new HttpError(400, "BadRequest", `the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw new HttpError(400, "BadRequest", `the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`);
    }
  }

  private createObject(ctx: {
    type: ResourceType;
    version: string;
    namespace: string | null;
    request: RecordedRequest;
    headers: Record<string, string>;
  }) {
    const { type, version, namespace, request, headers } = ctx;
    if (!isObject(request.body)) throw new HttpError(400, "BadRequest", "the body of the request was in an unknown format - accepted media types include: application/json");
    const object = structuredClone(request.body);
    this.checkTypeMeta(type, version, object);
    object.apiVersion = type.group ? `${type.group}/${version}` : "v1";
    object.kind = type.kind;
    if (!isObject(object.metadata)) object.metadata = {};
    const meta = object.metadata as Obj;
    if (type.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== namespace) {
        throw new HttpError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.namespace = namespace;
      if (!this.store.has(this.key("namespaces", null, namespace!))) {
        throw new HttpError(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" });
      }
    } else {
      delete meta.namespace;
    }
    if (meta.resourceVersion) throw new HttpError(400, "BadRequest", "resourceVersion should not be set on objects to be created");
    if (!meta.name && typeof meta.generateName === "string") meta.name = `${meta.generateName}${randomBytes(3).toString("hex").slice(0, 5)}`;

    const admitted = this.admit(type, version, object, request.query, headers);
    const name = str(admitted.metadata?.name);
    const key = this.key(type.plural, type.namespaced ? namespace : null, name);
    if (this.store.has(key)) {
      throw new HttpError(409, "AlreadyExists", `${qualified(type)} "${name}" already exists`, {
        name,
        ...(type.group ? { group: type.group } : {}),
        kind: type.plural,
      });
    }
    const stored = this.initialise(type, admitted);
    if (request.query.dryRun !== "All") this.store.set(key, stored);
    return { status: 201, payload: this.view(type, version, stored) };
  }

  /** Server-set metadata and the status a new object starts with. */
  private initialise(type: ResourceType, object: Obj): Obj {
    const now = this.clock();
    const meta = object.metadata as Obj;
    meta.uid = randomUUID();
    meta.resourceVersion = this.nextRevision();
    meta.creationTimestamp = timestamp(now);
    delete meta.deletionTimestamp;
    if (type.custom) {
      meta.generation = 1;
      object.apiVersion = `${type.group}/${type.versions[0]}`;
    }
    if (type.statusSubresource) delete object.status;
    switch (type.plural) {
      case "namespaces":
        meta.labels = { ...(meta.labels ?? {}), "kubernetes.io/metadata.name": meta.name };
        object.spec = { finalizers: ["kubernetes"] };
        object.status = { phase: "Active" };
        break;
      case "persistentvolumeclaims":
        meta.finalizers = ["kubernetes.io/pvc-protection"];
        object.spec = { volumeMode: "Filesystem", ...object.spec };
        object.status = { phase: "Pending" };
        break;
      case "pods":
        object.status = { phase: "Pending", qosClass: "BestEffort" };
        break;
      default:
        break;
    }
    return object;
  }

  private updateObject(ctx: {
    type: ResourceType;
    version: string;
    namespace: string | null;
    name: string;
    subresource: string | null;
    request: RecordedRequest;
    headers: Record<string, string>;
  }) {
    const { type, version, namespace, name, subresource, request, headers } = ctx;
    const key = this.key(type.plural, type.namespaced ? namespace : null, name);
    const current = this.mustGet(type, namespace, name);
    const base = this.view(type, version, current);
    let next: unknown;
    if (request.method === "PUT") {
      if (!isObject(request.body)) throw new HttpError(400, "BadRequest", "the body of the request was in an unknown format - accepted media types include: application/json");
      next = structuredClone(request.body);
    } else {
      const contentType = request.contentType ?? "";
      try {
        if (contentType === "application/json-patch+json") next = applyJsonPatch(base, request.body);
        else if (contentType === "application/merge-patch+json" || (contentType === "application/strategic-merge-patch+json" && !type.custom)) {
          // Strategic merge for built-in types is treated as a plain merge patch here (no patch-merge keys).
          if (!isObject(request.body)) throw new PatchError("a merge patch must be a JSON object");
          next = applyMergePatch(base, request.body);
        } else {
          throw new HttpError(
            415,
            "UnsupportedMediaType",
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
      } catch (error) {
        if (error instanceof PatchError) {
          throw new HttpError(422, "Invalid", `the server rejected our request due to an error in our request: ${error.message}`);
        }
        throw error;
      }
    }
    if (!isObject(next)) throw new HttpError(422, "Invalid", "the server rejected our request due to an error in our request");
    this.checkTypeMeta(type, version, next);
    next.apiVersion = base.apiVersion;
    next.kind = type.kind;
    const meta: Obj = isObject(next.metadata) ? next.metadata : (next.metadata = {});
    if (meta.name !== undefined && meta.name !== name) {
      throw new HttpError(400, "BadRequest", `the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (type.namespaced && meta.namespace !== undefined && meta.namespace !== namespace) {
      throw new HttpError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
    }
    if (meta.uid !== undefined && meta.uid !== current.metadata.uid) {
      throw new HttpError(409, "Conflict", `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
      throw new HttpError(
        409,
        "Conflict",
        `Operation cannot be fulfilled on ${qualified(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    meta.name = name;
    if (type.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    for (const k of ["uid", "creationTimestamp", "generation", "deletionTimestamp"]) {
      if (current.metadata[k] === undefined) delete meta[k];
      else meta[k] = current.metadata[k];
    }
    if (type.statusSubresource) {
      if (subresource === "status") {
        const status = next.status;
        next = { ...structuredClone(base), status };
      } else if (current.status === undefined) delete next.status;
      else next.status = structuredClone(current.status);
    }
    const admitted = this.admit(type, version, next as Obj, request.query, headers);
    const before: Obj = { ...structuredClone(current), apiVersion: undefined };
    const after: Obj = { ...structuredClone(admitted), apiVersion: undefined };
    delete (before.metadata as Obj).resourceVersion;
    delete (after.metadata as Obj).resourceVersion;
    if (JSON.stringify(canonical(before)) === JSON.stringify(canonical(after))) {
      return { status: 200, payload: this.view(type, version, current) };
    }
    const specOf = (o: Obj) => JSON.stringify(canonical({ ...o, metadata: undefined, status: undefined, apiVersion: undefined }));
    if (type.custom) {
      admitted.metadata.generation = (current.metadata.generation ?? 1) + (specOf(current) !== specOf(admitted) ? 1 : 0);
      admitted.apiVersion = `${type.group}/${type.versions[0]}`;
    }
    admitted.metadata.resourceVersion = this.nextRevision();
    if (request.query.dryRun !== "All") this.store.set(key, admitted);
    return { status: 200, payload: this.view(type, version, admitted) };
  }

  private deleteObject(type: ResourceType, version: string, namespace: string | null, name: string) {
    const object = this.mustGet(type, namespace, name);
    this.store.delete(this.key(type.plural, type.namespaced ? namespace : null, name));
    if (type.plural === "namespaces") {
      // Namespace deletion empties it; a real server keeps it Terminating meanwhile.
      for (const key of [...this.store.keys()]) if (key.split("|")[1] === name && key.split("|").length === 3) this.store.delete(key);
      const gone = structuredClone(object);
      gone.metadata.deletionTimestamp = timestamp(this.clock());
      gone.status = { phase: "Terminating" };
      return { status: 200, payload: gone };
    }
    if (type.plural === "notebooks") {
      // Garbage collection of what the notebook controller made: the StatefulSet's pod.
      this.store.delete(this.key("pods", namespace, `${name}-0`));
      return { status: 200, payload: this.view(type, version, object) };
    }
    return {
      status: 200,
      payload: {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Success",
        details: { name, ...(type.group ? { group: type.group } : {}), kind: type.plural, uid: object.metadata.uid },
      },
    };
  }

  // ---- the cluster's other actors, for tests --------------------------------------------------------

  /** Stores an object directly (as a controller would), with server metadata; returns the stored copy. */
  private put(plural: string, object: Obj): Obj {
    const type = TYPES.find((t) => t.plural === plural)!;
    const namespace = type.namespaced ? (object.metadata.namespace as string) : null;
    const key = this.key(plural, namespace, object.metadata.name as string);
    const existing = this.store.get(key);
    if (existing) {
      object.metadata.uid = existing.metadata.uid;
      object.metadata.creationTimestamp = existing.metadata.creationTimestamp;
      if (existing.metadata.generation !== undefined) object.metadata.generation = existing.metadata.generation;
    } else {
      object.metadata.uid ??= randomUUID();
      object.metadata.creationTimestamp ??= timestamp(this.clock());
    }
    object.metadata.resourceVersion = this.nextRevision();
    if (type.plural === "notebooks") {
      const problems = this.validateNotebook(object);
      if (problems.length > 0) throw new Error(`fake controller wrote an invalid Notebook: ${problems.join("; ")}`);
    }
    this.store.set(key, structuredClone(object));
    return object;
  }

  private ensureNamespace(name: string): void {
    if (!this.store.has(this.key("namespaces", null, name))) {
      this.put("namespaces", {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name, labels: { "kubernetes.io/metadata.name": name } },
        spec: { finalizers: ["kubernetes"] },
        status: { phase: "Active" },
      });
    }
  }

  /** A node as GPU feature discovery and the NVIDIA device plugin label and size it. */
  addNode(spec: NodeSpec): Obj {
    const gpuNode = Boolean(spec.gpuProduct);
    const allocatable: Record<string, string> = {
      cpu: String(spec.cpu ?? (gpuNode ? 220 : 64)),
      memory: `${spec.memoryGi ?? (gpuNode ? 2000 : 256)}Gi`,
      pods: "250",
      "ephemeral-storage": "3500Gi",
    };
    if (spec.gpus !== undefined) allocatable["nvidia.com/gpu"] = String(spec.gpus);
    for (const [profile, count] of Object.entries(spec.mig ?? {})) allocatable[`nvidia.com/mig-${profile}`] = String(count);
    const labels: Record<string, string> = {
      "kubernetes.io/hostname": spec.name,
      "kubernetes.io/os": "linux",
      "node-role.kubernetes.io/worker": "",
      "topology.kubernetes.io/region": spec.region,
      "topology.kubernetes.io/zone": `${spec.region}a`,
    };
    if (spec.gpuProduct) {
      labels["nvidia.com/gpu.present"] = "true";
      labels["nvidia.com/gpu.product"] = spec.gpuProduct;
      if (spec.gpus !== undefined) labels["nvidia.com/gpu.count"] = String(spec.gpus);
      if (spec.mig) labels["nvidia.com/mig.strategy"] = "mixed";
    }
    Object.assign(labels, spec.labels);
    const taints = [...(gpuNode ? [{ key: "nvidia.com/gpu", effect: "NoSchedule" }] : []), ...(spec.taints ?? [])];
    return this.put("nodes", {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: spec.name, labels },
      spec: { ...(taints.length > 0 ? { taints } : {}), ...(spec.unschedulable ? { unschedulable: true } : {}) },
      status: {
        allocatable,
        capacity: allocatable,
        conditions: [{ type: "Ready", status: spec.ready === false ? "False" : "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
      },
    });
  }

  /** Some other workload holding resources on a node (requests = limits). */
  addPod(spec: { namespace: string; name: string; nodeName: string; requests: Record<string, string>; labels?: Record<string, string>; phase?: string }): Obj {
    this.ensureNamespace(spec.namespace);
    return this.put("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels ?? {} },
      spec: {
        nodeName: spec.nodeName,
        containers: [{ name: "main", image: "registry.example/job:1", resources: { requests: spec.requests, limits: spec.requests } }],
      },
      status: { phase: spec.phase ?? "Running" },
    });
  }

  private eventNow(): Date {
    const t = Math.max(this.clock().getTime(), this.lastEventAt);
    this.lastEventAt = t;
    return new Date(t);
  }

  private mustNotebook(namespace: string, name: string): Obj {
    const notebook = this.store.get(this.key("notebooks", namespace, name));
    if (!notebook) throw new Error(`no Notebook ${namespace}/${name}`);
    return structuredClone(notebook);
  }

  /** The notebook controller's StatefulSet pod `<name>-0`, created when missing. */
  notebookPod(namespace: string, name: string): Obj {
    const podName = `${name}-0`;
    const existing = this.store.get(this.key("pods", namespace, podName));
    if (existing) return structuredClone(existing);
    const notebook = this.mustNotebook(namespace, name);
    const spec = structuredClone(notebook.spec.template.spec) as Obj;
    const container = (spec.containers as Obj[])[0]!;
    container.env = [...((container.env as Obj[]) ?? []).filter((e) => e.name !== "NB_PREFIX"), { name: "NB_PREFIX", value: `/notebook/${namespace}/${name}` }];
    const annotations = Object.fromEntries(
      Object.entries((notebook.metadata.annotations ?? {}) as Record<string, string>).filter(([k]) => !k.includes("kubectl") && !k.includes("notebook")),
    );
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    const guaranteed = Object.keys(requests).length > 0 && JSON.stringify(canonical(requests)) === JSON.stringify(canonical(limits));
    return this.put("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: podName,
        namespace,
        labels: {
          ...(notebook.metadata.labels ?? {}),
          statefulset: name,
          "notebook-name": name,
          "opendatahub.io/workbenches": "true",
          "statefulset.kubernetes.io/pod-name": podName,
        },
        annotations,
        ownerReferences: [{ apiVersion: "apps/v1", kind: "StatefulSet", name, uid: randomUUID(), controller: true, blockOwnerDeletion: true }],
      },
      spec: { ...spec, hostname: podName, subdomain: name, restartPolicy: "Always", schedulerName: "default-scheduler" },
      status: { phase: "Pending", qosClass: guaranteed ? "Guaranteed" : "Burstable" },
    });
  }

  /** The controller's copy of the pod's state into the Notebook status (readyReplicas, containerState, conditions). */
  private mirrorStatus(namespace: string, name: string): void {
    const notebook = this.mustNotebook(namespace, name);
    const pod = this.store.get(this.key("pods", namespace, `${name}-0`));
    const now = timestamp(this.clock());
    const own = ((pod?.status?.containerStatuses ?? []) as Obj[]).find((s) => s.name === name);
    const ready = ((pod?.status?.conditions ?? []) as Obj[]).some((c) => c.type === "Ready" && c.status === "True");
    notebook.status = {
      readyReplicas: ready ? 1 : 0,
      containerState: own?.state ?? {},
      conditions: ((pod?.status?.conditions ?? []) as Obj[]).map((c) => ({
        type: c.type,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
        lastProbeTime: c.lastProbeTime ?? now,
        lastTransitionTime: c.lastTransitionTime ?? now,
      })),
    };
    this.put("notebooks", notebook);
  }

  private recordEvent(namespace: string, involved: Obj, event: Obj): Obj {
    return this.put("events", {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${involved.name}.${randomBytes(8).toString("hex")}`, namespace },
      involvedObject: { namespace, ...involved },
      ...event,
    });
  }

  private setCondition(pod: Obj, type: string, status: string, extra: Obj = {}): void {
    const conditions = ((pod.status.conditions ?? []) as Obj[]).filter((c) => c.type !== type);
    conditions.push({ type, status, lastProbeTime: null, lastTransitionTime: timestamp(this.clock()), ...extra });
    pod.status.conditions = conditions;
  }

  private ownStatus(pod: Obj, name: string, image: string): Obj {
    const statuses = (pod.status.containerStatuses ??= []) as Obj[];
    let own = statuses.find((s) => s.name === name);
    if (!own) {
      own = { name, image, imageID: "", ready: false, started: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } };
      statuses.push(own);
    }
    return own;
  }

  /**
   * A pod event from the scheduler or the kubelet, with the pod state that goes with it, re-issued on the
   * Notebook as the notebook controller does. Reasons: FailedScheduling, Scheduled, Pulling, Pulled,
   * Created, Started, BackOff, Failed, FailedMount.
   */
  addPodEvent(namespace: string, notebookName: string, reason: string, options: PodEventOptions = {}): Obj {
    const pod = structuredClone(this.notebookPod(namespace, notebookName));
    const notebook = this.mustNotebook(namespace, notebookName);
    const container = (pod.spec.containers as Obj[]).find((c) => c.name === notebookName) ?? (pod.spec.containers as Obj[])[0]!;
    const image = str(container.image);
    const at = this.eventNow();
    const node = options.node ?? pod.spec.nodeName ?? this.nodeFor(notebook) ?? "worker-0";
    const podRef = { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion };
    const containerRef = { ...podRef, fieldPath: `spec.containers{${container.name}}` };
    const scheduler = { eventTime: microTime(at), firstTimestamp: null, lastTimestamp: null, reportingComponent: "default-scheduler", reportingInstance: "default-scheduler-master-0", source: {}, action: "Scheduling" };
    const kubelet = (host: string) => ({ firstTimestamp: timestamp(at), lastTimestamp: timestamp(at), count: 1, eventTime: null, reportingComponent: "kubelet", reportingInstance: host, source: { component: "kubelet", host } });
    let message = options.message;
    let type = options.type ?? "Normal";
    let involved: Obj = containerRef;
    let source: Obj = kubelet(node);

    switch (reason) {
      case "FailedScheduling":
        message ??= "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
        type = "Warning";
        involved = podRef;
        source = scheduler;
        this.setCondition(pod, "PodScheduled", "False", { reason: "Unschedulable", message });
        break;
      case "Scheduled":
        message ??= `Successfully assigned ${namespace}/${pod.metadata.name} to ${node}`;
        involved = podRef;
        source = scheduler;
        pod.spec.nodeName = node;
        pod.status.hostIP = "10.0.0.10";
        pod.status.startTime = timestamp(at);
        this.setCondition(pod, "PodScheduled", "True");
        this.setCondition(pod, "Initialized", "True");
        this.setCondition(pod, "Ready", "False", { reason: "ContainersNotReady", message: `containers with unready status: [${container.name}]` });
        this.setCondition(pod, "ContainersReady", "False", { reason: "ContainersNotReady", message: `containers with unready status: [${container.name}]` });
        this.ownStatus(pod, container.name, image);
        break;
      case "FailedMount":
        message ??= `MountVolume.SetUp failed for volume "${notebookName}-storage" : volume is not attached yet`;
        type = "Warning";
        involved = podRef;
        break;
      case "Pulling":
        message ??= `Pulling image "${image}"`;
        this.ownStatus(pod, container.name, image).state = { waiting: { reason: "ContainerCreating" } };
        break;
      case "Pulled":
        message ??= `Successfully pulled image "${image}" in 41.2s (41.2s including waiting). Image size: 3411543011 bytes.`;
        break;
      case "Created":
        message ??= `Created container: ${container.name}`;
        break;
      case "Started": {
        message ??= `Started container ${container.name}`;
        const own = this.ownStatus(pod, container.name, image);
        own.state = { running: { startedAt: timestamp(at) } };
        own.started = true;
        pod.status.phase = "Running";
        pod.status.podIP = "10.128.2.15";
        break;
      }
      case "Failed":
        message ??= `Failed to pull image "${image}": initializing source docker://${image}: reading manifest: manifest unknown`;
        type = "Warning";
        this.ownStatus(pod, container.name, image).state = { waiting: { reason: "ErrImagePull", message } };
        break;
      case "BackOff": {
        message ??= `Back-off pulling image "${image}"`;
        type = "Warning";
        const pulling = /pulling image/i.test(message);
        this.ownStatus(pod, container.name, image).state = {
          waiting: pulling ? { reason: "ImagePullBackOff", message } : { reason: "CrashLoopBackOff", message: `back-off 5m0s restarting failed container=${container.name} pod=${pod.metadata.name}` },
        };
        break;
      }
      default:
        break;
    }
    this.put("pods", pod);
    const event = this.recordEvent(namespace, involved, { reason, message, type, ...source });
    this.recordEvent(
      namespace,
      { apiVersion: notebook.apiVersion, kind: "Notebook", name: notebookName, uid: notebook.metadata.uid, resourceVersion: notebook.metadata.resourceVersion },
      { reason, message: `Reissued from ${involved.kind.toLowerCase()}/${involved.name}: ${message}`, type, ...kubelet(node), reportingComponent: "notebook-controller", reportingInstance: "", source: { component: "notebook-controller" } },
    );
    this.mirrorStatus(namespace, notebookName);
    return event;
  }

  private nodeFor(notebook: Obj): string | undefined {
    const region = notebook.spec?.template?.spec?.nodeSelector?.["topology.kubernetes.io/region"];
    return this.list("nodes").find((n) => n.metadata.labels?.["topology.kubernetes.io/region"] === region)?.metadata.name;
  }

  /** Walks the pod to Ready (scheduled, image pulled, container started, probe passing) as the kubelet reports it. */
  markNotebookReady(namespace: string, name: string, node?: string): Obj {
    const current = this.notebookPod(namespace, name);
    if (!current.spec.nodeName) this.addPodEvent(namespace, name, "Scheduled", { node });
    const pod = structuredClone(this.store.get(this.key("pods", namespace, `${name}-0`))!);
    const container = (pod.spec.containers as Obj[])[0]!;
    const own = this.ownStatus(pod, container.name, str(container.image));
    const startedAt = own.state?.running?.startedAt ?? timestamp(this.clock());
    Object.assign(own, { ready: true, started: true, state: { running: { startedAt } }, imageID: `${str(container.image)}@sha256:${"0".repeat(64)}` });
    pod.status.phase = "Running";
    pod.status.podIP ??= "10.128.2.15";
    this.setCondition(pod, "PodReadyToStartContainers", "True");
    this.setCondition(pod, "Initialized", "True");
    this.setCondition(pod, "Ready", "True");
    this.setCondition(pod, "ContainersReady", "True");
    this.setCondition(pod, "PodScheduled", "True");
    this.put("pods", pod);
    this.mirrorStatus(namespace, name);
    return pod;
  }

  /**
   * The notebook controller's reaction to the stop annotation: the StatefulSet goes to 0 replicas, the
   * kubelet stops the container and the pod disappears.
   */
  reconcileStop(namespace: string, name: string): void {
    const notebook = this.mustNotebook(namespace, name);
    if (notebook.metadata.annotations?.["kubeflow-resource-stopped"] === undefined) return;
    const pod = this.store.get(this.key("pods", namespace, `${name}-0`));
    if (pod) {
      const at = this.eventNow();
      const host = str(pod.spec.nodeName) || "worker-0";
      this.recordEvent(
        namespace,
        { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid, fieldPath: `spec.containers{${name}}` },
        { reason: "Killing", message: `Stopping container ${name}`, type: "Normal", firstTimestamp: timestamp(at), lastTimestamp: timestamp(at), count: 1, source: { component: "kubelet", host } },
      );
      this.store.delete(this.key("pods", namespace, `${name}-0`));
    }
    this.mirrorStatus(namespace, name);
  }
}

/** Starts a fake API server on 127.0.0.1 with a random port. */
export async function startFakeKubernetes(options: FakeKubernetesOptions = {}): Promise<FakeKubernetes> {
  return new FakeKubernetes(options).listen();
}
