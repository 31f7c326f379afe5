// TypeScript types from JSON Schema: a small type AST built from the schemas of workflow inputs and
// OpenAPI responses, printed by the emitter. Where a schema says nothing certain the type is `unknown`.
import { childOf, isObject } from "../load/json.js";
import type { Located } from "../load/openapi.js";
import type { DocumentStore } from "../load/refs.js";

export type TypeIr =
  | { readonly kind: "unknown" | "string" | "number" | "boolean" | "null" | "undefined" | "never" }
  | { readonly kind: "literal"; readonly value: string | number | boolean }
  | { readonly kind: "array"; readonly items: TypeIr }
  | { readonly kind: "tuple"; readonly items: readonly TypeIr[] }
  | { readonly kind: "object"; readonly properties: readonly PropertyIr[]; readonly additional?: TypeIr }
  | { readonly kind: "union" | "intersection"; readonly members: readonly TypeIr[] };

export interface PropertyIr {
  readonly name: string;
  readonly type: TypeIr;
  readonly optional: boolean;
  readonly description?: string;
  readonly format?: string;
}

export const UNKNOWN: TypeIr = { kind: "unknown" };
const NEVER: TypeIr = { kind: "never" };

/** A structural key per type, computed once per type object (unions of large object types repeat them). */
const KEYS = new WeakMap<TypeIr, string>();
function typeKey(type: TypeIr): string {
  let key = KEYS.get(type);
  if (key === undefined) {
    key = JSON.stringify(type);
    KEYS.set(type, key);
  }
  return key;
}

/** A union with duplicates removed, `unknown` absorbing everything and `never` dropped. */
export function union(members: readonly TypeIr[]): TypeIr {
  const flat: TypeIr[] = [];
  const seen = new Set<string>();
  for (const member of members.flatMap((m) => (m.kind === "union" ? m.members : [m]))) {
    if (member.kind === "unknown") return UNKNOWN;
    if (member.kind === "never") continue;
    const key = typeKey(member);
    if (!seen.has(key)) {
      seen.add(key);
      flat.push(member);
    }
  }
  if (flat.length === 0) return NEVER;
  return flat.length === 1 ? flat[0]! : { kind: "union", members: flat };
}

function intersection(members: readonly TypeIr[]): TypeIr {
  const useful = members.filter((m) => m.kind !== "unknown");
  if (useful.length === 0) return UNKNOWN;
  if (useful.length === 1) return useful[0]!;
  // Objects merge into one object type, which reads better than A & B.
  if (useful.every((m) => m.kind === "object")) {
    const byName = new Map<string, PropertyIr>();
    for (const m of useful as Extract<TypeIr, { kind: "object" }>[]) {
      for (const p of m.properties) {
        const previous = byName.get(p.name);
        byName.set(
          p.name,
          previous ? { ...previous, type: intersection([previous.type, p.type]), optional: previous.optional && p.optional } : p,
        );
      }
    }
    return { kind: "object", properties: [...byName.values()] };
  }
  return { kind: "intersection", members: useful };
}

export function withUndefined(type: TypeIr): TypeIr {
  return union([type, { kind: "undefined" }]);
}

/** Size limits keep a huge response schema from turning into a huge type; beyond them it is `unknown`. */
const MAX_DEPTH = 8;
const MAX_NODES = 400;

export class SchemaTyper {
  private nodes = 0;
  constructor(private readonly store: DocumentStore) {}

  private deref(node: Located): Located | undefined {
    return this.store.deref(node);
  }

  /** The whole type of a schema. */
  toType(schema: Located, depth = 0, stack: readonly string[] = []): TypeIr {
    if (depth === 0) this.nodes = 0;
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) return UNKNOWN;
    const node = this.deref(schema);
    if (!node) return UNKNOWN;
    const key = `${node.file.path}#${node.pointer}`;
    if (stack.includes(key)) return UNKNOWN; // recursive schema
    const nextStack = [...stack, key];
    const s = node.value;
    if (s === true) return UNKNOWN;
    if (s === false) return NEVER;
    if (!isObject(s)) return UNKNOWN;
    const sub = (...tokens: (string | number)[]) => this.toType(childOf(node, ...tokens), depth + 1, nextStack);

    let type: TypeIr;
    if ("const" in s) type = literalType(s["const"]);
    else if (Array.isArray(s["enum"])) type = union(s["enum"].map(literalType));
    else if (Array.isArray(s["oneOf"]) || Array.isArray(s["anyOf"])) {
      const key2 = Array.isArray(s["oneOf"]) ? "oneOf" : "anyOf";
      const branches = (s[key2] as unknown[]).map((_, i) => sub(key2, i));
      // OpenAPI: the discriminator property is present in every payload, whatever the branch says.
      const discriminator =
        isObject(s["discriminator"]) && typeof s["discriminator"]["propertyName"] === "string"
          ? s["discriminator"]["propertyName"]
          : undefined;
      type = union(discriminator === undefined ? branches : branches.map((b) => requireProperty(b, discriminator)));
    } else if (Array.isArray(s["allOf"])) {
      type = intersection(s["allOf"].map((_, i) => sub("allOf", i)));
    } else {
      const types = Array.isArray(s["type"])
        ? s["type"].filter((t): t is string => typeof t === "string")
        : typeof s["type"] === "string"
          ? [s["type"]]
          : [];
      if (types.length === 0) {
        if (isObject(s["properties"]) || s["additionalProperties"] !== undefined) types.push("object");
        else if (s["items"] !== undefined || s["prefixItems"] !== undefined) types.push("array");
      }
      type = types.length === 0 ? UNKNOWN : union(types.map((t) => this.primitive(t, node, s, sub)));
    }
    if (s["nullable"] === true && type.kind !== "unknown") type = union([type, { kind: "null" }]);
    return type;
  }

  private primitive(t: string, node: Located, s: Record<string, unknown>, sub: (...tokens: (string | number)[]) => TypeIr): TypeIr {
    switch (t) {
      case "string":
        return { kind: "string" };
      case "number":
      case "integer":
        return { kind: "number" };
      case "boolean":
        return { kind: "boolean" };
      case "null":
        return { kind: "null" };
      case "array":
        if (Array.isArray(s["prefixItems"])) return { kind: "tuple", items: s["prefixItems"].map((_, i) => sub("prefixItems", i)) };
        return { kind: "array", items: s["items"] === undefined ? UNKNOWN : sub("items") };
      case "object": {
        const required = new Set(Array.isArray(s["required"]) ? s["required"].filter((r): r is string => typeof r === "string") : []);
        const properties: PropertyIr[] = isObject(s["properties"])
          ? Object.keys(s["properties"]).map((name) => {
              const prop = this.deref(childOf(node, "properties", name));
              const description =
                isObject(prop?.value) && typeof prop.value["description"] === "string" ? prop.value["description"] : undefined;
              const format = isObject(prop?.value) && typeof prop.value["format"] === "string" ? prop.value["format"] : undefined;
              return {
                name,
                type: sub("properties", name),
                optional: !required.has(name),
                ...(description !== undefined ? { description } : {}),
                ...(format !== undefined ? { format } : {}),
              };
            })
          : [];
        const additional = s["additionalProperties"];
        if (properties.length === 0) {
          if (additional === false) return { kind: "object", properties: [] };
          return { kind: "object", properties: [], additional: isObject(additional) ? sub("additionalProperties") : UNKNOWN };
        }
        // An index signature only where the schema says so: without one, TypeScript catches misspelt members.
        if (additional === true) return { kind: "object", properties, additional: UNKNOWN };
        if (isObject(additional)) return { kind: "object", properties, additional: sub("additionalProperties") };
        return { kind: "object", properties };
      }
      default:
        return UNKNOWN;
    }
  }

  /**
   * The type of the value at `path` inside a value described by `schema` (a JSON pointer read such as
   * `$response.body#/type`), through $ref, allOf and oneOf/anyOf. A property the schema does not require
   * may be absent, so its type includes undefined; a discriminator property is always present.
   */
  typeAt(schema: Located, path: readonly string[]): TypeIr {
    const reads = this.walk(schema, path, new Set(), 0, { memo: new Map(), visits: 0 });
    if (reads.length === 0) return UNKNOWN;
    return union(reads.map((r) => (r.maybeAbsent ? withUndefined(this.toType(r.node)) : this.toType(r.node))));
  }

  /**
   * Bounded: a schema whose oneOf/anyOf/allOf branches lead back to it, read through a deep pointer, would
   * otherwise be walked once per path through the branches (2^depth). Each (schema, remaining path) is
   * walked once per typeAt, its reads are kept without duplicates, and past MAX_WALK_VISITS the read is unknown.
   */
  private walk(
    schema: Located,
    path: readonly string[],
    discriminators: ReadonlySet<string>,
    hops: number,
    bound: WalkBound,
  ): { node: Located; maybeAbsent: boolean }[] {
    if (hops > 64 || ++bound.visits > MAX_WALK_VISITS) return [];
    const key = `${schema.file.path}#${schema.pointer}\u0000${path.join("/")}\u0000${[...discriminators].sort().join("/")}`;
    const known = bound.memo.get(key);
    if (known === "walking") return []; // a cycle of branches: its reads are those found on the way in
    if (known) return known;
    bound.memo.set(key, "walking");
    const reads = dedupeReads(this.walkOnce(schema, path, discriminators, hops, bound));
    bound.memo.set(key, reads);
    return reads;
  }

  private walkOnce(
    schema: Located,
    path: readonly string[],
    discriminators: ReadonlySet<string>,
    hops: number,
    bound: WalkBound,
  ): { node: Located; maybeAbsent: boolean }[] {
    const node = this.deref(schema);
    if (!node) return [];
    if (path.length === 0) return [{ node, maybeAbsent: false }];
    const s = node.value;
    if (!isObject(s)) return [{ node: { ...node, value: true }, maybeAbsent: true }];
    const discriminator =
      isObject(s["discriminator"]) && typeof s["discriminator"]["propertyName"] === "string"
        ? s["discriminator"]["propertyName"]
        : undefined;
    const known = discriminator ? new Set([...discriminators, discriminator]) : discriminators;
    for (const key of ["oneOf", "anyOf"] as const) {
      if (Array.isArray(s[key])) return s[key].flatMap((_, i) => this.walk(childOf(node, key, i), path, known, hops + 1, bound));
    }
    if (Array.isArray(s["allOf"])) {
      const found = s["allOf"]
        .flatMap((_, i) => this.walk(childOf(node, "allOf", i), path, known, hops + 1, bound))
        .filter((r) => !(r.maybeAbsent && r.node.value === true));
      if (found.length > 0) {
        // The most specific member wins (a member that declares the property beats one that does not).
        const present = found.filter((r) => !r.maybeAbsent);
        return [{ node: (present[0] ?? found[0]!).node, maybeAbsent: present.length === 0 && !known.has(path[0]!) }];
      }
    }
    const [head, ...rest] = path as [string, ...string[]];
    const required = Array.isArray(s["required"]) && s["required"].includes(head);
    if (isObject(s["properties"]) && head in s["properties"]) {
      const inner = this.walk(childOf(node, "properties", head), rest, new Set(), hops + 1, bound);
      return inner.map((r) => ({ node: r.node, maybeAbsent: r.maybeAbsent || (!required && !known.has(head)) }));
    }
    if (/^(0|[1-9][0-9]*)$/.test(head) && isObject(s["items"])) {
      return this.walk(childOf(node, "items"), rest, new Set(), hops + 1, bound).map((r) => ({ node: r.node, maybeAbsent: true }));
    }
    if (isObject(s["additionalProperties"])) {
      return this.walk(childOf(node, "additionalProperties"), rest, new Set(), hops + 1, bound).map((r) => ({
        node: r.node,
        maybeAbsent: true,
      }));
    }
    return [{ node: { ...node, value: true }, maybeAbsent: true }];
  }
}

/** Schema nodes one typeAt may visit: far beyond any real description's reads, far below exponential. */
const MAX_WALK_VISITS = 10_000;

interface WalkBound {
  readonly memo: Map<string, { node: Located; maybeAbsent: boolean }[] | "walking">;
  visits: number;
}

/** Reads of the same node (and absence) once: branches that lead to one schema add nothing twice. */
function dedupeReads(reads: { node: Located; maybeAbsent: boolean }[]): { node: Located; maybeAbsent: boolean }[] {
  const seen = new Set<string>();
  return reads.filter((r) => {
    const key = `${r.node.file.path}#${r.node.pointer}\u0000${r.node.value === true ? "any" : "schema"}\u0000${r.maybeAbsent}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function requireProperty(type: TypeIr, name: string): TypeIr {
  if (type.kind === "object") return { ...type, properties: type.properties.map((p) => (p.name === name ? { ...p, optional: false } : p)) };
  if (type.kind === "intersection" || type.kind === "union") return { ...type, members: type.members.map((m) => requireProperty(m, name)) };
  return type;
}

function literalType(value: unknown): TypeIr {
  if (typeof value === "string" || typeof value === "boolean") return { kind: "literal", value };
  if (typeof value === "number" && Number.isFinite(value)) return { kind: "literal", value };
  if (value === null) return { kind: "null" };
  return UNKNOWN;
}
