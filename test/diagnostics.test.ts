// Every code of the diagnostics catalogue, triggered by a negative fixture through compile(): the code, its
// severity and message, the file, line and column it points at, and that the one mistake gives one
// diagnostic. A document with only warnings must still compile to a module. The cases are in
// test/diagnostic-cases.ts; those marked `known` are compiler defects, kept as it.fails with the correct
// expectation (see each case's `known` for what happens instead); SHOW_KNOWN=1 runs them as ordinary tests,
// which prints what the compiler reports instead.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../compiler/config.js";
import { catalogue, compile, type Diagnostic } from "../compiler/index.js";
import { writeOutput } from "../compiler/output/write.js";
import { upgrade } from "../compiler/upgrade-command.js";
import { CASES, DIAGNOSTICS, type DiagnosticCase } from "./diagnostic-cases.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function show(list: readonly Diagnostic[]): string {
  return list
    .map((d) => `${d.file}${d.range ? `:${d.range.line}:${d.range.column}` : ""} ${d.severity} ${d.code}: ${d.message}`)
    .join("\n");
}

function moduleName(input: string): string {
  return input.replace(/^.*\//, "").replace(/\.(ya?ml|json)$/, ".ts");
}

async function diagnosticsOf(c: DiagnosticCase): Promise<{ all: Diagnostic[]; files: string[] }> {
  if (c.config) return { all: (await loadConfig(resolve(ROOT, c.inputs[0]!), ROOT)).diagnostics, files: [] };
  if (c.upgrade) {
    const run = await upgrade({ inputs: c.inputs, cwd: ROOT, reading: { root: c.root ?? "fixtures" } });
    return { all: [...run.diagnostics, ...run.documents.flatMap((d) => d.diagnostics)], files: [] };
  }
  const result = await compile({
    inputs: c.inputs,
    cwd: ROOT,
    emit: (c.emit ?? false) || c.out !== undefined,
    root: c.root ?? "fixtures",
    ...c.options,
    ...(c.sources ? { sources: c.sources } : {}),
  });
  // Compared with check: the fixture's output folder is never written.
  const written = c.out !== undefined ? writeOutput(c.out, result.files, result.modules, { check: true, cwd: ROOT }).diagnostics : [];
  return { all: [...result.diagnostics, ...written], files: [...result.files.keys()] };
}

async function run(c: DiagnosticCase): Promise<void> {
  const { all, files } = await diagnosticsOf(c);
  const hits = all.filter((d) => d.code === c.code);
  expect(hits.length, `${c.code} expected; got:\n${show(all)}`).toBeGreaterThan(0);
  const hit = hits[0]!;
  expect(hit.severity).toBe(c.severity);
  expect(hit.file).toBe(c.file ?? c.inputs[0]);
  expect(hit.message).toMatch(c.message);
  expect(hit.fix.length).toBeGreaterThan(0);
  // Every placeholder of the templates is filled.
  const entry = catalogue[c.code];
  for (const placeholder of `${entry.message} ${entry.fix}`.match(/\{\w+\}/g) ?? []) {
    expect(hit.message, placeholder).not.toContain(placeholder);
    expect(hit.fix, placeholder).not.toContain(placeholder);
  }
  if (c.line === undefined) {
    expect(hit.range).toBeUndefined();
  } else {
    expect(hit.range, show(all)).toBeDefined();
    expect(hit.range!.line, show(all)).toBe(c.line);
    if (c.column !== undefined) expect(hit.range!.column, show(all)).toBe(c.column);
    if (c.columnWithin) {
      expect(hit.range!.column).toBeGreaterThanOrEqual(c.columnWithin[0]);
      expect(hit.range!.column).toBeLessThanOrEqual(c.columnWithin[1]);
    }
  }
  // One mistake, one diagnostic: no cascade, no repeat.
  expect(all.length, `exactly ${c.count ?? 1} diagnostic(s) expected; got:\n${show(all)}`).toBe(c.count ?? 1);
  if (c.severity === "warning" && !c.upgrade) {
    // Warnings do not stop compilation: the module is generated.
    expect(all.every((d) => d.severity === "warning")).toBe(true);
    for (const input of c.inputs) expect(files).toContain(c.module ?? moduleName(input));
  }
}

describe("one negative fixture per diagnostic code", () => {
  for (const c of CASES) {
    const title = `${c.code} (${c.severity}): ${c.what}${c.line !== undefined ? ` at ${c.line}:${c.column ?? c.columnWithin?.join("-")}` : ""}`;
    if (c.known && !process.env["SHOW_KNOWN"]) it.fails(`${title} [known defect]`, () => run(c));
    else it(title, () => run(c));
  }
});

describe("the fixtures differ from a valid document only by their mistake", () => {
  it("base.arazzo.yaml, the document the fixtures are variations of, compiles with no diagnostics", async () => {
    const result = await compile({ inputs: [`${DIAGNOSTICS}/base.arazzo.yaml`], cwd: ROOT, root: "fixtures" });
    expect(show(result.diagnostics)).toBe("");
    expect([...result.files.keys()].sort()).toEqual(["base.arazzo.ts", "runtime.ts"]);
  });

  it("each fixture names the code it triggers in its file name", () => {
    for (const c of CASES) {
      const name = c.inputs[0]!.slice(DIAGNOSTICS.length + 1);
      if (c.inputs[0]!.startsWith(`${DIAGNOSTICS}/`)) expect(name.startsWith(c.code), name).toBe(true);
    }
  });
});

describe("fixes that name the document's own values", () => {
  it("AZC4004 on a value the step sends names where that value comes from", async () => {
    const result = await compile({ inputs: [`${DIAGNOSTICS}/AZC4004-reads-what-step-sends.yaml`], cwd: ROOT, root: "fixtures" });
    expect(result.diagnostics.map((d) => d.fix)).toEqual([
      "Declare the output in the step's outputs, or read one it declares: (none declared); what a step sends is not among its outputs: read $inputs.petId itself.",
    ]);
  });

  it("AZC4004 names no source for a value the step takes from its own outputs", async () => {
    // The official bnpl example: a step sends redirectAuthToken from $steps.<itself>.outputs.redirectAuthToken.
    const result = await compile({ inputs: ["fixtures/arazzo-examples/examples/1.0.0/bnpl-arazzo.yaml"], cwd: ROOT, emit: false });
    const own = result.diagnostics.filter((d) => d.code === "AZC4004" && d.message.includes("redirectAuthToken"));
    expect(own.map((d) => d.message)).toEqual(["Step 'authenticateCustomerAndAuthorizeLoan' has no output 'redirectAuthToken'"]);
  });
});
