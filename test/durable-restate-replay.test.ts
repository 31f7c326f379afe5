// The Restate executor's message steps replayed from a journal, without a Restate server: a stand-in context
// keeps the journal in order, as Restate does, and answers from it on a second attempt. It shows what the
// end-to-end tests cannot time: a replay reads the journaled message and does not send again, and a resumed
// wait keeps the deadline the first attempt fixed.
import type * as restate from "@restatedev/restate-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { runDurably } from "../out/durable/runtime-restate.js";
import { createMemoryTransport } from "../out/durable/runtime-messages.js";
import { orderAndShip, type OrderAndShipInputs } from "../out/durable/shop.arazzo.js";
import { startServer, type TestServer } from "./support/json-server.js";

/** One entry of the stand-in journal: the name it was written under and its value as JSON. */
interface Entry {
  readonly name: string;
  readonly json: string;
}

/**
 * A workflow context over a journal: entries already there are answered in order, without running anything;
 * later ones are run and appended. `crashAt` names an entry whose run dies before it is journaled.
 */
function journalContext(journal: Entry[], crashAt?: string): restate.WorkflowContext {
  let next = 0;
  const journaled = async <T>(name: string, action: () => Promise<T> | T): Promise<T> => {
    const index = next++;
    const recorded = journal[index];
    if (recorded !== undefined) {
      expect(recorded.name, `journal entry ${index}`).toBe(name);
      return JSON.parse(recorded.json) as T;
    }
    if (name === crashAt) throw new Error("the worker died");
    const value = await action();
    journal.push({ name, json: JSON.stringify(value) });
    return value;
  };
  const context = {
    run: <T>(name: string, action: () => Promise<T>) => journaled(name, action),
    date: { now: () => journaled("now", () => Date.now()) },
    sleep: (ms: number) => journaled("sleep", () => new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.min(ms, 10)))),
    rand: { random: () => 0.5 },
  };
  return context as unknown as restate.WorkflowContext;
}

let shop: TestServer | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

// The token is held by the worker (options.secrets), as a Restate worker holds it: the invocation leaves it out.
const inputs: Omit<OrderAndShipInputs, "apiToken"> = { reference: "ref-9", item: "chair", quantity: 4 };

/** The shop's API: each order is accepted as ord-9; `onOrder` plays the warehouse. */
async function shopApi(onOrder: () => void = () => undefined): Promise<TestServer> {
  shop = await startServer(() => {
    onOrder();
    return { status: 201, body: { id: "ord-9" } };
  });
  return shop;
}

function run(journal: Entry[], transport: ReturnType<typeof createMemoryTransport>, url: string, crashAt?: string) {
  return runDurably(
    journalContext(journal, crashAt),
    inputs,
    ["apiToken"],
    { servers: { shop: url }, secrets: { apiToken: "replay-token" } },
    (runInputs: OrderAndShipInputs, runOptions) => orderAndShip(runInputs, { ...runOptions, transports: { shopEvents: transport } }),
  );
}

describe("message steps replayed from the Restate journal", () => {
  it("a replay reads the journaled confirmation and sends nothing: the message is read once, the shipping request sent once", async () => {
    const first = createMemoryTransport();
    // The warehouse confirms while the order is placed: the subscription opened before the order keeps it.
    const api = await shopApi(() =>
      first.deliver("order-confirmed", {
        headers: { "x-warehouse": "south" },
        payload: { reference: "ref-9", orderId: "ord-9", confirmedAt: "t1" },
      }),
    );
    const journal: Entry[] = [];
    const outputs = await run(journal, first, api.url);
    expect(outputs).toEqual({ orderId: "ord-9", confirmedAt: "t1", warehouse: "south" });
    expect(first.sent).toHaveLength(1);
    expect(journal.map((e) => e.name)).toEqual(["now", "placeOrder#1", "now", "awaitConfirmation#1", "requestShipping#1"]);

    // The send has no deadline, so no clock read before it.
    // A second attempt over the whole journal: no request, no message in, nothing sent; the same outputs.
    const second = createMemoryTransport();
    const again = await run(journal, second, "http://127.0.0.1:9");
    expect(again).toEqual(outputs);
    expect(second.sent).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });

  it("a wait resumed after a crash keeps the deadline the first attempt journaled", async () => {
    const api = await shopApi();
    const journal: Entry[] = [];
    const transport = createMemoryTransport();
    await expect(run(journal, transport, api.url, "awaitConfirmation#1")).rejects.toThrow("the worker died");
    expect(journal.map((e) => e.name)).toEqual(["now", "placeOrder#1", "now"]);
    // The first attempt began its wait 25 s ago: the step's 20 s timeout has passed, and the new attempt does not
    // wait another 20 s but fails the step at once.
    journal[2] = { name: "now", json: JSON.stringify(Date.now() - 25_000) };
    const error = await run(journal, createMemoryTransport(), "http://127.0.0.1:9").catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining("(reason step-timeout, step awaitConfirmation)") });
    expect(journal[3]!.name).toBe("awaitConfirmation#1");
    expect(JSON.parse(journal[3]!.json)).toMatchObject({ outcome: { ok: false, reason: "step-timeout" } });
    expect(api.requests).toHaveLength(1);
  });
});
