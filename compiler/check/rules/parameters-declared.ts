import type { Diagnostic } from "../../diagnostics.js";
import { joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { operationLabel } from "../targets.js";
import { allSteps, type Rule } from "./rule.js";

/**
 * A parameter the operation does not declare is sent as given (a warning), except a path parameter, which has
 * no place in the path template (an error). Security scheme parameters and Accept, Content-Type and
 * Authorization headers are never OpenAPI parameters: sending them is normal. An inherited parameter is told
 * once per operation.
 */
export const parametersDeclared: Rule = {
  name: "parameters-declared",
  check(context) {
    const told = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const { step } of allSteps(context)) {
      const operation = step.operation;
      if (!operation) continue;
      for (const { entry, value } of step.parameterValues) {
        const { parameter } = entry;
        // A value that failed is reported already; an operation step's parameter without `in` is not sent.
        // A channel parameter on an HTTP step is an error of its own (AZC4162).
        if (value === undefined || parameter.in === undefined || (parameter.in as string) === "channel") continue;
        const declared = operation.parameters.some(
          (p) =>
            p.in === parameter.in &&
            (p.in === "header" ? p.name.toLowerCase() === parameter.name.toLowerCase() : p.name === parameter.name),
        );
        const bySecurity = operation.securityParameters.some(
          (p) => p.in === parameter.in && p.name === (parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name),
        );
        const standardHeader =
          parameter.in === "header" && ["accept", "content-type", "authorization"].includes(parameter.name.toLowerCase());
        if (declared || bySecurity || standardHeader) continue;
        const key = `${entry.pointer}\u0000${operation.method} ${operation.path}`;
        if (entry.inherited && told.has(key)) continue;
        told.add(key);
        const at = { pointer: joinPointer(entry.pointer, "name") };
        if (parameter.in === "path") {
          const names = operation.parameters.filter((p) => p.in === "path").map((p) => p.name);
          diagnostics.push(
            diagnosticAt(
              context.symbols.file,
              "AZC4009",
              { name: parameter.name, path: operation.path, names: names.join(", ") || "(none)" },
              at,
            ),
          );
          continue;
        }
        const elsewhere = operation.parameters.find((p) => p.name === parameter.name);
        const operationId = operationLabel(operation) + (elsewhere ? ` (it declares it in ${elsewhere.in})` : "");
        diagnostics.push(diagnosticAt(context.symbols.file, "AZC4007", { name: parameter.name, in: parameter.in, operationId }, at));
      }
    }
    return diagnostics;
  },
};
