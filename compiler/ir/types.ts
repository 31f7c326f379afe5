// TypeScript types from JSON Schema: a small type AST built from the schemas of workflow inputs and
// OpenAPI responses, printed by the emitter. Where a schema says nothing certain the type is `unknown`.
import {
  declaredProperties,
  discriminatorOf,
  refName,
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
  | { readonly kind: "union" | "intersection"; readonly members: readonly TypeIr[] }
  /**
   * The type of a named schema (an OpenAPI component), declared once and referred to by name. In a typer's
   * result `name` is a key of the schema table; in a module (ModuleIr.types) a key of the module's types.
   */
  | { readonly kind: "named"; readonly name: string };

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
/**
 * The type a `named` type stands for, through a chain of names (`type A = B`), looked up in `definitions`; unknown
 * where a name is not defined or the chain does not end.
 */
export function throughNames(type: TypeIr, definitions: (name: string) => TypeIr | undefined): TypeIr {
  for (let hops = 0; type.kind === "named" && hops < 32; hops++) type = definitions(type.name) ?? UNKNOWN;
  return type.kind === "named" ? UNKNOWN : type;
}

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
const MAX_NESTED_DEFINITIONS = 64;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A type as short as a name: written where it is used rather than declared under a name. */
function isSmall(type: TypeIr): boolean {
  switch (type.kind) {
    case "object":
    case "tuple":
    case "union":
    case "intersection":
      return false;
    case "array":
      return isSmall(type.items);
    default:
      return true;
  }
}

/**
 * TypeScript types of normalized schemas, whose references are names into `table`. A reference to a named
 * schema is a `named` type; its definition is computed once (within the size limits, counted from the named
 * schema itself) into `definitions`, which typers of one compilation share. A definition short as a name
 * (a primitive, a literal, an array of them) is written in place instead. Recursion stays a name where it
 * passes through an object member, an array or a tuple (TypeScript defers those); a schema that contains itself
 * without one (`A: { oneOf: [A, ...] }`) is `unknown` there.
 */
export class SchemaTyper {
  private nodes = 0;
  /** Structural levels (object members, items) entered on the way here. */
  private guards = 0;
  /** Named schemas whose definitions are being computed, with `guards` when each began. */
  private readonly defining = new Map<string, number>();

  constructor(
    private readonly table: SchemaTable,
    readonly definitions: Map<string, TypeIr> = new Map(),
  ) {}

  /** The whole type of a schema; a reference at its top is a name. */
  toType(schema: SchemaIr): TypeIr {
    return this.top(schema, false);
  }

  /** `inline`: a reference at the top is the named schema's type itself (to merge or inspect it). */
  private top(schema: SchemaIr, inline: boolean): TypeIr {
    const nodes = this.nodes;
    this.nodes = 0;
    try {
      return this.type(schema, 0, inline);
    } finally {
      this.nodes = nodes;
    }
  }

  private type(schema: SchemaIr, depth: number, inline = false): TypeIr {
    if (++this.nodes > MAX_NODES || depth > MAX_DEPTH) return UNKNOWN;
    const name = refName(schema);
    if (name !== undefined) return this.reference(name, inline);
    const s = schema;
    if (s === true) return UNKNOWN;
    if (s === false) return NEVER;
    if (!isRecord(s)) return UNKNOWN;
    const sub = (child: unknown) => this.type(child as SchemaIr, depth + 1);

    let type: TypeIr;
    if ("const" in s) type = literalType(s["const"]);
    else if (Array.isArray(s["enum"])) type = union(s["enum"].map(literalType));
    else if (Array.isArray(s["oneOf"]) || Array.isArray(s["anyOf"])) {
      const written = (Array.isArray(s["oneOf"]) ? s["oneOf"] : s["anyOf"]) as unknown[];
      // OpenAPI: the discriminator property is present in every payload, whatever the branch says.
      const discriminator = discriminatorOf(s);
      type =
        discriminator === undefined
          ? union(written.map(sub))
          : union(written.map((b) => requireProperty(this.type(b as SchemaIr, depth + 1, true), discriminator)));
    } else if (Array.isArray(s["allOf"])) {
      // Members are merged into one object type: a named member is written out here.
      type = intersection(s["allOf"].map((m) => this.type(m as SchemaIr, depth + 1, true)));
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
      const member = (child: unknown) => {
        this.guards++;
        try {
          return sub(child);
        } finally {
          this.guards--;
        }
      };
      type = types.length === 0 ? UNKNOWN : union(types.map((t) => this.primitive(t, s, member)));
    }
    if (s["nullable"] === true && type.kind !== "unknown") type = union([type, { kind: "null" }]);
    return type;
  }

  /** A reference to the named schema `name`: its name, or its type where short or `inline`. */
  private reference(name: string, inline: boolean): TypeIr {
    if (!Object.prototype.hasOwnProperty.call(this.table, name)) return UNKNOWN;
    const began = this.defining.get(name);
    // Being defined: recursion, which only an object member, an array or a tuple in between makes a type.
    if (began !== undefined) return this.guards > began ? { kind: "named", name } : UNKNOWN;
    // Definitions computed within definitions recurse; a chain of named schemas this long ends in `unknown`.
    if (!this.definitions.has(name) && this.defining.size >= MAX_NESTED_DEFINITIONS) return UNKNOWN;
    const type = this.definition(name);
    return inline || isSmall(type) ? type : { kind: "named", name };
  }

  /** The type of a named schema, computed once. */
  private definition(name: string): TypeIr {
    const known = this.definitions.get(name);
    if (known !== undefined) return known;
    this.defining.set(name, this.guards);
    let type: TypeIr;
    try {
      type = this.top(this.table[name]!, false);
    } finally {
      this.defining.delete(name);
    }
    this.definitions.set(name, type);
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
    const whole = this.top(schema, true);
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
