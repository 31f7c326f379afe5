// The Arazzo 1.1 fixture (fixtures/cases/v11/semantics) against a local orders server: Selector Objects in
// outputs, parameter values, payloads and replacements; step dependsOn reordering and its run-time check;
// whole query strings; action parameters for a retry's workflow and a goto's workflow; spliced regex patterns
// and a Goessner JSONPath criterion.
import { afterEach, describe, expect, it } from "vitest";
import {
  afterPublisher,
  guardedRead,
  patientConsumer,
  placeOrder,
  search,
  uncheckedConsumer,
} from "../out/v11-semantics/orders.arazzo.js";
import { WorkflowError } from "../out/v11-semantics/runtime.js";
import { startServer, type Recorded, type Reply, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const listed = {
  items: [
    { id: 1, status: "open", total: 5 },
    { id: 2, status: "shipped", total: 9 },
    { id: 3, status: "open", total: 12 },
  ],
};
const created = { id: 42, status: "confirmed", total: 20, lines: [{ sku: "a", qty: 1 }, { sku: "b", qty: 2 }] };

async function orders(handler?: (r: Recorded) => Reply | undefined): Promise<TestServer> {
  server = await startServer((r: Recorded): Reply => {
    const custom = handler?.(r);
    if (custom) return custom;
    if (r.method === "GET" && r.path === "/orders") return { status: 200, body: listed };
    if (r.method === "POST" && r.path === "/orders") return { status: 201, body: created };
    if (r.method === "GET" && r.path === "/orders/search") return { status: 200, body: { items: [listed.items[0]] } };
    if (r.method === "GET" && r.path === "/orders/42") return { status: 200, body: { id: 42, status: "confirmed", total: 20 } };
    if (r.method === "POST" && r.path === "/events") return { status: 202 };
    return { status: 404, body: "not found" };
  });
  return server;
}

const order = { petId: 7, quantity: 3, customer: { name: "Ann Lee" } };

describe("placeOrder (selectors, dependsOn, querystring, spliced regex, Goessner JSONPath)", () => {
  it("runs create before confirm (dependsOn), fills the body from selectors and reads outputs through them", async () => {
    const s = await orders();
    const out = await placeOrder({ order, minTotal: 10, statusPattern: "conf[a-z]+" }, { servers: { orders: s.url } });
    expect(out).toEqual({ orderId: 42, status: "confirmed", ids: [1, 2, 3], skus: ["a", "b"] });
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /orders", "POST /orders", "GET /orders/42"]);
    // The whole query string: literal text kept, the embedded value encoded, a space percent-encoded.
    expect(s.requests[0]!.search).toBe("status=open&min=10&note=a%20b");
    // A pointer selector for petId, a JSONPath replacement target fed by a JSONPath selector, a pointer replacement.
    expect(JSON.parse(s.requests[1]!.body)).toEqual({ petId: 7, quantity: 3, customer: { name: "Ann Lee" } });
  });

  it("a selector that finds nothing gives undefined, which a JSON body leaves out", async () => {
    const s = await orders();
    await placeOrder({ order: { petId: 7 }, minTotal: 0, statusPattern: "confirmed" }, { servers: { orders: s.url } });
    // quantity (a pointer) and customer.name (a JSONPath replacement's value) select nothing.
    expect(JSON.parse(s.requests[1]!.body)).toEqual({ petId: 7, customer: {} });
  });

  it("an embedded value is pattern text: a pattern that does not compile fails the criterion, it does not throw", async () => {
    const s = await orders();
    const error = await placeOrder({ order, minTotal: 1, statusPattern: "(" }, { servers: { orders: s.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).stepId).toBe("confirm");
    expect((error as WorkflowError).reason).toBe("criteria");
  });

  it("the Goessner filter fails the step when no line has a quantity", async () => {
    const s = await orders((r) => (r.method === "POST" ? { status: 201, body: { ...created, lines: [{ sku: "a", qty: 0 }] } } : undefined));
    const error = await placeOrder({ order, minTotal: 1, statusPattern: ".*" }, { servers: { orders: s.url } }).catch((e: unknown) => e);
    expect((error as WorkflowError).stepId).toBe("create");
    expect((error as WorkflowError).reason).toBe("criteria");
  });
});

describe("search (a JSON query string)", () => {
  it("sends the JSON text of the value, percent-encoded whole", async () => {
    const s = await orders();
    const out = await search({ query: { status: "open", tag: "a&b" } }, { servers: { orders: s.url } });
    expect(out).toEqual({ found: [listed.items[0]] });
    expect(s.requests[0]!.search).toBe(encodeURIComponent(JSON.stringify({ status: "open", tag: "a&b" })));
    expect(JSON.parse(decodeURIComponent(s.requests[0]!.search))).toEqual({ status: "open", tag: "a&b" });
  });
});

describe("guardedRead (action parameters)", () => {
  it("a 401 runs get-token with the parameters, evaluated after the step; the retry then succeeds and hands over", async () => {
    let reads = 0;
    const s = await orders((r) => {
      if (r.path === "/orders/5") return ++reads === 1 ? { status: 401, body: "expired" } : { status: 200, body: { id: 5, status: "open", total: 3 } };
      if (r.path === "/tokens") return { status: 200, body: { token: "t-1" } };
      return undefined;
    });
    const out = await guardedRead({ user: "ann", orderId: 5 }, { servers: { orders: s.url }, poll: { intervalMs: 1 } });
    // order-summary received orderId and seenStatus from the goto's parameters.
    expect(out).toEqual({ total: 3, seenStatus: "open" });
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /orders/5", "POST /tokens", "GET /orders/5", "GET /orders/5"]);
    expect(JSON.parse(s.requests[1]!.body)).toEqual({ user: "ann", reason: "status 401" });
  });

  it("without the goto's criteria met, the workflow returns its own outputs", async () => {
    const s = await orders((r) => (r.path === "/orders/5" ? { status: 200, body: { id: 5, status: "shipped", total: 8 } } : undefined));
    expect(await guardedRead({ user: "ann", orderId: 5 }, { servers: { orders: s.url } })).toEqual({ total: 8 });
  });
});

describe("step dependsOn on another workflow's step", () => {
  it("is met when the workflow depends on that workflow: it has run first", async () => {
    const s = await orders();
    await afterPublisher({}, { servers: { orders: s.url } });
    expect(s.requests.map((r) => `${r.method} ${r.path}?${r.search}`)).toEqual(["POST /events?", "GET /orders?status=shipped"]);
  });

  it("is checked when the step starts otherwise: the step fails with reason dependency, nothing is sent", async () => {
    const s = await orders();
    const error = await uncheckedConsumer({}, { servers: { orders: s.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).reason).toBe("dependency");
    expect((error as WorkflowError).stepId).toBe("read");
    expect(s.requests).toEqual([]);
  });

  it("a failure action may handle it: the retry runs the publisher, and the step then passes", async () => {
    const s = await orders();
    expect(await patientConsumer({}, { servers: { orders: s.url }, poll: { intervalMs: 1 } })).toEqual({});
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /events", "GET /orders"]);
  });
});
