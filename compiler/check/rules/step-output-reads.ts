import type { Diagnostic } from "../../diagnostics.js";
import { analyzeFlow, END } from "../flow.js";
import { diagnosticAt, type Read } from "../report.js";
import type { Rule } from "./rule.js";

/**
 * `$steps.X.outputs.Y` needs X to have run: an error when no path to the read runs X, a warning when some
 * path skips it. A workflow output is absent where X did not run: the normal case of a branch, and a warning
 * only when no successful end runs X. A read
 * before the request (parameters, body) sees the steps run before this one; a read after it (criteria,
 * outputs) also sees this step, whose outputs are recorded first. Steps never reached are reported as such.
 */
export const stepOutputReads: Rule = {
  name: "step-output-reads",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const workflow of context.workflows) {
      if (!workflow.bound) continue;
      const flow = analyzeFlow(workflow.bound.steps);
      const check = (read: Read, stepId: string | undefined): void => {
        const { ref } = read;
        if (ref.kind !== "stepOutput") return;
        const at = stepId ?? END;
        const after = read.place === "criterion" || read.place === "stepOutput";
        if ((after && ref.stepId === stepId) || flow.mustHaveRun.get(at)?.has(ref.stepId)) return;
        const reader = stepId !== undefined ? `Step '${stepId}'` : "The workflow's outputs";
        const args = { reader, target: ref.stepId, output: ref.name };
        const may = flow.mayHaveRun.get(at)?.has(ref.stepId) ?? false;
        if (stepId === undefined) {
          // A workflow output is absent where its step did not run: a warning when that is every successful end.
          if (!may) {
            const output = read.at.pointer.split("/").pop()!.replace(/~1/g, "/").replace(/~0/g, "~");
            diagnostics.push(diagnosticAt(context.symbols.file, "AZC4033", { output, what: `step '${ref.stepId}' (${read.text})` }, read.at));
          }
        } else if (!may) diagnostics.push(diagnosticAt(context.symbols.file, "AZC4011", args, read.at));
        else diagnostics.push(diagnosticAt(context.symbols.file, "AZC4020", args, read.at));
      };
      for (const step of workflow.steps) {
        if (!flow.reachable.has(step.symbol.stepId)) continue;
        for (const read of [...step.reads, ...step.inheritedReads]) check(read, step.symbol.stepId);
      }
      for (const read of workflow.outputReads) check(read, undefined);
    }
    return diagnostics;
  },
};
