// The names fixture (fixtures/cases/names): workflows named like runtime helpers and globals, inputs and
// outputs named like members of Object.prototype, texts that mention helper names, and a step no path
// reaches. The module keeps its public names, hides no global, reads only own properties, and runs.
import { readFileSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import * as names from "../out/cases/names.arazzo.js";
import { encodeURIComponentWorkflow, list, listWorkflow, valueAt } from "../out/cases/names.arazzo.js";
import { startServer, type Recorded, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function echo(): Promise<{ server: TestServer; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  server = await startServer((r) => {
    requests.push(r);
    if (r.path === "/api/items") return { status: 200, body: { items: [{ status: r.query.get("status") ?? "ok" }], count: 1 } };
    if (r.path === "/api/echo") return { status: 200, body: JSON.parse(r.body) as unknown };
    return { status: 404, body: "no" };
  });
  return { server, requests };
}

const servers = (s: TestServer) => ({ servers: { echo: `${s.url}/api` } });

it("exports each workflow under its own name; a runtime helper of that name is imported under an alias", () => {
  expect(typeof valueAt).toBe("function");
  expect(typeof list).toBe("function");
  expect(typeof listWorkflow).toBe("function");
  const source = readFileSync(new URL("../out/cases/names.arazzo.ts", import.meta.url), "utf8");
  expect(source).toMatch(/\bvalueAt as valueAt_\b/);
  // Nothing shadows the global encodeURIComponent, and the module is no thenable.
  expect(source).not.toMatch(/function encodeURIComponent\(/);
  expect("then" in names).toBe(false);
});

it("valueAt reads a nested input and runs its JSONPath criterion", async () => {
  const { server: s, requests } = await echo();
  expect(await valueAt({ filter: { status: "ok" } }, servers(s))).toEqual({ count: 1 });
  expect(requests[0]!.query.get("status")).toBe("ok");
  await expect(valueAt({ filter: { status: "bad" } }, servers(s))).rejects.toMatchObject({ reason: "criteria" });
});

it("list ends after its first step; the step after it never runs", async () => {
  const { server: s, requests } = await echo();
  expect(await list({}, servers(s))).toEqual({ count: 1 });
  expect(requests).toHaveLength(1);
  expect(await listWorkflow({}, servers(s))).toEqual({ count: 1 });
});

it("inputs named constructor and toString are the caller's own members, or absent", async () => {
  const { server: s, requests } = await echo();
  // Not given: absent, not Object or Object.prototype.toString, and the input check passes. (TypeScript
  // sees Object's members on `{}`, so the literal needs a cast to the inputs type.)
  expect(await encodeURIComponentWorkflow({} as names.EncodeURIComponentWorkflowInputs, servers(s))).toEqual({});
  expect(JSON.parse(requests[0]!.body)).toEqual({});
  const out = await encodeURIComponentWorkflow({ constructor: "c", toString: "t", q: "a b" }, servers(s));
  expect(out).toEqual({ constructor: "c", toString: "t", ["__proto__"]: "t" });
  expect(Object.prototype.hasOwnProperty.call(out, "constructor")).toBe(true);
  // An output named __proto__ is an own member of the result, not its prototype.
  expect(Object.prototype.hasOwnProperty.call(out, "__proto__")).toBe(true);
  expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  expect(JSON.parse(requests[1]!.body)).toEqual({ constructor: "c", toString: "t", q: "a b" });
  await expect(encodeURIComponentWorkflow({ constructor: 5 } as never, servers(s))).rejects.toMatchObject({
    reason: "inputs",
    problems: ["/constructor must be a string"],
  });
});
