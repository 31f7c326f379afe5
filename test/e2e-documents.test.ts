// The documents fixture (fixtures/cases/documents): a workflow of another Arazzo document, named through an
// arazzo-type source description, called by a step and run as a dependency; its module is imported.
import { afterEach, expect, it } from "vitest";
import { checkout, stockAfterLogin } from "../out/cases/checkout.arazzo.js";
import { WorkflowError, type StepEvent } from "../out/cases/runtime.js";
import { startServer, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function shop(): Promise<TestServer> {
  server = await startServer((r) => {
    if (r.path === "/shop/login") {
      const form = new URLSearchParams(r.body);
      return form.get("password") === "pw-123" ? { status: 200, body: { token: `t-${form.get("user")}` } } : { status: 401, body: "no" };
    }
    if (r.headers["x-session"] !== "t-ann") return { status: 401, body: "no session" };
    if (r.path === "/shop/orders") return { status: 201, body: { id: 77 } };
    if (r.path === "/shop/stock") return { status: 200, body: { level: 5 } };
    return { status: 404, body: "no" };
  });
  return server;
}

it("calls the other document's login workflow as a step", async () => {
  const s = await shop();
  const events: StepEvent[] = [];
  const out = await checkout(
    { user: "ann", password: "pw-123", petId: 3 },
    { baseUrl: s.url, hooks: { onStep: (e) => void events.push(e) } },
  );
  expect(out).toEqual({ orderId: 77 });
  expect(events.map((e) => `${e.workflowId}/${e.stepId}`)).toEqual(["login/login", "checkout/signIn", "checkout/order"]);
});

it("runs the other document's workflow as a dependency, with inputs from inputsByWorkflowId", async () => {
  const s = await shop();
  const out = await stockAfterLogin({}, { baseUrl: s.url, inputsByWorkflowId: { login: { user: "ann", password: "pw-123" } } });
  expect(out).toEqual({ level: 5 });
});

it("checks the called workflow's inputs against its own schema", async () => {
  const s = await shop();
  const error = (await stockAfterLogin({}, { baseUrl: s.url }).catch((e: unknown) => e)) as WorkflowError;
  expect(error).toBeInstanceOf(WorkflowError);
  expect(error.reason).toBe("inputs");
  expect(error.message).toContain("/user is required");
});
