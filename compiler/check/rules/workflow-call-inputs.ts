import { diagnosticAt } from "../report.js";
import { calledInputs } from "../symbols.js";
import { allSteps, type Rule } from "./rule.js";

/** A step that calls a workflow supplies each of its required inputs as a parameter. */
export const workflowCallInputs: Rule = {
  name: "workflow-call-inputs",
  check(context) {
    return allSteps(context).flatMap(({ step }) => {
      const called = step.called;
      if (!called) return [];
      const given = new Set(step.symbol.parameters.map((e) => e.parameter.name));
      return calledInputs(context.symbols, called)
        .required.filter((name) => !given.has(name))
        .map((name) =>
          diagnosticAt(
            context.symbols.file,
            "AZC4019",
            { name, workflowId: called.workflow.workflowId },
            {
              pointer: step.symbol.pointer,
              preferKey: true,
            },
          ),
        );
    });
  },
};
