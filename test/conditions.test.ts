// Truth tables for criteria (reference §4, DESIGN semantic decision 1) through the real pipeline: one Arazzo
// document with one workflow per criterion is compiled by compile() (parse -> bind -> emit), the generated
// module is written with its runtime to a temporary folder and imported, and each workflow runs against canned
// responses from a fetch stub. A run that completes means the criteria held; a WorkflowError of reason
// "criteria" or "http" means they did not; any other exception (a comparison that throws) fails the row. One
// compile serves every row. Rows marked `bug` are known compiler defects, kept with the correct expectation
// (none at present: those found were fixed).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, type Diagnostic } from "../compiler/index.js";

interface Criterion {
  readonly condition: string;
  readonly type?: "simple" | "regex" | "jsonpath";
  readonly context?: string;
}

/** A canned response: `body` is sent as JSON, `text` as text/plain, neither as an empty body. */
interface Canned {
  readonly status?: number;
  readonly body?: unknown;
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Row {
  readonly response: Canned;
  readonly expected: boolean;
  /** A known compiler/runtime bug: the row is registered with it.fails and keeps the correct expectation. */
  readonly bug?: string;
}

interface Case {
  readonly criteria: readonly Criterion[];
  /** `typed` has a JSON response schema (status: string, count: integer, items: array); `plain` has none. */
  readonly operation?: "plain" | "typed";
  readonly rows: readonly Row[];
  /** Set when the rows are registered. */
  workflowId?: string;
}

const T = true;
const F = false;
/** Status 200 with a JSON body. */
const json = (body: unknown, expected: boolean, bug?: string): Row => ({ response: { body }, expected, ...(bug ? { bug } : {}) });
const reply = (response: Canned, expected: boolean, bug?: string): Row => ({ response, expected, ...(bug ? { bug } : {}) });
const simple = (condition: string, rows: readonly Row[], operation?: "typed"): Case => ({
  criteria: [{ condition }],
  rows,
  ...(operation ? { operation } : {}),
});
const regex = (context: string, condition: string, rows: readonly Row[]): Case => ({
  criteria: [{ condition, type: "regex", context }],
  rows,
});
const jsonpath = (condition: string, rows: readonly Row[], context = "$response.body"): Case => ({
  criteria: [{ condition, type: "jsonpath", context }],
  rows,
});

const groups: Record<string, Case[]> = {
  "strings compare case-insensitively": [
    simple("$response.body#/status == 'Done'", [
      json({ status: "Done" }, T),
      json({ status: "done" }, T),
      json({ status: "DONE" }, T),
      json({ status: "Done " }, F),
      json({ status: "pending" }, F),
      json({}, F),
      json({ status: null }, F),
      json({ status: ["Done"] }, F),
      json({ status: { Done: true } }, F),
    ]),
    simple("'DONE' == $response.body#/status", [json({ status: "done" }, T), json({ status: "done!" }, F)]),
    simple("$response.body#/status != 'done'", [json({ status: "DONE" }, F), json({ status: "failed" }, T), json({ status: 1 }, T)]),
    simple("$response.body#/name == 'O''Brien'", [json({ name: "O'Brien" }, T), json({ name: "o'brien" }, T), json({ name: "OBrien" }, F)]),
    simple("$response.body#/name > 'a'", [json({ name: "Z" }, T), json({ name: "b" }, T), json({ name: "A" }, F), json({ name: "a" }, F)]),
    simple("$response.body#/name < 'Banana'", [json({ name: "apple" }, T), json({ name: "BANANA" }, F), json({ name: "cherry" }, F)]),
    simple("$response.body#/name <= 'b'", [json({ name: "B" }, T), json({ name: "a" }, T), json({ name: "ba" }, F)]),
    simple("$response.body#/name >= 'MIDDLE'", [json({ name: "middle" }, T), json({ name: "zoo" }, T), json({ name: "Alpha" }, F)]),
    // By code point: U+FF5A sorts before U+1F600, although its UTF-16 unit is greater than the surrogate 0xD83D.
    simple("$response.body#/name < '😀'", [json({ name: "ｚ" }, T), json({ name: "😀" }, F)]),
    simple("$response.header.Content-Type == 'APPLICATION/JSON'", [json({}, T), reply({ text: "x" }, F)]),
    simple("$response.body#/a == $response.body#/b", [
      json({ a: "X", b: "x" }, T),
      json({ a: 1, b: "1" }, T),
      json({ a: { k: [1, "v"] }, b: { k: [1, "v"] } }, T),
      json({ a: { k: 1 }, b: { k: 2 } }, F),
      json({ a: [1, 2], b: [2, 1] }, F),
      json({ a: null }, T),
      json({ a: "x" }, F),
    ]),
  ],

  "numbers and numeric strings": [
    simple("$response.body#/count == 5", [
      json({ count: 5 }, T),
      json({ count: "5" }, T),
      json({ count: "5.0" }, T),
      json({ count: "5e0" }, T),
      json({ count: "05" }, F),
      json({ count: " 5" }, F),
      json({ count: "0x5" }, F),
      json({ count: "five" }, F),
      json({ count: 6 }, F),
      json({ count: true }, F),
      json({ count: null }, F),
      json({}, F),
    ]),
    simple("$response.body#/count > 3", [
      json({ count: "10" }, T), // numerically, not '10' < '3' as text
      json({ count: 4 }, T),
      json({ count: 3.5 }, T),
      json({ count: 3 }, F),
      json({ count: -4 }, F),
      json({ count: "abc" }, F),
      json({ count: true }, F),
      json({ count: [5] }, F),
      json({ count: null }, F),
      json({}, F),
    ]),
    simple("3 < $response.body#/count", [json({ count: 4 }, T), json({ count: "4" }, T), json({ count: 3 }, F), json({}, F)]),
    simple("$response.body#/count <= -1.5e1", [json({ count: -15 }, T), json({ count: "-20" }, T), json({ count: -14 }, F)]),
    // A string literal against a number value is coerced too; two strings compare as text.
    simple("$response.body#/count >= '3'", [
      json({ count: 3 }, T),
      json({ count: 10 }, T),
      json({ count: 2 }, F),
      json({ count: "10" }, F),
    ]),
    simple("$response.body#/count == 0", [
      json({ count: -0 }, T),
      json({ count: "-0" }, T),
      json({ count: "" }, F),
      json({ count: false }, F),
    ]),
  ],

  "null and missing values": [
    simple("$response.body#/x == null", [
      json({}, T),
      json({ x: null }, T),
      json({ y: { x: 1 } }, T),
      json({ x: 0 }, F),
      json({ x: "" }, F),
      json({ x: false }, F),
      json({ x: "null" }, F),
      json({ x: [] }, F),
      json([1, 2], T),
      reply({ text: "plain text" }, T),
      reply({ status: 204 }, T),
    ]),
    simple("$response.body#/x != null", [json({}, F), json({ x: null }, F), json({ x: 0 }, T), json({ x: "" }, T)]),
    simple("null == $response.body#/x", [json({}, T), json({ x: null }, T), json({ x: 1 }, F)]),
    simple("null != $response.body#/x", [json({ x: 1 }, T), json({}, F)]),
    simple("$response.body#/a/b/c == null", [json({ a: "text" }, T), json({ a: { b: 7 } }, T), json({ a: { b: { c: 1 } } }, F)]),
    // Relational comparisons involving null or a missing value are false both ways.
    simple("$response.body#/x < 1", [json({ x: null }, F), json({}, F), json({ x: 0 }, T)]),
    simple("$response.body#/x >= 1", [json({ x: null }, F), json({}, F)]),
    simple("$response.body#/x <= null", [json({ x: null }, F), json({}, F), json({ x: 0 }, F)]),
    // Missing compares like null for equality; != is the negation of ==.
    simple("$response.body#/x != 'done'", [json({}, T), json({ x: "DONE" }, F)]),
  ],

  "booleans and truthiness": [
    simple("$response.body#/ok == true", [
      json({ ok: true }, T),
      json({ ok: false }, F),
      json({ ok: "true" }, F),
      json({ ok: 1 }, F),
      json({}, F),
    ]),
    simple("$response.body#/ok != false", [json({ ok: true }, T), json({ ok: false }, F), json({}, T), json({ ok: "false" }, T)]),
    simple("true == $response.body#/ok", [json({ ok: true }, T), json({ ok: false }, F), json({}, F)]),
    simple("false != $response.body#/ok", [json({ ok: true }, T), json({ ok: false }, F), json({}, T)]),
    simple("$response.body#/ok == 'true'", [json({ ok: true }, F), json({ ok: "TRUE" }, T)]),
    simple("$response.body#/ok < true", [json({ ok: false }, F), json({ ok: true }, F)]),
    // A bare operand passes only when its value is true.
    simple("$response.body#/ok", [
      json({ ok: true }, T),
      json({ ok: false }, F),
      json({ ok: "true" }, F),
      json({ ok: 1 }, F),
      json({ ok: {} }, F),
      json({}, F),
    ]),
    simple("!$response.body#/ok", [json({ ok: true }, F), json({ ok: false }, T), json({ ok: 1 }, T), json({}, T)]),
    simple("true", [json({}, T)]),
    simple("false", [json({}, F)]),
    simple("!false", [json({}, T)]),
    simple("!true || false", [json({}, F)]),
  ],

  "!, && and || precedence, parentheses": [
    // && binds tighter than ||: a || (b && c).
    simple("$response.body#/a == 1 || $response.body#/b == 1 && $response.body#/c == 1", [
      json({ a: 1, b: 0, c: 0 }, T),
      json({ a: 0, b: 1, c: 0 }, F),
      json({ a: 0, b: 1, c: 1 }, T),
      json({ a: 0, b: 0, c: 1 }, F),
    ]),
    simple("$response.body#/a == 1 && $response.body#/b == 1 || $response.body#/c == 1", [
      json({ a: 1, b: 0, c: 1 }, T),
      json({ a: 1, b: 0, c: 0 }, F),
      json({ a: 0, b: 0, c: 1 }, T),
      json({ a: 1, b: 1, c: 0 }, T),
    ]),
    simple("($response.body#/a == 1 || $response.body#/b == 1) && $response.body#/c == 1", [
      json({ a: 1, b: 0, c: 0 }, F),
      json({ a: 1, b: 0, c: 1 }, T),
      json({ a: 0, b: 1, c: 1 }, T),
      json({ a: 0, b: 0, c: 1 }, F),
    ]),
    simple("$response.body#/a == 1 && ($response.body#/b == 1 || $response.body#/c == 1)", [
      json({ a: 1, b: 0, c: 1 }, T),
      json({ a: 0, b: 1, c: 1 }, F),
      json({ a: 1, b: 0, c: 0 }, F),
    ]),
    simple("!($response.body#/a == 1 || $response.body#/b == 1)", [
      json({ a: 0, b: 0 }, T),
      json({ a: 1, b: 0 }, F),
      json({ a: 0, b: 1 }, F),
    ]),
    // ! binds tighter than &&.
    simple("!$response.body#/ok && $statusCode == 200", [
      json({ ok: false }, T),
      json({ ok: true }, F),
      reply({ status: 201, body: {} }, F),
    ]),
    simple("!(!($statusCode == 200))", [reply({ status: 200 }, T), reply({ status: 500 }, F)]),
    simple("((($statusCode == 200)))", [reply({ status: 200 }, T), reply({ status: 202 }, F)]),
    // The 1.0.1 components example wraps a whole condition in braces.
    simple("{$statusCode == 401}", [reply({ status: 401 }, T), reply({ status: 200 }, F)]),
    // Accessors after the expression (spec operators . and []).
    simple("$response.body.items[1].id == 7", [
      json({ items: [{ id: 1 }, { id: 7 }] }, T),
      json({ items: [{ id: 7 }] }, F),
      json({ items: { 1: { id: 7 } } }, T),
    ]),
  ],

  "comparisons on mismatched types never throw": [
    simple("$response.body#/v < 'abc'", [
      json({ v: {} }, F),
      json({ v: [] }, F),
      json({ v: 5 }, F),
      json({ v: true }, F),
      json({ v: null }, F),
      json({ v: "ab" }, T),
    ]),
    simple("$response.body#/v == 'abc'", [json({ v: { abc: 1 } }, F), json({ v: ["abc"] }, F), json({ v: 0 }, F)]),
    simple("$response.body#/v != 'abc'", [json({ v: {} }, T), json({ v: ["abc"] }, T)]),
    simple("$response.body#/v > 1", [json({ v: "x" }, F), json({ v: {} }, F), json({ v: [2] }, F), json({ v: false }, F)]),
    simple("$response.body#/a/b == 1", [
      json({ a: "string" }, F),
      json({ a: 3 }, F),
      json({ a: null }, F),
      json({ a: [1] }, F),
      reply({ text: "abc" }, F),
    ]),
    simple("$response.body#/items/2 == 'c'", [
      json({ items: ["a", "b"] }, F),
      json({ items: ["a", "b", "C"] }, T),
      json({ items: null }, F),
    ]),
    simple("$response.body#/0 == 'x'", [
      json(["x"], T),
      json({ 0: "x" }, T),
      // A JSON pointer does not index into a string: /0 of the body "xyz" is absent.
      reply({ text: "xyz" }, F),
      json("xyz", F),
    ]),
    simple("$response.body#/items/0 == 'a'", [json({ items: ["a"] }, T), json({ items: "abc" }, F)]),
    // Names an object inherits are not members of the JSON value.
    simple("$response.body#/constructor == null && $response.body#/toString == null && $response.body#/__proto__ == null", [
      json({}, T),
      json({ toString: "x" }, F),
    ]),
    simple("$response.body#/length == 3", [json([1, 2, 3], F), reply({ text: "abc" }, F), json({ length: 3 }, T)]),
    simple("$response.body#/a == $response.body#/b", [json({ a: {}, b: [] }, F), json({ a: [], b: "" }, F), json({ a: 0, b: false }, F)]),
  ],

  $statusCode: [
    simple("$statusCode == 200", [reply({ status: 200 }, T), reply({ status: 201 }, F), reply({ status: 500 }, F)]),
    simple("200 == $statusCode", [reply({ status: 200 }, T), reply({ status: 201 }, F)]),
    simple("$statusCode == '200'", [reply({ status: 200 }, T), reply({ status: 404 }, F)]),
    simple("$statusCode == 2e2", [reply({ status: 200 }, T)]),
    simple("$statusCode >= 200 && $statusCode < 300", [
      reply({ status: 200 }, T),
      reply({ status: 204 }, T),
      reply({ status: 299 }, T),
      reply({ status: 300 }, F),
      reply({ status: 404 }, F),
    ]),
    simple("$statusCode != 404", [reply({ status: 404 }, F), reply({ status: 200 }, T)]),
    simple("$statusCode < '300'", [reply({ status: 204 }, T), reply({ status: 302 }, F)]),
    simple("$statusCode > 'abc'", [reply({ status: 200 }, F)]),
    simple("$statusCode == 404", [reply({ status: 404, text: "not found" }, T)]),
    simple("$statusCode == 200 && $response.body#/status == 'Done'", [
      reply({ status: 200, body: { status: "done" } }, T),
      reply({ status: 200, body: { status: "running" } }, F),
      reply({ status: 202, body: { status: "done" } }, F),
    ]),
  ],

  "regex criteria": [
    regex("$statusCode", "^2\\d\\d$", [reply({ status: 200 }, T), reply({ status: 204 }, T), reply({ status: 404 }, F)]),
    // Search, not full match; no flags, so case-sensitive.
    regex("$response.body#/message", "ok", [
      json({ message: "all ok here" }, T),
      json({ message: "OK" }, F),
      json({ message: "" }, F),
      json({}, F),
      json({ message: null }, F),
    ]),
    regex("$response.body#/message", "^$", [json({ message: "" }, T), json({}, F), json({ message: null }, F)]),
    regex("$response.body#/message", "^ok$", [json({ message: "ok" }, T), json({ message: "not ok" }, F)]),
    // Objects are searched as their JSON text; numbers and booleans as their text.
    regex("$response.body", '"status":"done"', [json({ status: "done" }, T), json({ status: "DONE" }, F), json([{ status: "done" }], T)]),
    regex("$response.body", "^plain", [reply({ text: "plain text" }, T), reply({ status: 204 }, F)]),
    regex("$response.body#/count", "^4\\.5$", [json({ count: 4.5 }, T), json({ count: "4.5" }, T), json({ count: 45 }, F)]),
    regex("$response.body#/ok", "^true$", [json({ ok: true }, T), json({ ok: false }, F), json({}, F)]),
    regex("$response.header.X-Request-Id", "^[a-f0-9-]{8,}$", [
      reply({ body: {}, headers: { "x-request-id": "0a1b2c3d-4e5f" } }, T),
      reply({ body: {} }, F),
    ]),
  ],

  "jsonpath criteria": [
    jsonpath("$[?@.status == 'done' && @.attempts < 3]", [
      json(
        [
          { status: "running", attempts: 0 },
          { status: "done", attempts: 1 },
        ],
        T,
      ),
      json([{ status: "Done", attempts: 1 }], F), // RFC 9535 strings are case-sensitive
      json([{ status: "done", attempts: 3 }], F),
      json([{ status: "done", attempts: "1" }], F), // and never equal a number
      json([], F),
      json({ status: "done", attempts: 1 }, T), // object root: the compatibility rule tests the root itself
      json({ job: { status: "done", attempts: 2 } }, T), // ...and strict RFC 9535 filters its members
      json({ jobs: [{ status: "done", attempts: 2 }] }, F),
      reply({ text: "done" }, F),
      reply({ status: 204 }, F),
    ]),
    // The bnpl example; count() counts nodes, so an empty array is one node.
    jsonpath("$[?count(@.products) > 0]", [
      json({ products: [{ id: 1 }] }, T),
      json({ products: [] }, T),
      json({}, F),
      json({ other: { products: [1] } }, T),
      json([{ products: [] }], T),
      json([], F),
      json([[{ products: [1] }]], F), // arrays are never wrapped
    ]),
    jsonpath("$[?length(@.products) > 0]", [json({ products: [] }, F), json({ products: [1] }, T), json({ products: "ab" }, T)]),
    // Not a leading filter: plain RFC 9535 only.
    jsonpath("$.items[?@.price > 100]", [
      json({ items: [{ price: 150 }] }, T),
      json({ items: { a: { price: 150 } } }, T),
      json({ items: [{ price: "150" }] }, F),
      json({ items: { price: 150 } }, F),
    ]),
    jsonpath("$..[?@.name == 'Rex']", [json({ a: [{ b: { name: "Rex" } }] }, T), json({ name: "Rex" }, F)]),
    // Non-empty nodelist passes, even when the node is null.
    jsonpath("$.token", [json({ token: null }, T), json({ token: "t" }, T), json({}, F), json(["token"], F)]),
    // RFC 9535: Nothing != null is true. Strict evaluation filters the members' values first, so even
    // {"access_token": null} passes (the null member has no access_token); the root itself is tested only by the
    // compatibility rule, where {"access_token": null} fails and {} passes.
    jsonpath("$[?@.access_token != null]", [json({ access_token: "abc" }, T), json({ access_token: null }, T), json({}, T), json([], F)]),
    jsonpath("$[?@.access_token]", [json({ access_token: null }, T), json({ token_type: "bearer" }, F), json({}, F)]),
    jsonpath("$[?match(@.code, 'A[0-9]+')]", [json({ code: "A12" }, T), json({ code: "xA12" }, F), json({ code: "a12" }, F)]),
    jsonpath("$[?search(@.code, 'A[0-9]+')]", [json({ code: "xA12y" }, T), json({ code: "x" }, F)]),
    jsonpath("$.items[*]", [json({ items: [0] }, T), json({ items: [] }, F), json({ items: {} }, F)]),
    // Only the root: it exists whenever the context has a value; an absent or null context fails (reference §4.3).
    jsonpath("$", [json({}, T), json(0, T), reply({ status: 204 }, F), json(null, F)]),
    jsonpath(
      "$[?@ > 1]",
      [json({ values: null }, F), json({ values: [0, 2] }, T), json({ values: [0, 1] }, F), json({}, F)],
      "$response.body#/values",
    ),
  ],

  "jsonpath criteria written as comparisons (DESIGN decision 1)": [
    // Compiled as an RFC 9535 comparison on the query's single node: case-sensitive, no coercion.
    jsonpath("$.a == 'b'", [json({ a: "b" }, T), json({ a: "B" }, F), json({}, F), json({ a: ["b"] }, F), json({ a: null }, F)]),
    jsonpath("$.a != 'b'", [json({}, T), json({ a: "c" }, T), json({ a: "b" }, F)]),
    jsonpath('$.type == "CompletedJob"', [json({ type: "CompletedJob" }, T), json({ type: "QueuedJob" }, F)]),
    jsonpath("$.n > 2", [json({ n: 3 }, T), json({ n: 2 }, F), json({ n: "3" }, F), json({}, F)]),
    jsonpath("$.n <= 2", [json({ n: 2 }, T), json({ n: 3 }, F), json({}, F)]),
    jsonpath("$.a.b[0] == 1", [json({ a: { b: [1] } }, T), json({ a: { b: [2] } }, F), json({ a: { b: { 0: 1 } } }, F)]),
    jsonpath("$.a == null", [json({ a: null }, T), json({}, F)]),
    jsonpath("$.ok == true", [json({ ok: true }, T), json({ ok: "true" }, F)]),
    jsonpath("$[0] == 'x'", [json(["x"], T), json({ 0: "x" }, F), json("xyz", F)]),
  ],

  "typed response bodies (schema status: string, count: integer) that deviate from the schema (DESIGN decision 3)": [
    simple(
      "$response.body#/status == 'done' && $response.body#/count > 2",
      [
        json({ status: "DONE", count: 3 }, T),
        json({ status: "done", count: "3" }, T),
        json({ status: 7, count: 3 }, F),
        json({ count: 3 }, F),
        json(null, F),
        json("done", F),
      ],
      "typed",
    ),
    simple("$response.body#/status == null", [json({ status: null }, T), json({}, T), json({ status: "x" }, F)], "typed"),
    simple("$response.body#/items/0 == 'a'", [json({ items: ["A"] }, T), json({ items: "abc" }, F)], "typed"),
  ],

  "criteria lists are ANDed": [
    {
      criteria: [{ condition: "$statusCode == 200" }, { condition: "^ok", type: "regex", context: "$response.body#/message" }],
      rows: [
        reply({ status: 200, body: { message: "ok!" } }, T),
        reply({ status: 200, body: { message: "not ok" } }, F),
        reply({ status: 500, body: { message: "ok" } }, F),
      ],
    },
  ],
};

let dir: string | undefined;
let diagnostics: Diagnostic[] = [];
type WorkflowFunction = (inputs: object, options: { fetch: typeof fetch }) => Promise<unknown>;
let workflows: Record<string, WorkflowFunction> = {};

const allCases = Object.values(groups).flat();
allCases.forEach((c, i) => (c.workflowId = `case${i + 1}`));

const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "criteria", version: "1" },
  servers: [{ url: "http://api.invalid" }],
  paths: {
    "/plain": { get: { operationId: "plain", responses: { default: { description: "anything" } } } },
    "/typed": {
      get: {
        operationId: "typed",
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    status: { type: "string" },
                    count: { type: "integer" },
                    items: { type: "array", items: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "arazzoc-conditions-"));
  const document = {
    arazzo: "1.0.1",
    info: { title: "criteria truth tables", version: "1.0.0" },
    sourceDescriptions: [{ name: "api", url: "./openapi.json", type: "openapi" }],
    workflows: allCases.map((c) => ({
      workflowId: c.workflowId,
      steps: [{ stepId: "check", operationId: c.operation ?? "plain", successCriteria: c.criteria }],
    })),
  };
  writeFileSync(join(dir, "openapi.json"), JSON.stringify(OPENAPI, null, 2));
  writeFileSync(join(dir, "criteria.arazzo.json"), JSON.stringify(document, null, 2));
  const result = await compile({ inputs: ["criteria.arazzo.json"], cwd: dir });
  diagnostics = result.diagnostics;
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`compile errors:\n${errors.map((d) => `${d.code} ${d.pointer}: ${d.message}`).join("\n")}`);
  for (const [name, text] of result.files) writeFileSync(join(dir, name), text);
  workflows = (await import(pathToFileURL(join(dir, "criteria.arazzo.ts")).href)) as Record<string, WorkflowFunction>;
});

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function stub(canned: Canned, calls: { count: number }): typeof fetch {
  return async () => {
    calls.count++;
    const status = canned.status ?? 200;
    const headers: Record<string, string> = { ...canned.headers };
    let body: string | null = null;
    if (canned.body !== undefined) {
      body = JSON.stringify(canned.body);
      headers["content-type"] ??= "application/json";
    } else if (canned.text !== undefined) {
      body = canned.text;
      headers["content-type"] ??= "text/plain";
    }
    return new Response(status === 204 ? null : body, { status, headers });
  };
}

/** Runs the case's workflow on one response: true when the step succeeded, false when its criteria failed. */
async function passes(c: Case, canned: Canned): Promise<boolean> {
  const run = workflows[c.workflowId!];
  if (run === undefined) throw new Error(`the module exports no function ${c.workflowId}`);
  const calls = { count: 0 };
  try {
    await run({}, { fetch: stub(canned, calls) });
    return true;
  } catch (error) {
    const e = error as { name?: string; reason?: string };
    if (e.name === "WorkflowError" && (e.reason === "criteria" || e.reason === "http")) return false;
    throw error;
  } finally {
    expect(calls.count).toBe(1);
  }
}

function show(canned: Canned): string {
  const parts: string[] = [];
  if (canned.status !== undefined) parts.push(String(canned.status));
  if (canned.body !== undefined) parts.push(JSON.stringify(canned.body));
  if (canned.text !== undefined) parts.push(`text ${JSON.stringify(canned.text)}`);
  if (canned.status === 204) parts.push("(no body)");
  if (canned.headers !== undefined) parts.push(JSON.stringify(canned.headers));
  return parts.join(" ");
}

function title(c: Case): string {
  return c.criteria
    .map((k) => (k.type && k.type !== "simple" ? `${k.type} ${JSON.stringify(k.condition)} on ${k.context}` : k.condition))
    .join(" AND ");
}

for (const [group, cases] of Object.entries(groups)) {
  describe(group, () => {
    for (const c of cases) {
      for (const row of c.rows) {
        const name = `${title(c)} | ${show(row.response)} -> ${row.expected}`;
        if (row.bug !== undefined) {
          it.fails(`${name} [known bug: ${row.bug}]`, async () => {
            expect(await passes(c, row.response)).toBe(row.expected);
          });
        } else {
          it(name, async () => {
            expect(await passes(c, row.response)).toBe(row.expected);
          });
        }
      }
    }
  });
}

describe("diagnostics of the truth-table document", () => {
  it("has no errors, and each comparison written as a jsonpath criterion is a warning with the simple-condition fix", () => {
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const comparisons = allCases.filter((c) => groups["jsonpath criteria written as comparisons (DESIGN decision 1)"]!.includes(c));
    const warned = diagnostics.filter((d) => d.code === "AZC3004").map((d) => d.pointer);
    expect(warned).toEqual(comparisons.map((c) => `/workflows/${allCases.indexOf(c)}/steps/0/successCriteria/0/condition`));
  });
});
