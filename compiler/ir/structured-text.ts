// A structured value embedded in a text body (delta 42): `{$inputs.order}` inside an XML or plain-text request
// body written as a string becomes the value's JSON text (RFC 8259), as the 1.1 text conversion says. JSON text
// inside XML or prose is rarely what the server wants, and the 1.1 text leaves fitting it to the author, so the
// compiler warns where a schema says the value is an object or an array. A value whose type says nothing
// (`unknown`) is not warned about.
import type { Ref, Value } from "../check/model.js";
import { diagnosticAt } from "../check/report.js";
import type { Rule } from "../check/rules/rule.js";
import { versionOf } from "../check/symbols.js";
import type { Diagnostic } from "../diagnostics.js";
import { isJsonMediaType } from "../load/json.js";
import type { SchemaNormalizer } from "../load/schemas.js";
import type { TypeIr } from "./types.js";
import { reachableTypedSteps } from "./typing.js";

/** A body whose string is text the server reads as is: neither JSON (parsed into a tree) nor a form. */
function isTextBody(contentType: string): boolean {
  return !isJsonMediaType(contentType) && !/^application\/x-www-form-urlencoded/i.test(contentType);
}

/** What a structured type is, for the message; undefined when the type may be a scalar or says nothing. */
function structureOf(type: TypeIr, look: (type: TypeIr) => TypeIr): "an object" | "an array" | undefined {
  const t = look(type);
  if (t.kind === "object") return "an object";
  if (t.kind === "array" || t.kind === "tuple") return "an array";
  if (t.kind === "intersection") return t.members.map((m) => structureOf(m, look)).find((s) => s !== undefined);
  if (t.kind === "union") {
    // Absent or null is not text either way; every other member must be structured.
    const kinds = t.members.filter((m) => !["undefined", "null"].includes(look(m).kind)).map((m) => structureOf(m, look));
    if (kinds.length === 0 || kinds.some((k) => k === undefined)) return undefined;
    return kinds.every((k) => k === "an array") ? "an array" : "an object";
  }
  return undefined;
}

function embedded(value: Value): Ref[] {
  return value.kind === "template" ? value.parts.filter((p): p is Ref => typeof p !== "string") : [];
}

/** AZC4104: an object or array embedded in a text or XML request body written as a string. Arazzo 1.1 only. */
export function structuredText(schemas: SchemaNormalizer): Rule {
  return {
    name: "structured-text",
    check(context) {
      const diagnostics: Diagnostic[] = [];
      if (versionOf(context.symbols) !== "1.1") return diagnostics;
      for (const { step, bound, typing } of reachableTypedSteps(context.workflows, schemas)) {
        const body = bound.body;
        if (!body || !isTextBody(body.contentType)) continue;
        const look = (type: TypeIr): TypeIr => typing.lookThrough(type);
        const seen = new Set<string>();
        for (const ref of embedded(body.value)) {
          const structure = structureOf(typing.typeOf(ref, bound), look);
          const key = JSON.stringify(ref);
          if (!structure || seen.has(key)) continue;
          seen.add(key);
          const read = [...step.reads, ...step.inheritedReads].find((r) => r.place === "requestBody" && JSON.stringify(r.ref) === key);
          const args = { expression: read?.text ?? "a value", structure, contentType: body.contentType };
          diagnostics.push(diagnosticAt(context.symbols.file, "AZC4104", args, read?.at ?? { pointer: step.symbol.pointer }));
        }
      }
      return diagnostics;
    },
  };
}
