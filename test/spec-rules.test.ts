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
