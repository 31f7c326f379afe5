// Compiles a parsed JSONPath query (compiler/expressions/jsonpath) into a TypeScript expression: nested loops,
// property reads and comparisons over the runtime's small `jp*` helpers. The generated code never sees the
// query text; every string that reaches it goes through stringLiteral(), and values embedded in a criterion
// ({$inputs.x}) are Embedded nodes whose code the caller emits. Which helpers and which variables the code
// uses is recorded as it is built, never read back from the text.

import type {
  Comparable,
  ComparisonExpression,
  FunctionArgument,
  FunctionCall,
  JsonPathQuery,
  Literal,
  LogicalExpression,
  Segment,
  Selector,
} from "../../expressions/jsonpath/ast.js";
import { iRegexpToECMAScript } from "../../expressions/jsonpath/iregexp.js";
import { singularQuerySteps } from "../../expressions/jsonpath/singular.js";
import { stringLiteral } from "../escape.js";
import type { JsonPathHelper } from "./uses.js";

/** What compiled code needs from its surroundings. */
export interface JsonPathContext {
  /** The local name of a runtime helper, recording its use. */
  readonly helper: (name: JsonPathHelper) => string;
  /** The code of the `index`-th embedded value of the criterion. */
  readonly embedded?: (index: number) => string;
}

/** A variable of the generated code; whether it is read is recorded when its name is printed. */
class Var {
  used = false;
  constructor(private readonly id: string) {}
  toString(): string {
    this.used = true;
    return this.id;
  }
  /** The name for a declaration, which is no use. */
  get declared(): string {
    return this.id;
  }
}

/**
 * A TypeScript expression evaluating to the nodelist (array of selected values, in RFC 9535 order) of `query`
 * applied to the value of `rootExpression`, which may have type `unknown`.
 */
export function compileJsonPathQuery(query: JsonPathQuery, rootExpression: string, context: JsonPathContext): string {
  const root = new Var("root");
  const emitter = new Emitter(root, context);
  const body = emitter.segments(query.segments, 0, root, (node) => `out.push(${node});`);
  return emitter.arrow(root, "unknown[]", ["const out: unknown[] = [];", body, "return out;"], rootExpression);
}

/**
 * A boolean TypeScript expression: true when `query` selects at least one node of `rootExpression`'s value.
 *
 * Compatibility rule for Arazzo criteria: when the first segment holds a filter selector and the root is an
 * object (not an array), the query is also evaluated against `[root]`, and either non-empty result passes.
 * RFC 9535 filters select children, so the Arazzo specification's own `$[?count(@.pets) > 0]` on an object
 * body would otherwise test the body's members instead of the body.
 */
export function compileJsonPathCriterion(query: JsonPathQuery, rootExpression: string, context: JsonPathContext): string {
  const root = new Var("root");
  const emitter = new Emitter(root, context);
  const found = (): string => "return true;";
  const statements = [emitter.segments(query.segments, 0, root, found)];
  const first = query.segments[0];
  if (first !== undefined && !first.descendant && first.selectors.some((s) => s.kind === "FilterSelector")) {
    // `$` inside the filters refers to the wrapped root too: the query is evaluated as a whole against [root].
    const wrapped = emitter.fresh("wrapped");
    const search = new Emitter(wrapped, context, emitter).segments(query.segments, 0, wrapped, found);
    // A filter folded to false compiles to nothing: then there is nothing to try on [root] either.
    if (search !== "") {
      statements.push(block(`if (${emitter.use("jpIsObject")}(${root}))`, `const ${wrapped.declared}: unknown = [${root}];\n${search}`));
    }
  }
  // `$` alone always selects the root; a trailing `return false;` would be unreachable code.
  if (query.segments.length > 0) statements.push("return false;");
  return emitter.arrow(root, "boolean", statements, rootExpression);
}

/** Receives the variable holding a selected node and returns the statements to run for it. */
type Sink = (node: Var) => string;

/**
 * The TypeScript expression for the `index`-th embedded value of a query (an EmbeddedValue node). It is code
 * the caller built through its own escaping path; the query's text never contributes to it.
 */
export type EmbeddedCode = (index: number) => string;

function noEmbeddedValues(index: number): string {
  // A query parsed without the embedded option has no EmbeddedValue nodes.
  throw new Error(`JSONPath embedded value #${index} has no code: pass an EmbeddedCode for queries with embedded values`);
}

class Emitter {
  /** Shared by nested emitters so names stay unique and hoisted RegExps land in the outermost function. */
  private readonly shared: { counter: number; hoisted: Map<string, Var> };

  /** @param root the variable holding the value `$` refers to */
  constructor(
    private readonly root: Var,
    private readonly context: JsonPathContext,
    parent?: Emitter,
  ) {
    this.shared = parent?.shared ?? { counter: 0, hoisted: new Map() };
  }

  fresh(prefix: string): Var {
    return new Var(`${prefix}${++this.shared.counter}`);
  }

  /** A helper's local name; the use is recorded. */
  use(helper: JsonPathHelper): string {
    return this.context.helper(helper);
  }

  /** `((param: unknown): result => { hoisted; statements })(argument)` */
  arrow(param: Var, result: string, statements: readonly string[], argument: string): string {
    const code = lines(statements);
    // RegExps and the parameter are declared only if used (a folded-away match() leaves its RegExp unused).
    const hoisted = [...this.shared.hoisted.entries()]
      .filter(([, name]) => name.used)
      .map(([source, name]) => `const ${name.declared} = ${source};\n`);
    const name = param.used ? param.declared : `_${param.declared}`;
    // A plain name or member path needs no parentheses; anything else (even `a, b`) gets them.
    const operand = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.test(argument) ? argument : `(${argument})`;
    return `((${name}: unknown): ${result} => {\n${indent(hoisted.join("") + code)}\n})(${operand})`;
  }

  // --- Segments and selectors: statements that call `sink` once per selected node, in order ---

  segments(segments: readonly Segment[], index: number, node: Var, sink: Sink): string {
    const segment = segments[index];
    if (segment === undefined) return sink(node);
    const rest: Sink = (child) => this.segments(segments, index + 1, child, sink);
    // After the last segment the sink is a single short statement, so repeating it per selector is fine;
    // otherwise a multi-selector segment collects its nodes first, keeping the code linear in the query size.
    const last = index + 1 === segments.length;
    if (!segment.descendant) return this.selectors(segment.selectors, node, rest, last);
    const descendant = this.fresh("d");
    return loop(descendant, `${this.use("jpDescendants")}(${node})`, this.selectors(segment.selectors, descendant, rest, last));
  }

  private selectors(selectors: readonly Selector[], node: Var, sink: Sink, repeatSink: boolean): string {
    if (selectors.length === 1 || repeatSink) return lines(selectors.map((s) => this.selector(s, node, sink)));
    const collected = this.fresh("s");
    const child = this.fresh("n");
    return lines([
      `const ${collected.declared}: unknown[] = [];`,
      ...selectors.map((s) => this.selector(s, node, (c) => `${collected}.push(${c});`)),
      loop(child, String(collected), sink(child)),
    ]);
  }

  private selector(selector: Selector, node: Var, sink: Sink): string {
    const child = this.fresh("n");
    switch (selector.kind) {
      case "NameSelector": {
        const name = stringLiteral(selector.name);
        return block(`if (${this.use("jpHas")}(${node}, ${name}))`, bind(child, `${node}[${name}]`, sink(child)));
      }
      case "WildcardSelector":
        return loop(child, `${this.use("jpChildren")}(${node})`, sink(child));
      case "IndexSelector": {
        const { index } = selector;
        const [test, at] =
          index >= 0 ? [`${index} < ${node}.length`, `${index}`] : [`${node}.length >= ${-index}`, `${node}.length - ${-index}`];
        return block(`if (Array.isArray(${node}) && ${test})`, bind(child, `${node}[${at}]`, sink(child)));
      }
      case "SliceSelector": {
        const bounds = [selector.start, selector.end, selector.step].map((n) => (n === null ? "null" : numberCode(n)));
        return loop(child, `${this.use("jpSlice")}(${node}, ${bounds.join(", ")})`, sink(child));
      }
      case "FilterSelector": {
        const test = this.logical(selector.expression, child);
        if (test === "false") return "";
        const body = test === "true" ? sink(child) : block(`if (${test})`, sink(child));
        return loop(child, `${this.use("jpChildren")}(${node})`, body);
      }
    }
  }

  // --- Filter expressions: TypeScript expressions; `current` is the variable holding `@` ---

  /**
   * Constants are folded (`match(@, '[')` is `false`), so generated code has no `if (false)`, which
   * TypeScript reports as unreachable under allowUnreachableCode: false.
   */
  private logical(expression: LogicalExpression, current: Var): string {
    switch (expression.kind) {
      case "Or": {
        const operands = expression.operands.map((e) => this.operand(e, current)).filter((code) => code !== "false");
        if (operands.includes("true")) return "true";
        return operands.length === 0 ? "false" : operands.join(" || ");
      }
      case "And": {
        const operands = expression.operands.map((e) => this.operand(e, current)).filter((code) => code !== "true");
        if (operands.includes("false")) return "false";
        return operands.length === 0 ? "true" : operands.join(" && ");
      }
      case "Not": {
        const operand = this.logical(expression.operand, current);
        return operand === "true" ? "false" : operand === "false" ? "true" : `!(${operand})`;
      }
      case "Comparison":
        return this.comparison(expression, current);
      case "Test": {
        const { operand } = expression;
        if (operand.kind === "Query") return this.exists(operand, current);
        if (operand.resultType === "NodesType") return `${this.call(operand, current)}.length > 0`;
        return this.call(operand, current);
      }
    }
  }

  /** An operand of && / ||, parenthesized unless it binds tighter anyway. */
  private operand(expression: LogicalExpression, current: Var): string {
    const code = this.logical(expression, current);
    if (code === "true" || code === "false") return code;
    return expression.kind === "Or" || expression.kind === "And" || expression.kind === "Comparison" ? `(${code})` : code;
  }

  private comparison({ operator, left, right }: ComparisonExpression, current: Var): string {
    // A singular query against a primitive literal needs no helper: Nothing is undefined, JSON has no
    // undefined, and numbers compare equal regardless of how they were written.
    if (operator === "==" || operator === "!=") {
      const [query, literal] = left.kind === "Literal" ? [right, left] : [left, right];
      if (query.kind === "Query" && literal.kind === "Literal") {
        return `${this.value(query, current)} ${operator === "==" ? "===" : "!=="} ${literalCode(literal)}`;
      }
    }
    const l = this.value(left, current);
    const r = this.value(right, current);
    switch (operator) {
      case "==":
        return `${this.use("jpEquals")}(${l}, ${r})`;
      case "!=":
        return `!${this.use("jpEquals")}(${l}, ${r})`;
      case "<":
        return `${this.use("jpLess")}(${l}, ${r})`;
      case ">":
        return `${this.use("jpLess")}(${r}, ${l})`;
      case "<=":
        return `${this.use("jpLessOrEqual")}(${l}, ${r})`;
      case ">=":
        return `${this.use("jpLessOrEqual")}(${r}, ${l})`;
    }
  }

  /** Existence test: true when the query selects a node; stops at the first one. */
  private exists(query: JsonPathQuery, current: Var): string {
    const base = query.absolute ? this.root : current;
    if (query.segments.length === 0) return "true";
    if (singularQuerySteps(query) !== undefined) return `${this.value(query, current)} !== undefined`;
    const body = this.segments(query.segments, 0, base, () => "return true;");
    if (body === "") return "false";
    return `((): boolean => {\n${indent(`${body}\nreturn false;`)}\n})()`;
  }

  /** The nodelist of a query, as an array expression. */
  private nodes(query: JsonPathQuery, current: Var): string {
    const base = query.absolute ? this.root : current;
    if (query.segments.length === 0) return `[${base}]`;
    const list = this.fresh("list");
    const body = this.segments(query.segments, 0, base, (node) => `${list}.push(${node});`);
    return `((): unknown[] => {\n${indent(`const ${list.declared}: unknown[] = [];\n${body}\nreturn ${list};`)}\n})()`;
  }

  /** A ValueType operand as an expression of type unknown (undefined for Nothing). */
  private value(comparable: FunctionArgument | Comparable, current: Var): string {
    switch (comparable.kind) {
      case "Literal":
        return literalCode(comparable);
      case "Embedded": {
        const embedded = this.context.embedded;
        // The parser makes Embedded nodes only for criteria that have embedded values.
        if (embedded === undefined) throw new Error("JSONPath embedded value without a value");
        return `(${embedded(comparable.index)})`;
      }
      case "Query": {
        // The parser only lets singular queries be values, so this is a chain of member/index reads.
        const steps = singularQuerySteps(comparable) ?? [];
        let code = String(comparable.absolute ? this.root : current);
        for (const step of steps) {
          code =
            step.kind === "name"
              ? `${this.use("jpMember")}(${code}, ${stringLiteral(step.name)})`
              : `${this.use("jpIndex")}(${code}, ${numberCode(step.index)})`;
        }
        return code;
      }
      case "FunctionCall":
        return this.call(comparable, current);
      default:
        // The parser never puts a logical expression where a value is expected.
        throw new Error(`JSONPath ${comparable.kind} expression used as a value`);
    }
  }

  private call(call: FunctionCall, current: Var): string {
    const [first, second] = call.arguments;
    switch (call.name) {
      case "length":
        return `${this.use("jpLength")}(${this.value(required(first), current)})`;
      case "count":
        return `${this.nodesArgument(required(first), current)}.length`;
      case "value":
        return `${this.use("jpValue")}(${this.nodesArgument(required(first), current)})`;
      case "match":
      case "search":
        return this.regexpCall(call.name, required(first), required(second), current);
    }
  }

  private nodesArgument(argument: FunctionArgument, current: Var): string {
    if (argument.kind === "Query") return this.nodes(argument, current);
    if (argument.kind === "FunctionCall") return this.call(argument, current);
    // The parser only passes queries (or NodesType calls) to NodesType parameters.
    throw new Error(`JSONPath ${argument.kind} expression used as a nodelist`);
  }

  /**
   * match()/search(). A literal pattern is translated from I-Regexp now and hoisted as a RegExp; an invalid
   * one makes the call false (RFC 9535 §2.4.6), as does a pattern that is not a string. Patterns read from
   * the document are translated at run time by jpMatch/jpSearch.
   */
  private regexpCall(name: "match" | "search", subject: FunctionArgument, pattern: FunctionArgument, current: Var): string {
    const value = this.value(subject, current);
    if (pattern.kind === "Literal") {
      if (typeof pattern.value !== "string") return "false";
      const source = iRegexpToECMAScript(pattern.value);
      if (source === undefined) return "false";
      const full = name === "match" ? `^(?:${source})$` : source;
      try {
        new RegExp(full, "u");
      } catch {
        return "false";
      }
      const construct = `new RegExp(${stringLiteral(full)}, ${stringLiteral("u")})`;
      let regexp = this.shared.hoisted.get(construct);
      if (regexp === undefined) {
        regexp = this.fresh("re");
        this.shared.hoisted.set(construct, regexp);
      }
      return `${this.use("jpTestRegExp")}(${regexp}, ${value})`;
    }
    return `${this.use(name === "match" ? "jpMatch" : "jpSearch")}(${value}, ${this.value(pattern, current)})`;
  }
}

function required(argument: FunctionArgument | undefined): FunctionArgument {
  // The parser checks arity, so a missing argument is a bug in the caller's AST.
  if (argument === undefined) throw new Error("JSONPath function call is missing an argument");
  return argument;
}

function literalCode({ value }: Literal): string {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return numberCode(value);
  return String(value);
}

function numberCode(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (Object.is(value, -0)) return "(-0)";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "(-Infinity)";
  return value < 0 ? `(${value})` : String(value);
}

// Generated code must also compile under noUnusedLocals: a node the sink ignores (an existence check's
// `return true;`) gets no variable, or an `_`-prefixed loop variable, which TypeScript exempts.

/** `const child: unknown = init;` before `body`, unless `body` does not use it. */
function bind(child: Var, init: string, body: string): string {
  return child.used ? `const ${child.declared}: unknown = ${init};\n${body}` : body;
}

/** `for (const child of iterable) { body }`. */
function loop(child: Var, iterable: string, body: string): string {
  return block(`for (const ${child.used ? child.declared : `_${child.declared}`} of ${iterable})`, body);
}

/** Statements, one per line, skipping those compiled away. */
function lines(statements: readonly string[]): string {
  return statements.filter((s) => s !== "").join("\n");
}

function block(head: string, body: string): string {
  return `${head} {\n${indent(body)}\n}`;
}

function indent(code: string): string {
  return code
    .split("\n")
    .map((line) => (line === "" ? line : `  ${line}`))
    .join("\n");
}
