// RFC 6902 JSON Patch and RFC 7386 JSON Merge Patch, as the API server applies them to an object.

export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parentOf(doc: unknown, tokens: string[], path: string): { parent: unknown; key: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(node)) {
      const i = Number(token);
      if (!/^\d+$/.test(token) || i >= node.length) throw new PatchError(`path ${path}: index ${token} out of range`);
      node = node[i];
    } else if (isObject(node)) {
      if (!(token in node)) throw new PatchError(`path ${path}: "${token}" does not exist`);
      node = node[token];
    } else {
      throw new PatchError(`path ${path}: cannot descend into a value`);
    }
  }
  return { parent: node, key: tokens[tokens.length - 1] ?? "" };
}

function get(doc: unknown, path: string): unknown {
  let node = doc;
  for (const token of pointer(path)) {
    if (Array.isArray(node) && /^\d+$/.test(token) && Number(token) < node.length) node = node[Number(token)];
    else if (isObject(node) && token in node) node = node[token];
    else throw new PatchError(`path ${path} does not exist`);
  }
  return node;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return structuredClone(value);
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const i = key === "-" ? parent.length : Number(key);
    if (!/^\d+$/.test(key) && key !== "-") throw new PatchError(`path ${path}: "${key}" is not an array index`);
    if (i > parent.length) throw new PatchError(`path ${path}: index ${key} out of range`);
    parent.splice(i, 0, structuredClone(value));
  } else if (isObject(parent)) {
    parent[key] = structuredClone(value);
  } else {
    throw new PatchError(`path ${path}: the parent is not an object or array`);
  }
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) throw new PatchError("cannot remove the whole document");
  const { parent, key } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= parent.length) throw new PatchError(`path ${path}: index ${key} out of range`);
    parent.splice(i, 1);
  } else if (isObject(parent)) {
    if (!(key in parent)) throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete parent[key];
  } else {
    throw new PatchError(`path ${path}: the parent is not an object or array`);
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  }
  return value;
}

/** Applies the operations in order to a copy of `doc`; any failing operation fails the whole patch. */
export function applyJsonPatch<T>(doc: T, operations: unknown): T {
  if (!Array.isArray(operations)) throw new PatchError("a JSON patch must be an array of operations");
  let out: unknown = structuredClone(doc);
  for (const raw of operations as JsonPatchOperation[]) {
    if (!isObject(raw) || typeof raw.op !== "string" || typeof raw.path !== "string") {
      throw new PatchError("each operation needs 'op' and 'path'");
    }
    switch (raw.op) {
      case "add":
        if (!("value" in raw)) throw new PatchError(`add ${raw.path}: missing value`);
        out = add(out, raw.path, raw.value);
        break;
      case "remove":
        out = remove(out, raw.path);
        break;
      case "replace":
        if (!("value" in raw)) throw new PatchError(`replace ${raw.path}: missing value`);
        get(out, raw.path);
        out = add(remove(out, raw.path), raw.path, raw.value);
        break;
      case "move": {
        if (typeof raw.from !== "string") throw new PatchError("move needs 'from'");
        const value = get(out, raw.from);
        out = add(remove(out, raw.from), raw.path, value);
        break;
      }
      case "copy":
        if (typeof raw.from !== "string") throw new PatchError("copy needs 'from'");
        out = add(out, raw.path, get(out, raw.from));
        break;
      case "test":
        if (!deepEqual(get(out, raw.path), raw.value)) throw new PatchError(`testing value ${raw.path} failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${raw.op}`);
    }
  }
  return out as T;
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch<T>(doc: T, patch: unknown): T {
  if (!isObject(patch)) return structuredClone(patch) as T;
  const target: Record<string, unknown> = isObject(doc) ? structuredClone(doc) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else target[key] = applyMergePatch(target[key], value);
  }
  return target as T;
}
