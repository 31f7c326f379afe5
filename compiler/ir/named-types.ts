// The named types of one module: the types of named schemas (OpenAPI components) that the module's types
// refer to more than once, or that refer to themselves, declared once (ModuleIr.types) and referred to by a
// `named` type; a named schema used once is written in place. Keys are the schemas' own names, made unique
// in the module in an order that does not depend on what else the compilation read.
import type { TypeIr } from "./types.js";

/** A type of ModuleIr.types. */
export interface NamedTypeIr {
  readonly type: TypeIr;
  /** The schema's description, for a doc comment. */
  readonly description?: string;
}

/** What the compilation knows of a schema-table name: the schema's own name and a stable place to sort by. */
export interface SchemaName {
  readonly name: string;
  /** Where the schema is written (`file#pointer`): orders two schemas of the same name. */
  readonly place: string;
  readonly description?: string;
}

/** Calls `visit` on every `named` type inside `type`, in order. */
function eachNamed(type: TypeIr, visit: (name: string) => void): void {
  switch (type.kind) {
    case "named":
      visit(type.name);
      return;
    case "array":
      eachNamed(type.items, visit);
      return;
    case "tuple":
      for (const t of type.items) eachNamed(t, visit);
      return;
    case "union":
    case "intersection":
      for (const t of type.members) eachNamed(t, visit);
      return;
    case "object":
      for (const p of type.properties) eachNamed(p.type, visit);
      if (type.additional) eachNamed(type.additional, visit);
      return;
    default:
      return;
  }
}

export interface SharedTypes {
  /** A type of the module, with its references to kept names renamed and the others written in place. */
  readonly rewrite: (type: TypeIr) => TypeIr;
  readonly types: Readonly<Record<string, NamedTypeIr>>;
}

/**
 * Decides which named schemas the module declares. `roots`: every type of the module, each occurrence once;
 * `definitions`: the types of named schemas by table name (SchemaTyper.definitions).
 */
export function shareTypes(
  roots: readonly TypeIr[],
  definitions: ReadonlyMap<string, TypeIr>,
  schemaName: (tableName: string) => SchemaName,
): SharedTypes {
  const definition = (name: string): TypeIr => definitions.get(name) ?? { kind: "unknown" };
  // How often each name is written: in the roots, and in the definitions of the names reached.
  const uses = new Map<string, number>();
  const refs = new Map<string, Set<string>>();
  const pending: string[] = [];
  const note = (name: string) => {
    uses.set(name, (uses.get(name) ?? 0) + 1);
    if (refs.has(name)) return;
    refs.set(name, new Set());
    pending.push(name);
  };
  for (const root of roots) eachNamed(root, note);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const direct = refs.get(name)!;
    eachNamed(definition(name), (other) => {
      direct.add(other);
      note(other);
    });
  }

  const recursive = (name: string): boolean => {
    const seen = new Set<string>();
    const queue = [...refs.get(name)!];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === name) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(refs.get(next) ?? []));
    }
    return false;
  };
  const kept = [...refs.keys()].filter((name) => uses.get(name)! > 1 || recursive(name));

  // Module keys: the schema's own name, numbered when two schemas of the module share it.
  const described = new Map(kept.map((name) => [name, schemaName(name)]));
  kept.sort((a, b) => {
    const x = described.get(a)!;
    const y = described.get(b)!;
    return x.name < y.name ? -1 : x.name > y.name ? 1 : x.place < y.place ? -1 : x.place > y.place ? 1 : 0;
  });
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of kept) {
    const base = described.get(name)!.name;
    let key = base;
    for (let n = 2; taken.has(key); n++) key = `${base}${n}`;
    taken.add(key);
    keys.set(name, key);
  }

  const done = new WeakMap<TypeIr, TypeIr>();
  const rewrite = (type: TypeIr): TypeIr => {
    const known = done.get(type);
    if (known !== undefined) return known;
    let out: TypeIr;
    switch (type.kind) {
      case "named": {
        const key = keys.get(type.name);
        // Not kept: used once and not recursive, so writing it in place ends.
        out = key !== undefined ? { kind: "named", name: key } : rewrite(definition(type.name));
        break;
      }
      case "array":
        out = { kind: "array", items: rewrite(type.items) };
        break;
      case "tuple":
        out = { kind: "tuple", items: type.items.map(rewrite) };
        break;
      case "union":
      case "intersection":
        out = { kind: type.kind, members: type.members.map(rewrite) };
        break;
      case "object":
        out = {
          kind: "object",
          properties: type.properties.map((p) => ({ ...p, type: rewrite(p.type) })),
          ...(type.additional !== undefined ? { additional: rewrite(type.additional) } : {}),
        };
        break;
      default:
        out = type;
    }
    done.set(type, out);
    return out;
  };

  const types: Record<string, NamedTypeIr> = {};
  for (const name of [...kept].sort((a, b) => (keys.get(a)! < keys.get(b)! ? -1 : 1))) {
    const description = described.get(name)!.description;
    types[keys.get(name)!] = { type: rewrite(definition(name)), ...(description !== undefined ? { description } : {}) };
  }
  return { rewrite, types };
}
