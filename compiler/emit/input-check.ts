// The run-time check of a workflow's inputs, generated from its JSON Schema: plain `typeof` tests and
// loops, no validator library. Each problem names the JSON pointer of the input it concerns.
import { childOf, isObject } from "../load/json.js";
import type { Located } from "../load/openapi.js";
import { refOf, type DocumentStore } from "../load/refs.js";
import { literal } from "./expressions.js";
import { stringLiteral, templateChunk } from "./escape.js";

const MAX_DEPTH = 6;
/**
 * Schema nodes one inputs check is generated from. Depth alone does not bound the work: a schema whose
 * allOf/anyOf branches name it again grows as branches^depth. Past the budget deeper values go unchecked
 * (the check is weaker, never wrong), and the generated code stays small.
 */
const MAX_NODES = 500;

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
  /** The array the generated statements push problems to (a branch's own array inside oneOf/anyOf). */
  private sink = "problems";
  private visits = 0;
  /** How many times a schema went unchecked for depth or budget (its check then accepts anything). */
  private truncations = 0;
  constructor(private readonly store: DocumentStore) {}

  /** The statements checking a workflow's `inputs`; names are numbered afresh for each workflow. */
  check(schema: Located): string[] {
    this.counter = 0;
    this.visits = 0;
    this.truncations = 0;
    this.sink = "problems";
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

  /** Numeric, length and pattern keywords, each tested only on values of the type it applies to. */
  private bounds(s: Record<string, unknown>, value: string, place: (text: string) => string): string[] {
    const out: string[] = [];
    const num = (key: string) => (typeof s[key] === "number" && Number.isFinite(s[key]) ? (s[key] as number) : undefined);
    const numeric: [string, string, string][] = [
      ["minimum", "<", "at least"],
      ["maximum", ">", "at most"],
      ["exclusiveMinimum", "<=", "greater than"],
      ["exclusiveMaximum", ">=", "less than"],
    ];
    for (const [key, failing, words] of numeric) {
      const bound = num(key);
      if (bound !== undefined)
        out.push(
          `if (typeof ${value} === "number" && ${value} ${failing} ${bound}) ${this.sink}.push(${place(` must be ${words} ${bound}`)});`,
        );
    }
    const lengths: [string, string, string, string][] = [
      ["minLength", "string", "<", "at least"],
      ["maxLength", "string", ">", "at most"],
    ];
    for (const [key, type, failing, words] of lengths) {
      const bound = num(key);
      // Length in code points, as JSON Schema counts it.
      if (bound !== undefined)
        out.push(
          `if (typeof ${value} === "${type}" && [...${value}].length ${failing} ${bound}) ${this.sink}.push(${place(` must have ${words} ${bound} character${bound === 1 ? "" : "s"}`)});`,
        );
    }
    for (const [key, failing, words] of [
      ["minItems", "<", "at least"],
      ["maxItems", ">", "at most"],
    ] as const) {
      const bound = num(key);
      if (bound !== undefined)
        out.push(
          `if (Array.isArray(${value}) && ${value}.length ${failing} ${bound}) ${this.sink}.push(${place(` must have ${words} ${bound} item${bound === 1 ? "" : "s"}`)});`,
        );
    }
    if (typeof s["pattern"] === "string") {
      let valid = true;
      try {
        new RegExp(s["pattern"], "u");
      } catch {
        valid = false; // an invalid pattern is not checked rather than failing every run
      }
      if (valid)
        out.push(
          `if (typeof ${value} === "string" && !new RegExp(${stringLiteral(s["pattern"])}, "u").test(${value})) ${this.sink}.push(${place(` must match the pattern ${s["pattern"]}`)});`,
        );
    }
    return out;
  }

  /**
   * Statements that push problems for `value` (a TS expression) described by `schema`. `where` is the
   * JSON pointer of the value as template-literal text (already escaped; may interpolate loop indices).
   */
  statements(schema: Located, value: string, where: string, depth = 0, seen = new Set<string>()): string[] {
    if (depth > MAX_DEPTH || ++this.visits > MAX_NODES) {
      this.truncations++;
      return [];
    }
    const node = this.deref(schema, new Set(seen));
    if (!node || !isObject(node.value)) return [];
    const s = node.value;
    const out: string[] = [];
    // A problem of the whole inputs object reads "inputs must be ...", others "/token must be ...".
    const place = (text: string) => "`" + (where === "" && text.startsWith(" ") ? "inputs" : where) + templateChunk(text) + "`";
    const child = (...tokens: (string | number)[]): Located => childOf(node, ...tokens);

    const types = (Array.isArray(s["type"]) ? s["type"] : typeof s["type"] === "string" ? [s["type"]] : []).filter(
      (t): t is string => typeof t === "string" && t in TYPE_TESTS,
    );
    if (s["nullable"] === true && types.length > 0) types.push("null");
    if (types.length > 0) {
      const test = types.map((t) => TYPE_TESTS[t]!(value)).join(" || ");
      out.push(`if (!(${test})) ${this.sink}.push(${place(` must be ${types.map((t) => TYPE_NAMES[t]).join(" or ")}`)});`);
    }
    if (Array.isArray(s["enum"])) {
      const allowed = s["enum"].filter((e) => e === null || ["string", "number", "boolean"].includes(typeof e));
      if (allowed.length === s["enum"].length) {
        out.push(
          `if (!${literal(allowed)}.includes(${value} as never)) ${this.sink}.push(${place(` must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`)});`,
        );
      }
    }
    if ("const" in s && (s["const"] === null || ["string", "number", "boolean"].includes(typeof s["const"]))) {
      out.push(`if (${value} !== ${literal(s["const"])}) ${this.sink}.push(${place(` must be ${JSON.stringify(s["const"])}`)});`);
    }

    out.push(...this.bounds(s, value, place));

    const objectChecks: string[] = [];
    const required = Array.isArray(s["required"]) ? s["required"].filter((r): r is string => typeof r === "string") : [];
    const properties = isObject(s["properties"]) ? Object.keys(s["properties"]) : [];
    const record = `record${++this.counter}`;
    for (const name of required) {
      objectChecks.push(
        `if (${record}[${stringLiteral(name)}] === undefined) ${this.sink}.push(${place(`/${escapePointer(name)} is required`)});`,
      );
    }
    for (const name of properties) {
      const member = `${record}[${stringLiteral(name)}]`;
      const inner = this.statements(child("properties", name), member, `${where}/${templateChunk(escapePointer(name))}`, depth + 1, seen);
      if (inner.length > 0) objectChecks.push(`if (${member} !== undefined) {`, ...inner, "}");
    }
    if (isObject(s["additionalProperties"])) {
      const key = `key${++this.counter}`;
      const inner = this.statements(child("additionalProperties"), `${record}[${key}]`, `${where}/\${${key}}`, depth + 1, seen);
      if (inner.length > 0) {
        const skip = properties.length > 0 ? `if (${literal(properties)}.includes(${key})) continue;` : "";
        objectChecks.push(`for (const ${key} of Object.keys(${record})) {`, ...(skip ? [skip] : []), ...inner, "}");
      }
    }
    if (s["additionalProperties"] === false) {
      const key = `key${++this.counter}`;
      objectChecks.push(
        `for (const ${key} of Object.keys(${record})) if (!${literal(properties)}.includes(${key})) ${this.sink}.push(\`${where}/\${${key}} is not allowed (additionalProperties is false)\`);`,
      );
    }
    if (objectChecks.length > 0) out.push(`if (isObject(${value})) {`, `const ${record} = ${value};`, ...objectChecks, "}");

    for (const key of ["allOf", "anyOf", "oneOf"] as const) {
      const members = s[key];
      if (!Array.isArray(members)) continue;
      if (key === "allOf") {
        members.forEach((_, i) => out.push(...this.statements(child(key, i), value, where, depth + 1, seen)));
        continue;
      }
      // Each branch collects its own problems; the value must satisfy one (anyOf) or exactly one (oneOf).
      const saved = this.sink;
      const truncationsBefore = this.truncations;
      const branches = members.map((_, i) => {
        this.sink = `branch${++this.counter}`;
        return { name: this.sink, statements: this.statements(child(key, i), value, where, depth + 1, seen) };
      });
      this.sink = saved;
      const matches = `matches${++this.counter}`;
      // A branch left unchecked accepts every value, so "exactly one" could reject a valid one: where a
      // branch was cut short, oneOf is checked as "at least one" (weaker, never wrong).
      const exactlyOne = key === "oneOf" && this.truncations === truncationsBefore;
      const failing = exactlyOne ? `${matches} !== 1` : `${matches} === 0`;
      const words = exactlyOne ? `exactly one of its ${members.length} schemas` : `at least one of its ${members.length} schemas`;
      out.push(
        "{",
        ...branches.flatMap((b) => [`const ${b.name}: string[] = [];`, ...b.statements]),
        `const ${matches} = [${branches.map((b) => b.name).join(", ")}].filter((problems) => problems.length === 0).length;`,
        `if (${failing}) ${this.sink}.push(${place(` must match ${words}`)} + \` (it matches \${${matches}})\`);`,
        "}",
      );
    }

    if (Array.isArray(s["prefixItems"])) {
      s["prefixItems"].forEach((_, i) => {
        const inner = this.statements(child("prefixItems", i), `${value}[${i}]`, `${where}/${i}`, depth + 1, seen);
        if (inner.length > 0) out.push(`if (Array.isArray(${value}) && ${value}.length > ${i}) {`, ...inner, "}");
      });
    }
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
