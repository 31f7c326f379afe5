// The Arazzo 1.1 constructs a document uses, found in the raw (not yet validated) document: a 1.0.x document
// that uses one is told it needs `arazzo: 1.1.0` (rather than that a field is unknown), and a 1.1.x document
// is told which constructs this compiler does not compile yet. Walks only what is there; any shape is safe.
import { joinPointer } from "../load/pointer.js";
import { looksLikeSelector } from "./arazzo.js";

export interface V11Construct {
  /** Where the construct is: the field itself, or the object that is a Selector Object. */
  readonly pointer: string;
  /** What it is, as the diagnostics name it (`channelPath`, `in: querystring`, `a Selector Object`). */
  readonly construct: string;
  /** The pointer names a field whose key is the construct (highlight the key, not the value). */
  readonly key: boolean;
  /** Only 1.1 reads it as a 1.1 construct: in 1.0 a Selector-shaped object value is a literal. */
  readonly onlyIn11?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);

const NEW_EXPRESSION_VERSIONS = new Set(["rfc9535", "xpath-31", "rfc6901"]);

export function findV11Constructs(root: unknown): V11Construct[] {
  const found: V11Construct[] = [];
  const add = (pointer: string, construct: string, key = true, onlyIn11 = false): void => {
    found.push({ pointer, construct, key, ...(onlyIn11 ? { onlyIn11 } : {}) });
  };
  if (!isObject(root)) return found;
  if ("$self" in root) add("/$self", "$self");
  list(root["sourceDescriptions"]).forEach((source, i) => {
    if (isObject(source) && source["type"] === "asyncapi") add(joinPointer("/sourceDescriptions", i, "type"), "type: asyncapi", false);
  });

  const criterion = (c: unknown, at: string): void => {
    if (!isObject(c) || !isObject(c["type"])) return;
    const type = c["type"];
    if (type["type"] === "jsonpointer") add(joinPointer(at, "type", "type"), "type: jsonpointer", false);
    else if (typeof type["version"] === "string" && NEW_EXPRESSION_VERSIONS.has(type["version"]))
      add(joinPointer(at, "type", "version"), `version: ${type["version"]}`, false);
  };
  const criteria = (v: unknown, at: string): void => list(v).forEach((c, i) => criterion(c, joinPointer(at, i)));
  const parameter = (p: unknown, at: string): void => {
    if (!isObject(p)) return;
    if (p["in"] === "querystring" || p["in"] === "channel") add(joinPointer(at, "in"), `in: ${p["in"]}`, false);
    if (looksLikeSelector(p["value"])) add(joinPointer(at, "value"), "a Selector Object as a parameter value", false, true);
  };
  const parameters = (v: unknown, at: string): void => list(v).forEach((p, i) => parameter(p, joinPointer(at, i)));
  const action = (a: unknown, at: string): void => {
    if (!isObject(a)) return;
    if ("parameters" in a) add(joinPointer(at, "parameters"), "action parameters");
    criteria(a["criteria"], joinPointer(at, "criteria"));
  };
  const actions = (v: unknown, at: string): void => list(v).forEach((a, i) => action(a, joinPointer(at, i)));
  const outputs = (v: unknown, at: string): void => {
    for (const [name, value] of entries(v)) if (isObject(value)) add(joinPointer(at, name), "a Selector Object in outputs", false);
  };
  const payloadSelectors = (v: unknown, at: string): void => {
    if (looksLikeSelector(v)) {
      add(at, "a Selector Object in a payload", false, true);
      return;
    }
    if (Array.isArray(v)) v.forEach((item, i) => payloadSelectors(item, joinPointer(at, i)));
    else for (const [key, value] of entries(v)) payloadSelectors(value, joinPointer(at, key));
  };

  list(root["workflows"]).forEach((workflow, w) => {
    if (!isObject(workflow)) return;
    const wAt = joinPointer("/workflows", w);
    parameters(workflow["parameters"], joinPointer(wAt, "parameters"));
    actions(workflow["successActions"], joinPointer(wAt, "successActions"));
    actions(workflow["failureActions"], joinPointer(wAt, "failureActions"));
    outputs(workflow["outputs"], joinPointer(wAt, "outputs"));
    list(workflow["steps"]).forEach((step, s) => {
      if (!isObject(step)) return;
      const at = joinPointer(wAt, "steps", s);
      for (const field of ["channelPath", "action", "correlationId", "timeout", "dependsOn"])
        if (field in step) add(joinPointer(at, field), field === "dependsOn" ? "step dependsOn" : field);
      parameters(step["parameters"], joinPointer(at, "parameters"));
      criteria(step["successCriteria"], joinPointer(at, "successCriteria"));
      actions(step["onSuccess"], joinPointer(at, "onSuccess"));
      actions(step["onFailure"], joinPointer(at, "onFailure"));
      outputs(step["outputs"], joinPointer(at, "outputs"));
      const body = step["requestBody"];
      if (isObject(body)) {
        payloadSelectors(body["payload"], joinPointer(at, "requestBody", "payload"));
        list(body["replacements"]).forEach((r, i) => {
          if (!isObject(r)) return;
          const rAt = joinPointer(at, "requestBody", "replacements", i);
          if ("targetSelectorType" in r) add(joinPointer(rAt, "targetSelectorType"), "targetSelectorType");
          if (looksLikeSelector(r["value"])) add(joinPointer(rAt, "value"), "a Selector Object as a replacement value", false, true);
        });
      }
    });
  });
  const components = root["components"];
  if (isObject(components)) {
    for (const [name, p] of entries(components["parameters"])) parameter(p, joinPointer("/components/parameters", name));
    for (const [name, a] of entries(components["successActions"])) action(a, joinPointer("/components/successActions", name));
    for (const [name, a] of entries(components["failureActions"])) action(a, joinPointer("/components/failureActions", name));
  }
  return found;
}
