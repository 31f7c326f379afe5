// Singular queries (RFC 9535 §2.3.5.1): child segments holding one name or index selector each. They select at
// most one node, so callers can compile them to plain property reads instead of nodelist code.

import type { JsonPathQuery } from "./ast.js";

export type SingularStep = { readonly kind: "name"; readonly name: string } | { readonly kind: "index"; readonly index: number };

/** True when every segment is a child segment with a single name or index selector (`$`, `$.a.b[0]`, `$["x"][-1]`). */
export function isSingularQuery(query: JsonPathQuery): boolean {
  return singularQuerySteps(query) !== undefined;
}

/** The steps of a singular query in order, or undefined when the query is not singular. */
export function singularQuerySteps(query: JsonPathQuery): SingularStep[] | undefined {
  const steps: SingularStep[] = [];
  for (const segment of query.segments) {
    const selector = segment.selectors[0];
    if (segment.descendant || segment.selectors.length !== 1 || selector === undefined) return undefined;
    if (selector.kind === "NameSelector") steps.push({ kind: "name", name: selector.name });
    else if (selector.kind === "IndexSelector") steps.push({ kind: "index", index: selector.index });
    else return undefined;
  }
  return steps;
}
