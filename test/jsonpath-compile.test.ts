// The JSONPath compiler: criterion semantics (with the Arazzo compatibility rule), escaping of document text,
// regex handling, embedded values, and the runtime helpers a compiled expression records as used.

import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { compileJsonPathCriterion, compileJsonPathQuery, type JsonPathContext } from "../compiler/emit/ts/jsonpath.js";
import { stringLiteral } from "../compiler/emit/escape.js";
import { JSONPATH_RUNTIME_HELPERS } from "../compiler/emit/ts/uses.js";
import { parseJsonPath, type JsonPathQuery } from "../compiler/expressions/jsonpath/index.js";
import * as runtime from "../runtime/runtime-jsonpath.js";

function parse(text: string): JsonPathQuery {
  const result = parseJsonPath(text);
  if (!result.ok) throw new Error(`${text}: ${result.message} at ${result.offset}`);
  return result.query;
}

/** A compilation context that records the helpers the code uses, under their own names. */
function recording(): JsonPathContext & { used: Set<string> } {
  const used = new Set<string>();
  return {
    used,
    helper: (name) => {
      used.add(name);
      return name;
    },
  };
}

/** Compiles and evaluates over `body`, with the runtime helpers the compiler recorded in scope by bare name. */
function evaluate(compileTo: (context: JsonPathContext) => string, body: unknown): unknown {
  const context = recording();
  const expression = compileTo(context);
  const { outputText } = ts.transpileModule(`export default (body: unknown) => ${expression};`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  });
  const helpers = [...context.used];
  const values = helpers.map((name) => (runtime as Record<string, unknown>)[name]);
  const module = { exports: {} as { default?: (body: unknown) => unknown } };
  new Function("module", "exports", ...helpers, outputText)(module, module.exports, ...values);
  return module.exports.default?.(body);
}

const query = (text: string, body: unknown): unknown => evaluate((c) => compileJsonPathQuery(parse(text), "body", c), body);
const criterion = (text: string, body: unknown): unknown => evaluate((c) => compileJsonPathCriterion(parse(text), "body", c), body);

describe("compileJsonPathCriterion", () => {
  it("is true exactly when the nodelist is non-empty", () => {
    expect(criterion("$.a", { a: null })).toBe(true);
    expect(criterion("$.a", { b: 1 })).toBe(false);
    expect(criterion("$..x[?@ > 2]", { p: [{ x: [1, 3] }] })).toBe(true);
    expect(criterion("$..x[?@ > 5]", { p: [{ x: [1, 3] }] })).toBe(false);
    expect(criterion("$", 0)).toBe(true);
  });

  it("also evaluates a leading filter against [root] when the root is an object (Arazzo's own example)", () => {
    const check = "$[?count(@.pets) > 0]";
    expect(criterion(check, { pets: [{ name: "Rex" }] })).toBe(true);
    // count() counts nodes: @.pets is one node even when it holds an empty array.
    expect(criterion(check, { pets: [] })).toBe(true);
    expect(criterion(check, {})).toBe(false);
    expect(criterion("$[?length(@.pets) > 0]", { pets: [] })).toBe(false);
    expect(criterion("$[?length(@.pets) > 0]", { pets: [1] })).toBe(true);
    // Plain RFC 9535 evaluation still applies: members of the object are filtered, and arrays are not wrapped.
    expect(criterion(check, { shop: { pets: [1] } })).toBe(true);
    expect(criterion(check, [{ pets: [1] }])).toBe(true);
    expect(criterion(check, [[{ pets: [1] }]])).toBe(false);
    expect(criterion("$[?@.status == 'ok']", { status: "ok" })).toBe(true);
    expect(criterion("$[?@.status == 'ok']", "ok")).toBe(false);
  });

  it("keeps plain RFC 9535 semantics when the first segment has no filter", () => {
    expect(criterion("$.pets[?@.name == 'Rex']", { pets: { name: "Rex" } })).toBe(false);
    expect(criterion("$.pets[?@.name == 'Rex']", { pets: [{ name: "Rex" }] })).toBe(true);
    expect(criterion("$..[?@.name == 'Rex']", { name: "Rex" })).toBe(false);
    // The query result itself is unaffected by the rule.
    expect(query("$[?count(@.pets) > 0]", { pets: [1] })).toEqual([]);
  });
});

describe("compileJsonPathQuery", () => {
  it("keeps RFC 9535 order and duplicates", () => {
    expect(query("$[1, 0, 1]", ["a", "b"])).toEqual(["b", "a", "b"]);
    expect(query("$..*", { a: [1, { b: 2 }] })).toEqual([[1, { b: 2 }], 1, { b: 2 }, 2]);
    expect(query("$[::-1]", [1, 2, 3])).toEqual([3, 2, 1]);
    expect(query("$[-1]", [1, 2, 3])).toEqual([3]);
  });

  it("never selects inherited members", () => {
    expect(query("$.constructor", {})).toEqual([]);
    expect(query("$.toString", {})).toEqual([]);
    expect(query("$[?@.length == 2]", ["ab", [1, 2]])).toEqual([]);
    expect(query("$.__proto__", JSON.parse('{"__proto__": 1}'))).toEqual([1]);
  });

  it("compares by RFC 9535 rules: deep equality, Nothing, code point order", () => {
    expect(query("$[?@.a == @.b]", [{ a: [1, { c: 2 }], b: [1, { c: 2 }] }, { a: 1 }, {}])).toHaveLength(2);
    expect(query("$[?@ < '\ud800\udc00']", ["\uffff", "\u{10001}"])).toEqual(["\uffff"]);
    expect(query("$[?@ <= $[0]]", [null, null, 1])).toEqual([null, null]);
    expect(query("$[?length(@) == 2]", ["😀😀", "ab", "😀"])).toEqual(["😀😀", "ab"]);
  });

  it("emits document text only through stringLiteral", () => {
    const name = '*/ "); throw new Error("injected"); ("\u2028\n`${x}`';
    const text = `$[${JSON.stringify(name)}]`;
    const code = compileJsonPathQuery(parse(text), "body", recording());
    expect(code).toContain(stringLiteral(name));
    expect(code).not.toContain("\u2028");
    expect(query(text, { [name]: 42 })).toEqual([42]);
  });

  it("does not put the query text into the code", () => {
    const code = compileJsonPathQuery(parse("$.store..book[?@.price < 10 && match(@.title, 'S.*')].title"), "body", recording());
    expect(code).not.toMatch(/\$\.store|\.\.book|@\.price|\?@/);
    expect(code).toContain("new RegExp(");
  });

  it("works on any root expression, even one the caller does not parenthesize", () => {
    const code = (c: JsonPathContext) => compileJsonPathQuery(parse("$.a"), "body ?? {}", c);
    expect(evaluate(code, { a: 1 })).toEqual([1]);
    expect(evaluate(code, undefined)).toEqual([]);
  });
});

describe("match() and search()", () => {
  it("translates literal I-Regexp patterns at build time", () => {
    expect(query("$[?match(@, 'a.c')]", ["abc", "a\nc", "a\u2028c", "xabc"])).toEqual(["abc", "a\u2028c"]);
    expect(query("$[?search(@, 'b.')]", ["abc", "ab", "xbyz"])).toEqual(["abc", "xbyz"]);
    expect(query("$[?match(@, '\\\\p{Lu}+')]", ["ABC", "AbC", "ÉÀ"])).toEqual(["ABC", "ÉÀ"]);
    expect(query("$[?match(@, '[a-c]|x')]", ["a", "x", "ax", "d"])).toEqual(["a", "x"]);
  });

  it("compiles an invalid pattern to false instead of failing", () => {
    for (const pattern of ["[", "\\\\d", "a{2,1}", "(?:a)", "^*"]) {
      const code = (c: JsonPathContext) => compileJsonPathQuery(parse(`$[?match(@, '${pattern}') || search(@, '${pattern}')]`), "body", c);
      expect(code(recording()), pattern).not.toContain("RegExp");
      expect(evaluate(code, ["a", "[", "aa"]), pattern).toEqual([]);
    }
    expect(query("$[?match(@, 1)]", ["1"])).toEqual([]);
  });

  it("translates patterns read from the document at run time", () => {
    const body = { re: "a.c", values: ["abc", "a\nc", "xabc"] };
    expect(query("$.values[?match(@, $.re)]", body)).toEqual(["abc"]);
    expect(query("$.values[?search(@, $.re)]", body)).toEqual(["abc", "xabc"]);
    expect(query("$.values[?search(@, $.re)]", { ...body, re: "\\d" })).toEqual([]);
    expect(query("$.values[?match(@, $.missing)]", body)).toEqual([]);
  });
});

describe("embedded values", () => {
  /** `$[?@.name == <embedded 0>]`, as the check stage builds a criterion with `{$inputs.name}` in it. */
  const withEmbedded: JsonPathQuery = {
    kind: "Query",
    absolute: true,
    segments: [
      {
        kind: "Segment",
        descendant: false,
        selectors: [
          {
            kind: "FilterSelector",
            expression: {
              kind: "Comparison",
              operator: "==",
              left: { kind: "Query", absolute: false, segments: [{ kind: "Segment", descendant: false, selectors: [{ kind: "NameSelector", name: "name" }] }] },
              right: { kind: "Embedded", index: 0 },
            },
          },
        ],
      },
    ],
  };

  it("are compared as values the caller's code supplies", () => {
    const compile = (value: string) => (c: JsonPathContext) =>
      compileJsonPathCriterion(withEmbedded, "body", { ...c, embedded: () => stringLiteral(value) });
    expect(evaluate(compile("Rex"), [{ name: "Rex" }])).toBe(true);
    expect(evaluate(compile("Tom"), [{ name: "Rex" }])).toBe(false);
  });

  it("a crafted value stays a value: no text of the query is ever replaced", () => {
    const crafted = `"); (globalThis as any).embeddedTripwire = 1; ("`;
    const compile = (c: JsonPathContext) => compileJsonPathCriterion(withEmbedded, "body", { ...c, embedded: () => stringLiteral(crafted) });
    expect(evaluate(compile, [{ name: crafted }])).toBe(true);
    expect((globalThis as Record<string, unknown>)["embeddedTripwire"]).toBeUndefined();
  });
});

describe("recorded helpers", () => {
  it("records exactly the helpers the code calls", () => {
    const context = recording();
    compileJsonPathQuery(parse("$..a[?@.b == 1]"), "body", context);
    expect([...context.used].sort()).toEqual(["jpChildren", "jpDescendants", "jpHas", "jpMember"]);
  });

  it("helper names inside member names are no use", () => {
    const context = recording();
    compileJsonPathQuery(parse("$.jpSlice['jpEquals \"quoted\"']"), "body", context);
    expect([...context.used]).toEqual(["jpHas"]);
  });

  it("calls each helper by the local name the module gave it", () => {
    const code = compileJsonPathQuery(parse("$.a[?@.b == 1]"), "body", { helper: (name) => `${name}_` });
    expect(code).toContain("jpHas_(");
    expect(code).toContain("jpChildren_(");
    expect(code).not.toMatch(/jpHas\(/);
  });

  it("only names helpers the runtime exports", () => {
    for (const name of JSONPATH_RUNTIME_HELPERS) {
      expect(typeof (runtime as Record<string, unknown>)[name], name).toBe("function");
    }
  });
});
