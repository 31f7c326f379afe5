// The generated Restate workflows (out/durable, compiled with --durable restate) on a real Restate server,
// against the Windmill simulator: both seeds in every branch, a worker killed during the poll wait, a key
// submitted twice, terminal failures, the token kept out of Restate's journal and state, and the deadline of a
// step that calls a workflow, with a worker killed before it passes. Then the shop fixture's message steps: an
// order placed over HTTP, its confirmation received through the worker's in-memory transport and a shipping
// request sent, each journaled once, also across a worker killed while it waits.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attach, runWorkflow, submit } from "./support/restate-client.js";
import { startRestateServer, startWorker, type RestateServer, type Worker } from "./support/restate.js";
import { startServer, type TestServer } from "./support/json-server.js";
import { waitFor } from "./support/wait-for.js";
import { startWindmillSimulator, type WindmillSimulator } from "./support/windmill-simulator.js";

const CLEANUP = "run-script-and-cleanup-job";
const CANCEL = "run-script-with-cancel-guard";

let server: RestateServer;
let sim: WindmillSimulator;
const workers: Worker[] = [];

async function worker(options: Parameters<typeof startWorker>[0]): Promise<Worker> {
  const started = await startWorker(options);
  workers.push(started);
  await server.register(started.url);
  return started;
}

beforeAll(async () => {
  [server, sim] = await Promise.all([
    startRestateServer(),
    startWindmillSimulator({
      scripts: {
        "f/demo/fast": { result: { sum: 3 } },
        "f/demo/slow": { queuedMs: 50, runningMs: 300, result: { rows: 42 } },
        "f/demo/queued": { queuedMs: 60_000, runningMs: 60_000 },
        "f/demo/broken": { success: false, result: { error: { name: "Error", message: "boom" } } },
        "f/demo/long": { runningMs: 2500, result: { rows: 7 } },
      },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await server?.stop();
  await sim?.close();
});

const runsOf = (scriptPath: string) =>
  sim.requests.filter((r) => r.method === "POST" && r.path.includes("/jobs/run/p/") && decodeURIComponent(r.path).endsWith(scriptPath));
const requestsFor = (jobId: string, fragment: string) => sim.requests.filter((r) => r.path.includes(fragment) && r.path.endsWith(jobId));

/** Journal entries of the invocations of a workflow key, their payloads decoded (Restate shows them as bytes). */
async function journalText(): Promise<string> {
  const rows = await server.query("SELECT id, index, entry_type, name, entry_json FROM sys_journal");
  const tables = [rows, await server.query("SELECT * FROM state"), await server.query("SELECT * FROM sys_invocation")];
  // Payloads are arrays of bytes inside entry_json: decode every array of byte values as UTF-8 text.
  const decode = (value: unknown): string => {
    if (Array.isArray(value) && value.length > 0 && value.every((b) => typeof b === "number" && b >= 0 && b < 256))
      return Buffer.from(value as number[]).toString("utf8");
    if (Array.isArray(value)) return value.map(decode).join("\n");
    if (typeof value === "object" && value !== null) return Object.values(value).map(decode).join("\n");
    if (typeof value === "string" && /^[[{]/.test(value)) {
      try {
        return value + "\n" + decode(JSON.parse(value));
      } catch {
        return value;
      }
    }
    return String(value);
  };
  return tables.map(decode).join("\n");
}

async function journalOf(workflowId: string, key: string): Promise<{ type: string; name: string }[]> {
  const rows = await server.query(
    `SELECT j.entry_type, j.name FROM sys_journal j JOIN sys_invocation i ON j.id = i.id WHERE i.target_service_name = '${workflowId}' AND i.target_service_key = '${key}' ORDER BY j.index`,
  );
  return rows.map((r) => ({ type: String(r["entry_type"]), name: String(r["name"] ?? "") }));
}

describe("with the token held by the worker", () => {
  beforeAll(async () => {
    await worker({ apiUrl: sim.apiUrl, token: sim.adminToken });
  });

  it("cleanup seed: polls a slow job on durable timers, captures the result and deletes the job; each exchange journaled once", async () => {
    const { status, body } = await runWorkflow(server.ingressUrl, CLEANUP, "slow-1", { workspace: "demo", path: "f/demo/slow", args: { n: 1 } });
    expect(status).toBe(200);
    const out = body as { jobId: string };
    expect(out).toEqual({ jobId: out.jobId, result: { rows: 42 }, success: true, deletedId: out.jobId });
    expect(sim.job(out.jobId)!.deleted).toBe(true);
    const polls = requestsFor(out.jobId, "/get_result_maybe/");
    expect(polls.length).toBeGreaterThanOrEqual(2);

    const journal = await journalOf(CLEANUP, "slow-1");
    const exchanges = journal.filter((e) => e.type === "Command: Run" && e.name !== "").map((e) => e.name);
    expect(exchanges).toEqual([
      "runScript#1",
      ...polls.map((_, i) => `pollResult#${i + 1}`),
      "captureResult#1",
      "deleteJob#1",
    ]);
    // One durable timer between each two polls.
    expect(journal.filter((e) => e.type === "Command: Sleep")).toHaveLength(polls.length - 1);
  });

  it("cleanup seed: a failing script gives success false and the job is still deleted", async () => {
    const { status, body } = await runWorkflow(server.ingressUrl, CLEANUP, "broken-1", { workspace: "demo", path: "f/demo/broken", args: {} });
    expect(status).toBe(200);
    const out = body as { jobId: string; success: boolean; result: unknown };
    expect(out.success).toBe(false);
    expect(out.result).toEqual({ error: { name: "Error", message: "boom" } });
    expect(sim.job(out.jobId)!.deleted).toBe(true);
  });

  it("cancel seed: a job complete when inspected is read, not cancelled", async () => {
    const { status, body } = await runWorkflow(server.ingressUrl, CANCEL, "fast-1", {
      workspace: "demo",
      path: "f/demo/fast",
      args: { a: 1, b: 2 },
      cancelReason: "too slow",
    });
    expect(status).toBe(200);
    const out = body as { jobId: string; result?: unknown };
    expect(out).toEqual({ jobId: out.jobId, result: { sum: 3 } });
    expect(requestsFor(out.jobId, "/queue/cancel/")).toHaveLength(0);
    expect(sim.job(out.jobId)!.canceled).toBe(false);
  });

  it("cancel seed: a queued job is cancelled with the reason, and cancelConfirmation is its id", async () => {
    const { status, body } = await runWorkflow(server.ingressUrl, CANCEL, "queued-1", {
      workspace: "demo",
      path: "f/demo/queued",
      args: {},
      cancelReason: "too slow",
    });
    expect(status).toBe(200);
    const out = body as { jobId: string; cancelConfirmation?: string };
    expect(out).toEqual({ jobId: out.jobId, cancelConfirmation: out.jobId });
    const job = sim.job(out.jobId)!;
    expect(job.canceled).toBe(true);
    expect(job.canceledReason).toBe("too slow");
  });

  it("a caller that submits the same workflow key twice gets one run", async () => {
    const inputs = { workspace: "demo", path: "f/demo/fast", args: { twice: true } };
    const first = await submit(server.ingressUrl, CLEANUP, "twice-1", inputs);
    const second = await submit(server.ingressUrl, CLEANUP, "twice-1", inputs);
    expect(first.status).toBe("Accepted");
    expect(second.status).toBe("PreviouslyAccepted");
    expect(second.invocationId).toBe(first.invocationId);
    const [a, b] = await Promise.all([attach(server.ingressUrl, CLEANUP, "twice-1"), attach(server.ingressUrl, CLEANUP, "twice-1")]);
    expect(a).toEqual(b);
    expect(a.status).toBe(200);
    const runs = sim.requests.filter((r) => r.path.includes("/jobs/run/p/") && JSON.parse(r.body || "{}").twice === true);
    expect(runs).toHaveLength(1);
  });

  it("an invocation that carries a secret the worker holds is refused, before any request", async () => {
    const before = sim.requests.length;
    const { status, body } = await runWorkflow(server.ingressUrl, CLEANUP, "carries-token", {
      token: "from-the-caller",
      workspace: "demo",
      path: "f/demo/fast",
      args: {},
    });
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain("held by the worker");
    expect(sim.requests.length).toBe(before);
  });

  it("the token the worker holds is in no journal entry, state or invocation record", async () => {
    const text = await journalText();
    // The check reads the journal's payloads: the workflows' own values are there.
    expect(text).toContain("f/demo/slow");
    expect(text).toContain("runScript#1");
    expect(text).not.toContain(sim.adminToken);
  });

  it("a worker killed (SIGKILL) during the poll wait: a new worker resumes the run; one run request, one delete", async () => {
    // This test's workers poll every second, so the kill lands in a wait between polls.
    const first = await worker({ apiUrl: sim.apiUrl, token: sim.adminToken, pollIntervalMs: 1000 });
    const key = "crash-1";
    await submit(server.ingressUrl, CLEANUP, key, { workspace: "demo", path: "f/demo/long", args: { crash: 1 } });
    const jobId = await waitFor(() => sim.jobs().find((j) => j.scriptPath === "f/demo/long")?.id, { timeoutMs: 20_000 });
    await waitFor(() => requestsFor(jobId, "/get_result_maybe/").length >= 1, { timeoutMs: 20_000 });
    await first.kill();
    const pollsBeforeCrash = requestsFor(jobId, "/get_result_maybe/").length;
    expect(sim.job(jobId)!.state).not.toBe("completed");

    // The replacement takes the crashed worker's address, as a restarted pod behind a stable name does.
    await worker({ apiUrl: sim.apiUrl, token: sim.adminToken, pollIntervalMs: 1000, port: first.port });
    const { status, body } = await attach(server.ingressUrl, CLEANUP, key);
    expect(status).toBe(200);
    expect(body).toEqual({ jobId, result: { rows: 7 }, success: true, deletedId: jobId });
    expect(runsOf("f/demo/long")).toHaveLength(1);
    expect(requestsFor(jobId, "/jobs/completed/delete/")).toHaveLength(1);
    expect(requestsFor(jobId, "/completed/get/")).toHaveLength(1);
    // The new worker went on polling where the first stopped.
    expect(requestsFor(jobId, "/get_result_maybe/").length).toBeGreaterThan(pollsBeforeCrash);
    expect(sim.job(jobId)!.deleted).toBe(true);
  });
});

describe("failures", () => {
  it("a WorkflowError is a terminal failure with its reason, step and status, not retried", async () => {
    await worker({ apiUrl: sim.apiUrl });
    const { status, body } = await runWorkflow(server.ingressUrl, CLEANUP, "forbidden-1", {
      token: sim.userToken,
      workspace: "demo",
      path: "f/demo/fast",
      args: { forbidden: 1 },
    });
    expect(status).toBe(500);
    const message = (body as { message: string }).message;
    expect(message).toContain("Workflow run-script-and-cleanup-job failed at step deleteJob");
    expect(message).toContain("(reason http, step deleteJob, status 403)");
    expect(message).not.toContain(sim.userToken);
    const job = sim.jobs().find((j) => (j.args as { forbidden?: number } | null)?.forbidden === 1)!;
    // Terminal: the delete was sent once, not retried by the engine.
    expect(requestsFor(job.id, "/jobs/completed/delete/")).toHaveLength(1);
  });

  it("a token sent in the invocation is stored by Restate (why workers hold secrets)", async () => {
    // The control for the journal check above: the same check finds a token that an invocation carried.
    expect(await journalText()).toContain(sim.userToken);
  });

  it("a transport failure where the document has no retry action is terminal, with reason network", async () => {
    // A port nothing listens on: connection refused.
    await worker({ apiUrl: "http://127.0.0.1:9/api", token: sim.adminToken });
    const { status, body } = await runWorkflow(server.ingressUrl, CLEANUP, "unreachable-1", { workspace: "demo", path: "f/demo/fast", args: {} });
    expect(status).toBe(500);
    expect((body as { message: string }).message).toContain("(reason network, step runScript)");
    const journal = await journalOf(CLEANUP, "unreachable-1");
    expect(journal.filter((e) => e.name === "runScript#1")).toHaveLength(1);
  });

  it("a transport failure the document retries is a new attempt, journaled on its own, with a new idempotency key", async () => {
    // The payments API resets the connection of the first create; the document's retry action sends it again.
    const seen: IncomingMessage[] = [];
    const api = createServer((req, res) => {
      seen.push(req);
      req.resume();
      if (req.method === "POST" && req.url === "/payments" && seen.filter((r) => r.url === "/payments").length === 1) {
        req.socket.destroy();
        return;
      }
      const reply =
        req.url === "/payments" ? [201, { id: "pay-1" }] : req.url === "/payments/pay-1" ? [200, { status: "settled" }] : [200, { refunded: true }];
      res.writeHead(reply[0] as number, { "content-type": "application/json" }).end(JSON.stringify(reply[1]));
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    try {
      await worker({ apiUrl: sim.apiUrl, token: sim.adminToken, paymentsUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}` });
      const { status, body } = await runWorkflow(server.ingressUrl, "pay-and-refund", "pay-1", { amount: 5 });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toEqual({ paymentId: "pay-1", status: "settled", refunded: true });
      const creates = seen.filter((r) => r.url === "/payments");
      expect(creates).toHaveLength(2);
      const [lost, retried] = creates.map((r) => String(r.headers["idempotency-key"]));
      expect(lost).toMatch(/^[0-9a-f]{32}-createPayment#1$/);
      expect(retried).toBe(lost!.replace("#1", "#2"));
      expect(seen.find((r) => r.url === "/payments/pay-1/refund")!.headers["x-request-id"]).toBe(lost!.replace("createPayment#1", "refundPayment#1"));
      const exchanges = (await journalOf("pay-and-refund", "pay-1")).filter((e) => e.type === "Command: Run" && e.name !== "").map((e) => e.name);
      expect(exchanges).toEqual(["createPayment#1", "createPayment#2", "getPayment#1", "refundPayment#1"]);
    } finally {
      api.closeAllConnections();
      await new Promise<void>((resolve) => api.close(() => resolve()));
    }
  });
});

describe("message steps: the shop's order, its confirmation and the shipping request", () => {
  const SHOP = "order-and-ship";
  const shopToken = "shop-token-7f3a9c";
  let shop: TestServer;
  /** What the warehouse does when an order with this reference is placed: the test's stand-in for it. */
  const onOrder = new Map<string, (orderId: string) => void>();

  beforeAll(async () => {
    shop = await startServer((r) => {
      if (r.method !== "POST" || r.path !== "/shop/orders") return { status: 404, body: "not found" };
      const order = JSON.parse(r.body) as { reference: string };
      const orderId = `ord-${shop.requests.filter((q) => q.path === "/shop/orders").length}`;
      onOrder.get(order.reference)?.(orderId);
      return { status: 201, body: { id: orderId } };
    });
  });
  afterAll(async () => {
    await shop?.close();
  });

  const ordersOf = (reference: string) => shop.requests.filter((r) => r.path === "/shop/orders" && (JSON.parse(r.body) as { reference: string }).reference === reference);
  const confirmation = (reference: string, orderId: string, note: string) => ({
    headers: { "x-warehouse": "north" },
    payload: { reference, orderId, confirmedAt: "2026-11-28T10:00:00Z", note },
  });

  it("places the order over HTTP, reads the correlated confirmation and sends the shipping request; each journaled once", async () => {
    const shopWorker = await worker({ apiUrl: sim.apiUrl, shopUrl: `${shop.url}/shop`, shopToken });
    // The warehouse answers while the order request is still open: the subscription opened before it keeps the
    // reply. Someone else's confirmation comes first and is passed over. The note echoes the token.
    onOrder.set("ref-1", (orderId) => {
      shopWorker.deliver("order-confirmed", confirmation("someone-else", "ord-0", "not this one"));
      shopWorker.deliver("order-confirmed", confirmation("ref-1", orderId, `signed with ${shopToken}`));
    });
    const { status, body } = await runWorkflow(server.ingressUrl, SHOP, "ref-1", { reference: "ref-1", item: "lamp", quantity: 2 });
    expect(status, JSON.stringify(body)).toBe(200);
    const orderId = (body as { orderId: string }).orderId;
    // The worker's token was scrubbed from the journaled message before the run read it.
    expect(body).toEqual({ orderId, confirmedAt: "2026-11-28T10:00:00Z", warehouse: "north", note: "signed with [redacted]" });
    expect(ordersOf("ref-1")).toHaveLength(1);
    expect(ordersOf("ref-1")[0]!.headers["authorization"]).toBe(`Bearer ${shopToken}`);
    // The worker reports each message sent over its IPC channel, which may trail the run's result.
    await waitFor(() => shopWorker.sent.length > 0);
    expect(shopWorker.sent).toEqual([
      { address: "order-shipped", message: { headers: {}, payload: { orderId, warehouse: "north" }, contentType: "application/json", message: "shipOrder" } },
    ]);
    expect(await shopWorker.subscribers("order-confirmed")).toBe(0);

    const journal = await journalOf(SHOP, "ref-1");
    const effects = journal.filter((e) => e.type === "Command: Run" && /#\d+$/.test(e.name)).map((e) => e.name);
    expect(effects).toEqual(["placeOrder#1", "awaitConfirmation#1", "requestShipping#1"]);
    const text = await journalText();
    expect(text).toContain("signed with [redacted]");
    expect(text).not.toContain(shopToken);
  });

  it("a worker killed (SIGKILL) while it waits for the confirmation: a new worker resumes; one order, one confirmation read, one shipping request", async () => {
    const first = await worker({ apiUrl: sim.apiUrl, shopUrl: `${shop.url}/shop`, shopToken });
    const key = "ref-crash";
    let orderId = "";
    onOrder.set(key, (id) => (orderId = id));
    await submit(server.ingressUrl, SHOP, key, { reference: key, item: "desk", quantity: 1 });
    await waitFor(() => ordersOf(key).length === 1, { timeoutMs: 20_000 });
    // Killed once the order's outcome is journaled: the run is then in the receive step's wait.
    await waitFor(async () => (await journalOf(SHOP, key)).some((e) => e.name === "placeOrder#1"), { timeoutMs: 20_000, intervalMs: 50 });
    expect(await first.subscribers("order-confirmed")).toBe(1);
    await first.kill();

    const second = await worker({ apiUrl: sim.apiUrl, shopUrl: `${shop.url}/shop`, shopToken, port: first.port });
    // The replay opens the subscription again (the order itself is not placed again); the warehouse answers then.
    await waitFor(async () => (await second.subscribers("order-confirmed")) === 1, { timeoutMs: 30_000, intervalMs: 50 });
    second.deliver("order-confirmed", confirmation(key, orderId, "after the crash"));
    const { status, body } = await attach(server.ingressUrl, SHOP, key);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({ orderId, confirmedAt: "2026-11-28T10:00:00Z", warehouse: "north", note: "after the crash" });
    expect(ordersOf(key)).toHaveLength(1);
    expect(first.sent).toEqual([]);
    await waitFor(() => second.sent.length > 0);
    expect(second.sent.map((m) => m.message.payload)).toEqual([{ orderId, warehouse: "north" }]);
    const effects = (await journalOf(SHOP, key)).filter((e) => e.type === "Command: Run" && /#\d+$/.test(e.name)).map((e) => e.name);
    expect(effects).toEqual(["placeOrder#1", "awaitConfirmation#1", "requestShipping#1"]);
  });
});

describe("a timeout on a step that calls a workflow", () => {
  /** Payments that never answer a refund (until the test ends); every request recorded, with whether it was cancelled. */
  async function slowRefunds(): Promise<{ url: string; seen: { url: string; cancelled: boolean }[]; close(): Promise<void> }> {
    const seen: { url: string; cancelled: boolean }[] = [];
    const api = createServer((req, res) => {
      req.resume();
      const entry = { url: req.url ?? "/", cancelled: false };
      seen.push(entry);
      if (req.method === "POST") {
        res.on("close", () => (entry.cancelled = !res.writableEnded));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "settled" }));
    });
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
      seen,
      close: async () => {
        api.closeAllConnections();
        await new Promise<void>((resolve) => api.close(() => resolve()));
      },
    };
  }

  it("stops the called run at the deadline; the cut exchange is journaled with its outcome, and the failure action runs", async () => {
    const api = await slowRefunds();
    try {
      await worker({ apiUrl: sim.apiUrl, paymentsUrl: api.url });
      const { status, body } = await runWorkflow(server.ingressUrl, "settle-within", "late-1", { id: "p1" });
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toEqual({ fallback: "settled" });
      expect(api.seen.map((r) => r.url)).toEqual(["/payments/p1", "/payments/p1/refund", "/payments/fallback"]);
      await waitFor(() => api.seen[1]!.cancelled, { message: "the held refund was not cancelled" });
      const exchanges = (await journalOf("settle-within", "late-1")).filter((e) => e.type === "Command: Run" && e.name !== "").map((e) => e.name);
      expect(exchanges).toEqual(["read#1", "refund#1", "fallback#1"]);
    } finally {
      await api.close();
    }
  });

  it("a worker killed while the called run waits: the new worker replays the read and stops the run at the deadline", async () => {
    const api = await slowRefunds();
    try {
      const first = await worker({ apiUrl: sim.apiUrl, paymentsUrl: api.url });
      await submit(server.ingressUrl, "settle-within", "late-2", { id: "p2" });
      await waitFor(() => api.seen.some((r) => r.url === "/payments/p2/refund"), { timeoutMs: 20_000 });
      await first.kill();
      await worker({ apiUrl: sim.apiUrl, paymentsUrl: api.url, port: first.port });
      const { status, body } = await attach(server.ingressUrl, "settle-within", "late-2");
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toEqual({ fallback: "settled" });
      // The read's outcome was journaled: it is not sent again. The refund in flight at the crash is sent again,
      // and cut at the deadline.
      expect(api.seen.filter((r) => r.url === "/payments/p2")).toHaveLength(1);
      expect(api.seen.filter((r) => r.url === "/payments/p2/refund")).toHaveLength(2);
      expect(api.seen.filter((r) => r.url === "/payments/fallback")).toHaveLength(1);
      const exchanges = (await journalOf("settle-within", "late-2")).filter((e) => e.type === "Command: Run" && e.name !== "").map((e) => e.name);
      expect(exchanges).toEqual(["read#1", "refund#1", "fallback#1"]);
    } finally {
      await api.close();
    }
  });
});
