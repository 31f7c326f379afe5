// Which responses a step's outputs and criteria read, and whether a JSON pointer can exist in them.
import { childOf, isJsonMediaType, isObject } from "../load/json.js";
import type { Located, ResponseInfo } from "../load/openapi.js";
import { refOf, type DocumentStore } from "../load/refs.js";
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
 * some level and rules the token out (no such property and no additionalProperties allowing it).
 */
export function pathPresence(store: DocumentStore, schema: Located, path: readonly string[]): PathPresence {
  return presence(store, schema, path, 0, { memo: new Map(), visits: 0 });
}

/** Schema nodes one pathPresence may visit; past it the answer is "unknown" (nothing is reported). */
const MAX_PRESENCE_VISITS = 10_000;

interface PresenceBound {
  readonly memo: Map<string, PathPresence | "walking">;
  visits: number;
}

/**
 * Bounded: branches that lead back to a schema, read through a deep pointer, would otherwise be walked once
 * per path through them (2^depth). Each (schema, remaining path) is answered once.
 */
function presence(store: DocumentStore, schema: Located, path: readonly string[], hops: number, bound: PresenceBound): PathPresence {
  if (hops > 64 || ++bound.visits > MAX_PRESENCE_VISITS) return "unknown";
  const key = `${schema.file.path}#${schema.pointer}\u0000${schema.value === undefined ? "" : typeof schema.value}\u0000${path.join("/")}`;
  const known = bound.memo.get(key);
  if (known === "walking") return "unknown";
  if (known !== undefined) return known;
  bound.memo.set(key, "walking");
  const answer = presenceOnce(store, schema, path, hops, bound);
  bound.memo.set(key, answer);
  return answer;
}

function presenceOnce(store: DocumentStore, schema: Located, path: readonly string[], hops: number, bound: PresenceBound): PathPresence {
  let node = schema;
  for (let ref = refOf(node.value); ref !== undefined; ref = refOf(node.value)) {
    const hit = store.resolve(node.file, ref);
    if ("error" in hit) return { broken: ref, reason: hit.error, at: node };
    node = { file: hit.file, pointer: hit.pointer, value: hit.value };
  }
  if (path.length === 0) return "present";
  const s = node.value;
  if (!isObject(s)) return "unknown";
  const child = (...tokens: (string | number)[]): Located => childOf(node, ...tokens);
  const combine = (results: PathPresence[]): PathPresence =>
    results.includes("present")
      ? "present"
      : (results.find((r) => typeof r === "object") ?? (results.includes("unknown") || results.length === 0 ? "unknown" : "absent"));
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const members = s[key];
    if (Array.isArray(members)) {
      const own = isObject(s["properties"])
        ? [presenceOnce(store, { ...node, value: { ...s, [key]: undefined } }, path, hops + 1, bound)]
        : [];
      return combine([...members.map((_, i) => presence(store, child(key, i), path, hops + 1, bound)), ...own]);
    }
  }
  const [head, ...rest] = path as [string, ...string[]];
  if (isObject(s["properties"]) && head in s["properties"]) return presence(store, child("properties", head), rest, hops + 1, bound);
  const isArray = s["type"] === "array" || s["items"] !== undefined;
  if (isArray)
    return /^(0|[1-9][0-9]*)$/.test(head) && s["items"] !== undefined
      ? presence(store, child("items"), rest, hops + 1, bound)
      : /^(0|[1-9][0-9]*)$/.test(head)
        ? "unknown"
        : "absent";
  if (isObject(s["additionalProperties"])) return presence(store, child("additionalProperties"), rest, hops + 1, bound);
  if (s["additionalProperties"] === true) return "unknown";
  // Declared members without this one: JSON Schema allows extra members, but a read of one the
  // description never mentions is most likely a typo.
  if (isObject(s["properties"])) return "absent";
  if (["string", "number", "integer", "boolean", "null"].includes(String(s["type"]))) return "absent";
  return "unknown";
}
