import { expect, it } from "vitest";
import { uniqueDependencies } from "../../compiler/check/rules/unique-dependencies.js";
import { document, GET_PET, runRule, where } from "./support.js";

const LIST = `  - workflowId: list
    steps:
      - stepId: listPets
        operationId: listPets`;

it("warns on a workflow listed twice in dependsOn, with the first entry as related information", () => {
  const text = document(`${LIST}\n${GET_PET.replace("    inputs:", "    dependsOn: [list, list]\n    inputs:")}`);
  const diagnostics = runRule(uniqueDependencies, text);
  expect(where(diagnostics)).toEqual(["AZC4045 11:23"]);
  expect(diagnostics[0]!.message).toBe("Workflow 'list' is listed in dependsOn more than once");
  expect(diagnostics[0]!.related?.[0]).toMatchObject({ message: "The first entry", range: { line: 11, column: 17 } });
});

it("is silent for distinct dependencies", () => {
  const other = LIST.replace("workflowId: list", "workflowId: other");
  const text = document(`${LIST}\n${other}\n${GET_PET.replace("    inputs:", "    dependsOn: [list, other]\n    inputs:")}`);
  expect(runRule(uniqueDependencies, text)).toEqual([]);
});
