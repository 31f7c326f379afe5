// RFC 9535 JSONPath queries printed back as query text from their AST, for readers (diagrams, docs).
// The output is the normalized spelling (`$.a['b c'][0]`, `[?@.x == 'y']`), which parses to the same AST.
import type { Cond } from "../../ir/expressions.js";

// The AST types, reached through the IR so that this printer depends on nothing but ir/.
type Query = Extract<Cond, { kind: "jsonpath" }>["query"];
type Segment = Query["segments"][number];
type Selector = Segment["selectors"][number];
type Filter = Extract<Selector, { kind: "FilterSelector" }>;
type Logical = Filter["expression"];
type Comparison = Extract<Logical, { kind: "Comparison" }>;
type Comparable = Comparison["left"];
type FunctionCall = Extract<Comparable, { kind: "FunctionCall" }>;
type Argument = FunctionCall["arguments"][number];
type LiteralValue = Extract<Comparable, { kind: "Literal" }>["value"];

/** `.name` shorthand is valid for RFC 9535 member-name-shorthand (name-first then name-chars). */
const SHORTHAND = /^[A-Za-z_\u0080-\u{10FFFF}][A-Za-z0-9_\u0080-\u{10FFFF}]*$/u;

/** How a value embedded in the query (an Embedded node, `{$inputs.id}`) is shown. */
export type EmbeddedPrinter = (index: number) => string;

export function printJsonPath(query: Query, printEmbedded: EmbeddedPrinter = (index) => `{#${index}}`): string {
  return new Printer(printEmbedded).query(query);
}

/** An RFC 9535 string literal in single quotes (the form Arazzo documents use inside YAML). */
export function quoteString(value: string): string {
  let out = "'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === "'") out += "\\'";
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char === "\b") out += "\\b";
    else if (char === "\f") out += "\\f";
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return out + "'";
}

class Printer {
  constructor(private readonly printEmbedded: EmbeddedPrinter) {}

  query(query: Query): string {
    return (query.absolute ? "$" : "@") + query.segments.map((s) => this.segment(s)).join("");
  }

  private segment(segment: Segment): string {
    const prefix = segment.descendant ? ".." : "";
    const only = segment.selectors.length === 1 ? segment.selectors[0]! : undefined;
    if (only?.kind === "NameSelector" && SHORTHAND.test(only.name)) return `${prefix || "."}${only.name}`;
    if (only?.kind === "WildcardSelector") return `${prefix || "."}*`;
    return `${prefix}[${segment.selectors.map((s) => this.selector(s)).join(", ")}]`;
  }

  private selector(selector: Selector): string {
    switch (selector.kind) {
      case "NameSelector":
        return quoteString(selector.name);
      case "WildcardSelector":
        return "*";
      case "IndexSelector":
        return String(selector.index);
      case "SliceSelector": {
        const part = (n: number | null) => (n === null ? "" : String(n));
        const base = `${part(selector.start)}:${part(selector.end)}`;
        return selector.step === null ? base : `${base}:${selector.step}`;
      }
      case "FilterSelector":
        return `?${this.logical(selector.expression, 0)}`;
    }
  }

  /** `level`: 0 top, 1 inside `||`, 2 inside `&&`, 3 operand of `!`; parentheses only where needed. */
  private logical(expression: Logical, level: number): string {
    switch (expression.kind) {
      case "Or": {
        const text = expression.operands.map((o) => this.logical(o, 1)).join(" || ");
        return level > 1 ? `(${text})` : text;
      }
      case "And": {
        const text = expression.operands.map((o) => this.logical(o, 2)).join(" && ");
        return level > 2 ? `(${text})` : text;
      }
      case "Not":
        return `!${this.logical(expression.operand, 3)}`;
      case "Comparison": {
        const text = `${this.comparable(expression.left)} ${expression.operator} ${this.comparable(expression.right)}`;
        return level > 2 ? `(${text})` : text;
      }
      case "Test":
        return expression.operand.kind === "Query" ? this.query(expression.operand) : this.call(expression.operand);
    }
  }

  private comparable(comparable: Comparable): string {
    switch (comparable.kind) {
      case "Literal":
        return this.literal(comparable.value);
      case "Query":
        return this.query(comparable);
      case "FunctionCall":
        return this.call(comparable);
      case "Embedded":
        return this.printEmbedded(comparable.index);
    }
  }

  private call(call: FunctionCall): string {
    return `${call.name}(${call.arguments.map((a) => this.argument(a)).join(", ")})`;
  }

  private argument(argument: Argument): string {
    switch (argument.kind) {
      case "Literal":
      case "Query":
      case "FunctionCall":
      case "Embedded":
        return this.comparable(argument);
      default:
        return this.logical(argument, 0);
    }
  }

  private literal(value: LiteralValue): string {
    if (typeof value === "string") return quoteString(value);
    return Object.is(value, -0) ? "-0" : JSON.stringify(value); // RFC 9535 numbers keep the sign of -0
  }
}
