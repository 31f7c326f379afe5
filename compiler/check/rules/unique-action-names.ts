import type { Diagnostic } from "../../diagnostics.js";
import { joinPointer } from "../../load/pointer.js";
import type { ParsedFile } from "../../load/yaml.js";
import { diagnosticAt, relatedAt } from "../report.js";
import type { ActionEntry } from "../symbols.js";
import type { Rule } from "./rule.js";

function duplicates(entries: readonly ActionEntry[], file: ParsedFile): Diagnostic[] {
  const first = new Map<string, ActionEntry>();
  return entries.flatMap((entry) => {
    const earlier = first.get(entry.action.name);
    if (!earlier) {
      first.set(entry.action.name, entry);
      return [];
    }
    const related = relatedAt(file, "The first declaration", { pointer: joinPointer(earlier.pointer, "name") });
    const at = { pointer: joinPointer(entry.pointer, "name") };
    return [diagnosticAt(file, "AZC4010", { what: "action name", name: entry.action.name }, at, [related])];
  });
}

/** Within one list of success or failure actions (a step's, or a workflow's), each name is used once. */
export const uniqueActionNames: Rule = {
  name: "unique-action-names",
  check({ symbols }) {
    return symbols.workflows.flatMap((workflow) => [
      ...duplicates(workflow.successActions, symbols.file),
      ...duplicates(workflow.failureActions, symbols.file),
      ...workflow.steps.flatMap((step) => [...duplicates(step.ownOnSuccess, symbols.file), ...duplicates(step.ownOnFailure, symbols.file)]),
    ]);
  },
};
