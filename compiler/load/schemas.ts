// Schemas normalized once per compilation, as they are read: from a schema node of any loaded file
// (OpenAPI 3.x, Swagger 2.0 definitions, Arazzo inputs) to plain SchemaIr, every $ref resolved (within a
// file and across files) and replaced by `{ "$ref": name }` with the target normalized into one shared
// table under a readable name. Recursion stays a reference, so every normalized schema is at most as large
// as the text it comes from, and each node is normalized once however many reads reach it. Only the
// schemas something reads are normalized: an 800 KB description costs what its used operations use.
import { basename } from "node:path";
import { SCHEMA_KEYWORDS, type SchemaIr, type SchemaObject } from "../ir/schema.js";
import { isObject, type Located } from "./json.js";
import { joinPointer, parsePointer } from "./pointer.js";
import { refOf, type DocumentStore } from "./refs.js";

/** Where a normalized schema was written: enough to point a diagnostic at it (no file handle is kept). */
export interface SchemaOrigin {
  /** Absolute path (or URL) of the file. */
  readonly path: string;
  readonly displayPath: string;
  readonly pointer: string;
}

/** A $ref that leads nowhere: the schema normalized in its place accepts anything. */
export interface UnresolvedRef {
  readonly ref: string;
  readonly reason: string;
}

/** Levels of inline nesting normalized within one schema (references start afresh). */
const MAX_NESTING = 128;

/** Containers whose entries are named schemas: their key becomes the schema's name. */
const NAMED_CONTAINERS = new Set(["schemas", "definitions", "$defs", "inputs"]);
/** Pointer tokens that say where a schema sits rather than what it is. */
const STRUCTURAL_TOKENS = new Set([
  "schema",
  "content",
  "items",
  "properties",
  "additionalProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "prefixItems",
  "components",
  "paths",
  "responses",
  "requestBody",
  "parameters",
]);

export class SchemaNormalizer {
  /** Every named schema normalized so far in this compilation. */
  readonly table: Record<string, SchemaIr> = {};
  private readonly normalized = new WeakMap<object, SchemaIr>();
  /** Schema objects being normalized, with their (unfinished) results. */
  private readonly building = new Map<object, Record<string, unknown>>();
  private readonly origins = new WeakMap<object, SchemaOrigin>();
  private readonly unresolved = new WeakMap<object, UnresolvedRef>();
  /** Table names by target (`file#pointer`), and the targets by name. */
  private readonly names = new Map<string, string>();
  private readonly taken = new Set<string>();
  /** Per table name: the schema's own name (`Job` for `windmill.Job`) and where it is written. */
  private readonly named = new Map<string, NamedSchema>();

  constructor(private readonly store: DocumentStore) {}

  /** Named targets whose bodies are still to be normalized (a queue, so that chains of references do not recurse). */
  private readonly pending: { name: string; target: Located }[] = [];
  private draining = false;

  /**
   * The schema at `node`, normalized (memoized: a node is normalized once per compilation), with every
   * named schema it refers to, directly or not, in `table`.
   */
  normalize(node: Located): SchemaIr {
    const result = this.node(node, 0);
    if (!this.draining) {
      this.draining = true;
      try {
        for (let next = this.pending.pop(); next !== undefined; next = this.pending.pop()) {
          this.table[next.name] = this.node(next.target, 0);
        }
      } finally {
        this.draining = false;
      }
    }
    return result;
  }

  private node(node: Located, depth: number): SchemaIr {
    const value = node.value;
    if (typeof value === "boolean") return value;
    // Not a schema (absent, or a value of the wrong kind): says nothing, like `{}`.
    if (!isObject(value)) return this.remember({}, node);
    const done = this.normalized.get(value);
    if (done !== undefined) return done;
    // A YAML alias that contains itself: cut, so that the result stays plain (acyclic) data.
    if (this.building.has(value)) return this.remember({}, node);
    // Inline nesting beyond any real schema's: the rest says nothing (not memoized: met higher up, it is read).
    if (depth > MAX_NESTING) return this.remember({}, node);
    const ref = refOf(value);
    if (ref !== undefined) {
      const result = this.reference(node, ref);
      this.normalized.set(value, result);
      return result;
    }
    const out: Record<string, unknown> = {};
    this.building.set(value, out);
    for (const [key, child] of Object.entries(value)) {
      const at = (...tokens: (string | number)[]) => ({ file: node.file, pointer: joinPointer(node.pointer, key, ...tokens) });
      if ((SCHEMA_KEYWORDS.single as readonly string[]).includes(key)) {
        out[key] = Array.isArray(child)
          ? child.map((c, i) => this.node({ ...at(i), value: c }, depth + 1))
          : this.node({ ...at(), value: child }, depth + 1);
      } else if ((SCHEMA_KEYWORDS.list as readonly string[]).includes(key) && Array.isArray(child)) {
        out[key] = child.map((c, i) => this.node({ ...at(i), value: c }, depth + 1));
      } else if ((SCHEMA_KEYWORDS.map as readonly string[]).includes(key) && isObject(child)) {
        out[key] = Object.fromEntries(Object.entries(child).map(([name, c]) => [name, this.node({ ...at(name), value: c }, depth + 1)]));
      } else {
        out[key] = child; // data (enum, const, discriminator, description...), shared with the parsed file
      }
    }
    this.building.delete(value);
    const result = this.remember(out, node);
    this.normalized.set(value, result);
    return result;
  }

  /** Where a normalized schema object was written. */
  origin(schema: SchemaIr): SchemaOrigin | undefined {
    return typeof schema === "object" ? this.origins.get(schema) : undefined;
  }

  /** The $ref a normalized schema stands for when that $ref leads nowhere (the schema is then `{}`). */
  unresolvedRef(schema: SchemaIr): UnresolvedRef | undefined {
    return typeof schema === "object" ? this.unresolved.get(schema) : undefined;
  }

  private remember<T extends SchemaObject>(schema: T, node: Located): T {
    this.origins.set(schema, { path: node.file.path, displayPath: node.file.displayPath, pointer: node.pointer });
    return schema;
  }

  /** `{ "$ref": name }` for a $ref written at `node`, its target normalized into the table under `name`. */
  private reference(node: Located, ref: string): SchemaIr {
    // The whole chain is checked first, so that a $ref into a cycle of references or nowhere is reported.
    const final = this.store.resolve(node.file, ref, { at: node.pointer });
    const target = "error" in final ? final : this.store.resolve(node.file, ref, { follow: false, at: node.pointer });
    if ("error" in target) {
      const marker = this.remember({}, node);
      this.unresolved.set(marker, { ref, reason: target.error });
      return marker;
    }
    const key = `${target.file.path}#${target.pointer}`;
    let name = this.names.get(key);
    if (name === undefined) {
      name = this.claimName(target.file.path, target.pointer);
      this.names.set(key, name);
      // Named before its body is normalized: a reference back to it inside is just its name. A schema
      // being normalized when a reference inside it names it is that (unfinished) result.
      const known = isObject(target.value) ? (this.normalized.get(target.value) ?? this.building.get(target.value)) : undefined;
      if (known !== undefined) this.table[name] = known;
      else this.pending.push({ name, target });
    }
    return this.remember({ $ref: name }, node);
  }

  /**
   * A readable name for the schema at `pointer` of `file`, unique in the table: the component's own name
   * (`Job`), qualified by its file when another file has one of that name (`windmill.Job`).
   */
  private claimName(file: string, pointer: string): string {
    const tokens = parsePointer(pointer) ?? [];
    const qualifier = fileQualifier(file);
    const parent = tokens[tokens.length - 2];
    const base =
      tokens.length === 0
        ? qualifier
        : parent !== undefined && NAMED_CONTAINERS.has(parent)
          ? tokens[tokens.length - 1]!
          : ([...tokens].reverse().find((t) => !STRUCTURAL_TOKENS.has(t) && !/^\d+$/.test(t) && !t.includes("/")) ?? qualifier);
    const candidates = [base, `${qualifier}.${base}`];
    let name = candidates.find((c) => !this.taken.has(c));
    for (let n = 2; name === undefined; n++) if (!this.taken.has(`${qualifier}.${base}${n}`)) name = `${qualifier}.${base}${n}`;
    this.taken.add(name);
    this.named.set(name, { name: base, file, pointer });
    return name;
  }

  /**
   * What a table name stands for: the schema's own name and place. The table name itself depends on which
   * other schemas the compilation met first (`windmill.Job` when another `Job` came before); this does not.
   */
  namedSchema(tableName: string): NamedSchema | undefined {
    return this.named.get(tableName);
  }
}

/** A named schema of the table: its own name (a component's key) and the file and pointer where it is written. */
export interface NamedSchema {
  readonly name: string;
  readonly file: string;
  readonly pointer: string;
}

/** `windmill` for windmill-api-openapi.yml, `pets` for pets.openapi.yaml: the file's name without its kind. */
function fileQualifier(path: string): string {
  let name = basename(path.split(/[?#]/)[0]!).split(".")[0]!;
  for (let previous = ""; previous !== name; ) {
    previous = name;
    name = name.replace(/[-_](openapi|swagger|api|spec|schema|schemas)$/i, "");
  }
  return name || "schema";
}
