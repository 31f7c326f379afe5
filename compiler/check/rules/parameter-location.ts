import type { Diagnostic } from "../../diagnostics.js";
import { diagnosticAt } from "../report.js";
import type { ParameterEntry } from "../symbols.js";
import { allSteps, type Rule } from "./rule.js";

/** A parameter of a step that calls an operation says where it goes (`in`); an inherited one is told once. */
export const parameterLocation: Rule = {
  name: "parameter-location",
  check(context) {
    const told = new Set<ParameterEntry>();
    const diagnostics: Diagnostic[] = [];
    for (const { step } of allSteps(context)) {
      if (step.symbol.step.workflowId !== undefined) continue;
      for (const entry of step.symbol.parameters) {
        if (entry.parameter.in !== undefined || told.has(entry)) continue;
        told.add(entry);
        const args = { field: "in", object: "Parameter (the step calls an operation)" };
        diagnostics.push(diagnosticAt(context.symbols.file, "AZC2003", args, { pointer: entry.pointer, preferKey: true }));
      }
    }
    return diagnostics;
  },
};
