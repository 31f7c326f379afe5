import { expect, it } from "vitest";
import { workflowCallParameters } from "../../compiler/check/rules/workflow-call-parameters.js";
import { document, GET_PET, runRule, where } from "./support.js";

const CALLER = (parameters: string): string => `  - workflowId: caller
    steps:
      - stepId: call
        workflowId: find-pet
        parameters:
${parameters}`;

it("warns about `in` on a parameter of a workflow call, and about a name that is not an input", () => {
  const text = document(
    `${GET_PET}\n${CALLER("          - { name: petId, in: path, value: 1 }\n          - { name: verbose, value: true }")}`,
  );
  const diagnostics = runRule(workflowCallParameters, text);
  expect(where(diagnostics)).toEqual(["AZC4016 23:28", "AZC4018 24:21"]);
  expect(diagnostics.map((d) => d.message)).toEqual([
    "Parameter 'petId' has in: path, which a step calling a workflow ignores",
    "'verbose' is not an input of workflow find-pet",
  ]);
});

it("is silent for parameters named after the inputs", () => {
  expect(runRule(workflowCallParameters, document(`${GET_PET}\n${CALLER("          - { name: petId, value: 1 }")}`))).toEqual([]);
});
