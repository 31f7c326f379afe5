import { makeDiagnostic, type Diagnostic } from "../../diagnostics.js";
import { escapePointerToken, joinPointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { checkBodyPointer } from "../responses.js";
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
      for (const read of [...step.reads, ...step.inheritedReads]) {
        const { ref } = read;
        if (ref.kind !== "responseBody" || ref.path.length === 0) continue;
        const checked = checkBodyPointer(context.symbols.store, bound, ref.path);
        if (!checked) break;
        const { presence, responses } = checked;
        if (typeof presence === "object") {
          const pointer = joinPointer(presence.at.pointer, "$ref");
          const key = `${presence.at.file.displayPath}\u0000${pointer}`;
          if (brokenTold.has(key)) continue;
          brokenTold.add(key);
          const where = { file: presence.at.file.displayPath, pointer, range: presence.at.file.locate(pointer) };
          diagnostics.push(makeDiagnostic("AZC1010", { ref: presence.broken, reason: presence.reason }, where));
          continue;
        }
        if (presence !== "absent") continue;
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
