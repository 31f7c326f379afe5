import { expect, it } from "vitest";
import { uniqueSourceNames } from "../../compiler/check/rules/unique-source-names.js";
import { document, GET_PET, runRule, where } from "./support.js";

it("reports a repeated source name, with the first declaration as related information", () => {
  const text = document(GET_PET).replace(
    "  - { name: pets, url: ./pets.openapi.yaml, type: openapi }",
    "  - { name: pets, url: ./pets.openapi.yaml, type: openapi }\n  - { name: pets, url: ./pets.openapi.yaml, type: openapi }",
  );
  const diagnostics = runRule(uniqueSourceNames, text);
  expect(where(diagnostics)).toEqual(["AZC4010 5:13"]);
  expect(diagnostics[0]!.message).toBe("Duplicate source description name 'pets'");
  expect(diagnostics[0]!.related?.[0]?.range).toMatchObject({ line: 4, column: 13 });
});

it("is silent for distinct names", () => {
  expect(runRule(uniqueSourceNames, document(GET_PET))).toEqual([]);
});
