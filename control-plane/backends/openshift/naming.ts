// Names of the objects behind a workbench, and the control-plane id that points at them.
import { createHash } from "node:crypto";

export const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Label values: at most 63 characters, alphanumerics with '-', '_' or '.' inside. */
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Longest workbench name: the notebook controller makes a StatefulSet of the same name, and the pod's
 * `controller-revision-hash` label (name + "-" + 10 characters) must fit in a 63-character label value.
 */
export const MAX_WORKBENCH_NAME = 52;

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE_RE.test(value);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * A portal id as a label value, so workbenches can be selected by it: the id itself when it is a valid label
 * value, else `sha256-` + 56 hex digits of its hash. The exact id is kept in an annotation as well.
 */
export function labelValueFor(id: string): string {
  return id !== "" && isLabelValue(id) ? id : `sha256-${sha256(id).slice(0, 56)}`;
}

/** The project of an organisation: prefix + slug, reduced to a DNS-1123 label of at most 63 characters. */
export function projectName(prefix: string, tenantSlug: string): string {
  const full = `${prefix}${slugify(tenantSlug)}`;
  if (full.length <= 63) return full;
  // Too long: keep the start and add a short hash of the whole slug, so two long slugs stay apart.
  return `${full.slice(0, 56).replace(/-+$/, "")}-${sha256(tenantSlug).slice(0, 6)}`;
}

function slugify(tenantSlug: string): string {
  const slug = tenantSlug
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/å/g, "a")
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return slug;
}

export function pvcName(workbenchName: string): string {
  return `${workbenchName}-storage`;
}

/** The notebook controller runs the workbench as StatefulSet `<name>` with one pod `<name>-0`. */
export function podName(workbenchName: string): string {
  return `${workbenchName}-0`;
}

/**
 * The control-plane id: `<project>.<name>.<Notebook uid>`. Project and name cannot contain dots, so the id
 * splits back without a lookup; the uid keeps an id from pointing at a later workbench of the same name.
 */
export function workbenchId(namespace: string, name: string, uid: string): string {
  return `${namespace}.${name}.${uid}`;
}

export function parseWorkbenchId(id: string): { namespace: string; name: string; uid: string } | null {
  const parts = id.split(".");
  if (parts.length !== 3) return null;
  const [namespace, name, uid] = parts as [string, string, string];
  if (!DNS_LABEL_RE.test(namespace) || namespace.length > 63) return null;
  if (!DNS_LABEL_RE.test(name) || name.length > 63) return null;
  if (!/^[0-9a-f-]{8,64}$/i.test(uid)) return null;
  return { namespace, name, uid };
}
