// Lowering criteria to condition trees: simple conditions, regular expressions (with embedded values built
// when the step runs), RFC 9535 JSONPath queries (with embedded values as nodes of the query's tree), and the
// `$.a == x` comparisons written where a query belongs. Each function returns what it read.
import { parseCondition, type ComparisonOperator, type Condition, type Operand as ConditionOperand } from "../expressions/condition.js";
import { parseJsonPath, singularQuerySteps } from "../expressions/jsonpath/index.js";
import { parseRuntimeExpression } from "../expressions/runtime-expression.js";
import { goessnerExcess } from "../expressions/selector.js";
import { escapePointerToken, joinPointer } from "../load/pointer.js";
// The run-time test of a pattern that nests repetition, applied to the document's patterns too.
import { jpNestedRepetition } from "../../runtime/runtime-jsonpath.js";
import type { Criterion } from "../schema/arazzo.js";
import type { Cond, Operand, Ref } from "./model.js";
import { lowerExpressionField, lowerValue, resolveRef, selfUri } from "./lower-value.js";
import { Collector, type Lowered, type Span } from "./report.js";
import type { Scope } from "./resolve.js";
import { versionOf, type SymbolTable } from "./symbols.js";

export function lowerCriterion(criterion: Criterion, pointer: string, scope: Scope, symbols: SymbolTable): Lowered<Cond> {
  const out = new Collector(symbols.file);
  const type = typeof criterion.type === "object" ? criterion.type.type : (criterion.type ?? "simple");
  const conditionPointer = joinPointer(pointer, "condition");
  if (type === "simple") {
    if (criterion.type === "simple" && criterion.context === undefined)
      out.report("AZC3010", {}, { pointer: joinPointer(pointer, "type") });
    // A simple condition names its values itself; a context it is given must still be a runtime
    // expression that resolves, as any criterion's context.
    if (criterion.context !== undefined) out.take(lowerExpressionField(criterion.context, joinPointer(pointer, "context"), scope, symbols));
    const parsed = parseCondition(criterion.condition, versionOf(symbols));
    // 1.1 fixed the example that wrapped a whole condition in braces; a 1.1 document is told (1.0: accepted).
    if (parsed.ok && parsed.wrapped && versionOf(symbols) === "1.1")
      out.report("AZC3041", { text: criterion.condition }, { pointer: conditionPointer });
    if (!parsed.ok && criterion.context !== undefined) {
      // `context: $response.body` with `$.length > 0`: a query-relative comparison of the length (AZC3028).
      const length = lengthComparison(criterion.condition);
      if (length) return out.done(out.take(lowerLengthCriterion(criterion.context, criterion.condition, length, pointer, scope, symbols)));
    }
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
  // A context is a runtime expression, not a simple condition: `.member` navigation there is AZC3020.
  const contextScope = { ...scope, allowNavigation: false };
  const contextValue = out.take(lowerExpressionField(criterion.context, joinPointer(pointer, "context"), contextScope, symbols));
  if (contextValue && contextValue.kind !== "ref")
    out.report(
      "AZC3001",
      { text: criterion.context, reason: "a criterion's context is a value read when the step runs, not a constant" },
      { pointer: joinPointer(pointer, "context") },
    );
  if (!contextValue || contextValue.kind !== "ref") return out.done(undefined);
  const context = contextValue.ref;
  if (type === "regex") {
    // A leading (?i) (PCRE, Python, Java) means what the ECMAScript flag i means: compiled so, and reported.
    const caseless = criterion.condition.startsWith("(?i)");
    const source = caseless ? criterion.condition.slice(4) : criterion.condition;
    if (caseless)
      out.report(
        "AZC3024",
        { text: criterion.condition, suggestion: bothCases(source) },
        { pointer: conditionPointer, span: { start: 0, end: 4 } },
      );
    const flags = caseless ? { flags: "i" as const } : {};
    if (source.includes("{$")) {
      // Values embedded in the pattern ([1.1], supported): the pattern is built when the step runs.
      const shifted = {
        pointer: conditionPointer,
        map: (span: Span): Span => ({ start: span.start + (caseless ? 4 : 0), end: span.end + (caseless ? 4 : 0) }),
      };
      const pattern = out.take(lowerValue(source, shifted, scope, false, symbols));
      if (!pattern) return out.done(undefined);
      // The values are literal text at run time: the structure is the literal parts'.
      const structure = pattern.kind === "template" ? pattern.parts.map((p) => (typeof p === "string" ? p : "x")).join("") : "";
      if (jpNestedRepetition(structure)) out.report("AZC6080", { text: criterion.condition }, { pointer: conditionPointer });
      // Arazzo 1.1: the values' text is spliced into the pattern and the result evaluated as a pattern (a pattern
      // that does not compile fails the criterion); 1.0.x documents keep matching the values as literal text.
      const spliced = versionOf(symbols) === "1.1" && pattern.kind === "template";
      return out.done({
        kind: "regex",
        context,
        pattern: pattern.kind === "template" ? pattern.parts : source,
        ...flags,
        ...(spliced ? { spliced } : {}),
      });
    }
    try {
      new RegExp(source);
    } catch (error) {
      out.report("AZC3006", { text: criterion.condition, reason: (error as Error).message }, { pointer: conditionPointer });
      return out.done(undefined);
    }
    if (jpNestedRepetition(source)) out.report("AZC6080", { text: criterion.condition }, { pointer: conditionPointer });
    return out.done({ kind: "regex", context, pattern: source, ...flags });
  }
  if (type === "xpath") {
    out.report("AZC3008", {}, { pointer, preferKey: true });
    return out.done(undefined);
  }
  const goessner = typeof criterion.type === "object" && criterion.type.version === "draft-goessner-dispatch-jsonpath-00";
  // `{type: jsonpath, version: rfc9535}` (1.1) names the default dialect: it is plain `jsonpath`. A 1.1 document's
  // Goessner query compiles where the dialects agree (checked below, delta A-23).
  if (typeof criterion.type === "object" && criterion.type.version !== "rfc9535" && !(goessner && versionOf(symbols) === "1.1")) {
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
    const excess = goessner ? goessnerExcess(parsed.query) : undefined;
    if (excess) {
      out.report("AZC3052", { text: criterion.condition, feature: excess }, { pointer: conditionPointer });
      return out.done(undefined);
    }
    return out.done(
      embedded.length > 0
        ? { kind: "jsonpath", context, query: parsed.query, embedded }
        : { kind: "jsonpath", context, query: parsed.query },
    );
  }
  const length = lengthComparison(criterion.condition);
  if (length) return out.done(out.take(lowerLengthCriterion(criterion.context, criterion.condition, length, pointer, scope, symbols)));
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
  if (operand.expression.kind === "self") {
    // `$self == '…'`: the document's own URI, a constant.
    const uri = selfUri(symbols, at, out);
    return out.done(uri === undefined ? undefined : { kind: "literal", value: uri });
  }
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

type Comparison = NonNullable<ReturnType<typeof sloppyComparison>>;

/** `$.items.length >= 1`: a comparison whose query ends in the member `length`, with a number. */
function lengthComparison(text: string): Comparison | undefined {
  const comparison = sloppyComparison(text);
  if (!comparison || comparison.path[comparison.path.length - 1] !== "length" || typeof comparison.literal !== "number") return undefined;
  return { ...comparison, path: comparison.path.slice(0, -1) };
}

/** The length comparison of a criterion, on its context; reported with the RFC 9535 query that tests the same. */
function lowerLengthCriterion(
  contextText: string,
  text: string,
  comparison: Comparison,
  pointer: string,
  scope: Scope,
  symbols: SymbolTable,
): Lowered<Cond> {
  const out = new Collector(symbols.file);
  const contextValue = out.take(
    lowerExpressionField(contextText, joinPointer(pointer, "context"), { ...scope, allowNavigation: false }, symbols),
  );
  if (!contextValue || contextValue.kind !== "ref") return out.done(undefined);
  out.report("AZC3028", { text, suggestion: lengthSuggestion(comparison) }, { pointer: joinPointer(pointer, "condition") });
  const { path, operator, literal } = comparison;
  return out.done({ kind: "nodeCompare", context: contextValue.ref, path, operator, literal, length: true });
}

/**
 * The standard form of a length comparison: "at least n elements" is the query of the n-th element
 * (`$.items[0]`); other comparisons of a member are the RFC 9535 filter `$[?length(@.items) == 0]` (which
 * arazzoc applies to an object context itself, reference §4.3); an empty root array has no such query.
 */
function lengthSuggestion({ path, operator, literal }: Comparison): string {
  const n = literal as number;
  const query = path
    .map((p) =>
      typeof p === "number"
        ? `[${p}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)
          ? `.${p}`
          : `['${p.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`,
    )
    .join("");
  const atLeast =
    Number.isInteger(n) && ((operator === ">" && n >= 0) || (operator === ">=" && n >= 1) || (operator === "!=" && n === 0))
      ? operator === ">"
        ? n
        : operator === ">="
          ? n - 1
          : 0
      : undefined;
  if (atLeast !== undefined) return `the jsonpath criterion $${query}[${atLeast}] (it passes when element ${atLeast} exists)`;
  if (path.length > 0 && typeof path[0] === "string")
    return `the jsonpath criterion $[?length(@${query}) ${operator} ${n}] (on an object context)`;
  return `a test of an element instead (e.g. the jsonpath criterion $${query}[0] for "not empty"): no RFC 9535 query tests an array's length directly`;
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

/**
 * A pattern that matches what `(?i)<pattern>` matches, without the flag, for the fix: each ASCII letter outside
 * escapes and group syntax becomes a class of both cases (`done` -> `[Dd][Oo][Nn][Ee]`). A pattern with character
 * classes gets a general example instead: rewriting their ranges is not worth a fix's length.
 */
export function bothCases(pattern: string): string {
  if (pattern.includes("[")) return "e.g. [Dd]one for (?i)done";
  let result = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      // An escape, with its braces or name (\p{L}, \u{1F600}, \k<name>, \cA), copied as written.
      const escape = /^\\(?:[pPu]\{[^}]*\}|k<[^>]*>|c[A-Za-z]|x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|.)/s.exec(pattern.slice(i))?.[0] ?? c;
      result += escape;
      i += escape.length - 1;
    } else if (c === "(" && pattern[i + 1] === "?") {
      // (?: (?= (?! (?<= (?<! and (?<name>: group syntax, copied as written.
      const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(pattern.slice(i));
      const syntax = named ? named[0] : (/^\(\?(?:<[=!]|[:=!])/.exec(pattern.slice(i))?.[0] ?? "(?");
      result += syntax;
      i += syntax.length - 1;
    } else if (c === "{") {
      const quantifier = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i))?.[0] ?? "{";
      result += quantifier;
      i += quantifier.length - 1;
    } else if (/[A-Za-z]/.test(c) && c.toLowerCase() !== c.toUpperCase()) {
      result += `[${c.toUpperCase()}${c.toLowerCase()}]`;
    } else {
      result += c;
    }
  }
  return result;
}
