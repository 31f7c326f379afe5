// Criteria, runtime expressions and values printed back as readable text, close to how an Arazzo document
// writes them: `$statusCode == 200`, `$response.body#/status == 'done'`, `$[?@.completed == false]`.
// For readers (diagrams, docs), never for code: the output is plain text that each emitter escapes.
import type { Cond, Ref, Value } from "../../ir/expressions.js";
import { printJsonPath, quoteString } from "./jsonpath.js";

type Operand = Extract<Cond, { kind: "compare" }>["left"];
type Literal = Extract<Cond, { kind: "nodeCompare" }>["literal"];

/** A JSON pointer of reference tokens (RFC 6901), `#/a/b~1c`, or nothing for the whole value. */
function pointer(path: readonly string[]): string {
  return path.length === 0 ? "" : "#/" + path.map((t) => t.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** A runtime expression as Arazzo writes it; a path inside the value is shown as a JSON pointer. */
export function printRef(ref: Ref): string {
  switch (ref.kind) {
    case "input":
      return `$inputs.${ref.name}${pointer(ref.path)}`;
    case "stepOutput":
      return `$steps.${ref.stepId}.outputs.${ref.name}${pointer(ref.path)}`;
    case "statusCode":
      return "$statusCode";
    case "url":
      return "$url";
    case "method":
      return "$method";
    case "responseHeader":
      return `$response.header.${ref.name}`;
    case "responseBody":
      return `$response.body${pointer(ref.path)}`;
    case "callOutput":
      return `$outputs.${ref.name}${pointer(ref.path)}`;
    case "workflowOutput":
      return `$workflows.${ref.workflowId}.outputs.${ref.name}${pointer(ref.path)}`;
    case "messageHeader":
      return `$message.header.${ref.name}`;
    case "messagePayload":
      return `$message.payload${pointer(ref.path)}`;
    case "workflowInput":
      return `$workflows.${ref.workflowId}.inputs.${ref.name}${pointer(ref.path)}`;
  }
}

function literal(value: Literal): string {
  return typeof value === "string" ? quoteString(value) : JSON.stringify(value);
}

function operand(op: Operand): string {
  return op.kind === "literal" ? literal(op.value) : printRef(op.ref);
}

/** The context of a JSONPath or regex criterion, unless it is the usual one (the whole response body). */
function contextSuffix(context: Ref): string {
  return context.kind === "responseBody" && context.path.length === 0 ? "" : ` on ${printRef(context)}`;
}

/** `level`: 0 top, 1 inside `||`, 2 inside `&&`, 3 operand of `!`; parentheses only where needed. */
function cond(c: Cond, level: number): string {
  switch (c.kind) {
    case "or": {
      const text = `${cond(c.left, 1)} || ${cond(c.right, 1)}`;
      return level > 1 ? `(${text})` : text;
    }
    case "and": {
      const text = `${cond(c.left, 2)} && ${cond(c.right, 2)}`;
      return level > 2 ? `(${text})` : text;
    }
    case "not":
      return `!${cond(c.operand, 3)}`;
    case "compare": {
      const text = `${operand(c.left)} ${c.operator} ${operand(c.right)}`;
      return level > 2 ? `(${text})` : text;
    }
    case "truthy":
      return operand(c.operand);
    case "regex": {
      const pattern = typeof c.pattern === "string" ? c.pattern : c.pattern.map((p) => (typeof p === "string" ? p : `{${printRef(p)}}`)).join("");
      const text = `${printRef(c.context)} matches /${pattern.replace(/\//g, "\\/")}/${c.flags ?? ""}`;
      return level > 2 ? `(${text})` : text;
    }
    case "jsonpath": {
      const embedded = c.embedded ?? [];
      // Where the document embedded a value ({$inputs.id}), the expression is shown as written.
      const printEmbedded = (index: number): string => {
        const ref = embedded[index];
        return ref ? `{${printRef(ref)}}` : "{?}";
      };
      const text = printJsonPath(c.query, printEmbedded) + contextSuffix(c.context);
      return level > 2 && text.includes(" ") ? `(${text})` : text;
    }
    case "nodeCompare": {
      const path = c.path
        .map((t) => (typeof t === "number" ? `[${t}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(t) ? `.${t}` : `[${quoteString(t)}]`))
        .join("");
      const text = `$${path}${c.length ? ".length" : ""} ${c.operator} ${literal(c.literal)}${contextSuffix(c.context)}`;
      return level > 2 ? `(${text})` : text;
    }
  }
}

export function printCond(c: Cond): string {
  return cond(c, 0);
}

/** A list of criteria that must all hold. */
export function printCriteria(criteria: readonly Cond[]): string {
  return criteria.map((c) => cond(c, criteria.length > 1 ? 2 : 0)).join(" && ");
}

/** A value as the document would write it: literals as JSON, expressions as text, templates with `{$...}`. */
export function printValue(value: Value): string {
  switch (value.kind) {
    case "literal":
      return JSON.stringify(value.value) ?? "null";
    case "ref":
      return printRef(value.ref);
    case "template":
      return value.parts.map((p) => (typeof p === "string" ? p : `{${printRef(p)}}`)).join("");
    case "replaced":
      return `${printValue(value.base)} with ${value.replacements.map(([path, v]) => `${pointer(path) || "#"} = ${printValue(v)}`).join(", ")}`;
    case "object":
      return `{ ${value.entries.map(([k, v]) => `${JSON.stringify(k)}: ${printValue(v)}`).join(", ")} }`;
    case "array":
      return `[${value.items.map(printValue).join(", ")}]`;
    case "select":
      return `${value.selector.kind === "pointer" ? "jsonpointer" : "jsonpath"} ${JSON.stringify(value.text)} of ${printRef(value.context)}`;
  }
}
