import type { Diagnostic } from "../../diagnostics.js";
import { analyzeFlow, END } from "../flow.js";
import { diagnosticAt, type Read } from "../report.js";
import type { Rule } from "./rule.js";

/**
 * `$workflows.W.outputs.x` (and `.inputs.x`) needs W to have run before the read: as a dependency, or through a
 * step that called it and succeeded. An error when no path to the read runs W, a warning when some path does
 * not; a workflow output is absent on the paths where W did not run (a warning when that is every path).
 */
export const workflowReads: Rule = {
  name: "workflow-reads",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const workflow of context.workflows) {
      if (!workflow.bound) continue;
      const flow = analyzeFlow(workflow.bound.steps, workflow.bound.dependsOn);
      const calls = new Map(workflow.bound.steps.flatMap((s) => (s.target.kind === "workflow" ? [[s.stepId, s.target.workflow.workflowId]] : [])));
      const check = (read: Read, stepId: string | undefined): void => {
        const { ref } = read;
        if (ref.kind !== "workflowOutput" && ref.kind !== "workflowInput") return;
        const at = stepId ?? END;
        if (flow.workflowsMustHaveRun.get(at)?.has(ref.workflowId)) return;
        // In the step that calls it, after the call: the inputs it was called with.
        const after = read.place === "criterion" || read.place === "stepOutput";
        if (after && stepId !== undefined && calls.get(stepId) === ref.workflowId) return;
        const may = flow.workflowsMayHaveRun.get(at)?.has(ref.workflowId) ?? false;
        const args = { expression: read.text, workflowId: ref.workflowId };
        if (stepId === undefined) {
          if (may) return;
          const output = read.at.pointer.split("/").pop()!.replace(/~1/g, "/").replace(/~0/g, "~");
          diagnostics.push(
            diagnosticAt(context.symbols.file, "AZC4033", { output, what: `workflow '${ref.workflowId}' (${read.text})` }, read.at),
          );
        } else if (may) diagnostics.push(diagnosticAt(context.symbols.file, "AZC4031", args, read.at));
        else {
          const reason = `no path to step '${stepId}' runs it to completion before`;
          diagnostics.push(diagnosticAt(context.symbols.file, "AZC4030", { ...args, reason }, read.at));
        }
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
