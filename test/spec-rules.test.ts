// The spec's own rules, not stricter ones (compile-level): documents that follow the Arazzo and OpenAPI
// specifications compile, and what they leave to the runner is reported as it should be.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../compiler/index.js";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Compiles `document` (an Arazzo document as data) with `openapi` beside it as ./api.json. */
async function compileDocument(document: object, openapi: object): Promise<CompileResult> {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-spec-rules-"));
  folders.push(dir);
  writeFileSync(join(dir, "api.json"), JSON.stringify(openapi));
  writeFileSync(join(dir, "doc.arazzo.json"), JSON.stringify(document));
  return compile({ inputs: ["doc.arazzo.json"], cwd: dir });
}

function codes(result: CompileResult): string[] {
  return result.diagnostics.map((d) => `${d.code} ${d.pointer}`);
}

const PING = {
  paths: {
    "/ping": {
      get: {
        operationId: "ping",
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { n: { type: "integer" } } } } } } },
      },
    },
  },
};

const ONE_STEP = {
  arazzo: "1.0.1",
  info: { title: "t", version: "1.0.0" },
  sourceDescriptions: [{ name: "api", url: "./api.json", type: "openapi" }],
  workflows: [{ workflowId: "w", steps: [{ stepId: "s", operationId: "ping", outputs: { n: "$response.body#/n" } }], outputs: { n: "$steps.s.outputs.n" } }],
};

describe("OpenAPI versions", () => {
  it("loads OpenAPI 3.2 descriptions as it loads 3.1 ones", async () => {
    for (const version of ["3.1.0", "3.2.0", "3.2"]) {
      const result = await compileDocument(ONE_STEP, { openapi: version, info: { title: "api", version: "1" }, ...PING });
      expect(codes(result), version).toEqual([]);
      expect(result.files.get("doc.arazzo.ts")).toContain('"/ping"');
    }
  });

  it("still refuses versions it does not know", async () => {
    const result = await compileDocument(ONE_STEP, { openapi: "4.0.0", info: { title: "api", version: "1" }, ...PING });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AZC1008", expect.stringContaining("version 4.0.0 is not OpenAPI 3.0, 3.1, 3.2 or Swagger 2.0")],
    ]);
  });
});

const OPENAPI = { openapi: "3.1.0", info: { title: "api", version: "1" }, ...PING };

/** A document with workflows `a` and `b` (each one ping step with output n) and the given further workflows. */
function withWorkflows(...workflows: object[]): object {
  const pinging = (workflowId: string) => ({
    workflowId,
    inputs: { type: "object", properties: { tag: { type: "string" } } },
    steps: [{ stepId: "s", operationId: "ping", outputs: { n: "$response.body#/n" } }],
    outputs: { n: "$steps.s.outputs.n" },
  });
  return { ...ONE_STEP, workflows: [pinging("a"), pinging("b"), ...workflows] };
}

describe("$workflows.<id>", () => {
  it("reads every dependency, not only the last, from the first step on", async () => {
    const result = await compileDocument(
      withWorkflows({
        workflowId: "c",
        dependsOn: ["a", "b"],
        steps: [{ stepId: "s", operationId: "ping", outputs: { a: "$workflows.a.outputs.n", b: "$workflows.b.outputs.n" } }],
        outputs: { a: "$steps.s.outputs.a", b: "$workflows.b.outputs.n", tag: "$workflows.a.inputs.tag" },
      }),
      OPENAPI,
    );
    expect(codes(result)).toEqual([]);
    const module = result.files.get("doc.arazzo.ts")!;
    expect(module).toContain("await run.dependency(aWorkflow, aInRun)");
    expect(module).toContain("await run.dependency(bWorkflow, bInRun)");
  });

  it("a workflow that only a retry action runs is read where it may have run: a warning, and typed | undefined", async () => {
    const result = await compileDocument(
      withWorkflows({
        workflowId: "c",
        steps: [
          {
            stepId: "s",
            operationId: "ping",
            onFailure: [{ name: "again", type: "retry", workflowId: "a", retryLimit: 1 }],
          },
          { stepId: "t", operationId: "ping", outputs: { n: "$workflows.a.outputs.n" } },
        ],
        outputs: { n: "$steps.t.outputs.n" },
      }),
      OPENAPI,
    );
    expect(codes(result)).toEqual(["AZC4031 /workflows/2/steps/1/outputs/n"]);
    expect(result.files.get("doc.arazzo.ts")).toContain('run.outputsOf<AOutputs | undefined>("a")?.n');
  });

  it("a workflow nothing runs, and one that is not declared, are errors that say so", async () => {
    const result = await compileDocument(
      withWorkflows({
        workflowId: "c",
        steps: [{ stepId: "s", operationId: "ping", outputs: { a: "$workflows.a.outputs.n", z: "$workflows.z.outputs.n" } }],
      }),
      OPENAPI,
    );
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AZC4030", "$workflows.a.outputs.n reads workflow 'a', which has not run there: neither dependsOn nor a step or retry of workflow 'c' runs it"],
      ["AZC4014", "Unknown workflow 'z'"],
    ]);
  });
});

describe("a step that calls a workflow", () => {
  const calling = (outputs: Record<string, string> | undefined) =>
    withWorkflows({
      workflowId: "c",
      steps: [
        { stepId: "call", workflowId: "a", ...(outputs ? { outputs } : {}) },
        { stepId: "t", operationId: "ping", outputs: { got: "$steps.call.outputs.n" } },
      ],
      outputs: { got: "$steps.t.outputs.got" },
    });

  it("exposes the called workflow's outputs it does not declare, with a warning naming the standard form", async () => {
    const result = await compileDocument(calling(undefined), OPENAPI);
    expect(result.diagnostics.map((d) => [d.code, d.fix])).toEqual([["AZC4032", "Declare it on step 'call': outputs: {n: $outputs.n}."]]);
    expect(result.files.get("doc.arazzo.ts")).toContain("call.outputs?.n");
  });

  it("keeps its own output of that name: explicit step outputs win", async () => {
    const result = await compileDocument(calling({ n: "$statusCode" }), OPENAPI);
    expect(codes(result)).toEqual([]);
    const module = result.files.get("doc.arazzo.ts")!;
    expect(module).toContain("call.status");
    expect(module).not.toContain("call.outputs?.n");
  });
});
