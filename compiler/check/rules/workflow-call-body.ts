import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { allSteps, type Rule } from "./rule.js";

/** A step that calls a workflow sends no request; a request body there is ignored. */
export const workflowCallBody: Rule = {
  name: "workflow-call-body",
  check(context) {
    return allSteps(context).flatMap(({ step }) =>
      step.symbol.step.workflowId !== undefined && step.symbol.step.requestBody !== undefined
        ? [diagnosticAt(context.symbols.file, "AZC4017", {}, { pointer: joinPointer(step.symbol.pointer, "requestBody"), preferKey: true })]
        : [],
    );
  },
};
