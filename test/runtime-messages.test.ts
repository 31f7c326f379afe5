// The runtime's message steps (runtime/runtime.ts) over the in-memory transport (runtime/runtime-messages.ts):
// sending, receiving the one correlated message, subscriptions opened before the step that triggers the reply,
// the step's own timeout, and failures of the transport.
import { describe, expect, it } from "vitest";
import {
  inProcessExecutor,
  WorkflowError,
  WorkflowRun,
  type MessageChannel,
  type MessageHookEvent,
  type MessageOutcome,
  type MessageTransport,
  type WorkflowExecutor,
  type WorkflowOptions,
} from "../runtime/runtime.js";
import { createMemoryTransport, listenForMessage, receiveMessage, sendMessage } from "../runtime/runtime-messages.js";

const definition = { workflowId: "purchase", secretInputs: [] };
const place: MessageChannel = {
  source: "orders",
  channel: "place-order",
  address: "place-order",
  operation: "placeOrder",
  action: "send",
  messages: ["placeOrder.message"],
};
const confirm: MessageChannel = {
  source: "orders",
  channel: "confirm-order",
  address: "confirm-order/{region}",
  action: "receive",
  messages: ["confirmOrder.message"],
};
const correlation = (value: unknown) => ({ locations: ["$message.header#/orderRequestId"], value });

function start(transport: MessageTransport, options: WorkflowOptions = {}) {
  return WorkflowRun.start(definition, { transports: { orders: transport }, ...options }, {});
}

describe("send steps", () => {
  it("hand the message to the transport; $message is the message sent", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const sent = await sendMessage(run, "purchase", place, {
      headers: { orderRequestId: "r-1" },
      payload: { petId: 7 },
      message: "placeOrder.message",
    });
    expect(await run.check(sent, true)).toBe(true);
    expect(sent.payload).toEqual({ petId: 7 });
    expect(sent.header("ORDERREQUESTID")).toBe("r-1");
    expect(transport.sent).toEqual([
      {
        channel: place,
        message: {
          headers: { orderRequestId: "r-1" },
          payload: { petId: 7 },
          contentType: "application/json",
          message: "placeOrder.message",
        },
      },
    ]);
  });

  it("fail with reason transport when the transport throws, and the failure actions decide", async () => {
    const run = start({ send: () => Promise.reject(new Error("broker down")), subscribe: () => ({ cancel() {} }) });
    const sent = await sendMessage(run, "purchase", place, { payload: {} });
    expect(await run.check(sent, true)).toBe(false);
    expect(run.failed(sent)).toMatchObject({
      reason: "transport",
      stepId: "purchase",
      message: "Workflow purchase failed at step purchase: cannot send to place-order: broker down",
    });
  });

  it("fail with reason step-timeout when the transport does not take the message within the step's timeout", async () => {
    const run = start({ send: () => new Promise(() => undefined), subscribe: () => ({ cancel() {} }) });
    const sent = await sendMessage(run, "purchase", place, { payload: {}, timeoutMs: 20 });
    expect(sent.error?.reason).toBe("step-timeout");
  });

  it("need a transport for their source: a missing one is a configuration error", async () => {
    const run = WorkflowRun.start(definition, {}, {});
    await expect(sendMessage(run, "purchase", place, {})).rejects.toMatchObject({
      reason: "config",
      message: expect.stringContaining("options.transports.orders"),
    });
  });
});

describe("channel parameters read from the message sent", () => {
  const regional: MessageChannel = { ...place, channel: "regional-orders", address: "orders/{region}/{customer}" };

  it("fill the address from the headers (any case) and the payload at their AsyncAPI locations", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const sent = await sendMessage(run, "purchase", regional, {
      locations: { region: "$message.header#/region", customer: "$message.payload#/customer/id" },
      headers: { Region: "eu" },
      payload: { customer: { id: 42 } },
    });
    expect(sent.error).toBeUndefined();
    expect(transport.sent.map((s) => s.channel.address)).toEqual(["orders/eu/42"]);
  });

  it("fail the run with reason config when the message has no value there; nothing is sent", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    await expect(
      sendMessage(run, "purchase", regional, {
        parameters: { region: "eu" },
        locations: { customer: "$message.payload#/customer/id" },
        payload: { customer: {} },
      }),
    ).rejects.toMatchObject({
      reason: "config",
      message: expect.stringContaining(
        "channel parameter 'customer' of orders/{region}/{customer} has no value: the message sent has none at $message.payload#/customer/id",
      ),
    });
    expect(transport.sent).toEqual([]);
  });
});

describe("the onMessage hook", () => {
  it("hears a message sent before the transport has it, as onRequest comes before the request", async () => {
    const seen: string[] = [];
    const run = start(
      {
        send: async () => {
          seen.push("transport");
          throw new Error("broker down");
        },
        subscribe: () => ({ cancel() {} }),
      },
      { hooks: { onMessage: (event) => void seen.push(`${event.direction} ${event.stepId} ${event.channel.address}`) } },
    );
    const sent = await sendMessage(run, "purchase", place, { payload: { petId: 7 } });
    expect(sent.error?.reason).toBe("transport");
    expect(seen).toEqual(["send purchase place-order", "transport"]);
  });

  it("hears only the message a receive step takes: not the ones it skips, nothing when none comes", async () => {
    const events: MessageHookEvent[] = [];
    const transport = createMemoryTransport();
    const run = start(transport, { hooks: { onMessage: (event) => void events.push(event) } });
    const pending = receiveMessage(run, "confirm", confirm, {
      parameters: { region: "eu" },
      correlation: correlation("r-1"),
      timeoutMs: 1000,
    });
    await expect.poll(() => transport.subscribers("confirm-order/eu")).toBe(1);
    transport.deliver("confirm-order/eu", { headers: { orderRequestId: "other" }, payload: { orderId: 1 } });
    transport.deliver("confirm-order/eu", { headers: { orderRequestId: "r-1", Cookie: "session=abc123" }, payload: { orderId: 2 } });
    await pending;
    expect(events).toEqual([
      {
        workflowId: "purchase",
        stepId: "confirm",
        direction: "receive",
        channel: { ...confirm, address: "confirm-order/eu" },
        headers: { orderRequestId: "r-1", Cookie: "[redacted]" },
        payload: { orderId: 2 },
      },
    ]);
    await receiveMessage(run, "confirm", confirm, { parameters: { region: "eu" }, timeoutMs: 10 });
    expect(events).toHaveLength(1);
  });

  it("sees a secret in the address, a header or the payload redacted; the transport gets the message as it is", async () => {
    const events: MessageHookEvent[] = [];
    const transport = createMemoryTransport();
    const run = WorkflowRun.start(
      { workflowId: "purchase", secretInputs: ["key"] },
      { transports: { orders: transport }, hooks: { onMessage: (event) => void events.push(event) } },
      { key: "k3y-value" },
    );
    await sendMessage(
      run,
      "purchase",
      { ...place, address: "keys/{key}" },
      {
        parameters: { key: "k3y-value" },
        headers: { signature: "k3y-value", "X-Api-Key": "other-credential" },
        payload: { nested: [{ text: "key k3y-value here" }] },
      },
    );
    expect(events[0]).toMatchObject({
      channel: { address: "keys/[redacted]" },
      headers: { signature: "[redacted]", "X-Api-Key": "[redacted]" },
      payload: { nested: [{ text: "key [redacted] here" }] },
    });
    expect(transport.sent[0]!.channel.address).toBe("keys/k3y-value");
    expect(transport.sent[0]!.message.headers).toEqual({ signature: "k3y-value", "X-Api-Key": "other-credential" });
    // A credential header's value is a secret from then on, in every text of the run.
    expect(run.redact("sent other-credential")).toBe("sent [redacted]");
  });
});

describe("receive steps", () => {
  it("take the first message with their correlation value, skipping others, from a subscription opened before the trigger", async () => {
    // The other side answers while the send is still being handed over: only an early subscription sees it.
    const transport = createMemoryTransport({
      respond: ({ message }, t) => {
        t.deliver("confirm-order/eu", { headers: { orderRequestId: "someone-else" }, payload: { orderId: 1 } });
        t.deliver("confirm-order/eu", { headers: { orderrequestid: "r-2" }, payload: { orderId: 2 }, message: "confirmOrder.message" });
        t.deliver("confirm-order/eu", { headers: { orderRequestId: message.headers["orderRequestId"] }, payload: { orderId: 3 } });
      },
    });
    const run = start(transport);
    await listenForMessage(run, "confirm", confirm, { parameters: { region: "eu" }, correlation: correlation("r-2") });
    expect(transport.subscribers("confirm-order/eu")).toBe(1);
    await run.expect(await sendMessage(run, "purchase", place, { headers: { orderRequestId: "r-2" }, payload: { petId: 7 } }), true);
    const received = await receiveMessage<{ orderId: number }>(run, "confirm", confirm, {
      parameters: { region: "eu" },
      correlation: correlation("r-2"),
      timeoutMs: 1000,
    });
    expect(received.error).toBeUndefined();
    expect(received.payload?.orderId).toBe(2);
    expect(received.message).toBe("confirmOrder.message");
    // Kept for a retry of the step until the run moves on or ends.
    expect(transport.subscribers("confirm-order/eu")).toBe(1);
    await run.close();
    expect(transport.subscribers("confirm-order/eu")).toBe(0);
  });

  it("compare correlation values by their text: a header 42 matches the number 42; a payload location works too", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const pending = receiveMessage(run, "confirm", confirm, {
      parameters: { region: "us" },
      correlation: { locations: ["$message.payload#/order/id"], value: 42 },
      timeoutMs: 1000,
    });
    await expect.poll(() => transport.subscribers("confirm-order/us")).toBe(1);
    transport.deliver("confirm-order/us", { headers: {}, payload: { order: { id: 41 } } });
    transport.deliver("confirm-order/us", { headers: {}, payload: { order: { id: "42" } } });
    expect((await pending).payload).toEqual({ order: { id: "42" } });
  });

  it("compare structured correlation values by canonical JSON, whatever their members' order (A-14)", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const key = { order: { id: 7, lines: [1, 2] }, region: "eu" };
    const pending = receiveMessage(run, "confirm", confirm, {
      parameters: { region: "eu" },
      correlation: { locations: ["$message.payload#/key"], value: key },
      timeoutMs: 1000,
    });
    await expect.poll(() => transport.subscribers("confirm-order/eu")).toBe(1);
    const deliver = (label: string, found: unknown) =>
      transport.deliver("confirm-order/eu", { headers: {}, payload: { key: found, label } });
    deliver("another region", { region: "us", order: { lines: [1, 2], id: 7 } });
    deliver("lines in another order: arrays keep theirs", { region: "eu", order: { lines: [2, 1], id: 7 } });
    deliver("the id as text inside a structure", { region: "eu", order: { lines: [1, 2], id: "7" } });
    deliver("a member more", { region: "eu", order: { lines: [1, 2], id: 7 }, extra: true });
    deliver("its text, not the structure", JSON.stringify(key));
    deliver("the same, members reordered at every level", { order: { lines: [1, 2], id: 7 }, region: "eu" });
    expect(((await pending).payload as { label: string }).label).toBe("the same, members reordered at every level");
  });

  it('match a scalar by its text either way: "42" and 42; never a message without a value there', async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const taken: unknown[] = [];
    for (const [expected, found] of [
      [42, "42"],
      ["42", 42],
      [true, "true"],
    ] as const) {
      const pending = receiveMessage(run, "confirm", confirm, {
        parameters: { region: "eu" },
        correlation: correlation(expected),
        timeoutMs: 1000,
      });
      await expect.poll(() => transport.subscribers("confirm-order/eu")).toBe(1);
      transport.deliver("confirm-order/eu", { headers: {}, payload: "no value" });
      transport.deliver("confirm-order/eu", { headers: { orderRequestId: null }, payload: "null" });
      transport.deliver("confirm-order/eu", { headers: { orderRequestId: "43" }, payload: "another value" });
      transport.deliver("confirm-order/eu", { headers: { orderRequestId: found }, payload: `${typeof found} ${String(found)}` });
      // Each round enters the step anew (not a retry): it subscribes afresh, the earlier subscription closed.
      taken.push((await pending).payload);
    }
    expect(taken).toEqual(["string 42", "number 42", "string true"]);
    await run.close();
  });

  it("skip messages the transport says are of another kind", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const pending = receiveMessage(run, "confirm", confirm, { parameters: { region: "us" }, timeoutMs: 1000 });
    await expect.poll(() => transport.subscribers("confirm-order/us")).toBe(1);
    transport.deliver("confirm-order/us", { headers: {}, payload: "wrong", message: "somethingElse" });
    transport.deliver("confirm-order/us", { headers: {}, payload: "right" });
    expect((await pending).payload).toBe("right");
  });

  it("fail with reason step-timeout when no message comes within the step's timeout, and close the subscription", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const received = await receiveMessage(run, "confirm", confirm, {
      parameters: { region: "eu" },
      correlation: correlation("x"),
      timeoutMs: 30,
    });
    expect(received.error).toBeInstanceOf(WorkflowError);
    expect(received.error).toMatchObject({
      reason: "step-timeout",
      message: "Workflow purchase failed at step confirm: no message on confirm-order/eu within the step's timeout of 30 ms",
    });
    expect(() => {
      throw run.failed(received);
    }).toThrow(/no message on confirm-order\/eu/);
    await run.close();
    expect(transport.subscribers("confirm-order/eu")).toBe(0);
  });

  it("wait at most receiveTimeoutMs without a timeout of their own; the run's timeoutMs ends the run", async () => {
    const run = start(createMemoryTransport(), { receiveTimeoutMs: 20 });
    expect((await receiveMessage(run, "confirm", confirm, { parameters: { region: "eu" } })).error?.reason).toBe("step-timeout");
    const limited = start(createMemoryTransport(), { timeoutMs: 20 });
    await expect(receiveMessage(limited, "confirm", confirm, { parameters: { region: "eu" } })).rejects.toMatchObject({
      reason: "timeout",
    });
  });

  it("end with the called run when the timeout of the step that called it passes first, for that step", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    const inner = { workflowId: "confirmation", secretInputs: [] };
    // The receive step's own timeout is longer than the calling step's: the caller's deadline ends the called run.
    const called = await run.call(
      "await",
      inner,
      {},
      async (child) => {
        await receiveMessage(child, "confirm", confirm, { parameters: { region: "eu" }, timeoutMs: 60_000 });
        throw new Error("the called run went on after its caller's deadline");
      },
      { timeoutMs: 30 },
    );
    expect(called.error).toMatchObject({ reason: "step-timeout", stepId: "await" });
    expect(called.status).toBeUndefined();
    expect(transport.subscribers("confirm-order/eu")).toBe(0);
    // A send that the transport never takes is cut the same way.
    const stuck = start({ send: () => new Promise(() => undefined), subscribe: () => ({ cancel() {} }) });
    const sent = await stuck.call("place", inner, {}, (child) => sendMessage(child, "send", place, { payload: {} }), { timeoutMs: 30 });
    expect(sent.error).toMatchObject({ reason: "step-timeout", stepId: "place" });
  });

  it("fail with reason transport when the subscription cannot be opened", async () => {
    const run = start({ send: async () => undefined, subscribe: () => Promise.reject(new Error("not authorized")) });
    const received = await receiveMessage(run, "confirm", confirm, { parameters: { region: "eu" }, timeoutMs: 1000 });
    expect(received.error).toMatchObject({
      reason: "transport",
      message: expect.stringContaining("cannot subscribe on confirm-order/eu: not authorized"),
    });
  });

  it("need every channel parameter", async () => {
    const run = start(createMemoryTransport());
    await expect(receiveMessage(run, "confirm", confirm, {})).rejects.toMatchObject({
      reason: "config",
      message: expect.stringContaining("channel parameter 'region'"),
    });
  });

  it("leave no subscription open when the run closes before the receive step runs", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    await listenForMessage(run, "confirm", confirm, { parameters: { region: "eu" } });
    expect(transport.subscribers("confirm-order/eu")).toBe(1);
    await run.close();
    expect(transport.subscribers("confirm-order/eu")).toBe(0);
  });
});

describe("retries of a receive step", () => {
  const step = { parameters: { region: "eu" }, correlation: correlation("r-1"), timeoutMs: 1000 };
  const status = (value: string) => ({ headers: { orderRequestId: "r-1" }, payload: { status: value } });
  const confirmed = (received: { payload: unknown }) => (received.payload as { status?: string } | undefined)?.status === "confirmed";
  /** Runs in process, but each wait (a retry's retryAfter) first lets `during` act: the wait is pending then. */
  const waiting = (during: () => void): WorkflowExecutor => ({
    ...inProcessExecutor,
    sleep: async () => during(),
  });

  it("keep the subscription open across attempts: the next attempt takes a message that arrived during the retry's wait", async () => {
    const transport = createMemoryTransport();
    const run = start(transport, { executor: waiting(() => transport.deliver("confirm-order/eu", status("confirmed"))) });
    await listenForMessage(run, "confirm", confirm, step);
    transport.deliver("confirm-order/eu", status("pending"));
    const first = await receiveMessage(run, "confirm", confirm, step);
    expect(first.payload).toEqual({ status: "pending" });
    expect(await run.check(first, confirmed(first))).toBe(false);
    // The failure action retries after a wait; the confirmation arrives while it is pending.
    await run.retryWait(first, 1);
    expect(transport.subscribers("confirm-order/eu")).toBe(1);
    const second = await receiveMessage(run, "confirm", confirm, step);
    expect(second.payload).toEqual({ status: "confirmed" });
    expect(await run.check(second, confirmed(second))).toBe(true);
    // The run moves on: the subscription closes as the next step starts.
    await sendMessage(run, "thank", place, { payload: {} });
    expect(transport.subscribers("confirm-order/eu")).toBe(0);
    await run.close();
  });

  it("offer each message to one attempt only, in the order they came", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    await listenForMessage(run, "confirm", confirm, step);
    for (const value of ["pending", "shipped", "confirmed"]) transport.deliver("confirm-order/eu", status(value));
    const taken: unknown[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const received = await receiveMessage(run, "confirm", confirm, step);
      taken.push(received.payload);
      if (await run.check(received, confirmed(received))) break;
      await run.retryWait(received, undefined);
    }
    expect(taken).toEqual([{ status: "pending" }, { status: "shipped" }, { status: "confirmed" }]);
    await run.close();
    expect(transport.subscribers("confirm-order/eu")).toBe(0);
  });

  it("keep it open through the step a retry runs first, which may trigger the message", async () => {
    const transport = createMemoryTransport({
      respond: (_sent, t) => t.deliver("confirm-order/eu", status("confirmed")),
    });
    const run = start(transport);
    const first = await receiveMessage(run, "confirm", confirm, { ...step, timeoutMs: 20 });
    expect(first.error?.reason).toBe("step-timeout");
    expect(await run.check(first, false)).toBe(false);
    // As generated code does for a retry that runs a step first: the step is marked retried before that step starts.
    run.retrying("confirm");
    await run.expect(await sendMessage(run, "nudge", place, { payload: {} }), true);
    expect(transport.subscribers("confirm-order/eu")).toBe(1);
    await run.retryWait(first, undefined);
    expect((await receiveMessage(run, "confirm", confirm, step)).payload).toEqual({ status: "confirmed" });
    await run.close();
  });

  it("subscribe again when the step is entered anew rather than retried, or when the run moves on to another step", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    await listenForMessage(run, "confirm", confirm, step);
    transport.deliver("confirm-order/eu", status("pending"));
    transport.deliver("confirm-order/eu", status("stale"));
    const first = await receiveMessage(run, "confirm", confirm, step);
    expect(await run.check(first, true)).toBe(true);
    // A loop back to the step without a retry: the earlier subscription and what it kept are gone.
    const pending = receiveMessage(run, "confirm", confirm, step);
    await expect.poll(() => transport.subscribers("confirm-order/eu")).toBe(1);
    transport.deliver("confirm-order/eu", status("confirmed"));
    expect((await pending).payload).toEqual({ status: "confirmed" });
    await sendMessage(run, "thank", place, { payload: {} });
    expect(transport.subscribers("confirm-order/eu")).toBe(0);
    await run.close();
  });

  it("close it when the run hands over to another workflow (a goto to a workflow)", async () => {
    const transport = createMemoryTransport();
    const run = start(transport);
    await listenForMessage(run, "confirm", confirm, step);
    transport.deliver("confirm-order/eu", status("pending"));
    const first = await receiveMessage(run, "confirm", confirm, step);
    expect(await run.check(first, true)).toBe(true);
    const open = await run.transfer({ workflowId: "next", secretInputs: [] }, async () => transport.subscribers("confirm-order/eu"));
    expect(open).toBe(0);
    await run.close();
  });

  it("subscribe again for the retry when the subscription failed", async () => {
    let opened = 0;
    const transport = createMemoryTransport();
    const flaky: MessageTransport = {
      send: transport.send,
      subscribe: (...args) => (++opened === 1 ? Promise.reject(new Error("not yet")) : transport.subscribe(...args)),
    };
    const run = start(flaky, { executor: waiting(() => undefined) });
    const first = await receiveMessage(run, "confirm", confirm, step);
    expect(first.error?.reason).toBe("transport");
    await run.retryWait(first, 1);
    const pending = receiveMessage(run, "confirm", confirm, step);
    await expect.poll(() => transport.subscribers("confirm-order/eu")).toBe(1);
    transport.deliver("confirm-order/eu", status("confirmed"));
    expect((await pending).payload).toEqual({ status: "confirmed" });
    expect(opened).toBe(2);
    await run.close();
  });

  it("read a replayed attempt from the journal; the live attempt after it takes the next message on the subscription", async () => {
    const journal = new Map<string, MessageOutcome>();
    const journaled = (during: () => void): WorkflowExecutor => ({
      ...waiting(during),
      async message(name, ms, perform) {
        const recorded = journal.get(name);
        if (recorded !== undefined) return recorded;
        const outcome = await perform(ms);
        journal.set(name, outcome);
        return outcome;
      },
    });
    // The first execution takes the pending status, fails it, and stops during the retry's wait (a crash).
    const before = createMemoryTransport();
    const crashed = start(before, {
      executor: journaled(() => {
        throw new Error("the process stopped");
      }),
    });
    await listenForMessage(crashed, "confirm", confirm, step);
    before.deliver("confirm-order/eu", status("pending"));
    const taken = await receiveMessage(crashed, "confirm", confirm, step);
    await crashed.check(taken, confirmed(taken));
    await expect(crashed.retryWait(taken, 1)).rejects.toThrow("the process stopped");
    await crashed.close();
    expect([...journal.keys()]).toEqual(["confirm#1"]);

    // The replay reads attempt 1 from the journal, not from the new subscription; attempt 2 takes what came since.
    const after = createMemoryTransport();
    const replay = start(after, { executor: journaled(() => after.deliver("confirm-order/eu", status("confirmed"))) });
    await listenForMessage(replay, "confirm", confirm, step);
    const again = await receiveMessage(replay, "confirm", confirm, step);
    expect(again.payload).toEqual({ status: "pending" });
    expect(await replay.check(again, confirmed(again))).toBe(false);
    await replay.retryWait(again, 1);
    const live = await receiveMessage(replay, "confirm", confirm, step);
    expect(live.payload).toEqual({ status: "confirmed" });
    expect([...journal.keys()]).toEqual(["confirm#1", "confirm#2"]);
    await replay.close();
    expect(after.subscribers("confirm-order/eu")).toBe(0);
  });
});

describe("the step timeout of a request step", () => {
  it("replaces requestTimeoutMs and fails the step with reason step-timeout", async () => {
    const { createServer } = await import("node:http");
    const server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const run = WorkflowRun.start(definition, { servers: { api: `http://127.0.0.1:${port}` }, requestTimeoutMs: 60_000 }, {});
      const response = await run.request("getPet", { name: "api" }, "GET", "/pets", { timeoutMs: 30 });
      expect(response.error).toMatchObject({
        reason: "step-timeout",
        message: expect.stringContaining("no response within the step's timeout of 30 ms"),
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
