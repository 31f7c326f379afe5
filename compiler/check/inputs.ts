// What a workflow's inputs schema declares, read through its normalized schema by the schema navigator:
// members declared through allOf, oneOf, anyOf and $ref count as well as the schema's own `properties`,
// so that the checks and the generated types agree on which inputs exist.
import { declaredProperties, requiredProperties } from "../ir/schema.js";
import type { Located } from "../load/json.js";
import { joinPointer } from "../load/pointer.js";
import type { DocumentStore } from "../load/refs.js";
import type { ParsedFile } from "../load/yaml.js";
import type { ArazzoDocument, Workflow } from "../schema/arazzo.js";
import type { WorkflowRef } from "./model.js";

/** The declared input names; undefined when the schema (and what it is composed of) declares no properties. */
export function inputNames(store: DocumentStore, inputs: Located | undefined): Set<string> | undefined {
  if (!inputs || inputs.value === undefined) return undefined;
  const names = declaredProperties(store.schemas.normalize(inputs), store.schemas.table);
  return names ? new Set(names) : undefined;
}

/** The inputs every call must supply. */
export function requiredInputs(store: DocumentStore, inputs: Located | undefined): string[] {
  if (!inputs || inputs.value === undefined) return [];
  return requiredProperties(store.schemas.normalize(inputs), store.schemas.table);
}

/**
 * The inputs schema of a workflow a step calls, with the file its $refs resolve in: this document's, or
 * that of the Arazzo document the workflow's source names.
 */
export function calledWorkflowInputs(
  called: { readonly ref: WorkflowRef; readonly workflow: Workflow; readonly document: ArazzoDocument },
  file: ParsedFile,
  otherFiles: ReadonlyMap<string, ParsedFile>,
): Located | undefined {
  const where = called.ref.source === undefined ? file : otherFiles.get(called.ref.source);
  const index = called.document.workflows.indexOf(called.workflow);
  if (!where || index < 0 || called.workflow.inputs === undefined) return undefined;
  return { file: where, pointer: joinPointer("/workflows", index, "inputs"), value: called.workflow.inputs };
}
