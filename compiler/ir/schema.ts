// JSON Schemas normalized once, while the sources are loaded: every $ref resolved (within a file and
// across files), references to named schemas kept as names into a table, cycles kept as such references.
// One navigator (what is at this pointer of this schema) serves the response-pointer checks, the output
// types and the generated input checks.

/**
 * A schema as plain JSON Schema data, except that every `$ref` is `{ "$ref": name }` with `name` a key of
 * the schema table it travels with (ModuleIr.schemas). Plain data: JSON-serializable.
 */
export type SchemaIr = boolean | { readonly [keyword: string]: unknown };

export type SchemaTable = Readonly<Record<string, SchemaIr>>;

/** A schema object (not a boolean schema). */
export type SchemaObject = Exclude<SchemaIr, boolean>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The name a reference schema `{ "$ref": name }` refers to. */
export function refName(schema: unknown): string | undefined {
  return isRecord(schema) && typeof schema["$ref"] === "string" ? schema["$ref"] : undefined;
}

/**
 * The schema a reference leads to, through chains of references; the schema itself when it is not one.
 * `names` receives each name followed. Undefined for a name the table lacks or a cycle of references.
 */
export function resolveSchema(schema: SchemaIr, table: SchemaTable, names?: string[]): SchemaIr | undefined {
  let current: SchemaIr = schema;
  const seen = new Set<string>();
  for (let name = refName(current); name !== undefined; name = refName(current)) {
    if (seen.has(name) || !Object.prototype.hasOwnProperty.call(table, name)) return undefined;
    seen.add(name);
    names?.push(name);
    current = table[name]!;
  }
  return current;
}

/** The keywords whose values are schemas, maps of schemas, or lists of schemas. */
export const SCHEMA_KEYWORDS = {
  single: [
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
  ],
  list: ["allOf", "anyOf", "oneOf", "prefixItems"],
  map: ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"],
} as const;

/** The sub-schemas written directly in a schema (references not followed). */
export function childSchemas(schema: SchemaIr): SchemaIr[] {
  if (!isRecord(schema)) return [];
  const out: SchemaIr[] = [];
  const add = (value: unknown) => {
    if (typeof value === "boolean" || isRecord(value)) out.push(value as SchemaIr);
  };
  for (const key of SCHEMA_KEYWORDS.single) {
    const value = schema[key];
    if (Array.isArray(value)) value.forEach(add); // draft-04 tuple `items`
    else add(value);
  }
  for (const key of SCHEMA_KEYWORDS.list) if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach(add);
  for (const key of SCHEMA_KEYWORDS.map) if (isRecord(schema[key])) Object.values(schema[key] as Record<string, unknown>).forEach(add);
  return out;
}

/** The entries of `table` that `roots` refer to, directly or through other entries: a module's own table. */
export function reachableSchemas(roots: readonly SchemaIr[], table: SchemaTable): Record<string, SchemaIr> {
  const out: Record<string, SchemaIr> = {};
  const queue = [...roots];
  while (queue.length > 0) {
    const schema = queue.pop()!;
    const name = refName(schema);
    if (name !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(out, name) && Object.prototype.hasOwnProperty.call(table, name)) {
        out[name] = table[name]!;
        queue.push(table[name]!);
      }
      continue;
    }
    queue.push(...childSchemas(schema));
  }
  // Sorted by name, so that the same schemas print the same however they were reached.
  return Object.fromEntries(Object.keys(out).sort().map((name) => [name, out[name]!]));
}

/** A discriminator's property name (OpenAPI), when the schema declares one. */
export function discriminatorOf(schema: SchemaObject): string | undefined {
  const discriminator = schema["discriminator"];
  return isRecord(discriminator) && typeof discriminator["propertyName"] === "string" ? discriminator["propertyName"] : undefined;
}

const INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * What the navigator finds at a path: a sub-schema that describes the value there (`declared`), or the
 * place where the schemas stop saying anything (`declared: false`; `schema` is then `true`).
 */
export type SchemaRead =
  | {
      readonly declared: true;
      /** As written: possibly a reference (its name keeps recursion visible to whoever reads it). */
      readonly schema: SchemaIr;
      /** Some level on the way may be absent (a property not required, an array item, a map entry). */
      readonly maybeAbsent: boolean;
    }
  | {
      readonly declared: false;
      readonly schema: true;
      readonly maybeAbsent: true;
      /** The schema navigation stopped at. */
      readonly at: SchemaIr;
      /** That schema rules the member out (it declares members or a primitive type, and not this one). */
      readonly ruledOut: boolean;
    };

/** Bounds on one navigation: however the schemas recurse, it visits each (schema, depth) state once. */
const MAX_STATES = 20_000;

/**
 * What is at `path` (JSON pointer tokens) inside a value described by `schema`: through references,
 * allOf (the most specific member wins), oneOf/anyOf (every branch; a property of the schema itself wins
 * over the branches), discriminators (their property is always present), properties, items, prefixItems
 * and additionalProperties. Memoized per (schema, depth), so recursive compositions read through deep
 * pointers stay linear in the size of the schemas.
 */
export function schemaAt(schema: SchemaIr, path: readonly string[], table: SchemaTable): SchemaRead[] {
  const memo = new Map<SchemaIr, Map<string, SchemaRead[]>>();
  let states = 0;
  const undeclared = (at: SchemaIr, ruledOut: boolean): SchemaRead => ({ declared: false, schema: true, maybeAbsent: true, at, ruledOut });

  const walk = (given: SchemaIr, depth: number, known: ReadonlySet<string>): SchemaRead[] => {
    const key = `${depth}\u0000${[...known].sort().join("\u0000")}`;
    let byKey = memo.get(given);
    const hit = byKey?.get(key);
    if (hit) return hit;
    if (!byKey) memo.set(given, (byKey = new Map()));
    // In progress (a composition that leads back to itself without reading a token) contributes nothing.
    byKey.set(key, []);
    if (++states > MAX_STATES) return [];
    const result = dedupe(visit(given, depth, known));
    byKey.set(key, result);
    return result;
  };

  const visit = (given: SchemaIr, depth: number, known: ReadonlySet<string>): SchemaRead[] => {
    const s = resolveSchema(given, table);
    if (s === undefined) return [undeclared(given, false)];
    if (depth === path.length) return [{ declared: true, schema: given, maybeAbsent: false }];
    if (!isRecord(s)) return [undeclared(s, false)];
    const discriminator = discriminatorOf(s);
    const knownHere = discriminator !== undefined ? new Set([...known, discriminator]) : known;
    const head = path[depth]!;

    for (const keyword of ["oneOf", "anyOf"] as const) {
      const branches = s[keyword];
      if (!Array.isArray(branches)) continue;
      const own = members(s, depth, knownHere);
      // The schema's own property describes the value whatever the branch.
      if (own.some((r) => r.declared)) return own;
      const reads = branches.flatMap((b) => walk(b as SchemaIr, depth, knownHere));
      return reads.some((r) => r.declared) || !isRecord(s["properties"]) ? reads : [...reads, ...own];
    }
    if (Array.isArray(s["allOf"])) {
      const reads = s["allOf"].flatMap((m) => walk(m as SchemaIr, depth, knownHere));
      const found = reads.filter((r) => r.declared);
      if (found.length > 0) {
        // The most specific member wins (a member that declares the property beats one that does not).
        const present = found.filter((r) => !r.maybeAbsent);
        return [{ declared: true, schema: (present[0] ?? found[0]!).schema, maybeAbsent: present.length === 0 && !knownHere.has(head) }];
      }
      const own = members(s, depth, knownHere);
      if (own.some((r) => r.declared)) return own;
      // The schema's own keywords count where it declares members of its own.
      return isRecord(s["properties"]) || reads.length === 0 ? [...own, ...reads] : reads;
    }
    return members(s, depth, knownHere);
  };

  /** The schema's own keywords for the token at `depth`: properties, items, additionalProperties. */
  const members = (s: SchemaObject, depth: number, known: ReadonlySet<string>): SchemaRead[] => {
    const head = path[depth]!;
    const below = (sub: unknown, maybeAbsent: boolean): SchemaRead[] =>
      walk(sub as SchemaIr, depth + 1, new Set()).map((r) => (r.declared && maybeAbsent && !r.maybeAbsent ? { ...r, maybeAbsent } : r));
    const properties = s["properties"];
    if (isRecord(properties) && Object.prototype.hasOwnProperty.call(properties, head)) {
      const required = Array.isArray(s["required"]) && s["required"].includes(head);
      return below(properties[head], !required && !known.has(head));
    }
    const isArray = s["type"] === "array" || s["items"] !== undefined || s["prefixItems"] !== undefined;
    if (isArray || (Array.isArray(s["type"]) && s["type"].includes("array"))) {
      if (INDEX.test(head)) {
        const index = Number(head);
        const prefix = Array.isArray(s["prefixItems"]) ? s["prefixItems"] : Array.isArray(s["items"]) ? s["items"] : undefined;
        if (prefix && index < prefix.length) return below(prefix[index], true);
        const items = prefix && Array.isArray(s["items"]) ? s["additionalItems"] : s["items"];
        if (isRecord(items) || typeof items === "boolean") return below(items, true);
        return [undeclared(s, false)];
      }
      if (isArray) return [undeclared(s, true)];
    }
    const additional = s["additionalProperties"];
    if (isRecord(additional)) return below(additional, true);
    if (additional === true) return [undeclared(s, false)];
    // Declared members without this one: JSON Schema allows extra members, but a read of one the
    // description never mentions is most likely a typo.
    if (isRecord(properties)) return [undeclared(s, true)];
    if (["string", "number", "integer", "boolean", "null"].includes(String(s["type"]))) return [undeclared(s, true)];
    return [undeclared(s, false)];
  };

  return walk(schema, 0, new Set());
}

function dedupe(reads: SchemaRead[]): SchemaRead[] {
  if (reads.length < 2) return reads;
  const seen = new Map<SchemaIr, Set<string>>();
  return reads.filter((r) => {
    const identity = r.declared ? r.schema : r.at;
    const tag = `${r.declared}${r.maybeAbsent}${r.declared ? "" : r.ruledOut}`;
    const tags = seen.get(identity) ?? new Set<string>();
    seen.set(identity, tags);
    if (tags.has(tag)) return false;
    tags.add(tag);
    return true;
  });
}

export type PathPresence = "present" | "absent" | "unknown" | { readonly unresolved: SchemaIr };

/**
 * Can `path` exist in a value described by `schema`? "absent" only when every way the schemas describe
 * the value rules the path out. `isUnresolved` tells the schemas that stand for a reference that could not
 * be resolved (the navigation then reports the first one it met, when nothing else says "present").
 */
export function pathPresence(
  schema: SchemaIr,
  path: readonly string[],
  table: SchemaTable,
  isUnresolved: (schema: SchemaIr) => boolean = () => false,
): PathPresence {
  const reads = schemaAt(schema, path, table);
  const resolvedOf = (r: SchemaRead) => (r.declared ? (resolveSchema(r.schema, table) ?? r.schema) : r.at);
  if (reads.some((r) => r.declared && !isUnresolved(resolvedOf(r)))) return "present";
  const unresolved = reads.find((r) => isUnresolved(resolvedOf(r)));
  if (unresolved) return { unresolved: resolvedOf(unresolved) };
  return reads.length > 0 && reads.every((r) => !r.declared && r.ruledOut) ? "absent" : "unknown";
}

/**
 * The members an object schema declares at its top level: its own `properties`, and those of the
 * schemas it is composed of (references, allOf, oneOf, anyOf). Undefined when none declares any.
 */
export function declaredProperties(schema: SchemaIr, table: SchemaTable): string[] | undefined {
  const names = new Set<string>();
  let declares = false;
  eachComposed(schema, table, (s) => {
    if (!isRecord(s["properties"])) return;
    declares = true;
    for (const name of Object.keys(s["properties"])) names.add(name);
  });
  return declares ? [...names] : undefined;
}

/**
 * The members a value of the schema must have: required by the schema or by any allOf member, or by
 * every branch of a oneOf/anyOf.
 */
export function requiredProperties(schema: SchemaIr, table: SchemaTable): string[] {
  const visiting = new Set<SchemaIr>();
  const required = (given: SchemaIr): Set<string> => {
    const s = resolveSchema(given, table);
    const out = new Set<string>();
    if (!isRecord(s) || visiting.has(s)) return out;
    visiting.add(s);
    if (Array.isArray(s["required"])) for (const r of s["required"]) if (typeof r === "string") out.add(r);
    if (Array.isArray(s["allOf"])) for (const m of s["allOf"]) for (const r of required(m as SchemaIr)) out.add(r);
    for (const keyword of ["oneOf", "anyOf"] as const) {
      const branches = s[keyword];
      if (!Array.isArray(branches) || branches.length === 0) continue;
      const each = branches.map((b) => required(b as SchemaIr));
      for (const r of each[0]!) if (each.every((set) => set.has(r))) out.add(r);
    }
    visiting.delete(s);
    return out;
  };
  return [...required(schema)];
}

/** Calls `visit` on the schema and on each schema it is composed of (references, allOf, oneOf, anyOf), once each. */
function eachComposed(schema: SchemaIr, table: SchemaTable, visit: (s: SchemaObject) => void): void {
  const seen = new Set<SchemaIr>();
  const queue = [schema];
  while (queue.length > 0) {
    const s = resolveSchema(queue.shift()!, table);
    if (!isRecord(s) || seen.has(s)) continue;
    seen.add(s);
    visit(s);
    for (const keyword of ["allOf", "oneOf", "anyOf"] as const) if (Array.isArray(s[keyword])) queue.push(...(s[keyword] as SchemaIr[]));
  }
}
