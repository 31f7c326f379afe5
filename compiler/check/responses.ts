// Which responses a step's outputs and criteria read, and whether a JSON pointer can exist in them.
import { declaredProperties, pathPresence as navigatePresence, schemaAt } from "../ir/schema.js";
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

/** What a read of `path` in a step's response body finds in the JSON response schemas the step can observe. */
export interface BodyPointerCheck {
  readonly responses: readonly ResponseInfo[];
  /** "absent" when every schema rules the path out; a broken $ref when one was met on the way. */
  readonly presence: PathPresence;
  /** The JSON schemas read. */
  readonly schemas: readonly Located[];
}

/**
 * The one check of a JSON pointer into a response body, shared by reads of `$response.body#/p` and reads that
 * reach the body through step and workflow outputs. Undefined when the step has no JSON response schema.
 */
export function checkBodyPointer(store: DocumentStore, step: BoundStep, path: readonly string[]): BodyPointerCheck | undefined {
  const responses = observedResponses(step);
  const schemas = bodySchemas(responses).flatMap((m) => (m.schema && isJsonMediaType(m.mediaType) ? [m.schema] : []));
  if (schemas.length === 0) return undefined;
  const presences = schemas.map((schema) => pathPresence(store, schema, path));
  const broken = presences.find((p) => typeof p === "object");
  const presence: PathPresence =
    broken ?? (presences.every((p) => p === "absent") ? "absent" : presences.includes("present") ? "present" : "unknown");
  return { responses, presence, schemas };
}

/**
 * The members that the schemas declare at `path` (for "did you mean" suggestions): the properties of what
 * the navigator finds there, through references and compositions.
 */
export function membersAt(store: DocumentStore, schemas: readonly Located[], path: readonly string[]): string[] {
  const table = store.schemas.table;
  const names = new Set<string>();
  for (const schema of schemas)
    for (const read of schemaAt(store.schemas.normalize(schema), path, table))
      if (read.declared) for (const name of declaredProperties(read.schema, table) ?? []) names.add(name);
  return [...names];
}
