// out/ is the committed result of compiling fixtures/: the suite fails when it is stale, so every change
// to generated code is reviewed as a diff of out/. The output also type-checks under the strict settings
// of DESIGN.md with module resolution both nodenext and bundler.
import { execa } from "execa";
import { describe, expect, it } from "vitest";

const cli = ["dist/compiler/cli.js"];

describe("out/", () => {
  it("is up to date with the Windmill fixtures (arazzoc compile --check)", async () => {
    const result = await execa("node", [...cli, "compile", "fixtures/windmill/api-evangelist/arazzo", "--out", "out/windmill", "--check"], {
      reject: false,
    });
    expect(result.stderr).toContain("is up to date");
    expect(result.exitCode).toBe(0);
  });

  for (const mode of ["nodenext", "bundler"]) {
    it(`type-checks with module resolution ${mode}`, async () => {
      const result = await execa("node_modules/.bin/tsc", ["-p", `test/out.${mode}.tsconfig.json`], { reject: false });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
    });
  }
});
