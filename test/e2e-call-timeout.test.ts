// A `timeout` on a step that calls a workflow (fixtures/cases/durable/deadlines.arazzo.yaml, compiled into
// out/durable) against a local payments server that holds chosen responses until the test ends: the deadline
// covers the whole called run, its passing cancels the request in flight and starts no further step of it, the
// calling step fails with reason step-timeout and its failure actions see no status; each retry attempt has its
// own deadline; the run's timeoutMs and signal still win.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { settleRetried, settleWithin } from "../out/durable/deadlines.arazzo.js";
import { WorkflowError, type StepEvent } from "../out/durable/runtime.js";
import { waitFor } from "./support/wait-for.js";

interface Seen {
  readonly method: string;
  readonly path: string;
  /** Set when the client closed the connection before the server answered (a cancelled request). */
  cancelled: boolean;
}

interface PaymentsServer {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
}

let server: PaymentsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Payments: GET /payments/{id} answers { status: "settled" } and POST /payments/{id}/refund { refunded: true },
 * except the requests `hold` picks, which get no answer until the server closes.
 */
async function payments(hold: (method: string, path: string, nth: number) => boolean): Promise<PaymentsServer> {
  const seen: Seen[] = [];
  const held: ServerResponse[] = [];
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const entry: Seen = { method: req.method ?? "GET", path: req.url ?? "/", cancelled: false };
    seen.push(entry);
    const nth = seen.filter((s) => s.method === entry.method && s.path === entry.path).length;
    if (hold(entry.method, entry.path, nth)) {
      res.on("close", () => (entry.cancelled = !res.writableEnded));
      held.push(res);
      return;
    }
    const body = entry.method === "POST" ? { refunded: true } : { status: "settled" };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const started = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) if (!res.writableEnded) res.destroy();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  server = started;
  return started;
}

const requests = (s: PaymentsServer) => s.seen.map((r) => `${r.method} ${r.path}`);

describe("a timeout on a step that calls a workflow", () => {
  it("does nothing when the called run ends in time", async () => {
    const s = await payments(() => false);
    expect(await settleWithin({ id: "p1" }, { servers: { payments: s.url } })).toEqual({ refunded: true });
    expect(requests(s)).toEqual(["GET /payments/p1", "POST /payments/p1/refund"]);
  });

  it("stops the called run when it passes: the request in flight is cancelled, and failure actions without a status apply", async () => {
    const s = await payments((method) => method === "POST");
    const steps: StepEvent[] = [];
    const out = await settleWithin({ id: "p2" }, { servers: { payments: s.url }, hooks: { onStep: (e) => void steps.push(e) } });
    // The called workflow's read answered 200, but a step that timed out has no status: `answered` is not taken.
    expect(out).toEqual({ refunded: undefined, fallback: "settled" });
    expect(requests(s)).toEqual(["GET /payments/p2", "POST /payments/p2/refund", "GET /payments/fallback"]);
    await waitFor(() => s.seen[1]!.cancelled, { message: "the held refund was not cancelled" });
    expect(steps.map((e) => `${e.workflowId}/${e.stepId} ${e.outcome}`)).toEqual([
      "settle/read success",
      "settle-within/settle failure",
      "settle-within/fallback success",
    ]);
  });

  it("starts no further step of the called run", async () => {
    const s = await payments((method, path) => method === "GET" && path !== "/payments/fallback");
    expect(await settleWithin({ id: "p3" }, { servers: { payments: s.url } })).toEqual({ refunded: undefined, fallback: "settled" });
    // The read of the called run was held; its refund never started.
    expect(requests(s).filter((r) => r.startsWith("POST"))).toEqual([]);
    await waitFor(() => s.seen[0]!.cancelled, { message: "the held read was not cancelled" });
  });

  it("fails the step with reason step-timeout, and a retry attempt gets a deadline of its own", async () => {
    // The first refund is held past the deadline; the retry's answers at once, although the first attempt has used
    // the whole deadline: the retry's attempt is measured from its own start.
    const s = await payments((method, _path, nth) => method === "POST" && nth === 1);
    expect(await settleRetried({ id: "p4" }, { servers: { payments: s.url } })).toEqual({ refunded: true });
    expect(requests(s)).toEqual(["GET /payments/p4", "POST /payments/p4/refund", "GET /payments/p4", "POST /payments/p4/refund"]);
    expect(s.seen[1]!.cancelled).toBe(true);
  });

  it("without a failure action that handles it, the workflow fails with reason step-timeout and no status", async () => {
    const s = await payments((method) => method === "POST");
    const error = await settleRetried({ id: "p5" }, { servers: { payments: s.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    const failure = error as WorkflowError;
    expect(failure.reason).toBe("step-timeout");
    expect(failure.stepId).toBe("settle");
    expect(failure.status).toBeUndefined();
    expect(failure.message).toContain("did not finish within the step's timeout of 1500 ms");
    expect(s.seen.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("the run's own timeoutMs wins over a longer step timeout", async () => {
    const s = await payments((method) => method === "POST");
    const error = await settleWithin({ id: "p6" }, { servers: { payments: s.url }, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as WorkflowError).reason).toBe("timeout");
    expect(requests(s)).not.toContain("GET /payments/fallback");
  });

  it("the caller's signal wins too", async () => {
    const s = await payments((method) => method === "POST");
    const controller = new AbortController();
    const running = settleWithin({ id: "p7" }, { servers: { payments: s.url }, signal: controller.signal }).catch((e: unknown) => e);
    await waitFor(() => s.seen.some((r) => r.method === "POST"));
    controller.abort(new Error("stop"));
    expect(((await running) as WorkflowError).reason).toBe("aborted");
    expect(requests(s)).not.toContain("GET /payments/fallback");
  });
});
