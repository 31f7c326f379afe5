// Secrets are values sent as credentials, whatever their origin: inputs, a token a login step returned, a header
// of options.headers, the user and password of a server URL, API keys the security schemes declare. None may
// appear in any text of an error (message, bodyExcerpt, cause, toJSON, util.inspect) or in any hook event.
// Against servers on 127.0.0.1 that echo what they get.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { WorkflowError, WorkflowRun, type StepRequest, type WorkflowDefinition, type WorkflowHooks } from "../runtime/runtime.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Echo {
  readonly url: string;
  readonly seen: IncomingMessage["headers"][];
  readonly urls: string[];
}

/** Answers `status` with a JSON body echoing the request's URL and headers (as careless servers do). */
async function echoServer(
  status: (req: IncomingMessage) => number,
  extra?: (req: IncomingMessage) => Record<string, unknown>,
): Promise<Echo> {
  const echo: Echo = { url: "", seen: [], urls: [] };
  const s = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => {
      echo.seen.push(req.headers);
      echo.urls.push(req.url ?? "");
      res
        .writeHead(status(req), { "content-type": "application/json", "set-cookie": "sid=server-cookie-77; HttpOnly" })
        .end(JSON.stringify({ url: req.url, headers: req.headers, ...extra?.(req) }));
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
  (echo as { url: string }).url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return echo;
}

/** Everything a caller can see of a run: the error's texts in every form, and every hook event. */
function everything(error: WorkflowError, events: unknown[]): string {
  return [
    error.message,
    error.bodyExcerpt ?? "",
    String(error.stack),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    inspect(error.cause, { depth: 10 }),
    JSON.stringify(events),
  ].join("\n");
}

function hooks(events: unknown[]): WorkflowHooks {
  return { onRequest: (e) => void events.push(e), onResponse: (e) => void events.push(e), onStep: (e) => void events.push(e) };
}

const definition: WorkflowDefinition = { workflowId: "w", secretInputs: [] };

describe("secrets whatever their origin", () => {
  it("a token from a login step's output, sent as Authorization, is redacted everywhere after", async () => {
    const token = "tok-from-login-4f2a";
    const s = await echoServer(
      (req) => (req.url === "/login" ? 200 : 403),
      (req) => (req.url === "/login" ? { token } : { error: `token ${token} has no access` }),
    );
    const events: unknown[] = [];
    const run = WorkflowRun.start(definition, { servers: { api: s.url }, hooks: hooks(events) }, {});
    const login = await run.send("login", { source: "api", method: "POST", path: "/login", parameters: [] });
    const issued = (login.body as { token: string }).token;
    const use = await run.send("use", {
      source: "api",
      method: "GET",
      path: "/orders",
      parameters: [{ in: "header", name: "Authorization", value: `Bearer ${issued}` }],
    });
    await run.check(use, false);
    const error = run.failed(use);
    expect(error.status).toBe(403);
    expect(error.bodyExcerpt).toContain("token [redacted] has no access");
    expect(s.seen[1]!["authorization"]).toBe(`Bearer ${token}`);
    // The login response itself is the one place the token was not yet known as a secret: it is in the
    // onResponse event of the login step only if the event carried bodies, and events carry no bodies.
    expect(everything(error, events)).not.toContain(token);
  });

  it("options.headers values are secrets; Accept and User-Agent are not", async () => {
    const s = await echoServer(() => 500);
    const events: unknown[] = [];
    const run = WorkflowRun.start(
      definition,
      {
        servers: { api: s.url },
        hooks: hooks(events),
        headers: { "X-Api-Token": "opt-secret-93", Accept: "application/json", "User-Agent": "my-client/1" },
      },
      {},
    );
    const response = await run.send("s", { source: "api", method: "GET", path: "/x", parameters: [] });
    const error = run.failed(response);
    expect(s.seen[0]!["x-api-token"]).toBe("opt-secret-93");
    const text = everything(error, events);
    expect(text).not.toContain("opt-secret-93");
    expect(text).toContain("my-client/1");
    expect((events[0] as { headers: Record<string, string> }).headers).toMatchObject({
      "x-api-token": "[redacted]",
      accept: "application/json",
      "user-agent": "my-client/1",
    });
  });

  it("a server URL's user and password go as Basic authorization and are never printed", async () => {
    const s = await echoServer(() => 401);
    const events: unknown[] = [];
    const withCredentials = s.url.replace("http://", "http://alice:pa55w0rd-x@");
    const run = WorkflowRun.start(definition, { servers: { api: withCredentials }, hooks: hooks(events) }, {});
    const response = await run.send("s", { source: "api", method: "GET", path: "/me", parameters: [] });
    const basic = Buffer.from("alice:pa55w0rd-x").toString("base64");
    expect(s.seen[0]!["authorization"]).toBe(`Basic ${basic}`);
    const text = everything(run.failed(response), events);
    expect(text).not.toContain("pa55w0rd-x");
    expect(text).not.toContain(basic);

    // A configuration error names the URL without them.
    const bad = WorkflowRun.start(definition, { baseUrl: "http://bob:hunter2-pw@[::1" }, {});
    const config = await bad
      .send("s", { source: "api", server: "/api", method: "GET", path: "/", parameters: [] })
      .catch((e: unknown) => e);
    expect((config as WorkflowError).reason).toBe("config");
    expect(everything(config as WorkflowError, [])).not.toContain("hunter2-pw");
  });

  it("API keys the security schemes declare, in a query parameter and a cookie, are redacted by position", async () => {
    const s = await echoServer(() => 401);
    const events: unknown[] = [];
    const run = WorkflowRun.start(
      {
        workflowId: "w",
        secretInputs: [],
        secretParameters: [
          { in: "query", name: "api_key" },
          { in: "cookie", name: "sess" },
        ],
      },
      { servers: { api: s.url }, hooks: hooks(events) },
      {},
    );
    const response = await run.send("s", {
      source: "api",
      method: "GET",
      path: "/items",
      parameters: [
        { in: "query", name: "page", value: 2 },
        { in: "query", name: "api_key", value: "qk-5521" },
        { in: "cookie", name: "sess", value: "ck-8830" },
      ],
    });
    expect(s.urls[0]).toBe("/items?page=2&api_key=qk-5521");
    expect((events[0] as { url: string }).url).toBe(`${s.url}/items?page=2&api_key=[redacted]`);
    const text = everything(run.failed(response), events);
    expect(text).not.toContain("qk-5521");
    expect(text).not.toContain("ck-8830");
  });

  it("API keys a source's security schemes declare, as generated modules pass them, are redacted by position", async () => {
    const s = await echoServer(() => 401);
    const events: unknown[] = [];
    const run = WorkflowRun.start({ workflowId: "w", secretInputs: [] }, { servers: { api: s.url }, hooks: hooks(events) }, {});
    const api = { name: "api", secretParameters: [{ in: "query", name: "api_key" }] } as const;
    const response = await run.request("s", api, "GET", "/items", { query: { page: 2, api_key: "qk-7731" } });
    expect(s.urls[0]).toBe("/items?page=2&api_key=qk-7731");
    expect((events[0] as { url: string }).url).toBe(`${s.url}/items?page=2&api_key=[redacted]`);
    expect(everything(run.failed(response), events)).not.toContain("qk-7731");
  });

  it("secrets of one or two characters: redacted whole in headers, and where they stand alone in texts", async () => {
    const s = await echoServer(
      () => 403,
      () => ({ key: "k9", note: "ok9k stays" }),
    );
    const events: unknown[] = [];
    const run = WorkflowRun.start(
      { workflowId: "w", secretInputs: ["key"] },
      { servers: { api: s.url }, hooks: hooks(events) },
      { key: "k9" },
    );
    const response = await run.send("s", {
      source: "api",
      method: "GET",
      path: "/short",
      parameters: [
        { in: "header", name: "X-Api-Key", value: "k9" },
        { in: "header", name: "Authorization", value: "Bearer z" },
      ],
    });
    const error = run.failed(response);
    const request = events[0] as { headers: Record<string, string> };
    expect(request.headers["x-api-key"]).toBe("[redacted]");
    expect(request.headers["authorization"]).toBe("[redacted]");
    expect(error.bodyExcerpt).toContain('"key":"[redacted]"');
    expect(error.bodyExcerpt).toContain('"x-api-key":"[redacted]"');
    expect(error.bodyExcerpt).toContain('"authorization":"[redacted]"');
    // Inside a word the letters are left alone: the message stays readable.
    expect(error.bodyExcerpt).toContain("ok9k stays");
  });

  it("an invalid header value: no raw token in the message, the cause, toJSON or util.inspect", async () => {
    const s = await echoServer(() => 200);
    const run = WorkflowRun.start(definition, { servers: { api: s.url } }, {});
    const request: StepRequest = {
      source: "api",
      method: "GET",
      path: "/",
      parameters: [{ in: "header", name: "Authorization", value: "Bearer raw-tok-6610\nX-Injected: 1" }],
    };
    const response = await run.send("s", request);
    expect(response.error?.reason).toBe("network");
    expect(s.seen).toHaveLength(0);
    expect(everything(response.error!, [])).not.toContain("raw-tok-6610");
    expect(everything(run.failed(response), [])).not.toContain("raw-tok-6610");
  });

  it("an error shown after a secret was learnt hides it too; causes are redacted copies", async () => {
    const s = await echoServer(
      (req) => (req.url === "/first" ? 500 : 200),
      (req) => (req.url === "/first" ? { next: "later-secret-31" } : {}),
    );
    const run = WorkflowRun.start(definition, { servers: { api: s.url } }, {});
    const first = await run.send("first", { source: "api", method: "GET", path: "/first", parameters: [] });
    const early = run.failed(first);
    expect(early.bodyExcerpt).toContain("later-secret-31"); // not a secret yet
    await run.send("second", {
      source: "api",
      method: "GET",
      path: "/second",
      parameters: [{ in: "header", name: "Authorization", value: "Bearer later-secret-31" }],
    });
    expect(JSON.stringify(early)).not.toContain("later-secret-31");
    expect(inspect(early)).not.toContain("later-secret-31");
    expect(inspect(early)).toContain("[redacted]");
    expect(JSON.parse(JSON.stringify(early))).toMatchObject({ reason: "http", status: 500, workflowId: "w" });

    // A workflow failing inside another: the caller's error keeps the callee's as its cause, both redacted.
    const outer = await run.call("outer", { workflowId: "inner", secretInputs: [] }, {}, () => Promise.reject(early));
    expect(outer.error?.cause).toBe(early);
    expect(inspect(outer.error, { depth: 10 })).not.toContain("later-secret-31");
    expect(JSON.stringify(outer.error)).not.toContain("later-secret-31");
  });

  it("a secret path goes through arrays: each item's member is a secret, the other members are not", async () => {
    const s = await echoServer(
      () => 500,
      () => ({ note: "tokens tok-ann-1 tok-bob-2 tok-cy-3 of ann, bob, cy" }),
    );
    const events: unknown[] = [];
    const accounts = [
      { user: "ann", token: "tok-ann-1" },
      { user: "bob", token: "tok-bob-2" },
      // Arrays within arrays (groups of accounts) too; an item that is no object, or has no token, is skipped.
      [{ user: "cy", token: "tok-cy-3" }, "stray", { user: "dee" }],
    ];
    const run = WorkflowRun.start(
      { workflowId: "w", secretInputs: [["accounts", "token"]] },
      { servers: { api: s.url }, hooks: hooks(events) },
      { accounts },
    );
    const response = await run.send("s", { source: "api", method: "GET", path: "/stock", parameters: [{ in: "header", name: "X-Session", value: "tok-bob-2" }] });
    const error = run.failed(response);
    const shown = everything(error, events);
    for (const token of ["tok-ann-1", "tok-bob-2", "tok-cy-3"]) expect(shown).not.toContain(token);
    expect(error.bodyExcerpt).toContain("tokens [redacted] [redacted] [redacted] of ann, bob, cy");
  });
});
