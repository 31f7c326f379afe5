// The typed-orders fixture (fixtures/cases/types): generated input checks, typed outputs read through
// $ref/oneOf/discriminators, response headers, and secrets kept out of hooks and errors.
import { afterEach, describe, expect, it } from "vitest";
import { placeOrder, type PlaceOrderInputs } from "../out/cases/typed-orders.arazzo.js";
import { WorkflowError, type RequestEvent } from "../out/cases/runtime.js";
import { startServer, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const order = {
  id: "9b2f4b5e-0c7a-4e53-9a7e-5e1c1c7f1b11",
  status: "paid",
  items: [{ sku: "abc-1", quantity: 2 }],
  total: null,
  payment: { kind: "card", last4: "4242" },
};

async function orders(status = 201): Promise<TestServer> {
  server = await startServer((r) => {
    if (r.method === "POST" && r.path === "/v2/orders") {
      return status === 201
        ? { status, headers: { location: `/v2/orders/${order.id}`, "x-trace": "t-1" }, body: order }
        : { status, headers: { "content-type": "application/problem+json" }, body: { title: "no such sku" } };
    }
    if (r.method === "GET" && r.path === `/v2/orders/${order.id}`) return { status: 200, body: order };
    return { status: 404, body: "not found" };
  });
  return server;
}

const good: PlaceOrderInputs = { apiKey: "sk-live-secret-1234", items: [{ sku: "abc-1", quantity: 2 }], priority: "high" };

describe("placeOrder", () => {
  it("sends the order and returns outputs read through $ref, oneOf and headers", async () => {
    const s = await orders();
    const out = await placeOrder(good, { servers: { orders: `${s.url}/v2` } });
    expect(out).toEqual({ orderId: order.id, status: "paid", location: `/v2/orders/${order.id}`, order });
    expect(JSON.parse(s.requests[0]!.body)).toEqual({ items: [{ sku: "abc-1", quantity: 2 }] });
    expect(s.requests[0]!.headers["authorization"]).toBe("Bearer sk-live-secret-1234");
    expect(s.requests[1]!.path).toBe(`/v2/orders/${order.id}`);
  });

  it("keeps the password input out of hook events and error messages", async () => {
    const s = await orders(400);
    const events: RequestEvent[] = [];
    const error = await placeOrder(good, { servers: { orders: `${s.url}/v2` }, hooks: { onRequest: (e) => void events.push(e) } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowError);
    const e = error as WorkflowError;
    expect(e.status).toBe(400);
    expect(e.bodyExcerpt).toContain("no such sku");
    expect(events[0]!.headers["authorization"]).toBe("[redacted]");
    expect(JSON.stringify(events)).not.toContain("sk-live-secret-1234");
    expect(e.message).not.toContain("sk-live-secret-1234");
  });

  it("checks inputs against the schema before any request, with the pointer of each problem", async () => {
    const s = await orders();
    const bad = {
      apiKey: 7,
      items: [{ sku: "ab", quantity: 0 }, { quantity: 100 }],
      priority: "urgent",
      channel: "phone",
      note: "x".repeat(21),
      coordinates: [1, "2"],
      tags: { a: 1 },
      contact: { fax: "1" },
      extra: true,
    } as unknown as PlaceOrderInputs;
    const error = (await placeOrder(bad, { servers: { orders: s.url } }).catch((e: unknown) => e)) as WorkflowError;
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error.reason).toBe("inputs");
    expect(error.problems).toEqual([
      "/apiKey must be a string",
      "/items/0/sku must have at least 3 characters",
      "/items/0/quantity must be at least 1",
      "/items/1/sku is required",
      "/items/1/quantity must be at most 99",
      '/priority must be one of "low", "normal", "high"',
      '/channel must be "web"',
      "/note must have at most 20 characters",
      "/coordinates/1 must be a number",
      "/tags/a must be a string",
      "/contact must match exactly one of its 2 schemas (it matches 0)",
      "/extra is not allowed (additionalProperties is false)",
    ]);
    expect(s.requests).toHaveLength(0);
  });
});
