// The command line as a user runs it: `node dist/compiler/cli.js ...` in a subprocess, checking exit codes,
// what is printed where, and what is (or is not) written. Negative inputs live in fixtures/cases/invalid/,
// one mistake per file, each asserted by its exact code and line:column.

import { execa, type Result } from "execa";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = "dist/compiler/cli.js";
const WINDMILL = "fixtures/windmill/api-evangelist/arazzo";
const CANCEL = `${WINDMILL}/windmill-run-script-with-timeout-cancel-workflow.yml`;
const INVALID = "fixtures/cases/invalid";
const MANIFEST = ".arazzoc-manifest.json";

beforeAll(async () => {
  // `npm test` builds first; build here only when the test file runs on its own in a fresh checkout.
  if (!existsSync(join(ROOT, CLI))) await execa("npm", ["run", "build"], { cwd: ROOT });
}, 300_000);

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-cli-"));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

type Run = Result<{ reject: false; cwd: string }>;

function arazzoc(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  // The fixtures share descriptions across their folders (fixtures/windmill): fixtures/ is their project folder.
  const root =
    args.some((a) => a.startsWith("fixtures/")) && !args.includes("--root") && args[0] !== undefined && !args[0].startsWith("-")
      ? ["--root", "fixtures"]
      : [];
  return execa("node", [CLI, ...args, ...root], { reject: false, cwd: ROOT, env: { ARAZZOC_DEBUG: "", ...env } }) as Promise<Run>;
}

/** The header lines of text diagnostics: `file[:line:col] - severity CODE: message`. */
interface Printed {
  file: string;
  line?: number;
  column?: number;
  severity: string;
  code: string;
  message: string;
}
function printed(stderr: string): Printed[] {
  const out: Printed[] = [];
  for (const m of stderr.matchAll(/^(\S+?)(?::(\d+):(\d+))? - (error|warning) (AZC\d{4}): (.*)$/gm)) {
    out.push({
      file: m[1]!,
      ...(m[2] !== undefined ? { line: Number(m[2]), column: Number(m[3]) } : {}),
      severity: m[4]!,
      code: m[5]!,
      message: m[6]!,
    });
  }
  return out;
}

/** Stack frames look like `    at fn (file:1:2)`; the diagnostics' own `  at: #/pointer` lines do not match. */
const STACK_FRAME = /^\s+at\s/m;

function expectNoCrash(run: Run): void {
  const all = `${String(run.stdout)}\n${String(run.stderr)}`;
  expect(all).not.toMatch(STACK_FRAME);
  expect(all).not.toMatch(/internal error/i);
  expect(run.exitCode).not.toBe(70);
  expect(run.signal).toBeUndefined();
}

function expectUsageError(run: Run, message: string): void {
  expect(run.exitCode).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toContain(`arazzoc: ${message}`);
  expect(run.stderr).toContain("Usage:");
  expect(run.stderr).toContain("arazzoc compile <file-or-folder>... --out <folder>");
  expectNoCrash(run);
}

function expectedModules(): string[] {
  return readdirSync(join(ROOT, WINDMILL))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => f.replace(/\.ya?ml$/, ".ts"))
    .concat("runtime.ts")
    .sort();
}

function filesIn(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe.concurrent("usage", () => {
  it("--help prints the usage on stdout and exits 0", async () => {
    const run = await arazzoc(["--help"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Usage:");
    expect(run.stdout).toContain("arazzoc compile <file-or-folder>... --out <folder>");
    expect(run.stdout).toContain("arazzoc check <file-or-folder>...");
    expect(run.stderr).toBe("");
  });

  it("-h is --help", async () => {
    const run = await arazzoc(["-h"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Usage:");
  });

  it("--version prints the package version", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const run = await arazzoc(["--version"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it("no command: exit 2 with a usage message", async () => {
    expectUsageError(await arazzoc([]), "missing command");
  });

  it("an unknown command: exit 2 with a usage message", async () => {
    expectUsageError(await arazzoc(["frobnicate", CANCEL]), "unknown command 'frobnicate'");
  });

  it("compile without --out: exit 2, nothing compiled", async () => {
    const run = await arazzoc(["compile", WINDMILL]);
    expectUsageError(run, "compile needs --out <folder>");
    expect(printed(run.stderr)).toEqual([]);
  });

  it("a bad --format: exit 2", async () => {
    expectUsageError(await arazzoc(["check", CANCEL, "--format", "xml"]), "--format must be text, json, sarif, github, not 'xml'");
  });

  it("a command without inputs: exit 2", async () => {
    expectUsageError(await arazzoc(["check", "--no-config"]), "check needs Arazzo files, folders or globs (or a config file naming them)");
  });

  it("an unknown option: exit 2, the parser's message, no stack trace", async () => {
    const run = await arazzoc(["check", CANCEL, "--bogus"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^arazzoc: .*--bogus/);
    expect(run.stderr).toContain("Usage:");
    expectNoCrash(run);
  });

  it("check with --out or --check: exit 2", async () => {
    const out = tempDir();
    expectUsageError(await arazzoc(["check", CANCEL, "--out", out]), "check writes nothing; --out, --check, --diff and --watch belong to compile");
    expectUsageError(await arazzoc(["check", CANCEL, "--check"]), "check writes nothing; --out, --check, --diff and --watch belong to compile");
    expect(filesIn(out)).toEqual([]);
  });
});

describe("compile --durable restate", () => {
  it("writes beside each module its Restate wrapper, and runtime-restate.ts", async () => {
    const out = tempDir();
    const run = await arazzoc(["compile", CANCEL, "--out", out, "--durable", "restate"]);
    expect(run.exitCode).toBe(0);
    expectNoCrash(run);
    expect(filesIn(out)).toEqual([
      MANIFEST,
      "runtime-restate.ts",
      "runtime.ts",
      "windmill-run-script-with-timeout-cancel-workflow.restate.ts",
      "windmill-run-script-with-timeout-cancel-workflow.ts",
    ]);
    const wrapper = readFileSync(join(out, "windmill-run-script-with-timeout-cancel-workflow.restate.ts"), "utf8");
    expect(wrapper).toContain('import * as restate from "@restatedev/restate-sdk";');
    expect(wrapper).toContain('name: "run-script-with-cancel-guard"');
    // The plain module stays dependency-free.
    expect(readFileSync(join(out, "windmill-run-script-with-timeout-cancel-workflow.ts"), "utf8")).not.toContain("@restatedev");
    expect(readFileSync(join(out, "runtime.ts"), "utf8")).not.toContain("@restatedev");
  });

  it("another engine, or --durable with check: exit 2", async () => {
    const out = tempDir();
    expectUsageError(await arazzoc(["compile", CANCEL, "--out", out, "--durable", "temporal"]), "--durable supports restate, not 'temporal'");
    expectUsageError(await arazzoc(["check", CANCEL, "--durable", "restate"]), "check writes nothing; --durable belongs to compile");
    expect(filesIn(out)).toEqual([]);
  });
});

describe("--step-concurrency", () => {
  const CONCURRENT = "fixtures/cases/concurrent";

  it("compile: concurrent starts independent steps together; the default and sequential write the same module", async () => {
    const [concurrent, sequential, plain] = [tempDir(), tempDir(), tempDir()];
    expect((await arazzoc(["compile", CONCURRENT, "--out", concurrent, "--step-concurrency", "concurrent"])).exitCode).toBe(0);
    expect((await arazzoc(["compile", CONCURRENT, "--out", sequential, "--step-concurrency", "sequential"])).exitCode).toBe(0);
    expect((await arazzoc(["compile", CONCURRENT, "--out", plain])).exitCode).toBe(0);
    const module = (dir: string) => readFileSync(join(dir, "dashboard.arazzo.ts"), "utf8");
    expect(module(concurrent)).toContain("await run.together([");
    expect(module(sequential)).not.toContain("run.together");
    expect(module(sequential)).toBe(module(plain));
  });

  it("graph --format json shows the groups and why other steps run apart", async () => {
    const run = await arazzoc(["graph", CONCURRENT, "--format", "json", "--step-concurrency", "concurrent"]);
    expect(run.exitCode).toBe(0);
    const modules = (JSON.parse(run.stdout) as { modules: { name: string; workflows: { id: string; concurrency?: unknown }[] }[] }).modules;
    const workflows = modules.find((m) => m.name === "dashboard.arazzo")!.workflows;
    expect(workflows.map((w) => [w.id, w.concurrency])).toEqual([
      ["dashboard", { groups: [["profile", "orders"]], apart: [{ step: "summary", after: "orders", reason: "reads-outputs", of: "profile" }] }],
      ["audit", { off: "no-depends-on", groups: [], apart: [] }],
    ]);
    const plain = await arazzoc(["graph", CONCURRENT, "--format", "json"]);
    expect(plain.stdout).not.toContain('"concurrency"');
  });

  it("another mode: exit 2", async () => {
    expectUsageError(
      await arazzoc(["compile", CONCURRENT, "--out", tempDir(), "--step-concurrency", "parallel"]),
      "--step-concurrency must be sequential, concurrent, not 'parallel'",
    );
  });

  it("with --durable restate, a document with concurrent steps is refused (AZC6250) and nothing is written", async () => {
    const out = tempDir();
    const run = await arazzoc(["compile", CONCURRENT, "--out", out, "--step-concurrency", "concurrent", "--durable", "restate"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain("AZC6250");
    expect(filesIn(out)).toEqual([]);
  });
});

describe("compile", () => {
  it("writes one module per document plus runtime.ts, named after the documents; a second run writes nothing", async () => {
    const out = join(tempDir(), "generated");
    const first = await arazzoc(["compile", WINDMILL, "--out", out]);
    expect(first.exitCode).toBe(0);
    expectNoCrash(first);
    const names = expectedModules();
    expect(names).toHaveLength(11);
    expect(filesIn(out)).toEqual([MANIFEST, ...names]);
    expect(first.stderr).toContain(`arazzoc: 10 documents; 11 files written, 0 unchanged in ${out}; 0 errors, `);

    const before = new Map(names.map((n) => [n, statSync(join(out, n)).mtimeMs]));
    const second = await arazzoc(["compile", WINDMILL, "--out", out]);
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toContain(`arazzoc: 10 documents; 0 files written, 11 unchanged in ${out}; 0 errors, `);
    for (const name of names) expect(statSync(join(out, name)).mtimeMs, name).toBe(before.get(name));
    expect(filesIn(out)).toEqual([MANIFEST, ...names]);
  });

  it("--format json reports the files written and unchanged", async () => {
    const out = tempDir();
    const run = await arazzoc(["compile", WINDMILL, "--out", out, "--format", "json"]);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as { files: Record<string, string[]> };
    expect(report.files).toEqual({ written: expectedModules(), unchanged: [], removed: [], stale: [], missing: [], orphaned: [] });
  });

  it("--check against the committed out/windmill exits 0 and writes nothing", async () => {
    const dir = join(ROOT, "out/windmill");
    const before = new Map(filesIn(dir).map((n) => [n, statSync(join(dir, n)).mtimeMs]));
    const run = await arazzoc(["compile", WINDMILL, "--out", "out/windmill", "--check"]);
    expect(run.stderr).not.toMatch(/^(stale|missing|orphaned): /m);
    expect(run.stderr).toContain("arazzoc: 10 documents; out/windmill is up to date (11 files); 0 errors, ");
    expect(run.exitCode).toBe(0);
    expect(filesIn(dir)).toEqual([MANIFEST, ...expectedModules()]);
    for (const [name, mtime] of before) expect(statSync(join(dir, name)).mtimeMs, name).toBe(mtime);
  });

  it("--check against a copy with one file edited and one deleted: exit 1, lists both, writes nothing", async () => {
    const fresh = join(tempDir(), "fresh");
    expect((await arazzoc(["compile", WINDMILL, "--out", fresh])).exitCode).toBe(0);
    const copy = join(tempDir(), "copy");
    cpSync(fresh, copy, { recursive: true });
    const edited = "windmill-schedule-flow-workflow.ts";
    const deleted = "windmill-run-script-and-cleanup-job-workflow.ts";
    const editedText = readFileSync(join(copy, edited), "utf8") + "// a local edit\n";
    writeFileSync(join(copy, edited), editedText);
    unlinkSync(join(copy, deleted));
    const before = new Map(filesIn(copy).map((n) => [n, statSync(join(copy, n)).mtimeMs]));

    const run = await arazzoc(["compile", WINDMILL, "--out", copy, "--check"]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    expect(run.stderr.match(/^(stale|missing): .*$/gm)).toEqual([`stale: ${edited}`, `missing: ${deleted}`]);
    expect(run.stderr).toContain("2 files out of date");

    expect(existsSync(join(copy, deleted))).toBe(false);
    expect(readFileSync(join(copy, edited), "utf8")).toBe(editedText);
    expect(filesIn(copy)).toEqual([MANIFEST, ...expectedModules().filter((n) => n !== deleted)]);
    for (const [name, mtime] of before) expect(statSync(join(copy, name)).mtimeMs, name).toBe(mtime);
  });

  it("--check against a folder that does not exist lists every file as missing and creates nothing", async () => {
    const out = join(tempDir(), "never-created");
    const run = await arazzoc(["compile", WINDMILL, "--out", out, "--check"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr.match(/^missing: .*$/gm)).toEqual([...expectedModules(), MANIFEST].map((n) => `missing: ${n}`));
    expect(existsSync(out)).toBe(false);
  });

  it("--strict makes the seed's warnings errors: exit 1 and nothing written", async () => {
    const out = join(tempDir(), "strict");
    const run = await arazzoc(["compile", WINDMILL, "--out", out, "--strict"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/arazzoc: 10 documents; nothing written; 42 errors, 0 warnings\./);
    expect(existsSync(out)).toBe(false);
  });

  it("a document with errors among valid ones: exit 1 and nothing written", async () => {
    const out = join(tempDir(), "mixed");
    const run = await arazzoc(["compile", CANCEL, `${INVALID}/unknown-operation.yml`, "--out", out]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    expect(run.stderr).toMatch(/nothing written; \d+ errors?, \d+ warnings?\./);
    expect(existsSync(out)).toBe(false);
  });
});

describe("determinism", () => {
  it("the same input gives the same bytes, with a relative header, no absolute path, no timestamp, LF only", async () => {
    const a = join(tempDir(), "a");
    const b = join(tempDir(), "b");
    expect((await arazzoc(["compile", WINDMILL, "--out", a])).exitCode).toBe(0);
    // Another time zone and locale, and the input named by its absolute path: still the same bytes.
    const second = await arazzoc(["compile", join(ROOT, WINDMILL), "--out", b], {
      TZ: "Pacific/Kiritimati",
      LC_ALL: "tr_TR.UTF-8",
      LANG: "tr_TR.UTF-8",
    });
    expect(second.exitCode).toBe(0);

    const names = expectedModules();
    expect(filesIn(a)).toEqual([MANIFEST, ...names]);
    expect(filesIn(b)).toEqual([MANIFEST, ...names]);
    const forbidden = [ROOT, a, b, tmpdir(), ...(homedir().length > 1 ? [homedir()] : [])];
    for (const name of names) {
      const bytesA = readFileSync(join(a, name));
      const bytesB = readFileSync(join(b, name));
      expect(bytesA.equals(bytesB), `${name} differs between runs`).toBe(true);
      const text = bytesA.toString("utf8");
      const header = text.slice(0, text.indexOf("\n"));
      if (name === "runtime.ts") {
        expect(header).toMatch(/^\/\/ Generated by arazzoc\b.*Do not edit\.$/);
      } else {
        expect(header).toBe(`// Generated by arazzoc from ${WINDMILL}/${name.replace(/\.ts$/, ".yml")}. Do not edit.`);
      }
      expect(text, name).not.toContain("\r");
      for (const path of forbidden) expect(text, `${name} contains ${path}`).not.toContain(path);
      expect(text, name).not.toMatch(/file:\/\//);
      expect(text, name).not.toMatch(/\b\d{4}-\d{2}-\d{2}(T|\b)/); // a date
      expect(text, name).not.toMatch(/\b\d{2}:\d{2}:\d{2}\b/); // a time of day
      expect(text.endsWith("\n"), name).toBe(true);
    }
  });
});

describe.concurrent("check on the Windmill seed", () => {
  it("exits 0 and prints the bare-expression and JSONPath-comparison warnings at their positions", async () => {
    const run = await arazzoc(["check", CANCEL]);
    expect(run.exitCode).toBe(0);
    expectNoCrash(run);
    expect(run.stdout).toBe(""); // text diagnostics go to stderr
    const list = printed(run.stderr);
    expect(list.every((d) => d.severity === "warning")).toBe(true);
    // The first "Bearer $inputs.token": line 57, and the column of the `$` inside the quoted string.
    expect(list[0]).toEqual({
      file: CANCEL,
      line: 57,
      column: 22,
      severity: "warning",
      code: "AZC3002",
      message: "Bare runtime expression '$inputs.token' inside a string is interpolated",
    });
    expect(run.stderr).toContain(`${CANCEL}:57:22 - warning AZC3002`);
    expect(run.stderr).toContain('fix: Wrap it in braces: "Bearer {$inputs.token}".');
    expect(list.filter((d) => d.code === "AZC3002").map((d) => `${d.line}:${d.column}`)).toEqual(["57:22", "79:22", "112:22", "135:22"]);
    // `condition: $.type == "CompletedJob"` on line 96, the condition's value starting at column 20.
    expect(run.stderr).toContain(
      `${CANCEL}:96:20 - warning AZC3004: JSONPath criterion '$.type == "CompletedJob"' is a comparison, not an RFC 9535 query`,
    );
    expect(list.filter((d) => d.code === "AZC3004").map((d) => `${d.line}:${d.column}`)).toEqual(["96:20", "103:20"]);
    expect(run.stderr).toContain("arazzoc: 1 document; checked; 0 errors, 6 warnings.");
  });

  it("prints a code frame under the diagnostic with a caret under the expression", async () => {
    const run = await arazzoc(["check", CANCEL]);
    const lines = run.stderr.split("\n");
    const at = lines.findIndex((l) => l.startsWith(`${CANCEL}:57:22 - warning AZC3002`));
    expect(at).toBeGreaterThanOrEqual(0);
    const frame = lines.slice(at + 1, at + 5);
    expect(frame[1]).toBe('> 57 |       value: "Bearer $inputs.token"');
    expect(frame[2]).toBe(`     | ${" ".repeat(21)}${"^".repeat("$inputs.token".length)}`);
  });

  it("--strict turns the warnings into errors and exits 1", async () => {
    const run = await arazzoc(["check", CANCEL, "--strict"]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    const list = printed(run.stderr);
    expect(list).toHaveLength(6);
    expect(list.every((d) => d.severity === "error")).toBe(true);
    expect(run.stderr).toContain(`${CANCEL}:57:22 - error AZC3002`);
    expect(run.stderr).toContain(`${CANCEL}:96:20 - error AZC3004`);
    expect(run.stderr).toContain("arazzoc: 1 document; checked; 6 errors, 0 warnings.");
  });

  it("--format json prints parseable JSON with every diagnostic field, and nothing on stderr", async () => {
    const run = await arazzoc(["check", CANCEL, "--format", "json"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("");
    const parsed = JSON.parse(run.stdout) as { diagnostics: Record<string, unknown>[] };
    expect(parsed.diagnostics).toHaveLength(6);
    expect(parsed.diagnostics[0]).toEqual({
      code: "AZC3002",
      severity: "warning",
      message: "Bare runtime expression '$inputs.token' inside a string is interpolated",
      fix: 'Wrap it in braces: "Bearer {$inputs.token}".',
      file: CANCEL,
      pointer: "/workflows/0/steps/0/parameters/0/value",
      range: { line: 57, column: 22, endLine: 57, endColumn: 35 },
    });
    expect(parsed.diagnostics.find((d) => d["code"] === "AZC3004")).toEqual({
      code: "AZC3004",
      severity: "warning",
      message: `JSONPath criterion '$.type == "CompletedJob"' is a comparison, not an RFC 9535 query`,
      fix: "Write it as a simple condition: $response.body#/type == 'CompletedJob' (or as the RFC 9535 filter $[?@.type == 'CompletedJob'], which arazzoc also applies to an object context itself).",
      file: CANCEL,
      pointer: "/workflows/0/steps/1/onSuccess/0/criteria/0/condition",
      range: { line: 96, column: 20, endLine: 96, endColumn: 44 },
    });
  });

  it("--format json with --strict reports errors and exits 1", async () => {
    const run = await arazzoc(["check", CANCEL, "--format", "json", "--strict"]);
    expect(run.exitCode).toBe(1);
    const parsed = JSON.parse(run.stdout) as { diagnostics: { severity: string }[] };
    expect(parsed.diagnostics.map((d) => d.severity)).toEqual(Array(6).fill("error"));
  });

  it("the whole seed folder checks with 0 errors", async () => {
    const run = await arazzoc(["check", WINDMILL]);
    expect(run.exitCode).toBe(0);
    expect(printed(run.stderr).filter((d) => d.severity === "error")).toEqual([]);
    expect(run.stderr).toContain("; 0 errors, 42 warnings.");
  });
});

interface Case {
  readonly what: string;
  readonly file: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly message?: RegExp;
  /** The file holds one mistake: no other code is reported. */
  readonly alone: boolean;
}

const CASES: readonly Case[] = [
  {
    what: "malformed YAML",
    file: "malformed-yaml.yml",
    code: "AZC1002",
    line: 2,
    column: 7,
    message: /^Invalid YAML: Nested mappings/,
    alone: true,
  },
  { what: "a duplicate key", file: "duplicate-key.yml", code: "AZC1003", line: 5, column: 3, message: /^Duplicate key/, alone: true },
  {
    what: "a tab-indented file",
    file: "tab-indented.yml",
    code: "AZC1002",
    line: 3,
    column: 1,
    message: /Tabs are not allowed as indentation/,
    alone: true,
  },
  {
    what: "a list at the root",
    file: "root-list.yml",
    code: "AZC1005",
    line: 1,
    column: 1,
    message: /^The document root is a list, not an object$/,
    alone: true,
  },
  {
    what: "unquoted arazzo: 1.0",
    file: "arazzo-number.yml",
    code: "AZC2005",
    line: 1,
    column: 9,
    message: /^The arazzo version is a number/,
    alone: true,
  },
  {
    what: "arazzo: 2.0.0",
    file: "arazzo-2-0-0.yml",
    code: "AZC2004",
    line: 1,
    column: 9,
    message: /^Unsupported Arazzo version '2\.0\.0'$/,
    alone: true,
  },
  { what: "an empty file", file: "empty.yml", code: "AZC1004", line: 1, column: 1, message: /^The document is empty$/, alone: true },
  {
    what: "a source url that does not exist",
    file: "missing-source.yml",
    code: "AZC1001",
    line: 7,
    column: 10,
    message: /^Cannot read \.\.\/\.\.\/windmill\/api-evangelist\/openapi\/no-such-file\.yml: no such file$/,
    alone: true,
  },
  {
    what: "a source that is not an OpenAPI document",
    file: "source-not-openapi.yml",
    code: "AZC1008",
    line: 7,
    column: 10,
    message: /^\.\/not-openapi\.data\.yml is not an OpenAPI description/,
    alone: true,
  },
  {
    what: "an unknown operationId close to a real one",
    file: "unknown-operation.yml",
    code: "AZC4001",
    line: 22,
    column: 22,
    message: /^Unknown operationId 'runscriptbypath'; did you mean 'runScriptByPath'\?$/,
    alone: true,
  },
  {
    what: "an unknown operationId far from any",
    file: "unknown-operation-far.yml",
    code: "AZC4001",
    line: 22,
    column: 22,
    message: /^Unknown operationId 'launchTheRockets'$/,
    alone: true,
  },
  {
    what: "a goto to an unknown stepId",
    file: "goto-unknown-step.yml",
    code: "AZC4003",
    line: 43,
    column: 21,
    message: /^Unknown step 'waitForJob' in workflow 'run-script'$/,
    alone: true,
  },
  {
    what: "an output reading an undeclared step output",
    file: "undeclared-step-output.yml",
    code: "AZC4004",
    line: 42,
    column: 15,
    message: /^Step 'runScript' has no output 'result'$/,
    alone: true,
  },
  {
    what: "an unknown input",
    file: "unknown-input.yml",
    code: "AZC4005",
    line: 29,
    column: 20,
    message: /^Unknown input 'workspaceId'$/,
    alone: true,
  },
  {
    what: "$response.body in a parameter value",
    file: "response-in-parameter.yml",
    code: "AZC3009",
    line: 32,
    column: 20,
    message: /^'\$response\.body#\/path' is not available in a parameter value/,
    alone: true,
  },
  {
    what: "an unknown field in a step",
    file: "unknown-step-field.yml",
    code: "AZC2002",
    line: 23,
    column: 9,
    message: /^Unknown field 'retries' in Step$/,
    alone: true,
  },
  {
    what: "a step with both operationId and workflowId",
    file: "operation-and-workflow.yml",
    code: "AZC2001",
    line: 23,
    column: 21,
    message: /operationId and workflowId are mutually exclusive/,
    alone: true,
  },
];

describe.concurrent("bad input never crashes: exit 1 and a diagnostic at file:line:col", () => {
  for (const c of CASES) {
    it(`${c.what} (${c.file}): ${c.code} at ${c.line}:${c.column}`, async ({ expect }) => {
      const file = `${INVALID}/${c.file}`;
      const run = await arazzoc(["check", file]);
      expect(run.exitCode).toBe(1);
      expectNoCrash(run);
      const list = printed(run.stderr);
      const hit = list.find((d) => d.code === c.code);
      expect(hit, run.stderr).toBeDefined();
      expect(hit).toMatchObject({ file, line: c.line, column: c.column, severity: "error" });
      if (c.message) expect(hit!.message).toMatch(c.message);
      if (c.alone) expect([...new Set(list.map((d) => d.code))]).toEqual([c.code]);
      expect(run.stderr).toMatch(/arazzoc: 1 document; checked; \d+ errors?, 0 warnings\./);
    });
  }

  it("arazzo: 2 (arazzo-2.yml): an error at 1:9, the version's value", async ({ expect }) => {
    const run = await arazzoc(["check", `${INVALID}/arazzo-2.yml`, "--format", "json"]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    const { diagnostics } = JSON.parse(run.stdout) as {
      diagnostics: { code: string; severity: string; pointer: string; range: unknown }[];
    };
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      severity: "error",
      pointer: "/arazzo",
      range: { line: 1, column: 9, endLine: 1, endColumn: 10 },
    });
    expect(diagnostics[0]!.code).toBe("AZC2004");
  });

  it("a missing file: AZC1001 naming the file, exit 1", async ({ expect }) => {
    const file = `${INVALID}/does-not-exist.yml`;
    const run = await arazzoc(["check", file]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    expect(run.stderr).toContain(`${file} - error AZC1001: Cannot read ${file}: no such file`);
  });

  it("a folder without Arazzo documents: AZC1006, exit 1", async ({ expect }) => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.yml"), "title: not an Arazzo document\n");
    const run = await arazzoc(["check", dir]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    expect(printed(run.stderr).map((d) => d.code)).toEqual(["AZC1006"]);
  });

  it("a binary file: AZC1001, exit 1", async ({ expect }) => {
    const file = join(tempDir(), "binary.yml");
    writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x61, 0x80, 0x81, 0x0a]));
    const run = await arazzoc(["check", file]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    expect(printed(run.stderr).map((d) => d.code)).toEqual(["AZC1001"]);
  });

  it("the whole invalid folder: exit 1, every document reported, no crash", async ({ expect }) => {
    const run = await arazzoc(["check", INVALID, "--format", "json"]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    const { diagnostics } = JSON.parse(run.stdout) as { diagnostics: { file: string; severity: string }[] };
    const reported = new Set(diagnostics.map((d) => d.file));
    // Folders contribute the files that declare `arazzo` at the top level.
    for (const c of CASES.filter((k) => !["empty.yml", "root-list.yml"].includes(k.file)))
      expect(reported).toContain(`${INVALID}/${c.file}`);
    expect(diagnostics.every((d) => d.severity === "error")).toBe(true);
  });

  it("compile of a bad document writes nothing", async ({ expect }) => {
    const out = join(tempDir(), "out");
    const run = await arazzoc(["compile", `${INVALID}/goto-unknown-step.yml`, "--out", out]);
    expect(run.exitCode).toBe(1);
    expectNoCrash(run);
    expect(existsSync(out)).toBe(false);
  });
});

// Regressions: each of these was a compiler bug found by this file (first written as it.fails, now fixed).
describe("regressions found by these tests", () => {
  // fixtures/cases/invalid/duplicate-key.yml repeats `title` under info (line 5). The key was named from the
  // parser's error span, which covers one character: "Duplicate key 't'".
  it("a duplicate key is named in full", async () => {
    const run = await arazzoc(["check", `${INVALID}/duplicate-key.yml`]);
    expect(printed(run.stderr)[0]?.message).toBe("Duplicate key 'title'");
  });

  // `arazzo: 1.0` is the number 1 in YAML 1.2; the message and the fix showed String(1) = "1", not what the
  // user wrote, and the fix suggested `arazzo: "1"`.
  it("unquoted arazzo: 1.0 is quoted back as written, not as the number 1", async () => {
    const run = await arazzoc(["check", `${INVALID}/arazzo-number.yml`, "--format", "json"]);
    const [d] = (JSON.parse(run.stdout) as { diagnostics: { message: string; fix: string }[] }).diagnostics;
    expect(d?.message).toBe("The arazzo version is a number (1.0), not a string");
    expect(d?.fix).not.toContain('arazzo: "1"');
  });

  // `arazzo: 2` was reported as AZC2005 with the fix `Quote it: arazzo: "2"`, which only leads to the next
  // error: 2 is not a 1.0.x version in any spelling, so it is an unsupported version.
  it("arazzo: 2 is an unsupported version (AZC2004), not a number to quote", async () => {
    const run = await arazzoc(["check", `${INVALID}/arazzo-2.yml`, "--format", "json"]);
    const [d] = (JSON.parse(run.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;
    expect(d?.code).toBe("AZC2004");
    expect(d?.message).toBe("Unsupported Arazzo version '2'");
  });

  // A path parameter supplied with a value that fails to resolve: the value is reported, and the required
  // parameter must not also be called "not supplied" (AZC4008), a cascade the compiler used to print.
  it("an unknown input in a path parameter is not also reported as a missing parameter", async () => {
    const run = await arazzoc(["check", `${INVALID}/unknown-input.yml`]);
    expect(printed(run.stderr).map((d) => d.code)).toEqual(["AZC4005"]);
  });

  it("$response.body in a path parameter is not also reported as a missing parameter", async () => {
    const run = await arazzoc(["check", `${INVALID}/response-in-parameter.yml`]);
    expect(printed(run.stderr).map((d) => d.code)).toEqual(["AZC3009"]);
  });

  // workflowId "area-m²" (the spec only
  // recommends [A-Za-z0-9_-]+) was camelCased to `areaM²`, not an identifier; prettier threw and the CLI
  // exited 70 with "internal error: Invalid character". A valid identifier or a diagnostic is fine; a crash is not.
  it("a workflowId with a superscript digit does not crash the compiler", async () => {
    const dir = tempDir();
    const seed = readFileSync(join(ROOT, CANCEL), "utf8");
    const openapi = join(ROOT, "fixtures/windmill/api-evangelist/openapi/windmill-api-openapi.yml");
    writeFileSync(
      join(dir, "doc.yml"),
      seed
        .replace("workflowId: run-script-with-cancel-guard", "workflowId: area-m²")
        .replace("url: ../openapi/windmill-api-openapi.yml", `url: ${openapi}`),
    );
    const run = await arazzoc(["compile", join(dir, "doc.yml"), "--out", join(dir, "out")]);
    expectNoCrash(run);
    expect([0, 1]).toContain(run.exitCode);
  });
});
