// AZC4104 (delta 42): which values embedded in a text body are warned about. The negative fixture in
// test/diagnostic-cases.ts shows the warning for an object in XML; these cases show its edges.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { compile } from "../compiler/index.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-structured-text-"));
cpSync("fixtures/cases/diagnostics/notes.openapi.yaml", join(temp, "notes.openapi.yaml"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let count = 0;
async function warnings(options: { version?: string; contentType: string; payload: string; inputs?: object }): Promise<string[]> {
  const file = join(temp, `doc${++count}.arazzo.json`);
  const document = {
    arazzo: options.version ?? "1.1.0",
    info: { title: "Text bodies", version: "1.0.0" },
    sourceDescriptions: [{ name: "notes", url: "./notes.openapi.yaml" }],
    workflows: [
      {
        workflowId: "post-note",
        inputs: options.inputs ?? {
          type: "object",
          properties: { tags: { type: "array", items: { type: "string" } }, note: { type: "string" }, extra: {} },
        },
        steps: [{ stepId: "post", operationId: "postNote", requestBody: { contentType: options.contentType, payload: options.payload } }],
      },
    ],
  };
  writeFileSync(file, JSON.stringify(document));
  const result = await compile({ inputs: [file], cwd: temp, emit: false });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.diagnostics.filter((d) => d.code === "AZC4104").map((d) => d.message);
}

it("an array in a text/plain body is warned about, once however often it is embedded", async () => {
  expect(await warnings({ contentType: "text/plain", payload: "tags: {$inputs.tags}, again {$inputs.tags}" })).toEqual([
    "$inputs.tags is an array, embedded in the text of a body sent as text/plain: it is sent as its JSON text",
  ]);
});

it("a string, an element of the array, and a value whose type says nothing are not", async () => {
  const payload = "{$inputs.note} {$inputs.tags#/0} {$inputs.extra}";
  expect(await warnings({ contentType: "text/plain", payload })).toEqual([]);
});

it("a 1.0 document is not (1.1 made the text conversion normative)", async () => {
  expect(await warnings({ version: "1.0.1", contentType: "text/plain", payload: "tags: {$inputs.tags}" })).toEqual([]);
});
