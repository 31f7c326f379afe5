import { expect, it } from "vitest";
import { uniqueStepIds } from "../../compiler/check/rules/unique-step-ids.js";
import { document, GET_PET, runRule, where } from "./support.js";

const STEP = `      - stepId: getPet
        operationId: getPet
        parameters:
          - { name: petId, in: path, value: $inputs.petId }`;

it("reports a repeated stepId, with the first declaration as related information", () => {
  const diagnostics = runRule(uniqueStepIds, document(`${GET_PET}\n${STEP}`));
  expect(where(diagnostics)).toEqual(["AZC4010 18:17"]);
  expect(diagnostics[0]!.message).toBe("Duplicate stepId 'getPet'");
  expect(diagnostics[0]!.related?.[0]).toMatchObject({ message: "The first declaration", range: { line: 12, column: 17 } });
});

it("is silent for distinct stepIds, also across workflows", () => {
  expect(runRule(uniqueStepIds, document(`${GET_PET}\n${GET_PET.replace("find-pet", "other")}`))).toEqual([]);
});
