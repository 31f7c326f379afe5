import type { Diagnostic } from "../../diagnostics.js";
import { joinPointer } from "../../load/pointer.js";
import { analyzeFlow } from "../flow.js";
import { diagnosticAt } from "../report.js";
import type { Rule } from "./rule.js";

/** Every step can run (some path from the first step reaches it), and none is caught in a loop with no exit. */
export const reachableSteps: Rule = {
  name: "reachable-steps",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const workflow of context.workflows) {
      if (!workflow.bound) continue;
      const flow = analyzeFlow(workflow.bound.steps);
      for (const step of workflow.symbol.steps) {
        if (workflow.symbol.stepsById.get(step.stepId) !== step) continue; // a duplicate id is reported as such
        const at = { pointer: joinPointer(step.pointer, "stepId"), preferKey: true };
        if (!flow.reachable.has(step.stepId)) diagnostics.push(diagnosticAt(context.symbols.file, "AZC5001", { stepId: step.stepId }, at));
        else if (flow.trapped.has(step.stepId))
          diagnostics.push(diagnosticAt(context.symbols.file, "AZC5002", { stepId: step.stepId }, at));
      }
    }
    return diagnostics;
  },
};
