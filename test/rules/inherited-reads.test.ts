import { expect, it } from "vitest";
import { inheritedReads } from "../../compiler/check/rules/inherited-reads.js";
import { document, GET_PET, runRule, where } from "./support.js";

const WORKFLOW = (criterion: string): string => `  - workflowId: caller
    successActions:
      - name: stop
        type: end
        criteria:
          - condition: ${criterion}
    steps:
      - { stepId: call, workflowId: find-pet, parameters: [{ name: petId, value: 1 }] }
      - { stepId: call2, workflowId: find-pet, parameters: [{ name: petId, value: 2 }] }
      - { stepId: list, operationId: listPets }`;

it("a workflow-level criterion reading the response is wrong in the steps that call workflows: told once", () => {
  const diagnostics = runRule(inheritedReads, document(`${GET_PET}\n${WORKFLOW("$response.body#/name == 'rex'")}`));
  expect(where(diagnostics)).toEqual(["AZC3009 23:24"]);
  expect(diagnostics[0]!.message).toBe("'$response.body#/name' is not available in a criterion");
});

it("a workflow-level criterion reading $statusCode holds in the steps that call workflows too (the callee's last status)", () => {
  expect(runRule(inheritedReads, document(`${GET_PET}\n${WORKFLOW("$statusCode == 200")}`))).toEqual([]);
});

it("a workflow-level criterion reading $outputs is wrong in a step that calls an operation, and where the output is missing", () => {
  const diagnostics = runRule(inheritedReads, document(`${GET_PET}\n${WORKFLOW("$outputs.name == 'rex'")}`));
  expect(where(diagnostics)).toEqual(["AZC3001 23:24", "AZC3001 23:24"]);
  expect(diagnostics.map((d) => d.message)).toEqual([
    "Invalid runtime expression '$outputs.name': the called workflow has no output 'name' (its outputs: (none declared))",
    expect.stringMatching(/^Invalid runtime expression '\$outputs\.name': \$outputs is the outputs of the workflow a step calls/),
  ]);
});

it("is silent for reads every inheriting step has", () => {
  expect(
    runRule(
      inheritedReads,
      document(
        `${GET_PET}\n${WORKFLOW("$inputs.x == 1").replace("caller", "caller\n    inputs: { type: object, properties: { x: { type: integer } } }")}`,
      ),
    ),
  ).toEqual([]);
});
