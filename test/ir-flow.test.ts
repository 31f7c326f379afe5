// Control flow lowered once: exits with explicit defaults, loop back-edges, and the flow facts.
import { describe, expect, it } from "vitest";
import type { Action } from "../compiler/ir/expressions.js";
import { flowFacts, lowerExits, type StepActions } from "../compiler/ir/flow.js";
import { END } from "../compiler/ir/program.js";

const always = [] as const;
const when = [{ kind: "truthy", operand: { kind: "literal", value: true } }] as const;
const step = (id: string, onSuccess: Action[] = [], onFailure: Action[] = []): StepActions => ({ id, onSuccess, onFailure });
const goto = (stepId: string, criteria: readonly unknown[] = when): Action => ({
  kind: "goto",
  name: `to-${stepId}`,
  stepId,
  criteria: criteria as never,
});
const end = (criteria: readonly unknown[] = always): Action => ({ kind: "end", name: "stop", criteria: criteria as never });
const retry = (limit: number, extra: Partial<Extract<Action, { kind: "retry" }>> = {}): Action => ({
  kind: "retry",
  name: "again",
  retryLimit: limit,
  criteria: [],
  ...extra,
});

describe("lowerExits", () => {
  it("makes the defaults explicit: the next step, the end, failing", () => {
    const [a, b] = lowerExits([step("a"), step("b")]);
    expect(a!.onSuccess).toEqual([{ when: [], to: { kind: "step", step: "b", loop: false } }]);
    expect(a!.onFailure).toEqual([{ when: [], to: { kind: "fail" } }]);
    expect(b!.onSuccess).toEqual([{ when: [], to: { kind: "end" } }]);
  });

  it("keeps conditional actions in order before the default, and stops at an unconditional one", () => {
    const [a] = lowerExits([step("a", [goto("c"), end(), goto("b", always)]), step("b"), step("c")]);
    expect(a!.onSuccess.map((e) => e.to.kind)).toEqual(["step", "end"]);
    expect(a!.onSuccess[1]).toEqual({ when: [], action: "stop", to: { kind: "end" } });
  });

  it("an end failure action fails; a retry keeps what follows it, since its budget can run out", () => {
    const [a] = lowerExits([step("a", [], [retry(3, { retryAfter: 2 }), end()])]);
    expect(a!.onFailure).toEqual([
      { when: [], action: "again", to: { kind: "retry", limit: 3, afterSeconds: 2 } },
      { when: [], action: "stop", to: { kind: "fail" } },
    ]);
    const [b] = lowerExits([step("b", [], [retry(1)])]);
    expect(b!.onFailure.map((e) => e.to.kind)).toEqual(["retry", "fail"]);
  });

  it("marks gotos back to a step on the current path as loops, and only those", () => {
    const steps = lowerExits([step("a"), step("poll", [goto("poll"), goto("a")]), step("b", [goto("d")]), step("c"), step("d")]);
    const poll = steps[1]!;
    expect(poll.onSuccess.map((e) => (e.to.kind === "step" ? [e.to.step, e.to.loop] : e.to.kind))).toEqual([
      ["poll", true],
      ["a", true],
      ["b", false],
    ]);
    expect(steps[2]!.onSuccess[0]!.to).toEqual({ kind: "step", step: "d", loop: false });
  });

  it("a retry through another step names it as its detour", () => {
    const [, b] = lowerExits([step("login"), step("get", [], [retry(1, { stepId: "login" })])]);
    expect(b!.onFailure[0]!.to).toEqual({ kind: "retry", limit: 1, via: { kind: "step", step: "login" } });
  });
});

describe("flowFacts", () => {
  it("a straight line: each step has run before the next, all at the end", () => {
    const facts = flowFacts(lowerExits([step("a"), step("b"), step("c")]));
    expect(facts.reachable).toEqual(["a", "b", "c"]);
    expect(facts.mustHaveRun).toMatchObject({ a: [], b: ["a"], c: ["a", "b"], [END]: ["a", "b", "c"] });
    expect(facts.trapped).toEqual([]);
  });

  it("a skipped step may, but need not, have run", () => {
    const facts = flowFacts(lowerExits([step("a", [goto("c")]), step("b"), step("c")]));
    expect(facts.mustHaveRun["c"]).toEqual(["a"]);
    expect(facts.mayHaveRun["c"]).toEqual(["a", "b"]);
  });

  it("finds unreachable steps and loops without exit", () => {
    const facts = flowFacts(lowerExits([step("a", [end()]), step("dead"), step("x")]));
    expect(facts.reachable).toEqual(["a"]);
    const loop = flowFacts(lowerExits([step("a"), step("b", [goto("a", always)])]));
    expect(loop.trapped).toEqual(["a", "b"]);
  });

  it("a transfer is an exit, not a trap; a detour returns to the retrying step", () => {
    const transfer = flowFacts(lowerExits([step("a", [{ kind: "gotoWorkflow", name: "t", workflow: { workflowId: "w" }, criteria: [] }])]));
    expect(transfer.trapped).toEqual([]);
    const detour = flowFacts(lowerExits([step("get", [end()], [retry(1, { stepId: "login" })]), step("login", [end()])]));
    expect(detour.detours).toEqual(["login"]);
    expect(detour.reachable).toEqual(["get", "login"]);
    expect(detour.mayHaveRun["get"]).toEqual(["get", "login"]);
  });
});

describe("flowFacts: the workflows that have run", () => {
  it("has no such facts when the workflow runs no other workflow", () => {
    expect(flowFacts(lowerExits([step("a")]), { dependsOn: [], calls: {} }).workflowsRun).toBeUndefined();
  });

  it("dependencies from the first step; a called workflow after its step, on every path only when it succeeded", () => {
    const facts = flowFacts(lowerExits([step("a"), step("call"), step("b")]), { dependsOn: ["dep"], calls: { call: "w" } });
    expect(facts.workflowsRun!.must).toEqual({ a: ["dep"], call: ["dep"], b: ["dep", "w"], [END]: ["dep", "w"] });
    // A failure action that continues after the call: the call may have failed.
    const continues = flowFacts(lowerExits([step("call", [], [goto("b", always)]), step("b")]), { dependsOn: [], calls: { call: "w" } });
    expect(continues.workflowsRun!.must["b"]).toEqual([]);
    expect(continues.workflowsRun!.may["b"]).toEqual(["w"]);
  });

  it("a branch that skips the call, and a retry's workflow, count on some paths only", () => {
    const skip = flowFacts(lowerExits([step("a", [goto("b")]), step("call"), step("b")]), { dependsOn: [], calls: { call: "w" } });
    expect(skip.workflowsRun!.must["b"]).toEqual([]);
    expect(skip.workflowsRun!.may["b"]).toEqual(["w"]);
    const retried = flowFacts(lowerExits([step("a", [], [retry(1, { workflow: { workflowId: "login" } })]), step("b")]), {
      dependsOn: [],
      calls: {},
    });
    expect(retried.workflowsRun!.must["b"]).toEqual([]);
    expect(retried.workflowsRun!.may["b"]).toEqual(["login"]);
  });
});
