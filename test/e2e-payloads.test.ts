// The payloads fixture (fixtures/cases/payloads): JSON string templates (reference §8 #13), JSON text with
// values embedded outside strings, form templates with encoded values, and payload replacements.
import { afterEach, expect, it } from "vitest";
import { matchEmbedded, sendPayloads } from "../out/cases/payloads.arazzo.js";
import { WorkflowError } from "../out/cases/runtime.js";
import { startServer, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function echo(): Promise<TestServer> {
  server = await startServer((r) =>
    r.path === "/echo/form"
      ? { status: 200, headers: { "content-type": "text/plain" }, body: r.body }
      : { status: 200, body: JSON.parse(r.body) as unknown },
  );
  return server;
}

it("sends each kind of payload as the document describes it", async () => {
  const s = await echo();
  const out = await sendPayloads(
    { name: "Zoë & co", count: 3, tags: ["a", "b"], order: { lines: [{ sku: "x" }] } },
    { servers: { echo: `${s.url}/echo` } },
  );
  // Whole-string values keep their types; a value inside a longer string is text.
  expect(out.jsonTemplate).toEqual({ name: "Zoë & co", count: 3, tags: ["a", "b"], note: "hello Zoë & co" });
  expect(out.jsonText).toEqual({ count: 3, name: "Zoë & co" });
  // Each value of a form template is URL-encoded.
  expect(out.formTemplate).toBe("name=Zo%C3%AB%20%26%20co&count=3");
  expect(new URLSearchParams(out.formTemplate as string).get("name")).toBe("Zoë & co");
  expect(out.replaceStructured).toEqual({ name: "Zoë & co", items: ["a", "b"], nested: { level: 3 } });
  expect(out.replaceDynamic).toEqual({ lines: [{ sku: "x" }, { sku: "extra" }], quantity: 3 });
  expect(s.requests.map((r) => r.headers["content-type"])).toEqual([
    "application/json",
    "application/json",
    "application/x-www-form-urlencoded",
    "application/json",
    "application/json",
  ]);
});

it("leaves the caller's payload untouched by replacements", async () => {
  const s = await echo();
  const order = { lines: [{ sku: "x" }] };
  await sendPayloads({ name: "n", count: 1, tags: [], order }, { servers: { echo: `${s.url}/echo` } });
  expect(order).toEqual({ lines: [{ sku: "x" }] });
});

it("puts input values into a JSON text payload as values: no input can add members or break the JSON", async () => {
  const s = await echo();
  const name = 'x", "role": "admin';
  const out = await sendPayloads({ name, count: 1, tags: [], order: {} }, { servers: { echo: `${s.url}/echo` } });
  expect(out.jsonText).toEqual({ count: 1, name });
  expect(out.jsonTemplate).toMatchObject({ name, note: `hello ${name}` });
  expect(Object.keys(out.jsonText as object)).toEqual(["count", "name"]);
});

it("builds criteria with embedded values when the step runs", async () => {
  const s = await echo();
  const options = { servers: { echo: `${s.url}/echo` } };
  await expect(matchEmbedded({ prefix: "abc", name: "tom" }, options)).resolves.toEqual({ id: "abc-42" });
  // The regex no longer matches, then the JSONPath filter selects nothing.
  await expect(matchEmbedded({ prefix: "xyz", name: "tom" }, options)).rejects.toBeInstanceOf(WorkflowError);
  await expect(matchEmbedded({ prefix: "abc", name: "max" }, options)).rejects.toBeInstanceOf(WorkflowError);
  // A value that makes the pattern invalid fails the criterion rather than the run's machinery.
  await expect(matchEmbedded({ prefix: "(", name: "tom" }, options)).rejects.toMatchObject({ reason: "criteria" });
});
