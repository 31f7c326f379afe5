// Reading AsyncAPI descriptions (compiler/load/asyncapi.ts): 3.0 (the official example of Arazzo 1.1) and 2.6
// give the same view, operations by key or operationId, channels by pointer, each message with its payload
// and headers schemas (normalized and typed like OpenAPI schemas), content type and correlation location.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { asyncApiVersionProblem, AsyncApiIndexer, type AsyncApiMessage } from "../compiler/load/asyncapi.js";
import { DocumentStore } from "../compiler/load/refs.js";
import { SchemaTyper } from "../compiler/ir/types.js";

const ROOT = resolve(import.meta.dirname, "..");

function index(path: string) {
  const store = new DocumentStore(ROOT);
  const file = store.load(resolve(ROOT, path), false).file!;
  return { store, source: new AsyncApiIndexer(store).index("orders", file) };
}

function typeOf(store: DocumentStore, schema: AsyncApiMessage["payload"]) {
  const normalized = store.schemas.normalize(schema!);
  return new SchemaTyper(store.schemas.table).toType(normalized);
}

describe("AsyncAPI 3.0: the official example", () => {
  const { store, source } = index("fixtures/arazzo-1.1-examples/pet-asyncapi.yaml");

  it("indexes operations by key, with the documented action, the channel and its messages", () => {
    expect([...source.byOperationId.keys()]).toEqual(["placeOrder"]);
    const op = source.byOperationId.get("placeOrder")!;
    expect(op.action).toBe("receive");
    expect(op.channel.key).toBe("place-order");
    expect(op.channel.address).toBe("place-order");
    expect(op.messages.map((m) => m.key)).toEqual(["placeOrder.message"]);
    expect(op.channel.servers).toEqual([{ name: "localKafka", host: "localhost:9092", protocol: "kafka" }]);
    // The reply, for the transport's information: its channel and that channel's address.
    expect(op.reply).toEqual({ channel: "confirm-order", address: "confirm-order" });
  });

  it("indexes channels by the pointer a channelPath names", () => {
    const channel = source.byPointer.get("/channels/confirm-order")!;
    expect(channel.messages.map((m) => m.key)).toEqual(["confirmOrder.message"]);
    expect(source.byPointer.get("/channels/nowhere")).toBeUndefined();
  });

  it("reads a message's content type, correlation location, payload and headers as typed schemas", () => {
    const message = source.byPointer.get("/channels/confirm-order")!.messages[0]!;
    expect(message.contentType).toBe("application/json");
    expect(message.correlationLocation).toBe("$message.header#/orderRequestId");
    expect(typeOf(store, message.payload)).toEqual({
      kind: "object",
      properties: [{ name: "orderId", type: { kind: "number" }, optional: false }],
    });
    expect(typeOf(store, message.headers)).toMatchObject({
      kind: "object",
      properties: [{ name: "orderRequestId", type: { kind: "string" }, optional: false }],
    });
  });
});

describe("AsyncAPI 3.0: operation replies", () => {
  const folder = mkdtempSync(join(tmpdir(), "arazzoc-asyncapi-reply-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const path = join(folder, "replies.asyncapi.yaml");
  writeFileSync(
    path,
    `asyncapi: 3.0.0
info: { title: Replies, version: "1" }
channels:
  requests: { address: requests }
  answers: { address: "answers/{region}", parameters: { region: {} } }
  unaddressed: {}
operations:
  toChannel: { action: receive, channel: { $ref: "#/channels/requests" }, reply: { channel: { $ref: "#/channels/answers" } } }
  toHeader:
    action: receive
    channel: { $ref: "#/channels/requests" }
    reply: { address: { location: "$message.header#/replyTo" }, channel: { $ref: "#/channels/unaddressed" } }
  byReference: { action: receive, channel: { $ref: "#/channels/requests" }, reply: { $ref: "#/components/replies/dynamic" } }
  noReply: { action: receive, channel: { $ref: "#/channels/requests" } }
components:
  replyAddresses:
    replyTo: { location: "$message.payload#/replyTo" }
  replies:
    dynamic: { address: { $ref: "#/components/replyAddresses/replyTo" } }
`,
  );
  const store = new DocumentStore(folder);
  const source = new AsyncApiIndexer(store).index("replies", store.load(path, false).file!);
  const reply = (operation: string) => source.byOperationId.get(operation)!.reply;

  it("give the reply channel's key and address, its placeholders unfilled", () => {
    expect(reply("toChannel")).toEqual({ channel: "answers", address: "answers/{region}" });
  });

  it("give a dynamic address as the location the request carries it at, unresolved, through references too", () => {
    expect(reply("toHeader")).toEqual({ channel: "unaddressed", address: null, location: "$message.header#/replyTo" });
    expect(reply("byReference")).toEqual({ address: null, location: "$message.payload#/replyTo" });
  });

  it("are absent where the operation declares none", () => {
    expect(reply("noReply")).toBeUndefined();
  });
});

describe("AsyncAPI 2.6", () => {
  const { store, source } = index("fixtures/cases/asyncapi/pets-2.6.asyncapi.yaml");

  it("turns publish into receive and subscribe into send (the application's side in 3.0's words)", () => {
    expect(source.byOperationId.get("placeOrder")!.action).toBe("receive");
    expect(source.byOperationId.get("confirmOrder")!.action).toBe("send");
  });

  it("takes the channel key as its address, with its parameters", () => {
    const channel = source.byOperationId.get("confirmOrder")!.channel;
    expect(channel.address).toBe("confirm-order/{orderRequestId}");
    expect(channel.parameters).toEqual(["orderRequestId"]);
    expect(source.byPointer.get("/channels/confirm-order~1{orderRequestId}")).toBe(channel);
    expect(channel.servers.map((s) => s.protocol)).toEqual(["mqtt"]);
  });

  it("reads oneOf messages by name, the default content type, correlation IDs through $ref, and a foreign schema format", () => {
    const messages = source.byOperationId.get("confirmOrder")!.messages;
    expect(messages.map((m) => m.key)).toEqual(["OrderResponse", "OrderRejected"]);
    expect(messages[0]!.contentType).toBe("application/json");
    expect(messages[0]!.correlationLocation).toBe("$message.header#/orderRequestId");
    expect(messages[0]!.foreignSchemaFormat).toBeUndefined();
    expect(messages[1]!.foreignSchemaFormat).toBe("application/vnd.apache.avro;version=1.9.0");
    expect(typeOf(store, source.byOperationId.get("placeOrder")!.messages[0]!.payload)).toEqual({
      kind: "object",
      properties: [{ name: "petId", type: { kind: "number" }, optional: false }],
    });
  });
});

describe("versions", () => {
  it("reads 2.0 to 2.6 and 3.0, and says why another is refused", () => {
    for (const version of ["2.0.0", "2.6.0", "3.0.0"]) expect(asyncApiVersionProblem(version)).toBeUndefined();
    expect(asyncApiVersionProblem("3.1.0")).toBe("version 3.1.0 is not AsyncAPI 2.0 to 2.6 or 3.0");
    expect(asyncApiVersionProblem("1.2.0")).toMatch(/not AsyncAPI/);
    expect(asyncApiVersionProblem(3)).toBe("its asyncapi field is not a version string");
  });
});
