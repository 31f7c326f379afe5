import type { Diagnostic } from "../../diagnostics.js";
import { isObject } from "../../load/json.js";
import type { OperationInfo } from "../../load/openapi.js";
import { getAtPointer, joinPointer, parsePointer } from "../../load/pointer.js";
import { diagnosticAt } from "../report.js";
import { operationLabel } from "../targets.js";
import { allSteps, type Rule } from "./rule.js";

// RFC 9110 §8.3.1: type "/" subtype *( OWS ";" OWS parameter ), each a token; a parameter value is a token or
// a quoted string.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*"))*[ \\t]*;?$`);

export function isMediaType(text: string): boolean {
  return MEDIA_TYPE.test(text);
}

/** type/subtype in lower case, parameters dropped. */
function essence(mediaType: string): string {
  return mediaType.split(";", 1)[0]!.trim().toLowerCase();
}

/** Whether a media range the operation declares (`*\/*`, `application/*`, or exact) covers `mediaType`. */
export function covers(range: string, mediaType: string): boolean {
  const [type, subtype] = essence(range).split("/") as [string, string | undefined];
  const wanted = essence(mediaType);
  if (type === "*" && subtype === "*") return true;
  if (subtype === "*") return wanted.startsWith(`${type}/`);
  return essence(range) === wanted;
}

/**
 * The media types an operation's request body accepts, or undefined when the description does not say: a
 * Swagger 2.0 operation with no `consumes` (neither its own nor the document's) declares nothing.
 */
function acceptedTypes(operation: OperationInfo): string[] | undefined {
  const content = operation.requestBody?.content.map((c) => c.mediaType) ?? [];
  if (content.length === 0) return undefined;
  const root = operation.file.value;
  if (isObject(root) && root["swagger"] !== undefined) {
    const op = getAtPointer(root, parsePointer(operation.pointer) ?? []);
    if (!(isObject(op) && Array.isArray(op["consumes"])) && !Array.isArray(root["consumes"])) return undefined;
  }
  return content;
}

/**
 * A request body's contentType is a media type, and one that the operation's requestBody accepts (its
 * media ranges `application/*` and `*\/*` included): a server answers any other with 415.
 */
export const requestContentType: Rule = {
  name: "request-content-type",
  check(context) {
    const diagnostics: Diagnostic[] = [];
    for (const { step } of allSteps(context)) {
      const contentType = step.symbol.step.requestBody?.contentType;
      if (contentType === undefined || step.symbol.step.workflowId !== undefined) continue;
      const at = { pointer: joinPointer(step.symbol.pointer, "requestBody", "contentType") };
      if (!isMediaType(contentType)) {
        diagnostics.push(diagnosticAt(context.symbols.file, "AZC4043", { contentType }, at));
        continue;
      }
      const operation = step.operation;
      const accepted = operation && acceptedTypes(operation);
      if (!operation || !accepted || accepted.some((range) => covers(range, contentType))) continue;
      const args = { contentType, operationId: operationLabel(operation), accepted: accepted.join(", ") };
      diagnostics.push(diagnosticAt(context.symbols.file, "AZC4044", args, at));
    }
    return diagnostics;
  },
};
