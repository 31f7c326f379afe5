import { expect, it } from "vitest";
import { workflowCallInputs } from "../../compiler/check/rules/workflow-call-inputs.js";
import { document, GET_PET, runRule, where } from "./support.js";

const REQUIRED = GET_PET.replace("      type: object\n", "      type: object\n      required: [petId]\n");

it("reports a required input of the called workflow left out", () => {
  const text = document(`${REQUIRED}\n  - workflowId: caller\n    steps:\n      - { stepId: call, workflowId: find-pet }`);
  const diagnostics = runRule(workflowCallInputs, text);
  expect(where(diagnostics)).toEqual(["AZC4019 21:9"]);
  expect(diagnostics[0]!.message).toBe("Required input 'petId' of workflow find-pet is not supplied");
});

it("is silent when the step supplies it", () => {
  const text = document(
    `${REQUIRED}\n  - workflowId: caller\n    steps:\n      - stepId: call\n        workflowId: find-pet\n        parameters: [{ name: petId, value: 3 }]`,
  );
  expect(runRule(workflowCallInputs, text)).toEqual([]);
});
