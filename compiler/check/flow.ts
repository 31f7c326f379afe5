// The control-flow graph of a workflow: which step can follow which, and which steps have certainly run
// when a step starts or when the workflow ends successfully. Outputs of a step that some path skips are
// optional in the generated types.
import type { Action, BoundStep } from "./model.js";

export const END = "(end)";
/** Control handed to another workflow (goto workflowId): the run ends with that workflow's result. */
export const EXIT = "(exit)";

export interface FlowGraph {
  /** Successor step ids (or END) of each step, on success and on failure. */
  readonly successors: ReadonlyMap<string, ReadonlySet<string>>;
  /** Steps that have certainly run before each step starts, and at a successful end (key END). */
  readonly mustHaveRun: ReadonlyMap<string, ReadonlySet<string>>;
  /** Steps that have run on at least one path before each step starts, and at a successful end (key END). */
  readonly mayHaveRun: ReadonlyMap<string, ReadonlySet<string>>;
  /** Steps reachable from the first one. */
  readonly reachable: ReadonlySet<string>;
  /** Reachable steps from which no path leads to a successful end (a loop with no exit). */
  readonly trapped: ReadonlySet<string>;
}

/** Where a list of success actions can lead: each target, and whether control may also fall through. */
function successTargets(actions: readonly Action[]): { targets: string[]; fallsThrough: boolean } {
  const out: string[] = [];
  for (const action of actions) {
    if (action.kind === "end") out.push(END);
    else if (action.kind === "goto") out.push(action.stepId);
    else if (action.kind === "gotoWorkflow") out.push(EXIT);
    else continue;
    if (action.criteria.length === 0) return { targets: out, fallsThrough: false };
  }
  return { targets: out, fallsThrough: true };
}

/** Where a failed step can continue: gotos, and retries (the step again, after a detour step if named). */
function failureTargets(step: BoundStep): string[] {
  return step.onFailure.flatMap((a) =>
    a.kind === "goto"
      ? [a.stepId]
      : a.kind === "retry"
        ? [step.stepId, ...(a.stepId !== undefined ? [a.stepId] : [])]
        : a.kind === "gotoWorkflow"
          ? [EXIT]
          : [],
  );
}

export function analyzeFlow(steps: readonly BoundStep[]): FlowGraph {
  const successors = new Map<string, Set<string>>();
  steps.forEach((step, index) => {
    const next = steps[index + 1]?.stepId ?? END;
    const success = successTargets(step.onSuccess);
    // On failure only gotos and retries continue the workflow; `end` and the default stop it as failed.
    successors.set(step.stepId, new Set([...success.targets, ...(success.fallsThrough ? [next] : []), ...failureTargets(step)]));
  });
  // A step run first by a retry returns to the step that retries.
  steps.forEach((step) => {
    for (const a of step.onFailure) if (a.kind === "retry" && a.stepId !== undefined) successors.get(a.stepId)?.add(step.stepId);
  });

  const ids = steps.map((s) => s.stepId);
  const reachable = new Set<string>();
  const queue = ids.slice(0, 1);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reachable.has(id) || id === END || id === EXIT) continue;
    reachable.add(id);
    for (const next of successors.get(id) ?? []) queue.push(next);
  }

  // Forward "must" analysis: In(s) = ∩ over predecessors p of (In(p) ∪ {p}); unreached nodes start at "all".
  const all = new Set(ids);
  const mustHaveRun = new Map<string, Set<string>>([...ids, END].map((id) => [id, new Set(all)]));
  if (ids[0] !== undefined) mustHaveRun.set(ids[0], new Set());
  for (let changed = true; changed;) {
    changed = false;
    for (const [node, nextNodes] of successors) {
      if (!reachable.has(node)) continue;
      const out = new Set(mustHaveRun.get(node));
      out.add(node);
      for (const next of nextNodes) {
        if (next === ids[0] || next === EXIT) continue; // re-entering the first step does not undo what has run
        const current = mustHaveRun.get(next)!;
        for (const id of current) {
          if (!out.has(id)) {
            current.delete(id);
            changed = true;
          }
        }
      }
    }
  }
  // Forward "may" analysis: In(s) = ∪ over predecessors p of (In(p) ∪ {p}).
  const mayHaveRun = new Map<string, Set<string>>([...ids, END].map((id) => [id, new Set<string>()]));
  for (let changed = true; changed;) {
    changed = false;
    for (const [node, nextNodes] of successors) {
      if (!reachable.has(node)) continue;
      const out = new Set(mayHaveRun.get(node));
      out.add(node);
      for (const next of nextNodes) {
        if (next === EXIT) continue;
        const current = mayHaveRun.get(next)!;
        for (const id of out) {
          if (!current.has(id)) {
            current.add(id);
            changed = true;
          }
        }
      }
    }
  }

  // Backward reachability of the end.
  const reachesEnd = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [node, nextNodes] of successors) {
      if (reachesEnd.has(node)) continue;
      if ([...nextNodes].some((n) => n === END || n === EXIT || reachesEnd.has(n))) {
        reachesEnd.add(node);
        changed = true;
      }
    }
  }
  const trapped = new Set([...reachable].filter((id) => !reachesEnd.has(id)));
  return { successors, mustHaveRun, mayHaveRun, reachable, trapped };
}
