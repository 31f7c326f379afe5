// Step concurrency at run time, against a real HTTP server on an ephemeral port: fixtures/cases/concurrent compiled
// with stepConcurrency "concurrent" (out/concurrent) has its two independent steps in flight at the same time (the
// server answers neither until both have arrived, within a bound), and compiled by default (out/concurrent-sequential)
// never has two requests in flight. Then the failure semantics: every step of the group settles, the first failure in
// execution order fails the workflow whatever order the responses come in, and one step's own timeout does not
// abort the other's request. And a group with message steps: an order sent and its confirmation awaited (over the
// in-memory transport) while a request is in flight.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { dashboard } from "../out/concurrent/dashboard.arazzo.js";
import { WorkflowError, type StepEvent, type WorkflowHooks } from "../out/concurrent/runtime.js";
import { dashboard as sequentialDashboard } from "../out/concurrent-sequential/dashboard.arazzo.js";
import { WorkflowError as SequentialWorkflowError } from "../out/concurrent-sequential/runtime.js";
import { fulfil } from "../out/concurrent/fulfilment.arazzo.js";
import { createMemoryTransport } from "../out/concurrent/runtime-messages.js";
import { fulfil as sequentialFulfil } from "../out/concurrent-sequential/fulfilment.arazzo.js";
import { WorkflowRun } from "../runtime/runtime.js";
import { waitFor } from "./support/wait-for.js";

/** How long the server holds a request for its sibling before giving up on it: a bound, not a pause. */
const BARRIER_MS = 5000;

interface Held {
  readonly step: "profile" | "orders";
  readonly response: ServerResponse;
  /** The client hung up before the server answered (its request was aborted). */
  closedEarly: boolean;
  answered: boolean;
}

interface Plan {
  /** Answer the user and orders requests only once both have arrived (else each at once). */
  readonly barrier: boolean;
  /** Statuses of the two reads; 200 by default. */
  readonly profileStatus?: number;
  readonly ordersStatus?: number;
  /** Which read is answered first once both have arrived; the other after the first answer has been sent. */
  readonly first?: "profile" | "orders";
  /** Leave the profile read unanswered; answer orders once the client has given up on it. */
  readonly stallProfile?: boolean;
  /** Answer neither read. */
  readonly holdBoth?: boolean;
}

interface Server {
  readonly url: string;
  /** Paths in the order they arrived. */
  readonly arrived: string[];
  /** The most requests in flight at one time. */
  maxInFlight: number;
  readonly held: Held[];
  /** Whether the barrier gave up waiting (the two reads did not overlap). */
  barrierTimedOut: boolean;
  close(): Promise<void>;
}

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(plan: Plan): Promise<Server> {
  let inFlight = 0;
  let barrierTimer: ReturnType<typeof setTimeout> | undefined;
  const state: Server = {
    url: "",
    arrived: [],
    maxInFlight: 0,
    held: [],
    barrierTimedOut: false,
    close: async () => undefined,
  };
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const answer = (held: Held, then?: () => void) => {
    if (held.answered || held.closedEarly) return then?.();
    held.answered = true;
    const status = held.step === "profile" ? (plan.profileStatus ?? 200) : (plan.ordersStatus ?? 200);
    held.response.once("finish", () => then?.());
    json(held.response, status, held.step === "profile" ? { id: "u1", name: "Ann" } : { count: 3 });
  };
  const release = () => {
    clearTimeout(barrierTimer);
    const profile = state.held.find((h) => h.step === "profile")!;
    const orders = state.held.find((h) => h.step === "orders")!;
    if (plan.holdBoth) return;
    if (plan.stallProfile) {
      // The client gives up on the profile read (its request timeout); only then is orders answered.
      profile.response.once("close", () => answer(orders));
      return;
    }
    const [first, second] = plan.first === "orders" ? [orders, profile] : [profile, orders];
    answer(first, () => answer(second));
  };
  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    response.once("close", () => inFlight--);
    const url = new URL(request.url ?? "/", "http://localhost");
    state.arrived.push(url.pathname);
    request.resume();
    request.once("end", () => {
      if (request.method === "POST" && url.pathname === "/summaries") return json(response, 201, { id: "s9" });
      const step = url.pathname.startsWith("/users/") ? "profile" : url.pathname === "/orders" ? "orders" : undefined;
      if (step === undefined) return json(response, 404, { error: "not found" });
      const held: Held = { step, response, closedEarly: false, answered: false };
      response.once("close", () => (held.closedEarly = !held.answered));
      state.held.push(held);
      if (!plan.barrier) return answer(held);
      if (state.held.length === 2) return release();
      // The first to arrive waits for its sibling, within a bound: a sequential run would never send it.
      barrierTimer = setTimeout(() => {
        state.barrierTimedOut = true;
        json(response, 504, { error: "the other read never arrived while this one was held" });
      }, BARRIER_MS);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  const out: Server = Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(barrierTimer);
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  });
  server = out;
  return out;
}

/** Hooks that record the trace: requests, responses and step outcomes, in the order they are reported. */
function tracing(): { hooks: WorkflowHooks; events: string[]; steps: StepEvent[] } {
  const events: string[] = [];
  const steps: StepEvent[] = [];
  return {
    events,
    steps,
    hooks: {
      onRequest: (e) => void events.push(`request ${e.stepId}`),
      onResponse: (e) => void events.push(`response ${e.stepId} ${e.status}`),
      onStep: (e) => {
        steps.push(e);
        events.push(`step ${e.stepId} ${e.outcome}`);
      },
    },
  };
}

describe("stepConcurrency concurrent: independent steps in flight together", () => {
  it("sends both reads before either is answered, and joins them before the step that needs them", async () => {
    const s = await start({ barrier: true });
    const trace = tracing();
    const out = await dashboard({ userId: "u1" }, { servers: { shop: s.url }, hooks: trace.hooks });
    expect(s.barrierTimedOut).toBe(false);
    expect(s.maxInFlight).toBe(2);
    expect(out).toEqual({ name: "Ann", orders: 3, summaryId: "s9" });
    // The summary is sent only after both reads: it reads their outputs.
    expect(s.arrived).toEqual(["/users/u1", "/orders", "/summaries"]);
    // Requests start in execution order; outcomes are reported after the join, in execution order.
    expect(trace.events.slice(0, 2)).toEqual(["request profile", "request orders"]);
    expect(trace.steps.map((e) => `${e.stepId} ${e.outcome}`)).toEqual(["profile success", "orders success", "summary success"]);
    expect(trace.events.indexOf("step profile success")).toBeGreaterThan(trace.events.indexOf("response orders 200"));
  });

  it("compiled by default, the same workflow never has two requests in flight", async () => {
    const s = await start({ barrier: false });
    const out = await sequentialDashboard({ userId: "u1" }, { servers: { shop: s.url } });
    expect(out).toEqual({ name: "Ann", orders: 3, summaryId: "s9" });
    expect(s.maxInFlight).toBe(1);
    expect(s.arrived).toEqual(["/users/u1", "/orders", "/summaries"]);
  });

  it("against the holding server, the sequential workflow's first read is never joined by the second", async () => {
    const s = await start({ barrier: true });
    const error = await sequentialDashboard({ userId: "u1" }, { servers: { shop: s.url } }).catch((e: unknown) => e);
    // profile's own timeout (2 s) ends the wait, before the server's bound: orders was never sent meanwhile.
    expect(error).toBeInstanceOf(SequentialWorkflowError);
    expect((error as WorkflowError).stepId).toBe("profile");
    expect((error as WorkflowError).reason).toBe("step-timeout");
    expect(s.arrived).toEqual(["/users/u1"]);
    expect(s.maxInFlight).toBe(1);
  }, BARRIER_MS + 10_000);
});

describe("stepConcurrency concurrent: failures", () => {
  it("a failed step lets its sibling finish, and fails the workflow at the first failure in execution order", async () => {
    const s = await start({ barrier: true, profileStatus: 500 });
    const trace = tracing();
    const error = await dashboard({ userId: "u1" }, { servers: { shop: s.url }, hooks: trace.hooks }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).stepId).toBe("profile");
    expect((error as WorkflowError).reason).toBe("http");
    // orders was not aborted: its answer was sent whole, and reported.
    expect(s.held.find((h) => h.step === "orders")).toMatchObject({ answered: true, closedEarly: false });
    expect(trace.events).toContain("response orders 200");
    // Checked in execution order: profile failed, so orders is never checked, and nothing after the group runs.
    expect(trace.steps.map((e) => `${e.stepId} ${e.outcome}`)).toEqual(["profile failure"]);
    expect(s.arrived).not.toContain("/summaries");
  });

  it("when both fail, the first in execution order is reported, even when its response comes last", async () => {
    const s = await start({ barrier: true, profileStatus: 503, ordersStatus: 500, first: "orders" });
    const trace = tracing();
    const error = await dashboard({ userId: "u1" }, { servers: { shop: s.url }, hooks: trace.hooks }).catch((e: unknown) => e);
    expect(trace.events.indexOf("response orders 500")).toBeLessThan(trace.events.indexOf("response profile 503"));
    expect((error as WorkflowError).stepId).toBe("profile");
    expect((error as WorkflowError).status).toBe(503);
  });

  it("a later step's failure carries the outputs of the steps checked before it", async () => {
    const s = await start({ barrier: true, ordersStatus: 500 });
    const error = await dashboard({ userId: "u1" }, { servers: { shop: s.url } }).catch((e: unknown) => e);
    expect((error as WorkflowError).stepId).toBe("orders");
    expect((error as WorkflowError<{ name: string }>).outputs).toEqual({ name: "Ann" });
  });

  it("one step's timeout does not abort its sibling's request", async () => {
    const s = await start({ barrier: true, stallProfile: true });
    const trace = tracing();
    // profile has a step timeout (2 s); orders only the default request timeout. A signal of the caller's (never
    // aborted) makes every request carry an abort signal, which is what one step's timeout must not reach.
    const signal = new AbortController().signal;
    const error = await dashboard({ userId: "u1" }, { servers: { shop: s.url }, hooks: trace.hooks, signal }).catch((e: unknown) => e);
    expect((error as WorkflowError).stepId).toBe("profile");
    expect((error as WorkflowError).reason).toBe("step-timeout");
    // orders was answered only after the client gave up on profile, and its response still came through.
    expect(s.held.find((h) => h.step === "orders")).toMatchObject({ answered: true, closedEarly: false });
    expect(trace.events).toContain("response orders 200");
  });

  it("the caller's signal aborts every step of the group", async () => {
    const s = await start({ barrier: true, holdBoth: true });
    const controller = new AbortController();
    const running = dashboard({ userId: "u1" }, { servers: { shop: s.url }, signal: controller.signal }).catch((e: unknown) => e);
    await waitFor(() => s.held.length === 2);
    controller.abort();
    const error = await running;
    expect((error as WorkflowError).reason).toBe("aborted");
    await waitFor(() => s.held.every((h) => h.closedEarly), { timeoutMs: 5000 });
  });
});

describe("run.together", () => {
  it("keeps of the last response what sequential steps would: a calling step's $statusCode is the last step's in execution order", async () => {
    // orders (second in execution order) is answered first with 200, profile after it with 201.
    const s = await start({ barrier: true, profileStatus: 201, first: "orders" });
    const parent = WorkflowRun.start({ workflowId: "parent", secretInputs: [] }, { servers: { shop: s.url } }, {});
    const trace: string[] = [];
    const called = await parent.call("overview", { workflowId: "overview", secretInputs: [] }, {}, async (child: WorkflowRun) => {
      const [profile, orders] = await child.together([
        child.request("profile", { name: "shop" }, "GET", "/users/u1", {}),
        child.request("orders", { name: "shop" }, "GET", "/orders", { query: { user: "u1" } }),
      ]);
      trace.push(`profile ${profile.status}`, `orders ${orders.status}`);
      return {};
    });
    expect(trace).toEqual(["profile 201", "orders 200"]);
    expect(called.status).toBe(200);
  });
});

describe("stepConcurrency concurrent: a message step among them", () => {
  /**
   * The order service confirms an order only once the customer has been asked for (within a bound), and the shop
   * answers for the customer only once the order is confirmed (within a bound): sequential steps can meet both
   * conditions only by running out a bound, concurrent steps meet them at once.
   */
  async function world() {
    const seen = { customerAsked: false, confirmed: false, orderServiceWaitedOut: false, shopWaitedOut: false };
    const http = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      request.resume();
      request.once("end", () => {
        const reply = (status: number, body: unknown) => {
          response.writeHead(status, { "content-type": "application/json" });
          response.end(JSON.stringify(body));
        };
        if (request.method === "POST" && url.pathname === "/summaries") return reply(201, { id: "s1" });
        if (url.pathname !== "/users/u1") return reply(404, {});
        seen.customerAsked = true;
        waitFor(() => seen.confirmed, { timeoutMs: 1000 }).then(
          () => reply(200, { id: "u1", name: "Ann" }),
          () => {
            seen.shopWaitedOut = true;
            reply(200, { id: "u1", name: "Ann" });
          },
        );
      });
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const transport = createMemoryTransport({
      respond: (sent, memory) => {
        if (sent.channel.address !== "place-order") return;
        const requestId = sent.message.headers?.["requestId"];
        const confirm = () => {
          seen.confirmed = true;
          memory.deliver("confirm-order/eu", { headers: { requestId }, payload: { orderId: 99 }, contentType: "application/json" });
        };
        // Not awaited: the send itself completes at once, as a broker takes the message.
        void waitFor(() => seen.customerAsked, { timeoutMs: 1000 }).then(confirm, () => {
          seen.orderServiceWaitedOut = true;
          confirm();
        });
      },
    });
    const close = () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      });
    return { seen, url, transport, close };
  }

  it("sends the order, waits for its confirmation and reads the customer at the same time", async () => {
    const w = await world();
    try {
      const out = await fulfil({ requestId: "r1", petId: 7, userId: "u1" }, { servers: { shop: w.url }, transports: { orders: w.transport } });
      expect(out).toEqual({ orderId: 99, customer: "Ann" });
      expect(w.seen).toEqual({ customerAsked: true, confirmed: true, orderServiceWaitedOut: false, shopWaitedOut: false });
      expect(w.transport.sent.map((m) => m.channel.address)).toEqual(["place-order"]);
    } finally {
      await w.close();
    }
  });

  it("compiled by default, the confirmation is awaited before the customer is read", async () => {
    const w = await world();
    try {
      const out = await sequentialFulfil(
        { requestId: "r1", petId: 7, userId: "u1" },
        { servers: { shop: w.url }, transports: { orders: w.transport } },
      );
      expect(out).toEqual({ orderId: 99, customer: "Ann" });
      // The order service waited out its bound: the customer was not asked for while the confirmation was awaited.
      expect(w.seen.orderServiceWaitedOut).toBe(true);
      expect(w.seen.shopWaitedOut).toBe(false);
    } finally {
      await w.close();
    }
  });
});
