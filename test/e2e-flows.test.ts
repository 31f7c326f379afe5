// The shop-flows fixture (fixtures/cases/flows) against a local shop server: dependsOn, a step calling a
// workflow, reusable components, workflow-level parameters and actions, retries with and without a detour.
import { afterEach, describe, expect, it } from "vitest";
import { buyPet, login, readStock, stockOrLogin } from "../out/cases/shop-flows.arazzo.js";
import { WorkflowError, type StepEvent, type WorkflowOptions } from "../out/cases/runtime.js";
import { startServer, type Recorded, type Reply, type TestServer } from "./support/json-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Shop {
  pets?: unknown[];
  order?: Reply;
  stock?: Reply[];
}

async function shop(config: Shop): Promise<TestServer> {
  const stock = [...(config.stock ?? [{ status: 200, body: { level: 7 } }])];
  server = await startServer((r: Recorded): Reply => {
    if (r.path === "/shop/login" && r.method === "POST") {
      const form = new URLSearchParams(r.body);
      return form.get("password") === "s3cret!"
        ? { status: 200, body: { token: `tok-${form.get("user")}` } }
        : { status: 401, body: "bad login" };
    }
    if (r.headers["x-session"] === undefined) return { status: 401, body: "no session" };
    if (r.path === "/shop/pets") return { status: 200, body: config.pets ?? [{ id: 12, name: "Tom" }] };
    if (r.path === "/shop/orders") return config.order ?? { status: 201, body: { id: 501, status: "placed" } };
    if (r.path === "/shop/stock") return stock.length > 1 ? stock.shift()! : stock[0]!;
    return { status: 404, body: "not found" };
  });
  return server;
}

const credentials = { login: { user: "ann", password: "s3cret!" } };
const options = (s: TestServer, extra: WorkflowOptions = {}): WorkflowOptions => ({
  baseUrl: s.url,
  inputsByWorkflowId: credentials,
  ...extra,
});

describe("buyPet", () => {
  it("runs its dependency first, then calls place-order with the dependency's token", async () => {
    const s = await shop({});
    const events: StepEvent[] = [];
    const out = await buyPet({ status: "available" }, options(s, { hooks: { onStep: (e) => void events.push(e) } }));
    expect(out).toEqual({ petName: "Tom", orderId: 501 });
    expect(events.map((e) => `${e.workflowId}/${e.stepId}:${e.outcome}`)).toEqual([
      "login/login:success",
      "buy-pet/find:success",
      "place-order/place:success",
      "buy-pet/order:success",
    ]);
    const [loginRequest, find, order] = s.requests;
    expect(loginRequest!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(loginRequest!.body).toBe("user=ann&password=s3cret%21");
    // Workflow-level reusable parameter, reusable page with its value overridden, form explode=false array.
    expect(find!.headers["x-session"]).toBe("tok-ann");
    expect(find!.query.get("page")).toBe("1");
    expect(find!.query.get("status")).toBe("available");
    expect(find!.query.get("tags")).toBe("cat,small");
    expect(order!.headers["x-session"]).toBe("tok-ann");
    expect(JSON.parse(order!.body)).toEqual({ petId: 12, quantity: 1 });
  });

  it("ends early through a success action when no pet is found: orderId is absent", async () => {
    const s = await shop({ pets: [] });
    const out = await buyPet({ status: "available" }, options(s));
    expect(out).toEqual({});
    expect(s.requests.map((r) => r.path)).toEqual(["/shop/login", "/shop/pets"]);
  });

  it("fails at the calling step when the called workflow fails (sold out ends place-order)", async () => {
    const s = await shop({ order: { status: 409, body: "sold out" } });
    const error = await buyPet({ status: "available" }, options(s)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    const e = error as WorkflowError;
    expect(e.workflowId).toBe("buy-pet");
    expect(e.stepId).toBe("order");
    expect(e.status).toBe(409);
    expect(e.message).toContain("sold-out");
  });

  it("fails without running any step when its dependency fails, and never shows the password", async () => {
    const s = await shop({});
    const error = await buyPet(
      { status: "available" },
      { baseUrl: s.url, inputsByWorkflowId: { login: { user: "ann", password: "wrong-password" } } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    const e = error as WorkflowError;
    expect(e.workflowId).toBe("buy-pet");
    expect(e.status).toBe(401);
    expect(e.message).toContain("dependency login failed");
    expect(e.message).not.toContain("wrong-password");
    expect(s.requests).toHaveLength(1);
  });
});

describe("readStock", () => {
  it("retries while the service answers 503, waiting retryAfter (or Retry-After) between attempts", async () => {
    const s = await shop({
      stock: [{ status: 503, headers: { "retry-after": "0" } }, { status: 503 }, { status: 200, body: { level: 3 } }],
    });
    const out = await readStock({ token: "t" }, options(s));
    expect(out).toEqual({ level: 3 });
    expect(s.requests.filter((r) => r.path === "/shop/stock")).toHaveLength(3);
    // The workflow-level parameter reaches every step.
    expect(s.requests.every((r) => r.headers["x-session"] === "t")).toBe(true);
  });

  it("falls through to the workflow's give-up action when the retry budget is exhausted", async () => {
    const s = await shop({ stock: [{ status: 503 }] });
    const error = (await readStock({ token: "t" }, options(s)).catch((e: unknown) => e)) as WorkflowError;
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error.stepId).toBe("stock");
    expect(error.message).toContain("give-up");
    // The first attempt and three retries.
    expect(s.requests.filter((r) => r.path === "/shop/stock")).toHaveLength(4);
  });

  it("runs the retry's step first, then retries the failing step", async () => {
    const s = await shop({ stock: [{ status: 500 }, { status: 200, body: { level: 9 } }] });
    const out = await readStock({ token: "t" }, options(s));
    expect(out).toEqual({ level: 9 });
    expect(s.requests.map((r) => `${r.path}${r.query.get("status") ? `?${r.query.get("status")}` : ""}`)).toEqual([
      "/shop/stock",
      "/shop/pets?ping",
      "/shop/stock",
      "/shop/pets?ping",
    ]);
  });

  it("treats a refused connection as a step failure the failure actions see", async () => {
    const s = await shop({});
    const url = s.url;
    await s.close();
    server = undefined;
    const error = (await readStock({ token: "t" }, { baseUrl: url }).catch((e: unknown) => e)) as WorkflowError;
    expect(error).toBeInstanceOf(WorkflowError);
    // No status matched the retry criteria, so the workflow-level give-up action ended the run.
    expect(error.message).toContain("got no response");
    expect(error.message).toContain("give-up");
  });
});

describe("login", () => {
  it("sends the form body and returns the token", async () => {
    const s = await shop({});
    expect(await login({ user: "bob", password: "s3cret!" }, { baseUrl: s.url })).toEqual({ token: "tok-bob" });
  });
});

describe("stockOrLogin", () => {
  it("returns its own outputs when the step succeeds", async () => {
    const s = await shop({});
    expect(await stockOrLogin({ token: "t" }, options(s))).toEqual({ level: 7 });
  });

  it("hands over to the login workflow on 401: login's result is the result, and no later step runs", async () => {
    const s = await shop({ stock: [{ status: 401, body: "expired" }] });
    const events: StepEvent[] = [];
    const out = await stockOrLogin({ token: "old" }, options(s, { hooks: { onStep: (e) => void events.push(e) } }));
    expect(out).toEqual({ token: "tok-ann" });
    expect(events.map((e) => `${e.workflowId}/${e.stepId}:${e.outcome}`)).toEqual(["stock-or-login/stock:failure", "login/login:success"]);
  });

  it("fails with the other workflow's failure", async () => {
    const s = await shop({ stock: [{ status: 401, body: "expired" }] });
    const error = (await stockOrLogin(
      { token: "old" },
      { baseUrl: s.url, inputsByWorkflowId: { login: { user: "ann", password: "nope" } } },
    ).catch((e: unknown) => e)) as WorkflowError;
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error.workflowId).toBe("login");
    expect(error.status).toBe(401);
  });
});
