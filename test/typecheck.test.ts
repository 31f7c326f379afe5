// The generated types as users see them, checked by the TypeScript compiler: assertions on the Windmill
// clients' types (test/types), and a user file with a wrong input type failing at that line.
import { mkdtempSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";

const tsc = resolve("node_modules/.bin/tsc");
const temp = mkdtempSync(join(tmpdir(), "arazzoc-types-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe("generated types", () => {
  it("match the Windmill seeds' schemas and control flow (test/types)", async () => {
    const result = await execa(tsc, ["-p", "test/types/tsconfig.json"], { reject: false });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
  });

  it("reject a wrong input type in a user's file, at that line", async () => {
    cpSync("out/windmill", join(temp, "windmill"), { recursive: true });
    writeFileSync(
      join(temp, "user.ts"),
      [
        'import { runScriptAndCleanupJob } from "./windmill/windmill-run-script-and-cleanup-job-workflow.js";',
        "",
        "export const ok = runScriptAndCleanupJob({ token: 't', workspace: 'w', path: 'f/x', args: {} });",
        "export const bad = runScriptAndCleanupJob({ token: 't', workspace: 'w', path: 42, args: {} });",
        "",
      ].join("\n"),
    );
    // A user's ESM package (module nodenext reads "type" to tell ESM from CommonJS).
    writeFileSync(join(temp, "package.json"), JSON.stringify({ type: "module" }));
    writeFileSync(
      join(temp, "tsconfig.json"),
      JSON.stringify({ extends: resolve("test/out.nodenext.tsconfig.json"), include: ["./**/*.ts"] }),
    );
    const result = await execa(tsc, ["-p", join(temp, "tsconfig.json")], { reject: false });
    expect(result.exitCode).not.toBe(0);
    const errors = result.stdout.split("\n").filter((l) => l.includes("error TS"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/user\.ts\(4,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });
});
