// Selector Objects and Expression Type Objects (compiler/expressions/selector.ts): a Selector Object told apart
// from an object literal by its exact shape, Expression Types with their versions made explicit, and the part
// of draft-goessner JSONPath compiled as RFC 9535.
import { describe, expect, it } from "vitest";
import { parseJsonPath } from "../compiler/expressions/jsonpath/index.js";
import { classifySelectorObject, goessnerExcess, readExpressionType } from "../compiler/expressions/selector.js";

describe("classifySelectorObject", () => {
  it("reads a Selector Object, the default version made explicit", () => {
    expect(classifySelectorObject({ context: "$response.body", selector: "$.a", type: "jsonpath" })).toEqual({
      kind: "selector",
      selector: { context: "$response.body", selector: "$.a", type: { kind: "jsonpath", version: "rfc9535" } },
    });
    expect(
      classifySelectorObject({ context: "$inputs.x", selector: "/a", type: { type: "jsonpointer", version: "rfc6901" }, "x-note": 1 }),
    ).toMatchObject({ kind: "selector", selector: { type: { kind: "jsonpointer", version: "rfc6901" } } });
  });

  it("takes objects without a selector member, or with it alone, as literals", () => {
    expect(classifySelectorObject({ context: "$inputs.x", type: "jsonpath" })).toEqual({ kind: "literal" });
    expect(classifySelectorObject({ selector: "x" })).toEqual({ kind: "literal" });
    expect(classifySelectorObject(["selector"])).toEqual({ kind: "literal" });
    expect(classifySelectorObject("$.a")).toEqual({ kind: "literal" });
  });

  it("reports what a near miss gets wrong", () => {
    const malformed = (raw: unknown) => classifySelectorObject(raw);
    expect(malformed({ expression: "$response.body", selector: "$.a", type: "jsonpath" })).toMatchObject({
      kind: "malformed",
      field: "expression",
    });
    expect(malformed({ context: "$response.body", selector: "$.a", type: "jsonpath", extra: 1 })).toMatchObject({ field: "extra" });
    expect(malformed({ context: "$response.body", selector: "$.a" })).toMatchObject({ reason: "missing field 'type'" });
    expect(malformed({ context: "body", selector: "$.a", type: "jsonpath" })).toMatchObject({ field: "context" });
    expect(malformed({ context: "$response.body", selector: 1, type: "jsonpath" })).toMatchObject({ field: "selector" });
    expect(malformed({ context: "$response.body", selector: "$.a", type: "jmespath" })).toMatchObject({ field: "type" });
  });
});

describe("readExpressionType", () => {
  it("checks the version against the kind, and requires one in the object form", () => {
    expect(readExpressionType({ type: "xpath", version: "xpath-31" })).toEqual({ ok: true, type: { kind: "xpath", version: "xpath-31" } });
    expect(readExpressionType({ type: "xpath", version: "rfc9535" })).toMatchObject({ ok: false, field: "version" });
    expect(readExpressionType({ type: "jsonpath" })).toMatchObject({ ok: false, field: "version" });
    expect(readExpressionType("xpath")).toEqual({ ok: true, type: { kind: "xpath", version: "xpath-31" } });
  });
});

describe("goessnerExcess", () => {
  const excess = (text: string) => {
    const parsed = parseJsonPath(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return goessnerExcess(parsed.query);
  };
  it("accepts the part both dialects share", () => {
    for (const q of ["$.store.book[*].author", "$..price", "$.a[0:2]", "$.a[?(@.price < 10 && @.tag == 'x')]", "$.a[?@.b.c > 1 || @.d == 2]"])
      expect(excess(q), q).toBeUndefined();
  });
  it("names what lies outside it", () => {
    expect(excess("$.a[?!(@.b == 1)]")).toBe("a negated filter (!)");
    expect(excess("$.a[?@.b]")).toBe("an existence test");
    expect(excess("$.a[?count(@.b) > 1]")).toBe("the function count()");
    expect(excess("$.a[?@.b == @.c]")).toBe("a comparison other than @.path against a literal");
    expect(excess("$.a[?(@.length > 2)]")).toMatch(/^@\.length/);
  });
});
