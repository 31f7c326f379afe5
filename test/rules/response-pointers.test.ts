import { expect, it } from "vitest";
import { responsePointers } from "../../compiler/check/rules/response-pointers.js";
import { document, GET_PET, runRule, where } from "./support.js";

it("warns about a pointer no response schema has", () => {
  const diagnostics = runRule(responsePointers, document(GET_PET.replace("$response.body#/name", "$response.body#/owner")));
  expect(where(diagnostics)).toEqual(["AZC4021 17:17"]);
  expect(diagnostics[0]!.message).toBe("The response of getPet has no '/owner' in its schema (status 200)");
});

it("is silent for pointers the schema declares", () => {
  expect(runRule(responsePointers, document(GET_PET))).toEqual([]);
});
