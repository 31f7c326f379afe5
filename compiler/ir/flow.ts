// Arazzo's control-flow rules, written once: a step's success and failure actions become ordered exits
// with the defaults made explicit, loop back-edges are marked, and the flow facts (reachable, must and
// may have run, trapped) are computed from those exits. The checks and every emitter read the result.
import type { Action } from "./expressions.js";
import { END, type ExitIr, type FlowFactsIr, type StepIr, type TargetIr } from "./program.js";

/** What the lowering needs of a step: its id and its actions (workflow-level ones already merged in). */
export interface StepActions {
  readonly id: string;
  readonly onSuccess: readonly Action[];
  readonly onFailure: readonly Action[];
}

export type StepExits = Pick<StepIr, "id" | "onSuccess" | "onFailure">;

/**
 * The exits of every step, in document order. Success: the actions in order (first match wins), then the
 * next step or the end. Failure: the actions in order, then failing the workflow. An unconditional action
 * other than a retry ends the list: nothing after it can be taken. A retry whose budget is spent is passed
 * over, so what follows it stays.
 */
export function lowerExits(steps: readonly StepActions[]): StepExits[] {
  const lowered = steps.map((step, index) => {
    const next = steps[index + 1]?.id;
    const onSuccess = exitsOf(step.onSuccess, "success");
    if (!endsUnconditionally(onSuccess)) onSuccess.push({ when: [], to: next !== undefined ? stepTarget(next) : { kind: "end" } });
    const onFailure = exitsOf(step.onFailure, "failure");
    if (!endsUnconditionally(onFailure)) onFailure.push({ when: [], to: { kind: "fail" } });
    return { id: step.id, onSuccess, onFailure };
  });
  return markLoops(lowered);
}

function stepTarget(step: string): TargetIr {
  return { kind: "step", step, loop: false };
}

function exitsOf(actions: readonly Action[], outcome: "success" | "failure"): ExitIr[] {
  const exits: ExitIr[] = [];
  for (const action of actions) {
    const to: TargetIr =
      action.kind === "end"
        ? outcome === "success"
          ? { kind: "end" }
          : { kind: "fail" }
        : action.kind === "goto"
          ? stepTarget(action.stepId)
          : action.kind === "gotoWorkflow"
            ? { kind: "transfer", workflow: action.workflow }
            : {
                kind: "retry",
                limit: action.retryLimit,
                ...(action.retryAfter !== undefined ? { afterSeconds: action.retryAfter } : {}),
                ...(action.stepId !== undefined
                  ? { via: { kind: "step", step: action.stepId } as const }
                  : action.workflow !== undefined
                    ? { via: { kind: "workflow", workflow: action.workflow } as const }
                    : {}),
              };
    exits.push({ when: action.criteria, action: action.name, to });
    if (endsUnconditionally(exits)) break;
  }
  return exits;
}

function endsUnconditionally(exits: readonly ExitIr[]): boolean {
  const last = exits[exits.length - 1];
  return last !== undefined && last.when.length === 0 && last.to.kind !== "retry";
}

/** The steps an exit can continue at: a goto's target, a retry's step (after its detour, if any). */
function exitSuccessors(step: string, exit: ExitIr): string[] {
  const to = exit.to;
  if (to.kind === "step") return [to.step];
  if (to.kind === "retry") return to.via?.kind === "step" ? [to.via.step] : [step];
  return [];
}

/**
 * Marks goto exits that are back-edges of a depth-first search from the entry (the target is on the
 * current path): those close a loop, and the poll wait belongs there. Retries are loops of their own.
 */
function markLoops(steps: StepExits[]): StepExits[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const onPath = new Set<string>();
  const done = new Set<string>();
  const back = new Set<ExitIr>();
  const visit = (id: string): void => {
    const step = byId.get(id);
    if (!step || done.has(id)) return;
    onPath.add(id);
    for (const exit of [...step.onSuccess, ...step.onFailure]) {
      if (exit.to.kind !== "step") {
        for (const next of exitSuccessors(id, exit)) if (!onPath.has(next)) visit(next);
        continue;
      }
      if (onPath.has(exit.to.step)) back.add(exit);
      else visit(exit.to.step);
    }
    onPath.delete(id);
    done.add(id);
  };
  // Iteratively deep graphs are bounded by the number of steps; documents have tens of them.
  if (steps[0]) visit(steps[0].id);
  const mark = (exit: ExitIr): ExitIr => (back.has(exit) && exit.to.kind === "step" ? { ...exit, to: { ...exit.to, loop: true } } : exit);
  return steps.map((s) => ({ id: s.id, onSuccess: s.onSuccess.map(mark), onFailure: s.onFailure.map(mark) }));
}

/** Control handed to another workflow: the run ends with that workflow's result. */
const TRANSFER = "(transfer)";

/** Every place control can go from each step: steps, END (a successful end) and TRANSFER. */
function successorsOf(steps: readonly StepExits[]): Map<string, Set<string>> {
  const successors = new Map<string, Set<string>>();
  for (const step of steps) {
    const next = new Set<string>();
    for (const exit of [...step.onSuccess, ...step.onFailure]) {
      const to = exit.to;
      if (to.kind === "end") next.add(END);
      else if (to.kind === "transfer") next.add(TRANSFER);
      else if (to.kind === "retry") {
        next.add(step.id);
        if (to.via?.kind === "step") next.add(to.via.step);
      } else if (to.kind === "step") next.add(to.step);
    }
    successors.set(step.id, next);
  }
  // A step run first by a retry (a detour) returns to the step that retries.
  for (const step of steps) {
    for (const exit of step.onFailure) {
      if (exit.to.kind === "retry" && exit.to.via?.kind === "step") successors.get(exit.to.via.step)?.add(step.id);
    }
  }
  return successors;
}

/** The workflows a workflow runs: its dependencies, and per step the workflow it calls (workflowId steps). */
export interface WorkflowRuns {
  readonly dependsOn: readonly string[];
  readonly calls: Readonly<Record<string, string>>;
}

/**
 * Which workflows have run before each step and at a successful end, on every path (`must`) and on some path
 * (`may`). A step that calls a workflow has its outputs on its success exits only (the call may have failed
 * when a failure exit continues); a retry's workflow runs on some paths, and its failure does not stop the
 * retry, so it only ever counts as `may`. Dependencies have run before the first step.
 */
function workflowsRun(steps: readonly StepExits[], reachable: ReadonlySet<string>, runs: WorkflowRuns): NonNullable<FlowFactsIr["workflowsRun"]> {
  const ids = steps.map((s) => s.id);
  const edges: { from: string; to: string; gives: string[]; mayGive: string[] }[] = [];
  for (const step of steps) {
    if (!reachable.has(step.id)) continue;
    const called = runs.calls[step.id];
    const retried = step.onFailure.flatMap((e) => (e.to.kind === "retry" && e.to.via?.kind === "workflow" ? [e.to.via.workflow.workflowId] : []));
    const mayGive = [...(called !== undefined ? [called] : []), ...retried];
    const targets = (exit: ExitIr): string[] => {
      const to = exit.to;
      if (to.kind === "end") return [END];
      if (to.kind === "step") return [to.step];
      if (to.kind === "retry") return to.via?.kind === "step" ? [to.via.step] : [step.id];
      return [];
    };
    for (const exit of step.onSuccess)
      for (const to of targets(exit)) edges.push({ from: step.id, to, gives: called !== undefined ? [called] : [], mayGive });
    for (const exit of step.onFailure) for (const to of targets(exit)) edges.push({ from: step.id, to, gives: [], mayGive });
    // A detour returns to the step that retries.
    for (const exit of step.onFailure)
      if (exit.to.kind === "retry" && exit.to.via?.kind === "step") {
        const detour = exit.to.via.step;
        const detourCall = runs.calls[detour];
        edges.push({ from: detour, to: step.id, gives: [], mayGive: detourCall !== undefined ? [detourCall] : [] });
      }
  }
  const all = new Set([...runs.dependsOn, ...Object.values(runs.calls), ...edges.flatMap((e) => e.mayGive)]);
  const nodes = [...ids, END];
  const entry = ids[0];
  const must = new Map(nodes.map((id) => [id, new Set(id === entry ? runs.dependsOn : all)]));
  const may = new Map(nodes.map((id) => [id, new Set(runs.dependsOn)]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const edge of edges) {
      // Re-entering the first step does not undo what has run.
      if (edge.to === entry) continue;
      const target = must.get(edge.to)!;
      const out = new Set([...must.get(edge.from)!, ...edge.gives]);
      for (const id of target)
        if (!out.has(id)) {
          target.delete(id);
          changed = true;
        }
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const edge of edges) {
      const target = may.get(edge.to)!;
      for (const id of [...may.get(edge.from)!, ...edge.mayGive])
        if (!target.has(id)) {
          target.add(id);
          changed = true;
        }
    }
  }
  // Nodes no path reaches have had nothing run.
  for (const id of ids) if (!reachable.has(id)) must.set(id, new Set(runs.dependsOn));
  const sorted = (map: Map<string, Set<string>>): Record<string, string[]> =>
    Object.fromEntries(nodes.map((id) => [id, [...map.get(id)!].sort()]));
  return { must: sorted(must), may: sorted(may) };
}

/**
 * Reachability, must-have-run and may-have-run before each step and at the end, and trapped steps; with
 * `runs`, also which workflows have run (when the workflow runs any).
 */
export function flowFacts(steps: readonly StepExits[], runs?: WorkflowRuns): FlowFactsIr {
  const ids = steps.map((s) => s.id);
  const successors = successorsOf(steps);

  const reachableSet = new Set<string>();
  const queue = ids.slice(0, 1);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reachableSet.has(id) || !successors.has(id)) continue;
    reachableSet.add(id);
    for (const next of successors.get(id) ?? []) queue.push(next);
  }

  // Must: In(s) = ∩ over predecessors p of (In(p) ∪ {p}); nodes start at "all" and shrink.
  const all = new Set(ids);
  const must = new Map<string, Set<string>>([...ids, END].map((id) => [id, new Set(all)]));
  if (ids[0] !== undefined) must.set(ids[0], new Set());
  for (let changed = true; changed;) {
    changed = false;
    for (const [node, nextNodes] of successors) {
      if (!reachableSet.has(node)) continue;
      const out = new Set(must.get(node));
      out.add(node);
      for (const next of nextNodes) {
        // Re-entering the first step does not undo what has run; a transfer leaves this workflow.
        if (next === ids[0] || next === TRANSFER) continue;
        const current = must.get(next)!;
        for (const id of current) {
          if (!out.has(id)) {
            current.delete(id);
            changed = true;
          }
        }
      }
    }
  }
  // May: In(s) = ∪ over predecessors p of (In(p) ∪ {p}).
  const may = new Map<string, Set<string>>([...ids, END].map((id) => [id, new Set<string>()]));
  for (let changed = true; changed;) {
    changed = false;
    for (const [node, nextNodes] of successors) {
      if (!reachableSet.has(node)) continue;
      const out = new Set(may.get(node));
      out.add(node);
      for (const next of nextNodes) {
        if (next === TRANSFER) continue;
        const current = may.get(next)!;
        for (const id of out) {
          if (!current.has(id)) {
            current.add(id);
            changed = true;
          }
        }
      }
    }
  }

  // Backward reachability of an end (successful, or a transfer).
  const reachesEnd = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const [node, nextNodes] of successors) {
      if (reachesEnd.has(node)) continue;
      if ([...nextNodes].some((n) => n === END || n === TRANSFER || reachesEnd.has(n))) {
        reachesEnd.add(node);
        changed = true;
      }
    }
  }

  const inOrder = (set: ReadonlySet<string>): string[] => ids.filter((id) => set.has(id));
  const facts = (map: Map<string, Set<string>>): Record<string, string[]> =>
    Object.fromEntries([...ids, END].map((id) => [id, inOrder(map.get(id)!)]));
  const detours = new Set(
    steps.flatMap((s) => s.onFailure.flatMap((e) => (e.to.kind === "retry" && e.to.via?.kind === "step" ? [e.to.via.step] : []))),
  );
  const runsAny =
    runs !== undefined &&
    (runs.dependsOn.length > 0 ||
      Object.keys(runs.calls).length > 0 ||
      steps.some((s) => s.onFailure.some((e) => e.to.kind === "retry" && e.to.via?.kind === "workflow")));
  return {
    reachable: inOrder(reachableSet),
    mustHaveRun: facts(must),
    mayHaveRun: facts(may),
    trapped: ids.filter((id) => reachableSet.has(id) && !reachesEnd.has(id)),
    detours: inOrder(detours),
    ...(runsAny ? { workflowsRun: workflowsRun(steps, reachableSet, runs!) } : {}),
  };
}
