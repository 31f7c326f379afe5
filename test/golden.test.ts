// out/ is the committed result of compiling fixtures/: the suite fails when it is stale, so every change
// to generated code is reviewed as a diff of out/. The output also type-checks under the strict settings
// of DESIGN.md with module resolution both nodenext and bundler (and no Node types: the runtime must run
// in browsers, Deno and Bun as well).
import { execa } from "execa";
import { describe, expect, it } from "vitest";

/** Each fixture folder, the output folder it is compiled into, the project folder when not the default, and other flags. */
export const GOLDEN_TARGETS: ReadonlyArray<
  readonly [inputs: readonly string[], output: string, root?: string, flags?: readonly string[]]
> = [
  [["fixtures/windmill/api-evangelist/arazzo"], "out/windmill"],
  [
    [
      "fixtures/cases/types",
      "fixtures/cases/flows",
      "fixtures/cases/payloads",
      "fixtures/cases/sources",
      "fixtures/cases/documents",
      "fixtures/cases/names",
    ],
    "out/cases",
    // The cases share the Windmill description in fixtures/windmill.
    "fixtures",
  ],
  [["fixtures/arazzo-examples-fixed"], "out/examples"],
  // Arazzo 1.1: selectors, step dependsOn, query strings, action parameters.
  [["fixtures/cases/v11/semantics"], "out/v11-semantics", "fixtures"],
  // The Arazzo 1.1 AsyncAPI example: its remote sources mapped to the local copies.
  [
    ["fixtures/arazzo-1.1-examples"],
    "out/asyncapi",
    ".",
    [
      "--source",
      "petStoreDescription=fixtures/arazzo-examples-support/petstore.openapi.yaml",
      "--source",
      "asyncOrderApiDescription=fixtures/arazzo-1.1-examples/pet-asyncapi.yaml",
    ],
  ],
  [
    [
      "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-and-cleanup-job-workflow.yml",
      "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-with-timeout-cancel-workflow.yml",
      "fixtures/cases/durable",
    ],
    "out/durable",
    "fixtures",
    ["--durable", "restate"],
  ],
  // Step dependsOn with independent steps: compiled to run them concurrently, and (the default) one at a time.
  [["fixtures/cases/concurrent"], "out/concurrent", "fixtures", ["--step-concurrency", "concurrent"]],
  [["fixtures/cases/concurrent"], "out/concurrent-sequential", "fixtures"],
];

describe("out/", () => {
  for (const [inputs, output, root, flags = []] of GOLDEN_TARGETS) {
    it(`${output} is up to date with ${inputs.join(", ")} (arazzoc compile --check)`, async () => {
      const rootFlag = root === undefined ? [] : ["--root", root];
      const result = await execa("node", ["dist/compiler/cli.js", "compile", ...inputs, ...rootFlag, "--out", output, "--check", ...flags], {
        reject: false,
      });
      expect(result.stderr).toContain("is up to date");
      expect(result.exitCode).toBe(0);
    });
  }

  // durable: the Restate wrappers, with Node's types; the SDK's own declarations need skipLibCheck.
  for (const mode of ["nodenext", "bundler", "durable"]) {
    it(`type-checks with module resolution ${mode}`, async () => {
      const result = await execa("node_modules/.bin/tsc", ["-p", `test/out.${mode}.tsconfig.json`], { reject: false });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
    });
  }
});
