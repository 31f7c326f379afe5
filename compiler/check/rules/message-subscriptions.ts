import type { Diagnostic } from "../../diagnostics.js";
import { flowFacts, lowerExits } from "../../ir/flow.js";
import { listenPoint } from "../../ir/messages.js";
import { diagnosticAt } from "../report.js";
import type { Rule } from "./rule.js";

/**
 * A receive step's subscription opens before the one step that leads to it, when the values it needs are known
 * there (ir/messages.ts); otherwise only when the step starts, and a message the step before triggers may come
 * first and be missed (delta §5.5): a warning.
 */
export const messageSubscriptions: Rule = {
  name: "message-subscriptions",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const workflow of context.workflows) {
      const bound = workflow.bound;
      if (!bound || !bound.steps.some((s) => s.target.kind === "message" && s.target.message.action === "receive")) continue;
      const exits = lowerExits(bound.steps.map((s) => ({ id: s.stepId, onSuccess: s.onSuccess, onFailure: s.onFailure })));
      const flow = flowFacts(exits);
      for (const step of bound.steps) {
        if (step.target.kind !== "message" || step.target.message.action !== "receive") continue;
        const m = step.target.message;
        const needs = [...m.parameters.map(([, v]) => v), ...(m.correlation ? [m.correlation.value] : [])];
        // The first step of a workflow has nothing before it that could trigger its message.
        if (step.stepId === bound.steps[0]?.stepId || listenPoint(step.stepId, exits, flow.mustHaveRun, needs) !== undefined) continue;
        const symbol = workflow.symbol.stepsById.get(step.stepId);
        if (!symbol) continue;
        diagnostics.push(
          diagnosticAt(context.symbols.file, "AZC4158", { stepId: step.stepId }, { pointer: symbol.pointer + "/stepId", preferKey: true }),
        );
      }
    }
    return diagnostics;
  },
};
