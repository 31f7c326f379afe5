// Lowering criteria to condition trees: simple conditions, regular expressions (with embedded values built
// when the step runs), RFC 9535 JSONPath queries (with embedded values as nodes of the query's tree), and the
// `$.a == x` comparisons written where a query belongs. Each function returns what it read.
import { parseCondition, type ComparisonOperator, type Condition, type Operand as ConditionOperand } from "../expressions/condition.js";
import { parseJsonPath, singularQuerySteps } from "../expressions/jsonpath/index.js";
import { parseRuntimeExpression } from "../expressions/runtime-expression.js";
import { escapePointerToken, joinPointer } from "../load/pointer.js";
// The run-time test of a pattern that nests repetition, applied to the document's patterns too.
import { jpNestedRepetition } from "../../runtime/runtime-jsonpath.js";
import type { Criterion } from "../schema/arazzo.js";
import type { Cond, Operand, Ref } from "./model.js";
import { lowerExpressionField, lowerValue, resolveRef } from "./lower-value.js";
import { Collector, type Lowered } from "./report.js";
import type { Scope } from "./resolve.js";
import { versionOf, type SymbolTable } from "./symbols.js";

export function lowerCriterion(criterion: Criterion, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Cond> {
  const out = new Collector(symbols.file);
  const type = typeof criterion.type === "object" ? criterion.type.type : (criterion.type ?? "simple");
  const conditionPointer = joinPointer(pointer, "condition");
  if (type === "simple") {
    if (criterion.type === "simple" && criterion.context === undefined)
      out.report("AZC3010", {}, { pointer: joinPointer(pointer, "type") });
    const parsed = parseCondition(criterion.condition, versionOf(symbols));
    if (!parsed.ok) {
      out.report(
        "AZC3003",
        { text: criterion.condition, reason: `${parsed.reason} (at offset ${parsed.offset})` },
        { pointer: conditionPointer },
      );
      return out.done(undefined);
    }
    return out.done(out.take(lowerCondition(parsed.condition, conditionPointer, scope, symbols)));
  }
  if (criterion.context === undefined) {
    out.report("AZC3007", { type }, { pointer, preferKey: true });
    return out.done(undefined);
  }
  const contextValue = out.take(lowerExpressionField(criterion.context, joinPointer(pointer, "context"), scope, symbols));
  if (!contextValue || contextValue.kind !== "ref") return out.done(undefined);
  const context = contextValue.ref;
  if (type === "regex") {
    if (criterion.condition.includes("{$")) {
      // Values embedded in the pattern ([1.1], supported): the pattern is built when the step runs.
      const pattern = out.take(lowerValue(criterion.condition, { pointer: conditionPointer }, scope, false, symbols));
      if (!pattern) return out.done(undefined);
      // The values are literal text at run time: the structure is the literal parts'.
      const structure = pattern.kind === "template" ? pattern.parts.map((p) => (typeof p === "string" ? p : "x")).join("") : "";
      if (jpNestedRepetition(structure)) out.report("AZC6080", { text: criterion.condition }, { pointer: conditionPointer });
      return out.done({ kind: "regex", context, pattern: pattern.kind === "template" ? pattern.parts : criterion.condition });
    }
    try {
      new RegExp(criterion.condition);
    } catch (error) {
      out.report("AZC3006", { text: criterion.condition, reason: (error as Error).message }, { pointer: conditionPointer });
      return out.done(undefined);
    }
    if (jpNestedRepetition(criterion.condition)) out.report("AZC6080", { text: criterion.condition }, { pointer: conditionPointer });
    return out.done({ kind: "regex", context, pattern: criterion.condition });
  }
  if (type === "xpath") {
    out.report("AZC3008", {}, { pointer, preferKey: true });
    return out.done(undefined);
  }
  // `{type: jsonpath, version: rfc9535}` (1.1) names the default dialect: it is plain `jsonpath`.
  if (typeof criterion.type === "object" && criterion.type.version !== "rfc9535") {
    const hint = "Write the query in RFC 9535 JSONPath and drop the version.";
    out.report("AZC4006", { feature: "The draft-goessner JSONPath dialect", hint }, { pointer: joinPointer(pointer, "type") });
    return out.done(undefined);
  }
  // Values embedded in the query ([1.1], supported): `{$inputs.id}` (or '{$inputs.id}') stands where a
  // literal may; the parser makes each an Embedded node of the tree, resolved here to what it reads.
  const parsed = parseJsonPath(criterion.condition, { embedded: true });
  if (parsed.ok) {
    const embedded = parsed.embedded.map((inner): Ref | undefined => {
      const at = { pointer: conditionPointer, span: { start: inner.start, end: inner.end } };
      const parsedInner = parseRuntimeExpression(inner.text, versionOf(symbols));
      if (parsedInner.ok) return out.take(resolveRef(parsedInner.value, inner.text, at, scope, symbols));
      out.report("AZC3001", { text: inner.text, reason: parsedInner.reason }, at);
      return undefined;
    });
    if (!embedded.every((r): r is Ref => r !== undefined)) return out.done(undefined);
    return out.done(
      embedded.length > 0
        ? { kind: "jsonpath", context, query: parsed.query, embedded }
        : { kind: "jsonpath", context, query: parsed.query },
    );
  }
  const comparison = sloppyComparison(criterion.condition);
  if (comparison) {
    const path = comparison.path.length > 0 ? "#/" + comparison.path.map((p) => escapePointerToken(String(p))).join("/") : "";
    const simple = `${criterion.context}${path} ${comparison.operator} ${simpleLiteral(comparison.literal)}`;
    out.report("AZC3004", { text: criterion.condition, suggestion: comparison.suggestion, simple }, { pointer: conditionPointer });
    return out.done({ kind: "nodeCompare", context, path: comparison.path, operator: comparison.operator, literal: comparison.literal });
  }
  out.report(
    "AZC3005",
    { text: criterion.condition, reason: `${parsed.message} (at offset ${parsed.offset})` },
    { pointer: conditionPointer },
  );
  return out.done(undefined);
}

function lowerCondition(condition: Condition, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Cond> {
  const out = new Collector(symbols.file);
  switch (condition.kind) {
    case "and":
    case "or": {
      const left = out.take(lowerCondition(condition.left, pointer, scope, symbols));
      const right = out.take(lowerCondition(condition.right, pointer, scope, symbols));
      return out.done(left && right ? { kind: condition.kind, left, right } : undefined);
    }
    case "not": {
      const operand = out.take(lowerCondition(condition.operand, pointer, scope, symbols));
      return out.done(operand ? { kind: "not", operand } : undefined);
    }
    case "compare": {
      const left = out.take(lowerOperand(condition.left, pointer, scope, symbols));
      const right = out.take(lowerOperand(condition.right, pointer, scope, symbols));
      return out.done(left && right ? { kind: "compare", operator: condition.operator, left, right } : undefined);
    }
    case "test": {
      const operand = out.take(lowerOperand(condition.operand, pointer, scope, symbols));
      return out.done(operand ? { kind: "truthy", operand } : undefined);
    }
  }
}

function lowerOperand(operand: ConditionOperand, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Operand> {
  if (operand.kind === "literal") return { value: { kind: "literal", value: operand.value }, diagnostics: [], reads: [] };
  const out = new Collector(symbols.file);
  const at = { pointer, span: { start: operand.start, end: operand.end } };
  const ref = out.take(resolveRef(operand.expression, operand.text, at, scope, symbols));
  return out.done(ref && { kind: "ref", ref });
}

/** `$statusCode == N` among the AND-ed success criteria: the statuses a successful response can have. */
export function admittedStatuses(criteria: readonly Cond[]): number[] | undefined {
  for (const c of criteria) {
    if (c.kind !== "compare" || c.operator !== "==") continue;
    const [ref, literal] = c.left.kind === "ref" ? [c.left, c.right] : [c.right, c.left];
    if (ref.kind === "ref" && ref.ref.kind === "statusCode" && literal.kind === "literal" && typeof literal.value === "number")
      return [literal.value];
  }
  return undefined;
}

/**
 * `$.a.b == "x"`: a comparison written where a query belongs. Recognised when the left side is a singular
 * RFC 9535 query and the right side a JSON literal (double or single quoted string, number, true, false, null).
 */
function sloppyComparison(
  text: string,
): { path: (string | number)[]; operator: ComparisonOperator; literal: string | number | boolean | null; suggestion: string } | undefined {
  const match = /^\s*(\$.*?)\s*(==|!=|<=|>=|<|>)\s*(.+?)\s*$/.exec(text);
  if (!match) return undefined;
  const query = parseJsonPath(match[1]!);
  if (!query.ok) return undefined;
  const steps = singularQuerySteps(query.query);
  if (!steps) return undefined;
  const literal = parseLiteral(match[3]!);
  if (literal === undefined) return undefined;
  const operator = match[2] as ComparisonOperator;
  const relative = "@" + match[1]!.slice(1);
  const literalText =
    typeof literal.value === "string" ? `'${literal.value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : JSON.stringify(literal.value);
  return {
    path: steps.map((s) => (s.kind === "name" ? s.name : s.index)),
    operator,
    literal: literal.value,
    suggestion: `$[?${relative} ${operator} ${literalText}]`,
  };
}

/** A literal as a simple condition writes it: strings single-quoted with '' for a quote. */
function simpleLiteral(value: string | number | boolean | null): string {
  return typeof value === "string" ? `'${value.replace(/'/g, "''")}'` : JSON.stringify(value);
}

function parseLiteral(text: string): { value: string | number | boolean | null } | undefined {
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) {
    const inner = text.slice(1, -1);
    return /(^|[^\\])'/.test(inner) ? undefined : { value: inner.replace(/\\(.)/g, "$1") };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return { value };
  } catch {
    return undefined;
  }
  return undefined;
}
