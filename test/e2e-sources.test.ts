// The sources fixture (fixtures/cases/sources): a Swagger 2.0 and an OpenAPI 3.0 description in one
// document, qualified operationIds, an operationPath, collectionFormat, body and formData parameters.
import { afterEach, expect, it } from "vitest";
import { reserveAndBill } from "../out/cases/two-sources.arazzo.js";
import { startServer, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

it("calls both sources with their own serialization rules", async () => {
  server = await startServer((r) => {
    if (r.path === "/v1/items") return { status: 200, body: [{ id: "it-1", stock: 4 }] };
    if (r.path === "/v1/items/it-1/reserve") return { status: 200, body: { reservationId: "res-9" } };
    if (r.path === "/v1/notes") return { status: 204 };
    if (r.path === "/api/invoices") return { status: 201, body: { invoiceId: "inv-3", total: null } };
    return { status: 404, body: "no" };
  });
  const s = server;
  const out = await reserveAndBill(
    { apiKey: "key-123", itemIds: ["it-1", "it-2"] },
    { servers: { inventory: `${s.url}/v1`, billing: `${s.url}/api` } },
  );
  expect(out).toEqual({ reservationId: "res-9", invoiceId: "inv-3", total: null });
  const [list, reserve, note, bill] = s.requests;
  // collectionFormat csv and multi.
  expect(list!.query.get("ids")).toBe("it-1,it-2");
  expect(list!.query.getAll("tag")).toEqual(["new", "sale"]);
  expect(list!.headers["x-api-key"]).toBe("key-123");
  // The body parameter of Swagger 2.0, with the document's consumes.
  expect(reserve!.method).toBe("POST");
  expect(reserve!.headers["content-type"]).toBe("application/json");
  expect(JSON.parse(reserve!.body)).toEqual({ quantity: 1 });
  // formData parameters as an x-www-form-urlencoded body.
  expect(note!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  expect(new URLSearchParams(note!.body).get("text")).toBe("reserved res-9");
  expect(JSON.parse(bill!.body)).toEqual({ reservation: "res-9" });
});

it("fills server variables from their defaults or the caller's serverVariables", async () => {
  const urls: string[] = [];
  const fetchStub: typeof fetch = async (input) => {
    const url = String(input);
    urls.push(url);
    if (url.includes("/items/") && url.endsWith("/reserve")) return Response.json({ reservationId: "r" });
    if (url.endsWith("/notes")) return new Response(null, { status: 204 });
    if (url.includes("/invoices")) return Response.json({ invoiceId: "i", total: 1 }, { status: 201 });
    return Response.json([{ id: "a", stock: 1 }]);
  };
  await reserveAndBill({ apiKey: "k", itemIds: ["a"] }, { fetch: fetchStub });
  expect(urls.at(-1)).toBe("https://eu.billing.example/api/invoices");
  await reserveAndBill({ apiKey: "k", itemIds: ["a"] }, { fetch: fetchStub, serverVariables: { billing: { region: "us" } } });
  expect(urls.at(-1)).toBe("https://us.billing.example/api/invoices");
  // Swagger 2.0: scheme, host and basePath.
  expect(urls[0]).toBe("https://inventory.example/v1/items?ids=a&tag=new&tag=sale");
});
