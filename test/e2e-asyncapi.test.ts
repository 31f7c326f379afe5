// The official Arazzo 1.1 AsyncAPI example (fixtures/arazzo-1.1-examples, errata corrected; compiled to
// out/asyncapi) run end to end: the pet store's HTTP API is a local server, the order and its confirmation travel
// through a real MQTT broker (mosquitto on 127.0.0.1) by the adapter of docs/transports.md, and a second MQTT client
// plays the order service. The same module then runs over the in-memory transport, with no broker at all.
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loginUserAndRetrievePet } from "../out/asyncapi/pet-purchase.arazzo.js";
import { createMemoryTransport } from "../out/asyncapi/runtime-messages.js";
import { WorkflowError } from "../out/asyncapi/runtime.js";
import { startMosquitto, mosquittoInstalled, type Broker } from "./support/mosquitto.js";
import { mqttTransport } from "./support/mqtt-transport.js";
import { startServer, type TestServer } from "./support/json-server.js";

let store: TestServer | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** The pet store: a login that hands out a session token, and one available pet (or none). */
async function petStore(pets: unknown[] = [{ id: 7, name: "Rex", status: "available" }]): Promise<TestServer> {
  store = await startServer((r) => {
    if (r.method === "GET" && r.path === "/api/v3/user/login")
      return { status: 200, headers: { "x-rate-limit": "100", "x-expires-after": "2026-12-01T00:00:00Z" }, body: "session-token-1" };
    if (r.method === "GET" && r.path === "/api/v3/pet/findByStatus")
      return r.headers["authorization"] === "session-token-1" ? { status: 200, body: pets } : { status: 401, body: "no session" };
    return { status: 404, body: "not found" };
  });
  return store;
}

const inputs = { username: "ada", password: "secret-password", orderCorrelationId: "order-1" };

const required = process.env["CI"] === "true";
if (!mosquittoInstalled() && !required)
  console.warn("e2e-asyncapi: broker part skipped, mosquitto is missing (npm test's pretest installs it); CI runs it.");

describe.skipIf(!mosquittoInstalled() && !required)("the pet purchase example through mosquitto", () => {
  let broker: Broker;
  let workflowClient: MqttClient;
  let orderService: MqttClient;
  /** What the order service read from place-order. */
  const orders: { headers: Record<string, unknown>; payload: unknown }[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    workflowClient = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    orderService = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    // The order service confirms each order on confirm-order, after a confirmation of someone else's order.
    await orderService.subscribeAsync("place-order", { qos: 1 });
    orderService.on("message", (topic, bytes, packet) => {
      if (topic !== "place-order") return;
      const headers = { ...packet.properties?.userProperties };
      const payload = JSON.parse(bytes.toString()) as { petId: number };
      orders.push({ headers, payload });
      const confirm = (requestId: string, orderId: number) =>
        orderService.publish("confirm-order", JSON.stringify({ orderId }), {
          qos: 1,
          properties: { contentType: "application/json", userProperties: { orderRequestId: requestId } },
        });
      confirm("someone-else", 1);
      confirm(String(headers["orderRequestId"]), 1000 + payload.petId);
    });
  });
  afterAll(async () => {
    await workflowClient?.endAsync();
    await orderService?.endAsync();
    await broker?.stop();
  });

  it("logs in, finds a pet over HTTP, sends the order and reads its confirmation from the broker", async () => {
    const s = await petStore();
    const out = await loginUserAndRetrievePet(inputs, {
      servers: { petStoreDescription: `${s.url}/api/v3` },
      transports: { asyncOrderApiDescription: mqttTransport(workflowClient) },
    });
    expect(out).toEqual({ orderId: 1007 });
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v3/user/login", "GET /api/v3/pet/findByStatus"]);
    expect(s.requests[0]!.query.get("username")).toBe("ada");
    expect(orders).toEqual([{ headers: { orderRequestId: "order-1" }, payload: { petId: 7 } }]);
  });

  it("ends without an order when no pet is available (the noPetsAvailable action)", async () => {
    const s = await petStore([]);
    const before = orders.length;
    const out = await loginUserAndRetrievePet(
      { ...inputs, orderCorrelationId: "order-2" },
      { servers: { petStoreDescription: `${s.url}/api/v3` }, transports: { asyncOrderApiDescription: mqttTransport(workflowClient) } },
    );
    expect(out).toEqual({});
    expect(orders.length).toBe(before);
  });
});

describe("the pet purchase example over the in-memory transport", () => {
  it("runs the same module with no broker: the test answers the order itself", async () => {
    const s = await petStore();
    const transport = createMemoryTransport({
      respond: ({ channel, message }, t) => {
        if (channel.address !== "place-order") return;
        const orderId = 2000 + (message.payload as { petId: number }).petId;
        t.deliver("confirm-order", { headers: { orderRequestId: message.headers["orderRequestId"] }, payload: { orderId } });
      },
    });
    const out = await loginUserAndRetrievePet(inputs, {
      servers: { petStoreDescription: `${s.url}/api/v3` },
      transports: { asyncOrderApiDescription: transport },
    });
    expect(out).toEqual({ orderId: 2007 });
    // The operation's declared reply reaches the transport as information; the workflow's receive step takes it.
    expect(transport.sent[0]?.channel.reply).toEqual({ channel: "confirm-order", address: "confirm-order" });
    expect(transport.sent.map((m) => [m.channel.operation, m.message])).toEqual([
      [
        "placeOrder",
        { headers: { orderRequestId: "order-1" }, payload: { petId: 7 }, contentType: "application/json", message: "placeOrder.message" },
      ],
    ]);
    expect(transport.subscribers("confirm-order")).toBe(0);
  });

  it("fails at the send step with reason transport when the transport cannot send, closing the early subscription", async () => {
    const s = await petStore();
    const memory = createMemoryTransport();
    const failing = { ...memory, send: () => Promise.reject(new Error("broker unreachable")) };
    const error = await loginUserAndRetrievePet(inputs, {
      servers: { petStoreDescription: `${s.url}/api/v3` },
      transports: { asyncOrderApiDescription: failing },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ reason: "transport", stepId: "purchasePetStep" });
    expect(memory.subscribers("confirm-order")).toBe(0);
  });
});
