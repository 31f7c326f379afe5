import type { Diagnostic } from "../../diagnostics.js";
import { unguaranteedDependencies } from "../../ir/order.js";
import { joinPointer } from "../../load/pointer.js";
import type { BoundWorkflow } from "../model.js";
import { diagnosticAt } from "../report.js";
import { declaredDependencies } from "../step-dependencies.js";
import type { Rule } from "./rule.js";

/**
 * A step dependsOn entry (Arazzo 1.1) that the control flow does not guarantee is checked when the step starts
 * (delta A-10): a warning says so, at the entry, since such a step may fail with reason `dependency`.
 */
export const stepDependenciesMet: Rule = {
  name: "step-dependencies-met",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    const bound = new Map<string, BoundWorkflow>();
    for (const w of context.workflows) if (w.bound) bound.set(w.bound.workflowId, w.bound);
    for (const workflow of context.workflows) {
      if (!workflow.bound) continue;
      for (const [stepId, open] of unguaranteedDependencies(workflow.bound, bound)) {
        const symbol = workflow.symbol.stepsById.get(stepId);
        if (!symbol) continue;
        const written = declaredDependencies(symbol.step);
        for (const dependency of open) {
          const index = written.findIndex((text) =>
            dependency.workflow === undefined
              ? text === dependency.stepId || text === `$workflows.${workflow.symbol.workflowId}.steps.${dependency.stepId}`
              : text.endsWith(`${dependency.workflow.workflowId}.steps.${dependency.stepId}`),
          );
          const label = dependency.workflow
            ? `step '${dependency.stepId}' of workflow ${dependency.workflow.source !== undefined ? `${dependency.workflow.source}.` : ""}${dependency.workflow.workflowId}`
            : `step '${dependency.stepId}'`;
          const at = { pointer: index >= 0 ? joinPointer(symbol.pointer, "dependsOn", index) : symbol.pointer };
          diagnostics.push(diagnosticAt(context.symbols.file, "AZC4138", { stepId, dependency: label }, at));
        }
      }
    }
    return diagnostics;
  },
};
