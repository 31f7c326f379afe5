// Step-level `dependsOn` (Arazzo 1.1): each entry resolved (a stepId of this workflow,
// `$workflows.<workflowId>.steps.<stepId>`, or `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>`), and
// the execution order the entries and the implicit edges of output reads imply. The order is a stable
// topological sort of the steps array (ir/order.ts): a workflow that needs no reordering keeps its order.
import { lowerExits } from "../ir/flow.js";
import { executionOrder } from "../ir/order.js";
import { joinPointer } from "../load/pointer.js";
import type { StepDependencyRef } from "./model.js";
import { Collector, type Lowered, type Read } from "./report.js";
import type { SymbolTable, WorkflowSymbol } from "./symbols.js";
import { resolveWorkflow } from "./targets.js";
import type { Action } from "./model.js";

const OTHER_WORKFLOW = /^\$workflows\.([^.]+)\.steps\.([^.]+)$/;
const OTHER_DOCUMENT = /^\$sourceDescriptions\.([^.]+)\.([^.]+)\.steps\.([^.]+)$/;

/** The step's dependsOn entries as written (the schema has checked their forms). */
export function declaredDependencies(step: unknown): readonly string[] {
  const list = (step as { dependsOn?: unknown }).dependsOn;
  return Array.isArray(list) ? list.filter((e): e is string => typeof e === "string") : [];
}

/** One dependsOn entry resolved: an unknown workflow or step is reported. */
export function resolveStepDependency(text: string, pointer: string, workflow: WorkflowSymbol, symbols: SymbolTable): Lowered<StepDependencyRef> {
  const out = new Collector(symbols.file);
  const unknownStep = (stepId: string, workflowId: string, names: Iterable<string>): Lowered<StepDependencyRef> => {
    out.report("AZC4135", { stepId, workflowId, names: [...names].join(", ") || "(none)" }, { pointer });
    return out.done(undefined);
  };
  const other = OTHER_WORKFLOW.exec(text);
  const remote = OTHER_DOCUMENT.exec(text);
  if (!other && !remote) {
    if (text.startsWith("$")) {
      out.report("AZC3001", { text, reason: "a dependsOn entry is a stepId, $workflows.<id>.steps.<id> or $sourceDescriptions.<name>.<id>.steps.<id>" }, { pointer });
      return out.done(undefined);
    }
    if (!workflow.stepsById.has(text)) return unknownStep(text, workflow.workflowId, workflow.stepsById.keys());
    return out.done({ stepId: text });
  }
  const workflowText = other ? other[1]! : `$sourceDescriptions.${remote![1]}.${remote![2]}`;
  const stepId = other ? other[2]! : remote![3]!;
  const target = out.take(resolveWorkflow(workflowText, pointer, symbols));
  if (!target) return out.done(undefined);
  const steps = target.workflow.steps.map((s) => s.stepId);
  if (!steps.includes(stepId)) return unknownStep(stepId, target.ref.workflowId, steps);
  // A step of this very workflow written the long way is a local dependency.
  if (target.ref.source === undefined && target.ref.workflowId === workflow.workflowId) return out.done({ stepId });
  return out.done({ workflow: target.ref, stepId });
}

export interface OrderInput {
  readonly id: string;
  readonly dependsOn: readonly StepDependencyRef[];
  /** Where each dependsOn entry is written, in the same order. */
  readonly pointers: readonly string[];
  readonly reads: readonly Read[];
  readonly onSuccess: readonly Action[];
  readonly onFailure: readonly Action[];
}

/**
 * The execution order of a workflow whose steps declare dependsOn: the steps' ids in order, or undefined
 * (with a diagnostic) when the dependencies form a cycle. A read of a later step's outputs that the later step
 * reaches back through goto is a poll loop's read, not a dependency.
 */
export function orderSteps(steps: readonly OrderInput[], workflowId: string, symbols: SymbolTable): Lowered<readonly string[]> {
  const out = new Collector(symbols.file);
  const position = new Map(steps.map((s, i) => [s.id, i] as const));
  const exits = lowerExits(steps.map((s) => ({ id: s.id, onSuccess: s.onSuccess, onFailure: s.onFailure })));
  const successors = new Map(
    exits.map((e) => [e.id, [...e.onSuccess, ...e.onFailure].flatMap((x) => (x.to.kind === "step" ? [x.to.step] : []))] as const),
  );
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (id === to) return true;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(successors.get(id) ?? []));
    }
    return false;
  };
  const result = executionOrder(
    steps.map((step) => ({
      id: step.id,
      explicit: step.dependsOn.flatMap((d) => (d.workflow === undefined ? [d.stepId] : [])),
      implicit: [
        ...new Set(
          step.reads.flatMap((r) =>
            r.ref.kind === "stepOutput" &&
            r.ref.stepId !== step.id &&
            !((position.get(r.ref.stepId) ?? 0) > (position.get(step.id) ?? 0) && reaches(r.ref.stepId, step.id))
              ? [r.ref.stepId]
              : [],
          ),
        ),
      ],
    })),
  );
  if (result.ok) {
    if (result.order.some((id, i) => steps[i]!.id !== id))
      out.report("AZC4137", { workflowId, order: result.order.join(", ") }, { pointer: joinPointer(symbolsPointer(symbols, workflowId), "steps") });
    return out.done(result.order);
  }
  // Reported at the dependsOn entry of the cycle's first step that declares one.
  const cycle = result.cycle;
  const holder = steps.find((s, _i) => cycle.includes(s.id) && s.dependsOn.some((d) => d.workflow === undefined && cycle.includes(d.stepId)));
  const entry = holder ? holder.dependsOn.findIndex((d) => d.workflow === undefined && cycle.includes(d.stepId)) : -1;
  const pointer = holder && entry >= 0 ? holder.pointers[entry]! : joinPointer(symbolsPointer(symbols, workflowId), "steps");
  out.report("AZC4136", { cycle: cycle.join(" -> ") }, { pointer });
  return out.done(undefined);
}

function symbolsPointer(symbols: SymbolTable, workflowId: string): string {
  return symbols.workflowsById.get(workflowId)?.pointer ?? "";
}
