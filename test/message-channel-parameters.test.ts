// Channel addresses of message steps (Arazzo 1.1 over AsyncAPI 3.0 and 2.6): each {placeholder} is filled from
// the step's in: channel parameter, else the AsyncAPI parameter's default, else (sending) its location in the
// message sent, read at run time; otherwise AZC4157. A constant outside the parameter's enum is AZC4190, a
// location the send step cannot carry AZC4191. Then one compiled module runs over the in-memory transport: the
// addresses its messages went to, and what the onMessage hook heard, secrets redacted.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import type { MessageIr } from "../compiler/ir/program.js";
import type { MemoryTransport } from "../runtime/runtime-messages.js";
import type { MessageHookEvent, MessageTransport } from "../runtime/runtime.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-channel-parameters-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const SHOP_3 = `asyncapi: 3.0.0
info: { title: Shop, version: "1" }
channels:
  regional-orders:
    address: orders/{region}
    parameters:
      region: { enum: [eu, us], default: eu }
    messages:
      order: { $ref: "#/components/messages/Order" }
  customer-orders:
    address: customers/{customerId}/orders
    parameters:
      customerId: { location: "$message.payload#/customer/id" }
    messages:
      order: { $ref: "#/components/messages/Order" }
  tenant-orders:
    address: tenants/{tenant}/orders
    parameters:
      tenant: { location: "$message.header#/tenant" }
    messages:
      order: { $ref: "#/components/messages/Order" }
  odd-orders:
    address: odd/{key}
    parameters:
      key: { location: "payload.key" }
    messages:
      order: { $ref: "#/components/messages/Order" }
  confirmations:
    address: confirmations/{region}
    parameters:
      region: { default: eu }
    messages:
      confirmation: { $ref: "#/components/messages/Confirmation" }
  receipts:
    address: receipts/{customerId}
    parameters:
      customerId: { location: "$message.payload#/customer/id" }
    messages:
      receipt: { $ref: "#/components/messages/Confirmation" }
operations:
  placeRegionalOrder: { action: receive, channel: { $ref: "#/channels/regional-orders" } }
  placeCustomerOrder: { action: receive, channel: { $ref: "#/channels/customer-orders" } }
  placeTenantOrder: { action: receive, channel: { $ref: "#/channels/tenant-orders" } }
  placeOddOrder: { action: receive, channel: { $ref: "#/channels/odd-orders" } }
  confirmOrder: { action: send, channel: { $ref: "#/channels/confirmations" } }
  sendReceipt: { action: send, channel: { $ref: "#/channels/receipts" } }
components:
  messages:
    Order:
      payload:
        type: object
        properties:
          petId: { type: integer }
          note: { type: string }
          customer: { type: object, properties: { id: { type: string } } }
    Confirmation:
      correlationId: { location: "$message.header#/requestId" }
      payload: { type: object, properties: { orderId: { type: integer } } }
`;

const SHOP_2 = `asyncapi: 2.6.0
info: { title: Shop, version: "1" }
channels:
  orders/{region}:
    parameters:
      region: { schema: { type: string, enum: [eu, us], default: us } }
    publish:
      operationId: placeRegionalOrder2
      message: { payload: { type: object } }
  customers/{customerId}:
    parameters:
      customerId: { $ref: "#/components/parameters/customerId" }
    publish:
      operationId: placeCustomerOrder2
      message: { payload: { type: object } }
components:
  parameters:
    customerId:
      schema: { type: string }
      location: "$message.payload#/customer/id"
`;

type Step = Record<string, unknown>;

/** Writes an Arazzo 1.1 document of one workflow over both descriptions into a folder of its own. */
function project(name: string, steps: readonly Step[], inputs?: object): string {
  const folder = join(temp, name);
  rmSync(folder, { recursive: true, force: true });
  const document = {
    arazzo: "1.1.0",
    info: { title: name, version: "1.0.0" },
    sourceDescriptions: [
      { name: "shop", url: "./shop.asyncapi.yaml", type: "asyncapi" },
      { name: "shop2", url: "./shop-2.6.asyncapi.yaml", type: "asyncapi" },
    ],
    workflows: [{ workflowId: "order", ...(inputs ? { inputs } : {}), steps }],
  };
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "shop.asyncapi.yaml"), SHOP_3);
  writeFileSync(join(folder, "shop-2.6.asyncapi.yaml"), SHOP_2);
  writeFileSync(join(folder, "doc.arazzo.json"), JSON.stringify(document, null, 2));
  return folder;
}

const send = (stepId: string, operationId: string, extra: Step = {}): Step => ({ stepId, operationId, action: "send", ...extra });
const payload = (value: unknown) => ({ requestBody: { payload: value } });

/** Compiles to the lowered program: the message calls of the workflow, by step, and every diagnostic. */
async function lower(name: string, steps: readonly Step[], inputs?: object) {
  const folder = project(name, steps, inputs);
  const { program, diagnostics } = await compile({ inputs: [join(folder, "doc.arazzo.json")], cwd: folder, target: "ir" });
  const calls = new Map<string, MessageIr>();
  for (const step of program.modules[0]?.workflows[0]?.steps ?? []) if (step.call.kind === "message") calls.set(step.id, step.call);
  return { calls, diagnostics: diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, fix: d.fix })) };
}

describe("channel parameters at compile time", () => {
  it("take the AsyncAPI 3.0 parameter's default when the step gives none; the step's own value wins", async () => {
    const { calls, diagnostics } = await lower("defaults-3", [
      send("byDefault", "$sourceDescriptions.shop.placeRegionalOrder", payload({ petId: 1 })),
      send("given", "$sourceDescriptions.shop.placeRegionalOrder", {
        parameters: [{ name: "region", in: "channel", value: "us" }],
        ...payload({ petId: 2 }),
      }),
    ]);
    expect(diagnostics).toEqual([]);
    expect(calls.get("byDefault")!.parameters).toEqual([["region", { kind: "literal", value: "eu" }]]);
    expect(calls.get("given")!.parameters).toEqual([["region", { kind: "literal", value: "us" }]]);
    expect(calls.get("given")!.parameterLocations).toBeUndefined();
  });

  it("take an AsyncAPI 2.x parameter's default from its schema", async () => {
    const { calls, diagnostics } = await lower("defaults-2", [send("byDefault", "placeRegionalOrder2", payload({}))]);
    expect(diagnostics).toEqual([]);
    expect(calls.get("byDefault")!.channel.address).toBe("orders/{region}");
    expect(calls.get("byDefault")!.parameters).toEqual([["region", { kind: "literal", value: "us" }]]);
  });

  it("read a send step's parameter from the message it sends, at the parameter's location (3.0, and 2.x through a $ref)", async () => {
    const { calls, diagnostics } = await lower(
      "locations",
      [
        send("byPayload", "placeCustomerOrder", payload({ petId: 1, customer: { id: "{$inputs.customerId}" } })),
        send("byHeader", "placeTenantOrder", { parameters: [{ name: "Tenant", in: "header", value: "acme" }], ...payload({}) }),
        send("wholePayload", "placeCustomerOrder2", payload("$inputs.order")),
      ],
      { type: "object", properties: { customerId: { type: "string" }, order: { type: "object" } } },
    );
    expect(diagnostics).toEqual([]);
    expect(calls.get("byPayload")!.parameterLocations).toEqual([["customerId", "$message.payload#/customer/id"]]);
    expect(calls.get("byPayload")!.parameters).toEqual([]);
    expect(calls.get("byHeader")!.parameterLocations).toEqual([["tenant", "$message.header#/tenant"]]);
    // A payload known only at run time may have the member: it is read then.
    expect(calls.get("wholePayload")!.parameterLocations).toEqual([["customerId", "$message.payload#/customer/id"]]);
  });

  it("cannot read a receive step's parameter from a location: AZC4157 says why, and its fix names the other ways", async () => {
    const { diagnostics } = await lower("receive-location", [
      { stepId: "receipt", operationId: "sendReceipt", action: "receive", timeout: 100 },
    ]);
    expect(diagnostics).toEqual([
      {
        code: "AZC4157",
        severity: "error",
        message:
          "Channel parameter 'customerId' of receipts/{customerId} has no value: its location $message.payload#/customer/id is read from the message sent, and a receive step sends none",
        fix: "Add a parameter with name: customerId and in: channel, or a default to the AsyncAPI channel parameter; a send step also reads a parameter from the message it sends, at the parameter's location.",
      },
    ]);
  });

  it("refuse a location that is not AsyncAPI's $message.header#/ or $message.payload#/ form", async () => {
    const { diagnostics } = await lower("odd-location", [send("odd", "placeOddOrder", payload({ key: "k" }))]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "AZC4157",
        "Channel parameter 'key' of odd/{key} has no value: its location 'payload.key' is not $message.header#/<name> or $message.payload#/<pointer>",
      ],
    ]);
  });

  it("refuse a location the send step does not carry: a header it does not set, a member its payload lacks (AZC4191)", async () => {
    const { diagnostics } = await lower("not-sent", [
      send("noHeader", "placeTenantOrder", payload({})),
      send("noMember", "placeCustomerOrder", payload({ petId: 1, customer: { name: "Ada" } })),
      send("noPayload", "placeCustomerOrder"),
      send("nullMember", "placeCustomerOrder", payload({ customer: { id: null } })),
    ]);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "AZC4191",
        "Channel parameter 'tenant' of tenants/{tenant}/orders is read from $message.header#/tenant, which step 'noHeader' does not send",
      ],
      [
        "AZC4191",
        "Channel parameter 'customerId' of customers/{customerId}/orders is read from $message.payload#/customer/id, which step 'noMember' does not send",
      ],
      [
        "AZC4191",
        "Channel parameter 'customerId' of customers/{customerId}/orders is read from $message.payload#/customer/id, which step 'noPayload' does not send",
      ],
      [
        "AZC4191",
        "Channel parameter 'customerId' of customers/{customerId}/orders is read from $message.payload#/customer/id, which step 'nullMember' does not send",
      ],
    ]);
  });

  it("warn of a constant outside the parameter's enum (3.0's enum, 2.x's schema enum), not of values known at run time", async () => {
    const { diagnostics } = await lower(
      "enums",
      [
        send("outside3", "placeRegionalOrder", { parameters: [{ name: "region", in: "channel", value: "asia" }], ...payload({}) }),
        send("outside2", "placeRegionalOrder2", { parameters: [{ name: "region", in: "channel", value: "mars" }], ...payload({}) }),
        send("inside", "placeRegionalOrder", { parameters: [{ name: "region", in: "channel", value: "us" }], ...payload({}) }),
        send("computed", "placeRegionalOrder", {
          parameters: [{ name: "region", in: "channel", value: "$inputs.region" }],
          ...payload({}),
        }),
      ],
      { type: "object", properties: { region: { type: "string" } } },
    );
    expect(diagnostics).toEqual([
      {
        code: "AZC4190",
        severity: "warning",
        message: "Channel parameter 'region' is 'asia', which orders/{region} does not allow",
        fix: "Use one of the values the AsyncAPI parameter's enum lists: eu, us.",
      },
      {
        code: "AZC4190",
        severity: "warning",
        message: "Channel parameter 'region' is 'mars', which orders/{region} does not allow",
        fix: "Use one of the values the AsyncAPI parameter's enum lists: eu, us.",
      },
    ]);
  });
});

interface OrderModule {
  order(inputs: Record<string, unknown>, options: object): Promise<Record<string, unknown>>;
}

/** Compiles the document with emit, type-checks the module under the strict settings and imports it. */
async function build(name: string, steps: readonly Step[], inputs: object): Promise<{ module: OrderModule; runtime: string }> {
  const folder = project(name, steps, inputs);
  const result = await compile({ inputs: [join(folder, "doc.arazzo.json")], cwd: folder });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  for (const [file, text] of result.files) writeFileSync(join(folder, file), text);
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    join(folder, "tsconfig.json"),
    JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./*.ts"] }),
  );
  const checked = await execa(resolve("node_modules/.bin/tsc"), ["-p", join(folder, "tsconfig.json")], { reject: false });
  expect(checked.stdout + checked.stderr).toBe("");
  return {
    module: (await import(pathToFileURL(join(folder, "doc.arazzo.ts")).href)) as OrderModule,
    runtime: pathToFileURL(join(folder, "runtime-messages.ts")).href,
  };
}

describe("channel parameters and the onMessage hook at run time", () => {
  it("send to the address the defaults and the message sent fill in; the hook hears each message, secrets redacted", async () => {
    const { module, runtime } = await build(
      "run",
      [
        send("regional", "placeRegionalOrder", payload({ petId: 1, note: "{$inputs.apiKey}" })),
        send("customer", "placeCustomerOrder", {
          parameters: [
            { name: "Authorization", in: "header", value: "Bearer {$inputs.apiKey}" },
            { name: "X-Signature", in: "header", value: "$inputs.apiKey" },
            { name: "requestId", in: "header", value: "$inputs.requestId" },
          ],
          ...payload({ petId: 2, customer: { id: "$inputs.customerId" } }),
        }),
        {
          stepId: "confirm",
          operationId: "confirmOrder",
          action: "receive",
          timeout: 5000,
          correlationId: "$inputs.requestId",
          outputs: { orderId: "$message.payload#/orderId" },
        },
      ],
      {
        type: "object",
        required: ["apiKey", "customerId", "requestId"],
        properties: {
          apiKey: { type: "string", format: "password" },
          customerId: { type: "string" },
          requestId: { type: "string" },
        },
      },
    );
    const { createMemoryTransport } = (await import(runtime)) as { createMemoryTransport: (o?: object) => MemoryTransport };
    const transport = createMemoryTransport({
      respond: ({ channel }: { channel: { address: string | null } }, t: MemoryTransport) => {
        if (channel.address?.startsWith("customers/"))
          t.deliver("confirmations/eu", { headers: { requestId: "r-1", Authorization: "Bearer s3cret-key" }, payload: { orderId: 9 } });
      },
    });
    const events: MessageHookEvent[] = [];
    const options: { transports: Record<string, MessageTransport>; hooks: object } = {
      transports: { shop: transport, shop2: transport },
      hooks: { onMessage: (event: MessageHookEvent) => void events.push(event) },
    };
    await module.order({ apiKey: "s3cret-key", customerId: "c-42", requestId: "r-1" }, options);

    expect(transport.sent.map((s) => s.channel.address)).toEqual(["orders/eu", "customers/c-42/orders"]);
    // The transport gets the message as the step built it; only the hook's view is redacted.
    expect(transport.sent[1]!.message.headers).toEqual({
      Authorization: "Bearer s3cret-key",
      "X-Signature": "s3cret-key",
      requestId: "r-1",
    });

    expect(events.map((e) => [e.direction, e.stepId, e.channel.address])).toEqual([
      ["send", "regional", "orders/eu"],
      ["send", "customer", "customers/c-42/orders"],
      ["receive", "confirm", "confirmations/eu"],
    ]);
    expect(events[0]).toMatchObject({ workflowId: "order", payload: { petId: 1, note: "[redacted]" }, headers: {} });
    expect(events[1]!.headers).toEqual({ Authorization: "[redacted]", "X-Signature": "[redacted]", requestId: "r-1" });
    expect(events[1]!.payload).toEqual({ petId: 2, customer: { id: "c-42" } });
    expect(events[2]!.headers).toEqual({ requestId: "r-1", Authorization: "[redacted]" });
    expect(events[2]!.payload).toEqual({ orderId: 9 });
    expect(JSON.stringify(events)).not.toContain("s3cret-key");
  });
});
