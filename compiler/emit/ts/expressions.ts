// Values, runtime expressions and criteria as TypeScript expressions: plain property reads and
// comparisons, with a runtime helper only where a plain operator would have the wrong semantics. Every
// helper used is recorded (Uses); every string from a document goes through the escaping functions.
import type { Cond, Operand, Ref, Value, WorkflowRef } from "../../ir/expressions.js";
import type { TypeIr } from "../../ir/types.js";
import { memberAccess, propertyName, stringLiteral, templateChunk } from "../escape.js";
import { compileJsonPathCriterion, compileJsonPathQuery } from "./jsonpath.js";
import { singularQuerySteps } from "../../expressions/jsonpath/singular.js";
import type { TypeView } from "./types.js";
import type { Uses } from "./uses.js";

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

/**
 * A generated expression, and whether TypeScript sees a wider type than the compiler computed for it
 * (`unknown` for a body, `number` for a status the criteria narrowed to 201, ...): a typed use then casts.
 */
export interface Code {
  readonly code: string;
  readonly untyped: boolean;
  /** The value may be missing because the step that sets it may not have run. */
  readonly maybeUnset?: boolean;
  /** A read through `?.` of a typed body: TypeScript adds `undefined` to the type the compiler computed. */
  readonly optionalChain?: boolean;
}

/** What a generated expression can refer to where it is emitted. */
export interface ExpressionScope {
  readonly uses: Uses;
  /** The workflow's inputs parameter; reading it records the use. */
  readonly inputs: () => string;
  /** A step output as read here (a local, with `!` where the step certainly ran). */
  readonly stepOutput: (stepId: string, name: string) => Code;
  readonly inputType: (name: string) => TypeIr;
  readonly outputType: (stepId: string, name: string) => TypeIr;
  /** Inside a value of a request that reads `$url`: the parameter of the function the runtime calls with the URL. */
  readonly requestUrl?: string;
  /** Inside a step after its request: its response variable and the body paths its type argument types. */
  readonly response?: { readonly variable: string; readonly bodyPaths: ReadonlySet<string> };
  /** Inside a step that called a workflow: the call's result variable; its outputs may be another workflow's. */
  readonly call?: { readonly variable: string; readonly returnsOthers: boolean };
  /** Inside a message step after its send or receive: its message variable, and whether its payload is typed. */
  readonly message?: { readonly variable: string; readonly typedPayload: boolean };
  /**
   * The outputs or inputs of a workflow that has run in this one (`$workflows.<id>`): the code of the object,
   * whether its outputs may be another workflow's, and whether it has certainly run here.
   */
  readonly workflow: (
    ref: WorkflowRef,
    field: "outputs" | "inputs",
  ) => { readonly code: string; readonly returnsOthers: boolean; readonly sure: boolean };
  /** Registers a regular expression as a module-level constant and returns its name. */
  readonly pattern: (source: string) => string;
  /** The module's types as TypeScript. */
  readonly types: TypeView;
}

export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

export function plainPath(base: string, path: readonly string[]): string {
  return path.reduce((acc, token) => (/^(0|[1-9][0-9]*)$/.test(token) ? `${acc}?.[${token}]` : memberAccess(acc, token, true)), base);
}

function pathLiteral(path: readonly string[]): string {
  return `[${path.map(stringLiteral).join(", ")}]`;
}

function valueAt(scope: ExpressionScope, base: string, path: readonly string[]): string {
  return `${scope.uses.helper("valueAt")}(${base}, ${pathLiteral(path)})`;
}

export function emitRef(ref: Ref, scope: ExpressionScope): Code {
  switch (ref.kind) {
    case "input": {
      // Own properties only: an input named `constructor` that is not given is absent, not Object.
      if (!isPlainReadable(ref.name)) return { code: valueAt(scope, scope.inputs(), [ref.name, ...ref.path]), untyped: true };
      const base = memberAccess(scope.inputs(), ref.name);
      return ref.path.length === 0 ? { code: base, untyped: false } : { code: valueAt(scope, base, ref.path), untyped: true };
    }
    case "stepOutput": {
      const base = scope.stepOutput(ref.stepId, ref.name);
      return ref.path.length === 0 ? base : { code: valueAt(scope, base.code, ref.path), untyped: true };
    }
    case "statusCode":
      // In a step that calls a workflow: the status of the last response that workflow received.
      // TypeScript sees `number | undefined` (a failed call may have had no response).
      if (scope.call !== undefined) return { code: `${scope.call.variable}.status`, untyped: false, optionalChain: true };
      return { code: `${response(scope)}.status`, untyped: true };
    case "url":
      return { code: scope.requestUrl ?? `${response(scope)}.url`, untyped: false };
    case "method":
      return { code: `${response(scope)}.method`, untyped: false };
    case "responseHeader":
      return { code: `${response(scope)}.header(${stringLiteral(ref.name)})`, untyped: true };
    case "callOutput": {
      const call = scope.call?.variable ?? "undefined";
      if (scope.call?.returnsOthers) return { code: valueAt(scope, `${call}.outputs`, [ref.name, ...ref.path]), untyped: true };
      const base = isPlainReadable(ref.name)
        ? memberAccess(`${call}.outputs`, ref.name, true)
        : valueAt(scope, `${call}.outputs`, [ref.name]);
      return { code: ref.path.length === 0 ? base : valueAt(scope, base, ref.path), untyped: true };
    }
    case "workflowOutput":
    case "workflowInput": {
      const workflowRef = { workflowId: ref.workflowId, ...(ref.source !== undefined ? { source: ref.source } : {}) };
      const workflow = scope.workflow(workflowRef, ref.kind === "workflowOutput" ? "outputs" : "inputs");
      if (ref.kind === "workflowInput" || workflow.returnsOthers || !isPlainReadable(ref.name))
        return { code: valueAt(scope, workflow.code, [ref.name, ...ref.path]), untyped: true };
      const base = memberAccess(workflow.code, ref.name, !workflow.sure);
      if (ref.path.length > 0) return { code: valueAt(scope, base, ref.path), untyped: true };
      return workflow.sure ? { code: base, untyped: false } : { code: base, untyped: false, maybeUnset: true };
    }
    case "messageHeader":
      return { code: `${scope.message?.variable ?? "undefined"}.header(${stringLiteral(ref.name)})`, untyped: true };
    case "messagePayload": {
      // The check stage admits $message only in the criteria, outputs and actions of message steps.
      const payload = `${scope.message?.variable ?? "undefined"}.payload`;
      if (ref.path.length === 0) return { code: payload, untyped: true };
      if (scope.message?.typedPayload && bodyPath({ kind: "responseBody", path: ref.path }) !== undefined)
        return { code: plainPath(payload, ref.path), untyped: false, optionalChain: true };
      return { code: valueAt(scope, payload, ref.path), untyped: true };
    }
    case "responseBody": {
      const body = `${response(scope)}.body`;
      if (ref.path.length === 0) return { code: body, untyped: true };
      if (scope.response?.bodyPaths.has(pathKey(ref.path))) return { code: plainPath(body, ref.path), untyped: false, optionalChain: true };
      return { code: valueAt(scope, body, ref.path), untyped: true };
    }
  }
}

function response(scope: ExpressionScope): string {
  // The check stage admits response expressions only in steps that send a request.
  return scope.response?.variable ?? "undefined";
}

/** The paths of response-body reads a step's code may type through its request's type argument. */
export function bodyPath(ref: Ref): readonly string[] | undefined {
  return ref.kind === "responseBody" && ref.path.length > 0 && ref.path.every((t) => isPlainReadable(t) && !/^\d+$/.test(t))
    ? ref.path
    : undefined;
}

/** An expression of the given type: a cast where TypeScript would see a wider type. */
export function typedRef(ref: Ref, type: TypeIr, scope: ExpressionScope): string {
  const { code, untyped, optionalChain } = emitRef(ref, scope);
  // The body may be absent (an empty response): a type the schema says is present is asserted, visibly.
  if (optionalChain) return type.kind === "unknown" || mayBeUndefined(type) ? code : `(${code} as ${scope.types.print(type)})`;
  const natural = ref.kind === "statusCode" ? "number" : ref.kind === "responseHeader" ? "string | undefined" : "unknown";
  const printed = scope.types.print(type);
  return untyped && type.kind !== "unknown" && printed !== natural ? `(${code} as ${printed})` : code;
}

function mayBeUndefined(type: TypeIr): boolean {
  return type.kind === "undefined" || (type.kind === "union" && type.members.some(mayBeUndefined));
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
  if (ref.kind === "input" && ref.path.length === 0 && isPlainReadable(ref.name)) return scope.types.resolve(scope.inputType(ref.name));
  if (ref.kind === "stepOutput" && ref.path.length === 0) return scope.types.resolve(scope.outputType(ref.stepId, ref.name));
  if (ref.kind === "url" && scope.requestUrl !== undefined) return { kind: "string" };
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
        const code = emitRef(part, scope);
        const type = refType(part, scope);
        const text = type && isStringType(type) && !code.maybeUnset ? code.code : `${scope.uses.helper("templateText")}(${code.code})`;
        return value.encoding === "form" ? `\${encodeURIComponent(${text})}` : `\${${text}}`;
      });
      return "`" + parts.join("") + "`";
    }
    case "replaced": {
      const list = value.replacements.map(([tokens, v]) => `[${pathLiteral(tokens)}, ${emitValue(v, scope)}]`);
      return `${scope.uses.helper("withReplacements")}(${emitValue(value.base, scope)}, [${list.join(", ")}])`;
    }
    case "object":
      return `{ ${value.entries.map(([k, v]) => `${propertyName(k)}: ${emitValue(v, scope)}`).join(", ")} }`;
    case "array":
      return `[${value.items.map((v) => emitValue(v, scope)).join(", ")}]`;
    case "select":
      return emitSelect(value, scope);
  }
}

/**
 * A Selector Object: a JSON pointer or a singular JSONPath query reads one value (undefined when absent), any
 * other JSONPath query yields its nodelist (empty when the context is not structured), compiled like criteria.
 */
function emitSelect(value: Extract<Value, { kind: "select" }>, scope: ExpressionScope): string {
  const context = emitRef(value.context, scope).code;
  const selector = value.selector;
  if (selector.kind === "pointer") return selector.path.length === 0 ? context : valueAt(scope, context, selector.path);
  const steps = singularQuerySteps(selector.query);
  if (steps)
    return steps.reduce<string>(
      (acc, step) =>
        step.kind === "index"
          ? `${scope.uses.helper("jpIndex")}(${acc}, ${step.index})`
          : `${scope.uses.helper("jpMember")}(${acc}, ${stringLiteral(step.name)})`,
      context,
    );
  return compileJsonPathQuery(selector.query, context, { helper: (name) => scope.uses.helper(name) });
}

/** A value where a typed one is expected (an output): a cast where TypeScript would see a wider type. */
export function typedValue(value: Value, type: TypeIr, scope: ExpressionScope): string {
  if (value.kind === "ref") return typedRef(value.ref, type, scope);
  const code = emitValue(value, scope);
  return value.kind === "select" && type.kind !== "unknown" ? `(${code} as ${scope.types.print(type)})` : code;
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
  if (operator === "==") return `${scope.uses.helper("looseEquals")}(${l}, ${r})`;
  if (operator === "!=") return `!${scope.uses.helper("looseEquals")}(${l}, ${r})`;
  return `${scope.uses.helper("looseCompare")}(${l}, ${stringLiteral(operator)}, ${r})`;
}

export function emitCondition(cond: Cond, scope: ExpressionScope): string {
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
      const context = emitRef(cond.context, scope).code;
      if (typeof cond.pattern === "string")
        return `${scope.uses.helper("matchesPattern")}(${scope.pattern(patternKey(cond.pattern, cond.flags))}, ${context})`;
      // Embedded values match as literal text (the runtime escapes them): the pattern's syntax is the document's alone.
      const strings: string[] = [""];
      const values: string[] = [];
      for (const part of cond.pattern) {
        if (typeof part === "string") strings[strings.length - 1] += part;
        else {
          values.push(emitRef(part, scope).code);
          strings.push("");
        }
      }
      const flags = cond.flags !== undefined ? `, ${literal(cond.flags)}` : "";
      const helper = cond.spliced ? scope.uses.helper("matchesSplicedPattern") : scope.uses.helper("matchesPatternSource");
      return `${helper}(${literal(strings)}, [${values.join(", ")}], ${context}${flags})`;
    }
    case "jsonpath": {
      // An absent or null context fails the criterion (reference §4.3), whatever the query.
      const context = emitRef(cond.context, scope).code;
      const embedded = cond.embedded ?? [];
      const query = compileJsonPathCriterion(cond.query, context, {
        helper: (name) => scope.uses.helper(name),
        embedded: (index) => {
          const ref = embedded[index];
          // The check stage numbers embedded values as it puts them into the query.
          if (ref === undefined) throw new Error(`JSONPath criterion without embedded value ${index}`);
          return emitRef(ref, scope).code;
        },
      });
      return `${context} != null && (${query})`;
    }
    case "nodeCompare": {
      const read = nodeRead(cond.context, cond.path, scope);
      const node = cond.length ? `${scope.uses.helper("jpLengthProperty")}(${read})` : read;
      const value = literal(cond.literal);
      switch (cond.operator) {
        case "==":
          return `${node} === ${value}`;
        case "!=":
          return `${node} !== ${value}`;
        case "<":
          return `${scope.uses.helper("jpLess")}(${node}, ${value})`;
        case "<=":
          return `${scope.uses.helper("jpLessOrEqual")}(${node}, ${value})`;
        case ">":
          return `${scope.uses.helper("jpLess")}(${value}, ${node})`;
        case ">=":
          return `${scope.uses.helper("jpLessOrEqual")}(${value}, ${node})`;
      }
    }
  }
}

/** The node a singular JSONPath query selects in a context value; undefined (Nothing) when absent. */
function nodeRead(context: Ref, path: readonly (string | number)[], scope: ExpressionScope): string {
  // An index selector selects only in arrays (jpIndex); a plain `?.[0]` would also read a string's character.
  if (context.kind === "responseBody" && path.every((p) => typeof p === "string")) {
    const full = [...context.path, ...path.map(String)];
    if (scope.response?.bodyPaths.has(pathKey(full))) return plainPath(`${response(scope)}.body`, full);
  }
  return path.reduce<string>(
    (acc, p) =>
      typeof p === "number"
        ? `${scope.uses.helper("jpIndex")}(${acc}, ${p})`
        : `${scope.uses.helper("jpMember")}(${acc}, ${stringLiteral(p)})`,
    emitRef(context, scope).code,
  );
}

/** Parentheses where precedence needs them: an `||` under `&&`, and compiled JSONPath expressions. */
function wrap(cond: Cond, parent: "and" | "or", scope: ExpressionScope): string {
  const code = emitCondition(cond, scope);
  return (cond.kind === "or" && parent === "and") || cond.kind === "jsonpath" ? `(${code})` : code;
}

/** A regular expression's source and flags as one key of the module's table of patterns. */
export function patternKey(source: string, flags: string | undefined): string {
  return JSON.stringify([source, flags ?? ""]);
}

/** The expression that builds the pattern of a key made by patternKey. */
export function patternInitializer(key: string): string {
  const [source, flags] = JSON.parse(key) as [string, string];
  return flags === "" ? `new RegExp(${stringLiteral(source)})` : `new RegExp(${stringLiteral(source)}, ${stringLiteral(flags)})`;
}

/** The regular expressions (without embedded values) a condition compiles, as pattern keys. */
export function condPatterns(cond: Cond): string[] {
  switch (cond.kind) {
    case "and":
    case "or":
      return [...condPatterns(cond.left), ...condPatterns(cond.right)];
    case "not":
      return condPatterns(cond.operand);
    case "regex":
      return typeof cond.pattern === "string" ? [patternKey(cond.pattern, cond.flags)] : [];
    default:
      return [];
  }
}
