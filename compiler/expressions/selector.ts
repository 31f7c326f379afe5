// Arazzo 1.1 Selector Objects ({ context, selector, type }) and Expression Type Objects ({ type, version }):
// telling a Selector Object apart from an object literal, and the kinds and versions each expression type
// admits. A Selector Object looks like any other object in a payload, so the rule is strict: exactly the
// three keys (and `x-` extensions), a `context` that parses as a runtime expression, a known `type`.
import type { JsonPathQuery, LogicalExpression, Segment } from "./jsonpath/ast.js";
import { parseRuntimeExpression } from "./runtime-expression.js";

export type ExpressionKind = "jsonpath" | "xpath" | "jsonpointer";

/** The versions each kind admits; the first is the default when no version is written. */
export const EXPRESSION_VERSIONS: Readonly<Record<ExpressionKind, readonly string[]>> = {
  jsonpath: ["rfc9535", "draft-goessner-dispatch-jsonpath-00"],
  xpath: ["xpath-31", "xpath-30", "xpath-20", "xpath-10"],
  jsonpointer: ["rfc6901"],
};

export interface ExpressionType {
  readonly kind: ExpressionKind;
  readonly version: string;
}

export type ExpressionTypeResult =
  | { readonly ok: true; readonly type: ExpressionType }
  | { readonly ok: false; readonly reason: string; readonly field?: "type" | "version" };

function isKind(value: unknown): value is ExpressionKind {
  return value === "jsonpath" || value === "xpath" || value === "jsonpointer";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A `type` written as a name (`jsonpath`) or as an Expression Type Object; the version made explicit. */
export function readExpressionType(raw: unknown): ExpressionTypeResult {
  if (isKind(raw)) return { ok: true, type: { kind: raw, version: EXPRESSION_VERSIONS[raw][0]! } };
  if (!isRecord(raw)) return { ok: false, reason: "must be jsonpath, xpath, jsonpointer or an Expression Type Object", field: "type" };
  if (!isKind(raw.type)) return { ok: false, reason: "the Expression Type Object's type must be jsonpath, xpath or jsonpointer", field: "type" };
  const allowed = EXPRESSION_VERSIONS[raw.type];
  if (raw.version === undefined)
    return { ok: false, reason: `the Expression Type Object needs a version (${allowed.join(", ")}); or write type: ${raw.type}`, field: "version" };
  if (typeof raw.version !== "string" || !allowed.includes(raw.version))
    return { ok: false, reason: `version of ${raw.type} must be one of ${allowed.join(", ")}`, field: "version" };
  return { ok: true, type: { kind: raw.type, version: raw.version } };
}

export interface SelectorObject {
  readonly context: string;
  readonly selector: string;
  readonly type: ExpressionType;
}

export type SelectorClassification =
  | { readonly kind: "selector"; readonly selector: SelectorObject }
  /** It means to be a Selector Object (it has `selector` and `context`, `expression` or `type`) but is not one. */
  | { readonly kind: "malformed"; readonly reason: string; readonly field?: string }
  | { readonly kind: "literal" };

const SELECTOR_KEYS = ["context", "selector", "type"];

/** Whether an object is a Selector Object, an object literal, or a Selector Object written wrong. */
export function classifySelectorObject(raw: unknown): SelectorClassification {
  if (!isRecord(raw) || !("selector" in raw)) return { kind: "literal" };
  const meant = "context" in raw || "expression" in raw || "type" in raw;
  if (!meant) return { kind: "literal" };
  const malformed = (reason: string, field?: string): SelectorClassification => ({ kind: "malformed", reason, ...(field ? { field } : {}) });
  if ("expression" in raw && !("context" in raw))
    return malformed("'expression' was renamed 'context' before Arazzo 1.1.0 was released", "expression");
  for (const key of Object.keys(raw)) {
    if (!SELECTOR_KEYS.includes(key) && !key.startsWith("x-")) return malformed(`unknown field '${key}'`, key);
  }
  for (const key of SELECTOR_KEYS) if (!(key in raw)) return malformed(`missing field '${key}'`);
  if (typeof raw.context !== "string") return malformed("context must be a runtime expression", "context");
  if (!parseRuntimeExpression(raw.context).ok) return malformed(`context '${raw.context}' is not a runtime expression`, "context");
  if (typeof raw.selector !== "string") return malformed("selector must be a string", "selector");
  const type = readExpressionType(raw.type);
  if (!type.ok) return malformed(type.reason, "type");
  return { kind: "selector", selector: { context: raw.context, selector: raw.selector, type: type.type } };
}

/**
 * What a draft-goessner JSONPath query uses beyond the part it shares with RFC 9535 (delta A-23): names,
 * indices, wildcards, slices, descendants, and filters comparing a relative member path with a literal,
 * joined by && and ||. Within that part both dialects select the same nodes; undefined when it stays inside.
 */
export function goessnerExcess(query: JsonPathQuery): string | undefined {
  for (const segment of query.segments) {
    for (const selector of segment.selectors) {
      if (selector.kind !== "FilterSelector") continue;
      const excess = filterExcess(selector.expression);
      if (excess) return excess;
    }
  }
  return undefined;
}

function filterExcess(expression: LogicalExpression): string | undefined {
  switch (expression.kind) {
    case "Or":
    case "And":
      return expression.operands.map(filterExcess).find((e) => e !== undefined);
    case "Not":
      return "a negated filter (!)";
    case "Test":
      return expression.operand.kind === "FunctionCall" ? `the function ${expression.operand.name}()` : "an existence test";
    case "Comparison": {
      const sides = [expression.left, expression.right];
      const call = sides.find((s) => s.kind === "FunctionCall");
      if (call?.kind === "FunctionCall") return `the function ${call.name}()`;
      const member = sides.filter((s) => s.kind === "Query" && !s.absolute && s.segments.every(isMemberSegment));
      // In Goessner's dialect @.length is an array's length; in RFC 9535 a member named "length".
      const length = member.some((q) => q.kind === "Query" && q.segments.some((g) => g.selectors[0]?.kind === "NameSelector" && g.selectors[0].name === "length"));
      if (length) return "@.length, an array's length there but a member named length in RFC 9535";
      const literal = sides.filter((s) => s.kind === "Literal" || s.kind === "Embedded");
      return member.length === 1 && literal.length === 1 ? undefined : "a comparison other than @.path against a literal";
    }
  }
}

function isMemberSegment(segment: Segment): boolean {
  return !segment.descendant && segment.selectors.length === 1 && segment.selectors[0]!.kind === "NameSelector";
}
