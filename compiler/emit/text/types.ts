// Types of the IR printed as TypeScript-like text on one line, for readers (docs tables), without a
// TypeScript printer: `{ id: string; tags?: string[] }`, `"queued" | "done"`.
import type { TypeIr } from "../../ir/types.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `precedence`: 0 anywhere, 1 member of a union, 2 member of an intersection, 3 element of an array. */
function print(type: TypeIr, precedence: number): string {
  switch (type.kind) {
    case "unknown":
    case "string":
    case "number":
    case "boolean":
    case "null":
    case "undefined":
    case "never":
      return type.kind;
    case "named":
      return type.name;
    case "literal":
      return JSON.stringify(type.value);
    case "array":
      return `${print(type.items, 3)}[]`;
    case "tuple":
      return `[${type.items.map((t) => print(t, 0)).join(", ")}]`;
    case "object": {
      const members = type.properties.map(
        (p) => `${IDENTIFIER.test(p.name) ? p.name : JSON.stringify(p.name)}${p.optional ? "?" : ""}: ${print(p.type, 0)}`,
      );
      if (type.additional) members.push(`[key: string]: ${print(type.additional, 0)}`);
      return members.length === 0 ? "{}" : `{ ${members.join("; ")} }`;
    }
    case "union": {
      const text = type.members.map((m) => print(m, 1)).join(" | ");
      return precedence >= 1 ? `(${text})` : text;
    }
    case "intersection": {
      const text = type.members.map((m) => print(m, 2)).join(" & ");
      return precedence >= 2 ? `(${text})` : text;
    }
  }
}

export function printType(type: TypeIr): string {
  return print(type, 0);
}
