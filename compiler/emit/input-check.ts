// The run-time check of a workflow's inputs, generated from its JSON Schema: plain `typeof` tests and
// loops, no validator library. Each problem names the JSON pointer of the input it concerns.
import type { Located } from "../load/openapi.js";
import { joinPointer } from "../load/pointer.js";
import { refOf, type DocumentStore } from "../load/refs.js";
import { literal } from "./expressions.js";
import { stringLiteral, templateChunk } from "./escape.js";

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const MAX_DEPTH = 6;

const TYPE_TESTS: Record<string, (v: string) => string> = {
  string: (v) => `typeof ${v} === "string"`,
  number: (v) => `typeof ${v} === "number"`,
  integer: (v) => `Number.isInteger(${v})`,
  boolean: (v) => `typeof ${v} === "boolean"`,
  null: (v) => `${v} === null`,
  array: (v) => `Array.isArray(${v})`,
  object: (v) => `isObject(${v})`,
};

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  null: "null",
  array: "an array",
  object: "an object",
};

export class InputCheckEmitter {
  private counter = 0;
  constructor(private readonly store: DocumentStore) {}

  /** The statements checking a workflow's `inputs`; names are numbered afresh for each workflow. */
  check(schema: Located): string[] {
    this.counter = 0;
    return this.statements(schema, "inputs", "");
  }

  private deref(node: Located, seen: Set<string>): Located | undefined {
    let current = node;
    for (let ref = refOf(current.value); ref !== undefined; ref = refOf(current.value)) {
      const hit = this.store.resolve(current.file, ref);
      if ("error" in hit) return undefined;
      const key = `${hit.file.path}#${hit.pointer}`;
      if (seen.has(key)) return undefined; // recursive schema: checked to the depth already reached
      seen.add(key);
      current = { file: hit.file, pointer: hit.pointer, value: hit.value };
    }
    return current;
  }

  /**
   * Statements that push problems for `value` (a TS expression) described by `schema`. `where` is the
   * JSON pointer of the value as template-literal text (already escaped; may interpolate loop indices).
   */
  statements(schema: Located, value: string, where: string, depth = 0, seen = new Set<string>()): string[] {
    if (depth > MAX_DEPTH) return [];
    const node = this.deref(schema, new Set(seen));
    if (!node || !isObject(node.value)) return [];
    const s = node.value;
    const out: string[] = [];
    // A problem of the whole inputs object reads "inputs must be ...", others "/token must be ...".
    const place = (text: string) => "`" + (where === "" && text.startsWith(" ") ? "inputs" : where) + templateChunk(text) + "`";
    const child = (...tokens: (string | number)[]): Located => {
      let v: unknown = s;
      for (const t of tokens) v = isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[String(t)] : undefined;
      return { file: node.file, pointer: joinPointer(node.pointer, ...tokens), value: v };
    };

    const types = (Array.isArray(s["type"]) ? s["type"] : typeof s["type"] === "string" ? [s["type"]] : []).filter(
      (t): t is string => typeof t === "string" && t in TYPE_TESTS,
    );
    if (s["nullable"] === true && types.length > 0) types.push("null");
    if (types.length > 0) {
      const test = types.map((t) => TYPE_TESTS[t]!(value)).join(" || ");
      out.push(`if (!(${test})) problems.push(${place(` must be ${types.map((t) => TYPE_NAMES[t]).join(" or ")}`)});`);
    }
    if (Array.isArray(s["enum"])) {
      const allowed = s["enum"].filter((e) => e === null || ["string", "number", "boolean"].includes(typeof e));
      if (allowed.length === s["enum"].length) {
        out.push(
          `if (!${literal(allowed)}.includes(${value} as never)) problems.push(${place(` must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`)});`,
        );
      }
    }
    if ("const" in s && (s["const"] === null || ["string", "number", "boolean"].includes(typeof s["const"]))) {
      out.push(`if (${value} !== ${literal(s["const"])}) problems.push(${place(` must be ${JSON.stringify(s["const"])}`)});`);
    }

    const objectChecks: string[] = [];
    const required = Array.isArray(s["required"]) ? s["required"].filter((r): r is string => typeof r === "string") : [];
    const properties = isObject(s["properties"]) ? Object.keys(s["properties"]) : [];
    const record = `record${++this.counter}`;
    for (const name of required) {
      objectChecks.push(
        `if (${record}[${stringLiteral(name)}] === undefined) problems.push(${place(`/${escapePointer(name)} is required`)});`,
      );
    }
    for (const name of properties) {
      const member = `${record}[${stringLiteral(name)}]`;
      const inner = this.statements(child("properties", name), member, `${where}/${templateChunk(escapePointer(name))}`, depth + 1, seen);
      if (inner.length > 0) objectChecks.push(`if (${member} !== undefined) {`, ...inner, "}");
    }
    if (objectChecks.length > 0) out.push(`if (isObject(${value})) {`, `const ${record} = ${value};`, ...objectChecks, "}");

    if (isObject(s["items"])) {
      const index = `i${++this.counter}`;
      const inner = this.statements(child("items"), `${value}[${index}]`, `${where}/\${${index}}`, depth + 1, seen);
      if (inner.length > 0)
        out.push(`if (Array.isArray(${value})) {`, `for (let ${index} = 0; ${index} < ${value}.length; ${index}++) {`, ...inner, "}", "}");
    }
    return out;
  }
}

/** A JSON pointer token escaped for a template literal's text. */
function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}
