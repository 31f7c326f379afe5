import { expect, it } from "vitest";
import { workflowCallBody } from "../../compiler/check/rules/workflow-call-body.js";
import { document, GET_PET, runRule, where } from "./support.js";

const CALLER = `  - workflowId: caller
    steps:
      - stepId: call
        workflowId: find-pet`;

it("warns that a workflow call ignores a request body", () => {
  const diagnostics = runRule(workflowCallBody, document(`${GET_PET}\n${CALLER}\n        requestBody: { payload: { a: 1 } }`));
  expect(where(diagnostics)).toEqual(["AZC4017 22:9"]);
});

it("is silent for a call without a body", () => {
  expect(runRule(workflowCallBody, document(`${GET_PET}\n${CALLER}`))).toEqual([]);
});
