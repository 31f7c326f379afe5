// The execution order step dependsOn implies (ir/order.ts): a stable topological sort of the steps array,
// cycles found, and the steps certainly succeeded before each step.
import { describe, expect, it } from "vitest";
import { lowerExits } from "../compiler/ir/flow.js";
import type { Action } from "../compiler/ir/expressions.js";
import { executionOrder, mustHaveSucceeded } from "../compiler/ir/order.js";
import { END } from "../compiler/ir/program.js";

const step = (id: string, explicit: string[] = [], implicit: string[] = []) => ({ id, explicit, implicit });

describe("executionOrder", () => {
  it("keeps the array order when nothing constrains it", () => {
    expect(executionOrder([step("a"), step("b"), step("c")])).toEqual({ ok: true, order: ["a", "b", "c"] });
  });

  it("moves a step after what it depends on, and nothing else", () => {
    expect(executionOrder([step("a", ["c"]), step("b"), step("c")])).toEqual({ ok: true, order: ["b", "c", "a"] });
  });

  it("breaks ties by array position", () => {
    expect(executionOrder([step("z", ["y"]), step("y"), step("x"), step("w", ["x"])])).toEqual({ ok: true, order: ["y", "z", "x", "w"] });
  });

  it("counts implicit edges (output reads) like declared ones", () => {
    expect(executionOrder([step("send", ["wait"]), step("wait", [], ["prepare"]), step("prepare")])).toEqual({
      ok: true,
      order: ["prepare", "wait", "send"],
    });
  });

  it("ignores edges to unknown steps (reported elsewhere)", () => {
    expect(executionOrder([step("a", ["nope"]), step("b")])).toEqual({ ok: true, order: ["a", "b"] });
  });

  it("finds a cycle, and a step that depends on itself", () => {
    expect(executionOrder([step("a", ["b"]), step("b", [], ["a"]), step("c")])).toEqual({ ok: false, cycle: ["a", "b", "a"] });
    expect(executionOrder([step("a", ["a"])])).toEqual({ ok: false, cycle: ["a", "a"] });
  });

  it("is deterministic for a larger graph", () => {
    const steps = Array.from({ length: 30 }, (_, i) => step(`s${i}`, i % 3 === 0 && i + 2 < 30 ? [`s${i + 2}`] : []));
    const first = executionOrder(steps);
    expect(executionOrder(steps)).toEqual(first);
    expect(first.ok && first.order.indexOf("s0") > first.order.indexOf("s2")).toBe(true);
  });
});

describe("mustHaveSucceeded", () => {
  const goto = (name: string, stepId: string): Action => ({ kind: "goto", name, stepId, criteria: [] });
  const end = (name: string): Action => ({ kind: "end", name, criteria: [] });

  it("a straight line: every earlier step has succeeded", () => {
    const known = mustHaveSucceeded(lowerExits([{ id: "a", onSuccess: [], onFailure: [] }, { id: "b", onSuccess: [], onFailure: [] }]));
    expect([...known.get("b")!]).toEqual(["a"]);
    expect([...known.get(END)!].sort()).toEqual(["a", "b"]);
  });

  it("a step reached through a failure action has run, not succeeded", () => {
    const steps = [
      { id: "a", onSuccess: [], onFailure: [goto("recover", "b")] },
      { id: "b", onSuccess: [], onFailure: [] },
    ];
    expect([...mustHaveSucceeded(lowerExits(steps)).get("b")!]).toEqual([]);
  });

  it("a branch that skips a step: not certain after the join", () => {
    const steps = [
      { id: "a", onSuccess: [{ ...goto("skip", "c"), criteria: [{ kind: "truthy", operand: { kind: "literal", value: true } }] as const }], onFailure: [] },
      { id: "b", onSuccess: [], onFailure: [] },
      { id: "c", onSuccess: [end("done")], onFailure: [] },
    ] as const;
    const known = mustHaveSucceeded(lowerExits(steps as never));
    expect([...known.get("c")!]).toEqual(["a"]);
  });
});

describe("a compiled workflow's order (fixtures/cases/v11/order)", () => {
  it("orders by dependsOn, falls through in that order, and leaves a poll loop's read out of the order", async () => {
    const { compile } = await import("../compiler/index.js");
    const result = await compile({ inputs: ["fixtures/cases/v11/order/poll-and-depend.arazzo.yaml"], root: "fixtures", target: "ir" });
    // check and wait read each other's outputs; check's read of wait is a poll loop's (wait goes back to check),
    // so it orders nothing and makes no cycle; it may be absent on the first pass (AZC4020).
    expect(result.diagnostics.map((d) => d.code)).toEqual(["AZC4137", "AZC4020"]);
    expect(result.diagnostics[0]!.message).toMatch(/not as listed: token, check, wait$/);
    const workflow = result.program.modules[0]!.workflows[0]!;
    expect(workflow.entry).toBe("token");
    expect(workflow.steps.map((s) => s.id)).toEqual(["token", "check", "wait"]);
    // token falls through to check, the next in order (not to wait, listed after it); wait loops back to check.
    expect(workflow.steps[0]!.onSuccess.at(-1)!.to).toEqual({ kind: "step", step: "check", loop: false });
    expect(workflow.steps[2]!.onSuccess.at(-1)!.to).toEqual({ kind: "step", step: "check", loop: true });
    // check's dependency on token is certain on every path: no run-time check.
    expect(workflow.steps[1]!.requires).toBeUndefined();
  });
});
