// Hostile servers and values against the runtime's limits: bodies past maxResponseBytes, servers that trickle,
// Retry-After values beyond any sensible wait, path values that would change the route, redirects to another
// origin, patterns built from values. Each against a server on 127.0.0.1 (ephemeral ports); the tests wait on
// the runtime's own limits and on conditions, never on fixed sleeps.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  inProcessExecutor,
  matchesPatternSource,
  WorkflowError,
  WorkflowRun,
  type StepRequest,
  type StepResponse,
  type WorkflowDefinition,
  type WorkflowExecutor,
  type WorkflowOptions,
} from "../runtime/runtime.js";
import { jpMatch, jpNestedRepetition, jpSearch } from "../runtime/runtime-jsonpath.js";
import { waitFor } from "./support/wait-for.js";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

interface TestServer {
  readonly url: string;
  readonly seen: Seen[];
  /** Bytes the handler wrote before the client went away (when it counts them). */
  written: number;
  closed: boolean;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function server(handler: (req: IncomingMessage, res: ServerResponse, t: TestServer) => void): Promise<TestServer> {
  const t: TestServer = { url: "", seen: [], written: 0, closed: false };
  const s = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      t.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      handler(req, res, t);
    });
  });
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  );
  (t as { url: string }).url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return t;
}

const definition: WorkflowDefinition = { workflowId: "w", secretInputs: [] };
const get: StepRequest = { source: "api", method: "GET", path: "/r", parameters: [] };

async function sendOnce(url: string, options: WorkflowOptions = {}, request: StepRequest = get): Promise<StepResponse> {
  const run = WorkflowRun.start(definition, { servers: { api: url }, ...options }, {});
  return run.send("s", request);
}

/** Writes chunks of `a` as fast as the client takes them, until it goes away. */
function endless(res: ServerResponse, t: TestServer): void {
  res.writeHead(200, { "content-type": "text/plain" });
  const chunk = Buffer.alloc(16 * 1024, "a");
  res.on("close", () => (t.closed = true));
  const pump = () => {
    while (!t.closed && res.write(chunk)) t.written += chunk.length;
    if (!t.closed) res.once("drain", pump);
  };
  pump();
}

describe("maxResponseBytes", () => {
  it("an endless body: the read stops past the limit, the step fails with reason response", async () => {
    const s = await server((_, res, t) => endless(res, t));
    const response = await sendOnce(s.url, { maxResponseBytes: 64 * 1024 });
    expect(response.status).toBe(0);
    expect(response.error?.reason).toBe("response");
    expect(response.error?.message).toContain("larger than maxResponseBytes (65536 bytes)");
    // The client dropped the connection: the server stops, having written what socket buffers took, not more.
    await waitFor(() => s.closed, { timeoutMs: 5000 });
    expect(s.written).toBeLessThan(64 * 1024 * 1024);
  });

  it("a declared Content-Length over the limit is refused before the body is read", async () => {
    const s = await server((_, res) =>
      res.writeHead(200, { "content-type": "text/plain", "content-length": String(10_000) }).end("x".repeat(10_000)),
    );
    const response = await sendOnce(s.url, { maxResponseBytes: 1000 });
    expect(response.error?.reason).toBe("response");
  });

  it("a compressed body counts decompressed: a small gzip of a large body is refused", async () => {
    const zipped = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(zipped.length).toBeLessThan(100_000);
    const s = await server((_, res) => res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" }).end(zipped));
    const response = await sendOnce(s.url, { maxResponseBytes: 1024 * 1024 });
    expect(response.error?.reason).toBe("response");
  });

  it("a body of exactly the limit is read; the default limit is 8 MiB", async () => {
    const s = await server((req, res) =>
      res.writeHead(200, { "content-type": "text/plain" }).end("b".repeat(req.url === "/big" ? 8 * 1024 * 1024 + 1 : 1000)),
    );
    expect((await sendOnce(s.url, { maxResponseBytes: 1000 })).body).toBe("b".repeat(1000));
    const big = await sendOnce(s.url, {}, { ...get, path: "/big" });
    expect(big.error?.message).toContain("maxResponseBytes (8388608 bytes)");
  });
});

describe("requestTimeoutMs", () => {
  it("a server that trickles its headers a byte at a time cannot hold the step past the limit", async () => {
    const s = await server((req, res) => {
      const socket = req.socket;
      const text = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n";
      let i = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer);
        socket.write(text[i % text.length]!);
        i++;
      }, 20);
      res.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    const response = await sendOnce(s.url, { requestTimeoutMs: 300 });
    expect(response.error?.reason).toBe("request-timeout");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a body that trickles forever: the limit covers the body, and the connection is closed", async () => {
    const s = await server((_, res, t) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("."), 20);
      res.on("close", () => {
        clearInterval(timer);
        t.closed = true;
      });
    });
    const response = await sendOnce(s.url, { requestTimeoutMs: 300 });
    expect(response.error?.reason).toBe("request-timeout");
    await waitFor(() => s.closed, { timeoutMs: 5000 });
  });

  it("a custom fetch that ignores its signal cannot hold the step either", async () => {
    const fetch = (() => new Promise<Response>(() => undefined)) as typeof globalThis.fetch;
    const response = await sendOnce("http://api.test", { fetch, requestTimeoutMs: 100 });
    expect(response.error?.reason).toBe("request-timeout");
  });

  it("defaults to 30 s", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let called = false;
    const fetch = (() => {
      called = true;
      return new Promise<Response>(() => {
        // never answers
      });
    }) as typeof globalThis.fetch;
    let settled = false;
    const pending = sendOnce("http://api.test", { fetch }).finally(() => (settled = true));
    // vi.waitFor would advance the fake clock: flush microtasks until fetch is called instead.
    for (let i = 0; i < 100 && !called; i++) await Promise.resolve();
    expect(called).toBe(true);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const response = await pending;
    expect(response.error?.reason).toBe("request-timeout");
    expect(response.error?.message).toContain("no response within 30000 ms");
  });
});

describe("Retry-After", () => {
  /** An executor that records waits and skips them. */
  function recordingExecutor(): WorkflowExecutor & { waits: number[] } {
    const waits: number[] = [];
    return { ...inProcessExecutor, waits, sleep: async (ms) => void waits.push(ms) };
  }

  async function retryAfter(header: string, options: WorkflowOptions): Promise<StepResponse> {
    const s = await server((_, res) => res.writeHead(503, { "retry-after": header }).end());
    const run = WorkflowRun.start(definition, { servers: { api: s.url }, ...options }, {});
    const first = await run.send("s", get);
    await run.retryWait(first, 1);
    return first;
  }

  it("ten years is cut to maxRetryAfterMs, 5 minutes by default", async () => {
    const executor = recordingExecutor();
    await retryAfter(String(10 * 365 * 24 * 3600), { executor });
    expect(executor.waits).toEqual([300_000]);
    const custom = recordingExecutor();
    await retryAfter(String(10 * 365 * 24 * 3600), { executor: custom, maxRetryAfterMs: 1234 });
    expect(custom.waits).toEqual([1234]);
  });

  it("a date ten years ahead, with no cap and a timeoutMs: no immediate retry, the run ends at its deadline", async () => {
    const s = await server((_, res) =>
      res.writeHead(503, { "retry-after": new Date(Date.now() + 10 * 365 * 86400_000).toUTCString() }).end(),
    );
    const run = WorkflowRun.start(definition, { servers: { api: s.url }, maxRetryAfterMs: Infinity, timeoutMs: 400 }, {});
    const first = await run.send("s", get);
    const started = Date.now();
    const error = await run.retryWait(first, 0).catch((e: unknown) => e);
    expect((error as WorkflowError).reason).toBe("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(s.seen).toHaveLength(1);
  });

  it("waits longer than setTimeout's range are chained timers, not an overflow that fires at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const delays: number[] = [];
    const original = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return original(fn, ms);
    }) as typeof setTimeout);
    let done = false;
    void inProcessExecutor.sleep(2 ** 31 + 1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1001);
    expect(done).toBe(true);
    spy.mockRestore();
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
  });

  it("a date in the past means no wait", async () => {
    const executor = recordingExecutor();
    await retryAfter(new Date(Date.now() - 3600_000).toUTCString(), { executor });
    expect(executor.waits).toEqual([]);
  });
});

describe("path values cannot change the route", () => {
  const pathRequest = (value: string, allowReserved?: boolean): StepRequest => ({
    ...get,
    path: "/files/{name}/meta",
    parameters: [{ in: "path", name: "name", value, ...(allowReserved !== undefined ? { allowReserved } : {}) }],
  });

  it.each([".", ".."])("'%s' is refused with reason config, and nothing is sent", async (value) => {
    const s = await server((_, res) => res.end());
    const error = await sendOnce(s.url, {}, pathRequest(value)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).reason).toBe("config");
    expect((error as WorkflowError).message).toContain("dot-segment");
    expect(s.seen).toHaveLength(0);
  });

  it("percent-encoded dots written by a value with allowReserved are refused too", async () => {
    const s = await server((_, res) => res.end());
    for (const value of ["%2e%2e", "%2E.", ".%2e"]) {
      const error = await sendOnce(s.url, {}, pathRequest(value, true)).catch((e: unknown) => e);
      expect((error as WorkflowError).reason).toBe("config");
    }
    expect(s.seen).toHaveLength(0);
  });

  it("dots inside a segment, and %2e typed by the caller, are plain values", async () => {
    const s = await server((_, res) => res.end());
    await sendOnce(s.url, {}, pathRequest("..hidden"));
    await sendOnce(s.url, {}, pathRequest("%2e%2e"));
    expect(s.seen.map((r) => r.url)).toEqual(["/files/..hidden/meta", "/files/%252e%252e/meta"]);
  });

  it("'/', '?' and '#' stay encoded even with allowReserved", async () => {
    const s = await server((_, res) => res.end());
    await sendOnce(s.url, {}, pathRequest("../admin?x=1#f", true));
    expect(s.seen.map((r) => r.url)).toEqual(["/files/..%2Fadmin%3Fx=1%23f/meta"]);
  });
});

describe("redirects (followRedirects)", () => {
  const secretDefinition: WorkflowDefinition = {
    workflowId: "w",
    secretInputs: [],
    secretParameters: [
      { in: "header", name: "x-key" },
      { in: "query", name: "api_key" },
    ],
  };
  const credentialed: StepRequest = {
    source: "api",
    method: "GET",
    path: "/start",
    parameters: [
      { in: "header", name: "Authorization", value: "Bearer tok-123" },
      { in: "header", name: "X-Key", value: "key-456" },
      { in: "header", name: "X-Trace", value: "trace-1" },
      { in: "cookie", name: "session", value: "sess-789" },
      { in: "query", name: "api_key", value: "q-000" },
    ],
  };

  async function follow(to: (other: TestServer) => string, request = credentialed) {
    const target = await server((_, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
    const origin = await server((req, res) =>
      req.url?.startsWith("/start") ? res.writeHead(302, { location: to(target) }).end() : res.writeHead(200).end("same origin"),
    );
    const run = WorkflowRun.start(
      secretDefinition,
      { servers: { api: origin.url }, followRedirects: true, headers: { "X-Tenant": "tenant-1" } },
      {},
    );
    const response = await run.send("s", request);
    return { response, origin, target };
  }

  it("to another origin: Authorization, Cookie, API-key headers and query parameters and options.headers stay behind", async () => {
    const { response, target } = await follow((t) => `${t.url}/landing?api_key=echoed&keep=1`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(response.url).toBe(`${target.url}/landing?keep=1`);
    const seen = target.seen[0]!;
    for (const name of ["authorization", "x-key", "cookie", "x-tenant"]) expect(seen.headers[name]).toBeUndefined();
    expect(seen.headers["x-trace"]).toBe("trace-1");
    expect(JSON.stringify(seen)).not.toMatch(/tok-123|key-456|sess-789|q-000|tenant-1/);
  });

  it("within the origin: credentials go along", async () => {
    const { response, origin } = await follow(() => "/elsewhere");
    expect(response.body).toBe("same origin");
    expect(origin.seen[1]!.headers["authorization"]).toBe("Bearer tok-123");
    expect(origin.seen[1]!.headers["cookie"]).toBe("session=sess-789");
  });

  it("a redirect loop ends after 20 redirects with reason network", async () => {
    const s = await server((_, res) => res.writeHead(307, { location: "/again" }).end());
    const response = await sendOnce(s.url, { followRedirects: true });
    expect(response.error?.reason).toBe("network");
    expect(response.error?.message).toContain("more than 20 redirects");
    expect(s.seen).toHaveLength(21);
  });

  it("303 after a POST becomes a GET without the body; 307 keeps both", async () => {
    const s = await server((req, res) => {
      if (req.url === "/see-other") return res.writeHead(303, { location: "/done" }).end();
      if (req.url === "/temporary") return res.writeHead(307, { location: "/done" }).end();
      res.writeHead(200).end();
    });
    const post = (path: string): StepRequest => ({
      ...get,
      method: "POST",
      path,
      body: { contentType: "application/json", value: { a: 1 } },
    });
    await sendOnce(s.url, { followRedirects: true }, post("/see-other"));
    await sendOnce(s.url, { followRedirects: true }, post("/temporary"));
    expect(s.seen.map((r) => [r.method, r.url, r.body, r.headers["content-type"]])).toEqual([
      ["POST", "/see-other", '{"a":1}', "application/json"],
      ["GET", "/done", "", undefined],
      ["POST", "/temporary", '{"a":1}', "application/json"],
      ["POST", "/done", '{"a":1}', "application/json"],
    ]);
  });

  it("without followRedirects the 3xx is the step's response", async () => {
    const { response, target } = await follow((t) => t.url);
    expect(response.status).toBe(200); // (followRedirects is on in follow(); here it is off:)
    const s = await server((_, res) => res.writeHead(302, { location: target.url }).end());
    const direct = await sendOnce(s.url);
    expect(direct.status).toBe(302);
    expect(direct.header("Location")).toBe(target.url);
  });
});

describe("regex criteria built from values", () => {
  it("an embedded value matches as literal text, its regex syntax inert", () => {
    expect(matchesPatternSource(["^", "-\\d+$"], ["a.c"], "a.c-42")).toBe(true);
    expect(matchesPatternSource(["^", "-\\d+$"], ["a.c"], "abc-42")).toBe(false);
    expect(matchesPatternSource(["^", "$"], ["[x]|y"], "[x]|y")).toBe(true);
    expect(matchesPatternSource(["^", "$"], ["[x]|y"], "y")).toBe(false);
  });

  it("a catastrophic pattern given as a value cannot block: it is text", async () => {
    const value = "(a+)+$";
    const subject = "a".repeat(40) + "!";
    const started = Date.now();
    expect(matchesPatternSource(["^", ""], [value], subject)).toBe(false);
    expect(matchesPatternSource(["", ""], [value], `x${value}`)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("JSONPath match()/search() with a pattern from data", () => {
  it("a pattern that nests repetition is refused (false), at once, whatever the subject", () => {
    const subject = "a".repeat(5000) + "!";
    const started = Date.now();
    for (const pattern of ["(a+)+", "(a*)*b", "((a|b)*)+", "((a{2,})?)+", "(a{1,5}){2,}"]) {
      expect(jpNestedRepetition(pattern)).toBe(true);
      expect(jpMatch(subject, pattern)).toBe(false);
      expect(jpSearch(subject, pattern)).toBe(false);
    }
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("patterns without nested repetition still work, classes and escapes included", () => {
    for (const pattern of ["(ab)+", "a+b*", "(a|b)?c+", "[(+)]+", "\\(a+\\)+", "\\p{Lu}{2,}", "(a{1})+"])
      expect(jpNestedRepetition(pattern)).toBe(false);
    expect(jpMatch("ababab", "(ab)+")).toBe(true);
    expect(jpSearch("x(aa)y", "\\(a+\\)")).toBe(true);
    expect(jpMatch("ABC", "\\p{Lu}{2,}")).toBe(true);
  });
});
