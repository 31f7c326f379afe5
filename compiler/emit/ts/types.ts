// Printing the type AST as TypeScript: literal unions, never a TS enum; JSDoc from schema descriptions.
import type { PropertyIr, TypeIr } from "../../ir/types.js";
import { commentText, stringLiteral, typeMemberName } from "../escape.js";

export function printType(type: TypeIr, indent = ""): string {
  switch (type.kind) {
    case "unknown":
    case "string":
    case "number":
    case "boolean":
    case "null":
    case "undefined":
    case "never":
      return type.kind;
    case "literal":
      return typeof type.value === "string" ? stringLiteral(type.value) : String(type.value);
    case "array": {
      const items = printType(type.items, indent);
      return /^[\w.]+$/.test(items) ? `${items}[]` : `Array<${items}>`;
    }
    case "tuple":
      return `[${type.items.map((t) => printType(t, indent)).join(", ")}]`;
    case "union":
      return type.members.map((m) => (m.kind === "intersection" ? `(${printType(m, indent)})` : printType(m, indent))).join(" | ");
    case "intersection":
      return type.members.map((m) => (m.kind === "union" ? `(${printType(m, indent)})` : printType(m, indent))).join(" & ");
    case "object": {
      if (type.properties.length === 0)
        return type.additional ? `Record<string, ${printType(type.additional, indent)}>` : "Record<string, never>";
      const inner = indent + "  ";
      const members = type.properties.map((p) => inner + printProperty(p, inner));
      if (type.additional) members.push(`${inner}[key: string]: unknown;`);
      return `{\n${members.join("\n")}\n${indent}}`;
    }
  }
}

export function jsDoc(lines: readonly (string | undefined)[], indent = ""): string {
  const text = lines.filter((l): l is string => l !== undefined && l.trim() !== "").map(commentText);
  if (text.length === 0) return "";
  const body = text.join("\n\n").split("\n");
  if (body.length === 1) return `${indent}/** ${body[0]!.trim()} */\n`;
  return `${indent}/**\n${body.map((l) => `${indent} *${l.trim() === "" ? "" : " " + l.trimEnd()}`).join("\n")}\n${indent} */\n`;
}

export function printProperty(p: PropertyIr, indent: string): string {
  const doc = jsDoc([p.description, p.format !== undefined ? `Format: ${p.format}.` : undefined], indent).trimStart();
  return `${doc}${doc ? indent : ""}${typeMemberName(p.name)}${p.optional ? "?" : ""}: ${printType(p.type, indent)};`;
}
