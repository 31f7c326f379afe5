import { diagnosticAt } from "../report.js";
import { operationLabel } from "../targets.js";
import { allSteps, type Rule } from "./rule.js";

/** An operation whose request body is required gets one. */
export const requiredRequestBody: Rule = {
  name: "required-request-body",
  check(context) {
    return allSteps(context).flatMap(({ step }) =>
      step.operation?.requestBody?.required && step.symbol.step.requestBody === undefined
        ? [
            diagnosticAt(
              context.symbols.file,
              "AZC4013",
              { operationId: operationLabel(step.operation) },
              {
                pointer: step.symbol.pointer,
                preferKey: true,
              },
            ),
          ]
        : [],
    );
  },
};
