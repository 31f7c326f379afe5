import type { Diagnostic } from "../../diagnostics.js";
import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import type { Rule } from "./rule.js";

/** dependsOn must order the workflows: each cycle is reported once, at the entry that closes it. */
export const dependsOnAcyclic: Rule = {
  name: "depends-on-acyclic",
  check({ symbols }) {
    const diagnostics: Diagnostic[] = [];
    const state = new Map<string, "visiting" | "done">();
    const reported = new Set<string>();
    const visit = (id: string, path: string[]): void => {
      const workflow = symbols.workflowsById.get(id);
      if (!workflow || state.get(id) === "done") return;
      state.set(id, "visiting");
      (workflow.workflow.dependsOn ?? []).forEach((dependency, i) => {
        if (state.get(dependency) !== "visiting") return visit(dependency, [...path, id]);
        const cycle = [...path.slice(path.indexOf(dependency)), id, dependency];
        // The same cycle met from another of its workflows is the same cycle.
        const members = [...cycle].sort().join(" ");
        if (reported.has(members)) return;
        reported.add(members);
        const at = { pointer: joinPointer(workflow.pointer, "dependsOn", i) };
        diagnostics.push(diagnosticAt(symbols.file, "AZC4015", { cycle: cycle.join(" -> ") }, at));
      });
      state.set(id, "done");
    };
    for (const workflow of symbols.workflows) visit(workflow.workflowId, []);
    return diagnostics;
  },
};
