// Runs one validation rule on a small document written against fixtures/cases/diagnostics/pets.openapi.yaml,
// so each rule's test sees that rule's diagnostics only.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkDocument } from "../../compiler/check/bind.js";
import type { Rule } from "../../compiler/check/rules/index.js";
import type { Diagnostic } from "../../compiler/diagnostics.js";
import { DocumentStore } from "../../compiler/load/refs.js";
import { loadSources } from "../../compiler/load/sources.js";
import { validateArazzo } from "../../compiler/schema/validate.js";

const PETS = resolve("fixtures/cases/diagnostics/pets.openapi.yaml");

/** A document with the pets source and the given `workflows:` list (YAML, indented as a top-level key's value). */
export function document(workflows: string): string {
  return [
    "arazzo: 1.0.1",
    "info: { title: Rule test, version: 1.0.0 }",
    "sourceDescriptions:",
    "  - { name: pets, url: ./pets.openapi.yaml, type: openapi }",
    "workflows:",
    workflows,
  ].join("\n");
}

/** The diagnostics `rule` reports on `text` (an Arazzo document in YAML); the document must be valid Arazzo. */
export function runRule(rule: Rule, text: string): Diagnostic[] {
  const folder = mkdtempSync(join(tmpdir(), "arazzoc-rule-"));
  copyFileSync(PETS, join(folder, "pets.openapi.yaml"));
  const path = join(folder, "doc.arazzo.yaml");
  writeFileSync(path, text);
  const store = new DocumentStore(folder);
  const loaded = store.load(path, true);
  if (!loaded.file) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
  const validated = validateArazzo(loaded.file);
  if (!validated.document) throw new Error(validated.diagnostics.map((d) => d.message).join("\n"));
  const { sources } = loadSources(store, loaded.file, validated.document.sourceDescriptions);
  return checkDocument({ file: loaded.file, document: validated.document, sources, store }, [rule]).diagnostics;
}

/** `CODE line:column` of each diagnostic, for compact assertions. */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`);
}

/** A valid workflow reading pet petId; `steps` replaces its steps when given. */
export const GET_PET = `  - workflowId: find-pet
    inputs:
      type: object
      properties:
        petId: { type: integer }
    steps:
      - stepId: getPet
        operationId: getPet
        parameters:
          - { name: petId, in: path, value: $inputs.petId }
        outputs:
          name: $response.body#/name`;
