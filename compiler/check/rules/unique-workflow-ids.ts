import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt, relatedAt } from "../report.js";
import type { Rule } from "./rule.js";

/** Each workflowId is declared once; a repeat names the first declaration. */
export const uniqueWorkflowIds: Rule = {
  name: "unique-workflow-ids",
  check({ symbols }) {
    return symbols.workflows.flatMap((workflow) => {
      const first = symbols.workflowsById.get(workflow.workflowId)!;
      if (first === workflow) return [];
      const related = relatedAt(symbols.file, "The first declaration", { pointer: joinPointer(first.pointer, "workflowId") });
      const at = { pointer: joinPointer(workflow.pointer, "workflowId") };
      return [diagnosticAt(symbols.file, "AZC4010", { what: "workflowId", name: workflow.workflowId }, at, [related])];
    });
  },
};
