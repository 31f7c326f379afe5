import { makeDiagnostic, type Diagnostic } from "../../diagnostics.js";
import { isJsonMediaType } from "../../load/json.js";
import { escapePointerToken, joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { bodySchemas, observedResponses, pathPresence } from "../responses.js";
import { operationLabel } from "../targets.js";
import { allSteps, type Rule } from "./rule.js";

/**
 * A JSON pointer read from a response body (`$response.body#/owner`) can exist in the response schemas of the
 * statuses the step's success criteria admit: a pointer no schema allows is most likely a typo (a warning). A
 * description $ref met on the way that resolves nowhere is told once, where it is written.
 */
export const responsePointers: Rule = {
  name: "response-pointers",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    const brokenTold = new Set<string>();
    const told = new Set<string>();
    for (const { step } of allSteps(context)) {
      const bound = step.bound;
      if (!bound || bound.target.kind !== "operation") continue;
      const responses = observedResponses(bound);
      const schemas = bodySchemas(responses).flatMap((m) => (m.schema && isJsonMediaType(m.mediaType) ? [m.schema] : []));
      if (schemas.length === 0) continue;
      for (const read of [...step.reads, ...step.inheritedReads]) {
        const { ref } = read;
        if (ref.kind !== "responseBody" || ref.path.length === 0) continue;
        const presences = schemas.map((schema) => pathPresence(context.symbols.store, schema, ref.path));
        const broken = presences.find((p) => typeof p === "object");
        if (broken && typeof broken === "object") {
          const pointer = joinPointer(broken.at.pointer, "$ref");
          const key = `${broken.at.file.displayPath}\u0000${pointer}`;
          if (brokenTold.has(key)) continue;
          brokenTold.add(key);
          const where = { file: broken.at.file.displayPath, pointer, range: broken.at.file.locate(pointer) };
          diagnostics.push(makeDiagnostic("AZC1010", { ref: broken.broken, reason: broken.reason }, where));
          continue;
        }
        if (!presences.every((p) => p === "absent")) continue;
        const args = {
          operationId: operationLabel(bound.target.operation),
          pointer: "/" + ref.path.map(escapePointerToken).join("/"),
          statuses: responses.map((r) => r.status).join(", "),
        };
        // An inherited criterion read by steps of the same operation is the same finding.
        const key = `${read.at.pointer}\u0000${read.at.span?.start ?? ""}\u0000${args.operationId}\u0000${args.statuses}`;
        if (told.has(key)) continue;
        told.add(key);
        diagnostics.push(diagnosticAt(context.symbols.file, "AZC4021", args, { pointer: read.at.pointer }));
      }
    }
    return diagnostics;
  },
};
