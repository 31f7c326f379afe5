// The expression model of the IR: values, references and criteria as plain data. The check stage
// produces them, every emitter reads them. No loaded-file handles, no closures: JSON-serializable.
import type { ComparisonOperator } from "../expressions/condition.js";
import type { JsonPathQuery } from "../expressions/jsonpath/ast.js";

/** `querystring` (Arazzo 1.1, OpenAPI 3.2): the whole query string as one value. */
export type ParameterLocation = "path" | "query" | "querystring" | "header" | "cookie";

/** A value read at run time. `path` navigates into it (JSON pointer tokens or condition accessors). */
export type Ref =
  | { readonly kind: "input"; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: "stepOutput"; readonly stepId: string; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: "statusCode" | "url" | "method" }
  | { readonly kind: "responseHeader"; readonly name: string }
  | { readonly kind: "responseBody"; readonly path: readonly string[] }
  /** `$outputs.x` in a step that calls a workflow: that workflow's outputs. */
  | { readonly kind: "callOutput"; readonly name: string; readonly path: readonly string[] }
  /**
   * `$workflows.<id>.outputs.x` and `.inputs.x`: the outputs of a workflow that has run in this one (a
   * dependency, a step's call, a retry's), or the inputs it ran with. `source`: the Arazzo source of a
   * workflow of another document.
   */
  | {
      readonly kind: "workflowOutput" | "workflowInput";
      readonly workflowId: string;
      readonly source?: string;
      readonly name: string;
      readonly path: readonly string[];
    }
  /** `$message.header.x` of a message step (case-insensitive name). */
  | { readonly kind: "messageHeader"; readonly name: string }
  /** `$message.payload#/p` of a message step: the message sent, or the one received. */
  | { readonly kind: "messagePayload"; readonly path: readonly string[] };

export type Value =
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "ref"; readonly ref: Ref }
  /** Text with embedded values; `form` URL-encodes each value (an x-www-form-urlencoded body written as text). */
  | { readonly kind: "template"; readonly parts: ReadonlyArray<string | Ref>; readonly encoding?: "form" }
  /** Payload replacements applied at run time to a payload only known then (a whole-value expression). */
  | { readonly kind: "replaced"; readonly base: Value; readonly replacements: ReadonlyArray<readonly [readonly string[], Value]> }
  | { readonly kind: "object"; readonly entries: ReadonlyArray<readonly [string, Value]> }
  | { readonly kind: "array"; readonly items: readonly Value[] }
  /**
   * A Selector Object (Arazzo 1.1): `selector` applied to the value `context` reads. `text` is the selector
   * as written, for printing.
   */
  | { readonly kind: "select"; readonly context: Ref; readonly selector: SelectorIr; readonly text: string };

/**
 * A compiled selector. A JSON pointer reads one value (or nothing). A JSONPath query yields its nodelist,
 * except a singular query (names and indices only), which reads one value (or nothing), like a pointer.
 */
export type SelectorIr =
  | { readonly kind: "pointer"; readonly path: readonly string[] }
  | { readonly kind: "jsonpath"; readonly query: JsonPathQuery; readonly singular: boolean };

export type Operand =
  { readonly kind: "literal"; readonly value: string | number | boolean | null } | { readonly kind: "ref"; readonly ref: Ref };

export type Cond =
  | { readonly kind: "and" | "or"; readonly left: Cond; readonly right: Cond }
  | { readonly kind: "not"; readonly operand: Cond }
  /** Loose comparison of a simple condition (reference §4.1). */
  | { readonly kind: "compare"; readonly operator: ComparisonOperator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: "truthy"; readonly operand: Operand }
  /**
   * A regular expression; with values embedded ({$...}), its text as parts, built when the step runs. `flags`
   * "i": written with a leading (?i), matched regardless of case.
   */
  | {
      readonly kind: "regex";
      readonly context: Ref;
      readonly pattern: string | ReadonlyArray<string | Ref>;
      readonly flags?: "i";
      /** Embedded values are pattern text spliced in (Arazzo 1.1), not literal text to match. */
      readonly spliced?: boolean;
    }
  /**
   * An RFC 9535 query: passes when the nodelist is not empty. `embedded[i]` is the value of the query's
   * EmbeddedValue node with index i (a `{$...}` in the condition).
   */
  | { readonly kind: "jsonpath"; readonly context: Ref; readonly query: JsonPathQuery; readonly embedded?: readonly Ref[] }
  /** `$.a.b == literal` written as a jsonpath criterion: an RFC 9535 comparison on one node (DESIGN decision 1). */
  | {
      readonly kind: "nodeCompare";
      readonly context: Ref;
      readonly path: readonly (string | number)[];
      readonly operator: ComparisonOperator;
      readonly literal: string | number | boolean | null;
      /** `$.items.length > 0`: compares the length of the array (or string) at `path` (AZC3028). */
      readonly length?: true;
    };

export interface ParameterIr {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly value: Value;
  /** Serialization of the operation's declaration, when it declares the parameter. */
  readonly style?: string;
  readonly explode?: boolean;
  readonly allowReserved?: boolean;
  /** The media type of a parameter the operation describes with `content`. */
  readonly contentType?: string;
}

export type Action =
  | { readonly kind: "end"; readonly name: string; readonly criteria: readonly Cond[] }
  | { readonly kind: "goto"; readonly name: string; readonly stepId: string; readonly criteria: readonly Cond[] }
  /** A one-way transfer to another workflow, whose result becomes this workflow's result. */
  | {
      readonly kind: "gotoWorkflow";
      readonly name: string;
      readonly workflow: WorkflowRef;
      readonly criteria: readonly Cond[];
      /** The workflow's inputs from the action's parameters (Arazzo 1.1); absent: from inputsByWorkflowId. */
      readonly inputs?: ReadonlyArray<readonly [string, Value]>;
    }
  /** A retry: up to `retryLimit` more attempts, after `retryAfter` seconds, first running a step or workflow. */
  | {
      readonly kind: "retry";
      readonly name: string;
      readonly retryAfter?: number;
      readonly retryLimit: number;
      readonly stepId?: string;
      readonly workflow?: WorkflowRef;
      /** Inputs of `workflow` from the action's parameters (Arazzo 1.1); absent: from inputsByWorkflowId. */
      readonly inputs?: ReadonlyArray<readonly [string, Value]>;
      readonly criteria: readonly Cond[];
    };

/** A workflow of this document, or (`source`) of the Arazzo document a source description names. */
export interface WorkflowRef {
  readonly workflowId: string;
  readonly source?: string;
}

/** The runtime expressions a value reads, in order. */
export function valueRefs(value: Value): Ref[] {
  switch (value.kind) {
    case "literal":
      return [];
    case "ref":
      return [value.ref];
    case "template":
      return value.parts.filter((p): p is Ref => typeof p !== "string");
    case "replaced":
      return [...valueRefs(value.base), ...value.replacements.flatMap(([, v]) => valueRefs(v))];
    case "object":
      return value.entries.flatMap(([, v]) => valueRefs(v));
    case "array":
      return value.items.flatMap(valueRefs);
    case "select":
      return [value.context];
  }
}

/** The refs a condition reads. */
export function actionRefs(action: Action): Ref[] {
  const inputs = action.kind === "gotoWorkflow" || action.kind === "retry" ? (action.inputs ?? []) : [];
  return [...action.criteria.flatMap(condRefs), ...inputs.flatMap(([, v]) => valueRefs(v))];
}

export function condRefs(cond: Cond): Ref[] {
  switch (cond.kind) {
    case "and":
    case "or":
      return [...condRefs(cond.left), ...condRefs(cond.right)];
    case "not":
      return condRefs(cond.operand);
    case "compare":
      return [cond.left, cond.right].flatMap((o) => (o.kind === "ref" ? [o.ref] : []));
    case "truthy":
      return cond.operand.kind === "ref" ? [cond.operand.ref] : [];
    case "regex":
      return [cond.context, ...(typeof cond.pattern === "string" ? [] : cond.pattern.filter((p): p is Ref => typeof p !== "string"))];
    case "jsonpath":
      return [cond.context, ...(cond.embedded ?? [])];
    case "nodeCompare":
      return [cond.context];
  }
}

/** Response-body paths read by `$.a.b == x` JSONPath comparisons (names only). */
export function nodeComparePaths(cond: Cond): (readonly string[])[] {
  switch (cond.kind) {
    case "and":
    case "or":
      return [...nodeComparePaths(cond.left), ...nodeComparePaths(cond.right)];
    case "not":
      return nodeComparePaths(cond.operand);
    case "nodeCompare":
      return cond.context.kind === "responseBody" && cond.path.every((p) => typeof p === "string")
        ? [[...cond.context.path, ...cond.path.map(String)]]
        : [];
    default:
      return [];
  }
}
