// `$url` in a request (fixtures/cases/payloads/request-url.arazzo.yaml): the URL the request is sent to, query
// string included, in the body and in a header value; the runtime builds the URL first and calls the generated
// function of it. Compiled with warning AZC3071 (an error with --strict); in a path or query value, where it
// would be a part of itself, an error (AZC3070). Run against a local server that records what it receives.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { compile, type Diagnostic } from "../compiler/index.js";
import { submitJob } from "../out/cases/request-url.arazzo.js";
import { WorkflowRun } from "../runtime/runtime.js";
import { startServer, type Recorded, type TestServer } from "./support/json-server.js";

const FIXTURE = resolve("fixtures/cases/payloads/request-url.arazzo.yaml");

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers a job with what it received (body, URL, the X-Request-Url header), and a form with its text. */
async function jobs(redirectFirst = false): Promise<TestServer> {
  let redirected = false;
  server = await startServer((r: Recorded) => {
    if (redirectFirst && !redirected && r.path.endsWith("/jobs")) {
      redirected = true;
      return { status: 307, headers: { location: `${server!.url}/moved${r.path}?${r.search}` } };
    }
    if (r.path.endsWith("/jobs"))
      return {
        status: 201,
        body: { body: JSON.parse(r.body) as unknown, url: `${r.path}?${r.search}`, requestUrlHeader: r.headers["x-request-url"] },
      };
    return { status: 200, headers: { "content-type": "text/plain" }, body: r.body };
  });
  return server;
}

describe("$url in a request, run", () => {
  it("is the URL the request is sent to, path and query serialized, in the body, a template and a header", async () => {
    const s = await jobs();
    const out = await submitJob({ queue: "fast lane/1", priority: 2, tags: ["a", "b c"], name: "nightly" }, { servers: { jobs: `${s.url}/api` } });
    const sent = `${s.url}/api/queues/fast%20lane%2F1/jobs?priority=2&tags=a,b%20c`;
    expect(out.received).toEqual({
      body: { name: "nightly", self: sent, statusPage: `${sent}&view=status` },
      url: "/api/queues/fast%20lane%2F1/jobs?priority=2&tags=a,b%20c",
      requestUrlHeader: sent,
    });
    // After the request, $url is the URL the response came from: here the same.
    expect(out.url).toBe(sent);
    // A form body carries it form-encoded; the second request's URL is its own.
    expect(new URLSearchParams(out.form).get("from")).toBe(`${s.url}/api/confirmations`);
    expect(s.requests.map((r) => r.path)).toEqual(["/api/queues/fast%20lane%2F1/jobs", "/api/confirmations"]);
  });

  it("an optional query value left out is not in it", async () => {
    const s = await jobs();
    const out = await submitJob({ queue: "q", name: "n" }, { baseUrl: s.url });
    expect((out.received as { body: { self: string } }).body.self).toBe(`${s.url}/api/queues/q/jobs`);
  });

  it("is the URL the request was sent to, not where a redirect led; $url after the request is the response's", async () => {
    const s = await jobs(true);
    const out = await submitJob({ queue: "q", priority: 1, name: "n" }, { servers: { jobs: `${s.url}/api` }, followRedirects: true });
    const first = `${s.url}/api/queues/q/jobs?priority=1`;
    expect((out.received as { body: { self: string } }).body.self).toBe(first);
    expect(out.url).toBe(`${s.url}/moved/api/queues/q/jobs?priority=1`);
  });
});

describe("the runtime's side: values that are functions of the URL", () => {
  it("header and cookie values and the body are called with the URL, once the path and query are serialized", async () => {
    server = await startServer(() => ({ status: 204 }));
    const run = WorkflowRun.start({ workflowId: "w", secretInputs: [] }, { servers: { api: `${server.url}/v1` } }, {});
    const calls: string[] = [];
    const late = (prefix: string) => (url: string) => {
      calls.push(prefix);
      return `${prefix} ${url}`;
    };
    await run.request("s", { name: "api" }, "PUT", "/items/{id}", {
      path: { id: "a b" },
      query: { v: 2, skipped: undefined },
      header: { "X-Self": late("header") },
      cookie: { origin: late("cookie") },
      body: late("body"),
      contentType: "text/plain",
    });
    const url = `${server.url}/v1/items/a%20b?v=2`;
    expect(calls).toEqual(["header", "cookie", "body"]);
    const [received] = server.requests;
    expect(received!.headers["x-self"]).toBe(`header ${url}`);
    expect(received!.headers["cookie"]).toBe(`origin=cookie%20${encodeURIComponent(url)}`);
    expect(received!.body).toBe(`body ${url}`);
  });
});

describe("$url in a request, checked", () => {
  const temp = mkdtempSync(join(tmpdir(), "arazzoc-request-url-"));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  copyFileSync("fixtures/cases/payloads/jobs.openapi.yaml", join(temp, "jobs.openapi.yaml"));
  const brief = (list: readonly Diagnostic[]) => list.map((d) => `${d.severity} ${d.code} ${d.range?.line}:${d.range?.column}`);

  it("compiles with one warning AZC3071 at each $url, and --strict makes each an error", async () => {
    const loose = await compile({ inputs: [FIXTURE], emit: false });
    expect(brief(loose.diagnostics)).toEqual(["warning AZC3071 37:20", "warning AZC3071 41:19", "warning AZC3071 42:27", "warning AZC3071 52:27"]);
    expect(loose.diagnostics[0]!.message).toBe(
      "'$url' in a parameter value (the request has not been sent yet) is the URL this request is sent to, built before the body and the headers",
    );
    expect(loose.diagnostics[1]!.fix).toContain("read $url where the request has been sent");
    const strict = await compile({ inputs: [FIXTURE], emit: false, strict: true });
    expect(brief(strict.diagnostics)).toEqual(["error AZC3071 37:20", "error AZC3071 41:19", "error AZC3071 42:27", "error AZC3071 52:27"]);
  });

  /** The diagnostics of a document with one workflow of these steps, against the fixture's jobs description. */
  async function diagnosticsOf(workflow: object): Promise<Diagnostic[]> {
    const file = join(temp, `case-${Math.random().toString(36).slice(2)}.arazzo.json`);
    const document = {
      arazzo: "1.0.1",
      info: { title: "Case", version: "1.0.0" },
      sourceDescriptions: [{ name: "jobs", url: "./jobs.openapi.yaml", type: "openapi" }],
      workflows: [{ workflowId: "case", ...workflow }],
    };
    writeFileSync(file, JSON.stringify(document));
    return (await compile({ inputs: [file], cwd: temp, emit: false })).diagnostics;
  }
  const submit = (parameters: object[]) => ({ stepId: "submit", operationId: "submitJob", parameters: [{ name: "queue", in: "path", value: "q" }, ...parameters] });

  it("in a path or query value it would be a part of itself: error AZC3070, naming where", async () => {
    for (const where of ["path", "query"]) {
      const parameter = { name: where === "path" ? "queue" : "priority", in: where, value: "{$url}" };
      const steps = [where === "path" ? { stepId: "submit", operationId: "submitJob", parameters: [parameter] } : submit([parameter])];
      const list = await diagnosticsOf({ steps });
      expect(list.map((d) => `${d.code} ${d.message}`)).toContain(`AZC3070 '$url' in a ${where} parameter would be a part of the URL it stands for`);
      expect(list.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["AZC3070"]);
    }
  });

  it("a cookie value may read it, like a header", async () => {
    const list = await diagnosticsOf({ steps: [submit([{ name: "origin", in: "cookie", value: "$url" }])] });
    expect(list.map((d) => d.code)).toEqual(["AZC3071"]);
  });

  it("where no request is sent, or it has been sent by every step, it is still unavailable (AZC3009)", async () => {
    // A workflow output (after the last step), a workflow-level parameter (steps that call workflows inherit it
    // too), a step that calls a workflow.
    const output = await diagnosticsOf({ steps: [submit([])], outputs: { url: "$url" } });
    expect(output.map((d) => d.code)).toEqual(["AZC3009"]);
    const inherited = await diagnosticsOf({ parameters: [{ name: "X-Request-Url", in: "header", value: "$url" }], steps: [submit([])] });
    expect(inherited.map((d) => d.code)).toEqual(["AZC3009"]);
    const called = await diagnosticsOf({
      steps: [{ stepId: "again", workflowId: "case", parameters: [{ name: "self", value: "$url" }] }],
    });
    expect(called.map((d) => d.code)).toContain("AZC3009");
  });
});
