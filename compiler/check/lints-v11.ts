// Rules that hold for Arazzo 1.1 documents only, so that a 1.0 document never starts failing: identifiers
// that 1.1 expressions can name (decision A-30), and parameter values the 1.1 schema no longer accepts.
import type { Diagnostic } from "../diagnostics.js";
import { joinPointer } from "../load/pointer.js";
import type { ParsedFile } from "../load/yaml.js";
import { arazzoVersionOf, looksLikeSelector, type ArazzoDocument, type Parameter, type Reusable } from "../schema/arazzo.js";
import { Collector } from "./report.js";

/** `identifier-strict` of the 1.1 grammar: what `$steps.<id>`, `$workflows.<id>` and `$sourceDescriptions.<name>` allow. */
const IDENTIFIER_STRICT = /^[A-Za-z0-9_-]+$/;

export function lintV11(file: ParsedFile, document: ArazzoDocument): Diagnostic[] {
  if (arazzoVersionOf(document.arazzo) !== "1.1") return [];
  const out = new Collector(file);
  const identifier = (kind: string, id: string, pointer: string): void => {
    if (!IDENTIFIER_STRICT.test(id)) out.report("AZC2012", { kind, id }, { pointer });
  };
  const parameter = (entry: Parameter | Reusable, at: string): void => {
    if ("reference" in entry) return;
    const value: unknown = entry.value;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !looksLikeSelector(value))
      out.report("AZC2013", { name: entry.name }, { pointer: joinPointer(at, "value") });
  };
  const parameters = (list: readonly (Parameter | Reusable)[] | undefined, at: string): void =>
    (list ?? []).forEach((entry, i) => parameter(entry, joinPointer(at, i)));
  document.workflows.forEach((workflow, w) => {
    const at = joinPointer("/workflows", w);
    identifier("workflowId", workflow.workflowId, joinPointer(at, "workflowId"));
    parameters(workflow.parameters, joinPointer(at, "parameters"));
    workflow.steps.forEach((step, s) => {
      identifier("stepId", step.stepId, joinPointer(at, "steps", s, "stepId"));
      parameters(step.parameters, joinPointer(at, "steps", s, "parameters"));
    });
  });
  for (const [name, entry] of Object.entries(document.components?.parameters ?? {}))
    parameter(entry, joinPointer("/components/parameters", name));
  return out.diagnostics;
}
