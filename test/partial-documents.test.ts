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
    "AZC2020 20:11",
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

/** Code and line of each diagnostic of a document compiled with emit, which must write nothing. */
async function reported(fixture: string): Promise<string[]> {
  const result = await compile({ inputs: [`fixtures/cases/partial/${fixture}`], emit: true, root: "fixtures" });
  expect(result.files.size).toBe(0);
  return result.diagnostics.map((d) => `${d.code} ${d.range?.line}`);
}

it("checks the workflows of a document whose info is malformed", async () => {
  expect(await reported("malformed-info.yaml")).toEqual(["AZC2003 4", "AZC2001 5", "AZC4004 22"]);
});

it("keeps a malformed source description by its name, and loads and binds the others", async () => {
  // The step of pets that lacks its required parameter is reported; the steps naming stores (by operationId,
  // operationPath, workflowId, and a bare operationId pets does not declare) give no unknown source,
  // operation or workflow, and nothing is said about the response pointer of a step of stores.
  expect(await reported("malformed-source.yaml")).toEqual(["AZC2003 10", "AZC4008 28"]);
});

it("reads a source description whose only fault is its type without it, so that its steps are bound", async () => {
  expect(await reported("malformed-source-type.yaml")).toEqual(["AZC2001 8", "AZC4008 12"]);
});

it("keeps malformed components as stand-ins: references to them are neither unknown nor missing what they supply", async () => {
  const codes = await reported("malformed-components.yaml");
  // One reference names a component that does not exist at all, and one output a step does not declare:
  // both reported, next to the three malformed components.
  expect(codes).toEqual(["AZC3001 26", "AZC4004 32", "AZC2001 35", "AZC2001 39", "AZC2001 49"]);
  // So not reported: petId missing from getPet (its parameter is the malformed component), the unknown input
  // owner (the inputs are the malformed component), and the control flow of the workflow whose failure
  // action is malformed.
});

it("does not report an operation unknown when a source that might declare it could not be read", async () => {
  // The file of stores is missing (AZC1001); restockStore is not in pets, and may be in stores.
  expect(await reported("unreadable-source-file.yaml")).toEqual(["AZC1001 10", "AZC4008 17"]);
});
