// Parser details the compliance suite covers only partly: whitespace rules, string escapes, error offsets,
// well-typedness and the singular-query helpers.

import { describe, expect, it } from "vitest";
import { isSingularQuery, parseJsonPath, singularQuerySteps, type JsonPathQuery } from "../compiler/expressions/jsonpath/index.js";

function parse(text: string): JsonPathQuery {
  const result = parseJsonPath(text);
  if (!result.ok) throw new Error(`${text}: ${result.message} at ${result.offset}`);
  return result.query;
}

function error(text: string): { message: string; offset: number } {
  const result = parseJsonPath(text);
  if (result.ok) throw new Error(`${text} was accepted`);
  return { message: result.message, offset: result.offset };
}

/** The single name selected by a one-segment query like `$["..."]`. */
function nameOf(text: string): string {
  const selector = parse(text).segments[0]?.selectors[0];
  if (selector?.kind !== "NameSelector") throw new Error(`${text} has no name selector`);
  return selector.name;
}

describe("whitespace", () => {
  it("rejects leading and trailing blanks with their offsets", () => {
    expect(error(" $").offset).toBe(0);
    expect(error("$.a ").offset).toBe(3);
    expect(error("$.a\n").offset).toBe(3);
    expect(error("").offset).toBe(0);
  });

  it("accepts blanks (space, tab, LF, CR) where the grammar has S", () => {
    for (const query of [
      "$ .a",
      "$\t[0]",
      "$[ 0 , 1 ]",
      "$[\n?@.a\r]",
      "$[?@.a == 1 && @.b != 2]",
      "$[? ! ( @.a ) ]",
      "$[?count( @.* ) == 1]",
      "$[?@ .a .b == 1]",
      "$[1 : 2 : 3]",
    ]) {
      expect(parseJsonPath(query).ok, query).toBe(true);
    }
  });

  it("rejects blanks after . and .., and between a function name and (", () => {
    expect(error("$. a")).toMatchObject({ offset: 2 });
    expect(error("$.. a")).toMatchObject({ offset: 3 });
    expect(error("$..\t[0]")).toMatchObject({ offset: 3 });
    expect(error("$[?count (@.*) == 1]").message).toMatch(/Whitespace is not allowed between function name count/);
  });

  it("rejects blanks that are not B (form feed, vertical tab)", () => {
    expect(error("$[\f0]").offset).toBe(2);
    expect(error("$[0\u000b]").offset).toBe(3);
  });

  it("requires a singular query without blanks inside its brackets where a value is expected", () => {
    expect(parseJsonPath("$[?@ [0] == 1]").ok).toBe(true);
    expect(error("$[?@[ 0 ] == 1]").message).toMatch(/no blanks inside/);
    expect(error("$[?length(@[ 'a' ]) == 1]").message).toMatch(/no blanks inside/);
    // As an existence test any query is fine.
    expect(parseJsonPath("$[?@[ 0 ]]").ok).toBe(true);
  });
});

describe("string literals", () => {
  it("decodes the escapes of both quote styles", () => {
    expect(nameOf(String.raw`$["a\"b"]`)).toBe('a"b');
    expect(nameOf(String.raw`$['a\'b']`)).toBe("a'b");
    expect(nameOf(`$["it's"]`)).toBe("it's");
    expect(nameOf(`$['say "hi"']`)).toBe('say "hi"');
    expect(nameOf(String.raw`$["\b\f\n\r\t\/\\"]`)).toBe("\b\f\n\r\t/\\");
    expect(nameOf(String.raw`$["\u263A\u263a"]`)).toBe("\u263a\u263a");
  });

  it("decodes escaped surrogate pairs and accepts raw non-BMP characters", () => {
    expect(nameOf(String.raw`$["\uD83D\uDE00"]`)).toBe("😀");
    expect(nameOf(String.raw`$['\ud834\udd1e']`)).toBe("𝄞");
    expect(nameOf(`$["😀"]`)).toBe("😀");
    expect(nameOf("$.😀")).toBe("😀");
  });

  it("rejects lone or misordered surrogates, escaped or raw", () => {
    expect(error(String.raw`$["\uD800"]`).offset).toBe(3);
    expect(error(String.raw`$["\uDC00"]`).offset).toBe(3);
    expect(error(String.raw`$["\uD800\u0041"]`).offset).toBe(9);
    expect(error('$["\ud800"]').offset).toBe(3);
    expect(error("$.\ud800").offset).toBe(2);
  });

  it("rejects escapes of the other quote, unknown escapes and raw control characters", () => {
    expect(error(String.raw`$["\'"]`)).toMatchObject({ offset: 3 });
    expect(error(String.raw`$['\"']`)).toMatchObject({ offset: 3 });
    expect(error(String.raw`$["\x41"]`).message).toMatch(/Invalid escape/);
    expect(error(String.raw`$["\U0041"]`).message).toMatch(/Invalid escape/);
    expect(error('$["a\tb"]').offset).toBe(4);
    expect(error('$["abc').message).toMatch(/Unterminated/);
  });
});

describe("numbers", () => {
  it("checks the I-JSON integer range of indexes and slices", () => {
    expect(parseJsonPath("$[9007199254740991]").ok).toBe(true);
    expect(parseJsonPath("$[-9007199254740991:9007199254740991:-9007199254740991]").ok).toBe(true);
    expect(error("$[9007199254740992]").message).toMatch(/range/);
    expect(error("$[::-9007199254740992]").offset).toBe(4);
    expect(error("$[-0]").message).toMatch(/Invalid integer/);
    expect(error("$[01]").message).toMatch(/Invalid integer/);
  });

  it("parses number literals including -0, fractions and exponents", () => {
    const literal = (text: string): unknown => {
      const selector = parse(`$[?@ == ${text}]`).segments[0]?.selectors[0];
      return selector?.kind === "FilterSelector" &&
        selector.expression.kind === "Comparison" &&
        selector.expression.right.kind === "Literal"
        ? selector.expression.right.value
        : undefined;
    };
    expect(Object.is(literal("-0"), -0)).toBe(true);
    expect(literal("1.5e3")).toBe(1500);
    expect(literal("1E-2")).toBe(0.01);
    expect(literal("-0.25")).toBe(-0.25);
    expect(error("$[?@ == 1.]").offset).toBe(9);
    expect(error("$[?@ == 00]").offset).toBe(8);
  });
});

describe("syntax tree", () => {
  it("builds segments and selectors", () => {
    expect(parse("$.a[0, 'b']..c[1:-1:2][*]")).toEqual({
      kind: "Query",
      absolute: true,
      segments: [
        { kind: "Segment", descendant: false, selectors: [{ kind: "NameSelector", name: "a" }] },
        {
          kind: "Segment",
          descendant: false,
          selectors: [
            { kind: "IndexSelector", index: 0 },
            { kind: "NameSelector", name: "b" },
          ],
        },
        { kind: "Segment", descendant: true, selectors: [{ kind: "NameSelector", name: "c" }] },
        { kind: "Segment", descendant: false, selectors: [{ kind: "SliceSelector", start: 1, end: -1, step: 2 }] },
        { kind: "Segment", descendant: false, selectors: [{ kind: "WildcardSelector" }] },
      ],
    });
  });

  it("builds filter expressions with precedence || < && < !", () => {
    const selector = parse("$[?@.a || !@.b && length(@.c) >= 2]").segments[0]?.selectors[0];
    expect(selector).toMatchObject({
      kind: "FilterSelector",
      expression: {
        kind: "Or",
        operands: [
          { kind: "Test", operand: { kind: "Query", absolute: false } },
          {
            kind: "And",
            operands: [
              { kind: "Not", operand: { kind: "Test" } },
              {
                kind: "Comparison",
                operator: ">=",
                left: { kind: "FunctionCall", name: "length", resultType: "ValueType" },
                right: { kind: "Literal", value: 2 },
              },
            ],
          },
        ],
      },
    });
  });
});

describe("well-typedness (RFC 9535 §2.4.3)", () => {
  it.each([
    "$[?length(@.a) == 1]",
    "$[?count(@..*) > 1]",
    "$[?value(@..a) == 'x']",
    "$[?match(@.a, 'x')]",
    "$[?!search(@.a, $.pattern)]",
    "$[?length(value(@.*)) == 1]",
    "$[?@.a == $.b]",
    "$[?!(@.a == 1)]",
    "$[?(@.a)]",
  ])("accepts %s", (query) => {
    expect(parseJsonPath(query).ok).toBe(true);
  });

  it.each([
    ["$[?length(@.a)]", /returns a value/],
    ["$[?match(@.a, 'x') == true]", /logical result/],
    ["$[?count(@.a == 1) == 1]", /must be a query/],
    ["$[?count('a') == 1]", /must be a query/],
    ["$[?length(@.* ) == 1]", /singular query/],
    ["$[?@.* == 1]", /singular query/],
    ["$[?@..a == 1]", /singular query/],
    ["$[?length(@.a, @.b) == 1]", /takes 1 argument but got 2/],
    ["$[?value() == 1]", /takes 1 argument but got 0/],
    ["$[?true]", /literal is not a filter expression/],
    ["$[?!@.a == 1]", /parentheses/],
    ["$[?foo(@)]", /Unknown function foo/],
    ["$[?@.a == 1 == 2]", /Expected , or \]/],
  ])("rejects %s", (query, message) => {
    expect(error(query).message).toMatch(message);
  });
});

describe("singular queries", () => {
  it("lists the name/index steps of a singular query", () => {
    expect(singularQuerySteps(parse("$.a['b'][0][-1]"))).toEqual([
      { kind: "name", name: "a" },
      { kind: "name", name: "b" },
      { kind: "index", index: 0 },
      { kind: "index", index: -1 },
    ]);
    expect(singularQuerySteps(parse("$"))).toEqual([]);
    expect(isSingularQuery(parse("$.a.b"))).toBe(true);
  });

  it("is undefined for anything that may select several nodes", () => {
    for (const query of ["$.*", "$..a", "$[0,1]", "$[0:1]", "$[?@.a]", "$.a[*]"]) {
      expect(singularQuerySteps(parse(query)), query).toBeUndefined();
      expect(isSingularQuery(parse(query)), query).toBe(false);
    }
  });
});

describe("embedded values ({$...}, with the embedded option)", () => {
  it("each {$...} or '{$...}' is an Embedded node; its text and offsets are listed", () => {
    const text = "$[?@.a == {$inputs.x} && @.b != '{$inputs.y}']";
    const result = parseJsonPath(text, { embedded: true });
    if (!result.ok) throw new Error(result.message);
    expect(result.embedded).toEqual([
      { text: "$inputs.x", start: 11, end: 20 },
      { text: "$inputs.y", start: 34, end: 43 },
    ]);
    for (const e of result.embedded) expect(text.slice(e.start, e.end)).toBe(e.text);
    const filter = result.query.segments[0]!.selectors[0]!;
    expect(filter.kind === "FilterSelector" && filter.expression).toMatchObject({
      kind: "And",
      operands: [{ right: { kind: "Embedded", index: 0 } }, { right: { kind: "Embedded", index: 1 } }],
    });
  });

  it("a string literal that only looks like a placeholder stays a string literal", () => {
    const result = parseJsonPath(`$[?@.a == "\\u0000 0" || @.b == {$inputs.x}]`, { embedded: true });
    expect(result.ok && result.embedded.map((e) => e.text)).toEqual(["$inputs.x"]);
  });

  it("are syntax errors without the option, and where no value may stand", () => {
    expect(parseJsonPath("$[?@.a == {$inputs.x}]").ok).toBe(false);
    expect(parseJsonPath("$[{$inputs.x}]", { embedded: true })).toMatchObject({ ok: false, offset: 2 });
    expect(parseJsonPath("$[?{$inputs.x}]", { embedded: true })).toMatchObject({ ok: false });
    expect(parseJsonPath("$[?@.a == {$inputs.x]", { embedded: true })).toMatchObject({ ok: false, offset: 10 });
  });
});
