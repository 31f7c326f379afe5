// The workflow-results fixture (fixtures/cases/flows) against a local shop server: `$workflows.<id>.outputs`
// and `.inputs` of a dependency and of a workflow a step called, and `$statusCode` in a step that calls a
// workflow (the status of the last response that workflow received).
import { afterEach, describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { stockForAccounts, stockReport, stockTwice, type StockReportOutputs, type StockTwiceOutputs } from "../out/cases/workflow-results.arazzo.js";
import { WorkflowError } from "../out/cases/runtime.js";
import { startServer, type Recorded, type Reply, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The shop: a login that hands out token `tok-ann`, and stock levels answered in turn (the last one repeats). */
async function shop(stock: Reply[]): Promise<TestServer> {
  const answers = [...stock];
  server = await startServer((r: Recorded): Reply => {
    if (r.path === "/shop/login") return { status: 200, body: { token: "tok-ann" } };
    if (r.path === "/shop/stock")
      return r.headers["x-session"] === "tok-ann" ? (answers.length > 1 ? answers.shift()! : answers[0]!) : { status: 401, body: "no session" };
    return { status: 404, body: "not found" };
  });
  return server;
}

describe("stockReport", () => {
  it("reads the dependency's outputs, the called workflow's outputs and inputs, and the call's status", async () => {
    const s = await shop([
      { status: 200, body: { level: 7 } },
      { status: 200, body: { level: 5 } },
    ]);
    const out = await stockReport({}, { baseUrl: s.url });
    expect(out).toEqual({ token: "tok-ann", firstLevel: 7, calledWith: "tok-ann", status: 200, level: 5 });
    // The second read sends the token the called workflow ran with.
    expect(s.requests.map((r) => `${r.path} ${r.headers["x-session"] ?? "-"}`)).toEqual([
      "/shop/login -",
      "/shop/stock tok-ann",
      "/shop/stock tok-ann",
    ]);
  });

  it("fails the calling step when the called workflow's last status is not the one its criteria ask for", async () => {
    // 203 passes stock-level's own criteria, not check's $statusCode == 200.
    const s = await shop([{ status: 203, body: { level: 1 } }]);
    const error = await stockReport({}, { baseUrl: s.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).stepId).toBe("check");
    expect((error as WorkflowError).reason).toBe("criteria");
    expect(s.requests).toHaveLength(2);
    // The outputs that could be evaluated there: the dependency's token; nothing of the failed call.
    expect((error as WorkflowError<StockReportOutputs>).outputs).toEqual({ token: "tok-ann" });
  });
});

describe("stockTwice", () => {
  const secret = "tok-ann";

  it("an end failure action still evaluates the outputs it can, and puts them on the error", async () => {
    const s = await shop([
      { status: 200, body: { level: 7 } },
      { status: 500, body: `session ${secret} expired` },
    ]);
    const error = await stockTwice({ env: { AUTH_TOKEN: secret } }, { baseUrl: s.url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    const e = error as WorkflowError<StockTwiceOutputs>;
    expect(e.stepId).toBe("second");
    expect(e.outputs.first).toBe(7);
    expect("second" in e.outputs).toBe(true);
    expect(JSON.parse(JSON.stringify(e)).outputs).toEqual({ first: 7 });
  });

  it("redacts a nested input marked format: password wherever a top-level one is", async () => {
    const s = await shop([{ status: 500, body: `session ${secret} expired` }]);
    const error = (await stockTwice({ env: { AUTH_TOKEN: secret } }, { baseUrl: s.url }).catch((e: unknown) => e)) as WorkflowError;
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error.bodyExcerpt).toBe("session [redacted] expired");
    for (const shown of [error.message, JSON.stringify(error), inspect(error)]) expect(shown).not.toContain(secret);
    // Hooks see the header redacted too: the value is a secret wherever it is sent.
    const seen: string[] = [];
    await stockTwice({ env: { AUTH_TOKEN: secret } }, { baseUrl: s.url, hooks: { onRequest: (event) => void seen.push(JSON.stringify(event)) } }).catch(
      () => undefined,
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const event of seen) expect(event).not.toContain(secret);
  });
});

describe("stockForAccounts", () => {
  it("redacts a format: password member of array items in every item, wherever a top-level secret is", async () => {
    const accounts = [
      { user: "ann", token: "tok-ann" },
      { user: "bob", token: "tok-bob-42" },
    ];
    const s = await shop([{ status: 500, body: "sessions tok-ann and tok-bob-42 of ann and bob expired" }]);
    const seen: string[] = [];
    const error = (await stockForAccounts({ accounts }, { baseUrl: s.url, hooks: { onRequest: (event) => void seen.push(JSON.stringify(event)) } }).catch(
      (e: unknown) => e,
    )) as WorkflowError;
    expect(error).toBeInstanceOf(WorkflowError);
    // The first token was sent, the second never was: both are secrets; the users are not.
    expect(s.requests.map((r) => r.headers["x-session"])).toEqual(["tok-ann"]);
    expect(error.bodyExcerpt).toBe("sessions [redacted] and [redacted] of ann and bob expired");
    for (const shown of [error.message, JSON.stringify(error), inspect(error), ...seen])
      for (const token of ["tok-ann", "tok-bob-42"]) expect(shown).not.toContain(token);
  });
});
