import type { Diagnostic } from "../../diagnostics.js";
import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { calledInputs } from "../symbols.js";
import { allSteps, type Rule } from "./rule.js";

/**
 * A step that calls a workflow maps its parameters to that workflow's inputs by name: `in` means nothing
 * there (a warning), and a name that is not an input is suspicious (a warning). An inherited parameter is told
 * once per workflow called.
 */
export const workflowCallParameters: Rule = {
  name: "workflow-call-parameters",
  check(context) {
    const told = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const { step } of allSteps(context)) {
      const called = step.called;
      if (!called) continue;
      const declared = calledInputs(context.symbols, called).names;
      for (const entry of step.symbol.parameters) {
        const { parameter } = entry;
        const workflowId = called.workflow.workflowId;
        if (parameter.in !== undefined) {
          const args = { name: parameter.name, in: parameter.in, workflowId };
          diagnostics.push(
            diagnosticAt(context.symbols.file, "AZC4016", args, { pointer: joinPointer(entry.pointer, "in"), preferKey: true }),
          );
        }
        if (!declared || declared.has(parameter.name)) continue;
        const key = `${entry.pointer}\u0000${called.ref.source ?? ""}\u0000${workflowId}`;
        if (told.has(key)) continue;
        told.add(key);
        const args = { name: parameter.name, workflowId, names: [...declared].join(", ") };
        diagnostics.push(diagnosticAt(context.symbols.file, "AZC4018", args, { pointer: joinPointer(entry.pointer, "name") }));
      }
    }
    return diagnostics;
  },
};
