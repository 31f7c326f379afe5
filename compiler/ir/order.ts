// The execution order of a workflow's steps (Arazzo 1.1, Step Dependencies and Execution Order): a stable
// topological order of the steps array under the declared `dependsOn` edges and the implicit edges of output
// reads, ties broken by array position, so a document that needs no reordering keeps its order. And the steps
// certainly succeeded before each step starts, which decides whether a dependency needs a check at run time.
import type { BoundStep, StepDependencyRef, WorkflowRef } from "../check/model.js";
import { lowerExits } from "./flow.js";
import { END, type StepIr } from "./program.js";

export interface StepDependencies {
  readonly id: string;
  /** Steps of the same workflow this step declares in dependsOn. */
  readonly explicit: readonly string[];
  /** Steps of the same workflow whose outputs this step reads (implicit dependencies). */
  readonly implicit: readonly string[];
}

export type OrderResult =
  | { readonly ok: true; readonly order: readonly string[] }
  /** The steps of one cycle, in dependency order, the first repeated at the end. */
  | { readonly ok: false; readonly cycle: readonly string[] };

/**
 * Kahn's algorithm, always taking the ready step that comes first in the array: stable and deterministic.
 * Edges to steps not in the list are ignored (unknown steps are reported elsewhere).
 */
export function executionOrder(steps: readonly StepDependencies[]): OrderResult {
  const index = new Map(steps.map((s, i) => [s.id, i] as const));
  const before = steps.map((s) => new Set([...s.explicit, ...s.implicit].filter((id) => id !== s.id && index.has(id))));
  const self = steps.find((s) => s.explicit.includes(s.id) || s.implicit.includes(s.id));
  if (self && self.explicit.includes(self.id)) return { ok: false, cycle: [self.id, self.id] };
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < steps.length) {
    const next = steps.findIndex((s, i) => !placed.has(s.id) && [...before[i]!].every((id) => placed.has(id)));
    if (next < 0) return { ok: false, cycle: findCycle(steps, before, placed) };
    placed.add(steps[next]!.id);
    order.push(steps[next]!.id);
  }
  return { ok: true, order };
}

/** A cycle among the steps not placed: walk dependencies until one repeats. */
function findCycle(steps: readonly StepDependencies[], before: readonly Set<string>[], placed: ReadonlySet<string>): string[] {
  const byId = new Map(steps.map((s, i) => [s.id, before[i]!] as const));
  let current = steps.find((s) => !placed.has(s.id))!.id;
  const path: string[] = [];
  while (!path.includes(current)) {
    path.push(current);
    current = [...byId.get(current)!].find((id) => !placed.has(id))!;
  }
  // Dependency order: what runs first comes first.
  return [...path.slice(path.indexOf(current)), current].reverse();
}

/**
 * Per step (and END), the steps that have certainly *succeeded* before it starts: as must-have-run, but a step
 * counts only along its success exits. A step that failed and continued through a failure action has run,
 * not succeeded.
 */
export function mustHaveSucceeded(steps: ReadonlyArray<Pick<StepIr, "id" | "onSuccess" | "onFailure">>): Map<string, Set<string>> {
  const ids = steps.map((s) => s.id);
  const edges: Array<{ from: string; to: string; success: boolean }> = [];
  for (const step of steps) {
    for (const [exits, success] of [
      [step.onSuccess, true],
      [step.onFailure, false],
    ] as const) {
      for (const exit of exits) {
        const to = exit.to;
        if (to.kind === "step") edges.push({ from: step.id, to: to.step, success });
        else if (to.kind === "end" && success) edges.push({ from: step.id, to: END, success });
        else if (to.kind === "retry") {
          edges.push({ from: step.id, to: to.via?.kind === "step" ? to.via.step : step.id, success: false });
          if (to.via?.kind === "step") edges.push({ from: to.via.step, to: step.id, success: false });
        }
      }
    }
  }
  const all = new Set(ids);
  const known = new Map<string, Set<string>>([...ids, END].map((id) => [id, new Set(all)]));
  if (ids[0] !== undefined) known.set(ids[0], new Set());
  const reached = new Set(ids.slice(0, 1));
  for (let changed = true; changed; ) {
    changed = false;
    for (const edge of edges) {
      if (!reached.has(edge.from)) continue;
      // Re-entering the first step does not undo what has succeeded before.
      if (edge.to === ids[0]) continue;
      const out = new Set(known.get(edge.from));
      if (edge.success) out.add(edge.from);
      else out.delete(edge.from);
      const target = known.get(edge.to)!;
      if (!reached.has(edge.to)) {
        reached.add(edge.to);
        changed = true;
      }
      for (const id of target) {
        if (!out.has(id)) {
          target.delete(id);
          changed = true;
        }
      }
    }
  }
  return known;
}

/** What the guarantee needs of a workflow: its steps with their dependsOn and actions, its dependsOn. */
interface OrderedWorkflow {
  readonly workflowId: string;
  readonly steps: readonly BoundStep[];
  readonly dependsOn: readonly WorkflowRef[];
}

/**
 * Per step, the dependsOn entries the control flow does not guarantee: generated code checks them when the step
 * starts. A step of this workflow is guaranteed when it has certainly succeeded on every path to the step; a
 * step of another workflow of this document when that workflow is in this one's dependsOn closure (it has run
 * to a successful end first) and the step certainly succeeded at its end. Another document's steps never are.
 */
export function unguaranteedDependencies(
  workflow: OrderedWorkflow,
  workflowsById: ReadonlyMap<string, OrderedWorkflow>,
): Map<string, StepDependencyRef[]> {
  const succeededAtEnd = (w: OrderedWorkflow): Set<string> =>
    mustHaveSucceeded(lowerExits(w.steps.map((s) => ({ id: s.stepId, onSuccess: s.onSuccess, onFailure: s.onFailure })))).get(END) ??
    new Set();
  const known = mustHaveSucceeded(lowerExits(workflow.steps.map((s) => ({ id: s.stepId, onSuccess: s.onSuccess, onFailure: s.onFailure }))));
  const closure = new Set<string>();
  const visit = (refs: readonly WorkflowRef[]): void => {
    for (const ref of refs) {
      if (ref.source !== undefined || closure.has(ref.workflowId)) continue;
      closure.add(ref.workflowId);
      visit(workflowsById.get(ref.workflowId)?.dependsOn ?? []);
    }
  };
  visit(workflow.dependsOn);
  const result = new Map<string, StepDependencyRef[]>();
  for (const step of workflow.steps) {
    const open = (step.dependsOn ?? []).filter((dependency) => {
      if (dependency.workflow === undefined) return !known.get(step.stepId)?.has(dependency.stepId);
      const other = dependency.workflow.source === undefined ? workflowsById.get(dependency.workflow.workflowId) : undefined;
      return !(other && closure.has(other.workflowId) && succeededAtEnd(other).has(dependency.stepId));
    });
    if (open.length > 0) result.set(step.stepId, open);
  }
  return result;
}
