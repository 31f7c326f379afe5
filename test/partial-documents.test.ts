// A document with structural errors is still checked as far as it can be read: each workflow and each step
// on its own, a step with a bad field without that field, so that one round of diagnostics names every
// problem. Nothing that only follows from what was left out is reported, and nothing is emitted.
import { expect, it } from "vitest";
import { compile } from "../compiler/index.js";

const FIXTURE = "fixtures/cases/partial/structural-and-semantic.yaml";

it("reports the semantic problems of every part next to the structural ones, and emits nothing", async () => {
  const result = await compile({ inputs: [FIXTURE], emit: true, root: "fixtures" });
  expect(result.diagnostics.map((d) => `${d.code} ${d.range?.line}:${d.range?.column}`)).toEqual([
    // A step whose parameters are not a list still has its operation checked...
    "AZC4001 13:22",
    "AZC2001 14:21",
    // ...without the required parameter it would have supplied reported missing.
    "AZC2002 17:9",
    "AZC2001 20:29",
    "AZC2001 22:22",
    // The workflow output reading the step that could not be read is not reported unknown.
    // The other workflow is checked as if the first were valid.
    "AZC4001 31:22",
    "AZC4004 33:10",
  ]);
  expect(result.files.size).toBe(0);
});

it("reads a step with an unknown field as if the field were not there", async () => {
  const result = await compile({ inputs: [FIXTURE], emit: false, root: "fixtures" });
  // The `list` step (unknown field sucessCriteria, an output key the pattern refuses) binds: no AZC4001 there.
  expect(result.diagnostics.filter((d) => d.range?.line === 16)).toEqual([]);
});
