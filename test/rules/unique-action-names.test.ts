import { expect, it } from "vitest";
import { uniqueActionNames } from "../../compiler/check/rules/unique-action-names.js";
import { document, runRule, where } from "./support.js";

it("reports a name used twice in one list of actions, with the first as related information", () => {
  const text = document(`  - workflowId: list
    steps:
      - stepId: a
        operationId: listPets
        onSuccess:
          - { name: done, type: end }
          - { name: done, type: goto, stepId: a }`);
  const diagnostics = runRule(uniqueActionNames, text);
  expect(where(diagnostics)).toEqual(["AZC4010 12:21"]);
  expect(diagnostics[0]!.message).toBe("Duplicate action name 'done'");
  expect(diagnostics[0]!.related?.[0]?.range?.line).toBe(11);
});

it("is silent when a step's action overrides a workflow action of the same name", () => {
  const text = document(`  - workflowId: list
    successActions:
      - { name: done, type: end }
    steps:
      - stepId: a
        operationId: listPets
        onSuccess:
          - { name: done, type: goto, stepId: a }`);
  expect(runRule(uniqueActionNames, text)).toEqual([]);
});
