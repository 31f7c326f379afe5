// Arazzo 1.1 constructs that are validated but not compiled yet. A 1.1 document that uses one is refused with
// a diagnostic at the construct, before anything is lowered: code for it is never generated half right.
// Each construct leaves this list when its compilation lands.
import type { Diagnostic } from "../diagnostics.js";
import { isRemote } from "../load/refs.js";
import { arazzoVersionOf, type ArazzoDocument } from "../schema/arazzo.js";
import { findV11Constructs } from "../schema/constructs.js";
import type { ParsedFile } from "../load/yaml.js";
import { Collector } from "./report.js";

const HINTS: Readonly<Record<string, string>> = {
  "step dependsOn": "Steps run in the order they are listed; drop dependsOn if that order already satisfies it.",
  "in: querystring": "Whole query strings are not compiled yet; pass the query's members as in: query parameters.",
  "action parameters": "Give the called workflow its inputs through a step with workflowId and parameters.",
  targetSelectorType: "Write the target as a JSON pointer and drop targetSelectorType.",
  "a Selector Object as a parameter value": "Use a runtime expression with a JSON pointer, e.g. $steps.<id>.outputs.<name>#/a/b.",
  "a Selector Object in outputs": "Use a runtime expression with a JSON pointer, e.g. $response.body#/a/b.",
  "a Selector Object in a payload": "Use a runtime expression with a JSON pointer, e.g. $steps.<id>.outputs.<name>#/a/b.",
  "a Selector Object as a replacement value": "Use a runtime expression with a JSON pointer, e.g. $steps.<id>.outputs.<name>#/a/b.",
  $self: "Source urls are resolved against the document's own location for now: write them absolute, or drop $self.",
};

/**
 * Criteria constructs are judged where criteria are lowered (their versions, jsonpointer); AsyncAPI sources, message
 * steps, channel parameters and step timeouts are compiled (check/messages.ts).
 */
const LOWERED_ELSEWHERE = /^(version: |type: jsonpointer$|type: asyncapi$|channelPath$|action$|correlationId$|timeout$|in: channel$)/;

export function unsupportedConstructs(file: ParsedFile, document: ArazzoDocument): Diagnostic[] {
  if (arazzoVersionOf(document.arazzo) !== "1.1") return [];
  const out = new Collector(file);
  const relativeSource = document.sourceDescriptions.some((s) => !isRemote(s.url) && !/^[a-z][a-z0-9+.-]*:/i.test(s.url));
  for (const found of findV11Constructs(document)) {
    if (LOWERED_ELSEWHERE.test(found.construct)) continue;
    // $self changes nothing while every source url is absolute.
    if (found.construct === "$self" && !relativeSource) continue;
    out.report(
      "AZC4006",
      { feature: `${found.construct} (Arazzo 1.1)`, hint: HINTS[found.construct] ?? "Remove it for now." },
      { pointer: found.pointer, preferKey: found.key },
    );
  }
  return out.diagnostics;
}
