// Servers that fail: each fault injected by a server on 127.0.0.1, run through a generated module (the
// shop-flows fixture's readStock, which retries 503s and gives up otherwise) or WorkflowRun directly. Each run
// must end in the right WorkflowError reason within its bound; the tests wait on the runtime's own limits
// and on conditions, never on fixed sleeps. Then the hooks and errors: no secret in any of them.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readStock } from "../out/cases/shop-flows.arazzo.js";
import { WorkflowError as GeneratedWorkflowError } from "../out/cases/runtime.js";
import { runScriptAndCleanupJob } from "../out/windmill/windmill-run-script-and-cleanup-job-workflow.js";
import type { RequestEvent, ResponseEvent, StepEvent } from "../out/windmill/runtime.js";
import { WorkflowError, WorkflowRun, type StepRequest, type WorkflowOptions } from "../runtime/runtime.js";
import { startWindmillSimulator, type WindmillSimulator } from "./support/windmill-simulator.js";

// --- A server that does what each test tells it, including nothing at all --------------------------------

interface FaultServer {
  readonly url: string;
  /** Arrival time of each request. */
  readonly arrivals: number[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function faultServer(handler: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<FaultServer> {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(Date.now());
    req.resume();
    req.on("end", () => handler(req, res, arrivals.length - 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals };
}

/** A URL on 127.0.0.1 where nothing listens: a port just released. */
async function refusingUrl(): Promise<string> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * Runs a call expected to fail; returns its error and how long it took, from the call on (a generated function
 * runs synchronously up to its first request, which the first fetch of a process makes slow).
 */
async function failure<E>(call: () => Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<{ error: E; ms: number }> {
  const started = Date.now();
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return { error: error as E, ms: Date.now() - started };
  }
  throw new Error("the run succeeded but was expected to fail");
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));

const stock = (url: string, options: WorkflowOptions = {}) => readStock({ token: "t" }, { baseUrl: url, ...options });

// --- No response --------------------------------------------------------------------------------------------

describe("no response", () => {
  it("connection refused: reason network, at once", async () => {
    const url = await refusingUrl();
    const { error, ms } = await failure(() => stock(url), GeneratedWorkflowError);
    expect(error.reason).toBe("network");
    expect(error.stepId).toBe("stock");
    expect(error.status).toBeUndefined();
    expect(error.message).toContain("ECONNREFUSED");
    expect(ms).toBeLessThan(2000);
  });

  it("connection reset in the middle of the body: reason network", async () => {
    const s = await faultServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      // Headers and part of the body reach the client, then the connection is reset.
      res.write('{"level": 1', () => req.socket.resetAndDestroy());
    });
    const { error } = await failure(() => stock(s.url), GeneratedWorkflowError);
    expect(error.reason).toBe("network");
    expect(error.status).toBeUndefined();
    expect(s.arrivals).toHaveLength(1);
  });

  it("a body cut short by the server closing the connection: reason network", async () => {
    const s = await faultServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"level": 1', () => req.socket.end());
    });
    const { error } = await failure(() => stock(s.url), GeneratedWorkflowError);
    expect(error.reason).toBe("network");
  });

  it("a server that never answers: requestTimeoutMs fails the step with reason request-timeout, soon after the limit", async () => {
    const s = await faultServer(() => {
      // No answer, ever.
    });
    const { error, ms } = await failure(() => stock(s.url, { requestTimeoutMs: 100 }), GeneratedWorkflowError);
    expect(error.reason).toBe("request-timeout");
    expect(error.stepId).toBe("stock");
    expect(error.message).toContain("requestTimeoutMs");
    // The failure went through the step's failure actions (give-up), as a step failure does.
    expect(error.message).toContain("give-up");
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(ms).toBeLessThan(1500);
    expect(s.arrivals).toHaveLength(1);
  });

  it("a body that stalls after the headers: requestTimeoutMs covers the body too", async () => {
    const s = await faultServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"level"');
    });
    const { error, ms } = await failure(() => stock(s.url, { requestTimeoutMs: 100 }), GeneratedWorkflowError);
    expect(error.reason).toBe("request-timeout");
    expect(ms).toBeLessThan(1500);
  });

  it("a server that never answers: timeoutMs ends the whole run with reason timeout", async () => {
    const s = await faultServer(() => {});
    const { error, ms } = await failure(() => stock(s.url, { timeoutMs: 150 }), GeneratedWorkflowError);
    expect(error.reason).toBe("timeout");
    expect(error.message).toContain("timed out after 150 ms");
    expect(ms).toBeGreaterThanOrEqual(150);
    expect(ms).toBeLessThan(1500);
  });

  it("timeoutMs also bounds the waits a server asks for (a Retry-After far beyond it)", async () => {
    const s = await faultServer((_, res) => json(res, 503, { warming: true }, { "retry-after": "3600" }));
    const { error, ms } = await failure(() => stock(s.url, { timeoutMs: 200 }), GeneratedWorkflowError);
    expect(error.reason).toBe("timeout");
    expect(ms).toBeLessThan(1500);
    expect(s.arrivals).toHaveLength(1);
  });

  it("requestTimeoutMs failures can be retried: each attempt gets its own limit", async () => {
    const s = await faultServer((_, res, index) => {
      if (index === 0) return; // the first request hangs
      json(res, 200, { level: 4 });
    });
    const run = WorkflowRun.start({ workflowId: "w", secretInputs: [] }, { servers: { api: s.url }, requestTimeoutMs: 100 }, {});
    const first = await run.request("s", { name: "api" }, "GET", "/stock", {});
    expect(first.status).toBe(0);
    expect(first.error?.reason).toBe("request-timeout");
    expect(await run.check(first, true)).toBe(false);
    await run.retryWait(first, 0);
    const second = await run.request("s", { name: "api" }, "GET", "/stock", {});
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ level: 4 });
  });
});

// --- Error responses ----------------------------------------------------------------------------------------

describe("error responses", () => {
  it("5xx: reason http with the status, after the retries the workflow asks for", async () => {
    const s = await faultServer((req, res) =>
      req.url?.startsWith("/shop/stock") ? json(res, 500, { error: "boom" }) : json(res, 200, []),
    );
    const { error } = await failure(() => stock(s.url), GeneratedWorkflowError);
    expect(error.reason).toBe("http");
    expect(error.status).toBe(500);
    expect(error.bodyExcerpt).toBe('{"error":"boom"}');
    // stock, then the check-again retry (ping first, then stock), then give-up.
    expect(s.arrivals).toHaveLength(3);
  });

  it("an HTML error page: reason http, the page as a bounded text excerpt", async () => {
    const page = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${"<p>upstream unavailable</p>".repeat(200)}</body></html>`;
    const s = await faultServer((_, res) => res.writeHead(502, { "content-type": "text/html; charset=utf-8" }).end(page));
    const { error } = await failure(() => stock(s.url), GeneratedWorkflowError);
    expect(error.reason).toBe("http");
    expect(error.status).toBe(502);
    expect(error.bodyExcerpt!.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(error.bodyExcerpt!.length).toBeLessThanOrEqual(501);
    expect(error.message.length).toBeLessThan(700);
  });

  it("a truncated JSON body (a complete HTTP message): reason response", async () => {
    const s = await faultServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"level": 3'));
    const { error } = await failure(() => stock(s.url), GeneratedWorkflowError);
    expect(error.reason).toBe("response");
    expect(error.status).toBe(200);
    expect(error.bodyExcerpt).toBe('{"level": 3');
  });

  it("503 with Retry-After in seconds: the retry waits what the header says, not the document's retryAfter", async () => {
    const stockArrivals: number[] = [];
    const s = await faultServer((req, res) => {
      if (!req.url?.startsWith("/shop/stock")) return json(res, 200, []); // the ping step after it
      stockArrivals.push(Date.now());
      if (stockArrivals.length === 1) json(res, 503, { warming: true }, { "retry-after": "1" });
      else json(res, 200, { level: 5 });
    });
    expect(await stock(s.url)).toEqual({ level: 5 });
    expect(stockArrivals).toHaveLength(2);
    // readStock's retryAfter is 0.01 s; the header asked for 1 s.
    expect(stockArrivals[1]! - stockArrivals[0]!).toBeGreaterThanOrEqual(950);
  });

  /** A 429 then a 200; the retry as the generated code does it. Returns how long the retry waited. */
  async function rateLimited(retryAfter: () => string, options: WorkflowOptions = {}): Promise<number> {
    const s = await faultServer((_, res, index) =>
      index === 0 ? json(res, 429, { error: "slow down" }, { "retry-after": retryAfter() }) : json(res, 200, { ok: true }),
    );
    const run = WorkflowRun.start({ workflowId: "w", secretInputs: [] }, { servers: { api: s.url }, ...options }, {});
    const first = await run.request("s", { name: "api" }, "GET", "/limited", {});
    expect(first.status).toBe(429);
    // The retry action says 30 s; the header wins.
    const started = Date.now();
    await run.retryWait(first, 30);
    const waited = Date.now() - started;
    const second = await run.request("s", { name: "api" }, "GET", "/limited", {});
    expect(second.status).toBe(200);
    return waited;
  }

  it("429 with Retry-After as an HTTP date: the retry waits until then", async () => {
    // HTTP dates have whole seconds: 1.5 s ahead is between 0.5 s and 1.5 s away.
    const waited = await rateLimited(() => new Date(Date.now() + 1500).toUTCString());
    expect(waited).toBeGreaterThanOrEqual(400);
    expect(waited).toBeLessThan(1700);
  });

  it("429 with Retry-After as a date already past: the retry goes at once", async () => {
    const waited = await rateLimited(() => new Date(Date.now() - 60_000).toUTCString());
    expect(waited).toBeLessThan(200);
  });

  it("429 with Retry-After beyond timeoutMs: reason timeout at the deadline, not after the wait", async () => {
    const started = Date.now();
    const error = await rateLimited(() => "120", { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

// --- Hooks and errors carry no secrets ------------------------------------------------------------------------

describe("secrets", () => {
  const token = "s3cr3t tok/en+!";
  /** Every form the token can take in a request: raw, encodeURIComponent, RFC 3986, form encoding, JSON. */
  const forms = [token, encodeURIComponent(token), "s3cr3t%20tok%2Fen%2B%21", "s3cr3t+tok%2Fen%2B%21"];
  const expectNoSecret = (text: string) => {
    for (const form of forms) expect(text).not.toContain(form);
  };

  it("redacts credentials and secret input values in onRequest, onResponse and onStep events and in errors", async () => {
    const s = await faultServer((req, res) =>
      json(
        res,
        401,
        { error: `bad token ${token}`, url: req.url, auth: req.headers.authorization },
        { "set-cookie": `session=${token}; HttpOnly` },
      ),
    );
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const steps: StepEvent[] = [];
    const run = WorkflowRun.start(
      { workflowId: "w", secretInputs: ["token", "pin"] },
      {
        servers: { api: s.url },
        headers: { "X-Client": "bench", Accept: "application/json" },
        hooks: {
          onRequest: (e) => void requests.push(e),
          onResponse: (e) => void responses.push(e),
          onStep: (e) => void steps.push(e),
        },
      },
      { token, pin: 98765 },
    );
    const response = await run.request("s", { name: "api" }, "POST", "/users/{token}", {
      path: { token },
      query: { key: token, pin: 98765 },
      header: { Authorization: `Bearer ${token}`, "X-Api-Key": token },
      cookie: { session: "plain-session-id" },
      body: { token },
    });
    // The step's criteria ($statusCode == 200) do not hold: the step failed.
    expect(await run.check(response, response.status === 200)).toBe(false);
    const error = run.failed(response);

    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.url).toBe(`${s.url}/users/[redacted]?key=[redacted]&pin=[redacted]`);
    expect(request.headers["authorization"]).toBe("[redacted]");
    expect(request.headers["cookie"]).toBe("[redacted]");
    expect(request.headers["x-api-key"]).toBe("[redacted]");
    // options.headers are credentials unless they are content negotiation or the client's name.
    expect(request.headers["x-client"]).toBe("[redacted]");
    expect(request.headers["accept"]).toBe("application/json");
    expect(responses[0]!.status).toBe(401);
    expect(responses[0]!.responseHeaders["set-cookie"]).toBe("[redacted]");
    expect(steps).toEqual([{ workflowId: "w", stepId: "s", outcome: "failure", iteration: 1, status: 401 }]);

    expect(error.reason).toBe("http");
    expect(error.status).toBe(401);
    expect(error.bodyExcerpt).toContain("bad token [redacted]");
    for (const text of [JSON.stringify(requests), JSON.stringify(responses), JSON.stringify(steps), error.message, error.bodyExcerpt!]) {
      expectNoSecret(text);
      expect(text).not.toContain("98765");
    }
  });

  it("keeps secrets out of a network error's message", async () => {
    const url = await refusingUrl();
    const run = WorkflowRun.start({ workflowId: "w", secretInputs: ["token"] }, { servers: { api: url } }, { token });
    const response = await run.send("s", {
      source: "api",
      method: "GET",
      path: "/users/{token}",
      parameters: [
        { in: "path", name: "token", value: token },
        { in: "query", name: "key", value: token, allowReserved: true },
      ],
    });
    expect(response.error?.reason).toBe("network");
    expect(response.error?.message).toContain("[redacted]");
    expectNoSecret(response.error!.message);
    expectNoSecret(run.failed(response).message);
  });

  describe("a generated module", () => {
    let sim: WindmillSimulator | undefined;
    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });

    it("reports every request and response of the Windmill cleanup workflow without its token", async () => {
      sim = await startWindmillSimulator({ scripts: { "f/demo/slow": { runningMs: 60 } } });
      const requests: RequestEvent[] = [];
      const events: unknown[] = [];
      const out = await runScriptAndCleanupJob(
        { token: sim.adminToken, workspace: "demo", path: "f/demo/slow", args: { x: 1 } },
        {
          servers: { windmillApi: sim.apiUrl },
          poll: { intervalMs: 20, backoff: 1 },
          hooks: { onRequest: (e) => void requests.push(e), onResponse: (e) => void events.push(e), onStep: (e) => void events.push(e) },
        },
      );
      expect(out.success).toBe(true);
      // runScript, at least two polls (the job runs 60 ms), captureResult, deleteJob.
      expect(requests.length).toBeGreaterThanOrEqual(5);
      for (const r of requests) expect(r.headers["authorization"]).toBe("[redacted]");
      expect(JSON.stringify(requests)).not.toContain(sim.adminToken);
      expect(JSON.stringify(events)).not.toContain(sim.adminToken);
    });
  });
});
