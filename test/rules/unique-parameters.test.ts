import { expect, it } from "vitest";
import { uniqueParameters } from "../../compiler/check/rules/unique-parameters.js";
import { document, runRule, where } from "./support.js";

const WORKFLOW = `  - workflowId: list
    parameters:
      - { name: limit, in: query, value: 1 }
      - { name: limit, in: query, value: 2 }
    steps:
      - stepId: a
        operationId: listPets
        parameters:
          - { name: X-Trace, in: header, value: a }
          - { name: x-trace, in: header, value: b }
      - stepId: b
        operationId: listPets`;

it("reports (name, in) repeated within a workflow's list once, and within a step's list (header names in any case)", () => {
  const diagnostics = runRule(uniqueParameters, document(WORKFLOW));
  expect(where(diagnostics)).toEqual(["AZC4010 9:17", "AZC4010 15:21"]);
  expect(diagnostics.map((d) => d.message)).toEqual([
    "Duplicate parameter (name, in) 'limit, query'",
    "Duplicate parameter (name, in) 'x-trace, header'",
  ]);
  expect(diagnostics.map((d) => d.related?.[0]?.range?.line)).toEqual([8, 14]);
});

it("is silent when a step redefines a workflow parameter (that is an override, not a duplicate)", () => {
  const text = document(`  - workflowId: list
    parameters:
      - { name: limit, in: query, value: 1 }
    steps:
      - stepId: a
        operationId: listPets
        parameters:
          - { name: limit, in: query, value: 2 }`);
  expect(runRule(uniqueParameters, text)).toEqual([]);
});
