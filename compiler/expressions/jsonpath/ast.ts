// Typed AST of an RFC 9535 JSONPath query. Nodes are plain readonly data tagged by `kind` (as in graphql-js
// `language/ast`), so compilers can switch over them exhaustively. Only well-typed queries (RFC 9535 §2.4.3)
// are ever represented: the parser rejects everything else, so consumers need not re-check types.

/** A whole query: `$...` (absolute) or, inside filters, `@...` (relative to the current node). */
export interface JsonPathQuery {
  readonly kind: "Query";
  /** `$` (true) or `@` (false). Top-level queries are always absolute. */
  readonly absolute: boolean;
  readonly segments: readonly Segment[];
}

/** `[...]`, `.name`, `.*` (child) or `..[...]`, `..name`, `..*` (descendant). */
export interface Segment {
  readonly kind: "Segment";
  readonly descendant: boolean;
  readonly selectors: readonly Selector[];
}

export type Selector = NameSelector | WildcardSelector | IndexSelector | SliceSelector | FilterSelector;

export interface NameSelector {
  readonly kind: "NameSelector";
  /** The member name, escapes already decoded. */
  readonly name: string;
}

export interface WildcardSelector {
  readonly kind: "WildcardSelector";
}

export interface IndexSelector {
  readonly kind: "IndexSelector";
  /** A safe integer; negative counts from the end of the array. */
  readonly index: number;
}

/** `start:end:step`; an omitted part is `null` (its default depends on the sign of step, RFC 9535 §2.3.4.2.2). */
export interface SliceSelector {
  readonly kind: "SliceSelector";
  readonly start: number | null;
  readonly end: number | null;
  readonly step: number | null;
}

export interface FilterSelector {
  readonly kind: "FilterSelector";
  readonly expression: LogicalExpression;
}

// --- Filter expressions (LogicalType) ---

export type LogicalExpression = OrExpression | AndExpression | NotExpression | ComparisonExpression | TestExpression;

export interface OrExpression {
  readonly kind: "Or";
  /** Two or more operands. */
  readonly operands: readonly LogicalExpression[];
}

export interface AndExpression {
  readonly kind: "And";
  /** Two or more operands. */
  readonly operands: readonly LogicalExpression[];
}

export interface NotExpression {
  readonly kind: "Not";
  readonly operand: LogicalExpression;
}

export type ComparisonOperator = "==" | "!=" | "<" | "<=" | ">" | ">=";

export interface ComparisonExpression {
  readonly kind: "Comparison";
  readonly operator: ComparisonOperator;
  readonly left: Comparable;
  readonly right: Comparable;
}

/**
 * Existence test of a query (true when its nodelist is non-empty), or a function call whose result is
 * LogicalType (or NodesType, converted by non-emptiness).
 */
export interface TestExpression {
  readonly kind: "Test";
  readonly operand: JsonPathQuery | FunctionCall;
}

// --- Values (ValueType) ---

/**
 * A comparison operand: a literal, a singular query (its one value or Nothing), a ValueType function, or a
 * value embedded from outside the query (Arazzo's `{$inputs.x}`, parsed only when asked for).
 */
export type Comparable = Literal | JsonPathQuery | FunctionCall | EmbeddedValue;

export interface Literal {
  readonly kind: "Literal";
  readonly value: string | number | boolean | null;
}

/**
 * A value that is not part of the query's text: the `index`-th `{$...}` runtime expression of an Arazzo
 * criterion. It behaves as a literal whose value is known only when the criterion is evaluated; the
 * expression itself is kept outside the tree (see ParseJsonPathResult.embedded).
 */
export interface EmbeddedValue {
  readonly kind: "Embedded";
  readonly index: number;
}

// --- Function extensions ---

export type FunctionName = "length" | "count" | "match" | "search" | "value";

/** The three types of RFC 9535 §2.4.1. */
export type JsonPathType = "ValueType" | "LogicalType" | "NodesType";

/**
 * An argument, already checked against its parameter type: for a ValueType parameter a Literal, a singular
 * JsonPathQuery or a ValueType FunctionCall; for NodesType a JsonPathQuery (or NodesType call); for
 * LogicalType a LogicalExpression (a bare query is wrapped in a TestExpression).
 */
export type FunctionArgument = Literal | EmbeddedValue | JsonPathQuery | FunctionCall | LogicalExpression;

export interface FunctionCall {
  readonly kind: "FunctionCall";
  readonly name: FunctionName;
  readonly arguments: readonly FunctionArgument[];
  readonly resultType: JsonPathType;
}
