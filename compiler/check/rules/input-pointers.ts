import type { Diagnostic } from "../../diagnostics.js";
import { escapePointerToken, joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { pathPresence } from "../responses.js";
import type { Rule } from "./rule.js";

/**
 * A JSON pointer read from an input (`$inputs.customer#/name`, or `$inputs.customer.name` read as one) can exist
 * in the workflow's inputs schema: a pointer the schema rules out is most likely a typo (a warning), as for
 * response bodies (rules/response-pointers).
 */
export const inputPointers: Rule = {
  name: "input-pointers",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    const { file, store } = context.symbols;
    for (const workflow of context.workflows) {
      const { workflow: written, pointer } = workflow.symbol;
      if (written.inputs === undefined || workflow.symbol.inputs.broken) continue;
      const schema = { file, pointer: joinPointer(pointer, "inputs"), value: written.inputs };
      const told = new Set<string>();
      const reads = [...workflow.steps.flatMap((s) => [...s.reads, ...s.inheritedReads]), ...workflow.outputReads];
      for (const read of reads) {
        const { ref } = read;
        if (ref.kind !== "input" || ref.path.length === 0) continue;
        // An inherited parameter is read by every step that inherits it: one finding.
        const key = `${read.at.pointer}\u0000${read.at.span?.start ?? ""}`;
        if (told.has(key)) continue;
        told.add(key);
        if (pathPresence(store, schema, [ref.name, ...ref.path]) !== "absent") continue;
        const args = { name: ref.name, pointer: "/" + ref.path.map(escapePointerToken).join("/"), workflowId: workflow.symbol.workflowId };
        diagnostics.push(diagnosticAt(file, "AZC3029", args, read.at));
      }
    }
    return diagnostics;
  },
};
