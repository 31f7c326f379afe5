// The run-time check of a workflow's inputs, generated from its normalized JSON Schema: one line per
// property for the common case (present when required, of its type), plain `typeof` tests and loops for
// the rest; no validator library. Each problem names the JSON pointer of the input it concerns. Members
// are read as own properties, so inputs named `constructor` or `__proto__` are what the caller gave.
import { resolveSchema, type SchemaIr, type SchemaTable } from "../../ir/schema.js";
import { stringLiteral, templateChunk } from "../escape.js";
import { literal } from "./expressions.js";
import type { Uses } from "./uses.js";

const MAX_DEPTH = 6;
/** Schemas visited per workflow at most: a schema that fans out (anyOf of anyOfs) stays a bounded check. */
const MAX_VISITS = 2_000;

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "a boolean",
  null: "null",
  array: "an array",
  object: "an object",
};

/** Keywords that constrain a value beyond its type: a property with none of them is checked in one line. */
const CONSTRAINTS = [
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
  "required",
  "properties",
  "additionalProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "prefixItems",
  "items",
  "$ref",
];

type SchemaObject = { readonly [keyword: string]: unknown };

function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class InputCheckEmitter {
  private counter = 0;
  /** The array the generated statements push problems to (a branch's own array inside oneOf/anyOf). */
  private sink = "problems";
  private visits = 0;

  constructor(
    private readonly table: SchemaTable,
    private readonly uses: Uses,
  ) {}

  private typeTest(type: string, v: string): string {
    switch (type) {
      case "string":
      case "number":
      case "boolean":
        return `typeof ${v} === "${type}"`;
      case "integer":
        return `Number.isInteger(${v})`;
      case "null":
        return `${v} === null`;
      case "array":
        return `Array.isArray(${v})`;
      default:
        return `${this.uses.helper("isObject")}(${v})`;
    }
  }

  /**
   * The body of a function `(inputs: unknown): string[]` checking the inputs; empty when the schema
   * constrains nothing.
   */
  check(schema: SchemaIr): string[] {
    this.counter = 0;
    this.visits = 0;
    this.sink = "problems";
    const s = this.deref(schema, new Set());
    if (s === undefined) return [];
    // The common case: an object of properties. Its members one line each.
    if (s["type"] === "object" && s["nullable"] !== true) {
      const members = this.members(s, "inputs", "", 0, new Set(), true);
      const rest = this.statements({ ...s, type: undefined }, "inputs", "", 0, new Set(), false);
      if (members.length === 0 && rest.length === 0) return ["if (!" + this.typeTest("object", "inputs") + ') return ["inputs must be an object"];', "return [];"];
      return [
        `if (!${this.typeTest("object", "inputs")}) return ["inputs must be an object"];`,
        "const problems: string[] = [];",
        ...members,
        ...rest,
        "return problems;",
      ];
    }
    const statements = this.statements(s, "inputs", "", 0, new Set());
    if (statements.length === 0) return [];
    return ["const problems: string[] = [];", ...statements, "return problems;"];
  }

  /** The schema behind `{ $ref: name }` references; undefined for a reference cycle or an unknown name. */
  private deref(schema: SchemaIr, seen: Set<string>): SchemaObject | undefined {
    const names: string[] = [];
    const resolved = resolveSchema(schema, this.table, names);
    // A recursive schema is checked to the depth already reached.
    if (names.some((name) => seen.has(name))) return undefined;
    for (const name of names) seen.add(name);
    return isSchemaObject(resolved) ? resolved : undefined;
  }

  private types(s: SchemaObject): string[] {
    const types = (Array.isArray(s["type"]) ? s["type"] : typeof s["type"] === "string" ? [s["type"]] : []).filter(
      (t): t is string => typeof t === "string" && t in TYPE_NAMES,
    );
    if (s["nullable"] === true && types.length > 0) types.push("null");
    return types;
  }

  /** Numeric, length and pattern keywords, each tested only on values of the type it applies to. */
  private bounds(s: SchemaObject, value: string, place: (text: string) => string): string[] {
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
        out.push(`if (typeof ${value} === "number" && ${value} ${failing} ${bound}) ${this.sink}.push(${place(` must be ${words} ${bound}`)});`);
    }
    for (const [key, failing, words] of [
      ["minLength", "<", "at least"],
      ["maxLength", ">", "at most"],
    ] as const) {
      const bound = num(key);
      // Length in code points, as JSON Schema counts it.
      if (bound !== undefined)
        out.push(
          `if (typeof ${value} === "string" && [...${value}].length ${failing} ${bound}) ${this.sink}.push(${place(` must have ${words} ${bound} character${bound === 1 ? "" : "s"}`)});`,
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
   * Required and property checks of an object `record` (a TS expression of type Record<string, unknown>).
   * With `oneLine`, a property constrained only by its type is one checkMember line.
   */
  private members(s: SchemaObject, record: string, where: string, depth: number, seen: ReadonlySet<string>, oneLine: boolean): string[] {
    const out: string[] = [];
    const required = new Set(Array.isArray(s["required"]) ? s["required"].filter((r): r is string => typeof r === "string") : []);
    const properties = isSchemaObject(s["properties"]) ? (s["properties"] as Record<string, SchemaIr>) : {};
    const names = Object.keys(properties);
    const member = (name: string) => `${this.uses.helper("valueAt")}(${record}, [${stringLiteral(name)}])`;
    const pointer = (name: string) => `${where}/${templateChunk(escapePointer(name))}`;
    if (oneLine && this.sink === "problems" && where === "") {
      for (const name of names) {
        const property = this.deref(properties[name]!, new Set(seen)) ?? {};
        const types = this.types(property);
        out.push(
          `${this.uses.helper("checkMember")}(problems, ${record}, ${stringLiteral(name)}, ${stringLiteral(types.join(" "))}, ${required.has(name)});`,
        );
        if (CONSTRAINTS.some((k) => k in property)) {
          const value = `value${++this.counter}`;
          const inner = this.statements({ ...property, type: undefined, nullable: undefined }, value, pointer(name), depth + 1, seen);
          if (inner.length > 0) out.push("{", `const ${value} = ${member(name)};`, `if (${value} !== undefined) {`, ...inner, "}", "}");
        }
      }
      for (const name of [...required].filter((r) => !(r in properties)))
        out.push(`if (${member(name)} === undefined) ${this.sink}.push(\`${pointer(name)} is required\`);`);
      return out;
    }
    for (const name of required) out.push(`if (${member(name)} === undefined) ${this.sink}.push(\`${pointer(name)} is required\`);`);
    for (const name of names) {
      const value = `value${++this.counter}`;
      const inner = this.statements(properties[name]!, value, pointer(name), depth + 1, seen);
      if (inner.length > 0) out.push("{", `const ${value} = ${member(name)};`, `if (${value} !== undefined) {`, ...inner, "}", "}");
    }
    return out;
  }

  /**
   * Statements that push problems for `value` (a TS expression) described by `schema`. `where` is the
   * JSON pointer of the value as template-literal text (already escaped; may interpolate loop indices).
   */
  private statements(schema: SchemaIr, value: string, where: string, depth: number, seen: ReadonlySet<string>, members = true): string[] {
    if (depth > MAX_DEPTH || ++this.visits > MAX_VISITS) return [];
    const inner = new Set(seen);
    const s = this.deref(schema, inner);
    if (s === undefined) return [];
    const out: string[] = [];
    // A problem of the whole inputs object reads "inputs must be ...", others "/token must be ...".
    const place = (text: string) => "`" + (where === "" && text.startsWith(" ") ? "inputs" : where) + templateChunk(text) + "`";

    const types = this.types(s);
    if (types.length > 0) {
      const test = types.map((t) => this.typeTest(t, value)).join(" || ");
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
    const properties = isSchemaObject(s["properties"]) ? Object.keys(s["properties"]) : [];
    const record = members ? `record${++this.counter}` : value;
    if (members) objectChecks.push(...this.members(s, record, where, depth, inner, false));
    if (isSchemaObject(s["additionalProperties"]) || typeof s["additionalProperties"] === "boolean") {
      const key = `key${++this.counter}`;
      const additional = s["additionalProperties"] as SchemaIr;
      if (additional === false) {
        objectChecks.push(
          `for (const ${key} of Object.keys(${record})) if (!${literal(properties)}.includes(${key})) ${this.sink}.push(\`${where}/\${${key}} is not allowed (additionalProperties is false)\`);`,
        );
      } else if (additional !== true) {
        const checks = this.statements(additional, `${record}[${key}]`, `${where}/\${${key}}`, depth + 1, inner);
        if (checks.length > 0) {
          const skip = properties.length > 0 ? `if (${literal(properties)}.includes(${key})) continue;` : "";
          objectChecks.push(`for (const ${key} of Object.keys(${record})) {`, ...(skip ? [skip] : []), ...checks, "}");
        }
      }
    }
    // Without members this is the inputs object, known to be one here (the check returned early otherwise).
    if (objectChecks.length > 0 && !members) out.push(...objectChecks);
    else if (objectChecks.length > 0) out.push(`if (${this.typeTest("object", value)}) {`, `const ${record} = ${value};`, ...objectChecks, "}");

    for (const key of ["allOf", "anyOf", "oneOf"] as const) {
      const members = s[key];
      if (!Array.isArray(members)) continue;
      if (key === "allOf") {
        for (const m of members as SchemaIr[]) out.push(...this.statements(m, value, where, depth + 1, inner));
        continue;
      }
      // Each branch collects its own problems; the value must satisfy one (anyOf) or exactly one (oneOf).
      const saved = this.sink;
      const branches = (members as SchemaIr[]).map((m) => {
        this.sink = `branch${++this.counter}`;
        return { name: this.sink, statements: this.statements(m, value, where, depth + 1, inner) };
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
      (s["prefixItems"] as SchemaIr[]).forEach((item, i) => {
        const checks = this.statements(item, `${value}[${i}]`, `${where}/${i}`, depth + 1, inner);
        if (checks.length > 0) out.push(`if (Array.isArray(${value}) && ${value}.length > ${i}) {`, ...checks, "}");
      });
    }
    if (isSchemaObject(s["items"])) {
      const index = `i${++this.counter}`;
      const checks = this.statements(s["items"] as SchemaIr, `${value}[${index}]`, `${where}/\${${index}}`, depth + 1, inner);
      if (checks.length > 0)
        out.push(`if (Array.isArray(${value})) {`, `for (let ${index} = 0; ${index} < ${value}.length; ${index}++) {`, ...checks, "}", "}");
    }
    return out;
  }
}

/** A JSON pointer token escaped for a template literal's text. */
function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}
