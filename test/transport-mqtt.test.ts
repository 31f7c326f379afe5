// The MQTT adapter of docs/transports.md (test/support/mqtt-transport.ts) against a real broker (mosquitto on
// 127.0.0.1): the runtime's message steps send through it, and receive the correlated reply that another client
// publishes, with headers as MQTT 5 user properties.
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkflowRun, type MessageChannel } from "../runtime/runtime.js";
import { startMosquitto, mosquittoInstalled, type Broker } from "./support/mosquitto.js";
import { mqttTransport } from "./support/mqtt-transport.js";
import { listenForMessage, receiveMessage, sendMessage } from "../runtime/runtime-messages.js";

const required = process.env["CI"] === "true";
if (!mosquittoInstalled() && !required)
  console.warn("transport-mqtt: skipped, mosquitto is missing (npm test's pretest installs it); CI runs it.");

describe.skipIf(!mosquittoInstalled() && !required)("the MQTT transport against mosquitto", () => {
  let broker: Broker;
  let workflowClient: MqttClient;
  let otherSide: MqttClient;

  beforeAll(async () => {
    broker = await startMosquitto();
    workflowClient = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    otherSide = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  });
  afterAll(async () => {
    await workflowClient?.endAsync();
    await otherSide?.endAsync();
    await broker?.stop();
  });

  const place: MessageChannel = { source: "orders", channel: "place-order", address: "place-order", action: "send", messages: [] };
  const confirm: MessageChannel = { source: "orders", channel: "confirm-order", address: "confirm-order", action: "receive", messages: [] };

  it("sends a message the other side reads, and receives the reply that carries the correlation value", async () => {
    // The other side: reads each order and answers twice, for another request first.
    await otherSide.subscribeAsync("place-order", { qos: 1 });
    const seen: { headers: unknown; body: string; contentType: string | undefined }[] = [];
    otherSide.on("message", (topic, bytes, packet) => {
      if (topic !== "place-order") return;
      const requestId = packet.properties?.userProperties?.["orderRequestId"];
      seen.push({ headers: packet.properties?.userProperties, body: bytes.toString(), contentType: packet.properties?.contentType });
      const reply = (id: unknown, orderId: number) =>
        otherSide.publish("confirm-order", JSON.stringify({ orderId }), {
          qos: 1,
          properties: { contentType: "application/json", userProperties: { orderRequestId: String(id) } },
        });
      reply("another-request", 1);
      reply(requestId, 42);
    });

    const run = WorkflowRun.start(
      { workflowId: "purchase", secretInputs: [] },
      { transports: { orders: mqttTransport(workflowClient) } },
      {},
    );
    const correlation = { locations: ["$message.header#/orderRequestId"], value: "r-7" };
    await listenForMessage(run, "confirm", confirm, { correlation });
    await run.expect(await sendMessage(run, "place", place, { headers: { orderRequestId: "r-7" }, payload: { petId: 3 } }), true);
    const received = await receiveMessage<{ orderId: number }>(run, "confirm", confirm, { correlation, timeoutMs: 5000 });
    expect(received.error).toBeUndefined();
    expect(received.payload).toEqual({ orderId: 42 });
    expect(received.header("orderrequestid")).toBe("r-7");
    expect(seen).toEqual([{ headers: { orderRequestId: "r-7" }, body: '{"petId":3}', contentType: "application/json" }]);
  });
});
