import { expect, it } from "vitest";
import { requiredRequestBody } from "../../compiler/check/rules/required-request-body.js";
import { document, runRule, where } from "./support.js";

const CREATE = `  - workflowId: create
    steps:
      - stepId: create
        operationId: createPet`;

it("reports a required request body left out", () => {
  const diagnostics = runRule(requiredRequestBody, document(CREATE));
  expect(where(diagnostics)).toEqual(["AZC4013 8:9"]);
  expect(diagnostics[0]!.message).toBe("Required request body of operation createPet is not supplied");
});

it("is silent when the step has a body", () => {
  expect(runRule(requiredRequestBody, document(`${CREATE}\n        requestBody: { payload: { name: rex } }`))).toEqual([]);
});
