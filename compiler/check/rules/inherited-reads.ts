import type { Diagnostic } from "../../diagnostics.js";
import { longestMatch, NO_RESPONSE_HINT, OUTPUTS_OUTSIDE_CALL, PLACE_NAMES } from "../resolve.js";
import { diagnosticAt, type Read } from "../report.js";
import { allSteps, type Rule } from "./rule.js";

// $statusCode exists in a step that calls a workflow too (the last status that workflow received).
const RESPONSE_KINDS = new Set(["url", "method", "responseHeader", "responseBody"]);

/**
 * A workflow-level action is lowered once, for all its steps; what its criteria read must exist in each step
 * that inherits it: a step that calls a workflow has no HTTP response, and only such a step has `$outputs`.
 * Each read is told once per kind of mistake.
 */
export const inheritedReads: Rule = {
  name: "inherited-reads",
  check(context) {
    const told = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    const tell = (read: Read, what: string, diagnostic: () => Diagnostic): void => {
      const key = `${read.at.pointer}\u0000${read.at.span?.start ?? ""}\u0000${what}`;
      if (told.has(key)) return;
      told.add(key);
      diagnostics.push(diagnostic());
    };
    for (const { step } of allSteps(context)) {
      const callsWorkflow = step.symbol.step.workflowId !== undefined;
      for (const read of step.inheritedReads) {
        if (read.place !== "criterion") continue;
        const { ref } = read;
        if (callsWorkflow && RESPONSE_KINDS.has(ref.kind)) {
          const args = { expression: read.text, place: PLACE_NAMES.criterion, hint: NO_RESPONSE_HINT };
          tell(read, "response", () => diagnosticAt(context.symbols.file, "AZC3009", args, read.at));
        }
        if (ref.kind !== "callOutput") continue;
        if (!step.called) {
          // A step whose workflow is unknown is reported as such.
          if (!callsWorkflow)
            tell(read, "outputs", () =>
              diagnosticAt(context.symbols.file, "AZC3001", { text: read.text, reason: OUTPUTS_OUTSIDE_CALL }, read.at),
            );
          continue;
        }
        const outputs = Object.keys(step.called.workflow.outputs ?? {});
        const name = [ref.name, ...ref.path].join(".");
        if (outputs.includes(ref.name) || longestMatch(name, outputs)) continue;
        const reason = `the called workflow has no output '${ref.name}' (its outputs: ${outputs.join(", ") || "(none declared)"})`;
        tell(read, `output ${step.called.workflow.workflowId}`, () =>
          diagnosticAt(context.symbols.file, "AZC3001", { text: read.text, reason }, read.at),
        );
      }
    }
    return diagnostics;
  },
};
