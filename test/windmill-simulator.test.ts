import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "./support/wait-for.js";
import { startWindmillSimulator, type WindmillSimulator, type WindmillSimulatorOptions } from "./support/windmill-simulator.js";

const WS = "demo";

const scripts: WindmillSimulatorOptions["scripts"] = {
  "f/demo/fast": { result: { answer: 42 } },
  "f/demo/slow": { queuedMs: 150, runningMs: 150, result: "slow done" },
  "f/demo/queued": { queuedMs: 60_000 },
  "f/demo/stuck": { neverCompletes: true },
  "f/demo/fails": { success: false },
  "f/demo/fails-custom": { success: false, result: { error: { name: "TypeError", message: "boom" } } },
  "u/alice/default": {},
};

let sim: WindmillSimulator;

beforeEach(async () => {
  sim = await startWindmillSimulator({ scripts });
});

afterEach(async () => {
  await sim.close();
});

function auth(token = sim.adminToken): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function call(
  method: "GET" | "POST",
  path: string,
  init: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; contentType: string; text: string; json: () => unknown }> {
  const headers: Record<string, string> = {
    ...(init.token === null ? {} : auth(init.token ?? sim.adminToken)),
    ...init.headers,
  };
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${sim.apiUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

async function run(scriptPath: string, args: unknown = {}, token?: string): Promise<string> {
  const res = await call("POST", `/w/${WS}/jobs/run/p/${scriptPath}`, {
    body: args,
    ...(token === undefined ? {} : { token }),
  });
  expect(res.status).toBe(201);
  return res.text;
}

const completed = (id: string) => () => sim.job(id)?.state === "completed";

describe("server basics", () => {
  it("listens on an ephemeral 127.0.0.1 port and exposes /api", () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.apiUrl).toBe(`${sim.url}/api`);
    expect(sim.adminToken).not.toBe(sim.userToken);
  });

  it("answers 404 text/plain on unknown routes and wrong methods", async () => {
    for (const [method, path] of [
      ["GET", "/nope"],
      ["GET", `/w/${WS}/jobs/unknown/${randomUUID()}`],
      ["GET", `/w/${WS}/jobs/run/p/f/demo/fast`],
      ["POST", `/w/${WS}/jobs_u/get/${randomUUID()}`],
      ["GET", `/w/${WS}/jobs_u/queue/cancel/${randomUUID()}`],
    ] as const) {
      const res = await call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.contentType).toMatch(/^text\/plain/);
    }
    const outside = await fetch(`${sim.url}/other`);
    expect(outside.status).toBe(404);
    await outside.text();
  });

  it("records requests with raw path, query, headers, body and status", async () => {
    await call("POST", `/w/${WS}/jobs/run/p/f%2Fdemo%2Ffast?tag=x`, { body: { a: 1 } });
    const rec = sim.requests.at(-1);
    expect(rec).toMatchObject({
      method: "POST",
      path: `/api/w/${WS}/jobs/run/p/f%2Fdemo%2Ffast`,
      query: { tag: "x" },
      body: '{"a":1}',
      status: 201,
    });
    expect(rec?.headers["authorization"]).toBe(`Bearer ${sim.adminToken}`);
    expect(typeof rec?.at).toBe("number");
  });

  it("closes cleanly with keep-alive connections open, and close() is idempotent", async () => {
    const other = await startWindmillSimulator();
    const res = await fetch(`${other.apiUrl}/nope`, { headers: { connection: "keep-alive" } });
    await res.text();
    await other.close();
    await other.close();
    await expect(fetch(`${other.apiUrl}/nope`)).rejects.toThrow();
  });
});

describe("auth", () => {
  const id = randomUUID();
  const routes: Array<[method: "GET" | "POST", path: string, body?: unknown]> = [
    ["POST", `/w/${WS}/jobs/run/p/f/demo/fast`, {}],
    ["GET", `/w/${WS}/jobs_u/get/${id}`],
    ["GET", `/w/${WS}/jobs_u/completed/get/${id}`],
    ["POST", `/w/${WS}/jobs_u/queue/cancel/${id}`, {}],
    ["GET", `/w/${WS}/jobs_u/completed/get_result_maybe/${id}`],
    ["POST", `/w/${WS}/jobs/completed/delete/${id}`],
  ];

  it.each(routes)("%s %s: 401 text/plain without or with a bad token", async (method, path, body) => {
    const missing = await call(method, path, { token: null, body });
    expect(missing.status).toBe(401);
    expect(missing.contentType).toMatch(/^text\/plain/);
    const wrong = await call(method, path, { token: "not-a-token", body });
    expect(wrong.status).toBe(401);
    const notBearer = await call(method, path, { token: null, body, headers: { authorization: sim.adminToken } });
    expect(notBearer.status).toBe(401);
  });

  it("accepts ?token= in the query instead of the header", async () => {
    const res = await call("POST", `/w/${WS}/jobs/run/p/f/demo/fast?token=${sim.userToken}`, {
      token: null,
      body: {},
    });
    expect(res.status).toBe(201);
    const bad = await call("GET", `/w/${WS}/jobs_u/get/${res.text}?token=nope`, { token: null });
    expect(bad.status).toBe(401);
  });

  it("accepts the token cookie", async () => {
    const res = await call("POST", `/w/${WS}/jobs/run/p/f/demo/fast`, {
      token: null,
      body: {},
      headers: { cookie: `token=${sim.userToken}` },
    });
    expect(res.status).toBe(201);
  });
});

describe("runScriptByPath", () => {
  it("returns 201 text/plain with a bare UUID and records the job", async () => {
    const res = await call("POST", `/w/${WS}/jobs/run/p/f/demo/fast`, { body: { x: 1 } });
    expect(res.status).toBe(201);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(sim.job(res.text)).toMatchObject({
      id: res.text,
      workspace: WS,
      scriptPath: "f/demo/fast",
      args: { x: 1 },
      canceled: false,
      deleted: false,
    });
    expect(sim.jobs().map((j) => j.id)).toEqual([res.text]);
  });

  it("accepts the script path literally and percent-encoded", async () => {
    const literal = await run("f/demo/fast");
    const encoded = await run(encodeURIComponent("f/demo/fast"));
    const mixed = await run("u%2Falice/default");
    expect(sim.job(literal)?.scriptPath).toBe("f/demo/fast");
    expect(sim.job(encoded)?.scriptPath).toBe("f/demo/fast");
    expect(sim.job(mixed)?.scriptPath).toBe("u/alice/default");
  });

  it("returns 404 text/plain for an unknown script path", async () => {
    const res = await call("POST", `/w/${WS}/jobs/run/p/f/demo/missing`, { body: {} });
    expect(res.status).toBe(404);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(res.text).toContain("f/demo/missing");
    expect(sim.jobs()).toEqual([]);
  });

  it("rejects a body that is not a JSON object with 400", async () => {
    const syntax = await call("POST", `/w/${WS}/jobs/run/p/f/demo/fast`, {
      rawBody: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(syntax.status).toBe(400);
    expect(syntax.contentType).toMatch(/^text\/plain/);
    const array = await call("POST", `/w/${WS}/jobs/run/p/f/demo/fast`, { body: [1, 2] });
    expect(array.status).toBe(400);
  });

  it("honours job_id and refuses an existing one", async () => {
    const wanted = randomUUID();
    const res = await call("POST", `/w/${WS}/jobs/run/p/f/demo/fast?job_id=${wanted}`, { body: {} });
    expect(res.status).toBe(201);
    expect(res.text).toBe(wanted);
    const again = await call("POST", `/w/${WS}/jobs/run/p/f/demo/fast?job_id=${wanted}`, { body: {} });
    expect(again.status).toBe(400);
  });
});

describe("getJob and the lifecycle", () => {
  it("QueuedJob while queued: required fields, no started_at", async () => {
    const id = await run("f/demo/queued", { n: 1 });
    const queued = await call("GET", `/w/${WS}/jobs_u/get/${id}`);
    expect(queued.status).toBe(200);
    expect(queued.contentType).toMatch(/^application\/json/);
    const q = queued.json() as Record<string, unknown>;
    expect(q).toMatchObject({
      type: "QueuedJob",
      id,
      running: false,
      canceled: false,
      job_kind: "script",
      permissioned_as: "u/admin",
      is_flow_step: false,
      email: "admin@windmill.dev",
      visible_to_owner: true,
      tag: "deno",
      workspace_id: WS,
      script_path: "f/demo/queued",
      args: { n: 1 },
      created_by: "admin",
    });
    expect(typeof q["created_at"]).toBe("string");
    expect("started_at" in q).toBe(false);
    expect(sim.job(id)?.state).toBe("queued");
  });

  it("moves queued -> running -> completed in real time", async () => {
    const id = await run("f/demo/slow");
    const first = (await call("GET", `/w/${WS}/jobs_u/get/${id}`)).json();
    expect(first).toMatchObject({ type: "QueuedJob", running: false });

    // Poll snapshots until completion; states must only move forward (running may be
    // skipped by a slow poll, so it is not required).
    const order = ["queued", "running", "completed"];
    const seen: number[] = [];
    await waitFor(() => {
      seen.push(order.indexOf(sim.job(id)?.state ?? "missing"));
      return seen.at(-1) === 2;
    });
    expect(seen.every((v, i) => v >= 0 && (i === 0 || v >= (seen[i - 1] ?? 0)))).toBe(true);

    const done = (await call("GET", `/w/${WS}/jobs_u/get/${id}`)).json() as Record<string, unknown>;
    expect(done).toMatchObject({
      type: "CompletedJob",
      id,
      success: true,
      result: "slow done",
      canceled: false,
      deleted: false,
    });
    expect(done["duration_ms"]).toBe(150);
    const started = Date.parse(done["started_at"] as string);
    expect(started - Date.parse(done["created_at"] as string)).toBe(150);
    expect(Date.parse(done["completed_at"] as string) - started).toBe(150);
    expect(sim.job(id)).toMatchObject({ state: "completed", success: true, result: "slow done" });
  });

  it("observes the running state over HTTP", async () => {
    const id = await run("f/demo/stuck");
    const body = (await call("GET", `/w/${WS}/jobs_u/get/${id}`)).json() as Record<string, unknown>;
    expect(body).toMatchObject({ type: "QueuedJob", running: true });
    expect(typeof body["started_at"]).toBe("string");
    expect(sim.job(id)?.state).toBe("running");
  });

  it("zero durations complete at once with the configured result", async () => {
    const id = await run("f/demo/fast");
    const body = (await call("GET", `/w/${WS}/jobs_u/get/${id}`)).json();
    expect(body).toMatchObject({ type: "CompletedJob", success: true, result: { answer: 42 } });
  });

  it("uses defaultQueuedMs/defaultRunningMs and the default result", async () => {
    const other = await startWindmillSimulator({ scripts: { "f/x/y": {} }, defaultQueuedMs: 150, defaultRunningMs: 30 });
    try {
      const res = await fetch(`${other.apiUrl}/w/${WS}/jobs/run/p/f/x/y`, {
        method: "POST",
        headers: { authorization: `Bearer ${other.userToken}`, "content-type": "application/json" },
        body: "{}",
      });
      const id = await res.text();
      expect(other.job(id)?.state).toBe("queued");
      await waitFor(() => other.job(id)?.state === "completed", { timeoutMs: 2000 });
      expect(other.job(id)).toMatchObject({ success: true, result: { ok: true } });
    } finally {
      await other.close();
    }
  });

  it("reports script failures as success false with an error result", async () => {
    const id = await run("f/demo/fails");
    const body = (await call("GET", `/w/${WS}/jobs_u/get/${id}`)).json();
    expect(body).toMatchObject({
      type: "CompletedJob",
      success: false,
      canceled: false,
      result: { error: { name: "Error", message: expect.any(String) } },
    });
    const custom = await run("f/demo/fails-custom");
    expect(sim.job(custom)).toMatchObject({
      success: false,
      result: { error: { name: "TypeError", message: "boom" } },
    });
  });

  it("404 text/plain for unknown ids, and for jobs of another workspace", async () => {
    const res = await call("GET", `/w/${WS}/jobs_u/get/${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.contentType).toMatch(/^text\/plain/);
    const id = await run("f/demo/fast");
    const elsewhere = await call("GET", `/w/other/jobs_u/get/${id}`);
    expect(elsewhere.status).toBe(404);
  });

  it("400 for a malformed id", async () => {
    const res = await call("GET", `/w/${WS}/jobs_u/get/not-a-uuid`);
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^text\/plain/);
  });
});

describe("getCompletedJob", () => {
  it("404 while queued or running and for unknown ids, 200 without type once completed", async () => {
    const id = await run("f/demo/slow");
    const early = await call("GET", `/w/${WS}/jobs_u/completed/get/${id}`);
    expect(early.status).toBe(404);
    expect(early.contentType).toMatch(/^text\/plain/);
    expect(early.text).toContain(id);

    const unknown = await call("GET", `/w/${WS}/jobs_u/completed/get/${randomUUID()}`);
    expect(unknown.status).toBe(404);

    await waitFor(completed(id), { timeoutMs: 2000 });
    const done = await call("GET", `/w/${WS}/jobs_u/completed/get/${id}`);
    expect(done.status).toBe(200);
    expect(done.contentType).toMatch(/^application\/json/);
    const body = done.json() as Record<string, unknown>;
    expect("type" in body).toBe(false);
    expect(body).toMatchObject({
      id,
      success: true,
      result: "slow done",
      canceled: false,
      deleted: false,
      job_kind: "script",
      is_skipped: false,
      created_by: "admin",
    });
    for (const key of ["created_at", "started_at", "completed_at", "duration_ms"]) expect(body).toHaveProperty(key);
  });

  it("404 for a running job", async () => {
    const id = await run("f/demo/stuck");
    expect((await call("GET", `/w/${WS}/jobs_u/completed/get/${id}`)).status).toBe(404);
  });
});

describe("getCompletedJobResultMaybe", () => {
  const path = (id: string, q = "") => `/w/${WS}/jobs_u/completed/get_result_maybe/${id}${q}`;

  it("pending and unknown ids give completed false with nulls, never 404", async () => {
    const id = await run("f/demo/queued");
    for (const target of [id, randomUUID()]) {
      const res = await call("GET", path(target));
      expect(res.status).toBe(200);
      expect(res.contentType).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ started: null, success: null, completed: false, result: null });
    }
  });

  it("get_started=true reports the running flag", async () => {
    const queued = await run("f/demo/queued");
    const running = await run("f/demo/stuck");
    expect((await call("GET", path(queued, "?get_started=true"))).json()).toEqual({
      started: false,
      success: null,
      completed: false,
      result: null,
    });
    expect((await call("GET", path(running, "?get_started=true"))).json()).toEqual({
      started: true,
      success: null,
      completed: false,
      result: null,
    });
    expect((await call("GET", path(running))).json()).toMatchObject({ started: null });
  });

  it("completed jobs give started true, success and result", async () => {
    const ok = await run("f/demo/slow");
    await waitFor(async () => ((await call("GET", path(ok))).json() as { completed: boolean }).completed, {
      timeoutMs: 2000,
    });
    expect((await call("GET", path(ok))).json()).toEqual({
      started: true,
      success: true,
      completed: true,
      result: "slow done",
    });
    const failed = await run("f/demo/fails");
    expect((await call("GET", path(failed))).json()).toMatchObject({
      started: true,
      success: false,
      completed: true,
      result: { error: { name: "Error" } },
    });
  });
});

describe("cancelQueuedJob", () => {
  const path = (id: string, ws = WS) => `/w/${ws}/jobs_u/queue/cancel/${id}`;

  it("cancels a queued job: 200 with the bare UUID, then a canceled failure", async () => {
    const id = await run("f/demo/queued");
    const res = await call("POST", path(id), { body: { reason: "too slow" }, token: sim.userToken });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(res.text).toBe(id);

    await waitFor(completed(id), { timeoutMs: 2000 });
    expect(sim.job(id)).toMatchObject({ state: "completed", success: false, canceled: true, canceledReason: "too slow" });
    const body = (await call("GET", `/w/${WS}/jobs_u/completed/get/${id}`)).json();
    expect(body).toMatchObject({
      success: false,
      canceled: true,
      canceled_by: "alice",
      canceled_reason: "too slow",
      result: {
        error: { message: "Job canceled: too slow by alice", name: "Canceled", reason: "too slow", canceler: "alice" },
      },
    });
    expect((await call("GET", `/w/${WS}/jobs_u/get/${id}`)).json()).toMatchObject({ type: "CompletedJob" });
  });

  it("cancels a running job, with the default reason", async () => {
    const id = await run("f/demo/stuck");
    const res = await call("POST", path(id), { body: {} });
    expect(res.status).toBe(200);
    expect(res.text).toBe(id);
    await waitFor(completed(id), { timeoutMs: 2000 });
    expect((await call("GET", `/w/${WS}/jobs_u/completed/get_result_maybe/${id}`)).json()).toEqual({
      started: true,
      success: false,
      completed: true,
      result: {
        error: {
          message: "Job canceled: unexplicited reasons by admin",
          name: "Canceled",
          reason: "unexplicited reasons",
          canceler: "admin",
        },
      },
    });
  });

  it("an already completed job: 200 'is already completed', result untouched", async () => {
    const id = await run("f/demo/fast");
    await waitFor(completed(id), { timeoutMs: 2000 });
    const res = await call("POST", path(id), { body: { reason: "late" } });
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(res.text).toBe(`queued job id ${id} is already completed`);
    expect(sim.job(id)).toMatchObject({ success: true, canceled: false, result: { answer: 42 } });
  });

  it("an unknown job: 404 'does not exist'", async () => {
    const id = randomUUID();
    const res = await call("POST", path(id), { body: {} });
    expect(res.status).toBe(404);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(res.text).toBe(`queued job id ${id} does not exist`);
  });

  it("another workspace's job: 400", async () => {
    const id = await run("f/demo/queued");
    expect((await call("POST", path(id, "elsewhere"), { body: {} })).status).toBe(400);
    expect(sim.job(id)?.state).toBe("queued");
  });

  it("requires a JSON body", async () => {
    const id = await run("f/demo/queued");
    expect((await call("POST", path(id))).status).toBe(415);
    const bad = await call("POST", path(id), { rawBody: "{", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(sim.job(id)?.state).toBe("queued");
  });
});

describe("deleteCompletedJob", () => {
  const path = (id: string) => `/w/${WS}/jobs/completed/delete/${id}`;

  it("403 text/plain for a non-admin, job untouched", async () => {
    const id = await run("f/demo/fast", { secret: "s" });
    const res = await call("POST", path(id), { token: sim.userToken });
    expect(res.status).toBe(403);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(sim.job(id)).toMatchObject({ deleted: false, args: { secret: "s" }, result: { answer: 42 } });
  });

  it("404 for a job not completed yet and for an unknown id", async () => {
    const id = await run("f/demo/queued");
    const pending = await call("POST", path(id));
    expect(pending.status).toBe(404);
    expect(pending.contentType).toMatch(/^text\/plain/);
    expect((await call("POST", path(randomUUID()))).status).toBe(404);
    expect(sim.job(id)?.deleted).toBe(false);
  });

  it("erases args and result, keeps the record with deleted true", async () => {
    const id = await run("f/demo/fast", { secret: "s" });
    await waitFor(completed(id), { timeoutMs: 2000 });
    const res = await call("POST", path(id));
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    const body = res.json() as Record<string, unknown>;
    expect(body).toMatchObject({ id, deleted: true, args: null, success: true });
    expect("result" in body).toBe(false);
    expect("type" in body).toBe(false);

    const after = await call("GET", `/w/${WS}/jobs_u/completed/get/${id}`);
    expect(after.status).toBe(200);
    const afterBody = after.json() as Record<string, unknown>;
    expect(afterBody).toMatchObject({ id, deleted: true, args: null });
    expect("result" in afterBody).toBe(false);

    const job = sim.job(id);
    expect(job).toMatchObject({ state: "completed", deleted: true, args: null });
    expect(job && "result" in job).toBe(false);

    const cancel = await call("POST", `/w/${WS}/jobs_u/queue/cancel/${id}`, { body: {} });
    expect(cancel.text).toBe(`queued job id ${id} is already completed`);
  });
});
