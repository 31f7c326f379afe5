import { expect, it } from "vitest";
import { reachableSteps } from "../../compiler/check/rules/reachable-steps.js";
import { document, runRule, where } from "./support.js";

it("warns about a step after an unconditional end, and about a loop with no exit", () => {
  const unreachable = document(`  - workflowId: w
    steps:
      - { stepId: a, operationId: listPets, onSuccess: [{ name: stop, type: end }] }
      - { stepId: b, operationId: listPets }`);
  expect(where(runRule(reachableSteps, unreachable))).toEqual(["AZC5001 9:11"]);
  const loop = document(`  - workflowId: w
    steps:
      - { stepId: a, operationId: listPets, onSuccess: [{ name: again, type: goto, stepId: a }] }`);
  expect(where(runRule(reachableSteps, loop))).toEqual(["AZC5002 8:11"]);
});

it("is silent for a poll loop with an exit", () => {
  const text = document(`  - workflowId: w
    steps:
      - stepId: a
        operationId: listPets
        onSuccess:
          - { name: done, type: end, criteria: [{ condition: $statusCode == 200 }] }
          - { name: again, type: goto, stepId: a }`);
  expect(runRule(reachableSteps, text)).toEqual([]);
});
