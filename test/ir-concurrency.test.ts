// Which steps run concurrently under stepConcurrency "concurrent" (ir/concurrency.ts): one test per rule that keeps
// two consecutive steps apart, on hand-written lowered steps; and the rules as lowering applies them to documents.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { concurrentGroups, type StepOrdering } from "../compiler/ir/concurrency.js";
import { lowerExits } from "../compiler/ir/flow.js";
import type { Action, Cond, Value } from "../compiler/ir/expressions.js";
import type { MessageIr, StepIr } from "../compiler/ir/program.js";
import { UNKNOWN } from "../compiler/ir/types.js";
import { request, status } from "./support/ir-samples.js";

const ROOT = resolve(import.meta.dirname, "..");

const output = (stepId: string, name = "x"): Value => ({ kind: "ref", ref: { kind: "stepOutput", stepId, name, path: [] } });
const equalsOutput = (stepId: string): Cond => ({
  kind: "compare",
  operator: "==",
  left: { kind: "ref", ref: { kind: "stepOutput", stepId, name: "x", path: [] } },
  right: { kind: "literal", value: 1 },
});

interface Spec {
  readonly id: string;
  readonly dependsOn?: string[];
  readonly onSuccess?: Action[];
  readonly onFailure?: Action[];
  /** Replaces the step's lowered parts: its call, criteria, outputs. */
  readonly with?: Partial<Pick<StepIr, "call" | "successCriteria" | "outputs">>;
}

/** Steps lowered as the compiler lowers them: actions to exits with the defaults made explicit, loops marked. */
function steps(specs: readonly Spec[]): StepOrdering[] {
  const exits = lowerExits(specs.map((s) => ({ id: s.id, onSuccess: s.onSuccess ?? [], onFailure: s.onFailure ?? [] })));
  return specs.map((spec, i) => {
    const base = request(spec.id, "GET", `/${spec.id}`, { onSuccess: [...exits[i]!.onSuccess], onFailure: [...exits[i]!.onFailure] });
    return { step: { ...base, ...spec.with }, dependsOn: spec.dependsOn ?? [] };
  });
}

function groupsOf(specs: readonly Spec[], declaresDependsOn = true, detours: string[] = []) {
  return concurrentGroups(steps(specs), declaresDependsOn, detours);
}

const goto = (name: string, stepId: string, criteria: Cond[] = [status(202)]): Action => ({ kind: "goto", name, stepId, criteria });

describe("concurrentGroups", () => {
  it("groups consecutive independent steps and joins them before the step that reads them", () => {
    const result = groupsOf([
      { id: "a" },
      { id: "b" },
      { id: "c" },
      { id: "d", dependsOn: ["a"], with: { outputs: [{ name: "x", value: output("b"), type: UNKNOWN }] } },
    ]);
    expect(result.groups).toEqual([["a", "b", "c"]]);
    expect(result.apart).toEqual([{ step: "d", after: "c", reason: "reads-outputs", of: "b" }]);
  });

  it("a workflow without step dependsOn runs as written: array order is the author's order", () => {
    expect(groupsOf([{ id: "a" }, { id: "b" }], false)).toEqual({ off: "no-depends-on", groups: [], apart: [] });
  });

  it("a step that names a step of the group in dependsOn starts after the group", () => {
    const result = groupsOf([{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a"] }]);
    expect(result.groups).toEqual([["a", "b"]]);
    expect(result.apart).toEqual([{ step: "c", after: "b", reason: "depends-on", of: "a" }]);
  });

  it("a read anywhere counts: parameters, criteria, outputs", () => {
    const inParameter: Spec["with"] = {
      call: { kind: "request", source: "api", method: "GET", path: "/b", parameters: [{ name: "q", in: "query", value: output("a") }] },
    };
    expect(groupsOf([{ id: "a" }, { id: "b", with: inParameter }]).apart).toEqual([{ step: "b", after: "a", reason: "reads-outputs", of: "a" }]);
    expect(groupsOf([{ id: "a" }, { id: "b", with: { successCriteria: [equalsOutput("a")] } }]).groups).toEqual([]);
  });

  it("a read of a step before the group does not keep a step out of it", () => {
    const result = groupsOf([
      { id: "a" },
      { id: "b", dependsOn: ["a"] },
      { id: "c", with: { successCriteria: [equalsOutput("a")] } },
    ]);
    expect(result.groups).toEqual([["b", "c"]]);
  });

  it("a success or failure action other than the defaults keeps its step apart from both neighbours", () => {
    const endAction: Action = { kind: "end", name: "done", criteria: [status(204)] };
    const onSuccess = groupsOf([{ id: "a" }, { id: "b", onSuccess: [endAction] }, { id: "c" }, { id: "d", dependsOn: ["c"] }]);
    expect(onSuccess.groups).toEqual([]);
    expect(onSuccess.apart.slice(0, 2)).toEqual([
      { step: "b", after: "a", reason: "actions" },
      { step: "c", after: "b", reason: "actions" },
    ]);
    const retry: Action = { kind: "retry", name: "again", retryLimit: 2, criteria: [] };
    expect(groupsOf([{ id: "a", onFailure: [retry] }, { id: "b" }]).apart).toEqual([{ step: "b", after: "a", reason: "actions" }]);
  });

  it("a poll loop's back-edge target is entered other than through the step before it", () => {
    // c polls b: `goto b` while b's job runs. c has an action itself; b is also entered from c.
    const result = groupsOf([{ id: "a" }, { id: "b" }, { id: "c", onSuccess: [goto("wait", "b")] }, { id: "d", dependsOn: ["a"] }]);
    expect(result.apart[0]).toEqual({ step: "b", after: "a", reason: "entered-elsewhere" });
    expect(result.groups).toEqual([]);
  });

  it("a step a goto leads to from before the group is entered elsewhere", () => {
    const result = groupsOf([{ id: "x", onSuccess: [goto("skip", "b")] }, { id: "a" }, { id: "b" }, { id: "c" }]);
    expect(result.apart).toContainEqual({ step: "b", after: "a", reason: "entered-elsewhere" });
    expect(result.groups).toEqual([["b", "c"]]);
  });

  it("a step a retry runs first (a detour) is entered elsewhere", () => {
    expect(groupsOf([{ id: "a" }, { id: "b" }], true, ["b"]).apart).toEqual([{ step: "b", after: "a", reason: "entered-elsewhere" }]);
  });

  it("a step that calls a workflow runs on its own", () => {
    const call: Spec["with"] = { call: { kind: "workflow", workflow: { workflowId: "other" }, inputs: [] } };
    expect(groupsOf([{ id: "a" }, { id: "b", with: call }]).apart).toEqual([{ step: "b", after: "a", reason: "calls-workflow" }]);
  });

  it("a step before which a receive step's subscription opens needs what that subscription reads", () => {
    const receive = (correlation: Value): MessageIr => ({
      kind: "message",
      source: "broker",
      action: "receive",
      channel: { key: "replies", address: "replies", messages: ["reply"], servers: [] },
      parameters: [],
      headers: [],
      contentType: "application/json",
      correlation: { value: correlation, locations: ["$message.header#/id"] },
      listenBefore: "b",
      payloadType: UNKNOWN,
      headersType: UNKNOWN,
    });
    // r waits for the reply b triggers; its subscription opens before b, with a's output as the correlation value.
    const reading = groupsOf([{ id: "a" }, { id: "b" }, { id: "r", dependsOn: ["b"], with: { call: receive(output("a")) } }]);
    expect(reading.apart[0]).toEqual({ step: "b", after: "a", reason: "reads-outputs", of: "a" });
    const notReading = groupsOf([{ id: "a" }, { id: "b" }, { id: "r", dependsOn: ["b"], with: { call: receive({ kind: "literal", value: "7" }) } }]);
    expect(notReading.groups).toEqual([["a", "b"]]);
  });

  it("is plain data, the same for the same steps", () => {
    const specs: Spec[] = [{ id: "a" }, { id: "b" }, { id: "c", dependsOn: ["a", "b"] }, { id: "d" }, { id: "e" }];
    const first = groupsOf(specs);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    expect(groupsOf(specs)).toEqual(first);
    expect(first.groups).toEqual([
      ["a", "b"],
      ["c", "d", "e"],
    ]);
  });
});

describe("lowering with stepConcurrency", () => {
  const lower = (stepConcurrency?: "sequential" | "concurrent") =>
    compile({ inputs: ["fixtures/cases/concurrent"], cwd: ROOT, root: "fixtures", target: "ir", ...(stepConcurrency ? { stepConcurrency } : {}) });

  it("records the groups and why the other steps run apart, per workflow", async () => {
    const result = await lower("concurrent");
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const workflows = result.program.modules.flatMap((m) => m.workflows);
    expect(workflows.find((w) => w.id === "dashboard")!.concurrency).toEqual({
      groups: [["profile", "orders"]],
      apart: [{ step: "summary", after: "orders", reason: "reads-outputs", of: "profile" }],
    });
    expect(workflows.find((w) => w.id === "audit")!.concurrency).toEqual({ off: "no-depends-on", groups: [], apart: [] });
    // A send, the receive that waits for its reply (its subscription opens before the send), and a request.
    const fulfil = workflows.find((w) => w.id === "fulfil")!;
    expect(fulfil.concurrency!.groups).toEqual([["place", "confirm", "customer"]]);
    expect(fulfil.steps.find((s) => s.id === "confirm")!.call).toMatchObject({ kind: "message", listenBefore: "place" });
  });

  it("leaves the program as it was without the option", async () => {
    for (const result of [await lower(), await lower("sequential")])
      for (const workflow of result.program.modules.flatMap((m) => m.workflows)) expect(workflow).not.toHaveProperty("concurrency");
  });

  it("the steps of a v1.1 fixture: what dependsOn reorders is grouped with what it does not read", async () => {
    const result = await compile({ inputs: ["fixtures/cases/v11/semantics"], cwd: ROOT, root: "fixtures", target: "ir", stepConcurrency: "concurrent" });
    // The folder holds other documents too: the one that declares place-order.
    const orders = result.program.modules.find((m) => m.workflows.some((w) => w.id === "place-order"))!;
    const placeOrder = orders.workflows.find((w) => w.id === "place-order")!;
    expect(placeOrder.steps.map((s) => s.id)).toEqual(["listOrders", "create", "confirm"]);
    expect(placeOrder.concurrency!.groups).toEqual([["listOrders", "create"]]);
    // A workflow without step dependsOn keeps its array order.
    expect(orders.workflows.find((w) => w.id === "search")!.concurrency!.off).toBe("no-depends-on");
  });
});
