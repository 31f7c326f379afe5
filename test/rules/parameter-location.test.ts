import { expect, it } from "vitest";
import { parameterLocation } from "../../compiler/check/rules/parameter-location.js";
import { document, runRule, where } from "./support.js";

it("reports a parameter without `in` once, even when a workflow-level one is inherited by every step", () => {
  const text = document(`  - workflowId: list
    parameters:
      - { name: limit, value: 1 }
    steps:
      - { stepId: a, operationId: listPets }
      - { stepId: b, operationId: listPets }`);
  const diagnostics = runRule(parameterLocation, text);
  expect(where(diagnostics)).toEqual(["AZC2003 8:9"]);
  expect(diagnostics[0]!.message).toBe("Missing required field 'in' in Parameter (the step calls an operation)");
});

it("is silent for a step that calls a workflow, where parameters are inputs by name", () => {
  const text = document(`  - workflowId: inner
    steps:
      - { stepId: a, operationId: listPets }
  - workflowId: outer
    steps:
      - stepId: call
        workflowId: inner
        parameters:
          - { name: limit, value: 1 }`);
  expect(runRule(parameterLocation, text)).toEqual([]);
});
