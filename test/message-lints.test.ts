// What is said about message steps beyond their binding: dot navigation after $message.payload and the plural
// $message.headers (decision A-32, read as the standard forms, with a warning), a receive step that can take the
// message an earlier step sent (delta §5.6), a send step without the payload its message requires, a send
// step through a channel with several messages, a receive step without timeout, correlation the
// messages cannot carry (A-7, Δ15, §5.6), and a channelPath an operation covers (Δ13).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type Diagnostic } from "../compiler/index.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-message-lints-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
copyFileSync(resolve("fixtures/cases/diagnostics/shipments.asyncapi.yaml"), join(temp, "shipments.asyncapi.yaml"));

let count = 0;
/** Compiles a 1.1 document with the shipments source and these steps (YAML, indented as list items of steps). */
async function compileSteps(steps: string, options: { strict?: boolean; sources?: string } = {}) {
  const path = join(temp, `doc${++count}.arazzo.yaml`);
  writeFileSync(
    path,
    [
      "arazzo: 1.1.0",
      "info: { title: t, version: 1.0.0 }",
      "sourceDescriptions:",
      options.sources ?? "  - { name: shipments, url: ./shipments.asyncapi.yaml, type: asyncapi }",
      "workflows:",
      "  - workflowId: w",
      "    inputs: { type: object, properties: { requestId: { type: string }, other: { type: string } } }",
      "    steps:",
      steps,
    ].join("\n"),
  );
  return compile({ inputs: [path], root: temp, cwd: temp, ...(options.strict ? { strict: true } : {}) });
}

const brief = (list: readonly Diagnostic[]) => list.map((d) => `${d.code} ${d.severity} ${d.pointer}`);

const SEND = `      - stepId: request
        operationId: ship
        action: send
        parameters:
          - { name: requestId, in: header, value: $inputs.requestId }
        requestBody: { payload: { orderId: 1 } }`;

const receive = (fields: string) => `      - stepId: confirm
        operationId: shipped
        action: receive
        timeout: 5000
${fields}`;

describe("$message reads (decision A-32)", () => {
  it("$message.payload.orderId outside a simple condition is read as $message.payload#/orderId, with a warning", async () => {
    const sloppy = await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.other\n        outputs: { orderId: $message.payload.orderId }")}`);
    expect(brief(sloppy.diagnostics)).toEqual(["AZC3020 warning /workflows/0/steps/1/outputs/orderId"]);
    expect(sloppy.diagnostics[0]!.message).toBe(
      "'$message.payload.orderId' navigates with . or [n] outside a simple condition; it is read as $message.payload#/orderId",
    );
    const standard = await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.other\n        outputs: { orderId: $message.payload#/orderId }")}`);
    expect(standard.diagnostics).toEqual([]);
    // The same code: the module of each names its own document, and nothing else differs.
    const code = (r: typeof sloppy, n: number) => r.files.get(`doc${n}.arazzo.ts`)!.replaceAll(`doc${n}.arazzo`, "doc");
    expect(code(sloppy, count - 1)).toBe(code(standard, count));
  });

  it("--strict makes it an error", async () => {
    const result = await compileSteps(
      `${SEND}\n${receive("        correlationId: $inputs.other\n        outputs: { orderId: $message.payload.orderId }")}`,
      { strict: true },
    );
    expect(brief(result.diagnostics)).toEqual(["AZC3020 error /workflows/0/steps/1/outputs/orderId"]);
  });

  it("in a simple condition, . is the navigation operator: no warning", async () => {
    const result = await compileSteps(
      `${SEND}\n${receive("        correlationId: $inputs.other\n        successCriteria:\n          - condition: $message.payload.orderId == 1")}`,
    );
    expect(result.diagnostics).toEqual([]);
  });

  it("$message.header.<name> is the standard form; the plural headers is read as it, with a warning", async () => {
    const standard = await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.other\n        outputs: { id: $message.header.requestId }")}`);
    expect(standard.diagnostics).toEqual([]);
    const plural = await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.other\n        outputs: { id: $message.headers.requestId }")}`);
    expect(brief(plural.diagnostics)).toEqual(["AZC3023 warning /workflows/0/steps/1/outputs/id"]);
    expect(plural.diagnostics[0]!.message).toBe("'$message.headers.requestId' reads headers, plural; it is read as $message.header.requestId");
  });

  it("#name after payload is read as #/name (AZC3022)", async () => {
    const result = await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.other\n        outputs: { orderId: $message.payload#orderId }")}`);
    expect(brief(result.diagnostics)).toEqual(["AZC3022 warning /workflows/0/steps/1/outputs/orderId"]);
  });
});

describe("a receive step that can take the message an earlier step sent (delta §5.6)", () => {
  it("same channel, correlated on the value the send step put at the correlation location: AZC4164", async () => {
    const result = await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.requestId")}`);
    expect(brief(result.diagnostics)).toEqual(["AZC4164 warning /workflows/0/steps/1/correlationId"]);
    expect(result.diagnostics[0]!.related?.[0]?.message).toBe("step 'request' sends here");
  });

  it("correlated on what the send step read from the message it sent: AZC4164", async () => {
    const send = `${SEND}\n        outputs: { sentId: $message.header.requestId }`;
    const result = await compileSteps(`${send}\n${receive("        correlationId: $steps.request.outputs.sentId")}`);
    // Computed by the step before it, the correlation value also keeps the subscription from opening early (AZC4158).
    expect(brief(result.diagnostics)).toEqual(["AZC4158 warning /workflows/0/steps/1/stepId", "AZC4164 warning /workflows/0/steps/1/correlationId"]);
    expect(result.diagnostics[1]!.message).toMatch(/its correlationId is \$steps\.request\.outputs\.sentId, read from the message 'request' sent$/);
  });

  it("without correlationId the first message on the channel is taken: AZC4164 at the step", async () => {
    const result = await compileSteps(`${SEND}\n${receive("")}`);
    expect(brief(result.diagnostics)).toEqual(["AZC4164 warning /workflows/0/steps/1/stepId"]);
    expect(result.diagnostics[0]!.message).toMatch(/without correlationId the first message on the channel is taken$/);
  });

  it("a correlation value the sent message does not carry, or another channel: nothing said", async () => {
    expect((await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.other")}`)).diagnostics).toEqual([]);
    // The same value, but sent in a payload member the messages do not keep their correlation ID in.
    const inPayload = SEND.replace("payload: { orderId: 1 }", "payload: { orderId: 1, ref: $inputs.other }");
    expect((await compileSteps(`${inPayload}\n${receive("        correlationId: $inputs.other")}`)).diagnostics).toEqual([]);
    const tracking = `      - stepId: depart
        operationId: depart
        action: receive
        timeout: 5000`;
    expect((await compileSteps(`${SEND}\n${tracking}`)).diagnostics).toEqual([]);
  });

  it("a receive step before the send step is not judged", async () => {
    const result = await compileSteps(`${receive("        correlationId: $inputs.requestId")}\n${SEND}`);
    expect(result.diagnostics.filter((d) => d.code === "AZC4164")).toEqual([]);
  });

  it("without the description, one operation named by both steps is enough", async () => {
    const result = await compileSteps(`${SEND}\n${receive("        correlationId: $inputs.requestId").replace("shipped", "ship")}`, {
      sources: "  - { name: shipments, url: ./missing.asyncapi.yaml, type: asyncapi }",
    });
    expect(brief(result.diagnostics.filter((d) => d.code !== "AZC1001"))).toEqual(["AZC4164 warning /workflows/0/steps/1/correlationId"]);
  });
});

describe("send steps and their messages (delta A-17, A-18)", () => {
  it("a send step without payload whose message requires members: AZC4165; with one, or for a message that requires none, nothing", async () => {
    const bare = `      - stepId: request
        operationId: ship
        action: send
        parameters:
          - { name: requestId, in: header, value: $inputs.requestId }`;
    expect(brief((await compileSteps(bare)).diagnostics)).toEqual(["AZC4165 warning /workflows/0/steps/0/stepId"]);
    expect((await compileSteps(SEND)).diagnostics).toEqual([]);
    const departs = `      - stepId: depart
        channelPath: "{$sourceDescriptions.shipments.url}#/channels/shipments"
        action: send
        parameters:
          - { name: requestId, in: header, value: $inputs.requestId }`;
    // Operation shipped covers the channel (AZC4192).
    expect(brief((await compileSteps(departs)).diagnostics)).toEqual([
      "AZC4165 warning /workflows/0/steps/0/stepId",
      "AZC4192 warning /workflows/0/steps/0/channelPath",
    ]);
  });

  it("a send step through a channel with two messages: AZC4166; through an operation that names one, nothing", async () => {
    const channel = `      - stepId: depart
        channelPath: "{$sourceDescriptions.shipments.url}#/channels/tracking"
        action: send
        requestBody: { payload: { at: dock } }`;
    expect(brief((await compileSteps(channel)).diagnostics)).toEqual(["AZC4166 warning /workflows/0/steps/0/channelPath"]);
    // Receiving on it takes either: without successCriteria either is a success (delta Δ19, AZC4159).
    const receiving = channel.replace("action: send", "action: receive\n        timeout: 100").replace("        requestBody: { payload: { at: dock } }", "");
    expect(brief((await compileSteps(receiving)).diagnostics)).toEqual(["AZC4159 warning /workflows/0/steps/0/stepId"]);
    const checked = receiving + "\n        successCriteria:\n          - condition: $message.payload#/at == 'dock'";
    expect((await compileSteps(checked)).diagnostics).toEqual([]);
  });
});

describe("a receive step without timeout (delta A-15)", () => {
  it("is said whether or not the description could be read", async () => {
    const step = `      - stepId: wait
        operationId: $sourceDescriptions.shipments.shipped
        action: receive`;
    expect(brief((await compileSteps(step)).diagnostics)).toEqual(["AZC4155 warning /workflows/0/steps/0/stepId"]);
    const unread = await compileSteps(step, { sources: "  - { name: shipments, url: ./missing.asyncapi.yaml, type: asyncapi }" });
    expect(brief(unread.diagnostics.filter((d) => d.code !== "AZC1001"))).toEqual(["AZC4155 warning /workflows/0/steps/0/stepId"]);
    // A step of an OpenAPI source is no message step (what is wrong with it is said when its source is read).
    const openapi = await compileSteps(step, { sources: "  - { name: shipments, url: ./missing.openapi.yaml, type: openapi }" });
    expect(openapi.diagnostics.filter((d) => d.code === "AZC4155")).toEqual([]);
  });
});

describe("correlation (decision A-7, delta Δ15 and §5.6)", () => {
  it("an object or array correlationId: AZC4167; a scalar or an expression, nothing", async () => {
    const object = await compileSteps(receive("        correlationId: { requestId: r-1 }"));
    expect(brief(object.diagnostics)).toEqual(["AZC4167 warning /workflows/0/steps/0/correlationId"]);
    expect(object.diagnostics[0]!.message).toMatch(/is an object:/);
    const array = await compileSteps(receive("        correlationId: [r-1]"));
    expect(brief(array.diagnostics)).toEqual(["AZC4167 warning /workflows/0/steps/0/correlationId"]);
    expect(array.diagnostics[0]!.message).toMatch(/is an array:/);
    for (const value of ["r-1", "42", "true", "$inputs.requestId", "'order-{$inputs.requestId}'"])
      expect((await compileSteps(receive(`        correlationId: ${value}`))).diagnostics, value).toEqual([]);
  });

  it("a channel where only some messages declare a correlation location: AZC4168 names the others", async () => {
    const step = `      - stepId: confirm
        channelPath: "{$sourceDescriptions.shipments.url}#/channels/returns"
        action: receive
        timeout: 5000
        successCriteria:
          - condition: $message.payload#/at == 'dock'`;
    const result = await compileSteps(`${step}\n        correlationId: $inputs.requestId`);
    expect(brief(result.diagnostics)).toEqual(["AZC4168 warning /workflows/0/steps/0/correlationId"]);
    expect(result.diagnostics[0]!.message).toMatch(/message\(s\) departed of channel returns declare no correlation location/);
    // Without correlationId every message is taken; where none declares one, AZC4154 alone.
    expect((await compileSteps(step)).diagnostics).toEqual([]);
    const none = await compileSteps(`${step.replace("returns", "tracking")}\n        correlationId: $inputs.requestId`);
    expect(brief(none.diagnostics)).toEqual(["AZC4154 error /workflows/0/steps/0/correlationId"]);
  });

  it("a send step that sets no header at the correlation location: AZC4169; setting it, in any case, nothing", async () => {
    const unset = SEND.replace("          - { name: requestId, in: header, value: $inputs.requestId }", "          - { name: other, in: header, value: $inputs.other }");
    const result = await compileSteps(unset);
    expect(brief(result.diagnostics).filter((d) => d.startsWith("AZC4169"))).toEqual(["AZC4169 warning /workflows/0/steps/0/stepId"]);
    expect(result.diagnostics.find((d) => d.code === "AZC4169")!.fix).toBe("Send the value there: add a parameter with name: requestId and in: header.");
    expect((await compileSteps(SEND)).diagnostics).toEqual([]);
    expect((await compileSteps(SEND.replace("name: requestId", "name: RequestID"))).diagnostics).toEqual([]);
    // A receive step sends nothing, so is not judged.
    expect((await compileSteps(receive("        correlationId: $inputs.requestId"))).diagnostics).toEqual([]);
  });

  it("a payload location: AZC4169 where the payload is written out without it, not where it is built at run time", async () => {
    const sources = "  - { name: shipments, url: ./parcels.asyncapi.yaml, type: asyncapi }";
    writeFileSync(
      join(temp, "parcels.asyncapi.yaml"),
      [
        "asyncapi: 3.0.0",
        "info: { title: Parcels, version: '1' }",
        "channels:",
        "  parcels:",
        "    address: parcels",
        "    messages:",
        "      parcel:",
        "        correlationId: { location: '$message.payload#/meta/ref' }",
        "        payload: { type: object }",
        "operations:",
        "  send: { action: send, channel: { $ref: '#/channels/parcels' } }",
      ].join("\n"),
    );
    const step = (payload: string) => `      - stepId: post
        operationId: send
        action: send
        requestBody: { payload: ${payload} }`;
    const missing = await compileSteps(step("{ meta: { other: 1 } }"), { sources });
    expect(brief(missing.diagnostics)).toEqual(["AZC4169 warning /workflows/0/steps/0/requestBody/payload"]);
    expect(missing.diagnostics[0]!.message).toMatch(/keeps at \$message\.payload#\/meta\/ref:/);
    expect(missing.diagnostics[0]!.fix).toBe("Send the value there: add the member at $message.payload#/meta/ref in the payload.");
    expect((await compileSteps(step("{ meta: { ref: $inputs.requestId } }"), { sources })).diagnostics).toEqual([]);
    expect((await compileSteps(step("$inputs.other"), { sources })).diagnostics).toEqual([]);
  });
});

describe("a channelPath that an AsyncAPI operation covers (delta Δ13)", () => {
  const channelStep = (channel: string, action: string, extra = "") => `      - stepId: s
        channelPath: "{$sourceDescriptions.shipments.url}#/channels/${channel}"
        action: ${action}
${extra}`;
  const header = "        parameters:\n          - { name: requestId, in: header, value: $inputs.requestId }\n        requestBody: { payload: { orderId: 1 } }";

  it("one operation of the step's action covers the channel: AZC4192 names it", async () => {
    const send = await compileSteps(channelStep("shipments", "send", header));
    expect(brief(send.diagnostics)).toEqual(["AZC4192 warning /workflows/0/steps/0/channelPath"]);
    expect(send.diagnostics[0]!.message).toBe("Step 's' names channel shipments by channelPath, but operation 'shipped' covers that channel");
    expect(send.diagnostics[0]!.fix).toMatch(/^Write operationId: shipped instead of channelPath/);
    const receive = await compileSteps(channelStep("shipments", "receive", "        timeout: 100"));
    expect(receive.diagnostics.map((d) => d.message)).toEqual([
      "Step 's' names channel shipments by channelPath, but operation 'ship' covers that channel",
    ]);
  });

  it("an operation that lists only some of the channel's messages, or none, does not cover it: nothing", async () => {
    // depart names only departed of tracking's two messages; returns has no operation.
    // (Criteria, since either channel carries two messages: AZC4159 otherwise.)
    const checked = "        timeout: 100\n        successCriteria:\n          - condition: $message.payload#/at == 'dock'";
    expect((await compileSteps(channelStep("tracking", "receive", checked))).diagnostics).toEqual([]);
    expect((await compileSteps(channelStep("returns", "receive", checked))).diagnostics).toEqual([]);
  });

  it("with several sources the fix qualifies the operationId", async () => {
    const sources = [
      "  - { name: shipments, url: ./shipments.asyncapi.yaml, type: asyncapi }",
      "  - { name: more, url: ./shipments.asyncapi.yaml, type: asyncapi }",
    ].join("\n");
    const result = await compileSteps(channelStep("shipments", "send", header), { sources });
    const hit = result.diagnostics.find((d) => d.code === "AZC4192")!;
    expect(hit.fix).toMatch(/^Write operationId: \$sourceDescriptions\.shipments\.shipped instead/);
  });
});
