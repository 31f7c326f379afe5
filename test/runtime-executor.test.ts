// The executor seam: every exchange, wait, clock read and random number of a run goes through
// options.executor. Checked on the Windmill cleanup seed against the simulator (names, waits), with a clock that
// jumps, with a journal that replays a run without a single request, and with the run's own limits, which stay
// outside the exchange.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runScriptAndCleanupJob } from "../out/windmill/windmill-run-script-and-cleanup-job-workflow.js";
import { inProcessExecutor as generatedExecutor, WorkflowError as GeneratedWorkflowError } from "../out/windmill/runtime.js";
import {
  inProcessExecutor,
  WorkflowError,
  WorkflowRun,
  type ExchangeOutcome,
  type StepRequest,
  type WorkflowExecutor,
} from "../runtime/runtime.js";
import { startWindmillSimulator, type WindmillSimulator } from "./support/windmill-simulator.js";

let sim: WindmillSimulator | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Records what goes through it; waits are recorded and skipped. */
function recorder(base: WorkflowExecutor = generatedExecutor) {
  const names: string[] = [];
  const waits: number[] = [];
  const outcomes = new Map<string, ExchangeOutcome>();
  let clockReads = 0;
  let randoms = 0;
  const executor: WorkflowExecutor = {
    async exchange(name, perform) {
      names.push(name);
      const outcome = await base.exchange(name, perform);
      outcomes.set(name, outcome);
      return outcome;
    },
    sleep: async (ms) => void waits.push(ms),
    now: () => (clockReads++, base.now()),
    random: () => (randoms++, 0.5),
  };
  return { executor, names, waits, outcomes, counts: () => ({ clockReads, randoms }) };
}

const inputs = (s: WindmillSimulator) => ({ token: s.adminToken, workspace: "demo", path: "f/demo/slow", args: { x: 1 } });

describe("the executor seam", () => {
  it("the cleanup seed: each exchange named stepId#attempt, each poll wait through the executor", async () => {
    // The job runs 200 ms of real time; the polls, their waits skipped, repeat until then.
    sim = await startWindmillSimulator({ scripts: { "f/demo/slow": { runningMs: 200, result: { n: 7 } } } });
    const r = recorder();
    // A poll interval of a minute: the run ends in milliseconds only because the waits go through the executor.
    const out = await runScriptAndCleanupJob(inputs(sim), {
      servers: { windmillApi: sim.apiUrl },
      executor: r.executor,
      poll: { intervalMs: 60_000, maxIntervalMs: 60_000, backoff: 1, jitter: 0.5 },
    });
    expect(out.result).toEqual({ n: 7 });
    const polls = r.names.filter((n) => n.startsWith("pollResult#"));
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(r.names).toEqual(["runScript#1", ...polls.map((_, i) => `pollResult#${i + 1}`), "captureResult#1", "deleteJob#1"]);
    // One wait before each repeat of the poll: the interval plus the jitter drawn from executor.random (0.5).
    expect(r.waits).toEqual(polls.slice(1).map(() => 60_000 + 60_000 * 0.5 * 0.5));
    expect(r.counts().randoms).toBe(polls.length - 1);
    // Outcomes are plain JSON data: they survive a journal.
    for (const outcome of r.outcomes.values()) expect(JSON.parse(JSON.stringify(outcome))).toEqual(outcome);
    expect(sim.jobs().every((j) => j.deleted)).toBe(true);
  });

  it("a journal replays a run: the same outputs, no request sent", async () => {
    sim = await startWindmillSimulator({ scripts: { "f/demo/slow": { runningMs: 30, result: [1, "two"] } } });
    const first = recorder();
    const options = { servers: { windmillApi: sim.apiUrl }, poll: { intervalMs: 10, backoff: 1 } };
    const original = await runScriptAndCleanupJob(inputs(sim), { ...options, executor: first.executor });
    const journal = JSON.parse(JSON.stringify(Object.fromEntries(first.outcomes))) as Record<string, ExchangeOutcome>;
    const sent = sim.requests.length;

    const replayed: string[] = [];
    const replay: WorkflowExecutor = {
      ...inProcessExecutor,
      exchange: async (name) => {
        replayed.push(name);
        const outcome = journal[name];
        if (outcome === undefined) throw new Error(`${name} is not in the journal`);
        return outcome;
      },
      sleep: async () => undefined,
    };
    const fetch = (() => Promise.reject(new Error("a replayed run sends nothing"))) as typeof globalThis.fetch;
    const again = await runScriptAndCleanupJob(inputs(sim), { ...options, executor: replay, fetch });
    expect(again).toEqual(original);
    expect(replayed).toEqual(first.names);
    expect(sim.requests.length).toBe(sent);
  });

  it("deadlines read the executor's clock", async () => {
    sim = await startWindmillSimulator({ scripts: { "f/demo/slow": { neverCompletes: true } } });
    let now = 1_000_000;
    const executor: WorkflowExecutor = {
      ...inProcessExecutor,
      now: () => now,
      // Each wait moves this clock on by what it asked for, at once.
      sleep: async (ms) => void (now += ms),
    };
    const error = await runScriptAndCleanupJob(inputs(sim), {
      servers: { windmillApi: sim.apiUrl },
      executor,
      timeoutMs: 3_600_000,
      poll: { intervalMs: 600_000, maxIntervalMs: 600_000, backoff: 1 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneratedWorkflowError);
    expect((error as WorkflowError).reason).toBe("timeout");
    // An hour of polling every ten minutes, on the executor's clock: about six polls, no real wait.
    const polls = sim.requests.filter((r) => r.path.includes("get_result_maybe")).length;
    expect(polls).toBeGreaterThanOrEqual(6);
    expect(polls).toBeLessThanOrEqual(7);
  });

  it("the run's own timeout and the caller's abort are not outcomes: exchange rejects with the WorkflowError", async () => {
    const server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const request: StepRequest = { source: "api", method: "GET", path: "/", parameters: [] };
    const r = recorder(inProcessExecutor);

    const timedOut = WorkflowRun.start(
      { workflowId: "w", secretInputs: [] },
      { servers: { api: url }, timeoutMs: 150, executor: r.executor },
      {},
    );
    const error = await timedOut.send("s", request).catch((e: unknown) => e);
    expect((error as WorkflowError).reason).toBe("timeout");

    const controller = new AbortController();
    const aborted = WorkflowRun.start(
      { workflowId: "w", secretInputs: [] },
      { servers: { api: url }, signal: controller.signal, executor: r.executor },
      {},
    );
    const pending = aborted.send("t", request).catch((e: unknown) => e);
    controller.abort(new Error("stop"));
    expect(((await pending) as WorkflowError).reason).toBe("aborted");
    expect(r.names).toEqual(["s#1", "t#1"]);
    expect(r.outcomes.size).toBe(0);
  });

  it("a failed exchange is data with a redacted message; request-timeout is an outcome", async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = recorder(inProcessExecutor);
    const run = WorkflowRun.start(
      { workflowId: "w", secretInputs: ["key"] },
      { servers: { api: url }, requestTimeoutMs: 100, executor: r.executor },
      { key: "k-secret-1" },
    );
    const response = await run.send("s", {
      source: "api",
      method: "GET",
      path: "/{key}",
      parameters: [{ in: "path", name: "key", value: "k-secret-1" }],
    });
    expect(response.error?.reason).toBe("request-timeout");
    expect(r.outcomes.get("s#1")).toEqual({
      ok: false,
      reason: "request-timeout",
      message: "no response within 100 ms (requestTimeoutMs)",
    });

    // A port just released: connection refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const second = recorder(inProcessExecutor);
    const refused = WorkflowRun.start(
      { workflowId: "w", secretInputs: ["key"] },
      { servers: { api: `http://127.0.0.1:${port}` }, executor: second.executor },
      { key: "k-secret-1" },
    );
    await refused.send("s", {
      source: "api",
      method: "GET",
      path: "/{key}",
      parameters: [{ in: "path", name: "key", value: "k-secret-1" }],
    });
    const outcome = second.outcomes.get("s#1")!;
    expect(outcome.ok).toBe(false);
    expect(JSON.stringify(outcome)).toContain("[redacted]");
    expect(JSON.stringify(outcome)).not.toContain("k-secret-1");
  });
});
