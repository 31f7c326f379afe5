import { requiredProperties } from "../../ir/schema.js";
import { messageFields } from "../messages.js";
import { diagnosticAt } from "../report.js";
import { allSteps, type Rule } from "./rule.js";

/**
 * A send step without a payload sends `undefined`, and the transport decides what that means (delta A-17): a
 * warning when every message the step may send requires payload members, since none of them can be meant.
 */
export const messagePayloadRequired: Rule = {
  name: "message-payload-required",
  check(context) {
    const { schemas } = context.symbols.store;
    return allSteps(context).flatMap(({ step }) => {
      const target = step.message;
      if (!target || messageFields(step.symbol.step).action !== "send" || step.symbol.step.requestBody?.payload !== undefined) return [];
      const required = target.messages.map((m) => (m.payload !== undefined ? requiredProperties(schemas.normalize(m.payload), schemas.table) : []));
      if (required.length === 0 || required.some((names) => names.length === 0)) return [];
      const names = [...new Set(required.flat())].join(", ");
      return [
        diagnosticAt(
          context.symbols.file,
          "AZC4165",
          { stepId: step.symbol.stepId, target: target.label, names },
          { pointer: step.symbol.pointer + "/stepId", preferKey: true },
        ),
      ];
    });
  },
};
