import { expect, it } from "vitest";
import { parametersDeclared } from "../../compiler/check/rules/parameters-declared.js";
import { document, GET_PET, runRule, where } from "./support.js";

it("warns about a parameter the operation does not declare, and errs on a path parameter the template lacks", () => {
  const text = document(`  - workflowId: find-pet
    steps:
      - stepId: getPet
        operationId: getPet
        parameters:
          - { name: petId, in: path, value: 1 }
          - { name: verbose, in: query, value: true }
          - { name: pet_id, in: path, value: 1 }`);
  const diagnostics = runRule(parametersDeclared, text);
  expect(where(diagnostics)).toEqual(["AZC4007 12:21", "AZC4009 13:21"]);
  expect(diagnostics[0]!.message).toBe("Parameter 'verbose' (in query) is not declared by operation getPet; it is sent as given");
  expect(diagnostics[1]!.message).toBe("Path parameter 'pet_id' is not in the path template /pets/{petId}");
});

it("accepts declared parameters and the standard headers", () => {
  const text = GET_PET.replace(
    "          - { name: petId, in: path, value: $inputs.petId }",
    "          - { name: petId, in: path, value: $inputs.petId }\n          - { name: Accept, in: header, value: application/json }",
  );
  expect(runRule(parametersDeclared, document(text))).toEqual([]);
});
