// Runtime expressions, {}-templates, bare expressions in strings, and simple conditions: the parsers of
// compiler/expressions/ on their own, without documents.

import { describe, expect, it } from "vitest";
import { parseCondition, type Condition, type Operand } from "../compiler/expressions/condition.js";
import {
  looksLikeExpression,
  parseNavigation,
  parseRuntimeExpression,
  type RuntimeExpression,
} from "../compiler/expressions/runtime-expression.js";
import { classifyValueString, findBareExpressions, parseTemplate } from "../compiler/expressions/template.js";

function ok(text: string): RuntimeExpression {
  const result = parseRuntimeExpression(text);
  if (!result.ok) throw new Error(`${text}: ${result.reason} at ${result.offset}`);
  return result.value;
}

function fail(text: string): { reason: string; offset: number } {
  const result = parseRuntimeExpression(text);
  if (result.ok) throw new Error(`${text} was accepted as ${JSON.stringify(result.value)}`);
  return { reason: result.reason, offset: result.offset };
}

describe("parseRuntimeExpression: every prefix", () => {
  it("$url, $method and $statusCode", () => {
    expect(ok("$url")).toEqual({ kind: "url" });
    expect(ok("$method")).toEqual({ kind: "method" });
    expect(ok("$statusCode")).toEqual({ kind: "statusCode" });
  });

  it("$request and $response parts", () => {
    expect(ok("$request.header.X-Request-Id")).toEqual({ kind: "request", part: "header", name: "X-Request-Id" });
    expect(ok("$request.query.page")).toEqual({ kind: "request", part: "query", name: "page" });
    expect(ok("$request.path.id")).toEqual({ kind: "request", part: "path", name: "id" });
    expect(ok("$request.body")).toEqual({ kind: "request", part: "body", navigation: "" });
    expect(ok("$response.header.Retry-After")).toEqual({ kind: "response", part: "header", name: "Retry-After" });
    expect(ok("$response.body")).toEqual({ kind: "response", part: "body", navigation: "" });
    expect(ok("$response.body#/id")).toEqual({ kind: "response", part: "body", pointer: ["id"], navigation: "" });
    expect(ok("$response.body#/0/id")).toEqual({ kind: "response", part: "body", pointer: ["0", "id"], navigation: "" });
  });

  it("an empty pointer after # is the whole body", () => {
    expect(ok("$response.body#")).toEqual({ kind: "response", part: "body", pointer: [], navigation: "" });
  });

  it("navigation after body is kept for the check stage", () => {
    expect(ok("$response.body.items[0].id")).toEqual({ kind: "response", part: "body", navigation: ".items[0].id" });
    expect(ok("$request.body[2]")).toEqual({ kind: "request", part: "body", navigation: "[2]" });
  });

  it("header names are RFC 9110 tokens", () => {
    expect(ok("$response.header.x-rate-limit.remaining")).toEqual({ kind: "response", part: "header", name: "x-rate-limit.remaining" });
    expect(ok("$request.header.!#$%&'*+-.^_`|~09azAZ")).toEqual({ kind: "request", part: "header", name: "!#$%&'*+-.^_`|~09azAZ" });
    expect(fail("$request.header.Bad Name")).toEqual({ reason: "'Bad Name' is not a valid header name", offset: 16 });
    expect(fail("$response.header.a:b").reason).toBe("'a:b' is not a valid header name");
    expect(fail("$response.header.a/b").reason).toBe("'a/b' is not a valid header name");
  });

  it("$inputs and $outputs keep the name (dots included) for longest-match resolution", () => {
    expect(ok("$inputs.token")).toEqual({ kind: "inputs", rest: "token" });
    expect(ok("$inputs.a.b.c")).toEqual({ kind: "inputs", rest: "a.b.c" });
    expect(ok("$inputs.customer#/firstName")).toEqual({ kind: "inputs", rest: "customer", pointer: ["firstName"] });
    expect(ok("$outputs.orderId")).toEqual({ kind: "outputs", rest: "orderId" });
    expect(ok("$outputs.order#/id")).toEqual({ kind: "outputs", rest: "order", pointer: ["id"] });
  });

  it("$steps and $workflows: id, field, rest and pointer", () => {
    expect(ok("$steps.runScript.outputs.jobId")).toEqual({ kind: "steps", id: "runScript", field: "outputs", rest: "jobId" });
    expect(ok("$steps.some_step-1.outputs.pets#/0/id")).toEqual({
      kind: "steps",
      id: "some_step-1",
      field: "outputs",
      rest: "pets",
      pointer: ["0", "id"],
    });
    expect(ok("$steps.s.outputs.a.b")).toEqual({ kind: "steps", id: "s", field: "outputs", rest: "a.b" });
    expect(ok("$workflows.foo.outputs.mappedResponse#/name")).toEqual({
      kind: "workflows",
      id: "foo",
      field: "outputs",
      rest: "mappedResponse",
      pointer: ["name"],
    });
    expect(ok("$workflows.foo.inputs.x")).toEqual({ kind: "workflows", id: "foo", field: "inputs", rest: "x" });
  });

  it("$sourceDescriptions and $components", () => {
    expect(ok("$sourceDescriptions.windmillApi.url")).toEqual({ kind: "sourceDescriptions", name: "windmillApi", rest: "url" });
    expect(ok("$sourceDescriptions.petStore.getPetById")).toEqual({ kind: "sourceDescriptions", name: "petStore", rest: "getPetById" });
    expect(ok("$components.parameters.page.size")).toEqual({ kind: "components", rest: "parameters.page.size" });
  });
});

describe("parseRuntimeExpression: # pointers", () => {
  it("unescapes ~1 to / and ~0 to ~", () => {
    expect(ok("$response.body#/a~1b/c~0d")).toEqual({ kind: "response", part: "body", pointer: ["a/b", "c~d"], navigation: "" });
  });

  it("unescapes ~01 to ~1 (not to /): ~1 is decoded before ~0", () => {
    expect(ok("$response.body#/~01")).toMatchObject({ pointer: ["~1"] });
    expect(ok("$response.body#/~10")).toMatchObject({ pointer: ["/0"] });
  });

  it("keeps empty tokens and unescaped characters as they are", () => {
    expect(ok("$response.body#/")).toMatchObject({ pointer: [""] });
    expect(ok("$response.body#/a//b")).toMatchObject({ pointer: ["a", "", "b"] });
    expect(ok("$inputs.x#/with space/ünï")).toMatchObject({ pointer: ["with space", "ünï"] });
  });

  it("reads a pointer without its leading / as the pointer it means, marked for the check stage's warning", () => {
    expect(ok("$response.body#a/b")).toEqual({
      kind: "response",
      part: "body",
      navigation: "",
      pointer: ["a", "b"],
      sloppy: ["pointer-without-slash"],
    });
    expect(ok("$inputs.x#y")).toEqual({ kind: "inputs", rest: "x", pointer: ["y"], sloppy: ["pointer-without-slash"] });
    expect(ok("$steps.s.outputs.o#p")).toMatchObject({ pointer: ["p"], sloppy: ["pointer-without-slash"] });
    expect(ok("$response.body#/a")).not.toHaveProperty("sloppy");
  });

  it("rejects ~ escapes other than ~0 and ~1", () => {
    expect(fail("$response.body#/a~2")).toEqual({ reason: "'#/a~2' has an invalid ~ escape (only ~0 and ~1 are allowed)", offset: 14 });
    expect(fail("$response.body#/a~").reason).toContain("invalid ~ escape");
    expect(fail("$steps.s.outputs.o#/~x").reason).toContain("invalid ~ escape");
  });
});

describe("parseRuntimeExpression: errors say what to write instead", () => {
  it("$response.headers.X is read as $response.header.X, marked for the check stage's warning", () => {
    expect(ok("$response.headers.X-Rate.Limit")).toEqual({ kind: "response", part: "header", name: "X-Rate.Limit", sloppy: ["headers"] });
    expect(ok("$request.headers.Authorization")).toMatchObject({ part: "header", name: "Authorization", sloppy: ["headers"] });
    expect(fail("$response.headers.a b").reason).toBe("'a b' is not a valid header name");
  });

  it("an unknown part after $request. / $response.", () => {
    expect(fail("$response.status")).toEqual({
      reason: "after $response. comes header.<name>, query.<name>, path.<name> or body",
      offset: 10,
    });
    expect(fail("$response.bodyx").reason).toContain("after $response. comes");
    expect(fail("$response").reason).toContain("after $response. comes");
    expect(fail("$request.header.").reason).toContain("after $request. comes");
  });

  it("a missing name", () => {
    expect(fail("$inputs")).toEqual({ reason: "$inputs needs a name, e.g. $inputs.name", offset: 7 });
    expect(fail("$inputs.").reason).toBe("$inputs needs a name, e.g. $inputs.name");
    expect(fail("$outputs").reason).toBe("$outputs needs a name, e.g. $outputs.name");
    expect(fail("$steps")).toEqual({ reason: "$steps needs an id, e.g. $steps.<stepId>.outputs.<name>", offset: 7 });
    expect(fail("$workflows.").reason).toBe("$workflows needs an id, e.g. $workflows.<workflowId>.outputs.<name>");
    expect(fail("$components")).toEqual({ reason: "$components needs a component, e.g. $components.parameters.<name>", offset: 11 });
    expect(fail("$sourceDescriptions.").reason).toBe("$sourceDescriptions needs a source name");
  });

  it("a step or source without the part that follows", () => {
    expect(fail("$steps.s1")).toEqual({ reason: "expected .outputs.<name> after $steps.s1", offset: 9 });
    expect(fail("$steps.s1#/x").reason).toBe("expected .outputs.<name> after $steps.s1");
    expect(fail("$sourceDescriptions.api")).toEqual({
      reason: "expected .<operationId>, .<workflowId> or .url after $sourceDescriptions.api",
      offset: 23,
    });
  });

  it("text that is not an expression", () => {
    expect(fail("inputs.x")).toEqual({ reason: "a runtime expression starts with $", offset: 0 });
    expect(fail("")).toEqual({ reason: "a runtime expression starts with $", offset: 0 });
    const unknown = fail("$foo.bar");
    expect(unknown.offset).toBe(0);
    expect(unknown.reason).toMatch(/^unknown expression '\$foo'; expressions start with \$url, /);
  });

  // Regression: "$statusCode.x" was reported as "unknown expression '$statusCode'; expressions start with ...
  // $statusCode ...", a message that contradicts itself; $statusCode is known, the problem is what follows it.
  it("a known prefix followed by junk is not called an unknown expression", () => {
    expect(fail("$statusCode.x").reason).not.toMatch(/unknown expression '\$statusCode'/);
  });
});

describe("looksLikeExpression and parseNavigation", () => {
  it("recognises the prefixes, alone or followed by a dot", () => {
    for (const text of ["$url", "$method", "$statusCode", "$inputs", "$inputs.x", "$response.body", "$steps.a", "$components.x"])
      expect(looksLikeExpression(text), text).toBe(true);
    for (const text of ["$", "$.store.book", "$5", "$foo", "$inputsx", "inputs.x", " $inputs.x"])
      expect(looksLikeExpression(text), text).toBe(false);
  });

  // Regression: looksLikeExpression once matched url|method|statusCode without requiring the end or a dot after
  // them, so "$urlencoded" (or "$methodology", "$statusCodes") "looked like" an expression while "$foo" did not:
  // as a payload value it was reported as AZC3001 "unknown expression '$urlencoded'" instead of kept as text.
  it("a word that merely starts with url/method/statusCode is not an expression", () => {
    for (const text of ["$urlencoded", "$methodology", "$statusCodes"]) {
      expect(looksLikeExpression(text), text).toBe(false);
      expect(classifyValueString(text), text).toEqual({ kind: "literal", text });
    }
  });

  it("splits .member and [n] navigation", () => {
    expect(parseNavigation("")).toEqual([]);
    expect(parseNavigation(".items[0].id")).toEqual(["items", 0, "id"]);
    expect(parseNavigation("[10][2]")).toEqual([10, 2]);
    expect(parseNavigation(".a-b_c")).toEqual(["a-b_c"]);
    expect(parseNavigation("items")).toBeUndefined();
    expect(parseNavigation(".")).toBeUndefined();
    expect(parseNavigation("[x]")).toBeUndefined();
    expect(parseNavigation("[-1]")).toBeUndefined();
  });
});

describe("classifyValueString", () => {
  it("a whole-string expression keeps its type", () => {
    expect(classifyValueString("$inputs.workspace")).toEqual({
      kind: "expression",
      text: "$inputs.workspace",
      expression: { kind: "inputs", rest: "workspace" },
    });
    expect(classifyValueString("$response.body#/id")).toMatchObject({
      kind: "expression",
      expression: { kind: "response", pointer: ["id"] },
    });
  });

  it("{$...} embeds expressions in text", () => {
    expect(classifyValueString("Bearer {$inputs.token}")).toEqual({
      kind: "template",
      parts: [
        { kind: "text", text: "Bearer ", start: 0, end: 7 },
        { kind: "expression", text: "$inputs.token", expression: { kind: "inputs", rest: "token" }, start: 8, end: 21 },
      ],
    });
  });

  it("anything else is a literal, including bare expressions and JSONPath-like text", () => {
    for (const text of ["Bearer $inputs.token", "$.store.book", "price: $5", "", "available", "{not an expression}", "100$", "$"])
      expect(classifyValueString(text), text).toEqual({ kind: "literal", text });
  });

  it("a string that starts like an expression but is not one is an error, not a literal", () => {
    expect(classifyValueString("$inputs")).toEqual({
      kind: "error",
      text: "$inputs",
      reason: "$inputs needs a name, e.g. $inputs.name",
      offset: 7,
      start: 0,
    });
    expect(classifyValueString("$response.status")).toMatchObject({
      kind: "error",
      reason: expect.stringContaining("header.<name>, query.<name>, path.<name> or body"),
    });
  });

  it("an invalid embedded expression is an error at its offset", () => {
    expect(classifyValueString("a {$nope} b")).toMatchObject({ kind: "error", text: "$nope", offset: 3 });
    expect(classifyValueString("x {$inputs.x")).toEqual({
      kind: "error",
      text: "{$inputs.x",
      reason: "the embedded expression has no closing }",
      offset: 2,
      start: 2,
    });
  });
});

describe("parseTemplate", () => {
  it("splits text and expressions, with each expression's offset in the string", () => {
    expect(parseTemplate("x{$inputs.a}y{$inputs.b}")).toEqual({
      ok: true,
      parts: [
        { kind: "text", text: "x", start: 0, end: 1 },
        { kind: "expression", text: "$inputs.a", expression: { kind: "inputs", rest: "a" }, start: 2, end: 11 },
        { kind: "text", text: "y", start: 12, end: 13 },
        { kind: "expression", text: "$inputs.b", expression: { kind: "inputs", rest: "b" }, start: 14, end: 23 },
      ],
    });
  });

  it("adjacent expressions and a lone expression have no empty text parts", () => {
    const adjacent = parseTemplate("{$inputs.a}{$inputs.b}");
    expect(adjacent.ok && adjacent.parts.map((p) => p.kind)).toEqual(["expression", "expression"]);
    const lone = parseTemplate("{$statusCode}");
    expect(lone.ok && lone.parts).toEqual([
      { kind: "expression", text: "$statusCode", expression: { kind: "statusCode" }, start: 1, end: 12 },
    ]);
  });

  it("text without {$ is one text part; an empty string has no parts", () => {
    expect(parseTemplate("a {b} c")).toEqual({ ok: true, parts: [{ kind: "text", text: "a {b} c", start: 0, end: 7 }] });
    expect(parseTemplate("")).toEqual({ ok: true, parts: [] });
  });

  it("an embedded expression ends at the first }", () => {
    expect(parseTemplate("{$response.body#/a}b}")).toEqual({
      ok: true,
      parts: [
        {
          kind: "expression",
          text: "$response.body#/a",
          expression: { kind: "response", part: "body", pointer: ["a"], navigation: "" },
          start: 1,
          end: 18,
        },
        { kind: "text", text: "b}", start: 19, end: 21 },
      ],
    });
  });

  it("errors carry the offset of the problem inside the whole string", () => {
    expect(parseTemplate("id={$response.body#/a~2}")).toEqual({
      ok: false,
      text: "$response.body#/a~2",
      reason: "'#/a~2' has an invalid ~ escape (only ~0 and ~1 are allowed)",
      offset: 4 + 14,
      start: 4,
    });
    expect(parseTemplate("ab {$inputs")).toMatchObject({ ok: false, offset: 3, reason: "the embedded expression has no closing }" });
  });
});

describe("findBareExpressions", () => {
  it("finds $inputs and $steps outputs inside a larger string", () => {
    expect(findBareExpressions("Bearer $inputs.token")).toEqual([{ start: 7, text: "$inputs.token" }]);
    expect(findBareExpressions("$inputs.a and $steps.s.outputs.b")).toEqual([
      { start: 0, text: "$inputs.a" },
      { start: 14, text: "$steps.s.outputs.b" },
    ]);
  });

  it("takes the longest run of name characters; the check stage trims it by longest declared match", () => {
    expect(findBareExpressions("Token: $inputs.token.")).toEqual([{ start: 7, text: "$inputs.token." }]);
    expect(findBareExpressions("id=$steps.run-1.outputs.job_id, ok")).toEqual([{ start: 3, text: "$steps.run-1.outputs.job_id" }]);
  });

  it("a whole-string expression is not bare", () => {
    expect(findBareExpressions("$inputs.token")).toEqual([]);
    expect(findBareExpressions("$steps.s.outputs.o")).toEqual([]);
  });

  it("ignores other expressions and JSONPath-like text", () => {
    expect(findBareExpressions("$.store.book")).toEqual([]);
    expect(findBareExpressions("status is $statusCode and $response.body")).toEqual([]);
    expect(findBareExpressions("$steps.s.result")).toEqual([]);
    expect(findBareExpressions("costs $5")).toEqual([]);
  });
});

// --- simple conditions ---

function cond(text: string): Condition {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(`${text}: ${result.reason} at ${result.offset}`);
  return result.condition;
}

function condError(text: string): { reason: string; offset: number } {
  const result = parseCondition(text);
  if (result.ok) throw new Error(`${text} was accepted`);
  return { reason: result.reason, offset: result.offset };
}

/** A compact rendering of the tree: precedence is visible as parentheses. */
function show(c: Condition): string {
  const operand = (o: Operand): string => (o.kind === "literal" ? JSON.stringify(o.value) : o.text);
  switch (c.kind) {
    case "or":
    case "and":
      return `(${show(c.left)} ${c.kind === "or" ? "||" : "&&"} ${show(c.right)})`;
    case "not":
      return `!${show(c.operand)}`;
    case "compare":
      return `[${operand(c.left)} ${c.operator} ${operand(c.right)}]`;
    case "test":
      return operand(c.operand);
  }
}

describe("parseCondition: structure and precedence", () => {
  it("a comparison of an expression and a literal", () => {
    expect(cond("$statusCode == 200")).toEqual({
      kind: "compare",
      operator: "==",
      left: { kind: "expression", text: "$statusCode", expression: { kind: "statusCode" }, start: 0, end: 11 },
      right: { kind: "literal", value: 200, start: 15, end: 18 },
      start: 0,
      end: 18,
    });
  });

  it("every comparison operator", () => {
    for (const op of ["==", "!=", "<", "<=", ">", ">="] as const) {
      const c = cond(`$statusCode ${op} 400`);
      expect(c.kind === "compare" && c.operator, op).toBe(op);
    }
    expect(show(cond("$statusCode>=200&&$statusCode<300"))).toBe("([$statusCode >= 200] && [$statusCode < 300])");
  });

  it("&& binds tighter than ||, on either side", () => {
    expect(show(cond("$inputs.a || $inputs.b && $inputs.c"))).toBe("($inputs.a || ($inputs.b && $inputs.c))");
    expect(show(cond("$inputs.a && $inputs.b || $inputs.c"))).toBe("(($inputs.a && $inputs.b) || $inputs.c)");
  });

  it("|| and && are left-associative", () => {
    expect(show(cond("$inputs.a || $inputs.b || $inputs.c"))).toBe("(($inputs.a || $inputs.b) || $inputs.c)");
    expect(show(cond("$inputs.a && $inputs.b && $inputs.c"))).toBe("(($inputs.a && $inputs.b) && $inputs.c)");
  });

  it("comparison binds tighter than && and ||", () => {
    expect(show(cond("$statusCode == 200 || $statusCode == 201 && $response.body#/ok == true"))).toBe(
      "([$statusCode == 200] || ([$statusCode == 201] && [$response.body#/ok == true]))",
    );
  });

  it("! binds tighter than && and applies to one value", () => {
    expect(show(cond("!$inputs.a && $inputs.b"))).toBe("(!$inputs.a && $inputs.b)");
    expect(show(cond("$inputs.a || !$inputs.b"))).toBe("($inputs.a || !$inputs.b)");
  });

  it("parentheses group, and ! applies to a parenthesised condition", () => {
    expect(show(cond("($inputs.a || $inputs.b) && $inputs.c"))).toBe("(($inputs.a || $inputs.b) && $inputs.c)");
    expect(show(cond("!($statusCode == 200)"))).toBe("![$statusCode == 200]");
    expect(show(cond("!($inputs.a || $inputs.b)"))).toBe("!($inputs.a || $inputs.b)");
    expect(show(cond("((($statusCode == 200)))"))).toBe("[$statusCode == 200]");
  });

  it("a bare value is a test; literals may stand on either side", () => {
    expect(cond("$response.body#/done")).toEqual({
      kind: "test",
      operand: {
        kind: "expression",
        text: "$response.body#/done",
        expression: { kind: "response", part: "body", pointer: ["done"], navigation: "" },
        start: 0,
        end: 20,
      },
      start: 0,
      end: 20,
    });
    expect(show(cond("200 == $statusCode"))).toBe("[200 == $statusCode]");
    expect(show(cond("true"))).toBe("true");
  });

  it("whitespace is optional and may be tabs and newlines", () => {
    expect(show(cond("$inputs.a=='x'"))).toBe('[$inputs.a == "x"]');
    expect(show(cond(" \t$statusCode\n==\r\n200 "))).toBe("[$statusCode == 200]");
  });

  it("expressions with navigation, pointers and header names end at operators and spaces", () => {
    expect(show(cond("$response.body.items[0].id != null"))).toBe("[$response.body.items[0].id != null]");
    expect(show(cond("$response.header.Content-Type=='application/json'"))).toBe('[$response.header.Content-Type == "application/json"]');
    expect(show(cond("($response.body#/status=='done')"))).toBe('[$response.body#/status == "done"]');
  });

  it("every node has its offsets: operands their text, compound nodes from their first to their last operand", () => {
    const c = cond("!($inputs.a == 'x') || !$inputs.b");
    expect(c.kind === "or" && [c.start, c.end]).toEqual([0, 33]);
    expect(c.kind === "or" && c.left.kind === "not" && [c.left.start, c.left.end]).toEqual([0, 19]);
    expect(c.kind === "or" && c.right.kind === "not" && [c.right.start, c.right.end]).toEqual([23, 33]);
  });

  it("operand offsets point at each expression", () => {
    const c = cond("$inputs.a == 1 && $inputs.b");
    expect(c.kind === "and" && c.right.kind === "test" && c.right.operand.kind === "expression" && c.right.operand.start).toBe(18);
  });
});

describe("parseCondition: literals", () => {
  it("single-quoted strings, '' for a quote", () => {
    const value = (text: string) => {
      const c = cond(`$inputs.a == ${text}`);
      return c.kind === "compare" && c.right.kind === "literal" ? c.right.value : undefined;
    };
    expect(value("'done'")).toBe("done");
    expect(value("'it''s'")).toBe("it's");
    expect(value("''")).toBe("");
    expect(value("''''")).toBe("'");
    expect(value("'a && b || !c == (d)'")).toBe("a && b || !c == (d)");
    expect(value("'say \"hi\"'")).toBe('say "hi"');
    expect(value("'ünïcødé ✓'")).toBe("ünïcødé ✓");
  });

  it("numbers in JSON syntax", () => {
    const value = (text: string) => {
      const c = cond(`$statusCode == ${text}`);
      return c.kind === "compare" && c.right.kind === "literal" ? c.right.value : undefined;
    };
    expect(value("0")).toBe(0);
    expect(value("200")).toBe(200);
    expect(value("-1")).toBe(-1);
    expect(value("3.25")).toBe(3.25);
    expect(value("1e3")).toBe(1000);
    expect(value("2.5E-2")).toBe(0.025);
    expect(value("-0")).toBe(-0);
  });

  it("true, false and null", () => {
    expect(cond("$inputs.a == true")).toMatchObject({ right: { kind: "literal", value: true } });
    expect(cond("$inputs.a != false")).toMatchObject({ right: { kind: "literal", value: false } });
    expect(cond("$inputs.a == null")).toMatchObject({ right: { kind: "literal", value: null } });
  });
});

describe("parseCondition: errors", () => {
  it("double-quoted strings are rejected with a hint", () => {
    expect(condError('$inputs.a == "x"')).toEqual({
      reason: "strings in conditions use single quotes: 'text' (write '' for a quote inside)",
      offset: 13,
    });
  });

  it("comparisons do not chain", () => {
    expect(condError("$statusCode == 200 == true")).toEqual({ reason: "comparisons do not chain; combine them with && or ||", offset: 19 });
    expect(condError("1 < $inputs.a < 3").reason).toBe("comparisons do not chain; combine them with && or ||");
  });

  it("! before a comparison needs parentheses", () => {
    expect(condError("!$statusCode == 200")).toEqual({
      reason: "! applies to a value or a parenthesised condition; write !(a == b)",
      offset: 0,
    });
  });

  it("unterminated strings, bare words, unknown characters", () => {
    expect(condError("$inputs.a == 'x")).toEqual({ reason: "unterminated string literal", offset: 13 });
    expect(condError("$inputs.a == 'it''")).toEqual({ reason: "unterminated string literal", offset: 13 });
    expect(condError("$inputs.a == done")).toEqual({
      reason: "unexpected 'done': strings need single quotes ('done') and expressions start with $",
      offset: 13,
    });
    expect(condError("$inputs.a == TRUE").reason).toContain("unexpected 'TRUE'");
    expect(condError("$statusCode = 200")).toEqual({ reason: "unexpected character '='", offset: 12 });
    expect(condError("$statusCode == 200 & $inputs.a").reason).toBe("unexpected character '&'");
  });

  it("numbers with leading zeros or a trailing dot are not numbers", () => {
    expect(condError("$statusCode == 01").offset).toBe(15);
    expect(condError("$statusCode == 1.")).toEqual({ reason: "unexpected character '.'", offset: 16 });
    expect(condError("$statusCode == 200abc").offset).toBe(15);
  });

  it("incomplete conditions", () => {
    expect(condError("")).toEqual({ reason: "expected a value or runtime expression but found the end of the condition", offset: 0 });
    expect(condError("$statusCode ==")).toEqual({
      reason: "expected a value or runtime expression but found the end of the condition",
      offset: 14,
    });
    expect(condError("$statusCode == 200 &&").offset).toBe(21);
    expect(condError("($statusCode == 200")).toEqual({ reason: "expected ) but found the end of the condition", offset: 19 });
    expect(condError("$statusCode == 200)")).toEqual({ reason: "unexpected ')'", offset: 18 });
    expect(condError("$inputs.a $inputs.b").reason).toBe("unexpected '$inputs.b'");
    expect(condError("!!$inputs.a").reason).toBe("expected a value or runtime expression but found '!'");
  });

  it("an invalid runtime expression is reported at its place in the condition", () => {
    expect(condError("$statusCode == 200 && $response.status == 'y'")).toEqual({
      reason: "after $response. comes header.<name>, query.<name>, path.<name> or body",
      offset: 22 + 10,
    });
    expect(condError("$foo == 1").offset).toBe(0);
  });
});

describe("parseCondition: the outer-braces quirk of the 1.0.1 components example", () => {
  it('"{$statusCode == 401}" parses as the condition inside', () => {
    expect(show(cond("{$statusCode == 401}"))).toBe("[$statusCode == 401]");
    expect(show(cond("  { $statusCode == 401 && $inputs.a }  "))).toBe("([$statusCode == 401] && $inputs.a)");
  });

  it("only one pair of outer braces, and only around the whole condition", () => {
    expect(parseCondition("{{$statusCode == 401}}").ok).toBe(false);
    expect(parseCondition("{$statusCode == 401} && {$statusCode == 2}").ok).toBe(false);
    expect(parseCondition("{$statusCode == 401").ok).toBe(false);
    expect(condError("$statusCode == {401}").reason).toBe("unexpected character '{'");
  });

  it("when the inside does not parse either, the error is about the text as written", () => {
    expect(condError("{$statusCode == }")).toEqual({ reason: "unexpected character '{'", offset: 0 });
  });

  // Regression: errors were shifted back into the text as written, but the AST built from the inner text kept
  // inner offsets: `$statusCode` is at offset 1 of "{$statusCode == 401}", yet its operand said 0.
  it("operand offsets inside outer braces point into the text as written", () => {
    const c = cond("{$statusCode == 401}");
    expect(c.kind === "compare" && c.left.kind === "expression" && [c.left.start, c.left.end]).toEqual([1, 12]);
    expect(c.kind === "compare" && [c.start, c.end, c.right.start, c.right.end]).toEqual([1, 19, 16, 19]);
  });
});
