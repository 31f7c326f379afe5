import { expect, it } from "vitest";
import { stepOutputReads } from "../../compiler/check/rules/step-output-reads.js";
import { document, runRule, where } from "./support.js";

it("errs on a read of a step that runs later, at the characters of the expression", () => {
  const text = document(`  - workflowId: two
    steps:
      - stepId: first
        operationId: getPet
        parameters:
          - { name: petId, in: path, value: "{$steps.second.outputs.id}" }
      - stepId: second
        operationId: listPets
        outputs: { id: $response.body#/0/id }`);
  const diagnostics = runRule(stepOutputReads, text);
  expect(where(diagnostics)).toEqual(["AZC4011 11:47"]);
  expect(diagnostics[0]!.message).toBe("Step 'first' reads $steps.second.outputs.id, but step 'second' has not run on any path to it");
  expect(diagnostics[0]!.range).toMatchObject({ endLine: 11, endColumn: 47 + "$steps.second.outputs.id".length });
});

it("warns on a read of a step a branch skips, and accepts reads of steps that certainly ran", () => {
  const text = document(`  - workflowId: branch
    steps:
      - stepId: list
        operationId: listPets
        onSuccess:
          - { name: skip, type: goto, stepId: get, criteria: [{ condition: $statusCode == 204 }] }
        outputs: { id: $response.body#/0/id }
      - stepId: search
        operationId: searchPets
        parameters: [{ name: q, in: query, value: $steps.list.outputs.id }]
        outputs: { id: $response.body#/0/id }
      - stepId: get
        operationId: getPet
        parameters: [{ name: petId, in: path, value: $steps.search.outputs.id }]`);
  expect(where(runRule(stepOutputReads, text))).toEqual(["AZC4020 19:54"]);
});
