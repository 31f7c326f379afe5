// Values embedded in a document's text ({$...} in a JSONPath criterion, in a JSON payload written as text) are
// put into the syntax tree, never spliced into text: a document whose string literals look like generated code,
// or an input that looks like JSON, changes nothing but the value compared or sent. Each case compiles a
// hostile document, type-checks the module, runs it against an echo server and checks a tripwire global that
// any injected code would set.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { afterAll, afterEach, expect, it } from "vitest";
import { compile } from "../compiler/index.js";
import { startServer, type TestServer } from "./support/json-server.js";

const TRIPWIRE = "__arazzocTripwire";
const temp = mkdtempSync(join(tmpdir(), "arazzoc-embedded-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  delete (globalThis as Record<string, unknown>)[TRIPWIRE];
});

/**
 * String literals that would close a generated string and run code if any text were spliced (the first one
 * holds, escaped, the placeholder literal the compiler once put where an embedded value goes).
 */
const HOSTILE = [
  `"\u00000`,
  `\\u0000 0"); globalThis.${TRIPWIRE} = 1; ("`,
  `"); globalThis.${TRIPWIRE} = 1; //`,
  "`${globalThis." + TRIPWIRE + " = 1}`",
];

function document(condition: string, payload = '{"items": [{"name": "rex"}, {"name": "{$inputs.name}"}]}'): object {
  return {
    arazzo: "1.0.1",
    info: { title: "Embedded values", version: "1.0.0" },
    sourceDescriptions: [{ name: "echo", url: "./echo.openapi.yaml" }],
    workflows: [
      {
        workflowId: "find-named",
        inputs: { type: "object", required: ["name"], properties: { name: { type: "string" }, size: { type: "integer" } } },
        steps: [
          {
            stepId: "echo",
            operationId: "postJson",
            requestBody: { payload },
            successCriteria: [{ context: "$response.body#/items", type: "jsonpath", condition }],
            outputs: { items: "$response.body#/items" },
          },
        ],
        outputs: { items: "$steps.echo.outputs.items" },
      },
    ],
  };
}

/** Compiles the document into its own folder, type-checks the module and imports it. */
async function build(
  name: string,
  content: object,
): Promise<{ findNamed: (inputs: { name: string }, options: object) => Promise<unknown> }> {
  const folder = join(temp, name);
  cpSync("fixtures/cases/payloads/echo.openapi.yaml", join(folder, "echo.openapi.yaml"));
  writeFileSync(join(folder, "doc.arazzo.json"), JSON.stringify(content, null, 2));
  const result = await compile({ inputs: [join(folder, "doc.arazzo.json")], cwd: folder });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  for (const [file, text] of result.files) writeFileSync(join(folder, file), text);
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    join(folder, "tsconfig.json"),
    JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./*.ts"] }),
  );
  const checked = await execa(resolve("node_modules/.bin/tsc"), ["-p", join(folder, "tsconfig.json")], { reject: false });
  expect(checked.stdout + checked.stderr).toBe("");
  return (await import(pathToFileURL(join(folder, "doc.arazzo.ts")).href)) as never;
}

async function echo(): Promise<TestServer> {
  server = await startServer((r) => ({ status: 200, body: JSON.parse(r.body) as unknown }));
  return server;
}

it("a JSONPath criterion's string literals stay string literals next to an embedded value", async () => {
  const others = HOSTILE.map((text) => `@.name == ${JSON.stringify(text)}`).join(" || ");
  const module = await build("jsonpath", document(`$[?@.name == {$inputs.name} || ${others}]`));
  const s = await echo();
  for (const name of ["tom", ...HOSTILE]) {
    await expect(module.findNamed({ name }, { servers: { echo: s.url } }), name).resolves.toEqual({
      items: [{ name: "rex" }, { name }],
    });
  }
  expect((globalThis as Record<string, unknown>)[TRIPWIRE]).toBeUndefined();
});

it("the quoted form '{$...}' is one embedded value too, compared as a value", async () => {
  const module = await build("quoted", document(`$[?@.name == '{$inputs.name}' && @.name != '"); globalThis.${TRIPWIRE} = 1; ("']`));
  const s = await echo();
  await expect(module.findNamed({ name: "tom" }, { servers: { echo: s.url } })).resolves.toBeDefined();
  expect((globalThis as Record<string, unknown>)[TRIPWIRE]).toBeUndefined();
});

it("an input that looks like JSON members stays one string of a JSON text payload", async () => {
  // The bare {$inputs.size} makes the text JSON only once its values are in.
  const payload = '{"size": {$inputs.size}, "items": [{"name": "rex"}, {"name": "{$inputs.name}"}]}';
  const module = await build("payload", document("$[?@.name == 'rex']", payload));
  const s = await echo();
  const name = 'x"}, {"name": "admin", "role": "admin';
  await expect(module.findNamed({ name, size: 2 } as never, { servers: { echo: s.url } })).resolves.toEqual({
    items: [{ name: "rex" }, { name }],
  });
  expect(JSON.parse(s.requests[0]!.body)).toEqual({ size: 2, items: [{ name: "rex" }, { name }] });
});
