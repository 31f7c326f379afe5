import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt, relatedAt } from "../report.js";
import type { Rule } from "./rule.js";

/** A workflow's dependsOn lists each workflow once (the schema's uniqueItems); a repeat names the first entry. */
export const uniqueDependencies: Rule = {
  name: "unique-dependencies",
  check({ symbols }) {
    return symbols.workflows.flatMap((workflow) => {
      const first = new Map<string, number>();
      return (workflow.workflow.dependsOn ?? []).flatMap((id, i) => {
        const earlier = first.get(id);
        if (earlier === undefined) {
          first.set(id, i);
          return [];
        }
        const related = relatedAt(symbols.file, "The first entry", { pointer: joinPointer(workflow.pointer, "dependsOn", earlier) });
        const at = { pointer: joinPointer(workflow.pointer, "dependsOn", i) };
        return [diagnosticAt(symbols.file, "AZC4045", { workflowId: id }, at, [related])];
      });
    });
  },
};
