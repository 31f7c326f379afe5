// Arazzo 1.1 constructs that are validated but not compiled yet. A 1.1 document that uses one is refused with
// a diagnostic at the construct, before anything is lowered: code for it is never generated half right.
// Each construct leaves this list when its compilation lands.
import type { Diagnostic } from "../diagnostics.js";
import { arazzoVersionOf, type ArazzoDocument } from "../schema/arazzo.js";
import { findV11Constructs } from "../schema/constructs.js";
import type { ParsedFile } from "../load/yaml.js";
import { Collector } from "./report.js";

const HINTS: Readonly<Record<string, string>> = {
};

/** Constructs compiled now: dependsOn ordering, query strings, action parameters, selectors. */
const COMPILED = new Set([
  "step dependsOn",
  "in: querystring",
  "action parameters",
  "targetSelectorType",
  "a Selector Object as a parameter value",
  "a Selector Object in outputs",
  "a Selector Object in a payload",
  "a Selector Object as a replacement value",
]);
/**
 * Criteria constructs are judged where criteria are lowered (their versions, jsonpointer); AsyncAPI sources, message
 * steps, channel parameters and step timeouts are compiled (check/messages.ts).
 */
const LOWERED_ELSEWHERE = /^(version: |type: jsonpointer$|type: asyncapi$|channelPath$|action$|correlationId$|timeout$|in: channel$)/;

export function unsupportedConstructs(file: ParsedFile, document: ArazzoDocument): Diagnostic[] {
  if (arazzoVersionOf(document.arazzo) !== "1.1") return [];
  const out = new Collector(file);
  for (const found of findV11Constructs(document)) {
    if (LOWERED_ELSEWHERE.test(found.construct) || COMPILED.has(found.construct)) continue;
    // $self is compiled: the base URI and identity of the document (load/identity.ts).
    if (found.construct === "$self") continue;
    out.report(
      "AZC4006",
      { feature: `${found.construct} (Arazzo 1.1)`, hint: HINTS[found.construct] ?? "Remove it for now." },
      { pointer: found.pointer, preferKey: found.key },
    );
  }
  return out.diagnostics;
}
