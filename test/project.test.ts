// arazzoc in a project, through the programmatic API: config files (JSON, .mjs, .ts), the output folder
// and its manifest (stale, missing and orphaned files, files arazzoc did not write, planted links), the
// layout of nested inputs and the imports between their modules, module names that need care, the
// import extension and runtime options, the project's Prettier config, banners, and watch mode.
import { execa } from "execa";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, findConfig } from "../compiler/config.js";
import { compile, type CompileOptions } from "../compiler/index.js";
import { unifiedDiff } from "../compiler/output/diff.js";
import { MANIFEST, writeOutput } from "../compiler/output/write.js";
import { watch, type Build } from "../compiler/watch.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIAGNOSTICS = join(ROOT, "fixtures/cases/diagnostics");
const DOCUMENTS = join(ROOT, "fixtures/cases/documents");

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh project folder (with a package.json, so it is its own project root). */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-project-"));
  temps.push(dir);
  writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "type": "module" }\n');
  return dir;
}

/** The pets document of the diagnostics fixtures, at `path` inside `dir`, its source next to `dir`'s pets.openapi.yaml. */
function addPets(dir: string, path: string): string {
  const target = join(dir, path);
  mkdirSync(dirname(target), { recursive: true });
  if (!existsSync(join(dir, "pets.openapi.yaml"))) cpSync(join(DIAGNOSTICS, "pets.openapi.yaml"), join(dir, "pets.openapi.yaml"));
  const depth = path.split("/").length - 1;
  const url = `${depth === 0 ? "./" : "../".repeat(depth)}pets.openapi.yaml`;
  writeFileSync(target, readFileSync(join(DIAGNOSTICS, "base.arazzo.yaml"), "utf8").replace("url: ./pets.openapi.yaml", `url: ${url}`));
  return target;
}

function errorsOf(list: readonly { severity: string; code: string; message: string }[]): string[] {
  return list.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
}

async function compileAndWrite(options: CompileOptions & { outDir: string }) {
  const result = await compile({ ...options, emit: true });
  expect(errorsOf(result.diagnostics)).toEqual([]);
  return { result, report: writeOutput(options.outDir, result.files, result.modules, { cwd: options.cwd ?? process.cwd() }) };
}

describe("config files", () => {
  it("a JSON config: inputs, outDir, sources and options resolved against its folder", async () => {
    const dir = project();
    addPets(dir, "apis/pets.arazzo.yaml");
    writeFileSync(
      join(dir, "arazzoc.config.json"),
      JSON.stringify({ inputs: ["apis"], outDir: "src/generated", importExtension: ".ts", severity: { AZC3002: "off" }, lintDisable: true }),
    );
    mkdirSync(join(dir, "deep/inside"), { recursive: true });
    expect(findConfig(join(dir, "deep/inside"))).toBe(join(dir, "arazzoc.config.json"));
    const loaded = await loadConfig(join(dir, "arazzoc.config.json"), join(dir, "deep/inside"));
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.projects).toHaveLength(1);
    const [p] = loaded.projects;
    expect(p!.inputs).toEqual([join(dir, "apis")]);
    expect(p!.outDir).toBe(join(dir, "src/generated"));
    expect(p!.options).toMatchObject({ pathsFrom: dir, importExtension: ".ts", severity: { AZC3002: "off" }, banner: ["/* eslint-disable */"] });
  });

  it("stepConcurrency: sequential or concurrent, passed to compile; another value is a diagnostic at the field", async () => {
    const dir = project();
    writeFileSync(join(dir, "arazzoc.config.json"), JSON.stringify({ inputs: ["apis"], stepConcurrency: "concurrent" }));
    const loaded = await loadConfig(join(dir, "arazzoc.config.json"), dir);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.projects[0]!.options.stepConcurrency).toBe("concurrent");
    writeFileSync(join(dir, "arazzoc.config.json"), JSON.stringify({ inputs: ["apis"], stepConcurrency: "parallel" }));
    const wrong = await loadConfig(join(dir, "arazzoc.config.json"), dir);
    expect(wrong.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["AZC7002", expect.stringContaining("Config field 'stepConcurrency' must be")],
    ]);
  });

  it("several projects, each with the top-level options as defaults and its own overrides", async () => {
    const dir = project();
    writeFileSync(
      join(dir, "arazzoc.config.json"),
      JSON.stringify({
        strict: true,
        format: "arazzoc",
        projects: [
          { name: "shop", inputs: "shop/*.arazzo.yaml", outDir: "gen/shop" },
          { name: "admin", inputs: ["admin"], outDir: "gen/admin", strict: false, runtime: "package" },
        ],
      }),
    );
    const loaded = await loadConfig(join(dir, "arazzoc.config.json"), dir);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.projects.map((p) => [p.name, p.options.strict, p.options.format, p.options.runtime ?? "copy"])).toEqual([
      ["shop", true, "arazzoc", "copy"],
      ["admin", false, "arazzoc", "package"],
    ]);
    expect(loaded.projects[0]!.inputs).toEqual([join(dir, "shop/*.arazzo.yaml")]);
  });

  it("an .mjs config with defineConfig, and a wrong field reported by its path", async () => {
    const dir = project();
    const api = pathToPackageEntry();
    writeFileSync(
      join(dir, "arazzoc.config.mjs"),
      `import { defineConfig } from ${JSON.stringify(api)};\nexport default defineConfig({ projects: [{ inputs: "a" }, { inputs: "b", outDir: 7 }] });\n`,
    );
    const loaded = await loadConfig(join(dir, "arazzoc.config.mjs"), dir);
    expect(loaded.diagnostics.map((d) => [d.code, d.message, d.file, d.pointer, d.range])).toEqual([
      ["AZC7002", "Config field 'projects[1].outDir' must be a non-empty string, not number 7", "arazzoc.config.mjs", "/projects/1/outDir", undefined],
    ]);
  });

  it("a .ts config is loaded on Node 20 (through esbuild, which comes with the project's tools)", async () => {
    const dir = project();
    writeFileSync(
      join(dir, "arazzoc.config.ts"),
      `import { defineConfig, type ArazzocConfig } from ${JSON.stringify(pathToPackageEntry())};\n` +
        `const shared: Partial<ArazzocConfig> = { importExtension: ".ts" };\n` +
        `export default defineConfig({ ...shared, inputs: ["apis"], outDir: "gen" });\n`,
    );
    // esbuild is resolved from the config's folder, as a project that has tsx or vitest would have it.
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    const loaded = await loadConfig(join(dir, "arazzoc.config.ts"), dir);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.projects[0]!.options.importExtension).toBe(".ts");
    expect(readdirSync(dir).filter((name) => name.endsWith(".mjs"))).toEqual([]); // the transpiled copy is removed
  });

  it("a .ts config without esbuild on a Node without type stripping: a diagnostic that says what to do", async () => {
    const dir = project();
    writeFileSync(join(dir, "arazzoc.config.ts"), `export default { inputs: "apis" };\n`);
    const loaded = await loadConfig(join(dir, "arazzoc.config.ts"), dir);
    const features = process.features as { typescript?: string | false };
    if (features.typescript) expect(loaded.diagnostics).toEqual([]);
    else {
      expect(loaded.diagnostics.map((d) => d.code)).toEqual(["AZC7003"]);
      expect(loaded.diagnostics[0]!.fix).toMatch(/npm install --save-dev esbuild/);
    }
  });

  it("a severity override turns a warning off or into an error, in compile()", async () => {
    const input = join(ROOT, "fixtures/windmill/api-evangelist/arazzo/windmill-run-script-with-timeout-cancel-workflow.yml");
    const plain = await compile({ inputs: [input], cwd: ROOT, emit: false });
    expect(new Set(plain.diagnostics.map((d) => `${d.code} ${d.severity}`))).toEqual(new Set(["AZC3002 warning", "AZC3004 warning"]));
    const tuned = await compile({ inputs: [input], cwd: ROOT, emit: false, severity: { AZC3002: "off", AZC3004: "error" } });
    expect(new Set(tuned.diagnostics.map((d) => `${d.code} ${d.severity}`))).toEqual(new Set(["AZC3004 error"]));
  });
});

/** The package's entry point as a URL an ES module config can import (the sources here; `arazzoc` once installed). */
function pathToPackageEntry(): string {
  return join(ROOT, "dist/compiler/index.js");
}

describe("the output folder", () => {
  it("the manifest records each module's document; compile removes the module of a deleted document", async () => {
    const dir = project();
    const a = addPets(dir, "apis/a.arazzo.yaml");
    addPets(dir, "apis/b.arazzo.yaml");
    const out = join(dir, "gen");
    const first = await compileAndWrite({ inputs: [join(dir, "apis")], cwd: dir, outDir: out });
    expect(first.report.written.sort()).toEqual(["a.arazzo.ts", "b.arazzo.ts", "runtime.ts"]);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8")) as { files: Record<string, { from?: string }> };
    expect(manifest.files).toEqual({ "a.arazzo.ts": { from: "../apis/a.arazzo.yaml" }, "b.arazzo.ts": { from: "../apis/b.arazzo.yaml" }, "runtime.ts": {} });

    rmSync(a);
    const result = await compile({ inputs: [join(dir, "apis")], cwd: dir, emit: true });
    const check = writeOutput(out, result.files, result.modules, { check: true, diff: true, cwd: dir });
    expect(check.orphaned).toEqual(["a.arazzo.ts"]);
    expect(check.stale).toEqual([MANIFEST]);
    expect(check.diffs.join("")).toContain("--- a/a.arazzo.ts\n+++ /dev/null\n");
    expect(existsSync(join(out, "a.arazzo.ts"))).toBe(true); // check writes nothing

    const second = writeOutput(out, result.files, result.modules, { cwd: dir });
    expect(second.removed).toEqual(["a.arazzo.ts"]);
    expect(existsSync(join(out, "a.arazzo.ts"))).toBe(false);
    const after = writeOutput(out, result.files, result.modules, { check: true, cwd: dir });
    expect([...after.stale, ...after.missing, ...after.orphaned]).toEqual([]);
  });

  it("another compilation's modules in the same folder are kept while their documents exist", async () => {
    const dir = project();
    const a = addPets(dir, "one/a.arazzo.yaml");
    const b = addPets(dir, "two/b.arazzo.yaml");
    const out = join(dir, "gen");
    await compileAndWrite({ inputs: [a], cwd: dir, outDir: out });
    const second = await compileAndWrite({ inputs: [b], cwd: dir, outDir: out });
    expect(second.report.removed).toEqual([]);
    expect(readdirSync(out).sort()).toEqual([MANIFEST, "a.arazzo.ts", "b.arazzo.ts", "runtime.ts"]);
  });

  it("never overwrites a file it did not write, and writes nothing then", async () => {
    const dir = project();
    const input = addPets(dir, "pets.arazzo.yaml");
    const out = join(dir, "src");
    mkdirSync(out);
    writeFileSync(join(out, "pets.arazzo.ts"), "export const mine = 1;\n");
    const result = await compile({ inputs: [input], cwd: dir, emit: true });
    const report = writeOutput(out, result.files, result.modules, { cwd: dir });
    expect(report.diagnostics.map((d) => [d.code, d.file])).toEqual([["AZC7005", "src/pets.arazzo.ts"]]);
    expect(report.written).toEqual([]);
    expect(readFileSync(join(out, "pets.arazzo.ts"), "utf8")).toBe("export const mine = 1;\n");
    expect(existsSync(join(out, "runtime.ts"))).toBe(false);
  });

  it("a symbolic link planted in the output folder is never followed, for a file or a folder", async () => {
    const dir = project();
    const input = addPets(dir, "apis/nested/pets.arazzo.yaml");
    const out = join(dir, "gen");
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "precious\n");
    mkdirSync(out);
    symlinkSync(victim, join(out, "runtime.ts"));
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, "nested"));
    const result = await compile({ inputs: [join(dir, "apis")], cwd: dir, emit: true });
    expect([...result.files.keys()].sort()).toEqual(["nested/pets.arazzo.ts", "runtime.ts"]);
    const report = writeOutput(out, result.files, result.modules, { cwd: dir });
    expect(report.diagnostics.map((d) => [d.code, d.file]).sort()).toEqual([
      ["AZC7006", "gen/nested"],
      ["AZC7006", "gen/runtime.ts"],
    ]);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(lstatSync(join(out, "runtime.ts")).isSymbolicLink()).toBe(true);
  });

  it("--out naming a file is a diagnostic", async () => {
    const dir = project();
    const input = addPets(dir, "pets.arazzo.yaml");
    const result = await compile({ inputs: [input], cwd: dir, emit: true });
    const report = writeOutput(join(dir, "package.json"), result.files, result.modules, { cwd: dir });
    expect(report.diagnostics.map((d) => [d.code, d.message])).toEqual([["AZC7007", "The output folder package.json is a file"]]);
  });

  it("the header is relative to the project root, so the output is the same from any working folder", async () => {
    const dir = project();
    const input = addPets(dir, "apis/pets.arazzo.yaml");
    mkdirSync(join(dir, "apis/sub"));
    const fromRoot = await compile({ inputs: [input], cwd: dir, emit: true });
    const fromSub = await compile({ inputs: [input], cwd: join(dir, "apis/sub"), emit: true });
    expect(fromSub.files).toEqual(fromRoot.files);
    expect(fromRoot.files.get("pets.arazzo.ts")!.split("\n", 1)[0]).toBe("// Generated by arazzoc from apis/pets.arazzo.yaml. Do not edit.");
  });
});

describe("layout and names", () => {
  it("nested inputs keep their layout; same-named documents do not collide; imports between modules are relative", async () => {
    const dir = project();
    addPets(dir, "apis/a/pets.arazzo.yaml");
    addPets(dir, "apis/b/pets.arazzo.yaml");
    // checkout calls auth's workflow: two Arazzo documents in different folders.
    mkdirSync(join(dir, "apis/auth"), { recursive: true });
    mkdirSync(join(dir, "apis/shop"), { recursive: true });
    cpSync(join(ROOT, "fixtures/cases/flows/shop.openapi.yaml"), join(dir, "apis/shop.openapi.yaml"));
    writeFileSync(
      join(dir, "apis/auth/auth.arazzo.yaml"),
      readFileSync(join(DOCUMENTS, "auth.arazzo.yaml"), "utf8").replace("url: ../flows/shop.openapi.yaml", "url: ../shop.openapi.yaml"),
    );
    writeFileSync(
      join(dir, "apis/shop/checkout.arazzo.yaml"),
      readFileSync(join(DOCUMENTS, "checkout.arazzo.yaml"), "utf8")
        .replace("url: ./auth.arazzo.yaml", "url: ../auth/auth.arazzo.yaml")
        .replaceAll("url: ../flows/shop.openapi.yaml", "url: ../shop.openapi.yaml"),
    );
    const out = join(dir, "gen");
    const { result } = await compileAndWrite({ inputs: [join(dir, "apis")], cwd: dir, outDir: out, format: "arazzoc" });
    expect([...result.files.keys()].sort()).toEqual([
      "a/pets.arazzo.ts",
      "auth/auth.arazzo.ts",
      "b/pets.arazzo.ts",
      "runtime.ts",
      "shop/checkout.arazzo.ts",
    ]);
    const checkout = result.files.get("shop/checkout.arazzo.ts")!;
    expect(checkout).toContain('from "../runtime.js"');
    expect(checkout).toContain('from "../auth/auth.arazzo.js"');
    await typeCheck(out, "nodenext");
  });

  it("runtime.yaml and names with #, ?, % or quotes get module names that import cleanly", async () => {
    const dir = project();
    addPets(dir, "apis/runtime.yaml");
    addPets(dir, `apis/we#ird?%'"name.arazzo.yaml`);
    const out = join(dir, "gen");
    const result = await compile({ inputs: [join(dir, "apis")], cwd: dir, emit: true, format: "arazzoc" });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["AZC7008", "AZC7008"]);
    expect([...result.files.keys()].sort()).toEqual(["runtime.ts", "runtime.workflows.ts", "we_ird____name.arazzo.ts"]);
    writeOutput(out, result.files, result.modules, { cwd: dir });
    // The modules import and run: their workflow functions are there.
    for (const name of ["runtime.workflows.ts", "we_ird____name.arazzo.ts"]) {
      expect(result.files.get(name)).toContain('from "./runtime.js"');
    }
    await typeCheck(out, "nodenext");
  });
});

/** Type-checks an output folder under the strict settings of test/out.nodenext.tsconfig.json. */
async function typeCheck(out: string, resolution: "nodenext" | "bundler", extra: Record<string, unknown> = {}): Promise<void> {
  const base = JSON.parse(readFileSync(join(ROOT, `test/out.${resolution}.tsconfig.json`), "utf8")) as { compilerOptions: object };
  const config = join(out, "tsconfig.json");
  writeFileSync(config, JSON.stringify({ compilerOptions: { ...base.compilerOptions, ...extra }, include: ["**/*.ts"] }));
  const run = await execa(join(ROOT, "node_modules/.bin/tsc"), ["-p", config], { reject: false });
  rmSync(config);
  expect(run.stdout + run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
}

describe("fits the project", () => {
  it("import extension .ts and none; the runtime's own import follows", async () => {
    const dir = project();
    const input = addPets(dir, "pets.arazzo.yaml");
    for (const [extension, spec] of [
      [".ts", "./runtime.ts"],
      ["none", "./runtime"],
    ] as const) {
      const result = await compile({ inputs: [input, join(ROOT, "fixtures/cases/payloads/payloads.arazzo.yaml")], cwd: dir, emit: true, importExtension: extension, format: "arazzoc", allowOutsideRoot: true });
      expect(errorsOf(result.diagnostics)).toEqual([]);
      expect(result.files.get("pets.arazzo.ts")).toContain(`from "${spec}"`);
      if (result.files.has("runtime-jsonpath.ts")) expect(result.files.get("runtime-jsonpath.ts")).toContain(`from "${spec}"`);
      const out = join(dir, `gen-${extension.replace(".", "")}`);
      writeOutput(out, result.files, result.modules, { cwd: dir });
      await typeCheck(out, "bundler", extension === ".ts" ? { allowImportingTsExtensions: true, noEmit: true } : { noEmit: true });
    }
  });

  it("runtime: package imports arazzoc/runtime and writes no runtime.ts", async () => {
    const dir = project();
    const input = addPets(dir, "pets.arazzo.yaml");
    const result = await compile({ inputs: [input], cwd: dir, emit: true, runtime: "package", format: "arazzoc" });
    expect([...result.files.keys()]).toEqual(["pets.arazzo.ts"]);
    expect(result.files.get("pets.arazzo.ts")).toContain('from "arazzoc/runtime"');
  });

  it("--durable restate files follow the import extension and the runtime mode, from a nested module too", async () => {
    const dir = project();
    addPets(dir, "apis/pets.arazzo.yaml");
    addPets(dir, "apis/sub/more.arazzo.yaml");
    const inputs = [join(dir, "apis")];
    const copy = await compile({ inputs, cwd: dir, emit: true, durable: "restate", importExtension: "none", format: "arazzoc" });
    expect(errorsOf(copy.diagnostics)).toEqual([]);
    expect(copy.files.get("sub/more.arazzo.restate.ts")).toContain('from "../runtime-restate"');
    expect(copy.files.get("sub/more.arazzo.restate.ts")).toContain('from "./more.arazzo"');
    expect(copy.files.get("runtime-restate.ts")).toContain('from "./runtime"');

    const result = await compile({ inputs, cwd: dir, emit: true, durable: "restate", importExtension: ".ts", runtime: "package", format: "arazzoc" });
    expect(errorsOf(result.diagnostics)).toEqual([]);
    expect([...result.files.keys()].sort()).toEqual(["pets.arazzo.restate.ts", "pets.arazzo.ts", "runtime-restate.ts", "sub/more.arazzo.restate.ts", "sub/more.arazzo.ts"]);
    const wrapper = result.files.get("pets.arazzo.restate.ts")!;
    expect(wrapper).toContain('from "./runtime-restate.ts"');
    expect(wrapper).toContain('from "./pets.arazzo.ts"');
    expect(result.files.get("sub/more.arazzo.restate.ts")).toContain('from "../runtime-restate.ts"');
    // One WorkflowError for the modules and the Restate executor: both take it from the package.
    const restateRuntime = result.files.get("runtime-restate.ts")!;
    expect(restateRuntime).toContain('from "arazzoc/runtime"');
    expect(restateRuntime).not.toMatch(/from "\.\/runtime/);
    expect(result.files.get("pets.arazzo.ts")).toContain('from "arazzoc/runtime"');
    const out = join(dir, "gen-durable");
    writeOutput(out, result.files, result.modules, { cwd: dir });
    // The worker's project: the SDK and Node's types installed, arazzoc/runtime resolved to this checkout's.
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    await typeCheck(out, "bundler", { allowImportingTsExtensions: true, noEmit: true, types: ["node"], paths: { "arazzoc/runtime": [join(ROOT, "runtime/runtime.ts")] } });
  });

  it("the project's Prettier config is followed, unless .prettierignore excludes the output or format is arazzoc", async () => {
    const dir = project();
    const input = addPets(dir, "pets.arazzo.yaml");
    writeFileSync(join(dir, ".prettierrc.json"), JSON.stringify({ printWidth: 60, semi: false, singleQuote: true }));
    const styled = await compile({ inputs: [input], cwd: dir, emit: true, outDir: join(dir, "gen") });
    const module = styled.files.get("pets.arazzo.ts")!;
    expect(module).toContain("from './runtime.js'");
    expect(module).not.toMatch(/;\n/);
    const { format } = await import("prettier");
    // What `prettier --write` would make of it is what arazzoc wrote.
    expect(await format(module, { filepath: join(dir, "gen/pets.arazzo.ts"), printWidth: 60, semi: false, singleQuote: true })).toBe(module);
    expect(await format(styled.files.get("runtime.ts")!, { filepath: join(dir, "gen/runtime.ts"), printWidth: 60, semi: false, singleQuote: true })).toBe(
      styled.files.get("runtime.ts"),
    );

    const fixed = await compile({ inputs: [input], cwd: dir, emit: true, outDir: join(dir, "gen"), format: "arazzoc" });
    expect(fixed.files.get("pets.arazzo.ts")).toContain('from "./runtime.js";');
    writeFileSync(join(dir, ".prettierignore"), "gen/\n");
    const ignored = await compile({ inputs: [input], cwd: dir, emit: true, outDir: join(dir, "gen") });
    expect(ignored.files).toEqual(fixed.files);
  });

  it("a banner goes under the header of every generated file", async () => {
    const dir = project();
    const input = addPets(dir, "pets.arazzo.yaml");
    const result = await compile({ inputs: [input], cwd: dir, emit: true, banner: ["/* eslint-disable */", "// biome-ignore-all lint: generated"], format: "arazzoc" });
    for (const [name, text] of result.files) expect(text.split("\n").slice(1, 3), name).toEqual(["/* eslint-disable */", "// biome-ignore-all lint: generated"]);
  });
});

describe("printable", () => {
  it("shows control characters and bidirectional overrides as escapes; keeps line breaks and tabs", async () => {
    const { printable } = await import("../compiler/report.js");
    expect(printable("a\u001b[2Jb\u0007\tc\nd\u202ee\u009b")).toBe("a\\u001b[2Jb\\u0007\tc\nd\\u202ee\\u009b");
  });
});

describe("unifiedDiff", () => {
  it("matches diff -u for a change, an addition at the end, a new and a removed file", () => {
    const before = Array.from({ length: 12 }, (_, i) => `${i + 1}`).join("\n") + "\n";
    const after = before.replace("3\n", "three\n") + "13\n";
    expect(unifiedDiff("x.ts", before, after)).toBe(
      "--- a/x.ts\n+++ b/x.ts\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n",
    );
    expect(unifiedDiff("y.ts", undefined, "a\nb\n")).toBe("--- /dev/null\n+++ b/y.ts\n@@ -0,0 +1,2 @@\n+a\n+b\n");
    expect(unifiedDiff("z.ts", "a\n", undefined)).toBe("--- a/z.ts\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n");
    expect(unifiedDiff("same.ts", "a\n", "a\n")).toBe("");
  });
});

describe("watch", () => {
  /** Waits (polling, bounded) until `condition` holds. */
  async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it("rebuilds after a change to the document, to a $ref'ed file and to a new document; writes only what changed", async () => {
    const dir = project();
    const input = addPets(dir, "apis/pets.arazzo.yaml");
    // The description's Pet schema moves to a file of its own, read through a $ref.
    const openapi = join(dir, "pets.openapi.yaml");
    const schema = join(dir, "pet.schema.yaml");
    const text = readFileSync(openapi, "utf8");
    const at = text.indexOf("    Pet:\n");
    expect(at).toBeGreaterThan(0);
    writeFileSync(openapi, `${text.slice(0, at)}    Pet:\n      $ref: ./pet.schema.yaml\n`);
    writeFileSync(schema, "type: object\nrequired: [name]\nproperties:\n  id:\n    type: integer\n  name:\n    type: string\n");
    const builds: Build[] = [];
    const watcher = watch({ inputs: [join(dir, "apis")], cwd: dir, outDir: join(dir, "gen"), format: "arazzoc", onBuild: (b) => builds.push(b) });
    try {
      await watcher.ready;
      expect(builds).toHaveLength(1);
      expect(errorsOf(builds[0]!.result.diagnostics)).toEqual([]);
      expect(builds[0]!.result.reads).toEqual([input, schema, openapi].sort());
      expect(builds[0]!.report!.written.sort()).toEqual(["pets.arazzo.ts", "runtime.ts"]);

      expect(readFileSync(join(dir, "gen/pets.arazzo.ts"), "utf8")).toMatch(/name: string/);
      writeFileSync(schema, readFileSync(schema, "utf8").replace("  name:\n    type: string", "  name:\n    type: integer"));
      await until(() => builds.length >= 2, "a rebuild after the $ref'ed file changed");
      expect(builds[1]!.changed).toEqual([schema]);
      expect(builds[1]!.report!.written).toEqual(["pets.arazzo.ts"]);
      expect(builds[1]!.report!.unchanged).toEqual(["runtime.ts"]);
      expect(readFileSync(join(dir, "gen/pets.arazzo.ts"), "utf8")).toMatch(/name: number/);

      addPets(dir, "apis/more.arazzo.yaml");
      await until(() => builds.some((b) => b.report?.written.includes("more.arazzo.ts")), "a build of the new document");
      expect(existsSync(join(dir, "gen/more.arazzo.ts"))).toBe(true);
    } finally {
      await watcher.close();
    }
  });
});

describe("the config's JSON Schema", () => {
  it("has exactly the fields the config loader knows, at the top and in projects", async () => {
    const { TOP_FIELDS, PROJECT_FIELDS } = await import("../compiler/config.js");
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas/arazzoc.config.schema.json"), "utf8")) as {
      properties: Record<string, unknown>;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties).sort()).toEqual([...TOP_FIELDS].sort());
    const project = (schema.properties["projects"] as { items: { properties: Record<string, unknown> } }).items;
    expect(Object.keys(project.properties).sort()).toEqual([...PROJECT_FIELDS].sort());
    expect(schema.additionalProperties).toBe(false);
  });
});
