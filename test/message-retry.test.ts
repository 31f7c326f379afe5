// Retries of a receive step in a compiled module (Arazzo 1.1 over AsyncAPI, in-memory transport): the step's
// subscription stays open from one attempt to the next, so a message that arrives while the retry waits (or while
// the step the retry runs first is running) is taken by the next attempt, and no attempt sees the message an earlier
// one took. The retry's wait goes through the executor, which lets the test deliver during it, deterministically.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import type { MemoryTransport } from "../runtime/runtime-messages.js";
import type { StepEvent, WorkflowExecutor } from "../runtime/runtime.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-message-retry-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

// The application's view: it receives orders and sends their confirmations.
const ORDERS = `asyncapi: 3.0.0
info: { title: Orders, version: "1" }
channels:
  orders:
    address: orders
    messages:
      order: { payload: { type: object, properties: { petId: { type: integer } } } }
  confirmations:
    address: confirmations
    messages:
      confirmation:
        correlationId: { location: "$message.header#/requestId" }
        payload: { type: object, properties: { status: { type: string } } }
operations:
  placeOrder: { action: receive, channel: { $ref: "#/channels/orders" } }
  confirmOrder: { action: send, channel: { $ref: "#/channels/confirmations" } }
`;

/** The workflow: send the order, then wait for its confirmation, retrying the wait (first resending, with `nudge`). */
function workflow(retry: Record<string, unknown>) {
  return {
    arazzo: "1.1.0",
    info: { title: "retry", version: "1.0.0" },
    sourceDescriptions: [{ name: "orders", url: "./orders.asyncapi.yaml", type: "asyncapi" }],
    workflows: [
      {
        workflowId: "order",
        inputs: { type: "object", required: ["requestId"], properties: { requestId: { type: "string" } } },
        steps: [
          {
            stepId: "place",
            operationId: "placeOrder",
            action: "send",
            parameters: [{ name: "requestId", in: "header", value: "$inputs.requestId" }],
            requestBody: { payload: { petId: 7 } },
          },
          {
            stepId: "confirm",
            operationId: "confirmOrder",
            action: "receive",
            timeout: 5000,
            correlationId: "$inputs.requestId",
            successCriteria: [{ condition: "$message.payload#/status == 'confirmed'" }],
            onFailure: [{ name: "again", type: "retry", retryLimit: 3, ...retry }],
            outputs: { status: "$message.payload#/status" },
          },
        ],
        outputs: { status: "$steps.confirm.outputs.status" },
      },
    ],
  };
}

interface OrderModule {
  order(inputs: { requestId: string }, options: object): Promise<{ status?: string }>;
}

/** Compiles the document, type-checks the module under the strict settings and imports it with its runtime. */
async function build(name: string, retry: Record<string, unknown>) {
  const folder = join(temp, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "orders.asyncapi.yaml"), ORDERS);
  writeFileSync(join(folder, "doc.arazzo.json"), JSON.stringify(workflow(retry), null, 2));
  const result = await compile({ inputs: [join(folder, "doc.arazzo.json")], cwd: folder });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  for (const [file, text] of result.files) writeFileSync(join(folder, file), text);
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    join(folder, "tsconfig.json"),
    JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./*.ts"] }),
  );
  const checked = await execa(resolve("node_modules/.bin/tsc"), ["-p", join(folder, "tsconfig.json")], { reject: false });
  expect(checked.stdout + checked.stderr).toBe("");
  const module = (await import(pathToFileURL(join(folder, "doc.arazzo.ts")).href)) as OrderModule;
  const messages = (await import(pathToFileURL(join(folder, "runtime-messages.ts")).href)) as {
    createMemoryTransport: (options?: object) => MemoryTransport;
  };
  const runtime = (await import(pathToFileURL(join(folder, "runtime.ts")).href)) as { inProcessExecutor: WorkflowExecutor };
  return { module, source: result.files.get("doc.arazzo.ts") ?? "", ...messages, ...runtime };
}

const status = (value: string) => ({ headers: { requestId: "r-1" }, payload: { status: value } });

describe("a receive step retried by its failure action", () => {
  it("takes, in its next attempt, the message that arrived while the retry waited", async () => {
    const { module, createMemoryTransport, inProcessExecutor } = await build("wait", { retryAfter: 30 });
    // The order service first reports the order pending, then confirms it: the confirmation comes during the wait.
    const transport = createMemoryTransport({
      respond: (_sent: unknown, t: MemoryTransport) => t.deliver("confirmations", status("pending")),
    });
    const waits: number[] = [];
    const executor: WorkflowExecutor = {
      ...inProcessExecutor,
      sleep: async (ms) => {
        waits.push(ms);
        expect(transport.subscribers("confirmations")).toBe(1);
        transport.deliver("confirmations", status("confirmed"));
      },
    };
    const steps: StepEvent[] = [];
    const outputs = await module.order(
      { requestId: "r-1" },
      { transports: { orders: transport }, executor, hooks: { onStep: (event: StepEvent) => void steps.push(event) } },
    );
    expect(outputs).toEqual({ status: "confirmed" });
    expect(waits).toEqual([30_000]);
    expect(steps.map((s) => [s.stepId, s.outcome])).toEqual([
      ["place", "success"],
      ["confirm", "failure"],
      ["confirm", "success"],
    ]);
    expect(transport.subscribers("confirmations")).toBe(0);
  });

  it("keeps the subscription open through the step the retry runs first, whose message makes the confirmation be sent", async () => {
    const { module, source, createMemoryTransport } = await build("detour", { stepId: "place" });
    expect(source).toContain('run.retrying("confirm");');
    // The order service confirms only an order sent twice: the second send comes from the retry's detour.
    let orders = 0;
    const transport = createMemoryTransport({
      respond: (_sent: unknown, t: MemoryTransport) => t.deliver("confirmations", status(++orders === 1 ? "pending" : "confirmed")),
    });
    const steps: StepEvent[] = [];
    const outputs = await module.order(
      { requestId: "r-1" },
      { transports: { orders: transport }, hooks: { onStep: (event: StepEvent) => void steps.push(event) } },
    );
    expect(outputs).toEqual({ status: "confirmed" });
    expect(orders).toBe(2);
    expect(steps.map((s) => [s.stepId, s.outcome])).toEqual([
      ["place", "success"],
      ["confirm", "failure"],
      ["confirm", "success"],
    ]);
    expect(transport.subscribers("confirmations")).toBe(0);
  });
});
