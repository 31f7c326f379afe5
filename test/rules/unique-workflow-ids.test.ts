import { expect, it } from "vitest";
import { uniqueWorkflowIds } from "../../compiler/check/rules/unique-workflow-ids.js";
import { document, GET_PET, runRule, where } from "./support.js";

it("reports a repeated workflowId at the repeat, with the first declaration as related information", () => {
  const diagnostics = runRule(uniqueWorkflowIds, document(`${GET_PET}\n${GET_PET}`));
  expect(where(diagnostics)).toEqual(["AZC4010 18:17"]);
  expect(diagnostics[0]!.message).toBe("Duplicate workflowId 'find-pet'");
  expect(diagnostics[0]!.related).toEqual([
    {
      file: expect.stringMatching(/doc\.arazzo\.yaml$/),
      range: expect.objectContaining({ line: 6, column: 17 }),
      message: "The first declaration",
    },
  ]);
});

it("is silent when every workflowId is different", () => {
  expect(runRule(uniqueWorkflowIds, document(`${GET_PET}\n${GET_PET.replace("find-pet", "find-pet-again")}`))).toEqual([]);
});
