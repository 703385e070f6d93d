// Validates custom resources against a CRD's openAPIV3Schema the way the API server does with
// `fieldValidation=Strict`: unknown fields are reported, then the schema (types, required, enums,
// patterns, list-map keys) and the ObjectMeta rules. Defaults from the schema are applied first.
// x-kubernetes-validations (CEL) rules and `format` are not evaluated (the same as the offline checker).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { applyJsonPatch } from "./json-patch";

export const CRD_DIR = fileURLToPath(new URL("../backends/openshift/crds/", import.meta.url));

type Schema = Record<string, unknown>;

export interface CustomResourceDefinition {
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string; listKind?: string; singular?: string };
    scope: "Namespaced" | "Cluster";
    versions: Array<{ name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: Schema }; subresources?: { status?: object } }>;
  };
}

export interface FieldCause {
  reason: "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported" | "FieldValueTypeInvalid" | "FieldValueDuplicate" | "FieldValueTooLong";
  field: string;
  message: string;
}

export interface ValidationResult {
  /** Fields the schema does not know ("spec.template.spec.containers[0].workDir"). */
  unknownFields: string[];
  /** Fields whose value is not a string where ObjectMeta needs one (a decode error on a real server). */
  decodeErrors: string[];
  /** Schema and ObjectMeta violations (a 422 Invalid on a real server). */
  causes: FieldCause[];
  /** The object with the schema defaults applied and, if asked, unknown fields dropped. */
  object: Record<string, unknown>;
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(CRD_DIR, file), "utf8")) as T;
}

/** The Notebook CRD of the OpenShift AI fork with the kustomize validation patch applied (containers: name + image, at least 1). */
export function loadNotebookCrd(): CustomResourceDefinition {
  const crd = readJson<CustomResourceDefinition>("kubeflow.org_notebooks.odh-fork.json");
  const patch = readJson<unknown[]>("kubeflow.org_notebooks.validation_patches.json");
  return applyJsonPatch(crd, patch);
}

export function loadHardwareProfileCrd(): CustomResourceDefinition {
  return readJson<CustomResourceDefinition>("infrastructure.opendatahub.io_hardwareprofiles.json");
}

/** OpenAPI v3 structural schema -> JSON Schema: int-or-string, nullable, and no unknown fields unless preserved. */
export function toJsonSchema(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const s: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith("x-kubernetes-") || k === "nullable" || k === "description" || k === "default" || k === "format") continue;
    s[k] = v;
  }
  const source = schema as Schema;
  for (const k of ["items", "additionalProperties", "not"]) {
    if (typeof s[k] === "object" && s[k] !== null) s[k] = toJsonSchema(s[k]);
  }
  for (const k of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(s[k])) s[k] = (s[k] as unknown[]).map(toJsonSchema);
  }
  if (s.properties) {
    s.properties = Object.fromEntries(Object.entries(s.properties as Schema).map(([k, v]) => [k, toJsonSchema(v)]));
  }
  if (source["x-kubernetes-int-or-string"] && !s.anyOf) s.anyOf = [{ type: "integer" }, { type: "string" }];
  if (source.nullable && typeof s.type === "string") s.type = [s.type, "null"];
  if (s.properties && s.additionalProperties === undefined && !source["x-kubernetes-preserve-unknown-fields"]) {
    s.additionalProperties = false;
  }
  return s;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Schema defaults, applied where the parent object exists and the field is absent (as the API server does). */
export function applyDefaults(schema: unknown, value: unknown): void {
  if (!isObject(schema)) return;
  if (Array.isArray(value) && isObject(schema.items)) {
    for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  if (!isObject(value)) return;
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (!isObject(sub)) continue;
    if (value[key] === undefined && sub.default !== undefined) value[key] = structuredClone(sub.default);
    applyDefaults(sub, value[key]);
  }
  if (isObject(schema.additionalProperties)) {
    for (const [key, item] of Object.entries(value)) if (!(key in properties)) applyDefaults(schema.additionalProperties, item);
  }
}

/** k8s field paths: `spec.template.spec.containers[0].resources.limits[nvidia.com/gpu]`. */
function fieldPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${s}]`;
  }
  return out;
}

function segmentsOf(root: unknown, instancePath: string): (string | number)[] {
  const out: (string | number)[] = [];
  let node = root;
  for (const raw of instancePath.split("/").slice(1)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      out.push(Number(token));
      node = node[Number(token)];
    } else {
      out.push(token);
      node = isObject(node) ? node[token] : undefined;
    }
  }
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function valueText(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "null";
}

/** Duplicate keys in x-kubernetes-list-type map/set lists, which the API server rejects. */
function checkListTypes(schema: unknown, value: unknown, path: (string | number)[], causes: FieldCause[]): void {
  if (!isObject(schema)) return;
  if (Array.isArray(value)) {
    const listType = schema["x-kubernetes-list-type"];
    const keys = schema["x-kubernetes-list-map-keys"];
    if (listType === "map" && Array.isArray(keys)) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        if (!isObject(item)) return;
        const key = JSON.stringify((keys as string[]).map((k) => item[k] ?? null));
        if (seen.has(key)) {
          const shown = Object.fromEntries((keys as string[]).map((k) => [k, item[k]]));
          causes.push({ reason: "FieldValueDuplicate", field: fieldPath([...path, i]), message: `Duplicate value: ${JSON.stringify(shown)}` });
        }
        seen.add(key);
      });
    } else if (listType === "set") {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const key = JSON.stringify(item);
        if (seen.has(key)) causes.push({ reason: "FieldValueDuplicate", field: fieldPath([...path, i]), message: `Duplicate value: ${key}` });
        seen.add(key);
      });
    }
    if (isObject(schema.items)) value.forEach((item, i) => checkListTypes(schema.items, item, [...path, i], causes));
    return;
  }
  if (!isObject(value)) return;
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [key, item] of Object.entries(value)) {
    const sub = properties[key] ?? (isObject(schema.additionalProperties) ? schema.additionalProperties : undefined);
    if (sub) checkListTypes(sub, item, [...path, key], causes);
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function keyErrors(key: string): string | null {
  const slash = key.lastIndexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : "";
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return "prefix part must be a lowercase RFC 1123 subdomain";
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return null;
}

/**
 * The ObjectMeta checks the API server makes on every object. `nameRule` "subdomain" for custom resources,
 * PVCs and events; "label" for namespaces.
 */
export function validateObjectMeta(meta: unknown, nameRule: "subdomain" | "label" = "subdomain"): { causes: FieldCause[]; decodeErrors: string[] } {
  const causes: FieldCause[] = [];
  const decodeErrors: string[] = [];
  if (!isObject(meta)) {
    return { causes: [{ reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }], decodeErrors };
  }
  const name = meta.name;
  if (name === undefined && !meta.generateName) {
    causes.push({ reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" });
  } else if (name !== undefined) {
    const max = nameRule === "label" ? 63 : 253;
    const re = nameRule === "label" ? /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ : DNS1123_SUBDOMAIN;
    if (typeof name !== "string" || name.length > max || !re.test(name)) {
      causes.push({
        reason: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: ${valueText(name)}: a lowercase RFC 1123 ${nameRule === "label" ? "label" : "subdomain"} must consist of lower case alphanumeric characters, '-'${nameRule === "label" ? "" : " or '.'"}, and must start and end with an alphanumeric character`,
      });
    }
  }
  for (const field of ["labels", "annotations"] as const) {
    const map = meta[field];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      decodeErrors.push(`metadata.${field}: must be a map of string to string`);
      continue;
    }
    let size = 0;
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== "string") {
        const goType = { integer: "number", boolean: "bool" }[typeName(value)] ?? typeName(value);
        decodeErrors.push(`cannot unmarshal ${goType} into Go struct field ObjectMeta.metadata.${field} of type string`);
        continue;
      }
      const problem = keyErrors(key);
      if (problem) causes.push({ reason: "FieldValueInvalid", field: `metadata.${field}`, message: `Invalid value: ${JSON.stringify(key)}: ${problem}` });
      if (field === "labels" && (value.length > 63 || !LABEL_VALUE.test(value))) {
        causes.push({
          reason: "FieldValueInvalid",
          field: "metadata.labels",
          message: `Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        });
      }
      size += key.length + value.length;
    }
    if (field === "annotations" && size > 256 * 1024) {
      causes.push({ reason: "FieldValueTooLong", field: "metadata.annotations", message: "Too long: must have at most 262144 bytes" });
    }
  }
  return { causes, decodeErrors };
}

function causeOf(error: ErrorObject, root: unknown): FieldCause | null {
  const segments = segmentsOf(root, error.instancePath);
  const field = fieldPath(segments);
  switch (error.keyword) {
    case "required": {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { reason: "FieldValueRequired", field: fieldPath([...segments, missing]), message: "Required value" };
    }
    case "type": {
      const actual = typeName(error.data);
      const expected = (error.params as { type: string | string[] }).type;
      return {
        reason: "FieldValueTypeInvalid",
        field,
        message: `Invalid value: "${actual}": ${field} in body must be of type ${Array.isArray(expected) ? expected.join(",") : expected}: "${actual}"`,
      };
    }
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { reason: "FieldValueNotSupported", field, message: `Unsupported value: ${valueText(error.data)}: supported values: ${allowed.map(valueText).join(", ")}` };
    }
    case "pattern":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${valueText(error.data)}: ${field} in body should match '${(error.params as { pattern: string }).pattern}'` };
    case "minItems":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${(error.data as unknown[]).length}: ${field} in body should have at least ${(error.params as { limit: number }).limit} items` };
    case "maxItems":
      return { reason: "FieldValueTooLong", field, message: `Too many: ${(error.data as unknown[]).length}: must have at most ${(error.params as { limit: number }).limit} items` };
    case "minLength":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${valueText(error.data)}: ${field} in body should be at least ${(error.params as { limit: number }).limit} chars long` };
    case "anyOf":
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${valueText(error.data)}: ${field} in body must be of type integer or string` };
    default:
      return { reason: "FieldValueInvalid", field, message: `Invalid value: ${valueText(error.data)}: ${error.message ?? "invalid"}` };
  }
}

export interface VersionValidator {
  /** The CRD's structural schema of this version (with the x-kubernetes-* markers). */
  structural: Schema;
  validate(object: unknown, options?: { pruneUnknown?: boolean }): ValidationResult;
}

export interface CrdValidator {
  crd: CustomResourceDefinition;
  version(name: string): VersionValidator | null;
}

/** Compiles each served version's schema on first use. */
export function crdValidator(crd: CustomResourceDefinition): CrdValidator {
  const compiled = new Map<string, VersionValidator>();
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, verbose: true });
  return {
    crd,
    version(name) {
      const version = crd.spec.versions.find((v) => v.name === name && v.served);
      if (!version) return null;
      let validator = compiled.get(name);
      if (!validator) {
        const structural = version.schema.openAPIV3Schema;
        const check: ValidateFunction = ajv.compile(toJsonSchema(structural) as object);
        validator = {
          structural,
          validate(input, options) {
            const object = structuredClone(input) as Record<string, unknown>;
            applyDefaults(structural, object);
            check(object);
            const errors = check.errors ?? [];
            const unknown = errors
              .filter((e) => e.keyword === "additionalProperties")
              .map((e) => ({
                segments: segmentsOf(object, e.instancePath),
                key: (e.params as { additionalProperty: string }).additionalProperty,
              }));
            const causes: FieldCause[] = [];
            for (const error of errors) {
              if (error.keyword === "additionalProperties") continue;
              // Branch errors of an int-or-string anyOf are summed up by the anyOf error itself.
              if (/\/anyOf\/\d+\//.test(error.schemaPath)) continue;
              const cause = causeOf(error, object);
              if (cause) causes.push(cause);
            }
            checkListTypes(structural, object, [], causes);
            const meta = validateObjectMeta(object.metadata);
            causes.push(...meta.causes);
            if (options?.pruneUnknown) {
              for (const { segments, key } of unknown) {
                let node: unknown = object;
                for (const s of segments) node = Array.isArray(node) ? node[s as number] : isObject(node) ? node[s as string] : undefined;
                if (isObject(node)) delete node[key];
              }
            }
            return {
              unknownFields: unknown.map(({ segments, key }) => fieldPath([...segments, key])),
              decodeErrors: meta.decodeErrors,
              causes,
              object,
            };
          },
        };
        compiled.set(name, validator);
      }
      return validator;
    },
  };
}

let notebookValidator: CrdValidator | null = null;

/** Validates a Notebook manifest like `kubectl apply --validate=strict` against the OpenShift AI CRD. */
export function validateNotebook(object: unknown): ValidationResult {
  notebookValidator ??= crdValidator(loadNotebookCrd());
  const apiVersion = isObject(object) && typeof object.apiVersion === "string" ? object.apiVersion : "";
  const [group, version] = apiVersion.split("/");
  const validator = group === "kubeflow.org" && version ? notebookValidator.version(version) : null;
  if (!validator) {
    return {
      unknownFields: [],
      decodeErrors: [],
      causes: [{ reason: "FieldValueNotSupported", field: "apiVersion", message: `Unsupported value: ${JSON.stringify(apiVersion)}: supported values: "kubeflow.org/v1", "kubeflow.org/v1alpha1", "kubeflow.org/v1beta1"` }],
      object: isObject(object) ? object : {},
    };
  }
  return validator.validate(object);
}

/** Every problem as one list of strings (unknown fields, decode errors, schema causes); empty when valid. */
export function problemsOf(result: ValidationResult): string[] {
  return [
    ...result.unknownFields.map((f) => `unknown field "${f}"`),
    ...result.decodeErrors,
    ...result.causes.map((c) => `${c.field}: ${c.message}`),
  ];
}
