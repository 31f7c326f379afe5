import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt, relatedAt } from "../report.js";
import type { Rule } from "./rule.js";

/** Within a workflow each stepId is declared once; a repeat names the first declaration. */
export const uniqueStepIds: Rule = {
  name: "unique-step-ids",
  check({ symbols }) {
    return symbols.workflows.flatMap((workflow) =>
      workflow.steps.flatMap((step) => {
        const first = workflow.stepsById.get(step.stepId)!;
        if (first === step) return [];
        const related = relatedAt(symbols.file, "The first declaration", { pointer: joinPointer(first.pointer, "stepId") });
        const at = { pointer: joinPointer(step.pointer, "stepId") };
        return [diagnosticAt(symbols.file, "AZC4010", { what: "stepId", name: step.stepId }, at, [related])];
      }),
    );
  },
};
