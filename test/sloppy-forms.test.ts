// Forms with one clear meaning that the specification does not allow (DESIGN decision 1): each compiles to what
// it means, with a warning whose fix is the standard form, and --strict makes each an error. A document written
// with every such form and its twin written in the standard forms are compiled together, type-checked, and run
// against the same local server: they send the same requests and give the same outputs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compile, type CompileResult, type Diagnostic } from "../compiler/index.js";
import { startServer, type Recorded, type Reply, type TestServer } from "./support/json-server.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-sloppy-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const order = {
  type: "object",
  required: ["id", "status"],
  properties: {
    id: { type: "integer" },
    status: { type: "string" },
    customer: { type: "object", properties: { name: { type: "string" } } },
  },
};

const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "Shop", version: "1.0.0" },
  servers: [{ url: "https://shop.example.com" }],
  paths: {
    "/orders": {
      get: {
        operationId: "listOrders",
        responses: {
          "200": {
            description: "The orders",
            headers: { "X-Rate.Limit": { schema: { type: "string" } } },
            content: { "application/json": { schema: { type: "array", items: order } } },
          },
        },
      },
      post: {
        operationId: "createOrder",
        requestBody: { content: { "application/json": { schema: { type: "object" } } } },
        responses: {
          "201": {
            description: "Created",
            headers: { Location: { schema: { type: "string" } } },
            content: {
              "application/json": {
                schema: { type: "object", properties: { id: { type: "integer" }, items: { type: "array", items: { type: "string" } } } },
              },
            },
          },
        },
      },
    },
  },
};

const INPUTS = {
  type: "object",
  required: ["customer"],
  properties: { customer: { type: "object", properties: { name: { type: "string" } } } },
};

/** The workflow with every sloppy form; `standard` writes each as the specification does. */
function workflow(standard: boolean): object {
  const pick = (sloppy: unknown, written: unknown): unknown => (standard ? written : sloppy);
  const outputs: Record<string, unknown> = {
    firstId: "$steps.listOrders.outputs.firstId",
    firstCustomer: "$steps.listOrders.outputs.firstCustomer",
    rate: "$steps.listOrders.outputs.rate",
    created: "$steps.createOrder.outputs.created",
    location: "$steps.createOrder.outputs.location",
  };
  if (!standard) Object.assign(outputs, { status: "done", count: 3 });
  return {
    arazzo: "1.0.1",
    info: { title: standard ? "Standard forms" : "Sloppy forms", version: "1.0.0" },
    sourceDescriptions: [{ name: "shop", url: "./shop.openapi.json", type: "openapi" }],
    workflows: [
      {
        workflowId: standard ? "standard" : "sloppy",
        inputs: INPUTS,
        steps: [
          {
            stepId: "listOrders",
            operationPath: pick("shop#/paths/~1orders/get", "{$sourceDescriptions.shop.url}#/paths/~1orders/get"),
            successCriteria: [
              { context: "$response.body", type: "jsonpath", condition: pick("$.length > 0", "$[0]") },
              { context: "$response.body#/0/status", type: "regex", condition: pick("(?i)^open$", "^[Oo][Pp][Ee][Nn]$") },
            ],
            outputs: {
              firstId: pick("$response.body[0].id", "$response.body#/0/id"),
              firstCustomer: pick("$response.body#0/customer/name", "$response.body#/0/customer/name"),
              rate: pick("$response.headers.X-Rate.Limit", "$response.header.X-Rate.Limit"),
            },
          },
          {
            stepId: "createOrder",
            operationId: "createOrder",
            requestBody: {
              contentType: "application/json",
              payload: {
                customerName: pick("$inputs.customer.name", "$inputs.customer#/name"),
                sourceId: "$steps.listOrders.outputs.firstId",
                items: ["{$steps.listOrders.outputs.firstCustomer}"],
                method: pick("$method", "POST"),
                api: "$sourceDescriptions.shop.url",
                note: "$note",
              },
            },
            successCriteria: [
              pick(
                { context: "$response.body#/items", condition: "$.length >= 1" },
                { context: "$response.body#/items", type: "jsonpath", condition: "$[0]" },
              ),
            ],
            outputs: {
              created: pick("$response.body.id", "$response.body#/id"),
              location: pick("$response.headers.Location", "$response.header.Location"),
            },
          },
        ],
        outputs,
      },
    ],
  };
}

type Run = (inputs: { customer: { name?: string } }, options: object) => Promise<Record<string, unknown>>;

let compiled: CompileResult;
let sloppy: Run;
let standard: Run;
const folder = join(temp, "shop");

/** The diagnostics of one document, as code and line:column, in order. */
function briefs(list: readonly Diagnostic[], file: string): string[] {
  return list.filter((d) => d.file.endsWith(file)).map((d) => `${d.severity} ${d.code} ${d.range?.line}:${d.range?.column}`);
}

beforeAll(async () => {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "shop.openapi.json"), JSON.stringify(OPENAPI, null, 2));
  writeFileSync(join(folder, "sloppy.arazzo.json"), JSON.stringify(workflow(false), null, 2));
  writeFileSync(join(folder, "standard.arazzo.json"), JSON.stringify(workflow(true), null, 2));
  compiled = await compile({ inputs: [join(folder, "sloppy.arazzo.json"), join(folder, "standard.arazzo.json")], cwd: folder });
  for (const [file, text] of compiled.files) writeFileSync(join(folder, file), text);
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    join(folder, "tsconfig.json"),
    JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./*.ts"] }),
  );
  sloppy = ((await import(pathToFileURL(join(folder, "sloppy.arazzo.ts")).href)) as { sloppy: Run }).sloppy;
  standard = ((await import(pathToFileURL(join(folder, "standard.arazzo.ts")).href)) as { standard: Run }).standard;
}, 120_000);

/**
 * Line and column in the JSON-formatted document of the first occurrence of `needle`, `skip` characters on.
 * A diagnostic about a whole node is at its opening quote; one about an expression inside a string, after it.
 */
function at(file: string, needle: string, skip = 0): string {
  const text = JSON.stringify(workflow(file.startsWith("standard")), null, 2);
  const index = text.indexOf(needle);
  expect(index, needle).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, index + skip).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

describe("the sloppy forms compile, each with its warning at the text that holds it", () => {
  it("the standard twin compiles with one warning: text that starts with $ has no standard spelling in Arazzo 1.0", () => {
    const file = "standard.arazzo.json";
    expect(briefs(compiled.diagnostics, file)).toEqual([`warning AZC3027 ${at(file, '"$note"', 1)}`]);
  });

  it("each sloppy form is one warning, at the form", () => {
    const file = "sloppy.arazzo.json";
    expect(briefs(compiled.diagnostics, file).sort()).toEqual(
      [
        `warning AZC3021 ${at(file, '"shop#/paths')}`,
        `warning AZC3028 ${at(file, '"$.length > 0"')}`,
        `warning AZC3024 ${at(file, '"(?i)^open$"', 1)}`,
        `warning AZC3020 ${at(file, '"$response.body[0].id"', 1)}`,
        `warning AZC3022 ${at(file, '"$response.body#0/customer/name"', 1)}`,
        `warning AZC3023 ${at(file, '"$response.headers.X-Rate.Limit"', 1)}`,
        `warning AZC3020 ${at(file, '"$inputs.customer.name"', 1)}`,
        `warning AZC3026 ${at(file, '"$method"', 1)}`,
        `warning AZC3027 ${at(file, '"$note"', 1)}`,
        `warning AZC3028 ${at(file, '"$.length >= 1"')}`,
        `warning AZC3020 ${at(file, '"$response.body.id"', 1)}`,
        `warning AZC3023 ${at(file, '"$response.headers.Location"', 1)}`,
        `warning AZC3025 ${at(file, '"done"')}`,
        `warning AZC3025 ${at(file, '"count": 3', '"count": '.length)}`,
      ].sort(),
    );
  });

  it("each fix names the standard form the twin writes", () => {
    const fixes = compiled.diagnostics.filter((d) => d.file.endsWith("sloppy.arazzo.json")).map((d) => `${d.code}: ${d.fix}`);
    for (const standardForm of [
      "AZC3021: Write {$sourceDescriptions.shop.url}#/paths/~1orders/get",
      "AZC3020: Write $response.body#/0/id",
      "AZC3022: Write $response.body#/0/customer/name",
      "AZC3023: Write $response.header.X-Rate.Limit",
      "AZC3020: Write $inputs.customer#/name",
      "AZC3026: Write the method itself: POST",
      "AZC3027: If it is meant as a value, write a runtime expression",
      "AZC3024: Drop (?i) and match both cases where they matter: ^[Oo][Pp][Ee][Nn]$",
      "AZC3028: Write the jsonpath criterion $[0]",
    ])
      expect(
        fixes.some((fix) => fix.startsWith(standardForm)),
        `${standardForm}\n${fixes.join("\n")}`,
      ).toBe(true);
  });

  it("constant outputs have their literal types", () => {
    const outputs = compiled.program.modules.find((m) => m.name.startsWith("sloppy"))!.workflows[0]!.outputs;
    expect(outputs.find((o) => o.name === "status")?.type).toEqual({ kind: "literal", value: "done" });
    expect(outputs.find((o) => o.name === "count")?.type).toEqual({ kind: "literal", value: 3 });
    // A navigated read is typed from the response schema at the pointer it means.
    const standardOutputs = compiled.program.modules.find((m) => m.name.startsWith("standard"))!.workflows[0]!.outputs;
    expect(outputs.find((o) => o.name === "firstId")?.type).toEqual(standardOutputs.find((o) => o.name === "firstId")?.type);
  });

  it("the generated modules type-check under the strict settings", async () => {
    const checked = await execa(resolve("node_modules/.bin/tsc"), ["-p", join(folder, "tsconfig.json")], { reject: false });
    expect(checked.stdout + checked.stderr).toBe("");
  }, 120_000);
});

describe("the sloppy module runs as its standard twin", () => {
  function shop(orders: unknown[]): (r: Recorded) => Reply {
    return (r) =>
      r.method === "GET"
        ? { status: 200, headers: { "x-rate.limit": "99" }, body: orders }
        : { status: 201, headers: { location: "/orders/7" }, body: { id: 7, items: (JSON.parse(r.body) as { items: unknown[] }).items } };
  }

  it("sends the same requests and gives the same outputs (and the constants)", async () => {
    const results: Record<string, unknown>[] = [];
    const bodies: unknown[] = [];
    for (const run of [sloppy, standard]) {
      server = await startServer(shop([{ id: 1, status: "OPEN", customer: { name: "ann" } }]));
      results.push(await run({ customer: { name: "bob" } }, { servers: { shop: server.url } }));
      bodies.push(server.requests.map((r) => `${r.method} ${r.path} ${r.body}`));
      await server.close();
      server = undefined;
    }
    expect(results[0]).toEqual({ ...results[1], status: "done", count: 3 });
    expect(results[1]).toEqual({ firstId: 1, firstCustomer: "ann", rate: "99", created: 7, location: "/orders/7" });
    expect(bodies[0]).toEqual(bodies[1]);
    expect(JSON.parse((bodies[0] as string[])[1]!.split(" ").slice(2).join(" "))).toEqual({
      customerName: "bob",
      sourceId: 1,
      items: ["ann"],
      method: "POST",
      api: "./shop.openapi.json",
      note: "$note",
    });
  });

  it("both fail the same way where the length criterion does not hold", async () => {
    for (const run of [sloppy, standard]) {
      server = await startServer(shop([]));
      await expect(run({ customer: { name: "bob" } }, { servers: { shop: server.url } })).rejects.toMatchObject({
        reason: "criteria",
        stepId: "listOrders",
      });
      await server.close();
      server = undefined;
    }
  });

  it("(?i) matches regardless of case, as the twin's pattern does; other text fails both", async () => {
    for (const status of ["open", "Open", "closed"]) {
      const outcomes: string[] = [];
      for (const run of [sloppy, standard]) {
        server = await startServer(shop([{ id: 1, status, customer: { name: "ann" } }]));
        outcomes.push(
          await run({ customer: { name: "bob" } }, { servers: { shop: server.url } }).then(
            () => "ok",
            (error: { reason: string }) => error.reason,
          ),
        );
        await server.close();
        server = undefined;
      }
      expect(outcomes, status).toEqual(status === "closed" ? ["criteria", "criteria"] : ["ok", "ok"]);
    }
  });
});

describe("--strict and the config's strict make each sloppy form an error", () => {
  it("compile({ strict: true }): every sloppy warning is an error", async () => {
    const strict = await compile({ inputs: [join(folder, "sloppy.arazzo.json")], cwd: folder, strict: true, emit: false });
    const own = strict.diagnostics.filter((d) => d.file.endsWith("sloppy.arazzo.json"));
    expect(own.length).toBe(14);
    expect(own.every((d) => d.severity === "error" && /^AZC302\d$/.test(d.code))).toBe(true);
  });

  it("arazzoc check --strict exits 1 and names the code; without it, 0", async () => {
    const cli = resolve("dist/compiler/cli.js");
    const lax = await execa(process.execPath, [cli, "check", "sloppy.arazzo.json"], { cwd: folder, reject: false });
    expect(lax.exitCode).toBe(0);
    const strict = await execa(process.execPath, [cli, "check", "sloppy.arazzo.json", "--strict"], { cwd: folder, reject: false });
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout + strict.stderr).toContain("error AZC3020: '$response.body[0].id' navigates");
  });
});

describe("what stays as it is", () => {
  async function diagnosticsOf(steps: object[], outputs: Record<string, string> = {}): Promise<Diagnostic[]> {
    const file = join(folder, `case-${Math.random().toString(36).slice(2)}.arazzo.json`);
    const document = {
      arazzo: "1.0.1",
      info: { title: "Case", version: "1.0.0" },
      sourceDescriptions: [{ name: "shop", url: "./shop.openapi.json", type: "openapi" }],
      workflows: [{ workflowId: "case", inputs: INPUTS, steps, outputs }],
    };
    writeFileSync(file, JSON.stringify(document));
    return (await compile({ inputs: [file], cwd: folder, emit: false })).diagnostics;
  }

  it("an output named with a dot is read by its name, not navigated", async () => {
    const list = await diagnosticsOf([{ stepId: "list", operationId: "listOrders", outputs: { "first.id": "$response.body#/0/id" } }], {
      id: "$steps.list.outputs.first.id",
    });
    expect(list).toEqual([]);
  });

  it("a navigated read is checked against the response schema like a pointer", async () => {
    const list = await diagnosticsOf([{ stepId: "list", operationId: "listOrders", outputs: { x: "$response.body[0].nope" } }]);
    expect(list.map((d) => d.code).sort()).toEqual(["AZC3020", "AZC4021"]);
    expect(list.find((d) => d.code === "AZC4021")?.message).toContain("'/0/nope'");
  });

  it("[*], [] and filters select several values: still an error, which says so", async () => {
    const list = await diagnosticsOf([{ stepId: "list", operationId: "listOrders", outputs: { ids: "$response.body[*].id" } }]);
    expect(list.map((d) => `${d.code} ${d.message}`)).toEqual([
      "AZC3001 Invalid runtime expression '$response.body[*].id': '[*]' in '[*].id' selects several values or no index in particular; a runtime expression reads one value: pick one with a JSON pointer (#/items/0/id), or test them in a jsonpath criterion",
    ]);
  });

  it("a navigated input read is checked against the inputs schema", async () => {
    const payload = { a: "$inputs.customer.nmae", b: "$inputs.customer#/name" };
    const list = await diagnosticsOf([{ stepId: "create", operationId: "createOrder", requestBody: { payload } }]);
    expect(list.map((d) => `${d.code} ${d.message}`)).toEqual([
      "AZC3020 '$inputs.customer.nmae' navigates with . or [n] outside a simple condition; it is read as $inputs.customer#/nmae",
      "AZC3029 Input 'customer' of workflow case has no '/nmae' in its schema",
    ]);
  });

  it("an operationPath whose prefix names no source, or whose pointer reaches no operation, is still an error", async () => {
    const unknown = await diagnosticsOf([{ stepId: "list", operationPath: "other#/paths/~1orders/get" }]);
    expect(unknown.map((d) => d.code)).toEqual(["AZC3001"]);
    const noOperation = await diagnosticsOf([{ stepId: "list", operationPath: "shop#/paths/~1orders" }]);
    expect(noOperation.map((d) => d.code)).toEqual(["AZC3001"]);
    const byUrl = await diagnosticsOf([{ stepId: "list", operationPath: "./shop.openapi.json#/paths/~1orders/get" }]);
    expect(byUrl.map((d) => `${d.code} ${d.message}`)).toEqual([
      "AZC3021 operationPath './shop.openapi.json#/paths/~1orders/get' names its source by its url; it is read as {$sourceDescriptions.shop.url}#/paths/~1orders/get",
    ]);
  });

  it("JSONPath text in a value stays text without a warning; an expression prefix with an error stays an error", async () => {
    const payload = { query: "$.store.book", price: "$[0]" };
    const text = await diagnosticsOf([{ stepId: "create", operationId: "createOrder", requestBody: { payload } }]);
    expect(text).toEqual([]);
    const broken = await diagnosticsOf([{ stepId: "create", operationId: "createOrder", requestBody: { payload: { a: "$inputs" } } }]);
    expect(broken.map((d) => d.code)).toEqual(["AZC3001"]);
  });

  it("$method in a workflow output is still unavailable (no request there)", async () => {
    const list = await diagnosticsOf([{ stepId: "list", operationId: "listOrders" }], { method: "$method" });
    expect(list.map((d) => d.code)).toEqual(["AZC3009"]);
  });
});
