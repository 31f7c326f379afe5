// The executor seam as a durable engine uses it, without the engine: a journaling executor records each
// exchange's outcome by name and a replay hands the recorded outcomes back, with the same random numbers.
// Idempotency keys: one per run and step attempt, in the header the operation declares, and the same key
// when a request whose outcome was lost in a crash is sent again.
import { afterEach, describe, expect, it } from "vitest";
import { payAndRefund } from "../out/durable/payments.arazzo.js";
import { runScriptAndCleanupJob } from "../out/durable/windmill-run-script-and-cleanup-job-workflow.js";
import { WorkflowError, type ExchangeOutcome, type WorkflowExecutor } from "../out/durable/runtime.js";
import { startServer, type TestServer } from "./support/json-server.js";
import { startWindmillSimulator } from "./support/windmill-simulator.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A deterministic random source (as an engine seeds it per run). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

/** Records outcomes by exchange name; given a journal, replays what it holds and performs the rest. */
class JournalingExecutor implements WorkflowExecutor {
  readonly performed: string[] = [];
  readonly sleeps: number[] = [];
  private readonly rand: () => number;
  constructor(
    readonly journal: Map<string, ExchangeOutcome>,
    seed: number,
  ) {
    this.rand = seeded(seed);
  }
  async exchange(name: string, perform: () => Promise<ExchangeOutcome>): Promise<ExchangeOutcome> {
    const recorded = this.journal.get(name);
    if (recorded !== undefined) return recorded;
    this.performed.push(name);
    const outcome = await perform();
    this.journal.set(name, outcome);
    return outcome;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
  }
  now(): number {
    return 1_700_000_000_000;
  }
  random(): number {
    return this.rand();
  }
}

async function paymentsServer(): Promise<TestServer> {
  let creates = 0;
  server = await startServer((request) => {
    if (request.method === "POST" && request.path === "/payments")
      return ++creates === 1 ? { status: 503 } : { status: 201, body: { id: "pay-1" } };
    if (request.method === "GET" && request.path === "/payments/pay-1") return { status: 200, body: { status: "settled" } };
    if (request.method === "POST" && request.path === "/payments/pay-1/refund") return { status: 200, body: { refunded: true } };
    return { status: 404 };
  });
  return server;
}

describe("idempotency keys", () => {
  it("are sent per run and step attempt in the header each operation declares", async () => {
    const s = await paymentsServer();
    const out = await payAndRefund({ amount: 5 }, { servers: { payments: s.url } });
    expect(out).toEqual({ paymentId: "pay-1", status: "settled", refunded: true });
    const [first, retry, read, refund] = s.requests;
    const key1 = first!.headers["idempotency-key"] as string;
    const key2 = retry!.headers["idempotency-key"] as string;
    expect(key1).toMatch(/^[0-9a-f]{32}-createPayment#1$/);
    // The document's retry is a new attempt: a new key, of the same run.
    expect(key2).toBe(key1.replace("#1", "#2"));
    expect(read!.headers["idempotency-key"]).toBeUndefined();
    expect(refund!.headers["x-request-id"]).toBe(key1.replace("createPayment#1", "refundPayment#1"));
  });

  it("differ between runs", async () => {
    const s = await paymentsServer();
    await payAndRefund({ amount: 5 }, { servers: { payments: s.url } });
    await payAndRefund({ amount: 5 }, { servers: { payments: s.url } });
    const keys = s.requests.filter((r) => r.path === "/payments").map((r) => String(r.headers["idempotency-key"]).split("-")[0]);
    expect(new Set(keys).size).toBe(2);
  });
});

describe("a journaling executor", () => {
  it("names each exchange stepId#attempt, and a replay sends nothing and gives the same outputs", async () => {
    const s = await paymentsServer();
    const options = { servers: { payments: s.url } };
    const journal = new Map<string, ExchangeOutcome>();
    const live = new JournalingExecutor(journal, 42);
    const out = await payAndRefund({ amount: 5 }, { ...options, executor: live });
    expect(live.performed).toEqual(["createPayment#1", "createPayment#2", "getPayment#1", "refundPayment#1"]);
    expect(s.requests).toHaveLength(4);

    const replay = new JournalingExecutor(journal, 42);
    expect(await payAndRefund({ amount: 5 }, { ...options, executor: replay })).toEqual(out);
    expect(replay.performed).toEqual([]);
    expect(s.requests).toHaveLength(4);
  });

  it("after a crash with a request in flight, sends it again with the same idempotency key", async () => {
    const s = await paymentsServer();
    const options = { servers: { payments: s.url } };
    const journal = new Map<string, ExchangeOutcome>();
    await payAndRefund({ amount: 5 }, { ...options, executor: new JournalingExecutor(journal, 7) });
    // The outcome of the retried create never reached the journal: the worker died while it was in flight.
    journal.delete("createPayment#2");
    journal.delete("getPayment#1");
    journal.delete("refundPayment#1");
    const resumed = new JournalingExecutor(journal, 7);
    await payAndRefund({ amount: 5 }, { ...options, executor: resumed });
    expect(resumed.performed).toEqual(["createPayment#2", "getPayment#1", "refundPayment#1"]);
    const creates = s.requests.filter((r) => r.path === "/payments");
    expect(creates).toHaveLength(3);
    // The lost attempt and its resend carry one key: a server that honours it creates one payment.
    expect(creates[2]!.headers["idempotency-key"]).toBe(creates[1]!.headers["idempotency-key"]);
    expect(creates[2]!.headers["idempotency-key"]).toMatch(/createPayment#2$/);
  });

  it("takes waits, clock and random numbers from the executor", async () => {
    const sim = await startWindmillSimulator({ scripts: { "f/demo/stuck": { neverCompletes: true } } });
    try {
      // A virtual clock that only the executor's waits move: 5 s polls with jitter pass at once.
      let clock = 1_700_000_000_000;
      const sleeps: number[] = [];
      const executor: WorkflowExecutor = {
        exchange: (_name, perform) => perform(),
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
        now: () => clock,
        random: () => 0.5,
      };
      const error = await runScriptAndCleanupJob(
        { token: sim.adminToken, workspace: "demo", path: "f/demo/stuck", args: {} },
        { servers: { windmillApi: sim.apiUrl }, poll: { intervalMs: 5000, backoff: 1, jitter: 0.5 }, timeoutMs: 20_000, executor },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowError);
      expect((error as WorkflowError).reason).toBe("timeout");
      // 5000 plus a quarter (jitter 0.5 x random 0.5) per poll; the last wait is cut at the deadline.
      expect(sleeps).toEqual([6250, 6250, 6250, 1250]);
      expect(sim.requests.filter((r) => r.path.includes("/get_result_maybe/"))).toHaveLength(4);
    } finally {
      await sim.close();
    }
  });
});
