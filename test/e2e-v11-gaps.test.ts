// Arazzo 1.1 behaviour compiled and run against a local server: a form query string's embedded values and object
// values (A-12, delta 22), the order a reordered workflow with a poll loop sends its requests in (delta 18), and a
// Selector Object over a string context. Each document is compiled into its own folder, type-checked and
// imported.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { startServer, type Recorded, type Reply, type TestServer } from "./support/json-server.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-v11-gaps-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: (r: Recorded) => Reply): Promise<TestServer> {
  server = await startServer(handler);
  return server;
}

const ORDERS = resolve("fixtures/cases/v11/semantics/orders.openapi.yaml");

type Workflow = (inputs: object, options: object) => Promise<unknown>;

/**
 * Compiles `document` (a file already in `folder`, or an object written there) with the orders description beside
 * it at semantics/orders.openapi.yaml, type-checks the module and imports it.
 */
async function build(folder: string, file: string, content?: object): Promise<Record<string, Workflow>> {
  const dir = join(temp, folder);
  mkdirSync(join(dir, "semantics"), { recursive: true });
  cpSync(ORDERS, join(dir, "semantics", "orders.openapi.yaml"));
  if (content) writeFileSync(join(dir, file), JSON.stringify(content, null, 2));
  const result = await compile({ inputs: [join(dir, file)], cwd: dir, root: dir });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  for (const [name, text] of result.files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./**/*.ts"] }),
  );
  const checked = await execa(resolve("node_modules/.bin/tsc"), ["-p", join(dir, "tsconfig.json")], { reject: false });
  expect(checked.stdout + checked.stderr).toBe("");
  const module = [...result.files.keys()].find((name) => name.endsWith(".arazzo.ts"));
  return (await import(pathToFileURL(join(dir, module!)).href)) as never;
}

function document(workflows: object[]): object {
  return {
    arazzo: "1.1.0",
    info: { title: "Arazzo 1.1 behaviour", version: "1.0.0" },
    sourceDescriptions: [{ name: "orders", url: "./semantics/orders.openapi.yaml", type: "openapi" }],
    workflows,
  };
}

const listed = { items: [{ id: 1, status: "open", total: 5 }] };

describe("a form query string (in: querystring, application/x-www-form-urlencoded)", () => {
  let module: Record<string, Workflow>;
  beforeAll(async () => {
    module = await build(
      "querystring",
      "query.arazzo.json",
      document([
        {
          workflowId: "embedded",
          inputs: { type: "object", required: ["note"], properties: { note: { type: "string" } } },
          steps: [
            {
              stepId: "list",
              operationId: "listOrders",
              parameters: [{ name: "filter", in: "querystring", value: "status=open&note={$inputs.note}" }],
              successCriteria: [{ condition: "$statusCode == 200" }],
            },
          ],
        },
        {
          workflowId: "whole",
          inputs: {
            type: "object",
            required: ["filter"],
            properties: { filter: { type: "object", properties: { status: { type: "string" }, note: { type: "string" } } } },
          },
          steps: [
            {
              stepId: "list",
              operationId: "listOrders",
              parameters: [{ name: "filter", in: "querystring", value: "$inputs.filter" }],
              successCriteria: [{ condition: "$statusCode == 200" }],
            },
          ],
        },
      ]),
    );
  }, 60_000);

  it("URL-encodes an embedded value holding &, = and #: the server reads one member, intact", async () => {
    const s = await serve(() => ({ status: 200, body: listed }));
    const note = "a&b=c#d e";
    await module.embedded!({ note }, { servers: { orders: s.url } });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.search).toBe("status=open&note=a%26b%3Dc%23d%20e");
    expect([...s.requests[0]!.query]).toEqual([
      ["status", "open"],
      ["note", note],
    ]);
  });

  it("sends an object value as name=value pairs, each encoded", async () => {
    const s = await serve(() => ({ status: 200, body: listed }));
    await module.whole!({ filter: { status: "open", note: "x&y=z#" } }, { servers: { orders: s.url } });
    expect([...s.requests[0]!.query]).toEqual([
      ["status", "open"],
      ["note", "x&y=z#"],
    ]);
  });
});

describe("fixtures/cases/v11/order/poll-and-depend (dependsOn reordering and a poll loop), run", () => {
  it("sends token first, then polls check and wait until the order is no longer open", async () => {
    const dir = join(temp, "order");
    mkdirSync(join(dir, "order"), { recursive: true });
    cpSync("fixtures/cases/v11/order/poll-and-depend.arazzo.yaml", join(dir, "order", "poll-and-depend.arazzo.yaml"));
    const module = await build("order", "order/poll-and-depend.arazzo.yaml");
    let reads = 0;
    const s = await serve((r) => {
      if (r.method === "POST" && r.path === "/tokens") return { status: 200, body: { token: "tok" } };
      if (r.method === "GET" && r.path === "/orders/42") {
        reads += 1;
        return { status: 200, body: { id: 42, status: reads < 4 ? "open" : "confirmed", total: 1 } };
      }
      return { status: 404, body: "not found" };
    });
    await expect(module.poll!({ id: 42 }, { servers: { orders: s.url } })).resolves.toEqual({ status: "confirmed" });
    // token is listed second but check depends on it. check goes to wait while the order is open (reads 1 and 3),
    // wait sends the status check read and always goes back to check (check's read of wait is the loop's, so it
    // orders nothing); the fifth read is check's first that is no longer open, and ends the workflow.
    expect(s.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? "-"}`)).toEqual([
      "POST /tokens -",
      "GET /orders/42 tok",
      "GET /orders/42 open",
      "GET /orders/42 tok",
      "GET /orders/42 open",
      "GET /orders/42 tok",
    ]);
    expect(reads).toBe(5);
  }, 60_000);
});

describe("a Selector Object whose context is a string (A-27)", () => {
  it("selects nothing: the string is never parsed as JSON", async () => {
    const module = await build(
      "string-context",
      "selector.arazzo.json",
      document([
        {
          workflowId: "select",
          inputs: { type: "object", required: ["raw"], properties: { raw: { type: "string" } } },
          steps: [{ stepId: "read", operationId: "getOrder", parameters: [{ name: "id", in: "path", value: 42 }] }],
          outputs: {
            pointer: { context: "$inputs.raw", selector: "/id", type: "jsonpointer" },
            singular: { context: "$inputs.raw", selector: "$.id", type: "jsonpath" },
            query: { context: "$inputs.raw", selector: "$[*]", type: "jsonpath" },
          },
        },
      ]),
    );
    const s = await serve(() => ({ status: 200, body: { id: 42, status: "open", total: 1 } }));
    const out = (await module.select!({ raw: '{"id": 5}' }, { servers: { orders: s.url } })) as Record<string, unknown>;
    expect(out.pointer).toBeUndefined();
    expect(out.singular).toBeUndefined();
    expect(out.query).toEqual([]);
    expect(Object.keys(out).sort()).toEqual(["pointer", "query", "singular"]);
  }, 60_000);
});
