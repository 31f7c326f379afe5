import { expect, it } from "vitest";
import { outputPointers } from "../../compiler/check/rules/output-pointers.js";
import { document, runRule, where } from "./support.js";

const GET = `  - workflowId: get
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
          pet: $response.body
          status: $response.body#/status
    outputs:
      pet: $steps.getPet.outputs.pet`;

const reading = (value: string): string =>
  document(`${GET}
  - workflowId: search
    dependsOn: [get]
    steps:
      - stepId: search
        operationId: searchPets
        parameters:
          - { name: q, in: query, value: "${value}" }`);

it("warns on a pointer into a step output that its response schema does not have, with the closest member", () => {
  const text = document(
    GET.replace("    outputs:\n      pet: $steps.getPet.outputs.pet", "    outputs:\n      pet: $steps.getPet.outputs.pet#/nmae"),
  );
  const diagnostics = runRule(outputPointers, text);
  expect(where(diagnostics)).toEqual(["AZC4047 20:12"]);
  expect(diagnostics[0]!.message).toBe(
    "Output 'pet' of step 'getPet' has no '/nmae' in its schema (it holds the response body of getPet, status 200); did you mean '/name'?",
  );
});

it("follows a workflow output back to the step output and the response it holds", () => {
  const diagnostics = runRule(outputPointers, reading("$workflows.get.outputs.pet#/owner/name"));
  expect(diagnostics.map((d) => d.message)).toEqual([
    "Output 'pet' of workflow 'get' has no '/owner/name' in its schema (it holds the response body of getPet, status 200)",
  ]);
});

it("reads an output that holds a member of the body below that member", () => {
  const own = document(GET.replace("      pet: $steps.getPet.outputs.pet", "      pet: $steps.getPet.outputs.status#/length"));
  expect(runRule(outputPointers, own).map((d) => d.message)).toEqual([
    "Output 'status' of step 'getPet' has no '/length' in its schema (it holds /status of the response body of getPet, status 200)",
  ]);
});

it("is silent for pointers the schema declares, and for outputs that hold no response body", () => {
  expect(runRule(outputPointers, reading("$workflows.get.outputs.pet#/name"))).toEqual([]);
  const input = document(GET.replace("      pet: $steps.getPet.outputs.pet", "      pet: $inputs.petId"));
  expect(runRule(outputPointers, input)).toEqual([]);
});

it("says when the member is read on an array, and names the first item's", () => {
  const text = document(`  - workflowId: list
    steps:
      - stepId: listPets
        operationId: listPets
        outputs:
          pets: $response.body
    outputs:
      firstName: $steps.listPets.outputs.pets#/name`);
  expect(runRule(outputPointers, text).map((d) => d.message)).toEqual([
    "Output 'pets' of step 'listPets' has no '/name' in its schema (it holds the response body of listPets, status 200); it is an array: did you mean '/0/name' (the first item's)?",
  ]);
});
