// Values, runtime expressions and criteria as TypeScript expressions: plain property reads and
// comparisons, with a runtime helper only where a plain operator would have the wrong semantics.
import type { Cond, Operand, Ref, Value } from "../check/model.js";
import type { TypeIr } from "../ir/types.js";
import { compileJsonPathCriterion } from "./jsonpath.js";
import { memberAccess, propertyName, stringLiteral, templateChunk } from "./escape.js";
import { printType } from "./types.js";

/**
 * Names that a plain `?.name` would find on a prototype (`constructor`, `length`, ...). Reads of these go
 * through the runtime's own-property helper. A fixed list, so output does not depend on the Node version.
 */
const PROTOTYPE_NAMES = new Set(
  (
    "constructor __proto__ __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ hasOwnProperty isPrototypeOf " +
    "propertyIsEnumerable toString toLocaleString valueOf length at concat copyWithin entries every fill filter find findIndex " +
    "findLast findLastIndex flat flatMap forEach includes indexOf join keys lastIndexOf map pop push reduce reduceRight reverse " +
    "shift slice some sort splice toReversed toSorted toSpliced unshift values with charAt charCodeAt codePointAt endsWith " +
    "isWellFormed localeCompare match matchAll normalize padEnd padStart repeat replace replaceAll search split startsWith " +
    "substring toLowerCase toUpperCase toLocaleLowerCase toLocaleUpperCase toWellFormed trim trimEnd trimStart toFixed " +
    "toExponential toPrecision anchor big blink bold fixed fontcolor fontsize italics link small strike sub sup substr trimLeft trimRight"
  ).split(" "),
);

export function isPlainReadable(token: string): boolean {
  return !PROTOTYPE_NAMES.has(token);
}

/** What a generated expression can refer to where it is emitted. */
export interface ExpressionScope {
  /** Steps certainly run at this point: their outputs are read with `!`, others with `?.`. */
  readonly mustHaveRun: ReadonlySet<string>;
  /** Steps a surrounding `!== undefined` test has narrowed: read plainly. */
  readonly narrowed?: ReadonlySet<string>;
  /** Set inside a step after its request: `response`, and `body` when the step has a typed body view. */
  readonly response?: { readonly bodyPaths: ReadonlySet<string> };
  readonly inputType: (name: string) => TypeIr;
  readonly outputType: (stepId: string, name: string) => TypeIr;
  /** The workflow the step calls may return another workflow's outputs (their members then differ). */
  readonly callReturnsOthers?: boolean;
  /** Likewise for a dependency. */
  readonly dependencyReturnsOthers?: (workflowId: string) => boolean;
}

/**
 * A generated expression, and whether TypeScript sees a wider type than the compiler computed for it
 * (`unknown` for a body, `number` for a status the criteria narrowed to 201, ...): a typed use then casts.
 */
export interface Code {
  readonly code: string;
  readonly untyped: boolean;
}

export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

function plainPath(base: string, path: readonly string[]): string {
  return path.reduce((acc, token) => (/^(0|[1-9][0-9]*)$/.test(token) ? `${acc}?.[${token}]` : memberAccess(acc, token, true)), base);
}

function pathLiteral(path: readonly string[]): string {
  return `[${path.map(stringLiteral).join(", ")}]`;
}

export function emitRef(ref: Ref, scope: ExpressionScope): Code {
  switch (ref.kind) {
    case "input": {
      const base = memberAccess("inputs", ref.name);
      return ref.path.length === 0 ? { code: base, untyped: false } : { code: `valueAt(${base}, ${pathLiteral(ref.path)})`, untyped: true };
    }
    case "stepOutput": {
      const step = memberAccess("steps", ref.stepId);
      const base = scope.narrowed?.has(ref.stepId)
        ? memberAccess(step, ref.name)
        : scope.mustHaveRun.has(ref.stepId)
          ? memberAccess(`${step}!`, ref.name)
          : memberAccess(step, ref.name, true);
      return ref.path.length === 0 ? { code: base, untyped: false } : { code: `valueAt(${base}, ${pathLiteral(ref.path)})`, untyped: true };
    }
    case "statusCode":
      return { code: "response.status", untyped: true };
    case "url":
      return { code: "response.url", untyped: false };
    case "method":
      return { code: "response.method", untyped: false };
    case "responseHeader":
      return { code: `response.header(${stringLiteral(ref.name)})`, untyped: true };
    case "callOutput": {
      if (scope.callReturnsOthers) return { code: `valueAt(call.outputs, ${pathLiteral([ref.name, ...ref.path])})`, untyped: true };
      const base = memberAccess("call.outputs", ref.name, true);
      return { code: ref.path.length === 0 ? base : `valueAt(${base}, ${pathLiteral(ref.path)})`, untyped: true };
    }
    case "workflowOutput": {
      const dependency = memberAccess("dependencies", ref.workflowId);
      if (scope.dependencyReturnsOthers?.(ref.workflowId)) {
        return { code: `valueAt(${dependency}, ${pathLiteral([ref.name, ...ref.path])})`, untyped: true };
      }
      const base = memberAccess(dependency, ref.name);
      return ref.path.length === 0 ? { code: base, untyped: false } : { code: `valueAt(${base}, ${pathLiteral(ref.path)})`, untyped: true };
    }
    case "responseBody":
      if (ref.path.length === 0) return { code: "response.body", untyped: true };
      if (scope.response?.bodyPaths.has(pathKey(ref.path))) return { code: plainPath("body", ref.path), untyped: false };
      return { code: `valueAt(response.body, ${pathLiteral(ref.path)})`, untyped: true };
  }
}

/** An expression of the given type: a cast where TypeScript would see `unknown`. */
export function typedRef(ref: Ref, type: TypeIr, scope: ExpressionScope): string {
  const { code, untyped } = emitRef(ref, scope);
  const natural = ref.kind === "statusCode" ? "number" : ref.kind === "responseHeader" ? "string | undefined" : "unknown";
  const printed = printType(type);
  return untyped && type.kind !== "unknown" && printed !== natural ? `(${code} as ${printed})` : code;
}

export function literal(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number")
    return Number.isFinite(value)
      ? Object.is(value, -0)
        ? "-0"
        : String(value)
      : Number.isNaN(value)
        ? "Number.NaN"
        : value > 0
          ? "Number.POSITIVE_INFINITY"
          : "Number.NEGATIVE_INFINITY";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${propertyName(k)}: ${literal(v)}`)
      .join(", ")} }`;
  return "undefined";
}

function isStringType(type: TypeIr): boolean {
  return type.kind === "string" || (type.kind === "literal" && typeof type.value === "string");
}

function refType(ref: Ref, scope: ExpressionScope): TypeIr | undefined {
  if (ref.kind === "input" && ref.path.length === 0) return scope.inputType(ref.name);
  if (ref.kind === "stepOutput" && ref.path.length === 0) return scope.outputType(ref.stepId, ref.name);
  return undefined;
}

export function emitValue(value: Value, scope: ExpressionScope): string {
  switch (value.kind) {
    case "literal":
      return literal(value.value);
    case "ref":
      return emitRef(value.ref, scope).code;
    case "template": {
      const parts = value.parts.map((part) => {
        if (typeof part === "string") return templateChunk(part);
        const code = emitRef(part, scope).code;
        const type = refType(part, scope);
        const certain = part.kind !== "stepOutput" || scope.mustHaveRun.has(part.stepId) || scope.narrowed?.has(part.stepId) === true;
        const text = type && isStringType(type) && certain ? code : `templateText(${code})`;
        return value.encoding === "form" ? `\${encodeURIComponent(${text})}` : `\${${text}}`;
      });
      return "`" + parts.join("") + "`";
    }
    case "replaced": {
      const list = value.replacements.map(([tokens, v]) => `[${pathLiteral(tokens)}, ${emitValue(v, scope)}]`);
      return `withReplacements(${emitValue(value.base, scope)}, [${list.join(", ")}])`;
    }
    case "object":
      return `{ ${value.entries.map(([k, v]) => `${propertyName(k)}: ${emitValue(v, scope)}`).join(", ")} }`;
    case "array":
      return `[${value.items.map((v) => emitValue(v, scope)).join(", ")}]`;
  }
}

function operandCode(operand: Operand, scope: ExpressionScope): string {
  return operand.kind === "literal" ? literal(operand.value) : emitRef(operand.ref, scope).code;
}

const STRICT: Record<string, string> = { "==": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };

/** A simple-condition comparison: plain operators where they agree with the loose rules, else helpers. */
function compare(cond: Extract<Cond, { kind: "compare" }>, scope: ExpressionScope): string {
  const { operator, left, right } = cond;
  const [refSide, literalSide] = left.kind === "ref" ? [left, right] : [right, left];
  const l = operandCode(left, scope);
  const r = operandCode(right, scope);
  if (refSide.kind === "ref" && literalSide.kind === "literal") {
    const v = literalSide.value;
    // $statusCode is always a number: plain numeric comparison.
    if (refSide.ref.kind === "statusCode" && typeof v === "number") return `${l} ${STRICT[operator]} ${r}`;
    // Booleans compare by value and only to booleans; null equals null and absent values.
    if (typeof v === "boolean" && (operator === "==" || operator === "!=")) return `${l} ${STRICT[operator]} ${r}`;
    if (v === null && (operator === "==" || operator === "!=")) return `${operandCode(refSide, scope)} ${operator} null`;
  }
  if (operator === "==") return `looseEquals(${l}, ${r})`;
  if (operator === "!=") return `!looseEquals(${l}, ${r})`;
  return `looseCompare(${l}, ${stringLiteral(operator)}, ${r})`;
}

export interface CriterionContext extends ExpressionScope {
  /** Registers a regular expression as a module-level constant and returns its name. */
  readonly pattern: (source: string) => string;
}

export function emitCondition(cond: Cond, scope: CriterionContext): string {
  switch (cond.kind) {
    case "and":
      return `${wrap(cond.left, "and", scope)} && ${wrap(cond.right, "and", scope)}`;
    case "or":
      return `${wrap(cond.left, "or", scope)} || ${wrap(cond.right, "or", scope)}`;
    case "not":
      return `!(${emitCondition(cond.operand, scope)})`;
    case "compare":
      return compare(cond, scope);
    case "truthy":
      return `${operandCode(cond.operand, scope)} === true`;
    case "regex": {
      if (typeof cond.pattern === "string") return `matchesPattern(${scope.pattern(cond.pattern)}, ${emitRef(cond.context, scope).code})`;
      const source = emitValue({ kind: "template", parts: cond.pattern }, scope);
      return `matchesPatternSource(${source}, ${emitRef(cond.context, scope).code})`;
    }
    case "jsonpath": {
      // An absent or null context fails the criterion (reference §4.3), whatever the query.
      const context = emitRef(cond.context, scope).code;
      // Each Embedded node of the query reads the value the criterion embeds there.
      const embedded = (index: number): string => {
        const ref = cond.embedded?.[index];
        if (ref === undefined) throw new Error(`JSONPath criterion has no embedded value #${index}`);
        return emitRef(ref, scope).code;
      };
      return `${context} != null && (${compileJsonPathCriterion(cond.query, context, embedded)})`;
    }
    case "nodeCompare": {
      const node = nodeRead(cond.context, cond.path, scope);
      const value = literal(cond.literal);
      switch (cond.operator) {
        case "==":
          return `${node} === ${value}`;
        case "!=":
          return `${node} !== ${value}`;
        case "<":
          return `jpLess(${node}, ${value})`;
        case "<=":
          return `jpLessOrEqual(${node}, ${value})`;
        case ">":
          return `jpLess(${value}, ${node})`;
        case ">=":
          return `jpLessOrEqual(${value}, ${node})`;
      }
    }
  }
}

/** The node a singular JSONPath query selects in a context value; undefined (Nothing) when absent. */
function nodeRead(context: Ref, path: readonly (string | number)[], scope: ExpressionScope): string {
  // An index selector selects only in arrays (jpIndex); a plain `?.[0]` would also read a string's character.
  if (context.kind === "responseBody" && path.every((p) => typeof p === "string")) {
    const full = [...context.path, ...path.map(String)];
    if (scope.response?.bodyPaths.has(pathKey(full))) return plainPath("body", full);
  }
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `jpIndex(${acc}, ${p})` : `jpMember(${acc}, ${stringLiteral(p)})`),
    emitRef(context, scope).code,
  );
}

/** Parentheses where precedence needs them: an `||` under `&&`, and compiled JSONPath expressions. */
function wrap(cond: Cond, parent: "and" | "or", scope: CriterionContext): string {
  const code = emitCondition(cond, scope);
  return (cond.kind === "or" && parent === "and") || cond.kind === "jsonpath" ? `(${code})` : code;
}
