import type { Diagnostic } from "../../diagnostics.js";
import { diagnosticAt } from "../report.js";
import { parameterKey } from "../symbols.js";
import { operationLabel } from "../targets.js";
import { allSteps, type Rule } from "./rule.js";
import { isObject } from "../../load/json.js";

/** Where a parameter of each location travels in the request. */
const PLACES: Readonly<Record<string, string>> = {
  path: "in the URL path",
  query: "in the query string",
  querystring: "as the query string",
  header: "as a header",
  cookie: "in the Cookie header",
};

/**
 * Every required parameter of the operation is supplied. A parameter the step writes supplies its place even
 * when something else is wrong with it (reported there), so one mistake gives one diagnostic: a value that
 * failed, a parameter without `in` (meant for some place), a path parameter the template lacks (meant for one
 * of the template's).
 */
export const requiredParameters: Rule = {
  name: "required-parameters",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const { step } of allSteps(context)) {
      const operation = step.operation;
      if (!operation) continue;
      const supplied = new Set<string>();
      for (const { parameter } of step.symbol.parameters) {
        if (parameter.in === undefined) {
          for (const place of ["path", "query", "header", "cookie"] as const)
            supplied.add(parameterKey({ in: place, name: parameter.name }));
          continue;
        }
        supplied.add(parameterKey(parameter));
        const declaredPath = operation.parameters.some((p) => p.in === "path" && p.name === parameter.name);
        if (parameter.in === "path" && !declaredPath)
          for (const p of operation.parameters) if (p.in === "path") supplied.add(parameterKey(p));
      }
      for (const declared of operation.parameters) {
        if (!declared.required || supplied.has(parameterKey(declared))) continue;
        // A value written in the request body under the parameter's name was meant for the parameter.
        const payload = step.symbol.step.requestBody?.payload;
        const inBody = isObject(payload) && Object.prototype.hasOwnProperty.call(payload, declared.name);
        const misplaced = inBody
          ? ` (the request body has a member '${declared.name}', but a ${declared.in} parameter is sent ${PLACES[declared.in] ?? `in the ${declared.in}`}, not in the body)`
          : "";
        const args = { in: declared.in, name: declared.name, operationId: operationLabel(operation), misplaced };
        diagnostics.push(diagnosticAt(context.symbols.file, "AZC4008", args, { pointer: step.symbol.pointer, preferKey: true }));
      }
    }
    return diagnostics;
  },
};
