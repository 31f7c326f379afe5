// The flow facts of a bound workflow, as the checks read them: the one lowering of control flow
// (ir/flow.ts) applied to the bound steps, with the facts as sets.
import { flowFacts, lowerExits, type WorkflowRuns } from "../ir/flow.js";
import { END } from "../ir/program.js";
import type { BoundStep, WorkflowRef } from "./model.js";

export { END };

export interface FlowGraph {
  /** Steps that have certainly run before each step starts, and at a successful end (key END). */
  readonly mustHaveRun: ReadonlyMap<string, ReadonlySet<string>>;
  /** Steps that have run on at least one path before each step starts, and at a successful end (key END). */
  readonly mayHaveRun: ReadonlyMap<string, ReadonlySet<string>>;
  /** Steps reachable from the first one. */
  readonly reachable: ReadonlySet<string>;
  /** Reachable steps from which no path leads to a successful end (a loop with no exit). */
  readonly trapped: ReadonlySet<string>;
  /** Workflows whose outputs exist before each step and at a successful end: on every path, on some path. */
  readonly workflowsMustHaveRun: ReadonlyMap<string, ReadonlySet<string>>;
  readonly workflowsMayHaveRun: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The workflows a workflow's steps call, and its dependencies, by workflowId. */
export function workflowRuns(steps: readonly BoundStep[], dependsOn: readonly WorkflowRef[]): WorkflowRuns {
  return {
    dependsOn: dependsOn.map((d) => d.workflowId),
    calls: Object.fromEntries(steps.flatMap((s) => (s.target.kind === "workflow" ? [[s.stepId, s.target.workflow.workflowId]] : []))),
  };
}

export function analyzeFlow(steps: readonly BoundStep[], dependsOn: readonly WorkflowRef[] = []): FlowGraph {
  const exits = lowerExits(steps.map((s) => ({ id: s.stepId, onSuccess: s.onSuccess, onFailure: s.onFailure })));
  const facts = flowFacts(exits, workflowRuns(steps, dependsOn));
  const sets = (record: Readonly<Record<string, readonly string[]>>) =>
    new Map(Object.entries(record).map(([id, list]) => [id, new Set(list)] as const));
  return {
    mustHaveRun: sets(facts.mustHaveRun),
    mayHaveRun: sets(facts.mayHaveRun),
    reachable: new Set(facts.reachable),
    trapped: new Set(facts.trapped),
    workflowsMustHaveRun: sets(facts.workflowsRun?.must ?? {}),
    workflowsMayHaveRun: sets(facts.workflowsRun?.may ?? {}),
  };
}
