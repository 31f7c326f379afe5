import type { Diagnostic } from "../../diagnostics.js";
import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { allSteps, type Rule } from "./rule.js";

/**
 * `in: querystring` (Arazzo 1.1) is the whole query string: a step sends at most one, and none beside `in: query`
 * parameters (counted over the step's effective parameters, workflow-level ones merged in). A literal value is
 * the query's text, so it is a string.
 */
export const querystringParameters: Rule = {
  name: "querystring-parameters",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const { step } of allSteps(context)) {
      if (!step.operation) continue;
      const entries = step.symbol.parameters.filter((e) => e.parameter.in === "querystring");
      if (entries.length === 0) continue;
      const query = step.symbol.parameters.find((e) => e.parameter.in === "query");
      const second = entries[1] ?? (query !== undefined ? query : undefined);
      if (second !== undefined) {
        const other = second === query ? `the in: query parameter '${query.parameter.name}'` : `a second in: querystring parameter '${second.parameter.name}'`;
        diagnostics.push(
          diagnosticAt(context.symbols.file, "AZC4143", { stepId: step.symbol.stepId, other }, { pointer: joinPointer(second.pointer, "in") }),
        );
      }
      for (const entry of entries) {
        const value = entry.parameter.value;
        if (typeof value === "string" || value === undefined || (typeof value === "object" && value !== null && !Array.isArray(value))) continue;
        const kind = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
        diagnostics.push(diagnosticAt(context.symbols.file, "AZC4144", { name: entry.parameter.name, kind }, { pointer: joinPointer(entry.pointer, "value") }));
      }
    }
    return diagnostics;
  },
};
