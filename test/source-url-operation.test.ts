// Arazzo 1.1 resolves `$sourceDescriptions.<name>.url` to an operation called url before the source's url field
// (delta 11): in a channelPath, as in an operationPath (the AZC4103 negative fixture), that is an error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { compile } from "../compiler/index.js";

const temp = mkdtempSync(join(tmpdir(), "arazzoc-source-url-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function diagnose(operationKey: string): Promise<{ code: string; message: string }[]> {
  const folder = mkdtempSync(join(temp, "case-"));
  const asyncapi = readFileSync("fixtures/cases/diagnostics/orders.asyncapi.yaml", "utf8").replace(/^  confirmOrder:$/m, `  ${operationKey}:`);
  writeFileSync(join(folder, "orders.asyncapi.yaml"), asyncapi);
  const document = {
    arazzo: "1.1.0",
    info: { title: "A channelPath of a source with an operation called url", version: "1.0.0" },
    sourceDescriptions: [{ name: "orders", url: "./orders.asyncapi.yaml", type: "asyncapi" }],
    workflows: [
      {
        workflowId: "order",
        steps: [{ stepId: "listen", channelPath: "{$sourceDescriptions.orders.url}#/channels/place-order", action: "receive", timeout: 1000 }],
      },
    ],
  };
  writeFileSync(join(folder, "doc.arazzo.json"), JSON.stringify(document));
  const result = await compile({ inputs: [join(folder, "doc.arazzo.json")], cwd: folder, emit: false });
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, message: d.message }));
}

it("a channelPath whose url expression names an AsyncAPI operation called url is an error", async () => {
  expect(await diagnose("url")).toEqual([
    {
      code: "AZC4103",
      message: "'{$sourceDescriptions.orders.url}' names an operation called url of source 'orders', not the source's url",
    },
  ]);
});

it("the same document with the operation named otherwise compiles", async () => {
  expect(await diagnose("confirmOrder")).toEqual([]);
});
