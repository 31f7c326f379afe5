// Values a request cannot be built without (delta decision A-36): a path parameter's value, and every value
// embedded in text (`Bearer {$inputs.token}`, a body written as a template). An absent one fails the step before
// anything is sent, with reason `expression`. Whole values of query, header and cookie parameters and members of
// structured bodies are not among them: an absent one is left out of the request, as before.
//
// The lowering lists those whose type allows absence (RequestIr.needs), for the runtime to check; the rule below
// warns where the type says so explicitly (an input the schema does not require, a member a response schema does
// not require), not where nothing is known (`unknown`), which would warn on most documents.
import type { CheckedStep } from "../check/lower-workflow.js";
import type { BoundStep, Ref, Value } from "../check/model.js";
import { diagnosticAt, type Read } from "../check/report.js";
import type { Rule } from "../check/rules/rule.js";
import { versionOf } from "../check/symbols.js";
import type { Diagnostic } from "../diagnostics.js";
import type { SchemaNormalizer } from "../load/schemas.js";
import type { TypeIr } from "./types.js";
import { reachableTypedSteps, type WorkflowTyping } from "./typing.js";

/** Where a value a request needs stands: the whole value of a path parameter, or embedded in the text of one. */
export interface NeededValue {
  readonly ref: Ref;
  /** `path` for a path parameter's whole value; else the parameter's name, or undefined for the body. */
  readonly parameter?: { readonly name: string; readonly in: string };
  readonly whole: boolean;
}

/** The refs of the values embedded in text anywhere inside a value. */
function embedded(value: Value): Ref[] {
  switch (value.kind) {
    case "template":
      return value.parts.filter((p): p is Ref => typeof p !== "string");
    case "replaced":
      return [...embedded(value.base), ...value.replacements.flatMap(([, v]) => embedded(v))];
    case "object":
      return value.entries.flatMap(([, v]) => embedded(v));
    case "array":
      return value.items.flatMap(embedded);
    default:
      return [];
  }
}

/** The values an HTTP step's request cannot be built without, in the order the request is written. */
export function neededValues(step: BoundStep): NeededValue[] {
  if (step.target.kind !== "operation") return [];
  const out: NeededValue[] = [];
  for (const p of step.parameters) {
    const parameter = { name: p.name, in: p.in };
    if (p.in === "path" && p.value.kind === "ref") out.push({ ref: p.value.ref, parameter, whole: true });
    for (const ref of embedded(p.value)) out.push({ ref, parameter, whole: false });
  }
  if (step.body) for (const ref of embedded(step.body.value)) out.push({ ref, whole: false });
  return out;
}

function hasUndefined(type: TypeIr): boolean {
  return type.kind === "undefined" || (type.kind === "union" && type.members.some(hasUndefined));
}

/** Whether a value of this type may be absent at run time: its type allows undefined, or says nothing. */
export function mayBeAbsent(type: TypeIr): boolean {
  return type.kind === "unknown" || hasUndefined(type);
}

/**
 * The refs of `step`'s request that the runtime must find present (RequestIr.needs), each once: those whose type
 * allows absence, and step outputs of steps that may not have run before this one.
 */
export function requestNeeds(step: BoundStep, typing: WorkflowTyping, ranBefore: ReadonlySet<string>): Ref[] {
  const seen = new Set<string>();
  const out: Ref[] = [];
  for (const { ref } of neededValues(step)) {
    const key = JSON.stringify(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    const unrun = ref.kind === "stepOutput" && !ranBefore.has(ref.stepId);
    if (unrun || mayBeAbsent(typing.typeOf(ref, step))) out.push(ref);
  }
  return out;
}

/**
 * AZC4170: a path parameter's value, or a value embedded in text, that a schema says on purpose may be absent (an
 * input or response member left out of a `required` list that names others, an array element). Steps that may not
 * have run are AZC4020's concern; a type that says nothing (`unknown`), and an object that requires nothing, are
 * not warned about: most documents declare no `required` inputs, and warning on each would flood. Arazzo 1.1
 * documents only: 1.0 documents keep checking as before (the runtime check holds for them too).
 */
export function absentValues(schemas: SchemaNormalizer): Rule {
  return {
    name: "absent-values",
    check(context) {
      const diagnostics: Diagnostic[] = [];
      if (versionOf(context.symbols) !== "1.1") return diagnostics;
      const reported = new Set<string>();
      for (const { step, bound, typing } of reachableTypedSteps(context.workflows, schemas)) {
        for (const needed of neededValues(bound)) {
          if (!hasUndefined(typing.typeOf(needed.ref, bound)) || !typing.declaredOptional(needed.ref)) continue;
          const read = readOf(step, needed);
          const at = read?.at ?? { pointer: step.symbol.pointer };
          const key = `${at.pointer}\u0000${read?.text ?? JSON.stringify(needed.ref)}`;
          if (reported.has(key)) continue;
          reported.add(key);
          const where = needed.whole
            ? `the value of path parameter '${needed.parameter!.name}'`
            : needed.parameter
              ? `embedded in parameter '${needed.parameter.name}'`
              : "embedded in the request body";
          diagnostics.push(diagnosticAt(context.symbols.file, "AZC4170", { expression: read?.text ?? "a value", where }, at));
        }
      }
      return diagnostics;
    },
  };
}

/** The read that wrote a needed value: in the parameter's value or in the request body, the same expression. */
function readOf(step: CheckedStep, needed: NeededValue): Read | undefined {
  const key = JSON.stringify(needed.ref);
  const parameter = needed.parameter;
  const entry =
    parameter && step.parameterValues.find((p) => p.entry.parameter.name === parameter.name && p.entry.parameter.in === parameter.in);
  const prefix = entry ? `${entry.entry.pointer}/value` : undefined;
  const reads = [...step.reads, ...step.inheritedReads].filter((r) => JSON.stringify(r.ref) === key);
  if (!parameter) return reads.find((r) => r.place === "requestBody");
  // A parameter taken from components is read where the component writes it.
  return (
    reads.find((r) => prefix !== undefined && (r.at.pointer === prefix || r.at.pointer.startsWith(`${prefix}/`))) ??
    reads.find((r) => r.place === "parameter")
  );
}
