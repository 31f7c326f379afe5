import type { Diagnostic } from "../../diagnostics.js";
import { joinPointer } from "../../load/pointer.js";
import type { ParsedFile } from "../../load/yaml.js";
import { diagnosticAt, relatedAt } from "../report.js";
import { parameterKey, type ParameterEntry } from "../symbols.js";
import type { Rule } from "./rule.js";

function duplicates(entries: readonly ParameterEntry[], file: ParsedFile): Diagnostic[] {
  const first = new Map<string, ParameterEntry>();
  return entries.flatMap((entry) => {
    const key = parameterKey(entry.parameter);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, entry);
      return [];
    }
    const name = `${entry.parameter.name}, ${entry.parameter.in ?? "-"}`;
    const related = relatedAt(file, "The first declaration", { pointer: joinPointer(earlier.pointer, "name") });
    return [
      diagnosticAt(file, "AZC4010", { what: "parameter (name, in)", name }, { pointer: joinPointer(entry.pointer, "name") }, [related]),
    ];
  });
}

/** Within a step's parameters, and within a workflow's, (name, in) is unique (header names in any case). */
export const uniqueParameters: Rule = {
  name: "unique-parameters",
  check({ symbols }) {
    return symbols.workflows.flatMap((workflow) => [
      ...duplicates(workflow.parameters, symbols.file),
      ...workflow.steps.flatMap((step) => duplicates(step.ownParameters, symbols.file)),
    ]);
  },
};
