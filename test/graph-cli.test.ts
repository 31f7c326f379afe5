// `arazzoc graph` and `arazzoc docs` as a user runs them: subprocesses, exit codes, what goes to standard
// output and standard error, what is written, and which packages they load (never the TypeScript emitter's).

import { execa, type Result } from "execa";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, docs, graph } from "../compiler/index.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = "dist/compiler/cli.js";
const WINDMILL = "fixtures/windmill/api-evangelist/arazzo";
const CANCEL = `${WINDMILL}/windmill-run-script-with-timeout-cancel-workflow.yml`;
const CLEANUP = `${WINDMILL}/windmill-run-script-and-cleanup-job-workflow.yml`;

beforeAll(async () => {
  if (!existsSync(join(ROOT, CLI))) await execa("npm", ["run", "build"], { cwd: ROOT });
}, 300_000);

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-graph-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

type Run = Result<{ reject: false; cwd: string }>;
function arazzoc(args: readonly string[], nodeArgs: readonly string[] = [], env: Record<string, string> = {}): Promise<Run> {
  return execa("node", [...nodeArgs, CLI, ...args], { reject: false, cwd: ROOT, env: { ARAZZOC_DEBUG: "", ...env } }) as Promise<Run>;
}

function expectUsageError(run: Run, message: string): void {
  expect(run.exitCode).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain(`arazzoc: ${message}`);
  expect(run.stderr).toContain("arazzoc graph [<file-or-folder>...]");
}

describe("arazzoc graph", () => {
  it("prints each document's flowchart on standard output, diagnostics and a summary on standard error", async () => {
    const run = await arazzoc(["graph", CANCEL, CLEANUP]);
    expect(run.exitCode).toBe(0);
    const charts = String(run.stdout).split(/\n(?=%% fixtures\/)/);
    expect(charts).toHaveLength(2);
    expect(charts[0]).toMatch(/^%% fixtures\/windmill\/.*windmill-run-script-with-timeout-cancel-workflow\.yml: Windmill Run a Script with a Cancel Guard\n/);
    for (const step of ["runScript", "inspectJob", "readCompleted", "cancelJob"]) expect(charts[0]).toContain(`  s_${step}["${step}<br/>`);
    expect(charts[1]).toContain('  s_pollResult ==>|"stillRunning<br/>$.completed == false"| p_pollResult_pollResult\n');
    expect(charts[1]).toContain('  p_pollResult_pollResult ==>|"poll again"| s_pollResult\n');
    expect(run.stderr).toContain("warning AZC3004");
    expect(run.stderr).toMatch(/arazzoc: drew 2 documents \(0 errors, \d+ warnings\)\.$/);
  });

  it("prints the lowered program as JSON with --format json: the same data as the API, keys sorted", async () => {
    const run = await arazzoc(["graph", "fixtures/cases/flows", "--format", "json"]);
    expect(run.exitCode).toBe(0);
    const printed = JSON.parse(String(run.stdout)) as unknown;
    const { program } = await compile({ inputs: ["fixtures/cases/flows"], target: "ir", cwd: ROOT });
    expect(printed).toEqual(JSON.parse(JSON.stringify(program)));
    const keysSorted = (value: unknown): boolean =>
      Array.isArray(value)
        ? value.every(keysSorted)
        : value === null || typeof value !== "object"
          ? true
          : Object.keys(value).join("\u0000") === Object.keys(value).sort().join("\u0000") && Object.values(value).every(keysSorted);
    expect(keysSorted(printed)).toBe(true);
  });

  it("writes one file per document with --out, leaves unchanged files alone and reports stale ones with --check", async () => {
    const out = tempDir();
    const first = await arazzoc(["graph", WINDMILL, "--out", out]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe("");
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(10);
    expect(files.every((f) => f.endsWith("-workflow.mmd"))).toBe(true);
    expect(first.stderr).toContain(`arazzoc: wrote 10 files, 0 unchanged, in ${out}`);

    const json = await arazzoc(["graph", CANCEL, "--out", out, "--format", "json"]);
    expect(json.exitCode).toBe(0);
    const module = JSON.parse(readFileSync(join(out, "windmill-run-script-with-timeout-cancel-workflow.json"), "utf8")) as { workflows: { id: string }[] };
    expect(module.workflows.map((w) => w.id)).toEqual(["run-script-with-cancel-guard"]);

    const again = await arazzoc(["graph", WINDMILL, "--out", out]);
    expect(again.stderr).toContain("arazzoc: wrote 0 files, 10 unchanged");
    expect((await arazzoc(["graph", WINDMILL, "--out", out, "--check"])).exitCode).toBe(0);
    writeFileSync(join(out, "windmill-schedule-flow-workflow.mmd"), "flowchart TD\n");
    const check = await arazzoc(["graph", WINDMILL, "--out", out, "--check"]);
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain("stale: windmill-schedule-flow-workflow.mmd");
    expect(readFileSync(join(out, "windmill-schedule-flow-workflow.mmd"), "utf8")).toBe("flowchart TD\n");
  });

  it("prints and writes nothing for a document with errors", async () => {
    const out = tempDir();
    const run = await arazzoc(["graph", "fixtures/cases/invalid/goto-unknown-step.yml", "--out", out]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/ - error AZC\d{4}: /);
    expect(run.stderr).toContain("nothing written.");
    expect(readdirSync(out)).toEqual([]);
    const printed = await arazzoc(["graph", "fixtures/cases/invalid/goto-unknown-step.yml"]);
    expect(printed.exitCode).toBe(1);
    expect(printed.stdout).toBe("");
    expect(printed.stderr).toContain("nothing printed.");
  });

  it("rejects options that do not belong to it", async () => {
    expectUsageError(await arazzoc(["graph", CANCEL, "--format", "text"]), "--format of graph must be mermaid or json, not 'text'");
    expectUsageError(await arazzoc(["graph", CANCEL, "--check"]), "graph --check needs --out <folder> to compare with");
    expectUsageError(await arazzoc(["graph", "--no-config"]), "graph needs Arazzo files, folders or globs (or a config file naming them)");
  });
});

describe("arazzoc docs", () => {
  it("writes a Markdown page per document with its diagrams", async () => {
    const out = tempDir();
    const run = await arazzoc(["docs", CANCEL, "fixtures/cases/flows/shop-flows.arazzo.yaml", "--out", out]);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "shop-flows.arazzo.md",
      "windmill-run-script-with-timeout-cancel-workflow.md",
    ]);
    const shop = readFileSync(join(out, "shop-flows.arazzo.md"), "utf8");
    expect(shop.match(/^## /gm)).toHaveLength(5);
    expect(shop.match(/^```mermaid$/gm)).toHaveLength(5);
    expect(shop).toContain("1. `warming-up`, when `$statusCode == 503`: retry at most 3 times, after 0.01 s; once spent, the next exit applies");
    expect((await arazzoc(["docs", CANCEL, "fixtures/cases/flows/shop-flows.arazzo.yaml", "--out", out, "--check"])).exitCode).toBe(0);
  });

  it("needs --out and takes no --format", async () => {
    expectUsageError(await arazzoc(["docs", CANCEL]), "docs needs --out <folder>");
    expectUsageError(await arazzoc(["docs", CANCEL, "--out", tempDir(), "--format", "json"]), "docs writes Markdown; --format belongs to compile, check and graph");
  });
});

describe("graph and docs with a config file", () => {
  /**
   * A project whose document names its description by a url that is not there: only the config's source
   * mapping finds it. The second document has a bare expression (a warning the config turns off).
   */
  function configured(config: object): string {
    const dir = tempDir();
    writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "type": "module" }\n');
    mkdirSync(join(dir, "apis/sub"), { recursive: true });
    mkdirSync(join(dir, "vendor"));
    cpSync(join(ROOT, "fixtures/cases/diagnostics/pets.openapi.yaml"), join(dir, "vendor/pets.openapi.yaml"));
    const base = readFileSync(join(ROOT, "fixtures/cases/diagnostics/base.arazzo.yaml"), "utf8").replace("url: ./pets.openapi.yaml", "url: https://example.com/pets.openapi.yaml");
    writeFileSync(join(dir, "apis/pets.arazzo.yaml"), base);
    writeFileSync(join(dir, "apis/sub/more.arazzo.yaml"), base.replace("value: $inputs.petId", 'value: "pet $inputs.petId"'));
    writeFileSync(join(dir, "arazzoc.config.json"), JSON.stringify(config, null, 2));
    return dir;
  }
  const inDir = (dir: string, args: readonly string[]) =>
    execa("node", [join(ROOT, CLI), ...args], { reject: false, cwd: join(dir, "apis/sub"), env: { ARAZZOC_DEBUG: "" } });

  it("graph reads the inputs, the source mappings and the severities of the config, found from a subfolder", async () => {
    const dir = configured({ inputs: "apis", outDir: "gen", sources: { pets: "vendor/pets.openapi.yaml" }, severity: { AZC3002: "off" } });
    const run = await inDir(dir, ["graph"]);
    expect(run.stderr).toMatch(/arazzoc: drew 2 documents \(0 errors, 0 warnings\)\.$/);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("%% apis/pets.arazzo.yaml: Pets\n");
    expect(run.stdout).toContain("%% apis/sub/more.arazzo.yaml: Pets\n");
    // Without the config the remote url is not read.
    const bare = await inDir(dir, ["graph", "--no-config", "../pets.arazzo.yaml"]);
    expect(bare.exitCode).toBe(1);
    expect(bare.stderr).toContain("AZC1009");
    // Flags override it: --strict, and inputs named on the command line replace the config's.
    const strict = await inDir(dir, ["graph", "more.arazzo.yaml"]);
    expect(strict.stdout).not.toContain("%% apis/pets.arazzo.yaml");
    expect(strict.exitCode).toBe(0);
    // The compile outDir is never a drawing's: without --out, graph prints and writes nothing.
    expect(existsSync(join(dir, "gen"))).toBe(false);
  });

  it("docs writes where --out says, a folder per project; a config error stops it with the diagnostic", async () => {
    const dir = configured({
      sources: { pets: "vendor/pets.openapi.yaml" },
      projects: [
        { name: "top", inputs: "apis/*.arazzo.yaml", outDir: "gen-top" },
        { name: "all", inputs: "apis", outDir: "gen-all" },
      ],
    });
    const run = await inDir(dir, ["docs", "--out", "../../pages"]);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(join(dir, "pages/top"))).toEqual(["pets.arazzo.md"]);
    expect(readdirSync(join(dir, "pages/all")).sort()).toEqual(["pets.arazzo.md", "sub"]);
    expect(readdirSync(join(dir, "pages/all/sub"))).toEqual(["more.arazzo.md"]);
    expect((await inDir(dir, ["docs", "--out", "../../pages", "--check"])).exitCode).toBe(0);
    const only = await inDir(dir, ["graph", "--project", "top", "--format", "json"]);
    expect(only.exitCode).toBe(0);
    expect((JSON.parse(only.stdout) as { modules: { sourcePath: string }[] }).modules.map((m) => m.sourcePath)).toEqual(["apis/pets.arazzo.yaml"]);

    writeFileSync(join(dir, "arazzoc.config.json"), JSON.stringify({ inputs: "apis", sources: { pest: "vendor/pets.openapi.yaml" } }));
    const wrong = await inDir(dir, ["graph"]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("error AZC7010: Source mapping 'pest' names no source description of the documents compiled. Did you mean 'pets'?");
    writeFileSync(join(dir, "arazzoc.config.json"), '{ "inputs": "apis", "outDri": "gen" }');
    const invalid = await inDir(dir, ["docs", "--out", "../../pages"]);
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stderr).toContain("arazzoc.config.json:1:21 - error AZC7001: Unknown config field 'outDri'; did you mean 'outDir'?");
    expect(invalid.stderr).toContain("arazzoc: the config has errors; nothing written.");
  });
});

describe("the API", () => {
  it("graph() and docs() return one file per document, and what the command prints", async () => {
    const inputs = [CANCEL, "fixtures/cases/flows/shop-flows.arazzo.yaml"];
    const mermaid = await graph({ inputs, cwd: ROOT });
    expect([...mermaid.files.keys()]).toEqual([
      "windmill-run-script-with-timeout-cancel-workflow.mmd",
      "shop-flows.arazzo.mmd",
    ]);
    expect(mermaid.text).toBe([...mermaid.files.values()].join("\n"));
    expect(mermaid.program.modules.map((m) => m.name)).toEqual([
      "windmill-run-script-with-timeout-cancel-workflow",
      "shop-flows.arazzo",
    ]);
    const json = await graph({ inputs, cwd: ROOT, format: "json" });
    expect(JSON.parse(json.text)).toEqual(JSON.parse(JSON.stringify(json.program)));
    expect(JSON.parse(json.files.get("shop-flows.arazzo.json")!)).toEqual(JSON.parse(JSON.stringify(json.program.modules[1])));
    const pages = await docs({ inputs, cwd: ROOT });
    expect([...pages.files.keys()]).toEqual([
      "windmill-run-script-with-timeout-cancel-workflow.md",
      "shop-flows.arazzo.md",
    ]);
  }, 60_000);
});

describe("what graph and docs load", () => {
  /** The modules a command resolved, recorded by a preloaded hook (ES imports and CommonJS requires). */
  async function loadedBy(args: readonly string[]): Promise<string[]> {
    const log = join(tempDir(), "modules.log");
    writeFileSync(log, "");
    const run = await arazzoc(args, ["--import", "./test/support/record-modules.mjs"], { ARAZZOC_MODULE_LOG: log });
    expect(run.exitCode, String(run.stderr)).toBe(0);
    return readFileSync(log, "utf8").split("\n").filter((l) => l !== "");
  }
  const emitterPackage = /(^require |\/node_modules\/)(ts-morph|prettier)(\/|$)/;

  it("compile loads prettier and ts-morph (the recording sees both kinds of loading)", async () => {
    const loaded = await loadedBy(["compile", CANCEL, "--out", tempDir()]);
    expect(loaded.filter((l) => emitterPackage.test(l)).map((l) => (l.includes("prettier") ? "prettier" : "ts-morph"))).toEqual(
      expect.arrayContaining(["prettier", "ts-morph"]),
    );
  }, 60_000);

  it("graph, graph --format json and docs load neither", async () => {
    for (const args of [["graph", CANCEL], ["graph", CANCEL, "--format", "json"], ["docs", CANCEL, "--out", tempDir()]]) {
      const loaded = await loadedBy(args);
      expect(loaded.some((l) => l.includes("/compiler/ir/lower.js")), args.join(" ")).toBe(true);
      expect(loaded.filter((l) => emitterPackage.test(l)), args.join(" ")).toEqual([]);
    }
  }, 60_000);
});
