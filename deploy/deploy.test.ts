// The container build files and Kubernetes manifests in deploy/, checked without a cluster, kubectl or a
// container engine: each overlay is rendered by resolving its kustomization.yaml here (resources, patches,
// images, namespace), and the result is checked against itself, the Containerfiles and the sources of the
// processes they run (entry files, probe paths, the Kubernetes API calls of the control plane).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const K8S = path.join(ROOT, "deploy", "k8s");
const CONTAINERS = path.join(ROOT, "deploy", "containers");
const OVERLAYS = ["openshift", "kubernetes"] as const;
const SECRET_NAME = "portal-secrets";
const SECRET_LIKE = /SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE_KEY|API_KEY|DATABASE_URL|SMTP_URL/;
const BASE_IMAGE = "node:20-bookworm-slim";
const WEB_ENTRY = "server/http/serve.ts";

// ---------------------------------------------------------------------------------------------------------
// The shapes of the manifests this test reads
// ---------------------------------------------------------------------------------------------------------

type Labels = Record<string, string>;
interface Meta {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Labels;
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Meta;
}
type Port = number | string;
interface Probe {
  httpGet?: { path?: string; port: Port };
  tcpSocket?: { port: Port };
  grpc?: { port: number };
  exec?: { command: string[] };
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  securityContext?: SecurityContext;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
  volumes?: Array<{ name: string; emptyDir?: object }>;
  serviceAccountName?: string;
  restartPolicy?: string;
}
interface PodTemplate {
  metadata?: { labels?: Labels; annotations?: Labels };
  spec: PodSpec;
}
interface Deployment extends K8sObject {
  spec: { replicas?: number; selector: { matchLabels: Labels }; template: PodTemplate };
}
interface Job extends K8sObject {
  spec: { backoffLimit?: number; ttlSecondsAfterFinished?: number; template: PodTemplate };
}
interface Service extends K8sObject {
  spec: { selector?: Labels; ports: Array<{ name?: string; port: number; targetPort?: Port }> };
}
interface Hpa extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    metrics?: Array<{ type: string; resource?: { name: string } }>;
  };
}
interface Pdb extends K8sObject {
  spec: { selector: { matchLabels: Labels }; minAvailable?: number | string; maxUnavailable?: number | string };
}
interface PolicyPeer {
  podSelector?: { matchLabels?: Labels };
  namespaceSelector?: { matchLabels?: Labels };
  ipBlock?: unknown;
}
interface NetworkPolicy extends K8sObject {
  spec: { podSelector: { matchLabels?: Labels }; policyTypes?: string[]; ingress?: Array<{ from?: PolicyPeer[]; ports?: unknown[] }> };
}
interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}
interface Role extends K8sObject {
  rules: RbacRule[];
}
interface Binding extends K8sObject {
  roleRef: { kind: string; name: string };
  subjects: Array<{ kind: string; name: string; namespace?: string }>;
}
interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}
interface Route extends K8sObject {
  spec: { to: { kind: string; name: string }; port?: { targetPort: Port }; tls?: { termination?: string; insecureEdgeTerminationPolicy?: string } };
}
interface Ingress extends K8sObject {
  spec: {
    tls?: Array<{ hosts?: string[]; secretName?: string }>;
    rules: Array<{ http: { paths: Array<{ backend: { service: { name: string; port: { name?: string; number?: number } } } }> } }>;
  };
}

// ---------------------------------------------------------------------------------------------------------
// A small kustomize: resources, patches (strategic merge and JSON 6902), namespace and images
// ---------------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);
const relative = (file: string) => path.relative(ROOT, file);
const read = (file: string) => readFileSync(file, "utf8");

function loadYaml(file: string): JsonObject[] {
  const docs = parseAllDocuments(read(file));
  const out: JsonObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${relative(file)}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as Json;
    if (value === null) continue;
    if (!isObject(value)) throw new Error(`${relative(file)}: a document that is not a mapping`);
    out.push(value);
  }
  return out;
}

const KUSTOMIZATION_KEYS = new Set(["apiVersion", "kind", "resources", "patches", "images", "namespace"]);
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass"]);

interface PatchEntry {
  path?: string;
  patch?: string;
  target?: { group?: string; version?: string; kind?: string; name?: string; namespace?: string; labelSelector?: string };
}
interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Every kustomization.yaml file reachable from `dir` (for the secret-example check). */
function kustomizationFiles(dir: string, seen = new Set<string>()): Set<string> {
  const file = path.join(dir, "kustomization.yaml");
  if (seen.has(file)) return seen;
  seen.add(file);
  const k = parse(read(file)) as { resources?: string[] };
  for (const r of k.resources ?? []) {
    const p = path.resolve(dir, r);
    if (statSync(p).isDirectory()) kustomizationFiles(p, seen);
  }
  return seen;
}

function kustomize(dir: string): JsonObject[] {
  const file = path.join(dir, "kustomization.yaml");
  const k = parse(read(file)) as { resources?: string[]; patches?: PatchEntry[]; images?: ImageEntry[]; namespace?: string };
  for (const key of Object.keys(k)) {
    if (!KUSTOMIZATION_KEYS.has(key)) throw new Error(`${relative(file)}: "${key}" is not handled by the renderer in deploy/deploy.test.ts; extend it there`);
  }
  const objects: JsonObject[] = [];
  for (const r of k.resources ?? []) {
    const p = path.resolve(dir, r);
    if (!existsSync(p)) throw new Error(`${relative(file)}: resource ${r} does not exist`);
    objects.push(...(statSync(p).isDirectory() ? kustomize(p) : loadYaml(p)));
  }
  for (const entry of k.patches ?? []) applyPatch(objects, entry, dir, file);
  if (k.namespace) setNamespace(objects, k.namespace);
  for (const image of k.images ?? []) setImage(objects, image);
  return objects;
}

const anchored = (pattern: string) => new RegExp(`^(?:${pattern})$`);

function selects(target: NonNullable<PatchEntry["target"]>, o: JsonObject): boolean {
  const meta = o.metadata as JsonObject;
  const [group, version] = String(o.apiVersion).includes("/") ? String(o.apiVersion).split("/") : ["", String(o.apiVersion)];
  if (target.kind && !anchored(target.kind).test(String(o.kind))) return false;
  if (target.name && !anchored(target.name).test(String(meta.name))) return false;
  if (target.namespace && !anchored(target.namespace).test(String(meta.namespace ?? ""))) return false;
  if (target.group !== undefined && target.group !== group) return false;
  if (target.version && target.version !== version) return false;
  if (target.labelSelector) {
    const labels = (meta.labels ?? {}) as Labels;
    for (const pair of target.labelSelector.split(",")) {
      const [key, value] = pair.split("=").map((s) => s.trim());
      if (labels[key!] !== value) return false;
    }
  }
  return true;
}

function applyPatch(objects: JsonObject[], entry: PatchEntry, dir: string, file: string): void {
  const text = entry.path ? read(path.resolve(dir, entry.path)) : entry.patch;
  if (!text) throw new Error(`${relative(file)}: a patch without path or patch`);
  const body = parse(text) as Json;
  let targets: JsonObject[];
  if (entry.target) {
    targets = objects.filter((o) => selects(entry.target!, o));
  } else if (isObject(body)) {
    const name = (body.metadata as JsonObject | undefined)?.name;
    targets = objects.filter((o) => o.kind === body.kind && (o.metadata as JsonObject).name === name);
  } else {
    throw new Error(`${relative(file)}: a JSON 6902 patch needs a target`);
  }
  if (targets.length === 0) throw new Error(`${relative(file)}: patch ${entry.path ?? JSON.stringify(entry.target)} matches nothing`);
  for (const target of targets) {
    const patched = Array.isArray(body) ? jsonPatch(target, body, file) : strategicMerge(target, withoutIdentity(body, Boolean(entry.target)));
    for (const key of Object.keys(target)) delete target[key];
    Object.assign(target, patched);
  }
}

/** With a target, kustomize ignores the patch's own kind and name. */
function withoutIdentity(body: Json, targeted: boolean): Json {
  if (!targeted || !isObject(body)) return body;
  const copy = clone(body);
  delete copy.apiVersion;
  delete copy.kind;
  if (isObject(copy.metadata)) delete copy.metadata.name;
  return copy;
}

/** Strategic merge as kustomize does it for the fields used here: maps merge, lists of named items merge by name, `null` deletes. */
function strategicMerge(base: Json, patch: Json): Json {
  if (isObject(base) && isObject(patch)) {
    const out = clone(base);
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith("$")) throw new Error(`strategic merge directive ${key} is not handled by deploy/deploy.test.ts`);
      if (value === null) delete out[key];
      else out[key] = key in out ? strategicMerge(out[key]!, value) : clone(value);
    }
    return out;
  }
  const named = (list: Json[]) => list.every((item) => isObject(item) && typeof item.name === "string");
  if (Array.isArray(base) && Array.isArray(patch) && named(base) && named(patch)) {
    const out = clone(base) as JsonObject[];
    for (const item of patch as JsonObject[]) {
      const i = out.findIndex((existing) => existing.name === item.name);
      if (i >= 0) out[i] = strategicMerge(out[i]!, item) as JsonObject;
      else out.push(clone(item));
    }
    return out;
  }
  return clone(patch);
}

function jsonPatch(doc: JsonObject, ops: Json[], file: string): JsonObject {
  const out = clone(doc);
  for (const op of ops) {
    if (!isObject(op) || typeof op.path !== "string") throw new Error(`${relative(file)}: malformed JSON patch operation`);
    const parts = op.path.split("/").slice(1).map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
    const last = parts.pop();
    if (last === undefined) throw new Error(`${relative(file)}: JSON patch path ${op.path}`);
    let node: Json = out;
    for (const p of parts) {
      node = Array.isArray(node) ? (node[Number(p)] as Json) : isObject(node) ? (node[p] as Json) : null;
      if (node === null || node === undefined) throw new Error(`${relative(file)}: JSON patch path ${op.path} does not exist`);
    }
    const parent = node as JsonObject | Json[];
    if (op.op === "add" || op.op === "replace") {
      if (Array.isArray(parent)) {
        const i = last === "-" ? parent.length : Number(last);
        if (op.op === "add") parent.splice(i, 0, clone(op.value as Json));
        else parent[i] = clone(op.value as Json);
      } else {
        if (op.op === "replace" && !(last in parent)) throw new Error(`${relative(file)}: JSON patch replaces missing ${op.path}`);
        parent[last] = clone(op.value as Json);
      }
    } else if (op.op === "remove") {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else {
      throw new Error(`${relative(file)}: JSON patch op ${String(op.op)} is not handled by deploy/deploy.test.ts`);
    }
  }
  return out;
}

function setNamespace(objects: JsonObject[], namespace: string): void {
  for (const o of objects) {
    if (!CLUSTER_SCOPED.has(String(o.kind))) (o.metadata as JsonObject).namespace = namespace;
    // kustomize's default (setRoleBindingSubjects: defaultOnly): service-account subjects without a namespace or in "default".
    if ((o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding") && Array.isArray(o.subjects)) {
      for (const s of o.subjects as JsonObject[]) {
        if (s.kind === "ServiceAccount" && (!s.namespace || s.namespace === "default")) s.namespace = namespace;
      }
    }
  }
}

/** `registry:5000/a/b:tag@sha256:...` into name, tag and digest. */
function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split("@") as [string, string | undefined];
  const colon = rest.lastIndexOf(":");
  const tagged = colon > rest.lastIndexOf("/");
  return { name: tagged ? rest.slice(0, colon) : rest, tag: tagged ? rest.slice(colon + 1) : undefined, digest };
}

function podTemplateOf(o: JsonObject): JsonObject | undefined {
  const spec = o.spec as JsonObject | undefined;
  if (o.kind === "CronJob") return ((spec?.jobTemplate as JsonObject | undefined)?.spec as JsonObject | undefined)?.template as JsonObject | undefined;
  return ["Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet"].includes(String(o.kind)) ? (spec?.template as JsonObject | undefined) : undefined;
}

function setImage(objects: JsonObject[], image: ImageEntry): void {
  for (const o of objects) {
    const spec = podTemplateOf(o)?.spec as JsonObject | undefined;
    for (const list of [spec?.containers, spec?.initContainers]) {
      for (const c of (list ?? []) as JsonObject[]) {
        const current = splitImage(String(c.image));
        if (current.name !== image.name) continue;
        const tag = image.newTag ?? current.tag;
        const digest = image.digest ?? current.digest;
        c.image = `${image.newName ?? current.name}${tag ? `:${tag}` : ""}${digest ? `@${digest}` : ""}`;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Containerfiles
// ---------------------------------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  text: string;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}
interface Containerfile {
  file: string;
  stages: Stage[];
}

function parseContainerfile(file: string): Containerfile {
  const lines = read(file).split("\n");
  const instructions: Instruction[] = [];
  let current = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith("#") || (line === "" && current === "")) continue;
    const continued = line.endsWith("\\");
    current += ` ${continued ? line.slice(0, -1) : line}`;
    if (continued) continue;
    const text = current.trim();
    current = "";
    const [keyword = "", ...rest] = text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), text: rest.join(" ") });
  }
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === "ARG" && stages.length === 0) {
      const [name, value = ""] = ins.text.split("=");
      globalArgs.set(name!.trim(), value.trim());
    } else if (ins.keyword === "FROM") {
      const words = ins.text.split(/\s+/).filter((w) => !w.startsWith("--"));
      const from = words[0]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => globalArgs.get((a ?? b)!) ?? "");
      const name = words[1]?.toUpperCase() === "AS" ? words[2]! : String(stages.length);
      stages.push({ name, from, instructions: [] });
    } else if (stages.length > 0) {
      stages.at(-1)!.instructions.push(ins);
    }
  }
  return { file, stages };
}

/** The words of an instruction: a JSON array, or whitespace-separated. */
function words(text: string): string[] {
  return text.trim().startsWith("[") ? (JSON.parse(text) as string[]) : text.trim().split(/\s+/);
}

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}
function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === "COPY" || i.keyword === "ADD")
    .map((i) => {
      const all = words(i.text);
      const flags = all.filter((w) => w.startsWith("--"));
      const rest = all.filter((w) => !w.startsWith("--"));
      const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
      return { from, sources: rest.slice(0, -1), dest: rest.at(-1)! };
    });
}

function stageByName(cf: Containerfile, name: string): Stage | undefined {
  return cf.stages.find((s) => s.name === name);
}

/** The stage and the stages it is built FROM, nearest first. */
function lineage(cf: Containerfile, stage: Stage): Stage[] {
  const chain = [stage];
  for (let s = stageByName(cf, stage.from); s; s = stageByName(cf, s.from)) chain.push(s);
  return chain;
}

function workdir(chain: Stage[]): string {
  for (const s of chain) {
    const w = [...s.instructions].reverse().find((i) => i.keyword === "WORKDIR");
    if (w) return w.text.trim();
  }
  return "/";
}

/** Paths (relative to WORKDIR) that a stage's COPYs put into its image; "*" for the whole build context. */
function contents(cf: Containerfile, stage: Stage): Set<string> {
  const out = new Set<string>();
  const chain = lineage(cf, stage);
  const dir = workdir(chain);
  for (const s of chain) {
    for (const c of copies(s)) {
      const raw = path.posix.isAbsolute(c.dest) ? path.posix.relative(dir, c.dest) : c.dest;
      const dest = path.posix.normalize(raw || ".").replace(/\/$/, "") || ".";
      const intoDir = c.sources.length > 1 || /\/$/.test(c.dest) || dest === ".";
      for (const src of c.sources) {
        if (src === "." && dest === ".") out.add("*");
        else out.add(intoDir ? path.posix.join(dest, path.posix.basename(src)) : dest);
      }
    }
  }
  return out;
}

/** Whether a stage's image holds `file` (a path relative to the repository root and to WORKDIR). */
function holds(has: Set<string>, file: string): boolean {
  if (has.has("*")) return true;
  return [...has].some((p) => file === p || file.startsWith(`${p}/`));
}

function env(cf: Containerfile, stage: Stage): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of lineage(cf, stage).reverse()) {
    for (const i of s.instructions.filter((x) => x.keyword === "ENV")) {
      for (const pair of i.text.split(/\s+/)) {
        const [k, v] = pair.split("=");
        if (k && v !== undefined) out.set(k, v.replace(/^"|"$/g, ""));
      }
    }
  }
  return out;
}

function command(cf: Containerfile, stage: Stage): string[] {
  for (const s of lineage(cf, stage)) {
    const entrypoint = [...s.instructions].reverse().find((i) => i.keyword === "ENTRYPOINT");
    const cmd = [...s.instructions].reverse().find((i) => i.keyword === "CMD");
    if (entrypoint || cmd) return [...(entrypoint ? words(entrypoint.text) : []), ...(cmd ? words(cmd.text) : [])];
  }
  return [];
}

function user(cf: Containerfile, stage: Stage): string | undefined {
  for (const s of lineage(cf, stage)) {
    const u = [...s.instructions].reverse().find((i) => i.keyword === "USER");
    if (u) return u.text.trim();
  }
  return undefined;
}

/** The script a `node [flags] script` command runs. */
function nodeEntry(cmd: string[]): string | undefined {
  if (cmd[0] !== "node") return undefined;
  for (let i = 1; i < cmd.length; i++) {
    const word = cmd[i]!;
    if (["--import", "--require", "-r", "--loader", "--conditions", "-C"].includes(word)) i++;
    else if (!word.startsWith("-")) return word;
  }
  return undefined;
}

/** Runs of `npm ci` in a stage and the stages it is built from. */
function npmInstalls(cf: Containerfile, stage: Stage): string[] {
  return lineage(cf, stage).flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN" && /\bnpm ci\b/.test(i.text)).map((i) => i.text));
}

/** The `npm ci` behind a stage's node_modules (its own, or that of the stage it copies them from). */
function nodeModulesInstall(cf: Containerfile, stage: Stage): string | undefined {
  for (const s of lineage(cf, stage)) {
    const copy = copies(s).find((c) => c.sources.some((src) => path.posix.basename(src) === "node_modules"));
    if (copy?.from) {
      const from = stageByName(cf, copy.from);
      return from ? npmInstalls(cf, from).at(-1) : undefined;
    }
    const own = s.instructions.filter((i) => i.keyword === "RUN" && /\bnpm ci\b/.test(i.text)).at(-1);
    if (own) return own.text;
  }
  return undefined;
}

function dockerignore(): (rel: string) => boolean {
  const rules = read(path.join(ROOT, ".dockerignore"))
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const negate = l.startsWith("!");
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, "");
      const source = pattern
        .split("**")
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]"))
        .join(".*");
      return { negate, re: new RegExp(`^${source}(/.*)?$`) };
    });
  return (rel) => rules.reduce((ignored, r) => (r.re.test(rel) ? !r.negate : ignored), false);
}

const containerfiles = readdirSync(CONTAINERS)
  .filter((f) => f.endsWith(".Containerfile"))
  .sort()
  .map((f) => parseContainerfile(path.join(CONTAINERS, f)));

const finalStage = (cf: Containerfile) => cf.stages.at(-1)!;
const containerfileName = (cf: Containerfile) => path.basename(cf.file);

/** `…/portal-web:tag` is the final stage of web.Containerfile; `…/portal-migrate:tag` the stage `migrate` of one. */
function buildOf(image: string): { cf: Containerfile; stage: Stage } | undefined {
  const short = /(?:^|\/)portal-([a-z0-9-]+)$/.exec(splitImage(image).name)?.[1];
  if (!short) return undefined;
  const own = containerfiles.find((cf) => containerfileName(cf) === `${short}.Containerfile`);
  if (own) return { cf: own, stage: finalStage(own) };
  for (const cf of containerfiles) {
    const stage = stageByName(cf, short);
    if (stage) return { cf, stage };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Sources: the local files a process loads, from its entry file
// ---------------------------------------------------------------------------------------------------------

const IMPORT_RE = /(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g;

function resolveLocal(from: string, spec: string): string | undefined {
  let base: string;
  if (spec.startsWith("@/")) base = path.join(ROOT, spec.slice(2));
  else if (spec.startsWith(".")) base = path.resolve(path.dirname(from), spec);
  else return undefined;
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, `${base}.mjs`, `${base}.json`, path.join(base, "index.ts"), path.join(base, "index.tsx"), base.replace(/\.js$/, ".ts")];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? `${base} (missing)`;
}

/** Every repository file reachable from `entry` through relative and `@/` imports. */
function sourceGraph(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [path.join(ROOT, entry)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(ts|tsx|js|mjs)$/.test(file) || !existsSync(file)) continue;
    for (const m of read(file).matchAll(IMPORT_RE)) {
      const target = resolveLocal(file, (m[1] ?? m[2] ?? m[3] ?? m[4])!);
      if (target) stack.push(target);
    }
  }
  return [...seen].map(relative);
}

// ---------------------------------------------------------------------------------------------------------
// Helpers over rendered objects
// ---------------------------------------------------------------------------------------------------------

function render(overlay: string): K8sObject[] {
  return kustomize(path.join(K8S, "overlays", overlay)) as unknown as K8sObject[];
}

const ofKind = <T extends K8sObject>(objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind) as T[];
const workloads = (objects: K8sObject[]) => [...ofKind<Deployment>(objects, "Deployment"), ...ofKind<Job>(objects, "Job")];
const allContainers = (spec: PodSpec) => [...(spec.initContainers ?? []), ...spec.containers];
const matches = (selector: Labels | undefined, labels: Labels | undefined) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function portExists(container: Container, port: Port): boolean {
  return (container.ports ?? []).some((p) => (typeof port === "number" ? p.containerPort === port : p.name === port));
}

function probePort(probe: Probe): Port | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
}

/** Kubernetes quantities to numbers (cores, bytes). */
function quantity(value: string | number): number {
  if (typeof value === "number") return value;
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (!m) throw new Error(`not a quantity: ${value}`);
  const factor: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (m[2] ? factor[m[2]]! : 1);
}

/** The value of an environment variable as the container sees it (literal or from a ConfigMap in the render). */
function envValue(objects: K8sObject[], container: Container, name: string): string | undefined {
  const literal = container.env?.find((e) => e.name === name);
  if (literal) return literal.value;
  for (const from of container.envFrom ?? []) {
    const cm = ofKind<ConfigMap>(objects, "ConfigMap").find((c) => c.metadata.name === from.configMapRef?.name);
    if (cm?.data?.[name] !== undefined) return cm.data[name];
  }
  return undefined;
}

/** The process a Deployment runs: its main container's image, built from which Containerfile stage, with which command. */
function processOf(deployment: Deployment): { container: Container; cf: Containerfile; stage: Stage; cmd: string[] } {
  const container = deployment.spec.template.spec.containers[0]!;
  const build = buildOf(container.image);
  if (!build) throw new Error(`${deployment.metadata.name}: image ${container.image} is built by no Containerfile`);
  return { container, ...build, cmd: container.command ?? command(build.cf, build.stage) };
}

const secretExample = loadYaml(path.join(K8S, "secret.example.yaml")) as unknown as K8sObject[];
const isWeb = (d: Deployment) => d.spec.template.metadata?.labels?.["app.kubernetes.io/component"] === "web";
const isControlPlane = (d: Deployment) => d.spec.template.metadata?.labels?.["app.kubernetes.io/component"] === "control-plane";

// ---------------------------------------------------------------------------------------------------------
// The manifests, per overlay
// ---------------------------------------------------------------------------------------------------------

describe.each(OVERLAYS)("deploy/k8s/overlays/%s", (overlay) => {
  const objects = render(overlay);
  const deployments = ofKind<Deployment>(objects, "Deployment");
  const jobs = ofKind<Job>(objects, "Job");

  it("renders web, worker and control-plane Deployments, a migration Job, and unique objects", () => {
    expect(deployments.length).toBeGreaterThanOrEqual(3);
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    const components = deployments.map((d) => d.spec.template.metadata?.labels?.["app.kubernetes.io/component"]).sort();
    expect(components).toEqual(["control-plane", "web", "worker"]);
    const ids = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const o of objects) {
      expect(o.apiVersion, `${o.kind}/${o.metadata.name}`).toBeTruthy();
      if (!CLUSTER_SCOPED.has(o.kind)) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name} has a namespace`).toBeTruthy();
    }
    // Secrets come from the platform; the render carries none.
    expect(ofKind(objects, "Secret")).toEqual([]);
  });

  it("gives every Deployment a selector that matches its own pod labels", () => {
    for (const d of deployments) expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata?.labels), d.metadata.name).toBe(true);
  });

  it("gives every Deployment container readiness and liveness probes on ports the container declares (and web a startup probe)", () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        const where = `${d.metadata.name}/${c.name}`;
        expect(c.readinessProbe, `${where} readinessProbe`).toBeDefined();
        expect(c.livenessProbe, `${where} livenessProbe`).toBeDefined();
        for (const [kind, probe] of Object.entries({ readiness: c.readinessProbe, liveness: c.livenessProbe, startup: c.startupProbe })) {
          if (!probe) continue;
          const port = probePort(probe);
          expect(port, `${where} ${kind} probe has a port`).toBeDefined();
          expect(portExists(c, port!), `${where} ${kind} probe port ${String(port)} is one of the container's ports`).toBe(true);
          if (probe.httpGet) expect(probe.httpGet.path, `${where} ${kind} path`).toMatch(/^\//);
        }
      }
      if (isWeb(d)) expect(d.spec.template.spec.containers[0]!.startupProbe, `${d.metadata.name} startupProbe`).toBeDefined();
    }
  });

  it("sets cpu and memory requests and limits on every container (init containers and Jobs too), requests within limits", () => {
    for (const w of workloads(objects)) {
      for (const c of allContainers(w.spec.template.spec)) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        for (const resource of ["cpu", "memory"]) {
          const request = c.resources?.requests?.[resource];
          const limit = c.resources?.limits?.[resource];
          expect(request, `${where} requests.${resource}`).toBeDefined();
          expect(limit, `${where} limits.${resource}`).toBeDefined();
          expect(quantity(request!), `${where} ${resource} request <= limit`).toBeLessThanOrEqual(quantity(limit!));
        }
      }
    }
  });

  it("takes every secret-like variable from the Secret portal-secrets by secretKeyRef, never as a literal", () => {
    for (const w of workloads(objects)) {
      for (const c of allContainers(w.spec.template.spec)) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        for (const e of c.env ?? []) {
          if (!SECRET_LIKE.test(e.name)) continue;
          expect(e.value, `${where} ${e.name} has no literal value`).toBeUndefined();
          expect(e.valueFrom?.secretKeyRef?.name, `${where} ${e.name} comes from secretKeyRef`).toBe(SECRET_NAME);
        }
        for (const from of c.envFrom ?? []) expect(from.secretRef?.name ?? SECRET_NAME, `${where} envFrom secretRef`).toBe(SECRET_NAME);
      }
    }
    for (const cm of ofKind<ConfigMap>(objects, "ConfigMap")) {
      expect(Object.keys(cm.data ?? {}).filter((k) => SECRET_LIKE.test(k)), `ConfigMap ${cm.metadata.name} holds no secrets`).toEqual([]);
    }
  });

  it("names only Secret keys that secret.example.yaml documents", () => {
    const example = secretExample.find((o) => o.kind === "Secret" && o.metadata.name === SECRET_NAME) as (K8sObject & { stringData?: Labels; data?: Labels }) | undefined;
    expect(example, `deploy/k8s/secret.example.yaml defines ${SECRET_NAME}`).toBeDefined();
    const documented = new Set([...Object.keys(example!.stringData ?? {}), ...Object.keys(example!.data ?? {})]);
    for (const w of workloads(objects)) {
      for (const c of allContainers(w.spec.template.spec)) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref && !ref.optional) expect(documented.has(ref.key), `${w.metadata.name}/${c.name}: key ${ref.key} in secret.example.yaml`).toBe(true);
        }
      }
    }
  });

  it("reads every ConfigMap it refers to from the render", () => {
    const names = new Set(ofKind(objects, "ConfigMap").map((c) => c.metadata.name));
    for (const w of workloads(objects)) {
      for (const c of allContainers(w.spec.template.spec)) {
        for (const from of c.envFrom ?? []) if (from.configMapRef) expect(names.has(from.configMapRef.name), `${w.metadata.name}: ConfigMap ${from.configMapRef.name}`).toBe(true);
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.configMapKeyRef;
          if (ref) expect(names.has(ref.name), `${w.metadata.name}: ConfigMap ${ref.name}`).toBe(true);
        }
      }
    }
  });

  it("declares the port of every *PORT variable on the container", () => {
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        const names = new Set([...(c.env ?? []).map((e) => e.name), ...ofKind<ConfigMap>(objects, "ConfigMap").flatMap((cm) => Object.keys(cm.data ?? {}))]);
        for (const name of [...names].filter((n) => /(^|_)PORT$/.test(n))) {
          const value = envValue(objects, c, name);
          if (value === undefined || !/^\d+$/.test(value) || value === "0") continue;
          expect(portExists(c, Number(value)), `${d.metadata.name}/${c.name}: ${name}=${value} is a container port`).toBe(true);
        }
      }
    }
  });

  it("annotates every Deployment's pods for Prometheus on a declared port", () => {
    for (const d of deployments) {
      const annotations = d.spec.template.metadata?.annotations ?? {};
      expect(annotations["prometheus.io/scrape"], d.metadata.name).toBe("true");
      expect(annotations["prometheus.io/path"], d.metadata.name).toBe("/metrics");
      const port = Number(annotations["prometheus.io/port"]);
      expect(d.spec.template.spec.containers.some((c) => portExists(c, port)), `${d.metadata.name}: prometheus.io/port ${port} declared`).toBe(true);
    }
  });

  it("points every HorizontalPodAutoscaler (autoscaling/v2, on CPU) at an existing Deployment; web keeps at least 2 replicas", () => {
    const hpas = ofKind<Hpa>(objects, "HorizontalPodAutoscaler");
    expect(hpas.length).toBeGreaterThanOrEqual(2);
    const targets = new Set<string>();
    for (const h of hpas) {
      expect(h.apiVersion, h.metadata.name).toBe("autoscaling/v2");
      const ref = h.spec.scaleTargetRef;
      expect(ref.kind, h.metadata.name).toBe("Deployment");
      const target = deployments.find((d) => d.metadata.name === ref.name);
      expect(target, `${h.metadata.name} -> Deployment ${ref.name}`).toBeDefined();
      targets.add(ref.name);
      expect(h.spec.minReplicas ?? 1).toBeLessThanOrEqual(h.spec.maxReplicas);
      expect(h.spec.metrics?.some((m) => m.type === "Resource" && m.resource?.name === "cpu"), `${h.metadata.name} scales on cpu`).toBe(true);
      if (isWeb(target!)) expect(h.spec.minReplicas, `${h.metadata.name} minReplicas`).toBeGreaterThanOrEqual(2);
      // A fixed count beside an HPA would be reset on every apply.
      expect(target!.spec.replicas, `${ref.name} leaves replicas to the HPA`).toBeUndefined();
    }
    for (const d of deployments.filter((x) => !isControlPlane(x))) expect(targets.has(d.metadata.name), `${d.metadata.name} has an HPA`).toBe(true);
  });

  it("keeps web pods available through voluntary disruptions (PodDisruptionBudget)", () => {
    const web = deployments.find(isWeb)!;
    const pdbs = ofKind<Pdb>(objects, "PodDisruptionBudget").filter((p) => matches(p.spec.selector.matchLabels, web.spec.template.metadata?.labels));
    expect(pdbs.length).toBe(1);
    const { minAvailable, maxUnavailable } = pdbs[0]!.spec;
    expect(minAvailable !== undefined || maxUnavailable !== undefined).toBe(true);
    if (typeof minAvailable === "number") expect(minAvailable).toBeGreaterThanOrEqual(1);
  });

  it("runs `prisma migrate deploy` in a Job, and web and worker start only once `prisma migrate status` is up to date", () => {
    const migrations = jobs.filter((j) => j.spec.template.spec.containers.some((c) => [...(c.command ?? []), ...(c.args ?? [])].join(" ").match(/prisma migrate deploy\b/)));
    expect(migrations.length, "a Job that runs prisma migrate deploy").toBe(1);
    const job = migrations[0]!;
    expect(job.spec.backoffLimit, "backoffLimit").toBeGreaterThanOrEqual(1);
    expect(job.spec.ttlSecondsAfterFinished, "ttlSecondsAfterFinished").toBeGreaterThan(0);
    expect(["Never", "OnFailure"]).toContain(job.spec.template.spec.restartPolicy);
    const migrateImage = job.spec.template.spec.containers[0]!.image;
    for (const d of deployments) {
      const usesDatabase = d.spec.template.spec.containers.some((c) => c.env?.some((e) => e.name === "DATABASE_URL"));
      if (!usesDatabase) continue;
      const wait = (d.spec.template.spec.initContainers ?? []).find((c) => [...(c.command ?? []), ...(c.args ?? [])].join(" ").includes("prisma migrate status"));
      expect(wait, `${d.metadata.name} waits for the migration`).toBeDefined();
      expect(wait!.image, `${d.metadata.name} waits with the migration's image`).toBe(migrateImage);
    }
  });

  it("selects a Deployment's pods with every Service, on ports those pods declare", () => {
    for (const s of ofKind<Service>(objects, "Service")) {
      const targets = deployments.filter((d) => matches(s.spec.selector, d.spec.template.metadata?.labels));
      expect(targets.length, `Service ${s.metadata.name} selects a Deployment's pods`).toBeGreaterThan(0);
      for (const p of s.spec.ports) {
        const port = p.targetPort ?? p.port;
        for (const d of targets) {
          expect(d.spec.template.spec.containers.some((c) => portExists(c, port)), `Service ${s.metadata.name} port ${String(port)} on ${d.metadata.name}`).toBe(true);
        }
      }
    }
  });

  it("builds every image from one of the Containerfiles, all with one release tag", () => {
    const tags = new Set<string>();
    const used = new Set<string>();
    for (const w of workloads(objects)) {
      for (const c of allContainers(w.spec.template.spec)) {
        const build = buildOf(c.image);
        expect(build, `${w.metadata.name}/${c.name}: ${c.image} is built by deploy/containers/*.Containerfile`).toBeDefined();
        used.add(`${containerfileName(build!.cf)}#${build!.stage.name}`);
        const { tag, digest } = splitImage(c.image);
        expect(tag ?? digest, `${c.image} is pinned`).toBeTruthy();
        expect(tag, `${c.image} has a tag other than latest`).not.toBe("latest");
        tags.add(tag ?? digest!);
      }
    }
    expect([...tags], "one tag for all images of a release").toHaveLength(1);
    for (const cf of containerfiles) expect(used.has(`${containerfileName(cf)}#${finalStage(cf).name}`), `${containerfileName(cf)} is deployed`).toBe(true);
  });

  it("runs every container without privileges, capabilities or a writable root filesystem it does not need", () => {
    for (const w of workloads(objects)) {
      const spec = w.spec.template.spec;
      expect(spec.securityContext?.runAsNonRoot, `${w.metadata.name} runAsNonRoot`).toBe(true);
      const emptyDirs = new Set((spec.volumes ?? []).filter((v) => v.emptyDir).map((v) => v.name));
      for (const c of allContainers(spec)) {
        const where = `${w.metadata.name}/${c.name}`;
        expect(c.securityContext?.allowPrivilegeEscalation, `${where} allowPrivilegeEscalation`).toBe(false);
        expect(c.securityContext?.privileged ?? false, `${where} privileged`).toBe(false);
        expect(c.securityContext?.capabilities?.drop, `${where} drops ALL capabilities`).toContain("ALL");
        expect(c.securityContext?.capabilities?.add ?? [], `${where} adds no capabilities`).toEqual([]);
        expect(c.securityContext?.readOnlyRootFilesystem, `${where} readOnlyRootFilesystem`).toBe(true);
        const writable = (c.volumeMounts ?? []).filter((m) => emptyDirs.has(m.name)).map((m) => m.mountPath);
        expect(writable, `${where} has an emptyDir on /tmp`).toContain("/tmp");
      }
    }
    const web = deployments.find(isWeb)!;
    const mounts = web.spec.template.spec.containers[0]!.volumeMounts ?? [];
    expect(mounts.some((m) => m.mountPath.endsWith("/.next/cache")), "web has a writable .next/cache").toBe(true);
  });

  it("lets only the web app and the worker (and the monitoring namespace, for /metrics) reach the control plane", () => {
    const controlPlane = deployments.find(isControlPlane)!;
    const cpLabels = controlPlane.spec.template.metadata?.labels;
    const policies = ofKind<NetworkPolicy>(objects, "NetworkPolicy").filter((p) => matches(p.spec.podSelector.matchLabels, cpLabels));
    expect(policies.length, "a NetworkPolicy selects the control plane").toBeGreaterThan(0);
    const reached = new Set<string>();
    for (const p of policies) {
      expect(p.spec.policyTypes, p.metadata.name).toContain("Ingress");
      for (const rule of p.spec.ingress ?? []) {
        expect(rule.from?.length ?? 0, `${p.metadata.name}: a rule without "from" admits everyone`).toBeGreaterThan(0);
        expect(rule.ports?.length ?? 0, `${p.metadata.name}: every rule names its ports`).toBeGreaterThan(0);
        for (const peer of rule.from ?? []) {
          expect(peer.ipBlock, `${p.metadata.name}: no ipBlock peers`).toBeUndefined();
          if (peer.namespaceSelector) {
            expect(peer.podSelector, `${p.metadata.name}: no pods of other namespaces`).toBeUndefined();
            const selector = peer.namespaceSelector.matchLabels ?? {};
            expect(Object.keys(selector).length, `${p.metadata.name}: an empty namespaceSelector admits every namespace`).toBeGreaterThan(0);
            expect(Object.entries(selector).flat().join(" "), `${p.metadata.name}: namespaces other than monitoring`).toMatch(/monitoring/);
            continue;
          }
          const admitted = deployments.filter((d) => matches(peer.podSelector?.matchLabels, d.spec.template.metadata?.labels));
          expect(admitted.length, `${p.metadata.name}: a pod peer that matches no Deployment (or all pods)`).toBeGreaterThan(0);
          for (const d of admitted) reached.add(d.spec.template.metadata!.labels!["app.kubernetes.io/component"]!);
        }
      }
    }
    expect([...reached].sort()).toEqual(["web", "worker"]);
  });

  it("binds the control plane's service account to exactly the Kubernetes API calls of the OpenShift backend", () => {
    const controlPlane = deployments.find(isControlPlane)!;
    const account = controlPlane.spec.template.spec.serviceAccountName;
    expect(account, "the control plane has its own service account").toBeTruthy();
    expect(objects.some((o) => o.kind === "ServiceAccount" && o.metadata.name === account && o.metadata.namespace === controlPlane.metadata.namespace)).toBe(true);
    const bindings = [...ofKind<Binding>(objects, "ClusterRoleBinding"), ...ofKind<Binding>(objects, "RoleBinding")].filter((b) =>
      b.subjects.some((s) => s.kind === "ServiceAccount" && s.name === account && s.namespace === controlPlane.metadata.namespace),
    );
    expect(bindings.length, `a binding for ${account} in ${controlPlane.metadata.namespace}`).toBeGreaterThan(0);
    const granted = new Map<string, Set<string>>();
    for (const b of bindings) {
      const role = objects.find((o) => o.kind === b.roleRef.kind && o.metadata.name === b.roleRef.name) as Role | undefined;
      expect(role, `${b.metadata.name} -> ${b.roleRef.kind} ${b.roleRef.name}`).toBeDefined();
      for (const rule of role!.rules) {
        for (const group of rule.apiGroups) {
          for (const resource of rule.resources) {
            const key = `${group}/${resource}`;
            const verbs = granted.get(key) ?? new Set<string>();
            for (const verb of rule.verbs) verbs.add(verb);
            granted.set(key, verbs);
          }
        }
      }
    }
    const asObject = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]).sort());
    expect(asObject(granted)).toEqual(asObject(kubernetesCallsOfOpenShiftBackend()));
  });

  if (overlay === "openshift") {
    it("exposes web through an edge-terminated Route and leaves UIDs to the SCC", () => {
      const routes = ofKind<Route>(objects, "Route");
      expect(routes.length).toBe(1);
      const route = routes[0]!;
      expect(route.spec.tls?.termination).toBe("edge");
      expect(route.spec.tls?.insecureEdgeTerminationPolicy).toBe("Redirect");
      const service = ofKind<Service>(objects, "Service").find((s) => s.metadata.name === route.spec.to.name);
      expect(service, `Route -> Service ${route.spec.to.name}`).toBeDefined();
      const target = route.spec.port?.targetPort;
      expect(service!.spec.ports.some((p) => p.name === target || p.port === target || p.targetPort === target), `Route port ${String(target)}`).toBe(true);
      for (const w of workloads(objects)) {
        for (const sc of [w.spec.template.spec.securityContext, ...allContainers(w.spec.template.spec).map((c) => c.securityContext)]) {
          expect(sc?.runAsUser, `${w.metadata.name}: no runAsUser on OpenShift`).toBeUndefined();
          expect(sc?.runAsGroup, `${w.metadata.name}: no runAsGroup on OpenShift`).toBeUndefined();
          expect(sc?.fsGroup, `${w.metadata.name}: no fsGroup on OpenShift`).toBeUndefined();
        }
      }
    });
  } else {
    it("exposes web through an Ingress with TLS and runs every pod as a fixed non-root UID", () => {
      const ingresses = ofKind<Ingress>(objects, "Ingress");
      expect(ingresses.length).toBe(1);
      const ingress = ingresses[0]!;
      expect(ingress.spec.tls?.length ?? 0).toBeGreaterThan(0);
      for (const rule of ingress.spec.rules) {
        for (const p of rule.http.paths) {
          const { name, port } = p.backend.service;
          const service = ofKind<Service>(objects, "Service").find((s) => s.metadata.name === name);
          expect(service, `Ingress -> Service ${name}`).toBeDefined();
          expect(service!.spec.ports.some((sp) => (port.name !== undefined ? sp.name === port.name : sp.port === port.number)), `Ingress port on ${name}`).toBe(true);
        }
      }
      for (const w of workloads(objects)) {
        const pod = w.spec.template.spec.securityContext;
        expect(pod?.runAsNonRoot, w.metadata.name).toBe(true);
        for (const c of allContainers(w.spec.template.spec)) {
          const uid = c.securityContext?.runAsUser ?? pod?.runAsUser;
          expect(uid, `${w.metadata.name}/${c.name} runAsUser`).toBeGreaterThan(0);
        }
      }
    });
  }
});

describe("deploy/k8s/secret.example.yaml", () => {
  it("is an example only: no kustomization refers to it", () => {
    const files = new Set(OVERLAYS.flatMap((o) => [...kustomizationFiles(path.join(K8S, "overlays", o))]));
    for (const file of files) {
      const k = parse(read(file)) as { resources?: string[]; patches?: PatchEntry[] };
      for (const r of [...(k.resources ?? []), ...(k.patches ?? []).map((p) => p.path ?? "")]) {
        expect(path.resolve(path.dirname(file), r), `${relative(file)} refers to ${r}`).not.toBe(path.join(K8S, "secret.example.yaml"));
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// The OpenShift backend's Kubernetes API calls, as RBAC rules
// ---------------------------------------------------------------------------------------------------------

function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === "endpoints") return lower;
  if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
  if (lower.endsWith("s")) return `${lower}es`;
  return `${lower}s`;
}

const VERBS: Record<string, string> = { read: "get", get: "get", list: "list", create: "create", delete: "delete", deleteCollection: "deletecollection", patch: "patch", replace: "update", watch: "watch" };

function kubernetesCallsOfOpenShiftBackend(): Map<string, Set<string>> {
  const dir = path.join(ROOT, "control-plane", "backends");
  const files = [path.join(dir, "openshift.ts"), ...readdirSync(path.join(dir, "openshift")).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).map((f) => path.join(dir, "openshift", f))];
  const source = files.map(read).join("\n");
  const apis = new Set([...source.matchAll(/new (\w+Api)\(/g)].map((m) => m[1]!));
  expect([...apis].sort(), "the backend uses only these API clients (extend this test for others)").toEqual(["CoreV1Api", "CustomObjectsApi"]);
  const notebook = /NOTEBOOK_API = \{[^}]*group: "([^"]+)"[^}]*plural: "([^"]+)"/.exec(read(path.join(dir, "openshift", "constants.ts")));
  expect(notebook, "NOTEBOOK_API in control-plane/backends/openshift/constants.ts").not.toBeNull();
  const calls = new Map<string, Set<string>>();
  const add = (group: string, resource: string, verb: string) => calls.set(`${group}/${resource}`, (calls.get(`${group}/${resource}`) ?? new Set()).add(verb));
  for (const [, client, method] of source.matchAll(/\bthis\.(core|custom)\.(\w+)\(/g)) {
    if (client === "custom") {
      const m = /^(get|list|create|delete|patch|replace)(?:Namespaced|Cluster)CustomObject(Status|Scale)?$/.exec(method!);
      expect(m, `custom-object call ${method} is understood by this test`).not.toBeNull();
      add(notebook![1]!, `${notebook![2]}${m![2] ? `/${m![2].toLowerCase()}` : ""}`, VERBS[m![1]!]!);
    } else {
      const m = /^(read|list|create|deleteCollection|delete|patch|replace|watch)(?:Namespaced)?([A-Z]\w*?)(Status|Log)?(?:ForAllNamespaces)?$/.exec(method!);
      expect(m, `core call ${method} is understood by this test`).not.toBeNull();
      add("", `${plural(m![2]!)}${m![3] ? `/${m![3].toLowerCase()}` : ""}`, VERBS[m![1]!]!);
    }
  }
  expect(calls.size, "API calls found in the OpenShift backend").toBeGreaterThan(0);
  return calls;
}

// ---------------------------------------------------------------------------------------------------------
// The Containerfiles
// ---------------------------------------------------------------------------------------------------------

describe("deploy/containers", () => {
  const ignored = dockerignore();

  it("has web, worker and control-plane Containerfiles, web with a `migrate` target", () => {
    expect(containerfiles.map(containerfileName)).toEqual(["control-plane.Containerfile", "web.Containerfile", "worker.Containerfile"]);
    expect(buildOf("registry.example.no/nordlys/portal-migrate:1")?.cf.file).toBe(path.join(CONTAINERS, "web.Containerfile"));
  });

  it.each(containerfiles.map((cf) => [containerfileName(cf), cf] as const))("%s: builds on node:20-bookworm-slim from sources that exist and are not ignored", (_, cf) => {
    const names = new Set<string>();
    for (const stage of cf.stages) {
      if (!names.has(stage.from)) expect(stage.from.replace(/^docker\.io\/library\//, ""), `${stage.name} FROM`).toBe(BASE_IMAGE);
      for (const c of copies(stage)) {
        if (c.from) {
          expect(names.has(c.from), `${stage.name}: COPY --from=${c.from} names an earlier stage`).toBe(true);
          continue;
        }
        for (const src of c.sources) {
          expect(existsSync(path.join(ROOT, src)), `${stage.name}: COPY ${src} exists in the repository`).toBe(true);
          if (src !== ".") expect(ignored(path.posix.normalize(src)), `${stage.name}: COPY ${src} is not excluded by .dockerignore`).toBe(false);
        }
      }
      names.add(stage.name);
    }
  });

  it.each(containerfiles.map((cf) => [containerfileName(cf), cf] as const))("%s: runs production dependencies only, as a non-root user in group 0, without telemetry", (_, cf) => {
    const stage = finalStage(cf);
    const install = nodeModulesInstall(cf, stage);
    expect(install, "node_modules come from npm ci").toBeDefined();
    expect(install, "npm ci --omit=dev").toMatch(/--omit=dev/);
    const [uid, gid] = (user(cf, stage) ?? "").split(":");
    expect(Number(uid), "USER is a numeric non-root uid").toBeGreaterThan(0);
    expect(gid, "group 0, so that an arbitrary UID (OpenShift) shares the files' group").toBe("0");
    expect(env(cf, stage).get("NEXT_TELEMETRY_DISABLED")).toBe("1");
    expect(env(cf, stage).get("NODE_ENV")).toBe("production");
    const entry = nodeEntry(command(cf, stage));
    expect(entry, "CMD runs node on an entry file").toBeDefined();
    expect(command(cf, stage).join(" "), "TypeScript entry files run through tsx").toMatch(/--import tsx/);
  });

  it("web.Containerfile: builds the Prisma client and the Next.js app, and the migrate target keeps the full dependencies", () => {
    const cf = containerfiles.find((c) => containerfileName(c) === "web.Containerfile")!;
    const runs = cf.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.text)).join("\n");
    expect(runs).toMatch(/npm ci(?! --omit)/);
    expect(runs).toMatch(/prisma generate/);
    expect(runs).toMatch(/next build/);
    const web = contents(cf, finalStage(cf));
    for (const needed of [".next", "generated", "public", "messages", "next.config.ts", "tsconfig.json", "package.json", "node_modules"]) {
      expect(holds(web, needed), `web image has ${needed}`).toBe(true);
    }

    const migrate = stageByName(cf, "migrate")!;
    expect(command(cf, migrate).join(" ")).toMatch(/prisma migrate deploy$/);
    expect(nodeModulesInstall(cf, migrate), "the migrate image keeps dev dependencies (the Prisma CLI)").not.toMatch(/--omit=dev/);
    const has = contents(cf, migrate);
    for (const needed of ["prisma/schema.prisma", "prisma/migrations", "prisma.config.ts", "package.json", "node_modules"]) {
      expect(holds(has, needed), `migrate image has ${needed}`).toBe(true);
    }
    expect(read(path.join(ROOT, "prisma.config.ts")), "prisma.config.ts reads its migrations from prisma/migrations").toMatch(/path:\s*"prisma\/migrations"/);
    expect(readdirSync(path.join(ROOT, "prisma", "migrations")).some((m) => existsSync(path.join(ROOT, "prisma", "migrations", m, "migration.sql")))).toBe(true);
    const [uid] = (user(cf, migrate) ?? "").split(":");
    expect(Number(uid), "the migrate image runs as non-root").toBeGreaterThan(0);
  });

  it("worker.Containerfile: generates the Prisma client the worker imports", () => {
    const cf = containerfiles.find((c) => containerfileName(c) === "worker.Containerfile")!;
    const runs = cf.stages.flatMap((s) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.text)).join("\n");
    expect(runs).toMatch(/prisma generate/);
    expect(holds(contents(cf, finalStage(cf)), "generated/prisma")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Entry files and probe paths against the sources of each process
// ---------------------------------------------------------------------------------------------------------

describe("processes: the image's entry file exists, its image holds what it imports, and it serves the probed paths", () => {
  const deployments = ofKind<Deployment>(render("openshift"), "Deployment");
  const check = (d: Deployment) => {
    const { container, cf, stage, cmd } = processOf(d);
    const entry = nodeEntry(cmd);
    expect(entry, `${d.metadata.name}: the command names an entry file`).toBeDefined();
    expect(existsSync(path.join(ROOT, entry!)), `${d.metadata.name}: ${entry} exists`).toBe(true);
    const files = sourceGraph(entry!);
    expect(files.filter((f) => f.endsWith("(missing)")), `${d.metadata.name}: imports that resolve to no file`).toEqual([]);
    // The runtime image must hold every file the process loads, and tsconfig.json for `@/` imports.
    const has = contents(cf, stage);
    const needed = new Set([...files, "package.json", "node_modules"]);
    if (files.some((f) => /from\s*["']@\//.test(read(path.join(ROOT, f))))) needed.add("tsconfig.json");
    const missing = [...needed].filter((n) => !holds(has, n));
    expect(missing, `${d.metadata.name}: files ${entry} loads that ${containerfileName(cf)} does not copy`).toEqual([]);
    const source = files.filter((f) => existsSync(path.join(ROOT, f))).map((f) => read(path.join(ROOT, f))).join("\n");
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      const p = probe?.httpGet?.path;
      if (!p) continue;
      const quoted = new RegExp(`["'\`]${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["'\`]`);
      expect(quoted.test(source), `${d.metadata.name}: "${p}" appears in ${entry} or the files it imports`).toBe(true);
    }
  };

  it.each(deployments.filter((d) => !isWeb(d)).map((d) => [d.metadata.name, d] as const))("%s", (_, d) => check(d));

  it.skipIf(!existsSync(path.join(ROOT, WEB_ENTRY)))(`portal-web (skipped while ${WEB_ENTRY} does not exist yet)`, () => {
    check(deployments.find(isWeb)!);
  });
});
