// The run-time check of a workflow's inputs, generated from its JSON Schema: plain `typeof` tests and
// loops, no validator library. Each problem names the JSON pointer of the input it concerns.
import { resolveSchema, type SchemaIr, type SchemaTable } from "../ir/schema.js";
import { literal } from "./expressions.js";
import { stringLiteral, templateChunk } from "./escape.js";

const MAX_DEPTH = 6;
/** Schemas visited per workflow at most: a schema that fans out (anyOf of anyOfs) stays a bounded check. */
const MAX_VISITS = 2_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

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
  /** `table`: the named schemas the checked schemas refer to (ModuleIr.schemas). */
  constructor(private readonly table: SchemaTable) {}

  /** The statements checking a workflow's `inputs`; names are numbered afresh for each workflow. */
  check(schema: SchemaIr): string[] {
    this.counter = 0;
    this.visits = 0;
    this.sink = "problems";
    return this.statements(schema, "inputs", "");
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
  statements(schema: SchemaIr, value: string, where: string, depth = 0, seen: readonly string[] = []): string[] {
    if (depth > MAX_DEPTH || ++this.visits > MAX_VISITS) return [];
    const names: string[] = [];
    const s = resolveSchema(schema, this.table, names);
    // A recursive schema is checked to the depth already reached.
    if (!isRecord(s) || names.some((name) => seen.includes(name))) return [];
    seen = names.length > 0 ? [...seen, ...names] : seen;
    const out: string[] = [];
    // A problem of the whole inputs object reads "inputs must be ...", others "/token must be ...".
    const place = (text: string) => "`" + (where === "" && text.startsWith(" ") ? "inputs" : where) + templateChunk(text) + "`";
    const child = (keyword: string, key: string | number): SchemaIr => {
      const holder = s[keyword];
      const sub = isRecord(holder) || Array.isArray(holder) ? (holder as Record<string, unknown>)[key] : undefined;
      return typeof sub === "boolean" || isRecord(sub) ? (sub as SchemaIr) : {};
    };

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
    const properties = isRecord(s["properties"]) ? Object.keys(s["properties"]) : [];
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
    if (isRecord(s["additionalProperties"])) {
      const key = `key${++this.counter}`;
      const inner = this.statements(s["additionalProperties"] as SchemaIr, `${record}[${key}]`, `${where}/\${${key}}`, depth + 1, seen);
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
      const branches = members.map((_, i) => {
        this.sink = `branch${++this.counter}`;
        return { name: this.sink, statements: this.statements(child(key, i), value, where, depth + 1, seen) };
      });
      this.sink = saved;
      const matches = `matches${++this.counter}`;
      const failing = key === "oneOf" ? `${matches} !== 1` : `${matches} === 0`;
      const words = key === "oneOf" ? `exactly one of its ${members.length} schemas` : `at least one of its ${members.length} schemas`;
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
    if (isRecord(s["items"])) {
      const index = `i${++this.counter}`;
      const inner = this.statements(s["items"] as SchemaIr, `${value}[${index}]`, `${where}/\${${index}}`, depth + 1, seen);
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
