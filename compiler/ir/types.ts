// TypeScript types from JSON Schema: a small type AST built from the schemas of workflow inputs and
// OpenAPI responses, printed by the emitter. Where a schema says nothing certain the type is `unknown`.
import {
  declaredProperties,
  discriminatorOf,
  requiredProperties,
  resolveSchema,
  schemaAt,
  type SchemaIr,
  type SchemaTable,
} from "./schema.js";

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** TypeScript types of normalized schemas, whose references are names into `table`. */
export class SchemaTyper {
  private nodes = 0;
  constructor(private readonly table: SchemaTable) {}

  /** The whole type of a schema. */
  toType(schema: SchemaIr, depth = 0, stack: readonly string[] = []): TypeIr {
    if (depth === 0) this.nodes = 0;
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) return UNKNOWN;
    const names: string[] = [];
    const s = resolveSchema(schema, this.table, names);
    if (s === undefined) return UNKNOWN;
    if (names.some((name) => stack.includes(name))) return UNKNOWN; // recursive schema
    const nextStack = names.length > 0 ? [...stack, ...names] : stack;
    if (s === true) return UNKNOWN;
    if (s === false) return NEVER;
    if (!isRecord(s)) return UNKNOWN;
    const sub = (child: unknown) => this.toType(child as SchemaIr, depth + 1, nextStack);

    let type: TypeIr;
    if ("const" in s) type = literalType(s["const"]);
    else if (Array.isArray(s["enum"])) type = union(s["enum"].map(literalType));
    else if (Array.isArray(s["oneOf"]) || Array.isArray(s["anyOf"])) {
      const branches = ((Array.isArray(s["oneOf"]) ? s["oneOf"] : s["anyOf"]) as unknown[]).map(sub);
      // OpenAPI: the discriminator property is present in every payload, whatever the branch says.
      const discriminator = discriminatorOf(s);
      type = union(discriminator === undefined ? branches : branches.map((b) => requireProperty(b, discriminator)));
    } else if (Array.isArray(s["allOf"])) {
      type = intersection(s["allOf"].map(sub));
    } else {
      const types = Array.isArray(s["type"])
        ? s["type"].filter((t): t is string => typeof t === "string")
        : typeof s["type"] === "string"
          ? [s["type"]]
          : [];
      if (types.length === 0) {
        if (isRecord(s["properties"]) || s["additionalProperties"] !== undefined) types.push("object");
        else if (s["items"] !== undefined || s["prefixItems"] !== undefined) types.push("array");
      }
      type = types.length === 0 ? UNKNOWN : union(types.map((t) => this.primitive(t, s, sub)));
    }
    if (s["nullable"] === true && type.kind !== "unknown") type = union([type, { kind: "null" }]);
    return type;
  }

  private primitive(t: string, s: Record<string, unknown>, sub: (child: unknown) => TypeIr): TypeIr {
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
        if (Array.isArray(s["prefixItems"])) return { kind: "tuple", items: s["prefixItems"].map(sub) };
        return { kind: "array", items: s["items"] === undefined ? UNKNOWN : sub(s["items"]) };
      case "object": {
        const required = new Set(Array.isArray(s["required"]) ? s["required"].filter((r): r is string => typeof r === "string") : []);
        const declared = s["properties"];
        const properties: PropertyIr[] = isRecord(declared)
          ? Object.keys(declared).map((name) => {
              const prop = resolveSchema(declared[name] as SchemaIr, this.table);
              const description = isRecord(prop) && typeof prop["description"] === "string" ? prop["description"] : undefined;
              const format = isRecord(prop) && typeof prop["format"] === "string" ? prop["format"] : undefined;
              return {
                name,
                type: sub(declared[name]),
                optional: !required.has(name),
                ...(description !== undefined ? { description } : {}),
                ...(format !== undefined ? { format } : {}),
              };
            })
          : [];
        const additional = s["additionalProperties"];
        if (properties.length === 0) {
          if (additional === false) return { kind: "object", properties: [] };
          return { kind: "object", properties: [], additional: isRecord(additional) ? sub(additional) : UNKNOWN };
        }
        // An index signature only where the schema says so: without one, TypeScript catches misspelt members.
        if (additional === true) return { kind: "object", properties, additional: UNKNOWN };
        if (isRecord(additional)) return { kind: "object", properties, additional: sub(additional) };
        return { kind: "object", properties };
      }
      default:
        return UNKNOWN;
    }
  }

  /**
   * The type of the value at `path` inside a value described by `schema` (a JSON pointer read such as
   * `$response.body#/type`), as the schema navigator finds it. A property the schema does not require
   * may be absent, so its type includes undefined; a discriminator property is always present.
   */
  typeAt(schema: SchemaIr, path: readonly string[]): TypeIr {
    const reads = schemaAt(schema, path, this.table);
    if (reads.length === 0) return UNKNOWN;
    return union(reads.map((r) => (r.maybeAbsent ? withUndefined(this.toType(r.schema)) : this.toType(r.schema))));
  }

  /**
   * The type of a workflow's inputs: an object type (the generated `…Inputs` interface) with every member
   * that the schema or the schemas it is composed of (allOf, oneOf, anyOf, references) declare. A member
   * declared by only some branches of a oneOf/anyOf is optional, typed as the navigator reads it.
   */
  inputsType(schema: SchemaIr): TypeIr {
    const whole = this.toType(schema);
    const names = declaredProperties(schema, this.table);
    if (whole.kind === "object" || names === undefined) return whole;
    const required = new Set(requiredProperties(schema, this.table));
    const properties = names.map((name): PropertyIr => {
      const reads = schemaAt(schema, [name], this.table).filter((r) => r.declared);
      const first = reads[0] ? resolveSchema(reads[0].schema, this.table) : undefined;
      const description = isRecord(first) && typeof first["description"] === "string" ? first["description"] : undefined;
      const format = isRecord(first) && typeof first["format"] === "string" ? first["format"] : undefined;
      return {
        name,
        type: union(reads.map((r) => this.toType(r.schema))),
        optional: !required.has(name),
        ...(description !== undefined ? { description } : {}),
        ...(format !== undefined ? { format } : {}),
      };
    });
    return { kind: "object", properties };
  }
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
