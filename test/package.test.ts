// The package as users get it: `npm pack`, the tarball installed into a fresh project, then the bin run
// and the API imported from there. Checks what the tarball holds (LICENSE, README, schemas, the runtime)
// and that a module generated with `runtime: "package"` type-checks against the installed arazzoc/runtime.
import { execa } from "execa";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIAGNOSTICS = join(ROOT, "fixtures/cases/diagnostics");

let work: string;
let consumer: string;
let tarball: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "arazzoc-pack-"));
  // `npm test` has built dist/ already (prepack would build again, under the feet of the other test files).
  if (!existsSync(join(ROOT, "dist/compiler/bin.js"))) await execa("npm", ["run", "build"], { cwd: ROOT });
  const packed = await execa("npm", ["pack", "--ignore-scripts", "--pack-destination", work, "--json"], { cwd: ROOT });
  const [info] = JSON.parse(packed.stdout) as { filename: string }[];
  tarball = join(work, info!.filename);
  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await execa("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], { cwd: consumer });
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds LICENSE (Apache-2.0), the README, the Arazzo schemas with their license, the docs and the runtime", async () => {
    const listing = await execa("tar", ["tzf", tarball]);
    const files = new Set(listing.stdout.split("\n"));
    for (const file of [
      "package/LICENSE",
      "package/README.md",
      "package/schemas/arazzo-1.0.schema.json",
      "package/schemas/arazzo-1.1.schema.json",
      "package/schemas/LICENSE",
      "package/schemas/arazzoc.config.schema.json",
      "package/docs/diagnostics.md",
      "package/dist/compiler/bin.js",
      "package/dist/compiler/index.d.ts",
      "package/dist/runtime/runtime.js",
      "package/dist/runtime/runtime.d.ts",
      "package/runtime/runtime.ts",
    ])
      expect(files.has(file), file).toBe(true);
    expect([...files].some((f) => f.startsWith("package/test/") || f.startsWith("package/fixtures/"))).toBe(false);
    const installed = join(consumer, "node_modules/arazzoc");
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    const readme = readFileSync(join(installed, "README.md"), "utf8").split("\n");
    expect(readme.slice(2, 5)).toEqual([
      "```sh",
      "npm install && npm run demo   # compile the Windmill workflows and run them against the bundled Windmill simulator",
      "npm test                      # the whole test suite",
    ]);
    const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["prepack"]).toBe("npm run build");
    expect(pkg.scripts["prepare"]).toBeUndefined();
  });

  it("the bin runs from node_modules/.bin: --version, and a compile with a config", async () => {
    const bin = join(consumer, "node_modules/.bin/arazzoc");
    expect(readFileSync(bin, "utf8").split("\n", 1)[0]).toBe("#!/usr/bin/env node");
    const version = await execa(bin, ["--version"], { cwd: consumer });
    expect(version.stdout).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);

    mkdirSync(join(consumer, "apis"), { recursive: true });
    cpSync(join(DIAGNOSTICS, "pets.openapi.yaml"), join(consumer, "apis/pets.openapi.yaml"));
    cpSync(join(DIAGNOSTICS, "base.arazzo.yaml"), join(consumer, "apis/pets.arazzo.yaml"));
    writeFileSync(
      join(consumer, "arazzoc.config.mjs"),
      `import { defineConfig } from "arazzoc";\nexport default defineConfig({ inputs: "apis", outDir: "src/workflows", runtime: "package", format: "arazzoc" });\n`,
    );
    const compiled = await execa(bin, ["compile"], { cwd: consumer, reject: false, env: { NO_COLOR: "1" } });
    expect(compiled.stderr).toBe("arazzoc: 1 document; 1 file written, 0 unchanged in src/workflows; 0 errors, 0 warnings.");
    expect(compiled.exitCode).toBe(0);
    expect(readdirSync(join(consumer, "src/workflows")).sort()).toEqual([".arazzoc-manifest.json", "pets.arazzo.ts"]);
    const module = readFileSync(join(consumer, "src/workflows/pets.arazzo.ts"), "utf8");
    expect(module).toContain('from "arazzoc/runtime"');

    // The module type-checks against the installed package's runtime types.
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, lib: ["es2023", "dom"], types: [] },
        include: ["src/**/*.ts"],
      }),
    );
    const tsc = await execa(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(consumer, "tsconfig.json")], { reject: false, cwd: consumer });
    expect(tsc.stdout + tsc.stderr).toBe("");
  });

  it("the API imports from the package: compile, check, write, watch, defineConfig; arazzoc/runtime exports WorkflowError", async () => {
    const script = join(consumer, "use-api.mjs");
    writeFileSync(
      script,
      [
        'import { compile, check, write, watch, defineConfig, catalogue } from "arazzoc";',
        'import { WorkflowError } from "arazzoc/runtime";',
        'const result = await compile({ inputs: ["apis"], format: "arazzoc" });',
        'const validated = await check({ inputs: ["apis"] });',
        'const report = write(result, "api-out");',
        "console.log(JSON.stringify({",
        "  files: [...result.files.keys()].sort(), diagnostics: validated.diagnostics.length, written: report.written.sort(),",
        '  kinds: [typeof watch, typeof defineConfig, typeof WorkflowError], hasCatalogue: "AZC3002" in catalogue,',
        "}));",
      ].join("\n"),
    );
    const run = await execa("node", [script], { cwd: consumer });
    expect(JSON.parse(run.stdout)).toEqual({
      files: ["pets.arazzo.ts", "runtime.ts"],
      diagnostics: 0,
      written: ["pets.arazzo.ts", "runtime.ts"],
      kinds: ["function", "function", "function"],
      hasCatalogue: true,
    });
    expect(existsSync(join(consumer, "api-out/.arazzoc-manifest.json"))).toBe(true);
  });
});
