// What runDurably (runtime-restate.ts) writes into Restate's journal when the worker holds secrets: the secret
// values scrubbed from each recorded exchange, and nothing else of the inputs that hold them. A recording
// context stands in for Restate (the end-to-end journal checks against a real server are in
// durable-restate.test.ts); the requests go to a real server on 127.0.0.1 that echoes what it gets.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type * as restate from "@restatedev/restate-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { WorkflowRun, type WorkflowOptions } from "../runtime/runtime.js";
import { runDurably } from "../runtime/runtime-restate.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A server answering every request with its session header and a fixed note naming users and tokens. */
async function echoServer(note: string): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ session: req.headers["x-session"], note })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A stand-in for Restate's workflow context that keeps what each `ctx.run` journals. */
function recordingContext(journal: unknown[]): restate.WorkflowContext {
  const ctx = {
    run: async (_name: string, action: () => Promise<unknown>) => {
      const entry = await action();
      journal.push(JSON.parse(JSON.stringify(entry)));
      return entry;
    },
    sleep: async () => undefined,
    date: { now: async () => Date.now() },
    rand: { random: () => 0.5 },
  };
  return ctx as unknown as restate.WorkflowContext;
}

/** One request with the first account's token; the body it got back. */
async function readWithFirstAccount(inputs: { accounts: { user: string; token: string }[] }, options: WorkflowOptions): Promise<unknown> {
  const run = WorkflowRun.start({ workflowId: "w", secretInputs: [["accounts", "token"]] }, options, inputs);
  const response = await run.send("read", {
    source: "api",
    method: "GET",
    path: "/stock",
    parameters: [{ in: "header", name: "X-Session", value: inputs.accounts[0]!.token }],
  });
  return response.body;
}

describe("runDurably with worker-held secrets", () => {
  it("scrubs each item's secret member from the journal, and leaves the other members (the run reads them) alone", async () => {
    const url = await echoServer("tokens tok-ann-1 and tok-bob-2 belong to annabel and bobby");
    const accounts = [
      { user: "annabel", token: "tok-ann-1" },
      { user: "bobby", token: "tok-bob-2" },
    ];
    const journal: unknown[] = [];
    const body = await runDurably(recordingContext(journal), {}, [["accounts", "token"]], { servers: { api: url }, secrets: { accounts } }, readWithFirstAccount);
    expect(journal).toHaveLength(1);
    const recorded = JSON.stringify(journal);
    expect(recorded).not.toContain("tok-ann-1");
    expect(recorded).not.toContain("tok-bob-2");
    // The run sees what the journal holds: the tokens redacted, the users as they were.
    expect(body).toEqual({ session: "[redacted]", note: "tokens [redacted] and [redacted] belong to annabel and bobby" });
  });

  it("a secret input named whole is scrubbed whole, every string inside it", async () => {
    const url = await echoServer("key part-one-7 and part-two-8");
    const journal: unknown[] = [];
    const run = async (inputs: { key: { a: string; b: string[] } }, options: WorkflowOptions): Promise<unknown> => {
      const workflow = WorkflowRun.start({ workflowId: "w", secretInputs: ["key"] }, options, inputs);
      return (await workflow.send("read", { source: "api", method: "GET", path: "/", parameters: [] })).body;
    };
    const body = await runDurably(recordingContext(journal), {}, ["key"], { servers: { api: url }, secrets: { key: { a: "part-one-7", b: ["part-two-8"] } } }, run);
    expect(JSON.stringify(journal)).not.toMatch(/part-one-7|part-two-8/);
    expect(body).toEqual({ note: "key [redacted] and [redacted]" });
  });
});
