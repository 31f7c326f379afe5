// arazzoc upgrade on the official 1.0 examples, the Windmill seeds and fixtures/upgrade: each upgrades to its
// committed expected file in out/upgrade (`npm run upgrade:fixtures` writes them), keeps every comment, changes
// only the lines it reports, keeps JSON as JSON, and keeps the meaning arazzoc compiles: the upgraded text,
// read as 1.0.x again, compiles to the same modules as the original.
//
// Validation under 1.1: until the compiler reads 1.1 documents, checking an upgraded document may report only
// AZC2004 (the version); once it does, AZC2004 goes away and any other error fails the test.
import { execa } from "execa";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Lexer, parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, compile } from "../compiler/index.js";
import { upgrade, type UpgradeRun } from "../compiler/upgrade-command.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist/compiler/cli.js");

interface Set_ {
  readonly name: string;
  /** The folder the documents are in; `tree` is copied for compiling (it holds their sources). */
  readonly folder: string;
  readonly tree: string;
  readonly expected: string;
  /** Documents that compile under 1.0 (the others are written against the 1.0 JSON Schema only). */
  readonly compiles: (file: string) => boolean;
}

const SETS: readonly Set_[] = [
  { name: "official examples", folder: "fixtures/arazzo-examples-fixed", tree: "fixtures/arazzo-examples-fixed", expected: "out/upgrade/examples", compiles: () => true },
  { name: "Windmill seeds", folder: "fixtures/windmill/api-evangelist/arazzo", tree: "fixtures/windmill/api-evangelist", expected: "out/upgrade/windmill", compiles: () => true },
  { name: "upgrade cases", folder: "fixtures/upgrade", tree: "fixtures", expected: "out/upgrade/cases", compiles: (file) => !file.includes("schema-1.0") },
];

const runs = new Map<string, UpgradeRun>();
const temps: string[] = [];
beforeAll(async () => {
  if (!existsSync(CLI)) await execa("npm", ["run", "build"], { cwd: ROOT });
  for (const set of SETS) runs.set(set.name, await upgrade({ inputs: [set.folder], cwd: ROOT }));
}, 300_000);
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "arazzoc-upgrade-"));
  temps.push(dir);
  return dir;
}

/** The comments of a YAML or JSON text, in order, as the yaml lexer reads them. */
function comments(text: string): string[] {
  return [...new Lexer().lex(text)].filter((token) => token.startsWith("#"));
}

/**
 * The original's lines that the upgrade changed, aligning the two texts line by line: a line is the same, or
 * changed, or (a criterion's `version` moved into its type) removed.
 */
function changedLines(before: string, after: string): { changed: number[]; removed: number[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  const changed: number[] = [];
  const removed: number[] = [];
  for (let i = 0, j = 0; i < a.length; ) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (/^\s*"?version"?\s*:/.test(a[i]!) && a[i + 1] === b[j]) removed.push(++i);
    else {
      changed.push(++i);
      j++;
    }
  }
  return { changed, removed };
}

describe.each(SETS)("upgrade of the $name", (set) => {
  const documents = () => runs.get(set.name)!.documents;

  it("gives each document's expected file in out/upgrade, with version 1.1.0", () => {
    expect(documents().length).toBeGreaterThan(2);
    for (const document of documents()) {
      const expected = join(ROOT, set.expected, relative(join(ROOT, set.folder), document.path));
      expect(document.changed, document.file).toBe(true);
      expect(document.text, `${document.file}: run npm run upgrade:fixtures`).toBe(readFileSync(expected, "utf8"));
      expect((parse(document.text) as { arazzo: string }).arazzo).toBe("1.1.0");
      expect(document.changes[0]!.what).toMatch(/^arazzo: 1\.0\.[01] -> 1\.1\.0$/);
    }
  });

  it("keeps every comment, and changes only the lines it reports", () => {
    for (const document of documents()) {
      expect(comments(document.text), document.file).toEqual(comments(document.original));
      const { changed, removed } = changedLines(document.original, document.text);
      const nested = document.changes.filter((c) => c.what.startsWith("criterion type")).length;
      expect(removed.length, document.file).toBe(nested);
      expect(changed, document.file).toEqual([...new Set(document.changes.map((c) => c.line))]);
    }
  });

  it("keeps JSON as JSON", () => {
    for (const document of documents().filter((d) => d.path.endsWith(".json"))) {
      expect(JSON.parse(document.text)).toEqual(parse(document.text));
      expect(JSON.parse(document.text).workflows[0].steps[0].successCriteria[0].type).toEqual({ type: "jsonpath", version: "draft-goessner-dispatch-jsonpath-00" });
    }
  });

  it("keeps the meaning: read as 1.0.x again, the upgraded documents compile to the same modules", async () => {
    const dir = temp();
    const original = join(dir, "original");
    const pinned = join(dir, "pinned");
    for (const tree of [original, pinned]) cpSync(join(ROOT, set.tree), tree, { recursive: true });
    const inputs: { original: string[]; pinned: string[] } = { original: [], pinned: [] };
    for (const document of documents().filter((d) => set.compiles(d.path))) {
      const inTree = relative(join(ROOT, set.tree), document.path);
      // The pinned forms ({$inputs.token}, conditions without braces) are 1.0.x too: only the version goes back.
      writeFileSync(join(pinned, inTree), document.text.replace(/^(\s*"?arazzo"?\s*:\s*["']?)1\.1\.0/m, `$1${document.from!}`));
      inputs.original.push(join(original, inTree));
      inputs.pinned.push(join(pinned, inTree));
    }
    const modules = async (which: "original" | "pinned") => {
      const result = await compile({ inputs: inputs[which], root: which === "original" ? original : pinned, format: "arazzoc", emit: true });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      return { result, texts: new Map([...result.files].map(([name, text]) => [name, text.split("\n").slice(1).join("\n")])) };
    };
    const before = await modules("original");
    const after = await modules("pinned");
    expect(after.texts).toEqual(before.texts);
    // What was pinned no longer needs the compiler's leniency.
    expect(after.result.diagnostics.filter((d) => d.code === "AZC3002")).toEqual([]);
  }, 120_000);

  it("validates under 1.1 (today: only the version is refused, until the compiler reads 1.1)", async () => {
    const dir = temp();
    cpSync(join(ROOT, set.tree), dir, { recursive: true });
    for (const document of documents().filter((d) => set.compiles(d.path))) {
      const path = join(dir, relative(join(ROOT, set.tree), document.path));
      writeFileSync(path, document.text);
      const result = await check({ inputs: [path], root: dir });
      const errors = result.diagnostics.filter((d) => d.severity === "error" && !(d.code === "AZC2004" && d.pointer === "/arazzo"));
      expect(errors, document.file).toEqual([]);
    }
  }, 120_000);
});

describe("arazzoc upgrade on the command line", () => {
  /** A copy of the Windmill seeds and their description, to upgrade in place. */
  function seeds(): string {
    const dir = temp();
    cpSync(join(ROOT, "fixtures/windmill/api-evangelist"), dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), '{ "name": "consumer" }\n');
    return dir;
  }
  const run = (args: readonly string[], cwd: string) => execa("node", [CLI, ...args], { reject: false, cwd, env: { NO_COLOR: "1", ARAZZOC_DEBUG: "" } });
  const SEED = "arazzo/windmill-run-script-with-timeout-cancel-workflow.yml";

  it("--check lists the rewrites, writes nothing and exits 1; upgrading in place, then --check, exits 0", async () => {
    const dir = seeds();
    const before = readFileSync(join(dir, SEED), "utf8");
    const checked = await run(["upgrade", "--check", "arazzo"], dir);
    expect(checked.exitCode).toBe(1);
    expect(checked.stderr).toContain(`${SEED}:57:14 - would upgrade: $inputs.token -> {$inputs.token}: a bare expression inside a string is literal text in 1.1`);
    expect(checked.stderr.split("\n").at(-1)).toBe(
      "arazzoc: 10 documents; 10 would be upgraded (44 changes), 0 already 1.1; 0 to fix by hand; run arazzoc upgrade without --check.",
    );
    expect(readFileSync(join(dir, SEED), "utf8")).toBe(before);

    const upgraded = await run(["upgrade", "arazzo"], dir);
    expect(upgraded.exitCode).toBe(0);
    expect(upgraded.stderr.split("\n").at(-1)).toBe("arazzoc: 10 documents; 10 upgraded (44 changes), 0 already 1.1; 0 to fix by hand.");
    expect(readFileSync(join(dir, SEED), "utf8")).toBe(readFileSync(join(ROOT, "out/upgrade/windmill", SEED.slice("arazzo/".length)), "utf8"));
    const again = await run(["upgrade", "--check", "arazzo"], dir);
    expect(again.stderr).toBe("arazzoc: 10 documents; 0 would be upgraded (0 changes), 10 already 1.1; 0 to fix by hand.");
    expect(again.exitCode).toBe(0);
  });

  it("--out names a file for one document, a folder for several; --format json reports each document", async () => {
    const dir = seeds();
    const one = await run(["upgrade", SEED, "--out", "up/one.yml"], dir);
    expect(one.exitCode).toBe(0);
    expect(readFileSync(join(dir, "up/one.yml"), "utf8")).toMatch(/^arazzo: 1\.1\.0\n/);
    expect(readFileSync(join(dir, SEED), "utf8")).toMatch(/^arazzo: 1\.0\.1\n/);
    mkdirSync(join(dir, "many"));
    const json = await run(["upgrade", "arazzo", "--out", "many", "--format", "json"], dir);
    expect(json.exitCode).toBe(0);
    const report = JSON.parse(json.stdout) as { documents: { file: string; from: string; changed: boolean; changes: unknown[]; writtenTo: string }[] };
    expect(report.documents).toHaveLength(10);
    expect(report.documents[0]).toMatchObject({ file: "arazzo/windmill-bootstrap-workspace-workflow.yml", from: "1.0.1", changed: true, writtenTo: "many/windmill-bootstrap-workspace-workflow.yml" });
  });

  it("a document it cannot upgrade: the diagnostic, exit 1, nothing written; wrong usage exits 2", async () => {
    const dir = seeds();
    writeFileSync(join(dir, "arazzo/zero.yml"), readFileSync(join(dir, SEED), "utf8").replace("arazzo: 1.0.1", "arazzo: 0.9.0"));
    const failed = await run(["upgrade", "arazzo"], dir);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("arazzo/zero.yml:1:9 - error AZC7020: Not an Arazzo 1.0.x document (arazzo: 0.9.0)");
    expect(failed.stderr.split("\n").at(-1)).toBe("arazzoc: 11 documents; nothing written (44 changes), 0 already 1.1; 0 to fix by hand; 1 error.");
    expect(readFileSync(join(dir, SEED), "utf8")).toMatch(/^arazzo: 1\.0\.1\n/);
    for (const args of [["upgrade", "arazzo", "--check", "--out", "x"], ["upgrade", "arazzo", "--format", "sarif"], ["upgrade", "--no-config"]]) {
      expect((await run(args, dir)).exitCode, args.join(" ")).toBe(2);
    }
  });
});
