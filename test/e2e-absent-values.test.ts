// Absent values in requests (delta decision A-36; fixtures/cases/v11/semantics/absent.arazzo.yaml) against a local
// orders server: a path parameter's value or a value embedded in text that is absent fails the step before anything
// is sent, with reason expression naming the expression, and the failure actions decide; an absent whole value of a
// body member is left out, as before.
import { afterEach, describe, expect, it } from "vitest";
import { readOrder } from "../out/v11-semantics/absent.arazzo.js";
import { WorkflowError } from "../out/v11-semantics/runtime.js";
import { startServer, type Recorded, type Reply, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function orders(): Promise<TestServer> {
  server = await startServer((r: Recorded): Reply => {
    if (r.method === "GET" && r.path === "/orders/5") return { status: 200, body: { id: 5, status: "open", total: 3 } };
    if (r.method === "POST" && r.path === "/events") return { status: 202 };
    return { status: 404, body: "not found" };
  });
  return server;
}

describe("a value the request needs", () => {
  it("is sent when present", async () => {
    const s = await orders();
    expect(await readOrder({ user: "ann", id: 5, token: "t-1" }, { servers: { orders: s.url } })).toEqual({ status: "open" });
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /orders/5"]);
    expect(s.requests[0]!.headers["authorization"]).toBe("Bearer t-1");
  });

  it("absent from a header's text: nothing is sent, and the failure action runs; an absent body member is left out", async () => {
    const s = await orders();
    await readOrder({ user: "ann", id: 5 }, { servers: { orders: s.url } });
    // No "Bearer " or "Bearer undefined" reached the server: the read was never sent.
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /events"]);
    expect(JSON.parse(s.requests[0]!.body)).toEqual({ text: "no token for order 5", user: "ann" });
  });

  it("absent as a path value: the step fails with reason expression naming it; so does an embedding in the body", async () => {
    const s = await orders();
    const error = await readOrder({ user: "ann", token: "t-2" }, { servers: { orders: s.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({
      reason: "expression",
      stepId: "report",
      message: "Workflow read-order failed at step report: $inputs.id has no value, which the request needs; nothing was sent",
    });
    expect(s.requests).toEqual([]);
  });
});
