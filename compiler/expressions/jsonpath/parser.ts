// Recursive-descent parser for RFC 9535 JSONPath (grammar of §2 and Appendix A), including the
// well-typedness rules of §2.4.3. A query that parses is guaranteed valid, so compilers never re-check it.

import type {
  Comparable,
  EmbeddedValue,
  ComparisonOperator,
  FunctionArgument,
  FunctionCall,
  JsonPathQuery,
  JsonPathType,
  Literal,
  LogicalExpression,
  Segment,
  Selector,
} from "./ast.js";
import { FUNCTION_SIGNATURES, isFunctionName } from "./functions.js";
import { isBlank, JsonPathSyntaxError, tokenize, type Token, type TokenKind } from "./lexer.js";
import { isSingularQuery } from "./singular.js";

/** A `{$...}` of the query text: the runtime expression's text and where it is (the braces excluded). */
export interface EmbeddedText {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export type ParseJsonPathResult =
  | { ok: true; query: JsonPathQuery; /** The embedded values, by EmbeddedValue.index. */ embedded: readonly EmbeddedText[] }
  | { ok: false; message: string; offset: number };

export interface ParseJsonPathOptions {
  /**
   * Accept Arazzo's embedded values (`{$inputs.x}`, `'{$inputs.x}'`) where a literal may stand: each becomes an
   * EmbeddedValue node, its text listed in the result. Off, they are syntax errors, as RFC 9535 says.
   */
  readonly embedded?: boolean;
}

/** Parses a JSONPath query (`$...`). Never throws for bad input: the result carries the message and offset. */
export function parseJsonPath(text: string, options: ParseJsonPathOptions = {}): ParseJsonPathResult {
  try {
    const parser = new Parser(text, options);
    const query = parser.parseDocument();
    return { ok: true, query, embedded: parser.embedded };
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return { ok: false, message: error.message, offset: error.offset };
    throw error;
  }
}

/** Largest magnitude of an index or slice bound: I-JSON's exact integer range (RFC 9535 §2.1). */
const MAX_INT = 2 ** 53 - 1;

const COMPARISON_OPERATORS: ReadonlySet<TokenKind> = new Set(["==", "!=", "<", "<=", ">", ">="]);

/** A query as parsed, plus whether it matches the ABNF `singular-query` (which is stricter than the shape). */
interface ParsedQuery {
  readonly query: JsonPathQuery;
  readonly singular: boolean;
}

/** The operand forms that may appear in comparisons, tests and function arguments before typing. */
type Primary =
  | { readonly kind: "literal"; readonly node: Literal | EmbeddedValue; readonly token: Token }
  | { readonly kind: "query"; readonly parsed: ParsedQuery; readonly token: Token }
  | { readonly kind: "function"; readonly node: FunctionCall; readonly token: Token };

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  readonly embedded: EmbeddedText[] = [];

  constructor(
    private readonly text: string,
    options: ParseJsonPathOptions,
  ) {
    // Blanks are allowed only between tokens, never around the whole query (RFC 9535 §2.2.1).
    if (text.length === 0) throw new JsonPathSyntaxError("Empty query: a JSONPath query starts with $", 0);
    if (isBlank(text.charCodeAt(0))) throw new JsonPathSyntaxError("Leading whitespace is not allowed", 0);
    if (isBlank(text.charCodeAt(text.length - 1))) {
      throw new JsonPathSyntaxError("Trailing whitespace is not allowed", text.length - 1);
    }
    this.tokens = tokenize(text, options);
  }

  parseDocument(): JsonPathQuery {
    if (this.peek().kind !== "$") this.fail("A JSONPath query must start with $");
    const { query } = this.parseQuery();
    const rest = this.peek();
    if (rest.kind !== "EOF")
      this.fail(`Unexpected ${describe(rest)}: expected a segment ([...], .name, ..name) or the end of the query`, rest);
    return query;
  }

  // --- Queries and segments ---

  /** root-identifier / current-node-identifier, then `*(S segment)`. */
  private parseQuery(): ParsedQuery {
    const root = this.next();
    const segments: Segment[] = [];
    let singular = true;
    for (;;) {
      const token = this.peek();
      if (token.kind === "[") {
        const { selectors, tight } = this.parseBracketedSelection();
        segments.push({ kind: "Segment", descendant: false, selectors });
        // singular-query-segments allow `[name]`/`[index]` without inner blanks only.
        singular &&= tight && selectors.length === 1 && isNameOrIndex(selectors[0]);
      } else if (token.kind === ".") {
        this.next();
        const selector = this.parseShorthand(token, "after .");
        segments.push({ kind: "Segment", descendant: false, selectors: [selector] });
        singular &&= selector.kind === "NameSelector";
      } else if (token.kind === "..") {
        this.next();
        const after = this.peek();
        let selectors: Selector[];
        if (after.kind === "[" && after.start === token.end) {
          selectors = this.parseBracketedSelection().selectors;
        } else {
          selectors = [this.parseShorthand(token, "after ..")];
        }
        segments.push({ kind: "Segment", descendant: true, selectors });
        singular = false;
      } else {
        break;
      }
    }
    return { query: { kind: "Query", absolute: root.kind === "$", segments }, singular };
  }

  /** `*` or member-name-shorthand immediately after `.` or `..` (no blank in between). */
  private parseShorthand(dot: Token, where: string): Selector {
    const token = this.peek();
    if (token.start !== dot.end) {
      this.fail(`Whitespace is not allowed ${where}`, { ...token, start: dot.end });
    }
    if (token.kind === "*") {
      this.next();
      return { kind: "WildcardSelector" };
    }
    if (token.kind === "Name") {
      this.next();
      return { kind: "NameSelector", name: token.value };
    }
    return this.fail(`Expected a member name or * ${where} but found ${describe(token)}`, token);
  }

  /** `"[" S selector *(S "," S selector) S "]"`. `tight`: no blanks inside the brackets. */
  private parseBracketedSelection(): { selectors: Selector[]; tight: boolean } {
    const open = this.expect("[");
    const selectors = [this.parseSelector()];
    while (this.peek().kind === ",") {
      this.next();
      selectors.push(this.parseSelector());
    }
    const last = this.previous();
    const close = this.expect("]", "Expected , or ] in a bracketed selection");
    const first = this.tokens[this.tokens.indexOf(open) + 1];
    const tight = first !== undefined && first.start === open.end && close.start === last.end;
    return { selectors, tight };
  }

  private parseSelector(): Selector {
    const token = this.peek();
    switch (token.kind) {
      case "String":
        this.next();
        return { kind: "NameSelector", name: token.value };
      case "*":
        this.next();
        return { kind: "WildcardSelector" };
      case "?":
        this.next();
        return { kind: "FilterSelector", expression: this.parseLogicalOr() };
      case "Number":
      case ":":
        return this.parseIndexOrSlice();
      default:
        return this.fail(`Expected a selector (name, *, index, slice or ?filter) but found ${describe(token)}`, token);
    }
  }

  /** index-selector, or slice-selector `[start S] ":" S [end S] [":" [S step]]`. */
  private parseIndexOrSlice(): Selector {
    let start: number | null = null;
    if (this.peek().kind === "Number") {
      start = this.parseInteger(this.next());
      if (this.peek().kind !== ":") return { kind: "IndexSelector", index: start };
    }
    this.expect(":");
    let end: number | null = null;
    let step: number | null = null;
    if (this.peek().kind === "Number") end = this.parseInteger(this.next());
    if (this.peek().kind === ":") {
      this.next();
      if (this.peek().kind === "Number") step = this.parseInteger(this.next());
    }
    return { kind: "SliceSelector", start, end, step };
  }

  /** int = "0" / (["-"] DIGIT1 *DIGIT), within ±(2^53-1). */
  private parseInteger(token: Token): number {
    if (!/^(?:0|-?[1-9][0-9]*)$/.test(token.value)) {
      this.fail(`Invalid integer ${token.value}: expected 0 or a non-zero integer without leading zeros, sign + or fraction`, token);
    }
    const value = Number(token.value);
    if (!Number.isSafeInteger(value) || Math.abs(value) > MAX_INT) {
      this.fail(`Integer ${token.value} is outside the range ±(2^53-1)`, token);
    }
    return value;
  }

  // --- Filter expressions ---

  private parseLogicalOr(): LogicalExpression {
    const operands = [this.parseLogicalAnd()];
    while (this.peek().kind === "||") {
      this.next();
      operands.push(this.parseLogicalAnd());
    }
    return operands.length === 1 && operands[0] !== undefined ? operands[0] : { kind: "Or", operands };
  }

  private parseLogicalAnd(): LogicalExpression {
    const operands = [this.parseBasic()];
    while (this.peek().kind === "&&") {
      this.next();
      operands.push(this.parseBasic());
    }
    return operands.length === 1 && operands[0] !== undefined ? operands[0] : { kind: "And", operands };
  }

  /** basic-expr = paren-expr / comparison-expr / test-expr. */
  private parseBasic(): LogicalExpression {
    const token = this.peek();
    if (token.kind === "!") {
      this.next();
      // `!` applies to a parenthesized expression or a test, never directly to a comparison.
      if (this.peek().kind === "(") return { kind: "Not", operand: this.parseParenthesized() };
      const operand = this.asTest(this.parsePrimary());
      const after = this.peek();
      if (COMPARISON_OPERATORS.has(after.kind)) {
        this.fail(`${after.kind} after a !-negated operand: wrap the comparison in parentheses, as in !(a ${after.kind} b)`, after);
      }
      return { kind: "Not", operand };
    }
    if (token.kind === "(") return this.parseParenthesized();
    const left = this.parsePrimary();
    const operator = this.peek();
    if (!COMPARISON_OPERATORS.has(operator.kind)) return this.asTest(left);
    this.next();
    const right = this.parsePrimary();
    return {
      kind: "Comparison",
      operator: operator.kind as ComparisonOperator,
      left: this.asComparable(left),
      right: this.asComparable(right),
    };
  }

  private parseParenthesized(): LogicalExpression {
    this.expect("(");
    const expression = this.parseLogicalOr();
    this.expect(")", "Expected ) to close (");
    return expression;
  }

  /** literal / filter-query / function-expr: the operands of comparisons and tests. */
  private parsePrimary(): Primary {
    const token = this.peek();
    switch (token.kind) {
      case "$":
      case "@":
        return { kind: "query", parsed: this.parseQuery(), token };
      case "String":
        this.next();
        return { kind: "literal", node: { kind: "Literal", value: token.value }, token };
      case "Embedded": {
        this.next();
        // The inner text starts after `{` (and after the quote of the quoted form).
        const start = this.text.indexOf("{", token.start) + 1;
        this.embedded.push({ text: token.value, start, end: start + token.value.length });
        return { kind: "literal", node: { kind: "Embedded", index: this.embedded.length - 1 }, token };
      }
      case "Number":
        this.next();
        return { kind: "literal", node: { kind: "Literal", value: this.parseNumber(token) }, token };
      case "Name": {
        const after = this.tokens[this.pos + 1];
        if (after?.kind === "(") {
          if (after.start !== token.end) this.fail(`Whitespace is not allowed between function name ${token.value} and (`, token);
          return { kind: "function", node: this.parseFunctionCall(), token };
        }
        this.next();
        if (token.value === "true") return { kind: "literal", node: { kind: "Literal", value: true }, token };
        if (token.value === "false") return { kind: "literal", node: { kind: "Literal", value: false }, token };
        if (token.value === "null") return { kind: "literal", node: { kind: "Literal", value: null }, token };
        return this.fail(`Unexpected name ${token.value}: expected true, false, null, a function call, @ or $`, token);
      }
      default:
        return this.fail(`Expected a query (@ or $), a literal or a function call but found ${describe(token)}`, token);
    }
  }

  /** number = (int / "-0") [ frac ] [ exp ] (the e may be upper or lower case, like all ABNF strings). */
  private parseNumber(token: Token): number {
    if (!/^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/.test(token.value)) {
      this.fail(`Invalid number ${token.value}`, token);
    }
    return Number(token.value);
  }

  private parseFunctionCall(): FunctionCall {
    const nameToken = this.next();
    const name = nameToken.value;
    if (!/^[a-z][a-z0-9_]*$/.test(name)) this.fail(`Invalid function name ${name}`, nameToken);
    if (!isFunctionName(name)) {
      this.fail(`Unknown function ${name}(): the functions are length, count, match, search and value`, nameToken);
    }
    const signature = FUNCTION_SIGNATURES[name];
    this.expect("(");
    const raw: Array<{ arg: Primary | LogicalExpression; token: Token }> = [];
    if (this.peek().kind !== ")") {
      raw.push(this.parseArgument());
      while (this.peek().kind === ",") {
        this.next();
        raw.push(this.parseArgument());
      }
    }
    const close = this.expect(")", `Expected , or ) in the arguments of ${name}()`);
    if (raw.length !== signature.parameters.length) {
      const count = signature.parameters.length;
      this.fail(
        `${name}() takes ${count} argument${count === 1 ? "" : "s"} but got ${raw.length}`,
        raw.length > count ? (raw[count]?.token ?? close) : close,
      );
    }
    const args = raw.map(({ arg, token }, i) => this.checkArgument(name, signature.parameters[i] ?? "ValueType", arg, token));
    return { kind: "FunctionCall", name, arguments: args, resultType: signature.result };
  }

  /**
   * function-argument = literal / filter-query / logical-expr / function-expr. A literal, query or call
   * standing alone is kept as such (its parameter type decides how it converts); anything longer is a
   * logical-expr.
   */
  private parseArgument(): { arg: Primary | LogicalExpression; token: Token } {
    const token = this.peek();
    const start = this.pos;
    if (token.kind !== "!" && token.kind !== "(") {
      const primary = this.parsePrimary();
      const after = this.peek().kind;
      if (after === "," || after === ")") return { arg: primary, token };
      this.pos = start;
    }
    return { arg: this.parseLogicalOr(), token };
  }

  /** Well-typedness of one argument (RFC 9535 §2.4.3, item 3). */
  private checkArgument(name: string, type: JsonPathType, arg: Primary | LogicalExpression, token: Token): FunctionArgument {
    const where = `argument of ${name}()`;
    switch (type) {
      case "ValueType":
        if (isPrimary(arg)) return this.asComparable(arg, where);
        return this.fail(`A logical expression cannot be the ${where}, which expects a value`, token);
      case "NodesType":
        if (isPrimary(arg)) {
          if (arg.kind === "query") return arg.parsed.query;
          if (arg.kind === "function" && arg.node.resultType === "NodesType") return arg.node;
        }
        return this.fail(`The ${where} must be a query`, token);
      case "LogicalType":
        if (!isPrimary(arg)) return arg;
        if (arg.kind === "literal") return this.fail(`A literal cannot be the ${where}, which expects a logical expression`, token);
        return this.asTest(arg);
    }
  }

  /** test-expr: an existence test of a query, or a LogicalType/NodesType function call. */
  private asTest(primary: Primary): LogicalExpression {
    switch (primary.kind) {
      case "query":
        return { kind: "Test", operand: primary.parsed.query };
      case "function":
        if (primary.node.resultType === "ValueType") {
          return this.fail(`${primary.node.name}() returns a value, not a logical result: compare it with something`, primary.token);
        }
        return { kind: "Test", operand: primary.node };
      case "literal":
        return this.fail("A literal is not a filter expression: compare it with something", primary.token);
    }
  }

  /** comparable = literal / singular-query / function-expr of ValueType. */
  private asComparable(primary: Primary, where = "operand of a comparison"): Comparable {
    switch (primary.kind) {
      case "literal":
        return primary.node;
      case "query":
        if (!primary.parsed.singular) {
          if (isSingularQuery(primary.parsed.query)) {
            return this.fail(`The ${where} must be a singular query, which allows no blanks inside [ ]`, primary.token);
          }
          return this.fail(`The ${where} must be a singular query (only .name, [name] and [index] segments)`, primary.token);
        }
        return primary.parsed.query;
      case "function":
        if (primary.node.resultType !== "ValueType") {
          return this.fail(`${primary.node.name}() returns a logical result, which cannot be the ${where}`, primary.token);
        }
        return primary.node;
    }
  }

  // --- Token helpers ---

  private peek(): Token {
    // The token list always ends with EOF, and pos never moves past it.
    return this.tokens[this.pos] as Token;
  }

  private previous(): Token {
    return this.tokens[this.pos - 1] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "EOF") this.pos++;
    return token;
  }

  private expect(kind: TokenKind, message?: string): Token {
    const token = this.peek();
    if (token.kind !== kind) this.fail(`${message ?? `Expected ${kind}`} but found ${describe(token)}`, token);
    return this.next();
  }

  private fail(message: string, token: { start: number } = this.peek()): never {
    throw new JsonPathSyntaxError(message, Math.min(token.start, this.text.length));
  }
}

function isPrimary(arg: Primary | LogicalExpression): arg is Primary {
  return arg.kind === "literal" || arg.kind === "query" || arg.kind === "function";
}

function isNameOrIndex(selector: Selector | undefined): boolean {
  return selector?.kind === "NameSelector" || selector?.kind === "IndexSelector";
}

function describe(token: Token): string {
  switch (token.kind) {
    case "EOF":
      return "the end of the query";
    case "Name":
      return `name ${token.value}`;
    case "String":
      return "a string literal";
    case "Embedded":
      return `the embedded value {${token.value}}`;
    case "Number":
      return `number ${token.value}`;
    default:
      return token.kind;
  }
}
