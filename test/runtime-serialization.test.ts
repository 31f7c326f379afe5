// How the runtime builds requests: parameters in every OpenAPI 3.1 style (the specification's "Style
// Examples" table, row by row), percent-encoding and allowReserved, request bodies in each media type, and
// response decoding by content type. Requests go through WorkflowRun.send, to a fetch stub that records
// them or to a real server on 127.0.0.1 that records the bytes it got.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WorkflowError, WorkflowRun, type RequestParameter, type StepRequest, type WorkflowOptions } from "../runtime/runtime.js";
import { readStock } from "../out/cases/shop-flows.arazzo.js";
import { WorkflowError as GeneratedWorkflowError } from "../out/cases/runtime.js";

interface Sent {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: RequestInit["body"];
}

/** Sends one request through WorkflowRun.send to a fetch stub; returns what fetch was given. */
async function sendThroughStub(request: Partial<StepRequest>, options: WorkflowOptions = {}): Promise<Sent> {
  const sent: Sent[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({
      url: String(url),
      method: init?.method ?? "GET",
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body,
    });
    return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;
  const run = WorkflowRun.start({ workflowId: "w", secretInputs: [] }, { servers: { api: "http://api.test" }, fetch, ...options }, {});
  const response = await run.send("s", { source: "api", method: "GET", path: "/p", parameters: [], ...request });
  expect(response.error).toBeUndefined();
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

const param = (p: Omit<RequestParameter, "name"> & { name?: string }): RequestParameter => ({ name: "color", ...p });

/** The path and query of a URL the stub got, as sent (no normalisation). */
const afterHost = (url: string) => url.slice("http://api.test".length);

// OpenAPI 3.1.2, "Style Examples": color = "blue" | ["blue", "black", "brown"] | { R: 100, G: 200, B: 150 }.
// The "undefined" column is what null, [] and {} give (RFC 6570 undefined values). undefined = n/a.
const VALUES = { undefined: null, string: "blue", array: ["blue", "black", "brown"], object: { R: 100, G: 200, B: 150 } } as const;
type Column = keyof typeof VALUES;
type Row = readonly [style: string, explode: boolean, cells: Partial<Record<Column, string>>];
const TABLE: readonly Row[] = [
  ["matrix", false, { undefined: ";color", string: ";color=blue", array: ";color=blue,black,brown", object: ";color=R,100,G,200,B,150" }],
  [
    "matrix",
    true,
    { undefined: ";color", string: ";color=blue", array: ";color=blue;color=black;color=brown", object: ";R=100;G=200;B=150" },
  ],
  ["label", false, { undefined: ".", string: ".blue", array: ".blue,black,brown", object: ".R,100,G,200,B,150" }],
  ["label", true, { undefined: ".", string: ".blue", array: ".blue.black.brown", object: ".R=100.G=200.B=150" }],
  ["simple", false, { undefined: "", string: "blue", array: "blue,black,brown", object: "R,100,G,200,B,150" }],
  ["simple", true, { undefined: "", string: "blue", array: "blue,black,brown", object: "R=100,G=200,B=150" }],
  ["form", false, { undefined: "color=", string: "color=blue", array: "color=blue,black,brown", object: "color=R,100,G,200,B,150" }],
  ["form", true, { undefined: "color=", string: "color=blue", array: "color=blue&color=black&color=brown", object: "R=100&G=200&B=150" }],
  ["spaceDelimited", false, { array: "color=blue%20black%20brown", object: "color=R%20100%20G%20200%20B%20150" }],
  ["pipeDelimited", false, { array: "color=blue%7Cblack%7Cbrown", object: "color=R%7C100%7CG%7C200%7CB%7C150" }],
  ["deepObject", true, { object: "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150" }],
];

const cases = TABLE.flatMap(([style, explode, cells]) =>
  (Object.entries(cells) as [Column, string][]).map(([column, expected]) => ({ style, explode, column, expected })),
);

describe("the OpenAPI 3.1 style examples table", () => {
  it.each(cases.filter((c) => ["matrix", "label", "simple"].includes(c.style)))(
    "path, $style, explode $explode, $column: $expected",
    async ({ style, explode, column, expected }) => {
      // A prefix in the segment: label's "." alone would be a dot-segment, refused (see "path values").
      const sent = await sendThroughStub({
        path: "/p/c{color}",
        parameters: [param({ in: "path", value: VALUES[column], style, explode })],
      });
      expect(afterHost(sent.url)).toBe(`/p/c${expected}`);
    },
  );

  it.each(cases.filter((c) => !["matrix", "label", "simple"].includes(c.style)))(
    "query, $style, explode $explode, $column: $expected",
    async ({ style, explode, column, expected }) => {
      const sent = await sendThroughStub({ parameters: [param({ in: "query", value: VALUES[column], style, explode })] });
      expect(afterHost(sent.url)).toBe(`/p?${expected}`);
    },
  );

  it.each(cases.filter((c) => c.style === "simple"))("header, simple, explode $explode, $column: $expected", async (c) => {
    const sent = await sendThroughStub({
      parameters: [param({ in: "header", value: VALUES[c.column], style: "simple", explode: c.explode })],
    });
    expect(sent.headers["color"]).toBe(c.expected);
  });

  // Cookies use form, but pairs are separated by "; " as cookies are: "&" is never right in a Cookie header
  // (OpenAPI 3.1.2, Appendix D).
  it.each([
    [false, "string", "color=blue"],
    [false, "array", "color=blue,black,brown"],
    [false, "object", "color=R,100,G,200,B,150"],
    [true, "string", "color=blue"],
    [true, "array", "color=blue; color=black; color=brown"],
    [true, "object", "R=100; G=200; B=150"],
    [true, "undefined", "color="],
  ] as const)("cookie, form, explode %s, %s: %s", async (explode, column, expected) => {
    const sent = await sendThroughStub({ parameters: [param({ in: "cookie", value: VALUES[column], style: "form", explode })] });
    expect(sent.headers["cookie"]).toBe(expected);
  });
});

describe("parameter defaults and encoding", () => {
  it("uses each location's default style and explode when the operation declares none", async () => {
    const sent = await sendThroughStub({
      path: "/items/{id}",
      parameters: [
        { in: "path", name: "id", value: ["a", "b"] },
        { in: "query", name: "tag", value: ["x", "y"] },
        { in: "query", name: "filter", value: { size: "L", color: "red" } },
        { in: "header", name: "X-Ids", value: [1, 2] },
        { in: "cookie", name: "pref", value: ["p", "q"] },
      ],
    });
    // path simple, query form exploded, header simple, cookie form exploded.
    expect(afterHost(sent.url)).toBe("/items/a,b?tag=x&tag=y&size=L&color=red");
    expect(sent.headers["x-ids"]).toBe("1,2");
    expect(sent.headers["cookie"]).toBe("pref=p; pref=q");
  });

  it("does not explode spaceDelimited, pipeDelimited or deepObject unless told (explode defaults to true only for form)", async () => {
    const sent = await sendThroughStub({
      parameters: [
        { in: "query", name: "s", value: ["a", "b"], style: "spaceDelimited" },
        { in: "query", name: "p", value: ["a", "b"], style: "pipeDelimited" },
        { in: "query", name: "d", value: { k: "v" }, style: "deepObject" },
      ],
    });
    expect(afterHost(sent.url)).toBe("/p?s=a%20b&p=a%7Cb&d%5Bk%5D=v");
  });

  it("sends primitives of the array-only query styles as form does", async () => {
    const sent = await sendThroughStub({
      parameters: [
        { in: "query", name: "s", value: "one", style: "spaceDelimited" },
        { in: "query", name: "d", value: 7, style: "deepObject", explode: true },
      ],
    });
    expect(afterHost(sent.url)).toBe("/p?s=one&d=7");
  });

  it("percent-encodes everything but unreserved characters in paths and queries, delimiters included", async () => {
    const text = "a b/c?d#e&f=g,h;i+j!'()*~Zoë";
    const sent = await sendThroughStub({
      path: "/x/{v}",
      parameters: [
        { in: "path", name: "v", value: text },
        { in: "query", name: "q", value: text },
        { in: "query", name: "list", value: ["a,b", "c"], explode: false },
        { in: "query", name: "na me", value: "1" },
      ],
    });
    const encoded = "a%20b%2Fc%3Fd%23e%26f%3Dg%2Ch%3Bi%2Bj%21%27%28%29%2A~Zo%C3%AB";
    expect(afterHost(sent.url)).toBe(`/x/${encoded}?q=${encoded}&list=a%2Cb,c&na%20me=1`);
    expect(new URL(sent.url).searchParams.get("q")).toBe(text);
  });

  it("passes reserved characters and percent-encoded triples with allowReserved, but never '#' or other unsafe ones", async () => {
    const sent = await sendThroughStub({
      parameters: [{ in: "query", name: "q", value: "a/b?c=d&e:f@g!h'(i)*j[k]%2Fl#m n%zz", allowReserved: true }],
    });
    expect(afterHost(sent.url)).toBe("/p?q=a/b?c=d&e:f@g!h'(i)*j[k]%2Fl%23m%20n%25zz");
  });

  it("sends header values as they are (no percent-encoding)", async () => {
    const sent = await sendThroughStub({ parameters: [{ in: "header", name: "X-Note", value: 'a b/c,d "e"' }] });
    expect(sent.headers["x-note"]).toBe('a b/c,d "e"');
  });

  it("encodes a lone surrogate as U+FFFD instead of throwing", async () => {
    const sent = await sendThroughStub({ parameters: [{ in: "query", name: "q", value: "a\uD800b" }] });
    expect(afterHost(sent.url)).toBe("/p?q=a%EF%BF%BDb");
  });

  it("leaves out null members of arrays and objects, and sends nested values as JSON", async () => {
    const sent = await sendThroughStub({
      parameters: [
        { in: "query", name: "a", value: ["x", null, "y"], explode: false },
        { in: "query", name: "o", value: { k: { n: 1 }, skip: null }, style: "deepObject" },
      ],
    });
    expect(afterHost(sent.url)).toBe("/p?a=x,y&o%5Bk%5D=%7B%22n%22%3A1%7D");
  });

  it("sends nothing for an unset (undefined) value, and numbers and booleans as text", async () => {
    const sent = await sendThroughStub({
      parameters: [
        { in: "query", name: "gone", value: undefined },
        { in: "query", name: "n", value: 1.5 },
        { in: "query", name: "b", value: false },
        { in: "header", name: "X-Gone", value: undefined },
      ],
    });
    expect(afterHost(sent.url)).toBe("/p?n=1.5&b=false");
    expect(sent.headers["x-gone"]).toBeUndefined();
  });

  it("serializes a parameter declared with content as one text in its media type", async () => {
    const sent = await sendThroughStub({
      path: "/at/{where}",
      parameters: [
        { in: "path", name: "where", value: { lat: 1 }, contentType: "application/json" },
        { in: "query", name: "coordinates", value: { lat: 1, long: 2 }, contentType: "application/json" },
        { in: "header", name: "X-Filter", value: { a: [1] }, contentType: "application/json" },
        { in: "cookie", name: "raw", value: "a b", contentType: "text/plain" },
      ],
    });
    expect(afterHost(sent.url)).toBe("/at/%7B%22lat%22%3A1%7D?coordinates=%7B%22lat%22%3A1%2C%22long%22%3A2%7D");
    expect(sent.headers["x-filter"]).toBe('{"a":[1]}');
    expect(sent.headers["cookie"]).toBe("raw=a b");
  });

  it("adds cookie parameters to a Cookie header given in options, and lets step parameters win over option headers", async () => {
    const sent = await sendThroughStub(
      {
        parameters: [
          { in: "cookie", name: "b", value: "2" },
          { in: "header", name: "x-mode", value: "step" },
        ],
      },
      { headers: { Cookie: "a=1", "X-Mode": "options" } },
    );
    expect(sent.headers["cookie"]).toBe("a=1; b=2");
    expect(sent.headers["x-mode"]).toBe("step");
  });

  it("fails with reason config when a path parameter has no value", async () => {
    const run = WorkflowRun.start({ workflowId: "w", secretInputs: [] }, { servers: { api: "http://api.test" } }, {});
    const error = await run.send("s", { source: "api", method: "GET", path: "/p/{id}", parameters: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).reason).toBe("config");
  });

  it("fails the step before sending, with reason expression, when a value the request needs is absent", async () => {
    let sent = 0;
    const options = { servers: { api: "http://api.test" }, fetch: async () => (sent++, new Response("{}")) };
    const run = WorkflowRun.start({ workflowId: "w", secretInputs: [] }, options, {});
    const api = { name: "api" };
    // A path value that is undefined, with no expression named: the parameter is.
    const bare = await run.request("s", api, "GET", "/p/{id}", { path: { id: undefined } });
    expect(await run.check(bare, true)).toBe(false);
    expect(run.failed(bare)).toMatchObject({
      reason: "expression",
      message: "Workflow w failed at step s: path parameter 'id' has no value; nothing was sent",
    });
    // A value embedded in text, named by its expression; the first absent one in the list.
    const named = await run.request("t", api, "GET", "/p", {
      header: { Authorization: "Bearer " },
      needs: [
        ["$inputs.user", "ann"],
        ["$inputs.token", undefined],
      ],
    });
    expect(run.failed(named)).toMatchObject({
      reason: "expression",
      stepId: "t",
      message: "Workflow w failed at step t: $inputs.token has no value, which the request needs; nothing was sent",
    });
    // An absent whole value of a query or header parameter is left out, as before.
    const omitted = await run.request("u", api, "GET", "/p", { query: { q: undefined }, header: { "X-Note": undefined } });
    expect(omitted.status).toBe(200);
    expect(sent).toBe(1);
  });
});

// --- A real server: the bytes as they arrive --------------------------------------------------------------

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

/** A server on 127.0.0.1 that records each request's bytes and answers with `reply`. */
async function rawServer(reply: (req: Received, res: ServerResponse) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      reply(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closeServer = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const run = (url: string, options: WorkflowOptions = {}) =>
  WorkflowRun.start({ workflowId: "w", secretInputs: [] }, { servers: { api: url }, ...options }, {});

describe("on the wire", () => {
  it("delivers the path and query bytes as built", async () => {
    const s = await rawServer((_, res) => res.writeHead(204).end());
    await run(s.url).send("s", {
      source: "api",
      method: "GET",
      path: "/m/{id}/l/{tags}",
      parameters: [
        { in: "path", name: "id", value: { a: "x y" }, style: "matrix", explode: true },
        { in: "path", name: "tags", value: ["p/q", "r"], style: "label", explode: true },
        { in: "query", name: "f", value: { k: "v" }, style: "deepObject" },
        { in: "query", name: "t", value: ["a", "b"], style: "pipeDelimited" },
      ],
    });
    expect(s.received[0]!.url).toBe("/m/;a=x%20y/l/.p%2Fq.r?f%5Bk%5D=v&t=a%7Cb");
  });
});

describe("request bodies", () => {
  const post = async (contentType: string, value: unknown) => {
    const s = await rawServer((_, res) => res.writeHead(204).end());
    const response = await run(s.url).send("s", {
      source: "api",
      method: "POST",
      path: "/b",
      parameters: [],
      body: { contentType, value },
    });
    expect(response.status).toBe(204);
    return s.received[0]!;
  };

  it("sends JSON media types as JSON text", async () => {
    const r = await post("application/json", { a: [1, "x"], b: null });
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.body.toString()).toBe('{"a":[1,"x"],"b":null}');
    expect((await post("application/merge-patch+json; charset=utf-8", "text")).body.toString()).toBe('"text"');
    expect((await post("application/json", undefined)).body.toString()).toBe("null");
  });

  it("sends an object as application/x-www-form-urlencoded: arrays repeat, nested values as JSON, null empty", async () => {
    const r = await post("application/x-www-form-urlencoded", { a: "x y&z", b: [1, 2], c: { d: 1 }, e: null, f: undefined, g: true });
    expect(r.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(r.body.toString()).toBe("a=x+y%26z&b=1&b=2&c=%7B%22d%22%3A1%7D&e=&g=true");
    const form = new URLSearchParams(r.body.toString());
    expect(form.getAll("b")).toEqual(["1", "2"]);
    expect(JSON.parse(form.get("c")!)).toEqual({ d: 1 });
  });

  it("sends a form string as it is", async () => {
    const r = await post("application/x-www-form-urlencoded", "a=1&b=%20");
    expect(r.body.toString()).toBe("a=1&b=%20");
  });

  it("sends an object as multipart/form-data, with its boundary, files for bytes, JSON for nested values", async () => {
    const r = await post("multipart/form-data", {
      name: "Zoë",
      file: new Blob(["hello"], { type: "text/plain" }),
      bytes: new Uint8Array([0, 1, 255]),
      meta: { a: 1 },
      list: ["x", "y"],
      skipped: undefined,
    });
    expect(r.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Request("http://x", {
      method: "POST",
      headers: { "content-type": r.headers["content-type"]! },
      body: new Uint8Array(r.body),
    }).formData();
    expect(form.get("name")).toBe("Zoë");
    expect(await (form.get("file") as Blob).text()).toBe("hello");
    expect(new Uint8Array(await (form.get("bytes") as Blob).arrayBuffer())).toEqual(new Uint8Array([0, 1, 255]));
    expect(form.get("meta")).toBe('{"a":1}');
    expect(form.getAll("list")).toEqual(["x", "y"]);
    expect(form.has("skipped")).toBe(false);
  });

  it("sends text/plain and XML as text", async () => {
    expect((await post("text/plain", "hello")).body.toString()).toBe("hello");
    expect((await post("text/plain", 42)).body.toString()).toBe("42");
    const xml = await post("application/xml", '<pet id="1"><name>Tom</name></pet>');
    expect(xml.headers["content-type"]).toBe("application/xml");
    expect(xml.body.toString()).toBe('<pet id="1"><name>Tom</name></pet>');
  });

  it("sends application/octet-stream bytes as they are: Uint8Array, ArrayBuffer, Blob, or a string", async () => {
    const bytes = [0, 128, 255, 10];
    for (const value of [
      new Uint8Array(bytes),
      new Uint8Array(bytes).buffer,
      new Blob([new Uint8Array(bytes)]),
      new DataView(new Uint8Array(bytes).buffer),
    ]) {
      const r = await post("application/octet-stream", value);
      expect(r.headers["content-type"]).toBe("application/octet-stream");
      expect([...r.body]).toEqual(bytes);
      await closeServer?.();
      closeServer = undefined;
    }
    expect((await post("application/octet-stream", "raw text")).body.toString()).toBe("raw text");
  });
});

describe("response decoding", () => {
  const get = async (status: number, headers: Record<string, string | string[]>, body: string, method = "GET") => {
    const s = await rawServer((_, res) => res.writeHead(status, headers).end(body));
    return run(s.url).send("s", { source: "api", method, path: "/r", parameters: [] });
  };

  it("parses JSON and every +json media type", async () => {
    expect((await get(200, { "content-type": "application/json; charset=utf-8" }, '{"a":1}')).body).toEqual({ a: 1 });
    expect((await get(200, { "content-type": "application/vnd.api+json" }, "[1,2]")).body).toEqual([1, 2]);
    expect((await get(422, { "content-type": "application/problem+json" }, '{"title":"bad"}')).body).toEqual({ title: "bad" });
    expect((await get(200, { "content-type": "text/json" }, '"s"')).body).toBe("s");
  });

  it("keeps other media types as text", async () => {
    expect((await get(200, { "content-type": "text/plain" }, '{"a":1}')).body).toBe('{"a":1}');
    expect((await get(200, { "content-type": "text/html" }, "<p>hi</p>")).body).toBe("<p>hi</p>");
    expect((await get(200, {}, "no type")).body).toBe("no type");
    expect((await get(200, { "content-type": "application/jsonl" }, "{}\n{}")).body).toBe("{}\n{}");
  });

  it("gives undefined for empty bodies: 204, HEAD, a JSON type with no bytes or only blanks", async () => {
    const noContent = await get(204, { "content-type": "application/json" }, "");
    expect(noContent.status).toBe(204);
    expect(noContent.body).toBeUndefined();
    expect(noContent.error).toBeUndefined();
    expect((await get(200, { "content-type": "application/json" }, "")).body).toBeUndefined();
    expect((await get(200, { "content-type": "application/json" }, " \n")).body).toBeUndefined();
    expect((await get(200, { "content-type": "text/plain" }, "")).body).toBeUndefined();
    const head = await get(200, { "content-type": "application/json", "content-length": "7" }, "", "HEAD");
    expect(head.body).toBeUndefined();
    expect(head.error).toBeUndefined();
  });

  it("reads headers case-insensitively, repeated ones joined", async () => {
    const r = await get(200, { "X-Request-Id": "abc", "x-multi": ["1", "2"] }, "");
    expect(r.header("x-request-id")).toBe("abc");
    expect(r.header("X-REQUEST-ID")).toBe("abc");
    expect(r.headers["x-multi"]).toBe("1, 2");
    expect(r.header("x-absent")).toBeUndefined();
    expect(r.header("not a header name")).toBeUndefined();
  });

  it("marks a JSON body that does not parse: the response carries an error of reason response", async () => {
    const r = await get(200, { "content-type": "application/json" }, '{"level": 3,');
    expect(r.status).toBe(200);
    expect(r.body).toBe('{"level": 3,');
    expect(r.error).toBeInstanceOf(WorkflowError);
    expect(r.error!.reason).toBe("response");
    expect(r.error!.status).toBe(200);
    expect(r.error!.bodyExcerpt).toBe('{"level": 3,');
  });

  it("fails a generated workflow's step with reason response on a malformed JSON body", async () => {
    const s = await rawServer((_, res) => res.writeHead(200, { "content-type": "application/json" }).end("{not json"));
    const error = (await readStock({ token: "t" }, { baseUrl: s.url }).catch((e: unknown) => e)) as GeneratedWorkflowError;
    expect(error).toBeInstanceOf(GeneratedWorkflowError);
    // The workflow's give-up failure action ends the run; the reason is the response's.
    expect(error.reason).toBe("response");
    expect(error.stepId).toBe("stock");
    expect(error.status).toBe(200);
    expect(error.bodyExcerpt).toBe("{not json");
  });
});
