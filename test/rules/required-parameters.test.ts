import { expect, it } from "vitest";
import { requiredParameters } from "../../compiler/check/rules/required-parameters.js";
import { document, GET_PET, runRule, where } from "./support.js";

it("reports a required parameter left out, at the step", () => {
  const diagnostics = runRule(requiredParameters, document(GET_PET.replace(/        parameters:\n.*\n/, "")));
  expect(where(diagnostics)).toEqual(["AZC4008 12:9"]);
  expect(diagnostics[0]!.message).toBe("Required path parameter 'petId' of operation getPet is not supplied");
});

it("counts a misspelt path parameter or one without `in` as meant for the required one: no second diagnostic", () => {
  expect(runRule(requiredParameters, document(GET_PET.replace("name: petId, in: path", "name: pet_id, in: path")))).toEqual([]);
  expect(runRule(requiredParameters, document(GET_PET.replace("name: petId, in: path", "name: petId")))).toEqual([]);
  expect(runRule(requiredParameters, document(GET_PET))).toEqual([]);
});
