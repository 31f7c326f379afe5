// The flow facts of a bound workflow, as the checks read them: the one lowering of control flow
// (ir/flow.ts) applied to the bound steps, with the facts as sets.
import { flowFacts, lowerExits } from "../ir/flow.js";
import { END } from "../ir/program.js";
import type { BoundStep } from "./model.js";

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
}

export function analyzeFlow(steps: readonly BoundStep[]): FlowGraph {
  const facts = flowFacts(lowerExits(steps.map((s) => ({ id: s.stepId, onSuccess: s.onSuccess, onFailure: s.onFailure }))));
  const sets = (record: Readonly<Record<string, readonly string[]>>) =>
    new Map(Object.entries(record).map(([id, list]) => [id, new Set(list)] as const));
  return {
    mustHaveRun: sets(facts.mustHaveRun),
    mayHaveRun: sets(facts.mayHaveRun),
    reachable: new Set(facts.reachable),
    trapped: new Set(facts.trapped),
  };
}
