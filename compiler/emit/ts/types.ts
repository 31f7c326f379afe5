// Printing the type AST as TypeScript: literal unions, never a TS enum; JSDoc from schema descriptions; the
// module's named types (ModuleIr.types) by the names the naming pass gave them.
import type { NamedTypeIr } from "../../ir/named-types.js";
import { throughNames, type PropertyIr, type TypeIr } from "../../ir/types.js";
import { commentText, stringLiteral, typeMemberName } from "../escape.js";

/** The types of one module as TypeScript: printed, and looked through where code depends on what they are. */
export interface TypeView {
  /** `indent`: the indentation of the line the type starts on (object members go one level deeper). */
  print(type: TypeIr, indent?: string): string;
  /** The type itself, through its names. */
  resolve(type: TypeIr): TypeIr;
}

export function typeView(types: Readonly<Record<string, NamedTypeIr>>, names: ReadonlyMap<string, string>): TypeView {
  const print = (type: TypeIr, indent = ""): string => {
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
        return names.get(type.name) ?? "unknown";
      case "literal":
        return typeof type.value === "string" ? stringLiteral(type.value) : String(type.value);
      case "array": {
        const items = print(type.items, indent);
        return /^[\w.]+$/.test(items) ? `${items}[]` : `Array<${items}>`;
      }
      case "tuple":
        return `[${type.items.map((t) => print(t, indent)).join(", ")}]`;
      case "union":
        return type.members.map((m) => (m.kind === "intersection" ? `(${print(m, indent)})` : print(m, indent))).join(" | ");
      case "intersection":
        return type.members.map((m) => (m.kind === "union" ? `(${print(m, indent)})` : print(m, indent))).join(" & ");
      case "object": {
        if (type.properties.length === 0) {
          if (!type.additional) return "Record<string, never>";
          // A named type inside Record<...> is a generic instantiation, which a recursive alias cannot go
          // through (TS2456); an index signature can.
          const value = print(type.additional, indent);
          return namesAType(type.additional) ? `{ [key: string]: ${value} }` : `Record<string, ${value}>`;
        }
        const inner = indent + "  ";
        const members = type.properties.map((p) => inner + printProperty(p, inner));
        if (type.additional) members.push(`${inner}[key: string]: unknown;`);
        return `{\n${members.join("\n")}\n${indent}}`;
      }
    }
  };
  const printProperty = (p: PropertyIr, indent: string): string => {
    const doc = jsDoc([p.description, p.format !== undefined ? `Format: ${p.format}.` : undefined], indent).trimStart();
    return `${doc}${doc ? indent : ""}${typeMemberName(p.name)}${p.optional ? "?" : ""}: ${print(p.type, indent)};`;
  };
  const resolve = (type: TypeIr): TypeIr =>
    throughNames(type, (name) => (Object.prototype.hasOwnProperty.call(types, name) ? types[name]!.type : undefined));
  return { print, resolve };
}

export function jsDoc(lines: readonly (string | undefined)[], indent = ""): string {
  const text = lines.filter((l): l is string => l !== undefined && l.trim() !== "").map(commentText);
  if (text.length === 0) return "";
  const body = text.join("\n\n").split("\n");
  if (body.length === 1) return `${indent}/** ${body[0]!.trim()} */\n`;
  return `${indent}/**\n${body.map((l) => `${indent} *${l.trim() === "" ? "" : " " + l.trimEnd()}`).join("\n")}\n${indent} */\n`;
}

/** Whether a named type occurs in `type`. */
function namesAType(type: TypeIr): boolean {
  switch (type.kind) {
    case "named":
      return true;
    case "array":
      return namesAType(type.items);
    case "tuple":
    case "union":
    case "intersection":
      return (type.kind === "tuple" ? type.items : type.members).some(namesAType);
    case "object":
      return type.properties.some((p) => namesAType(p.type)) || (type.additional !== undefined && namesAType(type.additional));
    default:
      return false;
  }
}
