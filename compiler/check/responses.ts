// Which responses a step's outputs and criteria read, and whether a JSON pointer can exist in them.
import { pathPresence as navigatePresence } from "../ir/schema.js";
import { isJsonMediaType } from "../load/json.js";
import type { Located, ResponseInfo } from "../load/openapi.js";
import type { DocumentStore } from "../load/refs.js";
import type { BoundStep } from "./model.js";

/** Whether a failed step can hand control on (its outputs then reflect any response). */
export function continuesOnFailure(step: BoundStep): boolean {
  return step.onFailure.some((a) => a.kind === "goto");
}

/**
 * The responses whose values a step's outputs can hold: those the success criteria admit (`$statusCode
 * == N`), else the 2XX ones, else default. A step whose failure actions continue the workflow exposes
 * its outputs after any response, so then all responses count.
 */
export function observedResponses(step: Pick<BoundStep, "target" | "admittedStatuses" | "onFailure">): ResponseInfo[] {
  if (step.target.kind !== "operation") return [];
  const responses = step.target.operation.responses;
  if (step.onFailure.some((a) => a.kind === "goto")) return [...responses];
  const admitted = step.admittedStatuses?.map(String);
  let chosen = admitted ? responses.filter((r) => admitted.includes(r.status) || admitted.some((s) => r.status === `${s[0]}XX`)) : [];
  if (chosen.length === 0) chosen = responses.filter((r) => /^2(\d\d|XX)$/i.test(r.status));
  if (chosen.length === 0) chosen = responses.filter((r) => r.status === "default");
  return chosen;
}

/** The schema a response body is read through: its JSON media type's, else the first one's. */
export function bodySchemas(responses: readonly ResponseInfo[]): { mediaType: string; schema?: Located }[] {
  return responses.flatMap((r) => {
    const json = r.content.find((c) => isJsonMediaType(c.mediaType));
    return json ? [json] : r.content.slice(0, 1);
  });
}

export type PathPresence = "present" | "absent" | "unknown" | { readonly broken: string; readonly reason: string; readonly at: Located };

/**
 * Can `path` exist in a value described by `schema`? "absent" only when the schema declares the members at
 * some level and rules the token out (no such property and no additionalProperties allowing it). Read
 * through the normalized schema by the one schema navigator; a $ref met on the way that resolves nowhere is
 * returned with the place it is written.
 */
export function pathPresence(store: DocumentStore, schema: Located, path: readonly string[]): PathPresence {
  const schemas = store.schemas;
  const presence = navigatePresence(schemas.normalize(schema), path, schemas.table, (s) => schemas.unresolvedRef(s) !== undefined);
  if (typeof presence !== "object") return presence;
  const unresolved = schemas.unresolvedRef(presence.unresolved)!;
  const origin = schemas.origin(presence.unresolved);
  const file = origin ? store.load(origin.path, false).file : undefined;
  if (!origin || !file) return "unknown";
  return { broken: unresolved.ref, reason: unresolved.reason, at: { file, pointer: origin.pointer, value: undefined } };
}
