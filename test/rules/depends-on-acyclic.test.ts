import { expect, it } from "vitest";
import { dependsOnAcyclic } from "../../compiler/check/rules/depends-on-acyclic.js";
import { document, runRule, where } from "./support.js";

const workflow = (id: string, dependsOn: string[]): string => `  - workflowId: ${id}
    dependsOn: [${dependsOn.join(", ")}]
    steps:
      - { stepId: s, operationId: listPets }`;

it("reports a cycle once, at the dependsOn entry that closes it", () => {
  const diagnostics = runRule(dependsOnAcyclic, document([workflow("a", ["b"]), workflow("b", ["c"]), workflow("c", ["a"])].join("\n")));
  expect(where(diagnostics)).toEqual(["AZC4015 15:17"]);
  expect(diagnostics[0]!.message).toBe("dependsOn forms a cycle: a -> b -> c -> a");
});

it("is silent for an order the workflows can run in", () => {
  expect(runRule(dependsOnAcyclic, document([workflow("a", ["b", "c"]), workflow("b", ["c"]), workflow("c", [])].join("\n")))).toEqual([]);
});
