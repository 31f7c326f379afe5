// The readable-text printers behind `arazzoc graph` and `arazzoc docs`: JSONPath queries from their AST,
// criteria and values as a document writes them, and types as TypeScript-like text.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseJsonPath, type JsonPathQuery } from "../compiler/expressions/jsonpath/index.js";
import { printCond, printCriteria, printRef, printValue } from "../compiler/emit/text/criteria.js";
import { printJsonPath, quoteString } from "../compiler/emit/text/jsonpath.js";
import { printType } from "../compiler/emit/text/types.js";
import type { Cond } from "../compiler/ir/expressions.js";

function parse(text: string): JsonPathQuery {
  const result = parseJsonPath(text);
  if (!result.ok) throw new Error(`${text}: ${result.message}`);
  return result.query;
}

describe("printJsonPath", () => {
  it("prints every valid query of the compliance suite back to text that parses to the same AST", () => {
    const cts = JSON.parse(readFileSync("fixtures/jsonpath-cts/cts.json", "utf8")) as {
      tests: { name: string; selector: string; invalid_selector?: boolean }[];
    };
    let checked = 0;
    for (const test of cts.tests) {
      if (test.invalid_selector) continue;
      const query = parse(test.selector);
      const printed = printJsonPath(query);
      const again = parseJsonPath(printed);
      expect(again.ok, `${test.name}: ${test.selector} printed as ${printed}`).toBe(true);
      if (again.ok) expect(again.query, `${test.name}: ${test.selector} printed as ${printed}`).toEqual(query);
      checked++;
    }
    expect(checked).toBeGreaterThan(400);
  });

  it("uses the normalized spelling: shorthand where valid, brackets and single quotes elsewhere", () => {
    expect(printJsonPath(parse('$["a"]["b c"][0][*]..x..[1]'))).toBe("$.a['b c'][0].*..x..[1]");
    expect(printJsonPath(parse("$[?@.a==1&&(@.b||!@.c)]"))).toBe("$[?@.a == 1 && (@.b || !@.c)]");
    expect(printJsonPath(parse("$[?!(@.a=='x')]"))).toBe("$[?!(@.a == 'x')]");
    expect(printJsonPath(parse("$[1:2, ::-1, :3]"))).toBe("$[1:2, ::-1, :3]");
    expect(printJsonPath(parse("$[?length(@.tags) > 2 && match(@.id, 'a.*')]"))).toBe("$[?length(@.tags) > 2 && match(@.id, 'a.*')]");
  });

  it("escapes string literals as RFC 9535 does", () => {
    expect(quoteString("it's\\ok\n\u0001")).toBe("'it\\'s\\\\ok\\n\\u0001'");
    expect(printJsonPath(parse(`$["it's"]`))).toBe("$['it\\'s']");
  });
});

describe("printCond", () => {
  const status: Cond = { kind: "compare", operator: "==", left: { kind: "ref", ref: { kind: "statusCode" } }, right: { kind: "literal", value: 200 } };
  const done: Cond = {
    kind: "compare",
    operator: "!=",
    left: { kind: "ref", ref: { kind: "responseBody", path: ["status", "a/b~c"] } },
    right: { kind: "literal", value: "it's done" },
  };

  it("prints simple conditions as the document writes them", () => {
    expect(printCond(status)).toBe("$statusCode == 200");
    expect(printCond(done)).toBe("$response.body#/status/a~1b~0c != 'it\\'s done'");
    expect(printCond({ kind: "truthy", operand: { kind: "ref", ref: { kind: "input", name: "verbose", path: [] } } })).toBe("$inputs.verbose");
  });

  it("parenthesizes only where precedence needs it", () => {
    const or: Cond = { kind: "or", left: status, right: done };
    expect(printCond({ kind: "and", left: or, right: { kind: "not", operand: status } })).toBe(
      "($statusCode == 200 || $response.body#/status/a~1b~0c != 'it\\'s done') && !($statusCode == 200)",
    );
    expect(printCond({ kind: "or", left: { kind: "and", left: status, right: status }, right: status })).toBe(
      "$statusCode == 200 && $statusCode == 200 || $statusCode == 200",
    );
    expect(printCriteria([or, status])).toBe(
      "($statusCode == 200 || $response.body#/status/a~1b~0c != 'it\\'s done') && $statusCode == 200",
    );
  });

  it("prints JSONPath criteria as their query, with embedded values and a context other than the body", () => {
    const parsed = parseJsonPath("$[?@.owner == {$inputs.user} && @.done == false]", { embedded: true });
    if (!parsed.ok) throw new Error(parsed.message);
    const query = parsed.query;
    expect(
      printCond({ kind: "jsonpath", context: { kind: "responseBody", path: [] }, query, embedded: [{ kind: "input", name: "user", path: [] }] }),
    ).toBe("$[?@.owner == {$inputs.user} && @.done == false]");
    expect(printCond({ kind: "jsonpath", context: { kind: "stepOutput", stepId: "list", name: "items", path: [] }, query: parse("$[0]") })).toBe(
      "$[0] on $steps.list.outputs.items",
    );
    expect(
      printCond({ kind: "nodeCompare", context: { kind: "responseBody", path: [] }, path: ["type", 0, "a b"], operator: "==", literal: "CompletedJob" }),
    ).toBe("$.type[0]['a b'] == 'CompletedJob'");
  });

  it("prints regular expressions with their context", () => {
    expect(printCond({ kind: "regex", context: { kind: "responseHeader", name: "Content-Type" }, pattern: "^application/json" })).toBe(
      "$response.header.Content-Type matches /^application\\/json/",
    );
    expect(printCond({ kind: "regex", context: { kind: "url" }, pattern: ["^https://", { kind: "input", name: "host", path: [] }] })).toBe(
      "$url matches /^https:\\/\\/{$inputs.host}/",
    );
  });

  it("prints every kind of runtime expression", () => {
    expect(printRef({ kind: "callOutput", name: "token", path: ["a"] })).toBe("$outputs.token#/a");
    expect(printRef({ kind: "workflowOutput", workflowId: "login", name: "token", path: [] })).toBe("$workflows.login.outputs.token");
    expect(printRef({ kind: "method" })).toBe("$method");
  });
});

describe("printValue", () => {
  it("prints literals as JSON, templates with embedded expressions, objects and arrays", () => {
    expect(printValue({ kind: "literal", value: { a: [1, "x"] } })).toBe('{"a":[1,"x"]}');
    expect(printValue({ kind: "template", parts: ["Bearer ", { kind: "input", name: "token", path: [] }] })).toBe("Bearer {$inputs.token}");
    expect(
      printValue({
        kind: "object",
        entries: [
          ["reason", { kind: "ref", ref: { kind: "input", name: "why", path: [] } }],
          ["tags", { kind: "array", items: [{ kind: "literal", value: "a" }] }],
        ],
      }),
    ).toBe('{ "reason": $inputs.why, "tags": ["a"] }');
  });
});

describe("printType", () => {
  it("prints TypeScript-like text with parentheses where precedence needs them", () => {
    expect(
      printType({
        kind: "object",
        properties: [
          { name: "id", type: { kind: "string" }, optional: false },
          { name: "content-type", type: { kind: "union", members: [{ kind: "literal", value: "a" }, { kind: "null" }] }, optional: true },
          { name: "tags", type: { kind: "array", items: { kind: "union", members: [{ kind: "string" }, { kind: "number" }] } }, optional: true },
        ],
        additional: { kind: "unknown" },
      }),
    ).toBe('{ id: string; "content-type"?: "a" | null; tags?: (string | number)[]; [key: string]: unknown }');
    expect(printType({ kind: "tuple", items: [{ kind: "boolean" }, { kind: "literal", value: 3 }] })).toBe("[boolean, 3]");
    expect(
      printType({
        kind: "intersection",
        members: [{ kind: "union", members: [{ kind: "string" }, { kind: "undefined" }] }, { kind: "object", properties: [] }],
      }),
    ).toBe("(string | undefined) & {}");
  });
});
